//! Chart specs: the TOML inside a ```` ```chart ```` block (§4), parsed and
//! checked against the data.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use crate::data::{Dataset, MeasureUnit, Period, Role, period::PERIOD_EXPECTED};
use crate::diagnostics::did_you_mean;

/// The kinds of chart a spec can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChartType {
    /// Caseload against staffing, both as an index (base = 100) on one axis.
    Growth,
    /// A ratio measure such as cases per FTE.
    PerFte,
    /// One or more measures of a unit; different measure units become small multiples.
    Series,
    /// One measure as bars from zero.
    Bars,
    /// One indicator across units for one period, as a dot plot.
    Compare,
    /// Weighted workload ÷ capacity × 100.
    Workload,
}

impl ChartType {
    pub const ALL: [ChartType; 6] = [
        ChartType::Growth,
        ChartType::PerFte,
        ChartType::Series,
        ChartType::Bars,
        ChartType::Compare,
        ChartType::Workload,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ChartType::Growth => "growth",
            ChartType::PerFte => "per_fte",
            ChartType::Series => "series",
            ChartType::Bars => "bars",
            ChartType::Compare => "compare",
            ChartType::Workload => "workload",
        }
    }

    pub fn from_name(name: &str) -> Option<ChartType> {
        ChartType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The keys this chart type requires, and the ones it also accepts.
    fn keys(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            ChartType::Growth => (&["unit", "caseload", "staffing"], &["base"]),
            // `measure` (a ratio), or `caseload` and `staffing`: checked in `parse`.
            ChartType::PerFte => (&["unit"], &["measure", "caseload", "staffing"]),
            ChartType::Bars => (&["unit", "measure"], &[]),
            ChartType::Series => (&["unit", "measures"], &["reference"]),
            ChartType::Compare => (&["measure"], &["period", "reference"]),
            // Without them: the measures with roles `workload` and `capacity`.
            ChartType::Workload => (&["unit"], &["workload", "capacity"]),
        }
    }
}

const COMMON_KEYS: &[&str] = &["type", "unit", "from", "to", "group", "title"];
const ALL_KEYS: &[&str] = &[
    "type",
    "unit",
    "caseload",
    "staffing",
    "measure",
    "measures",
    "workload",
    "capacity",
    "from",
    "to",
    "period",
    "group",
    "title",
    "base",
    "reference",
];

/// A problem in a chart spec, located by byte offset in the TOML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    /// Byte offset in the TOML text of the block, when known.
    pub offset: Option<usize>,
    pub message: String,
    pub found: Option<String>,
    pub expected: Option<String>,
    pub help: Option<String>,
}

impl SpecProblem {
    fn new(offset: Option<usize>, message: impl Into<String>) -> SpecProblem {
        SpecProblem {
            offset,
            message: message.into(),
            found: None,
            expected: None,
            help: None,
        }
    }
    fn found(mut self, s: impl Into<String>) -> Self {
        self.found = Some(s.into());
        self
    }
    fn expected(mut self, s: impl Into<String>) -> Self {
        self.expected = Some(s.into());
        self
    }
    fn help(mut self, s: impl Into<String>) -> Self {
        self.help = Some(s.into());
        self
    }
    fn suggest<'a>(self, input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        match did_you_mean(input, candidates) {
            Some(best) => self.help(format!("did you mean `{best}`?")),
            None => self,
        }
    }
}

/// A parsed chart spec (§4).
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    pub chart_type: ChartType,
    pub unit: Option<String>,
    pub caseload: Option<String>,
    pub staffing: Option<String>,
    pub measure: Option<String>,
    pub measures: Vec<String>,
    pub workload: Option<String>,
    pub capacity: Option<String>,
    pub from: Option<Period>,
    pub to: Option<Period>,
    pub period: Option<Period>,
    pub base: Option<Period>,
    pub group: Option<String>,
    pub title: Option<String>,
    /// Reference units (the national figure, a group of peers) drawn beside
    /// the unit as labelled lines.
    pub reference: Vec<String>,
    /// Byte ranges of each key's value, for locating problems found later.
    spans: BTreeMap<String, Range<usize>>,
}

