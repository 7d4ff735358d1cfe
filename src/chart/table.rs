//! A resolved chart as its accessible table (H6) and as CSV: the same
//! cells the image draws, never a suppressed number (H9).

use std::collections::BTreeSet;

use crate::chart::chart_type::ChartType;
use crate::chart::model::{Cell, Chart, Table};
use crate::csv_writer::{CsvWriter, Dialect};
use crate::data::{Period, Status};
use crate::format;
use crate::i18n::status_meaning;

impl Chart {
    /// The accessible data table (made once per chart).
    pub fn table(&self) -> &Table {
        self.table.get_or_init(|| self.make_table())
    }

    fn make_table(&self) -> Table {
        let lang = self.lang;
        let mut used: BTreeSet<String> = BTreeSet::new();
        let mut note = |c: Cell| match c {
            Cell::Num(_, s) if s != Status::Final => {
                used.insert(format!("{} = {}", s.symbol(), status_meaning(s, lang)));
            }
            Cell::Suppressed {
                below,
                derived: false,
            } => {
                used.insert(format!(
                    "<{below} = {}",
                    lang.phrases().table_small_count(below)
                ));
            }
            Cell::Suppressed {
                below,
                derived: true,
            } => {
                used.insert(format!(
                    "x = {}",
                    lang.phrases().table_from_small_count(below)
                ));
            }
            Cell::Symbol(s) => {
                used.insert(format!("{} = {}", s.symbol(), status_meaning(s, lang)));
            }
            Cell::Missing => {
                used.insert(format!(".. = {}", lang.words().status_not_available));
            }
            Cell::Uncomputable => {
                used.insert(format!("– = {}", lang.words().status_uncomputable));
            }
            Cell::Num(..) => {}
        };
        let (headers, rows) = if self.chart_type == ChartType::Compare {
            let label = self
                .lines
                .first()
                .map(|l| l.header.clone())
                .unwrap_or_default();
            let rows = self
                .compare
                .iter()
                .chain(&self.compare_refs)
                .map(|r| {
                    note(r.cell);
                    (
                        r.name.clone(),
                        vec![r.cell.display(self.compare_unit, lang)],
                    )
                })
                .collect();
            (vec![lang.words().unit.to_string(), label], rows)
        } else {
            let quarterly = self.periods.first().is_none_or(|p| p.is_quarter());
            let mut headers = vec![
                if quarterly {
                    lang.words().quarter
                } else {
                    lang.words().year
                }
                .to_string(),
            ];
            headers.extend(self.lines.iter().map(|l| l.header.clone()));
            let rows = self
                .periods
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let cells = self
                        .lines
                        .iter()
                        .map(|l| {
                            note(l.cells[i]);
                            l.cells[i].display(l.format_unit, lang)
                        })
                        .collect();
                    (format::period_short(*p, lang), cells)
                })
                .collect();
            (headers, rows)
        };
        let mut notes: Vec<String> = used.into_iter().collect();
        notes.extend(self.limitations.iter().cloned());
        Table {
            caption: self.title.clone(),
            headers,
            rows,
            notes,
        }
    }

    /// Exactly what is drawn, as CSV: `period,unit,measure,value,status`.
    /// Suppressed counts carry `<5` as status and no value (H9).
    pub fn csv(&self) -> String {
        self.csv_in(Dialect::Tidy)
    }

    /// [`Chart::csv`] for spreadsheets in the chart's language (see
    /// [`crate::csv_writer`]): the same rows and values, headers in the
    /// language, and a last column with the note of a series break that
    /// starts in that row's period.
    pub fn csv_excel(&self) -> String {
        self.csv_in(Dialect::Excel(self.lang))
    }

    fn csv_in(&self, dialect: Dialect) -> String {
        let mut w = CsvWriter::new(dialect);
        let excel = dialect != Dialect::Tidy;
        if excel {
            w.row(&[
                "period",
                self.lang.words().csv_unit,
                self.lang.words().csv_measure,
                self.lang.words().csv_value,
                "status",
                self.lang.words().csv_note,
            ]);
        } else {
            w.row(&["period", "unit", "measure", "value", "status"]);
        }
        let mut row = |p: Period, unit: &str, measure: &str, c: Cell, note: &str| {
            let (v, s) = c.csv();
            w.text(&p.to_string())
                .text(unit)
                .text(measure)
                .number(v)
                .text(&s);
            if excel {
                w.text(note);
            }
            w.end_row();
        };
        if self.chart_type == ChartType::Compare {
            let p = self.periods[0];
            let measure = self
                .lines
                .first()
                .map(|l| l.csv_measure.as_str())
                .unwrap_or("");
            for r in self.compare.iter().chain(&self.compare_refs) {
                row(p, &r.unit, measure, r.cell, "");
            }
        } else {
            for (i, p) in self.periods.iter().enumerate() {
                let note = self
                    .breaks
                    .iter()
                    .find(|b| b.period == *p)
                    .map(|b| b.note.as_str())
                    .unwrap_or("");
                for l in &self.lines {
                    let note = if l.breaks.contains(p) { note } else { "" };
                    row(*p, &l.unit, &l.csv_measure, l.cells[i], note);
                }
            }
        }
        w.finish()
    }
}
