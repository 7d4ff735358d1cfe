//! Secondary (complementary) cell suppression, as statistical offices do it
//! (tau-Argus, sdcTable): a hidden value that is the only unknown of a sum
//! whose other terms are published is hidden in vain, so a second value of
//! that sum is hidden too, the smallest first. Repeated over every linked
//! sum until nothing changes; then sums that only together give a hidden
//! value away (a hierarchy solved as a system) are found by row reduction
//! and protected the same way.

use rustc_hash::FxHashMap as HashMap;

use crate::data::{Period, SeriesKey};
use crate::disclosure::bounds::{self, Known};
use crate::disclosure::relations::{Cell, Relations};

/// What a reader knows of one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Published as a number.
    Shown,
    /// Withheld: must not be derivable.
    Hidden,
    /// No number, nothing to protect (not available, not applicable).
    Unknown,
}

/// The values of every relation, indexed.
pub struct Table {
    pub cells: Vec<Cell>,
    /// The number as read (for choosing the smallest).
    pub raw: Vec<Option<f64>>,
    pub state: Vec<State>,
    /// Each relation as cell indices, the total first.
    relations: Vec<Vec<usize>>,
    /// The relations each cell is in.
    member_of: Vec<Vec<usize>>,
    /// What a reader knows of the ranges of withheld counts, when given
    /// ([`Table::with_ranges`]).
    ranges: Option<Ranges>,
    /// Values a reader has from an earlier edition: hiding them now would
    /// protect nothing, so they are never chosen ([`Table::with_public`]).
    public: Vec<bool>,
}

/// Which values are withheld as small counts (a reader knows them to lie
/// from 1 to `below - 1`), and which relations are sums of counts.
struct Ranges {
    below: u32,
    small: Vec<bool>,
    counting: Vec<bool>,
}

impl Table {
    /// Indexes `relations`; `state_of` and `raw_of` tell each value's
    /// state and number.
    pub fn new(
        relations: &Relations,
        state_of: impl Fn(&SeriesKey, Period) -> State + Sync,
        raw_of: impl Fn(&SeriesKey, Period) -> Option<f64> + Sync,
    ) -> Table {
        use rayon::prelude::*;
        let mut index: HashMap<Cell, usize> = HashMap::default();
        let mut cells = Vec::new();
        let mut rels = Vec::with_capacity(relations.list.len());
        for r in &relations.list {
            let mut row = Vec::with_capacity(r.parts.len() + 1);
            for c in r.cells() {
                let i = *index.entry(c).or_insert_with(|| {
                    cells.push(c);
                    cells.len() - 1
                });
                row.push(i);
            }
            rels.push(row);
        }
        let mut member_of = vec![Vec::new(); cells.len()];
        for (ri, row) in rels.iter().enumerate() {
            for &c in row {
                member_of[c].push(ri);
            }
        }
        // Hundreds of thousands of look-ups in the view, each independent.
        let state = cells
            .par_iter()
            .map(|&c| state_of(relations.series(c), c.period))
            .collect();
        let raw = cells
            .par_iter()
            .map(|&c| raw_of(relations.series(c), c.period))
            .collect();
        Table {
            cells,
            raw,
            state,
            relations: rels,
            member_of,
            ranges: None,
            public: Vec::new(),
        }
    }

    /// Marks the values a reader already has (`public_of`): never chosen
    /// to protect another.
    pub fn with_public(
        mut self,
        relations: &Relations,
        public_of: impl Fn(&SeriesKey, Period) -> bool,
    ) -> Table {
        self.public = self
            .cells
            .iter()
            .map(|&c| public_of(relations.series(c), c.period))
            .collect();
        self
    }

    /// Whether `c` is published and may be hidden to protect another.
    fn hideable(&self, c: usize) -> bool {
        self.state[c] == State::Shown && !self.public.get(c).copied().unwrap_or(false)
    }

    /// Also protects withheld small counts that a sum pins down by their
    /// ranges alone (see `bounds`): `small_of` tells a value withheld as a
    /// small count (below `below`), `counts` a series of counts.
    pub fn with_ranges(
        mut self,
        relations: &Relations,
        below: u32,
        small_of: impl Fn(&SeriesKey, Period) -> bool,
        counts: impl Fn(&SeriesKey) -> bool,
    ) -> Table {
        let small = self
            .cells
            .iter()
            .map(|&c| small_of(relations.series(c), c.period))
            .collect();
        let counting = self
            .relations
            .iter()
            .map(|row| counts(relations.series(self.cells[row[0]])))
            .collect();
        self.ranges = Some(Ranges {
            below,
            small,
            counting,
        });
        self
    }

