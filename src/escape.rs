//! One escaper per output language: [`html`] for pages (templates, inline
//! figures, chart captions, the preview's error page) and [`xml`] for SVG,
//! the Atom feed and the sitemap.

/// Escapes text for HTML content and quoted attributes. Unlike Tera's
/// default it leaves `/` alone, so addresses stay readable in the source.
pub fn html(input: &str) -> String {
    escape::<false>(input, "&#39;", |_| true)
}

/// Escapes text for XML content and attribute values, dropping what XML 1.0
/// forbids even escaped: a control character in a name from the data would
/// make the whole file unreadable.
pub fn xml(input: &str) -> String {
    escape::<true>(input, "&apos;", crate::text::is_xml_char)
}

/// The markup characters of both languages, the apostrophe as `apos`, and,
/// with `CHECKED`, only the characters `keep` allows. Text between the
/// characters that change is copied in runs: pages escape every value they
/// show, some of them long (a description naming hundreds of units).
fn escape<const CHECKED: bool>(input: &str, apos: &str, keep: fn(char) -> bool) -> String {
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut run = 0;
    let mut at = 0;
    loop {
        at = next_to_look_at::<CHECKED>(bytes, at);
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        let (instead, len) = match byte {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => (apos, 1),
            _ => {
                // A character `keep` may refuse starts here (see below).
                let c = input[at..].chars().next().unwrap_or_default();
                if keep(c) {
                    at += c.len_utf8();
                    continue;
                }
                ("", c.len_utf8())
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

/// Where from `from` on the next byte is that [`escape`] must look at: a
/// markup character, and with `CHECKED` an ASCII control or the lead byte
/// of a character of the `U+Fxxx` block (where XML's forbidden `U+FFFE` and
/// `U+FFFF` are). Each is ASCII or a lead byte, never inside another
/// character, so the position is always a character boundary; the end of
/// `bytes` when there is none. Blocks of 32 bytes are tested whole, which
/// the compiler turns into vector instructions.
fn next_to_look_at<const CHECKED: bool>(bytes: &[u8], from: usize) -> usize {
    let wanted = |b: u8| {
        (b == b'&')
            | (b == b'<')
            | (b == b'>')
            | (b == b'"')
            | (b == b'\'')
            | (CHECKED & ((b < 0x20) | (b == 0xEF)))
    };
    // Blocks of a size known when compiling, and an `or` of bytes rather
    // than of `bool`s: the compiler makes this vector instructions (about
    // 10 GB/s on 1 KB texts), where the fold of `bool`s over a slice of
    // 32 had been compiled byte by byte (0.6 GB/s; `cargo bench --bench escape`).
    let (blocks, _) = bytes[from..].as_chunks::<32>();
    let clean = blocks
        .iter()
        .position(|block| block.iter().fold(0u8, |any, &b| any | u8::from(wanted(b))) != 0)
        .unwrap_or(blocks.len());
    let at = from + clean * 32;
    bytes[at..]
        .iter()
        .position(|&b| wanted(b))
        .map_or(bytes.len(), |i| at + i)
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
                    // Short, and long enough for whole blocks before,
                    // between and after the pieces.
                    let pad = "x".repeat(33 + a.len());
                    let text = if b == "a" {
                        format!("{pad}{a}{}{b}x{c}{pad}", "å".repeat(17))
                    } else {
                        format!("{a}{b}x{c}")
                    };
                    assert_eq!(html(&text), by_char(&text, "&#39;", |_| true), "{text:?}");
                    assert_eq!(
                        xml(&text),
                        by_char(&text, "&apos;", crate::text::is_xml_char),
                        "{text:?}"
                    );
                }
            }
        }
        // One character to change at every place of a text a few blocks
        // long: in the first block, at and across each block's edge, in
        // the tail shorter than a block.
        for piece in ["&", "'", "\u{1}", "\u{fffe}", "å"] {
            for at in 0..100 {
                let text = format!("{}{piece}{}", "x".repeat(at), "y".repeat(100 - at));
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
