//! The keys of a chart block as a chart type's parser takes them.

use std::collections::BTreeMap;

use super::problem::{SpecProblem, quoted};
use crate::chart::chart_type::ChartType;
use crate::data::Period;

/// The keys of one chart block, read and checked for their value's shape,
/// for a chart type's parser to take what it needs. A missing required key
/// is reported here, in the words every chart type shares.
pub(crate) struct Fields<'p> {
    pub(super) chart: ChartType,
    pub(super) required: &'static [&'static str],
    /// Every known key the block has, with the offset of the key.
    pub(super) present: Vec<(&'static str, usize)>,
    pub(super) strings: BTreeMap<&'static str, String>,
    pub(super) lists: BTreeMap<&'static str, Vec<String>>,
    pub(super) periods: BTreeMap<&'static str, Period>,
    pub(super) problems: &'p mut Vec<SpecProblem>,
}

impl Fields<'_> {
    /// Whether the block names `key` (with a value of any shape).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.present.iter().any(|(k, _)| *k == key)
    }

    /// Reports a problem of the block as a whole.
    pub(crate) fn problem(&mut self, problem: SpecProblem) {
        self.problems.push(problem);
    }

    /// The chart type's required string `key`. `None` when it is missing
    /// (reported here) or not a string (reported when it was read).
    pub(crate) fn required(&mut self, key: &'static str) -> Option<String> {
        if !self.has(key) {
            self.missing(key);
            return None;
        }
        self.strings.remove(key)
    }

    /// The chart type's required list `key`, like [`Fields::required`].
    pub(crate) fn required_list(&mut self, key: &'static str) -> Option<Vec<String>> {
        if !self.has(key) {
            self.missing(key);
            return None;
        }
        self.lists.remove(key)
    }

    /// An optional string key.
    pub(crate) fn string(&mut self, key: &str) -> Option<String> {
        self.strings.remove(key)
    }

    /// An optional list key (a single string is a list of one).
    pub(crate) fn list(&mut self, key: &str) -> Vec<String> {
        self.lists.remove(key).unwrap_or_default()
    }

    /// An optional period key.
    pub(crate) fn period(&self, key: &str) -> Option<Period> {
        self.periods.get(key).copied()
    }

    fn missing(&mut self, key: &str) {
        self.problems.push(
            SpecProblem::new(
                Some(0),
                format!("a `{}` chart needs `{key}`", self.chart.name()),
            )
            .expected(format!("keys {}", quoted(self.required))),
        );
    }
}