    /// Hides further values until no hidden value is the single unknown of
    /// a relation, nor determined by a combination of relations. Returns
    /// the cells it hid.
    pub fn protect(&mut self) -> Vec<usize> {
        let mut hidden = Vec::new();
        loop {
            self.single_unknowns(&mut hidden);
            let exposed = self.exposed_by_combination();
            if exposed.is_empty() {
                // Then what ranges give away: one more value of a sum
                // around each pinned small count, and look again.
                let mut progress = false;
                // A sum opened for one pinned count is opened for the
                // others in it: they are looked at again next round.
                let mut opened = std::collections::HashSet::new();
                for cell in self.pinned_by_ranges() {
                    if self.member_of[cell].iter().any(|r| opened.contains(r)) {
                        continue;
                    }
                    if let Some(c) = self.cheapest_shown_beside(cell) {
                        self.state[c] = State::Hidden;
                        hidden.push(c);
                        opened.extend(self.member_of[c].iter().copied());
                        progress = true;
                    }
                }
                if !progress {
                    return hidden;
                }
                continue;
            }
            let mut progress = false;
            for cell in exposed {
                if !self.is_determined(cell) {
                    // An earlier choice in this round protected it too.
                    continue;
                }
                if let Some(c) = self.best_protection(cell) {
                    self.state[c] = State::Hidden;
                    hidden.push(c);
                    progress = true;
                }
            }
            if !progress {
                // Nothing left to hide beside them: every sum around is
                // already unknown. Cannot happen for a consistent system,
                // and the audit reports it if it does.
                return hidden;
            }
        }
    }

    /// Withheld small counts that the sums of counts leave one value for,
    /// given the ranges a reader knows (see `bounds`).
    fn pinned_by_ranges(&self) -> Vec<usize> {
        let Some(ranges) = &self.ranges else {
            return Vec::new();
        };
        let known = |c: usize| match self.state[c] {
            State::Shown => self.raw[c].map_or(Known::Unknown, Known::Number),
            State::Hidden if ranges.small[c] => Known::Small,
            _ => Known::Unknown,
        };
        bounds::pinned_small_counts(&self.relations, |r| ranges.counting[r], known, ranges.below)
            .into_iter()
            .map(|(c, _, _)| c)
            .collect()
    }

    /// The cheapest published value of the sums of counts `cell` is in:
    /// withheld for no range of its own, it leaves those sums open.
    fn cheapest_shown_beside(&self, cell: usize) -> Option<usize> {
        let counting = &self.ranges.as_ref()?.counting;
        self.member_of[cell]
            .iter()
            .filter(|&&r| counting[r])
            .filter_map(|&r| self.smallest_shown(r))
            .min_by(|&a, &b| self.cost(a).total_cmp(&self.cost(b)).then(a.cmp(&b)))
    }

    /// The smallest sums first: hiding a second value in an area total
    /// also covers the larger sums it is part of, where the reverse order
    /// would hide a value in every sum on the way.
    fn single_unknowns(&mut self, hidden: &mut Vec<usize>) {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let size = |r: usize| self.relations[r].len();
        let mut queue: BinaryHeap<Reverse<(usize, usize)>> = (0..self.relations.len())
            .map(|r| Reverse((size(r), r)))
            .collect();
        let mut queued = vec![true; self.relations.len()];
        while let Some(Reverse((_, r))) = queue.pop() {
            queued[r] = false;
            let mut unknown = self.relations[r]
                .iter()
                .filter(|&&c| self.state[c] != State::Shown);
            let (Some(&only), None) = (unknown.next(), unknown.next()) else {
                continue;
            };
            if self.state[only] != State::Hidden {
                continue;
            }
            let Some(c) = self.smallest_shown(r) else {
                continue;
            };
            self.state[c] = State::Hidden;
            hidden.push(c);
            for &other in &self.member_of[c] {
                if !queued[other] {
                    queued[other] = true;
                    queue.push(Reverse((self.relations[other].len(), other)));
                }
            }
        }
    }

