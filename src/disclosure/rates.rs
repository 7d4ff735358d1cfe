//! Figures of the data made of others (README, "Privacy", "Rates from the
//! source" and "FTE of a hidden count"): a percentage or ratio that comes
//! with the data, such as DfE's agency rate (agency workers over agency
//! workers and staff in post), gives back a count insyn hides when the other
//! figures it is made of are published: 3.1 % of 4 + 126 is 4. So does the
//! FTE of the same people: 4 agency FTE beside agency workers shown as `<5`
//! are 4 workers. insyn hides its own ratios built on a hidden value; these
//! are recognised by their numbers, and hidden wherever a figure they are
//! made of is.

use std::collections::BTreeMap;

use crate::data::{Dataset, MeasureUnit, Period, SeriesKey, Status, Value, Withheld};

/// A measure of the data made of others, and what its values read where
/// one of those is hidden.
#[derive(Debug, Clone, PartialEq)]
pub struct MadeOf {
    pub measure: String,
    pub from: Vec<String>,
    pub why: Withheld,
}

/// Every measure of the data as read that is made of others: a rate of two
/// (see [`source_rates`]) or the FTE of a count (see [`fte_of_counts`]).
pub fn made_of_others(data: &Dataset) -> Vec<MadeOf> {
    let mut made = source_rates(data);
    made.extend(fte_of_counts(data));
    made
}

/// The shapes a rate `r` of `a` and `b` is looked for in: `a / b` and
/// `a / (a + b)`, each as a fraction or per cent.
const SHAPES: [(f64, bool); 4] = [(1.0, false), (100.0, false), (1.0, true), (100.0, true)];

/// Points a rate must have in which its first figure is above zero (a
/// rate of nothing is zero whatever it divides by).
const MIN_POINTS: usize = 8;

/// Every percentage or ratio measure of the data as read (not one insyn
/// computes) that is, within its own rounding, a rate of two count or FTE
/// measures, for the same unit, group and period, in nine points of ten
/// where all three are known (and eight at least).
pub fn source_rates(data: &Dataset) -> Vec<MadeOf> {
    let measures = &data.measures.measures;
    let rates: Vec<&str> = measures
        .values()
        .filter(|m| !m.is_derived() && matches!(m.unit, MeasureUnit::Percent | MeasureUnit::Ratio))
        .map(|m| m.id.as_str())
        .collect();
    if rates.is_empty() {
        return Vec::new();
    }
    let figures: Vec<&str> = measures
        .values()
        .filter(|m| !m.is_derived() && matches!(m.unit, MeasureUnit::Count | MeasureUnit::Fte))
        .map(|m| m.id.as_str())
        .collect();
    let by_measure = by_measure(data);
    let mut found = Vec::new();
    for rate in rates {
        let Some(rate_series) = by_measure.get(rate) else {
            continue;
        };
        let tolerance = half_last_digit(rate_series.values().flat_map(|s| s.points.values()));
        'pairs: for a in &figures {
            for b in &figures {
                if a == b {
                    continue;
                }
                let (Some(a_series), Some(b_series)) = (by_measure.get(a), by_measure.get(b))
                else {
                    continue;
                };
                for shape in SHAPES {
                    if holds(rate_series, a_series, b_series, shape, tolerance) {
                        found.push(MadeOf {
                            measure: rate.to_string(),
                            from: vec![a.to_string(), b.to_string()],
                            why: Withheld::Ratio,
                        });
                        continue 'pairs;
                    }
                }
            }
        }
    }
    found
}

/// Each measure's series by (unit, group): one look-up per pair.
fn by_measure(data: &Dataset) -> BTreeMap<&str, ByUnit<'_>> {
    let mut by_measure: BTreeMap<&str, ByUnit> = BTreeMap::new();
    for (key, series) in &data.series {
        by_measure
            .entry(key.measure.as_str())
            .or_default()
            .insert((key.unit.as_str(), key.group.as_deref()), series);
    }
    by_measure
}

/// Every FTE measure of the data as read that is the FTE of the people a
/// count measure counts: for the same unit, group and period, never more
/// than the count (to rounding) and at least half of it, in nine points of
/// ten with the count above zero (eight at least). Beside a count hidden as
/// `<5`, 4 FTE say there are 4.
pub fn fte_of_counts(data: &Dataset) -> Vec<MadeOf> {
    let measures = &data.measures.measures;
    let of_unit = |unit: MeasureUnit| -> Vec<&str> {
        measures
            .values()
            .filter(|m| !m.is_derived() && m.unit == unit)
            .map(|m| m.id.as_str())
            .collect()
    };
    let (ftes, counts) = (of_unit(MeasureUnit::Fte), of_unit(MeasureUnit::Count));
    let by_measure = by_measure(data);
    let mut found = Vec::new();
    for fte in &ftes {
        let Some(fte_series) = by_measure.get(fte) else {
            continue;
        };
        let from: Vec<String> = counts
            .iter()
            .filter(|count| {
                by_measure
                    .get(*count)
                    .is_some_and(|c| same_people(fte_series, c))
            })
            .map(|count| count.to_string())
            .collect();
        if !from.is_empty() {
            found.push(MadeOf {
                measure: fte.to_string(),
                from,
                why: Withheld::Protects,
            });
        }
    }
    found
}

