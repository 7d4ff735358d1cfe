//! The 404 page, served for any address the site does not have.

use super::context::BaseContext;
use super::{PageJob, PageMaker, later};
use crate::site::Site;

pub(super) fn pages<'a>(site: &'a Site, base: &'a BaseContext) -> Vec<PageMaker<'a>> {
    vec![later(move || {
        let ctx = base.context("404.html", site.config.language.words().page_not_found, "");
        Ok(PageJob {
            path: "404.html".into(),
            template: "404.html",
            ctx,
            charts: Vec::new(),
            in_sitemap: false,
        })
    })]
}
