//! `insyn import`: public data as its publishers release it, turned into a
//! site's data.
//!
//! Each reader ([`kolada`], [`pxweb`], [`tidy`]) turns one source's document
//! into a neutral [`Table`]: observations with insyn's own status symbols
//! (each source's symbols are mapped where it is read, since the same `..`
//! means "confidential" in Kolada and "not available" in official
//! statistics), and what the source says about its measures and units.
//! [`write`] then writes the observations as a long CSV in `data/` and
//! proposes `units.toml` and `measures.toml` entries, never overwriting a
//! file of the user's.

pub mod kolada;
pub mod pxweb;
pub mod tidy;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::data::meta::is_safe_id;
use crate::data::{MeasureKind, MeasureUnit, Period, Status};
use crate::diagnostics::Diagnostic;

/// One observation, with insyn's own status.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub period: Period,
    pub unit: String,
    pub measure: String,
    /// A breakdown such as sex (`K`, `M`); `None` is the total.
    pub group: Option<String>,
    pub value: Option<f64>,
    pub status: Status,
}

/// What a source says about one of its measures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeasureInfo {
    pub id: String,
    pub label: Option<String>,
    pub unit: Option<MeasureUnit>,
    pub kind: Option<MeasureKind>,
    pub role: Option<&'static str>,
    pub definition: Option<String>,
}

/// What a source says about one of its units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitInfo {
    pub id: String,
    pub name: Option<String>,
    /// A reference figure rather than an organisational unit (the national
    /// figure, a group of municipalities), with its caveat if any.
    pub reference: Option<Option<String>>,
    /// The larger area it belongs to, when the source names one that is
    /// itself a unit of the document (a local authority's region): its
    /// figure is the sum of its units', which disclosure control must know
    /// to protect them (README, "Privacy").
    pub parent: Option<String>,
}

/// A source's document, read.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Who publishes it, as the measures' `source`.
    pub source: String,
    /// When the source says it was published or updated.
    pub published: Option<String>,
    pub measures: BTreeMap<String, MeasureInfo>,
    pub units: BTreeMap<String, UnitInfo>,
    pub rows: Vec<Row>,
    /// What the reader left out, for the summary (rows without a unit …).
    pub notes: Vec<String>,
}

impl Table {
    /// Records a unit the first time it is seen.
    pub fn unit(&mut self, id: &str) -> &mut UnitInfo {
        self.units
            .entry(id.to_string())
            .or_insert_with(|| UnitInfo {
                id: id.to_string(),
                ..UnitInfo::default()
            })
    }

    /// Records a measure the first time it is seen.
    pub fn measure(&mut self, id: &str) -> &mut MeasureInfo {
        self.measures
            .entry(id.to_string())
            .or_insert_with(|| MeasureInfo {
                id: id.to_string(),
                ..MeasureInfo::default()
            })
    }
}

/// An id for a code the source uses (`N00945` → `n00945`, `E08000019` →
/// `e08000019`, `1+2` → `1-2`): lower case, `[a-z0-9_-]`.
pub fn id_from_code(code: &str) -> String {
    let mut out = String::new();
    for c in code.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            'é' => 'e',
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => c,
            _ => '-',
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    let out = out.trim_matches('-').to_string();
    if is_safe_id(&out) { out } else { "x".into() }
}

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum ImportError {
    /// The document is not what the reader expects: every problem.
    Invalid(Vec<Diagnostic>),
    /// A file it would write exists (it never overwrites one).
    Exists(PathBuf),
    Io(PathBuf, std::io::Error),
    /// `--name` is not a plain file name.
    BadName(String),
}

/// What [`write`] wrote, relative to the site root.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub csv: PathBuf,
    /// The entries proposed for `data/units.toml` and `data/measures.toml`:
    /// the file itself when there was none, else a `*.proposed.toml` beside
    /// it with the entries it does not have yet.
    pub units: PathBuf,
    pub measures: PathBuf,
    pub rows: usize,
    pub notes: Vec<String>,
}

