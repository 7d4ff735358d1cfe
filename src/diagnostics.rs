//! Problems found while loading or building a site, reported as values.
//!
//! Every stage returns a list of [`Diagnostic`]s instead of stopping at the
//! first problem, so a user sees all errors of a build at once. Only the CLI
//! turns them into text (see [`Diagnostic::render_plain`]).

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem, located as precisely as the stage that found it can.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// What went wrong, in plain words.
    pub message: String,
    /// The offending text, exactly as found (never set for values that must not be echoed).
    pub found: Option<String>,
    /// What would have been accepted.
    pub expected: Option<String>,
    /// A hint such as "did you mean `nordost`?".
    pub help: Option<String>,
    /// The source line holds a value that must not be echoed (a personal
    /// identity number): show the location, never an excerpt of the line.
    pub sensitive: bool,
    /// How many problems this diagnostic reports: 1, or the number a line
    /// such as "5,999,801 more problems in this file are not listed" stands
    /// for, so that the count a command prints is the count there is.
    pub count: usize,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            found: None,
            expected: None,
            help: None,
            sensitive: false,
            count: 1,
        }
    }

    /// A line that stands for `count` problems that are not listed one by
    /// one (see [`Diagnostic::count`]).
    /// `noun` is singular ("problem"), `qualifier` follows its plural.
    pub fn unlisted(file: impl Into<PathBuf>, count: usize, noun: &str, qualifier: &str) -> Self {
        Diagnostic {
            count,
            ..Diagnostic::error(
                file,
                format!(
                    "{} more {noun}{}{qualifier} in this file {} not listed",
                    group_digits(count),
                    if count == 1 { "" } else { "s" },
                    if count == 1 { "is" } else { "are" }
                ),
            )
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Marks the source line as not to be shown (see [`Diagnostic::sensitive`]).
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn found(mut self, text: impl Into<String>) -> Self {
        self.found = Some(text.into());
        self
    }

    pub fn expected(mut self, text: impl Into<String>) -> Self {
        self.expected = Some(text.into());
        self
    }

    pub fn help(mut self, text: impl Into<String>) -> Self {
        self.help = Some(text.into());
        self
    }

    /// Adds "did you mean `x`?" when one of `candidates` is close to `input`.
    pub fn suggest<'a>(self, input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        match did_you_mean(input, candidates) {
            Some(best) => self.help(format!("did you mean `{best}`?")),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, as far as known.
    pub fn location(&self) -> String {
        // A file name may hold control characters (an escape sequence, a
        // line break): written as they are, they would recolour the
        // terminal or split the message. Shown escaped, as `found:` is.
        let mut s: String = self
            .file
            .to_string_lossy()
            .replace('\\', "/")
            .chars()
            .flat_map(|c| {
                let escaped: Vec<char> = if c.is_control() {
                    c.escape_default().collect()
                } else {
                    vec![c]
                };
                escaped
            })
            .collect();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
            if let Some(col) = self.column {
                s.push_str(&format!(":{col}"));
            }
        }
        s
    }

    /// A plain-text rendering with no colour, used in logs, tests and the
    /// serve error page.
    pub fn render_plain(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut s = format!("{kind}: {}: {}", self.location(), self.message);
        if let Some(found) = &self.found {
            s.push_str(&format!("\n  found:    {}", show_text(found)));
        }
        if let Some(expected) = &self.expected {
            s.push_str(&format!("\n  expected: {expected}"));
        }
        if let Some(help) = &self.help {
            s.push_str(&format!("\n  help:     {help}"));
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_plain())
    }
}

/// Quotes offending text so that blanks and control characters stay visible
/// (and cannot reach a terminal as escape sequences). A text longer than
/// [`MAX_SHOWN_CHARS`] is cut, with an ellipsis and its length.
pub fn show_text(text: &str) -> String {
    let shown: String = text
        .chars()
        .take(MAX_SHOWN_CHARS)
        .flat_map(char::escape_debug)
        .collect();
    let length = text.chars().count();
    if length > MAX_SHOWN_CHARS {
        format!("`{shown}…` ({} characters)", group_digits(length))
    } else {
        format!("`{shown}`")
    }
}

/// Offending text is shown up to this many characters.
pub const MAX_SHOWN_CHARS: usize = 80;

/// A message longer than this (in characters) is cut.
const MAX_MESSAGE_CHARS: usize = 400;

/// At most this many problems of one kind are listed per file; the rest are
/// counted in one line.
pub const MAX_PER_KIND: usize = 20;

/// `text` cut to `max` characters, with an ellipsis and its length in
/// characters; unchanged when it is short enough.
pub fn shorten(text: &str, max: usize) -> String {
    let length = text.chars().count();
    if length <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    format!("{head}… ({} characters)", group_digits(length))
}

