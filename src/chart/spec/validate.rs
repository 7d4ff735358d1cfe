//! A spec checked against the data: unknown measures and units (with a
//! "did you mean"), measures of the wrong kind for the chart type, and
//! periods outside the data or in the wrong order.

use super::{ChartSpec, SpecProblem};
use crate::data::{Dataset, Period};

impl ChartSpec {
    /// Checks the spec against the data: unknown measures and units (with a
    /// "did you mean"), measures of the wrong kind for the chart type, and
    /// periods outside the data or in the wrong order.
    pub fn validate(&self, data: &Dataset) -> Vec<SpecProblem> {
        self.validate_with(data, &|measure| data.period_range(measure))
    }

    /// [`ChartSpec::validate`], asking `period_range` for the first and last
    /// period of a measure (a site asks thousands of charts: it computes
    /// them once).
    pub fn validate_with(
        &self,
        data: &Dataset,
        period_range: &dyn Fn(&str) -> Option<(Period, Period)>,
    ) -> Vec<SpecProblem> {
        let spec = self.with_defaults(data);
        spec.validate_completed(data, period_range)
    }

    fn validate_completed(
        &self,
        data: &Dataset,
        period_range: &dyn Fn(&str) -> Option<(Period, Period)>,
    ) -> Vec<SpecProblem> {
        let kind = self.kind.spec();
        let chart_type = self.chart_type();
        let mut problems = kind.incomplete(data);
        let unit_ids: Vec<&str> = data.units.units.keys().map(String::as_str).collect();
        if let Some(unit) = kind.unit()
            && data.units.get(unit).is_none()
        {
            problems.push(
                SpecProblem::new(self.at("unit"), format!("unknown unit `{unit}`"))
                    .found(unit)
                    .expected("a unit id from data/units.toml")
                    .suggest(unit, unit_ids.iter().copied()),
            );
        }
        let measure_ids: Vec<&str> = data.measures.measures.keys().map(String::as_str).collect();
        let mut known = Vec::new();
        for (key, id) in self.measure_ids() {
            let Some(m) = data.measure(id) else {
                problems.push(
                    SpecProblem::new(self.at(key), format!("unknown measure `{id}`"))
                        .found(id.to_string())
                        .expected("a measure id from data/measures.toml")
                        .suggest(id, measure_ids.iter().copied()),
                );
                continue;
            };
            known.push(m);
            if let Some(misfit) = chart_type.misfit(key, m) {
                let mut p = SpecProblem::new(
                    self.at(key),
                    format!(
                        "measure `{id}` cannot be the `{key}` of a `{}` chart",
                        chart_type.name()
                    ),
                )
                .found(format!("unit = {:?}, role = {:?}", m.unit, m.role).to_lowercase())
                .expected(misfit.expected);
                if let Some(help) = misfit.help {
                    p = p.help(help);
                }
                problems.push(p);
            }
            // A compare chart's unit is only highlighted among the others.
            if let Some(unit) = kind.unit().filter(|_| !kind.across_units())
                && data.units.get(unit).is_some()
                && !m.is_derived()
                && data.series(id, unit).is_none()
                && self.group.is_none()
            {
                problems.push(SpecProblem::new(
                    self.at(key),
                    format!("there is no data for measure `{id}` in unit `{unit}`"),
                ));
            }
        }
        for r in kind.reference() {
            let Some(at) = self.at("reference") else {
                continue;
            };
            if data.units.get(r).is_none() {
                problems.push(
                    SpecProblem::new(Some(at), format!("unknown reference unit `{r}`"))
                        .found(r.clone())
                        .expected(
                            "the id of a unit in data/units.toml, such as the national figure",
                        )
                        .suggest(r, unit_ids.iter().copied()),
                );
            } else if let Some((_, id)) = self
                .measure_ids()
                .into_iter()
                .find(|(_, id)| data.measure(id).is_some() && data.series(id, r).is_none())
            {
                problems.push(
                    SpecProblem::new(
                        Some(at),
                        format!("the reference unit `{r}` has no data for measure `{id}`"),
                    )
                    .found(r.clone())
                    .expected("a unit with data for every measure the chart draws"),
                );
            }
        }
        if let Some(group) = &self.group {
            let groups: Vec<&str> = data
                .series
                .keys()
                .filter_map(|k| k.group.as_deref())
                .collect();
            if !groups.contains(&group.as_str()) {
                problems.push(
                    SpecProblem::new(self.at("group"), format!("unknown group `{group}`"))
                        .found(group.clone())
                        .suggest(group, groups.iter().copied()),
                );
            }
        }
        // Periods: within the data of the measures named, in order.
        let mut range: Option<(Period, Period)> = None;
        for m in &known {
            let ids: Vec<&str> = match &m.ratio {
                Some((a, b)) => vec![a.as_str(), b.as_str(), m.id.as_str()],
                None => vec![m.id.as_str()],
            };
            for id in ids {
                if let Some((a, b)) = period_range(id) {
                    range = Some(match range {
                        None => (a, b),
                        Some((lo, hi)) => (lo.min(a), hi.max(b)),
                    });
                }
            }
        }
        if let Some((lo, hi)) = range {
            let mut periods = vec![("from", self.from), ("to", self.to)];
            periods.extend(kind.own_periods().into_iter().map(|(k, p)| (k, Some(p))));
            for (key, p) in periods {
                let Some(p) = p else { continue };
                if p.is_quarter() != lo.is_quarter() {
                    problems.push(
                        SpecProblem::new(
                            self.at(key),
                            format!("`{key}` is the wrong kind of period"),
                        )
                        .found(p.to_string())
                        .expected(if lo.is_quarter() {
                            "a quarter such as `2024Q3`: the data is quarterly"
                        } else {
                            "a year such as `2024`: the data is annual"
                        }),
                    );
                } else if p < lo || p > hi {
                    problems.push(
                        SpecProblem::new(self.at(key), format!("`{key}` is outside the data"))
                            .found(p.to_string())
                            .expected(format!("a period from {lo} to {hi}")),
                    );
                }
            }
        }
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from.is_quarter() == to.is_quarter()
            && from > to
        {
            problems.push(
                SpecProblem::new(self.at("from"), "`from` is after `to`")
                    .found(format!("from = {from}, to = {to}"))
                    .expected("`from` before or equal to `to`"),
            );
        }
        if let (Some(base), Some(from)) = (kind.index_base(), self.from)
            && base.is_quarter() == from.is_quarter()
            && base < from
        {
            problems.push(
                SpecProblem::new(self.at("base"), "`base` is before `from`")
                    .found(base.to_string())
                    .expected("a base period inside the chart's window"),
            );
        }
        problems.sort_by_key(|p| p.offset);
        problems
    }
}
