//! Inline figures: `{{ value(measure="…", unit="…", period="…") }}` and
//! `{{ change(measure="…", unit="…", from="…", to="…") }}` (§4).
//!
//! A malformed shortcode is an error, never silently printed as text.

use std::collections::BTreeMap;

use crate::diagnostics::did_you_mean;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShortcodeKind {
    /// One value of a series.
    Value,
    /// The relative change of a series between two periods.
    Change,
}

impl ShortcodeKind {
    const NAMES: [&'static str; 2] = ["value", "change"];

    fn from_name(name: &str) -> Option<ShortcodeKind> {
        match name {
            "value" => Some(ShortcodeKind::Value),
            "change" => Some(ShortcodeKind::Change),
            _ => None,
        }
    }

    fn required(self) -> &'static [&'static str] {
        match self {
            ShortcodeKind::Value => &["measure", "unit", "period"],
            ShortcodeKind::Change => &["measure", "unit", "from", "to"],
        }
    }

    fn optional(self) -> &'static [&'static str] {
        &["group"]
    }

    pub fn name(self) -> &'static str {
        match self {
            ShortcodeKind::Value => "value",
            ShortcodeKind::Change => "change",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    pub kind: ShortcodeKind,
    pub args: BTreeMap<String, String>,
}

impl Shortcode {
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args.get(name).map(String::as_str)
    }
}

/// A problem in a shortcode: byte offset within the shortcode's source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortcodeError {
    pub offset: usize,
    pub message: String,
    pub found: Option<String>,
    pub expected: Option<String>,
    pub help: Option<String>,
}

impl ShortcodeError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        ShortcodeError {
            offset,
            message: message.into(),
            found: None,
            expected: None,
            help: None,
        }
    }
    fn found(mut self, s: &str) -> Self {
        self.found = Some(s.to_string());
        self
    }
    fn expected(mut self, s: impl Into<String>) -> Self {
        self.expected = Some(s.into());
        self
    }
    fn help(mut self, s: Option<String>) -> Self {
        self.help = s;
        self
    }
}

const SYNTAX: &str = "`{{ value(measure=\"…\", unit=\"…\", period=\"…\") }}` or `{{ change(measure=\"…\", unit=\"…\", from=\"…\", to=\"…\") }}`";

