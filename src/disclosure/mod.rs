//! Disclosure control for the whole publication (H9): the one door between
//! the data as read and everything published.
//!
//! [`disclose`] takes the loaded [`Dataset`] (never changed) and returns the
//! published view: the same shape, with every total the site shows (parent
//! roll-ups, area totals, derived ratios) computed first, and every value a
//! reader must not learn replaced by a status saying why
//! ([`Status::Withheld`]):
//!
//! 1. small units, per period: a unit under `min_unit_fte` in a period
//!    (judged on the staffing a ratio divides by) shows nothing for that
//!    period (`SmallUnit`); its values still count in the totals;
//! 2. primary suppression: counts from 1 to `suppress_below - 1`
//!    (`SmallCount`, shown `<5`);
//! 3. secondary suppression: where a published sum (parent, area total,
//!    groups) would give a withheld value away by subtraction, the smallest
//!    other value of that sum is withheld too (`Protects`), until no sum
//!    can, alone or together with others;
//! 4. ratios on a withheld value, or dividing by staffing under
//!    `min_unit_fte`, are withheld (`Ratio`);
//! 5. an independent [`audit`] of the view: every withheld value it can
//!    work out is an error of the build.
//!
//! Every output (pages, charts, tables, descriptions, inline figures,
//! downloads, feeds, the revisions page) reads only the view.

mod audit;
mod bounds;
mod rates;
pub mod relations;
mod secondary;
mod small_units;
pub mod totals;

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap as HashMap;

use crate::data::privacy::{is_small_count, is_too_few_staff};
use crate::data::{Dataset, MeasureUnit, Period, SeriesKey, Status, Value, Withheld};
use crate::text::Lang;

pub use crate::data::WithheldFigures;
pub use audit::{Finding, audit};
pub use relations::{Cell, CellKey, Relation, RelationKind, Relations};
pub use small_units::SmallUnits;

/// The rules, from `[privacy]` in site.toml.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub suppress_below: u32,
    pub min_unit_fte: f64,
    /// Secondary suppression; off only in tests that prove the audit
    /// notices its absence.
    pub secondary: bool,
}

/// How many values were withheld, and why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Small counts (`<5`) and ratios on them or on small staffing.
    pub primary: usize,
    /// Values of small units in the periods they were small.
    pub small_unit: usize,
    /// Hidden to protect another value.
    pub secondary: usize,
    /// Suppressed at the source (`x` in the data).
    pub source: usize,
}

/// The published view and what disclosure control did to make it.
pub struct Disclosure {
    /// What every output reads.
    pub view: Dataset,
    /// Units never published on their own → their parent.
    pub folded: BTreeMap<String, Option<String>>,
    /// Per unit, the periods withheld because it was small then.
    pub small: SmallUnits,
    /// The ids of the per-area totals.
    pub area_totals: BTreeSet<String>,
    pub counts: Counts,
    /// Withheld values the audit could still work out (none, unless
    /// something is wrong).
    pub findings: Vec<Finding>,
    /// The numbers withheld, which a page must not print by hand.
    pub withheld_figures: WithheldFigures,
}

impl Counts {
    /// `disclosure control: n primary, m secondary suppressions, …; d derivable`
    pub fn summary(&self, derivable: usize) -> String {
        format!(
            "disclosure control: {} primary, {} secondary suppressions, {} values of small units withheld; {derivable} derivable",
            self.primary, self.secondary, self.small_unit
        )
    }
}

/// Turns the data as read into the published view (see the module doc).
/// The data is taken, not copied: the view is made in place, once per
/// build. `revised` are the values changed since the newest edition: they
/// read `r` (revised), and so do the totals and ratios built on them.
///
/// `earlier` is the published view of the newest edition (see
/// `site::revisions`), when values changed since: what it showed of a
/// value that did not change, a reader still has from the archive, so
/// hiding it now protects nothing. Secondary suppression hides other values
/// instead, and the audit counts those as known.
pub fn disclose(
    data: Dataset,
    rules: Rules,
    lang: Lang,
    headline_staffing: Option<&str>,
    revised: &[CellKey],
    earlier: Option<&Dataset>,
) -> Disclosure {
    // The relations are dropped once audited: at ten thousand units they
    // name millions of values, and nothing after the audit reads them.
    disclose_with_relations(data, rules, lang, headline_staffing, revised, earlier).0
}

