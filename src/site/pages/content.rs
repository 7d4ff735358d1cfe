//! A content file's page, by where the file is and what its front matter
//! says: `_index.md` is the home page, `rapporter/_index.md` the report
//! archive, a file with a `period` a report, another `_index.md` a section,
//! anything else a plain page.

use super::context::{BaseContext, insert_og_image};
use super::home::home_page;
use super::limitations::limitations_view;
use super::markdown::markdown;
use super::report_archive::report_archive;
use super::{PageJob, report, root_for, section};
use crate::content::ContentFile;
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::site::limits::PageLimits;
use crate::site::reports::ReportInfo;

/// The page of the content file `f`, which is `site.content[index]`.
pub(super) fn content_page(
    site: &Site,
    base: &BaseContext,
    reports: &[ReportInfo],
    index: usize,
    f: &ContentFile,
) -> Result<PageJob, Vec<Diagnostic>> {
    if f.relative == "_index.md" {
        return home_page(site, base, reports, Some(f));
    }
    let path = f.path();
    let root = root_for(&path);
    let report = reports.iter().position(|r| r.index == index);
    let default_to = report.map(|i| reports[i].period);
    let mut limits = PageLimits::stated();
    let mut charts_out = Vec::new();
    let html = markdown(site, f, &root, default_to, &mut limits, &mut charts_out)?;
    // Every kind of content page ends with the same limitations section
    // (H8): what its charts computed, its measures' and its author's own.
    let limitations = limitations_view(site, &limits, &f.front.limitations);
    if f.is_section_index() && f.section() == "rapporter" {
        let mut job = report_archive(site, base, reports, Some(f), html);
        job.ctx.insert("limitations", &limitations);
        job.charts = charts_out;
        return Ok(job);
    }
    let description = f.front.summary.clone().unwrap_or_default();
    let mut ctx = base.context(&path, &f.front.title, &description);
    ctx.insert("content", &html);
    ctx.insert("limitations", &limitations);
    let template = if let Some(ri) = report {
        report::insert(&mut ctx, site, f, reports, ri)
    } else if f.is_section_index() {
        section::insert(&mut ctx, site, f)
    } else {
        "page.html"
    };
    if let Some(chart) = charts_out.first() {
        insert_og_image(&mut ctx, chart);
    }
    Ok(PageJob {
        path,
        template,
        ctx,
        charts: charts_out,
        in_sitemap: true,
    })
}
