//! The plain-language description of a chart (H6): its alt text and the
//! text beside it, built from the same cells that are drawn. The sentences
//! are the language's own (`crate::i18n::Phrases`); this module decides
//! what to say.

use std::collections::BTreeSet;

use crate::chart::chart_type::ChartType;
use crate::chart::model::{Cell, Chart, Line};
use crate::data::{MeasureUnit, Period, Status};
use crate::format::{self, lc_first};
use crate::i18n::{Level, Movement, Shift, status_meaning};
use crate::text::Lang;

/// The description of `chart`; `unit_name` is the unit it is about.
pub(crate) fn describe(chart: &Chart, index_base: Option<Period>, unit_name: &str) -> String {
    let mut out = match chart.chart_type {
        ChartType::Growth => growth(chart, index_base, unit_name),
        ChartType::Compare => compare(chart),
        _ => lines(chart, unit_name),
    };
    if let Some(caveats) = caveats(chart) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&caveats);
    }
    out
}

/// A figure as it reads in a sentence: `431 (preliminärt)`, `färre än 5`,
/// `dolt`; `all_provisional` leaves the provisional mark to the caveats.
fn figure(cell: Cell, unit: MeasureUnit, lang: Lang, all_provisional: bool) -> String {
    let w = lang.words();
    match cell {
        Cell::Num(n, Status::Final) => format::value(n, unit, lang),
        Cell::Num(n, Status::Provisional) if all_provisional => format::value(n, unit, lang),
        Cell::Num(n, Status::Provisional) => {
            format!("{} ({})", format::value(n, unit, lang), w.provisional)
        }
        Cell::Num(n, s) => format!(
            "{} ({})",
            format::value(n, unit, lang),
            status_meaning(s, lang)
        ),
        Cell::Suppressed {
            below,
            derived: false,
        } => lang.phrases().fewer_than(below),
        // Why it is hidden is in the limitations; a sentence only says that it is.
        Cell::Suppressed { derived: true, .. } | Cell::Symbol(Status::Withheld(_)) => {
            w.hidden.to_string()
        }
        Cell::Symbol(s) => status_meaning(s, lang).to_string(),
        Cell::Missing => w.status_not_available.to_string(),
        Cell::Uncomputable => w.status_uncomputable.to_string(),
    }
}

/// A figure before its noun, as a writer puts it: `571 aktuella ärenden
/// (preliminärt)`; a value that cannot be shown names what is missing:
/// `aktuella ärenden (dolt)`.
fn amount(cell: Cell, unit: MeasureUnit, noun: &str, lang: Lang) -> String {
    let value = |n: f64| format::value(n, unit, lang);
    match cell {
        Cell::Num(n, Status::Final) => format!("{} {noun}", value(n)),
        Cell::Num(n, Status::Provisional) => {
            format!("{} {}", value(n), marked(noun, lang.words().provisional))
        }
        Cell::Num(n, s) => format!("{} {}", value(n), marked(noun, status_meaning(s, lang))),
        Cell::Suppressed {
            below,
            derived: false,
        } => format!("{} {noun}", lang.phrases().fewer_than(below)),
        other => marked(noun, &figure(other, unit, lang, false)),
    }
}

/// A noun with a remark in brackets, sharing the noun's own brackets:
/// `aktuella ärenden (preliminärt)`, `konsulter (årsarbetare, preliminärt)`.
fn marked(noun: &str, remark: &str) -> String {
    match noun.strip_suffix(')') {
        Some(open) if open.contains('(') => format!("{open}, {remark})"),
        _ => format!("{noun} ({remark})"),
    }
}

