//! Inline figures (`value` and `change` shortcodes): numbers in prose come
//! from the data, formatted for the site language, suppressed where the data
//! is, and marked with every caveat they carry (H9, H10).

use std::path::Path;

use super::Site;
use super::limits::PageLimits;
use crate::chart::Note;
use crate::chart::notes::{break_note, status_note, suppressed_note};
use crate::content::{ContentFile, Embed, RenderedMarkdown, Shortcode, ShortcodeKind};
use crate::data::privacy::Shown;
use crate::data::{Measure, MeasureUnit, Period, SeriesKey, Status, Withheld};
use crate::diagnostics::Diagnostic;
use crate::escape::html as escape_html;
use crate::format;
use crate::text::Lang;

/// What [`render_body`] does with a chart block: its TOML text and file
/// line in, its HTML out.
pub type ChartBlock<'a> =
    dyn FnMut(&str, usize, &mut PageLimits) -> Result<String, Vec<Diagnostic>> + 'a;

/// A content file's body through the Markdown renderer: its figures filled
/// in, each chart block (its TOML text and file line) handed to `chart`.
/// `limits` gathers the caveats of both.
pub fn render_body(
    site: &Site,
    f: &ContentFile,
    limits: &mut PageLimits,
    chart: &mut ChartBlock,
) -> Result<RenderedMarkdown, Vec<Diagnostic>> {
    let rendered = crate::content::render_markdown(
        &f.file,
        &f.body,
        f.body_line,
        site.config.allow_html,
        &site.typed_figures,
        &mut |embed| match embed {
            Embed::Chart { spec, line } => chart(spec, line, limits),
            Embed::Figure {
                shortcode,
                line,
                column,
            } => render_figure(site, &f.file, line, column, &shortcode, limits),
        },
    )?;
    limits.warnings.extend(rendered.warnings.iter().cloned());
    Ok(rendered)
}

/// Resolves one shortcode to HTML, or explains what is wrong with it.
pub fn render_figure(
    site: &Site,
    file: &Path,
    line: usize,
    column: usize,
    sc: &Shortcode,
    limits: &mut PageLimits,
) -> Result<String, Vec<Diagnostic>> {
    let err = |msg: String| Diagnostic::error(file, msg).at(line, column);
    let lang = site.config.language;
    let measure_id = sc.arg("measure").unwrap_or_default();
    let unit_id = sc.arg("unit").unwrap_or_default();
    let mut problems = Vec::new();
    let measure = site.data.measure(measure_id);
    if measure.is_none() {
        problems.push(
            err(format!("`{}` names an unknown measure", sc.kind.name()))
                .found(measure_id)
                .expected("a measure id from data/measures.toml")
                .suggest(
                    measure_id,
                    site.data.measures.measures.keys().map(String::as_str),
                ),
        );
    }
    let unit_known = site.data.units.get(unit_id).is_some();
    if !unit_known {
        problems.push(
            err(format!("`{}` names an unknown unit", sc.kind.name()))
                .found(unit_id)
                .expected("a unit id from data/units.toml")
                .suggest(unit_id, site.data.units.units.keys().map(String::as_str)),
        );
    } else if !site.published_units.contains(unit_id) {
        problems.push(unpublished_unit(site, err(String::new()), unit_id));
    }
    let mut period_arg = |name: &str| -> Option<Period> {
        let text = sc.arg(name).unwrap_or_default();
        let p = Period::parse(text);
        if p.is_none() {
            problems.push(
                err(format!("`{name}` is not a period"))
                    .found(text)
                    .expected(crate::data::period::PERIOD_EXPECTED),
            );
        }
        p
    };
    let periods: Vec<Option<Period>> = match sc.kind {
        ShortcodeKind::Value => vec![period_arg("period")],
        ShortcodeKind::Change => vec![period_arg("from"), period_arg("to")],
    };
    let (Some(measure), true) = (measure, problems.is_empty()) else {
        return Err(problems);
    };
    let periods: Vec<Period> = periods.into_iter().flatten().collect();
    let key = SeriesKey {
        measure: measure.id.clone(),
        unit: unit_id.to_string(),
        group: sc.arg("group").map(str::to_string),
    };
    let series = site.data.series_for(&key);
    let below = site.config.privacy.suppress_below;
    let mut values = Vec::new();
    for p in &periods {
        match crate::data::privacy::published(&site.data, &key, *p, below) {
            Some(v) => values.push(v),
            None => {
                let range = series
                    .and_then(|s| Some((s.first_period()?, s.last_period()?)))
                    .map(|(a, b)| {
                        format!("the data has {} for {unit_id} from {a} to {b}", measure.id)
                    })
                    .unwrap_or_else(|| format!("the data has no {} for {unit_id}", measure.id));
                return Err(vec![
                    err(format!(
                        "there is no value of `{}` for `{unit_id}` in {p}",
                        measure.id
                    ))
                    .found(p.to_string())
                    .help(range),
                ]);
            }
        }
    }
    limits.uses_measure(&measure.id);
    Ok(match sc.kind {
        ShortcodeKind::Value => value_html(measure, values[0], periods[0], limits, lang),
        ShortcodeKind::Change => {
            if periods[0] >= periods[1] {
                return Err(vec![
                    err("`from` must be before `to`".into())
                        .found(format!("from=\"{}\" to=\"{}\"", periods[0], periods[1])),
                ]);
            }
            // A ratio compares two definitions when either of its parts
            // changed definition (H10).
            let mut with_parts = vec![measure];
            if let Some((num, den)) = &measure.ratio {
                with_parts.extend(site.data.measure(num));
                with_parts.extend(site.data.measure(den));
            }
            if let Some(w) = reversed_by_series(site, measure, &key, &values, &periods) {
                limits.warnings.push(
                    Diagnostic::warning(file, w)
                        .at(line, column)
                        .help("give the change over the whole series too, or say in the text why these quarters"),
                );
            }
            change_html(
                &with_parts,
                (values[0], values[1]),
                (periods[0], periods[1]),
                limits,
                lang,
            )
        }
    })
}

