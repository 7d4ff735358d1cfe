//! Every page of the site: content pages (home, sections, reports, plain
//! pages), generated pages (units, measures, charts, data, accessibility,
//! 404) and their rendering through the theme's templates.
//!
//! One file per page kind. A content file becomes its page in [`content`];
//! a generated page kind is a function from the site to its pages,
//! registered once in [`GENERATED`]. Rendering is orchestrated in
//! [`render`]; the context every template gets in [`context`], its menu in
//! [`navigation`]; the honesty warnings of `insyn check` in [`honesty`].

mod accessibility;
mod archive;
mod assets;
mod chart;
mod content;
mod context;
mod data;
mod embed;
mod generated_charts;
mod home;
mod honesty;
mod limitations;
mod link_rewrite;
mod markdown;
mod measures;
mod moved;
mod navigation;
mod not_found;
mod published;
mod render;
mod report;
mod report_archive;
mod revisions;
mod section;
mod theme_check;
mod units;

use serde::Serialize;
use tera::Context;

use self::context::BaseContext;
use crate::chart::Chart;
use crate::diagnostics::Diagnostic;
use crate::output::FileBody;
use crate::site::Site;

pub(super) use self::render::{render_content_pages, render_site};

/// A file of the output: relative path and bytes.
type OutFile = (String, FileBody);

/// A page waiting to be rendered.
struct PageJob {
    /// Address relative to the site root: `` (home), `rapporter/x/`, or a
    /// file name such as `404.html`.
    path: String,
    template: &'static str,
    ctx: Context,
    charts: Vec<Chart>,
    in_sitemap: bool,
}

/// A page made and rendered: what the rest of the build keeps of it.
struct MadePage {
    path: String,
    /// Its title, as an edition records it.
    title: String,
    in_sitemap: bool,
    /// Its file and the rendered HTML (in the build cache, with one).
    file: OutFile,
    /// The charts it showed, without their drawings.
    charts: Vec<Chart>,
}

/// A link in a list.
#[derive(Serialize, Clone)]
struct Link {
    title: String,
    href: String,
    date: Option<String>,
    summary: Option<String>,
}

/// The file a page address is written to.
use crate::site::editions::page_file as file_for;

/// The relative prefix from a page back to the site root, so that the site
/// works on any host path and when opened from disk.
fn root_for(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A page a kind will make, made only when the renderer comes to it: a
/// page's context (with the SVGs it inlines) lives from its making to its
/// rendering and no longer, so a site of 10,000 units never holds all its
/// pages at once.
type PageMaker<'a> = Box<dyn FnOnce() -> Result<PageJob, Vec<Diagnostic>> + Send + 'a>;

/// The maker of a page that is made by `make`.
fn later<'a>(make: impl FnOnce() -> Result<PageJob, Vec<Diagnostic>> + Send + 'a) -> PageMaker<'a> {
    Box::new(make)
}

/// A generated page kind: the pages it makes from the site's data and
/// configuration (not from a content file).
type GeneratedKind = for<'a> fn(&'a Site, &'a BaseContext) -> Vec<PageMaker<'a>>;

/// Every generated page kind, in the order their pages are listed in the
/// sitemap and recorded as an edition's addresses. A new kind is a new file
/// and one line here.
const GENERATED: &[GeneratedKind] = &[
    units::pages,
    measures::pages,
    data::pages,
    accessibility::pages,
    revisions::pages,
    not_found::pages,
];

/// The makers of the pages of every generated kind, in order.
fn generated_pages<'a>(site: &'a Site, base: &'a BaseContext) -> Vec<PageMaker<'a>> {
    GENERATED.iter().flat_map(|kind| kind(site, base)).collect()
}