impl ChartSpec {
    /// Parses the TOML of a chart block: syntax and schema. Every problem is
    /// reported, not only the first.
    pub fn parse(toml_text: &str) -> Result<ChartSpec, Vec<SpecProblem>> {
        let table: BTreeMap<Spanned<String>, Spanned<toml::Value>> = toml::from_str(toml_text)
            .map_err(|e| {
                let offset = e.span().map(|s| s.start);
                let found = e
                    .span()
                    .map(|s| toml_text[s].chars().take(80).collect::<String>())
                    .filter(|s| !s.trim().is_empty());
                let mut p = SpecProblem::new(offset, format!("invalid TOML: {}", e.message()));
                p.found = found;
                vec![p]
            })?;
        let mut problems = Vec::new();
        let mut strings: BTreeMap<&str, (String, Range<usize>)> = BTreeMap::new();
        let mut measures = Vec::new();
        let mut reference = Vec::new();
        let mut spans = BTreeMap::new();
        let mut present: Vec<(&str, usize)> = Vec::new();

        for (key, value) in &table {
            let name = key.get_ref().as_str();
            let Some(&known) = ALL_KEYS.iter().find(|k| **k == name) else {
                problems.push(
                    SpecProblem::new(Some(key.span().start), format!("unknown key `{name}`"))
                        .found(name)
                        .expected(format!("one of {}", quoted(ALL_KEYS)))
                        .suggest(name, ALL_KEYS.iter().copied()),
                );
                continue;
            };
            spans.insert(known.to_string(), value.span());
            present.push((known, key.span().start));
            let at = Some(value.span().start);
            match (known, value.get_ref()) {
                ("reference", toml::Value::String(s)) => reference.push(s.clone()),
                ("reference", toml::Value::Array(items)) => {
                    for item in items {
                        match item {
                            toml::Value::String(s) => reference.push(s.clone()),
                            other => problems.push(
                                SpecProblem::new(at, "`reference` must list unit ids")
                                    .found(other.to_string())
                                    .expected("strings such as `[\"riket\", \"liknande\"]`"),
                            ),
                        }
                    }
                }
                ("reference", other) => problems.push(
                    SpecProblem::new(at, "`reference` must be a unit id or a list of them")
                        .found(other.to_string())
                        .expected(
                            "`reference = \"riket\"` or `reference = [\"riket\", \"liknande\"]`",
                        ),
                ),
                ("measures", toml::Value::Array(items)) => {
                    for item in items {
                        match item {
                            toml::Value::String(s) => measures.push(s.clone()),
                            other => problems.push(
                                SpecProblem::new(at, "`measures` must list measure ids")
                                    .found(other.to_string())
                                    .expected("strings such as `[\"open_cases\", \"staff_fte\"]`"),
                            ),
                        }
                    }
                    if items.is_empty() {
                        problems.push(
                            SpecProblem::new(at, "`measures` is empty")
                                .expected("at least one measure id"),
                        );
                    }
                }
                ("measures", other) => problems.push(
                    SpecProblem::new(at, "`measures` must be a list")
                        .found(other.to_string())
                        .expected("a list such as `[\"open_cases\", \"staff_fte\"]`"),
                ),
                ("from" | "to" | "period" | "base", toml::Value::Integer(i)) => {
                    strings.insert(known, (i.to_string(), value.span()));
                }
                (_, toml::Value::String(s)) => {
                    strings.insert(known, (s.clone(), value.span()));
                }
                (_, other) => problems.push(
                    SpecProblem::new(at, format!("`{known}` must be a string"))
                        .found(other.to_string())
                        .expected("a quoted string"),
                ),
            }
        }

        let type_names: Vec<&str> = ChartType::ALL.iter().map(|t| t.name()).collect();
        let chart_type = match strings.get("type") {
            None => {
                problems.push(
                    SpecProblem::new(Some(0), "the chart spec has no `type`")
                        .expected(format!("`type` = one of {}", quoted(&type_names))),
                );
                None
            }
            Some((name, span)) => match ChartType::from_name(name) {
                Some(t) => Some(t),
                None => {
                    problems.push(
                        SpecProblem::new(Some(span.start), format!("unknown chart type `{name}`"))
                            .found(name.clone())
                            .expected(format!("one of {}", quoted(&type_names)))
                            .suggest(name, type_names.iter().copied()),
                    );
                    None
                }
            },
        };

        if let Some(t) = chart_type {
            let (required, extra) = t.keys();
            for req in required {
                if !present.iter().any(|(k, _)| k == req) {
                    problems.push(
                        SpecProblem::new(Some(0), format!("a `{}` chart needs `{req}`", t.name()))
                            .expected(format!("keys {}", quoted(required))),
                    );
                }
            }
            if t == ChartType::PerFte {
                let has = |k: &str| present.iter().any(|(p, _)| *p == k);
                let pair = has("caseload") || has("staffing");
                if has("measure") && pair {
                    problems.push(
                        SpecProblem::new(Some(0), "a `per_fte` chart names its ratio twice")
                            .expected(
                                "either `measure` (a ratio measure) or `caseload` and `staffing`",
                            ),
                    );
                } else if !has("measure") && !(has("caseload") && has("staffing")) {
                    let missing = if has("caseload") {
                        "`staffing`"
                    } else if has("staffing") {
                        "`caseload`"
                    } else {
                        "`measure`, or `caseload` and `staffing`"
                    };
                    problems.push(
                        SpecProblem::new(Some(0), format!("a `per_fte` chart needs {missing}"))
                            .expected("`measure = \"cases_per_fte\"` (a ratio measure), or `caseload = \"open_cases\"` and `staffing = \"staff_fte\"`: the ratio is computed per period"),
                    );
                }
            }
            for (key, offset) in &present {
                let allowed =
                    COMMON_KEYS.contains(key) || required.contains(key) || extra.contains(key);
                if !allowed {
                    let mut accepted: Vec<&str> = COMMON_KEYS.to_vec();
                    accepted.extend(required.iter().chain(extra.iter()).copied());
                    accepted.sort();
                    accepted.dedup();
                    problems.push(
                        SpecProblem::new(
                            Some(*offset),
                            format!("`{key}` is not used by a `{}` chart", t.name()),
                        )
                        .found(key.to_string())
                        .expected(format!("one of {}", quoted(&accepted))),
                    );
                }
            }
        }

        let mut period = |key: &str| -> Option<Period> {
            let (text, span) = strings.get(key)?;
            match Period::parse(text) {
                Some(p) => Some(p),
                None => {
                    problems.push(
                        SpecProblem::new(Some(span.start), format!("`{key}` is not a period"))
                            .found(text.clone())
                            .expected(PERIOD_EXPECTED),
                    );
                    None
                }
            }
        };
        let from = period("from");
        let to = period("to");
        let period_ = period("period");
        let base = period("base");

        if !problems.is_empty() {
            problems.sort_by_key(|p| p.offset);
            return Err(problems);
        }
        let s = |k: &str| strings.get(k).map(|(v, _)| v.clone());
        Ok(ChartSpec {
            chart_type: chart_type.expect("checked above"),
            unit: s("unit"),
            caseload: s("caseload"),
            staffing: s("staffing"),
            measure: s("measure"),
            measures,
            workload: s("workload"),
            capacity: s("capacity"),
            from,
            to,
            period: period_,
            base,
            group: s("group"),
            title: s("title"),
            reference,
            spans,
        })
    }

