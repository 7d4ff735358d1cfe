//! The additive relations a site publishes: every published total that a
//! reader can subtract published parts from. Both the suppression
//! ([`super::secondary`]) and the independent audit ([`super::audit`]) work
//! on this list, so it errs on the side of listing too much.

use std::collections::BTreeMap;

use crate::data::dataset::KeyParts;
use crate::data::{Dataset, MeasureUnit, Period, Series, SeriesKey};
use crate::disclosure::totals::{children_of, is_additive};

/// One value of the published view: a series at a period.
pub type CellKey = (SeriesKey, Period);

/// One value of the published view by number: the series' place among the
/// keys of [`Relations`], and the period. Twelve bytes instead of a key of
/// three strings: at ten thousand units the sums name millions of values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    series: u32,
    pub period: Period,
}

/// The additive relations of a view, each value named by a [`Cell`].
#[derive(Debug, Clone, Default)]
pub struct Relations {
    /// The series the cells name, sorted (as the view's are).
    keys: Vec<SeriesKey>,
    pub list: Vec<Relation>,
}

impl Relations {
    /// The series a cell is in.
    pub fn series(&self, cell: Cell) -> &SeriesKey {
        &self.keys[cell.series as usize]
    }

    /// The cell as a key of the view.
    pub fn key(&self, cell: Cell) -> CellKey {
        (self.series(cell).clone(), cell.period)
    }

    /// The cell of a series at a period, when the series is among the keys.
    #[cfg(test)]
    pub fn cell(&self, key: &SeriesKey, period: Period) -> Option<Cell> {
        Some(Cell {
            series: self.series_id(key)?,
            period,
        })
    }

    fn series_id(&self, key: &dyn KeyParts) -> Option<u32> {
        let i = self
            .keys
            .binary_search_by(|k| k.parts().cmp(&key.parts()))
            .ok()?;
        u32::try_from(i).ok()
    }

    /// The total series of `measure` for `unit` in `view`, with its number
    /// among the keys.
    fn find<'v>(&self, view: &'v Dataset, measure: &str, unit: &str) -> Option<(u32, &'v Series)> {
        self.find_group(view, measure, unit, None)
    }

    /// The series of `measure` for `unit` and `group` (`None`: the total),
    /// with its number among the keys.
    fn find_group<'v>(
        &self,
        view: &'v Dataset,
        measure: &str,
        unit: &str,
        group: Option<&str>,
    ) -> Option<(u32, &'v Series)> {
        let id = self.series_id(&(measure, unit, group))?;
        Some((id, view.series_of(measure, unit, group)?))
    }

    /// Relations written by key, for tests.
    #[cfg(test)]
    pub fn from_keys(sums: Vec<(RelationKind, CellKey, Vec<CellKey>)>) -> Relations {
        let mut keys: Vec<SeriesKey> = sums
            .iter()
            .flat_map(|(_, t, parts)| std::iter::once(t).chain(parts))
            .map(|(k, _)| k.clone())
            .collect();
        keys.sort();
        keys.dedup();
        let mut out = Relations {
            keys,
            list: Vec::new(),
        };
        for (kind, total, parts) in sums {
            let cell = |(k, p): &CellKey| out.cell(k, *p).expect("every key was collected");
            let relation = Relation {
                kind,
                total: cell(&total),
                parts: parts.iter().map(cell).collect(),
            };
            out.list.push(relation);
        }
        out
    }

    /// The first `n` relations only (tests).
    #[cfg(test)]
    pub fn first(&self, n: usize) -> Relations {
        Relations {
            keys: self.keys.clone(),
            list: self.list[..n].to_vec(),
        }
    }

    /// A relation in plain words, for the audit's messages.
    pub fn describe(&self, relation: &Relation) -> String {
        let unit = &self.series(relation.total).unit;
        let parts = self.part_names(relation);
        match relation.kind {
            RelationKind::Parent => format!("`{unit}` = the sum of its units ({parts})"),
            RelationKind::Area => format!("the area total `{unit}` = the sum of {parts}"),
            RelationKind::Whole => {
                format!("`{unit}` = the sum of every other unit at the top level ({parts})")
            }
            RelationKind::Groups => {
                format!("the total of `{unit}` = the sum of its groups ({parts})")
            }
        }
    }

    fn part_names(&self, relation: &Relation) -> String {
        relation
            .parts
            .iter()
            .map(|&c| {
                let k = self.series(c);
                match (&k.group, relation.kind) {
                    (Some(g), RelationKind::Groups) => g.as_str(),
                    _ => k.unit.as_str(),
                }
            })
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// Which kind of total a relation is about, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    /// A parent unit is the sum of its child units.
    Parent,
    /// An area total is the sum of the area's units.
    Area,
    /// A unit outside every hierarchy (a national or whole-site figure,
    /// often a reference) whose numbers, as read, are the sum of every
    /// other unit at the top level.
    Whole,
    /// A unit's total is the sum of its breakdown groups.
    Groups,
}

