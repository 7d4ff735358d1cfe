//! The metadata of a site's data: units (`data/units.toml`) and measures
//! (`data/measures.toml`), after validation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::data::period::Period;
use crate::text::LocalizedText;

/// An organisational unit whose figures are reported (§3.2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    pub id: String,
    pub name: String,
    /// Id of an entry in [`Units::areas`].
    pub area: Option<String>,
    /// Id of the parent unit, for roll-ups and folding small units.
    pub parent: Option<String>,
}

/// An area of the social services such as "barn-och-unga".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Area {
    pub id: String,
    pub name: LocalizedText,
}

/// A unit that is a reference figure rather than part of the organisation:
/// the national figure, or a group of similar municipalities (§3.2). Charts
/// may draw it beside a unit; compare charts do not rank it among the units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    /// The caveat every chart that draws it carries, such as "an unweighted
    /// mean of 12 municipalities".
    pub note: Option<LocalizedText>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Units {
    /// By id; iteration order is the id order, which keeps output deterministic.
    pub units: BTreeMap<String, Unit>,
    pub areas: BTreeMap<String, Area>,
    /// The units marked `reference` in units.toml, by id.
    pub references: BTreeMap<String, Reference>,
}

impl Units {
    pub fn get(&self, id: &str) -> Option<&Unit> {
        self.units.get(id)
    }

    /// Resolves a unit column cell: an id, or the exact name of exactly one
    /// unit (a name that several units share resolves to none).
    pub fn resolve(&self, id_or_name: &str) -> Option<&Unit> {
        self.units.get(id_or_name).or_else(|| {
            let mut named = self.units.values().filter(|u| u.name == id_or_name);
            let first = named.next()?;
            named.next().is_none().then_some(first)
        })
    }

    /// Whether `id` is a reference figure (national, a group of peers).
    pub fn is_reference(&self, id: &str) -> bool {
        self.references.contains_key(id)
    }
}

/// What a measure's numbers count (§3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MeasureUnit {
    Count,
    Fte,
    Percent,
    Days,
    Points,
    Ratio,
}

impl MeasureUnit {
    /// Counts are what suppression (H9) applies to.
    pub fn is_count(self) -> bool {
        self == MeasureUnit::Count
    }
}

/// Stock: the value at quarter end. Flow: the total during the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MeasureKind {
    Stock,
    Flow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Caseload,
    Staffing,
    Workload,
    Capacity,
    Indicator,
    Other,
}

/// A definition change: values before and after `period` are not comparable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesBreak {
    pub period: Period,
    pub note: LocalizedText,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    pub id: String,
    pub label: LocalizedText,
    pub unit: MeasureUnit,
    pub kind: MeasureKind,
    pub role: Role,
    /// Column names that mean this measure in wide CSV files (the id always does).
    pub columns: Vec<String>,
    pub definition: Option<LocalizedText>,
    /// Overrides the site's `[source]` name.
    pub source: Option<LocalizedText>,
    pub limitations: Vec<LocalizedText>,
    pub breaks: Vec<SeriesBreak>,
    /// Derived measure: numerator / denominator per unit, period and group.
    pub ratio: Option<(String, String)>,
}

impl Measure {
    pub fn is_derived(&self) -> bool {
        self.ratio.is_some()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Measures {
    pub measures: BTreeMap<String, Measure>,
}

impl Measures {
    pub fn get(&self, id: &str) -> Option<&Measure> {
        self.measures.get(id)
    }

    /// Resolves a measure cell or wide column: an id or one of `columns`,
    /// matched case-insensitively.
    pub fn resolve(&self, name: &str) -> Option<&Measure> {
        let name = name.trim();
        self.measures.get(name).or_else(|| {
            self.measures.values().find(|m| {
                m.id.eq_ignore_ascii_case(name)
                    || m.columns.iter().any(|c| c.eq_ignore_ascii_case(name))
            })
        })
    }
}
