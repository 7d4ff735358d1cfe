//! Words used by charts, in Swedish and English.

use crate::data::{MeasureUnit, Period, Status, Withheld};
use crate::format;
use crate::text::Lang;

pub fn t(lang: Lang, sv: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Sv => sv,
        Lang::En => en,
    }
}

/// The unit of an axis.
pub fn unit_name(unit: MeasureUnit, lang: Lang) -> &'static str {
    match unit {
        MeasureUnit::Count => t(lang, "Antal", "Number"),
        MeasureUnit::Fte => t(lang, "Årsarbetare", "Full-time equivalents"),
        MeasureUnit::Percent => t(lang, "Procent", "Per cent"),
        MeasureUnit::Days => t(lang, "Dagar", "Days"),
        MeasureUnit::Points => t(lang, "Poäng", "Points"),
        MeasureUnit::Ratio => t(lang, "Kvot", "Ratio"),
    }
}

/// What a status symbol means, for notes and limitations.
pub fn status_meaning(status: Status, lang: Lang) -> &'static str {
    match status {
        Status::Final => "",
        Status::Provisional => t(lang, "preliminärt värde", "provisional value"),
        Status::Revised => t(lang, "reviderat värde", "revised value"),
        Status::Estimated => t(lang, "uppskattat värde", "estimated value"),
        Status::LowReliability => t(lang, "osäkert värde", "low reliability"),
        Status::NotAvailable => t(lang, "uppgift saknas", "not available"),
        Status::NotApplicable => t(lang, "kan inte förekomma", "not applicable"),
        Status::Suppressed => t(
            lang,
            "skyddad av källan (sekretess)",
            "suppressed at the source",
        ),
        Status::RoundsToZero => t(
            lang,
            "avrundas till noll men är inte noll",
            "rounds to zero but is not zero",
        ),
        Status::Withheld(why) => withheld_meaning(why, lang),
    }
}

/// Why insyn hides a value (H9), in the words a reader understands.
pub fn withheld_meaning(why: Withheld, lang: Lang) -> &'static str {
    match why {
        Withheld::SmallCount => t(
            lang,
            "för litet antal för att visas, så att ingen kan pekas ut",
            "too small a count to show, so that nobody can be identified",
        ),
        Withheld::Ratio => t(
            lang,
            "dolt eftersom det räknas fram ur ett dolt värde eller ur för få årsarbetare",
            "hidden because it is computed from a hidden value or from too few staff",
        ),
        Withheld::SmallUnit => t(
            lang,
            "dolt: enheten hade för få årsarbetare den perioden och räknas bara in i summorna",
            "hidden: the unit had too few staff in that period and only counts in the totals",
        ),
        Withheld::Protects => t(
            lang,
            "dolt för att skydda ett annat värde, som annars kunde räknas fram ur summan",
            "hidden to protect another value, which could otherwise be worked out from the total",
        ),
    }
}

/// `K1 2019–K3 2024`
pub fn span_short(from: Period, to: Period, lang: Lang) -> String {
    if from == to {
        format::period_short(from, lang)
    } else {
        format!(
            "{}–{}",
            format::period_short(from, lang),
            format::period_short(to, lang)
        )
    }
}

/// A list of periods: `K2 2023, K3 2023`.
pub fn period_list(periods: &[Period], lang: Lang) -> String {
    periods
        .iter()
        .map(|p| format::period_short(*p, lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `34 %` / `34%`: a magnitude of change, whole percent, no sign.
pub fn percent_abs(pct: f64, lang: Lang) -> String {
    let n = format::number(pct.abs().round(), 0, lang);
    match lang {
        Lang::Sv => format!("{n}{}%", format::NBSP),
        Lang::En => format!("{n}%"),
    }
}

/// Lower-cases the first letter of a label for use inside a sentence,
/// unless the label starts with an abbreviation ("FTE").
pub fn lc_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && b.is_uppercase() => s.to_string(),
        (Some(a), _) => a.to_lowercase().chain(s.chars().skip(1)).collect(),
        _ => String::new(),
    }
}

/// Upper-cases the first letter.
pub fn uc_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(a) => a.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Joins `a, b och c` / `a, b and c`.
pub fn join_and(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), t(lang, "och", "and")),
    }
}
