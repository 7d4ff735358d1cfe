//! `data/units.toml` (§3.2) and `data/measures.toml` (§3.3).
//!
//! Both are walked from toml's spanned document model, so every problem is
//! located at the key or value it concerns, and all problems of a file are
//! reported at once (unknown keys included).

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::config::{line_column, toml_diagnostic};
use crate::data::identity::scan_text;
use crate::data::model::{
    Area, Measure, MeasureKind, MeasureUnit, Measures, Reference, Role, SeriesBreak, Unit, Units,
};
use crate::data::period::{PERIOD_EXPECTED, Period};
use crate::diagnostics::Diagnostic;
use crate::text::LocalizedText;

/// The result of reading one metadata file: what could be read, the
/// problems, and whether the file was unreadable as TOML at all (then later
/// checks against it would only add noise).
#[derive(Debug)]
pub struct MetaRead<T> {
    pub value: T,
    pub diagnostics: Vec<Diagnostic>,
    pub fatal: bool,
}

type Sv<'i> = Spanned<DeValue<'i>>;

struct Ctx<'a> {
    file: &'a Path,
    source: &'a str,
    diags: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    fn at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, column) = line_column(self.source, span.start);
        Diagnostic::error(self.file, message).at(line, column)
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn unknown_key(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        what: &str,
        known: &[&str],
    ) {
        let list = known
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let d = self
            .at(
                key.span(),
                format!("unknown key `{}` in {what}", key.get_ref()),
            )
            .found(key.get_ref().to_string())
            .expected(format!("one of {list}"))
            .suggest(key.get_ref(), known.iter().copied());
        self.push(d);
    }

    fn table<'v, 'i>(&mut self, v: &'v Sv<'i>, what: &str) -> Option<&'v DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                let d = self
                    .at(v.span(), format!("{what} must be a table"))
                    .found(other.type_str())
                    .expected("a table such as `[units.nordost]`");
                self.push(d);
                None
            }
        }
    }

    fn string(&mut self, v: &Sv<'_>, what: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                let d = self
                    .at(v.span(), format!("`{what}` must be a string"))
                    .found(other.type_str())
                    .expected("a quoted string");
                self.push(d);
                None
            }
        }
    }

    /// A text that is one string for every language or `{ sv, en }`.
    fn text(&mut self, v: &Sv<'_>, what: &str) -> Option<LocalizedText> {
        match v.get_ref() {
            DeValue::String(s) => Some(LocalizedText::Plain(s.to_string())),
            DeValue::Table(t) => {
                let (mut sv, mut en) = (None, None);
                for (k, val) in t.iter() {
                    match k.get_ref().as_ref() {
                        "sv" => sv = self.string(val, &format!("{what}.sv")),
                        "en" => en = self.string(val, &format!("{what}.en")),
                        _ => self.unknown_key(k, &format!("`{what}`"), &["sv", "en"]),
                    }
                }
                if sv.is_none() && en.is_none() {
                    let d = self
                        .at(v.span(), format!("`{what}` has no text"))
                        .expected("a string, or a table `{ sv = \"…\", en = \"…\" }`");
                    self.push(d);
                    return None;
                }
                Some(LocalizedText::PerLang { sv, en })
            }
            other => {
                let d = self
                    .at(v.span(), format!("`{what}` must be a text"))
                    .found(other.type_str())
                    .expected("a string, or a table `{ sv = \"…\", en = \"…\" }`");
                self.push(d);
                None
            }
        }
    }

    /// `reference = true`, or the caveat that goes with the figure
    /// (`reference = "Unweighted mean of 12 municipalities"`).
    fn reference(&mut self, v: &Sv<'_>) -> Option<Reference> {
        match v.get_ref() {
            DeValue::Boolean(true) => Some(Reference { note: None }),
            DeValue::Boolean(false) => None,
            DeValue::String(_) | DeValue::Table(_) => Some(Reference {
                note: Some(self.text(v, "reference")?),
            }),
            other => {
                let d = self
                    .at(v.span(), "`reference` must be `true` or a note")
                    .found(other.type_str())
                    .expected("`reference = true`, or the caveat of the figure as text, such as `reference = \"Unweighted mean of 12 municipalities\"`");
                self.push(d);
                None
            }
        }
    }

    fn choice<T: Copy>(&mut self, v: &Sv<'_>, what: &str, options: &[(&str, T)]) -> Option<T> {
        let s = self.string(v, what)?;
        if let Some((_, t)) = options.iter().find(|(name, _)| *name == s) {
            return Some(*t);
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let list = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let d = self
            .at(v.span(), format!("unknown {what} `{s}`"))
            .found(s.clone())
            .expected(format!("one of {list}"))
            .suggest(&s, names.iter().copied());
        self.push(d);
        None
    }
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

impl Ctx<'_> {
    /// Refuses an id that is not [`is_safe_id`].
    fn check_id(&mut self, key: &Spanned<std::borrow::Cow<'_, str>>, what: &str) {
        let id = key.get_ref();
        if !is_safe_id(id) {
            let shown: String = id.chars().take(80).collect();
            let d = self
                .at(
                    key.span(),
                    format!(
                        "{what} id `{}` cannot be used in a web address",
                        shown.escape_default()
                    ),
                )
                .found(shown)
                .expected(ID_EXPECTED);
            self.push(d);
        }
    }
}

