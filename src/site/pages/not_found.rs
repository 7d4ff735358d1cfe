//! The 404 page, served for any address the site does not have.

use super::PageJob;
use super::context::BaseContext;
use crate::diagnostics::Diagnostic;
use crate::site::Site;

pub(super) fn pages(site: &Site, base: &BaseContext) -> Result<Vec<PageJob>, Vec<Diagnostic>> {
    let lang = site.config.language;
    let mut jobs = Vec::new();
    let ctx = base.context("404.html", lang.words().page_not_found, "");
    jobs.push(PageJob {
        path: "404.html".into(),
        template: "404.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: false,
    });
    Ok(jobs)
}
