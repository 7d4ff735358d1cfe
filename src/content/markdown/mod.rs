//! Markdown to HTML with chart blocks and shortcodes resolved through a
//! callback, raw HTML escaped unless the site allows it, and stable ids on
//! headings.

mod headings;
mod locate;
mod postprocess;
#[cfg(test)]
mod tests;
mod typed;

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use super::shortcode::{self, Shortcode};
use crate::diagnostics::Diagnostic;
pub use headings::slugify;
use headings::*;
use locate::*;
pub use postprocess::is_safe_url;
use postprocess::*;
pub use typed::{TypedFigure, TypedFigures};

/// Something in the Markdown that the site model turns into HTML.
#[derive(Debug, Clone)]
pub enum Embed<'a> {
    /// A fenced block with the info string `chart`: its TOML text and the
    /// file line of its first TOML line.
    Chart { spec: &'a str, line: usize },
    /// An inline figure, with the file line and column of its `{{`.
    Figure {
        shortcode: Shortcode,
        line: usize,
        column: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct RenderedMarkdown {
    pub html: String,
    pub headings: Vec<Heading>,
    /// What does not stop a build: each percentage typed by hand (see
    /// `typed`).
    pub warnings: Vec<Diagnostic>,
}

// Private-use characters mark where embedded HTML goes after Markdown
// rendering, so that embedded markup never passes through the Markdown parser
// or the HTML sanitiser.
const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

fn marker(n: usize) -> String {
    format!("{MARK_OPEN}{n}{MARK_CLOSE}")
}

/// Quotes, lists, emphases and links may be nested this deep. Deeper
/// nesting is refused: no report needs it, and the HTML sanitiser's time
/// grows with the square of the depth (100,000 `>` took minutes).
pub const MAX_NESTING: usize = 50;

/// Raw HTML (with `allow_html`) may nest elements this deep: the sanitiser
/// looks through every open element at each new one, so 80,000 nested
/// `<div>` took 48 s.
pub const MAX_HTML_NESTING: usize = 100;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body` (which starts on file line `body_line` of `file`).
/// Every problem of the body is returned at once.
pub fn render_markdown(
    file: &Path,
    body: &str,
    body_line: usize,
    allow_html: bool,
    typed: &TypedFigures,
    embed: &mut dyn FnMut(Embed) -> Result<String, Vec<Diagnostic>>,
) -> Result<RenderedMarkdown, Vec<Diagnostic>> {
    let cleaned: String;
    let body = if body.contains([MARK_OPEN, MARK_CLOSE]) {
        cleaned = body.replace([MARK_OPEN, MARK_CLOSE], "");
        &cleaned
    } else {
        body
    };
    let lines = LineIndex::new(body);
    let file_line = |offset: usize| {
        let (l, c) = lines.line_column(offset);
        (l + body_line - 1, c)
    };
    let mut problems = Vec::new();
    let mut fragments: Vec<String> = Vec::new();
    // Where each fragment's shortcode is, for a figure; `None` for a chart.
    let mut fragment_at: Vec<Option<(usize, usize)>> = Vec::new();

    // Pass 1, on the original text: where code is (shortcodes there are
    // literal text) and where chart blocks start.
    let mut code_ranges: Vec<Range<usize>> = Vec::new();
    let mut chart_lines = Vec::new();
    let mut warnings = Vec::new();
    let mut depth = 0usize;
    let mut html_depth = 0usize;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) if allow_html => {
                let (after, most) = postprocess::html_depth_after(html_depth, h);
                html_depth = after;
                if most > MAX_HTML_NESTING {
                    let (line, column) = file_line(range.start);
                    problems.push(
                        Diagnostic::error(
                            file,
                            format!(
                                "the HTML is nested more than {MAX_HTML_NESTING} elements deep"
                            ),
                        )
                        .at(line, column)
                        .expected(format!(
                            "at most {MAX_HTML_NESTING} elements inside one another"
                        ))
                        .help("close each element (`</div>`) where it ends"),
                    );
                    return Err(problems);
                }
            }
            _ => {}
        }
        if depth > MAX_NESTING {
            let (line, column) = file_line(range.start);
            problems.push(
                Diagnostic::error(
                    file,
                    format!("the text is nested more than {MAX_NESTING} levels deep"),
                )
                .at(line, column)
                .expected(format!(
                    "at most {MAX_NESTING} quotes, lists, emphases and links inside one another"
                ))
                .help("a run of `>`, `-` or `1.` at the start of a line opens one level each"),
            );
            return Err(problems);
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                if let CodeBlockKind::Fenced(info) = &kind
                    && is_chart_info(info)
                {
                    // The TOML starts on the line after the fence.
                    chart_lines.push(file_line(range.start).0 + 1);
                }
                code_ranges.push(range);
            }
            Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) => code_ranges.push(range),
            // Text in a code block is code, and comes as text too.
            Event::Text(_) if !code_ranges.last().is_some_and(|c| c.contains(&range.start)) => {
                for f in typed.find(&body[range.clone()]) {
                    let (line, column) = file_line(range.start + f.range.start);
                    let found = &body[range.start..][f.range.clone()];
                    let diagnostic = typed_diagnostic(file, found, &f).at(line, column);
                    if f.withheld.is_some() {
                        problems.push(diagnostic);
                    } else {
                        warnings.push(diagnostic);
                    }
                }
            }
            _ => {}
        }
    }

    // Pass 2: replace shortcodes outside code with markers. Shortcodes are
    // found left to right, so one cursor walks the sorted code ranges.
    code_ranges.sort_by_key(|r| r.start);
    let mut code = code_ranges.iter().peekable();
    let mut source = String::with_capacity(body.len());
    let mut last = 0;
    let mut search_from = 0;
    while let Some(found) = body[search_from..].find("{{") {
        let start = search_from + found;
        while code.peek().is_some_and(|r| r.end <= start) {
            code.next();
        }
        if let Some(r) = code.peek().filter(|r| r.contains(&start)) {
            // Nothing in this code span is a shortcode.
            search_from = r.end.max(start + 2);
            continue;
        }
        let (line, column) = file_line(start);
        let Some(close) = body[start + 2..].find("}}") else {
            let shown: String = body[start..]
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(60)
                .collect();
            problems.push(
                Diagnostic::error(file, "a shortcode is never closed")
                    .at(line, column)
                    .found(shown)
                    .expected("`}}` at the end of the shortcode"),
            );
            break;
        };
        let inner_start = start + 2;
        let end = inner_start + close + 2;
        match shortcode::parse(&body[inner_start..inner_start + close], inner_start) {
            Ok(sc) => match embed(Embed::Figure {
                shortcode: sc,
                line,
                column,
            }) {
                Ok(html) => {
                    source.push_str(&body[last..start]);
                    source.push_str(&marker(fragments.len()));
                    fragments.push(html);
                    fragment_at.push(Some((line, column)));
                    last = end;
                }
                Err(mut e) => problems.append(&mut e),
            },
            Err(e) => {
                let (l, c) = file_line(e.offset);
                let mut d =
                    Diagnostic::error(file, format!("malformed shortcode: {}", e.message)).at(l, c);
                d.found = e.found.or_else(|| Some(body[start..end].to_string()));
                d.expected = e.expected;
                d.help = e.help;
                problems.push(d);
            }
        }
        search_from = end;
    }
    source.push_str(&body[last..]);

    // Pass 3: Markdown events, with chart blocks and raw HTML handled.
    let mut events: Vec<Event> = Vec::new();
    let mut in_chart: Option<String> = None;
    let mut chart_index = 0;
    // Per open link and image: whether its tags were dropped because its
    // address could run script (its text stays, as plain text).
    let mut links: Vec<bool> = Vec::new();
    let mut images: Vec<bool> = Vec::new();
    for event in Parser::new_ext(&source, options()) {
        if let Some(spec) = in_chart.as_mut() {
            match event {
                Event::Text(t) => spec.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let spec = in_chart.take().unwrap_or_default();
                    let line = chart_lines.get(chart_index).copied().unwrap_or(body_line);
                    chart_index += 1;
                    match embed(Embed::Chart { spec: &spec, line }) {
                        Ok(html) => {
                            events.push(Event::Html(CowStr::from(marker(fragments.len()))));
                            fragments.push(html);
                            fragment_at.push(None);
                        }
                        Err(mut e) => problems.append(&mut e),
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                if is_chart_info(info) =>
            {
                in_chart = Some(String::new());
            }
            Event::Html(h) | Event::InlineHtml(h) if !allow_html => events.push(Event::Text(h)),
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                if dest_url.contains(MARK_OPEN) {
                    problems.push(shortcode_in_address(file, dest_url, &fragment_at));
                }
                let safe = is_safe_url(dest_url);
                links.push(safe);
                if safe {
                    events.push(event);
                }
            }
            Event::End(TagEnd::Link) => {
                if links.pop().unwrap_or(true) {
                    events.push(event);
                }
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                if dest_url.contains(MARK_OPEN) {
                    problems.push(shortcode_in_address(file, dest_url, &fragment_at));
                }
                let safe = is_safe_url(dest_url);
                images.push(safe);
                if safe {
                    events.push(event);
                }
            }
            Event::End(TagEnd::Image) => {
                if images.pop().unwrap_or(true) {
                    events.push(event);
                }
            }
            // `{#id .class}` is kept; any other heading attribute
            // (`{onclick=…}`) would be written as is: drop them.
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: _,
            }) => events.push(Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: Vec::new(),
            })),
            other => events.push(other),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let headings = assign_heading_ids(&mut events);
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    // Raw HTML was escaped above unless the site allows it; the sanitiser
    // runs either way, as a second line of defence against markup the
    // Markdown renderer itself writes from the author's text.
    out = sanitize(&table_alignment_classes(&out));
    // The built site requests nothing from another host (§6): an image
    // linked from elsewhere would have every reader's browser ask that host
    // for it (and the site's Content-Security-Policy blocks it anyway). An
    // error at its line, in `build` as in `check`.
    let external: Vec<Diagnostic> = postprocess::external_loads(&out)
        .into_iter()
        .map(|url| {
            let (l, c) = file_line(body.find(url.as_str()).unwrap_or(0));
            Diagnostic::error(file, "the page loads an image from another host")
                .at(l, c)
                .found(url)
                .expected("an image of the site: put it in `static/` and write `/static/<name>`")
        })
        .collect();
    if !external.is_empty() {
        return Err(external);
    }
    Ok(RenderedMarkdown {
        html: substitute(&out, &fragments),
        headings,
        warnings,
    })
}

