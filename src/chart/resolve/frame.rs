//! What a chart type draws with ([`Frame`]: the data, the periods, the
//! unit) and what it hands back ([`Drawn`]: lines, panels, texts), and the
//! [`Builder`] that turns the data into cells and lines.

use crate::chart::ChartContext;
use crate::chart::model::{Cell, CompareRow, Line, Panel};
use crate::chart::notes::Note;
use crate::data::privacy::is_too_few_staff;
use crate::data::{Dataset, MeasureUnit, Period, Status, Withheld};
use crate::text::Lang;

/// Everything a chart type draws with.
pub(crate) struct Frame<'a> {
    pub ctx: &'a ChartContext<'a>,
    /// Cells and lines of the chart's unit over the chart's periods.
    pub b: Builder<'a>,
    /// The unit's name, for titles.
    pub unit_name: String,
    /// The periods as a title says them (`K1 2019–K4 2024`).
    pub span: String,
}

impl Frame<'_> {
    pub fn data(&self) -> &Dataset {
        self.b.data
    }
    pub fn lang(&self) -> Lang {
        self.b.lang
    }
    pub fn periods(&self) -> &[Period] {
        &self.b.periods
    }
}

/// What a chart type draws: the shared pipeline adds the caveats, the
/// source, the address and the title around it.
pub(crate) struct Drawn {
    pub lines: Vec<Line>,
    pub panels: Vec<Panel>,
    /// A compare chart's rows, and its reference figures.
    pub compare: Vec<CompareRow>,
    pub compare_refs: Vec<CompareRow>,
    pub compare_unit: MeasureUnit,
    /// An index chart's base period.
    pub index_base: Option<Period>,
    /// Caveats of the chart type's own, after the shared ones.
    pub extra_limits: Vec<String>,
    pub extra_notes: Vec<Note>,
    /// What `insyn check` tells the author about the chart type's own
    /// choices (a total named as a reference beside its parts).
    pub warnings: Vec<String>,
    /// What the chart shows, where (the pipeline adds the periods).
    pub default_title: String,
    pub subtitle: String,
}

impl Drawn {
    /// Lines in panels under a title and subtitle, nothing else.
    pub fn lines(
        lines: Vec<Line>,
        panels: Vec<Panel>,
        default_title: String,
        subtitle: String,
    ) -> Drawn {
        Drawn {
            lines,
            panels,
            compare: Vec::new(),
            compare_refs: Vec::new(),
            compare_unit: MeasureUnit::Count,
            index_base: None,
            extra_limits: Vec::new(),
            extra_notes: Vec::new(),
            warnings: Vec::new(),
            default_title,
            subtitle,
        }
    }
}

/// Turns series of the data into a chart's cells and lines.
pub(crate) struct Builder<'a> {
    pub data: &'a Dataset,
    pub lang: Lang,
    /// Counts under this are suppressed (H9).
    pub below: u32,
    /// A ratio dividing by fewer full-time staff than this is withheld
    /// (H9): it would be one or two people's caseload.
    pub min_unit_fte: f64,
    pub unit: String,
    pub group: Option<String>,
    /// The window, in order (a range of periods, or one period).
    pub periods: Vec<Period>,
}

/// A declared ratio's operands: each measure id with its cells.
pub type Operands = [(String, Vec<Cell>); 2];

