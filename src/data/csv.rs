//! Reading one observation file, `data/**/*.csv` (§3.4).
//!
//! Decoding (UTF-8 with or without BOM, else Windows-1252), delimiter
//! sniffing, header recognition (long and wide shapes, Swedish aliases),
//! numbers, periods and symbols. The `csv` crate does the splitting; this
//! module turns records into [`RawObservation`]s and located diagnostics.
//! Checks that span files (duplicates, quarters mixed with years) are made
//! when the files are merged, in [`crate::data::load`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use ::csv::{ByteRecord, Position, ReaderBuilder};

use crate::data::identity::looks_like_personal_number;
use crate::data::meta::{measure_candidates, unit_candidates};
use crate::data::model::{Measure, MeasureUnit, Measures, Units};
use crate::data::number::{NUMBER_EXPECTED, parse_number};
use crate::data::period::{PERIOD_EXPECTED, Period};
use crate::data::value::{SYMBOLS_EXPECTED, Status, Value};
use crate::diagnostics::Diagnostic;

/// What a header must look like, for error messages.
pub const HEADER_EXPECTED: &str = "a long header `period, unit, measure, value[, status][, group]` or a wide header `period, unit[, group], <one column per measure>` (Swedish names such as `kvartal`, `enhet`, `mått`, `värde`, `grupp` work too)";

/// No cell of an observation file is longer than this (the longest real
/// ones are unit names); a longer one is refused, never echoed.
pub const MAX_FIELD_BYTES: usize = 1000;

/// At most this many problems are listed per file; the rest are counted.
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 200;

/// How a file's bytes were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    Utf8,
    Utf8Bom,
    Windows1252,
}

/// Decodes a file: UTF-8 (a BOM is dropped), otherwise Windows-1252.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, SourceEncoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF")
        && let Ok(s) = std::str::from_utf8(rest)
    {
        return (Cow::Borrowed(s), SourceEncoding::Utf8Bom);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), SourceEncoding::Utf8),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text, SourceEncoding::Windows1252)
        }
    }
}

/// Like [`decode`], without copying valid UTF-8.
pub fn decode_owned(mut bytes: Vec<u8>) -> (String, SourceEncoding) {
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let utf8 = std::str::from_utf8(if bom { &bytes[3..] } else { &bytes[..] }).is_ok();
    if utf8 {
        if bom {
            bytes.drain(..3);
        }
        let encoding = if bom {
            SourceEncoding::Utf8Bom
        } else {
            SourceEncoding::Utf8
        };
        // Checked just above.
        return (String::from_utf8(bytes).unwrap_or_default(), encoding);
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
    (text.into_owned(), SourceEncoding::Windows1252)
}

/// The delimiter of a file: `,`, `;` or tab, whichever occurs most outside
/// quotes on the header line (ties prefer `;`, then tab, then `,`). An Excel
/// `sep=;` first line is obeyed; then `true` says to skip that line.
pub fn sniff_delimiter(text: &str) -> (u8, bool) {
    let first = text.lines().next().unwrap_or("");
    if let Some(rest) = first.get(..4).filter(|p| p.eq_ignore_ascii_case("sep="))
        && !rest.is_empty()
    {
        let sep = first[4..].trim_end_matches('\r');
        if let [d @ (b',' | b';' | b'\t')] = sep.as_bytes() {
            return (*d, true);
        }
    }
    let (mut semi, mut tab, mut comma) = (0usize, 0usize, 0usize);
    let mut in_quotes = false;
    for b in text.bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => break,
            b';' if !in_quotes => semi += 1,
            b'\t' if !in_quotes => tab += 1,
            b',' if !in_quotes => comma += 1,
            _ => {}
        }
    }
    let best = semi.max(tab).max(comma);
    let delimiter = if best == 0 || semi == best {
        if best == 0 { b',' } else { b';' }
    } else if tab == best {
        b'\t'
    } else {
        b','
    };
    (delimiter, false)
}

/// Where a record really starts. The csv reader reports the position where
/// it began reading, which is before any blank lines it skipped.
fn record_start(text: &str, position: Option<&Position>) -> Position {
    let mut p = position.cloned().unwrap_or_else(Position::new);
    let bytes = text.as_bytes();
    let mut i = p.byte() as usize;
    let mut line = p.line();
    while let Some(c @ (b'\r' | b'\n')) = bytes.get(i) {
        if *c == b'\n' {
            line += 1;
        }
        i += 1;
    }
    p.set_byte(i as u64).set_line(line);
    p
}

/// 1-based line and column (in characters) of field `field` of the record
/// that starts at `position`. Used only to locate problems.
pub fn locate(text: &str, position: &Position, delimiter: u8, field: usize) -> (usize, usize) {
    let mut cursor = FieldCursor::new(text, position);
    cursor.advance(text.as_bytes(), delimiter, field);
    cursor.line_column()
}

/// A walk along one record's fields, kept between problems of the same
/// record so that locating every field of a wide record costs one pass,
/// not one pass per field.
#[derive(Debug, Clone, Copy)]
struct FieldCursor {
    /// Byte offset where the record starts.
    record: usize,
    /// The field the cursor is at, and its byte offset.
    field: usize,
    i: usize,
    line: usize,
    in_quotes: bool,
    /// Characters from the start of the line to `i`.
    column: usize,
}

impl FieldCursor {
    fn new(text: &str, position: &Position) -> Self {
        let i = (position.byte() as usize).min(text.len());
        FieldCursor {
            record: position.byte() as usize,
            field: 0,
            i,
            line: position.line().max(1) as usize,
            in_quotes: false,
            column: 0,
        }
    }

    fn advance(&mut self, bytes: &[u8], delimiter: u8, field: usize) {
        while self.field < field && self.i < bytes.len() {
            let c = bytes[self.i];
            if self.in_quotes {
                if c == b'"' {
                    if bytes.get(self.i + 1) == Some(&b'"') {
                        self.i += 1;
                        self.column += 1;
                    } else {
                        self.in_quotes = false;
                    }
                } else if c == b'\n' {
                    self.line += 1;
                    self.column = 0;
                    self.i += 1;
                    continue;
                }
            } else if c == b'"' {
                self.in_quotes = true;
            } else if c == delimiter {
                self.field += 1;
            } else if c == b'\n' || c == b'\r' {
                break;
            }
            // Count characters, not bytes: skip UTF-8 continuation bytes.
            if c & 0xC0 != 0x80 {
                self.column += 1;
            }
            self.i += 1;
        }
    }

