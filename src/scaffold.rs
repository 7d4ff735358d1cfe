//! `insyn init` (a new site that builds) and `insyn new report` (a report
//! skeleton for a period, with the headline charts filled in).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use insyn::BuildOptions;
use insyn::chart::{ChartSpec, Growth};
use insyn::data::Period;
use insyn::diagnostics::Diagnostic;
use insyn::site::Site;

/// Why a scaffold command did nothing.
#[derive(Debug)]
pub enum ScaffoldError {
    /// The arguments cannot be honoured (exit 2).
    Usage(String),
    /// The site does not load (exit 1).
    Invalid(Vec<Diagnostic>),
    /// A file could not be written (exit 1).
    Io(PathBuf, std::io::Error),
}

/// The files of a new site: relative path → content.
pub const INIT_FILES: &[(&str, &str)] = &[
    ("site.toml", include_str!("scaffold/site.toml")),
    ("data/units.toml", include_str!("scaffold/units.toml")),
    ("data/measures.toml", include_str!("scaffold/measures.toml")),
    (
        "data/arenden-och-bemanning.csv",
        include_str!("scaffold/arenden-och-bemanning.csv"),
    ),
    ("content/_index.md", include_str!("scaffold/_index.md")),
    (
        "content/rapporter/_index.md",
        include_str!("scaffold/rapporter_index.md"),
    ),
    (
        "content/rapporter/2025-q4.md",
        include_str!("scaffold/2025-q4.md"),
    ),
];

/// Writes a minimal site into `dir`, which must be missing or empty.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    if dir.is_file() {
        return Err(ScaffoldError::Usage(format!(
            "{} is a file; give the name of a new or empty folder",
            dir.display()
        )));
    }
    if dir.is_dir() {
        let mut entries =
            std::fs::read_dir(dir).map_err(|e| ScaffoldError::Io(dir.to_path_buf(), e))?;
        if entries.next().is_some() {
            return Err(ScaffoldError::Usage(format!(
                "{} is not empty; `insyn init` only writes into a new or empty folder, so that it never overwrites anything",
                dir.display()
            )));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in INIT_FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| ScaffoldError::Io(parent.to_path_buf(), e))?;
        }
        std::fs::write(&path, text).map_err(|e| ScaffoldError::Io(path.clone(), e))?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}

/// Writes `content/rapporter/<year>-q<n>.md` for `period`; returns its path
/// relative to `root`.
pub fn new_report(root: &Path, period_text: &str) -> Result<PathBuf, ScaffoldError> {
    let period = match Period::parse(period_text) {
        Some(p @ Period::Quarter { .. }) => p,
        Some(Period::Year(_)) => {
            return Err(ScaffoldError::Usage(format!(
                "`{period_text}` is a year; a report covers a quarter, such as `2024Q3`"
            )));
        }
        None => {
            return Err(ScaffoldError::Usage(format!(
                "`{period_text}` is not a quarter; write it like `2024Q3`, `2024-Q3` or `Kv3 2024`"
            )));
        }
    };
    let Period::Quarter { year, quarter } = period else {
        unreachable!()
    };
    let rel = PathBuf::from(format!("content/rapporter/{year}-q{quarter}.md"));
    let path = root.join(&rel);
    if path.exists() {
        return Err(ScaffoldError::Usage(format!(
            "{} already exists; `insyn new report` never overwrites a report",
            rel.display()
        )));
    }
    let site = Site::load(root, &BuildOptions::default()).map_err(ScaffoldError::Invalid)?;
    let text = report_text(&site, period, &today())?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| ScaffoldError::Io(parent.to_path_buf(), e))?;
    }
    // create_new: never overwrite, even if the file appeared meanwhile.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| ScaffoldError::Io(path.clone(), e))?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| ScaffoldError::Io(path.clone(), e))?;
    Ok(rel)
}

