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

/// The text of a file an author writes (`site.toml`, `data/*.toml`, a
/// page), without a byte-order mark; a file that is not UTF-8 is an error
/// at the line and column of its first byte that is not, with that byte and
/// what it would be in Windows-1252, the encoding such files usually have.
pub fn utf8_file_text(
    file: &std::path::Path,
    bytes: Vec<u8>,
) -> Result<String, crate::diagnostics::Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = e.utf8_error().valid_up_to();
            let (line, column) = place_of_byte(bytes, valid);
            let bad =
                &bytes[valid..(valid + e.utf8_error().error_len().unwrap_or(1)).min(bytes.len())];
            let hex: Vec<String> = bad.iter().map(|b| format!("0x{b:02X}")).collect();
            let hex = hex.join(" ");
            let (latin, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bad);
            let help = if latin.chars().all(char::is_alphanumeric) {
                format!(
                    "this looks like Windows-1252 (Latin-1) text, where {hex} is `{latin}`: \
                     save the file as UTF-8 in your editor (Save as…, encoding UTF-8)"
                )
            } else {
                "save the file as UTF-8 in your editor (Save as…, encoding UTF-8)".to_string()
            };
            Err(
                crate::diagnostics::Diagnostic::error(file, "the file is not UTF-8 text")
                    .at(line, column)
                    .found(hex)
                    .help(help),
            )
        }
    }
}

/// The 1-based line and column (in characters, a byte-order mark not
/// counted) of the byte at `at`, where everything before it is UTF-8.
pub fn place_of_byte(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = String::from_utf8_lossy(&bytes[..at.min(bytes.len())]);
    let before = before.strip_prefix('\u{feff}').unwrap_or(&before);
    crate::config::line_column(before, usize::MAX)
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

    #[test]
    fn a_file_not_in_utf8_is_named_at_its_first_wrong_byte() {
        let file = std::path::Path::new("site.toml");
        // "title = \"Café\"" as Windows-1252, on the second line.
        let d =
            utf8_file_text(file, b"\xef\xbb\xbf# x\ntitle = \"Caf\xe9\"\n".to_vec()).unwrap_err();
        let shown = d.to_string();
        assert!(shown.contains("site.toml:2:13"), "{shown}");
        assert!(shown.contains("0xE9"), "{shown}");
        assert!(shown.contains("`é`"), "{shown}");
        // A byte that is no letter in Windows-1252 is named without a guess.
        let d = utf8_file_text(file, b"a\x81".to_vec())
            .unwrap_err()
            .to_string();
        assert!(d.contains("site.toml:1:2") && d.contains("0x81"), "{d}");
        assert!(!d.contains("Windows-1252"), "{d}");
        // UTF-8 passes, without its byte-order mark.
        assert_eq!(utf8_file_text(file, "\u{feff}å".into()).unwrap(), "å");
    }
}
