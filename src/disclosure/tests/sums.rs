//! Sums a reader subtracts: totals, areas, groups, the ranges of small
//! counts, and what an earlier edition showed.

use super::*;

#[test]
fn a_unit_is_the_whole_only_where_its_numbers_are_always_the_sum() {
    let mut d = dataset(&[
        ("a", None, None),
        ("b", None, None),
        ("c", None, None),
        ("all", None, None),
    ]);
    for (k, [a, b, c]) in [(1, [10.0, 20.0, 30.0]), (2, [11.0, 21.0, 31.0])] {
        for (u, n) in [("a", a), ("b", b), ("c", c), ("all", a + b + c)] {
            put(&mut d, "cases", u, None, q(k), n);
        }
    }
    assert_eq!(wholes(&d), ["all"]);
    // The sum in one quarter only is a coincidence, not a figure of the whole.
    put(&mut d, "cases", "all", None, q(2), 70.0);
    assert!(wholes(&d).is_empty());
    // A rounded sum still gives a hidden part away to within rounding.
    put(&mut d, "cases", "all", None, q(2), 63.4);
    assert_eq!(wholes(&d), ["all"]);
    // Units of an area are never taken for a whole, even where they add up.
    let mut d = dataset(&[
        ("a", Some("x"), None),
        ("b", Some("x"), None),
        ("c", Some("x"), None),
    ]);
    for (u, n) in [("a", 5.0), ("b", 2.0), ("c", 3.0)] {
        put(&mut d, "cases", u, None, q(1), n);
    }
    assert!(wholes(&d).is_empty());
}

/// A figure of the whole put alone in an area of its own (a comparison
/// area holding only Riket) is still the whole: minus the published units
/// it gives back the one that is not.
#[test]
fn a_whole_alone_in_an_area_of_its_own_is_still_the_whole() {
    let d = units_and_riket(Some("jamforelse"), 3);
    assert_eq!(wholes(&d), ["riket"]);
}

/// Units `a` and `b` (area `x`) and `c` (area `y`), and `riket` (in
/// `riket_area`) their sum, in the first `quarters` quarters.
fn units_and_riket(riket_area: Option<&str>, quarters: u8) -> Dataset {
    let mut d = dataset(&[
        ("a", Some("x"), None),
        ("b", Some("x"), None),
        ("c", Some("y"), None),
        ("riket", riket_area, None),
    ]);
    for k in 1..=quarters {
        let n = f64::from(k);
        for (u, v) in [("a", 10.0 + n), ("b", 20.0 + n), ("c", 30.0 + n)] {
            put(&mut d, "cases", u, None, q(k), v);
        }
        put(&mut d, "cases", "riket", None, q(k), 60.0 + 3.0 * n);
    }
    d
}

/// A figure of the whole whose sum a late correction broke in one quarter
/// of many is still the whole, in the quarters where it is the sum.
#[test]
fn a_whole_off_in_one_quarter_is_still_the_whole() {
    let mut d = units_and_riket(None, 4);
    assert_eq!(wholes(&d), ["riket"]);
    // Corrected in one quarter of four: the other three are still a sum.
    put(&mut d, "cases", "riket", None, q(2), 90.0);
    assert_eq!(wholes(&d), ["riket"]);
    let relations = relations::relations(&d, &BTreeMap::new());
    let periods: Vec<Period> = relations
        .list
        .iter()
        .filter(|r| r.kind == relations::RelationKind::Whole)
        .map(|r| r.total.period)
        .collect();
    assert_eq!(periods, [q(1), q(3), q(4)]);
    // Off in two of four, it is a figure of its own.
    put(&mut d, "cases", "riket", None, q(3), 90.0);
    assert!(wholes(&d).is_empty());
    // (Units of an area are never the whole: see the test above.)
}

