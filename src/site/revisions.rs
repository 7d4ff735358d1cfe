//! Editions and revisions (§4). `insyn publish` records the data a published
//! site used under `editions/<period>/data.csv`; every later build compares
//! the current data with the newest edition, marks each changed value
//! revised (`r`) and lists it on the revisions page.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::data::dataset::Observation;
use crate::data::{Dataset, Period, SeriesKey, Status, Value};
use crate::diagnostics::Diagnostic;
use crate::disclosure::CellKey;

const EDITIONS: &str = "editions";
const EDITION_FILE: &str = "data.csv";
const HEADER: &str = "period,unit,measure,group,value,status";
/// The series breaks an edition's site marked, beside its data.
const BREAKS_FILE: &str = "breaks.csv";
const BREAKS_HEADER: &str = "measure,period";

/// One changed value.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Revision {
    pub period: Period,
    pub unit: String,
    pub measure: String,
    pub group: Option<String>,
    pub old_value: Option<f64>,
    pub old_status: Status,
    pub new_value: Option<f64>,
    pub new_status: Status,
}

/// The newest recorded edition: its name (the period) and its values.
pub struct Edition {
    pub name: String,
    pub rows: Vec<(SeriesKey, Period, Option<f64>, Status)>,
    /// The series breaks its site marked, by measure and period; `None`
    /// for an edition recorded before they were.
    pub breaks: Option<Vec<(String, Period)>>,
}

/// Finds and reads the newest edition under `root/editions/`, if any.
pub fn newest_edition(root: &Path) -> Result<Option<Edition>, Vec<Diagnostic>> {
    let dir = root.join(EDITIONS);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(None);
    };
    let newest = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join(EDITION_FILE).is_file())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            Period::parse(&name).map(|p| (p, name))
        })
        .max();
    let Some((_, name)) = newest else {
        return Ok(None);
    };
    let file = PathBuf::from(EDITIONS).join(&name).join(EDITION_FILE);
    let text = std::fs::read_to_string(root.join(&file)).map_err(|e| {
        vec![Diagnostic::error(
            &file,
            format!("cannot read the edition: {e}"),
        )]
    })?;
    let mut rows = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    for (i, record) in reader.records().enumerate() {
        let bad = |what: &str| damaged(&file, i + 2, what);
        let r = record.map_err(|e| bad(&e.to_string()))?;
        if r.len() != 6 {
            return Err(bad("wrong number of fields"));
        }
        let period = Period::parse(&r[0]).ok_or_else(|| bad("unreadable period"))?;
        let value = if r[4].is_empty() {
            None
        } else {
            Some(r[4].parse::<f64>().map_err(|_| bad("unreadable value"))?)
        };
        let status = Status::from_symbol(&r[5]).ok_or_else(|| bad("unknown status"))?;
        let key = SeriesKey {
            measure: r[2].to_string(),
            unit: r[1].to_string(),
            group: (!r[3].is_empty()).then(|| r[3].to_string()),
        };
        rows.push((key, period, value, status));
    }
    let breaks = read_breaks(root, &PathBuf::from(EDITIONS).join(&name).join(BREAKS_FILE))?;
    Ok(Some(Edition { name, rows, breaks }))
}

/// The problem of line `line` of an edition's CSV `file`.
fn damaged(file: &Path, line: usize, what: &str) -> Vec<Diagnostic> {
    vec![
        Diagnostic::error(file, format!("the edition file is damaged: {what}"))
            .at_line(line)
            .help("editions are written by `insyn publish`; restore the file from version control"),
    ]
}

