//! Hand-built datasets for chart tests (the CSV loader lives elsewhere).
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use insyn::chart::{Chart, ChartContext, ChartSpec, resolve};
use insyn::config::SiteConfig;
use insyn::data::{
    Dataset, Measure, MeasureKind, MeasureUnit, Measures, Observation, Period, Role, Series,
    SeriesBreak, SeriesKey, Status, Unit, Units, Value,
};
use insyn::text::{Lang, LocalizedText};

pub fn config(lang: Lang) -> SiteConfig {
    let mut c: SiteConfig = toml::from_str(
        r#"title = "Socialtjänsten i siffror"
organisation = "Exempelstads socialförvaltning"
base_url = "https://insyn.example.org"
[source]
name = "Verksamhetssystemet, uttag per kvartalets sista dag"
contact = "statistik@exempelstad.se"
extracted = 2024-10-05
"#,
    )
    .unwrap();
    c.language = lang;
    c
}

fn text(sv: &str, en: &str) -> LocalizedText {
    LocalizedText::PerLang {
        sv: Some(sv.to_string()),
        en: Some(en.to_string()),
    }
}

fn measure(id: &str, sv: &str, en: &str, unit: MeasureUnit, role: Role) -> Measure {
    Measure {
        id: id.to_string(),
        label: text(sv, en),
        unit,
        kind: MeasureKind::Stock,
        role,
        columns: vec![],
        definition: None,
        source: None,
        limitations: vec![],
        breaks: vec![],
        ratio: None,
    }
}

pub fn q(y: i32, n: u8) -> Period {
    Period::quarter(y, n)
}

/// Quarters 2019Q1..=2024Q3.
pub fn quarters() -> Vec<Period> {
    q(2019, 1).range_to(q(2024, 3)).collect()
}

fn series(values: impl IntoIterator<Item = (Period, f64)>) -> Series {
    Series {
        points: values
            .into_iter()
            .map(|(p, v)| {
                (
                    p,
                    Observation {
                        value: Value::final_(v),
                        origin: None,
                    },
                )
            })
            .collect(),
    }
}

/// A clean dataset: Nordost's caseload grows 34 % from 2021Q1 to 2024Q3
/// while its staffing grows 3 %; Lillby is a small unit.
pub fn dataset() -> Dataset {
    let mut units = Units::default();
    for (id, name) in [
        ("nordost", "Nordost"),
        ("sydvast", "Sydväst"),
        ("centrum", "Centrum & <Hamnen>"),
        ("lillby", "Lillby"),
    ] {
        units.units.insert(
            id.to_string(),
            Unit {
                id: id.to_string(),
                name: name.to_string(),
                area: Some("barn-och-unga".to_string()),
                parent: None,
            },
        );
    }
    let mut measures = Measures::default();
    let mut open = measure(
        "open_cases",
        "Aktuella ärenden",
        "Open cases",
        MeasureUnit::Count,
        Role::Caseload,
    );
    open.limitations = vec![text(
        "Ett ärende räknas per barn, inte per familj.",
        "A case is counted per child, not per family.",
    )];
    let mut cpf = measure(
        "cases_per_fte",
        "Ärenden per årsarbetare",
        "Cases per FTE",
        MeasureUnit::Ratio,
        Role::Other,
    );
    cpf.ratio = Some(("open_cases".to_string(), "staff_fte".to_string()));
    for m in [
        open,
        measure(
            "staff_fte",
            "Årsarbetare",
            "Staff FTE",
            MeasureUnit::Fte,
            Role::Staffing,
        ),
        cpf,
        measure(
            "workload_points",
            "Viktad arbetsbelastning",
            "Weighted workload",
            MeasureUnit::Points,
            Role::Workload,
        ),
        measure(
            "capacity_points",
            "Kapacitet",
            "Capacity",
            MeasureUnit::Points,
            Role::Capacity,
        ),
        measure(
            "wait_days",
            "Väntetid till första besök",
            "Waiting time to first visit",
            MeasureUnit::Days,
            Role::Indicator,
        ),
    ] {
        measures.measures.insert(m.id.clone(), m);
    }
    let mut data = Dataset {
        units,
        measures,
        series: BTreeMap::new(),
    };
    let qs = quarters();
    let i_2021 = qs.iter().position(|p| *p == q(2021, 1)).unwrap() as f64;
    let last = (qs.len() - 1) as f64;
    let mut put = |m: &str, u: &str, f: &dyn Fn(f64) -> f64| {
        data.series.insert(
            SeriesKey::total(m, u),
            series(qs.iter().enumerate().map(|(i, p)| (*p, f(i as f64)))),
        );
    };
    // 300 in 2021Q1 → 402 in 2024Q3 (+34 %); 280 in 2019Q1.
    put("open_cases", "nordost", &|i| {
        if i <= i_2021 {
            280.0 + 20.0 * i / i_2021
        } else {
            (300.0 + 102.0 * (i - i_2021) / (last - i_2021)).round()
        }
    });
    // 12.0 → 12.36 (+3 %).
    put("staff_fte", "nordost", &|i| {
        if i <= i_2021 {
            12.0
        } else {
            ((12.0 + 0.36 * (i - i_2021) / (last - i_2021)) * 100.0).round() / 100.0
        }
    });
    put("open_cases", "sydvast", &|i| 210.0 - i);
    put("staff_fte", "sydvast", &|_| 14.5);
    put("open_cases", "centrum", &|i| 150.0 + (i * 3.0) % 7.0);
    put("staff_fte", "centrum", &|_| 9.0);
    put("open_cases", "lillby", &|i| 8.0 + (i % 3.0));
    // Small, yet above `min_unit_fte` (3.0): under it, a ratio of Lillby
    // would be one or two people's caseload and is withheld.
    put("staff_fte", "lillby", &|_| 3.5);
    put("workload_points", "nordost", &|i| 900.0 + 12.0 * i);
    put("capacity_points", "nordost", &|_| 1000.0);
    put("wait_days", "nordost", &|i| 12.0 + (i % 4.0));
    data
}