    /// The smallest published value of relation `r`: non-zero ones first
    /// (hiding a zero protects little), then by size, then by position.
    fn smallest_shown(&self, r: usize) -> Option<usize> {
        self.relations[r]
            .iter()
            .copied()
            .filter(|&c| self.hideable(c))
            .min_by(|&a, &b| self.cost(a).total_cmp(&self.cost(b)).then(a.cmp(&b)))
    }

    fn cost(&self, c: usize) -> f64 {
        match self.raw[c] {
            Some(n) if n != 0.0 => n.abs(),
            // Zero (or no number) after every non-zero value.
            _ => f64::MAX,
        }
    }

    /// For a value that sums give away together: the cheapest published
    /// value of its block whose hiding stops that, or else the cheapest of
    /// the sums it is in.
    fn best_protection(&mut self, cell: usize) -> Option<usize> {
        let mut candidates: Vec<usize> = self
            .block_of(cell)
            .iter()
            .flat_map(|&r| self.relations[r].iter().copied())
            .filter(|&c| self.hideable(c))
            .collect();
        candidates.sort_by(|&a, &b| self.cost(a).total_cmp(&self.cost(b)).then(a.cmp(&b)));
        candidates.dedup();
        for &c in candidates.iter().take(24) {
            self.state[c] = State::Hidden;
            let still = self.is_determined(cell);
            self.state[c] = State::Shown;
            if !still {
                return Some(c);
            }
        }
        candidates.first().copied()
    }

    /// The relations linked to `cell` through unknown values.
    fn block_of(&self, cell: usize) -> Vec<usize> {
        let mut seen_cell = std::collections::HashSet::from([cell]);
        let mut seen_relation = std::collections::HashSet::new();
        let mut stack = vec![cell];
        let mut out = Vec::new();
        while let Some(c) = stack.pop() {
            for &r in &self.member_of[c] {
                if seen_relation.insert(r) {
                    out.push(r);
                    for &o in &self.relations[r] {
                        if self.state[o] != State::Shown && seen_cell.insert(o) {
                            stack.push(o);
                        }
                    }
                }
            }
        }
        out
    }

    /// Hidden cells that the relations determine together, found by
    /// reducing each connected block of unknowns to row echelon form: a
    /// row left with a single unknown pins it.
    fn exposed_by_combination(&self) -> Vec<usize> {
        let mut exposed = Vec::new();
        for block in self.unknown_blocks() {
            exposed.extend(self.determined(&block.cells, &block.relations));
        }
        exposed.sort_unstable();
        exposed.dedup();
        exposed
    }

    /// Whether the sums linked to `cell` determine it.
    fn is_determined(&self, cell: usize) -> bool {
        let relations = self.block_of(cell);
        let mut cells: Vec<usize> = relations
            .iter()
            .flat_map(|&r| self.relations[r].iter().copied())
            .filter(|&c| self.state[c] != State::Shown)
            .collect();
        cells.sort_unstable();
        cells.dedup();
        self.determined(&cells, &relations).contains(&cell)
    }

    /// The hidden cells among `cells` that `relations` pin down.
    fn determined(&self, cells: &[usize], relations: &[usize]) -> Vec<usize> {
        let columns: HashMap<usize, usize> =
            cells.iter().enumerate().map(|(j, &c)| (c, j)).collect();
        let mut rows: Vec<Vec<f64>> = relations
            .iter()
            .map(|&r| {
                let mut row = vec![0.0; columns.len()];
                for (k, &c) in self.relations[r].iter().enumerate() {
                    if let Some(&j) = columns.get(&c) {
                        row[j] += if k == 0 { 1.0 } else { -1.0 };
                    }
                }
                row
            })
            .collect();
        reduce(&mut rows);
        let mut out = Vec::new();
        for row in &rows {
            let mut nonzero = row.iter().enumerate().filter(|(_, x)| x.abs() > 1e-9);
            if let (Some((j, _)), None) = (nonzero.next(), nonzero.next())
                && self.state[cells[j]] == State::Hidden
            {
                out.push(cells[j]);
            }
        }
        out
    }

