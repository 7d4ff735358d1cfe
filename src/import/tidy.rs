//! A tidy CSV as publishers release it: one row per period and unit, a
//! period column, unit code and name columns, one column per measure,
//! symbols in cells (England's DfE statistics, Eurostat extracts, a
//! spreadsheet of one's own). Columns are named by options or detected.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::data::csv::{decode, sniff_delimiter};
use crate::data::number::parse_number;
use crate::data::{MeasureKind, MeasureUnit, Period, Status};
use crate::diagnostics::Diagnostic;
use crate::import::{Row, Table, id_from_code, problem};

/// Whose symbols the cells use: the same letter means different things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Symbols {
    /// insyn's own (§3.4).
    #[default]
    Insyn,
    /// The UK Government Statistical Service: `x` not available, `z` not
    /// applicable, `c` confidential, `low` rounds to zero, `u` low
    /// reliability, `:` not available.
    Gss,
    /// Official Swedish statistics (SCB): `..` not available, `.` not
    /// applicable, `–` zero.
    Scb,
    /// Kolada's interface: `..` confidential, `-` no answer, `.` not applicable.
    Kolada,
}

impl Symbols {
    pub fn from_name(name: &str) -> Option<Symbols> {
        Some(match name.to_lowercase().as_str() {
            "insyn" => Symbols::Insyn,
            "gss" | "uk" => Symbols::Gss,
            "scb" | "official" => Symbols::Scb,
            "kolada" => Symbols::Kolada,
            _ => return None,
        })
    }

    /// A cell without a number, as a status; a true zero (`–`) as 0.
    fn read(self, cell: &str) -> Option<(Option<f64>, Status)> {
        let s = cell.trim();
        let status = match (self, s) {
            (Symbols::Gss, "x" | "X" | ":") => Status::NotAvailable,
            (Symbols::Gss, "z" | "Z") => Status::NotApplicable,
            (Symbols::Gss, "c" | "C") => Status::Suppressed,
            (Symbols::Gss, "low" | "k") => Status::RoundsToZero,
            (Symbols::Gss, "u") => Status::LowReliability,
            (Symbols::Scb, "..") => Status::NotAvailable,
            (Symbols::Scb, ".") => Status::NotApplicable,
            (Symbols::Scb, "–" | "-") => return Some((Some(0.0), Status::Final)),
            (Symbols::Kolada, "..") => Status::Suppressed,
            (Symbols::Kolada, "-") => Status::NotAvailable,
            (Symbols::Kolada, ".") => Status::NotApplicable,
            (Symbols::Insyn, _) => {
                let st = Status::from_symbol(s)?;
                if st == Status::Final {
                    return None;
                }
                st
            }
            _ => return None,
        };
        Some((None, status))
    }
}

/// Which columns hold what; empty lists are detected.
#[derive(Debug, Clone, Default)]
pub struct TidyOptions {
    pub period: Option<String>,
    /// Unit code columns, the first non-empty one per row (a file may give
    /// local authorities, regions and the country in different columns).
    pub unit_code: Vec<String>,
    pub unit_name: Vec<String>,
    /// The measure columns; by default every other column whose cells are
    /// all numbers or symbols.
    pub measures: Vec<String>,
    pub symbols: Symbols,
    /// The publisher, for the measures' `source`.
    pub source: Option<String>,
}

const PERIOD_NAMES: &[&str] = &[
    "period",
    "time_period",
    "year",
    "år",
    "ar",
    "kvartal",
    "quarter",
    "tid",
    "time",
];

fn is_code_header(h: &str) -> bool {
    let h = h.to_lowercase();
    h.ends_with("code") || h.ends_with("kod") || h.ends_with("_id") || h == "id"
}

fn is_name_header(h: &str) -> bool {
    let h = h.to_lowercase();
    h.ends_with("name") || h.ends_with("namn") || h == "unit" || h == "enhet" || h == "kommun"
}