    fn line_column(&self) -> (usize, usize) {
        (self.line, self.column + 1)
    }
}

/// Units and measures indexed once for reading cells.
pub struct Lookup<'a> {
    unit_ids: Vec<&'a str>,
    unit_index: HashMap<&'a str, u32>,
    measures: Vec<&'a Measure>,
    measure_exact: HashMap<&'a str, u32>,
    measure_folded: HashMap<String, u32>,
    unit_candidates: Vec<&'a str>,
    measure_candidates: Vec<&'a str>,
    /// Names that several units share (re-coded units), with their ids.
    ambiguous_names: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Lookup<'a> {
    pub fn new(units: &'a Units, measures: &'a Measures) -> Lookup<'a> {
        let unit_ids: Vec<&str> = units.units.keys().map(String::as_str).collect();
        let mut unit_index = HashMap::new();
        // Names first, so that an id wins over another unit's equal name. A
        // name shared by several units means none of them.
        let mut ambiguous_names: HashMap<&str, Vec<&str>> = HashMap::new();
        for (i, u) in units.units.values().enumerate() {
            match unit_index.entry(u.name.as_str()) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(i as u32);
                }
                std::collections::hash_map::Entry::Occupied(e) => {
                    let first = unit_ids[*e.get() as usize];
                    ambiguous_names
                        .entry(u.name.as_str())
                        .or_insert_with(|| vec![first])
                        .push(u.id.as_str());
                }
            }
        }
        for name in ambiguous_names.keys() {
            unit_index.remove(name);
        }
        for (i, id) in unit_ids.iter().enumerate() {
            unit_index.insert(*id, i as u32);
        }
        let list: Vec<&Measure> = measures.measures.values().collect();
        let mut measure_exact = HashMap::new();
        let mut measure_folded = HashMap::new();
        for (i, m) in list.iter().enumerate().rev() {
            for c in &m.columns {
                measure_exact.insert(c.as_str(), i as u32);
                measure_folded.insert(c.to_lowercase(), i as u32);
            }
        }
        for (i, m) in list.iter().enumerate().rev() {
            measure_exact.insert(m.id.as_str(), i as u32);
            measure_folded.insert(m.id.to_lowercase(), i as u32);
        }
        Lookup {
            unit_ids,
            unit_index,
            measures: list,
            measure_exact,
            measure_folded,
            unit_candidates: unit_candidates(units),
            measure_candidates: measure_candidates(measures),
            ambiguous_names,
        }
    }

    /// A unit cell: an id or a unit's exact name.
    pub fn unit(&self, cell: &str) -> Option<u32> {
        self.unit_index.get(cell).copied()
    }

    /// The ids of the units that share the name `cell`, when several do.
    pub fn ambiguous_unit(&self, cell: &str) -> Option<&[&'a str]> {
        self.ambiguous_names.get(cell).map(Vec::as_slice)
    }

    /// A measure cell or wide column: an id or a `columns` name, any case.
    pub fn measure(&self, cell: &str) -> Option<u32> {
        self.measure_exact
            .get(cell)
            .or_else(|| self.measure_folded.get(&cell.to_lowercase()))
            .copied()
    }

    pub fn unit_id(&self, index: u32) -> &'a str {
        self.unit_ids[index as usize]
    }

    pub fn measure_at(&self, index: u32) -> &'a Measure {
        self.measures[index as usize]
    }

    pub fn measure_count(&self) -> usize {
        self.measures.len()
    }
}

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
    let (text, encoding) = decode(bytes);
    read_text(file, &text, encoding, lookup)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Period,
    Unit,
    Measure,
    Value,
    Status,
    Group,
    /// A wide column: the measure's index.
    Of(u32),
    /// Unusable (reported already).
    Skip,
}

fn header_role(name: &str) -> Option<Col> {
    let lower = name.trim().to_lowercase();
    Some(match lower.as_str() {
        "period" | "kvartal" | "år" | "ar" | "year" | "quarter" => Col::Period,
        "unit" | "enhet" => Col::Unit,
        "measure" | "mått" | "matt" => Col::Measure,
        "value" | "värde" | "varde" => Col::Value,
        "status" => Col::Status,
        "group" | "grupp" => Col::Group,
        _ => return None,
    })
}

fn role_name(c: Col) -> &'static str {
    match c {
        Col::Period => "period",
        Col::Unit => "unit",
        Col::Measure => "measure",
        Col::Value => "value",
        Col::Status => "status",
        Col::Group => "group",
        Col::Of(_) | Col::Skip => "measure column",
    }
}

/// A value cell, read on its own.
enum Cell {
    Empty,
    Value(Value),
    /// A status such as `p` that must stand beside a number.
    NeedsNumber(Status),
    BadNumber,
    BadSymbol,
}

fn parse_cell(s: &str, decimal_comma: bool) -> Cell {
    if s.is_empty() {
        return Cell::Empty;
    }
    if let Some(n) = parse_number(s, decimal_comma) {
        return Cell::Value(Value::final_(n));
    }
    if let Some(status) = Status::from_symbol(s) {
        return if status.qualifies_number() && status != Status::LowReliability {
            Cell::NeedsNumber(status)
        } else {
            Cell::Value(Value::symbol(status))
        };
    }
    // A number with a trailing marker: `431 p`.
    if let Some((number, mark)) = s.rsplit_once(char::is_whitespace)
        && let Some(status) = Status::from_symbol(mark)
        && status.qualifies_number()
        && status != Status::Final
        && let Some(n) = parse_number(number, decimal_comma)
    {
        return Cell::Value(Value {
            number: Some(n),
            status,
        });
    }
    if s.bytes().any(|b| b.is_ascii_digit()) {
        Cell::BadNumber
    } else {
        Cell::BadSymbol
    }
}

fn field_str(record: &ByteRecord, i: usize) -> &str {
    // The text is valid UTF-8 and fields are split at ASCII bytes.
    record
        .get(i)
        .and_then(|f| std::str::from_utf8(f).ok())
        .unwrap_or("")
        .trim()
}

struct FileReader<'a, 'l> {
    file: &'a Path,
    text: &'a str,
    lookup: &'a Lookup<'l>,
    delimiter: u8,
    diagnostics: Vec<Diagnostic>,
    not_listed: usize,
    groups: Vec<String>,
    group_index: HashMap<String, u32>,
    periods: HashMap<Box<str>, Option<Period>>,
    /// Where the last problem was located (see [`FieldCursor`]).
    cursor: std::cell::Cell<Option<FieldCursor>>,
}

