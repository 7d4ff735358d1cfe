//! Reading one observation file, `data/**/*.csv` (§3.4).
//!
//! Decoding (UTF-8 with or without BOM, else Windows-1252), delimiter
//! sniffing, header recognition (long and wide shapes, Swedish aliases),
//! numbers, periods and symbols. The `csv` crate does the splitting; this
//! module turns records into [`RawObservation`]s and located diagnostics.
//! Checks that span files (duplicates, quarters mixed with years) are made
//! when the files are merged, in [`crate::data::load`].

use std::collections::HashMap;
use std::path::Path;

use crate::data::period::Period;
use crate::data::value::Value;
use crate::diagnostics::Diagnostic;

/// What a header must look like, for error messages.
pub const HEADER_EXPECTED: &str = "a long header `period, unit, measure, value[, status][, group]` or a wide header `period, unit[, group], <one column per measure>` (Swedish names such as `kvartal`, `enhet`, `mått`, `värde`, `grupp` work too)";

/// No cell of an observation file is longer than this (the longest real
/// ones are unit names); a longer one is refused, never echoed.
pub const MAX_FIELD_BYTES: usize = 1000;

/// At most this many problems are listed per file; the rest are counted.
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 200;

mod decode;
mod header;
mod locate;
mod lookup;
mod records;
pub use decode::*;
use header::*;
pub use locate::*;
pub use lookup::*;
use records::*;

/// The two shapes of an observation file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Long,
    Wide,
}

/// One value read from a file, before files are merged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawObservation {
    /// Index into [`Lookup::measure_at`].
    pub measure: u32,
    /// Index into [`Lookup::unit_id`].
    pub unit: u32,
    /// Index into [`FileRead::groups`]; 0 is the total.
    pub group: u32,
    pub period: Period,
    pub value: Value,
    /// 1-based line of the record.
    pub line: u32,
    /// Byte offset of the record, for locating cells later.
    pub byte: u64,
    /// The field holding the value.
    pub field: u32,
}

/// Everything read from one file.
#[derive(Debug)]
pub struct FileRead {
    pub encoding: SourceEncoding,
    pub delimiter: u8,
    pub shape: Option<Shape>,
    pub observations: Vec<RawObservation>,
    /// Breakdown groups named in the file; index 0 is the total (`""`).
    pub groups: Vec<String>,
    /// The field of the period column, for locating period problems.
    pub period_field: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes and reads one file. `file` is the path used in messages.
pub fn read_bytes(file: &Path, bytes: &[u8], lookup: &Lookup<'_>) -> FileRead {
    match decode(file, bytes) {
        Ok((text, encoding)) => read_text(file, &text, encoding, lookup),
        Err(d) => FileRead::refused(d),
    }
}

impl FileRead {
    /// A file that was not read: its one problem.
    pub fn refused(problem: Diagnostic) -> FileRead {
        FileRead {
            encoding: SourceEncoding::Utf8,
            delimiter: b',',
            shape: None,
            observations: Vec::new(),
            groups: vec![String::new()],
            period_field: 0,
            diagnostics: vec![problem],
        }
    }
}

/// Reads one decoded file.
pub fn read_text(
    file: &Path,
    text: &str,
    encoding: SourceEncoding,
    lookup: &Lookup<'_>,
) -> FileRead {
    let (delimiter, skip_sep_line) = sniff_delimiter(text);
    let mut r = FileReader {
        file,
        text,
        lookup,
        delimiter,
        diagnostics: Vec::new(),
        not_listed: 0,
        groups: vec![String::new()],
        group_index: HashMap::new(),
        periods: HashMap::new(),
        cursor: std::cell::Cell::new(None),
    };
    let mut out = FileRead {
        encoding,
        delimiter,
        shape: None,
        observations: Vec::new(),
        groups: Vec::new(),
        period_field: 0,
        diagnostics: Vec::new(),
    };
    read_records(&mut r, &mut out, skip_sep_line);
    if r.not_listed > 0 {
        r.diagnostics
            .push(Diagnostic::unlisted(file, r.not_listed, "problem", ""));
    }
    out.groups = r.groups;
    out.diagnostics = r.diagnostics;
    out
}

#[cfg(test)]
pub(crate) mod tests;
