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

/// An index page and the pages made for its items: every page, or the
/// problems of every item that failed, at once.
fn index_and_pages(
    index: PageJob,
    made: Vec<Result<PageJob, Vec<Diagnostic>>>,
) -> Result<Vec<PageJob>, Vec<Diagnostic>> {
    let mut jobs = vec![index];
    let mut problems = Vec::new();
    for r in made {
        match r {
            Ok(j) => jobs.push(j),
            Err(e) => problems.extend(e),
        }
    }
    if problems.is_empty() {
        Ok(jobs)
    } else {
        Err(problems)
    }
}

/// A generated page kind: the pages it makes from the site's data and
/// configuration (not from a content file).
type GeneratedKind = fn(&Site, &BaseContext) -> Result<Vec<PageJob>, Vec<Diagnostic>>;

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

/// The pages of every generated kind; the problems of all of them at once.
fn generated_pages(site: &Site, base: &BaseContext) -> Result<Vec<PageJob>, Vec<Diagnostic>> {
    let mut jobs = Vec::new();
    let mut problems = Vec::new();
    for kind in GENERATED {
        match kind(site, base) {
            Ok(mut more) => jobs.append(&mut more),
            Err(e) => problems.extend(e),
        }
    }
    if problems.is_empty() {
        Ok(jobs)
    } else {
        Err(problems)
    }
}
