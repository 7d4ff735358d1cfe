//! Limitations as a page states them (H8, H10): each under a stable id, so
//! the same caveat met in several charts and inline figures of one page is
//! stated once, and the periods it concerns are merged.

use std::collections::BTreeSet;

use crate::chart::texts::{span_short, status_meaning, t, uc_first};
use crate::data::{Period, Status};
use crate::format;
use crate::text::Lang;

/// One limitation of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The anchor footnote marks link to: `lim-provisional`,
    /// `lim-break-open_cases-2022q1`, `lim-missing-nordost-placements`.
    pub id: String,
    pub text: NoteText,
}

/// The words of a limitation.
#[derive(Debug, Clone, PartialEq)]
pub enum NoteText {
    /// Said the same wherever it is met.
    Fixed(String),
    /// `{head}{periods}{tail}`: the periods from every chart and figure of
    /// the page are merged into one list of spans.
    Periods {
        head: String,
        periods: BTreeSet<Period>,
        tail: String,
        lang: Lang,
    },
}

impl Note {
    pub fn fixed(id: impl Into<String>, text: impl Into<String>) -> Note {
        Note {
            id: id.into(),
            text: NoteText::Fixed(text.into()),
        }
    }

    pub fn periods(
        id: impl Into<String>,
        head: impl Into<String>,
        periods: impl IntoIterator<Item = Period>,
        tail: impl Into<String>,
        lang: Lang,
    ) -> Note {
        Note {
            id: id.into(),
            text: NoteText::Periods {
                head: head.into(),
                periods: periods.into_iter().collect(),
                tail: tail.into(),
                lang,
            },
        }
    }

    /// Adds the periods of `other` (the same limitation met again).
    pub fn merge(&mut self, other: &Note) {
        if let (NoteText::Periods { periods, .. }, NoteText::Periods { periods: more, .. }) =
            (&mut self.text, &other.text)
        {
            periods.extend(more.iter().copied());
        }
    }

    /// The sentence as the page shows it.
    pub fn text(&self) -> String {
        match &self.text {
            NoteText::Fixed(s) => s.clone(),
            NoteText::Periods {
                head,
                periods,
                tail,
                lang,
            } if periods.is_empty() => format!("{}{tail}", head.trim_end_matches([':', ' '])),
            NoteText::Periods {
                head,
                periods,
                tail,
                lang,
            } => format!("{head}{}{tail}", spans(periods, *lang)),
        }
    }
}