/// The report skeleton for `period`, dated `date` (`YYYY-MM-DD`).
pub fn report_text(site: &Site, period: Period, date: &str) -> Result<String, ScaffoldError> {
    let data = &site.data;
    let lang = site.config.language;
    let in_data = data.series.values().any(|s| s.points.contains_key(&period));
    if !in_data {
        let range = data
            .latest_period()
            .map(|last| {
                let first = data
                    .series
                    .values()
                    .filter_map(|s| s.first_period())
                    .filter(|p| p.is_quarter())
                    .min()
                    .unwrap_or(last);
                format!("; the data covers {first} to {last}")
            })
            .unwrap_or_default();
        return Err(ScaffoldError::Usage(format!(
            "there is no data for {period}{range}. Add the quarter's extract to data/ first"
        )));
    }
    let Period::Quarter { year, quarter } = period else {
        unreachable!("reports are quarterly")
    };
    // Published units that have both headline measures, in a stable order.
    let headline = site.headline();
    let units: Vec<(&str, &str)> = match &headline {
        Some((caseload, staffing)) => site
            .published_units
            .iter()
            .filter(|u| data.series(caseload, u).is_some() && data.series(staffing, u).is_some())
            .filter_map(|u| {
                data.units
                    .units
                    .get(u)
                    .map(|unit| (u.as_str(), unit.name.as_str()))
            })
            .collect(),
        None => Vec::new(),
    };
    let w = lang.words();
    let title = insyn::format::uc_first(&insyn::format::period_long(period, lang));

    let mut t = String::new();
    t.push_str("+++\n");
    t.push_str(w.skeleton_title_comment);
    let _ = writeln!(t, "title = \"{title}\"");
    let _ = writeln!(t, "period = \"{period}\"");
    t.push_str(w.skeleton_date_comment);
    let _ = writeln!(t, "date = {date}");
    t.push_str(w.skeleton_rest);
    t.push_str("+++\n\n");

    let _ = writeln!(t, "## {}\n", w.key_points);
    if let Some((caseload, staffing)) = &headline {
        let year_ago = Period::quarter(year - 1, quarter);
        for (id, name) in &units {
            if data.value(caseload, id, period).is_none() {
                continue;
            }
            let from = if data.value(caseload, id, year_ago).is_some() {
                Some(year_ago)
            } else {
                data.series(caseload, id)
                    .and_then(|s| s.first_period())
                    .filter(|p| *p < period)
            };
            let value = format!(
                "{{{{ value(measure=\"{caseload}\", unit=\"{id}\", period=\"{period}\") }}}}"
            );
            let _ = writeln!(t, "{}", lang.phrases().skeleton_open_cases(name, &value));
            if let Some(from) = from {
                let change = |m: &str| {
                    format!(
                        "{{{{ change(measure=\"{m}\", unit=\"{id}\", from=\"{from}\", to=\"{period}\") }}}}"
                    )
                };
                let _ = writeln!(
                    t,
                    "{}",
                    lang.phrases().skeleton_since(
                        &insyn::format::period_long(from, lang),
                        &change(caseload),
                        &change(staffing)
                    )
                );
            }
        }
    }
    t.push('\n');
    let _ = writeln!(t, "## {}\n", w.cases_and_staffing);
    if units.is_empty() {
        t.push_str(w.skeleton_no_growth_chart);
    }
    if let Some((caseload, staffing)) = &headline {
        for (id, name) in &units {
            let _ = writeln!(t, "### {name}\n");
            let spec = ChartSpec::new(Growth {
                unit: id.to_string(),
                caseload: caseload.clone(),
                staffing: staffing.clone(),
                base: None,
            })
            .to(period);
            t.push_str("```chart\n");
            t.push_str(&spec.to_toml());
            t.push_str("```\n\n");
        }
    }
    Ok(t)
}

/// `kvartal 3 2024` / `Q3 2024`.
use insyn::format::today;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_files_parse_as_toml() {
        for (rel, text) in INIT_FILES {
            if rel.ends_with(".toml") {
                toml::from_str::<toml::Table>(text).unwrap_or_else(|e| panic!("{rel}: {e}"));
            }
        }
    }
}