/// Whether an `[areas]` entry is written short, `id = "Name"` or
/// `id = { sv = "…", en = "…" }`, rather than as a table with `name`.
fn is_area_short_form(v: &Sv<'_>) -> bool {
    match v.get_ref() {
        DeValue::Table(t) => {
            !t.is_empty()
                && t.iter()
                    .all(|(k, _)| matches!(k.get_ref().as_ref(), "sv" | "en"))
        }
        _ => true,
    }
}

fn parse_doc<'i>(ctx: &mut Ctx<'_>, source: &'i str) -> Option<Spanned<DeTable<'i>>> {
    match DeTable::parse(source) {
        Ok(doc) => Some(doc),
        Err(e) => {
            ctx.push(toml_diagnostic(ctx.file, ctx.source, &e));
            None
        }
    }
}

/// Reads `data/units.toml` from its text. `file` is the path used in messages.
pub fn parse_units(file: &Path, source: &str) -> MetaRead<Units> {
    let mut ctx = Ctx {
        file,
        source,
        diags: Vec::new(),
    };
    let mut units = Units::default();
    let Some(doc) = parse_doc(&mut ctx, source) else {
        return MetaRead {
            value: units,
            diagnostics: ctx.diags,
            fatal: true,
        };
    };
    // Spans kept for the cross-checks below.
    let mut area_refs: Vec<(String, String, Range<usize>)> = Vec::new();
    let mut parent_refs: Vec<(String, String, Range<usize>)> = Vec::new();
    for (key, value) in doc.get_ref().iter() {
        match key.get_ref().as_ref() {
            "units" => {
                let Some(table) = ctx.table(value, "`units`") else {
                    continue;
                };
                for (id_key, unit_value) in table.iter() {
                    let id = id_key.get_ref().to_string();
                    ctx.check_id(id_key, "unit");
                    let Some(fields) = ctx.table(unit_value, &format!("`units.{id}`")) else {
                        continue;
                    };
                    let mut unit = Unit {
                        id: id.clone(),
                        name: String::new(),
                        area: None,
                        parent: None,
                    };
                    let mut has_name = false;
                    for (k, v) in fields.iter() {
                        match k.get_ref().as_ref() {
                            "name" => {
                                if let Some(s) = ctx.string(v, "name") {
                                    unit.name = s;
                                    has_name = true;
                                }
                            }
                            "area" => {
                                if let Some(s) = ctx.string(v, "area") {
                                    area_refs.push((id.clone(), s.clone(), v.span()));
                                    unit.area = Some(s);
                                }
                            }
                            "parent" => {
                                if let Some(s) = ctx.string(v, "parent") {
                                    parent_refs.push((id.clone(), s.clone(), v.span()));
                                    unit.parent = Some(s);
                                }
                            }
                            "reference" => {
                                if let Some(r) = ctx.reference(v) {
                                    units.references.insert(id.clone(), r);
                                }
                            }
                            _ => ctx.unknown_key(
                                k,
                                &format!("unit `{id}`"),
                                &["name", "area", "parent", "reference"],
                            ),
                        }
                    }
                    if !has_name {
                        let d = ctx
                            .at(id_key.span(), format!("unit `{id}` has no `name`"))
                            .expected("`name = \"…\"`, the unit's name as shown and as written in CSV files");
                        ctx.push(d);
                        unit.name = id.clone();
                    }
                    units.units.insert(id, unit);
                }
            }
            "areas" => {
                let Some(table) = ctx.table(value, "`areas`") else {
                    continue;
                };
                for (id_key, area_value) in table.iter() {
                    let id = id_key.get_ref().to_string();
                    // The short form `id = "Name"` (or `id = { sv, en }` text).
                    if is_area_short_form(area_value) {
                        let name = ctx.text(area_value, &format!("areas.{id}"));
                        let name = name.unwrap_or_else(|| LocalizedText::Plain(id.clone()));
                        units.areas.insert(id.clone(), Area { id, name });
                        continue;
                    }
                    let Some(fields) = ctx.table(area_value, &format!("`areas.{id}`")) else {
                        continue;
                    };
                    let mut name = None;
                    for (k, v) in fields.iter() {
                        match k.get_ref().as_ref() {
                            "name" => name = ctx.text(v, "name"),
                            _ => ctx.unknown_key(k, &format!("area `{id}`"), &["name"]),
                        }
                    }
                    let name = name.unwrap_or_else(|| {
                        let d = ctx
                            .at(id_key.span(), format!("area `{id}` has no `name`"))
                            .expected("`name = \"…\"` or `name = { sv = \"…\", en = \"…\" }`");
                        ctx.push(d);
                        LocalizedText::Plain(id.clone())
                    });
                    units.areas.insert(id.clone(), Area { id, name });
                }
            }
            _ => ctx.unknown_key(key, "units.toml", &["units", "areas"]),
        }
    }

    for (unit, area, span) in &area_refs {
        if !units.areas.contains_key(area) {
            let d = ctx
                .at(
                    span.clone(),
                    format!("unit `{unit}` names an unknown area `{area}`"),
                )
                .found(area.clone())
                .expected("the id of an area declared as `[areas.<id>]`");
            let d = d.suggest(area, units.areas.keys().map(String::as_str));
            ctx.push(d);
        }
    }
    for (unit, parent, span) in &parent_refs {
        if !units.units.contains_key(parent) {
            let d = ctx
                .at(
                    span.clone(),
                    format!("unit `{unit}` names an unknown parent `{parent}`"),
                )
                .found(parent.clone())
                .expected("the id of a unit declared as `[units.<id>]`")
                .suggest(parent, units.units.keys().map(String::as_str));
            ctx.push(d);
        }
    }
    // Parent cycles, reported once per cycle (at its smallest id).
    for (unit, parent, span) in &parent_refs {
        let mut path = vec![unit.as_str()];
        let mut current = Some(parent.as_str());
        while let Some(p) = current {
            if p == unit {
                if path.iter().all(|id| *id >= unit.as_str()) {
                    path.push(unit);
                    let d = ctx
                        .at(
                            span.clone(),
                            format!("units form a parent cycle: {}", path.join(" → ")),
                        )
                        .found(parent.clone())
                        .expected("a hierarchy without cycles: a unit cannot be its own ancestor");
                    ctx.push(d);
                }
                break;
            }
            if path.contains(&p) || path.len() > units.units.len() {
                break; // a cycle that does not pass through `unit`
            }
            path.push(p);
            current = units.units.get(p).and_then(|u| u.parent.as_deref());
        }
    }
    // Names may repeat (a re-coded unit keeps its name under a new id): a
    // CSV cell that uses such a name is refused where it is read, since only
    // there is it ambiguous (see `data::csv::Lookup`).
    MetaRead {
        value: units,
        diagnostics: ctx.diags,
        fatal: false,
    }
}