/// How a series moved from `a` to `b`: percentage points for a percentage
/// (H10), a relative change otherwise, nothing from zero.
fn movement(a: f64, b: f64, unit: MeasureUnit, lang: Lang) -> Movement {
    let (size, by) = if unit == MeasureUnit::Percent {
        let diff = b - a;
        (
            (diff * 10.0).round(),
            format::change_points(diff.abs(), lang),
        )
    } else if a != 0.0 {
        let pct = (b / a - 1.0) * 100.0;
        (pct.round(), format::percent_abs(pct, lang))
    } else if b == 0.0 {
        (0.0, String::new())
    } else {
        return Movement::Unknown;
    };
    // The size without its sign: the sentence says the direction.
    let by = by.trim_start_matches(['+', '−', '±']).to_string();
    if size > 0.0 {
        Movement::Up(by)
    } else if size < 0.0 {
        Movement::Down(by)
    } else {
        Movement::Flat
    }
}

/// The first and last period with a number, and the numbers.
fn first_last(line: &Line, periods: &[Period]) -> Option<((usize, f64), (usize, f64))> {
    let mut nums = line
        .cells
        .iter()
        .take(periods.len())
        .enumerate()
        .filter_map(|(i, c)| c.number().map(|n| (i, n)));
    let first = nums.next()?;
    Some((first, nums.next_back().unwrap_or(first)))
}

fn growth(chart: &Chart, index_base: Option<Period>, unit_name: &str) -> String {
    let lang = chart.lang;
    let phrases = lang.phrases();
    let pl = |p: Period| format::period_long(p, lang);
    let base = index_base.unwrap_or(chart.periods[0]);
    let i_base = chart.periods.iter().position(|p| *p == base).unwrap_or(0);
    let i_last = chart.periods.len() - 1;
    let mut sentences = Vec::new();
    // How each indexed series moved from the base to its last value.
    let plotted: Vec<&Line> = chart.lines.iter().filter(|l| l.plotted).collect();
    let labels: Vec<String> = plotted.iter().map(|l| lc_first(&l.label)).collect();
    let shifts: Vec<(Shift, Option<usize>)> = plotted
        .iter()
        .zip(&labels)
        .map(|(l, what)| match first_last(l, &chart.periods) {
            Some((_, (i, idx))) if i != i_base => (
                Shift {
                    what,
                    movement: movement(100.0, idx, MeasureUnit::Ratio, lang),
                },
                Some(i),
            ),
            _ => (
                Shift {
                    what,
                    movement: Movement::Unknown,
                },
                None,
            ),
        })
        .collect();
    if let [(s1, to1), (s2, to2)] = shifts.as_slice() {
        match (to1, to2) {
            (Some(a), Some(b)) if a != b => {
                // The series end in different periods: one sentence each.
                for (s, to) in [(s1, a), (s2, b)] {
                    sentences.push(phrases.one_change(&pl(base), &pl(chart.periods[*to]), s));
                }
            }
            _ => {
                let to = to1.or(*to2).unwrap_or(i_last);
                sentences.push(phrases.growth_change(&pl(base), &pl(chart.periods[to]), s1, s2));
            }
        }
    }
    // The levels behind the index, figures before nouns.
    let raw: Vec<&Line> = chart.lines.iter().filter(|l| !l.plotted).collect();
    let shown = |i: usize| raw.iter().any(|l| l.cells[i].number().is_some());
    if shown(i_base) || shown(i_last) {
        let level = |i: usize| {
            let amounts: Vec<String> = raw
                .iter()
                .map(|l| amount(l.cells[i], l.format_unit, &lc_first(&l.label), lang))
                .collect();
            format::join_and(&amounts, lang)
        };
        let (first, last) = (level(i_base), level(i_last));
        let (p0, p1) = (pl(base), pl(chart.periods[i_last]));
        sentences.push(phrases.growth_levels(
            unit_name,
            &Level {
                figure: &first,
                period: &p0,
            },
            &Level {
                figure: &last,
                period: &p1,
            },
        ));
    } else {
        sentences.push(phrases.no_values(unit_name));
    }
    sentences.push(phrases.index_base(&pl(base)));
    sentences.join(" ")
}