/// `total = parts[0] + parts[1] + …` for one measure and period.
#[derive(Debug, Clone)]
pub struct Relation {
    pub kind: RelationKind,
    pub total: Cell,
    pub parts: Vec<Cell>,
}

impl Relation {
    /// The total and the parts.
    pub fn cells(&self) -> impl Iterator<Item = Cell> + '_ {
        std::iter::once(self.total).chain(self.parts.iter().copied())
    }
}

/// Every additive relation of the view, per measure and period: parent =
/// sum of children, area total = sum of its units, total = sum of groups. A
/// relation whose numbers, as read, do not add up (a parent with data of
/// its own, groups that do not cover the total) is left out: a reader
/// using it would get a wrong number. One that cannot be checked, because a
/// value has no number, is kept.
pub fn relations(view: &Dataset, area_members: &BTreeMap<String, Vec<String>>) -> Relations {
    // Days are not summed by insyn (a median waiting time is no sum), but
    // data may carry sums of them (days of absence of a region, beside its
    // authorities'): a relation of days is kept only where every number of
    // it is there and adds up. Minus the published authorities', a region's
    // days gave back those of a one-person authority insyn hid.
    let by_numbers: Vec<&str> = view
        .measures
        .measures
        .values()
        .filter(|m| !m.is_derived() && m.unit == MeasureUnit::Days)
        .map(|m| m.id.as_str())
        .collect();
    let additive: Vec<&str> = view
        .measures
        .measures
        .values()
        .filter(|m| is_additive(m))
        .map(|m| m.id.as_str())
        .chain(by_numbers.iter().copied())
        .collect();
    // Every series a sum can name, once; the sums name them by number.
    let mut ids = Relations {
        keys: view
            .series
            .keys()
            .filter(|k| additive.contains(&k.measure.as_str()))
            .cloned()
            .collect(),
        list: Vec::new(),
    };
    let find = |measure: &str, unit: &str| ids.find(view, measure, unit);
    let mut totals: Vec<(RelationKind, &String, &Vec<String>)> = Vec::new();
    let children = children_of(view);
    for (parent, kids) in &children {
        totals.push((RelationKind::Parent, parent, kids));
    }
    for (total, members) in area_members {
        totals.push((RelationKind::Area, total, members));
    }
    // Each measure's relations on their own, in parallel; in the order of
    // the measures.
    let per_measure = |measure: &&str| -> Vec<Relation> {
        let mut out = Vec::new();
        for (kind, total, kids) in &totals {
            let Some(total) = find(measure, total) else {
                continue;
            };
            let kid_series: Vec<(u32, &Series)> =
                kids.iter().filter_map(|k| find(measure, k)).collect();
            if kid_series.is_empty() {
                continue;
            }
            per_period(&mut out, *kind, total, &kid_series);
        }
        whole_totals(view, measure, area_members, &find, &mut out);
        // Groups: every total series with breakdowns beside it.
        let mut groups: BTreeMap<&str, Vec<(u32, &Series)>> = BTreeMap::new();
        let start = SeriesKey {
            measure: measure.to_string(),
            unit: String::new(),
            group: None,
        };
        for (key, series) in view.series.range::<SeriesKey, _>(&start..) {
            if key.measure != *measure {
                break;
            }
            if let (Some(_), Some(id)) = (&key.group, ids.series_id(key)) {
                groups
                    .entry(key.unit.as_str())
                    .or_default()
                    .push((id, series));
            }
        }
        for (unit, parts_series) in groups {
            let Some(total) = find(measure, unit) else {
                continue;
            };
            per_period(&mut out, RelationKind::Groups, total, &parts_series);
        }
        // The same group across the hierarchy: a parent's girls are the sum
        // of its units' girls (a parent's girls minus the published units'
        // gave the hidden one back).
        let group_names: std::collections::BTreeSet<&str> = view
            .series
            .range::<SeriesKey, _>(&start..)
            .take_while(|(k, _)| k.measure == *measure)
            .filter_map(|(k, _)| k.group.as_deref())
            .collect();
        for group in group_names {
            let find_in = |unit: &str| ids.find_group(view, measure, unit, Some(group));
            for (kind, total, kids) in &totals {
                let Some(total) = find_in(total) else {
                    continue;
                };
                let kid_series: Vec<(u32, &Series)> =
                    kids.iter().filter_map(|k| find_in(k)).collect();
                if kid_series.is_empty() {
                    continue;
                }
                per_period(&mut out, *kind, total, &kid_series);
            }
        }
        if by_numbers.contains(measure) {
            let number = |c: Cell| {
                view.series_for(&ids.keys[c.series as usize])
                    .and_then(|s| s.get(c.period))
                    .and_then(|v| v.number)
            };
            out.retain(|r| {
                number(r.total).is_some() && r.parts.iter().all(|&c| number(c).is_some())
            });
        }
        out
    };
    use rayon::prelude::*;
    let made: Vec<Vec<Relation>> = additive.par_iter().map(per_measure).collect();
    ids.list = made.into_iter().flatten().collect();
    ids
}

