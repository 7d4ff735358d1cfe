//! The accessibility statement (see `crate::site::accessibility`).

use super::context::BaseContext;
use super::{PageJob, PageMaker, later};
use crate::site::Site;

pub(super) fn pages<'a>(site: &'a Site, base: &'a BaseContext) -> Vec<PageMaker<'a>> {
    vec![later(move || Ok(page(site, base)))]
}

fn page(site: &Site, base: &BaseContext) -> PageJob {
    let lang = site.config.language;
    let mut ctx = base.context("accessibility/", lang.words().accessibility_statement, "");
    ctx.insert(
        "statement",
        &crate::site::accessibility::statement(&site.config),
    );
    PageJob {
        path: "accessibility/".into(),
        template: "accessibility.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: true,
    }
}
