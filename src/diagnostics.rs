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
        let mut s = self.file.to_string_lossy().replace('\\', "/");
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
/// (and cannot reach a terminal as escape sequences).
pub fn show_text(text: &str) -> String {
    const MAX: usize = 80;
    let mut shown: String = text
        .chars()
        .take(MAX)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().count() > MAX {
        shown.push('…');
    }
    format!("`{shown}`")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let units = ["nordost", "sydvast", "centrum"];
        assert_eq!(did_you_mean("nordst", units), Some("nordost"));
        assert_eq!(did_you_mean("Nordost", units), Some("nordost"));
        assert_eq!(did_you_mean("xyzzy", units), None);
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
