use super::*;

use std::ops::Range;
use std::path::Path;

use toml::de::DeValue;

use crate::data::model::{Area, Unit, Units};

use crate::text::LocalizedText;

/// Whether an `[areas]` entry is written short, `id = "Name"` or
/// `id = { sv = "…", en = "…" }`, rather than as a table with `name`.
pub(super) fn is_area_short_form(v: &Sv<'_>) -> bool {
    match v.get_ref() {
        DeValue::Table(t) => {
            !t.is_empty()
                && t.iter()
                    .all(|(k, _)| matches!(k.get_ref().as_ref(), "sv" | "en"))
        }
        _ => true,
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
