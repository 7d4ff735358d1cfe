//! Markdown to HTML with chart blocks and shortcodes resolved through a
//! callback, raw HTML escaped unless the site allows it, and stable ids on
//! headings.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use super::shortcode::{self, Shortcode};
use crate::diagnostics::Diagnostic;

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
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
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
    Ok(RenderedMarkdown {
        html: substitute(&out, &fragments),
        headings,
    })
}

/// A figure is text for a reader, never part of an address: the marker
/// standing for it would end up percent-encoded in the `href`.
fn shortcode_in_address(
    file: &Path,
    address: &str,
    fragment_at: &[Option<(usize, usize)>],
) -> Diagnostic {
    let index: Option<usize> = address
        .split(MARK_OPEN)
        .nth(1)
        .and_then(|after| after.split(MARK_CLOSE).next())
        .and_then(|digits| digits.parse().ok());
    let mut d = Diagnostic::error(
        file,
        "a shortcode cannot be part of a link or image address",
    )
    .expected("a written address, such as `https://…` or `../rapporter/`")
    .help("put the figure in the link's text instead: [{{ value(…) }}](address)");
    if let Some(Some((line, column))) = index.and_then(|i| fragment_at.get(i)) {
        d = d.at(*line, *column);
    }
    d
}

/// Lines and character columns of byte offsets in one text, without
/// scanning the text from its start for every offset: line starts are
/// found once, and columns are counted on from the last offset asked when
/// it was on the same line.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The last offset asked and its 0-based character column.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text,
            starts,
            last: std::cell::Cell::new((0, 0)),
        }
    }

    /// 1-based line and column (in characters) of byte `offset`.
    fn line_column(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|s| *s <= offset);
        let line_start = self.starts[line - 1];
        let (last, last_column) = self.last.get();
        let column = if last >= line_start && last <= offset {
            last_column + self.text[last..offset].chars().count()
        } else {
            self.text[line_start..offset].chars().count()
        };
        self.last.set((offset, column));
        (line, column + 1)
    }
}

/// Whether a link or image address is harmless: relative, a fragment, or
/// one of the schemes `http`, `https`, `mailto` and `tel`. Browsers ignore
/// tabs and line breaks inside an address and leading control characters
/// and spaces, so `java\tscript:` counts as `javascript:`.
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    match cleaned.find([':', '/', '?', '#']) {
        Some(i) if cleaned[i..].starts_with(':') => {
            let scheme = cleaned[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// pulldown-cmark aligns table cells with `style="text-align: …"`, which a
/// strict Content-Security-Policy blocks: use classes from the stylesheet.
/// Text is escaped (`"` is `&quot;`), so only generated attributes match.
fn table_alignment_classes(html: &str) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html.to_string();
    }
    html.replace(" style=\"text-align: left\">", " class=\"align-left\">")
        .replace(" style=\"text-align: center\">", " class=\"align-center\">")
        .replace(" style=\"text-align: right\">", " class=\"align-right\">")
}

fn is_chart_info(info: &str) -> bool {
    info.split_whitespace().next() == Some("chart")
}

/// Gives every heading an id (its own `{#id}` or one made from its text),
/// unique within the page.
fn assign_heading_ids(events: &mut [Event]) -> Vec<Heading> {
    let mut headings = Vec::new();
    let mut used = HashSet::new();
    let mut suffixes: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = *level as u8;
            let given = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = given.unwrap_or_else(|| slugify(&text));
            let base = if base.is_empty() {
                "avsnitt".to_string()
            } else {
                base
            };
            // Each base remembers the last suffix it tried, so that many
            // headings with one text cost one try each, not one per earlier
            // heading.
            let next = suffixes.entry(base.clone()).or_insert(1);
            let mut unique = if *next == 1 {
                base.clone()
            } else {
                format!("{base}-{next}")
            };
            while !used.insert(unique.clone()) {
                *next += 1;
                unique = format!("{base}-{next}");
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(unique.clone()));
            }
            headings.push(Heading {
                level,
                id: unique,
                text,
            });
            i = j;
        }
        i += 1;
    }
    headings
}

