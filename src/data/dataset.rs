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

/// The parts of a series key, borrowed: the series map is searched with
/// them without making a [`SeriesKey`] (three strings) for each look-up,
/// of which a build makes millions. Ordered and compared like the key.
pub(crate) trait KeyParts {
    fn parts(&self) -> (&str, &str, Option<&str>);
}

impl KeyParts for SeriesKey {
    fn parts(&self) -> (&str, &str, Option<&str>) {
        (&self.measure, &self.unit, self.group.as_deref())
    }
}

impl KeyParts for (&str, &str, Option<&str>) {
    fn parts(&self) -> (&str, &str, Option<&str>) {
        *self
    }
}

impl<'a> std::borrow::Borrow<dyn KeyParts + 'a> for SeriesKey {
    fn borrow(&self) -> &(dyn KeyParts + 'a) {
        self
    }
}

impl PartialEq for dyn KeyParts + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for dyn KeyParts + '_ {}

impl PartialOrd for dyn KeyParts + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn KeyParts + '_ {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.parts().cmp(&other.parts())
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
        self.series_of(measure, unit, None)
    }

    /// The series of `measure` for `unit` and `group` (`None`: the total).
    pub fn series_of(&self, measure: &str, unit: &str, group: Option<&str>) -> Option<&Series> {
        self.series.get(&(measure, unit, group) as &dyn KeyParts)
    }

    pub fn series_for(&self, key: &SeriesKey) -> Option<&Series> {
        self.series.get(key)
    }

    /// One value of the total series.
    pub fn value(&self, measure: &str, unit: &str, period: Period) -> Option<&Value> {
        self.series(measure, unit)?.get(period)
    }

    /// The series of `measure` (every unit and group), in key order. Keys
    /// sort by measure first, so only this measure's series are visited:
    /// a compare chart once walked every key of the site to find its units.
    pub fn series_of_measure<'a, 'm>(
        &'a self,
        measure: &'m str,
    ) -> impl Iterator<Item = (&'a SeriesKey, &'a Series)> + use<'a, 'm> {
        use std::ops::Bound;
        let start: &dyn KeyParts = &(measure, "", None);
        self.series
            .range::<dyn KeyParts, _>((Bound::Included(start), Bound::Unbounded))
            .take_while(move |(key, _)| key.measure == measure)
    }

    /// The first and last period for which `measure` has any observation.
    pub fn period_range(&self, measure: &str) -> Option<(Period, Period)> {
        let mut range: Option<(Period, Period)> = None;
        for (_, series) in self.series_of_measure(measure) {
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
        self.series_of_measure(measure)
            .filter(|(k, _)| k.group.is_none())
            .map(|(k, _)| k.unit.as_str())
            .collect()
    }

    /// Whether any observation of the site has this status.
    pub fn any_with_status(&self, status: Status) -> bool {
        self.series
            .values()
            .any(|s| s.points.values().any(|o| o.value.status == status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The borrowed parts order and find keys exactly as the keys do.
    #[test]
    fn a_series_is_found_by_its_borrowed_parts() {
        let key = |m: &str, u: &str, g: Option<&str>| SeriesKey {
            measure: m.to_string(),
            unit: u.to_string(),
            group: g.map(str::to_string),
        };
        let keys = [
            key("cases", "norr", None),
            key("cases", "norr", Some("0-17")),
            key("cases", "norr", Some("18-")),
            key("cases", "nordost", None),
            key("cases_a", "a", None),
            key("case", "zz", Some("x")),
            key("fte", "", None),
        ];
        let mut data = Dataset::default();
        for (i, k) in keys.iter().enumerate() {
            let mut series = Series::default();
            series.points.insert(
                Period::quarter(2024, 1),
                Observation {
                    value: Value {
                        number: Some(i as f64),
                        status: Status::Final,
                    },
                    origin: None,
                },
            );
            data.series.insert(k.clone(), series);
        }
        for (i, k) in keys.iter().enumerate() {
            let found = data.series_of(&k.measure, &k.unit, k.group.as_deref());
            assert_eq!(found, data.series_for(k));
            assert_eq!(
                found.unwrap().points.values().next().unwrap().value.number,
                Some(i as f64)
            );
            for other in &keys {
                let (a, b): (&dyn KeyParts, &dyn KeyParts) = (k, other);
                assert_eq!(a.cmp(b), k.cmp(other), "{k:?} {other:?}");
            }
        }
        assert!(data.series_of("cases", "norr", Some("65-")).is_none());
        assert!(data.series_of("cases", "söder", None).is_none());
        // A measure's series, every unit and group, and nothing of a
        // measure whose id begins or is begun by its own.
        for measure in ["cases", "case", "cases_a", "fte", "cas", "ftf"] {
            let walked: Vec<&SeriesKey> = data.series_of_measure(measure).map(|(k, _)| k).collect();
            let expected: Vec<&SeriesKey> = data
                .series
                .keys()
                .filter(|k| k.measure == measure)
                .collect();
            assert_eq!(walked, expected, "{measure}");
        }
        assert_eq!(data.units_with("cases"), ["nordost", "norr"]);
        assert_eq!(data.series_of_measure("cases").count(), 4);
    }
}
