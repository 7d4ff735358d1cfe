//! What a reader learns from ranges (H9): a value published as `<5` is
//! known to be a whole number from 1 to 4, and a withheld count is at least
//! 0. Through a sum, such ranges can leave one value: two small counts
//! that add up to 2 are both 1, and to 8 both 4. Solving the sums (the
//! audit's row reduction) cannot see that; narrowing every value's range
//! through every sum of whole counts until nothing changes does.
//!
//! Used by secondary suppression, which hides a further value of such a
//! sum, and by the audit, which fails the build on any value a range still
//! pins down.

/// What a reader knows of one count: a whole number from `lo` to `hi`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub lo: f64,
    pub hi: f64,
}

impl Range {
    /// A published number.
    pub fn exact(n: f64) -> Range {
        Range { lo: n, hi: n }
    }

    /// A count withheld as small: from 1 to `below - 1`.
    pub fn small(below: u32) -> Range {
        Range {
            lo: 1.0,
            hi: f64::from(below.max(2) - 1),
        }
    }

    /// A count withheld for another reason, or not available: not negative.
    pub fn unknown() -> Range {
        Range {
            lo: 0.0,
            hi: f64::INFINITY,
        }
    }

    /// Only one whole number is left.
    pub fn is_one_value(self) -> bool {
        self.hi - self.lo < 0.5
    }
}

/// What a reader knows of one value of a sum of counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Known {
    /// Published (or known otherwise) as this number.
    Number(f64),
    /// Withheld as a small count: 1 to `below - 1`.
    Small,
    /// Withheld for another reason, or not available.
    Unknown,
}

/// The withheld small counts that `rows` (sums, by cell number: the total
/// first) leave one value for, each with the first of `rows` it is in and
/// the value. Only sums of counts (`counting`, by row) whose known numbers
/// are whole and that withhold something are narrowed: the one selection
/// both secondary suppression and the audit make.
pub fn pinned_small_counts(
    rows: &[Vec<usize>],
    counting: impl Fn(usize) -> bool,
    known: impl Fn(usize) -> Known,
    below: u32,
) -> Vec<(usize, usize, f64)> {
    let number = |c: usize| match known(c) {
        Known::Number(n) => Some(n),
        _ => None,
    };
    // A sum with nothing withheld narrows nothing; one with a withheld
    // value that is no small count may narrow it for another sum.
    let chosen: Vec<usize> = (0..rows.len())
        .filter(|&r| {
            counting(r)
                && rows[r].iter().any(|&c| number(c).is_none())
                && whole(rows[r].iter().filter_map(|&c| number(c)))
        })
        .collect();
    if !chosen
        .iter()
        .any(|&r| rows[r].iter().any(|&c| known(c) == Known::Small))
    {
        return Vec::new();
    }
    let chosen_rows: Vec<&[usize]> = chosen.iter().map(|&r| rows[r].as_slice()).collect();
    let range_of = |c: usize| match known(c) {
        Known::Number(n) => Range::exact(n),
        Known::Small => Range::small(below),
        Known::Unknown => Range::unknown(),
    };
    pinned(&chosen_rows, range_of)
        .into_iter()
        .filter(|&(c, _)| known(c) == Known::Small)
        .filter_map(|(c, value)| {
            let r = chosen.iter().copied().find(|&r| rows[r].contains(&c))?;
            Some((c, r, value))
        })
        .collect()
}

/// The cells that `rows` (sums of whole counts, by cell number: the total
/// first) leave a single value for, though `range_of` gives them more:
/// each with that value. Works on the cells of `rows` only, however many
/// cells the numbering has.
pub fn pinned(rows: &[&[usize]], range_of: impl Fn(usize) -> Range) -> Vec<(usize, f64)> {
    let mut local: rustc_hash::FxHashMap<usize, usize> = Default::default();
    let mut cells = Vec::new();
    let rows: Vec<Vec<usize>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|&c| {
                    *local.entry(c).or_insert_with(|| {
                        cells.push(c);
                        cells.len() - 1
                    })
                })
                .collect()
        })
        .collect();
    let before: Vec<Range> = cells.iter().map(|&c| range_of(c)).collect();
    let mut after = before.clone();
    narrow(&rows, &mut after);
    cells
        .iter()
        .zip(before.iter().zip(&after))
        .filter(|(_, (b, a))| !b.is_one_value() && a.is_one_value())
        .map(|(&c, (_, a))| (c, a.lo))
        .collect()
}

/// Narrows `ranges` through `rows` (each a sum, by cell index: the total
/// first, then its parts) until no range changes. Only sums of whole counts
/// belong in `rows`: the narrowing rounds to whole numbers.
pub fn narrow(rows: &[Vec<usize>], ranges: &mut [Range]) {
    let mut member_of: Vec<Vec<usize>> = vec![Vec::new(); ranges.len()];
    for (r, row) in rows.iter().enumerate() {
        for &c in row {
            member_of[c].push(r);
        }
    }
    let mut queued = vec![true; rows.len()];
    let mut queue: std::collections::VecDeque<usize> = (0..rows.len()).collect();
    // Each pass can only shrink ranges of whole numbers, so this ends; the
    // cap is for sums that contradict one another.
    let mut budget = rows.len().saturating_mul(64).max(1024);
    while let Some(r) = queue.pop_front() {
        queued[r] = false;
        budget -= 1;
        if budget == 0 {
            return;
        }
        for c in narrow_sum(&rows[r], ranges) {
            for &other in &member_of[c] {
                if !queued[other] {
                    queued[other] = true;
                    queue.push_back(other);
                }
            }
        }
    }
}

