//! `load`: the whole data stage, from a site root to a [`Dataset`].

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::data::csv::{FileRead, Lookup, decode_owned, locate, read_text};
use crate::data::dataset::{Dataset, Observation, Origin, Series, SeriesKey};
use crate::data::derived::compute_derived;
use crate::data::identity_scan::scan_path;
use crate::data::meta::read_meta;
use crate::data::period::Period;
use crate::diagnostics::{Diagnostic, Diagnostics, MAX_PER_KIND};

/// A file's decoded text and what was read from it, or why it could not be read.
type FileResult = Result<(String, FileRead), Diagnostic>;

/// Reads `data/units.toml`, `data/measures.toml` and every `data/**/*.csv`
/// under `root`, checks them against each other and computes derived
/// measures. Returns every problem of every file at once, sorted by file,
/// line and column; paths are relative to `root`.
///
/// When a metadata file cannot be parsed as TOML at all, the CSV files are
/// not read (every unit and measure would be reported as unknown).
pub fn load(root: &Path) -> Result<Dataset, Vec<Diagnostic>> {
    let mut diagnostics = Diagnostics::new();
    let (units, measures) = read_meta(root);
    let fatal = units.fatal || measures.fatal;
    diagnostics.extend(units.diagnostics);
    diagnostics.extend(measures.diagnostics);
    let (units, measures) = (units.value, measures.value);
    if fatal {
        return Err(diagnostics.sorted());
    }
    let files = match csv_files(root) {
        Ok(files) => files,
        Err(d) => {
            diagnostics.extend(d);
            return Err(diagnostics.sorted());
        }
    };
    // A file name can end up in a download or a message: none may hold a
    // personal identity number.
    diagnostics.extend(files.iter().filter_map(|f| scan_path(f)));
    let lookup = Lookup::new(&units, &measures);
    // Read in parallel; collect keeps the sorted file order.
    let reads: Vec<(PathBuf, FileResult)> = files
        .par_iter()
        .map(|rel| {
            let result = std::fs::read(root.join(rel))
                .map_err(|e| Diagnostic::error(rel, format!("cannot read the file: {e}")))
                .map(|bytes| match decode_owned(rel, bytes) {
                    Ok((text, encoding)) => {
                        let read = read_text(rel, &text, encoding, &lookup);
                        (text, read)
                    }
                    Err(d) => (String::new(), FileRead::refused(d)),
                });
            (rel.clone(), result)
        })
        .collect();

    let mut merge = Merge::new(&lookup);
    for (rel, result) in reads {
        match result {
            Err(d) => diagnostics.push(d),
            Ok((text, mut read)) => {
                diagnostics.extend(std::mem::take(&mut read.diagnostics));
                merge.add(&rel, &text, &read, &mut diagnostics);
            }
        }
    }
    let mut series = merge.finish();
    if diagnostics.has_errors() {
        return Err(diagnostics.sorted());
    }
    compute_derived(&measures, &mut series);
    Ok(Dataset {
        units,
        measures,
        series,
    })
}

/// Every `data/**/*.csv` (any case of the extension), sorted, relative to
/// `root`. Hidden files are skipped; links are followed while they stay in
/// the site (see [`crate::walk`]).
pub fn csv_files(root: &Path) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let data = root.join("data");
    if !data.is_dir() {
        return Err(vec![
            Diagnostic::error("data", "there is no `data` folder")
                .help("a site keeps `units.toml`, `measures.toml` and its CSV files in `data/`"),
        ]);
    }
    let is_csv = |p: &Path| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"));
    let (found, problems) = crate::walk::site_files(root, "data", true, is_csv);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut files: Vec<PathBuf> = found
        .iter()
        // `/` separators whatever the platform.
        .map(|p| crate::diagnostics::relative(root, p).components().collect())
        .collect();
    files.sort();
    Ok(files)
}

struct Merge<'a, 'l> {
    lookup: &'a Lookup<'l>,
    index: HashMap<(u32, u32, u32), usize>,
    series: Vec<BTreeMap<Period, Observation>>,
    groups: Vec<String>,
    group_index: HashMap<String, u32>,
    /// Per measure: whether its first period was a quarter, and where.
    kinds: Vec<Option<(bool, Arc<PathBuf>, u32)>>,
    mixed_reported: Vec<bool>,
}

impl<'a, 'l> Merge<'a, 'l> {
    fn new(lookup: &'a Lookup<'l>) -> Self {
        Merge {
            lookup,
            index: HashMap::new(),
            series: Vec::new(),
            groups: vec![String::new()],
            group_index: HashMap::new(),
            kinds: vec![None; lookup.measure_count()],
            mixed_reported: vec![false; lookup.measure_count()],
        }
    }

