//! What a compare chart over many units shows (§5, H5; the readers of a
//! national comparison).
//!
//! Up to [`MAX_NAMED_ROWS`] units, every unit is a named row, in
//! alphabetical order: a reader finds their unit by name, and the order
//! ranks no one. Over that (150 English councils, 290 Swedish
//! municipalities), a row per unit is a picture thousands of pixels tall that
//! no page, phone or slide shows whole, and whose size grows without bound
//! with the site. Such a chart shows instead:
//! - the distribution: every unit with a value as a dot on the one
//!   zero-based axis, the highlighted unit as a diamond, so a reader sees
//!   where it lies among all of them;
//! - the highlighted unit among its neighbours in value ([`NEIGHBOURS`] on
//!   either side, highest first), named, on the same axis;
//! - a note saying so, and that every unit is named in the table and the
//!   CSV file, which always keep every unit.
//!
//! The image then has the same size whatever the number of units. A cap
//! that kept the highest and the lowest values instead was considered and
//! left: it is a league table, and it can leave out the unit the chart is
//! about's own neighbours, which are what its reader compares with.

use super::model::CompareRow;
use crate::format;
use crate::text::Lang;

/// The most units a compare chart names row by row.
pub(crate) const MAX_NAMED_ROWS: usize = 40;
/// Units named on either side of the highlighted one, in the overview.
pub(crate) const NEIGHBOURS: usize = 5;

/// The most totals of groups of the units (an area's, a parent's) an
/// overview draws as lines or names in its caveats; more are in the table
/// and the CSV only.
pub(crate) const MAX_DRAWN_TOTALS: usize = 3;

/// Whether the `totals` of groups of a compare chart's `units` go to the
/// table and the CSV only.
pub(crate) fn totals_table_only(units: usize, totals: usize) -> bool {
    is_overview(units) && totals > MAX_DRAWN_TOTALS
}

/// The caveat that says so.
pub(crate) fn totals_note(totals: usize, lang: Lang) -> String {
    match lang {
        Lang::Sv => format!(
            "{totals} totaler för grupper av enheterna ritas inte i bilden; de står i tabellen och CSV-filen."
        ),
        Lang::En => format!(
            "{totals} totals of groups of these units are not drawn; they are in the table and the CSV file."
        ),
    }
}

/// The reference figures a compare chart draws.
pub(crate) fn drawn_refs(refs: &[CompareRow]) -> impl Iterator<Item = &CompareRow> {
    refs.iter().filter(|r| !r.table_only)
}

/// Whether a compare chart of `units` rows is drawn as an overview.
pub(crate) fn is_overview(units: usize) -> bool {
    units > MAX_NAMED_ROWS
}

