//! One escaper per output language: [`html`] for pages (templates, inline
//! figures, chart captions, the preview's error page) and [`xml`] for SVG,
//! the Atom feed and the sitemap.

/// Escapes text for HTML content and quoted attributes. Unlike Tera's
/// default it leaves `/` alone, so addresses stay readable in the source.
pub fn html(input: &str) -> String {
    escape(input, "&#39;", |_| true)
}

/// Escapes text for XML content and attribute values, dropping what XML 1.0
/// forbids even escaped: a control character in a name from the data would
/// make the whole file unreadable.
pub fn xml(input: &str) -> String {
    escape(input, "&apos;", crate::text::is_xml_char)
}

/// The markup characters of both languages, the apostrophe as `apos`, and
/// only the characters `keep` allows. Text between the characters that
/// change is copied in runs: pages escape every value they show.
fn escape(input: &str, apos: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut run = 0;
    for (at, c) in input.char_indices() {
        let instead = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => apos,
            c if !keep(c) => "",
            _ => continue,
        };
        out.push_str(&input[run..at]);
        out.push_str(instead);
        run = at + c.len_utf8();
    }
    out.push_str(&input[run..]);
    out
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
    }
}
