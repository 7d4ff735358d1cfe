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

use rustc_hash::FxHashMap as HashMap;

use super::secondary::{State, Table};
use crate::data::{Dataset, MeasureUnit, Period, Series, SeriesKey, Status, Value, Withheld};
use crate::disclosure::relations::Relations;

/// A measure of the data made of others.
#[derive(Debug, Clone, PartialEq)]
pub struct MadeOf {
    pub measure: String,
    pub from: Vec<String>,
}

/// The measures of the data as read that are made of others.
#[derive(Debug, Default)]
pub struct MadeOfOthers {
    /// Rates of two figures (see [`source_rates`]): hidden beside any
    /// hidden figure they are made of, once the view is made.
    pub rates: Vec<MadeOf>,
    /// FTE of the people a count counts (see [`fte_of_counts`]): hidden
    /// with the count, and protected in their own sums.
    pub ftes: Vec<MadeOf>,
}

/// Every measure of the data as read that is made of others.
pub fn made_of_others(data: &Dataset) -> MadeOfOthers {
    let by_measure = by_measure(data);
    MadeOfOthers {
        rates: source_rates(data, &by_measure),
        ftes: fte_of_counts(data, &by_measure),
    }
}

/// The shapes a rate `r` of `a` and `b` is looked for in: `a / b` and
/// `a / (a + b)`, each as a fraction or per cent.
const SHAPES: [(f64, bool); 4] = [(1.0, false), (100.0, false), (1.0, true), (100.0, true)];

/// The points a relation must hold in: nine of ten, and eight at least.
const MIN_POINTS: usize = 8;

/// Each measure's series by (unit, group), so that a pair of measures is
/// compared with one look-up per unit.
type ByUnit<'a> = BTreeMap<(&'a str, Option<&'a str>), &'a Series>;

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

/// The ids of the measures of `data` (not those insyn computes) in `units`.
fn measures_in<'a>(data: &'a Dataset, units: &[MeasureUnit]) -> Vec<&'a str> {
    data.measures
        .measures
        .values()
        .filter(|m| !m.is_derived() && units.contains(&m.unit))
        .map(|m| m.id.as_str())
        .collect()
}

/// Every percentage or ratio measure of the data as read that is, within
/// its own rounding, a rate of two count or FTE measures, for the same
/// unit, group and period, in nine points of ten where all three are known
/// and the first is above zero (a rate of nothing is zero whatever it
/// divides by).
fn source_rates(data: &Dataset, by_measure: &BTreeMap<&str, ByUnit>) -> Vec<MadeOf> {
    let figures = measures_in(data, &[MeasureUnit::Count, MeasureUnit::Fte]);
    let mut found = Vec::new();
    for rate in measures_in(data, &[MeasureUnit::Percent, MeasureUnit::Ratio]) {
        let Some(rate_series) = by_measure.get(rate) else {
            continue;
        };
        let tolerance = half_last_digit(rate_series.values().flat_map(|s| s.points.values()));
        for a in &figures {
            let Some(a_series) = by_measure.get(a) else {
                continue;
            };
            let b = figures.iter().filter(|b| b != &a).find(|b| {
                by_measure.get(*b).is_some_and(|b_series| {
                    SHAPES.iter().any(|&(scale, of_sum)| {
                        mostly(
                            aligned(rate_series, [a_series, b_series]).map(|(r, [x, y])| {
                                let divisor = if of_sum { x + y } else { y };
                                (x > 0.0 && divisor > 0.0)
                                    .then(|| (r - scale * x / divisor).abs() <= tolerance)
                            }),
                        )
                    })
                })
            });
            if let Some(b) = b {
                found.push(MadeOf {
                    measure: rate.to_string(),
                    from: vec![a.to_string(), b.to_string()],
                });
            }
        }
    }
    found
}

/// Every FTE measure of the data as read that is the FTE of the people a
/// count measure counts: for the same unit, group and period, never more
/// than the count (to rounding) and at least half of it, in nine points of
/// ten with the count above zero. Beside a count hidden as `<5`, 4 FTE say
/// there are 4.
fn fte_of_counts(data: &Dataset, by_measure: &BTreeMap<&str, ByUnit>) -> Vec<MadeOf> {
    let counts = measures_in(data, &[MeasureUnit::Count]);
    let mut found = Vec::new();
    for fte in measures_in(data, &[MeasureUnit::Fte]) {
        let Some(fte_series) = by_measure.get(fte) else {
            continue;
        };
        let from: Vec<String> = counts
            .iter()
            .filter(|count| {
                by_measure.get(*count).is_some_and(|count_series| {
                    mostly(
                        aligned(fte_series, [count_series])
                            .map(|(f, [c])| (c > 0.0).then_some(f <= c + 0.05 && f >= 0.5 * c)),
                    )
                })
            })
            .map(|count| count.to_string())
            .collect();
        if !from.is_empty() {
            found.push(MadeOf {
                measure: fte.to_string(),
                from,
            });
        }
    }
    found
}

/// The number of `first` and of each of `others` at every unit, group and
/// period where all of them have one.
fn aligned<'a, const N: usize>(
    first: &'a ByUnit,
    others: [&'a ByUnit; N],
) -> impl Iterator<Item = (f64, [f64; N])> + 'a {
    first
        .iter()
        .filter_map(move |(unit, series)| {
            let others: Vec<&Series> = others
                .iter()
                .map(|o| o.get(unit).copied())
                .collect::<Option<_>>()?;
            let others: [&Series; N] = others.try_into().ok()?;
            Some((series, others))
        })
        .flat_map(|(series, others)| {
            series.points.iter().filter_map(move |(period, obs)| {
                let mut numbers = [0.0; N];
                for (n, s) in numbers.iter_mut().zip(others) {
                    *n = s.get(*period)?.number?;
                }
                Some((obs.value.number?, numbers))
            })
        })
}