/// `1234567` as `1,234,567`.
pub fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What kind of problem a message names, for [`for_display`]: the words
/// before the first name, number or colon (`duplicate observation`,
/// `unknown measure column`, `negative value for`).
fn kind_of(message: &str) -> &str {
    let end = message
        .find(|c: char| c == ':' || c == '`' || c.is_ascii_digit())
        .unwrap_or(message.len());
    message[..end].trim_end()
}

/// Every value of `results`, or every problem of the ones that failed:
/// work done in parallel reports all its problems at once, in order.
pub fn all_or_problems<T>(
    results: impl IntoIterator<Item = Result<T, Vec<Diagnostic>>>,
) -> Result<Vec<T>, Vec<Diagnostic>> {
    let mut values = Vec::new();
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(value) => values.push(value),
            Err(e) => problems.extend(e),
        }
    }
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(problems)
    }
}

/// Diagnostics made fit to show a person, in the terminal or on the serve
/// error page: every personal identity number masked (and the diagnostic
/// then marked [`Diagnostic::sensitive`]), long texts cut, sorted, and at
/// most [`MAX_PER_KIND`] problems of one kind per file, the rest counted in
/// one line after that file's problems.
pub fn for_display(problems: impl IntoIterator<Item = Diagnostic>) -> Vec<Diagnostic> {
    let sorted = problems
        .into_iter()
        .map(masked)
        .collect::<Diagnostics>()
        .sorted();
    let mut out = Vec::with_capacity(sorted.len().min(4096));
    // Per file, in order: how many of each kind were seen.
    let mut counts: Vec<(String, Severity, usize)> = Vec::new();
    let mut current: Option<PathBuf> = None;
    let flush =
        |out: &mut Vec<Diagnostic>, file: &Path, counts: &mut Vec<(String, Severity, usize)>| {
            for (kind, severity, n) in counts.drain(..) {
                if n > MAX_PER_KIND {
                    let more = n - MAX_PER_KIND;
                    let noun = if severity == Severity::Error {
                        "error"
                    } else {
                        "warning"
                    };
                    let mut d = Diagnostic::unlisted(file, more, noun, &format!(" like “{kind}”"));
                    d.severity = severity;
                    out.push(d);
                }
            }
        };
    for d in sorted {
        if current.as_deref() != Some(d.file.as_path()) {
            if let Some(file) = current.take() {
                flush(&mut out, &file, &mut counts);
            }
            current = Some(d.file.clone());
        }
        let kind = kind_of(&d.message);
        let seen = match counts
            .iter_mut()
            .find(|(k, s, _)| k == kind && *s == d.severity)
        {
            Some(entry) => {
                entry.2 += 1;
                entry.2
            }
            None => {
                counts.push((kind.to_string(), d.severity, 1));
                1
            }
        };
        if seen <= MAX_PER_KIND {
            out.push(d);
        }
    }
    if let Some(file) = current {
        flush(&mut out, &file, &mut counts);
    }
    out
}

/// One diagnostic with personal identity numbers masked everywhere and its
/// texts cut to a readable length.
fn masked(mut d: Diagnostic) -> Diagnostic {
    use crate::identity::mask;
    let mut hid = false;
    let file = d.file.to_string_lossy().into_owned();
    if let std::borrow::Cow::Owned(m) = mask(&file) {
        d.file = PathBuf::from(m);
        hid = true;
    }
    // (text, longest shown whole, length cut to)
    for (text, longest, cut_to) in [
        (Some(&mut d.message), MAX_MESSAGE_CHARS, MAX_MESSAGE_CHARS),
        // Cut short enough, with its length, that `show_text` keeps it whole.
        (d.found.as_mut(), MAX_SHOWN_CHARS, MAX_SHOWN_CHARS / 2),
        (d.expected.as_mut(), MAX_MESSAGE_CHARS, MAX_MESSAGE_CHARS),
        (d.help.as_mut(), MAX_MESSAGE_CHARS, MAX_MESSAGE_CHARS),
    ] {
        let Some(text) = text else { continue };
        if let std::borrow::Cow::Owned(m) = mask(text) {
            *text = m;
            hid = true;
        }
        if text.chars().count() > longest {
            *text = shorten(text, cut_to);
        }
    }
    d.sensitive |= hid;
    d
}

