//! The accessibility statement (*tillgänglighetsredogörelse*) that lagen
//! (2018:1937) om tillgänglighet till digital offentlig service requires of
//! a public-sector site, in the structure the supervisory authority (DIGG)
//! prescribes: who runs the site, its compliance status in DIGG's words,
//! the content that is not accessible and why, how to report a problem and
//! DIGG's reporting form, how and when the site was assessed, and when the
//! statement was last updated.
//!
//! Everything in it that is a claim comes from `[accessibility]` in
//! `site.toml`: only the publisher can know it. insyn claims nothing for
//! them (its own tests run on its demo site, not on theirs), and output
//! never depends on the clock, so an outdated assessment is found by
//! `check` against the site's data date rather than today.

use serde::Serialize;

use crate::config::{Compliance, SiteConfig};
use crate::diagnostics::Diagnostic;
use crate::format;
use crate::text::Lang;

/// DIGG's form for reporting a public-sector site that is not accessible.
pub const DIGG_REPORT_FORM: &str = "https://www.digg.se/tdosanmalan";

/// What the statement template shows.
#[derive(Debug, Serialize)]
pub struct StatementView {
    /// `full`, `partial` or `none`.
    pub status: Compliance,
    /// The compliance status in the words DIGG's model statement uses.
    pub status_text: String,
    pub problems: Vec<String>,
    /// The assessment day in running text, when there was one.
    pub assessed: Option<String>,
    pub method: Option<String>,
    /// The day the statement was last updated, in running text.
    pub updated: Option<String>,
    pub contact: String,
    pub report_form: &'static str,
}

pub fn statement(config: &SiteConfig) -> StatementView {
    let a = &config.accessibility;
    let lang = config.language;
    let long = |d: &crate::config::Date| format::date_long(&d.0, lang);
    StatementView {
        status: a.status,
        status_text: status_text(a.status, lang).to_string(),
        problems: a.problems.clone(),
        assessed: a.assessed.as_ref().map(long),
        method: a.method.clone(),
        updated: a.updated.as_ref().or(a.assessed.as_ref()).map(long),
        contact: a
            .contact
            .clone()
            .unwrap_or_else(|| config.source.contact.clone()),
        report_form: DIGG_REPORT_FORM,
    }
}

/// DIGG's wording of each status.
pub fn status_text(status: Compliance, lang: Lang) -> &'static str {
    let w = lang.words();
    match status {
        Compliance::Full => w.compliance_full,
        Compliance::Partial => w.compliance_partial,
        Compliance::None => w.compliance_none,
    }
}

/// What `check` says about the statement: an assessment that is missing or
/// more than a year older than the site's data date, and a status short of
/// full that names nothing that is not accessible.
pub fn warnings(config: &SiteConfig) -> Vec<Diagnostic> {
    let a = &config.accessibility;
    let file = "site.toml";
    let mut out = Vec::new();
    let data_date = &config.source.extracted;
    match &a.assessed {
        None => out.push(
            Diagnostic::warning(file, "the accessibility statement names no assessment of the site")
                .expected("`assessed = <date>` and `method = \"…\"` under `[accessibility]`")
                .help("the law requires the statement to say how and when the site was assessed; until then it says the site has not been assessed"),
        ),
        Some(d) if d.0 < year_before(&data_date.0) => out.push(
            Diagnostic::warning(
                file,
                format!(
                    "the accessibility assessment of {} is more than a year older than the data ({})",
                    d.0, data_date.0
                ),
            )
            .found(format!("assessed = {}", d.0))
            .help("assess the site again, then update `assessed` (and `updated`) under `[accessibility]`"),
        ),
        Some(_) => {}
    }
    if a.status != Compliance::Full && a.problems.is_empty() {
        out.push(
            Diagnostic::warning(
                file,
                "the accessibility statement says the site is not fully compliant but lists no content that is not accessible",
            )
            .expected("`problems = [\"what is not accessible, and why\"]` under `[accessibility]`")
            .help("or, when an assessment found no problems, `status = \"full\"`"),
        );
    }
    out
}

/// The same day a year earlier (`2026-10-06` → `2025-10-06`); dates compare
/// as text.
fn year_before(date: &str) -> String {
    match date.get(..4).and_then(|y| y.parse::<i32>().ok()) {
        Some(y) => format!("{:04}{}", y - 1, &date[4..]),
        None => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(accessibility: &str) -> SiteConfig {
        toml::from_str(&format!(
            "title = \"T\"\norganisation = \"O\"\nbase_url = \"https://x.example/\"\n[source]\nname = \"S\"\ncontact = \"a@b\"\nextracted = 2026-10-06\n{accessibility}"
        ))
        .unwrap()
    }

    fn messages(c: &SiteConfig) -> Vec<String> {
        warnings(c).into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn no_assessment_is_a_warning_and_no_claim() {
        let c = config("");
        let s = statement(&c);
        assert_eq!(s.status, Compliance::Partial);
        assert!(s.status_text.contains("delvis förenlig"));
        assert_eq!(s.assessed, None);
        assert_eq!(s.updated, None);
        assert_eq!(s.contact, "a@b");
        let w = messages(&c);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("names no assessment"));
        assert!(w[1].contains("lists no content"));
    }

    #[test]
    fn an_assessment_older_than_a_year_before_the_data_is_a_warning() {
        let old = config("[accessibility]\nassessed = 2025-10-05\nproblems = [\"p\"]\n");
        assert_eq!(
            messages(&old),
            vec![
                "the accessibility assessment of 2025-10-05 is more than a year older than the data (2026-10-06)"
            ]
        );
        let fresh = config("[accessibility]\nassessed = 2025-10-06\nproblems = [\"p\"]\n");
        assert!(messages(&fresh).is_empty());
        let s = statement(&fresh);
        assert_eq!(s.assessed.as_deref(), Some("6 oktober 2025"));
        assert_eq!(s.updated, s.assessed, "updated defaults to assessed");
    }

    #[test]
    fn each_status_in_digg_wording() {
        for (status, sv, en) in [
            (Compliance::Full, "helt förenlig", "fully compliant"),
            (
                Compliance::Partial,
                "delvis förenlig",
                "partially compliant",
            ),
            (Compliance::None, "inte förenlig", "not compliant"),
        ] {
            assert!(status_text(status, Lang::Sv).contains(sv));
            assert!(status_text(status, Lang::Sv).contains("lagen (2018:1937)"));
            assert!(status_text(status, Lang::En).contains(en));
        }
        let full = config("[accessibility]\nstatus = \"full\"\nassessed = 2026-09-01\n");
        assert!(messages(&full).is_empty());
    }
}
