use super::*;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use toml::de::DeValue;

use crate::data::model::{Measure, MeasureKind, MeasureUnit, Measures, Role, SeriesBreak};
use crate::data::period::{PERIOD_EXPECTED, Period};

use crate::text::LocalizedText;

pub(super) const MEASURE_KEYS: &[&str] = &[
    "label",
    "unit",
    "kind",
    "role",
    "columns",
    "definition",
    "source",
    "limitations",
    "breaks",
    "ratio",
];

pub(super) const MEASURE_UNITS: &[(&str, MeasureUnit)] = &[
    ("count", MeasureUnit::Count),
    ("fte", MeasureUnit::Fte),
    ("percent", MeasureUnit::Percent),
    ("days", MeasureUnit::Days),
    ("points", MeasureUnit::Points),
    ("ratio", MeasureUnit::Ratio),
];

pub(super) const KINDS: &[(&str, MeasureKind)] =
    &[("stock", MeasureKind::Stock), ("flow", MeasureKind::Flow)];

pub(super) const ROLES: &[(&str, Role)] = &[
    ("caseload", Role::Caseload),
    ("staffing", Role::Staffing),
    ("workload", Role::Workload),
    ("capacity", Role::Capacity),
    ("indicator", Role::Indicator),
    ("other", Role::Other),
];

/// Reads `data/measures.toml` from its text. `file` is the path used in messages.
pub fn parse_measures(file: &Path, source: &str) -> MetaRead<Measures> {
    let mut ctx = Ctx {
        file,
        source,
        diags: Vec::new(),
    };
    let mut measures = Measures::default();
    let Some(doc) = parse_doc(&mut ctx, source) else {
        return MetaRead {
            value: measures,
            diagnostics: ctx.diags,
            fatal: true,
        };
    };
    let mut ratio_refs: Vec<(String, String, Range<usize>)> = Vec::new();
    let mut column_spans: Vec<(String, String, Range<usize>)> = Vec::new();
    for (key, value) in doc.get_ref().iter() {
        if key.get_ref() != "measures" {
            ctx.unknown_key(key, "measures.toml", &["measures"]);
            continue;
        }
        let Some(table) = ctx.table(value, "`measures`") else {
            continue;
        };
        for (id_key, m_value) in table.iter() {
            let id = id_key.get_ref().to_string();
            ctx.check_id(id_key, "measure");
            let Some(fields) = ctx.table(m_value, &format!("`measures.{id}`")) else {
                continue;
            };
            let mut m = Measure {
                id: id.clone(),
                label: LocalizedText::Plain(id.clone()),
                unit: MeasureUnit::Count,
                kind: MeasureKind::Stock,
                role: Role::Other,
                columns: Vec::new(),
                definition: None,
                source: None,
                limitations: Vec::new(),
                breaks: Vec::new(),
                ratio: None,
            };
            let (mut has_label, mut has_unit) = (false, false);
            column_spans.push((id.to_lowercase(), id.clone(), id_key.span()));
            for (k, v) in fields.iter() {
                match k.get_ref().as_ref() {
                    "label" => {
                        if let Some(t) = ctx.text(v, "label") {
                            m.label = t;
                            has_label = true;
                        }
                    }
                    "unit" => {
                        has_unit = true;
                        if let Some(u) = ctx.choice(v, "measure unit", MEASURE_UNITS) {
                            m.unit = u;
                        }
                    }
                    "kind" => {
                        if let Some(kind) = ctx.choice(v, "kind", KINDS) {
                            m.kind = kind;
                        }
                    }
                    "role" => {
                        if let Some(role) = ctx.choice(v, "role", ROLES) {
                            m.role = role;
                        }
                    }
                    "definition" => m.definition = ctx.text(v, "definition"),
                    "source" => m.source = ctx.text(v, "source"),
                    "columns" => {
                        for item in array(&mut ctx, v, "columns") {
                            if let Some(c) = ctx.string(item, "columns") {
                                column_spans.push((c.to_lowercase(), id.clone(), item.span()));
                                m.columns.push(c);
                            }
                        }
                    }
                    "limitations" => {
                        for item in array(&mut ctx, v, "limitations") {
                            if let Some(t) = ctx.text(item, "limitations") {
                                m.limitations.push(t);
                            }
                        }
                    }
                    "breaks" => {
                        for item in array(&mut ctx, v, "breaks") {
                            if let Some(b) = series_break(&mut ctx, item) {
                                m.breaks.push(b);
                            }
                        }
                        m.breaks.sort_by_key(|b| b.period);
                    }
                    "ratio" => {
                        let items = array(&mut ctx, v, "ratio");
                        let names: Vec<(String, Range<usize>)> = items
                            .iter()
                            .filter_map(|i| ctx.string(i, "ratio").map(|s| (s, i.span())))
                            .collect();
                        if names.len() == 2 && items.len() == 2 {
                            for (name, span) in &names {
                                ratio_refs.push((id.clone(), name.clone(), span.clone()));
                            }
                            m.ratio = Some((names[0].0.clone(), names[1].0.clone()));
                        } else if items.len() != 2 {
                            let d = ctx
                                .at(v.span(), "`ratio` must name exactly two measures")
                                .expected("`ratio = [\"numerator\", \"denominator\"]`");
                            ctx.push(d);
                        }
                    }
                    _ => ctx.unknown_key(k, &format!("measure `{id}`"), MEASURE_KEYS),
                }
            }
            if !has_label {
                let d = ctx
                    .at(id_key.span(), format!("measure `{id}` has no `label`"))
                    .expected("`label = \"…\"` or `label = { sv = \"…\", en = \"…\" }`");
                ctx.push(d);
            }
            if !has_unit {
                let d = ctx
                    .at(id_key.span(), format!("measure `{id}` has no `unit`"))
                    .expected(
                        "`unit = ` one of `count`, `fte`, `percent`, `days`, `points`, `ratio`",
                    );
                ctx.push(d);
            }
            measures.measures.insert(id, m);
        }
    }

    for (id, operand, span) in &ratio_refs {
        if !measures.measures.contains_key(operand) {
            let d = ctx
                .at(
                    span.clone(),
                    format!("ratio of measure `{id}` names an unknown measure `{operand}`"),
                )
                .found(operand.clone())
                .expected("the id of a measure declared as `[measures.<id>]`")
                .suggest(operand, measures.measures.keys().map(String::as_str));
            ctx.push(d);
        }
    }
    // A derived measure may build on another one, but not on itself.
    for (id, m) in &measures.measures {
        if m.ratio.is_none() {
            continue;
        }
        if depends_on(&measures, id, id, 0) {
            let span = ratio_refs
                .iter()
                .find(|(r, _, _)| r == id)
                .map(|(_, _, s)| s.clone())
                .unwrap_or(0..0);
            let d = ctx
                .at(span, format!("derived measure `{id}` depends on itself"))
                .expected("a ratio of measures read from data or derived from them");
            ctx.push(d);
        }
    }
    // Wide-file column names must point at one measure.
    let mut owner: HashMap<&str, &str> = HashMap::new();
    column_spans.sort_by_key(|(_, _, s)| s.start);
    for (name, id, span) in &column_spans {
        match owner.get(name.as_str()) {
            Some(first) if first != id => {
                let d = ctx
                    .at(
                        span.clone(),
                        format!("column name `{name}` means both `{first}` and `{id}`"),
                    )
                    .found(name.clone())
                    .expected("a column name (or id) that belongs to one measure only");
                ctx.push(d);
            }
            Some(_) => {}
            None => {
                owner.insert(name, id);
            }
        }
    }
    MetaRead {
        value: measures,
        diagnostics: ctx.diags,
        fatal: false,
    }
}