fn compare(chart: &Chart) -> String {
    let lang = chart.lang;
    let phrases = lang.phrases();
    let p = chart.periods[0];
    let label = chart
        .lines
        .first()
        .map(|l| lc_first(&l.label))
        .unwrap_or_default();
    // When every figure is provisional the caveat says so once.
    let all_provisional = chart
        .compare
        .iter()
        .filter(|r| r.cell.number().is_some())
        .all(|r| r.cell.is_provisional());
    let items: Vec<String> = chart
        .compare
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.name,
                figure(r.cell, chart.compare_unit, lang, all_provisional)
            )
        })
        .collect();
    let mut out = phrases.compare(
        &label,
        &format::period_long(p, lang),
        chart.compare.len(),
        &items.join("; "),
    );
    if let Some(h) = chart.compare.iter().find(|r| r.highlighted) {
        out.push(' ');
        out.push_str(&phrases.highlighted(&h.name));
    }
    out
}

/// Line, bar, per-FTE and workload charts: one sentence per drawn series.
fn lines(chart: &Chart, unit_name: &str) -> String {
    let lang = chart.lang;
    let phrases = lang.phrases();
    let pl = |i: usize| format::period_long(chart.periods[i], lang);
    let mut sentences = Vec::new();
    for l in chart.lines.iter().filter(|l| l.plotted) {
        // A reference line's label names its own unit.
        let reference = chart.units.first().is_some_and(|u| *u != l.unit);
        let label = lc_first(&l.label);
        let what = if reference {
            label.clone()
        } else {
            phrases.of_unit(&label, unit_name)
        };
        let Some(((i0, a), (i1, b))) = first_last(l, &chart.periods) else {
            sentences.push(phrases.no_values(&what));
            continue;
        };
        // Counts and staff read best as a figure before its noun ("Nordost
        // hade 431 aktuella ärenden"); shares and ratios after their name.
        let counted = !reference && matches!(l.format_unit, MeasureUnit::Count | MeasureUnit::Fte);
        let at = |i: usize| {
            if counted {
                amount(l.cells[i], l.format_unit, &label, lang)
            } else {
                figure(l.cells[i], l.format_unit, lang, false)
            }
        };
        let (f0, f1, p0, p1) = (at(i0), at(i1), pl(i0), pl(i1));
        let first = Level {
            figure: &f0,
            period: &p0,
        };
        let last = Level {
            figure: &f1,
            period: &p1,
        };
        let moved = movement(a, b, l.format_unit, lang);
        sentences.push(match (counted, i0 == i1) {
            (true, true) => phrases.counted_once(unit_name, &last),
            (true, false) => phrases.counted(unit_name, &first, &last, &moved),
            (false, true) => phrases.measured_once(&what, &last),
            (false, false) => phrases.measured(&what, &first, &last, &moved),
        });
        if chart.chart_type == ChartType::Workload {
            sentences.push(lang.words().workload_meaning.to_string());
        }
    }
    sentences.join(" ")
}

