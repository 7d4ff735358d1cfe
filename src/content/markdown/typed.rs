//! Figures typed by hand (README, "Inline figures: shortcodes"): a
//! percentage, or a number followed by a measure's name ("431 aktuella
//! ärenden"), written into a page's text or its title does not follow the
//! data. It is not revised when the data is, carries none of its caveats (a
//! series break, a provisional or suppressed value) and is the easiest
//! figure to pick for a better-looking story. The build names each one, as
//! a warning (`insyn check --strict` refuses it), and points to the
//! shortcode that computes it from the data.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::data::{WithheldFigure, WithheldFigures};

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
fn typed_percentages(text: &str) -> Vec<Range<usize>> {
    pattern()
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|m| m.range())
        .collect()
}

/// A figure typed by hand: where it is, and the measure it names (`None`
/// for a percentage).
#[derive(Debug, Clone, PartialEq)]
pub struct TypedFigure {
    pub range: Range<usize>,
    pub measure: Option<String>,
    /// The withheld number of `measure` this figure could be (see
    /// [`TypedFigures::withholding`]).
    pub withheld: Option<WithheldFigure>,
}

/// What a site's text is searched for: percentages, and a number followed
/// by the name of one of its measures. Made once per site (the pattern
/// holds every measure's name).
#[derive(Debug, Default)]
pub struct TypedFigures {
    /// The pattern of a number and a name, and each name (lower case) with
    /// its measure's id.
    named: Option<(Regex, Vec<(String, String)>)>,
    /// The numbers disclosure control withheld, by measure.
    withheld: WithheldFigures,
}

impl TypedFigures {
    /// Percentages only (a page read without the site's measures).
    pub fn percentages_only() -> TypedFigures {
        TypedFigures::default()
    }

    /// Percentages, and figures named by these measures' labels (`(id,
    /// label)`, the label as the site's language writes it). A label of
    /// one letter names nothing.
    pub fn with_measures<'a>(labels: impl IntoIterator<Item = (&'a str, &'a str)>) -> TypedFigures {
        let mut names: Vec<(String, String)> = labels
            .into_iter()
            .map(|(id, label)| (label.trim().to_lowercase(), id.to_string()))
            .filter(|(label, _)| label.chars().count() > 1)
            .collect();
        if names.is_empty() {
            return TypedFigures::default();
        }
        // The longest first: "ärenden per årsarbetare" before "årsarbetare".
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
        names.dedup_by(|a, b| a.0 == b.0);
        let alternatives: Vec<String> = names
            .iter()
            .map(|(label, _)| regex::escape(label).replace(' ', r"[ \u{00A0}\u{202F}]+"))
            .collect();
        // A whole number (thousands split by a space or a thin one) or a
        // decimal one, then a space and the name, ending where a word does.
        let pattern = format!(
            r"(?i)(?:^|[^\w.,])(\d{{1,3}}(?:[ \u{{00A0}}\u{{202F}}]\d{{3}})+|\d+(?:[.,]\d+)?)[ \u{{00A0}}\u{{202F}}]({})(?:$|[^\w])",
            alternatives.join("|")
        );
        match Regex::new(&pattern) {
            Ok(regex) => TypedFigures {
                named: Some((regex, names)),
                withheld: WithheldFigures::default(),
            },
            // A pattern too large for the engine (thousands of measures):
            // percentages only, rather than no build.
            Err(_) => TypedFigures::default(),
        }
    }

    /// The same search, and each figure named by a measure compared with
    /// the numbers of that measure the published view withholds.
    pub fn withholding(self, withheld: WithheldFigures) -> TypedFigures {
        TypedFigures { withheld, ..self }
    }

    /// Every figure typed by hand in `text`, in order.
    pub fn find(&self, text: &str) -> Vec<TypedFigure> {
        let mut found: Vec<TypedFigure> = typed_percentages(text)
            .into_iter()
            .map(|range| TypedFigure {
                range,
                measure: None,
                withheld: None,
            })
            .collect();
        if let Some((regex, names)) = &self.named {
            for c in regex.captures_iter(text) {
                let (Some(number), Some(name)) = (c.get(1), c.get(2)) else {
                    continue;
                };
                let typed = name.as_str().to_lowercase();
                let typed = typed.split_whitespace().collect::<Vec<_>>().join(" ");
                let measure = names.iter().find(|(label, _)| *label == typed);
                let withheld = measure
                    .and_then(|(_, id)| self.withheld.matching(id, number.as_str()))
                    .cloned();
                found.push(TypedFigure {
                    range: number.start()..name.end(),
                    measure: measure.map(|(_, id)| id.clone()),
                    withheld,
                });
            }
            found.sort_by_key(|f| f.range.start);
        }
        found
    }
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

    fn figures(text: &str) -> Vec<(&str, Option<&str>)> {
        let typed = TypedFigures::with_measures([
            ("open_cases", "Aktuella ärenden"),
            ("staff", "Årsarbetare"),
            ("per_fte", "Ärenden per årsarbetare"),
            ("x", "A"),
        ]);
        let found = typed.find(text);
        found
            .iter()
            .map(|f| {
                let measure = match f.measure.as_deref() {
                    Some("open_cases") => Some("open_cases"),
                    Some("staff") => Some("staff"),
                    Some("per_fte") => Some("per_fte"),
                    Some(other) => panic!("{other}"),
                    None => None,
                };
                (&text[f.range.clone()], measure)
            })
            .collect()
    }

    #[test]
    fn a_number_followed_by_a_measures_name_is_a_typed_figure() {
        assert_eq!(
            figures("Nordost hade 431 aktuella ärenden och 23,5 årsarbetare."),
            [
                ("431 aktuella ärenden", Some("open_cases")),
                ("23,5 årsarbetare", Some("staff")),
            ]
        );
        assert_eq!(
            figures("1 234 Aktuella\u{a0}ärenden, 18,4 ärenden per årsarbetare (12 %)"),
            [
                ("1 234 Aktuella\u{a0}ärenden", Some("open_cases")),
                ("18,4 ärenden per årsarbetare", Some("per_fte")),
                ("12 %", None),
            ]
        );
    }

    #[test]
    fn other_numbers_and_longer_words_are_not_typed_figures() {
        assert!(figures("K1 2024 steg de aktuella ärendena").is_empty());
        assert!(figures("431 aktuella ärendena").is_empty(), "a longer word");
        assert!(figures("x431 årsarbetare").is_empty(), "part of a word");
        assert!(figures("3 a").is_empty(), "a name of one letter");
        let none = TypedFigures::percentages_only();
        assert!(none.find("431 aktuella ärenden").is_empty());
        assert_eq!(none.find("7 %").len(), 1);
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