#[test]
fn an_area_total_minus_the_other_unit_does_not_give_a_small_unit_away() {
    let mut d = dataset(&[("big", Some("a"), None), ("tiny", Some("a"), None)]);
    put(&mut d, "cases", "big", None, q(1), 100.0);
    put(&mut d, "staff", "big", None, q(1), 20.0);
    put(&mut d, "cases", "tiny", None, q(1), 12.0);
    put(&mut d, "staff", "tiny", None, q(1), 1.0);
    let out = run(&d, true);
    assert!(out.folded.contains_key("tiny"));
    assert_eq!(number(&out, "cases", "tiny", q(1)), None);
    assert_eq!(number(&out, "staff", "tiny", q(1)), None);
    for m in ["cases", "staff"] {
        let total = number(&out, m, "a-total", q(1));
        let big = number(&out, m, "big", q(1));
        assert!(
            total.is_none() || big.is_none(),
            "{m}: {total:?} − {big:?} would give the small unit"
        );
    }
    assert!(out.findings.is_empty(), "{:?}", out.findings);
    // Without secondary suppression, the audit finds both.
    let open = run(&d, false);
    assert!(open.findings.len() >= 2, "{:?}", open.findings);
}

/// `all`, the parent of `a`, `b` and `c`: 3, 40 and 109 cases, 10 FTE each.
fn parent_of_three() -> Dataset {
    let mut d = dataset(&[
        ("all", None, None),
        ("a", None, Some("all")),
        ("b", None, Some("all")),
        ("c", None, Some("all")),
    ]);
    for (u, cases) in [("a", 3.0), ("b", 40.0), ("c", 109.0)] {
        put(&mut d, "cases", u, None, q(1), cases);
        put(&mut d, "staff", u, None, q(1), 10.0);
    }
    d
}

#[test]
fn a_parent_minus_its_parts_does_not_give_a_small_count_away() {
    let d = parent_of_three();
    let out = run(&d, true);
    assert_eq!(
        view_value(&out, "cases", "a", q(1)).status,
        Status::Withheld(Withheld::SmallCount)
    );
    assert_eq!(number(&out, "cases", "all", q(1)), Some(152.0));
    assert_eq!(
        view_value(&out, "cases", "b", q(1)).status,
        Status::Withheld(Withheld::Protects),
        "the smallest other part is hidden"
    );
    assert_eq!(number(&out, "cases", "c", q(1)), Some(109.0));
    assert_eq!(out.counts.secondary, 1);
    assert!(out.findings.is_empty());
    assert_eq!(
        view_value(&out, "per_fte", "b", q(1)).status,
        Status::Withheld(Withheld::Protects),
        "a ratio on a hidden value is hidden"
    );
    // 3 cases over 10 FTE is not under 5: the ratio reads `x`, never `<5`.
    assert_eq!(
        view_value(&out, "per_fte", "a", q(1)).status,
        Status::Withheld(Withheld::Ratio),
        "a ratio on a small count is a withheld ratio"
    );
    assert!(!run(&d, false).findings.is_empty());
}

/// A parent with figures of its own that are its units' sum to within a
/// unit (rounding, one case registered at the parent): 153 − 40 − 109 = 4
/// gives the hidden 3 to within one, as the whole-site rule already knew.
#[test]
fn a_parent_off_its_parts_by_rounding_is_still_their_sum() {
    let mut d = parent_of_three();
    put(&mut d, "cases", "all", None, q(1), 153.0);
    put(&mut d, "staff", "all", None, q(1), 30.4);
    let out = run(&d, true);
    assert_eq!(
        view_value(&out, "cases", "a", q(1)).status,
        Status::Withheld(Withheld::SmallCount)
    );
    assert_eq!(number(&out, "cases", "all", q(1)), Some(153.0));
    assert_eq!(
        view_value(&out, "cases", "b", q(1)).status,
        Status::Withheld(Withheld::Protects),
        "the parent is taken for the sum it nearly is"
    );
    assert!(out.findings.is_empty(), "{:?}", out.findings);
    // Off by more than a unit, it is a figure of its own.
    put(&mut d, "cases", "all", None, q(1), 160.0);
    let out = run(&d, true);
    assert_eq!(number(&out, "cases", "b", q(1)), Some(40.0));
}

