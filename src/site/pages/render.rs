//! Render orchestration: validate everything, then make and render the
//! pages a few at a time through the theme's templates, each new chart's
//! page, embed page and downloads with them, and add the archive's files,
//! the data downloads and the feeds.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::archive::{addresses, frozen_copies, remade_files};
use super::assets::{BUNDLE_TIME, PNG_TIME, SLIDE_TIME, SVG_TIME, chart_assets, spill};
use super::chart::chart_page;
use super::content::content_page;
use super::context::BaseContext;
use super::embed::embed_page;
use super::home::home_page;
use super::honesty::HonestyWarnings;
use super::moved::moved_pages;
use super::report_archive::report_archive;
use super::{MadePage, OutFile, PageMaker, file_for, generated_pages, later};
use crate::cache::BuildCache;
use crate::chart::Chart;
use crate::diagnostics::{Diagnostic, all_or_problems};
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
    let base = BaseContext::new(site);
    let tera = render::templates(&site.root, &site.config.theme, base.shared())?;
    let statics = render::static_files(&site.root, &site.config.theme)?;
    let reports = reports(site)?;
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
    let (problems, figure_warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        timings::stage("validate content", || {
            crate::site::validate::content(site, None, makes_report_archive)
        })
        .into_iter()
        .partition(Diagnostic::is_error);
    if !problems.is_empty() || !site.load_problems.is_empty() {
        return Err(problems);
    }

    // Content pages, then generated ones, each made and rendered in one go
    // (see [`make_pages`]). Problems here are insyn's own (a generated chart
    // it cannot resolve), never the author's.
    let mut makers: Vec<PageMaker> = site
        .content
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (base, reports) = (&base, &reports);
            later(move || content_page(site, base, reports, i, f))
        })
        .collect();
    if !site.content.iter().any(|f| f.relative == "_index.md") {
        makers.push(later(|| home_page(site, &base, &reports, None)));
    }
    if makes_report_archive {
        makers.push(later(|| {
            Ok(report_archive(site, &base, &reports, None, String::new()))
        }));
    }
    makers.extend(generated_pages(site, &base));
    let out = render_pages(site, options, &tera, &base, cache.as_deref(), makers)?;
    let mut warnings: Vec<Diagnostic> = crate::site::accessibility::warnings(&site.config);
    warnings.extend(out.honesty.finish(site, &reports));
    warnings.extend(figure_warnings);
    let mut files = out.files;
    let steps = crate::chart::png_step_times();
    for counter in [&SVG_TIME, &PNG_TIME, &SLIDE_TIME]
        .into_iter()
        .chain(steps)
        .chain([&BUNDLE_TIME])
    {
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
    let base = BaseContext::new(site);
    let tera = render::templates(&site.root, &site.config.theme, base.shared())?;
    let reports = reports(site)?;
    let cache = build_cache(site, options);
    // Warnings wait for the full build's report.
    let problems: Vec<Diagnostic> = crate::site::validate::content(site, Some(indices), false)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let makers: Vec<PageMaker> = indices
        .iter()
        .map(|&i| {
            let (base, reports) = (&base, &reports);
            later(move || content_page(site, base, reports, i, &site.content[i]))
        })
        .collect();
    let out = render_pages(site, options, &tera, &base, cache.as_deref(), makers)?;
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

/// What [`render_pages`] made.
struct RenderedJobs {
    files: SiteFiles,
    addresses: Vec<crate::site::editions::PageRecord>,
    page_charts: BTreeMap<String, Vec<String>>,
    /// The pages that belong in the sitemap.
    sitemap_paths: Vec<String>,
    honesty: HonestyWarnings,
    pages: usize,
    charts: usize,
}

/// How many pages are made at a time: enough to keep every core busy,
/// few enough that their charts are not all held at once.
const PAGES_AT_A_TIME: usize = 64;

/// Makes and renders every page, and for every chart they show its
/// permalink page, its embed page and its downloads (SVG, PNG, CSV,
/// bundle): every rendered file of the site.
///
/// Memory follows the pages and charts being made, not the whole site (at
/// 10,000 units a site has over a hundred thousand charts): pages are made
/// [`PAGES_AT_A_TIME`], in order; each page's context is dropped once it is
/// rendered; the charts that are new among them (the first page to show a
/// slug defines it) get their files made at once and are then dropped,
/// and with a cache every file goes into the cache as it is made
/// ([`spill`]) instead of being held until the site is written. What stays
/// is a line per chart in the [`ChartRegistry`].
fn render_pages(
    site: &Site,
    options: &BuildOptions,
    tera: &tera::Tera,
    base: &BaseContext,
    cache: Option<&BuildCache>,
    makers: Vec<PageMaker>,
) -> Result<RenderedJobs, Vec<Diagnostic>> {
    let _span = timings::Span::new("pages, charts, downloads");
    let mut registry = ChartRegistry::default();
    let mut honesty = HonestyWarnings::default();
    let mut page_charts = BTreeMap::new();
    let mut files = SiteFiles::new();
    let mut page_list = Vec::with_capacity(makers.len());
    let mut frozen_count = 0;
    let mut problems = Vec::new();
    let mut makers = makers.into_iter();
    loop {
        let chunk: Vec<PageMaker> = makers.by_ref().take(PAGES_AT_A_TIME).collect();
        if chunk.is_empty() {
            break;
        }
        let made = match make_pages(tera, base, cache, chunk) {
            Ok(made) => made,
            Err(e) => {
                // Go on making pages, to report every problem at once.
                problems.extend(e);
                continue;
            }
        };
        let mut new_charts = Vec::new();
        for page in made {
            if !page.charts.is_empty() {
                let slugs = page.charts.iter().map(|c| c.slug().to_string()).collect();
                page_charts.insert(page.path.clone(), slugs);
            }
            for chart in page.charts {
                honesty.add_chart(&chart);
                new_charts.extend(registry.insert(chart));
            }
            let (file, body) = page.file;
            files.insert(file, body);
            page_list.push((page.path, page.title, page.in_sitemap));
        }
        if !problems.is_empty() {
            continue;
        }
        let frozen = frozen_copies(site, &new_charts);
        frozen_count += frozen.len();
        match chart_files(site, options, tera, base, cache, new_charts, frozen) {
            Ok(made) => files.extend(made),
            Err(e) => problems.extend(e),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let addresses = addresses(&page_list, &registry);
    // Chart pages are in the sitemap, after the other pages; embed pages
    // and frozen copies are not (the live page is the one to find).
    let sitemap_paths: Vec<String> = page_list
        .iter()
        .filter(|(_, _, in_sitemap)| *in_sitemap)
        .map(|(path, _, _)| path.clone())
        .chain(registry.charts.values().map(|c| c.path.clone()))
        .collect();
    Ok(RenderedJobs {
        files,
        addresses,
        page_charts,
        sitemap_paths,
        honesty,
        pages: page_list.len() + 2 * registry.charts.len() + frozen_count,
        charts: registry.charts.len(),
    })
}

/// Makes every page of `makers` and renders it through Tera at once, in
/// parallel, in their order. The charts a page showed stay, for their own
/// pages, without the SVGs the page inlined.
fn make_pages(
    tera: &tera::Tera,
    base: &BaseContext,
    cache: Option<&BuildCache>,
    makers: Vec<PageMaker>,
) -> Result<Vec<MadePage>, Vec<Diagnostic>> {
    let made: Vec<Result<MadePage, Vec<Diagnostic>>> = makers
        .into_par_iter()
        .map(|make| {
            let job = make()?;
            let title = job
                .ctx
                .get("page_title")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let html = base
                .render(tera, job.template, job.ctx)
                .map_err(|e| vec![e])?;
            let file = file_for(&job.path);
            let body = spill(cache, &file, html).map_err(|e| vec![e])?;
            let mut charts = job.charts;
            for chart in &mut charts {
                // Drawn again, once, when the chart's own files are made.
                chart.forget_svgs();
            }
            Ok(MadePage {
                path: job.path,
                title,
                in_sitemap: job.in_sitemap,
                file: (file, body),
                charts,
            })
        })
        .collect();
    all_or_problems(made)
}

/// The files of `charts` (each chart's page, embed page and downloads) and
/// of the `frozen` copies (page and downloads), in parallel; each chart is
/// dropped once its files are made.
fn chart_files(
    site: &Site,
    options: &BuildOptions,
    tera: &tera::Tera,
    base: &BaseContext,
    cache: Option<&BuildCache>,
    charts: Vec<Chart>,
    frozen: Vec<Chart>,
) -> Result<Vec<OutFile>, Vec<Diagnostic>> {
    let made: Vec<Result<Vec<OutFile>, Vec<Diagnostic>>> = charts
        .into_par_iter()
        .map(|chart| (chart, true))
        .chain(frozen.into_par_iter().map(|chart| (chart, false)))
        .map(|(chart, live)| {
            one_chart_files(site, options, tera, base, cache, chart, live).map_err(|e| vec![e])
        })
        .collect();
    Ok(all_or_problems(made)?.into_iter().flatten().collect())
}

/// The files of one chart: its page, its embed page when `live` (a frozen
/// copy has none) and its downloads.
fn one_chart_files(
    site: &Site,
    options: &BuildOptions,
    tera: &tera::Tera,
    base: &BaseContext,
    cache: Option<&BuildCache>,
    chart: Chart,
    live: bool,
) -> Result<Vec<OutFile>, Diagnostic> {
    let mut pages = vec![chart_page(site, base, &chart)];
    if live {
        pages.push(embed_page(site, base, &chart));
    }
    let mut files = Vec::with_capacity(pages.len() + 8);
    for page in pages {
        let path = file_for(&page.path);
        let html = base.render(tera, page.template, page.ctx)?;
        files.push((path.clone(), spill(cache, &path, html)?));
    }
    let slug = chart.slug().to_string();
    files.extend(chart_assets(site, options, cache, &slug, chart)?);
    Ok(files)
}