/// One sum, `total = parts`: each value lies between the total's range
/// minus the others' ranges. Returns the cells whose range shrank.
fn narrow_sum(row: &[usize], ranges: &mut [Range]) -> Vec<usize> {
    let (total, parts) = (row[0], &row[1..]);
    let lo_sum: f64 = parts.iter().map(|&p| ranges[p].lo).sum();
    let unbounded = parts
        .iter()
        .filter(|&&p| ranges[p].hi.is_infinite())
        .count();
    let hi_sum: f64 = parts
        .iter()
        .map(|&p| ranges[p].hi)
        .filter(|h| h.is_finite())
        .sum();
    let parts_hi = if unbounded > 0 { f64::INFINITY } else { hi_sum };
    let mut changed = Vec::new();
    if tighten(&mut ranges[total], lo_sum, parts_hi) {
        changed.push(total);
    }
    let t = ranges[total];
    for &p in parts {
        let own = ranges[p];
        let others_lo = lo_sum - own.lo;
        let others_unbounded = unbounded - usize::from(own.hi.is_infinite());
        let others_hi = if others_unbounded > 0 {
            f64::INFINITY
        } else if own.hi.is_finite() {
            hi_sum - own.hi
        } else {
            hi_sum
        };
        let lo = t.lo - others_hi;
        let hi = t.hi - others_lo;
        if tighten(&mut ranges[p], lo, hi) {
            changed.push(p);
        }
    }
    changed
}

/// Shrinks `range` to `lo..=hi` rounded inward to whole numbers, unless
/// that would leave nothing (sums that contradict one another, which a
/// reader cannot use either). Whether it shrank.
fn tighten(range: &mut Range, lo: f64, hi: f64) -> bool {
    let lo = if lo.is_finite() {
        (lo - 1e-6).ceil()
    } else {
        lo
    };
    let hi = if hi.is_finite() {
        (hi + 1e-6).floor()
    } else {
        hi
    };
    let new = Range {
        lo: range.lo.max(lo),
        hi: range.hi.min(hi),
    };
    if new.lo > new.hi + 1e-9 || new == *range {
        return false;
    }
    *range = new;
    true
}

/// Whether a sum's published numbers are all whole (only then does a
/// reader know its withheld counts to be whole too).
pub fn whole(numbers: impl IntoIterator<Item = f64>) -> bool {
    numbers.into_iter().all(|n| n >= 0.0 && n.fract() == 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn narrowed(rows: &[Vec<usize>], mut ranges: Vec<Range>) -> Vec<Range> {
        narrow(rows, &mut ranges);
        ranges
    }

    #[test]
    fn two_small_counts_adding_up_to_2_or_8_are_pinned_and_to_5_are_not() {
        // total = a + b + c, with c published.
        let rows = vec![vec![0, 1, 2, 3]];
        for (sum, pinned) in [(52.0, Some(1.0)), (58.0, Some(4.0)), (55.0, None)] {
            let r = narrowed(
                &rows,
                vec![
                    Range::exact(sum),
                    Range::small(5),
                    Range::small(5),
                    Range::exact(50.0),
                ],
            );
            for cell in [1, 2] {
                assert_eq!(
                    r[cell].is_one_value().then_some(r[cell].lo),
                    pinned,
                    "{sum}: {:?}",
                    r[cell]
                );
            }
        }
    }

    #[test]
    fn an_unknown_value_in_the_sum_leaves_the_small_ones_open() {
        let rows = vec![vec![0, 1, 2, 3]];
        let r = narrowed(
            &rows,
            vec![
                Range::exact(52.0),
                Range::small(5),
                Range::small(5),
                Range::unknown(),
            ],
        );
        assert!(!r[1].is_one_value() && !r[2].is_one_value(), "{r:?}");
        assert_eq!(r[3], Range { lo: 44.0, hi: 50.0 });
    }

    /// A range narrowed by one sum narrows another: one sum gives
    /// a + b = 5 (each 1 to 4), another a = b + 3 (3 published), so a is
    /// at least 4, hence 4, and b is 1.
    #[test]
    fn ranges_are_carried_from_sum_to_sum() {
        let rows = vec![vec![0, 1, 2], vec![1, 2, 3]];
        let r = narrowed(
            &rows,
            vec![
                Range::exact(5.0),
                Range::small(5),
                Range::small(5),
                Range::exact(3.0),
            ],
        );
        assert_eq!((r[1], r[2]), (Range::exact(4.0), Range::exact(1.0)));
    }

    #[test]
    fn a_hidden_total_is_narrowed_by_its_parts() {
        let rows = vec![vec![0, 1, 2]];
        let r = narrowed(
            &rows,
            vec![Range::small(5), Range::exact(0.0), Range::small(5)],
        );
        assert_eq!(
            (r[0], r[2]),
            (Range { lo: 1.0, hi: 4.0 }, Range { lo: 1.0, hi: 4.0 })
        );
    }

    #[test]
    fn sums_that_contradict_one_another_end() {
        let rows = vec![vec![0, 1], vec![0, 2], vec![1, 2, 3]];
        narrowed(
            &rows,
            vec![
                Range::small(5),
                Range::small(5),
                Range::small(5),
                Range::exact(7.0),
            ],
        );
    }

    #[test]
    fn pinned_names_the_cells_by_their_own_numbers() {
        // Cells 10, 20, 30, 40 of some larger numbering.
        let rows: Vec<&[usize]> = vec![&[40, 10, 20, 30]];
        let range_of = |c| match c {
            40 => Range::exact(10.0),
            30 => Range::exact(2.0),
            _ => Range::small(5),
        };
        assert_eq!(pinned(&rows, range_of), [(10, 4.0), (20, 4.0)]);
    }

    #[test]
    fn only_whole_non_negative_numbers_are_whole() {
        assert!(whole([0.0, 3.0, 120.0]));
        assert!(!whole([2.5]));
        assert!(!whole([-1.0]));
    }
}