/// Parses the text between `{{` and `}}` (exclusive). `base` is added to
/// every reported offset.
pub fn parse(inner: &str, base: usize) -> Result<Shortcode, ShortcodeError> {
    let mut p = Cursor {
        s: inner,
        pos: 0,
        base,
    };
    p.skip_ws();
    let name_start = p.pos;
    let name = p.take_while(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.is_empty() {
        return Err(
            ShortcodeError::new(base + name_start, "a shortcode has no name")
                .found(inner.trim())
                .expected(SYNTAX),
        );
    }
    let Some(kind) = ShortcodeKind::from_name(name) else {
        return Err(ShortcodeError::new(base + name_start, "unknown shortcode")
            .found(name)
            .expected("`value` or `change`")
            .help(
                did_you_mean(name, ShortcodeKind::NAMES).map(|s| format!("did you mean `{s}`?")),
            ));
    };
    p.skip_ws();
    if !p.eat('(') {
        return Err(
            ShortcodeError::new(base + p.pos, "missing `(` after the shortcode name")
                .found(inner.trim())
                .expected(SYNTAX),
        );
    }
    let mut args = BTreeMap::new();
    loop {
        p.skip_ws();
        if p.eat(')') {
            break;
        }
        if p.at_end() {
            return Err(ShortcodeError::new(
                base + p.pos,
                "missing `)` at the end of the shortcode",
            )
            .found(inner.trim())
            .expected(SYNTAX));
        }
        let arg_start = p.pos;
        let arg = p.take_while(|c| c.is_ascii_alphanumeric() || c == '_');
        if arg.is_empty() {
            let rest: String = p.rest().chars().take(20).collect();
            return Err(
                ShortcodeError::new(base + p.pos, "expected an argument name")
                    .found(&rest)
                    .expected("`name=\"value\"` pairs separated by commas"),
            );
        }
        let known: Vec<&str> = kind
            .required()
            .iter()
            .chain(kind.optional())
            .copied()
            .collect();
        if !known.contains(&arg) {
            return Err(ShortcodeError::new(
                base + arg_start,
                format!("unknown argument of `{}`", kind.name()),
            )
            .found(arg)
            .expected(format!(
                "one of {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .help(
                did_you_mean(arg, known.iter().copied()).map(|s| format!("did you mean `{s}`?")),
            ));
        }
        p.skip_ws();
        if !p.eat('=') {
            return Err(
                ShortcodeError::new(base + p.pos, format!("missing `=` after `{arg}`"))
                    .expected(format!("`{arg}=\"…\"`")),
            );
        }
        p.skip_ws();
        let quote_pos = p.pos;
        let value = p.quoted().ok_or_else(|| {
            ShortcodeError::new(
                base + quote_pos,
                format!("the value of `{arg}` must be in double quotes"),
            )
            .found(&p.s[quote_pos..].chars().take(20).collect::<String>())
            .expected(format!("`{arg}=\"…\"`"))
        })?;
        if args.insert(arg.to_string(), value.to_string()).is_some() {
            return Err(ShortcodeError::new(
                base + arg_start,
                format!("`{arg}` is given twice"),
            ));
        }
        p.skip_ws();
        // A closing `)` or the end is handled at the top of the loop.
        if p.eat(',') || p.at_end() || p.rest().starts_with(')') {
            continue;
        }
        return Err(ShortcodeError::new(base + p.pos, "expected `,` or `)`")
            .found(&p.rest().chars().take(20).collect::<String>())
            .expected(SYNTAX));
    }
    p.skip_ws();
    if !p.at_end() {
        return Err(
            ShortcodeError::new(base + p.pos, "unexpected text after the shortcode's `)`")
                .found(p.rest().trim())
                .expected("`}}` right after `)`"),
        );
    }
    for required in kind.required() {
        if !args.contains_key(*required) {
            return Err(ShortcodeError::new(
                base,
                format!("`{}` needs the argument `{required}`", kind.name()),
            )
            .found(inner.trim())
            .expected(SYNTAX));
        }
    }
    Ok(Shortcode { kind, args })
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
    #[allow(dead_code)]
    base: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }
    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }
    fn skip_ws(&mut self) {
        let n = self.rest().len() - self.rest().trim_start().len();
        self.pos += n;
    }
    fn eat(&mut self, c: char) -> bool {
        if self.rest().starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }
    fn take_while(&mut self, f: impl Fn(char) -> bool) -> &'a str {
        let rest = self.rest();
        let n = rest.find(|c: char| !f(c)).unwrap_or(rest.len());
        self.pos += n;
        &rest[..n]
    }
    fn quoted(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let inner = rest.strip_prefix('"')?;
        let end = inner.find('"')?;
        self.pos += end + 2;
        Some(&inner[..end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_value_and_change() {
        let s = parse(
            r#" value(measure="open_cases", unit="nordost", period="2024Q3") "#,
            0,
        )
        .unwrap();
        assert_eq!(s.kind, ShortcodeKind::Value);
        assert_eq!(s.arg("unit"), Some("nordost"));
        let s = parse(
            r#"change(measure="a",unit="b",from="2021Q1",to="2024Q3")"#,
            0,
        )
        .unwrap();
        assert_eq!(s.kind, ShortcodeKind::Change);
        assert_eq!(s.arg("to"), Some("2024Q3"));
    }

    #[test]
    fn malformed_shortcodes_are_errors() {
        let e = parse(r#" valeu(measure="a") "#, 10).unwrap_err();
        assert_eq!(e.message, "unknown shortcode");
        assert_eq!(e.offset, 11);
        assert_eq!(e.help.as_deref(), Some("did you mean `value`?"));
        let e = parse(r#" value measure="a" "#, 0).unwrap_err();
        assert!(e.message.contains("missing `(`"));
        let e = parse(r#" value(measure="a", unit="b", period="2024Q1" "#, 0).unwrap_err();
        assert!(e.message.contains("missing `)`"), "{e:?}");
        let e = parse(r#" value(measure="a", unti="b", period="2024Q1") "#, 0).unwrap_err();
        assert!(e.message.contains("unknown argument"));
        assert_eq!(e.help.as_deref(), Some("did you mean `unit`?"));
        let e = parse(r#" value(measure="a", unit="b") "#, 0).unwrap_err();
        assert!(e.message.contains("needs the argument `period`"));
        let e = parse(r#" value(measure=a) "#, 0).unwrap_err();
        assert!(e.message.contains("double quotes"));
    }
}
