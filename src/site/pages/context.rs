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
    /// policy), made into template values once, and copied once per
    /// thread that renders (see [`BaseContext::render`]).
    shared: Context,
    /// Tells this build's values from another's in a thread's copy.
    id: u64,
    /// The site's theme and the templates it replaces, when it replaces
    /// any: its pages are checked for their limitations (see
    /// `theme_check`).
    own_theme: Option<(String, Vec<&'static str>)>,
}

std::thread_local! {
    /// A thread's copy of the shared values of the build `id`, to which
    /// each page's own values are added for its rendering and then taken
    /// away again.
    static WORKING: std::cell::RefCell<Option<(u64, Context)>> =
        const { std::cell::RefCell::new(None) };
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
        static BUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let own = crate::render::own_templates(&site.root, &c.theme);
        BaseContext {
            own_theme: (!own.is_empty()).then(|| (c.theme.clone(), own)),
            site: site_view,
            nav: navigation::menu(site),
            shared,
            id: BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// The values every page shares, for the templates to write in the
    /// ones that never change (see `render::templates`).
    pub(super) fn shared(&self) -> &Context {
        &self.shared
    }

    /// Renders `template` with the page's own values `page` (made by
    /// [`BaseContext::context`]) and the shared ones. The shared values
    /// hold every word of the interface: copying them for each of ten
    /// thousand pages cost more than rendering some of the pages, so each
    /// thread keeps one copy and lends it to the page it renders.
    pub(super) fn render(
        &self,
        tera: &tera::Tera,
        template: &str,
        page: Context,
    ) -> Result<Vec<u8>, crate::diagnostics::Diagnostic> {
        let required = match &self.own_theme {
            Some(_) => super::theme_check::required_texts(template, &page.clone().into_json()),
            None => Vec::new(),
        };
        let html = self.render_unchecked(tera, template, page)?;
        match (
            &self.own_theme,
            super::theme_check::first_missing(&html, &required),
        ) {
            (Some((theme, own)), Some(missing)) => {
                let file = if own.contains(&template) {
                    format!("themes/{theme}/templates/{template}")
                } else {
                    format!("themes/{theme}/templates/")
                };
                Err(crate::diagnostics::Diagnostic::error(
                    file,
                    format!("the theme leaves a limitation out of the page made from `{template}`"),
                )
                .found(missing.chars().take(120).collect::<String>())
                .expected("every limitation the default theme shows on this page, printed as text")
                .help(
                    "a page states what its figures cannot tell: print the limitations as the \
                     default theme does, in this template or one it extends, includes or imports \
                     (a report: `{{ m::limitations(lims=limitations, t=t) }}`; see README, Themes)",
                ))
            }
            _ => Ok(html),
        }
    }

    fn render_unchecked(
        &self,
        tera: &tera::Tera,
        template: &str,
        page: Context,
    ) -> Result<Vec<u8>, crate::diagnostics::Diagnostic> {
        WORKING.with(|working| {
            // Only a template that renders a page from inside a page could
            // find the copy lent out; it gets one of its own.
            let Ok(mut working) = working.try_borrow_mut() else {
                let mut ctx = self.shared.clone();
                ctx.extend(page);
                return crate::render::render(tera, template, &ctx);
            };
            if working.as_ref().is_some_and(|(id, _)| *id != self.id) {
                *working = None;
            }
            let (_, ctx) = working.get_or_insert_with(|| (self.id, self.shared.clone()));
            // The page's keys, to take away again afterwards.
            let page = page.into_json();
            let keys: Vec<String> = page
                .as_object()
                .map(|values| values.keys().cloned().collect())
                .unwrap_or_default();
            let page = Context::from_value(page).map_err(|e| {
                crate::diagnostics::Diagnostic::error(
                    format!("templates/{template}"),
                    format!("cannot render: {e}"),
                )
            })?;
            ctx.extend(page);
            let html = crate::render::render(tera, template, ctx);
            for key in keys {
                ctx.remove(&key);
                if let Some(shared) = self.shared.get(&key) {
                    ctx.insert(key, shared);
                }
            }
            html
        })
    }

    /// The page's own values of a page at `path` with `title`: rendered
    /// with the shared ones by [`BaseContext::render`].
    pub(super) fn context(&self, path: &str, title: &str, description: &str) -> Context {
        let mut ctx = Context::new();
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
