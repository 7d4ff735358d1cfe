use super::*;

use crate::data::identity::looks_like_personal_number;
use crate::data::model::{Measure, MeasureUnit};
use crate::data::number::{NUMBER_EXPECTED, parse_number};
use crate::data::period::{PERIOD_EXPECTED, Period};
use crate::data::value::{SYMBOLS_EXPECTED, Status, Value};
use crate::diagnostics::Diagnostic;
use ::csv::{ByteRecord, Position, ReaderBuilder};
use std::collections::HashMap;
use std::path::Path;

/// A value cell, read on its own.
pub(super) enum Cell {
    Empty,
    Value(Value),
    /// A status such as `p` that must stand beside a number.
    NeedsNumber(Status),
    BadNumber,
    BadSymbol,
}

pub(super) fn parse_cell(s: &str, decimal_comma: bool) -> Cell {
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

pub(super) fn field_str(record: &ByteRecord, i: usize) -> &str {
    // The text is valid UTF-8 and fields are split at ASCII bytes.
    record
        .get(i)
        .and_then(|f| std::str::from_utf8(f).ok())
        .unwrap_or("")
        .trim()
}

/// The largest whole number an `f64` holds exactly (2^53).
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// Whether `cell` is written like `1.234` or `12.345.678`: groups of three
/// digits after each dot.
fn looks_like_dotted_thousands(cell: &str) -> bool {
    let mut groups = cell.trim().split('.');
    let first = groups.next().unwrap_or("");
    let mut rest = groups.peekable();
    rest.peek().is_some()
        && (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && rest.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

pub(super) struct FileReader<'a, 'l> {
    pub(super) file: &'a Path,
    pub(super) text: &'a str,
    pub(super) lookup: &'a Lookup<'l>,
    pub(super) delimiter: u8,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) not_listed: usize,
    pub(super) groups: Vec<String>,
    pub(super) group_index: HashMap<String, u32>,
    pub(super) periods: HashMap<Box<str>, Option<Period>>,
    /// Where the last problem was located (see [`FieldCursor`]).
    pub(super) cursor: std::cell::Cell<Option<FieldCursor>>,
}

impl FileReader<'_, '_> {
    pub(super) fn report(&mut self, d: Diagnostic) {
        if self.diagnostics.len() < MAX_DIAGNOSTICS_PER_FILE {
            self.diagnostics.push(d);
        } else {
            self.not_listed += 1;
        }
    }

    pub(super) fn error_at(
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

    /// The error for a record read to the end of the file because a quote
    /// in it is never closed, located at the field it opens; `None` for any
    /// other record. Without it, the problem was reported at the end of the
    /// file (as a row with too few fields, or a field too long), far from
    /// the quote. `end` is the reader's byte offset after the record.
    pub(super) fn unclosed_quote(
        &self,
        record: &ByteRecord,
        position: &Position,
        end: u64,
    ) -> Option<Diagnostic> {
        // Every record but the last returns at once.
        if usize::try_from(end).is_ok_and(|end| end < self.text.len()) {
            return None;
        }
        let field = record.len().checked_sub(1)?;
        let last = record.get(field)?;
        // A quoted field that spans lines and is closed just before the end
        // of the file is a multi-line text, not an open quote.
        if self.text.trim_end().ends_with('"') || !last.contains(&b'\n') {
            return None;
        }
        let opened = String::from_utf8_lossy(last);
        let first_line = opened.lines().next().unwrap_or("");
        let shown: String = first_line.chars().take(60).collect();
        Some(
            self.error_at(
                position,
                field,
                "a quote (`\"`) opened here is never closed",
            )
            .found(shown)
            .expected("a closing `\"` at the end of the field")
            .help(
                "the rest of the file was read as this one field: close the quote, \
                     or remove it; a quote inside a quoted field is written twice (`\"\"`)",
            ),
        )
    }

    pub(super) fn period(&mut self, cell: &str) -> Option<Period> {
        if let Some(p) = self.periods.get(cell) {
            return *p;
        }
        let p = Period::parse(cell);
        if self.periods.len() < 4096 {
            self.periods.insert(cell.into(), p);
        }
        p
    }

    pub(super) fn group(&mut self, cell: &str) -> u32 {
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
    pub(super) fn personal_numbers(&mut self, record: &ByteRecord, position: &Position) -> bool {
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

    pub(super) fn range_check(
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
            // Past 2^53 a number is stored rounded: the site would publish
            // a figure that is not in the data.
            _ if n.abs() > MAX_EXACT => Some((
                "a number too large to be kept exactly".to_string(),
                "at most 9,007,199,254,740,992",
            )),
            // Cases and people are whole: `1.234` is most often 1 234 with
            // a dot between the thousands, which would publish as `<5`.
            MeasureUnit::Count if n.fract() != 0.0 => Some((
                format!("a count with a fractional part for `{}`", m.id),
                "a whole number of cases or people",
            )),
            _ => None,
        };
        match problem {
            Some((message, expected)) => {
                let mut d = self
                    .error_at(position, field, message)
                    .found(cell)
                    .expected(expected);
                if m.unit == MeasureUnit::Count && looks_like_dotted_thousands(cell) {
                    d = d.help(format!(
                        "`{cell}` looks like a number with a dot between the thousands: write it without (`{}`)",
                        cell.replace('.', "")
                    ));
                }
                self.report(d);
                false
            }
            None => true,
        }
    }

    pub(super) fn bad_cell(&mut self, cell: Cell, text: &str, position: &Position, field: usize) {
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

pub(super) fn empty_file(r: &mut FileReader<'_, '_>) {
    let d = Diagnostic::error(r.file, "the file is empty: no header line")
        .at(1, 1)
        .expected(HEADER_EXPECTED);
    r.report(d);
}

pub(super) fn read_records(r: &mut FileReader<'_, '_>, out: &mut FileRead, skip_sep_line: bool) {
    if r.text.trim().is_empty() {
        return empty_file(r);
    }
    // A NUL character never belongs in a text file: the file is binary (a
    // spreadsheet saved under a .csv name, UTF-16) or damaged.
    if let Some(offset) = r.text.find('\0') {
        let (line, column) = crate::diagnostics::line_column(r.text, offset);
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
    if let Some(d) = r.unclosed_quote(&record, &header_position, reader.position().byte()) {
        return r.report(d);
    }
    let columns = header(r, &record, &header_position, out);
    let width = record.len();
    if columns.is_none() && super::header::is_refused(&record) {
        // Its rows cannot be read against it; the header is the problem.
        return;
    }
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
        if let Some(d) = r.unclosed_quote(&record, &position, reader.position().byte()) {
            r.report(d);
            break;
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
                .expected(format!("at most {MAX_FIELD_BYTES} bytes per field"));
            // Only a field that spans lines can come from a quote.
            let spans_lines = record.get(field).is_some_and(|f| f.contains(&b'\n'));
            let d = if spans_lines {
                d.help("an unclosed `\"` makes the rest of the file one field: check the quotes")
            } else {
                d
            };
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
