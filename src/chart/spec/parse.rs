//! Reading a chart block: TOML syntax, then the keys every chart accepts,
//! then the keys of its type ([`Fields`] hands them to the type's own
//! parser). Every problem is reported, not only the first.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::fields::Fields;
use super::{ChartSpec, SpecProblem, quoted};
use crate::chart::kinds::ChartType;
use crate::data::{Period, period::PERIOD_EXPECTED};

/// Keys every chart type accepts.
const COMMON_KEYS: &[&str] = &["type", "unit", "from", "to", "group", "title"];
/// Every key some chart type accepts.
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
/// The most ids `measures` or `reference` may list.
const MAX_LISTED: usize = 12;

/// Keys whose value is a period.
const PERIOD_KEYS: [&str; 4] = ["from", "to", "period", "base"];

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
        let mut strings: BTreeMap<&'static str, (String, Range<usize>)> = BTreeMap::new();
        let mut lists: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        let mut spans = BTreeMap::new();
        let mut present: Vec<(&'static str, usize)> = Vec::new();

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
            spans.insert(known, value.span());
            present.push((known, key.span().start));
            let at = Some(value.span().start);
            match (known, value.get_ref()) {
                ("reference", toml::Value::String(s)) => {
                    lists.entry(known).or_default().push(s.clone())
                }
                ("reference", toml::Value::Array(items)) => {
                    let list = lists.entry(known).or_default();
                    for item in items {
                        match item {
                            toml::Value::String(s) => list.push(s.clone()),
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
                    let list = lists.entry(known).or_default();
                    for item in items {
                        match item {
                            toml::Value::String(s) => list.push(s.clone()),
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

        // A name listed twice draws the same line twice (and names the
        // chart twice over); a list of hundreds is no chart anyone can read
        // and would take the build minutes and gigabytes.
        for (key, list) in &lists {
            let at = spans.get(key).map(|s: &Range<usize>| s.start);
            let mut seen = std::collections::BTreeSet::new();
            if let Some(twice) = list.iter().find(|id| !seen.insert(id.as_str())) {
                problems.push(
                    SpecProblem::new(at, format!("`{key}` names `{twice}` twice"))
                        .found(twice.clone())
                        .expected("each id once"),
                );
            }
            if list.len() > MAX_LISTED {
                problems.push(
                    SpecProblem::new(at, format!("`{key}` lists {} ids", list.len()))
                        .expected(format!(
                            "at most {MAX_LISTED}: more lines than that cannot be told apart; a `compare` chart shows every unit on one measure"
                        )),
                );
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

        // Periods are read whether or not the chart type uses them: a
        // misspelt period is reported beside a key the type does not use.
        let mut periods = BTreeMap::new();
        for key in PERIOD_KEYS {
            let Some((text, span)) = strings.remove(key) else {
                continue;
            };
            match Period::parse(&text) {
                Some(p) => {
                    periods.insert(key, p);
                }
                None => problems.push(
                    SpecProblem::new(Some(span.start), format!("`{key}` is not a period"))
                        .found(text)
                        .expected(PERIOD_EXPECTED),
                ),
            }
        }

        let mut kind = None;
        if let Some(t) = chart_type {
            let (required, optional) = t.keys();
            let mut fields = Fields {
                chart: t,
                required,
                present: present.clone(),
                strings: strings.iter().map(|(k, (v, _))| (*k, v.clone())).collect(),
                lists,
                periods: periods.clone(),
                problems: &mut problems,
            };
            kind = t.parse_kind(&mut fields);
            for (key, offset) in &present {
                let allowed =
                    COMMON_KEYS.contains(key) || required.contains(key) || optional.contains(key);
                if !allowed {
                    let mut accepted: Vec<&str> = COMMON_KEYS.to_vec();
                    accepted.extend(required.iter().chain(optional.iter()).copied());
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

        // A chart type's parser that returns nothing has reported why.
        let (Some(kind), true) = (kind, problems.is_empty()) else {
            problems.sort_by_key(|p| p.offset);
            return Err(problems);
        };
        let s = |k: &str| strings.get(k).map(|(v, _)| v.clone());
        Ok(ChartSpec {
            kind,
            from: periods.get("from").copied(),
            to: periods.get("to").copied(),
            group: s("group"),
            title: s("title"),
            spans,
        })
    }
}
