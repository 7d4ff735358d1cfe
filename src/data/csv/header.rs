use super::*;

use std::collections::HashMap;

use crate::data::identity::looks_like_personal_number;
use crate::data::model::Measure;
use ::csv::{ByteRecord, Position};

use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Col {
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

pub(super) fn header_role(name: &str) -> Option<Col> {
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

pub(super) fn role_name(c: Col) -> &'static str {
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

/// The fix for a wide header that names no measure: a spreadsheet's
/// headers are the spreadsheet's, so the likely fix is to teach
/// measures.toml the header (under the closest measure), not to rename the
/// column.
pub(super) fn add_column_hint(lookup: &Lookup<'_>, header: &str) -> String {
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

pub(super) fn derived_given(
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

/// The most columns a header may have. A wide file has a column per
/// measure (a national extract has tens); a header of millions of columns
/// is not data, and reading it column by column took seconds and hundreds
/// of megabytes to report each as unknown.
pub const MAX_COLUMNS: usize = 10_000;

/// Whether [`header`] refuses `record` as a whole (too many columns, or a
/// name too long to be one), so that no row is read against it.
pub(super) fn is_refused(record: &ByteRecord) -> bool {
    record.len() > MAX_COLUMNS || record.iter().any(|f| f.len() > MAX_FIELD_BYTES)
}

/// Recognises the header; `None` when rows cannot be read against it.
pub(super) fn header(
    r: &mut FileReader<'_, '_>,
    record: &ByteRecord,
    position: &Position,
    out: &mut FileRead,
) -> Option<Vec<Col>> {
    if record.len() > MAX_COLUMNS {
        let d = Diagnostic::error(
            r.file,
            format!(
                "the header has {} columns",
                crate::diagnostics::group_digits(record.len())
            ),
        )
        .at(position.line().max(1) as usize, 1)
        .expected(format!(
            "at most {} columns: `period`, `unit` and the measures, or a long file's six",
            crate::diagnostics::group_digits(MAX_COLUMNS)
        ))
        .help("this is not a data extract, or its delimiter is not `,` `;` or tab: export the data again as CSV");
        r.report(d);
        return None;
    }
    if let Some(field) = record.iter().position(|f| f.len() > MAX_FIELD_BYTES) {
        let length = record.get(field).map_or(0, <[u8]>::len);
        let d = r
            .error_at(
                position,
                field,
                format!(
                    "a column name is {} bytes long",
                    crate::diagnostics::group_digits(length)
                ),
            )
            .expected(format!("at most {MAX_FIELD_BYTES} bytes per field"))
            .help("an unclosed `\"` or a missing line end makes one name of much of the file: check the first line");
        r.report(d);
        return None;
    }
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
