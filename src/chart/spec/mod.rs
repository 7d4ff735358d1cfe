//! Chart specs: the TOML inside a ```` ```chart ```` block (§4 of
//! `docs/contract.md`), parsed once into a typed value, checked against the
//! data, and written back as TOML where a user is handed one (the scaffold).
//!
//! A spec is the keys every chart has (`from`, `to`, `group`, `title`) and
//! one [`ChartKind`]: a variant per chart type holding that type's own
//! required keys as values, so nothing downstream guesses at a missing one.
//! The site builds the specs of its generated pages directly as values.

pub(crate) mod fields;
mod parse;
pub(crate) mod problem;
pub(crate) mod toml_text;
mod validate;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

pub use crate::chart::kinds::{
    Bars, ChartKind, ChartType, Compare, Growth, PerFte, PerFteOf, Series, Workload,
};
use crate::data::{Dataset, Period};
pub use problem::SpecProblem;
pub(crate) use problem::quoted;
use toml_text::TomlText;

/// A chart spec (§4): the chart type with its own keys, and the keys every
/// chart type accepts.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// The chart type and its own keys.
    pub kind: ChartKind,
    /// The first period shown; `None`: the start of the data.
    pub from: Option<Period>,
    /// The last period shown; `None`: the report's period or the latest data.
    pub to: Option<Period>,
    /// The group of the series drawn (a breakdown such as age or sex).
    pub group: Option<String>,
    /// A title of the author's own, drawn above the generated one.
    pub title: Option<String>,
    /// Byte ranges of each key's value in the block, for locating problems
    /// found later; empty for a spec built as a value.
    spans: BTreeMap<&'static str, Range<usize>>,
}

impl<K: Into<ChartKind>> From<K> for ChartSpec {
    fn from(kind: K) -> ChartSpec {
        ChartSpec::new(kind)
    }
}

impl ChartSpec {
    /// A spec of `kind` over the whole series, with the generated title.
    pub fn new(kind: impl Into<ChartKind>) -> ChartSpec {
        ChartSpec {
            kind: kind.into(),
            from: None,
            to: None,
            group: None,
            title: None,
            spans: BTreeMap::new(),
        }
    }

    /// The same spec ending at `to`.
    pub fn to(mut self, to: Period) -> ChartSpec {
        self.to = Some(to);
        self
    }

    /// The chart type.
    pub fn chart_type(&self) -> ChartType {
        self.kind.chart_type()
    }

    /// The unit the chart is about (for a compare chart: the one it
    /// highlights, if any).
    pub fn unit(&self) -> Option<&str> {
        self.kind.spec().unit()
    }

    /// Reference units (the national figure, a group of peers) drawn beside
    /// the unit.
    pub fn reference(&self) -> &[String] {
        self.kind.spec().reference()
    }

    pub(crate) fn at(&self, key: &str) -> Option<usize> {
        self.spans.get(key).map(|r| r.start)
    }

    /// Every measure id the spec names, with the key that names it.
    pub fn measure_ids(&self) -> Vec<(&'static str, &str)> {
        self.kind.spec().measure_ids()
    }

    /// The spec as the TOML of a chart block, keys in the order a person
    /// would write them (`type` first, the periods last).
    pub fn to_toml(&self) -> String {
        let mut t = TomlText::default();
        t.string("type", self.chart_type().name());
        self.kind.spec().write_toml(&mut t);
        t.period("from", self.from);
        t.period("to", self.to);
        t.optional("group", self.group.as_deref());
        t.optional("title", self.title.as_deref());
        t.0
    }

    /// The spec with what it leaves to the data filled in: a `workload`
    /// chart without `workload` or `capacity` takes the one measure with that
    /// role; a `per_fte` chart of `caseload` and `staffing` that a declared
    /// ratio measure divides is that ratio's chart (same chart, same address).
    pub fn with_defaults(&self, data: &Dataset) -> Cow<'_, ChartSpec> {
        match self.kind.with_defaults(data) {
            None => Cow::Borrowed(self),
            Some((kind, moved)) => {
                let mut spec = self.clone();
                spec.kind = kind;
                // A key the default replaces is located where the block
                // named what it replaced.
                for (from, to) in moved {
                    if let Some(span) = spec.spans.get(from).cloned() {
                        spec.spans.insert(to, span);
                    }
                }
                Cow::Owned(spec)
            }
        }
    }

    /// The spec of the same chart following the latest data over its whole
    /// series: no window, no pinned period or base, no title of the
    /// author's own.
    pub(crate) fn following(&self) -> ChartSpec {
        let mut latest = self.clone();
        latest.from = None;
        latest.to = None;
        latest.title = None;
        latest.kind.spec_mut().unpin();
        latest
    }
}
