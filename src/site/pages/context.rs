//! What every template gets: the site, the strings, the menu, the page's
//! address back to the site root, its canonical address and the
//! Content-Security-Policy.

use serde::Serialize;
use tera::Context;

use super::{navigation, root_for};
use crate::chart::Chart;
use crate::format;
use crate::site::Site;

/// What every template gets: the site, the strings and the navigation.
pub(super) struct BaseContext {
    site: SiteView,
    nav: Vec<(String, String)>,
    /// What is the same on every page (the site, the strings, the
    /// policy), made into template values once: cloning them is several
    /// times cheaper than serialising the strings for each of thousands
    /// of pages.
    shared: Context,
}

#[derive(Serialize, Clone)]
struct SiteView {
    lang: &'static str,
    title: String,
    organisation: String,
    description: String,
    base_url: String,
    source: String,
    extracted: String,
    contact: String,
    next_publication: Option<String>,
}

/// A strict Content-Security-Policy: nothing from any other host, no script.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

impl BaseContext {
    pub(super) fn new(site: &Site) -> BaseContext {
        let c = &site.config;
        let lang = c.language;
        let next_publication = c
            .publication
            .next
            .iter()
            .filter(|d| **d > c.source.extracted)
            .min()
            .map(|d| format::date_long(&d.0, lang));
        let site_view = SiteView {
            lang: lang.code(),
            title: c.title.clone(),
            organisation: c.organisation.clone(),
            description: c.description.clone().unwrap_or_default(),
            base_url: c.base_url(),
            source: c.source.name.clone(),
            extracted: format::date_long(&c.source.extracted.0, lang),
            contact: c.source.contact.clone(),
            next_publication,
        };
        let mut shared = Context::new();
        shared.insert("site", &site_view);
        shared.insert("t", lang.words());
        shared.insert("csp", CSP);
        shared.insert("og_image", &Option::<String>::None);
        BaseContext {
            site: site_view,
            nav: navigation::menu(site),
            shared,
        }
    }

    /// The context of a page at `path` with `title`.
    pub(super) fn context(&self, path: &str, title: &str, description: &str) -> Context {
        let mut ctx = self.shared.clone();
        let root = if path == "404.html" {
            // The 404 page is served for any missing address: link from the site root.
            crate::site::url_path(&self.site.base_url)
        } else {
            root_for(path)
        };
        let nav = navigation::items(&self.nav, path);
        ctx.insert("nav", &nav);
        ctx.insert("root", &root);
        ctx.insert("page_title", title);
        let description = if description.is_empty() {
            self.site.description.as_str()
        } else {
            description
        };
        ctx.insert("page_description", description);
        ctx.insert(
            "canonical",
            &format!(
                "{}{}",
                self.site.base_url,
                if path == "404.html" { "" } else { path }
            ),
        );
        ctx
    }
}

/// The picture a link to the page shows when shared: its first chart's PNG.
pub(super) fn insert_og_image(ctx: &mut Context, chart: &Chart) {
    ctx.insert("og_image", &format!("{}chart.png", chart.permalink()));
    ctx.insert("og_image_alt", &chart.description());
}