/// `<5` tells a reader 1 to 4: two of them that add up to 8 are both 4,
/// and to 2 both 1, though no sum has a single unknown.
#[test]
fn small_counts_that_their_sum_leaves_one_value_are_protected() {
    for (a, b, pinned) in [(4.0, 4.0, true), (1.0, 1.0, true), (2.0, 3.0, false)] {
        let mut d = dataset(&[
            ("all", None, None),
            ("a", None, Some("all")),
            ("b", None, Some("all")),
            ("c", None, Some("all")),
        ]);
        for (u, cases) in [("a", a), ("b", b), ("c", 50.0)] {
            put(&mut d, "cases", u, None, q(1), cases);
            put(&mut d, "staff", u, None, q(1), 10.0);
        }
        let out = run(&d, true);
        for u in ["a", "b"] {
            assert_eq!(
                view_value(&out, "cases", u, q(1)).status,
                Status::Withheld(Withheld::SmallCount)
            );
        }
        assert!(out.findings.is_empty(), "{a} {b}: {:?}", out.findings);
        assert_eq!(
            number(&out, "cases", "all", q(1)),
            Some(50.0 + a + b),
            "{:?} {:?}",
            view_value(&out, "cases", "all", q(1)),
            view_value(&out, "cases", "c", q(1))
        );
        if pinned {
            assert_eq!(
                view_value(&out, "cases", "c", q(1)).status,
                Status::Withheld(Withheld::Protects),
                "{a} + {b}: the other part is hidden too"
            );
            let open = run(&d, false);
            assert_eq!(open.findings.len(), 2, "{:?}", open.findings);
            assert!(
                open.findings[0].how.contains("once `<5` is read as 1 to 4"),
                "{:?}",
                open.findings
            );
        } else {
            assert_eq!(number(&out, "cases", "c", q(1)), Some(50.0), "2 + 3: open");
            assert_eq!(out.counts.secondary, 0);
        }
    }
}

/// A late registration: the edition published a = 0, b = 15, c = 20 and
/// their total 35; a is now 3, a small count. Hiding b to protect it, as
/// one edition alone would, protects nothing: the archive still shows 15,
/// and 38 − 20 − 15 = 3. The total, which changed, is hidden instead.
#[test]
fn a_value_the_archive_still_shows_is_not_hidden_to_protect_another() {
    let units = [
        ("all", None, None),
        ("a", None, Some("all")),
        ("b", None, Some("all")),
        ("c", None, Some("all")),
    ];
    let site = |a: f64| {
        let mut d = dataset(&units);
        for (u, cases) in [("a", a), ("b", 15.0), ("c", 20.0)] {
            put(&mut d, "cases", u, None, q(1), cases);
            put(&mut d, "staff", u, None, q(1), 10.0);
        }
        crate::data::derived::compute_derived(&d.measures.clone(), &mut d.series);
        d
    };
    let edition = disclose(site(0.0), rules(true), Lang::En, Some("staff"), &[], None);
    assert_eq!(number(&edition, "cases", "all", q(1)), Some(35.0));
    let revised = [(SeriesKey::total("cases", "a"), q(1))];
    let (now, relations) = disclose_with_relations(
        site(3.0),
        rules(true),
        Lang::En,
        Some("staff"),
        &revised,
        Some(&edition.view),
    );
    assert_eq!(
        view_value(&now, "cases", "a", q(1)).status,
        Status::Withheld(Withheld::SmallCount)
    );
    assert_eq!(
        number(&now, "cases", "b", q(1)),
        Some(15.0),
        "b is known anyway"
    );
    assert_eq!(number(&now, "cases", "c", q(1)), Some(20.0));
    assert_eq!(
        view_value(&now, "cases", "all", q(1)).status,
        Status::Withheld(Withheld::Protects),
        "the total that changed is hidden"
    );
    assert!(now.findings.is_empty(), "{:?}", now.findings);

    // One edition alone hides b; the audit, told what the archive shows,
    // finds a.
    let (alone, _) = disclose_with_relations(
        site(3.0),
        rules(true),
        Lang::En,
        Some("staff"),
        &revised,
        None,
    );
    assert_eq!(
        view_value(&alone, "cases", "b", q(1)).status,
        Status::Withheld(Withheld::Protects)
    );
    let archive = |k: &SeriesKey, p: Period| {
        edition
            .view
            .series_for(k)
            .and_then(|s| s.get(p))
            .and_then(|v| v.number)
            .filter(|_| k.unit != "a" && k.unit != "all")
    };
    let findings = audit(&alone.view, &relations, 5, archive);
    assert!(
        findings
            .iter()
            .any(|f| f.cell == (SeriesKey::total("cases", "a"), q(1))),
        "{findings:?}"
    );
}

