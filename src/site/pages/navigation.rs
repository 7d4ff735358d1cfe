//! The site's menu: the same on every page, with the page's own section
//! marked as the current one.

use serde::Serialize;

use crate::content::ContentFile;
use crate::site::Site;

/// An entry of the menu as a template gets it.
#[derive(Serialize)]
pub(super) struct NavItem {
    title: String,
    href: String,
    current: bool,
}

/// The menu, as titles and addresses from the site root: home, the reports
/// (when there are any), units, measures and data, then the top-level
/// content pages in the order of their `weight`.
pub(super) fn menu(site: &Site) -> Vec<(String, String)> {
    let lang = site.config.language;
    let mut nav = vec![(lang.words().home.to_string(), "index.html".to_string())];
    if site.content.iter().any(|f| f.front.period.is_some()) {
        nav.push((
            lang.words().reports.to_string(),
            "rapporter/index.html".to_string(),
        ));
    }
    nav.push((
        lang.words().units.to_string(),
        "units/index.html".to_string(),
    ));
    nav.push((
        lang.words().measures.to_string(),
        "measures/index.html".to_string(),
    ));
    nav.push((lang.words().data.to_string(), "data/index.html".to_string()));
    // Top-level content pages (not sections, not reports) join the menu.
    let mut extra: Vec<&ContentFile> = site
        .content
        .iter()
        .filter(|f| !f.relative.contains('/') && !f.is_section_index() && f.front.period.is_none())
        .collect();
    extra.sort_by_key(|f| (f.front.weight.unwrap_or(0), f.relative.clone()));
    for f in extra {
        nav.push((f.front.title.clone(), f.page_file()));
    }
    nav
}

/// The menu as the page at `path` shows it: the entry of the page's
/// section (or of the home page) is the current one.
pub(super) fn items(nav: &[(String, String)], path: &str) -> Vec<NavItem> {
    let section = path.split('/').next().unwrap_or("");
    nav.iter()
        .map(|(title, href)| NavItem {
            title: title.clone(),
            href: href.clone(),
            current: if path.is_empty() {
                href == "index.html"
            } else {
                !section.is_empty() && href.starts_with(&format!("{section}/"))
            },
        })
        .collect()
}