/// An edition's `breaks.csv`; `None` when it has none.
fn read_breaks(root: &Path, file: &Path) -> Result<Option<Vec<(String, Period)>>, Vec<Diagnostic>> {
    let text = match std::fs::read_to_string(root.join(file)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(vec![Diagnostic::error(
                file,
                format!("cannot read the edition: {e}"),
            )]);
        }
    };
    let mut breaks = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    for (i, record) in reader.records().enumerate() {
        let bad = |what: &str| damaged(file, i + 2, what);
        let r = record.map_err(|e| bad(&e.to_string()))?;
        if r.len() != 2 {
            return Err(bad("wrong number of fields"));
        }
        let period = Period::parse(&r[1]).ok_or_else(|| bad("unreadable period"))?;
        breaks.push((r[0].to_string(), period));
    }
    Ok(Some(breaks))
}

/// The series breaks the newest edition's site marked that the data no
/// longer has (removed, or moved to another period), by measure and
/// period; not for a measure that is gone altogether. Without the break,
/// charts join the line across it and no longer state it: a smoother story
/// than the one published, so the revisions page lists them and every
/// build warns (see [`breaks_gone_warnings`]).
pub fn breaks_gone(data: &Dataset, edition: &Edition) -> Vec<(String, Period)> {
    let Some(published) = &edition.breaks else {
        return Vec::new();
    };
    published
        .iter()
        .filter(|(measure, period)| {
            data.measure(measure)
                .is_some_and(|now| !now.breaks.iter().any(|b| b.period == *period))
        })
        .cloned()
        .collect()
}

/// A warning at `data/measures.toml` for each break in `gone` (errors with
/// `--strict`), at the line of its measure's table when it is found.
pub fn breaks_gone_warnings(
    root: &Path,
    edition: &str,
    gone: &[(String, Period)],
) -> Vec<Diagnostic> {
    let file = Path::new("data").join("measures.toml");
    let text = if gone.is_empty() {
        String::new()
    } else {
        std::fs::read_to_string(root.join(&file)).unwrap_or_default()
    };
    gone.iter()
        .map(|(measure, period)| {
            let warning = Diagnostic::warning(
                &file,
                format!(
                    "the series break of `{measure}` at {period}, marked in the published edition {edition}, is gone: charts now join the line across it and no longer state it"
                ),
            )
            .help(format!(
                "values before and after a break are not comparable; keep its `[[measures.{measure}.breaks]]` entry, or, if it was a mistake, say so in the report's limitations (the revisions page lists it)"
            ));
            let table = format!("[measures.{measure}]");
            match text.lines().position(|l| l.trim() == table) {
                Some(i) => warning.at_line(i + 1).found(table),
                None => warning,
            }
        })
        .collect()
}

/// Compares the data, as read, with an edition and returns what changed
/// (the data is not touched: disclosure control marks the changed values
/// revised in the published view). A provisional value that became final
/// with the same number is not a revision.
pub fn compare(data: &Dataset, edition: &Edition) -> Vec<Revision> {
    let mut revisions = Vec::new();
    // A parent without rows of its own is given its units' sum: a row of
    // its that is gone is not a value gone from the site.
    let parents: std::collections::BTreeSet<&str> = data
        .units
        .units
        .values()
        .filter_map(|u| u.parent.as_deref())
        .collect();
    for (key, period, old_value, old_status) in &edition.rows {
        if data.measure(&key.measure).is_some_and(|m| m.is_derived()) {
            continue;
        }
        let obs = data.series_for(key).and_then(|s| s.points.get(period));
        let new_status = match obs {
            Some(obs) => obs.value.status,
            // A published value whose row is gone from the data (deleted by
            // mistake, or withdrawn) is a revision to "not available": the
            // site no longer shows it, and the page must not say nothing
            // changed. Not for a unit or measure that is gone altogether.
            None if old_value.is_some()
                && data.measure(&key.measure).is_some()
                && data.units.get(&key.unit).is_some()
                && !parents.contains(key.unit.as_str()) =>
            {
                Status::NotAvailable
            }
            None => continue,
        };
        let new_value = obs.and_then(|o| o.value.number);
        let changed = match (old_value, new_value) {
            (Some(a), Some(b)) => (a - b).abs() > 1e-9 * a.abs().max(1.0),
            (None, None) => false,
            _ => true,
        };
        if !changed {
            continue;
        }
        revisions.push(Revision {
            period: *period,
            unit: key.unit.clone(),
            measure: key.measure.clone(),
            group: key.group.clone(),
            old_value: *old_value,
            old_status: *old_status,
            new_value,
            new_status,
        });
    }
    revisions.sort_by(|a, b| (&a.measure, &a.unit, a.period).cmp(&(&b.measure, &b.unit, b.period)));
    revisions
}

