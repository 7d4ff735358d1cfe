//! The one writer of CSV downloads, in two spellings of the same rows.
//!
//! The tidy file is for programs (R, Python, a database): UTF-8 without a
//! byte-order mark, `,` between fields, `.` before decimals, LF. Excel opens
//! it wrongly in a Swedish locale (one column, broken å/ä/ö), so every tidy
//! download has an Excel-ready sibling for the site's language: UTF-8 with a
//! byte-order mark (how Excel recognises UTF-8), CRLF, and for Swedish `;`
//! between fields with a decimal comma (what Swedish Excel expects), for
//! English `,` with a decimal point. Both spell numbers through [`number`],
//! so they hold the same value digit for digit, and both guard text cells
//! that a spreadsheet would run as a formula.

use crate::text::Lang;

/// How a CSV file is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// For programs: no BOM, `,`, `.`, LF.
    Tidy,
    /// For spreadsheets set to this language: BOM, CRLF, and `;` with a
    /// decimal comma (Swedish) or `,` with a decimal point (English).
    Excel(Lang),
}

impl Dialect {
    /// The field separator.
    pub fn delimiter(self) -> char {
        match self {
            Dialect::Excel(Lang::Sv) => ';',
            _ => ',',
        }
    }

    /// The character before the decimals of a number.
    pub fn decimal_mark(self) -> char {
        match self {
            Dialect::Excel(Lang::Sv) => ',',
            _ => '.',
        }
    }

    fn line_end(self) -> &'static str {
        match self {
            Dialect::Tidy => "\n",
            Dialect::Excel(_) => "\r\n",
        }
    }
}

/// The UTF-8 byte-order mark Excel needs to read a CSV file as UTF-8.
pub const BOM: char = '\u{feff}';

/// A number as every CSV download writes it: at most four decimals,
/// rounded half away from zero (as spreadsheets and statistics offices
/// round, see [`crate::format::fixed`]), no trailing zeros, no grouping,
/// `0` rather than `-0`, and `.` as decimal mark.
pub fn number(n: f64) -> String {
    let s = crate::format::fixed(n, 4);
    if !s.contains('.') {
        return s;
    }
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Writes rows of one CSV file.
#[derive(Debug)]
pub struct CsvWriter {
    dialect: Dialect,
    out: String,
    /// No field written on the current line yet.
    line_start: bool,
}

impl CsvWriter {
    pub fn new(dialect: Dialect) -> Self {
        let mut out = String::new();
        if matches!(dialect, Dialect::Excel(_)) {
            out.push(BOM);
        }
        CsvWriter {
            dialect,
            out,
            line_start: true,
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    fn separate(&mut self) {
        if !self.line_start {
            self.out.push(self.dialect.delimiter());
        }
        self.line_start = false;
    }

    /// A text field, quoted when needed and guarded against formulas.
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.separate();
        self.out
            .push_str(&crate::format::csv_cell_for(s, self.dialect.delimiter()));
        self
    }

    /// A number field ([`number`], with the dialect's decimal mark), or an
    /// empty field for no number.
    pub fn number(&mut self, n: Option<f64>) -> &mut Self {
        self.separate();
        if let Some(n) = n {
            let s = number(n);
            match self.dialect.decimal_mark() {
                '.' => self.out.push_str(&s),
                mark => self.out.push_str(&s.replace('.', &mark.to_string())),
            }
        }
        self
    }

    /// Ends the current row.
    pub fn end_row(&mut self) {
        self.out.push_str(self.dialect.line_end());
        self.line_start = true;
    }

    /// A whole row of text fields (a header).
    pub fn row(&mut self, fields: &[&str]) {
        for f in fields {
            self.text(f);
        }
        self.end_row();
    }

    /// The rows written so far, taken out of the writer, which goes on
    /// with the next row: for files written out a part at a time.
    pub fn take_rows(&mut self) -> String {
        debug_assert!(self.line_start, "taken in the middle of a row");
        std::mem::take(&mut self.out)
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_number_spelling_for_every_download() {
        assert_eq!(number(431.0), "431");
        assert_eq!(number(21.6), "21.6");
        assert_eq!(number(-0.00001), "0");
        assert_eq!(number(-3.25), "-3.25");
        assert_eq!(number(1234567.0), "1234567");
        assert_eq!(number(0.1 + 0.2), "0.3");
        // Half away from zero on the fifth decimal, as format::fixed rounds
        // (the standard formatter would give 2 here: 2.00005 is stored as
        // 2.0000499…).
        assert_eq!(number(2.00005), "2.0001");
        assert_eq!(number(12.345678), "12.3457");
        assert_eq!(number(100.0), "100");
    }

    #[test]
    fn excel_swedish_is_bom_semicolon_decimal_comma_crlf() {
        let mut w = CsvWriter::new(Dialect::Excel(Lang::Sv));
        w.row(&["period", "enhet", "värde"]);
        w.text("2026Q3").text("Nordöst; södra").number(Some(21.65));
        w.end_row();
        w.text("2026Q4").text("=HYPERLINK(\"x\")").number(None);
        w.end_row();
        assert_eq!(
            w.finish(),
            "\u{feff}period;enhet;värde\r\n2026Q3;\"Nordöst; södra\";21,65\r\n2026Q4;\"'=HYPERLINK(\"\"x\"\")\";\r\n"
        );
    }

    #[test]
    fn excel_english_is_bom_comma_point() {
        let mut w = CsvWriter::new(Dialect::Excel(Lang::En));
        w.text("a,b").number(Some(-1.5));
        w.end_row();
        assert_eq!(w.finish(), "\u{feff}\"a,b\",-1.5\r\n");
    }

    #[test]
    fn tidy_is_plain() {
        let mut w = CsvWriter::new(Dialect::Tidy);
        w.text("+46").text("a;b").number(Some(0.5));
        w.end_row();
        assert_eq!(w.finish(), "'+46,a;b,0.5\n");
    }
}