/// The caveats, briefly: the full list is in the limitations.
fn caveats(chart: &Chart) -> Option<String> {
    let lang = chart.lang;
    let phrases = lang.phrases();
    let w = lang.words();
    let periods = |ps: &[Period]| {
        let long: Vec<String> = ps.iter().map(|p| format::period_long(*p, lang)).collect();
        format::join_and(&long, lang)
    };
    let mut clauses = Vec::new();
    if !chart.breaks.is_empty() {
        let at: Vec<Period> = chart.breaks.iter().map(|b| b.period).collect();
        clauses.push(phrases.caveat_breaks(&periods(&at)));
    }
    let provisional: BTreeSet<Period> = chart
        .periods
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            chart
                .lines
                .iter()
                .any(|l| l.cells.get(*i).is_some_and(|c| c.is_provisional()))
        })
        .map(|(_, p)| *p)
        .collect();
    if !provisional.is_empty() {
        let at: Vec<Period> = provisional.into_iter().collect();
        clauses.push(phrases.caveat_provisional(&periods(&at)));
    }
    let any = |f: &dyn Fn(&Cell) -> bool| {
        chart.lines.iter().any(|l| l.cells.iter().any(f))
            || chart.compare.iter().any(|r| f(&r.cell))
    };
    if any(&|c| matches!(c, Cell::Missing)) {
        clauses.push(w.caveat_missing.to_string());
    }
    if any(&|c| matches!(c, Cell::Suppressed { .. })) {
        clauses.push(w.caveat_suppressed.to_string());
    }
    if any(&|c| matches!(c, Cell::Uncomputable)) {
        clauses.push(w.caveat_uncomputable.to_string());
    }
    (!clauses.is_empty()).then(|| phrases.caveats(&clauses))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remark_shares_the_nouns_own_brackets() {
        assert_eq!(
            marked("aktuella ärenden", "preliminärt"),
            "aktuella ärenden (preliminärt)"
        );
        assert_eq!(
            marked("konsulter (årsarbetare)", "preliminärt"),
            "konsulter (årsarbetare, preliminärt)"
        );
    }

    #[test]
    fn figures_before_nouns_with_swedish_and_english_number_formatting() {
        let provisional = Cell::Num(1571.0, Status::Provisional);
        assert_eq!(
            amount(
                provisional,
                MeasureUnit::Count,
                "aktuella ärenden",
                Lang::Sv
            ),
            "1\u{a0}571 aktuella ärenden (preliminärt)"
        );
        assert_eq!(
            amount(provisional, MeasureUnit::Count, "open cases", Lang::En),
            "1,571 open cases (provisional)"
        );
        let small = Cell::Suppressed {
            below: 5,
            derived: false,
        };
        assert_eq!(
            amount(small, MeasureUnit::Count, "placerade barn", Lang::Sv),
            "färre än 5 placerade barn"
        );
        assert_eq!(
            amount(Cell::Missing, MeasureUnit::Fte, "årsarbetare", Lang::Sv),
            "årsarbetare (uppgift saknas)"
        );
        assert_eq!(
            figure(
                Cell::Num(21.65, Status::Final),
                MeasureUnit::Fte,
                Lang::Sv,
                false
            ),
            "21,7"
        );
        assert_eq!(
            figure(
                Cell::Num(60.8, Status::Provisional),
                MeasureUnit::Percent,
                Lang::En,
                true
            ),
            "60.8%"
        );
        let hidden = Cell::Symbol(Status::Withheld(crate::data::Withheld::Protects));
        assert_eq!(figure(hidden, MeasureUnit::Count, Lang::Sv, false), "dolt");
    }

    #[test]
    fn a_movement_says_its_direction_in_words_and_its_size_without_a_sign() {
        let up = movement(312.0, 431.0, MeasureUnit::Count, Lang::Sv);
        assert!(
            matches!(&up, Movement::Up(by) if by == "38\u{a0}%"),
            "{:?}",
            by(&up)
        );
        let down = movement(85.3, 60.8, MeasureUnit::Percent, Lang::En);
        assert!(
            matches!(&down, Movement::Down(by) if by == "24.5 percentage points"),
            "{:?}",
            by(&down)
        );
        assert!(matches!(
            movement(0.0, 0.0, MeasureUnit::Fte, Lang::Sv),
            Movement::Flat
        ));
        assert!(matches!(
            movement(0.0, 3.5, MeasureUnit::Fte, Lang::Sv),
            Movement::Unknown
        ));
        assert!(matches!(
            movement(100.0, 100.4, MeasureUnit::Count, Lang::Sv),
            Movement::Flat
        ));
    }

    fn by(m: &Movement) -> Option<&str> {
        match m {
            Movement::Up(by) | Movement::Down(by) => Some(by),
            _ => None,
        }
    }
}
