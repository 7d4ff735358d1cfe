//! How many bars a compare chart draws: a hard cap on the image's height.
//!
//! One bar per unit is right for a region or for Sweden's 290
//! municipalities, but a site of 10,000 units would draw an image hundreds
//! of thousands of pixels tall, which no one can read and whose PNG alone
//! takes gigabytes to rasterise. Above [`MAX_DRAWN_BARS`] units the chart
//! draws the highlighted unit and the units with the highest and the lowest
//! values, in the chart's own order, and says so in the image; the chart's
//! table, CSV and description keep every unit.

use super::model::CompareRow;
use crate::format;
use crate::text::Lang;

/// The most bars a compare chart draws (about 8,800 px of SVG at the most).
pub(crate) const MAX_DRAWN_BARS: usize = 300;

/// The rows a compare chart draws, and what was left out.
pub(crate) struct DrawnBars<'a> {
    pub rows: Vec<&'a CompareRow>,
    /// `Some` when rows were left out: the notice to print under the bars.
    pub notice: Option<String>,
}

/// Every row when there are at most [`MAX_DRAWN_BARS`]; otherwise the
/// highlighted row and the highest and lowest values (rows without a number
/// are left out first), kept in the order of `rows`.
pub(crate) fn drawn_bars(rows: &[CompareRow], lang: Lang) -> DrawnBars<'_> {
    if rows.len() <= MAX_DRAWN_BARS {
        return DrawnBars {
            rows: rows.iter().collect(),
            notice: None,
        };
    }
    let mut keep = vec![false; rows.len()];
    let mut room = MAX_DRAWN_BARS;
    if let Some(h) = rows.iter().position(|r| r.highlighted) {
        keep[h] = true;
        room -= 1;
    }
    // Ranked by value, ties by position so the choice never depends on sorting.
    let mut ranked: Vec<(usize, f64)> = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| !keep[*i])
        .filter_map(|(i, r)| Some((i, r.cell.number()?)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let top = room.div_ceil(2).min(ranked.len());
    let bottom = (room - top).min(ranked.len() - top);
    for (i, _) in ranked[..top].iter().chain(&ranked[ranked.len() - bottom..]) {
        keep[*i] = true;
    }
    let drawn: Vec<&CompareRow> = rows
        .iter()
        .zip(&keep)
        .filter_map(|(r, k)| k.then_some(r))
        .collect();
    let total = format::number(rows.len() as f64, 0, lang);
    let shown = format::number(drawn.len() as f64, 0, lang);
    let highlighted = drawn.iter().any(|r| r.highlighted);
    let notice = match lang {
        Lang::Sv => format!(
            "Diagrammet visar {shown} av {total} enheter: {}de {top} högsta och de {bottom} lägsta värdena. Alla enheter finns i tabellen och i CSV-filen.",
            if highlighted {
                "den markerade enheten, "
            } else {
                ""
            },
        ),
        Lang::En => format!(
            "The chart shows {shown} of {total} units: {}the {top} highest and the {bottom} lowest values. Every unit is in the table and the CSV file.",
            if highlighted {
                "the highlighted unit, "
            } else {
                ""
            },
        ),
    };
    DrawnBars {
        rows: drawn,
        notice: Some(notice),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::model::Cell;
    use crate::data::Status;

    fn rows(n: usize, highlighted: usize) -> Vec<CompareRow> {
        (0..n)
            .map(|i| CompareRow {
                unit: format!("u{i:05}"),
                name: format!("Enhet {i:05}"),
                // Values scrambled so that rank and position differ.
                cell: if i % 97 == 3 {
                    Cell::Missing
                } else {
                    Cell::Num(((i * 7919) % n) as f64, Status::Final)
                },
                highlighted: i == highlighted,
            })
            .collect()
    }

    #[test]
    fn small_comparisons_draw_every_unit() {
        let all = rows(MAX_DRAWN_BARS, 5);
        let drawn = drawn_bars(&all, Lang::Sv);
        assert_eq!(drawn.rows.len(), MAX_DRAWN_BARS);
        assert!(drawn.notice.is_none());
    }

    #[test]
    fn ten_thousand_units_draw_the_cap_highlighted_and_extremes_in_order() {
        let all = rows(10_000, 4_321);
        let drawn = drawn_bars(&all, Lang::En);
        assert_eq!(drawn.rows.len(), MAX_DRAWN_BARS);
        assert!(drawn.rows.iter().any(|r| r.unit == "u04321"));
        // The chart's order is kept.
        assert!(drawn.rows.windows(2).all(|w| w[0].unit < w[1].unit));
        let values: Vec<f64> = drawn.rows.iter().filter_map(|r| r.cell.number()).collect();
        let all_values: Vec<f64> = all.iter().filter_map(|r| r.cell.number()).collect();
        let max = all_values.iter().copied().fold(f64::MIN, f64::max);
        let min = all_values.iter().copied().fold(f64::MAX, f64::min);
        assert!(values.contains(&max) && values.contains(&min));
        let notice = drawn.notice.unwrap();
        assert_eq!(
            notice,
            "The chart shows 300 of 10,000 units: the highlighted unit, the 150 highest and the 149 lowest values. Every unit is in the table and the CSV file."
        );
        let sv = drawn_bars(&all, Lang::Sv).notice.unwrap();
        assert!(
            sv.starts_with("Diagrammet visar 300 av 10\u{a0}000 enheter: den markerade enheten, de 150 högsta och de 149 lägsta värdena."),
            "{sv}"
        );
    }
}