/// The rows the overview names, as indices into `rows`, highest value
/// first: the highlighted unit and up to `per_side` units on either side of
/// it in value (more on one side where the other runs out). A highlighted
/// unit without a value is named alone; without a highlighted unit, none.
pub(crate) fn nearest_rows(rows: &[CompareRow], per_side: usize) -> Vec<usize> {
    let Some(h) = rows.iter().position(|r| r.highlighted) else {
        return Vec::new();
    };
    if rows[h].cell.number().is_none() {
        return vec![h];
    }
    // Ranked by value, ties by the chart's (alphabetical) order, so the
    // choice never depends on how the sort treats equal values.
    let mut ranked: Vec<(usize, f64)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((i, r.cell.number()?)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let at = ranked.iter().position(|(i, _)| *i == h).unwrap_or(0);
    let want = 2 * per_side + 1;
    let start = at
        .saturating_sub(per_side)
        .min(ranked.len().saturating_sub(want));
    ranked
        .iter()
        .skip(start)
        .take(want)
        .map(|(i, _)| *i)
        .collect()
}

/// The subtitle's last sentence: what the picture shows and in which order.
pub(crate) fn order_statement(rows: &[CompareRow], lang: Lang) -> String {
    if !is_overview(rows.len()) {
        return match lang {
            Lang::Sv => "Enheterna i bokstavsordning, inte rangordnade",
            Lang::En => "Units in alphabetical order, not ranked",
        }
        .to_string();
    }
    match rows.iter().find(|r| r.highlighted) {
        Some(h) => match lang {
            Lang::Sv => format!(
                "Alla enheter som punkter, och de som ligger närmast {} i värde",
                h.name
            ),
            Lang::En => format!(
                "Every unit as a dot, and the units nearest {} in value",
                h.name
            ),
        },
        None => match lang {
            Lang::Sv => "Alla enheter som punkter".to_string(),
            Lang::En => "Every unit as a dot".to_string(),
        },
    }
}

/// The note drawn with an overview: what the dots and the rows are, and
/// where every unit is named. `named` is the number of rows drawn.
pub(crate) fn overview_note(rows: &[CompareRow], named: usize, lang: Lang) -> String {
    let count = |n: usize| format::number(n as f64, 0, lang);
    let with_value = rows.iter().filter(|r| r.cell.number().is_some()).count();
    let (with_value, all) = (count(with_value), count(rows.len()));
    let highlighted = rows.iter().find(|r| r.highlighted);
    let mut note = match lang {
        Lang::Sv => format!("Varje punkt är en enhet ({with_value} av {all} har ett värde)."),
        Lang::En => format!("Each dot is a unit ({with_value} of {all} have a value)."),
    };
    if let Some(h) = highlighted
        && named > 1
    {
        note.push(' ');
        note.push_str(&match lang {
            Lang::Sv => format!(
                "Raderna visar {} och de {} enheter som ligger närmast i värde, högst först.",
                h.name,
                count(named - 1)
            ),
            Lang::En => format!(
                "The rows show {} and the {} units nearest in value, highest first.",
                h.name,
                count(named - 1)
            ),
        });
    }
    note.push(' ');
    note.push_str(match lang {
        Lang::Sv => "Alla enheter med namn finns i tabellen och CSV-filen på diagrammets sida.",
        Lang::En => "Every unit is named in the table and the CSV file on the chart's page.",
    });
    note
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::model::Cell;
    use crate::data::Status;

    /// `n` rows with scrambled values; `hl` highlighted; every 7th without one.
    fn rows(n: usize, hl: usize) -> Vec<CompareRow> {
        (0..n)
            .map(|i| CompareRow {
                unit: format!("u{i:03}"),
                name: format!("Enhet {i:03}"),
                cell: if i % 7 == 3 {
                    Cell::Missing
                } else {
                    Cell::Num(((i * 37) % n) as f64, Status::Final)
                },
                highlighted: i == hl,
                table_only: false,
            })
            .collect()
    }

    fn values(all: &[CompareRow], picked: &[usize]) -> Vec<f64> {
        picked
            .iter()
            .map(|i| all[*i].cell.number().unwrap())
            .collect()
    }

    #[test]
    fn the_highlighted_unit_is_named_among_its_neighbours_in_value() {
        let all = rows(290, 100);
        let picked = nearest_rows(&all, NEIGHBOURS);
        assert_eq!(picked.len(), 2 * NEIGHBOURS + 1);
        assert_eq!(
            picked[NEIGHBOURS], 100,
            "the highlighted unit in the middle"
        );
        let v = values(&all, &picked);
        assert!(v.windows(2).all(|w| w[0] >= w[1]), "highest first: {v:?}");
        // Its neighbours are the nearest values: nothing left out lies
        // between the lowest and the highest named.
        let (lo, hi) = (v[v.len() - 1], v[0]);
        let between = all
            .iter()
            .filter_map(|r| r.cell.number())
            .filter(|x| *x >= lo && *x <= hi)
            .count();
        assert_eq!(between, picked.len());
    }

    #[test]
    fn at_either_end_the_neighbours_come_from_the_one_side() {
        let all = rows(100, 0);
        // Unit 0 has the value 0: the lowest.
        let picked = nearest_rows(&all, NEIGHBOURS);
        assert_eq!(picked.len(), 2 * NEIGHBOURS + 1);
        assert_eq!(*picked.last().unwrap(), 0);
    }

    #[test]
    fn without_a_highlighted_value_nothing_or_only_it_is_named() {
        let mut all = rows(100, 3);
        assert_eq!(nearest_rows(&all, NEIGHBOURS), vec![3], "3 has no value");
        all[3].highlighted = false;
        assert!(nearest_rows(&all, NEIGHBOURS).is_empty());
    }

    #[test]
    fn the_note_and_the_subtitle_say_what_is_drawn() {
        let all = rows(290, 100);
        assert_eq!(
            overview_note(&all, 11, Lang::En),
            "Each dot is a unit (249 of 290 have a value). The rows show Enhet 100 and the 10 units nearest in value, highest first. Every unit is named in the table and the CSV file on the chart's page."
        );
        assert_eq!(
            order_statement(&all, Lang::Sv),
            "Alla enheter som punkter, och de som ligger närmast Enhet 100 i värde"
        );
        assert_eq!(
            order_statement(&all[..MAX_NAMED_ROWS], Lang::En),
            "Units in alphabetical order, not ranked"
        );
    }
}
