//! The lines of a chart block written back as TOML, for a person to read
//! and edit (the scaffold writes its charts this way): each chart type
//! writes its own keys. Reading the text back gives the same spec.

use crate::data::Period;

/// The lines of a chart block, one key each.
#[derive(Default)]
pub(crate) struct TomlText(pub(super) String);

impl TomlText {
    /// `key = "value"`, quoted and escaped as TOML.
    pub(crate) fn string(&mut self, key: &str, value: &str) {
        let value = toml::Value::String(value.to_string());
        self.0.push_str(&format!("{key} = {value}\n"));
    }

    /// `key = "value"` when there is one.
    pub(crate) fn optional(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.string(key, value);
        }
    }

    /// `key = ["a", "b"]`.
    pub(crate) fn list(&mut self, key: &str, values: &[String]) {
        let items: Vec<String> = values
            .iter()
            .map(|v| toml::Value::String(v.clone()).to_string())
            .collect();
        self.0
            .push_str(&format!("{key} = [{}]\n", items.join(", ")));
    }

    /// `key = "2024Q3"` when there is one.
    pub(crate) fn period(&mut self, key: &str, value: Option<Period>) {
        if let Some(p) = value {
            self.string(key, &p.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Bars, ChartSpec, Compare, Growth, PerFte, PerFteOf, Series, Workload};
    use crate::data::Period;

    fn q(year: i32, quarter: u8) -> Period {
        Period::quarter(year, quarter)
    }

    #[test]
    fn every_chart_type_reads_back_as_the_spec_it_was_written_from() {
        let mut titled = ChartSpec::new(Bars {
            unit: "nordost".into(),
            measure: "open_cases".into(),
        });
        titled.from = Some(q(2021, 1));
        titled.group = Some("0-12 år".into());
        // Quotes, a backslash and a line break survive the trip.
        titled.title = Some("Ärenden \"öppna\" \\ per\nkvartal".into());
        let specs = [
            ChartSpec::new(Growth {
                unit: "nordost".into(),
                caseload: "open_cases".into(),
                staffing: "staff_fte".into(),
                base: Some(q(2020, 1)),
            })
            .to(q(2024, 3)),
            ChartSpec::new(PerFte {
                unit: "nordost".into(),
                of: PerFteOf::Ratio("cases_per_fte".into()),
            }),
            ChartSpec::new(PerFte {
                unit: "nordost".into(),
                of: PerFteOf::Parts {
                    caseload: "open_cases".into(),
                    staffing: "staff_fte".into(),
                },
            }),
            ChartSpec::new(Series {
                unit: "nordost".into(),
                measures: vec!["open_cases".into(), "staff_fte".into()],
                reference: vec!["riket".into()],
            }),
            titled,
            ChartSpec::new(Compare {
                measure: "cases_per_fte".into(),
                unit: Some("nordost".into()),
                period: Some(q(2024, 2)),
                reference: vec!["riket".into(), "liknande".into()],
            }),
            ChartSpec::new(Workload {
                unit: "nordost".into(),
                workload: None,
                capacity: None,
            }),
            ChartSpec::new(Workload {
                unit: "nordost".into(),
                workload: Some("weighted".into()),
                capacity: Some("capacity".into()),
            }),
        ];
        for spec in specs {
            let text = spec.to_toml();
            let back = ChartSpec::parse(&text).unwrap_or_else(|e| panic!("{text}\n{e:?}"));
            assert_eq!(back.kind, spec.kind, "{text}");
            assert_eq!(
                (back.from, back.to, &back.group, &back.title),
                (spec.from, spec.to, &spec.group, &spec.title),
                "{text}"
            );
            assert_eq!(back.to_toml(), text);
        }
    }

    #[test]
    fn a_growth_chart_is_written_the_way_a_person_writes_it() {
        let spec = ChartSpec::new(Growth {
            unit: "nordost".into(),
            caseload: "open_cases".into(),
            staffing: "staff_fte".into(),
            base: None,
        })
        .to(q(2024, 3));
        assert_eq!(
            spec.to_toml(),
            "type = \"growth\"\ncaseload = \"open_cases\"\nstaffing = \"staff_fte\"\nunit = \"nordost\"\nto = \"2024Q3\"\n"
        );
    }
}
