//! The specs of the charts generated pages draw (the home page's headline
//! charts, a unit's standard charts, a measure's comparison), in one place:
//! written as chart-block TOML and resolved like an author's block.

use std::collections::BTreeMap;

use crate::data::{MeasureKind, Role};
use crate::site::Site;

/// The headline growth chart of `unit`: `caseload` against `staffing`.
pub(super) fn growth_spec(caseload: &str, staffing: &str, unit: &str) -> String {
    format!(
        "type = \"growth\"\ncaseload = \"{caseload}\"\nstaffing = \"{staffing}\"\nunit = \"{unit}\"\n"
    )
}

/// Every unit's values of `measure`, compared.
pub(super) fn compare_spec(measure: &str) -> String {
    format!("type = \"compare\"\nmeasure = \"{measure}\"\n")
}

/// The specs of a unit's standard charts: the headline growth chart, each
/// ratio, each group of same-unit measures, and workload against capacity.
pub(super) fn unit_chart_specs(site: &Site, unit: &str) -> Vec<String> {
    let has = |m: &str| site.data.series(m, unit).is_some();
    let mut specs = Vec::new();
    if let Some((caseload, staffing)) = site.headline()
        && has(&caseload)
        && has(&staffing)
    {
        specs.push(growth_spec(&caseload, &staffing, unit));
    }
    let measures = &site.data.measures.measures;
    for m in measures.values().filter(|m| m.is_derived() && has(&m.id)) {
        specs.push(format!(
            "type = \"per_fte\"\nmeasure = \"{}\"\nunit = \"{unit}\"\n",
            m.id
        ));
    }
    let workload = measures
        .values()
        .find(|m| m.role == Role::Workload && has(&m.id));
    let capacity = measures
        .values()
        .find(|m| m.role == Role::Capacity && has(&m.id));
    // Measures share one axis only when they belong together: the same
    // unit of measurement, the same kind and the same role, and a role whose
    // measures add up to one picture (caseload, staffing: employed staff
    // beside consultants). Indicators and other measures get a chart each:
    // sick leave beside investigations completed in time would invite a
    // comparison that means nothing. Flows are bars.
    let mut groups: BTreeMap<(String, bool, String), Vec<&str>> = BTreeMap::new();
    for m in measures.values().filter(|m| !m.is_derived() && has(&m.id)) {
        if matches!(m.role, Role::Workload | Role::Capacity)
            && workload.is_some()
            && capacity.is_some()
        {
            continue;
        }
        let together = match m.role {
            Role::Caseload | Role::Staffing | Role::Workload | Role::Capacity => {
                format!("{:?}", m.role)
            }
            _ => format!("~{}", m.id),
        };
        let key = (
            format!("{:?}", m.unit),
            m.kind == MeasureKind::Flow,
            together,
        );
        groups.entry(key).or_default().push(&m.id);
    }
    for ((_, flow, _), ids) in groups {
        if flow && ids.len() == 1 {
            specs.push(format!(
                "type = \"bars\"\nmeasure = \"{}\"\nunit = \"{unit}\"\n",
                ids[0]
            ));
        } else {
            let list = ids
                .iter()
                .map(|i| format!("\"{i}\""))
                .collect::<Vec<_>>()
                .join(", ");
            specs.push(format!(
                "type = \"series\"\nmeasures = [{list}]\nunit = \"{unit}\"\n"
            ));
        }
    }
    if let (Some(w), Some(c)) = (workload, capacity) {
        specs.push(format!(
            "type = \"workload\"\nworkload = \"{}\"\ncapacity = \"{}\"\nunit = \"{unit}\"\n",
            w.id, c.id
        ));
    }
    specs
}
