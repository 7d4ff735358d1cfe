//! The report archive (`rapporter/`): every report, newest first, below the
//! text of `content/rapporter/_index.md` when there is one.

use super::context::BaseContext;
use super::{Link, PageJob};
use crate::content::ContentFile;
use crate::format;
use crate::site::Site;
use crate::site::reports::ReportInfo;

/// The archive page; its `html` is the rendered text of its content file
/// (empty without one).
pub(super) fn report_archive(
    site: &Site,
    base: &BaseContext,
    reports: &[ReportInfo],
    f: Option<&ContentFile>,
    html: String,
) -> PageJob {
    let path = "rapporter/".to_string();
    let title = f
        .map(|f| f.front.title.clone())
        .unwrap_or_else(|| site.config.language.words().reports.into());
    let mut ctx = base.context(&path, &title, "");
    ctx.insert("content", &html);
    // Newest first.
    let pages: Vec<Link> = reports
        .iter()
        .rev()
        .map(|r| Link {
            title: r.title.clone(),
            href: format!("{}index.html", r.path),
            date: r
                .date
                .as_ref()
                .map(|d| format::date_long(d, site.config.language)),
            summary: r.summary.clone(),
        })
        .collect();
    ctx.insert("pages", &pages);
    PageJob {
        path,
        template: "section.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: true,
    }
}
