//! Small units, judged per period (H9): in a period in which a unit has
//! less staffing than `min_unit_fte`, its figures are about one or two
//! people, so nothing of the unit is published for that period; its values
//! still count in its parent's and its area's totals.

use std::collections::{BTreeMap, BTreeSet};

use crate::data::{Dataset, MeasureUnit, Period, Role};

/// The periods in which each unit is small, and the units that are never
/// published on their own at all (→ their parent).
#[derive(Debug, Default)]
pub struct SmallUnits {
    pub periods: BTreeMap<String, BTreeSet<Period>>,
    pub whole: BTreeMap<String, Option<String>>,
}

impl SmallUnits {
    pub fn is_small(&self, unit: &str, period: Period) -> bool {
        self.periods.get(unit).is_some_and(|p| p.contains(&period))
    }
}

/// Judges every unit in every period on the staffing that matters for what
/// is shown: the smallest of the staffing measures that a ratio divides by
/// (and the headline's staffing), never a sum of staffing measures, which
/// would let 1 case-holding FTE and 2 agency FTE pass as 3.0. The sum of
/// all staffing is judged too, for sites without ratios.
///
/// A unit that is small in its latest period, or in every period, gets no
/// page of its own (`whole`); every period of it is then withheld. A unit
/// that is small only in some periods keeps its page, and those periods are
/// withheld and marked.
pub fn judge(view: &Dataset, min_unit_fte: f64, headline_staffing: Option<&str>) -> SmallUnits {
    let is_fte = |id: &str| {
        view.measure(id)
            .is_some_and(|m| m.unit == MeasureUnit::Fte && !m.is_derived())
    };
    let mut relevant: BTreeSet<&str> = view
        .measures
        .measures
        .values()
        .filter_map(|m| m.ratio.as_ref().map(|(_, den)| den.as_str()))
        .filter(|den| is_fte(den))
        .collect();
    if let Some(h) = headline_staffing.filter(|h| is_fte(h)) {
        relevant.insert(h);
    }
    let staffing: Vec<&str> = view
        .measures
        .measures
        .values()
        .filter(|m| m.role == Role::Staffing && is_fte(&m.id))
        .map(|m| m.id.as_str())
        .collect();
    let mut out = SmallUnits::default();
    for unit in view.units.units.values() {
        // Period → (smallest relevant figure, sum of staffing).
        let mut judged: BTreeMap<Period, (Option<f64>, Option<f64>)> = BTreeMap::new();
        for m in &relevant {
            for (p, obs) in view.series(m, &unit.id).into_iter().flat_map(|s| &s.points) {
                if let Some(n) = obs.value.number {
                    let e = judged.entry(*p).or_default();
                    e.0 = Some(e.0.map_or(n, |x: f64| x.min(n)));
                }
            }
        }
        for m in &staffing {
            for (p, obs) in view.series(m, &unit.id).into_iter().flat_map(|s| &s.points) {
                if let Some(n) = obs.value.number {
                    let e = judged.entry(*p).or_default();
                    e.1 = Some(e.1.unwrap_or(0.0) + n);
                }
            }
        }
        let mut small: BTreeSet<Period> = judged
            .iter()
            .filter(|(_, (least, sum))| {
                least.is_some_and(|x| x < min_unit_fte) || sum.is_some_and(|x| x < min_unit_fte)
            })
            .map(|(p, _)| *p)
            .collect();
        if small.is_empty() {
            continue;
        }
        let latest_small = judged.keys().next_back().is_some_and(|p| small.contains(p));
        let always_small = small.len() == judged.len();
        // A yearly figure of a unit staffed by quarter covers its small
        // quarters too: the year is withheld when any quarter of it was
        // small (twelve cases in a year of one caseworker are one
        // caseworker's).
        let small_years: BTreeSet<i32> = small
            .iter()
            .filter(|p| p.is_quarter())
            .map(|p| p.year())
            .collect();
        small.extend(
            view.series
                .iter()
                .filter(|(k, _)| k.unit == unit.id)
                .flat_map(|(_, s)| s.points.keys())
                .filter(|p| !p.is_quarter() && small_years.contains(&p.year()))
                .copied(),
        );
        if latest_small || always_small {
            out.whole.insert(unit.id.clone(), unit.parent.clone());
            let every: BTreeSet<Period> = view
                .series
                .iter()
                .filter(|(k, _)| k.unit == unit.id)
                .flat_map(|(_, s)| s.points.keys().copied())
                .collect();
            out.periods.insert(unit.id.clone(), every);
        } else {
            out.periods.insert(unit.id.clone(), small);
        }
    }
    out
}
