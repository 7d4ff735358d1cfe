//! `growth`: caseload against staffing, both as an index (base = 100) on
//! one axis (H2: never two axes).

use super::{Kind, KindSpec, Misfit, caseload_misfit, staffing_misfit};
use crate::chart::model::{Cell, Panel};
use crate::chart::resolve::frame::{Drawn, Frame};
use crate::chart::spec::fields::Fields;
use crate::chart::spec::problem::SpecProblem;
use crate::chart::spec::toml_text::TomlText;
use crate::data::{Measure, MeasureUnit, Period};
use crate::format::{self, join_and, lc_first};

/// A `growth` chart's own keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Growth {
    pub unit: String,
    pub caseload: String,
    pub staffing: String,
    /// The period both indexes are 100 at; `None`: the first period where
    /// both have a value.
    pub base: Option<Period>,
}

impl Kind for Growth {
    const REQUIRED: &'static [&'static str] = &["unit", "caseload", "staffing"];
    const OPTIONAL: &'static [&'static str] = &["base"];

    fn from_fields(f: &mut Fields) -> Option<Growth> {
        let unit = f.required("unit");
        let caseload = f.required("caseload");
        let staffing = f.required("staffing");
        Some(Growth {
            unit: unit?,
            caseload: caseload?,
            staffing: staffing?,
            base: f.period("base"),
        })
    }

    fn misfit(key: &str, m: &Measure) -> Option<Misfit> {
        match key {
            "caseload" => caseload_misfit(m),
            "staffing" => staffing_misfit(m),
            _ => None,
        }
    }
}

impl KindSpec for Growth {
    fn unit(&self) -> Option<&str> {
        Some(&self.unit)
    }

    fn measure_ids(&self) -> Vec<(&'static str, &str)> {
        vec![("caseload", &self.caseload), ("staffing", &self.staffing)]
    }

    fn own_periods(&self) -> Vec<(&'static str, Period)> {
        self.base.map(|p| ("base", p)).into_iter().collect()
    }

    fn index_base(&self) -> Option<Period> {
        self.base
    }

    fn unpin(&mut self) {
        self.base = None;
    }

    fn write_toml(&self, t: &mut TomlText) {
        t.string("caseload", &self.caseload);
        t.string("staffing", &self.staffing);
        t.string("unit", &self.unit);
        t.period("base", self.base);
    }

    fn draw(&self, f: &Frame) -> Result<Drawn, Vec<SpecProblem>> {
        let (b, lang, periods) = (&f.b, f.lang(), f.periods());
        let (c, s) = (&self.caseload, &self.staffing);
        let raw_c = b.raw_cells(c, &self.unit);
        let raw_s = b.raw_cells(s, &self.unit);
        let base_i = match self.base {
            Some(base) => periods.iter().position(|p| *p == base).unwrap_or(0),
            None => (0..periods.len())
                .find(|i| {
                    matches!((raw_c[*i], raw_s[*i]), (Cell::Num(a, _), Cell::Num(b, _)) if a != 0.0 && b != 0.0)
                })
                .unwrap_or(0),
        };
        let base = periods[base_i];
        let index = |raw: &[Cell]| -> Vec<Cell> {
            raw.iter()
                .map(|v| match (v, raw[base_i]) {
                    (Cell::Suppressed { below, .. }, _) => Cell::Suppressed {
                        below: *below,
                        derived: true,
                    },
                    (_, Cell::Suppressed { below, .. }) => Cell::Suppressed {
                        below,
                        derived: true,
                    },
                    (Cell::Num(..), Cell::Num(..)) => Cell::ratio(*v, raw[base_i], 100.0),
                    (Cell::Num(..), _) => Cell::Uncomputable,
                    (other, _) => *other,
                })
                .collect()
        };
        let base_txt = format::period_short(base, lang);
        let index_header = |id: &str| format!("{}, index ({base_txt} = 100)", b.measure_label(id));
        let mut ic = b.line(c, index(&raw_c), true);
        ic.csv_measure = format!("{c}_index");
        ic.header = index_header(c);
        ic.format_unit = MeasureUnit::Ratio;
        let mut is = b.line(s, index(&raw_s), true);
        is.csv_measure = format!("{s}_index");
        is.header = index_header(s);
        is.format_unit = MeasureUnit::Ratio;
        let lines = vec![ic, is, b.line(c, raw_c, false), b.line(s, raw_s, false)];
        let axis_label = format!("Index, {base_txt} = 100");
        let panels = vec![Panel {
            axis_label: axis_label.clone(),
            lines: vec![0, 1],
            reference: Some((100.0, format!("100 = {base_txt}"))),
            bars: false,
        }];
        let both = [b.measure_label(c), lc_first(&b.measure_label(s))];
        let mut drawn = Drawn::lines(
            lines,
            panels,
            format!("{}, {}", join_and(&both, lang), f.unit_name),
            format!("{axis_label}: {}. {}", lang.words().both_as_index, f.span),
        );
        drawn.index_base = Some(base);
        Ok(drawn)
    }
}
