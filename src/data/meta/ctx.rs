use super::*;

use crate::diagnostics::{line_column, toml_diagnostic};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::data::model::Reference;

use crate::diagnostics::Diagnostic;
use crate::text::LocalizedText;

pub(super) type Sv<'i> = Spanned<DeValue<'i>>;

pub(super) struct Ctx<'a> {
    pub(super) file: &'a Path,
    pub(super) source: &'a str,
    pub(super) diags: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    pub(super) fn at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, column) = line_column(self.source, span.start);
        Diagnostic::error(self.file, message).at(line, column)
    }

    pub(super) fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub(super) fn unknown_key(
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

    pub(super) fn table<'v, 'i>(&mut self, v: &'v Sv<'i>, what: &str) -> Option<&'v DeTable<'i>> {
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

    pub(super) fn string(&mut self, v: &Sv<'_>, what: &str) -> Option<String> {
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
    pub(super) fn text(&mut self, v: &Sv<'_>, what: &str) -> Option<LocalizedText> {
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
    pub(super) fn reference(&mut self, v: &Sv<'_>) -> Option<Reference> {
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

    pub(super) fn choice<T: Copy>(
        &mut self,
        v: &Sv<'_>,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
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

impl Ctx<'_> {
    /// Refuses an id that is not [`is_safe_id`].
    pub(super) fn check_id(&mut self, key: &Spanned<std::borrow::Cow<'_, str>>, what: &str) {
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

pub(super) fn parse_doc<'i>(ctx: &mut Ctx<'_>, source: &'i str) -> Option<Spanned<DeTable<'i>>> {
    match DeTable::parse(source) {
        Ok(doc) => Some(doc),
        Err(e) => {
            ctx.push(toml_diagnostic(ctx.file, ctx.source, &e));
            None
        }
    }
}

pub(super) fn array<'v, 'i>(ctx: &mut Ctx<'_>, v: &'v Sv<'i>, what: &str) -> &'v [Sv<'i>] {
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
