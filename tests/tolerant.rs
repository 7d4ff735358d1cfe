//! Tolerant where nothing is ambiguous: chart blocks written the natural
//! way (`per_fte` from caseload and staffing, `workload` without keys,
//! reference figures beside a unit) and units.toml's short forms.

use std::path::Path;

use crate::common::{chart, chart_in, dataset, q, set};
use insyn::chart::ChartSpec;
use insyn::data::meta::parse_units;
use insyn::data::{Measure, MeasureKind, MeasureUnit, Role, Value};
use insyn::text::{Lang, LocalizedText};

fn problems(toml: &str, data: &insyn::data::Dataset) -> Vec<insyn::chart::SpecProblem> {
    match ChartSpec::parse(toml) {
        Ok(spec) => spec.validate(data),
        Err(p) => p,
    }
}

#[test]
fn per_fte_from_caseload_and_staffing_is_the_declared_ratio_chart() {
    let by_parts = chart(
        "type = \"per_fte\"\ncaseload = \"open_cases\"\nstaffing = \"staff_fte\"\nunit = \"nordost\"",
    );
    let by_ratio = chart("type = \"per_fte\"\nmeasure = \"cases_per_fte\"\nunit = \"nordost\"");
    assert_eq!(by_parts.slug(), by_ratio.slug());
    assert_eq!(by_parts.csv(), by_ratio.csv());
    assert_eq!(by_parts.svg(), by_ratio.svg());
}

#[test]
fn per_fte_without_a_declared_ratio_computes_it_with_the_same_suppression() {
    let mut data = dataset();
    data.measures.measures.remove("cases_per_fte");
    data.series.retain(|k, _| k.measure != "cases_per_fte");
    // A count under the threshold (5): the ratio built on it is suppressed.
    set(
        &mut data,
        "open_cases",
        "nordost",
        q(2022, 2),
        Value::final_(3.0),
    );
    let c = chart_in(
        "type = \"per_fte\"\ncaseload = \"open_cases\"\nstaffing = \"staff_fte\"\nunit = \"nordost\"",
        &data,
        Lang::En,
    );
    let csv = c.csv();
    assert!(
        csv.contains("2022Q2,nordost,open_cases_per_staff_fte,,x\n"),
        "{csv}"
    );
    assert!(csv.contains("2022Q2,nordost,open_cases,,<5\n"), "{csv}");
    let open = data
        .value("open_cases", "nordost", q(2024, 3))
        .unwrap()
        .number
        .unwrap();
    let staff = data
        .value("staff_fte", "nordost", q(2024, 3))
        .unwrap()
        .number
        .unwrap();
    let expected = format!("{:.4}", open / staff);
    let expected = expected.trim_end_matches('0').trim_end_matches('.');
    assert!(
        csv.contains(&format!(
            "2024Q3,nordost,open_cases_per_staff_fte,{expected},\n"
        )),
        "{csv}"
    );
    assert!(
        c.title().starts_with("Open cases per staff FTE, Nordost"),
        "{}",
        c.title()
    );
    // Nothing is shown per caseworker: the parts are in the table too.
    assert!(c.table().headers.iter().any(|h| h == "Staff FTE"));
}

#[test]
fn per_fte_names_what_it_still_needs() {
    let data = dataset();
    let p = problems(
        "type = \"per_fte\"\ncaseload = \"open_cases\"\nunit = \"nordost\"",
        &data,
    );
    assert_eq!(p[0].message, "a `per_fte` chart needs `staffing`");
    let p = problems(
        "type = \"per_fte\"\nmeasure = \"cases_per_fte\"\ncaseload = \"open_cases\"\nstaffing = \"staff_fte\"\nunit = \"nordost\"",
        &data,
    );
    assert_eq!(p[0].message, "a `per_fte` chart names its ratio twice");
    // A staffing count is not staffing.
    let p = problems(
        "type = \"per_fte\"\ncaseload = \"open_cases\"\nstaffing = \"wait_days\"\nunit = \"nordost\"",
        &data,
    );
    assert!(p[0].message.contains("cannot be the `staffing`"), "{p:?}");
}

