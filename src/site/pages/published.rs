//! A value as the published view shows it, as text for a table cell.

use crate::data::privacy::Shown;
use crate::data::{Period, SeriesKey, Status};
use crate::format;
use crate::site::Site;

/// A value as published: formatted, suppressed or as a symbol's words.
pub(super) fn shown_text(site: &Site, key: &SeriesKey, period: Period, below: u32) -> String {
    let lang = site.config.language;
    let Some(m) = site.data.measure(&key.measure) else {
        return String::new();
    };
    match site.published(key, period) {
        Some(Shown::Number(n, status)) => {
            let mut s = format::value(n, m.unit, lang);
            if status != Status::Final {
                s.push(' ');
                s.push_str(status.symbol());
            }
            s
        }
        Some(Shown::Suppressed { .. }) => format!("<{below}"),
        Some(Shown::Symbol(status)) => status.symbol().to_string(),
        None => String::new(),
    }
}