/// [`disclose`], with the additive relations it protected and audited.
pub fn disclose_with_relations(
    data: Dataset,
    rules: Rules,
    lang: Lang,
    headline_staffing: Option<&str>,
    revised: &[CellKey],
    earlier: Option<&Dataset>,
) -> (Disclosure, Relations) {
    let first = crate::timings::Span::new("disclosure: totals, primary");
    let mut view = data;
    mark_revised(&mut view, revised);
    // Recognised in the numbers as read, before any is hidden.
    let made_of_others = rates::made_of_others(&view);
    let area_members = totals::add_area_totals(&mut view, lang);
    totals::roll_up(&mut view, &area_members);
    let small = small_units::judge(&view, rules.min_unit_fte, headline_staffing);
    // What the newest edition published of a value (its totals included)
    // that is the same today: a reader has it from the archive.
    let public_values: HashMap<(&SeriesKey, Period), f64> = earlier
        .map(|earlier| {
            earlier
                .series
                .iter()
                .flat_map(|(k, s)| s.points.iter().map(move |(p, o)| (k, *p, o.value.number)))
                .filter_map(|(k, p, n)| {
                    let n = n?;
                    let now = view.series_for(k)?.get(p)?.number?;
                    (now == n).then_some(((k, p), n))
                })
                .collect()
        })
        .unwrap_or_default();
    let public = |k: &SeriesKey, p: Period| public_values.get(&(k, p)).copied();

    // Primary: what each value of the data is, before any sum is looked at.
    // Per series, so that a look-up needs no key of its own.
    let mut withheld: HashMap<SeriesKey, BTreeMap<Period, Withheld>> = HashMap::default();
    for (key, series) in &view.series {
        let Some(m) = view.measure(&key.measure) else {
            continue;
        };
        if m.is_derived() {
            continue;
        }
        let mut of_series = BTreeMap::new();
        for (period, obs) in &series.points {
            if small.is_small(&key.unit, *period) {
                of_series.insert(*period, Withheld::SmallUnit);
            } else if m.unit.is_count()
                && obs
                    .value
                    .number
                    .is_some_and(|n| is_small_count(n, rules.suppress_below))
            {
                of_series.insert(*period, Withheld::SmallCount);
            }
        }
        if !of_series.is_empty() {
            withheld.insert(key.clone(), of_series);
        }
    }

    // The FTE of the people a hidden count counts gives it back (4 FTE
    // beside `<5`): hidden with it, so that the sums protect it too.
    for made in &made_of_others.ftes {
        let small = |k: &SeriesKey, p: Period| {
            withheld.get(k).and_then(|w| w.get(&p)) == Some(&Withheld::SmallCount)
        };
        for (key, period) in rates::fte_beside_hidden_counts(&view, made, small) {
            protect_also(&mut withheld, key, period);
        }
    }

    // Secondary: protect them in every published sum.
    drop(first);
    let relations = crate::timings::stage("disclosure: sums", || {
        relations::relations(&view, &area_members)
    });
    let value_of = |k: &SeriesKey, p: Period| view.series_for(k).and_then(|s| s.get(p)).copied();
    let stage = crate::timings::Span::new("disclosure: secondary");
    let mut table = secondary::Table::new(
        &relations,
        |k, p| {
            if withheld.get(k).is_some_and(|w| w.contains_key(&p)) {
                return secondary::State::Hidden;
            }
            match value_of(k, p) {
                Some(v) if v.number.is_some() => secondary::State::Shown,
                Some(v) if v.status == Status::Suppressed => secondary::State::Hidden,
                _ => secondary::State::Unknown,
            }
        },
        |k, p| value_of(k, p).and_then(|v| v.number),
    )
    .with_ranges(
        &relations,
        rules.suppress_below,
        |k, p| {
            withheld
                .get(k)
                .and_then(|w| w.get(&p))
                .is_some_and(|w| *w == Withheld::SmallCount)
        },
        |k| view.measure(&k.measure).is_some_and(|m| m.unit.is_count()),
    );
    // Without an earlier edition to compare, nothing is known beside the
    // view: no look-up per value.
    if !public_values.is_empty() {
        table = table.with_public(&relations, |k, p| public(k, p).is_some());
    }
    let mut protecting = if rules.secondary {
        table.protect()
    } else {
        Vec::new()
    };
    // The FTE of a count hidden to protect another says roughly what the
    // count is: hidden with it, and protected in its own sums in turn.
    if rules.secondary {
        let outside_sums = rates::hide_fte_of_protecting(
            &mut table,
            &relations,
            &made_of_others.ftes,
            &view,
            &mut protecting,
        );
        for (key, period) in outside_sums {
            protect_also(&mut withheld, key, period);
        }
    }
    for i in protecting {
        let cell = table.cells[i];
        let key = relations.series(cell);
        if let Some(w) = withheld.get_mut(key) {
            w.insert(cell.period, Withheld::Protects);
        } else {
            withheld.insert(
                key.clone(),
                BTreeMap::from([(cell.period, Withheld::Protects)]),
            );
        }
    }
    // A copy of every value of every relation: not kept past its use.
    drop(table);
    drop(stage);

    // The view: withheld values lose their number, ratios are computed
    // again from what is left.
    let last = crate::timings::Span::new("disclosure: the view");
    let mut counts = Counts::default();
    let mut figures = WithheldFigures::default();
    // A ratio on a withheld value gives it back as well as the value does;
    // its number is read before the ratios are computed again.
    let ratios_of = ratios_by_part(&view);
    for (key, of_series) in &withheld {
        for period in of_series.keys() {
            for ratio in ratios_of.get(key.measure.as_str()).into_iter().flatten() {
                let ratio_key = SeriesKey {
                    measure: ratio.clone(),
                    ..key.clone()
                };
                if let Some(n) = view
                    .series_for(&ratio_key)
                    .and_then(|s| s.get(*period))
                    .and_then(|v| v.number)
                {
                    figures.add(&ratio_key, *period, n);
                }
            }
        }
        let mut series = view.series.get_mut(key);
        for (period, why) in of_series {
            match why {
                Withheld::SmallUnit => counts.small_unit += 1,
                Withheld::Protects => counts.secondary += 1,
                Withheld::SmallCount | Withheld::Ratio => counts.primary += 1,
            }
            if let Some(obs) = series.as_mut().and_then(|s| s.points.get_mut(period)) {
                if let Some(n) = obs.value.number {
                    figures.add(key, *period, n);
                }
                obs.value = Value::symbol(Status::Withheld(*why));
            }
        }
    }
    drop(withheld);
    counts.source = view
        .series
        .values()
        .flat_map(|s| s.points.values())
        .filter(|o| o.value.status == Status::Suppressed)
        .count();
    crate::data::derived::compute_derived(&view.measures, &mut view.series);
    counts.primary += withhold_ratios(&mut view, rules.min_unit_fte, &mut figures);
    // Rates are no sums: hidden beside every hidden figure they are made
    // of, the secondary suppressions included.
    counts.primary += rates::withhold_rates(&mut view, &made_of_others.rates, &mut figures);
    figures.sort();

    drop(last);
    let findings = crate::timings::stage("disclosure audit", || {
        audit(&view, &relations, rules.suppress_below, public)
    });
    let disclosure = Disclosure {
        folded: small.whole.clone(),
        small,
        area_totals: area_members.keys().cloned().collect(),
        counts,
        findings,
        withheld_figures: figures,
        view,
    };
    (disclosure, relations)
}

