//! Observed values and their status symbols (§3.4).
//!
//! A symbol is a typed marker, never a number: suppressed is not zero, and
//! not applicable is not missing.

use serde::Serialize;

/// The status of one observation. The first group carries a number, the
/// second replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Empty status: a final value.
    Final,
    /// `p`
    Provisional,
    /// `r`
    Revised,
    /// `e`
    Estimated,
    /// `u`: low reliability (may come with or without a number).
    LowReliability,
    /// `..` or `NA`: not available.
    NotAvailable,
    /// `.` or `z`: cannot occur / not applicable.
    NotApplicable,
    /// `x`, `c` or `U`: suppressed at the source.
    Suppressed,
    /// `low`: rounds to zero but is not zero.
    RoundsToZero,
    /// Withheld by insyn's own disclosure control (H9, `crate::disclosure`);
    /// never read from a file.
    Withheld(Withheld),
}

/// Why insyn withholds a value that the data has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Withheld {
    /// A count from 1 to `suppress_below - 1` (primary suppression): `<5`.
    SmallCount,
    /// A ratio on a withheld count, or on staffing under `min_unit_fte`.
    Ratio,
    /// The unit had less staffing than `min_unit_fte` in this period: the
    /// value only counts in its parent's and area's totals.
    SmallUnit,
    /// Hidden only so that another hidden value cannot be worked out by
    /// subtraction from a total (secondary suppression).
    Protects,
}

impl Status {
    /// Every status a published value can carry but `Final`, in the order
    /// their symbols are explained to readers (the data page's legend).
    pub const EXPLAINED: [Status; 11] = [
        Status::Provisional,
        Status::Revised,
        Status::Estimated,
        Status::LowReliability,
        Status::NotAvailable,
        Status::NotApplicable,
        Status::Suppressed,
        Status::Withheld(Withheld::SmallUnit),
        Status::Withheld(Withheld::Protects),
        Status::Withheld(Withheld::Ratio),
        Status::RoundsToZero,
    ];

    /// Reads a status symbol as written in a status column or a wide cell.
    /// The empty string is `Final`.
    pub fn from_symbol(symbol: &str) -> Option<Status> {
        Some(match symbol.trim() {
            "" => Status::Final,
            "p" | "P" => Status::Provisional,
            "r" | "R" => Status::Revised,
            "e" | "E" => Status::Estimated,
            "u" => Status::LowReliability,
            ".." | "NA" | "na" | "N/A" | "n/a" => Status::NotAvailable,
            "." | "z" | "Z" => Status::NotApplicable,
            "x" | "X" | "c" | "C" | "U" => Status::Suppressed,
            "low" | "LOW" | "Low" => Status::RoundsToZero,
            _ => return None,
        })
    }

    /// The canonical symbol written in downloads (`""` for final).
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Final => "",
            Status::Provisional => "p",
            Status::Revised => "r",
            Status::Estimated => "e",
            Status::LowReliability => "u",
            Status::NotAvailable => "..",
            Status::NotApplicable => ".",
            Status::Suppressed => "x",
            Status::RoundsToZero => "low",
            Status::Withheld(_) => "x",
        }
    }

    /// Whether this status may stand beside a number.
    pub fn qualifies_number(self) -> bool {
        matches!(
            self,
            Status::Final
                | Status::Provisional
                | Status::Revised
                | Status::Estimated
                | Status::LowReliability
        )
    }
}

/// The symbols accepted, for error messages.
pub const SYMBOLS_EXPECTED: &str = "a number, or a symbol: `p` provisional, `r` revised, `e` estimated, `..`/`NA` not available, `.`/`z` not applicable, `x`/`c`/`U` suppressed, `low` rounds to zero, `u` low reliability";

/// One observation's value: a number with its status, or a status alone.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Value {
    pub number: Option<f64>,
    pub status: Status,
}

impl Value {
    pub fn final_(number: f64) -> Value {
        Value {
            number: Some(number),
            status: Status::Final,
        }
    }
    pub fn symbol(status: Status) -> Value {
        Value {
            number: None,
            status,
        }
    }
    pub fn is_provisional(&self) -> bool {
        self.status == Status::Provisional
    }
}
