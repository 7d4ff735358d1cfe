//! Diagnostics in the terminal.
//!
//! When stderr is a terminal and `NO_COLOR` is unset, a diagnostic is shown
//! in colour with the offending source line and a caret under the column.
//! Otherwise (pipes, CI logs, tests) it is exactly
//! [`Diagnostic::render_plain`], so logs stay greppable and stable.

use std::io::IsTerminal;
use std::path::Path;

use insyn::diagnostics::{Diagnostic, Diagnostics, Severity};

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Whether stderr gets colour and source excerpts.
pub fn stderr_is_fancy() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy)]
pub struct Printer<'a> {
    pub root: &'a Path,
    pub fancy: bool,
}

impl Printer<'_> {
    /// Prints every diagnostic, sorted; with `quiet`, only errors.
    pub fn print(&self, diagnostics: &[Diagnostic], quiet: bool) {
        let sorted = Diagnostics::from_iter(diagnostics.iter().cloned()).sorted();
        for d in sorted {
            if quiet && !d.is_error() {
                continue;
            }
            eprintln!("{}\n", self.render(&d));
        }
    }

    pub fn render(&self, d: &Diagnostic) -> String {
        if self.fancy {
            render_fancy(d, self.root)
        } else {
            d.render_plain()
        }
    }
}

/// Colour, the source line and a caret under the offending column.
pub fn render_fancy(d: &Diagnostic, root: &Path) -> String {
    let plain = d.render_plain();
    let mut lines = plain.lines();
    let head = lines.next().unwrap_or_default();
    let (kind, colour) = match d.severity {
        Severity::Error => ("error", RED),
        Severity::Warning => ("warning", YELLOW),
    };
    let rest_of_head = head.strip_prefix(kind).unwrap_or(head);
    let mut out = String::new();
    // "error: file:line:col: message" with the kind coloured and the location bold.
    let location = d.location();
    match rest_of_head
        .strip_prefix(": ")
        .and_then(|r| r.strip_prefix(location.as_str()))
    {
        Some(message) => out.push_str(&format!(
            "{colour}{kind}{RESET}: {BOLD}{location}{RESET}{message}"
        )),
        None => out.push_str(&format!("{colour}{kind}{RESET}{rest_of_head}")),
    }
    if let Some(snippet) = snippet(d, root) {
        out.push('\n');
        out.push_str(&snippet.colourise(colour));
    }
    for line in lines {
        out.push('\n');
        match line.trim_start().split_once(':') {
            Some((label, text)) if matches!(label, "found" | "expected" | "help") => {
                let indent = &line[..line.len() - line.trim_start().len()];
                out.push_str(&format!("{indent}{BLUE}{label}{RESET}:{text}"));
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// The source line of a diagnostic and the caret under it.
#[derive(Debug, PartialEq, Eq)]
pub struct Snippet {
    pub line_number: usize,
    pub text: String,
    /// Spaces (tabs kept) up to the column, then the carets.
    pub caret: String,
}

impl Snippet {
    fn colourise(&self, colour: &str) -> String {
        let n = self.line_number.to_string();
        let pad = " ".repeat(n.len());
        let (lead, carets) = self.caret.split_at(self.caret.trim_end_matches('^').len());
        format!(
            "{BLUE}{pad} |{RESET}\n{BLUE}{n} |{RESET} {}\n{BLUE}{pad} |{RESET} {lead}{colour}{carets}{RESET}",
            self.text
        )
    }
}

/// Reads the offending line from the site, when the diagnostic has a line.
pub fn snippet(d: &Diagnostic, root: &Path) -> Option<Snippet> {
    let line_number = d.line?;
    let bytes = std::fs::read(root.join(&d.file)).ok()?;
    let text = decode(&bytes);
    let line = text.lines().nth(line_number.checked_sub(1)?)?;
    Some(make_snippet(
        line_number,
        line,
        d.column,
        d.found.as_deref(),
    ))
}

fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The caret line: whitespace up to `column` (1-based, in characters), then
/// one caret per character of `found` when the line holds it there, or one.
pub fn make_snippet(
    line_number: usize,
    line: &str,
    column: Option<usize>,
    found: Option<&str>,
) -> Snippet {
    let line = line.trim_end_matches('\r');
    let Some(column) = column.filter(|c| *c >= 1) else {
        return Snippet {
            line_number,
            text: line.to_string(),
            caret: String::new(),
        };
    };
    let lead: String = line
        .chars()
        .take(column - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let tail: String = line.chars().skip(column - 1).collect();
    let width = match found {
        Some(f) if !f.is_empty() && tail.starts_with(f) => f.chars().count(),
        _ => 1,
    };
    Snippet {
        line_number,
        text: line.to_string(),
        caret: format!("{lead}{}", "^".repeat(width)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_sits_under_the_column_and_spans_the_found_text() {
        let s = make_snippet(7, "Alfa {{ valeu(x=1) }}", Some(9), Some("valeu"));
        assert_eq!(s.caret, "        ^^^^^");
        let s = make_snippet(3, "\ta;b", Some(2), None);
        assert_eq!(s.caret, "\t^");
    }

    #[test]
    fn caret_counts_characters_not_bytes() {
        let s = make_snippet(1, "Årsarbetare;x", Some(13), Some("x"));
        assert_eq!(s.caret, format!("{}^", " ".repeat(12)));
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn fancy_rendering_keeps_the_plain_substrings() {
        let dir = std::env::temp_dir().join(format!("insyn-report-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("content")).unwrap();
        std::fs::write(dir.join("content/x.md"), "a\nb {{ valeu() }}\n").unwrap();
        let d = Diagnostic::error("content/x.md", "malformed shortcode")
            .at(2, 6)
            .found("valeu")
            .help("did you mean `value`?");
        let text = strip_ansi(&render_fancy(&d, &dir));
        assert!(text.contains("content/x.md:2:6"));
        assert!(text.contains("b {{ valeu() }}"));
        assert!(text.contains("     ^^^^^"));
        assert!(text.contains("did you mean"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
