//! PxWeb (Statistics Sweden's API 2, and other statistical offices'): a
//! JSON-stat 2.0 dataset (`version`, `class`, `id[]`, `size[]`,
//! `dimension`, `value[]`, `status{}`, `role{time, geo, metric}`,
//! `extension`), values in row-major order over `id`.
//!
//! The time dimension gives the period, the geographic one the unit, the
//! metric one (`ContentsCode`) the measures, with their labels, units and
//! stock/flow (`measuringType`). Any other dimension is a breakdown group;
//! its total category is the total. Symbols as official Swedish statistics
//! use them: `..` not available, `.` not applicable, `–` zero, `0` less than
//! half the unit.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::data::{MeasureKind, MeasureUnit, Period, Status};
use crate::diagnostics::Diagnostic;
use crate::import::{Row, Table, id_from_code, json_problem, problem};

#[derive(Deserialize)]
struct Dataset {
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    updated: Option<String>,
    id: Vec<String>,
    size: Vec<usize>,
    dimension: BTreeMap<String, Dimension>,
    value: Vec<Option<f64>>,
    #[serde(default)]
    status: Option<StatusMap>,
    #[serde(default)]
    role: Option<Roles>,
}

/// `status` is an object by index, or (JSON-stat allows it) an array.
#[derive(Deserialize)]
#[serde(untagged)]
enum StatusMap {
    ByIndex(BTreeMap<String, String>),
    List(Vec<Option<String>>),
}

#[derive(Deserialize, Default)]
struct Roles {
    #[serde(default)]
    time: Vec<String>,
    #[serde(default)]
    geo: Vec<String>,
    #[serde(default)]
    metric: Vec<String>,
}

#[derive(Deserialize)]
struct Dimension {
    category: Category,
    #[serde(default)]
    extension: Option<Extension>,
}

