//! Limitations a page must state (H8, H10): collected while its charts and
//! inline figures are resolved, so a number never appears without its caveat.
//! Each is stated once per page and numbered; the marks beside figures and
//! the list under each chart refer to that number.

use serde::Serialize;

use crate::chart::Note;

/// One limitation, with an id that inline footnote markers link to and the
/// number they show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Limitation {
    pub id: String,
    pub text: String,
    pub number: usize,
}

/// The limitations gathered for one page, in the order first met.
#[derive(Debug, Clone, Default)]
pub struct PageLimits {
    notes: Vec<Note>,
    /// Measures whose own limitations apply (ids, in order first met).
    pub measures: Vec<String>,
    /// The page shows its limitations section, so a chart's caption can
    /// link to the numbered limitations it carries.
    pub stated: bool,
    /// What `insyn check` warns about in the page's inline figures (a
    /// `change` the whole series reverses, H7), located.
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
}

impl PageLimits {
    /// For a page that lists its limitations (content pages).
    pub fn stated() -> PageLimits {
        PageLimits {
            stated: true,
            ..PageLimits::default()
        }
    }
}

impl PageLimits {
    /// Adds a limitation, or merges it into the one already stated under
    /// its id; returns the id and the number it is listed under.
    pub fn add(&mut self, note: Note) -> (String, usize) {
        let id = note.id.clone();
        match self.notes.iter().position(|n| n.id == id) {
            Some(i) => {
                self.notes[i].merge(&note);
                (id, i + 1)
            }
            None => {
                self.notes.push(note);
                (id, self.notes.len())
            }
        }
    }

    /// The computed limitations, numbered from 1.
    pub fn computed(&self) -> Vec<Limitation> {
        self.notes
            .iter()
            .enumerate()
            .map(|(i, n)| Limitation {
                id: n.id.clone(),
                text: n.text(),
                number: i + 1,
            })
            .collect()
    }

    pub fn uses_measure(&mut self, id: &str) {
        if !self.measures.iter().any(|m| m == id) {
            self.measures.push(id.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::notes::{provisional_note, suppressed_note};
    use crate::data::Period;
    use crate::text::Lang;

    /// Six charts with provisional values on one page state it once, with
    /// every period they mark.
    #[test]
    fn a_limitation_met_again_is_stated_once_with_merged_periods() {
        let mut limits = PageLimits::default();
        assert_eq!(
            limits.add(suppressed_note(5, Lang::Sv)),
            ("lim-suppressed".into(), 1)
        );
        for q in [3, 2, 3, 3, 3, 3] {
            let n = limits.add(provisional_note([Period::quarter(2024, q)], Lang::Sv));
            assert_eq!(n, ("lim-provisional".into(), 2));
        }
        let all = limits.computed();
        assert_eq!(all.len(), 2);
        assert!(
            all[1].text.contains(": K2\u{a0}2024–K3\u{a0}2024."),
            "{}",
            all[1].text
        );
    }
}