impl FileReader<'_, '_> {
    fn report(&mut self, d: Diagnostic) {
        if self.diagnostics.len() < MAX_DIAGNOSTICS_PER_FILE {
            self.diagnostics.push(d);
        } else {
            self.not_listed += 1;
        }
    }

    fn error_at(
        &self,
        position: &Position,
        field: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut cursor = match self.cursor.get() {
            Some(c) if c.record == position.byte() as usize && c.field <= field => c,
            _ => FieldCursor::new(self.text, position),
        };
        cursor.advance(self.text.as_bytes(), self.delimiter, field);
        self.cursor.set(Some(cursor));
        let (line, column) = cursor.line_column();
        Diagnostic::error(self.file, message).at(line, column)
    }

    fn period(&mut self, cell: &str) -> Option<Period> {
        if let Some(p) = self.periods.get(cell) {
            return *p;
        }
        let p = Period::parse(cell);
        if self.periods.len() < 4096 {
            self.periods.insert(cell.into(), p);
        }
        p
    }

    fn group(&mut self, cell: &str) -> u32 {
        if cell.is_empty() {
            return 0;
        }
        if let Some(i) = self.group_index.get(cell) {
            return *i;
        }
        let i = self.groups.len() as u32;
        self.groups.push(cell.to_string());
        self.group_index.insert(cell.to_string(), i);
        i
    }

    /// Reports a personal identity number in any field; true if one was found.
    fn personal_numbers(&mut self, record: &ByteRecord, position: &Position) -> bool {
        let mut found = false;
        for (i, f) in record.iter().enumerate() {
            if f.len() >= 10 && looks_like_personal_number(std::str::from_utf8(f).unwrap_or("")) {
                let d = self
                    .error_at(position, i, "a cell looks like a Swedish personal identity number (personnummer or samordningsnummer)")
                    .expected("no personal data: published data must not identify anyone")
                    .help("remove the column or the value from the extract; the value is deliberately not shown here")
                    .sensitive();
                self.report(d);
                found = true;
            }
        }
        found
    }

    fn range_check(
        &mut self,
        m: &Measure,
        v: &Value,
        position: &Position,
        field: usize,
        cell: &str,
    ) -> bool {
        let Some(n) = v.number else { return true };
        let problem = match m.unit {
            MeasureUnit::Count | MeasureUnit::Fte | MeasureUnit::Days if n < 0.0 => Some((
                format!(
                    "negative value for `{}`, a measure in {}",
                    m.id,
                    match m.unit {
                        MeasureUnit::Count => "counts",
                        MeasureUnit::Fte => "FTE",
                        _ => "days",
                    }
                ),
                "a number of 0 or more",
            )),
            MeasureUnit::Percent if !(0.0..=100.0).contains(&n) => Some((
                format!("percent outside 0–100 for `{}`", m.id),
                "a percent from 0 to 100",
            )),
            _ => None,
        };
        match problem {
            Some((message, expected)) => {
                let d = self
                    .error_at(position, field, message)
                    .found(cell)
                    .expected(expected);
                self.report(d);
                false
            }
            None => true,
        }
    }

    fn bad_cell(&mut self, cell: Cell, text: &str, position: &Position, field: usize) {
        let d = match cell {
            Cell::BadNumber => {
                let d = self
                    .error_at(position, field, "unparseable number")
                    .found(text)
                    .expected(NUMBER_EXPECTED);
                if self.delimiter == b',' && text.contains(',') {
                    d.help("a comma-separated file cannot use a decimal comma: write `31.5`, or separate the fields with `;`")
                } else {
                    d
                }
            }
            Cell::BadSymbol => self
                .error_at(position, field, "unknown symbol")
                .found(text)
                .expected(SYMBOLS_EXPECTED),
            Cell::NeedsNumber(status) => self
                .error_at(position, field, format!("the status `{}` needs a number beside it", status.symbol()))
                .found(text)
                .expected("a number with the marker, such as `431 p`, or a symbol that replaces the number such as `..`"),
            Cell::Empty | Cell::Value(_) => return,
        };
        self.report(d);
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
        r.diagnostics.push(Diagnostic::error(
            file,
            format!("{} more problems in this file are not listed", r.not_listed),
        ));
    }
    out.groups = r.groups;
    out.diagnostics = r.diagnostics;
    out
}

fn empty_file(r: &mut FileReader<'_, '_>) {
    let d = Diagnostic::error(r.file, "the file is empty: no header line")
        .at(1, 1)
        .expected(HEADER_EXPECTED);
    r.report(d);
}

