//! How a value of the published view reads (H9). What is withheld is
//! decided once for the whole publication, in `crate::disclosure`.

use crate::data::dataset::{Dataset, SeriesKey};
use crate::data::model::MeasureUnit;
use crate::data::period::Period;
use crate::data::value::{Status, Value, Withheld};

/// A value as it may be shown to the public.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shown {
    /// A number that may be published, with its status.
    Number(f64, Status),
    /// A small count (1 ≤ n < threshold), or a value computed from one,
    /// published only as `<threshold`.
    Suppressed { below: u32 },
    /// No number: a status symbol (not available, not applicable, suppressed
    /// at the source, rounds to zero).
    Symbol(Status),
}

/// How one value of the published view (see `crate::disclosure`) reads.
/// A small count that somehow reached here unwithheld is still shown as
/// `<threshold`: this is the last line, not the first.
pub fn shown(value: &Value, unit: MeasureUnit, suppress_below: u32) -> Shown {
    match value.number {
        None if value.status == Status::Withheld(Withheld::SmallCount) => Shown::Suppressed {
            below: suppress_below,
        },
        None => Shown::Symbol(value.status),
        Some(n) if unit.is_count() && is_small_count(n, suppress_below) => Shown::Suppressed {
            below: suppress_below,
        },
        Some(n) => Shown::Number(n, value.status),
    }
}

/// Whether a count must not be published: 1 ≤ n < threshold. Zero is
/// published; it discloses nobody.
pub fn is_small_count(n: f64, suppress_below: u32) -> bool {
    n > 0.0 && n < suppress_below as f64
}

/// Whether a ratio dividing by `staff` full-time staff is one or two
/// people's figure and must not be published (H9): more than none, fewer
/// than `min_unit_fte`. The rule for declared ratios (`disclosure`) and
/// for the ratios a chart computes alike.
pub fn is_too_few_staff(staff: f64, min_unit_fte: f64) -> bool {
    staff > 0.0 && staff < min_unit_fte
}

/// One value of the published view as it may be shown. `data` must be the
/// view (`Site::data`), where disclosure control has already withheld
/// whatever must not be published.
pub fn published(
    data: &Dataset,
    key: &SeriesKey,
    period: Period,
    suppress_below: u32,
) -> Option<Shown> {
    let m = data.measure(&key.measure)?;
    let value = data.series_for(key)?.get(period)?;
    Some(shown(value, m.unit, suppress_below))
}

impl Shown {
    pub fn number(&self) -> Option<f64> {
        match self {
            Shown::Number(n, _) => Some(*n),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_suppressed_zero_and_fte_are_not() {
        let v = |n| Value::final_(n);
        assert_eq!(
            shown(&v(3.0), MeasureUnit::Count, 5),
            Shown::Suppressed { below: 5 }
        );
        assert_eq!(
            shown(&v(0.0), MeasureUnit::Count, 5),
            Shown::Number(0.0, Status::Final)
        );
        assert_eq!(
            shown(&v(5.0), MeasureUnit::Count, 5),
            Shown::Number(5.0, Status::Final)
        );
        assert_eq!(
            shown(&v(2.0), MeasureUnit::Fte, 5),
            Shown::Number(2.0, Status::Final)
        );
        assert_eq!(
            shown(&Value::symbol(Status::Suppressed), MeasureUnit::Count, 5),
            Shown::Symbol(Status::Suppressed)
        );
    }
}
