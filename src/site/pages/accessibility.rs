//! The accessibility statement (see `crate::site::accessibility`).

use super::PageJob;
use super::context::BaseContext;
use crate::diagnostics::Diagnostic;
use crate::site::Site;

pub(super) fn pages(site: &Site, base: &BaseContext) -> Result<Vec<PageJob>, Vec<Diagnostic>> {
    let lang = site.config.language;
    let mut jobs = Vec::new();
    let mut ctx = base.context("accessibility/", lang.words().accessibility_statement, "");
    ctx.insert(
        "statement",
        &crate::site::accessibility::statement(&site.config),
    );
    jobs.push(PageJob {
        path: "accessibility/".into(),
        template: "accessibility.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: true,
    });
    Ok(jobs)
}