    /// Unknown cells linked through relations, with the relations that
    /// link them; only blocks that hold a hidden cell and more than one
    /// relation (one relation alone is the single-unknown rule's).
    fn unknown_blocks(&self) -> Vec<Block> {
        let mut block_of: Vec<Option<usize>> = vec![None; self.cells.len()];
        let mut blocks = Vec::new();
        for start in 0..self.cells.len() {
            if self.state[start] != State::Hidden || block_of[start].is_some() {
                continue;
            }
            let id = blocks.len();
            let mut block = Block::default();
            let mut stack = vec![start];
            block_of[start] = Some(id);
            let mut seen_relation = std::collections::HashSet::new();
            while let Some(c) = stack.pop() {
                block.cells.push(c);
                for &r in &self.member_of[c] {
                    if !seen_relation.insert(r) {
                        continue;
                    }
                    block.relations.push(r);
                    for &o in &self.relations[r] {
                        if self.state[o] != State::Shown && block_of[o].is_none() {
                            block_of[o] = Some(id);
                            stack.push(o);
                        }
                    }
                }
            }
            if block.relations.len() > 1 {
                blocks.push(block);
            }
        }
        blocks
    }
}

#[derive(Default)]
struct Block {
    cells: Vec<usize>,
    relations: Vec<usize>,
}

/// Gauss–Jordan elimination in place, partial pivoting.
fn reduce(rows: &mut [Vec<f64>]) {
    let Some(width) = rows.first().map(Vec::len) else {
        return;
    };
    let mut pivot_row = 0;
    for col in 0..width {
        let Some(best) = (pivot_row..rows.len())
            .max_by(|&a, &b| rows[a][col].abs().total_cmp(&rows[b][col].abs()))
        else {
            break;
        };
        if rows[best][col].abs() < 1e-9 {
            continue;
        }
        rows.swap(pivot_row, best);
        let p = rows[pivot_row][col];
        for x in rows[pivot_row].iter_mut() {
            *x /= p;
        }
        let pivot = rows[pivot_row].clone();
        for (i, row) in rows.iter_mut().enumerate() {
            if i == pivot_row || row[col].abs() < 1e-12 {
                continue;
            }
            let f = row[col];
            for (x, y) in row.iter_mut().zip(&pivot) {
                *x -= f * y;
            }
        }
        pivot_row += 1;
        if pivot_row == rows.len() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::relations::{CellKey, RelationKind};

    fn cell(unit: &str) -> CellKey {
        (SeriesKey::total("cases", unit), Period::quarter(2024, 1))
    }

    fn relations(sums: &[(&str, &[&str])]) -> Relations {
        let sums = sums
            .iter()
            .map(|(total, parts)| {
                let parts = parts.iter().map(|p| cell(p)).collect();
                (RelationKind::Parent, cell(total), parts)
            })
            .collect();
        Relations::from_keys(sums)
    }

    #[test]
    fn a_lone_hidden_part_takes_the_smallest_sibling_with_it() {
        let rels = relations(&[("all", &["a", "b", "c"])]);
        let raw = |k: &SeriesKey, _| {
            Some(match k.unit.as_str() {
                "all" => 152.0,
                "a" => 3.0,
                "b" => 40.0,
                _ => 109.0,
            })
        };
        let state = |k: &SeriesKey, _| {
            if k.unit == "a" {
                State::Hidden
            } else {
                State::Shown
            }
        };
        let mut t = Table::new(&rels, state, raw);
        let hidden: Vec<&str> = t
            .protect()
            .into_iter()
            .map(|i| rels.series(t.cells[i]).unit.as_str())
            .collect();
        assert_eq!(hidden, ["b"]);
    }

    #[test]
    fn a_hierarchy_solved_as_a_system_is_protected() {
        // all = x + y; x = x1 + x2; y = y1 + y2. Hidden: x1 and y1, with x
        // and y hidden too: each sum has two unknowns, but `all` together
        // with x2 and y2 gives x1 + y1, and the sums below give x1 - x.
        let rels = relations(&[
            ("all", &["x", "y"]),
            ("x", &["x1", "x2"]),
            ("y", &["y1", "y2"]),
        ]);
        let hidden = ["x1", "x"];
        let state = |k: &SeriesKey, _| {
            if hidden.contains(&k.unit.as_str()) {
                State::Hidden
            } else {
                State::Shown
            }
        };
        let mut t = Table::new(&rels, state, |_, _| Some(10.0));
        let added = t.protect();
        assert!(!added.is_empty(), "all − y gives x, then x − x2 gives x1");
        assert!(t.exposed_by_combination().is_empty());
    }
}
