//! Totals computed before disclosure (§3.2, H9): a unit that is some
//! unit's `parent` and has no data of its own for a measure gets the sum of
//! its children, and every area with more than one unit at its top level
//! gets a total of its own. They are computed from the data as read, before
//! anything is withheld, so that disclosure control sees every number that
//! will be published and every sum it belongs to.
//!
//! Only additive measures are summed (counts, FTE, workload points); shares,
//! days and ratios are not (ratios are recomputed from the summed parts).

use std::collections::{BTreeMap, BTreeSet};

use crate::data::dataset::{Dataset, Observation, Series, SeriesKey};
use crate::data::model::MeasureUnit;
use crate::data::value::{Status, Value};

/// Whether values of this measure add up across units and groups.
pub fn is_additive(m: &crate::data::Measure) -> bool {
    !m.is_derived()
        && matches!(
            m.unit,
            MeasureUnit::Count | MeasureUnit::Fte | MeasureUnit::Points
        )
}

/// Adds roll-up series to every parent unit that has none of its own,
/// bottom-up. Derived measures are not recomputed here: disclosure computes
/// them once, on the view. `groups` adds totals that
/// are not in the hierarchy, such as one per area: total id → the units it
/// sums. A sum with a part missing in a period is not available then (it
/// would understate).
pub fn roll_up(data: &mut Dataset, groups: &BTreeMap<String, Vec<String>>) {
    let mut children = children_of(data);
    for (total, members) in groups {
        children
            .entry(total.clone())
            .or_default()
            .extend(members.iter().cloned());
    }
    if children.is_empty() {
        return;
    }
    let additive: Vec<String> = data
        .measures
        .measures
        .values()
        .filter(|m| is_additive(m))
        .map(|m| m.id.clone())
        .collect();
    for parent in bottom_up(&children) {
        let kids = &children[&parent];
        for measure in &additive {
            let own = SeriesKey::total(measure, &parent);
            if data.series.contains_key(&own) {
                continue;
            }
            let parts: Vec<&Series> = kids
                .iter()
                .filter_map(|k| data.series(measure, k))
                .collect();
            if parts.is_empty() {
                continue;
            }
            let periods: BTreeSet<_> = parts
                .iter()
                .flat_map(|s| s.points.keys().copied())
                .collect();
            let mut sum = Series::default();
            for period in periods {
                let mut total = 0.0;
                let mut status = Status::Final;
                let mut complete = true;
                for s in &parts {
                    match s.get(period) {
                        Some(Value {
                            number: Some(n),
                            status: st,
                        }) => {
                            total += n;
                            status = weaker(status, *st);
                        }
                        _ => complete = false,
                    }
                }
                let value = if complete {
                    Value {
                        number: Some(total),
                        status,
                    }
                } else {
                    Value::symbol(Status::NotAvailable)
                };
                sum.points.insert(
                    period,
                    Observation {
                        value,
                        origin: None,
                    },
                );
            }
            data.series.insert(own, sum);
        }
    }
}

/// One total per area with more than one unit at its top level, as a unit
/// of its own (`<area>-total`), so the home page can show each area's
/// development in one chart. Returns total id → the units it sums: those of
/// the area whose parent is outside it, so nothing is counted twice.
pub fn add_area_totals(
    data: &mut Dataset,
    lang: crate::text::Lang,
) -> BTreeMap<String, Vec<String>> {
    let mut totals = BTreeMap::new();
    for area in data.units.areas.values() {
        let members: Vec<String> = data
            .units
            .units
            .values()
            .filter(|u| u.area.as_deref() == Some(area.id.as_str()))
            .filter(|u| {
                let parent_area = u
                    .parent
                    .as_ref()
                    .and_then(|p| data.units.get(p))
                    .and_then(|p| p.area.as_deref());
                parent_area != Some(area.id.as_str())
            })
            .map(|u| u.id.clone())
            .collect();
        let id = format!("{}-total", area.id);
        if members.len() < 2 || data.units.get(&id).is_some() {
            continue;
        }
        let name = lang.phrases().area_total(area.name.get(lang));
        data.units.units.insert(
            id.clone(),
            crate::data::Unit {
                id: id.clone(),
                name,
                area: Some(area.id.clone()),
                parent: None,
            },
        );
        totals.insert(id, members);
    }
    totals
}