/// The closest candidate by Jaro-Winkler similarity, if it is close enough to
/// be a plausible typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let needle = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&needle, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The path of `path` relative to `root`, for messages.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// An ordered collection of diagnostics from one or more stages.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }
    /// Sorted by file, line and column so that output is stable whatever the
    /// order in which parallel stages found the problems.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        self.items.dedup();
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// Turns a TOML parse or schema error into a located diagnostic.
pub fn toml_diagnostic(file: &Path, source: &str, err: &toml::de::Error) -> Diagnostic {
    let mut d = Diagnostic::error(file, err.message().to_string());
    if let Some(span) = err.span() {
        let (line, column) = line_column(source, span.start);
        d = d.at(line, column);
        let found: String = source[span.clone()].chars().take(80).collect();
        if !found.trim().is_empty() {
            d = d.found(found);
        }
    }
    d
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file name with a terminal escape or a line break is shown
    /// escaped: it can neither recolour the terminal nor split the message.
    #[test]
    fn control_characters_in_a_file_name_are_escaped() {
        let d = Diagnostic::error("content/a\u{1b}[31mRED\u{1b}[0m\nb.md", "x").at(3, 1);
        assert_eq!(d.location(), "content/a\\u{1b}[31mRED\\u{1b}[0m\\nb.md:3:1");
        assert_eq!(
            Diagnostic::error("content/å ä.md", "x").location(),
            "content/å ä.md"
        );
    }

    #[test]
    fn suggests_close_names_only() {
        let units = ["nordost", "sydvast", "centrum"];
        assert_eq!(did_you_mean("nordst", units), Some("nordost"));
        assert_eq!(did_you_mean("Nordost", units), Some("nordost"));
        assert_eq!(did_you_mean("xyzzy", units), None);
    }

    #[test]
    fn at_most_a_fixed_number_of_one_kind_per_file_then_a_count() {
        let mut all = Vec::new();
        for line in 1..=1000 {
            all.push(
                Diagnostic::error("data/a.csv", format!("duplicate observation: row {line}"))
                    .at(line, 1),
            );
        }
        all.push(Diagnostic::error("data/a.csv", "unknown unit `x`").at(5, 2));
        all.push(Diagnostic::error("data/b.csv", "duplicate observation: row 1").at(1, 1));
        let shown = for_display(all);
        let in_a: Vec<&Diagnostic> = shown
            .iter()
            .filter(|d| d.file == Path::new("data/a.csv"))
            .collect();
        assert_eq!(in_a.len(), MAX_PER_KIND + 2, "{shown:#?}");
        let last = in_a.last().unwrap();
        assert_eq!(
            last.message,
            "980 more errors like “duplicate observation” in this file are not listed"
        );
        assert!(in_a.iter().any(|d| d.message.starts_with("unknown unit")));
        // The count comes after that file's problems, before the next file.
        assert_eq!(shown[MAX_PER_KIND + 2].file, Path::new("data/b.csv"));
        assert_eq!(shown.len(), MAX_PER_KIND + 3);
    }

    #[test]
    fn long_offending_text_is_cut_with_its_length() {
        let huge = "x".repeat(10 << 20);
        let shown = show_text(&huge);
        assert!(shown.len() < 200, "{shown}");
        assert!(shown.ends_with("…` (10,485,760 characters)"), "{shown}");
        let d = for_display([Diagnostic::error("a.md", "bad").found(huge.clone())]);
        let found = d[0].found.as_deref().unwrap();
        assert!(found.ends_with("… (10,485,760 characters)"), "{found}");
        // Cut once, not again by the plain rendering: the length survives.
        assert!(d[0].render_plain().contains("(10,485,760 characters)"));
        assert!(d[0].render_plain().len() < 300);
        let d = for_display([Diagnostic::error("a.md", format!("unknown unit `{huge}`"))]);
        assert!(d[0].message.len() < 1000);
        assert_eq!(show_text("short"), "`short`");
    }

    #[test]
    fn personal_identity_numbers_are_masked_everywhere_and_mark_the_diagnostic() {
        let d = Diagnostic::error("content/811218-9876.md", "unknown unit `811218-9876`")
            .at(3, 4)
            .found("Anna 811218-9876")
            .expected("x")
            .help("see 19811218-9876");
        let shown = for_display([d]).remove(0);
        let text = format!("{} {}", shown.render_plain(), shown.file.display());
        assert!(!text.contains("9876"), "{text}");
        assert!(text.contains("content/***********.md"), "{text}");
        assert!(shown.sensitive);
        // Dates, periods and plain numbers are left alone.
        let plain = Diagnostic::error("data/a.csv", "2024-01-01 2024Q1 1234567890").found("31,5");
        let shown = for_display([plain.clone()]).remove(0);
        assert_eq!(shown, plain);
    }

    #[test]
    fn plain_rendering_names_location_found_and_expected() {
        let d = Diagnostic::error("data/a.csv", "unparseable number")
            .at(3, 17)
            .found("12,3,4")
            .expected("a number such as `1234`, `1 234` or `31,5`");
        let text = d.render_plain();
        assert!(text.starts_with("error: data/a.csv:3:17: unparseable number"));
        assert!(text.contains("found:    `12,3,4`"));
        assert!(text.contains("expected: a number"));
    }
}
