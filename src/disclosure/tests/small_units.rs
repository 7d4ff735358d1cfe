//! Units judged on their staffing, per period.

use super::*;

#[test]
fn a_unit_is_judged_on_the_staffing_a_ratio_divides_by_not_the_sum() {
    // 1 case-holding FTE + 2 agency FTE = 3.0, but cases per FTE would be
    // one caseworker's caseload.
    let mut d = dataset(&[("u", None, None)]);
    put(&mut d, "cases", "u", None, q(1), 30.0);
    put(&mut d, "staff", "u", None, q(1), 1.0);
    put(&mut d, "agency", "u", None, q(1), 2.0);
    let out = run(&d, true);
    assert_eq!(number(&out, "per_fte", "u", q(1)), None);
    assert_eq!(number(&out, "cases", "u", q(1)), None);
    assert!(out.folded.contains_key("u"));
}

#[test]
fn a_unit_is_judged_per_period_not_only_on_the_latest() {
    let mut d = dataset(&[("u", None, None)]);
    for n in 1..=4 {
        put(&mut d, "cases", "u", None, q(n), 30.0);
        put(
            &mut d,
            "staff",
            "u",
            None,
            q(n),
            if n < 4 { 1.0 } else { 5.0 },
        );
    }
    let out = run(&d, true);
    assert!(!out.folded.contains_key("u"), "published today");
    for n in 1..=3 {
        assert_eq!(
            view_value(&out, "per_fte", "u", q(n)).status,
            Status::Withheld(Withheld::SmallUnit),
            "one-person quarter {n}"
        );
        assert_eq!(number(&out, "cases", "u", q(n)), None);
    }
    assert_eq!(number(&out, "per_fte", "u", q(4)), Some(6.0));
}

/// A yearly figure of a unit staffed by quarter: a year with a quarter of
/// one caseworker is withheld like that quarter; a year of a unit with
/// enough staff in every quarter is not.
#[test]
fn a_yearly_figure_of_a_year_with_a_small_quarter_is_withheld() {
    let mut d = dataset(&[("u", None, None)]);
    for (year, staff) in [(2023, 1.0), (2024, 5.0)] {
        for n in 1..=4 {
            put(&mut d, "cases", "u", None, Period::quarter(year, n), 30.0);
            put(&mut d, "staff", "u", None, Period::quarter(year, n), staff);
        }
        put(
            &mut d,
            "cases",
            "u",
            Some("new_in_year"),
            Period::Year(year),
            12.0,
        );
    }
    let out = run(&d, true);
    assert!(!out.folded.contains_key("u"), "published today");
    let year = |y| group_value(&out, "cases", "u", "new_in_year", Period::Year(y));
    assert_eq!(year(2023).status, Status::Withheld(Withheld::SmallUnit));
    assert_eq!(year(2024).number, Some(12.0));
}

#[test]
fn a_ratio_on_a_small_denominator_is_withheld_even_in_a_group() {
    let mut d = dataset(&[("u", None, None)]);
    put(&mut d, "cases", "u", None, q(1), 40.0);
    put(&mut d, "staff", "u", None, q(1), 10.0);
    put(&mut d, "cases", "u", Some("night"), q(1), 12.0);
    put(&mut d, "staff", "u", Some("night"), q(1), 1.0);
    let out = run(&d, true);
    assert_eq!(
        group_value(&out, "per_fte", "u", "night", q(1)).status,
        Status::Withheld(Withheld::Ratio)
    );
    assert_eq!(number(&out, "per_fte", "u", q(1)), Some(4.0));
}

/// Days are not summed by insyn, but data may carry sums of them: a
/// region's days of absence beside its authorities'. Minus the published
/// authorities', they gave back those of the one-person authority (the
/// Isles of Scilly in the DfE file). A median of days that is no sum of
/// its units' hides nothing more.
#[test]
fn days_that_the_data_sums_protect_a_small_units_days() {
    let run_days = |region_days: f64| {
        let mut d = dataset(&[
            ("region", None, None),
            ("a", None, Some("region")),
            ("b", None, Some("region")),
            ("tiny", None, Some("region")),
        ]);
        d.measures.measures.insert(
            "days".into(),
            measure("days", MeasureUnit::Days, Role::Indicator, None),
        );
        for (unit, staff, days) in [
            ("region", 61.0, region_days),
            ("a", 40.0, 300.0),
            ("b", 20.0, 120.0),
            ("tiny", 1.0, 7.0),
        ] {
            put(&mut d, "staff", unit, None, q(1), staff);
            put(&mut d, "days", unit, None, q(1), days);
        }
        run(&d, true)
    };
    let summed = run_days(427.0);
    assert_eq!(
        view_value(&summed, "days", "tiny", q(1)).status,
        Status::Withheld(Withheld::SmallUnit)
    );
    let shown = ["region", "a", "b"]
        .into_iter()
        .filter(|u| number(&summed, "days", u, q(1)).is_some())
        .count();
    assert!(shown < 3, "427 − 300 − 120 would give the 7 days back");
    // 14 days is no sum of 300, 120 and 7: nothing to protect there.
    let median = run_days(14.0);
    for unit in ["region", "a", "b"] {
        assert!(number(&median, "days", unit, q(1)).is_some(), "{unit}");
    }
}
