//! A report's page: its period, publication date, author and contact, and
//! links to the reports before and after it.

use serde::Serialize;
use tera::Context;

use super::Link;
use crate::content::ContentFile;
use crate::format;
use crate::site::Site;
use crate::site::reports::ReportInfo;

/// Adds what the report template needs to `ctx` (the report is
/// `reports[ri]`, made from `f`) and names the template.
pub(super) fn insert(
    ctx: &mut Context,
    site: &Site,
    f: &ContentFile,
    reports: &[ReportInfo],
    ri: usize,
) -> &'static str {
    let r = &reports[ri];
    let lang = site.config.language;
    let link = |x: &ReportInfo| Link {
        title: x.title.clone(),
        href: format!("{}index.html", x.path),
        date: x.date.clone(),
        summary: None,
    };
    #[derive(Serialize)]
    struct ReportView {
        period: String,
        date: Option<String>,
        date_iso: Option<String>,
        author: Option<String>,
        summary: Option<String>,
        contact: String,
        previous: Option<Link>,
        next: Option<Link>,
    }
    ctx.insert(
        "report",
        &ReportView {
            period: format::period_long(r.period, lang),
            date: r.date.as_ref().map(|d| format::date_long(d, lang)),
            date_iso: r.date.clone(),
            author: f.front.author.clone(),
            summary: f.front.summary.clone(),
            contact: f
                .front
                .contact
                .clone()
                .unwrap_or_else(|| site.config.source.contact.clone()),
            previous: ri.checked_sub(1).map(|i| link(&reports[i])),
            next: reports.get(ri + 1).map(link),
        },
    );
    ctx.insert("og_type", "article");
    "report.html"
}