/// How far a total may be from the sum of its parts and still be taken as
/// that sum: published figures are rounded (the English national FTE is the
/// sum of the councils' to within 0.3), and a reader who gets a hidden value
/// to within a unit has got it. At most one, and at most 1 % of the total:
/// small figures (half an FTE beside one) are not sums of one another by
/// being within one of each other.
fn sum_slack(total: f64) -> f64 {
    (0.01 * total.abs())
        .min(1.0)
        .max(1e-6 * total.abs().max(1.0))
}

/// `T = the sum of every other top-level unit` for each unit `T` at the top
/// level and in no area (no parent; a reference figure counts) whose
/// numbers are that sum in every period where all of them have one, and
/// are more than zero in at least one. The parts are the other top-level
/// units that are not references (area totals are sums themselves).
///
/// Such a figure is published data the hierarchy does not declare, such as
/// a country's figure beside all its councils: minus the published
/// councils, it gives the one that is not published.
fn whole_totals<'v>(
    view: &'v Dataset,
    measure: &str,
    area_members: &BTreeMap<String, Vec<String>>,
    find: &impl Fn(&str, &str) -> Option<(u32, &'v Series)>,
    out: &mut Vec<Relation>,
) {
    // Each unit with its series' number and the series.
    let top: Vec<(&String, u32, &Series)> = view
        .units
        .units
        .values()
        .filter(|u| {
            u.parent
                .as_ref()
                .is_none_or(|p| view.units.get(p).is_none())
        })
        .filter(|u| !area_members.contains_key(&u.id))
        .filter_map(|u| find(measure, &u.id).map(|(id, s)| (&u.id, id, s)))
        .collect();
    let is_part = |id: &str| !view.units.is_reference(id);
    if top.iter().filter(|(id, _, _)| is_part(id)).count() < 2 {
        return;
    }
    let periods: std::collections::BTreeSet<Period> = top
        .iter()
        .flat_map(|(_, _, s)| s.points.keys().copied())
        .collect();
    // Per period: the sum of the parts' numbers, and whether all have one.
    let sums: BTreeMap<Period, (f64, bool)> = periods
        .iter()
        .map(|&p| {
            let mut sum = 0.0;
            let mut complete = true;
            for (_, _, s) in top.iter().filter(|(id, _, _)| is_part(id)) {
                match s.get(p).and_then(|v| v.number) {
                    Some(n) => sum += n,
                    None => complete = false,
                }
            }
            (p, (sum, complete))
        })
        .collect();
    // A figure for the whole stands outside the areas, or alone in an area
    // of its own (a "comparison" area holding only Riket); units of an area
    // whose numbers happen to add up (zeros do) are no such figure.
    let mut area_sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for area in view.units.units.values().filter_map(|u| u.area.as_deref()) {
        *area_sizes.entry(area).or_default() += 1;
    }
    let alone_in_its_area = |area: &str| area_sizes.get(area) == Some(&1);
    let candidates = top.iter().filter(|(id, _, _)| {
        view.units
            .get(id)
            .is_some_and(|u| u.area.as_deref().is_none_or(alone_in_its_area))
    });
    for &(total, total_id, series) in candidates {
        let mut above_zero = false;
        // Per period: whether the figure is the sum of the others there
        // (a period where some part is unknown cannot say otherwise).
        let holds: BTreeMap<Period, bool> = series
            .points
            .iter()
            .map(|(p, obs)| {
                let (sum, complete) = sums[p];
                let own = if is_part(total) {
                    obs.value.number
                } else {
                    Some(0.0)
                };
                let holds = match (obs.value.number, own) {
                    (Some(t), Some(o)) if complete => {
                        above_zero |= t > 0.0;
                        (t - (sum - o)).abs() <= sum_slack(t)
                    }
                    _ => true,
                };
                (*p, holds)
            })
            .collect();
        if !above_zero || !is_whole_figure(&holds) {
            continue;
        }
        // Every other part, with a value in the period or not: one that
        // has none is an unknown of the sum, like a withheld one.
        let part_ids: Vec<u32> = top
            .iter()
            .filter(|(unit, _, _)| *unit != total && is_part(unit))
            .map(|&(_, id, _)| id)
            .collect();
        // With one other unit, "the sum of the others" is no sum.
        if part_ids.len() < 2 {
            continue;
        }
        for (&period, _) in holds.iter().filter(|(_, holds)| **holds) {
            out.push(Relation {
                kind: RelationKind::Whole,
                total: Cell {
                    series: total_id,
                    period,
                },
                parts: part_ids
                    .iter()
                    .map(|&series| Cell { series, period })
                    .collect(),
            });
        }
    }
}

