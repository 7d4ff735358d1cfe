//! `per_fte`: a ratio such as cases per FTE, either a declared ratio
//! measure or caseload over staffing computed per period.

use super::{ChartKind, Kind, KindSpec, Misfit, caseload_misfit, staffing_misfit};
use crate::chart::model::Panel;
use crate::chart::resolve::frame::{Drawn, Frame};
use crate::chart::spec::fields::Fields;
use crate::chart::spec::problem::SpecProblem;
use crate::chart::spec::toml_text::TomlText;
use crate::data::{Dataset, Measure, MeasureUnit};
use crate::format::lc_first;

/// A `per_fte` chart's own keys.
#[derive(Debug, Clone, PartialEq)]
pub struct PerFte {
    pub unit: String,
    pub of: PerFteOf,
}

/// What a `per_fte` chart divides.
#[derive(Debug, Clone, PartialEq)]
pub enum PerFteOf {
    /// A measure with unit `ratio` (`measure = "cases_per_fte"`).
    Ratio(String),
    /// Caseload over staffing, computed per period.
    Parts { caseload: String, staffing: String },
}

impl Kind for PerFte {
    const REQUIRED: &'static [&'static str] = &["unit"];
    // `measure` (a ratio), or `caseload` and `staffing`: checked in `from_fields`.
    const OPTIONAL: &'static [&'static str] = &["measure", "caseload", "staffing"];

    fn from_fields(f: &mut Fields) -> Option<PerFte> {
        let unit = f.required("unit");
        let (measure, caseload, staffing) =
            (f.has("measure"), f.has("caseload"), f.has("staffing"));
        if measure && (caseload || staffing) {
            f.problem(
                SpecProblem::new(Some(0), "a `per_fte` chart names its ratio twice")
                    .expected("either `measure` (a ratio measure) or `caseload` and `staffing`"),
            );
            return None;
        }
        if !(measure || caseload && staffing) {
            let missing = if caseload {
                "`staffing`"
            } else if staffing {
                "`caseload`"
            } else {
                "`measure`, or `caseload` and `staffing`"
            };
            f.problem(
                SpecProblem::new(Some(0), format!("a `per_fte` chart needs {missing}"))
                    .expected("`measure = \"cases_per_fte\"` (a ratio measure), or `caseload = \"open_cases\"` and `staffing = \"staff_fte\"`: the ratio is computed per period"),
            );
            return None;
        }
        let of = if measure {
            PerFteOf::Ratio(f.string("measure")?)
        } else {
            let caseload = f.string("caseload");
            let staffing = f.string("staffing");
            PerFteOf::Parts {
                caseload: caseload?,
                staffing: staffing?,
            }
        };
        Some(PerFte { unit: unit?, of })
    }

    fn misfit(key: &str, m: &Measure) -> Option<Misfit> {
        match key {
            "caseload" => caseload_misfit(m),
            "staffing" => staffing_misfit(m),
            "measure" if m.unit != MeasureUnit::Ratio => Some(Misfit {
                expected: "a measure with unit = \"ratio\", such as a derived cases_per_fte",
                help: Some("to draw a count, use type = \"series\" or \"bars\""),
            }),
            _ => None,
        }
    }
}

impl KindSpec for PerFte {
    fn unit(&self) -> Option<&str> {
        Some(&self.unit)
    }

    fn measure_ids(&self) -> Vec<(&'static str, &str)> {
        match &self.of {
            PerFteOf::Ratio(m) => vec![("measure", m)],
            PerFteOf::Parts { caseload, staffing } => {
                vec![("caseload", caseload), ("staffing", staffing)]
            }
        }
    }

    /// Caseload and staffing that a declared ratio measure divides are
    /// that ratio's chart (same chart, same address).
    fn with_defaults(
        &self,
        data: &Dataset,
    ) -> Option<(ChartKind, Vec<(&'static str, &'static str)>)> {
        let PerFteOf::Parts { caseload, staffing } = &self.of else {
            return None;
        };
        let declared = data
            .measures
            .measures
            .values()
            .find(|m| m.ratio.as_ref() == Some(&(caseload.clone(), staffing.clone())))?;
        let spec = PerFte {
            unit: self.unit.clone(),
            of: PerFteOf::Ratio(declared.id.clone()),
        };
        Some((spec.into(), vec![("caseload", "measure")]))
    }

    fn write_toml(&self, t: &mut TomlText) {
        match &self.of {
            PerFteOf::Ratio(m) => t.string("measure", m),
            PerFteOf::Parts { caseload, staffing } => {
                t.string("caseload", caseload);
                t.string("staffing", staffing);
            }
        }
        t.string("unit", &self.unit);
    }

    fn draw(&self, f: &Frame) -> Result<Drawn, Vec<SpecProblem>> {
        let (c, s) = match &self.of {
            PerFteOf::Ratio(m) => return Ok(super::bars::one_measure(f, m, false)),
            PerFteOf::Parts { caseload, staffing } => (caseload, staffing),
        };
        // Caseload over staffing, without a declared ratio measure.
        let b = &f.b;
        let (r, n, d) = b.ratio_cells(c, s);
        // "per" is the same word in both languages.
        let label = format!(
            "{} per {}",
            b.measure_label(c),
            lc_first(&b.measure_label(s))
        );
        let mut l = b.line(c, r, true);
        l.breaks.extend(b.breaks_of(s).into_iter().map(|(p, _)| p));
        l.csv_measure = format!("{c}_per_{s}");
        l.label = label.clone();
        l.header = label.clone();
        l.format_unit = MeasureUnit::Ratio;
        l.axis_unit = MeasureUnit::Ratio;
        let lines = vec![l, b.line(c, n, false), b.line(s, d, false)];
        let panels = vec![Panel {
            axis_label: label.clone(),
            lines: vec![0],
            reference: None,
            bars: false,
        }];
        Ok(Drawn::lines(
            lines,
            panels,
            format!("{label}, {}", f.unit_name),
            format!("{label}. {}", f.span),
        ))
    }
}
