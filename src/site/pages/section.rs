//! A section's index page (`content/<section>/_index.md`): its text, then
//! every page of the section.

use tera::Context;

use super::Link;
use crate::content::ContentFile;
use crate::format;
use crate::site::Site;

/// Adds the section's pages to `ctx` and names the template.
pub(super) fn insert(ctx: &mut Context, site: &Site, f: &ContentFile) -> &'static str {
    let pages: Vec<Link> = site
        .content
        .iter()
        .filter(|c| !c.is_section_index() && c.section() == f.section())
        .map(|c| Link {
            title: c.front.title.clone(),
            href: c.page_file(),
            date: c
                .front
                .date
                .as_ref()
                .map(|d| format::date_long(&d.0, site.config.language)),
            summary: c.front.summary.clone(),
        })
        .collect();
    ctx.insert("pages", &pages);
    "section.html"
}