/// Writes `table` into the site at `root`: `data/<name>.csv` (long:
/// `period,unit,measure[,group],value,status`), and the proposed entries.
pub fn write(root: &Path, name: &str, table: &Table) -> Result<Written, ImportError> {
    if !is_file_name(name) {
        return Err(ImportError::BadName(name.to_string()));
    }
    let data = root.join("data");
    let csv_rel = PathBuf::from("data").join(format!("{name}.csv"));
    if root.join(&csv_rel).exists() {
        return Err(ImportError::Exists(csv_rel));
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |e| ImportError::Io(path, e)
    };
    std::fs::create_dir_all(&data).map_err(io(&data))?;
    let units_rel = proposal(root, "units");
    let measures_rel = proposal(root, "measures");
    let csv = long_csv(table);
    let units_text = units_toml(table, &existing_ids(root, "units"));
    let measures_text = measures_toml(table, &existing_ids(root, "measures"));
    // The CSV is created new (never over a file that appeared meanwhile).
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(root.join(&csv_rel))
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => ImportError::Exists(csv_rel.clone()),
            _ => ImportError::Io(csv_rel.clone(), e),
        })?;
    std::io::Write::write_all(&mut file, csv.as_bytes()).map_err(io(&csv_rel))?;
    for (rel, text) in [(&units_rel, units_text), (&measures_rel, measures_text)] {
        // Created new, like the CSV: a proposal a user is editing is theirs.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(root.join(rel))
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
            .map_err(io(rel))?;
    }
    Ok(Written {
        csv: csv_rel,
        units: units_rel,
        measures: measures_rel,
        rows: table.rows.len(),
        notes: table.notes.clone(),
    })
}

/// Where the proposal for `data/<what>.toml` goes: the file itself when it
/// does not exist, else the first of `data/<what>.proposed.toml`,
/// `data/<what>.proposed-2.toml`, … that does not exist (an earlier
/// proposal may hold a user's edits).
fn proposal(root: &Path, what: &str) -> PathBuf {
    let own = PathBuf::from("data").join(format!("{what}.toml"));
    if !root.join(&own).exists() {
        return own;
    }
    (1..)
        .map(|n| {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("-{n}")
            };
            PathBuf::from("data").join(format!("{what}.proposed{suffix}.toml"))
        })
        .find(|p| !root.join(p).exists())
        .expect("a free name")
}

/// Whether `name` names a file in `data/` and nothing else: no folder, no
/// way up, not hidden (`--name ../x` would write outside the site).
fn is_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && name.len() <= 200
}