    fn at(&self, key: &str) -> Option<usize> {
        self.spans.get(key).map(|r| r.start)
    }

    /// Every measure id the spec names, with the key that names it.
    pub fn measure_ids(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        for (key, v) in [
            ("caseload", &self.caseload),
            ("staffing", &self.staffing),
            ("measure", &self.measure),
            ("workload", &self.workload),
            ("capacity", &self.capacity),
        ] {
            if let Some(v) = v {
                out.push((key, v.as_str()));
            }
        }
        for m in &self.measures {
            out.push(("measures", m.as_str()));
        }
        out
    }

    /// The spec with what it leaves to the data filled in: a `workload`
    /// chart without `workload` or `capacity` takes the one measure with that
    /// role; a `per_fte` chart of `caseload` and `staffing` that a declared
    /// ratio measure divides is that ratio's chart (same chart, same address).
    pub fn with_defaults(&self, data: &Dataset) -> Cow<'_, ChartSpec> {
        let by_role = |role: Role| -> Option<String> {
            let mut found = data.measures.measures.values().filter(|m| m.role == role);
            let first = found.next()?;
            found.next().is_none().then(|| first.id.clone())
        };
        match self.chart_type {
            ChartType::Workload if self.workload.is_none() || self.capacity.is_none() => {
                let mut spec = self.clone();
                spec.workload = spec.workload.or_else(|| by_role(Role::Workload));
                spec.capacity = spec.capacity.or_else(|| by_role(Role::Capacity));
                Cow::Owned(spec)
            }
            ChartType::PerFte if self.measure.is_none() => {
                let (Some(c), Some(st)) = (&self.caseload, &self.staffing) else {
                    return Cow::Borrowed(self);
                };
                let declared = data
                    .measures
                    .measures
                    .values()
                    .find(|m| m.ratio.as_ref() == Some(&(c.clone(), st.clone())));
                match declared {
                    Some(m) => {
                        let mut spec = self.clone();
                        spec.measure = Some(m.id.clone());
                        if let Some(span) = spec.spans.get("caseload").cloned() {
                            spec.spans.insert("measure".into(), span);
                        }
                        spec.caseload = None;
                        spec.staffing = None;
                        Cow::Owned(spec)
                    }
                    None => Cow::Borrowed(self),
                }
            }
            _ => Cow::Borrowed(self),
        }
    }

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
        let mut problems = Vec::new();
        if self.chart_type == ChartType::Workload {
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
        }
        let unit_ids: Vec<&str> = data.units.units.keys().map(String::as_str).collect();
        if let Some(unit) = &self.unit
            && data.units.get(unit).is_none()
        {
            problems.push(
                SpecProblem::new(self.at("unit"), format!("unknown unit `{unit}`"))
                    .found(unit.clone())
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
            let wrong = |want: &str| {
                SpecProblem::new(
                    self.at(key),
                    format!(
                        "measure `{id}` cannot be the `{key}` of a `{}` chart",
                        self.chart_type.name()
                    ),
                )
                .found(format!("unit = {:?}, role = {:?}", m.unit, m.role).to_lowercase())
                .expected(want.to_string())
            };
            match (self.chart_type, key) {
                (ChartType::Growth | ChartType::PerFte, "caseload")
                    if !(m.role == Role::Caseload || m.unit == MeasureUnit::Count) =>
                {
                    problems.push(wrong(
                        "a caseload measure (role = \"caseload\" or unit = \"count\")",
                    ))
                }
                (ChartType::Growth | ChartType::PerFte, "staffing")
                    if !(m.role == Role::Staffing || m.unit == MeasureUnit::Fte) =>
                {
                    problems.push(wrong(
                        "a staffing measure (role = \"staffing\" or unit = \"fte\")",
                    ))
                }
                (ChartType::PerFte, "measure") if m.unit != MeasureUnit::Ratio => problems.push(
                    wrong("a measure with unit = \"ratio\", such as a derived cases_per_fte")
                        .help("to draw a count, use type = \"series\" or \"bars\""),
                ),
                (ChartType::Workload, "workload")
                    if !(m.role == Role::Workload || m.unit == MeasureUnit::Points) =>
                {
                    problems.push(wrong("a workload measure (role = \"workload\")"))
                }
                (ChartType::Workload, "capacity")
                    if !(m.role == Role::Capacity
                        || m.unit == MeasureUnit::Points
                        || m.unit == MeasureUnit::Fte) =>
                {
                    problems.push(wrong("a capacity measure (role = \"capacity\")"))
                }
                _ => {}
            }
            if let (Some(unit), false) = (&self.unit, self.chart_type == ChartType::Compare)
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
        for r in &self.reference {
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
            for (key, p) in [
                ("from", self.from),
                ("to", self.to),
                ("period", self.period),
                ("base", self.base),
            ] {
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
        if let (Some(base), Some(from)) = (self.base, self.from)
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

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
