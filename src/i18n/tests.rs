use super::*;

/// Every field of both tables, as the templates see them.
fn fields(lang: Lang) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(lang.words()) {
        Ok(serde_json::Value::Object(map)) => map,
        other => panic!("the words serialise to a map, not {other:?}"),
    }
}

#[test]
fn every_word_is_written_in_both_languages() {
    let (sv, en) = (fields(Lang::Sv), fields(Lang::En));
    assert_eq!(sv.len(), en.len());
    for (key, value) in sv.iter().chain(&en) {
        assert!(
            value.as_str().is_some_and(|s| !s.trim().is_empty()),
            "{key} is empty"
        );
    }
    assert_eq!(Lang::En.words().reports, "Reports");
    assert_eq!(Lang::Sv.words().reports, "Rapporter");
}

#[test]
fn the_provisional_status_has_one_name_everywhere() {
    assert_eq!(
        status_meaning(Status::Provisional, Lang::Sv),
        "preliminärt värde"
    );
    assert_eq!(
        status_meaning(Status::Provisional, Lang::En),
        "provisional value"
    );
}

fn level<'a>(figure: &'a str, period: &'a str) -> Level<'a> {
    Level { figure, period }
}

#[test]
fn a_count_reads_figure_before_noun_in_both_languages() {
    let sv = Lang::Sv.phrases();
    assert_eq!(
        sv.counted(
            "Nordost",
            &level("398 aktuella ärenden", "kvartal 1 2019"),
            &level("571 aktuella ärenden (preliminärt)", "kvartal 3 2024"),
            &Movement::Up("43\u{a0}%".into()),
        ),
        "Nordost hade 398 aktuella ärenden kvartal 1 2019 och 571 aktuella ärenden (preliminärt) kvartal 3 2024, en ökning med 43\u{a0}%."
    );
    let en = Lang::En.phrases();
    assert_eq!(
        en.counted(
            "Nordost",
            &level("398 open cases", "Q1 2019"),
            &level("571 open cases (provisional)", "Q3 2024"),
            &Movement::Down("2%".into()),
        ),
        "Nordost had 398 open cases in Q1 2019 and 571 open cases (provisional) in Q3 2024, a decrease of 2%."
    );
    assert_eq!(
        sv.counted_once("Sydväst", &level("1 årsarbetare", "kvartal 2 2024")),
        "Sydväst hade 1 årsarbetare kvartal 2 2024."
    );
    assert_eq!(
        en.counted_once("Sydväst", &level("1 FTE", "Q2 2024")),
        "Sydväst had 1 FTE in Q2 2024."
    );
}

#[test]
fn a_share_or_ratio_reads_name_first_and_a_change_from_zero_is_not_guessed() {
    let sv = Lang::Sv.phrases();
    assert_eq!(
        sv.measured(
            &sv.of_unit("utredningar klara inom fyra månader", "Nordost"),
            &level("85,3\u{a0}%", "kvartal 1 2021"),
            &level("60,8\u{a0}%", "kvartal 3 2026"),
            &Movement::Down("24,5\u{a0}procentenheter".into()),
        ),
        "Utredningar klara inom fyra månader i Nordost låg på 85,3\u{a0}% kvartal 1 2021 och 60,8\u{a0}% kvartal 3 2026, en minskning med 24,5\u{a0}procentenheter."
    );
    let en = Lang::En.phrases();
    assert_eq!(
        en.measured(
            &en.of_unit("cases per FTE", "Nordost"),
            &level("0.0", "Q1 2021"),
            &level("3.5", "Q3 2026"),
            &Movement::Unknown,
        ),
        "Cases per FTE in Nordost stood at 0.0 in Q1 2021 and 3.5 in Q3 2026."
    );
    assert_eq!(
        en.measured_once("cases per FTE in Nordost", &level("20.0", "Q3 2026")),
        "Cases per FTE in Nordost stood at 20.0 in Q3 2026."
    );
    assert_eq!(
        Lang::Sv.phrases().movement(&Movement::Flat).as_deref(),
        Some("oförändrat")
    );
    assert_eq!(
        Lang::En.phrases().movement(&Movement::Flat).as_deref(),
        Some("unchanged")
    );
}