/// Whether a unit whose figure is the sum of the others in the periods
/// `holds` marks is a figure of the whole: in every period, or in at least
/// three quarters of them and three periods at least (a late correction of
/// one quarter's national figure leaves the other 39 a sum a reader can
/// use). The sum in one period of two is a coincidence.
fn is_whole_figure(holds: &BTreeMap<Period, bool>) -> bool {
    let sums = holds.values().filter(|h| **h).count();
    sums == holds.len() || (sums >= 3 && 4 * sums >= 3 * holds.len())
}

/// `total = the sum of parts` in every period of the total, over the parts
/// with a value in that period.
fn per_period(
    out: &mut Vec<Relation>,
    kind: RelationKind,
    (total_id, total_series): (u32, &Series),
    parts: &[(u32, &Series)],
) {
    for (&period, obs) in &total_series.points {
        let parts: Vec<(Cell, Option<f64>)> = parts
            .iter()
            .filter_map(|&(series, s)| s.get(period).map(|v| (Cell { series, period }, v.number)))
            .collect();
        let total = Cell {
            series: total_id,
            period,
        };
        push_if_consistent(out, kind, total, obs.value.number, parts);
    }
}

fn push_if_consistent(
    out: &mut Vec<Relation>,
    kind: RelationKind,
    total: Cell,
    total_number: Option<f64>,
    parts: Vec<(Cell, Option<f64>)>,
) {
    if parts.is_empty() {
        return;
    }
    // A total that is its parts' sum only to within rounding (or a case
    // registered at the parent) still gives a hidden part back to within a
    // unit: it is taken for that sum, as a figure of the whole is. Further
    // off, it counts things of its own and is no sum a reader can use.
    let sum: Option<f64> = parts.iter().map(|(_, n)| *n).sum();
    if let (Some(t), Some(s)) = (total_number, sum)
        && (t - s).abs() > sum_slack(t)
    {
        return;
    }
    out.push(Relation {
        kind,
        total,
        parts: parts.into_iter().map(|(c, _)| c).collect(),
    });
}
