//! Limitations a page must state (H8, H10): collected while its charts and
//! inline figures are resolved, so a number never appears without its caveat.

use serde::Serialize;

/// One limitation, with an id that inline footnote markers link to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Limitation {
    pub id: String,
    pub text: String,
}

/// The limitations gathered for one page, in the order first met.
#[derive(Debug, Clone, Default)]
pub struct PageLimits {
    pub computed: Vec<Limitation>,
    /// Measures whose own limitations apply (ids, in order first met).
    pub measures: Vec<String>,
}

impl PageLimits {
    /// Adds a limitation under a fixed id (kept once) and returns the id.
    pub fn add(&mut self, id: &str, text: String) -> String {
        if !self.computed.iter().any(|l| l.id == id) {
            self.computed.push(Limitation {
                id: id.to_string(),
                text,
            });
        }
        id.to_string()
    }

    /// Adds a limitation whose id is derived from its text (kept once).
    pub fn add_text(&mut self, text: &str) {
        if self.computed.iter().any(|l| l.text == text) {
            return;
        }
        let id = format!("lim-{}", &blake3::hash(text.as_bytes()).to_hex()[..10]);
        self.computed.push(Limitation {
            id,
            text: text.to_string(),
        });
    }

    pub fn uses_measure(&mut self, id: &str) {
        if !self.measures.iter().any(|m| m == id) {
            self.measures.push(id.to_string());
        }
    }
}