/// The ratio measures each measure is a part of (numerator or
/// denominator), by the part's id.
fn ratios_by_part(view: &Dataset) -> HashMap<String, Vec<String>> {
    let mut of: HashMap<String, Vec<String>> = HashMap::default();
    for m in view.measures.measures.values() {
        if let Some((num, den)) = &m.ratio {
            for part in [num, den] {
                of.entry(part.clone()).or_default().push(m.id.clone());
            }
        }
    }
    of
}

/// Marks `key` at `period` as hidden to protect another value, unless it
/// is withheld already.
fn protect_also(
    withheld: &mut HashMap<SeriesKey, BTreeMap<Period, Withheld>>,
    key: SeriesKey,
    period: Period,
) {
    withheld
        .entry(key)
        .or_default()
        .entry(period)
        .or_insert(Withheld::Protects);
}

/// A changed value reads `r`; a provisional one stays provisional, the
/// stronger caveat.
fn mark_revised(data: &mut Dataset, revised: &[CellKey]) {
    for (key, period) in revised {
        if let Some(obs) = data
            .series
            .get_mut(key)
            .and_then(|s| s.points.get_mut(period))
            && obs.value.number.is_some()
            && obs.value.status == Status::Final
        {
            obs.value.status = Status::Revised;
        }
    }
}

/// Marks every derived ratio built on a withheld value, or dividing by
/// staffing under `min_unit_fte`, as a withheld ratio. Returns how many
/// ratios were withheld for staffing or on a small count.
fn withhold_ratios(view: &mut Dataset, min_unit_fte: f64, figures: &mut WithheldFigures) -> usize {
    let ratios: Vec<(String, String)> = view
        .measures
        .measures
        .values()
        .filter_map(|m| m.ratio.as_ref().map(|(_, den)| (m.id.clone(), den.clone())))
        .collect();
    let mut added = 0;
    for (id, den) in ratios {
        let den_is_fte = view
            .measure(&den)
            .is_some_and(|m| m.unit == MeasureUnit::Fte);
        let keys: Vec<SeriesKey> = view
            .series
            .keys()
            .filter(|k| k.measure == id)
            .cloned()
            .collect();
        for key in keys {
            let den_key = SeriesKey {
                measure: den.clone(),
                ..key.clone()
            };
            let small_den: BTreeSet<Period> = view
                .series_for(&den_key)
                .into_iter()
                .flat_map(|s| &s.points)
                .filter(|(_, o)| {
                    den_is_fte
                        && o.value
                            .number
                            .is_some_and(|n| is_too_few_staff(n, min_unit_fte))
                })
                .map(|(p, _)| *p)
                .collect();
            let Some(series) = view.series.get_mut(&key) else {
                continue;
            };
            for (period, obs) in series.points.iter_mut() {
                // A ratio on a small count is not itself under 5: it reads
                // `x`, a withheld ratio, never `<5`.
                let why = match obs.value.status {
                    Status::Withheld(Withheld::SmallCount) => Some(Withheld::Ratio),
                    Status::Withheld(w) => Some(w),
                    _ if small_den.contains(period) => Some(Withheld::Ratio),
                    _ => None,
                };
                if let Some(why) = why {
                    if matches!(why, Withheld::Ratio | Withheld::SmallCount) {
                        added += 1;
                    }
                    if let Some(n) = obs.value.number {
                        figures.add(&key, *period, n);
                    }
                    obs.value = Value::symbol(Status::Withheld(why));
                }
            }
        }
    }
    added
}

#[cfg(test)]
mod tests;
