//! One escaper per output language: [`html`] for pages (templates, inline
//! figures, chart captions, the preview's error page) and [`xml`] for SVG,
//! the Atom feed and the sitemap.

/// Escapes text for HTML content and quoted attributes. Unlike Tera's
/// default it leaves `/` alone, so addresses stay readable in the source.
pub fn html(input: &str) -> String {
    escape(input, "&#39;", None)
}

/// Escapes text for XML content and attribute values, dropping what XML 1.0
/// forbids even escaped: a control character in a name from the data would
/// make the whole file unreadable.
pub fn xml(input: &str) -> String {
    escape(input, "&apos;", Some(crate::text::is_xml_char))
}

/// The markup characters of both languages, the apostrophe as `apos`, and
/// only the characters `keep` allows (every one without it). Text between
/// the characters that change is copied in runs: pages escape every value
/// they show, so this walks bytes, not characters. The markup characters
/// are ASCII, which in UTF-8 never occurs inside another character; a
/// character `keep` may refuse is decoded only where one could start (an
/// ASCII control, or a lead byte of the `U+Fxxx` block).
fn escape(input: &str, apos: &str, keep: Option<fn(char) -> bool>) -> String {
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut run = 0;
    let mut at = 0;
    while at < bytes.len() {
        let (instead, len) = match bytes[at] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => (apos, 1),
            b if keep.is_some() && (b < 0x20 || b == 0xEF) => {
                // Both checked above: `keep` is there, and `at` is where a
                // character starts (runs of bytes are skipped whole).
                let c = input[at..].chars().next().unwrap_or_default();
                if keep.is_some_and(|keep| keep(c)) {
                    at += c.len_utf8();
                    continue;
                }
                ("", c.len_utf8())
            }
            b => {
                // A whole character at once: `at` stays on a boundary.
                at += utf8_len(b);
                continue;
            }
        };
        out.push_str(&input[run..at]);
        out.push_str(instead);
        at += len;
        run = at;
    }
    out.push_str(&input[run..]);
    out
}

/// The length of the UTF-8 character that starts with `lead`.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_both_quotes_but_not_slashes() {
        assert_eq!(
            html(r#"<a href="/x">Tom's & Jerry's</a>"#),
            "&lt;a href=&quot;/x&quot;&gt;Tom&#39;s &amp; Jerry&#39;s&lt;/a&gt;"
        );
        // Runs of text on either side of a change, letters of any width.
        assert_eq!(html("Ärenden & år"), "Ärenden &amp; år");
        assert_eq!(html("ö"), "ö");
        assert_eq!(html(""), "");
        assert_eq!(html("<"), "&lt;");
    }

    #[test]
    fn xml_escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(
            xml("Nordost\u{1}'s <\"enhet\"> & \u{fffe}söder"),
            "Nordost&apos;s &lt;&quot;enhet&quot;&gt; &amp; söder"
        );
        assert_eq!(xml("tab\tline\n"), "tab\tline\n");
        // Characters of the U+Fxxx block that XML allows stay.
        assert_eq!(xml("\u{fffd}\u{f000}ö"), "\u{fffd}\u{f000}ö");
        assert_eq!(xml("\u{1f600}<"), "\u{1f600}&lt;");
    }

    /// The byte walk agrees with escaping one character at a time, for
    /// text of every width of character, markup and forbidden ones.
    #[test]
    fn escaping_bytes_agrees_with_escaping_characters() {
        fn by_char(input: &str, apos: &str, keep: fn(char) -> bool) -> String {
            input
                .chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => apos.to_string(),
                    c if !keep(c) => String::new(),
                    c => c.to_string(),
                })
                .collect()
        }
        let pieces = [
            "a", "&", "<", ">", "\"", "'", "\u{1}", "\t", "å", "–", "\u{fffe}", "\u{ffff}",
            "\u{fffd}", "\u{ef00}", "😀", " ", "\u{7f}",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}x{c}");
                    assert_eq!(html(&text), by_char(&text, "&#39;", |_| true), "{text:?}");
                    assert_eq!(
                        xml(&text),
                        by_char(&text, "&apos;", crate::text::is_xml_char),
                        "{text:?}"
                    );
                }
            }
        }
    }
}