pub(super) fn depends_on(measures: &Measures, of: &str, target: &str, depth: usize) -> bool {
    if depth > measures.measures.len() {
        return false;
    }
    let Some((a, b)) = measures.get(of).and_then(|m| m.ratio.as_ref()) else {
        return false;
    };
    [a, b]
        .iter()
        .any(|op| op.as_str() == target || depends_on(measures, op, target, depth + 1))
}

pub(super) fn series_break(ctx: &mut Ctx<'_>, v: &Sv<'_>) -> Option<SeriesBreak> {
    let table = ctx.table(v, "a series break")?;
    let mut period = None;
    let mut note = None;
    let mut period_seen = false;
    for (k, val) in table.iter() {
        match k.get_ref().as_ref() {
            "period" => {
                period_seen = true;
                let text = match val.get_ref() {
                    DeValue::Integer(i) => Some(i.as_str().to_string()),
                    _ => ctx.string(val, "period"),
                };
                if let Some(text) = text {
                    period = Period::parse(&text);
                    if period.is_none() {
                        let d = ctx
                            .at(val.span(), "the period of a series break is not a period")
                            .found(text)
                            .expected(PERIOD_EXPECTED);
                        ctx.push(d);
                    }
                }
            }
            "note" => note = ctx.text(val, "note"),
            _ => ctx.unknown_key(k, "a series break", &["period", "note"]),
        }
    }
    if !period_seen {
        let d = ctx
            .at(v.span(), "a series break has no `period`")
            .expected("`period = \"2022Q1\"`, the first period of the new definition");
        ctx.push(d);
    }
    let note = note.or_else(|| {
        let d = ctx
            .at(v.span(), "a series break has no `note`")
            .expected("`note = \"…\"`: what changed, in plain words");
        ctx.push(d);
        None
    });
    Some(SeriesBreak {
        period: period?,
        note: note?,
    })
}