/// Reads a tidy CSV file's bytes.
pub fn read(file: &Path, bytes: &[u8], options: &TidyOptions) -> Result<Table, Vec<Diagnostic>> {
    let (text, _) = decode(file, bytes).map_err(|d| vec![d])?;
    let (delimiter, skip_sep) = sniff_delimiter(&text);
    let body = if skip_sep {
        text.split_once('\n').map_or("", |(_, rest)| rest)
    } else {
        &text
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(body.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|s| s.trim().trim_start_matches('\u{feff}').to_string())
            .collect(),
        Err(e) => return Err(vec![problem(file, format!("cannot read the CSV: {e}"))]),
    };
    let records: Vec<csv::StringRecord> = match reader.records().collect() {
        Ok(r) => r,
        Err(e) => return Err(vec![problem(file, format!("cannot read the CSV: {e}"))]),
    };
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let header_line = headers.join(&(delimiter as char).to_string());
    let missing = |what: &str, option: &str, name: Option<&str>| {
        let d = problem(file, format!("no {what} column"))
            .at(1, 1)
            .found(header_line.clone());
        match name {
            Some(n) => d
                .expected(format!("a column named `{n}`"))
                .help(format!("the header has no `{n}`: check `{option}`")),
            None => d
                .expected(format!("a {what} column"))
                .help(format!("name it with `{option} COLUMN`")),
        }
    };
    let distinct = |i: usize| {
        records
            .iter()
            .filter_map(|r| r.get(i).map(str::trim).filter(|s| !s.is_empty()))
            .collect::<BTreeSet<_>>()
            .len()
    };
    let mut problems = Vec::new();
    let named = |names: &[String], what: &str, option: &str, problems: &mut Vec<Diagnostic>| {
        names
            .iter()
            .filter_map(|n| {
                let c = column(n);
                if c.is_none() {
                    problems.push(missing(what, option, Some(n)));
                }
                c
            })
            .collect::<Vec<usize>>()
    };
    let period_col = match &options.period {
        Some(p) => {
            let c = column(p);
            if c.is_none() {
                problems.push(missing("period", "--period", Some(p)));
            }
            c
        }
        None => {
            let c = headers
                .iter()
                .position(|h| PERIOD_NAMES.contains(&h.to_lowercase().as_str()));
            if c.is_none() {
                problems.push(missing("period", "--period", None));
            }
            c
        }
    };
    // The detected code or name column is the one with the most values.
    let most_distinct = |pred: &dyn Fn(&str) -> bool| {
        headers
            .iter()
            .enumerate()
            .filter(|(i, h)| Some(*i) != period_col && pred(h))
            .max_by_key(|(i, _)| (distinct(*i), std::cmp::Reverse(*i)))
            .map(|(i, _)| vec![i])
            .unwrap_or_default()
    };
    let mut code_cols = if options.unit_code.is_empty() {
        most_distinct(&is_code_header)
    } else {
        named(
            &options.unit_code,
            "unit code",
            "--unit-code",
            &mut problems,
        )
    };
    let name_cols = if options.unit_name.is_empty() {
        most_distinct(&is_name_header)
    } else {
        named(
            &options.unit_name,
            "unit name",
            "--unit-name",
            &mut problems,
        )
    };
    if code_cols.is_empty() {
        code_cols = name_cols.clone();
    }
    if code_cols.is_empty() && options.unit_code.is_empty() {
        problems.push(missing("unit", "--unit-code", None));
    }
    let taken: BTreeSet<usize> = period_col
        .iter()
        .chain(&code_cols)
        .chain(&name_cols)
        .copied()
        .collect();
    let decimal_comma = delimiter != b',';
    let number_or_symbol = |cell: &str| -> Option<(Option<f64>, Status)> {
        let cell = cell.trim();
        if let Some(n) = parse_number(cell, decimal_comma) {
            return Some((Some(n), Status::Final));
        }
        options.symbols.read(cell)
    };
    let measure_cols: Vec<usize> = if options.measures.is_empty() {
        (0..headers.len())
            .filter(|i| !taken.contains(i) && !is_code_header(&headers[*i]))
            .filter(|i| {
                let cells = || records.iter().filter_map(|r| r.get(*i)).map(str::trim);
                cells().any(|c| parse_number(c, decimal_comma).is_some())
                    && cells().all(|c| c.is_empty() || number_or_symbol(c).is_some())
            })
            .collect()
    } else {
        named(&options.measures, "measure", "--measures", &mut problems)
    };
    if measure_cols.is_empty() && problems.is_empty() {
        problems.push(
            problem(file, "no measure columns: no other column holds only numbers and symbols")
                .at(1, 1)
                .found(header_line.clone())
                .help("name them with `--measures a,b,c`, and the symbols' convention with `--symbols gss|scb|kolada`"),
        );
    }
    let (Some(period_col), false) = (period_col, !problems.is_empty()) else {
        return Err(problems);
    };

    let mut table = Table {
        source: options.source.clone().unwrap_or_default(),
        ..Table::default()
    };
    let mut names: BTreeMap<String, (Period, String)> = BTreeMap::new();
    let mut larger_areas: BTreeMap<String, (Period, String)> = BTreeMap::new();
    let mut integer: BTreeMap<usize, bool> = BTreeMap::new();
    let mut skipped = 0usize;
    for (k, record) in records.iter().enumerate() {
        let line = k + 2 + usize::from(skip_sep);
        let field = |i: usize| record.get(i).map(str::trim).unwrap_or("");
        let period_text = field(period_col);
        let Some(period) = Period::parse(period_text) else {
            problems.push(
                problem(file, "unparseable period")
                    .at_line(line)
                    .found(period_text)
                    .expected(crate::data::period::PERIOD_EXPECTED),
            );
            continue;
        };
        let Some((rank, code)) = code_cols
            .iter()
            .map(|i| field(*i))
            .enumerate()
            .find(|(_, c)| !c.is_empty())
        else {
            skipped += 1;
            continue;
        };
        let unit = id_from_code(code);
        let name = name_cols.iter().map(|i| field(*i)).find(|c| !c.is_empty());
        // A code from a later column is a larger area's (a region, the
        // country): a reference figure beside the units, not one of them.
        if rank > 0 {
            table.unit(&unit).reference = Some(None);
        }
        table.unit(&unit);
        // The first code after the unit's own is the larger area it lies in
        // (a local authority's region, a region's country); a unit moved
        // from one to another keeps its latest.
        if let Some(larger) = code_cols[rank + 1..]
            .iter()
            .map(|i| field(*i))
            .find(|c| !c.is_empty())
        {
            keep_latest(&mut larger_areas, &unit, period, id_from_code(larger));
        }
        if let Some(name) = name {
            // A unit renamed over time keeps its latest name.
            keep_latest(&mut names, &unit, period, name.to_string());
        }
        for &i in &measure_cols {
            let cell = field(i);
            if cell.is_empty() {
                continue;
            }
            let Some((value, status)) = number_or_symbol(cell) else {
                problems.push(
                    problem(file, format!("unknown symbol in column `{}`", headers[i]))
                        .at_line(line)
                        .found(cell)
                        .expected("a number, or a symbol of the source's convention")
                        .help("name the convention with `--symbols gss|scb|kolada`, or leave the column out with `--measures`"),
                );
                continue;
            };
            if let Some(v) = value {
                let e = integer.entry(i).or_insert(true);
                *e &= v.fract() == 0.0 && v >= 0.0;
            }
            table.rows.push(Row {
                period,
                unit: unit.clone(),
                measure: id_from_code(&headers[i]),
                group: None,
                value,
                status,
            });
        }
    }
    for (unit, (_, name)) in names {
        table.unit(&unit).name = Some(name);
    }
    // Declared as the parent only when the document has the larger area's
    // own rows (`--unit-code` named its column): its figure beside its
    // units' is a sum, and a reader can take the published units from it
    // to find a hidden one, unless disclosure control knows the sum.
    for (unit, (_, larger)) in larger_areas {
        if larger != unit && table.units.contains_key(&larger) {
            table.unit(&unit).parent = Some(larger);
        }
    }
    // One staffing measure, so that a unit's staff are not counted twice
    // (FTE in post and case-holding FTE): the one that holds cases, else the
    // first.
    let fte_headers: Vec<&str> = measure_cols.iter().map(|i| headers[*i].as_str()).collect();
    let staffing = fte_headers
        .iter()
        .find(|h| {
            let h = h.to_lowercase();
            h.contains("fte") && h.contains("case")
        })
        .or_else(|| {
            fte_headers
                .iter()
                .find(|h| h.to_lowercase().contains("fte"))
        })
        .map(|h| h.to_string());
    for &i in &measure_cols {
        let id = id_from_code(&headers[i]);
        let values: Vec<f64> = table
            .rows
            .iter()
            .filter(|r| r.measure == id)
            .filter_map(|r| r.value)
            .collect();
        let unit = guess_unit(
            &headers[i],
            integer.get(&i).copied().unwrap_or(false),
            &values,
        );
        let info = table.measure(&id);
        info.label = Some(headers[i].clone());
        info.unit = Some(unit);
        info.kind = Some(MeasureKind::Stock);
        info.role = guess_role(&headers[i], unit, staffing.as_deref() == Some(&headers[i]));
    }
    if skipped > 0 {
        table.notes.push(format!(
            "left out {skipped} rows without a unit code (totals of a larger area?): name more code columns with `--unit-code a,b` to keep them"
        ));
    }
    if problems.is_empty() {
        Ok(table)
    } else {
        Err(problems)
    }
}

