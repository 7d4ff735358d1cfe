//! The HTML after Markdown rendering: safe addresses, table alignment as
//! classes, the sanitiser, and embedded fragments put in place.

use super::*;

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
pub(super) fn table_alignment_classes(html: &str) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html.to_string();
    }
    html.replace(" style=\"text-align: left\">", " class=\"align-left\">")
        .replace(" style=\"text-align: center\">", " class=\"align-center\">")
        .replace(" style=\"text-align: right\">", " class=\"align-right\">")
}

/// With `allow_html`, authors may write HTML, but never script: ammonia keeps
/// a safe list of tags and attributes and drops `<script>`, event handlers
/// and `javascript:` addresses.
pub(super) fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(&["id", "class"])
        .link_rel(None)
        .clean(&with_short_text_nodes(html))
        .to_string()
}

/// Text runs at most this long go to the sanitiser in one piece.
pub(super) const TEXT_NODE: usize = 2048;

/// `html` with an empty comment before each `&` (and each character from
/// U+0080 to U+00BF) that ends a run of text longer than [`TEXT_NODE`].
///
/// The sanitiser writes a text node by searching, for each `&` or such
/// character, the rest of the node for the next `<` or `>`: time with the
/// square of the node's length, so that a paragraph of 800,000 `&` took
/// 48 s. The comment splits the node where the parser reads it, and the
/// sanitiser drops it again, leaving the same text in nodes it writes one
/// after another: the same bytes, in linear time.
pub(super) fn with_short_text_nodes(html: &str) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    if bytes.len() <= TEXT_NODE {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::new();
    let mut copied = 0;
    let mut in_tag = false;
    let mut run = 0usize;
    for (at, &b) in bytes.iter().enumerate() {
        match b {
            b'<' => in_tag = true,
            b'>' => {
                in_tag = false;
                run = 0;
                continue;
            }
            _ => {}
        }
        if in_tag {
            continue;
        }
        run += 1;
        if run > TEXT_NODE && (b == b'&' || b == 0xC2) {
            out.push_str(&html[copied..at]);
            out.push_str("<!---->");
            copied = at;
            run = 0;
        }
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    std::borrow::Cow::Owned(out)
}

/// How many elements are open after the raw HTML `html`, `depth` before
/// it, and the most open anywhere in it: a start tag opens one (not a void
/// element such as `<br>`, nor a self-closing `<x/>`), an end tag closes
/// one. A count, not a parse: it only has to tell a page from one nested
/// thousands deep.
pub(super) fn html_depth_after(mut depth: usize, html: &str) -> (usize, usize) {
    let mut most = depth;
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    for (at, _) in html.match_indices('<') {
        let rest = &html[at + 1..];
        if rest.starts_with('/') {
            depth = depth.saturating_sub(1);
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || VOID.contains(&name.as_str()) {
            continue;
        }
        let self_closing = rest.find('>').is_some_and(|end| rest[..end].ends_with('/'));
        if !self_closing {
            depth += 1;
            most = most.max(depth);
        }
    }
    (depth, most)
}

/// The addresses on another host that sanitised HTML loads (`src` is the
/// only loading attribute the sanitiser keeps: images). `html` comes from
/// the sanitiser: attributes are double-quoted, `&` is `&amp;`.
pub(super) fn external_loads(html: &str) -> Vec<String> {
    html.match_indices(" src=\"")
        .filter_map(|(at, attr)| {
            let value = &html[at + attr.len()..];
            let value = &value[..value.find('"')?];
            let lower = value.trim_start().to_ascii_lowercase();
            (lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("//"))
            .then(|| value.replace("&amp;", "&"))
        })
        .collect()
}

/// Puts the embedded HTML where its markers are. `html` comes from the
/// sanitiser, so attribute values are double-quoted with `"` escaped and
/// text never holds a raw `<`. A marker that ended up inside a tag (a figure
/// in a link title or an image's alt text) gets the fragment's text only:
/// markup there would break out of the attribute.
pub(super) fn substitute(html: &str, fragments: &[String]) -> String {
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
pub(super) fn text_only(fragment: &str) -> String {
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
