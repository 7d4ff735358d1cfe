//! `data/units.toml` (§3.2) and `data/measures.toml` (§3.3).
//!
//! Both are walked from toml's spanned document model, so every problem is
//! located at the key or value it concerns, and all problems of a file are
//! reported at once (unknown keys included).

use std::path::Path;

use crate::data::identity_scan::scan_text;
use crate::data::model::{Measures, Units};

use crate::diagnostics::Diagnostic;

mod ctx;
mod measures;
mod units;
use ctx::*;
pub use measures::*;
pub use units::*;

/// The result of reading one metadata file: what could be read, the
/// problems, and whether the file was unreadable as TOML at all (then later
/// checks against it would only add noise).
#[derive(Debug)]
pub struct MetaRead<T> {
    pub value: T,
    pub diagnostics: Vec<Diagnostic>,
    pub fatal: bool,
}

/// What a unit or measure id may hold: ids become output paths
/// (`units/<id>/`, `measures/<id>/`, `data/<id>.csv`) and parts of addresses.
pub const ID_EXPECTED: &str = "an id of lower-case letters a–z, digits, `-` and `_` (it becomes part of the site's addresses)";

/// Whether `id` may be used as a unit or measure id: non-empty, only
/// `[a-z0-9_-]`, so it can never leave its folder or need escaping in an address.
pub fn is_safe_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Reads `data/units.toml` and `data/measures.toml` under `root`.
pub fn read_meta(root: &Path) -> (MetaRead<Units>, MetaRead<Measures>) {
    let units = read_file(root, "data/units.toml", parse_units, Units::default);
    let measures = read_file(
        root,
        "data/measures.toml",
        parse_measures,
        Measures::default,
    );
    (units, measures)
}

fn read_file<T>(
    root: &Path,
    rel: &str,
    parse: fn(&Path, &str) -> MetaRead<T>,
    empty: fn() -> T,
) -> MetaRead<T> {
    let file = Path::new(rel);
    match std::fs::read(root.join(file)) {
        Ok(bytes) => {
            // A name read wrongly would be published wrongly: a file that
            // is not UTF-8 is an error, not replacement characters.
            let text = match crate::text::utf8_file_text(file, bytes) {
                Ok(text) => text,
                Err(d) => {
                    return MetaRead {
                        value: empty(),
                        diagnostics: vec![d],
                        fatal: true,
                    };
                }
            };
            let mut read = parse(file, &text);
            // Unit, area and measure names, labels and notes are published.
            read.diagnostics.extend(scan_text(file, &text));
            read
        }
        Err(e) => MetaRead {
            value: empty(),
            diagnostics: vec![
                Diagnostic::error(file, format!("cannot read {rel}: {e}")).help(
                    "a site's data needs `data/units.toml` and `data/measures.toml` (README, Data format); `insyn init DIR` creates both",
                ),
            ],
            fatal: true,
        },
    }
}

/// Ids of all units and their names, for suggestions.
pub fn unit_candidates(units: &Units) -> Vec<&str> {
    let mut v: Vec<&str> = units.units.keys().map(String::as_str).collect();
    // A name that differs from its id only in case would only repeat it.
    v.extend(
        units
            .units
            .values()
            .filter(|u| !u.name.eq_ignore_ascii_case(&u.id))
            .map(|u| u.name.as_str()),
    );
    v
}

/// Ids of all measures and their column names, for suggestions.
pub fn measure_candidates(measures: &Measures) -> Vec<&str> {
    let mut v: Vec<&str> = measures.measures.keys().map(String::as_str).collect();
    v.extend(
        measures
            .measures
            .values()
            .flat_map(|m| m.columns.iter().map(String::as_str)),
    );
    v
}

#[cfg(test)]
mod tests;