/// An anchor from a heading's text (see [`crate::slug`]).
pub fn slugify(text: &str) -> String {
    crate::slug::slug(text, crate::slug::Keep::Alphanumeric)
}

/// With `allow_html`, authors may write HTML, but never script: ammonia keeps
/// a safe list of tags and attributes and drops `<script>`, event handlers
/// and `javascript:` addresses.
fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(&["id", "class"])
        .link_rel(None)
        .clean(html)
        .to_string()
}

/// Puts the embedded HTML where its markers are. `html` comes from the
/// sanitiser, so attribute values are double-quoted with `"` escaped and
/// text never holds a raw `<`. A marker that ended up inside a tag (a figure
/// in a link title or an image's alt text) gets the fragment's text only:
/// markup there would break out of the attribute.
fn substitute(html: &str, fragments: &[String]) -> String {
    if fragments.is_empty() {
        return html.to_string();
    }
    let mut out =
        String::with_capacity(html.len() + fragments.iter().map(String::len).sum::<usize>());
    let (mut in_tag, mut in_quote) = (false, false);
    let mut chars = html.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            MARK_OPEN => {
                let after = &html[i + MARK_OPEN.len_utf8()..];
                let Some(end) = after.find(MARK_CLOSE) else {
                    continue;
                };
                let index: Option<usize> = after[..end].parse().ok();
                if let Some(fragment) = index.and_then(|i| fragments.get(i)) {
                    if in_tag {
                        out.push_str(&text_only(fragment));
                    } else {
                        out.push_str(fragment);
                    }
                }
                // Skip the index digits and the closing marker.
                for _ in after[..end + MARK_CLOSE.len_utf8()].chars() {
                    chars.next();
                }
                continue;
            }
            MARK_CLOSE => continue,
            '<' if !in_tag => in_tag = true,
            '"' if in_tag => in_quote = !in_quote,
            '>' if in_tag && !in_quote => in_tag = false,
            _ => {}
        }
        out.push(c);
    }
    // A chart figure is block content: don't leave it inside a paragraph.
    out.replace("<p><figure", "<figure")
        .replace("</figure></p>", "</figure>")
}

