//! Derived ratio measures (`ratio = [numerator, denominator]`, §3.3).
//!
//! Privacy: a ratio whose numerator is a small count (below
//! `privacy.suppress_below`) can reveal that count when the denominator is
//! published. Nothing is marked here: the publication layer (H9, see
//! `data::privacy`) must suppress such ratios wherever they are shown.

use std::collections::BTreeMap;

use crate::data::dataset::{Observation, Series, SeriesKey};
use crate::data::model::Measures;
use crate::data::value::{Status, Value};

/// How strongly a status qualifies a number; a ratio takes the weakest
/// (highest) of its operands: provisional over estimated over low
/// reliability over revised over final.
pub(crate) fn weakness(status: Status) -> u8 {
    match status {
        Status::Final => 0,
        Status::Revised => 1,
        Status::LowReliability => 2,
        Status::Estimated => 3,
        Status::Provisional => 4,
        _ => 5,
    }
}

/// One ratio value. An operand without a number gives no number with that
/// operand's status (the numerator's first); a zero denominator gives no
/// number, not applicable (never infinity).
pub fn ratio_value(num: &Value, den: &Value) -> Value {
    let (n, d) = match (num.number, den.number) {
        (None, _) => return Value::symbol(num.status),
        (_, None) => return Value::symbol(den.status),
        (Some(n), Some(d)) => (n, d),
    };
    if d == 0.0 {
        return Value::symbol(Status::NotApplicable);
    }
    let status = if weakness(num.status) >= weakness(den.status) {
        num.status
    } else {
        den.status
    };
    let q = n / d;
    if !q.is_finite() {
        return Value::symbol(Status::NotApplicable);
    }
    Value {
        number: Some(q),
        status,
    }
}

/// Adds the series of every derived measure, per unit, period and group
/// where both operands exist. Derived measures built on other derived ones
/// are computed after them; cyclic ones (an error in measures.toml) are
/// left out.
pub fn compute_derived(measures: &Measures, series: &mut BTreeMap<SeriesKey, Series>) {
    let mut pending: Vec<(&str, &str, &str)> = measures
        .measures
        .values()
        .filter_map(|m| {
            m.ratio
                .as_ref()
                .map(|(a, b)| (m.id.as_str(), a.as_str(), b.as_str()))
        })
        .collect();
    let is_ready = |op: &str, pending: &[(&str, &str, &str)]| pending.iter().all(|p| p.0 != op);
    while !pending.is_empty() {
        let Some(i) = pending
            .iter()
            .position(|(_, a, b)| is_ready(a, &pending) && is_ready(b, &pending))
        else {
            break;
        };
        let (id, num, den) = pending.remove(i);
        let mut added = Vec::new();
        for (key, num_series) in series.iter().filter(|(k, _)| k.measure == num) {
            let den_key = SeriesKey {
                measure: den.to_string(),
                unit: key.unit.clone(),
                group: key.group.clone(),
            };
            let Some(den_series) = series.get(&den_key) else {
                continue;
            };
            let mut out = Series::default();
            for (period, n) in &num_series.points {
                if let Some(d) = den_series.points.get(period) {
                    out.points.insert(
                        *period,
                        Observation {
                            value: ratio_value(&n.value, &d.value),
                            origin: None,
                        },
                    );
                }
            }
            if !out.points.is_empty() {
                let key = SeriesKey {
                    measure: id.to_string(),
                    unit: key.unit.clone(),
                    group: key.group.clone(),
                };
                added.push((key, out));
            }
        }
        series.extend(added);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(n: f64, status: Status) -> Value {
        Value {
            number: Some(n),
            status,
        }
    }

    #[test]
    fn divides_and_takes_the_weakest_status() {
        assert_eq!(
            ratio_value(&v(30.0, Status::Final), &v(3.0, Status::Final)),
            v(10.0, Status::Final)
        );
        assert_eq!(
            ratio_value(&v(30.0, Status::Final), &v(3.0, Status::Provisional)),
            v(10.0, Status::Provisional)
        );
        assert_eq!(
            ratio_value(&v(30.0, Status::Estimated), &v(3.0, Status::Revised)),
            v(10.0, Status::Estimated)
        );
        assert_eq!(
            ratio_value(&v(30.0, Status::Estimated), &v(3.0, Status::Provisional)),
            v(10.0, Status::Provisional)
        );
    }

    #[test]
    fn zero_denominator_is_not_applicable_never_infinite() {
        assert_eq!(
            ratio_value(&v(30.0, Status::Final), &v(0.0, Status::Final)),
            Value::symbol(Status::NotApplicable)
        );
        assert_eq!(
            ratio_value(&v(0.0, Status::Final), &v(0.0, Status::Final)),
            Value::symbol(Status::NotApplicable)
        );
    }

    #[test]
    fn missing_number_carries_the_operand_symbol() {
        assert_eq!(
            ratio_value(&Value::symbol(Status::Suppressed), &v(3.0, Status::Final)),
            Value::symbol(Status::Suppressed)
        );
        assert_eq!(
            ratio_value(&v(3.0, Status::Final), &Value::symbol(Status::NotAvailable)),
            Value::symbol(Status::NotAvailable)
        );
    }
}
