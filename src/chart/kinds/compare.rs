//! `compare`: one indicator across units for one period, as a dot plot
//! (what is drawn over many units is decided in `compare_view`).

use std::collections::BTreeSet;

use super::{Kind, KindSpec};
use crate::chart::compare_view;
use crate::chart::model::{CompareRow, Panel};
use crate::chart::notes::Note;
use crate::chart::resolve::frame::{Drawn, Frame, unit_display_name};
use crate::chart::spec::fields::Fields;
use crate::chart::spec::problem::SpecProblem;
use crate::chart::spec::toml_text::TomlText;
use crate::data::{MeasureUnit, Period};
use crate::format;
use crate::i18n::axis_unit;

/// A `compare` chart's own keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Compare {
    pub measure: String,
    /// The unit highlighted among the others.
    pub unit: Option<String>,
    /// The period compared; `None`: `to`, the report's period or the
    /// latest data.
    pub period: Option<Period>,
    /// Reference figures drawn as labelled lines across the units.
    pub reference: Vec<String>,
}

impl Kind for Compare {
    const REQUIRED: &'static [&'static str] = &["measure"];
    const OPTIONAL: &'static [&'static str] = &["period", "reference"];

    fn from_fields(f: &mut Fields) -> Option<Compare> {
        let measure = f.required("measure");
        Some(Compare {
            measure: measure?,
            unit: f.string("unit"),
            period: f.period("period"),
            reference: f.list("reference"),
        })
    }
}

impl KindSpec for Compare {
    fn unit(&self) -> Option<&str> {
        self.unit.as_deref()
    }

    fn measure_ids(&self) -> Vec<(&'static str, &str)> {
        vec![("measure", &self.measure)]
    }

    fn reference(&self) -> &[String] {
        &self.reference
    }

    fn own_periods(&self) -> Vec<(&'static str, Period)> {
        self.period.map(|p| ("period", p)).into_iter().collect()
    }

    fn pinned_period(&self) -> Option<Period> {
        self.period
    }

    fn across_units(&self) -> bool {
        true
    }

    fn unpin(&mut self) {
        self.period = None;
    }

    fn write_toml(&self, t: &mut TomlText) {
        t.string("measure", &self.measure);
        t.optional("unit", self.unit.as_deref());
        t.period("period", self.period);
        if !self.reference.is_empty() {
            t.list("reference", &self.reference);
        }
    }