const MEASURE_KEYS: &[&str] = &[
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

const MEASURE_UNITS: &[(&str, MeasureUnit)] = &[
    ("count", MeasureUnit::Count),
    ("fte", MeasureUnit::Fte),
    ("percent", MeasureUnit::Percent),
    ("days", MeasureUnit::Days),
    ("points", MeasureUnit::Points),
    ("ratio", MeasureUnit::Ratio),
];

const KINDS: &[(&str, MeasureKind)] = &[("stock", MeasureKind::Stock), ("flow", MeasureKind::Flow)];

const ROLES: &[(&str, Role)] = &[
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

fn depends_on(measures: &Measures, of: &str, target: &str, depth: usize) -> bool {
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

fn array<'v, 'i>(ctx: &mut Ctx<'_>, v: &'v Sv<'i>, what: &str) -> &'v [Sv<'i>] {
    match v.get_ref() {
        DeValue::Array(a) => a,
        other => {
            let d = ctx
                .at(v.span(), format!("`{what}` must be an array"))
                .found(other.type_str())
                .expected("an array such as `[\"a\", \"b\"]`");
            ctx.push(d);
            &[]
        }
    }
}

fn series_break(ctx: &mut Ctx<'_>, v: &Sv<'_>) -> Option<SeriesBreak> {
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
            let text = String::from_utf8_lossy(&bytes);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let mut read = parse(file, text);
            // Unit, area and measure names, labels and notes are published.
            read.diagnostics.extend(scan_text(file, text));
            read
        }
        Err(e) => MetaRead {
            value: empty(),
            diagnostics: vec![
                Diagnostic::error(file, format!("cannot read {rel}: {e}")).help(
                    "a site's data needs `data/units.toml` and `data/measures.toml` (§3.2, §3.3)",
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
mod tests {
    use super::*;

    #[test]
    fn ids_that_would_leave_their_folder_are_refused() {
        for bad in [
            "../x", "a/b", "a\\b", "..", ".", "Nordost", "a b", "a.b", "å", "a%2f", "",
        ] {
            assert!(!is_safe_id(bad), "{bad}");
            let key = bad.replace('\\', "\\\\").replace('"', "\\\"");
            let src = format!("[units.\"{key}\"]\nname = \"X\"\n");
            let read = parse_units(Path::new("data/units.toml"), &src);
            let d = read
                .diagnostics
                .iter()
                .find(|d| d.message.contains("cannot be used in a web address"))
                .unwrap_or_else(|| panic!("{bad}: {:?}", read.diagnostics));
            assert_eq!(d.line, Some(1));
            assert!(d.expected.as_deref().unwrap().contains("a–z"));
            let src = format!("[measures.\"{key}\"]\nlabel = \"X\"\nunit = \"count\"\n");
            let read = parse_measures(Path::new("data/measures.toml"), &src);
            assert!(
                read.diagnostics
                    .iter()
                    .any(|d| d.message.contains("measure id")),
                "{bad}: {:?}",
                read.diagnostics
            );
        }
        for good in ["nordost", "open_cases", "unit-2", "0"] {
            assert!(is_safe_id(good), "{good}");
        }
    }
}
