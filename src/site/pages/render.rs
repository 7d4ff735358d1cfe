//! Render orchestration: validate everything, make every page's job, then
//! render the jobs through the theme's templates with every chart's page
//! and downloads, and add the archive's files, the data downloads and the
//! feeds.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::archive::{addresses, frozen_copies, remade_files};
use super::assets::{BUNDLE_TIME, PNG_TIME, SLIDE_TIME, SVG_TIME, chart_assets, spill};
use super::chart::chart_page;
use super::content::content_page;
use super::context::BaseContext;
use super::embed::embed_page;
use super::home::home_page;
use super::honesty::honesty_warnings;
use super::moved::moved_pages;
use super::report_archive::report_archive;
use super::{OutFile, PageJob, file_for, generated_pages};
use crate::cache::BuildCache;
use crate::diagnostics::Diagnostic;
use crate::output::SiteFiles;
use crate::render;
use crate::site::charts::ChartRegistry;
use crate::site::reports::reports;
use crate::site::{BuildOptions, Rendered, Site};
use crate::timings;

pub(in crate::site) fn render_site(
    site: &Site,
    options: &BuildOptions,
) -> Result<Rendered, Vec<Diagnostic>> {
    let tera = render::templates(&site.root, &site.config.theme)?;
    let statics = render::static_files(&site.root, &site.config.theme)?;
    let reports = reports(site)?;
    let base = BaseContext::new(site);
    let cache = build_cache(site, options);

    // Validate everything, then produce: every problem of every file is
    // found before any chart is drawn, any page is made or anything is
    // written to the build cache. A content file that did not load (its
    // problems are reported with these by `Site::render`) stops the build
    // here too.
    let makes_report_archive = !reports.is_empty()
        && !site
            .content
            .iter()
            .any(|f| f.relative == "rapporter/_index.md");
    let problems = timings::stage("validate content", || {
        crate::site::validate::content(site, None, makes_report_archive)
    });
    if !problems.is_empty() || !site.load_problems.is_empty() {
        return Err(problems);
    }

    // Content pages, then generated ones. Problems here are insyn's own
    // (a generated chart it cannot resolve), never the author's.
    let span = timings::Span::new("model (pages, charts)");
    let mut problems = Vec::new();
    let mut jobs: Vec<PageJob> = Vec::new();
    let content_jobs: Vec<Result<PageJob, Vec<Diagnostic>>> = site
        .content
        .par_iter()
        .enumerate()
        .map(|(i, f)| content_page(site, &base, &reports, i, f))
        .collect();
    for r in content_jobs {
        match r {
            Ok(job) => jobs.push(job),
            Err(e) => problems.extend(e),
        }
    }
    if !site.content.iter().any(|f| f.relative == "_index.md") {
        match home_page(site, &base, &reports, None) {
            Ok(job) => jobs.push(job),
            Err(e) => problems.extend(e),
        }
    }
    if !site
        .content
        .iter()
        .any(|f| f.relative == "rapporter/_index.md")
        && !reports.is_empty()
    {
        jobs.push(report_archive(site, &base, &reports, None, String::new()));
    }
    match generated_pages(site, &base) {
        Ok(mut more) => jobs.append(&mut more),
        Err(e) => problems.extend(e),
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    drop(span);
    let mut warnings: Vec<Diagnostic> = crate::site::accessibility::warnings(&site.config);
    warnings.extend(honesty_warnings(site, &reports, &jobs));
    let out = render_jobs(site, options, &tera, &base, cache.as_deref(), jobs)?;
    let mut files = out.files;
    for counter in [&SVG_TIME, &PNG_TIME, &SLIDE_TIME, &BUNDLE_TIME] {
        counter.report();
    }
    // What earlier editions froze stays as it was published, and every
    // address they recorded keeps answering.
    files.extend(site.archive.output_files(&site.root));
    files.extend(remade_files(site, options, cache.as_deref())?);
    for (path, html) in moved_pages(site, &tera, &base, &files)? {
        files.insert(file_for(&path), html.into());
    }
    let _span = timings::Span::new("data files, feeds");
    for (name, bytes) in statics {
        files.insert(format!("static/{name}"), bytes.into());
    }
    let downloads = crate::site::feeds::data_downloads(site, cache.as_deref()).map_err(|e| {
        vec![Diagnostic::error(
            "data/",
            format!("cannot write the data downloads: {e}"),
        )]
    })?;
    files.extend(downloads);
    files.insert(
        "sitemap.xml".into(),
        crate::site::feeds::sitemap(site, &out.sitemap_paths).into(),
    );
    files.insert("robots.txt".into(), crate::site::feeds::robots(site).into());
    files.insert(
        "feed.xml".into(),
        crate::site::feeds::atom(site, &reports).into(),
    );
    Ok(Rendered {
        files,
        addresses: out.addresses,
        cache,
        warnings,
        pages: out.pages,
        charts: out.charts,
        page_charts: out.page_charts,
    })
}

/// Re-renders the pages of the content files at `indices` (and their charts'
/// pages and downloads) and nothing else: for `serve`, after an edit that
/// cannot change any other page (see [`crate::LiveSite`]).
pub(in crate::site) fn render_content_pages(
    site: &Site,
    options: &BuildOptions,
    indices: &[usize],
) -> Result<Rendered, Vec<Diagnostic>> {
    let tera = render::templates(&site.root, &site.config.theme)?;
    let reports = reports(site)?;
    let base = BaseContext::new(site);
    let cache = build_cache(site, options);
    let problems = crate::site::validate::content(site, Some(indices), false);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut jobs = Vec::new();
    let mut problems = Vec::new();
    for &i in indices {
        match content_page(site, &base, &reports, i, &site.content[i]) {
            Ok(job) => jobs.push(job),
            Err(e) => problems.extend(e),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let out = render_jobs(site, options, &tera, &base, cache.as_deref(), jobs)?;
    Ok(Rendered {
        files: out.files,
        addresses: out.addresses,
        cache,
        warnings: Vec::new(),
        pages: out.pages,
        charts: out.charts,
        page_charts: out.page_charts,
    })
}

/// The build cache of `options`: the site's own (where its charts keep
/// their drawings) when it is the same folder.
fn build_cache(site: &Site, options: &BuildOptions) -> Option<std::sync::Arc<BuildCache>> {
    let dir = options.cache_dir.as_deref()?;
    match &site.cache {
        Some(cache) if cache.dir() == dir => Some(cache.clone()),
        _ => Some(std::sync::Arc::new(BuildCache::new(dir))),
    }
}

/// What [`render_jobs`] made.
struct RenderedJobs {
    files: SiteFiles,
    addresses: Vec<crate::site::editions::PageRecord>,
    page_charts: BTreeMap<String, Vec<String>>,
    /// The pages that belong in the sitemap.
    sitemap_paths: Vec<String>,
    pages: usize,
    charts: usize,
}

/// Renders `jobs` through Tera, and for every chart they show its permalink
/// page and downloads (SVG, PNG, CSV, bundle).
///
/// Memory follows one chart at a time rather than the whole site (§8 at
/// 10,000 units is about 100,000 charts): a chart forgets the SVGs its
/// pages embedded until its own files are made, its page is rendered with
/// its downloads and then the chart is dropped, each page's context is
/// dropped once the page is rendered, and with a cache every page and
/// download goes into the cache as it is made ([`spill`]) instead of being
/// held until the site is written.
fn render_jobs(
    site: &Site,
    options: &BuildOptions,
    tera: &tera::Tera,
    base: &BaseContext,
    cache: Option<&BuildCache>,
    mut jobs: Vec<PageJob>,
) -> Result<RenderedJobs, Vec<Diagnostic>> {
    let span = timings::Span::new("chart registry");
    let mut registry = ChartRegistry::default();
    let mut page_charts = BTreeMap::new();
    for job in &mut jobs {
        if !job.charts.is_empty() {
            let slugs = job.charts.iter().map(|c| c.slug().to_string()).collect();
            page_charts.insert(job.path.clone(), slugs);
        }
        for mut chart in job.charts.drain(..) {
            // Drawn again, once, when the chart's own files are made.
            chart.forget_svgs();
            registry.insert(chart);
        }
    }
    jobs.extend(registry.charts.values().map(|c| embed_page(site, base, c)));
    let frozen = frozen_copies(site, &registry);
    let addresses = addresses(&jobs, &registry);
    // Chart pages are in the sitemap, after the other pages; frozen copies
    // are not (the live page is the one to find).
    let sitemap_paths: Vec<String> = jobs
        .iter()
        .filter(|j| j.in_sitemap)
        .map(|j| j.path.clone())
        .chain(registry.charts.values().map(|c| c.path()))
        .collect();
    let pages = jobs.len() + registry.charts.len() + frozen.len();
    let charts = registry.charts.len();

    drop(span);
    // Render every page in parallel; BTreeMap keeps the output order fixed.
    let span = timings::Span::new("render pages (tera)");
    let rendered: Vec<Result<OutFile, Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| {
            let html = render::render(tera, job.template, &job.ctx)?;
            let path = file_for(&job.path);
            let body = spill(cache, &path, html.into_bytes())?;
            Ok((path, body))
        })
        .collect();
    let mut files = SiteFiles::new();
    let mut problems = Vec::new();
    for r in rendered {
        match r {
            Ok((path, bytes)) => {
                files.insert(path, bytes);
            }
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    drop(span);
    // Each chart's page and downloads: SVG, PNG (cached), CSV and the data
    // bundle. The chart is dropped once its files are made.
    let _span = timings::Span::new("chart pages and downloads");
    let assets: Vec<Result<Vec<OutFile>, Diagnostic>> = registry
        .charts
        .into_par_iter()
        .chain(frozen.into_par_iter().map(|c| (c.slug().to_string(), c)))
        .map(|(slug, chart)| {
            let page = chart_page(site, base, &chart);
            let html = render::render(tera, page.template, &page.ctx)?;
            let path = file_for(&page.path);
            drop(page);
            let mut files = chart_assets(site, options, cache, &slug, chart)?;
            files.push((path.clone(), spill(cache, &path, html.into_bytes())?));
            Ok(files)
        })
        .collect();
    for a in assets {
        match a {
            Ok(list) => files.extend(list),
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(RenderedJobs {
        files,
        addresses,
        page_charts,
        sitemap_paths,
        pages,
        charts,
    })
}
