//! A value as the published view shows it, as text for a table cell.

use crate::data::privacy::{Shown, shown};
use crate::data::{Measure, Status, Value};
use crate::format;
use crate::text::Lang;

/// A value of `measure` as published: formatted, suppressed or as a
/// symbol's words; empty where the series has no value for the period.
/// Takes the value itself: the tables that show thousands of them look
/// each series up once, not once per value.
pub(super) fn shown_text(
    measure: &Measure,
    value: Option<&Value>,
    lang: Lang,
    below: u32,
) -> String {
    let Some(value) = value else {
        return String::new();
    };
    match shown(value, measure.unit, below) {
        Shown::Number(n, status) => {
            let mut s = format::value(n, measure.unit, lang);
            if status != Status::Final {
                s.push(' ');
                s.push_str(status.symbol());
            }
            s
        }
        Shown::Suppressed { .. } => format!("<{below}"),
        Shown::Symbol(status) => status.symbol().to_string(),
    }
}