/// The warning for a percentage typed by hand in a page's text (`found`).
pub fn typed_percentage(file: &Path, found: &str) -> Diagnostic {
    Diagnostic::warning(file, "a percentage typed by hand does not follow the data")
        .found(found)
        .help("write `{{ change(measure=\"…\", unit=\"…\", from=\"…\", to=\"…\") }}`: the build computes it from the data, revises it with the data and marks its caveats (series breaks, provisional and suppressed values)")
}

/// What a figure typed by hand (`found`, see [`TypedFigures::find`]) is
/// told: a warning, or an error when it is a number the published view
/// withholds.
pub fn typed_diagnostic(file: &Path, found: &str, figure: &TypedFigure) -> Diagnostic {
    match (&figure.measure, &figure.withheld) {
        (Some(measure), Some(withheld)) => withheld_figure(file, found, measure, withheld),
        (Some(measure), None) => typed_figure(file, found, measure),
        (None, _) => typed_percentage(file, found),
    }
}

/// The error for a number typed by hand that is one disclosure control
/// withheld: printed in the page, it gives away what the charts and tables
/// hide (README, "Inline figures: shortcodes").
pub fn withheld_figure(
    file: &Path,
    found: &str,
    measure: &str,
    withheld: &crate::data::WithheldFigure,
) -> Diagnostic {
    Diagnostic::error(
        file,
        "a figure typed by hand is a number the published figures withhold",
    )
    .found(found)
    .expected(format!(
        "no figure of `{measure}` that disclosure control withheld: this is the value of `{}` in {}, hidden as a small count, a small unit's value or to protect one",
        withheld.unit, withheld.period
    ))
    .help(format!("remove the figure, or write `{{{{ value(measure=\"{measure}\", unit=\"…\", period=\"…\") }}}}`, which shows a withheld value as its symbol"))
}

/// The warning for a number typed by hand with a measure's name
/// (`found`) in a page's text.
pub fn typed_figure(file: &Path, found: &str, measure: &str) -> Diagnostic {
    Diagnostic::warning(file, "a figure typed by hand does not follow the data")
        .found(found)
        .help(format!("write `{{{{ value(measure=\"{measure}\", unit=\"…\", period=\"…\") }}}}`: the build takes it from the data, revises it with the data and marks its caveats (series breaks, provisional and suppressed values)"))
}

fn is_chart_info(info: &str) -> bool {
    info.split_whitespace().next() == Some("chart")
}