fn read_records(r: &mut FileReader<'_, '_>, out: &mut FileRead, skip_sep_line: bool) {
    if r.text.trim().is_empty() {
        return empty_file(r);
    }
    // A NUL character never belongs in a text file: the file is binary (a
    // spreadsheet saved under a .csv name, UTF-16) or damaged.
    if let Some(offset) = r.text.find('\0') {
        let (line, column) = crate::config::line_column(r.text, offset);
        let d = Diagnostic::error(r.file, "the file contains a NUL character")
            .at(line, column)
            .expected("a text file (CSV saved as UTF-8 or Windows-1252)")
            .help("a spreadsheet file or a UTF-16 export renamed to .csv looks like this: export it again as CSV");
        return r.report(d);
    }
    let mut reader = ReaderBuilder::new()
        .delimiter(r.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(r.text.as_bytes());
    let mut record = ByteRecord::new();
    let read =
        |reader: &mut ::csv::Reader<&[u8]>, record: &mut ByteRecord| -> Result<bool, String> {
            reader.read_byte_record(record).map_err(|e| e.to_string())
        };
    if skip_sep_line && !matches!(read(&mut reader, &mut record), Ok(true)) {
        return empty_file(r);
    }
    // Header, skipping lines with nothing but delimiters.
    loop {
        match read(&mut reader, &mut record) {
            Ok(true) if record.iter().all(|f| f.trim_ascii().is_empty()) => continue,
            Ok(true) => break,
            Ok(false) => return empty_file(r),
            Err(e) => {
                let d =
                    Diagnostic::error(r.file, format!("cannot read the file as CSV: {e}")).at(1, 1);
                return r.report(d);
            }
        }
    }
    let header_position = record_start(r.text, record.position());
    let columns = header(r, &record, &header_position, out);
    let width = record.len();
    let find = |c: Col| {
        columns
            .as_ref()
            .and_then(|cols| cols.iter().position(|x| *x == c))
    };
    let (period_col, unit_col, measure_col, value_col, status_col, group_col) = (
        find(Col::Period),
        find(Col::Unit),
        find(Col::Measure),
        find(Col::Value),
        find(Col::Status),
        find(Col::Group),
    );
    out.period_field = period_col.unwrap_or(0);
    let decimal_comma = r.delimiter != b',';
    loop {
        match read(&mut reader, &mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let d = Diagnostic::error(r.file, format!("cannot read the file as CSV: {e}"));
                r.report(d);
                break;
            }
        }
        let position = record_start(r.text, record.position());
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        if let Some(field) = record.iter().position(|f| f.len() > MAX_FIELD_BYTES) {
            let d = r
                .error_at(
                    &position,
                    field,
                    format!(
                        "a field is {} bytes long",
                        record.get(field).map_or(0, <[u8]>::len)
                    ),
                )
                .expected(format!("at most {MAX_FIELD_BYTES} bytes per field"))
                .help("an unclosed `\"` makes the rest of the file one field: check the quotes");
            r.report(d);
            continue;
        }
        if r.personal_numbers(&record, &position) {
            continue;
        }
        if record.len() != width {
            let field = record.len().min(width);
            let d = r
                .error_at(
                    &position,
                    field,
                    format!(
                        "this row has {} fields, the header has {width}",
                        record.len()
                    ),
                )
                .expected(format!(
                    "{width} fields separated by `{}`",
                    if r.delimiter == b'\t' {
                        "\\t".to_string()
                    } else {
                        (r.delimiter as char).to_string()
                    }
                ))
                .help("a field that contains the delimiter must be quoted: `\"1;5\"`");
            r.report(d);
            continue;
        }
        let Some(columns) = &columns else { continue };
        let (Some(pc), Some(uc)) = (period_col, unit_col) else {
            continue;
        };
        let mut ok = true;
        let period_text = field_str(&record, pc);
        let period = r.period(period_text);
        if period.is_none() {
            let d = r
                .error_at(
                    &position,
                    pc,
                    if period_text.is_empty() {
                        "empty period"
                    } else {
                        "unparseable period"
                    },
                )
                .found(period_text)
                .expected(PERIOD_EXPECTED);
            r.report(d);
            ok = false;
        }
        let unit_text = field_str(&record, uc);
        let unit = r.lookup.unit(unit_text);
        if let (None, Some(ids)) = (unit, r.lookup.ambiguous_unit(unit_text)) {
            let list = ids
                .iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let d = r
                .error_at(&position, uc, "ambiguous unit name: several units have it")
                .found(unit_text)
                .expected(format!("the id of one of them: {list}"))
                .help(format!(
                    "write the unit's id instead of its name in this column, such as `{}`",
                    ids[0]
                ));
            r.report(d);
            ok = false;
        } else if unit.is_none() {
            let d = r
                .error_at(
                    &position,
                    uc,
                    if unit_text.is_empty() {
                        "empty unit"
                    } else {
                        "unknown unit"
                    },
                )
                .found(unit_text)
                .expected("a unit id or a unit's exact name from data/units.toml")
                .suggest(unit_text, r.lookup.unit_candidates.iter().copied());
            r.report(d);
            ok = false;
        }
        let group = match group_col {
            Some(gc) => r.group(field_str(&record, gc)),
            None => 0,
        };
        let line = position.line() as u32;
        let byte = position.byte();
        match out.shape {
            Some(Shape::Long) => {
                let (Some(mc), Some(vc)) = (measure_col, value_col) else {
                    continue;
                };
                let measure_text = field_str(&record, mc);
                let measure = r.lookup.measure(measure_text);
                match measure {
                    None => {
                        let d = r
                            .error_at(
                                &position,
                                mc,
                                if measure_text.is_empty() {
                                    "empty measure"
                                } else {
                                    "unknown measure"
                                },
                            )
                            .found(measure_text)
                            .expected("a measure id or column name from data/measures.toml")
                            .suggest(measure_text, r.lookup.measure_candidates.iter().copied());
                        r.report(d);
                        ok = false;
                    }
                    Some(m) if r.lookup.measure_at(m).is_derived() => {
                        let d =
                            derived_given(r, &position, mc, r.lookup.measure_at(m), measure_text);
                        r.report(d);
                        ok = false;
                    }
                    Some(_) => {}
                }
                let value_text = field_str(&record, vc);
                let status_text = status_col.map_or("", |sc| field_str(&record, sc));
                let status = if status_text.is_empty() {
                    None
                } else {
                    match Status::from_symbol(status_text) {
                        Some(s) => Some(s),
                        None => {
                            let d = r
                                .error_at(
                                    &position,
                                    status_col.unwrap_or(0),
                                    "unknown status symbol",
                                )
                                .found(status_text)
                                .expected(SYMBOLS_EXPECTED);
                            r.report(d);
                            ok = false;
                            None
                        }
                    }
                };
                let value = match (parse_cell(value_text, decimal_comma), status) {
                    (Cell::Empty, None) => None,
                    (Cell::Empty, Some(s))
                        if !s.qualifies_number() || s == Status::LowReliability =>
                    {
                        Some(Value::symbol(s))
                    }
                    (Cell::Empty, Some(s)) => {
                        r.bad_cell(Cell::NeedsNumber(s), value_text, &position, vc);
                        ok = false;
                        None
                    }
                    (Cell::Value(v), None) => Some(v),
                    (Cell::Value(v), Some(s)) => {
                        if s == Status::Final || s == v.status {
                            Some(v)
                        } else if v.number.is_some()
                            && v.status == Status::Final
                            && s.qualifies_number()
                        {
                            Some(Value {
                                number: v.number,
                                status: s,
                            })
                        } else {
                            let message = if v.number.is_some() && v.status == Status::Final {
                                format!(
                                    "the status `{}` replaces a number, but the value cell has one",
                                    status_text
                                )
                            } else {
                                "the value cell and the status column disagree".to_string()
                            };
                            let d = r
                                .error_at(&position, status_col.unwrap_or(vc), message)
                                .found(status_text)
                                .expected("either a number with `p`, `r`, `e` or `u`, or an empty value with a symbol such as `..`, `x` or `.`");
                            r.report(d);
                            ok = false;
                            None
                        }
                    }
                    (cell, _) => {
                        r.bad_cell(cell, value_text, &position, vc);
                        ok = false;
                        None
                    }
                };
                if let (Some(v), Some(m)) = (value, measure) {
                    let m = r.lookup.measure_at(m);
                    ok &= r.range_check(m, &v, &position, vc, value_text);
                    if let (true, Some(period), Some(unit)) = (ok, period, unit) {
                        out.observations.push(RawObservation {
                            measure: measure.unwrap_or(0),
                            unit,
                            group,
                            period,
                            value: v,
                            line,
                            byte,
                            field: vc as u32,
                        });
                    }
                }
            }
            Some(Shape::Wide) => {
                for (j, col) in columns.iter().enumerate() {
                    let Col::Of(m) = *col else { continue };
                    let cell_text = field_str(&record, j);
                    match parse_cell(cell_text, decimal_comma) {
                        Cell::Empty => {}
                        Cell::Value(v) => {
                            let measure = r.lookup.measure_at(m);
                            if r.range_check(measure, &v, &position, j, cell_text)
                                && ok
                                && let (Some(period), Some(unit)) = (period, unit)
                            {
                                out.observations.push(RawObservation {
                                    measure: m,
                                    unit,
                                    group,
                                    period,
                                    value: v,
                                    line,
                                    byte,
                                    field: j as u32,
                                });
                            }
                        }
                        bad => r.bad_cell(bad, cell_text, &position, j),
                    }
                }
            }
            None => {}
        }
    }
}