/// The values of the FTE measure `made` (see [`fte_of_counts`]) beside a
/// count of its people that is a small count (`small`) or suppressed at
/// the source: they are hidden with it, before the sums are protected, so
/// that secondary suppression protects them in their sums too.
pub fn fte_beside_hidden_counts(
    view: &Dataset,
    made: &MadeOf,
    small: impl Fn(&SeriesKey, Period) -> bool,
) -> Vec<(SeriesKey, Period)> {
    let mut found = Vec::new();
    for (key, series) in view
        .series
        .iter()
        .filter(|(k, _)| k.measure == made.measure)
    {
        for period in series
            .points
            .iter()
            .filter(|(_, o)| o.value.number.is_some())
            .map(|(p, _)| p)
        {
            let hidden = made.from.iter().any(|count| {
                let count_key = SeriesKey {
                    measure: count.clone(),
                    ..key.clone()
                };
                small(&count_key, *period)
                    || view
                        .series_for(&count_key)
                        .and_then(|s| s.get(*period))
                        .is_some_and(|v| v.status == Status::Suppressed)
            });
            if hidden {
                found.push((key.clone(), *period));
            }
        }
    }
    found
}

/// Whether `fte` is at most `count` (and a rounding of it) and at least
/// half of it in nine points of ten with `count` above zero, of eight at
/// least.
fn same_people(fte: &ByUnit, count: &ByUnit) -> bool {
    let (mut points, mut misses) = (0usize, 0usize);
    for (unit, f_series) in fte {
        let Some(c_series) = count.get(unit) else {
            continue;
        };
        for (period, obs) in &f_series.points {
            let (Some(f), Some(c)) = (
                obs.value.number,
                c_series.get(*period).and_then(|v| v.number),
            ) else {
                continue;
            };
            if c <= 0.0 {
                continue;
            }
            points += 1;
            if f > c + 0.05 || f < 0.5 * c {
                misses += 1;
                if misses >= 20 && 2 * misses > points {
                    return false;
                }
            }
        }
    }
    points >= MIN_POINTS && misses * 10 <= points
}

/// Half a unit of the last decimal the values are written with (up to six).
fn half_last_digit<'a>(values: impl Iterator<Item = &'a crate::data::Observation>) -> f64 {
    let decimals = values
        .filter_map(|o| o.value.number)
        .map(|n| {
            (0..6)
                .find(|&d| {
                    let scaled = n * 10f64.powi(d);
                    (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
                })
                .unwrap_or(6)
        })
        .max()
        .unwrap_or(0);
    0.5 * 10f64.powi(-decimals) + 1e-9
}

type ByUnit<'a> = BTreeMap<(&'a str, Option<&'a str>), &'a crate::data::Series>;

/// Whether `rate` is `scale · a / b` (or `scale · a / (a + b)`) within
/// `tolerance` in nine points of ten with `a` above zero, of eight at least.
fn holds(
    rate: &ByUnit,
    a: &ByUnit,
    b: &ByUnit,
    (scale, of_sum): (f64, bool),
    tolerance: f64,
) -> bool {
    let (mut points, mut misses) = (0usize, 0usize);
    for (unit, r_series) in rate {
        let (Some(a_series), Some(b_series)) = (a.get(unit), b.get(unit)) else {
            continue;
        };
        for (period, obs) in &r_series.points {
            let number = |s: &crate::data::Series, p: Period| s.get(p).and_then(|v| v.number);
            let (Some(r), Some(x), Some(y)) = (
                obs.value.number,
                number(a_series, *period),
                number(b_series, *period),
            ) else {
                continue;
            };
            let divisor = if of_sum { x + y } else { y };
            if x <= 0.0 || divisor <= 0.0 {
                continue;
            }
            points += 1;
            if (r - scale * x / divisor).abs() > tolerance {
                misses += 1;
                // Most pairs are no rate: given up once half the points
                // read so far miss (a rate misses one in ten at most).
                if misses >= 20 && 2 * misses > points {
                    return false;
                }
            }
        }
    }
    points >= MIN_POINTS && misses * 10 <= points
}

/// Hides each value of a rate made of others (see [`source_rates`])
/// wherever one of those is hidden (withheld by insyn, or suppressed at the
/// source) for the same unit, group and period: it reads `x`, like insyn's
/// own ratio on a hidden value. Returns how many were hidden.
pub fn withhold_made_of_hidden(view: &mut Dataset, made: &[MadeOf]) -> usize {
    let mut hidden = 0;
    for rate in made {
        let keys: Vec<SeriesKey> = view
            .series
            .keys()
            .filter(|k| k.measure == rate.measure)
            .cloned()
            .collect();
        for key in keys {
            let withheld_periods: Vec<Period> = rate
                .from
                .iter()
                .filter_map(|from| {
                    view.series_for(&SeriesKey {
                        measure: from.clone(),
                        ..key.clone()
                    })
                })
                .flat_map(|s| s.points.iter())
                .filter(|(_, o)| matches!(o.value.status, Status::Withheld(_) | Status::Suppressed))
                .map(|(p, _)| *p)
                .collect();
            let Some(series) = view.series.get_mut(&key) else {
                continue;
            };
            for period in withheld_periods {
                if let Some(obs) = series.points.get_mut(&period)
                    && obs.value.number.is_some()
                {
                    obs.value = Value::symbol(Status::Withheld(rate.why));
                    hidden += 1;
                }
            }
        }
    }
    hidden
}