impl Builder<'_> {
    pub fn measure_label(&self, id: &str) -> String {
        self.data
            .measure(id)
            .map(|m| m.label.get(self.lang).to_string())
            .unwrap_or_else(|| id.to_string())
    }

    pub fn measure_unit(&self, id: &str) -> MeasureUnit {
        self.data
            .measure(id)
            .map(|m| m.unit)
            .unwrap_or(MeasureUnit::Count)
    }

    pub fn raw_cells(&self, id: &str, unit: &str) -> Vec<Cell> {
        let munit = self.measure_unit(id);
        let series = self.data.series_of(id, unit, self.group.as_deref());
        let cell = |v| Cell::from_value(v, munit, self.below);
        let (Some(series), Some(first), Some(last)) =
            (series, self.periods.first(), self.periods.last())
        else {
            return self.periods.iter().map(|_| cell(None)).collect();
        };
        // The window's periods in order: one walk along the series beside
        // them instead of a look-up per period.
        debug_assert!(self.periods.is_sorted());
        let mut points = series.points.range(first..=last).peekable();
        self.periods
            .iter()
            .map(|p| {
                while points.next_if(|(at, _)| *at < p).is_some() {}
                cell(
                    points
                        .peek()
                        .filter(|(at, _)| *at == p)
                        .map(|(_, o)| &o.value),
                )
            })
            .collect()
    }

    fn has_series(&self, id: &str, unit: &str) -> bool {
        self.data
            .series_of(id, unit, self.group.as_deref())
            .is_some()
    }

    /// Break periods of a measure (and what it is derived from) inside the window.
    pub fn breaks_of(&self, id: &str) -> Vec<(Period, String)> {
        let mut ids = vec![id.to_string()];
        if let Some((a, b)) = self.data.measure(id).and_then(|m| m.ratio.clone()) {
            ids.push(a);
            ids.push(b);
        }
        let (Some(first), Some(last)) = (self.periods.first(), self.periods.last()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for id in ids {
            if let Some(m) = self.data.measure(&id) {
                for b in &m.breaks {
                    if b.period > *first && b.period <= *last {
                        out.push((b.period, b.note.get(self.lang).to_string()));
                    }
                }
            }
        }
        out
    }

    pub fn line(&self, id: &str, cells: Vec<Cell>, plotted: bool) -> Line {
        let label = self.measure_label(id);
        let munit = self.measure_unit(id);
        Line {
            measure: id.to_string(),
            csv_measure: id.to_string(),
            unit: self.unit.clone(),
            header: label.clone(),
            label,
            format_unit: munit,
            axis_unit: munit,
            cells,
            plotted,
            breaks: self.breaks_of(id).into_iter().map(|(p, _)| p).collect(),
        }
    }

    /// The lines for a measure: a derived ratio is computed from its parts
    /// (so a suppressed numerator suppresses the ratio, and a zero denominator
    /// is a gap), and the parts are listed beside it.
    pub fn measure_lines(&self, id: &str) -> Vec<Line> {
        let (cells, operands) = self.plotted_cells(id);
        let mut lines = vec![self.line(id, cells, true)];
        if let Some([(num, n), (den, d)]) = operands {
            lines.push(self.line(&num, n, false));
            lines.push(self.line(&den, d, false));
        }
        lines
    }

    /// The cells of the plotted line of [`Builder::measure_lines`], and for
    /// a declared ratio its operands with theirs, without making lines: a
    /// compare chart needs one cell of each of hundreds of units.
    pub fn plotted_cells(&self, id: &str) -> (Vec<Cell>, Option<Operands>) {
        let m = self.data.measure(id);
        if let Some((num, den)) = m.and_then(|m| m.ratio.clone())
            && self.has_series(&num, &self.unit)
            && self.has_series(&den, &self.unit)
        {
            let (r, n, d) = self.ratio_cells(&num, &den);
            // Where the published view withholds the ratio (on staffing
            // under `min_unit_fte`, H9), the chart does too.
            let published = self.raw_cells(id, &self.unit);
            let r = r
                .into_iter()
                .zip(published)
                .map(|(c, p)| if p.is_withheld() { p } else { c })
                .collect();
            return (r, Some([(num, n), (den, d)]));
        }
        (self.raw_cells(id, &self.unit), None)
    }

    /// `num / den` per period with the rules of a declared ratio (a
    /// suppressed operand suppresses it, a zero denominator is a gap, and
    /// a denominator of staff under `min_unit_fte` withholds it), and the
    /// operands' cells.
    pub fn ratio_cells(&self, num: &str, den: &str) -> (Vec<Cell>, Vec<Cell>, Vec<Cell>) {
        let n = self.raw_cells(num, &self.unit);
        let d = self.raw_cells(den, &self.unit);
        // The rule the published view applies to a declared ratio
        // (`disclosure::withhold_ratios`), for one a chart computes: a
        // chart may divide by any staffing measure, such as one with a
        // single consultant, which no declared ratio names.
        let den_is_fte = self.measure_unit(den) == MeasureUnit::Fte;
        let r = n
            .iter()
            .zip(&d)
            .map(|(a, b)| match b {
                Cell::Num(staff, _)
                    if den_is_fte && is_too_few_staff(*staff, self.min_unit_fte) =>
                {
                    Cell::Symbol(Status::Withheld(Withheld::Ratio))
                }
                _ => Cell::ratio(*a, *b, 1.0),
            })
            .collect();
        (r, n, d)
    }

    /// The same builder for another unit (a reference figure, a compared
    /// unit) over `periods`.
    pub fn for_unit(&self, unit: &str, periods: Vec<Period>) -> Builder<'_> {
        Builder {
            data: self.data,
            lang: self.lang,
            below: self.below,
            min_unit_fte: self.min_unit_fte,
            unit: unit.to_string(),
            group: self.group.clone(),
            periods,
        }
    }

    /// The plotted line of each reference unit (the national figure, a
    /// group of peers) for the measure of `line`, labelled with its name.
    pub fn reference_lines(&self, reference: &[String], line: &Line) -> Vec<Line> {
        reference
            .iter()
            .filter(|r| **r != self.unit)
            .map(|r| {
                let rb = self.for_unit(r, self.periods.clone());
                let mut l = rb.measure_lines(&line.measure).swap_remove(0);
                let name = unit_display_name(self.data, r);
                l.label = format!("{}, {name}", line.label);
                l.header = format!("{}, {name}", line.header);
                l
            })
            .collect()
    }
}

/// A unit's name, or its id when the units file does not know it.
pub(crate) fn unit_display_name(data: &Dataset, id: &str) -> String {
    data.units
        .get(id)
        .map(|u| u.name.clone())
        .unwrap_or_else(|| id.to_string())
}