    fn draw(&self, f: &Frame) -> Result<Drawn, Vec<SpecProblem>> {
        let (b, data, lang) = (&f.b, f.data(), f.lang());
        let group = &b.group;
        let m = &self.measure;
        let label = b.measure_label(m);
        let compare_unit = b.measure_unit(m);
        let p = f.periods()[0];
        let mut omitted = false;
        let units_of = |measure| {
            data.series_of_measure(measure)
                .filter(|(k, _)| &k.group == group)
                .map(|(k, _)| k.unit.clone())
        };
        let mut candidates: BTreeSet<String> = units_of(m).collect();
        if let Some((a, _)) = data.measure(m).and_then(|mm| mm.ratio.as_ref()) {
            candidates.extend(units_of(a));
        }
        let mut compare = Vec::new();
        for u in candidates {
            // A reference figure is not one of the units compared: it is
            // drawn as a line when the chart names it.
            if data.units.is_reference(&u) {
                continue;
            }
            if !f.ctx.published_units.contains(&u) {
                omitted = true;
                continue;
            }
            let cell = b.for_unit(&u, vec![p]).plotted_cells(m).0[0];
            let name = data
                .units
                .get(&u)
                .map(|x| x.name.clone())
                .unwrap_or(u.clone());
            compare.push(CompareRow {
                table_only: false,
                highlighted: u == b.unit,
                unit: u,
                name,
                cell,
            });
        }
        // A total (a parent of units shown, or an area's total) is not a
        // point among its own parts: an additive total (counts, FTE) is
        // kept out and named, any other is drawn as a labelled line.
        let parents: BTreeSet<String> = compare
            .iter()
            .filter_map(|r| data.units.get(&r.unit).and_then(|u| u.parent.clone()))
            .collect();
        let is_total = |id: &str| {
            parents.contains(id)
                || data
                    .units
                    .get(id)
                    .is_some_and(|u| u.area.as_ref().is_some_and(|a| id == format!("{a}-total")))
        };
        let (totals, parts): (Vec<CompareRow>, Vec<CompareRow>) =
            compare.into_iter().partition(|r| is_total(&r.unit));
        let mut compare = parts;
        let mut compare_refs = Vec::new();
        let mut extra_limits = Vec::new();
        let mut extra_notes = Vec::new();
        let additive = matches!(compare_unit, MeasureUnit::Count | MeasureUnit::Fte);
        // Beside every unit as a dot, a line or a caveat per total of a
        // group of them (21 counties) would bury the picture: past a
        // few, they are in the table and the CSV only, said once.
        let table_only = compare_view::totals_table_only(compare.len(), totals.len());
        if table_only {
            let text = compare_view::totals_note(totals.len(), lang);
            extra_notes.push(Note::fixed("lim-compare-totals", &text));
            extra_limits.push(text);
        }
        for mut r in totals {
            if table_only {
                if !self.reference.contains(&r.unit) {
                    r.table_only = true;
                    compare_refs.push(r);
                }
                continue;
            }
            let value = r.cell.display(compare_unit, lang);
            if additive {
                let text = lang.phrases().compare_total(&r.name, &value);
                extra_notes.push(Note::fixed(format!("lim-total-{}", r.unit), &text));
                extra_limits.push(text);
            } else if !self.reference.contains(&r.unit) {
                compare_refs.push(r);
            }
        }
        let mut warnings = Vec::new();
        for r in &self.reference {
            // A sum of the units shown, drawn across them, would stretch
            // the axis until they look alike; its value is named under the
            // chart already (above), so the line is left out and the
            // author told.
            if additive && is_total(r) {
                warnings.push(format!(
                    "`reference = \"{r}\"` is the sum of the units the chart compares: a total among its parts is not drawn (its value is named under the chart)"
                ));
                continue;
            }
            compare_refs.push(CompareRow {
                unit: r.clone(),
                name: unit_display_name(data, r),
                cell: b.for_unit(r, vec![p]).plotted_cells(m).0[0],
                highlighted: false,
                table_only: false,
            });
        }
        // Each name lower-cased once, not at every comparison.
        compare.sort_by_cached_key(|r| (r.name.to_lowercase(), r.unit.clone()));
        if omitted {
            let text = lang.words().compare_omitted;
            extra_limits.push(text.to_string());
            extra_notes.push(Note::fixed("lim-compare-omitted", text));
        }
        let mut l = b.line(m, compare.iter().map(|r| r.cell).collect(), true);
        l.header = label.clone();
        let axis_label = if compare_unit == MeasureUnit::Ratio {
            label.clone()
        } else {
            axis_unit(compare_unit, lang).to_string()
        };
        let default_title = format!("{label}, {}", format::period_short(p, lang));
        let subtitle = format!(
            "{axis_label}. {}. {}",
            format::period_short(p, lang),
            compare_view::order_statement(&compare, lang)
        );
        let panels = vec![Panel {
            axis_label,
            lines: vec![0],
            reference: None,
            bars: false,
        }];
        let mut drawn = Drawn::lines(vec![l], panels, default_title, subtitle);
        drawn.compare = compare;
        drawn.compare_refs = compare_refs;
        drawn.compare_unit = compare_unit;
        drawn.extra_limits = extra_limits;
        drawn.extra_notes = extra_notes;
        drawn.warnings = warnings;
        Ok(drawn)
    }
}