/// The fix for a wide header that names no measure: a spreadsheet's
/// headers are the spreadsheet's, so the likely fix is to teach
/// measures.toml the header (under the closest measure), not to rename the
/// column.
fn add_column_hint(lookup: &Lookup<'_>, header: &str) -> String {
    let closest =
        crate::diagnostics::did_you_mean(header, lookup.measure_candidates.iter().copied())
            .and_then(|name| lookup.measure(name))
            .map(|m| lookup.measure_at(m));
    let quoted = header.replace('\\', "\\\\").replace('"', "\\\"");
    match closest {
        Some(m) => {
            let mut columns: Vec<String> = m.columns.iter().map(|c| format!("{c:?}")).collect();
            columns.push(format!("\"{quoted}\""));
            format!(
                "if this column is `{}`, add the header to its `columns` in data/measures.toml: under `[measures.{}]`, `columns = [{}]`",
                m.id,
                m.id,
                columns.join(", ")
            )
        }
        None => format!(
            "add the header to the `columns` of the measure it holds in data/measures.toml (`columns = [\"{quoted}\"]`), or declare a new measure for it"
        ),
    }
}

fn derived_given(
    r: &FileReader<'_, '_>,
    position: &Position,
    field: usize,
    m: &Measure,
    text: &str,
) -> Diagnostic {
    let (num, den) = m.ratio.clone().unwrap_or_default();
    r.error_at(
        position,
        field,
        format!(
            "`{}` is a derived measure and cannot be given in data",
            m.id
        ),
    )
    .found(text)
    .expected(format!(
        "measures read from data; `{}` is computed as `{num}` / `{den}`",
        m.id
    ))
    .help(format!(
        "remove this column or these rows, or drop `ratio` from `{}` in data/measures.toml",
        m.id
    ))
}

