//! Diagnostics in the terminal.
//!
//! When stderr is a terminal and `NO_COLOR` is unset, a diagnostic is drawn
//! by miette's graphical report handler: in colour, with the offending source
//! line (and its neighbours) and the offending text underlined. Otherwise
//! (pipes, CI logs, tests) it is exactly [`Diagnostic::render_plain`], so logs
//! stay greppable and stable.
//!
//! The library knows nothing of miette: [`Report`] adapts an
//! [`insyn::diagnostics::Diagnostic`] to miette's protocol here, at the edge.

use std::collections::HashMap;
use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use insyn::data::identity::mask;
use insyn::diagnostics::{Diagnostic, Severity, for_display, show_text};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

/// The width used when the terminal does not tell its own.
const DEFAULT_WIDTH: usize = 100;

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
        let sorted = for_display(diagnostics.iter().cloned());
        let handler = self
            .fancy
            .then(|| handler(GraphicalTheme::unicode(), terminal_width()));
        let mut sources = Sources::new(self.root);
        for d in sorted {
            if quiet && !d.is_error() {
                continue;
            }
            let text = match &handler {
                Some(handler) => render_fancy(handler, &d, sources.get(&d)),
                None => d.render_plain(),
            };
            eprintln!("{text}\n");
        }
    }
}

/// The width of the terminal on stderr, or [`DEFAULT_WIDTH`].
fn terminal_width() -> usize {
    console::Term::stderr()
        .size_checked()
        .map_or(DEFAULT_WIDTH, |(_rows, columns)| usize::from(columns))
}

/// miette's graphical handler as insyn uses it. The source is named with the
/// diagnostic's own `file:line:column` (see [`Report`]), so the span start
/// miette would compute (in bytes) is not shown.
pub fn handler(theme: GraphicalTheme, width: usize) -> GraphicalReportHandler {
    GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .without_primary_span_start()
}

/// One diagnostic through miette; the plain form if miette cannot draw it.
pub fn render_fancy(
    handler: &GraphicalReportHandler,
    d: &Diagnostic,
    source: Option<Arc<str>>,
) -> String {
    let mut out = String::new();
    match handler.render_report(&mut out, &Report::new(d, source)) {
        Ok(()) => out.trim_end().to_string(),
        Err(_) => d.render_plain(),
    }
}

/// The files diagnostics point into, each read once per [`Printer::print`].
struct Sources<'a> {
    root: &'a Path,
    files: HashMap<PathBuf, Option<Arc<str>>>,
}

impl<'a> Sources<'a> {
    fn new(root: &'a Path) -> Self {
        Sources {
            root,
            files: HashMap::new(),
        }
    }

    /// The text of the diagnostic's file, when it has a line to show.
    fn get(&mut self, d: &Diagnostic) -> Option<Arc<str>> {
        if d.sensitive {
            return None;
        }
        d.line?;
        self.files
            .entry(d.file.clone())
            .or_insert_with(|| read_masked(self.root, &d.file).map(Arc::from))
            .clone()
    }
}

/// A [`Diagnostic`] in miette's terms: the message, the file's text named by
/// the diagnostic's location, one label on the offending text (what was
/// expected, and what was found when the source does not show it there) and
/// the help. Without a usable source (unreadable file, no line, a line or
/// column past the end) the location, found and expected go into the message.
#[derive(Debug)]
pub struct Report {
    severity: miette::Severity,
    message: String,
    source: Option<Excerpt>,
    label: Option<LabeledSpan>,
    help: Option<String>,
}

impl Report {
    pub fn new(d: &Diagnostic, source: Option<Arc<str>>) -> Report {
        let severity = match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        };
        let located = source
            .as_deref()
            .zip(d.line)
            .and_then(|(text, line)| locate(text, line, d.column, d.found.as_deref()));
        let Some(at) = located else {
            let location = d.location();
            let mut message = if location.is_empty() {
                d.message.clone()
            } else {
                format!("{location}: {}", d.message)
            };
            if let Some(found) = &d.found {
                message.push_str(&format!("\nfound:    {}", show_text(found)));
            }
            if let Some(expected) = &d.expected {
                message.push_str(&format!("\nexpected: {expected}"));
            }
            return Report {
                severity,
                message,
                source: None,
                label: None,
                help: d.help.clone(),
            };
        };
        let mut label = Vec::new();
        if let (Some(found), false) = (&d.found, at.is_found) {
            label.push(format!("found {}", show_text(found)));
        }
        if let Some(expected) = &d.expected {
            label.push(format!("expected {expected}"));
        }
        let label = (!label.is_empty()).then(|| label.join("; "));
        let text = source.as_deref().unwrap_or_default();
        let line = d.line.unwrap_or(1);
        let (excerpt, span) = Excerpt::around(text, &at, line, d.location());
        Report {
            severity,
            message: d.message.clone(),
            source: Some(excerpt),
            label: Some(LabeledSpan::new_primary_with_span(label, span)),
            help: d.help.clone(),
        }
    }
}