/// The ids already declared in `data/<what>.toml` (`[units.<id>]`,
/// `[measures.<id>]`), so a proposal only adds what is new.
fn existing_ids(root: &Path, what: &str) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(root.join("data").join(format!("{what}.toml"))) else {
        return Vec::new();
    };
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    doc.get(what)
        .and_then(|v| v.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

fn long_csv(table: &Table) -> String {
    let groups = table.rows.iter().any(|r| r.group.is_some());
    let mut out = String::from(if groups {
        "period,unit,measure,group,value,status\n"
    } else {
        "period,unit,measure,value,status\n"
    });
    let mut rows: Vec<&Row> = table.rows.iter().collect();
    rows.sort_by(|a, b| {
        (&a.measure, &a.unit, &a.group, a.period).cmp(&(&b.measure, &b.unit, &b.group, b.period))
    });
    for r in rows {
        let value = r.value.map(csv_number).unwrap_or_default();
        let _ = write!(out, "{},{},{},", r.period, r.unit, r.measure);
        if groups {
            let _ = write!(
                out,
                "{},",
                crate::format::csv_cell(r.group.as_deref().unwrap_or(""))
            );
        }
        let _ = writeln!(out, "{value},{}", r.status.symbol());
    }
    out
}

/// A number as it reads back exactly: no exponent, no trailing zeros.
fn csv_number(n: f64) -> String {
    let s = format!("{n}");
    if s.contains('e') || s.contains("inf") || s.contains("NaN") {
        crate::format::fixed(n, 6)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        s
    }
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn units_toml(table: &Table, existing: &[String]) -> String {
    let mut out = String::from(
        "# Proposed by `insyn import`: check the names, add `area` and `parent`\n\
         # where the units belong to an organisation, and copy what you keep\n\
         # into data/units.toml (ids are used in CSV files, charts and addresses).\n\n",
    );
    for u in table.units.values() {
        if existing.contains(&u.id) {
            continue;
        }
        let _ = writeln!(out, "[units.{}]", u.id);
        match &u.name {
            Some(name) => {
                let _ = writeln!(out, "name = {}", quote(name));
            }
            None => {
                let _ = writeln!(
                    out,
                    "name = {}  # the source gives no name: write one",
                    quote(&u.id)
                );
            }
        }
        match &u.reference {
            Some(Some(note)) => {
                let _ = writeln!(out, "reference = {}", quote(note));
            }
            Some(None) => out.push_str("reference = true\n"),
            None => {}
        }
        if let Some(parent) = &u.parent {
            let _ = writeln!(out, "parent = {}", quote(parent));
        }
        out.push('\n');
    }
    out
}

fn measures_toml(table: &Table, existing: &[String]) -> String {
    let mut out = String::from(
        "# Proposed by `insyn import`: check each label, unit and kind, add a\n\
         # `role` (caseload, staffing, …) and `limitations`, and copy what you\n\
         # keep into data/measures.toml.\n\n",
    );
    let unit_name = |u: MeasureUnit| match u {
        MeasureUnit::Count => "count",
        MeasureUnit::Fte => "fte",
        MeasureUnit::Percent => "percent",
        MeasureUnit::Days => "days",
        MeasureUnit::Points => "points",
        MeasureUnit::Ratio => "ratio",
    };
    for m in table.measures.values() {
        if existing.contains(&m.id) {
            continue;
        }
        let _ = writeln!(out, "[measures.{}]", m.id);
        match &m.label {
            Some(l) => {
                let _ = writeln!(out, "label = {}", quote(l));
            }
            None => {
                let _ = writeln!(
                    out,
                    "label = {}  # the source gives no title: write one",
                    quote(&m.id)
                );
            }
        }
        match m.unit {
            Some(u) => {
                let _ = writeln!(out, "unit = \"{}\"", unit_name(u));
            }
            None => out.push_str(
                "unit = \"ratio\"  # not given by the source: count, fte, percent, days, points or ratio\n",
            ),
        }
        if let Some(kind) = m.kind {
            let _ = writeln!(
                out,
                "kind = \"{}\"",
                if kind == MeasureKind::Flow {
                    "flow"
                } else {
                    "stock"
                }
            );
        }
        if let Some(role) = m.role {
            let _ = writeln!(out, "role = \"{role}\"");
        }
        if let Some(d) = &m.definition {
            let _ = writeln!(out, "definition = {}", quote(d));
        }
        match (&table.published, table.source.is_empty()) {
            (Some(p), _) => {
                let _ = writeln!(
                    out,
                    "source = {{ sv = {}, en = {} }}",
                    quote(&format!("{}, publicerad {p}", table.source)),
                    quote(&format!("{}, published {p}", table.source))
                );
            }
            (None, false) => {
                let _ = writeln!(out, "source = {}", quote(&table.source));
            }
            (None, true) => {}
        }
        out.push('\n');
    }
    out
}

/// A located problem in an imported document.
pub(crate) fn problem(file: &Path, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(file, message)
}

/// A problem in a JSON document, at serde_json's line and column.
pub(crate) fn json_problem(file: &Path, e: &serde_json::Error, expected: &str) -> Diagnostic {
    let d = problem(file, format!("cannot read the JSON: {e}")).expected(expected.to_string());
    if e.line() > 0 {
        d.at(e.line(), e.column().max(1))
    } else {
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_codes_are_safe() {
        assert_eq!(id_from_code("N00945"), "n00945");
        assert_eq!(id_from_code("E08000019"), "e08000019");
        assert_eq!(id_from_code("1+2"), "1-2");
        assert_eq!(id_from_code("0180"), "0180");
        assert_eq!(id_from_code("../"), "x");
    }

    #[test]
    fn numbers_read_back_exactly() {
        for n in [31.3, 0.1, 1e-7, 123456789.0, 15.2] {
            let s = csv_number(n);
            assert!(!s.contains('e'), "{s}");
            let back: f64 = s.parse().unwrap();
            assert!((back - n).abs() < 1e-6, "{n} → {s}");
        }
    }

    #[test]
    fn writes_never_over_a_users_file_and_propose_only_new_entries() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        std::fs::create_dir(&data).unwrap();
        std::fs::write(
            data.join("units.toml"),
            "[units.0180]\nname = \"Stockholm\"\n",
        )
        .unwrap();
        let mut table = Table::default();
        table.unit("0180").name = Some("Stockholm".into());
        table.unit("0000").name = Some("Riket".into());
        table.measure("n1").label = Some("Ett \"mått\"".into());
        table.rows.push(Row {
            period: Period::Year(2020),
            unit: "0180".into(),
            measure: "n1".into(),
            group: None,
            value: Some(31.3),
            status: Status::Final,
        });
        let w = write(tmp.path(), "kolada", &table).unwrap();
        assert_eq!(w.units, Path::new("data/units.proposed.toml"));
        assert_eq!(w.measures, Path::new("data/measures.toml"));
        let units = std::fs::read_to_string(data.join("units.toml")).unwrap();
        assert_eq!(units, "[units.0180]\nname = \"Stockholm\"\n");
        let proposed = std::fs::read_to_string(data.join("units.proposed.toml")).unwrap();
        assert!(proposed.contains("[units.0000]"));
        assert!(!proposed.contains("[units.0180]"));
        let measures = std::fs::read_to_string(data.join("measures.toml")).unwrap();
        assert!(
            measures.contains("label = \"Ett \\\"mått\\\"\""),
            "{measures}"
        );
        assert_eq!(
            std::fs::read_to_string(data.join("kolada.csv")).unwrap(),
            "period,unit,measure,value,status\n2020,0180,n1,31.3,\n"
        );
        // A second import under the same name is refused: nothing changes.
        match write(tmp.path(), "kolada", &table) {
            Err(ImportError::Exists(p)) => assert_eq!(p, Path::new("data/kolada.csv")),
            other => panic!("{other:?}"),
        }
        // Under another name, the proposals a user may be editing stay:
        // the new ones go beside them.
        std::fs::write(data.join("units.proposed.toml"), "# my edits\n").unwrap();
        let again = write(tmp.path(), "again", &table).unwrap();
        assert_eq!(again.units, Path::new("data/units.proposed-2.toml"));
        assert_eq!(again.measures, Path::new("data/measures.proposed.toml"));
        assert_eq!(
            std::fs::read_to_string(data.join("units.proposed.toml")).unwrap(),
            "# my edits\n"
        );
    }

    /// `--name` names a file in `data/`: never a way out of it.
    #[test]
    fn a_name_that_is_not_a_file_name_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        for name in ["../../escaped", "/tmp/abs", "", ".hidden", "a/b", "a\\b"] {
            match write(tmp.path(), name, &Table::default()) {
                Err(ImportError::BadName(n)) => assert_eq!(n, name),
                other => panic!("{name}: {other:?}"),
            }
        }
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
        assert!(write(tmp.path(), "scb-2024_v2", &Table::default()).is_ok());
    }
}
