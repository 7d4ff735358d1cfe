//! `series`: one or more measures of a unit over time; measures of
//! different measure units get their own panels (small multiples, H2).

use super::{Kind, KindSpec};
use crate::chart::model::Panel;
use crate::chart::resolve::frame::{Drawn, Frame};
use crate::chart::spec::fields::Fields;
use crate::chart::spec::problem::SpecProblem;
use crate::chart::spec::toml_text::TomlText;
use crate::data::MeasureUnit;
use crate::format::{join_and, lc_first};
use crate::i18n::axis_unit;

/// A `series` chart's own keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub unit: String,
    /// At least one measure.
    pub measures: Vec<String>,
    /// Reference units drawn beside the unit, each as a labelled line.
    pub reference: Vec<String>,
}

impl Kind for Series {
    const REQUIRED: &'static [&'static str] = &["unit", "measures"];
    const OPTIONAL: &'static [&'static str] = &["reference"];

    fn from_fields(f: &mut Fields) -> Option<Series> {
        let unit = f.required("unit");
        let measures = f.required_list("measures");
        Some(Series {
            unit: unit?,
            measures: measures?,
            reference: f.list("reference"),
        })
    }
}

impl KindSpec for Series {
    fn unit(&self) -> Option<&str> {
        Some(&self.unit)
    }

    fn measure_ids(&self) -> Vec<(&'static str, &str)> {
        self.measures
            .iter()
            .map(|m| ("measures", m.as_str()))
            .collect()
    }

    fn reference(&self) -> &[String] {
        &self.reference
    }

    fn write_toml(&self, t: &mut TomlText) {
        t.list("measures", &self.measures);
        t.string("unit", &self.unit);
        if !self.reference.is_empty() {
            t.list("reference", &self.reference);
        }
    }

    fn draw(&self, f: &Frame) -> Result<Drawn, Vec<SpecProblem>> {
        let (b, lang) = (&f.b, f.lang());
        let mut lines = Vec::new();
        let mut by_unit: Vec<(MeasureUnit, Vec<usize>)> = Vec::new();
        for m in &self.measures {
            let mut ls = b.measure_lines(m);
            let idx = lines.len();
            let axis = ls[0].axis_unit;
            match by_unit.iter_mut().find(|(u, _)| *u == axis) {
                Some((_, v)) => v.push(idx),
                None => by_unit.push((axis, vec![idx])),
            }
            // Keep the parts of a ratio only once, after everything drawn.
            ls.truncate(1);
            let refs = b.reference_lines(&self.reference, &ls[0]);
            if let Some((_, v)) = by_unit.iter_mut().find(|(u, _)| *u == axis) {
                v.extend((0..refs.len()).map(|k| idx + 1 + k));
            }
            lines.extend(ls);
            lines.extend(refs);
        }
        let mut panels = Vec::new();
        for (u, idxs) in by_unit {
            let axis_label = if u == MeasureUnit::Ratio {
                idxs.iter()
                    .map(|i| lines[*i].label.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                axis_unit(u, lang).to_string()
            };
            panels.push(Panel {
                axis_label,
                lines: idxs,
                reference: None,
                bars: false,
            });
        }
        let labels: Vec<String> = lines
            .iter()
            .filter(|l| l.unit == self.unit)
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    l.label.clone()
                } else {
                    lc_first(&l.label)
                }
            })
            .collect();
        let subtitle = match panels.as_slice() {
            [only] => format!("{}. {}", only.axis_label, f.span),
            _ => format!("{}. {}", lang.words().own_axes, f.span),
        };
        Ok(Drawn::lines(
            lines,
            panels,
            format!("{}, {}", join_and(&labels, lang), f.unit_name),
            subtitle,
        ))
    }
}
