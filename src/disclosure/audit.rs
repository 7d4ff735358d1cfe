//! The audit (H9): tries, as a reader with a calculator and some patience
//! would, to work out every withheld value of the published view from the
//! published numbers and the published sums. It shares nothing with the
//! suppression but the list of sums and the narrowing of ranges (`bounds`):
//! it reads only the view, substitutes every sum with a single unknown
//! until nothing changes, asks of each block of sums whether a withheld
//! value lies in their row space, and last whether the ranges a reader
//! knows (`<5` is 1 to 4) leave a withheld count one value.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::data::{Dataset, Period, SeriesKey, Status, Withheld};
use crate::disclosure::bounds::{self, Known};
use crate::disclosure::relations::{Cell, CellKey, Relations};

/// A withheld value the audit could work out.
#[derive(Debug, Clone)]
pub struct Finding {
    pub cell: CellKey,
    /// How: the relation it came from, or a combination.
    pub how: String,
}

/// Whether the view withholds this value (rather than not having it).
fn is_protected(status: Status) -> bool {
    matches!(status, Status::Withheld(_) | Status::Suppressed)
}

/// The cells of the relations, each numbered once, and each relation as
/// the numbers of its cells (the total first): the audit then works on
/// numbers in a row, so that what it knows of each is a plain vector.
struct Indexed {
    cells: Vec<Cell>,
    rows: Vec<Vec<usize>>,
}

