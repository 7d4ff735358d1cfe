//! Rates that come with the data: a percentage the source computed from a
//! count insyn hides gives the count back (3.1 % of 4 + 126 is 4).

use super::*;

/// Agency workers, staff in post, and the source's agency rate (agency over
/// agency and staff, per cent, one decimal), for ten units in one quarter;
/// unit `u0` has 4 agency workers.
fn with_agency_rate() -> Dataset {
    let mut d = dataset(&[]);
    for (id, unit) in [
        ("agency_n", MeasureUnit::Count),
        ("inpost", MeasureUnit::Count),
        ("agency_rate", MeasureUnit::Percent),
    ] {
        d.measures
            .measures
            .insert(id.into(), measure(id, unit, Role::Indicator, None));
    }
    for i in 0..10 {
        let unit = format!("u{i}");
        d.units.units.insert(
            unit.clone(),
            Unit {
                id: unit.clone(),
                name: unit.clone(),
                area: None,
                parent: None,
            },
        );
        let (agency, inpost) = (4.0 + 3.0 * f64::from(i), 126.0 + f64::from(i));
        let rate = (1000.0 * agency / (agency + inpost)).round() / 10.0;
        put(&mut d, "agency_n", &unit, None, q(1), agency);
        put(&mut d, "inpost", &unit, None, q(1), inpost);
        put(&mut d, "agency_rate", &unit, None, q(1), rate);
        put(&mut d, "staff", &unit, None, q(1), 50.0);
    }
    d
}

#[test]
fn a_rate_of_the_source_is_recognised_by_its_numbers() {
    let d = with_agency_rate();
    assert_eq!(
        crate::disclosure::rates::made_of_others(&d).rates,
        [crate::disclosure::rates::MadeOf {
            measure: "agency_rate".into(),
            from: vec!["agency_n".into(), "inpost".into()],
        }]
    );
    // The same percentages put to other units are no rate of theirs.
    let mut shuffled = d.clone();
    for i in 0..10 {
        let from = format!("u{}", (i + 3) % 10);
        let rate = *d.value("agency_rate", &from, q(1)).unwrap();
        put(
            &mut shuffled,
            "agency_rate",
            &format!("u{i}"),
            None,
            q(1),
            rate.number.unwrap(),
        );
    }
    assert!(
        crate::disclosure::rates::made_of_others(&shuffled)
            .rates
            .is_empty()
    );
}

#[test]
fn a_rate_of_the_source_is_hidden_where_a_figure_it_is_made_of_is() {
    let d = with_agency_rate();
    // Unit u0's 4 agency workers are a small count: the rate, 3.1 % of
    // 4 + 126, would give them back.
    let out = run(&d, true);
    assert_eq!(
        view_value(&out, "agency_n", "u0", q(1)).status,
        Status::Withheld(Withheld::SmallCount)
    );
    assert_eq!(
        view_value(&out, "agency_rate", "u0", q(1)).status,
        Status::Withheld(Withheld::Ratio)
    );
    // Where nothing is hidden, the rate is shown.
    assert!(number(&out, "agency_rate", "u5", q(1)).is_some());
}

/// 4 agency FTE beside agency workers shown as `<5` say there are 4: the
/// FTE of the people a count counts is recognised by its numbers (never
/// more than the count, at least half of it) and hidden with it. Staff
/// FTE beside the same count is not theirs.
#[test]
fn the_fte_of_a_hidden_count_is_hidden_with_it() {
    let mut d = with_agency_rate();
    d.measures.measures.insert(
        "agency_fte".into(),
        measure("agency_fte", MeasureUnit::Fte, Role::Indicator, None),
    );
    for i in 0..10 {
        let unit = format!("u{i}");
        let count = d.value("agency_n", &unit, q(1)).unwrap().number.unwrap();
        put(
            &mut d,
            "agency_fte",
            &unit,
            None,
            q(1),
            (count * 0.9 * 10.0).round() / 10.0,
        );
    }
    let made = crate::disclosure::rates::made_of_others(&d).ftes;
    assert_eq!(made.len(), 1, "{made:?}");
    assert_eq!(made[0].measure, "agency_fte");
    assert_eq!(made[0].from, ["agency_n"]);
    let out = run(&d, true);
    assert_eq!(
        view_value(&out, "agency_fte", "u0", q(1)).status,
        Status::Withheld(Withheld::Protects)
    );
    assert!(number(&out, "agency_fte", "u5", q(1)).is_some());
    assert!(number(&out, "staff", "u0", q(1)).is_some());
    assert!(out.findings.is_empty(), "{:?}", out.findings);
}

/// A count hidden to protect another is given back roughly by its FTE (19
/// FTE are 19 to 38 workers, so the region's 93 minus 30 and 40 leaves the
/// small count 1 to 4, and exactly 3 to a reader who takes FTE for people):
/// the FTE is hidden with it, and protected in its own sums in turn. The
/// FTE sum on its own would have hidden another unit's FTE (u2's 15, the
/// smallest) and left u1's shown.
#[test]
fn the_fte_of_a_count_hidden_to_protect_another_is_hidden_too() {
    let mut d = dataset(&[
        ("region", None, None),
        ("u0", None, Some("region")),
        ("u1", None, Some("region")),
        ("u2", None, Some("region")),
        ("u3", None, Some("region")),
    ]);
    for (id, unit) in [
        ("agency_n", MeasureUnit::Count),
        ("agency_fte", MeasureUnit::Fte),
    ] {
        d.measures
            .measures
            .insert(id.into(), measure(id, unit, Role::Indicator, None));
    }
    for quarter in [q(1), q(2)] {
        for (unit, count, fte) in [
            ("region", 93.0, 70.7),
            ("u0", 3.0, 2.7),
            ("u1", 20.0, 19.0),
            ("u2", 30.0, 15.0),
            ("u3", 40.0, 34.0),
        ] {
            put(&mut d, "agency_n", unit, None, quarter, count);
            put(&mut d, "agency_fte", unit, None, quarter, fte);
            put(&mut d, "staff", unit, None, quarter, 50.0);
        }
    }
    let out = run(&d, true);
    assert!(out.findings.is_empty(), "{:?}", out.findings);
    for unit in ["u0", "u1", "u2", "u3"] {
        let count = view_value(&out, "agency_n", unit, q(1));
        let fte = view_value(&out, "agency_fte", unit, q(1));
        if count.number.is_none() {
            assert!(
                fte.number.is_none(),
                "{unit}: the FTE of a hidden count is shown"
            );
        }
    }
    assert_eq!(
        view_value(&out, "agency_n", "u1", q(1)).status,
        Status::Withheld(Withheld::Protects),
        "the smallest other count protects u0's"
    );
}