/// The same group across the hierarchy is a sum too: the parent's girls
/// minus the other unit's girls gave the small one back (23 − 20 = 3).
#[test]
fn a_parents_group_minus_its_units_group_does_not_give_a_small_count_away() {
    let mut d = dataset(&[
        ("all", None, None),
        ("a", None, Some("all")),
        ("b", None, Some("all")),
    ]);
    for (u, girls, boys) in [("a", 3.0, 40.0), ("b", 20.0, 30.0), ("all", 23.0, 70.0)] {
        put(&mut d, "cases", u, Some("girls"), q(1), girls);
        put(&mut d, "cases", u, Some("boys"), q(1), boys);
        if u != "all" {
            put(&mut d, "cases", u, None, q(1), girls + boys);
            put(&mut d, "staff", u, None, q(1), 10.0);
        }
    }
    let out = run(&d, true);
    let group = |u: &str, g: &str| group_value(&out, "cases", u, g, q(1));
    assert_eq!(
        group("a", "girls").status,
        Status::Withheld(Withheld::SmallCount)
    );
    assert!(
        group("all", "girls").number.is_none() || group("b", "girls").number.is_none(),
        "23 − 20 would give 3"
    );
    assert!(out.findings.is_empty(), "{:?}", out.findings);
}

#[test]
fn a_total_minus_one_group_does_not_give_the_other_group_away() {
    let mut d = dataset(&[("u", None, None)]);
    put(&mut d, "staff", "u", None, q(1), 10.0);
    put(&mut d, "cases", "u", None, q(1), 60.0);
    put(&mut d, "cases", "u", Some("girls"), q(1), 58.0);
    put(&mut d, "cases", "u", Some("boys"), q(1), 2.0);
    let out = run(&d, true);
    let girls = SeriesKey {
        measure: "cases".into(),
        unit: "u".into(),
        group: Some("girls".into()),
    };
    let total = number(&out, "cases", "u", q(1));
    let girls = out
        .view
        .series_for(&girls)
        .unwrap()
        .get(q(1))
        .unwrap()
        .number;
    assert!(total.is_none() || girls.is_none(), "60 − 58 = 2");
    assert!(out.findings.is_empty());
    assert!(!run(&d, false).findings.is_empty());
}

#[test]
fn groups_that_do_not_cover_the_total_are_no_sum() {
    // "Of which placed outside the home": 2 of 60, not a breakdown.
    let mut d = dataset(&[("u", None, None)]);
    put(&mut d, "staff", "u", None, q(1), 10.0);
    put(&mut d, "cases", "u", None, q(1), 60.0);
    put(&mut d, "cases", "u", Some("placed"), q(1), 2.0);
    let out = run(&d, true);
    assert_eq!(number(&out, "cases", "u", q(1)), Some(60.0));
    assert_eq!(out.counts.secondary, 0);
}

#[test]
fn the_audit_solves_sums_together_not_only_one_at_a_time() {
    // t1 = a + b, t2 = a + c, t3 = b + c: every sum has two unknowns, yet
    // a = (t1 + t2 − t3) / 2.
    let mut d = dataset(&[]);
    for (u, n) in [("t1", 10.0), ("t2", 12.0), ("t3", 14.0)] {
        put(&mut d, "cases", u, None, q(1), n);
    }
    for u in ["a", "b", "c"] {
        put(&mut d, "cases", u, None, q(1), 0.0);
        d.series
            .get_mut(&SeriesKey::total("cases", u))
            .unwrap()
            .points
            .get_mut(&q(1))
            .unwrap()
            .value = Value::symbol(Status::Withheld(Withheld::SmallCount));
    }
    let cell = |u: &str| (SeriesKey::total("cases", u), q(1));
    let sum = |t: &str, parts: [&str; 2]| {
        let parts = parts.iter().map(|p| cell(p)).collect();
        (RelationKind::Parent, cell(t), parts)
    };
    let relations = Relations::from_keys(vec![
        sum("t1", ["a", "b"]),
        sum("t2", ["a", "c"]),
        sum("t3", ["b", "c"]),
    ]);
    assert_eq!(audit(&d, &relations, 5, |_, _| None).len(), 3);
    assert!(
        audit(&d, &relations.first(2), 5, |_, _| None).is_empty(),
        "two sums, three unknowns"
    );
}
