//! Kolada (Swedish municipal key figures, where Socialstyrelsen's Öppna
//! jämförelser are published): the data response of its API, v3
//! (`{"values": [{"kpi", "municipality", "period", "values": [{"gender",
//! "count", "status", "value"}]}], "next_url"}`) and the older v2 shape
//! (the same rows, with `count`, `next_page`, `previous_page`). Org-unit
//! data names the unit in `ou` instead of `municipality`.
//!
//! Symbols as Kolada uses them: `..` confidential (suppressed at the
//! source), `-` no answer (not available), `.` not applicable. Gender `T`
//! is the total, `K` and `M` become groups. Municipality groups (ids that
//! start with `G`, `count` over 1) are unweighted means of their members;
//! `0000` is the whole country: both are proposed as reference figures.

use std::path::Path;

use serde::Deserialize;

use crate::data::{Period, Status};
use crate::diagnostics::Diagnostic;
use crate::import::{Row, Table, id_from_code, json_problem, problem};

#[derive(Deserialize)]
struct Response {
    values: Vec<KpiRow>,
}

#[derive(Deserialize)]
struct KpiRow {
    kpi: String,
    #[serde(default)]
    municipality: Option<String>,
    #[serde(default)]
    ou: Option<String>,
    period: serde_json::Value,
    values: Vec<Cell>,
}

#[derive(Deserialize)]
struct Cell {
    #[serde(default)]
    gender: Option<String>,
    #[serde(default)]
    count: Option<u32>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    value: Option<f64>,
}

/// Kolada's lists of KPIs (`/v3/kpi`) and municipalities
/// (`/v3/municipality`): `{"values": [{"id", "title", …}]}`.
#[derive(Deserialize)]
struct Listing {
    values: Vec<Listed>,
}

#[derive(Deserialize)]
struct Listed {
    id: String,
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    publication_date: Option<String>,
}

const EXPECTED: &str = "a Kolada data response: `{\"values\": [{\"kpi\": \"N00945\", \"municipality\": \"0180\", \"period\": 2020, \"values\": [{\"gender\": \"T\", \"count\": 1, \"status\": \"\", \"value\": 31.3}]}]}`";

/// Kolada's status text for a value, as insyn's status.
fn status(text: &str, has_value: bool) -> Status {
    match text.trim() {
        ".." => Status::Suppressed,
        "." => Status::NotApplicable,
        "" | "-" if !has_value => Status::NotAvailable,
        "" => Status::Final,
        _ if has_value => Status::Final,
        _ => Status::NotAvailable,
    }
}

