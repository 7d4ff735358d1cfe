//! Roll-ups along the unit hierarchy (§3.2): a unit that is some unit's
//! `parent` and has no data of its own for a measure gets the sum of its
//! children, so that a small unit folded into its parent is really counted
//! there.
//!
//! Only additive measures are summed (counts, FTE, workload points); shares,
//! days and ratios are not (ratios are recomputed from the summed parts).

use std::collections::{BTreeMap, BTreeSet};

use crate::data::dataset::{Dataset, Observation, Series, SeriesKey};
use crate::data::model::MeasureUnit;
use crate::data::privacy::is_small_count;
use crate::data::value::{Status, Value};

/// Adds roll-up series to every parent unit, bottom-up. `folded` are the
/// units never published on their own: where one of them holds a small
/// count, the parent's sum for that period is suppressed too, since the
/// published siblings would otherwise give the small count away by
/// subtraction.
///
/// `groups` adds totals that are not in the hierarchy, such as one per area:
/// total id → the units it sums.
pub fn roll_up(
    data: &mut Dataset,
    folded: &BTreeSet<String>,
    suppress_below: u32,
    groups: &BTreeMap<String, Vec<String>>,
) {
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
    let additive: Vec<(String, MeasureUnit)> = data
        .measures
        .measures
        .values()
        .filter(|m| {
            !m.is_derived()
                && matches!(
                    m.unit,
                    MeasureUnit::Count | MeasureUnit::Fte | MeasureUnit::Points
                )
        })
        .map(|m| (m.id.clone(), m.unit))
        .collect();
    for parent in bottom_up(&children) {
        let kids = &children[&parent];
        for (measure, unit) in &additive {
            let own = SeriesKey::total(measure, &parent);
            if data.series.contains_key(&own) {
                continue;
            }
            let parts: Vec<(&String, &Series)> = kids
                .iter()
                .filter_map(|k| {
                    data.series
                        .get(&SeriesKey::total(measure, k))
                        .map(|s| (k, s))
                })
                .collect();
            if parts.is_empty() {
                continue;
            }
            let periods: BTreeSet<_> = parts
                .iter()
                .flat_map(|(_, s)| s.points.keys().copied())
                .collect();
            let mut sum = Series::default();
            for period in periods {
                let mut total = 0.0;
                let mut status = Status::Final;
                let mut complete = true;
                let mut discloses = false;
                for (kid, s) in &parts {
                    match s.get(period) {
                        Some(Value {
                            number: Some(n),
                            status: st,
                        }) => {
                            total += n;
                            status = weaker(status, *st);
                            if unit.is_count()
                                && folded.contains(*kid)
                                && is_small_count(*n, suppress_below)
                            {
                                discloses = true;
                            }
                        }
                        _ => complete = false,
                    }
                }
                // A sum with a part missing would understate: leave it out.
                let value = if discloses {
                    Value::symbol(Status::Suppressed)
                } else if complete {
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
    crate::data::derived::compute_derived(&data.measures, &mut data.series);
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

fn children_of(data: &Dataset) -> BTreeMap<String, Vec<String>> {
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
    fn parents_get_complete_sums_and_small_folded_counts_stay_hidden() {
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
        let folded: BTreeSet<String> = ["tiny".to_string()].into();
        roll_up(&mut d, &folded, 5, &BTreeMap::new());
        let all = d.series("cases", "all").unwrap();
        assert_eq!(all.get(q1), Some(&Value::final_(36.0)));
        assert_eq!(
            all.get(q2),
            Some(&Value::symbol(Status::Suppressed)),
            "3 in the folded unit"
        );
        assert_eq!(
            all.get(q3),
            Some(&Value::symbol(Status::NotAvailable)),
            "a is missing"
        );
        assert!(d.series("share", "all").is_none(), "shares are not summed");
    }
}
