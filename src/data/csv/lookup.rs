use std::collections::HashMap;

use crate::data::meta::{measure_candidates, unit_candidates};
use crate::data::model::{Measure, Measures, Units};

/// Units and measures indexed once for reading cells.
pub struct Lookup<'a> {
    pub(super) unit_ids: Vec<&'a str>,
    pub(super) unit_index: HashMap<&'a str, u32>,
    pub(super) measures: Vec<&'a Measure>,
    pub(super) measure_exact: HashMap<&'a str, u32>,
    pub(super) measure_folded: HashMap<String, u32>,
    pub(super) unit_candidates: Vec<&'a str>,
    pub(super) measure_candidates: Vec<&'a str>,
    /// Names that several units share (re-coded units), with their ids.
    pub(super) ambiguous_names: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Lookup<'a> {
    pub fn new(units: &'a Units, measures: &'a Measures) -> Lookup<'a> {
        let unit_ids: Vec<&str> = units.units.keys().map(String::as_str).collect();
        let mut unit_index = HashMap::new();
        // Names first, so that an id wins over another unit's equal name. A
        // name shared by several units means none of them.
        let mut ambiguous_names: HashMap<&str, Vec<&str>> = HashMap::new();
        for (i, u) in units.units.values().enumerate() {
            match unit_index.entry(u.name.as_str()) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(i as u32);
                }
                std::collections::hash_map::Entry::Occupied(e) => {
                    let first = unit_ids[*e.get() as usize];
                    ambiguous_names
                        .entry(u.name.as_str())
                        .or_insert_with(|| vec![first])
                        .push(u.id.as_str());
                }
            }
        }
        for name in ambiguous_names.keys() {
            unit_index.remove(name);
        }
        for (i, id) in unit_ids.iter().enumerate() {
            unit_index.insert(*id, i as u32);
        }
        let list: Vec<&Measure> = measures.measures.values().collect();
        let mut measure_exact = HashMap::new();
        let mut measure_folded = HashMap::new();
        for (i, m) in list.iter().enumerate().rev() {
            for c in &m.columns {
                measure_exact.insert(c.as_str(), i as u32);
                measure_folded.insert(c.to_lowercase(), i as u32);
            }
        }
        for (i, m) in list.iter().enumerate().rev() {
            measure_exact.insert(m.id.as_str(), i as u32);
            measure_folded.insert(m.id.to_lowercase(), i as u32);
        }
        Lookup {
            unit_ids,
            unit_index,
            measures: list,
            measure_exact,
            measure_folded,
            unit_candidates: unit_candidates(units),
            measure_candidates: measure_candidates(measures),
            ambiguous_names,
        }
    }

    /// A unit cell: an id or a unit's exact name.
    pub fn unit(&self, cell: &str) -> Option<u32> {
        self.unit_index.get(cell).copied()
    }

    /// The ids of the units that share the name `cell`, when several do.
    pub fn ambiguous_unit(&self, cell: &str) -> Option<&[&'a str]> {
        self.ambiguous_names.get(cell).map(Vec::as_slice)
    }

    /// A measure cell or wide column: an id or a `columns` name, any case.
    pub fn measure(&self, cell: &str) -> Option<u32> {
        self.measure_exact
            .get(cell)
            .or_else(|| self.measure_folded.get(&cell.to_lowercase()))
            .copied()
    }

    pub fn unit_id(&self, index: u32) -> &'a str {
        self.unit_ids[index as usize]
    }

    pub fn measure_at(&self, index: u32) -> &'a Measure {
        self.measures[index as usize]
    }

    pub fn measure_count(&self) -> usize {
        self.measures.len()
    }
}
