//! Site language and texts that may differ per language.

use serde::{Deserialize, Serialize};

/// The UI language of a site (§3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }
}

/// Whether XML 1.0 allows `c` at all (escaped or not): tab, line feed,
/// carriage return and everything from U+0020 except U+FFFE and U+FFFF.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

/// A text field that is either one string for every language or a
/// `{ sv = "…", en = "…" }` table (§3.3).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum LocalizedText {
    Plain(String),
    PerLang {
        sv: Option<String>,
        en: Option<String>,
    },
}

impl LocalizedText {
    /// The text in `lang`, falling back to the other language when only one
    /// is given.
    pub fn get(&self, lang: Lang) -> &str {
        match self {
            LocalizedText::Plain(s) => s,
            LocalizedText::PerLang { sv, en } => {
                let (first, second) = match lang {
                    Lang::Sv => (sv, en),
                    Lang::En => (en, sv),
                };
                first.as_deref().or(second.as_deref()).unwrap_or("")
            }
        }
    }
}

impl From<&str> for LocalizedText {
    fn from(s: &str) -> Self {
        LocalizedText::Plain(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_language_text_falls_back() {
        let t: LocalizedText =
            toml::from_str::<toml::Table>("t = { sv = \"Ärenden\" }").unwrap()["t"]
                .clone()
                .try_into()
                .unwrap();
        assert_eq!(t.get(Lang::Sv), "Ärenden");
        assert_eq!(t.get(Lang::En), "Ärenden");
        assert_eq!(LocalizedText::from("x").get(Lang::En), "x");
    }
}