/// The more qualified of two statuses (provisional over estimated …), as for
/// derived ratios.
fn weaker(a: Status, b: Status) -> Status {
    if crate::data::derived::weakness(b) > crate::data::derived::weakness(a) {
        b
    } else {
        a
    }
}

pub fn children_of(data: &Dataset) -> BTreeMap<String, Vec<String>> {
    let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for u in data.units.units.values() {
        if let Some(p) = &u.parent {
            children.entry(p.clone()).or_default().push(u.id.clone());
        }
    }
    children
}

/// Parents ordered so that every parent comes after its own child parents.
fn bottom_up(children: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    fn visit(
        p: &str,
        children: &BTreeMap<String, Vec<String>>,
        done: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) {
        if !seen.insert(p.to_string()) {
            return;
        }
        for k in children.get(p).into_iter().flatten() {
            if children.contains_key(k) {
                visit(k, children, done, seen);
            }
        }
        done.push(p.to_string());
    }
    let mut done = Vec::new();
    let mut seen = BTreeSet::new();
    for p in children.keys() {
        visit(p, children, &mut done, &mut seen);
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::model::{Measure, MeasureKind, Role, Unit};
    use crate::data::period::Period;

    fn unit(id: &str, parent: Option<&str>) -> Unit {
        Unit {
            id: id.into(),
            name: id.into(),
            area: None,
            parent: parent.map(Into::into),
        }
    }

    fn measure(id: &str, unit: MeasureUnit) -> Measure {
        Measure {
            id: id.into(),
            label: id.into(),
            unit,
            kind: MeasureKind::Stock,
            role: Role::Other,
            columns: vec![],
            definition: None,
            source: None,
            limitations: vec![],
            breaks: vec![],
            ratio: None,
        }
    }

    fn set(d: &mut Dataset, m: &str, u: &str, p: Period, v: Value) {
        d.series
            .entry(SeriesKey::total(m, u))
            .or_default()
            .points
            .insert(
                p,
                Observation {
                    value: v,
                    origin: None,
                },
            );
    }

    #[test]
    fn parents_get_complete_sums_and_nothing_is_withheld_here() {
        let mut d = Dataset::default();
        for u in [
            unit("all", None),
            unit("a", Some("all")),
            unit("b", Some("all")),
            unit("tiny", Some("all")),
        ] {
            d.units.units.insert(u.id.clone(), u);
        }
        d.measures
            .measures
            .insert("cases".into(), measure("cases", MeasureUnit::Count));
        d.measures
            .measures
            .insert("share".into(), measure("share", MeasureUnit::Percent));
        let (q1, q2, q3) = (
            Period::quarter(2024, 1),
            Period::quarter(2024, 2),
            Period::quarter(2024, 3),
        );
        for (u, vals) in [
            ("a", [10.0, 11.0, 12.0]),
            ("b", [20.0, 21.0, 22.0]),
            ("tiny", [6.0, 3.0, 7.0]),
        ] {
            for (p, v) in [q1, q2, q3].into_iter().zip(vals) {
                set(&mut d, "cases", u, p, Value::final_(v));
            }
            set(&mut d, "share", u, q1, Value::final_(50.0));
        }
        set(
            &mut d,
            "cases",
            "b",
            q3,
            Value {
                number: Some(22.0),
                status: Status::Provisional,
            },
        );
        d.series
            .get_mut(&SeriesKey::total("cases", "a"))
            .unwrap()
            .points
            .remove(&q3);
        roll_up(&mut d, &BTreeMap::new());
        let all = d.series("cases", "all").unwrap();
        assert_eq!(all.get(q1), Some(&Value::final_(36.0)));
        // Withholding is disclosure control's job, after every total exists.
        assert_eq!(all.get(q2), Some(&Value::final_(35.0)));
        assert_eq!(
            all.get(q3),
            Some(&Value::symbol(Status::NotAvailable)),
            "a is missing"
        );
        assert!(d.series("share", "all").is_none(), "shares are not summed");
    }
}