/// H7 in prose: a `change` from one period to another whose direction the
/// whole published series reverses (a rise picked out of a fall), as a
/// chart's window is checked. `None` when they agree, or either change is
/// under 1 % (a percentage: under 0.1 points).
fn reversed_by_series(
    site: &Site,
    measure: &Measure,
    key: &SeriesKey,
    values: &[Shown],
    periods: &[Period],
) -> Option<String> {
    let (Shown::Number(a, _), Shown::Number(b, _)) = (values[0], values[1]) else {
        return None;
    };
    let below = site.config.privacy.suppress_below;
    let numbers: Vec<(Period, f64)> = site
        .data
        .series_for(key)?
        .points
        .iter()
        .filter(|(p, _)| p.is_quarter() == periods[0].is_quarter())
        .filter_map(
            |(p, o)| match crate::data::privacy::shown(&o.value, measure.unit, below) {
                Shown::Number(n, _) => Some((*p, n)),
                _ => None,
            },
        )
        .collect();
    let (&(first, x), &(last, y)) = (numbers.first()?, numbers.last()?);
    let lang = site.config.language;
    let change = |from: f64, to: f64| -> Option<(f64, String)> {
        if measure.unit == MeasureUnit::Percent {
            let d = to - from;
            (d.abs() >= 0.1).then(|| (d, format::change_points(d, lang)))
        } else if from != 0.0 {
            let c = (to / from - 1.0) * 100.0;
            (c.abs() >= 1.0).then(|| (c, format::change_percent(c, lang)))
        } else {
            None
        }
    };
    let ((picked, picked_text), (whole, whole_text)) = (change(a, b)?, change(x, y)?);
    if (picked > 0.0) == (whole > 0.0) || (first, last) == (periods[0], periods[1]) {
        return None;
    }
    Some(format!(
        "`change` gives {picked_text} for `{}` in `{}` from {} to {}, but over the whole series, {first} to {last}, it is {whole_text}",
        measure.id, key.unit, periods[0], periods[1]
    ))
}

/// The error for a unit that is folded into its parent (H9).
pub fn unpublished_unit(site: &Site, base: Diagnostic, unit_id: &str) -> Diagnostic {
    let parent = site.folded.get(unit_id).cloned().flatten();
    let mut d = base;
    d.message = format!(
        "unit `{unit_id}` has fewer than {} FTE and is never published on its own",
        site.config.privacy.min_unit_fte
    );
    d.found = Some(unit_id.to_string());
    d.help = Some(match parent {
        Some(p) => format!("show its parent `{p}` instead, which includes it"),
        None => "show a larger unit instead".to_string(),
    });
    d
}

