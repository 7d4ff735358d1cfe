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

mod excerpt;
mod source;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use excerpt::*;
use insyn::data::identity::mask;
use insyn::diagnostics::{Diagnostic, Severity, for_display, show_text};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
pub use source::*;

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