/// The cells whose value changed, for disclosure control to mark revised.
pub fn cells(revisions: &[Revision]) -> Vec<CellKey> {
    revisions
        .iter()
        .map(|r| {
            let key = SeriesKey {
                measure: r.measure.clone(),
                unit: r.unit.clone(),
                group: r.group.clone(),
            };
            (key, r.period)
        })
        .collect()
}

/// The edition's data as a dataset of the current units and measures, with
/// its ratios computed: what disclosure control needs to work out what the
/// site built from that edition published.
pub fn edition_data(current: &Dataset, edition: &Edition) -> Dataset {
    let mut data = Dataset {
        units: current.units.clone(),
        measures: current.measures.clone(),
        series: Default::default(),
    };
    for (key, period, value, status) in &edition.rows {
        data.series.entry(key.clone()).or_default().points.insert(
            *period,
            Observation {
                value: Value {
                    number: *value,
                    status: *status,
                },
                origin: None,
            },
        );
    }
    crate::data::derived::compute_derived(&data.measures, &mut data.series);
    data
}

/// A value withheld by the earlier edition stays withheld on the revisions
/// page (H9): its old number is replaced by the reason it was not shown,
/// so a reader cannot take it from the list of changes and subtract it
/// from the sums that edition published. `earlier` is the published view
/// of the edition's data (see [`edition_data`]).
pub fn withhold_old(revisions: &mut [Revision], earlier: &Dataset) {
    for r in revisions {
        let key = SeriesKey {
            measure: r.measure.clone(),
            unit: r.unit.clone(),
            group: r.group.clone(),
        };
        let then = earlier.series_for(&key).and_then(|s| s.get(r.period));
        if let Some(v) = then
            && v.number.is_none()
        {
            r.old_value = None;
            r.old_status = v.status;
        }
    }
}

/// Records `data` (as read, before any comparison) as the edition `name`.
pub fn record(root: &Path, data: &Dataset, name: &str) -> std::io::Result<PathBuf> {
    let dir = root.join(EDITIONS).join(name);
    std::fs::create_dir_all(&dir)?;
    let mut out = String::from(HEADER);
    out.push('\n');
    for (key, series) in &data.series {
        if data.measure(&key.measure).is_some_and(|m| m.is_derived()) {
            continue;
        }
        for (period, obs) in &series.points {
            let value = obs.value.number.map(|n| format!("{n}")).unwrap_or_default();
            let status = obs.value.status;
            out.push_str(&format!(
                "{period},{},{},{},{value},{}\n",
                crate::format::csv_quote(&key.unit),
                crate::format::csv_quote(&key.measure),
                crate::format::csv_quote(key.group.as_deref().unwrap_or("")),
                status.symbol()
            ));
        }
    }
    let mut breaks = String::from(BREAKS_HEADER);
    breaks.push('\n');
    for measure in data.measures.measures.values() {
        for b in &measure.breaks {
            breaks.push_str(&format!(
                "{},{}\n",
                crate::format::csv_quote(&measure.id),
                b.period
            ));
        }
    }
    crate::output::write_file_atomically(&dir.join(BREAKS_FILE), breaks.as_bytes())?;
    // The edition's data is written last of all it records (see
    // `crate::record_publication`), and at once: an edition counts from
    // the moment it is there.
    let path = dir.join(EDITION_FILE);
    crate::output::write_file_atomically(&path, out.as_bytes())?;
    Ok(path)
}
