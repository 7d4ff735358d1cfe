//! The numbers disclosure control (`crate::disclosure`) took out of the
//! published view, kept by measure so that a figure typed by hand into a
//! page can be compared with them (README, "Inline figures"): a page that
//! prints a withheld count publishes what the charts and tables hide.

use std::collections::HashMap;

use crate::data::{Period, SeriesKey};

/// One withheld number: of which unit, in which period.
#[derive(Debug, Clone, PartialEq)]
pub struct WithheldFigure {
    pub number: f64,
    pub unit: String,
    pub period: Period,
}

/// Every withheld number, by measure id.
#[derive(Debug, Default, Clone)]
pub struct WithheldFigures {
    by_measure: HashMap<String, Vec<WithheldFigure>>,
}

impl WithheldFigures {
    pub(crate) fn add(&mut self, key: &SeriesKey, period: Period, number: f64) {
        self.by_measure
            .entry(key.measure.clone())
            .or_default()
            .push(WithheldFigure {
                number,
                unit: key.unit.clone(),
                period,
            });
    }

    /// Puts the figures of each measure in a fixed order (unit, period), so
    /// that the one named for a typed figure does not depend on the order
    /// values were hidden in.
    pub(crate) fn sort(&mut self) {
        for figures in self.by_measure.values_mut() {
            figures.sort_by(|a, b| (&a.unit, a.period).cmp(&(&b.unit, b.period)));
            figures.dedup();
        }
    }

    /// How many numbers are withheld.
    pub fn len(&self) -> usize {
        self.by_measure.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first withheld figure of `measure` that `typed` (a number as a
    /// page writes it: `4`, `1 234`, `23,5`, `23.5`) could be: the same
    /// number at the precision typed (`23,5` is any of 23.45 to 23.55).
    pub fn matching(&self, measure: &str, typed: &str) -> Option<&WithheldFigure> {
        let (number, decimals) = parse_typed(typed)?;
        let scale = 10f64.powi(decimals);
        self.by_measure
            .get(measure)?
            .iter()
            .find(|w| (w.number * scale).round() == (number * scale).round())
    }
}

/// A number as typed in a page, and its count of decimals; spaces (plain,
/// no-break, thin) split thousands, a comma or a point the decimals.
fn parse_typed(typed: &str) -> Option<(f64, i32)> {
    let digits: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{00A0}' | '\u{202F}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let decimals = digits.split_once('.').map_or(0, |(_, d)| d.len());
    let number = digits.parse::<f64>().ok()?;
    Some((number, i32::try_from(decimals).ok()?.min(15)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> WithheldFigures {
        let mut figures = WithheldFigures::default();
        let p = |s: &str| s.parse::<Period>().unwrap();
        figures.add(&SeriesKey::total("new_cases", "lillby"), p("2024Q2"), 3.0);
        figures.add(&SeriesKey::total("staff_fte", "lillby"), p("2024Q2"), 23.47);
        figures.add(&SeriesKey::total("new_cases", "ekby"), p("2023Q1"), 1234.0);
        figures.sort();
        figures
    }

    #[test]
    fn a_typed_number_matches_a_withheld_one_at_the_precision_typed() {
        let figures = figures();
        let found = figures.matching("new_cases", "3").unwrap();
        assert_eq!(
            (found.unit.as_str(), found.period.to_string().as_str()),
            ("lillby", "2024Q2")
        );
        assert!(figures.matching("new_cases", "1 234").is_some());
        assert!(figures.matching("new_cases", "1\u{202F}234").is_some());
        assert!(figures.matching("staff_fte", "23,5").is_some());
        assert!(figures.matching("staff_fte", "23.47").is_some());
        assert!(figures.matching("staff_fte", "23").is_some());
    }

    #[test]
    fn other_numbers_and_other_measures_do_not_match() {
        let figures = figures();
        assert!(figures.matching("new_cases", "4").is_none());
        assert!(figures.matching("new_cases", "3,0").is_some());
        assert!(figures.matching("new_cases", "3,1").is_none());
        assert!(figures.matching("staff_fte", "3").is_none());
        assert!(figures.matching("staff_fte", "23,4").is_none());
        assert!(figures.matching("open_cases", "3").is_none());
        assert_eq!(figures.len(), 3);
    }
}