/// Consecutive periods as spans: `K1 2016–K4 2017, K3 2021`.
pub fn spans(periods: &BTreeSet<Period>, lang: Lang) -> String {
    let mut runs: Vec<(Period, Period)> = Vec::new();
    for p in periods {
        match runs.last_mut() {
            Some((_, last)) if last.next() == *p => *last = *p,
            _ => runs.push((*p, *p)),
        }
    }
    runs.iter()
        .map(|(a, b)| span_short(*a, *b, lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The page's statement of a series break (H3, H10): the same for a chart
/// that draws the break and a figure that spans it.
pub fn break_note(measure_id: &str, label: &str, note: &str, period: Period, lang: Lang) -> Note {
    let id = format!(
        "lim-break-{measure_id}-{}",
        period.to_string().to_lowercase()
    );
    let note = note.trim_end_matches('.');
    Note::fixed(
        id,
        match lang {
            Lang::Sv => format!(
                "{label}: {note} (från {}). Värden före och efter är inte helt jämförbara, och diagrammens linjer binds inte ihop över avbrottet.",
                format::period_long(period, lang)
            ),
            Lang::En => format!(
                "{label}: {note} (from {}). Values before and after are not fully comparable, and the charts' lines are not joined across the break.",
                format::period_long(period, lang)
            ),
        },
    )
}

/// The page's statement of provisional values, with the periods concerned.
pub fn provisional_note(periods: impl IntoIterator<Item = Period>, lang: Lang) -> Note {
    Note::periods(
        "lim-provisional",
        t(
            lang,
            "Preliminära värden (markerade p, i diagram med ihåliga punkter och streckad linje): ",
            "Provisional values (marked p; in charts hollow markers and a dashed line): ",
        ),
        periods,
        t(
            lang,
            ". De kan ändras när uppgifterna för perioden är kompletta.",
            ". They may change when the period's data are complete.",
        ),
        lang,
    )
}

/// Periods with no value for a unit and measure: named with the unit, so a
/// reader knows whose data is missing.
pub fn missing_note(
    unit_id: &str,
    unit_name: &str,
    measure_id: &str,
    label: &str,
    periods: impl IntoIterator<Item = Period>,
    lang: Lang,
) -> Note {
    Note::periods(
        format!("lim-missing-{unit_id}-{measure_id}"),
        match lang {
            Lang::Sv => format!("Uppgift saknas för {unit_name}, {label}: "),
            Lang::En => format!("Not reported for {unit_name}, {label}: "),
        },
        periods,
        t(
            lang,
            ". Linjen är bruten där; inget värde har fyllts i.",
            ". The line is broken there; nothing has been filled in.",
        ),
        lang,
    )
}

/// Counts too small to publish (H9): the same words for charts and figures.
pub fn suppressed_note(below: u32, lang: Lang) -> Note {
    Note::fixed(
        "lim-suppressed",
        match lang {
            Lang::Sv => format!(
                "Antal från 1 till {} visas som ”<{below}” så att ingen enskild person kan pekas ut. Värden och förändringar som bygger på sådana antal visas inte (x).",
                below.saturating_sub(1)
            ),
            Lang::En => format!(
                "Counts from 1 to {} are shown as “<{below}” so that no individual can be identified. Values and changes built on such counts are not shown (x).",
                below.saturating_sub(1)
            ),
        },
    )
}

/// A status other than final or provisional, with the periods it marks.
pub fn status_note(status: Status, periods: impl IntoIterator<Item = Period>, lang: Lang) -> Note {
    if status == Status::Provisional {
        return provisional_note(periods, lang);
    }
    let id = match status {
        Status::Revised => "lim-revised".to_string(),
        Status::Estimated => "lim-estimated".to_string(),
        Status::LowReliability => "lim-low-reliability".to_string(),
        s => format!("lim-symbol-{}", s.symbol().replace('.', "dot")),
    };
    Note::periods(
        id,
        format!(
            "{} ({}): ",
            uc_first(status_meaning(status, lang)),
            status.symbol()
        ),
        periods,
        ".",
        lang,
    )
}

/// A ratio that cannot be computed (zero or missing denominator), per unit
/// and measure.
pub fn uncomputable_note(
    unit_id: &str,
    unit_name: &str,
    measure_id: &str,
    label: &str,
    periods: impl IntoIterator<Item = Period>,
    lang: Lang,
) -> Note {
    Note::periods(
        format!("lim-uncomputable-{unit_id}-{measure_id}"),
        match lang {
            Lang::Sv => format!(
                "Kan inte beräknas för {unit_name}, {label}, eftersom nämnaren är noll eller saknas: "
            ),
            Lang::En => format!(
                "Cannot be computed for {unit_name}, {label}, because the denominator is zero or missing: "
            ),
        },
        periods,
        t(
            lang,
            ". Visas som en lucka märkt –.",
            ". Shown as a gap marked –.",
        ),
        lang,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_note_met_twice_merges_its_periods() {
        let q = |y, q| Period::quarter(y, q);
        let mut a = missing_note(
            "nordost",
            "Nordost",
            "open",
            "aktuella ärenden",
            [q(2021, 3)],
            Lang::Sv,
        );
        let b = missing_note(
            "nordost",
            "Nordost",
            "open",
            "aktuella ärenden",
            [q(2016, 1), q(2016, 2), q(2021, 3)],
            Lang::Sv,
        );
        a.merge(&b);
        assert_eq!(
            a.text(),
            "Uppgift saknas för Nordost, aktuella ärenden: K1\u{a0}2016–K2\u{a0}2016, K3\u{a0}2021. Linjen är bruten där; inget värde har fyllts i."
        );
    }
}