#[test]
fn a_growth_chart_joins_its_two_series_as_a_writer_would() {
    let shift = |what, movement| Shift { what, movement };
    let sv = Lang::Sv.phrases();
    // The same direction: the verb is said once.
    assert_eq!(
        sv.growth_change(
            "kvartal 1 2021",
            "kvartal 3 2026",
            &shift("aktuella ärenden", Movement::Up("38\u{a0}%".into())),
            &shift("årsarbetare", Movement::Up("3\u{a0}%".into())),
        ),
        "Aktuella ärenden ökade med 38\u{a0}% från kvartal 1 2021 till kvartal 3 2026 och årsarbetare med 3\u{a0}%."
    );
    // Opposite directions, and a series that did not move.
    assert_eq!(
        sv.growth_change(
            "kvartal 1 2021",
            "kvartal 3 2026",
            &shift("aktuella ärenden", Movement::Up("38\u{a0}%".into())),
            &shift("årsarbetare", Movement::Flat),
        ),
        "Aktuella ärenden ökade med 38\u{a0}% från kvartal 1 2021 till kvartal 3 2026, medan årsarbetare låg still."
    );
    let en = Lang::En.phrases();
    assert_eq!(
        en.growth_change(
            "Q1 2021",
            "Q3 2026",
            &shift("open cases", Movement::Up("38%".into())),
            &shift("FTEs", Movement::Down("3%".into())),
        ),
        "Open cases rose by 38% from Q1 2021 to Q3 2026, while FTEs fell by 3%."
    );
    assert_eq!(
        en.growth_change(
            "Q1 2021",
            "Q3 2026",
            &shift("open cases", Movement::Unknown),
            &shift("FTEs", Movement::Unknown),
        ),
        "The change since Q1 2021 cannot be computed."
    );
    assert_eq!(
        sv.growth_levels(
            "Nordost",
            &level("398 aktuella ärenden och 20 årsarbetare", "kvartal 1 2019"),
            &level(
                "571 aktuella ärenden (preliminärt) och 21 årsarbetare",
                "kvartal 3 2024"
            ),
        ),
        "Kvartal 1 2019 hade Nordost 398 aktuella ärenden och 20 årsarbetare; kvartal 3 2024 var det 571 aktuella ärenden (preliminärt) och 21 årsarbetare."
    );
    assert_eq!(
        en.growth_levels(
            "Nordost",
            &level("398 open cases and 20 FTEs", "Q1 2019"),
            &level("571 open cases and 21 FTEs", "Q3 2024"),
        ),
        "In Q1 2019, Nordost had 398 open cases and 20 FTEs; in Q3 2024, it had 571 open cases and 21 FTEs."
    );
}

#[test]
fn compare_lists_count_their_units_in_singular_and_plural() {
    assert_eq!(
        Lang::Sv
            .phrases()
            .compare("nya ärenden", "kvartal 3 2026", 1, "Nordost 140"),
        "Nya ärenden kvartal 3 2026 för 1 enhet, i bokstavsordning: Nordost 140."
    );
    assert_eq!(
        Lang::En
            .phrases()
            .compare("new cases", "Q3 2026", 2, "Nordost 140; Sydväst hidden"),
        "New cases in Q3 2026 for 2 units, in alphabetical order: Nordost 140; Sydväst hidden."
    );
}

#[test]
fn caveats_are_clauses_with_natural_conjunctions() {
    let sv = Lang::Sv.phrases();
    let clauses = vec![
        sv.caveat_breaks("kvartal 1 2023"),
        sv.caveat_provisional("kvartal 3 2026"),
        Lang::Sv.words().caveat_suppressed.to_string(),
    ];
    assert_eq!(
        sv.caveats(&clauses),
        "Observera att serien bryts kvartal 1 2023 på grund av en ändrad definition, att värdena för kvartal 3 2026 är preliminära och att små antal inte visas för att skydda enskilda."
    );
    let en = Lang::En.phrases();
    assert_eq!(
        en.caveats(&[en.caveat_provisional("Q3 2026")]),
        "Note that the values for Q3 2026 are provisional."
    );
}
