//! The typed, validated data of a site and the queries every later stage
//! asks of it. Knows nothing of HTML or charts.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::data::model::{Measure, Measures, Units};
use crate::data::period::Period;
use crate::data::value::{Status, Value};

/// Identifies one series: a measure for a unit, optionally for a breakdown
/// group (`None` is the total).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SeriesKey {
    pub measure: String,
    pub unit: String,
    pub group: Option<String>,
}

impl SeriesKey {
    pub fn total(measure: &str, unit: &str) -> SeriesKey {
        SeriesKey {
            measure: measure.to_string(),
            unit: unit.to_string(),
            group: None,
        }
    }
}

/// Where an observation was read, for messages and the revisions page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Path relative to the site root.
    pub file: Arc<PathBuf>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub value: Value,
    /// `None` for derived measures.
    pub origin: Option<Origin>,
}

/// A series' observations in period order. Periods absent from the map were
/// not reported at all (a gap).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    pub points: BTreeMap<Period, Observation>,
}

impl Series {
    pub fn get(&self, period: Period) -> Option<&Value> {
        self.points.get(&period).map(|o| &o.value)
    }
    pub fn first_period(&self) -> Option<Period> {
        self.points.keys().next().copied()
    }
    pub fn last_period(&self) -> Option<Period> {
        self.points.keys().next_back().copied()
    }
}

/// Everything a site knows about its numbers.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub units: Units,
    pub measures: Measures,
    pub series: BTreeMap<SeriesKey, Series>,
}

impl Dataset {
    pub fn measure(&self, id: &str) -> Option<&Measure> {
        self.measures.get(id)
    }

    /// The total series of `measure` for `unit`.
    pub fn series(&self, measure: &str, unit: &str) -> Option<&Series> {
        self.series.get(&SeriesKey::total(measure, unit))
    }

    pub fn series_for(&self, key: &SeriesKey) -> Option<&Series> {
        self.series.get(key)
    }

    /// One value of the total series.
    pub fn value(&self, measure: &str, unit: &str, period: Period) -> Option<&Value> {
        self.series(measure, unit)?.get(period)
    }

    /// The first and last period for which `measure` has any observation.
    pub fn period_range(&self, measure: &str) -> Option<(Period, Period)> {
        let mut range: Option<(Period, Period)> = None;
        // Keys sort by measure first: only this measure's series are visited.
        let start = SeriesKey {
            measure: measure.to_string(),
            unit: String::new(),
            group: None,
        };
        for (key, series) in self.series.range(start..) {
            if key.measure != measure {
                break;
            }
            if let (Some(a), Some(b)) = (series.first_period(), series.last_period()) {
                range = Some(match range {
                    None => (a, b),
                    Some((lo, hi)) => (lo.min(a), hi.max(b)),
                });
            }
        }
        range
    }

    /// The latest period any series of the site reaches.
    pub fn latest_period(&self) -> Option<Period> {
        self.series.values().filter_map(Series::last_period).max()
    }

    /// Units that have at least one observation of `measure` (total).
    pub fn units_with(&self, measure: &str) -> Vec<&str> {
        self.series
            .keys()
            .filter(|k| k.measure == measure && k.group.is_none())
            .map(|k| k.unit.as_str())
            .collect()
    }

    /// Whether any observation of the site has this status.
    pub fn any_with_status(&self, status: Status) -> bool {
        self.series
            .values()
            .any(|s| s.points.values().any(|o| o.value.status == status))
    }
}
