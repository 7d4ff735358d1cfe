//! `bars`: one measure of a unit as bars from zero.

use super::{Kind, KindSpec};
use crate::chart::model::Panel;
use crate::chart::resolve::frame::{Drawn, Frame};
use crate::chart::spec::fields::Fields;
use crate::chart::spec::problem::SpecProblem;
use crate::chart::spec::toml_text::TomlText;
use crate::data::MeasureUnit;
use crate::i18n::axis_unit;

/// A `bars` chart's own keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub unit: String,
    pub measure: String,
}

impl Kind for Bars {
    const REQUIRED: &'static [&'static str] = &["unit", "measure"];
    const OPTIONAL: &'static [&'static str] = &[];

    fn from_fields(f: &mut Fields) -> Option<Bars> {
        let unit = f.required("unit");
        let measure = f.required("measure");
        Some(Bars {
            unit: unit?,
            measure: measure?,
        })
    }
}

impl KindSpec for Bars {
    fn unit(&self) -> Option<&str> {
        Some(&self.unit)
    }

    fn measure_ids(&self) -> Vec<(&'static str, &str)> {
        vec![("measure", &self.measure)]
    }

    fn write_toml(&self, t: &mut TomlText) {
        t.string("measure", &self.measure);
        t.string("unit", &self.unit);
    }

    fn draw(&self, f: &Frame) -> Result<Drawn, Vec<SpecProblem>> {
        Ok(one_measure(f, &self.measure, true))
    }
}

/// One measure in one panel (a declared ratio with its parts in the table),
/// as bars or as a line.
pub(super) fn one_measure(f: &Frame, m: &str, bars: bool) -> Drawn {
    let b = &f.b;
    let lines = b.measure_lines(m);
    let label = b.measure_label(m);
    let munit = b.measure_unit(m);
    let axis_label = if munit == MeasureUnit::Ratio {
        label.clone()
    } else {
        axis_unit(munit, f.lang()).to_string()
    };
    let panels = vec![Panel {
        axis_label: axis_label.clone(),
        lines: vec![0],
        reference: None,
        bars,
    }];
    Drawn::lines(
        lines,
        panels,
        format!("{label}, {}", f.unit_name),
        format!("{axis_label}. {}", f.span),
    )
}
