//! Random sites: whatever their shape, nothing withheld can be worked out.

use proptest::prelude::*;

use super::*;

/// A random site: areas, parents, units and groups, small counts and
/// small staffing everywhere.
#[derive(Debug, Clone)]
struct RandomSite {
    /// (area index, parent index among earlier units)
    units: Vec<(usize, Option<usize>)>,
    /// Per unit and period: cases per group (one entry: no groups), staff.
    values: Vec<Vec<(Vec<u32>, f64)>>,
    /// A unit for the whole site beside the others, in no area and no
    /// hierarchy, holding the sum of every unit (a county's figure beside
    /// its municipalities); a reference figure or not.
    whole: Option<bool>,
}

fn random_site() -> impl Strategy<Value = RandomSite> {
    (2usize..9, 1usize..4).prop_flat_map(|(n, periods)| {
        let units = proptest::collection::vec((0usize..3, proptest::option::of(0usize..8)), n);
        let cell = (
            proptest::collection::vec(0u32..14, 1..4),
            prop_oneof![
                Just(0.5),
                Just(1.0),
                Just(2.0),
                Just(3.0),
                Just(6.0),
                Just(12.0)
            ],
        );
        let values = proptest::collection::vec(proptest::collection::vec(cell, periods), n);
        let whole = proptest::option::of(proptest::bool::ANY);
        (units, values, whole).prop_map(|(units, values, whole)| RandomSite {
            units: units
                .into_iter()
                .enumerate()
                .map(|(i, (area, parent))| (area, parent.filter(|p| *p < i)))
                .collect(),
            values,
            whole,
        })
    })
}

/// Adds `n` to a value (starting from zero).
fn add(d: &mut Dataset, measure: &str, unit: &str, p: Period, n: f64) {
    let now = d
        .series(measure, unit)
        .and_then(|s| s.get(p))
        .and_then(|v| v.number)
        .unwrap_or(0.0);
    put(d, measure, unit, None, p, now + n);
}

fn build_random(site: &RandomSite) -> Dataset {
    let names: Vec<String> = (0..site.units.len()).map(|i| format!("u{i}")).collect();
    let areas = ["a0", "a1", "a2"];
    let defs: Vec<(&str, Option<&str>, Option<&str>)> = site
        .units
        .iter()
        .enumerate()
        .map(|(i, (area, parent))| {
            (
                names[i].as_str(),
                Some(areas[*area]),
                parent.map(|p| names[p].as_str()),
            )
        })
        .collect();
    let mut d = dataset(&defs);
    if let Some(reference) = site.whole {
        d.units.units.insert(
            "all".into(),
            Unit {
                id: "all".into(),
                name: "all".into(),
                area: None,
                parent: None,
            },
        );
        if reference {
            d.units
                .references
                .insert("all".into(), crate::data::Reference { note: None });
        }
    }
    let is_parent = |i: usize| site.units.iter().any(|(_, p)| *p == Some(i));
    for (i, per_period) in site.values.iter().enumerate() {
        // Parents are sums of their children, as in most real data.
        if is_parent(i) {
            continue;
        }
        for (k, (groups, staff)) in per_period.iter().enumerate() {
            let p = q(k as u8 + 1);
            let total: u32 = groups.iter().sum();
            put(&mut d, "cases", &names[i], None, p, total as f64);
            put(&mut d, "staff", &names[i], None, p, *staff);
            if site.whole.is_some() {
                add(&mut d, "cases", "all", p, total as f64);
                add(&mut d, "staff", "all", p, *staff);
            }
            if groups.len() > 1 {
                for (g, n) in groups.iter().enumerate() {
                    put(
                        &mut d,
                        "cases",
                        &names[i],
                        Some(&format!("g{g}")),
                        p,
                        *n as f64,
                    );
                }
            }
        }
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn nothing_withheld_can_be_worked_out_from_any_random_site(site in random_site()) {
        let d = build_random(&site);
        let (out, relations) = run_with_relations(&d, true);
        prop_assert!(out.findings.is_empty(), "{:?}", out.findings);
        prop_assert!(audit(&out.view, &relations, 5, |_, _| None).is_empty());
        // A figure for the whole is known as the sum it is.
        let top = site.units.iter().filter(|(_, p)| p.is_none()).count();
        let cases = site.values.iter().flatten().any(|(g, _)| g.iter().sum::<u32>() > 0);
        if site.whole.is_some() && top >= 2 && cases {
            prop_assert!(relations
                .list
                .iter()
                .any(|r| r.kind == RelationKind::Whole && relations.series(r.total).unit == "all"));
        }
        // No small count is published anywhere.
        for (key, series) in &out.view.series {
            if key.measure != "cases" {
                continue;
            }
            for v in series.points.values() {
                prop_assert!(!v.value.number.is_some_and(|n| n > 0.0 && n < 5.0), "{key:?}");
            }
        }
    }
}
