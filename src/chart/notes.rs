//! Limitations as a page states them (H8, H10): each under a stable id, so
//! the same caveat met in several charts and inline figures of one page is
//! stated once, and the periods it concerns are merged.

use std::collections::BTreeSet;

use crate::data::{Period, Status};
use crate::format;
use crate::format::{span_short, uc_first};
use crate::i18n::status_meaning;
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
        lang.phrases()
            .break_note(label, note, &format::period_long(period, lang)),
    )
}

/// The page's statement of provisional values, with the periods concerned.
pub fn provisional_note(periods: impl IntoIterator<Item = Period>, lang: Lang) -> Note {
    Note::periods(
        "lim-provisional",
        lang.words().provisional_note_lead,
        periods,
        lang.words().provisional_note_tail,
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
        lang.phrases().missing_note_lead(unit_name, label),
        periods,
        lang.words().missing_note_tail,
        lang,
    )
}

/// Counts too small to publish (H9): the same words for charts and figures.
pub fn suppressed_note(below: u32, lang: Lang) -> Note {
    Note::fixed("lim-suppressed", lang.phrases().suppressed_note(below))
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
        lang.phrases().uncomputable_note_lead(unit_name, label),
        periods,
        lang.words().uncomputable_note_tail,
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