/// The text of an HTML fragment (tags dropped; entities stay escaped, and
/// escaped text never holds a raw `"`).
fn text_only(fragment: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in fragment.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            '"' if !in_tag => out.push_str("&quot;"),
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(body: &str, allow_html: bool) -> Result<RenderedMarkdown, Vec<Diagnostic>> {
        render_markdown(
            Path::new("content/x.md"),
            body,
            5,
            allow_html,
            &mut |e| match e {
                Embed::Chart { spec, line } => Ok(format!(
                    "<figure data-line=\"{line}\">{}</figure>",
                    spec.trim()
                )),
                Embed::Figure {
                    shortcode,
                    line,
                    column,
                } => Ok(format!(
                    "<b>{}@{line}:{column}</b>",
                    shortcode.arg("unit").unwrap_or("")
                )),
            },
        )
    }

    #[test]
    fn shortcodes_and_chart_blocks_are_embedded_with_file_lines() {
        let body = "# Rubrik\n\nÄrenden: {{ value(measure=\"m\", unit=\"nordost\", period=\"2024Q3\") }}.\n\n```chart\ntype = \"growth\"\n```\n";
        let out = render(body, false).unwrap();
        assert!(
            out.html.contains("<h1 id=\"rubrik\">Rubrik</h1>"),
            "{}",
            out.html
        );
        assert!(out.html.contains("<b>nordost@7:10</b>"), "{}", out.html);
        assert!(
            out.html
                .contains("<figure data-line=\"10\">type = \"growth\"</figure>"),
            "{}",
            out.html
        );
        assert!(!out.html.contains("<p><figure"));
    }

    #[test]
    fn shortcodes_in_code_are_literal() {
        let out = render("`{{ value() }}`\n\n```\n{{ nope }}\n```\n", false).unwrap();
        assert!(out.html.contains("<code>{{ value() }}</code>"));
        assert!(out.html.contains("{{ nope }}"));
    }

    #[test]
    fn malformed_shortcode_is_located() {
        let errs = render("a\n\nb {{ valeu(unit=\"x\") }}\n", false).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].column), (Some(7), Some(6)));
        assert!(errs[0].message.contains("unknown shortcode"));
        let errs = render("a {{ value(measure=\"x\"\n", false).unwrap_err();
        assert!(errs[0].message.contains("never closed"));
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed_and_script_never_survives() {
        let out = render(
            "<script>alert(1)</script>\n\nhej <b onclick=\"x()\">du</b>\n",
            false,
        )
        .unwrap();
        assert!(out.html.contains("&lt;script&gt;"), "{}", out.html);
        assert!(!out.html.contains("<script"));
        assert!(!out.html.contains("<b "));
        let out = render("<script>alert(1)</script>\n\nhej <b onclick=\"x()\">du</b> <a href=\"javascript:x()\">l</a>\n", true).unwrap();
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(!out.html.contains("onclick"), "{}", out.html);
        assert!(!out.html.contains("javascript:"), "{}", out.html);
        assert!(out.html.contains("<b>du</b>"), "{}", out.html);
    }

    #[test]
    fn heading_ids_are_unique_and_folded() {
        let out = render("## Så läser du\n\n## Så läser du\n", false).unwrap();
        assert_eq!(out.headings[0].id, "sa-laser-du");
        assert_eq!(out.headings[1].id, "sa-laser-du-2");
    }

    #[test]
    fn script_addresses_and_heading_attributes_never_survive() {
        let body = "# H {#h onclick=\"alert(1)\" .c}\n\n[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](java\tscript:x) [d](&#106;avascript:x) [e](vbscript:x) [f](data:text/html,x) <javascript:alert(1)> [g][r] ![i](javascript:x) [ok](https://example.org/) [m](mailto:a@b) [rel](../x/index.html#y)\n\n[r]: javascript:alert(1)\n";
        for allow in [false, true] {
            let out = render(body, allow).unwrap();
            let lower = out.html.to_ascii_lowercase();
            assert!(!lower.contains("onclick"), "{}", out.html);
            for attr in ["href=\"", "src=\""] {
                for bad in ["javascript:", "vbscript:", "data:"] {
                    assert!(!lower.contains(&format!("{attr}{bad}")), "{}", out.html);
                }
            }
            assert!(
                out.html.contains("<h1 id=\"h\" class=\"c\">"),
                "{}",
                out.html
            );
            assert!(
                out.html.contains("<a href=\"https://example.org/\">ok</a>"),
                "{}",
                out.html
            );
            assert!(
                out.html.contains("<a href=\"mailto:a@b\">m</a>"),
                "{}",
                out.html
            );
            assert!(
                out.html.contains("<a href=\"../x/index.html#y\">rel</a>"),
                "{}",
                out.html
            );
            // The text of a dropped link stays.
            assert!(
                out.html.contains(">a ") || out.html.contains(" a "),
                "{}",
                out.html
            );
        }
        for (url, safe) in [
            ("javascript:x", false),
            (" \u{1}javascript:x", false),
            ("java\nscript:x", false),
            ("JAVASCRIPT:x", false),
            ("vbscript:x", false),
            ("data:image/png;base64,x", false),
            ("https://x", true),
            ("HTTP://x", true),
            ("mailto:x", true),
            ("tel:1", true),
            ("#x", true),
            ("a/b:c", true),
            ("?q=javascript:x", true),
            ("", true),
        ] {
            assert_eq!(is_safe_url(url), safe, "{url:?}");
        }
    }

    /// Functional checks on reduced sizes of inputs that once took minutes;
    /// the full sizes are timed by `examples/hostile_timing.rs`.
    #[test]
    fn many_identical_headings_get_unique_ids_in_one_pass() {
        let out = render(&"## Så läser du\n\n".repeat(5_000), false).unwrap();
        assert_eq!(out.headings.len(), 5_000);
        assert_eq!(out.headings[4_999].id, "sa-laser-du-5000");
        let ids: HashSet<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids.len(), 5_000);
        // An explicit id that collides with a generated one still gets a suffix.
        let out = render("# A\n\n# A\n\n# B {#a-2}\n\n# A\n", false).unwrap();
        let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-2", "a-2-2", "a-3"]);
    }

    #[test]
    fn deep_nesting_is_refused_with_its_location() {
        for body in [
            format!("Inledning\n\n{}x\n", ">".repeat(20_000)),
            format!("Inledning\n\n{}x\n", "- ".repeat(20_000)),
            format!("Inledning\n\n{}x\n", "1. ".repeat(20_000)),
        ] {
            let errs = render(&body, false).unwrap_err();
            assert_eq!(errs.len(), 1, "{errs:?}");
            assert!(
                errs[0].message.contains("nested more than 50 levels"),
                "{errs:?}"
            );
            assert_eq!(errs[0].line, Some(7), "{errs:?}");
        }
        // Ordinary nesting is fine.
        let out = render(&format!("{}x\n", "> ".repeat(MAX_NESTING - 2)), false).unwrap();
        assert!(out.html.contains("<blockquote>"));
    }

    #[test]
    fn many_shortcodes_between_code_spans_are_all_found() {
        let body =
            "`{{ x }}` {{ value(measure=\"m\", unit=\"u\", period=\"2024Q3\") }} ".repeat(3_000);
        let out = render(&body, false).unwrap();
        assert_eq!(out.html.matches("<b>u@5:").count(), 3_000);
        assert_eq!(out.html.matches("<code>{{ x }}</code>").count(), 3_000);
    }

    #[test]
    fn line_index_agrees_with_scanning_from_the_start() {
        let text = "å\nab{{ c\r\n\nÄÖ x {{ y }}\n";
        let index = LineIndex::new(text);
        for offset in (0..=text.len()).filter(|o| text.is_char_boundary(*o)) {
            assert_eq!(
                index.line_column(offset),
                crate::config::line_column(text, offset),
                "{offset}"
            );
        }
        // And asked out of order.
        assert_eq!(index.line_column(2), (1, 2));
        assert_eq!(
            index.line_column(text.len()),
            crate::config::line_column(text, text.len())
        );
    }

    #[test]
    fn table_alignment_uses_classes_not_inline_style() {
        let out = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n", false).unwrap();
        assert!(!out.html.contains("style="), "{}", out.html);
        assert!(
            out.html.contains("<th class=\"align-left\">a</th>"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<td class=\"align-right\">3</td>"),
            "{}",
            out.html
        );
    }

    #[test]
    fn a_figure_inside_an_attribute_is_text_only() {
        let body = "[x](https://example.org/ \"{{ value(measure=\"m\", unit=\"u1\", period=\"2024Q3\") }}\") ![{{ value(measure=\"m\", unit=\"u2\", period=\"2024Q3\") }}](a.png) {{ value(measure=\"m\", unit=\"u3\", period=\"2024Q3\") }}\n";
        let out = render(body, false).unwrap();
        assert!(out.html.contains("title=\"u1@5:"), "{}", out.html);
        assert!(out.html.contains("alt=\"u2@5:"), "{}", out.html);
        assert!(out.html.contains("<b>u3@5:"), "{}", out.html);
    }

    #[test]
    fn a_shortcode_in_a_link_address_is_refused_at_its_place() {
        let body = "Intro.\n\nSe [sidan]({{ value(measure=\"m\", unit=\"u\", period=\"2024Q3\") }}) och ![bild]({{ value(measure=\"m\", unit=\"v\", period=\"2024Q3\") }}).\n";
        let errs = render(body, false).unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(
            errs[0].message.contains("link or image address"),
            "{errs:?}"
        );
        assert_eq!((errs[0].line, errs[0].column), (Some(7), Some(12)));
        assert_eq!((errs[1].line, errs[1].column), (Some(7), Some(77)));
        // In a reference definition too.
        let errs = render(
            "[sidan][a]\n\n[a]: {{ value(measure=\"m\", unit=\"u\", period=\"2024Q3\") }}\n",
            false,
        )
        .unwrap_err();
        assert_eq!((errs[0].line, errs[0].column), (Some(7), Some(6)));
    }
}