    fn add(&mut self, rel: &Path, text: &str, read: &FileRead, diagnostics: &mut Diagnostics) {
        let file = Arc::new(rel.to_path_buf());
        let group_map: Vec<u32> = read
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                if i == 0 {
                    return 0;
                }
                let next = self.groups.len() as u32;
                *self.group_index.entry(g.clone()).or_insert_with(|| {
                    self.groups.push(g.clone());
                    next
                })
            })
            .collect();
        let mut last: Option<((u32, u32, u32), usize)> = None;
        // A file that repeats itself (an extract appended twice, a million
        // copies of one row) must not make a million errors: past the
        // display limit they are only counted.
        let mut duplicates = 0usize;
        for obs in &read.observations {
            let m = obs.measure as usize;
            let quarterly = obs.period.is_quarter();
            match &self.kinds[m] {
                None => self.kinds[m] = Some((quarterly, file.clone(), obs.line)),
                Some((first_quarterly, first_file, first_line))
                    if *first_quarterly != quarterly =>
                {
                    if !self.mixed_reported[m] {
                        self.mixed_reported[m] = true;
                        let position = position(obs.byte, obs.line);
                        let (line, column) =
                            locate(text, &position, read.delimiter, read.period_field);
                        let what = |q: bool| if q { "quarters" } else { "years" };
                        let d = Diagnostic::error(
                            rel,
                            format!(
                                "measure `{}` mixes quarters and years",
                                self.lookup.measure_at(obs.measure).id
                            ),
                        )
                        .at(line, column)
                        .found(obs.period.to_string())
                        .expected(format!(
                            "only {} for this measure, as at {}:{first_line}",
                            what(*first_quarterly),
                            first_file.display()
                        ))
                        .help("a measure's data is all quarterly or all annual; use another measure for the other");
                        diagnostics.push(d);
                    }
                    continue;
                }
                Some(_) => {}
            }
            let key = (obs.measure, obs.unit, group_map[obs.group as usize]);
            let slot = match last {
                Some((k, slot)) if k == key => slot,
                _ => {
                    let next = self.series.len();
                    let slot = *self.index.entry(key).or_insert(next);
                    if slot == next {
                        self.series.push(BTreeMap::new());
                    }
                    last = Some((key, slot));
                    slot
                }
            };
            match self.series[slot].entry(obs.period) {
                Entry::Vacant(v) => {
                    v.insert(Observation {
                        value: obs.value,
                        origin: Some(Origin {
                            file: file.clone(),
                            line: obs.line,
                        }),
                    });
                }
                Entry::Occupied(_) if duplicates >= MAX_PER_KIND => duplicates += 1,
                Entry::Occupied(o) => {
                    duplicates += 1;
                    let first = o
                        .get()
                        .origin
                        .as_ref()
                        .map(|f| format!("{}:{}", f.file.display(), f.line))
                        .unwrap_or_default();
                    let position = position(obs.byte, obs.line);
                    let (line, column) =
                        locate(text, &position, read.delimiter, obs.field as usize);
                    let group = &self.groups[key.2 as usize];
                    let mut what = format!(
                        "{}, unit `{}`, measure `{}`",
                        obs.period,
                        self.lookup.unit_id(obs.unit),
                        self.lookup.measure_at(obs.measure).id
                    );
                    if !group.is_empty() {
                        what.push_str(&format!(", group `{group}`"));
                    }
                    let mut key_text = format!(
                        "{}, {}, {}",
                        obs.period,
                        self.lookup.unit_id(obs.unit),
                        self.lookup.measure_at(obs.measure).id
                    );
                    if !group.is_empty() {
                        key_text.push_str(&format!(", {group}"));
                    }
                    let d = Diagnostic::error(
                        rel,
                        format!("duplicate observation: {what} was already given at {first}"),
                    )
                    .at(line, column)
                    .found(key_text)
                    .expected("one value per period, unit, measure and group")
                    .help(format!("the first value is at {first}; remove one of them"));
                    diagnostics.push(d);
                }
            }
        }
        if duplicates > MAX_PER_KIND {
            let more = duplicates - MAX_PER_KIND;
            diagnostics.push(Diagnostic::unlisted(rel, more, "duplicate observation", ""));
        }
    }

    fn finish(self) -> BTreeMap<SeriesKey, Series> {
        let mut series = self.series;
        let mut result = BTreeMap::new();
        for ((m, u, g), slot) in self.index {
            let key = SeriesKey {
                measure: self.lookup.measure_at(m).id.clone(),
                unit: self.lookup.unit_id(u).to_string(),
                group: (g != 0).then(|| self.groups[g as usize].clone()),
            };
            let points = std::mem::take(&mut series[slot]);
            result.insert(key, Series { points });
        }
        result
    }
}

