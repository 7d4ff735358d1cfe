//! Figures typed by hand (README, "Inline figures: shortcodes"): a
//! percentage written into a page's text or its title does not follow the
//! data. It is not revised when the data is, carries none of its caveats (a
//! series break, a provisional or suppressed value) and is the easiest
//! figure to pick for a better-looking story. The build names each one, as
//! a warning (`insyn check --strict` refuses it), and points to the
//! `change` shortcode, which the build computes from the data.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

/// A number (a sign, a decimal comma or point) directly followed by a
/// per cent sign or the word, in Swedish or English (`procentenheter` and
/// `percentage points` included), not part of a longer word or number.
fn pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(
            r"(?i)(?:^|[^\w.,])([+\-\u{2212}]?\d+(?:[.,]\d+)?[ \u{00A0}\u{202F}]?(?:%|procent\w*|percent\w*(?: points?)?))",
        )
        .expect("the pattern of a typed percentage is valid")
    })
}

/// Where percentages are typed by hand in `text`: the byte range of each,
/// from its number to its sign or word.
pub fn typed_percentages(text: &str) -> Vec<Range<usize>> {
    pattern()
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|m| m.range())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        typed_percentages(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn percentages_in_every_spelling_are_found() {
        assert_eq!(found("ökade med 38 % sedan"), ["38 %"]);
        assert_eq!(found("rose 38% since"), ["38%"]);
        assert_eq!(
            found("ökade med 12,5\u{a0}% och −3 procent"),
            ["12,5\u{a0}%", "−3 procent"]
        );
        assert_eq!(found("+3,0 procentenheter"), ["+3,0 procentenheter"]);
        assert_eq!(found("2.5 Percentage points"), ["2.5 Percentage points"]);
        assert_eq!(found("(40%)"), ["40%"]);
    }

    #[test]
    fn other_numbers_and_words_are_not() {
        assert!(found("K1 2024 hade 431 ärenden").is_empty());
        assert!(found("procent av alla, 100 ärenden").is_empty());
        assert!(found("x2%").is_empty(), "part of a word");
        assert!(found("").is_empty());
    }

    #[test]
    fn ranges_are_byte_ranges_of_the_text() {
        let text = "Åtta år: ökning 7 % – och 8 procent.";
        for range in typed_percentages(text) {
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        }
        assert_eq!(found(text), ["7 %", "8 procent"]);
    }
}