#[derive(Deserialize)]
struct Category {
    /// Code → position, or the codes in order.
    #[serde(default)]
    index: Option<Index>,
    #[serde(default)]
    label: BTreeMap<String, String>,
    #[serde(default)]
    unit: BTreeMap<String, UnitInfo>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Index {
    Map(BTreeMap<String, usize>),
    List(Vec<String>),
}

#[derive(Deserialize)]
struct UnitInfo {
    #[serde(default)]
    base: Option<String>,
}

#[derive(Deserialize)]
struct Extension {
    #[serde(default, rename = "measuringType")]
    measuring_type: BTreeMap<String, String>,
}

const EXPECTED: &str = "a JSON-stat 2.0 dataset as PxWeb writes it: `id`, `size`, `dimension`, `value`, and optionally `status` and `role`";

/// Official Swedish statistics' symbol for a cell, with its number.
fn cell(value: Option<f64>, symbol: Option<&str>) -> (Option<f64>, Status) {
    match symbol.map(str::trim) {
        Some("..") => (None, Status::NotAvailable),
        Some(".") => (None, Status::NotApplicable),
        // A true zero.
        Some("–") | Some("-") => (Some(0.0), Status::Final),
        // Less than half the unit: rounds to zero, but is not zero.
        Some("0") if value.unwrap_or(0.0) == 0.0 => (None, Status::RoundsToZero),
        Some("*") | Some("p") => (value, Status::Provisional),
        _ => match value {
            Some(v) => (Some(v), Status::Final),
            None => (None, Status::NotAvailable),
        },
    }
}

/// The codes of a dimension in position order.
fn codes(dim: &Dimension) -> Vec<String> {
    match &dim.category.index {
        Some(Index::List(list)) => list.clone(),
        Some(Index::Map(map)) => {
            let mut v: Vec<(&String, &usize)> = map.iter().collect();
            v.sort_by_key(|(_, i)| **i);
            v.into_iter().map(|(c, _)| c.clone()).collect()
        }
        // A single category may have only a label.
        None => dim.category.label.keys().cloned().collect(),
    }
}

/// Whether a category is its dimension's total (`1+2` for both sexes,
/// `TOT`, "totalt").
fn is_total(code: &str, label: Option<&str>) -> bool {
    let label = label.unwrap_or("").to_lowercase();
    code == "1+2"
        || code.eq_ignore_ascii_case("tot")
        || code.eq_ignore_ascii_case("total")
        || label.starts_with("total")
        || label == "båda könen"
        || label == "both sexes"
}

/// A group code for a category: sex as Kolada writes it (`K`, `M`), else
/// the source's code.
fn group_code(dim_id: &str, code: &str) -> String {
    let sex = matches!(dim_id.to_lowercase().as_str(), "kon" | "kön" | "sex");
    match (sex, code) {
        (true, "1") => "M".into(),
        (true, "2") => "K".into(),
        _ => code.to_string(),
    }
}

fn measure_unit(base: &str) -> Option<MeasureUnit> {
    let b = base.trim().to_lowercase();
    if b == "antal" || b == "number" || b == "st" {
        Some(MeasureUnit::Count)
    } else if b == "procent" || b == "percent" || b == "%" {
        Some(MeasureUnit::Percent)
    } else if b == "dagar" || b == "days" {
        Some(MeasureUnit::Days)
    } else if b.contains("årsarbet") || b == "fte" {
        Some(MeasureUnit::Fte)
    } else {
        None
    }
}

/// Reads a JSON-stat 2.0 dataset.
pub fn read(file: &Path, text: &str) -> Result<Table, Vec<Diagnostic>> {
    let ds: Dataset =
        serde_json::from_str(text).map_err(|e| vec![json_problem(file, &e, EXPECTED)])?;
    let fail = |m: String| vec![problem(file, m).expected(EXPECTED)];
    if ds.id.len() != ds.size.len() {
        return Err(fail(format!(
            "`id` names {} dimensions but `size` gives {}",
            ds.id.len(),
            ds.size.len()
        )));
    }
    let total: usize = ds.size.iter().product();
    if total != ds.value.len() {
        return Err(fail(format!(
            "`size` makes {total} cells but `value` has {}",
            ds.value.len()
        )));
    }
    let roles = ds.role.unwrap_or_default();
    let find = |listed: &[String], guess: &dyn Fn(&str) -> bool| -> Option<usize> {
        listed
            .iter()
            .find_map(|r| ds.id.iter().position(|i| i == r))
            .or_else(|| ds.id.iter().position(|i| guess(&i.to_lowercase())))
    };
    let time = find(&roles.time, &|i| {
        matches!(i, "tid" | "time" | "år" | "year")
    });
    let geo = find(&roles.geo, &|i| matches!(i, "region" | "geo" | "kommun"));
    let metric = find(&roles.metric, &|i| i == "contentscode");
    let (Some(time), Some(geo)) = (time, geo) else {
        return Err(fail(
            "the dataset has no time or no geographic dimension (`role.time`, `role.geo`, or dimensions `Tid` and `Region`)".into(),
        ));
    };
    let mut dims = Vec::new();
    for id in &ds.id {
        let Some(d) = ds.dimension.get(id) else {
            return Err(fail(format!("`dimension` has no `{id}`, which `id` names")));
        };
        let c = codes(d);
        dims.push((id.as_str(), d, c));
    }
    for (k, (id, _, c)) in dims.iter().enumerate() {
        if c.len() != ds.size[k] {
            return Err(fail(format!(
                "dimension `{id}` has {} categories but `size` gives {}",
                c.len(),
                ds.size[k]
            )));
        }
    }
    let mut table = Table {
        source: ds
            .source
            .clone()
            .unwrap_or_else(|| "Statistiska centralbyrån (SCB)".into()),
        // `2025-05-06T06:00:00Z`: the day is what a reader needs.
        published: ds.updated.as_deref().map(|u| {
            u.get(..10)
                .filter(|d| d.len() == 10 && d.as_bytes()[4] == b'-')
                .unwrap_or(u)
                .to_string()
        }),
        ..Table::default()
    };
    if let Some(label) = &ds.label {
        table.notes.push(format!("dataset: {label}"));
    }
    // Measures: the metric dimension's categories, or the dataset itself.
    let single = id_from_code(ds.label.as_deref().unwrap_or("value"));
    match metric {
        Some(m) => {
            let (_, d, c) = &dims[m];
            for code in c {
                let id = id_from_code(code);
                let info = table.measure(&id);
                info.label = d.category.label.get(code).cloned();
                info.unit = d
                    .category
                    .unit
                    .get(code)
                    .and_then(|u| u.base.as_deref())
                    .and_then(measure_unit);
                info.kind = d
                    .extension
                    .as_ref()
                    .and_then(|e| e.measuring_type.get(code))
                    .and_then(|t| match t.as_str() {
                        "Stock" => Some(MeasureKind::Stock),
                        "Flow" => Some(MeasureKind::Flow),
                        _ => None,
                    });
            }
        }
        None => {
            table.measure(&single).label = ds.label.clone();
        }
    }
    {
        let (_, d, c) = &dims[geo];
        for code in c {
            let id = id_from_code(code);
            let name = d.category.label.get(code).cloned();
            let national = code == "00" || name.as_deref() == Some("Riket");
            let u = table.unit(&id);
            u.name = name;
            if national {
                u.reference = Some(None);
            }
        }
        for code in c {
            if let Some(parent) = scb_larger_region(code).filter(|p| c.iter().any(|c| c == p)) {
                table.unit(&id_from_code(code)).parent = Some(id_from_code(parent));
            }
        }
    }
    let status_of = |i: usize| -> Option<&str> {
        match &ds.status {
            Some(StatusMap::ByIndex(m)) => m.get(&i.to_string()).map(String::as_str),
            Some(StatusMap::List(l)) => l.get(i).and_then(|s| s.as_deref()),
            None => None,
        }
    };
    let mut problems = Vec::new();
    let mut bad_periods = std::collections::BTreeSet::new();
    let mut position = vec![0usize; dims.len()];
    for (i, value) in ds.value.iter().enumerate() {
        // Row-major: the last dimension varies fastest.
        let mut rest = i;
        for k in (0..dims.len()).rev() {
            position[k] = rest % ds.size[k];
            rest /= ds.size[k];
        }
        let period_code = &dims[time].2[position[time]];
        let Some(period) = Period::parse(period_code) else {
            if bad_periods.insert(period_code.clone()) {
                problems.push(
                    problem(
                        file,
                        format!(
                            "dimension `{}` has a period insyn cannot read",
                            dims[time].0
                        ),
                    )
                    .found(period_code.clone())
                    .expected("years (`2024`) or quarters (`2024K1`): months are not supported"),
                );
            }
            continue;
        };
        let unit = id_from_code(&dims[geo].2[position[geo]]);
        let measure = match metric {
            Some(m) => id_from_code(&dims[m].2[position[m]]),
            None => single.clone(),
        };
        let mut groups = Vec::new();
        for (k, (id, d, c)) in dims.iter().enumerate() {
            if k == time || k == geo || Some(k) == metric || c.len() == 1 {
                continue;
            }
            let code = &c[position[k]];
            if is_total(code, d.category.label.get(code).map(String::as_str)) {
                continue;
            }
            groups.push(group_code(id, code));
        }
        let (value, status) = cell(*value, status_of(i));
        table.rows.push(Row {
            period,
            unit,
            measure,
            group: (!groups.is_empty()).then(|| groups.join(" ")),
            value,
            status,
        });
    }
    if problems.is_empty() {
        Ok(table)
    } else {
        Err(problems)
    }
}

/// The region an SCB region code lies in: a municipality (`0180`) in its
/// county (`01`), a county in the country (`00`). A table with both gives
/// the larger region's figure beside its parts, a sum that disclosure
/// control protects only when the parts name it as their parent (README,
/// "Privacy").
fn scb_larger_region(code: &str) -> Option<&str> {
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match code.len() {
        4 => Some(&code[..2]),
        2 if code != "00" => Some("00"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATASET: &str = r#"{
      "version": "2.0", "class": "dataset",
      "label": "Barn och unga med insatser",
      "source": "Socialstyrelsen och SCB",
      "updated": "2025-05-06T06:00:00Z",
      "id": ["Region", "Kon", "ContentsCode", "Tid"],
      "size": [2, 3, 1, 2],
      "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
      "dimension": {
        "Region": {"label": "region", "category": {
          "index": {"00": 0, "0180": 1}, "label": {"00": "Riket", "0180": "Stockholm"}}},
        "Kon": {"label": "kön", "category": {
          "index": {"1": 0, "2": 1, "1+2": 2}, "label": {"1": "män", "2": "kvinnor", "1+2": "totalt"}}},
        "ContentsCode": {"label": "tabellinnehåll", "category": {
          "index": {"BE0001": 0}, "label": {"BE0001": "Barn med insats"},
          "unit": {"BE0001": {"base": "antal", "decimals": 0}}},
          "extension": {"measuringType": {"BE0001": "Stock"}}},
        "Tid": {"label": "år", "category": {"index": {"2023": 0, "2024": 1}, "label": {"2023": "2023", "2024": "2024"}}}
      },
      "value": [100, 110, 120, 130, 220, 240, 10, null, 0, 12, 17, 24],
      "status": {"7": "..", "8": "–"}
    }"#;

    #[test]
    fn row_major_values_groups_symbols_and_metadata() {
        let t = read(Path::new("scb.json"), DATASET).unwrap();
        assert_eq!(t.rows.len(), 12);
        let find = |unit: &str, group: Option<&str>, year: i32| {
            t.rows
                .iter()
                .find(|r| {
                    r.unit == unit && r.group.as_deref() == group && r.period == Period::Year(year)
                })
                .unwrap()
        };
        assert_eq!(find("00", Some("M"), 2023).value, Some(100.0));
        assert_eq!(find("00", Some("K"), 2024).value, Some(130.0));
        assert_eq!(find("00", None, 2024).value, Some(240.0));
        // `..`: not available in official statistics.
        assert_eq!(find("0180", Some("M"), 2024).status, Status::NotAvailable);
        // `–`: a true zero.
        let zero = find("0180", Some("K"), 2023);
        assert_eq!((zero.value, zero.status), (Some(0.0), Status::Final));
        assert_eq!(find("0180", None, 2024).value, Some(24.0));
        let m = &t.measures["be0001"];
        assert_eq!(m.label.as_deref(), Some("Barn med insats"));
        assert_eq!(m.unit, Some(MeasureUnit::Count));
        assert_eq!(m.kind, Some(MeasureKind::Stock));
        assert_eq!(t.units["00"].reference, Some(None));
        assert_eq!(t.units["0180"].name.as_deref(), Some("Stockholm"));
        assert_eq!(t.published.as_deref(), Some("2025-05-06"));
    }

    /// A table of municipalities beside their county and the country: the
    /// county is each of its municipalities' parent, the country each
    /// county's; a code whose larger region the table lacks has none.
    #[test]
    fn municipalities_and_counties_name_the_region_they_lie_in() {
        let regions = DATASET
            .replace(
                r#""index": {"00": 0, "0180": 1}, "label": {"00": "Riket", "0180": "Stockholm"}"#,
                r#""index": {"00": 0, "01": 1, "0180": 2, "0380": 3}, "label": {"00": "Riket", "01": "Stockholms län", "0180": "Stockholm", "0380": "Uppsala"}"#,
            )
            .replace("[2, 3, 1, 2]", "[4, 3, 1, 1]")
            .replace(r#""index": {"2023": 0, "2024": 1}"#, r#""index": {"2024": 0}"#)
            .replace(
                "[100, 110, 120, 130, 220, 240, 10, null, 0, 12, 17, 24]",
                "[100, 110, 210, 60, 50, 110, 55, 50, 105, 5, 0, 5]",
            );
        let t = read(Path::new("scb.json"), &regions).unwrap();
        let parent = |unit: &str| t.units[unit].parent.as_deref();
        assert_eq!(parent("0180"), Some("01"));
        assert_eq!(parent("01"), Some("00"));
        assert_eq!(parent("00"), None);
        assert_eq!(parent("0380"), None, "Uppsala län is not in the table");
    }

    #[test]
    fn a_size_that_does_not_match_the_values_is_refused() {
        let broken = DATASET.replace("[2, 3, 1, 2]", "[2, 3, 1, 3]");
        let e = read(Path::new("scb.json"), &broken).unwrap_err();
        assert!(e[0].message.contains("`size` makes 18 cells"), "{e:?}");
    }
}