/// At most this many characters of a source line are shown in an excerpt;
/// a longer line is cut around the column, with `…` where it was cut.
pub const EXCERPT_WIDTH: usize = 100;

/// The lines miette draws around a problem (the line and one on either
/// side), each cut to [`EXCERPT_WIDTH`] characters around the column, and
/// the line number of the first. Lines of any length (a minified file, a
/// 10 MB cell) are drawn as readable as short ones.
#[derive(Debug)]
struct Excerpt {
    name: String,
    text: String,
    /// 0-based line number of the first line of `text` in the file.
    first_line: usize,
}

impl Excerpt {
    /// The excerpt around `at` (on 1-based `line`) and the span of the
    /// offending text within it.
    fn around(text: &str, at: &Located, line: usize, name: String) -> (Excerpt, SourceSpan) {
        let offset = at.offset.min(text.len());
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let current = &text[line_start..line_end];
        let column = current[..offset - line_start].chars().count();
        let start = window_start(current, column);
        let mut lines: Vec<&str> = Vec::with_capacity(3);
        let mut first_line = line.saturating_sub(1);
        if line_start > 0 {
            let end = line_start - 1;
            let begin = text[..end].rfind('\n').map_or(0, |i| i + 1);
            lines.push(&text[begin..end]);
            first_line -= 1;
        }
        let main = lines.len();
        lines.push(current);
        if line_end < text.len() {
            let begin = line_end + 1;
            let end = text[begin..].find('\n').map_or(text.len(), |i| begin + i);
            lines.push(&text[begin..end]);
        }
        let mut out = String::new();
        let mut span = SourceSpan::from((0, 0));
        for (i, l) in lines.iter().enumerate() {
            // A neighbour too short to reach the window is shown from its
            // start: some context beats a lone `…`.
            let from_char = if i == main || l.chars().count() > start {
                start
            } else {
                0
            };
            let (shown, from) = cut(l, from_char);
            if i == main {
                let within = offset - line_start;
                let head = within.saturating_sub(from.start).min(from.len());
                let len = at.len.min(from.end.saturating_sub(within));
                span = SourceSpan::from((out.len() + shown.prefix + head, len));
            }
            out.push_str(&shown.text);
            if i + 1 < lines.len() {
                out.push('\n');
            }
        }
        (
            Excerpt {
                name,
                text: out,
                first_line,
            },
            span,
        )
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// The first character of a line shown when the problem is at character
/// `column` (0-based): 0 for a short line, else a third of the width
/// before the column.
fn window_start(line: &str, column: usize) -> usize {
    if line.len() <= EXCERPT_WIDTH || line.chars().count() <= EXCERPT_WIDTH {
        0
    } else {
        column.saturating_sub(EXCERPT_WIDTH / 3)
    }
}

/// A line as shown: `text`, of which the first `prefix` bytes are the `…`
/// that marks a cut.
struct Shown {
    text: String,
    prefix: usize,
}

/// Characters `start ..` of `line`, at most [`EXCERPT_WIDTH`], with `…`
/// where something was cut, and the byte range of `line` they show.
fn cut(line: &str, start: usize) -> (Shown, std::ops::Range<usize>) {
    let byte_of = |n: usize| line.char_indices().nth(n).map_or(line.len(), |(i, _)| i);
    let from = byte_of(start);
    let to = from + {
        let rest = &line[from..];
        rest.char_indices()
            .nth(EXCERPT_WIDTH)
            .map_or(rest.len(), |(i, _)| i)
    };
    let mut text = String::new();
    if from > 0 {
        text.push('…');
    }
    let prefix = text.len();
    text.push_str(&line[from..to]);
    if to < line.trim_end_matches('\r').len() {
        text.push('…');
    }
    (Shown { text, prefix }, from..to)
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = self.label.clone()?;
        Some(Box::new(std::iter::once(label)))
    }
}

/// Where a diagnostic points in the text of its file.
#[derive(Debug, PartialEq, Eq)]
pub struct Located {
    /// Byte offset of the line and column.
    pub offset: usize,
    /// Byte length of the offending text: `found` when the text holds it
    /// there, else one character (none at the end of a line).
    pub len: usize,
    /// Whether the span is exactly `found`.
    pub is_found: bool,
}

/// The byte span of a 1-based `line` and 1-based `column` (in characters, as
/// insyn counts them). Without a column, the whole line. `None` when the line
/// is past the end of the text or the column is past the end of the line
/// (one past its last character is allowed: "end of line" problems point
/// there).
pub fn locate(
    text: &str,
    line: usize,
    column: Option<usize>,
    found: Option<&str>,
) -> Option<Located> {
    let index = line.checked_sub(1)?;
    // `None` past the last line (an empty line after a final `\n` counts).
    let mut line_start = 0;
    let mut lines = text.split('\n');
    for _ in 0..index {
        line_start += lines.next()?.len() + 1;
    }
    let line_text = lines.next()?;
    let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
    let Some(column) = column.filter(|c| *c >= 1) else {
        return Some(Located {
            offset: line_start,
            len: line_text.len(),
            is_found: false,
        });
    };
    let within = line_text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(line_text.len()))
        .nth(column - 1)?;
    let offset = line_start + within;
    let after = &text[offset..];
    match found {
        Some(f) if !f.is_empty() && after.starts_with(f) => Some(Located {
            offset,
            len: f.len(),
            is_found: true,
        }),
        _ => Some(Located {
            offset,
            len: line_text[within..].chars().next().map_or(0, char::len_utf8),
            is_found: false,
        }),
    }
}

