//! The specs of the charts generated pages draw (the home page's headline
//! charts, a unit's standard charts, a measure's comparison), in one place:
//! built as values of the chart types, checked and resolved like an
//! author's block (never written as text and read back).

use std::collections::BTreeMap;

use crate::chart::{Bars, ChartSpec, Compare, Growth, PerFte, PerFteOf, Series, Workload};
use crate::data::{MeasureKind, Role};
use crate::site::Site;

/// The headline growth chart of `unit`: `caseload` against `staffing`.
pub(super) fn growth_spec(caseload: &str, staffing: &str, unit: &str) -> ChartSpec {
    ChartSpec::new(Growth {
        unit: unit.to_string(),
        caseload: caseload.to_string(),
        staffing: staffing.to_string(),
        base: None,
    })
}

/// Every unit's values of `measure`, compared.
pub(super) fn compare_spec(measure: &str) -> ChartSpec {
    ChartSpec::new(Compare {
        measure: measure.to_string(),
        unit: None,
        period: None,
        reference: Vec::new(),
    })
}

/// The specs of a unit's standard charts: the headline growth chart, each
/// ratio, each group of same-unit measures, and workload against capacity.
pub(super) fn unit_chart_specs(site: &Site, unit: &str) -> Vec<ChartSpec> {
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
        specs.push(ChartSpec::new(PerFte {
            unit: unit.to_string(),
            of: PerFteOf::Ratio(m.id.clone()),
        }));
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
            specs.push(ChartSpec::new(Bars {
                unit: unit.to_string(),
                measure: ids[0].to_string(),
            }));
        } else {
            specs.push(ChartSpec::new(Series {
                unit: unit.to_string(),
                measures: ids.iter().map(|i| i.to_string()).collect(),
                reference: Vec::new(),
            }));
        }
    }
    if let (Some(w), Some(c)) = (workload, capacity) {
        specs.push(ChartSpec::new(Workload {
            unit: unit.to_string(),
            workload: Some(w.id.clone()),
            capacity: Some(c.id.clone()),
        }));
    }
    specs
}