fn position(byte: u64, line: u32) -> ::csv::Position {
    let mut p = ::csv::Position::new();
    p.set_byte(byte).set_line(u64::from(line));
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::csv::tests::{MEASURES, UNITS};
    use crate::data::value::{Status, Value};

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(data.join("units.toml"), UNITS).unwrap();
        std::fs::write(data.join("measures.toml"), MEASURES).unwrap();
        for (name, text) in files {
            let path = data.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        tmp
    }

    fn q(n: u8) -> Period {
        Period::quarter(2024, n)
    }

    #[test]
    fn derived_ratio_per_unit_period_and_group() {
        let tmp = site(&[(
            "q.csv",
            "period;unit;group;open_cases;staff_fte\n\
             2024Q1;nordost;;120;10\n\
             2024Q2;nordost;;130 p;10\n\
             2024Q3;nordost;;140;0\n\
             2024Q4;nordost;;x;10\n\
             2024Q1;nordost;K;60;4\n\
             2024Q1;malaren;;50;\n",
        )]);
        let ds = load(tmp.path()).unwrap();
        let v = |p, u: &str| ds.value("cases_per_fte", u, p).copied();
        assert_eq!(v(q(1), "nordost"), Some(Value::final_(12.0)));
        assert_eq!(
            v(q(2), "nordost"),
            Some(Value {
                number: Some(13.0),
                status: Status::Provisional
            })
        );
        // Zero denominator: no number, not applicable; never infinity.
        assert_eq!(
            v(q(3), "nordost"),
            Some(Value::symbol(Status::NotApplicable))
        );
        // An operand without a number passes on its symbol.
        assert_eq!(v(q(4), "nordost"), Some(Value::symbol(Status::Suppressed)));
        // A missing operand: no derived value at all (a gap).
        assert_eq!(v(q(1), "malaren"), None);
        let k = SeriesKey {
            measure: "cases_per_fte".into(),
            unit: "nordost".into(),
            group: Some("K".into()),
        };
        assert_eq!(
            ds.series_for(&k).unwrap().get(q(1)),
            Some(&Value::final_(15.0))
        );
        assert!(ds.series_for(&k).unwrap().points[&q(1)].origin.is_none());
    }

    #[test]
    fn files_in_subfolders_merge_and_remember_their_origin() {
        let tmp = site(&[
            (
                "2024/q1.csv",
                "period;unit;open_cases\n2024Q1;nordost;120\n",
            ),
            (
                "2024/q2.CSV",
                "period;unit;open_cases\n2024Q2;nordost;125\n",
            ),
            ("annual.csv", "år;enhet;workforce\n2023;nordost;40\n"),
        ]);
        let ds = load(tmp.path()).unwrap();
        let s = ds.series("open_cases", "nordost").unwrap();
        assert_eq!(s.points.len(), 2);
        let origin = s.points[&q(2)].origin.as_ref().unwrap();
        assert_eq!(origin.file.as_path(), Path::new("data/2024/q2.CSV"));
        assert_eq!(origin.line, 2);
        assert_eq!(
            ds.value("workforce", "nordost", Period::Year(2023))
                .unwrap()
                .number,
            Some(40.0)
        );
    }

    #[test]
    fn duplicates_across_files_name_the_first_file() {
        let tmp = site(&[
            ("a.csv", "period;unit;open_cases\n2024Q1;nordost;120\n"),
            (
                "b.csv",
                "period,unit,measure,value\n\n2024Q1,Nordost,aktuella_arenden,121\n",
            ),
        ]);
        let e = load(tmp.path()).unwrap_err();
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!(e[0].file, Path::new("data/b.csv"));
        assert_eq!((e[0].line, e[0].column), (Some(3), Some(33)));
        assert!(e[0].message.contains("already given at data/a.csv:2"));
    }

    #[test]
    fn a_file_of_repeated_rows_makes_a_bounded_number_of_errors() {
        let rows = "2024Q1;nordost;120\n".repeat(5_001);
        let tmp = site(&[("a.csv", &format!("period;unit;open_cases\n{rows}"))]);
        let e = load(tmp.path()).unwrap_err();
        assert_eq!(e.len(), MAX_PER_KIND + 1, "{:#?}", &e[..3]);
        let unlisted = e.iter().find(|d| d.count > 1).unwrap();
        assert_eq!(
            unlisted.message,
            "4,980 more duplicate observations in this file are not listed"
        );
        // It counts as what it stands for.
        assert_eq!(e.iter().map(|d| d.count).sum::<usize>(), 5_000);
    }

    #[test]
    fn a_csv_file_name_with_a_personal_identity_number_is_refused_masked() {
        let tmp = site(&[(
            "811218-9876.csv",
            "period;unit;open_cases\n2024Q1;nordost;120\n",
        )]);
        let e = load(tmp.path()).unwrap_err();
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!(e[0].file, Path::new("data/***********.csv"));
        assert!(e[0].sensitive && e[0].message.contains("personal identity number"));
    }

    #[test]
    fn missing_metadata_and_data_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let e = load(tmp.path()).unwrap_err();
        assert!(e.iter().any(|d| d.file == Path::new("data/units.toml")));
        assert!(e.iter().any(|d| d.file == Path::new("data/measures.toml")));
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count() {
        let files: Vec<(String, String)> = (1..=4)
            .map(|n| {
                (
                    format!("f{n}.csv"),
                    format!("period;unit;open_cases\n2024Q{n};nordost;1{n}\n2024Q{n};nordst;1\n"),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let tmp = site(&refs);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let a = one.install(|| load(tmp.path()).unwrap_err());
        let b = load(tmp.path()).unwrap_err();
        assert_eq!(a, b);
        assert_eq!(a.len(), 4);
    }
}