/// A measure's unit from its header and values: a proposal to check.
fn guess_unit(header: &str, integers: bool, values: &[f64]) -> MeasureUnit {
    let h = header.to_lowercase();
    let within_percent = values.iter().all(|v| (0.0..=100.0).contains(v));
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&["rate", "percent", "andel", "share", "procent"]) {
        if within_percent {
            MeasureUnit::Percent
        } else {
            MeasureUnit::Ratio
        }
    } else if has(&["caseload", "_per_", "per "]) {
        MeasureUnit::Ratio
    } else if has(&["days", "dagar"]) {
        MeasureUnit::Days
    } else if has(&["fte", "årsarb"]) {
        MeasureUnit::Fte
    } else if integers {
        MeasureUnit::Count
    } else {
        MeasureUnit::Ratio
    }
}

fn guess_role(header: &str, unit: MeasureUnit, staffing: bool) -> Option<&'static str> {
    let h = header.to_lowercase();
    match unit {
        MeasureUnit::Count if h.contains("case") || h.contains("ärende") => Some("caseload"),
        MeasureUnit::Fte if staffing => Some("staffing"),
        _ => None,
    }
}

/// Records `value` for `unit` unless a later period gave it one already.
fn keep_latest(
    latest: &mut BTreeMap<String, (Period, String)>,
    unit: &str,
    period: Period,
    value: String,
) {
    match latest.get_mut(unit) {
        Some(e) if e.0 > period => {}
        Some(e) => *e = (period, value),
        None => {
            latest.insert(unit.to_string(), (period, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "time_period,geographic_level,region_code,new_la_code,la_name,cases,case_holders_fte,absence_rate_fte\n\
        2025,National,,,,321661,21105.4,3.5\n\
        2025,Local authority,E12000003,E08000039,Sheffield,x,z,low\n\
        2024,Local authority,E12000003,E08000019,Sheffield,4100,250.5,3\n";

    fn gss() -> TidyOptions {
        TidyOptions {
            symbols: Symbols::Gss,
            ..TidyOptions::default()
        }
    }

    #[test]
    fn detects_the_columns_and_maps_gss_symbols() {
        let t = read(Path::new("dfe.csv"), CSV.as_bytes(), &gss()).unwrap();
        // The national row has no local-authority code: left out, and said.
        assert_eq!(t.rows.len(), 6);
        assert!(t.notes[0].contains("left out 1 rows"));
        assert_eq!(t.units["e08000039"].name.as_deref(), Some("Sheffield"));
        assert_eq!(t.units["e08000019"].name.as_deref(), Some("Sheffield"));
        let cell = |unit: &str, m: &str| {
            t.rows
                .iter()
                .find(|r| r.unit == unit && r.measure == m)
                .map(|r| (r.value, r.status))
                .unwrap()
        };
        // GSS `x` is "not available", not insyn's `x` (suppressed).
        assert_eq!(cell("e08000039", "cases"), (None, Status::NotAvailable));
        assert_eq!(
            cell("e08000039", "case_holders_fte"),
            (None, Status::NotApplicable)
        );
        assert_eq!(
            cell("e08000039", "absence_rate_fte"),
            (None, Status::RoundsToZero)
        );
        assert_eq!(cell("e08000019", "cases"), (Some(4100.0), Status::Final));
        assert_eq!(t.measures["cases"].unit, Some(MeasureUnit::Count));
        assert_eq!(t.measures["cases"].role, Some("caseload"));
        assert_eq!(t.measures["case_holders_fte"].unit, Some(MeasureUnit::Fte));
        assert_eq!(
            t.measures["absence_rate_fte"].unit,
            Some(MeasureUnit::Percent)
        );
        // Code columns are never measures, even when numeric.
        assert!(!t.measures.contains_key("region_code"));
    }

    #[test]
    fn fallback_code_columns_keep_the_national_row() {
        let options = TidyOptions {
            unit_code: vec!["new_la_code".into(), "region_code".into()],
            ..gss()
        };
        let csv = CSV.replace("2025,National,,", "2025,National,E92000001,");
        let t = read(Path::new("dfe.csv"), csv.as_bytes(), &options).unwrap();
        // From the second code column: a larger area, a reference figure.
        assert_eq!(t.units["e92000001"].reference, Some(None));
        assert_eq!(t.units["e08000019"].reference, None);
        assert!(t.notes.is_empty());
    }

    /// A local authority's region and a region's country are their parents
    /// when the document has their rows: their figures are sums of the
    /// units', which disclosure control protects only when it knows them
    /// (in the DfE workforce file, 28 small counts of authorities hidden as
    /// `<5` were their region's figure minus the other authorities').
    #[test]
    fn the_larger_area_of_a_row_is_its_units_parent_when_it_has_rows() {
        const CSV: &str = "time_period,geographic_level,country_code,region_code,new_la_code,la_name,region_name,cases\n\
            2025,National,E92000001,,,,,900\n\
            2025,Regional,E92000001,E12000003,,,Yorkshire,300\n\
            2025,Local authority,E92000001,E12000003,E08000039,Sheffield,Yorkshire,297\n\
            2025,Local authority,E92000001,E12000003,E08000040,Rotherham,Yorkshire,3\n\
            2025,Local authority,E92000001,E12000009,E06000022,Bath,South West,600\n";
        let options = TidyOptions {
            unit_code: vec![
                "new_la_code".into(),
                "region_code".into(),
                "country_code".into(),
            ],
            unit_name: vec!["la_name".into(), "region_name".into()],
            ..gss()
        };
        let t = read(Path::new("dfe.csv"), CSV.as_bytes(), &options).unwrap();
        let parent = |unit: &str| t.units[unit].parent.as_deref();
        assert_eq!(parent("e08000039"), Some("e12000003"));
        assert_eq!(parent("e08000040"), Some("e12000003"));
        assert_eq!(parent("e12000003"), Some("e92000001"));
        assert_eq!(parent("e92000001"), None);
        // Its region has no rows here: nothing to protect against, and a
        // parent that is not a unit would not load.
        assert_eq!(parent("e06000022"), None);
        let toml = crate::import::units_toml(&t, &[]);
        assert!(
            toml.contains("[units.e08000040]\nname = \"Rotherham\"\nparent = \"e12000003\"\n"),
            "{toml}"
        );
    }

    #[test]
    fn a_column_that_is_not_there_is_named() {
        let options = TidyOptions {
            period: Some("year".into()),
            ..gss()
        };
        let e = read(Path::new("dfe.csv"), CSV.as_bytes(), &options).unwrap_err();
        assert_eq!(e[0].message, "no period column");
        assert_eq!(e[0].expected.as_deref(), Some("a column named `year`"));
    }
}
