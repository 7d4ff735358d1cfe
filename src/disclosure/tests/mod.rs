//! Disclosure control tried as a reader with a calculator would: every
//! case here was a number that a site built from realistic data gave away.
//!
//! The helpers that build a dataset are here; the cases are by what a
//! reader uses: `sums` (totals, groups, ranges, earlier editions),
//! `small_units` (staffing) and `random` (random sites and the audit).

mod random;
mod rates;
mod small_units;
mod sums;

use std::collections::BTreeMap;

use super::*;
use crate::data::{Area, Measure, MeasureKind, Observation, Role, Unit, Units, model::Measures};

fn measure(id: &str, unit: MeasureUnit, role: Role, ratio: Option<(&str, &str)>) -> Measure {
    Measure {
        id: id.into(),
        label: id.into(),
        unit,
        kind: MeasureKind::Stock,
        role,
        columns: vec![],
        definition: None,
        source: None,
        limitations: vec![],
        breaks: vec![],
        ratio: ratio.map(|(a, b)| (a.into(), b.into())),
    }
}

fn measures() -> Measures {
    let mut m = Measures::default();
    for x in [
        measure("cases", MeasureUnit::Count, Role::Caseload, None),
        measure("staff", MeasureUnit::Fte, Role::Staffing, None),
        measure("agency", MeasureUnit::Fte, Role::Staffing, None),
        measure(
            "per_fte",
            MeasureUnit::Ratio,
            Role::Workload,
            Some(("cases", "staff")),
        ),
    ] {
        m.measures.insert(x.id.clone(), x);
    }
    m
}

/// (id, area, parent)
fn dataset(units: &[(&str, Option<&str>, Option<&str>)]) -> Dataset {
    let mut u = Units::default();
    for (id, area, parent) in units {
        u.units.insert(
            id.to_string(),
            Unit {
                id: id.to_string(),
                name: id.to_string(),
                area: area.map(Into::into),
                parent: parent.map(Into::into),
            },
        );
        if let Some(a) = area {
            u.areas.insert(
                a.to_string(),
                Area {
                    id: a.to_string(),
                    name: (*a).into(),
                },
            );
        }
    }
    Dataset {
        units: u,
        measures: measures(),
        series: BTreeMap::new(),
    }
}

fn q(n: u8) -> Period {
    Period::quarter(2024, n)
}

fn put(d: &mut Dataset, measure: &str, unit: &str, group: Option<&str>, p: Period, n: f64) {
    d.series
        .entry(SeriesKey {
            measure: measure.into(),
            unit: unit.into(),
            group: group.map(Into::into),
        })
        .or_default()
        .points
        .insert(
            p,
            Observation {
                value: Value::final_(n),
                origin: None,
            },
        );
}

fn rules(secondary: bool) -> Rules {
    Rules {
        suppress_below: 5,
        min_unit_fte: 3.0,
        secondary,
    }
}

fn run(d: &Dataset, secondary: bool) -> Disclosure {
    run_with_relations(d, secondary).0
}

fn run_with_relations(d: &Dataset, secondary: bool) -> (Disclosure, Relations) {
    // As `data::load` does: derived measures are computed on reading.
    let mut d = d.clone();
    crate::data::derived::compute_derived(&d.measures.clone(), &mut d.series);
    disclose_with_relations(d, rules(secondary), Lang::En, Some("staff"), &[], None)
}

/// The units `relations` takes for a figure of the whole.
fn wholes(d: &Dataset) -> Vec<String> {
    let relations = relations::relations(d, &BTreeMap::new());
    relations
        .list
        .iter()
        .filter(|r| r.kind == RelationKind::Whole)
        .map(|r| relations.series(r.total).unit.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn view_value(d: &Disclosure, measure: &str, unit: &str, p: Period) -> Value {
    *d.view.value(measure, unit, p).expect("a value")
}

fn number(d: &Disclosure, measure: &str, unit: &str, p: Period) -> Option<f64> {
    view_value(d, measure, unit, p).number
}

/// The value of `unit`'s `group` of `measure` in the view.
fn group_value(d: &Disclosure, measure: &str, unit: &str, group: &str, p: Period) -> Value {
    let key = SeriesKey {
        measure: measure.into(),
        unit: unit.into(),
        group: Some(group.into()),
    };
    *d.view.series_for(&key).unwrap().get(p).unwrap()
}

#[test]
fn the_data_as_read_is_not_changed() {
    let mut d = dataset(&[("big", Some("a"), None), ("tiny", Some("a"), None)]);
    put(&mut d, "cases", "big", None, q(1), 100.0);
    put(&mut d, "cases", "tiny", None, q(1), 2.0);
    let before = d.series.clone();
    let _ = disclose(d.clone(), rules(true), Lang::En, Some("staff"), &[], None);
    assert_eq!(d.series, before);
}

/// What the view withholds is kept, number by number, for the check of
/// figures typed into a page: the small count, the count hidden to protect
/// it, and the ratio on the small count (its number read before the ratios
/// were computed again without it). A published number is not among them.
#[test]
fn the_numbers_withheld_are_kept_for_the_typed_figure_check() {
    let mut d = dataset(&[
        ("big", Some("a"), None),
        ("mid", Some("a"), None),
        ("tiny", Some("a"), None),
    ]);
    put(&mut d, "cases", "big", None, q(1), 100.0);
    put(&mut d, "cases", "mid", None, q(1), 49.0);
    put(&mut d, "cases", "tiny", None, q(1), 3.0);
    for unit in ["big", "mid", "tiny"] {
        put(&mut d, "staff", unit, None, q(1), 8.0);
    }
    let out = run(&d, true);
    let figures = &out.withheld_figures;
    let tiny = figures.matching("cases", "3").expect("the small count");
    assert_eq!((tiny.unit.as_str(), tiny.period), ("tiny", q(1)));
    assert_eq!(number(&out, "cases", "mid", q(1)), None);
    assert_eq!(figures.matching("cases", "49").unwrap().unit, "mid");
    // 3 / 8 = 0.375, as a page would round it.
    assert_eq!(figures.matching("per_fte", "0,38").unwrap().unit, "tiny");
    assert!(figures.matching("cases", "100").is_none());
    assert!(figures.matching("staff", "8").is_none());
}
