//! Writes the test charts as SVG and PNG to a folder, for looking at them.
#[path = "../tests/common/mod.rs"]
mod common;
use common::*;
use insyn::data::Value;
use insyn::text::Lang;

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/charts".into());
    std::fs::create_dir_all(&out).unwrap();
    let mut data = dataset();
    remove(&mut data, "open_cases", "nordost", q(2023, 2));
    add_break(&mut data, "open_cases", q(2022, 1));
    provisional(&mut data, "open_cases", "nordost", q(2024, 3));
    provisional(&mut data, "staff_fte", "nordost", q(2024, 3));
    set(
        &mut data,
        "open_cases",
        "lillby",
        q(2023, 1),
        Value::final_(3.0),
    );
    set(
        &mut data,
        "staff_fte",
        "lillby",
        q(2023, 3),
        Value::final_(0.0),
    );
    let specs = [
        (
            "growth",
            "type = \"growth\"\ncaseload = \"open_cases\"\nstaffing = \"staff_fte\"\nunit = \"nordost\"",
        ),
        (
            "per_fte",
            "type = \"per_fte\"\nmeasure = \"cases_per_fte\"\nunit = \"lillby\"\nfrom = \"2022Q1\"",
        ),
        (
            "series",
            "type = \"series\"\nmeasures = [\"open_cases\", \"staff_fte\", \"wait_days\"]\nunit = \"nordost\"",
        ),
        (
            "bars",
            "type = \"bars\"\nmeasure = \"open_cases\"\nunit = \"lillby\"\nfrom = \"2022Q1\"",
        ),
        (
            "compare",
            "type = \"compare\"\nmeasure = \"cases_per_fte\"\nunit = \"nordost\"",
        ),
        (
            "workload",
            "type = \"workload\"\nworkload = \"workload_points\"\ncapacity = \"capacity_points\"\nunit = \"nordost\"",
        ),
    ];
    for (name, spec) in specs {
        for lang in [Lang::Sv, Lang::En] {
            let c = chart_in(spec, &data, lang);
            let svg = c.svg();
            let base = format!("{out}/{name}-{}", lang.code());
            std::fs::write(format!("{base}.svg"), &svg).unwrap();
            std::fs::write(
                format!("{base}.png"),
                insyn::chart::rasterize_png(&svg).unwrap(),
            )
            .unwrap();
        }
    }
}
