//! The audit (H9): tries, as a reader with a calculator and some patience
//! would, to work out every withheld value of the published view from the
//! published numbers and the published sums. It shares nothing with the
//! suppression but the list of sums: it reads only the view, substitutes
//! every sum with a single unknown until nothing changes, then asks of each
//! block of sums whether a withheld value lies in their row space.

use std::collections::{HashMap, HashSet};

use crate::data::{Dataset, Status};
use crate::disclosure::relations::{CellKey, Relation};

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

/// Every withheld value of `view` that `relations` give away.
pub fn audit(view: &Dataset, relations: &[Relation]) -> Vec<Finding> {
    let lookup = |c: &CellKey| view.series_for(&c.0).and_then(|s| s.get(c.1)).copied();
    let mut known: HashMap<&CellKey, f64> = HashMap::new();
    let mut protected: HashSet<&CellKey> = HashSet::new();
    for r in relations {
        for c in r.cells() {
            match lookup(c) {
                Some(v) if v.number.is_some() => {
                    known.insert(c, v.number.unwrap_or_default());
                }
                Some(v) if is_protected(v.status) => {
                    protected.insert(c);
                }
                _ => {}
            }
        }
    }
    let mut findings = Vec::new();
    // Elimination: a sum with one unknown term gives that term.
    let mut changed = true;
    while changed {
        changed = false;
        for r in relations {
            let unknown: Vec<&CellKey> = r.cells().filter(|c| !known.contains_key(c)).collect();
            let [only] = unknown[..] else {
                continue;
            };
            let parts: f64 = r.parts.iter().filter_map(|c| known.get(c)).sum();
            let value = if *only == r.total {
                parts
            } else {
                known[&r.total] - parts
            };
            known.insert(only, value);
            changed = true;
            if protected.contains(only) {
                findings.push(Finding {
                    cell: only.clone(),
                    how: r.describe(),
                });
            }
        }
    }
    // Combinations: x is determined when the row "x" lies in the row space
    // of the sums (adding it would not raise their rank).
    for block in blocks(relations, &known) {
        let columns: HashMap<&CellKey, usize> = block
            .unknowns
            .iter()
            .enumerate()
            .map(|(j, c)| (*c, j))
            .collect();
        let matrix: Vec<Vec<f64>> = block
            .relations
            .iter()
            .map(|r| {
                let mut row = vec![0.0; columns.len()];
                if let Some(&j) = columns.get(&r.total) {
                    row[j] += 1.0;
                }
                for p in &r.parts {
                    if let Some(&j) = columns.get(p) {
                        row[j] -= 1.0;
                    }
                }
                row
            })
            .collect();
        let basis = echelon(matrix);
        for (j, c) in block.unknowns.iter().enumerate() {
            if !protected.contains(c) {
                continue;
            }
            let mut unit = vec![0.0; columns.len()];
            unit[j] = 1.0;
            if in_span(&basis, unit) {
                findings.push(Finding {
                    cell: (*c).clone(),
                    how: format!(
                        "a combination of {} sums, such as {}",
                        block.relations.len(),
                        block.relations[0].describe()
                    ),
                });
            }
        }
    }
    findings
}

struct Block<'a> {
    unknowns: Vec<&'a CellKey>,
    relations: Vec<&'a Relation>,
}

/// Relations that still have unknowns, grouped by shared unknowns.
fn blocks<'a>(relations: &'a [Relation], known: &HashMap<&CellKey, f64>) -> Vec<Block<'a>> {
    // Union-find over relations through their unknown cells.
    let mut parent: Vec<usize> = (0..relations.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<&CellKey, usize> = HashMap::new();
    let mut open = Vec::new();
    for (i, r) in relations.iter().enumerate() {
        let mut any = false;
        for c in r.cells().filter(|c| !known.contains_key(c)) {
            any = true;
            if let Some(&o) = owner.get(c) {
                let (a, b) = (find(&mut parent, o), find(&mut parent, i));
                parent[a] = b;
            } else {
                owner.insert(c, i);
            }
        }
        if any {
            open.push(i);
        }
    }
    let mut grouped: HashMap<usize, Block<'a>> = HashMap::new();
    for i in open {
        let root = find(&mut parent, i);
        grouped
            .entry(root)
            .or_insert_with(|| Block {
                unknowns: Vec::new(),
                relations: Vec::new(),
            })
            .relations
            .push(&relations[i]);
    }
    let mut out: Vec<Block<'a>> = grouped.into_values().collect();
    for b in &mut out {
        let mut seen = HashSet::new();
        for r in &b.relations {
            for c in r.cells() {
                if !known.contains_key(c) && seen.insert(c) {
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