#[test]
fn workload_defaults_to_the_measures_with_those_roles() {
    let implicit = chart("type = \"workload\"\nunit = \"nordost\"");
    let explicit = chart(
        "type = \"workload\"\nworkload = \"workload_points\"\ncapacity = \"capacity_points\"\nunit = \"nordost\"",
    );
    assert_eq!(implicit.slug(), explicit.slug());
    assert_eq!(implicit.csv(), explicit.csv());

    // Two measures with role workload: the chart must name one.
    let mut data = dataset();
    data.measures.measures.insert(
        "other_points".into(),
        Measure {
            id: "other_points".into(),
            label: LocalizedText::Plain("Andra poäng".into()),
            unit: MeasureUnit::Points,
            kind: MeasureKind::Stock,
            role: Role::Workload,
            columns: Vec::new(),
            definition: None,
            source: None,
            limitations: Vec::new(),
            breaks: Vec::new(),
            ratio: None,
        },
    );
    let p = problems("type = \"workload\"\nunit = \"nordost\"", &data);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].message, "a `workload` chart needs `workload`");
    assert_eq!(
        p[0].found.as_deref(),
        Some("`other_points`, `workload_points`")
    );
    assert_eq!(
        p[0].help.as_deref(),
        Some(
            "several measures have `role = \"workload\"`: name the one to draw, such as `workload = \"other_points\"`"
        )
    );
}

#[test]
fn a_series_chart_draws_a_reference_unit_as_a_labelled_line() {
    let c = chart(
        "type = \"series\"\nmeasures = [\"open_cases\"]\nunit = \"nordost\"\nreference = \"sydvast\"",
    );
    let csv = c.csv();
    assert!(csv.contains("2024Q3,sydvast,open_cases,"), "{csv}");
    assert!(c.svg().contains("Aktuella ärenden, Sydväst"));
    // The title names the unit's series, not the reference's.
    assert!(
        c.title().starts_with("Aktuella ärenden, Nordost"),
        "{}",
        c.title()
    );
    assert!(
        c.description().contains("Aktuella ärenden, Sydväst "),
        "{}",
        c.description()
    );
}

#[test]
fn a_reference_must_exist_and_have_the_data() {
    let data = dataset();
    let p = problems(
        "type = \"compare\"\nmeasure = \"open_cases\"\nunit = \"nordost\"\nreference = [\"sydvst\"]",
        &data,
    );
    assert_eq!(p[0].message, "unknown reference unit `sydvst`");
    assert_eq!(p[0].help.as_deref(), Some("did you mean `sydvast`?"));
    let p = problems(
        "type = \"series\"\nmeasures = [\"wait_days\"]\nunit = \"nordost\"\nreference = \"sydvast\"",
        &data,
    );
    assert_eq!(
        p[0].message,
        "the reference unit `sydvast` has no data for measure `wait_days`"
    );
    let p = problems(
        "type = \"bars\"\nmeasure = \"open_cases\"\nunit = \"nordost\"\nreference = \"sydvast\"",
        &data,
    );
    assert_eq!(p[0].message, "`reference` is not used by a `bars` chart");
}

#[test]
fn areas_may_be_written_short_and_unit_names_may_repeat() {
    let read = parse_units(
        Path::new("data/units.toml"),
        "[areas]\nbarn = \"Barn och unga\"\nvuxna = { sv = \"Vuxna\", en = \"Adults\" }\n\n\
         [units.e08000019]\nname = \"Sheffield\"\narea = \"barn\"\n\n\
         [units.e08000039]\nname = \"Sheffield\"\narea = \"vuxna\"\n\n\
         [units.riket]\nname = \"Riket\"\nreference = \"hela landet\"\n",
    );
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    let units = read.value;
    assert_eq!(units.areas["barn"].name.get(Lang::Sv), "Barn och unga");
    assert_eq!(units.areas["vuxna"].name.get(Lang::En), "Adults");
    // A name shared by two units resolves to neither; the ids do.
    assert!(units.resolve("Sheffield").is_none());
    assert_eq!(units.resolve("e08000039").unwrap().name, "Sheffield");
    assert!(units.is_reference("riket"));
    assert_eq!(
        units.references["riket"]
            .note
            .as_ref()
            .unwrap()
            .get(Lang::Sv),
        "hela landet"
    );
    // A long-form area with a misspelt key is still told so.
    let read = parse_units(
        Path::new("data/units.toml"),
        "[areas.barn]\nnmae = \"Barn\"\n",
    );
    assert!(read.diagnostics[0].message.contains("unknown key `nmae`"));
}