/// Recognises the header; `None` when rows cannot be read against it.
fn header(
    r: &mut FileReader<'_, '_>,
    record: &ByteRecord,
    position: &Position,
    out: &mut FileRead,
) -> Option<Vec<Col>> {
    let mut ok = !r.personal_numbers(record, position);
    let mut columns: Vec<Option<Col>> = Vec::with_capacity(record.len());
    let mut names: Vec<&str> = Vec::with_capacity(record.len());
    let mut first_of_role: HashMap<Col, usize> = HashMap::new();
    for (i, _) in record.iter().enumerate() {
        let name = field_str(record, i);
        let name = name.strip_prefix('\u{feff}').unwrap_or(name);
        names.push(name);
        if looks_like_personal_number(name) {
            columns.push(Some(Col::Skip));
            continue;
        }
        let role = header_role(name);
        if let Some(role) = role
            && let Some(&first) = first_of_role.get(&role)
        {
            let (first_line, first_col) = locate(r.text, position, r.delimiter, first);
            let d = r
                .error_at(
                    position,
                    i,
                    format!("the header names a `{}` column twice", role_name(role)),
                )
                .found(name)
                .expected(format!(
                    "one `{}` column (the first is at column {first_col} of line {first_line})",
                    role_name(role)
                ));
            r.report(d);
            ok = false;
            columns.push(Some(Col::Skip));
            continue;
        }
        if let Some(role) = role {
            first_of_role.insert(role, i);
        }
        columns.push(role);
    }
    let has = |c: Col| columns.contains(&Some(c));
    let separator = match r.delimiter {
        b'\t' => "\t",
        b';' => ";",
        _ => ",",
    };
    let header_text = names.join(separator);
    let mut missing: Vec<&str> = Vec::new();
    if !has(Col::Period) {
        missing.push("`period`");
    }
    if !has(Col::Unit) {
        missing.push("`unit`");
    }
    let long = has(Col::Measure) || has(Col::Value);
    if long && !has(Col::Measure) {
        missing.push("`measure`");
    }
    if long && !has(Col::Value) {
        missing.push("`value`");
    }
    if !missing.is_empty() {
        let found = if ok { Some(header_text.clone()) } else { None };
        let mut d = Diagnostic::error(
            r.file,
            format!("unrecognised header: no {} column", missing.join(" or ")),
        )
        .at(position.line().max(1) as usize, 1)
        .expected(HEADER_EXPECTED);
        if let Some(found) = found {
            d = d.found(found);
        }
        r.report(d);
        return None;
    }
    let mut out_cols = Vec::with_capacity(columns.len());
    if long {
        out.shape = Some(Shape::Long);
        const LONG: &[&str] = &["period", "unit", "measure", "value", "status", "group"];
        for (i, c) in columns.iter().enumerate() {
            match c {
                Some(c) => out_cols.push(*c),
                None => {
                    let d = r
                        .error_at(position, i, "unknown column in a long file")
                        .found(names[i])
                        .expected("the columns `period`, `unit`, `measure`, `value`, `status`, `group` (or their Swedish names)")
                        .suggest(names[i], LONG.iter().copied());
                    r.report(d);
                    out_cols.push(Col::Skip);
                }
            }
        }
    } else {
        out.shape = Some(Shape::Wide);
        let mut seen: HashMap<u32, usize> = HashMap::new();
        for (i, c) in columns.iter().enumerate() {
            match c {
                Some(Col::Status) => {
                    let d = r
                        .error_at(position, i, "a `status` column is only read in long files")
                        .found(names[i])
                        .expected("in a wide file, write the marker in the value cell: `431 p`, or a symbol such as `..`");
                    r.report(d);
                    out_cols.push(Col::Skip);
                }
                Some(c) => out_cols.push(*c),
                None if names[i].is_empty() => {
                    let d = r.error_at(position, i, "a column without a name").expected(
                        "a measure id or one of its `columns` names from data/measures.toml",
                    );
                    r.report(d);
                    out_cols.push(Col::Skip);
                }
                None => {
                    match r.lookup.measure(names[i]) {
                        Some(m) if r.lookup.measure_at(m).is_derived() => {
                            let d = derived_given(r, position, i, r.lookup.measure_at(m), names[i]);
                            r.report(d);
                            out_cols.push(Col::Skip);
                        }
                        Some(m) => {
                            if let Some(first) = seen.get(&m) {
                                let (_, first_col) = locate(r.text, position, r.delimiter, *first);
                                let d = r
                                .error_at(position, i, format!("two columns mean the measure `{}`", r.lookup.measure_at(m).id))
                                .found(names[i])
                                .expected(format!("one column per measure (the first is at column {first_col})"));
                                r.report(d);
                                out_cols.push(Col::Skip);
                            } else {
                                seen.insert(m, i);
                                out_cols.push(Col::Of(m));
                            }
                        }
                        None => {
                            let d = r
                                .error_at(position, i, "unknown measure column")
                                .found(names[i])
                                .expected("a measure id or one of its `columns` names from data/measures.toml")
                                .help(add_column_hint(r.lookup, names[i]));
                            r.report(d);
                            out_cols.push(Col::Skip);
                        }
                    }
                }
            }
        }
        if seen.is_empty() && ok && r.diagnostics.is_empty() {
            let d = Diagnostic::error(r.file, "unrecognised header: no measure columns")
                .at(position.line().max(1) as usize, 1)
                .found(header_text)
                .expected(HEADER_EXPECTED);
            r.report(d);
            return None;
        }
    }
    Some(out_cols)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::data::meta::{parse_measures, parse_units};
    use proptest::prelude::*;

    pub(crate) const UNITS: &str = r#"
[areas.bou]
name = { sv = "Barn och unga", en = "Children and youth" }
[units.nordost]
name = "Nordost"
area = "bou"
[units.malaren]
name = "Mälaren"
area = "bou"
"#;

    pub(crate) const MEASURES: &str = r#"
[measures.open_cases]
label = { sv = "Aktuella ärenden", en = "Open cases" }
unit = "count"
role = "caseload"
columns = ["aktuella_arenden"]
[measures.staff_fte]
label = "Årsarbetare"
unit = "fte"
role = "staffing"
columns = ["Årsarbetare"]
[measures.share]
label = "Andel"
unit = "percent"
[measures.workforce]
label = "Personal"
unit = "count"
[measures.cases_per_fte]
label = "Ärenden per årsarbetare"
unit = "ratio"
ratio = ["open_cases", "staff_fte"]
"#;

    fn meta() -> (Units, Measures) {
        let u = parse_units(Path::new("data/units.toml"), UNITS);
        let m = parse_measures(Path::new("data/measures.toml"), MEASURES);
        assert!(u.diagnostics.is_empty(), "{:?}", u.diagnostics);
        assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
        (u.value, m.value)
    }

    fn read(bytes: &[u8]) -> FileRead {
        let (units, measures) = meta();
        let lookup = Lookup::new(&units, &measures);
        read_bytes(Path::new("data/t.csv"), bytes, &lookup)
    }

    /// (measure, unit, group, period, value) of every observation.
    fn obs(bytes: &[u8]) -> Vec<(String, String, String, String, Value)> {
        let (units, measures) = meta();
        let lookup = Lookup::new(&units, &measures);
        let r = read_bytes(Path::new("data/t.csv"), bytes, &lookup);
        assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
        r.observations
            .iter()
            .map(|o| {
                (
                    lookup.measure_at(o.measure).id.clone(),
                    lookup.unit_id(o.unit).to_string(),
                    r.groups[o.group as usize].clone(),
                    o.period.to_string(),
                    o.value,
                )
            })
            .collect()
    }

    fn one(bytes: &[u8]) -> Value {
        let o = obs(bytes);
        assert_eq!(o.len(), 1, "{o:?}");
        o[0].4
    }

    fn errors(bytes: &[u8]) -> Vec<Diagnostic> {
        read(bytes).diagnostics
    }

    #[test]
    fn utf8_long() {
        let o = obs(b"period,unit,measure,value\n2024Q1,nordost,open_cases,431\n");
        assert_eq!(
            o,
            vec![(
                "open_cases".into(),
                "nordost".into(),
                "".into(),
                "2024Q1".into(),
                Value::final_(431.0)
            )]
        );
        assert_eq!(
            read(b"period,unit,measure,value\n").encoding,
            SourceEncoding::Utf8
        );
    }

    #[test]
    fn utf8_with_bom() {
        let r = read("\u{feff}period;enhet;mått;värde\n2024Q1;Mälaren;open_cases;7\n".as_bytes());
        assert_eq!(r.encoding, SourceEncoding::Utf8Bom);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_eq!(r.observations.len(), 1);
    }

    #[test]
    fn windows_1252() {
        let bytes = b"period;enhet;m\xe5tt;v\xe4rde\r\n2024Q1;M\xe4laren;open_cases;12\r\n";
        let r = read(bytes);
        assert_eq!(r.encoding, SourceEncoding::Windows1252);
        let o = obs(bytes);
        assert_eq!(o[0].1, "malaren");
        assert_eq!(o[0].4, Value::final_(12.0));
    }

    #[test]
    fn each_delimiter() {
        for d in [",", ";", "\t"] {
            let text =
                format!("period{d}unit{d}measure{d}value\n2024Q1{d}nordost{d}open_cases{d}5\n");
            assert_eq!(one(text.as_bytes()), Value::final_(5.0), "{d:?}");
            assert_eq!(read(text.as_bytes()).delimiter, d.as_bytes()[0]);
        }
        // An Excel `sep=` line.
        assert_eq!(
            one(b"sep=;\nperiod;unit;open_cases\n2024Q1;nordost;5\n"),
            Value::final_(5.0)
        );
        // Commas inside quotes do not count.
        assert_eq!(sniff_delimiter("\"a,b,c\";x;y\n").0, b';');
    }

    #[test]
    fn crlf_and_lf() {
        let crlf = one(b"period;unit;open_cases\r\n2024Q1;nordost;5\r\n");
        let lf = one(b"period;unit;open_cases\n2024Q1;nordost;5");
        assert_eq!(crlf, lf);
    }

    #[test]
    fn decimal_comma_and_thousands() {
        assert_eq!(
            one(b"period;unit;staff_fte\n2024Q1;nordost;31,5\n"),
            Value::final_(31.5)
        );
        assert_eq!(
            one(b"period,unit,staff_fte\n2024Q1,nordost,31.5\n"),
            Value::final_(31.5)
        );
        assert_eq!(
            one(b"period;unit;open_cases\n2024Q1;nordost;1 234\n"),
            Value::final_(1234.0)
        );
        assert_eq!(
            one("period;unit;open_cases\n2024Q1;nordost;1\u{a0}234\n".as_bytes()),
            Value::final_(1234.0)
        );
        assert_eq!(
            one("period;unit;open_cases\n2024Q1;nordost;1\u{202f}234\n".as_bytes()),
            Value::final_(1234.0)
        );
        assert_eq!(
            one(b"period,unit,open_cases\n2024Q1,nordost,\"1 234\"\n"),
            Value::final_(1234.0)
        );
        // A decimal comma in a comma-separated file is an error, with help.
        let e = errors(b"period,unit,staff_fte\n2024Q1,nordost,\"31,5\"\n");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].message, "unparseable number");
        assert!(e[0].help.as_deref().unwrap().contains("decimal comma"));
    }

    #[test]
    fn every_symbol_in_a_wide_cell() {
        let cases = [
            ("..", None, Status::NotAvailable),
            ("NA", None, Status::NotAvailable),
            (".", None, Status::NotApplicable),
            ("z", None, Status::NotApplicable),
            ("x", None, Status::Suppressed),
            ("c", None, Status::Suppressed),
            ("U", None, Status::Suppressed),
            ("low", None, Status::RoundsToZero),
            ("u", None, Status::LowReliability),
            ("431 p", Some(431.0), Status::Provisional),
            ("431 r", Some(431.0), Status::Revised),
            ("431 e", Some(431.0), Status::Estimated),
            ("431 u", Some(431.0), Status::LowReliability),
            ("1 234 p", Some(1234.0), Status::Provisional),
        ];
        for (cell, number, status) in cases {
            let text = format!("period;unit;open_cases\n2024Q1;nordost;{cell}\n");
            assert_eq!(one(text.as_bytes()), Value { number, status }, "{cell}");
        }
        // A provisional marker alone has no number to qualify.
        let e = errors(b"period;unit;open_cases\n2024Q1;nordost;p\n");
        assert_eq!(e[0].message, "the status `p` needs a number beside it");
        let e = errors(b"period;unit;open_cases\n2024Q1;nordost;?\n");
        assert_eq!(e[0].message, "unknown symbol");
        assert_eq!(e[0].expected.as_deref(), Some(SYMBOLS_EXPECTED));
    }

    #[test]
    fn status_column_in_long_files() {
        let head = "period,unit,measure,value,status\n";
        let v = |row: &str| one(format!("{head}{row}\n").as_bytes());
        assert_eq!(
            v("2024Q1,nordost,open_cases,431,p"),
            Value {
                number: Some(431.0),
                status: Status::Provisional
            }
        );
        assert_eq!(
            v("2024Q1,nordost,open_cases,,.."),
            Value::symbol(Status::NotAvailable)
        );
        assert_eq!(
            v("2024Q1,nordost,open_cases,..,"),
            Value::symbol(Status::NotAvailable)
        );
        assert_eq!(
            v("2024Q1,nordost,open_cases,x,x"),
            Value::symbol(Status::Suppressed)
        );
        assert_eq!(
            v("2024Q1,nordost,open_cases,,u"),
            Value::symbol(Status::LowReliability)
        );
        // An empty value with no status is a gap, not zero.
        assert!(obs(format!("{head}2024Q1,nordost,open_cases,,\n").as_bytes()).is_empty());
        // A symbol that replaces a number cannot stand beside one.
        let e = errors(format!("{head}2024Q1,nordost,open_cases,3,x\n").as_bytes());
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].line, e[0].column), (Some(2), Some(29)));
        let e = errors(format!("{head}2024Q1,nordost,open_cases,,p\n").as_bytes());
        assert_eq!(e[0].message, "the status `p` needs a number beside it");
        let e = errors(format!("{head}2024Q1,nordost,open_cases,3,pp\n").as_bytes());
        assert_eq!(e[0].message, "unknown status symbol");
    }

    #[test]
    fn every_period_spelling_in_a_csv() {
        for p in [
            "2024Q1",
            "2024-Q1",
            "2024 Q1",
            "Q1 2024",
            "2024K1",
            "2024 kv1",
            "kv 1 2024",
            "Kv1 2024",
        ] {
            let text = format!("kvartal;enhet;open_cases\n{p};nordost;3\n");
            assert_eq!(obs(text.as_bytes())[0].3, "2024Q1", "{p}");
        }
    }

    #[test]
    fn annual_measures() {
        let o = obs("år;enhet;workforce\n2022;nordost;10\n2023;nordost;12\n".as_bytes());
        assert_eq!(o[1].3, "2023");
        let o = obs(b"Year,Unit,Measure,Value\n2023,nordost,workforce,12\n");
        assert_eq!(o[0].3, "2023");
    }

    #[test]
    fn long_and_wide_and_groups_and_names() {
        let r = read(b"period,unit,measure,value\n2024Q1,nordost,open_cases,4\n");
        assert_eq!(r.shape, Some(Shape::Long));
        let wide = "Kvartal;Enhet;Grupp;aktuella_arenden;ÅRSARBETARE\n2024Q1;Nordost;K;10;2,5\n2024Q1;Mälaren;M;11 p;..\n";
        let r = read(wide.as_bytes());
        assert_eq!(r.shape, Some(Shape::Wide));
        let o = obs(wide.as_bytes());
        assert_eq!(o.len(), 4);
        assert_eq!(
            (o[0].0.as_str(), o[0].1.as_str(), o[0].2.as_str()),
            ("open_cases", "nordost", "K")
        );
        assert_eq!((o[1].0.as_str(), o[1].4), ("staff_fte", Value::final_(2.5)));
        assert_eq!((o[3].1.as_str(), o[3].2.as_str()), ("malaren", "M"));
        assert_eq!(o[3].4, Value::symbol(Status::NotAvailable));
        // Long with a group column; an empty group is the total.
        let o = obs(b"period,unit,measure,value,group\n2024Q1,nordost,open_cases,4,T\n2024Q1,nordost,open_cases,4,\n");
        assert_eq!((o[0].2.as_str(), o[1].2.as_str()), ("T", ""));
        // Empty wide cells are gaps.
        assert!(obs(b"period;unit;open_cases\n2024Q1;nordost;\n").is_empty());
    }

    #[test]
    fn located_errors() {
        let e = errors(b"period;unit;open_cases\n2024Q1;nordst;5\n2024Q9;nordost;-1\n");
        assert_eq!(e.len(), 3, "{e:#?}");
        assert_eq!(e[0].message, "unknown unit");
        assert_eq!((e[0].line, e[0].column), (Some(2), Some(8)));
        assert_eq!(e[0].help.as_deref(), Some("did you mean `nordost`?"));
        assert_eq!(e[1].message, "unparseable period");
        assert_eq!((e[1].line, e[1].column), (Some(3), Some(1)));
        assert!(e[2].message.starts_with("negative value"));
        assert_eq!((e[2].line, e[2].column), (Some(3), Some(16)));
    }

    #[test]
    fn a_wide_header_of_unknown_columns_is_located_in_one_walk() {
        // Once quadratic: every unknown column was located from the start
        // of the line (80,000 columns took 43 s).
        let mut text = String::from("period;unit");
        for i in 0..20_000 {
            text.push_str(&format!(";\"ok;änd\"\"{i}\""));
        }
        text.push_str("\n2024Q1;nordost\n");
        let e = errors(text.as_bytes());
        assert_eq!(e.len(), MAX_DIAGNOSTICS_PER_FILE + 1);
        assert_eq!(e[0].message, "unknown measure column");
        // Each error where `locate` puts it, quotes and `ä` counted right.
        for (field, d) in e[..MAX_DIAGNOSTICS_PER_FILE].iter().enumerate() {
            let mut p = Position::new();
            p.set_line(1);
            let at = locate(&text, &p, b';', field + 2);
            assert_eq!((d.line, d.column), (Some(at.0), Some(at.1)), "{d:?}");
        }
        assert_eq!(e[1].column, Some(13 + 11 + 1));
        assert!(
            e[MAX_DIAGNOSTICS_PER_FILE]
                .message
                .contains("more problems")
        );
        // A second `period` at the end is named, with where the first is.
        let text = "period;unit;period;open_cases\n2024Q1;nordost;x;5\n";
        let e = errors(text.as_bytes());
        assert!(
            e[0].expected
                .as_deref()
                .unwrap()
                .contains("column 1 of line 1"),
            "{e:?}"
        );
    }

    #[test]
    fn locate_handles_quotes_and_multibyte_text() {
        let text = "a;\"x;y\";Mälaren;v\n";
        let mut p = Position::new();
        p.set_byte(0).set_line(1);
        assert_eq!(locate(text, &p, b';', 3), (1, 17));
        let text = "h\n\"multi\nline\";b\n";
        p.set_byte(2).set_line(2);
        assert_eq!(locate(text, &p, b';', 1), (3, 7));
    }

    #[test]
    fn empty_files_and_blank_lines() {
        for bytes in [&b""[..], b"\n\n", b"\xEF\xBB\xBF", b" \r\n"] {
            let e = errors(bytes);
            assert_eq!(e.len(), 1);
            assert!(e[0].message.contains("empty"), "{e:?}");
        }
        assert_eq!(
            obs(b"period;unit;open_cases\n\n2024Q1;nordost;5\n;;\n").len(),
            1
        );
    }

    #[test]
    fn personal_numbers_anywhere_are_reported_without_the_value() {
        let e = errors(b"period;unit;open_cases\n2024Q1;811218-9876;5\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!((e[0].line, e[0].column), (Some(2), Some(8)));
        assert!(e[0].found.is_none());
        assert!(!e[0].render_plain().contains("9876"));
        let e = errors(b"period;unit;198112189876\n2024Q1;nordost;5\n");
        assert!(!format!("{e:?}").contains("9876"), "{e:?}");
        assert!(
            e.iter()
                .any(|d| d.message.contains("personal identity number"))
        );
    }

    #[test]
    fn huge_fields_nul_bytes_and_invalid_utf8_do_not_panic() {
        let mut big = b"period;unit;open_cases\n2024Q1;nordost;".to_vec();
        big.extend(std::iter::repeat_n(b'9', 2_000_000));
        big.push(b'\n');
        let e = errors(&big);
        assert_eq!(e[0].message, "a field is 2000000 bytes long");
        assert!(e[0].found.is_none(), "a huge field must not be echoed");
        assert_eq!(
            errors(b"period;unit;open_cases\n2024Q1;nordost;\0\n")[0].message,
            "the file contains a NUL character"
        );
        let _ = read(b"\xff\xfe\x00p\x00e\x00r\x00");
        let _ = read(b"\"unterminated;quote\n2024Q1");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn reader_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = read(&bytes);
        }

        #[test]
        fn reader_never_panics_under_a_valid_header(
            head in prop::sample::select(vec!["period;unit;open_cases;staff_fte\n", "period,unit,measure,value,status,group\r\n", "år\tenhet\tworkforce\n"]),
            body in "[0-9a-zA-Z;,\t\"\\.\\- \r\n\u{a0}\u{0}åäö]{0,300}",
        ) {
            let _ = read(format!("{head}{body}").as_bytes());
        }

        #[test]
        fn period_parser_never_panics(s in "\\PC{0,40}") {
            let _ = Period::parse(&s);
        }
    }
}