/// Whether a relation holds in nine points of ten, of eight at least, given
/// each point's verdict (`None`: not a point of it). Most pairs of measures
/// are no relation: given up once half the points read so far miss.
fn mostly(verdicts: impl Iterator<Item = Option<bool>>) -> bool {
    let (mut points, mut misses) = (0usize, 0usize);
    for holds in verdicts.flatten() {
        points += 1;
        if !holds {
            misses += 1;
            if misses >= 20 && 2 * misses > points {
                return false;
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

/// Whether a value of `made` (for the series `key`, at `period`) stands
/// beside a figure it is made of that `hidden` says is hidden.
fn beside_hidden(
    made: &MadeOf,
    key: &SeriesKey,
    period: Period,
    hidden: impl Fn(&SeriesKey, Period) -> bool,
) -> bool {
    made.from.iter().any(|from| {
        hidden(
            &SeriesKey {
                measure: from.clone(),
                ..key.clone()
            },
            period,
        )
    })
}

/// Whether `key` at `period` is suppressed at the source.
fn suppressed(view: &Dataset, key: &SeriesKey, period: Period) -> bool {
    view.series_for(key)
        .and_then(|s| s.get(period))
        .is_some_and(|v| v.status == Status::Suppressed)
}

/// The values of the FTE measure `made` beside a count of its people that
/// is a small count (`small`) or suppressed at the source: they are hidden
/// with it, before the sums are protected, so that secondary suppression
/// protects them in their sums too.
pub fn fte_beside_hidden_counts(
    view: &Dataset,
    made: &MadeOf,
    small: impl Fn(&SeriesKey, Period) -> bool,
) -> Vec<(SeriesKey, Period)> {
    let mut found = Vec::new();
    for (key, series) in view.series_of_measure(&made.measure) {
        for (&period, obs) in &series.points {
            if obs.value.number.is_some()
                && beside_hidden(made, key, period, |k, p| {
                    small(k, p) || suppressed(view, k, p)
                })
            {
                found.push((key.clone(), period));
            }
        }
    }
    found
}

/// The FTE (of `ftes`) of each count that secondary suppression hid in
/// `table`, since `protecting` (its first round): 19 FTE say the count is
/// 19 to 38. Each is hidden too, in the table (and the sums protected
/// again, until a round hides nothing new) or, where it is in no sum, in
/// the list returned. Every cell the table hid is added to `protecting`.
pub fn hide_fte_of_protecting(
    table: &mut Table,
    relations: &Relations,
    ftes: &[MadeOf],
    view: &Dataset,
    protecting: &mut Vec<usize>,
) -> Vec<(SeriesKey, Period)> {
    let mut outside_sums = Vec::new();
    if ftes.is_empty() {
        return outside_sums;
    }
    let index: HashMap<(&SeriesKey, Period), usize> = table
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| ((relations.series(*c), c.period), i))
        .collect();
    let mut round = protecting.clone();
    while !round.is_empty() {
        let mut newly = Vec::new();
        for &i in &round {
            let cell = table.cells[i];
            let key = relations.series(cell);
            for made in ftes.iter().filter(|m| m.from.contains(&key.measure)) {
                let fte_key = SeriesKey {
                    measure: made.measure.clone(),
                    ..key.clone()
                };
                match index.get(&(&fte_key, cell.period)) {
                    Some(&j) if table.state[j] == State::Shown => {
                        table.state[j] = State::Hidden;
                        newly.push(j);
                    }
                    Some(_) => {}
                    None => {
                        let shown = view
                            .series_for(&fte_key)
                            .and_then(|s| s.get(cell.period))
                            .is_some_and(|v| v.number.is_some());
                        if shown {
                            outside_sums.push((fte_key, cell.period));
                        }
                    }
                }
            }
        }
        if newly.is_empty() {
            break;
        }
        protecting.extend(&newly);
        round = table.protect();
        protecting.extend(&round);
    }
    outside_sums
}

/// Hides each value of a rate (see [`source_rates`]) wherever a figure it
/// is made of is hidden (withheld by insyn, or suppressed at the source)
/// for the same unit, group and period: it reads `x`, like insyn's own
/// ratio on a hidden value. Returns how many were hidden.
pub fn withhold_rates(
    view: &mut Dataset,
    rates: &[MadeOf],
    figures: &mut super::WithheldFigures,
) -> usize {
    let hidden_at = |view: &Dataset, k: &SeriesKey, p: Period| {
        view.series_for(k)
            .and_then(|s| s.get(p))
            .is_some_and(|v| matches!(v.status, Status::Withheld(_) | Status::Suppressed))
    };
    let mut hide = Vec::new();
    for rate in rates {
        for (key, series) in view.series_of_measure(&rate.measure) {
            for (&period, obs) in &series.points {
                if obs.value.number.is_some()
                    && beside_hidden(rate, key, period, |k, p| hidden_at(view, k, p))
                {
                    hide.push((key.clone(), period));
                }
            }
        }
    }
    for (key, period) in &hide {
        if let Some(obs) = view
            .series
            .get_mut(key)
            .and_then(|s| s.points.get_mut(period))
        {
            if let Some(n) = obs.value.number {
                figures.add(key, *period, n);
            }
            obs.value = Value::symbol(Status::Withheld(Withheld::Ratio));
        }
    }
    hide.len()
}