/// The text of `file` under `root`, decoded as insyn reads it (a BOM dropped,
/// Windows-1252 when it is not UTF-8).
pub fn read_source(root: &Path, file: &Path) -> Option<String> {
    if file.as_os_str().is_empty() {
        return None;
    }
    std::fs::read(root.join(file))
        .ok()
        .map(|bytes| decode(&bytes))
}

/// [`read_source`] with every personal identity number masked, so that no
/// excerpt shows one, whichever problem it is drawn for.
pub fn read_masked(root: &Path, file: &Path) -> Option<String> {
    read_source(root, file).map(|text| mask(&text).into_owned())
}

/// The source line of a diagnostic and the caret under it, for the serve
/// error page (HTML, where miette does not draw).
#[derive(Debug, PartialEq, Eq)]
pub struct Snippet {
    pub line_number: usize,
    pub text: String,
    /// Spaces (tabs kept) up to the column, then the carets.
    pub caret: String,
}

/// Reads the offending line from the site, when the diagnostic has a line.
pub fn snippet(d: &Diagnostic, root: &Path) -> Option<Snippet> {
    if d.sensitive {
        return None;
    }
    let line_number = d.line?;
    let text = read_masked(root, &d.file)?;
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
/// A line longer than [`EXCERPT_WIDTH`] is cut around the column.
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
            text: cut(line, 0).0.text,
            caret: String::new(),
        };
    };
    let start = window_start(line, column - 1);
    let (shown, range) = cut(line, start);
    let window = &line[range];
    let mut lead: String = if shown.prefix > 0 {
        " ".into()
    } else {
        String::new()
    };
    lead.extend(
        window
            .chars()
            .take(column - 1 - start)
            .map(|c| if c == '\t' { '\t' } else { ' ' }),
    );
    let tail: String = line.chars().skip(column - 1).collect();
    let room = window
        .chars()
        .count()
        .saturating_sub(column - 1 - start)
        .max(1);
    let width = match found {
        Some(f) if !f.is_empty() && tail.starts_with(f) => f.chars().count().min(room),
        _ => 1,
    };
    Snippet {
        line_number,
        text: shown.text,
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

    /// Renders through miette with a fixed width and no colour.
    fn draw(d: &Diagnostic, source: Option<&str>) -> String {
        render_fancy(
            &handler(GraphicalTheme::unicode_nocolor(), 80),
            d,
            source.map(Arc::from),
        )
    }

    /// The (character) column where `needle` starts on the first line of
    /// `text` that contains `needle`, and the line after it.
    fn column_of<'a>(text: &'a str, needle: &str) -> (usize, &'a str) {
        let mut lines = text.lines();
        let line = lines.find(|l| l.contains(needle)).expect(needle);
        let byte = line.find(needle).unwrap();
        (line[..byte].chars().count(), lines.next().unwrap_or(""))
    }

    /// The (character) column of the first underline character in `line`.
    fn underline_column(line: &str) -> usize {
        line.chars()
            .position(|c| matches!(c, '─' | '┬' | '▲'))
            .expect("an underline")
    }

    #[test]
    fn miette_underlines_the_found_text_at_its_column() {
        let source = "Inledning\nAntal {{ valeu(x=1) }} ärenden\nSlut\n";
        let d = Diagnostic::error("content/x.md", "malformed shortcode: unknown shortcode")
            .at(2, 10)
            .found("valeu")
            .expected("`value` or `change`")
            .help("did you mean `value`?");
        let text = draw(&d, Some(source));
        assert!(!text.contains('\x1b'), "no colour: {text}");
        assert!(
            text.contains("× malformed shortcode: unknown shortcode"),
            "{text}"
        );
        assert!(text.contains("[content/x.md:2:10]"), "{text}");
        assert!(text.contains("│ Inledning"), "context line: {text}");
        let (source_column, underline) = column_of(&text, "valeu(x=1)");
        assert_eq!(underline_column(underline), source_column, "{text}");
        assert!(underline.contains("──┬──"), "spans `valeu`: {text}");
        assert!(text.contains("expected `value` or `change`"), "{text}");
        assert!(!text.contains("found"), "the source shows it: {text}");
        assert!(text.contains("help: did you mean `value`?"), "{text}");
    }

    #[test]
    fn miette_column_counts_characters_not_bytes() {
        // Å and ä are two bytes each: a byte column would land two to the right.
        let source = "enhet;mått;värde\nÅrsarbetare;ärenden;12,3,4\n";
        let d = Diagnostic::error("data/a.csv", "unparseable number")
            .at(2, 21)
            .found("12,3,4");
        let text = draw(&d, Some(source));
        let (source_column, underline) = column_of(&text, "12,3,4");
        assert_eq!(underline_column(underline), source_column, "{text}");
        assert!(underline.ends_with("──────"), "spans `12,3,4`: {text}");
    }

    #[test]
    fn miette_points_at_one_character_when_found_is_elsewhere() {
        let source = "a = 1\r\nb = ?\r\n";
        let d = Diagnostic::error("site.toml", "invalid string")
            .at(2, 5)
            .found("?x");
        let text = draw(&d, Some(source));
        let (source_column, underline) = column_of(&text, "b = ?");
        assert_eq!(underline_column(underline), source_column + 4, "{text}");
        assert!(text.contains("found `?x`"), "{text}");
    }

    #[test]
    fn miette_shows_warnings_and_the_end_of_a_line() {
        let source = "title = \"x\"\nbase_url =\n";
        let d = Diagnostic::warning("site.toml", "expected a value").at(2, 11);
        let text = draw(&d, Some(source));
        assert!(text.contains('⚠'), "{text}");
        assert!(text.contains("│ base_url ="), "{text}");
        // The end of the file: the empty line after the final newline.
        let d = Diagnostic::error("site.toml", "unexpected end of file").at(3, 1);
        let text = draw(&d, Some(source));
        assert!(text.contains("[site.toml:3:1]"), "{text}");
    }

    #[test]
    fn miette_falls_back_to_the_message_without_a_source() {
        let d = Diagnostic::error("content/x.md", "malformed shortcode")
            .at(2, 6)
            .found("valeu")
            .expected("`value`")
            .help("did you mean `value`?");
        for source in [None, Some("one line\n"), Some("a\nb\n")] {
            // Unreadable, line past the end, column past the end.
            let d = match source {
                Some("a\nb\n") => d.clone().at(2, 3),
                _ => d.clone(),
            };
            let text = draw(&d, source);
            assert!(text.contains("× content/x.md:2:"), "{text}");
            assert!(text.contains("found:    `valeu`"), "{text}");
            assert!(text.contains("expected: `value`"), "{text}");
            assert!(text.contains("help: did you mean"), "{text}");
            assert!(!text.contains("╭─["), "no source: {text}");
        }
        let d = Diagnostic::error("", "the site has not been built yet");
        assert_eq!(draw(&d, None), "  × the site has not been built yet");
    }

    #[test]
    fn locate_converts_lines_and_character_columns_to_bytes() {
        let text = "ab\r\nåäö x\n";
        assert_eq!(
            locate(text, 2, Some(5), Some("x")),
            Some(Located {
                offset: 11,
                len: 1,
                is_found: true
            })
        );
        assert_eq!(&text[11..12], "x");
        assert_eq!(
            locate(text, 2, Some(2), None),
            Some(Located {
                offset: 6,
                len: 2,
                is_found: false
            })
        );
        // No column: the whole line, without its `\r`.
        assert_eq!(
            locate(text, 1, None, None),
            Some(Located {
                offset: 0,
                len: 2,
                is_found: false
            })
        );
        // One past the last character is the end of the line; further is not.
        assert_eq!(
            locate(text, 1, Some(3), None),
            Some(Located {
                offset: 2,
                len: 0,
                is_found: false
            })
        );
        assert_eq!(locate(text, 1, Some(4), None), None);
        assert_eq!(locate(text, 4, Some(1), None), None);
        assert_eq!(locate(text, 0, Some(1), None), None);
    }

    #[test]
    fn sources_read_each_file_once_and_tolerate_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/x.md"), "\u{feff}a\nb\n").unwrap();
        let mut sources = Sources::new(dir.path());
        let d = Diagnostic::error("content/x.md", "m").at(1, 1);
        assert_eq!(sources.get(&d).as_deref(), Some("a\nb\n"));
        assert!(
            sources
                .get(&Diagnostic::error("content/x.md", "no line"))
                .is_none()
        );
        assert!(
            sources
                .get(&Diagnostic::error("gone.md", "m").at(1, 1))
                .is_none()
        );
        assert_eq!(sources.files.len(), 2);
    }

    #[test]
    fn a_sensitive_line_is_never_shown() {
        // The line holds a personal identity number: location only.
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::write(
            dir.path().join("data/x.csv"),
            "period,unit,pnr\n2024Q1,alfa,19121212-1212\n",
        )
        .unwrap();
        let d = Diagnostic::error("data/x.csv", "a cell looks like a personal identity number")
            .at(2, 13)
            .sensitive();
        assert!(Sources::new(dir.path()).get(&d).is_none());
        assert!(snippet(&d, dir.path()).is_none());
        let mut sources = Sources::new(dir.path());
        let shown = render_fancy(
            &handler(GraphicalTheme::unicode_nocolor(), 80),
            &d,
            sources.get(&d),
        );
        assert!(shown.contains("data/x.csv:2:13"), "{shown}");
        assert!(!shown.contains("1212"), "{shown}");
        // The same diagnostic without the mark would show the line.
        let open = Diagnostic {
            sensitive: false,
            ..d
        };
        assert!(snippet(&open, dir.path()).is_some());
    }

    #[test]
    fn an_error_past_column_65535_draws_a_short_excerpt_without_panicking() {
        let long = format!("{}BAD{}", "a".repeat(70_000), "b".repeat(70_000));
        let source = format!("first line\n{long}\nlast line\n");
        let d = Diagnostic::error("content/x.md", "bad thing")
            .at(2, 70_001)
            .found("BAD")
            .expected("something good");
        let text = draw(&d, Some(&source));
        assert!(text.contains("[content/x.md:2:70001]"), "{text}");
        assert!(text.len() < 2_000, "{} bytes", text.len());
        let (source_column, underline) = column_of(&text, "BAD");
        assert_eq!(underline_column(underline), source_column, "{text}");
        assert!(text.contains(" 2 │ …aaa"), "the real line number: {text}");
        assert!(
            text.contains("first line") && text.contains("last line"),
            "{text}"
        );
        // The serve page's snippet too.
        let s = make_snippet(2, &long, Some(70_001), Some("BAD"));
        assert!(s.text.chars().count() <= EXCERPT_WIDTH + 2, "{}", s.text);
        let caret_at = s.caret.find('^').unwrap();
        assert_eq!(
            &s.text[s.text.char_indices().nth(caret_at).unwrap().0..][..3],
            "BAD"
        );
        assert_eq!(s.caret.trim_start(), "^^^");
    }

    #[test]
    fn a_neighbouring_line_with_a_personal_identity_number_is_masked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::write(
            dir.path().join("data/x.csv"),
            "period,unit,note\n2024Q1,alfa,19121212-1212\n2024Q1,alfx,ok\n",
        )
        .unwrap();
        // Not sensitive itself: the problem is on the next line.
        let d = Diagnostic::error("data/x.csv", "unknown unit")
            .at(3, 8)
            .found("alfx");
        let mut sources = Sources::new(dir.path());
        let shown = render_fancy(
            &handler(GraphicalTheme::unicode_nocolor(), 80),
            &d,
            sources.get(&d),
        );
        assert!(shown.contains("alfx"), "{shown}");
        assert!(shown.contains("2024Q1,alfa,*************"), "{shown}");
        assert!(!shown.contains("1212"), "{shown}");
        let d = Diagnostic::error("data/x.csv", "unknown unit").at(2, 8);
        assert!(!snippet(&d, dir.path()).unwrap().text.contains("1212"));
    }

    #[test]
    fn the_terminal_theme_has_colour() {
        let d = Diagnostic::error("x.md", "bad").at(1, 1);
        let text = render_fancy(
            &handler(GraphicalTheme::unicode(), 80),
            &d,
            Some(Arc::from("x\n")),
        );
        assert!(text.contains("\x1b["), "{text:?}");
    }
}