fn value_html(m: &Measure, v: Shown, p: Period, limits: &mut PageLimits, lang: Lang) -> String {
    let mut marks = Vec::new();
    let text = match v {
        Shown::Number(n, status) => {
            marks.extend(status_mark(status, limits, lang, Some(p)));
            format::value(n, m.unit, lang)
        }
        Shown::Suppressed { below } => {
            marks.push(suppressed_mark(below, limits, lang));
            format!("<{below}")
        }
        // Withheld (H9): one short word, the reason behind the marker.
        Shown::Symbol(status @ Status::Withheld(_)) => {
            marks.extend(status_mark(status, limits, lang, Some(p)));
            lang.words().hidden.to_string()
        }
        Shown::Symbol(status) => {
            marks.extend(status_mark(status, limits, lang, Some(p)));
            crate::i18n::status_meaning(status, lang).to_string()
        }
    };
    figure_span(&text, &marks)
}

/// `measures` is the measure first, then what it is computed from.
fn change_html(
    measures: &[&Measure],
    (a, b): (Shown, Shown),
    (from, to): (Period, Period),
    limits: &mut PageLimits,
    lang: Lang,
) -> String {
    let mut marks = Vec::new();
    for (v, p) in [(a, from), (b, to)] {
        if let Shown::Number(_, status) = v {
            marks.extend(status_mark(status, limits, lang, Some(p)));
        }
    }
    let m = measures[0];
    // A change that spans a series break compares two definitions (H10),
    // whether the break is in the measure or in a part of a ratio.
    for (m, brk) in measures.iter().flat_map(|m| {
        m.breaks
            .iter()
            .filter(|br| br.period > from && br.period <= to)
            .map(move |br| (*m, br))
    }) {
        let (id, number) = limits.add(break_note(
            &m.id,
            m.label.get(lang),
            brk.note.get(lang),
            brk.period,
            lang,
        ));
        let label = lang.words().series_break;
        marks.push(Mark {
            id,
            number,
            label: label.into(),
        });
    }
    let text = match (a, b) {
        // A share compared by its difference: 6,0 % → 9,0 % is +3,0
        // percentage points, not +50 % (H10).
        (Shown::Number(x, _), Shown::Number(y, _)) if m.unit == MeasureUnit::Percent => {
            format::change_points(y - x, lang)
        }
        (Shown::Number(x, _), Shown::Number(y, _)) if x != 0.0 => {
            format::change_percent((y / x - 1.0) * 100.0, lang)
        }
        (Shown::Suppressed { below }, _) | (_, Shown::Suppressed { below }) => {
            marks.push(suppressed_mark(below, limits, lang));
            "–".to_string()
        }
        (Shown::Symbol(s), _) | (_, Shown::Symbol(s)) => {
            marks.extend(status_mark(s, limits, lang, None));
            "–".to_string()
        }
        _ => {
            let text = lang.words().from_zero;
            let (id, number) = limits.add(Note::fixed("lim-from-zero", text));
            marks.push(Mark {
                id,
                number,
                label: text.into(),
            });
            "–".to_string()
        }
    };
    figure_span(&text, &marks)
}

/// A footnote mark: the number of the limitation it links to (H10).
struct Mark {
    id: String,
    number: usize,
    label: String,
}

fn figure_span(text: &str, marks: &[Mark]) -> String {
    let mut html = format!("<span class=\"figure\">{}</span>", escape_html(text));
    let mut seen = Vec::new();
    for m in marks {
        if seen.contains(&m.id) {
            continue;
        }
        seen.push(m.id.clone());
        html.push_str(&format!(
            // The accessible name starts with the visible number (WCAG
            // 2.5.3: a speech user says what they see).
            "<sup class=\"mark\"><a href=\"#{}\" title=\"{}\" aria-label=\"{}: {}\">{}</a></sup>",
            m.id,
            escape_html(&m.label),
            m.number,
            escape_html(&m.label),
            m.number
        ));
    }
    html
}

fn suppressed_mark(below: u32, limits: &mut PageLimits, lang: Lang) -> Mark {
    let (id, number) = limits.add(suppressed_note(below, lang));
    Mark {
        id,
        number,
        label: crate::i18n::withheld_meaning(Withheld::SmallCount, lang).into(),
    }
}

/// The footnote mark a status calls for, adding its limitation to the page.
fn status_mark(
    status: Status,
    limits: &mut PageLimits,
    lang: Lang,
    period: Option<Period>,
) -> Option<Mark> {
    if status == Status::Final {
        return None;
    }
    let (id, number) = limits.add(status_note(status, period, lang));
    Some(Mark {
        id,
        number,
        label: crate::i18n::status_meaning(status, lang).to_string(),
    })
}