impl Indexed {
    fn new(relations: &Relations) -> Indexed {
        let mut index: FxHashMap<Cell, usize> = FxHashMap::default();
        let mut cells = Vec::new();
        let rows: Vec<Vec<usize>> = relations
            .list
            .iter()
            .map(|r| {
                r.cells()
                    .map(|c| {
                        *index.entry(c).or_insert_with(|| {
                            cells.push(c);
                            cells.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        Indexed { cells, rows }
    }
}

/// Every withheld value of `view` that `relations` give away, by the sums
/// alone or by the sums and the range `<below` tells of a small count.
/// `public` gives what a reader has of a value besides the view (an earlier
/// edition's number of a value that did not change since).
pub fn audit(
    view: &Dataset,
    relations: &Relations,
    below: u32,
    public: impl Fn(&SeriesKey, Period) -> Option<f64> + Sync,
) -> Vec<Finding> {
    let lookup = |&c: &Cell| {
        view.series_for(relations.series(c))
            .and_then(|s| s.get(c.period))
            .copied()
    };
    let ix = Indexed::new(relations);
    // Hundreds of thousands of look-ups in the view, each independent.
    let (mut known, statuses): (Vec<Option<f64>>, Vec<Option<Status>>) = ix
        .cells
        .par_iter()
        .map(|c| {
            let v = lookup(c);
            // Hidden now but known from before: not a secret to find, and a
            // number to find others with.
            if let Some(n) = v
                .and_then(|v| v.number)
                .or_else(|| public(relations.series(*c), c.period))
            {
                return (Some(n), None);
            }
            (None, v.filter(|v| is_protected(v.status)).map(|v| v.status))
        })
        .unzip();
    let protected: Vec<bool> = statuses.iter().map(Option::is_some).collect();
    let published = known.clone();
    let mut findings = Vec::new();
    // Elimination: a sum with one unknown term gives that term. Passes over
    // the sums in their order until nothing changes, so that a value is
    // explained by the first sum that gives it.
    let mut changed = true;
    while changed {
        changed = false;
        for (ri, row) in ix.rows.iter().enumerate() {
            let mut unknown = row.iter().filter(|&&c| known[c].is_none());
            let (Some(&only), None) = (unknown.next(), unknown.next()) else {
                continue;
            };
            let parts: f64 = row[1..].iter().filter_map(|&c| known[c]).sum();
            let value = match known[row[0]] {
                None => parts,
                Some(total) => total - parts,
            };
            known[only] = Some(value);
            changed = true;
            if protected[only] {
                findings.push(Finding {
                    cell: relations.key(ix.cells[only]),
                    how: relations.describe(&relations.list[ri]),
                });
            }
        }
    }
    // Combinations: x is determined when the row "x" lies in the row space
    // of the sums (adding it would not raise their rank).
    for block in blocks(&ix, &known) {
        let columns: FxHashMap<usize, usize> = block
            .unknowns
            .iter()
            .enumerate()
            .map(|(j, c)| (*c, j))
            .collect();
        let matrix: Vec<Vec<f64>> = block
            .relations
            .iter()
            .map(|&ri| {
                let row_cells = &ix.rows[ri];
                let mut row = vec![0.0; columns.len()];
                if let Some(&j) = columns.get(&row_cells[0]) {
                    row[j] += 1.0;
                }
                for p in &row_cells[1..] {
                    if let Some(&j) = columns.get(p) {
                        row[j] -= 1.0;
                    }
                }
                row
            })
            .collect();
        let basis = echelon(matrix);
        for (j, &c) in block.unknowns.iter().enumerate() {
            if !protected[c] {
                continue;
            }
            let mut unit = vec![0.0; columns.len()];
            unit[j] = 1.0;
            if in_span(&basis, unit) {
                findings.push(Finding {
                    cell: relations.key(ix.cells[c]),
                    how: format!(
                        "a combination of {} sums, such as {}",
                        block.relations.len(),
                        relations.describe(&relations.list[block.relations[0]])
                    ),
                });
            }
        }
    }
    findings.extend(pinned_by_ranges(
        view, relations, &ix, &published, &statuses, below, &findings,
    ));
    findings
}

/// Withheld counts that no sum gives alone, but that a sum leaves one value
/// for once a reader takes `<below` to mean 1 to `below - 1` (see
/// `bounds`): two small counts that add up to 2 are both 1.
fn pinned_by_ranges(
    view: &Dataset,
    relations: &Relations,
    ix: &Indexed,
    published: &[Option<f64>],
    statuses: &[Option<Status>],
    below: u32,
    found: &[Finding],
) -> Vec<Finding> {
    let counting = |r: usize| {
        view.measure(&relations.series(ix.cells[ix.rows[r][0]]).measure)
            .is_some_and(|m| m.unit.is_count())
    };
    let known = |c: usize| match (published[c], statuses[c]) {
        (Some(n), _) => Known::Number(n),
        (None, Some(Status::Withheld(Withheld::SmallCount))) => Known::Small,
        _ => Known::Unknown,
    };
    let already: std::collections::HashSet<&CellKey> = found.iter().map(|f| &f.cell).collect();
    bounds::pinned_small_counts(&ix.rows, counting, known, below)
        .into_iter()
        .map(|(c, r, value)| (relations.key(ix.cells[c]), r, value))
        .filter(|(cell, _, _)| !already.contains(cell))
        .map(|(cell, r, value)| Finding {
            cell,
            how: format!(
                "{} leaves it one value, {value}, once `<{below}` is read as 1 to {}",
                relations.describe(&relations.list[r]),
                below.max(2) - 1
            ),
        })
        .collect()
}

/// Relations that still have unknowns (by number), grouped by shared
/// unknowns, with those unknowns.
struct Block {
    unknowns: Vec<usize>,
    relations: Vec<usize>,
}

/// Relations that still have unknowns, grouped by shared unknowns.
fn blocks(ix: &Indexed, known: &[Option<f64>]) -> Vec<Block> {
    // Union-find over relations through their unknown cells.
    let mut parent: Vec<usize> = (0..ix.rows.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: Vec<Option<usize>> = vec![None; ix.cells.len()];
    let mut open = Vec::new();
    for (i, row) in ix.rows.iter().enumerate() {
        let mut any = false;
        for &c in row.iter().filter(|&&c| known[c].is_none()) {
            any = true;
            if let Some(o) = owner[c] {
                let (a, b) = (find(&mut parent, o), find(&mut parent, i));
                parent[a] = b;
            } else {
                owner[c] = Some(i);
            }
        }
        if any {
            open.push(i);
        }
    }
    // In the order of the relations, so messages are the same every build.
    let mut grouped: BTreeMap<usize, Block> = BTreeMap::new();
    for i in open {
        let root = find(&mut parent, i);
        grouped
            .entry(root)
            .or_insert_with(|| Block {
                unknowns: Vec::new(),
                relations: Vec::new(),
            })
            .relations
            .push(i);
    }
    let mut out: Vec<Block> = grouped.into_values().collect();
    let mut seen = vec![false; ix.cells.len()];
    for b in &mut out {
        for &ri in &b.relations {
            for &c in &ix.rows[ri] {
                if known[c].is_none() && !seen[c] {
                    seen[c] = true;
                    b.unknowns.push(c);
                }
            }
        }
    }
    out
}

/// The rows of a matrix in echelon form, each with its pivot column, by
/// forward elimination: a basis of the row space.
fn echelon(mut m: Vec<Vec<f64>>) -> Vec<(usize, Vec<f64>)> {
    let width = m.first().map_or(0, Vec::len);
    let mut basis = Vec::new();
    for col in 0..width {
        let Some(p) = m.iter().position(|row| row[col].abs() > 1e-9) else {
            continue;
        };
        let pivot = m.swap_remove(p);
        for row in &mut m {
            let f = row[col] / pivot[col];
            if f != 0.0 {
                for (x, y) in row[col..].iter_mut().zip(&pivot[col..]) {
                    *x -= f * y;
                }
            }
        }
        basis.push((col, pivot));
    }
    basis
}

/// Whether `v` is a combination of the rows of `basis`: what is left of it
/// after taking out each basis row is zero. A withheld value in the span
/// of the sums is the sum of published numbers: a reader can work it out.
fn in_span(basis: &[(usize, Vec<f64>)], mut v: Vec<f64>) -> bool {
    for (col, row) in basis {
        let f = v[*col] / row[*col];
        if f != 0.0 {
            for (x, y) in v[*col..].iter_mut().zip(&row[*col..]) {
                *x -= f * y;
            }
        }
    }
    v.iter().all(|x| x.abs() < 1e-9)
}