/// Reads a data response. `kpis` and `municipalities` are Kolada's own
/// listings, when given, for titles, definitions and publication dates.
pub fn read(
    file: &Path,
    text: &str,
    kpis: Option<(&Path, &str)>,
    municipalities: Option<(&Path, &str)>,
) -> Result<Table, Vec<Diagnostic>> {
    let response: Response =
        serde_json::from_str(text).map_err(|e| vec![json_problem(file, &e, EXPECTED)])?;
    let mut problems = Vec::new();
    let mut table = Table {
        source: "Kolada (RKA)".into(),
        ..Table::default()
    };
    for (i, row) in response.values.iter().enumerate() {
        let period_text = match &row.period {
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let Some(period) = Period::parse(&period_text) else {
            problems.push(
                problem(
                    file,
                    format!("row {} of `values` has an unreadable period", i + 1),
                )
                .found(period_text)
                .expected("a year such as `2020`"),
            );
            continue;
        };
        let Some(code) = row.municipality.as_ref().or(row.ou.as_ref()) else {
            problems.push(
                problem(file, format!("row {} of `values` names no unit", i + 1))
                    .expected("`municipality` (or `ou` for an organisational unit)"),
            );
            continue;
        };
        let unit = id_from_code(code);
        let measure = id_from_code(&row.kpi);
        table.measure(&measure);
        let members = row.values.iter().filter_map(|c| c.count).max().unwrap_or(1);
        let info = table.unit(&unit);
        if code == "0000" {
            info.name = Some("Riket".into());
            info.reference = Some(None);
        } else if code.starts_with('G') {
            info.reference = Some(Some(format!(
                "ovägt medelvärde av {members} kommuner (Kolada)"
            )));
        }
        for cell in &row.values {
            let group = match cell.gender.as_deref().map(str::trim) {
                None | Some("") | Some("T") => None,
                Some(g) => Some(g.to_string()),
            };
            let status = status(cell.status.as_deref().unwrap_or(""), cell.value.is_some());
            table.rows.push(Row {
                period,
                unit: unit.clone(),
                measure: measure.clone(),
                group,
                value: if status.qualifies_number() {
                    cell.value
                } else {
                    None
                },
                status,
            });
        }
    }
    if let Some((path, text)) = kpis {
        let list: Listing = serde_json::from_str(text).map_err(|e| {
            vec![json_problem(
                path,
                &e,
                "Kolada's KPI list: `{\"values\": [{\"id\": \"N00945\", \"title\": \"…\"}]}`",
            )]
        })?;
        for k in list.values {
            let id = id_from_code(&k.id);
            if let Some(m) = table.measures.get_mut(&id) {
                m.label = k.title.clone();
                m.definition = k.description.clone();
                m.unit = k.title.as_deref().and_then(unit_from_title);
                if k.publication_date.is_some() {
                    table.published = k.publication_date.clone();
                }
            }
        }
    }
    if let Some((path, text)) = municipalities {
        let list: Listing = serde_json::from_str(text).map_err(|e| {
            vec![json_problem(path, &e, "Kolada's municipality list: `{\"values\": [{\"id\": \"0180\", \"title\": \"Stockholm\"}]}`")]
        })?;
        for k in list.values {
            if let Some(u) = table.units.get_mut(&id_from_code(&k.id)) {
                u.name = k.title;
            }
        }
    }
    if table.rows.is_empty() && problems.is_empty() {
        problems.push(problem(file, "the response has no values").expected(EXPECTED));
    }
    if problems.is_empty() {
        Ok(table)
    } else {
        Err(problems)
    }
}

/// The measure unit a KPI title states (`Andel …, (%)`, `Antal …`).
fn unit_from_title(title: &str) -> Option<crate::data::MeasureUnit> {
    use crate::data::MeasureUnit;
    let lower = title.to_lowercase();
    if lower.contains("(%)") || lower.starts_with("andel") {
        Some(MeasureUnit::Percent)
    } else if lower.starts_with("antal") {
        Some(MeasureUnit::Count)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V3: &str = r#"{
      "values": [
        {"kpi": "N00945", "municipality": "0180", "period": 2020,
         "values": [
           {"gender": "T", "count": 1, "status": "", "value": 31.3},
           {"gender": "K", "count": 1, "status": "", "value": 30.1},
           {"gender": "M", "count": 1, "status": "..", "value": null}
         ]},
        {"kpi": "N00945", "municipality": "G123456", "period": 2020,
         "values": [{"gender": "T", "count": 12, "status": "", "value": 28.0}]},
        {"kpi": "N00945", "municipality": "0000", "period": 2020,
         "values": [{"gender": "T", "count": 290, "status": "-", "value": null}]}
      ],
      "next_url": null
    }"#;

    #[test]
    fn v3_rows_statuses_groups_and_references() {
        let t = read(Path::new("k.json"), V3, None, None).unwrap();
        assert_eq!(t.rows.len(), 5);
        let r = &t.rows[0];
        assert_eq!(
            (r.unit.as_str(), r.measure.as_str(), r.group.as_deref()),
            ("0180", "n00945", None)
        );
        assert_eq!((r.value, r.status), (Some(31.3), Status::Final));
        assert_eq!(t.rows[1].group.as_deref(), Some("K"));
        // `..` in Kolada: confidential, suppressed at the source.
        assert_eq!(
            (t.rows[2].value, t.rows[2].status),
            (None, Status::Suppressed)
        );
        // `-`: no answer.
        assert_eq!(t.rows[4].status, Status::NotAvailable);
        assert_eq!(
            t.units["g123456"].reference,
            Some(Some("ovägt medelvärde av 12 kommuner (Kolada)".into()))
        );
        assert_eq!(t.units["0000"].name.as_deref(), Some("Riket"));
    }

    #[test]
    fn v2_shape_and_org_units() {
        let v2 = r#"{"count": 1, "next_page": null, "values": [
            {"kpi": "U21468", "ou": "V15E018000101", "period": "2019",
             "values": [{"gender": "T", "status": "", "value": 4}]}]}"#;
        let t = read(Path::new("k.json"), v2, None, None).unwrap();
        assert_eq!(t.rows[0].unit, "v15e018000101");
        assert_eq!(t.rows[0].period, Period::Year(2019));
    }

    #[test]
    fn listings_give_titles_units_and_the_publication_date() {
        let kpis = r#"{"values": [{"id": "N00945", "title": "Andel invånare med ekonomiskt bistånd, (%)", "description": "Antal invånare …", "publication_date": "2024-03-26"}]}"#;
        let munis = r#"{"values": [{"id": "0180", "title": "Stockholm", "type": "K"}]}"#;
        let t = read(
            Path::new("k.json"),
            V3,
            Some((Path::new("kpi.json"), kpis)),
            Some((Path::new("m.json"), munis)),
        )
        .unwrap();
        let m = &t.measures["n00945"];
        assert_eq!(m.unit, Some(crate::data::MeasureUnit::Percent));
        assert_eq!(t.published.as_deref(), Some("2024-03-26"));
        assert_eq!(t.units["0180"].name.as_deref(), Some("Stockholm"));
    }

    #[test]
    fn broken_json_is_located() {
        let e = read(
            Path::new("k.json"),
            "{\"values\": [\n{\"kpi\": 3}]}",
            None,
            None,
        )
        .unwrap_err();
        assert_eq!(e[0].line, Some(2));
        assert!(e[0].expected.as_deref().unwrap().contains("Kolada"));
    }
}
