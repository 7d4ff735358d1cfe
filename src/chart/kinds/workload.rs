//! `workload`: weighted workload ÷ capacity × 100, against a line at full
//! capacity.

use super::{ChartKind, Kind, KindSpec, Misfit};
use crate::chart::model::{Cell, Panel};
use crate::chart::resolve::frame::{Drawn, Frame};
use crate::chart::spec::fields::Fields;
use crate::chart::spec::problem::{SpecProblem, quoted};
use crate::chart::spec::toml_text::TomlText;
use crate::data::{Dataset, Measure, MeasureUnit, Role};

/// A `workload` chart's own keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    pub unit: String,
    /// The workload measure; `None`: the one measure with `role = "workload"`.
    pub workload: Option<String>,
    /// The capacity measure; `None`: the one measure with `role = "capacity"`.
    pub capacity: Option<String>,
}

impl Kind for Workload {
    const REQUIRED: &'static [&'static str] = &["unit"];
    // Without them: the measures with roles `workload` and `capacity`.
    const OPTIONAL: &'static [&'static str] = &["workload", "capacity"];

    fn from_fields(f: &mut Fields) -> Option<Workload> {
        let unit = f.required("unit");
        Some(Workload {
            unit: unit?,
            workload: f.string("workload"),
            capacity: f.string("capacity"),
        })
    }

    fn misfit(key: &str, m: &Measure) -> Option<Misfit> {
        let fits = match key {
            "workload" => m.role == Role::Workload || m.unit == MeasureUnit::Points,
            "capacity" => {
                m.role == Role::Capacity
                    || m.unit == MeasureUnit::Points
                    || m.unit == MeasureUnit::Fte
            }
            _ => true,
        };
        (!fits).then_some(Misfit {
            expected: if key == "workload" {
                "a workload measure (role = \"workload\")"
            } else {
                "a capacity measure (role = \"capacity\")"
            },
            help: None,
        })
    }
}

/// The one measure with `role`, if exactly one has it.
fn by_role(data: &Dataset, role: Role) -> Option<String> {
    let mut found = data.measures.measures.values().filter(|m| m.role == role);
    let first = found.next()?;
    found.next().is_none().then(|| first.id.clone())
}

impl KindSpec for Workload {
    fn unit(&self) -> Option<&str> {
        Some(&self.unit)
    }

    fn measure_ids(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        if let Some(w) = &self.workload {
            out.push(("workload", w.as_str()));
        }
        if let Some(c) = &self.capacity {
            out.push(("capacity", c.as_str()));
        }
        out
    }

    fn with_defaults(
        &self,
        data: &Dataset,
    ) -> Option<(ChartKind, Vec<(&'static str, &'static str)>)> {
        if self.workload.is_some() && self.capacity.is_some() {
            return None;
        }
        let spec = Workload {
            unit: self.unit.clone(),
            workload: self
                .workload
                .clone()
                .or_else(|| by_role(data, Role::Workload)),
            capacity: self
                .capacity
                .clone()
                .or_else(|| by_role(data, Role::Capacity)),
        };
        Some((spec.into(), Vec::new()))
    }

    /// A measure left to its role that no measure, or several, have.
    fn incomplete(&self, data: &Dataset) -> Vec<SpecProblem> {
        let mut problems = Vec::new();
        for (key, role, value) in [
            ("workload", Role::Workload, &self.workload),
            ("capacity", Role::Capacity, &self.capacity),
        ] {
            if value.is_some() {
                continue;
            }
            let with_role: Vec<&str> = data
                .measures
                .measures
                .values()
                .filter(|m| m.role == role)
                .map(|m| m.id.as_str())
                .collect();
            let p = SpecProblem::new(Some(0), format!("a `workload` chart needs `{key}`"))
                .expected(format!(
                    "`{key} = \"…\"`, or exactly one measure with `role = \"{key}\"` in data/measures.toml"
                ));
            problems.push(if with_role.is_empty() {
                p.help(format!(
                    "no measure has `role = \"{key}\"`: name one with `{key} = \"…\"`, or give the measure that role"
                ))
            } else {
                p.found(quoted(&with_role)).help(format!(
                    "several measures have `role = \"{key}\"`: name the one to draw, such as `{key} = \"{}\"`",
                    with_role[0]
                ))
            });
        }
        problems
    }

    fn break_measures(&self) -> Vec<&str> {
        self.capacity.as_deref().into_iter().collect()
    }

    fn write_toml(&self, t: &mut TomlText) {
        t.optional("workload", self.workload.as_deref());
        t.optional("capacity", self.capacity.as_deref());
        t.string("unit", &self.unit);
    }

    fn draw(&self, f: &Frame) -> Result<Drawn, Vec<SpecProblem>> {
        // Left to the data and not decided by it: what validation reports.
        let (Some(w), Some(c)) = (&self.workload, &self.capacity) else {
            return Err(self.incomplete(f.data()));
        };
        let (b, lang) = (&f.b, f.lang());
        let raw_w = b.raw_cells(w, &self.unit);
        let raw_c = b.raw_cells(c, &self.unit);
        let pct: Vec<Cell> = raw_w
            .iter()
            .zip(&raw_c)
            .map(|(a, c)| Cell::ratio(*a, *c, 100.0))
            .collect();
        let mut l = b.line(w, pct, true);
        l.breaks.extend(b.breaks_of(c).into_iter().map(|(p, _)| p));
        l.csv_measure = format!("{w}_percent_of_{c}");
        l.label = lang.words().workload.to_string();
        l.header = lang.words().workload_header.to_string();
        l.format_unit = MeasureUnit::Percent;
        l.axis_unit = MeasureUnit::Percent;
        let lines = vec![l, b.line(w, raw_w, false), b.line(c, raw_c, false)];
        let axis_label = lang.words().workload_axis.to_string();
        let panels = vec![Panel {
            axis_label: axis_label.clone(),
            lines: vec![0],
            reference: Some((100.0, lang.words().full_capacity.to_string())),
            bars: false,
        }];
        Ok(Drawn::lines(
            lines,
            panels,
            format!("{}, {}", lang.words().workload_title, f.unit_name),
            format!("{axis_label}. {}", f.span),
        ))
    }
}
