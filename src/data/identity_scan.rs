//! Screening texts and file names for personal identity numbers: one
//! located error per number found, never showing the value. What counts as
//! one is [`crate::data::identity`]'s to say; this module only turns matches
//! into diagnostics, so that the diagnostics module can mask with the
//! detector without the detector depending on diagnostics.

use std::path::Path;

use crate::data::identity::{looks_like_personal_number, mask, personal_numbers};
use crate::diagnostics::Diagnostic;

/// The message of every personal-identity-number error.
pub const FOUND_MESSAGE: &str =
    "this looks like a Swedish personal identity number (personnummer or samordningsnummer)";

/// One error per personal identity number in `text` (the whole text of
/// `file`), located by line and column and never showing the value.
pub fn scan_text(file: &Path, text: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let mut columns = ColumnCounter::new(line);
        for r in personal_numbers(line) {
            let column = columns.column_of(r.start);
            problems.push(
                Diagnostic::error(file, FOUND_MESSAGE)
                    .at(index + 1, column)
                    .expected("no personal data: a published site must not identify anyone")
                    .help("remove the number; it is deliberately not shown here")
                    .sensitive(),
            );
        }
    }
    problems
}

/// An error when a file or folder name under the site holds a personal
/// identity number (it would become part of a web address). The name is
/// shown masked.
pub fn scan_path(file: &Path) -> Option<Diagnostic> {
    let name = file.to_string_lossy();
    if !looks_like_personal_number(&name) {
        return None;
    }
    Some(
        Diagnostic::error(
            mask(&name).into_owned(),
            "a file name looks like a Swedish personal identity number (personnummer or samordningsnummer)",
        )
        .expected("no personal data in file or folder names: they become web addresses")
        .help("rename the file; the number is deliberately not shown here")
        .sensitive(),
    )
}

/// Counts characters up to increasing byte offsets of one line, in one pass.
struct ColumnCounter<'a> {
    line: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> ColumnCounter<'a> {
    fn new(line: &'a str) -> Self {
        ColumnCounter {
            line,
            byte: 0,
            chars: 0,
        }
    }

    /// The 1-based character column of `byte` (not before the last one asked).
    fn column_of(&mut self, byte: usize) -> usize {
        let byte = byte.max(self.byte).min(self.line.len());
        self.chars += self.line[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars + 1
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanning_a_text_locates_each_number_by_character_column() {
        let text = "title = \"Åsa\"\nnote = \"Sydväst: 811218-9876\"\n";
        let found = scan_text(Path::new("data/units.toml"), text);
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!((d.line, d.column), (Some(2), Some(18)));
        assert!(d.sensitive && d.found.is_none());
        assert!(!d.render_plain().contains("9876"));
        assert!(scan_path(Path::new("content/811218-9876.md")).is_some());
        assert!(scan_path(Path::new("content/2024-q3.md")).is_none());
    }

    #[test]
    fn body_text_full_of_dates_numbers_and_codes_is_not_flagged() {
        // What reports are made of: dates, periods, counts, phone numbers
        // written the usual ways, organisation numbers (month digits >= 20),
        // case numbers.
        let text = "Den 2024-10-20 (kvartal 2024Q3, 2024 K3) hade Nordost 1 234 ärenden \
                    och 31,5 årsarbetare. Ring 08-123 456 78 eller 070-123 45 67. \
                    Kommunens organisationsnummer är 212000-0142. Dnr 2024/1234-56. \
                    Tabell 2023-2024: 19,5 %, 3.83894583. ISBN 978-91-7-123456-7.";
        assert_eq!(personal_numbers(text).count(), 0);
        assert!(scan_text(Path::new("content/a.md"), text).is_empty());
    }
}
