//! The reports of the site: the content files with a `period`, in the order
//! of their periods. Shared by the report pages, the archive, the home page
//! and the Atom feed.

use super::Site;
use crate::content::ContentFile;
use crate::data::Period;
use crate::diagnostics::Diagnostic;

/// Report facts shared by the report pages, the archive, the home page and
/// the feed.
#[derive(Clone)]
pub(super) struct ReportInfo {
    pub index: usize,
    pub period: Period,
    pub title: String,
    pub path: String,
    pub date: Option<String>,
    pub summary: Option<String>,
}

pub(super) fn reports(site: &Site) -> Result<Vec<ReportInfo>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, f) in site.content.iter().enumerate() {
        let Some(period_text) = &f.front.period else {
            continue;
        };
        let Some(period) = Period::parse(period_text) else {
            problems.push(
                Diagnostic::error(&f.file, "the report's `period` is not a period")
                    .at_line(front_line(site, f, "period"))
                    .found(period_text.clone())
                    .expected(crate::data::period::PERIOD_EXPECTED),
            );
            continue;
        };
        if f.front.date.is_none() {
            problems.push(
                Diagnostic::error(&f.file, "a report needs a publication `date`")
                    .at_line(2)
                    .expected("a line such as `date = 2024-10-20` in the front matter"),
            );
        }
        out.push(ReportInfo {
            index: i,
            period,
            title: f.front.title.clone(),
            path: f.path(),
            date: f.front.date.as_ref().map(|d| d.0.clone()),
            summary: f.front.summary.clone(),
        });
    }
    out.sort_by(|a, b| (a.period, &a.date, &a.path).cmp(&(b.period, &b.date, &b.path)));
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The line of a front-matter key, for messages.
fn front_line(site: &Site, f: &ContentFile, key: &str) -> usize {
    let Ok(text) = std::fs::read_to_string(site.root.join(&f.file)) else {
        return 2;
    };
    text.lines()
        .position(|l| l.trim_start().starts_with(key))
        .map(|i| i + 1)
        .unwrap_or(2)
}