pub fn set(data: &mut Dataset, m: &str, u: &str, p: Period, v: Value) {
    data.series
        .get_mut(&SeriesKey::total(m, u))
        .unwrap()
        .points
        .insert(
            p,
            Observation {
                value: v,
                origin: None,
            },
        );
}

pub fn remove(data: &mut Dataset, m: &str, u: &str, p: Period) {
    data.series
        .get_mut(&SeriesKey::total(m, u))
        .unwrap()
        .points
        .remove(&p);
}

pub fn add_break(data: &mut Dataset, m: &str, p: Period) {
    data.measures
        .measures
        .get_mut(m)
        .unwrap()
        .breaks
        .push(SeriesBreak {
            period: p,
            note: text(
                "Ny definition av avslutat ärende",
                "New definition of a closed case",
            ),
        });
}

pub fn provisional(data: &mut Dataset, m: &str, u: &str, p: Period) {
    let v = data.value(m, u, p).unwrap().number.unwrap();
    set(
        data,
        m,
        u,
        p,
        Value {
            number: Some(v),
            status: Status::Provisional,
        },
    );
}

pub fn published() -> BTreeSet<String> {
    ["nordost", "sydvast", "centrum"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Parses, validates and resolves a spec against `data`.
pub fn chart_in(toml: &str, data: &Dataset, lang: Lang) -> Chart {
    let spec = ChartSpec::parse(toml).unwrap_or_else(|e| panic!("{e:?}"));
    let problems = spec.validate(data);
    assert!(problems.is_empty(), "{problems:?}");
    resolve_in(&spec, data, lang).unwrap_or_else(|e| panic!("{e:?}"))
}

/// Resolves a spec against `data` for the test site in `lang` (its
/// published units, no latest period), without validating it first.
pub fn resolve_in(
    spec: &ChartSpec,
    data: &Dataset,
    lang: Lang,
) -> Result<Chart, Vec<insyn::chart::SpecProblem>> {
    let config = config(lang);
    let units = published();
    let ctx = ChartContext {
        config: &config,
        lang,
        published_units: &units,
        latest: None,
    };
    resolve(spec, data, &ctx, None)
}

pub fn chart(toml: &str) -> Chart {
    chart_in(toml, &dataset(), Lang::Sv)
}
