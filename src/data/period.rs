//! Reporting periods: quarters and years, and every spelling of them that
//! Swedish and English extracts use (§3.4).

use std::fmt;

/// A quarter (`2024Q3`) or a year (`2024`).
///
/// Ordering is chronological within one kind; a measure never mixes kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Year(i32),
    Quarter { year: i32, quarter: u8 },
}

impl Period {
    pub fn quarter(year: i32, quarter: u8) -> Period {
        debug_assert!((1..=4).contains(&quarter));
        Period::Quarter { year, quarter }
    }

    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Quarter { year: y, .. } => y,
        }
    }

    pub fn is_quarter(self) -> bool {
        matches!(self, Period::Quarter { .. })
    }

    /// A running number: consecutive periods of one kind differ by 1, so gaps
    /// can be found by subtraction.
    pub fn ordinal(self) -> i64 {
        match self {
            Period::Year(y) => y as i64,
            Period::Quarter { year, quarter } => year as i64 * 4 + (quarter as i64 - 1),
        }
    }

    pub fn from_ordinal(ordinal: i64, quarterly: bool) -> Period {
        if quarterly {
            Period::Quarter {
                year: ordinal.div_euclid(4) as i32,
                quarter: (ordinal.rem_euclid(4) + 1) as u8,
            }
        } else {
            Period::Year(ordinal as i32)
        }
    }

    pub fn next(self) -> Period {
        Period::from_ordinal(self.ordinal() + 1, self.is_quarter())
    }

    /// Every period from `self` to `to`, both included.
    pub fn range_to(self, to: Period) -> impl Iterator<Item = Period> {
        let quarterly = self.is_quarter();
        (self.ordinal()..=to.ordinal()).map(move |o| Period::from_ordinal(o, quarterly))
    }

    /// Parses every accepted spelling: `2024Q1`, `2024-Q1`, `2024 Q1`,
    /// `Q1 2024`, `2024K1`, `2024 kv1`, `kv 1 2024`, `Kv1 2024`, `2024:1`,
    /// and a plain year `2024`.
    pub fn parse(text: &str) -> Option<Period> {
        let s = text.trim().to_lowercase();
        if s.is_empty() {
            return None;
        }
        if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            return s.parse().ok().map(Period::Year);
        }
        // Split into runs of digits and runs of letters, ignoring separators.
        let mut tokens: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut current_is_digit = None;
        for c in s.chars() {
            let kind = if c.is_ascii_digit() {
                Some(true)
            } else if c.is_alphabetic() {
                Some(false)
            } else if matches!(c, ' ' | '-' | '_' | ':' | '/' | '.' | '\u{a0}') {
                None
            } else {
                return None;
            };
            if kind != current_is_digit && !current.is_empty() {
                tokens.push(std::mem::take(&mut current));
            }
            if let Some(k) = kind {
                current.push(c);
                current_is_digit = Some(k);
            } else {
                current_is_digit = None;
            }
        }
        if !current.is_empty() {
            tokens.push(current);
        }
        let is_year = |t: &str| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit());
        let is_q = |t: &str| t.len() == 1 && matches!(t.as_bytes()[0], b'1'..=b'4');
        let is_marker = |t: &str| matches!(t, "q" | "k" | "kv" | "kvartal");
        let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
        let (year, quarter) = match tokens.as_slice() {
            [y, m, q] if is_year(y) && is_marker(m) && is_q(q) => (*y, *q),
            [m, q, y] if is_marker(m) && is_q(q) && is_year(y) => (*y, *q),
            [y, q] if is_year(y) && is_q(q) && s.contains(':') => (*y, *q),
            _ => return None,
        };
        let year: i32 = year.parse().ok()?;
        let quarter: u8 = quarter.parse().ok()?;
        Some(Period::Quarter { year, quarter })
    }
}

/// The canonical spelling used in files, addresses and specs: `2024Q3`, `2024`.
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Four digits, so that `0024Q1` prints as it reads back (found
            // by fuzzing: it printed as `24Q1`, which no parser accepts).
            Period::Year(y) => write!(f, "{y:04}"),
            Period::Quarter { year, quarter } => write!(f, "{year:04}Q{quarter}"),
        }
    }
}

impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl std::str::FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s).ok_or_else(|| format!("`{s}` is not a period"))
    }
}

/// What a period field accepts, for error messages.
pub const PERIOD_EXPECTED: &str =
    "a quarter such as `2024Q3`, `2024-Q3`, `2024K3`, `kv 3 2024`, or a year such as `2024`";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quarter_spelling_reads_the_same() {
        let want = Period::quarter(2024, 1);
        for s in [
            "2024Q1",
            "2024-Q1",
            "2024 Q1",
            "Q1 2024",
            "2024K1",
            "2024 kv1",
            "kv 1 2024",
            "Kv1 2024",
            "2024q1",
            " 2024Q1 ",
            "2024:1",
            "2024 kvartal 1",
            "kvartal 1 2024",
        ] {
            assert_eq!(Period::parse(s), Some(want), "{s}");
        }
    }

    #[test]
    fn years_and_rejections() {
        assert_eq!(Period::parse("2024"), Some(Period::Year(2024)));
        for s in [
            "",
            "2024Q5",
            "2024Q0",
            "24Q1",
            "Q1",
            "2024-13",
            "abc",
            "2024 Q1 x",
            "20245",
        ] {
            assert_eq!(Period::parse(s), None, "{s}");
        }
    }

    #[test]
    fn ordinal_round_trips_and_orders() {
        let p = Period::quarter(2023, 4);
        assert_eq!(p.next(), Period::quarter(2024, 1));
        assert_eq!(Period::from_ordinal(p.ordinal(), true), p);
        assert!(Period::quarter(2023, 4) < Period::quarter(2024, 1));
        assert_eq!(p.to_string(), "2023Q4");
        assert_eq!(
            Period::quarter(2024, 1)
                .range_to(Period::quarter(2024, 4))
                .count(),
            4
        );
    }
}
