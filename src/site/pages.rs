//! Every page of the site: content pages (home, sections, reports, plain
//! pages), generated pages (units, measures, charts, data, accessibility,
//! 404) and their rendering through the theme's templates.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::charts::{self, ChartRegistry};
use super::figures;
use super::limits::{Limitation, PageLimits};
use super::{BuildOptions, Rendered, Site};
use crate::cache::BuildCache;
use crate::chart::{Chart, SlideFormat};
use crate::content::{ContentFile, Embed};
use crate::data::privacy::Shown;
use crate::data::{MeasureKind, MeasureUnit, Period, Role, SeriesKey, Status};
use crate::diagnostics::Diagnostic;
use crate::format;
use crate::output::{FileBody, SiteFiles};
use crate::render;
use crate::timings;

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

#[derive(Serialize)]
struct NavItem {
    title: String,
    href: String,
    current: bool,
}

/// Report facts shared by the report pages, the archive, the home page and
/// the feed.
#[derive(Clone)]
pub(super) struct ReportInfo {
    pub index: usize,
    pub period: Period,
    pub title: String,
    pub path: String,
    pub date: Option<String>,
    pub summary: Option<String>,
}

/// The file a page address is written to.
use super::editions::page_file as file_for;

/// The relative prefix from a page back to the site root, so that the site
/// works on any host path and when opened from disk.
fn root_for(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

pub(super) fn reports(site: &Site) -> Result<Vec<ReportInfo>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, f) in site.content.iter().enumerate() {
        let Some(period_text) = &f.front.period else {
            continue;
        };
        let Some(period) = Period::parse(period_text) else {
            problems.push(
                Diagnostic::error(&f.file, "the report's `period` is not a period")
                    .at_line(front_line(site, f, "period"))
                    .found(period_text.clone())
                    .expected(crate::data::period::PERIOD_EXPECTED),
            );
            continue;
        };
        if f.front.date.is_none() {
            problems.push(
                Diagnostic::error(&f.file, "a report needs a publication `date`")
                    .at_line(2)
                    .expected("a line such as `date = 2024-10-20` in the front matter"),
            );
        }
        out.push(ReportInfo {
            index: i,
            period,
            title: f.front.title.clone(),
            path: f.path(),
            date: f.front.date.as_ref().map(|d| d.0.clone()),
            summary: f.front.summary.clone(),
        });
    }
    out.sort_by(|a, b| (a.period, &a.date, &a.path).cmp(&(b.period, &b.date, &b.path)));
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The line of a front-matter key, for messages.
fn front_line(site: &Site, f: &ContentFile, key: &str) -> usize {
    let Ok(text) = std::fs::read_to_string(site.root.join(&f.file)) else {
        return 2;
    };
    text.lines()
        .position(|l| l.trim_start().starts_with(key))
        .map(|i| i + 1)
        .unwrap_or(2)
}

pub(super) fn render_site(
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
        super::validate::content(site, None, makes_report_archive)
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
    let mut warnings: Vec<Diagnostic> = super::accessibility::warnings(&site.config);
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
    let downloads = super::feeds::data_downloads(site, cache.as_deref()).map_err(|e| {
        vec![Diagnostic::error(
            "data/",
            format!("cannot write the data downloads: {e}"),
        )]
    })?;
    files.extend(downloads);
    files.insert(
        "sitemap.xml".into(),
        super::feeds::sitemap(site, &out.sitemap_paths).into(),
    );
    files.insert("robots.txt".into(), super::feeds::robots(site).into());
    files.insert("feed.xml".into(), super::feeds::atom(site, &reports).into());
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
pub(super) fn render_content_pages(
    site: &Site,
    options: &BuildOptions,
    indices: &[usize],
) -> Result<Rendered, Vec<Diagnostic>> {
    let tera = render::templates(&site.root, &site.config.theme)?;
    let reports = reports(site)?;
    let base = BaseContext::new(site);
    let cache = build_cache(site, options);
    let problems = super::validate::content(site, Some(indices), false);
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
    addresses: Vec<super::editions::PageRecord>,
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

/// A file of the site as it will be written: with a cache, put into it
/// (kind `page`, named by the hash of its bytes) and linked from there when
/// the site is written, so the built site is never held in memory whole;
/// without one (`check`, which reads the pages for its link check), kept in
/// memory.
fn spill(cache: Option<&BuildCache>, path: &str, bytes: Vec<u8>) -> Result<FileBody, Diagnostic> {
    let Some(cache) = cache else {
        return Ok(FileBody::Bytes(bytes));
    };
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_alphanumeric()))
        .unwrap_or("bin");
    let key = blake3::hash(&bytes);
    cache
        .entry("page", &key, extension, || Ok(bytes))
        .map_err(|e| Diagnostic::error(path, format!("cannot write into the build cache: {e}")))
}

/// The honesty checks of `insyn check` (H7, H8): every chart block whose
/// chart reverses a trend, hides a series break or stops short of the data
/// (located at the block), and a report without limitations of its own.
fn honesty_warnings(site: &Site, reports: &[ReportInfo], jobs: &[PageJob]) -> Vec<Diagnostic> {
    let mut warnings: Vec<Diagnostic> = Vec::new();
    for chart in jobs.iter().flat_map(|j| &j.charts) {
        let at = |message: &str| {
            let d = match chart.origin() {
                Some((file, line)) => Diagnostic::warning(file, message).at_line(line),
                None => Diagnostic::warning(format!("charts/{}", chart.slug()), message),
            };
            if message.contains("series break") {
                d.help("start the chart before the break, or say in the text that the definition changed")
            } else if message.contains("continues to") {
                d.help("end the chart at the report's period, or remove `to`")
            } else {
                d.help("show the full series, or say in the text why this window was chosen")
            }
        };
        for w in chart.honesty_warnings() {
            let d = at(w);
            let seen = warnings
                .iter()
                .any(|x| x.file == d.file && x.line == d.line && x.message == d.message);
            if !seen {
                warnings.push(d);
            }
        }
    }
    for r in reports {
        let f = &site.content[r.index];
        if f.front.limitations.is_empty() {
            warnings.push(
                Diagnostic::warning(&f.file, "the report states no limitations of its own")
                    .at_line(1)
                    .help("add `limitations = [\"…\"]` to the front matter: what the figures cannot tell, in your words"),
            );
        }
    }
    warnings
}

/// What every template gets: the site, the strings and the navigation.
struct BaseContext {
    site: SiteView,
    strings: &'static crate::i18n::Words,
    nav: Vec<(String, String)>,
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
    fn new(site: &Site) -> BaseContext {
        let c = &site.config;
        let lang = c.language;
        let next_publication = c
            .publication
            .next
            .iter()
            .filter(|d| **d > c.source.extracted)
            .min()
            .map(|d| format::date_long(&d.0, lang));
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
            .filter(|f| {
                !f.relative.contains('/') && !f.is_section_index() && f.front.period.is_none()
            })
            .collect();
        extra.sort_by_key(|f| (f.front.weight.unwrap_or(0), f.relative.clone()));
        for f in extra {
            nav.push((f.front.title.clone(), format!("{}index.html", f.path())));
        }
        BaseContext {
            site: SiteView {
                lang: lang.code(),
                title: c.title.clone(),
                organisation: c.organisation.clone(),
                description: c.description.clone().unwrap_or_default(),
                base_url: c.base_url(),
                source: c.source.name.clone(),
                extracted: format::date_long(&c.source.extracted.0, lang),
                contact: c.source.contact.clone(),
                next_publication,
            },
            strings: lang.words(),
            nav,
        }
    }

    /// The context of a page at `path` with `title`.
    fn context(&self, path: &str, title: &str, description: &str) -> Context {
        let mut ctx = Context::new();
        let root = if path == "404.html" {
            // The 404 page is served for any missing address: link from the site root.
            super::url_path(&self.site.base_url)
        } else {
            root_for(path)
        };
        let section = path.split('/').next().unwrap_or("");
        let nav: Vec<NavItem> = self
            .nav
            .iter()
            .map(|(title, href)| NavItem {
                title: title.clone(),
                href: href.clone(),
                current: if path.is_empty() {
                    href == "index.html"
                } else {
                    !section.is_empty() && href.starts_with(&format!("{section}/"))
                },
            })
            .collect();
        ctx.insert("site", &self.site);
        ctx.insert("t", self.strings);
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
        ctx.insert("csp", CSP);
        ctx.insert("og_image", &Option::<String>::None);
        ctx
    }
}

/// Renders a content file's Markdown, resolving its charts and figures.
fn markdown(
    site: &Site,
    f: &ContentFile,
    root: &str,
    default_to: Option<Period>,
    limits: &mut PageLimits,
    charts_out: &mut Vec<Chart>,
) -> Result<String, Vec<Diagnostic>> {
    let rendered = crate::content::render_markdown(
        &f.file,
        &f.body,
        f.body_line,
        site.config.allow_html,
        &mut |embed| match embed {
            Embed::Chart { spec, line } => {
                let chart = charts::resolve_block(site, &f.file, line, spec, default_to)?;
                let html = charts::figure_html(site, &chart, root, limits);
                charts_out.push(chart);
                Ok(html)
            }
            Embed::Figure {
                shortcode,
                line,
                column,
            } => figures::render_figure(site, &f.file, line, column, &shortcode, limits),
        },
    )?;
    Ok(relative_links(&rendered.html, root))
}

/// Authors link to other pages as `/rapporter/` or `/om-statistiken/`: make
/// such links relative (and point at `index.html`), so they work on any host
/// path and when the site is opened from disk.
fn relative_links(html: &str, root: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("href=\"/") {
        let (before, after) = rest.split_at(i + 6);
        out.push_str(before);
        let target = &after[1..];
        if target.starts_with('/') {
            // A protocol-relative address to another host: leave it as written.
            out.push('/');
            rest = target;
            continue;
        }
        let end = target.find('"').unwrap_or(target.len());
        let (path, fragment) = match target[..end].split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (&target[..end], None),
        };
        out.push_str(root);
        out.push_str(path);
        if path.is_empty() || path.ends_with('/') {
            out.push_str("index.html");
        }
        if let Some(f) = fragment {
            out.push('#');
            out.push_str(f);
        }
        rest = &target[end..];
    }
    out.push_str(rest);
    out
}

fn content_page(
    site: &Site,
    base: &BaseContext,
    reports: &[ReportInfo],
    index: usize,
    f: &ContentFile,
) -> Result<PageJob, Vec<Diagnostic>> {
    if f.relative == "_index.md" {
        return home_page(site, base, reports, Some(f));
    }
    let path = f.path();
    let root = root_for(&path);
    let report = reports.iter().position(|r| r.index == index);
    let default_to = report.map(|i| reports[i].period);
    let mut limits = PageLimits::stated();
    let mut charts_out = Vec::new();
    let html = markdown(site, f, &root, default_to, &mut limits, &mut charts_out)?;
    if f.is_section_index() && f.section() == "rapporter" {
        let mut job = report_archive(site, base, reports, Some(f), html);
        job.ctx.insert(
            "limitations",
            &limitations_view(site, &limits, &f.front.limitations),
        );
        job.charts = charts_out;
        return Ok(job);
    }
    let description = f.front.summary.clone().unwrap_or_default();
    let mut ctx = base.context(&path, &f.front.title, &description);
    ctx.insert("content", &html);
    ctx.insert(
        "limitations",
        &limitations_view(site, &limits, &f.front.limitations),
    );
    let template = if let Some(ri) = report {
        let r = &reports[ri];
        let lang = site.config.language;
        let link = |x: &ReportInfo| Link {
            title: x.title.clone(),
            href: format!("{}index.html", x.path),
            date: x.date.clone(),
            summary: None,
        };
        #[derive(Serialize)]
        struct ReportView {
            period: String,
            date: Option<String>,
            date_iso: Option<String>,
            author: Option<String>,
            summary: Option<String>,
            contact: String,
            previous: Option<Link>,
            next: Option<Link>,
        }
        ctx.insert(
            "report",
            &ReportView {
                period: format::period_long(r.period, lang),
                date: r.date.as_ref().map(|d| format::date_long(d, lang)),
                date_iso: r.date.clone(),
                author: f.front.author.clone(),
                summary: f.front.summary.clone(),
                contact: f
                    .front
                    .contact
                    .clone()
                    .unwrap_or_else(|| site.config.source.contact.clone()),
                previous: ri.checked_sub(1).map(|i| link(&reports[i])),
                next: reports.get(ri + 1).map(link),
            },
        );
        ctx.insert("og_type", "article");
        ctx.insert(
            "limitations",
            &limitations_view(site, &limits, &f.front.limitations),
        );
        "report.html"
    } else if f.is_section_index() {
        let pages: Vec<Link> = site
            .content
            .iter()
            .filter(|c| !c.is_section_index() && c.section() == f.section())
            .map(|c| Link {
                title: c.front.title.clone(),
                href: format!("{}index.html", c.path()),
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
    } else {
        "page.html"
    };
    if let Some(chart) = charts_out.first() {
        insert_og_image(&mut ctx, chart);
    }
    Ok(PageJob {
        path,
        template,
        ctx,
        charts: charts_out,
        in_sitemap: true,
    })
}

fn insert_og_image(ctx: &mut Context, chart: &Chart) {
    ctx.insert("og_image", &format!("{}chart.png", chart.permalink()));
    ctx.insert("og_image_alt", &chart.description());
}

#[derive(Serialize)]
struct LimitationsView {
    computed: Vec<Limitation>,
    measures: Vec<Limitation>,
    author: Vec<Limitation>,
}

/// The page's limitations in three groups, numbered on from one group to
/// the next, so "5" means the same item wherever a mark says it.
fn limitations_view(site: &Site, limits: &PageLimits, author: &[String]) -> LimitationsView {
    let lang = site.config.language;
    let computed = limits.computed();
    let mut number = computed.len();
    let mut next = || {
        number += 1;
        number
    };
    let mut measures = Vec::new();
    for id in &limits.measures {
        let Some(m) = site.data.measure(id) else {
            continue;
        };
        for (i, l) in m.limitations.iter().enumerate() {
            measures.push(Limitation {
                id: format!("lim-measure-{}-{}", m.id, i + 1),
                text: format!("{}: {}", m.label.get(lang), l.get(lang)),
                number: next(),
            });
        }
    }
    let author = author
        .iter()
        .enumerate()
        .map(|(i, text)| Limitation {
            id: format!("lim-author-{}", i + 1),
            text: text.clone(),
            number: next(),
        })
        .collect();
    LimitationsView {
        computed,
        measures,
        author,
    }
}

fn report_archive(
    site: &Site,
    base: &BaseContext,
    reports: &[ReportInfo],
    f: Option<&ContentFile>,
    html: String,
) -> PageJob {
    let path = "rapporter/".to_string();
    let title = f
        .map(|f| f.front.title.clone())
        .unwrap_or_else(|| site.config.language.words().reports.into());
    let mut ctx = base.context(&path, &title, "");
    ctx.insert("content", &html);
    // Newest first.
    let pages: Vec<Link> = reports
        .iter()
        .rev()
        .map(|r| Link {
            title: r.title.clone(),
            href: format!("{}index.html", r.path),
            date: r
                .date
                .as_ref()
                .map(|d| format::date_long(d, site.config.language)),
            summary: r.summary.clone(),
        })
        .collect();
    ctx.insert("pages", &pages);
    PageJob {
        path,
        template: "section.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: true,
    }
}

#[derive(Serialize)]
struct AreaView {
    id: String,
    name: String,
    charts: Vec<String>,
    units: Vec<Link>,
}

fn home_page(
    site: &Site,
    base: &BaseContext,
    reports: &[ReportInfo],
    f: Option<&ContentFile>,
) -> Result<PageJob, Vec<Diagnostic>> {
    let path = String::new();
    let mut limits = PageLimits::stated();
    let mut charts_out = Vec::new();
    let html = match f {
        Some(f) => markdown(site, f, "", None, &mut limits, &mut charts_out)?,
        None => String::new(),
    };
    let title = f
        .map(|f| f.front.title.clone())
        .unwrap_or_else(|| site.config.title.clone());
    let mut ctx = base.context(&path, &title, "");
    ctx.insert("content", &html);
    let lang = site.config.language;
    // Per area, the headline chart of each of its published units.
    let mut areas = Vec::new();
    let mut problems = Vec::new();
    for area in site.data.units.areas.values() {
        let units: Vec<&crate::data::Unit> = site
            .data
            .units
            .units
            .values()
            .filter(|u| {
                u.area.as_deref() == Some(area.id.as_str()) && site.published_units.contains(&u.id)
            })
            .collect();
        if units.is_empty() {
            continue;
        }
        let mut figs = Vec::new();
        // One chart for the area's total where it has one, else per unit.
        let total: Vec<&crate::data::Unit> = units
            .iter()
            .copied()
            .filter(|u| site.area_totals.contains(&u.id))
            .collect();
        let charted = if total.is_empty() {
            units.clone()
        } else {
            total
        };
        let units: Vec<&crate::data::Unit> = units
            .into_iter()
            .filter(|u| !site.area_totals.contains(&u.id))
            .collect();
        if let Some((caseload, staffing)) = site.headline() {
            for u in &charted {
                if site.data.series(&caseload, &u.id).is_none()
                    || site.data.series(&staffing, &u.id).is_none()
                {
                    continue;
                }
                let spec = format!(
                    "type = \"growth\"\ncaseload = \"{caseload}\"\nstaffing = \"{staffing}\"\nunit = \"{}\"\n",
                    u.id
                );
                match charts::resolve_generated(site, &spec, "content/_index.md") {
                    Ok(chart) => {
                        figs.push(charts::figure_html(site, &chart, "", &mut limits));
                        charts_out.push(chart);
                    }
                    Err(e) => problems.extend(e),
                }
            }
        }
        areas.push(AreaView {
            id: area.id.clone(),
            name: area.name.get(lang).to_string(),
            charts: figs,
            units: units
                .iter()
                .map(|u| Link {
                    title: u.name.clone(),
                    href: format!("units/{}/index.html", u.id),
                    date: None,
                    summary: None,
                })
                .collect(),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    ctx.insert("areas", &areas);
    ctx.insert("limitations", &limitations_view(site, &limits, &[]));
    let latest = reports.last().map(|r| Link {
        title: r.title.clone(),
        href: format!("{}index.html", r.path),
        date: r.date.as_ref().map(|d| format::date_long(d, lang)),
        summary: r.summary.clone(),
    });
    ctx.insert("latest_report", &latest);
    if let Some(chart) = charts_out.first() {
        insert_og_image(&mut ctx, chart);
    }
    Ok(PageJob {
        path,
        template: "home.html",
        ctx,
        charts: charts_out,
        in_sitemap: true,
    })
}

/// Unit pages, measure pages, the data page, the accessibility statement and
/// the 404 page.
fn generated_pages(site: &Site, base: &BaseContext) -> Result<Vec<PageJob>, Vec<Diagnostic>> {
    let lang = site.config.language;
    let mut jobs = Vec::new();
    let mut problems = Vec::new();

    // Units: an index by area, and one page per published unit.
    #[derive(Serialize)]
    struct UnitLink {
        name: String,
        href: String,
        folded: bool,
    }
    #[derive(Serialize)]
    struct AreaUnits {
        id: String,
        name: String,
        units: Vec<UnitLink>,
    }
    let mut area_ids: Vec<Option<String>> =
        site.data.units.areas.keys().cloned().map(Some).collect();
    area_ids.push(None);
    let areas: Vec<AreaUnits> = area_ids
        .iter()
        .filter_map(|a| {
            let units: Vec<UnitLink> = site
                .data
                .units
                .units
                .values()
                .filter(|u| u.area == *a)
                .map(|u| UnitLink {
                    name: u.name.clone(),
                    href: format!("units/{}/index.html", u.id),
                    folded: !site.published_units.contains(&u.id),
                })
                .map(|mut l| {
                    if l.folded {
                        l.href = String::new();
                    }
                    l
                })
                .collect();
            if units.is_empty() {
                return None;
            }
            let (id, name) = match a {
                Some(id) => (
                    id.clone(),
                    site.data.units.areas[id].name.get(lang).to_string(),
                ),
                None => ("ovriga".to_string(), lang.words().other_units.into()),
            };
            Some(AreaUnits { id, name, units })
        })
        .collect();
    let mut ctx = base.context("units/", lang.words().units, "");
    ctx.insert("areas", &areas);
    jobs.push(PageJob {
        path: "units/".into(),
        template: "units.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: true,
    });

    let unit_jobs: Vec<Result<PageJob, Vec<Diagnostic>>> = site
        .published_units
        .par_iter()
        .map(|id| unit_page(site, base, id))
        .collect();
    for r in unit_jobs {
        match r {
            Ok(j) => jobs.push(j),
            Err(e) => problems.extend(e),
        }
    }

    // Measures: the methodology pages.
    #[derive(Serialize)]
    struct MeasureLink {
        id: String,
        label: String,
        href: String,
        definition: String,
    }
    let measure_links: Vec<MeasureLink> = site
        .data
        .measures
        .measures
        .values()
        .map(|m| MeasureLink {
            id: m.id.clone(),
            label: m.label.get(lang).to_string(),
            href: format!("measures/{}/index.html", m.id),
            definition: m
                .definition
                .as_ref()
                .map(|d| d.get(lang).to_string())
                .unwrap_or_default(),
        })
        .collect();
    let mut ctx = base.context("measures/", lang.words().measures, "");
    ctx.insert("measures", &measure_links);
    ctx.insert("content", "");
    jobs.push(PageJob {
        path: "measures/".into(),
        template: "measures.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: true,
    });
    let measure_jobs: Vec<Result<PageJob, Vec<Diagnostic>>> = site
        .data
        .measures
        .measures
        .par_iter()
        .map(|(id, _)| measure_page(site, base, id))
        .collect();
    for r in measure_jobs {
        match r {
            Ok(j) => jobs.push(j),
            Err(e) => problems.extend(e),
        }
    }

    // Data page.
    #[derive(Serialize)]
    struct Download {
        label: String,
        file: String,
    }
    let mut ctx = base.context("data/", lang.words().data, "");
    ctx.insert("full_csv", super::feeds::FULL_CSV);
    let per_measure: Vec<Download> = site
        .data
        .measures
        .measures
        .values()
        .map(|m| Download {
            label: m.label.get(lang).to_string(),
            file: format!("{}.csv", m.id),
        })
        .collect();
    ctx.insert("per_measure", &per_measure);
    ctx.insert("measures", &measure_links);
    let below = site.config.privacy.suppress_below;
    let mut symbols: Vec<(String, String)> = [
        Status::Provisional,
        Status::Revised,
        Status::Estimated,
        Status::LowReliability,
        Status::NotAvailable,
        Status::NotApplicable,
        Status::Suppressed,
        Status::Withheld(crate::data::Withheld::SmallUnit),
        Status::Withheld(crate::data::Withheld::Protects),
        Status::Withheld(crate::data::Withheld::Ratio),
        Status::RoundsToZero,
    ]
    .iter()
    .map(|s| {
        (
            s.symbol().to_string(),
            crate::i18n::status_meaning(*s, lang).to_string(),
        )
    })
    .collect();
    symbols.push((
        format!("<{below}"),
        lang.phrases().small_counts_symbol(below),
    ));
    ctx.insert("symbols", &symbols);
    jobs.push(PageJob {
        path: "data/".into(),
        template: "data.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: true,
    });

    let mut ctx = base.context("accessibility/", lang.words().accessibility_statement, "");
    ctx.insert("statement", &super::accessibility::statement(&site.config));
    jobs.push(PageJob {
        path: "accessibility/".into(),
        template: "accessibility.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: true,
    });
    // Revisions since the newest edition.
    #[derive(Serialize)]
    struct RevisionRow {
        measure: String,
        unit: String,
        period: String,
        old: String,
        new: String,
    }
    let revision_rows: Vec<RevisionRow> = site
        .revisions
        .iter()
        .filter(|r| site.published_units.contains(&r.unit))
        .map(|r| {
            let m = site.data.measure(&r.measure);
            // The new value as published (H9); when the view withholds it,
            // the old one is withheld too, or the change would tell it.
            let key = SeriesKey {
                measure: r.measure.clone(),
                unit: r.unit.clone(),
                group: r.group.clone(),
            };
            let now = site
                .data
                .series_for(&key)
                .and_then(|s| s.get(r.period))
                .copied();
            let withheld = now.filter(|v| v.number.is_none());
            let (old_value, old_status, new_value, new_status) = match withheld {
                Some(v) => (None, v.status, None, v.status),
                None => (r.old_value, r.old_status, r.new_value, r.new_status),
            };
            let fmt = |v: Option<f64>, s: Status| -> String {
                let unit = m.map(|m| m.unit).unwrap_or(MeasureUnit::Count);
                let value = crate::data::Value {
                    number: v,
                    status: s,
                };
                match crate::data::privacy::shown(&value, unit, below) {
                    Shown::Number(n, _) => format::value(n, unit, lang),
                    Shown::Suppressed { below } => format!("<{below}"),
                    Shown::Symbol(s) => s.symbol().to_string(),
                }
            };
            RevisionRow {
                measure: m
                    .map(|m| m.label.get(lang).to_string())
                    .unwrap_or_else(|| r.measure.clone()),
                unit: site
                    .data
                    .units
                    .get(&r.unit)
                    .map(|u| u.name.clone())
                    .unwrap_or_else(|| r.unit.clone()),
                period: format::period_short(r.period, lang),
                old: fmt(old_value, old_status),
                new: fmt(new_value, new_status),
            }
        })
        .collect();
    let mut ctx = base.context("revisions/", lang.words().revisions, "");
    ctx.insert("revisions", &revision_rows);
    ctx.insert("edition", &site.edition);
    jobs.push(PageJob {
        path: "revisions/".into(),
        template: "revisions.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: true,
    });

    let ctx = base.context("404.html", lang.words().page_not_found, "");
    jobs.push(PageJob {
        path: "404.html".into(),
        template: "404.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: false,
    });

    if problems.is_empty() {
        Ok(jobs)
    } else {
        Err(problems)
    }
}

/// The specs of a unit's standard charts: the headline growth chart, each
/// ratio, each group of same-unit measures, and workload against capacity.
fn unit_chart_specs(site: &Site, unit: &str) -> Vec<String> {
    let has = |m: &str| site.data.series(m, unit).is_some();
    let mut specs = Vec::new();
    if let Some((caseload, staffing)) = site.headline()
        && has(&caseload)
        && has(&staffing)
    {
        specs.push(format!(
            "type = \"growth\"\ncaseload = \"{caseload}\"\nstaffing = \"{staffing}\"\nunit = \"{unit}\"\n"
        ));
    }
    let measures = &site.data.measures.measures;
    for m in measures.values().filter(|m| m.is_derived() && has(&m.id)) {
        specs.push(format!(
            "type = \"per_fte\"\nmeasure = \"{}\"\nunit = \"{unit}\"\n",
            m.id
        ));
    }
    let workload = measures
        .values()
        .find(|m| m.role == Role::Workload && has(&m.id));
    let capacity = measures
        .values()
        .find(|m| m.role == Role::Capacity && has(&m.id));
    // Measures share one axis only when they belong together: the same
    // unit of measurement, the same kind and the same role, and a role whose
    // measures add up to one picture (caseload, staffing: employed staff
    // beside consultants). Indicators and other measures get a chart each:
    // sick leave beside investigations completed in time would invite a
    // comparison that means nothing. Flows are bars.
    let mut groups: BTreeMap<(String, bool, String), Vec<&str>> = BTreeMap::new();
    for m in measures.values().filter(|m| !m.is_derived() && has(&m.id)) {
        if matches!(m.role, Role::Workload | Role::Capacity)
            && workload.is_some()
            && capacity.is_some()
        {
            continue;
        }
        let together = match m.role {
            Role::Caseload | Role::Staffing | Role::Workload | Role::Capacity => {
                format!("{:?}", m.role)
            }
            _ => format!("~{}", m.id),
        };
        let key = (
            format!("{:?}", m.unit),
            m.kind == MeasureKind::Flow,
            together,
        );
        groups.entry(key).or_default().push(&m.id);
    }
    for ((_, flow, _), ids) in groups {
        if flow && ids.len() == 1 {
            specs.push(format!(
                "type = \"bars\"\nmeasure = \"{}\"\nunit = \"{unit}\"\n",
                ids[0]
            ));
        } else {
            let list = ids
                .iter()
                .map(|i| format!("\"{i}\""))
                .collect::<Vec<_>>()
                .join(", ");
            specs.push(format!(
                "type = \"series\"\nmeasures = [{list}]\nunit = \"{unit}\"\n"
            ));
        }
    }
    if let (Some(w), Some(c)) = (workload, capacity) {
        specs.push(format!(
            "type = \"workload\"\nworkload = \"{}\"\ncapacity = \"{}\"\nunit = \"{unit}\"\n",
            w.id, c.id
        ));
    }
    specs
}

fn unit_page(site: &Site, base: &BaseContext, unit_id: &str) -> Result<PageJob, Vec<Diagnostic>> {
    let lang = site.config.language;
    let unit = &site.data.units.units[unit_id];
    let path = format!("units/{unit_id}/");
    let root = root_for(&path);
    let mut limits = PageLimits::default();
    let mut charts_out = Vec::new();
    let mut figs = Vec::new();
    let mut problems = Vec::new();
    for spec in unit_chart_specs(site, unit_id) {
        match charts::resolve_generated(site, &spec, &path) {
            Ok(chart) => {
                figs.push(charts::figure_html(site, &chart, &root, &mut limits));
                charts_out.push(chart);
            }
            Err(e) => problems.extend(e),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // Latest values of every measure, suppressed where needed.
    let below = site.config.privacy.suppress_below;
    let mut rows = Vec::new();
    for m in site.data.measures.measures.values() {
        let Some(series) = site.data.series(&m.id, unit_id) else {
            continue;
        };
        let Some((period, _)) = series.points.iter().next_back() else {
            continue;
        };
        let text = shown_text(site, &SeriesKey::total(&m.id, unit_id), *period, below);
        rows.push((
            m.label.get(lang).to_string(),
            vec![format::period_short(*period, lang), text],
        ));
    }
    let folded: Vec<String> = site
        .folded
        .iter()
        .filter(|(_, parent)| parent.as_deref() == Some(unit_id))
        .map(|(id, _)| site.data.units.units[id].name.clone())
        .collect();
    #[derive(Serialize)]
    struct UnitView {
        area: Option<String>,
        folded: Vec<String>,
        charts: Vec<String>,
        /// The table of latest values, as HTML.
        latest: Option<String>,
    }
    let latest = (!rows.is_empty()).then(|| {
        charts::table_html(&crate::chart::Table {
            caption: format!("{}: {}", unit.name, lang.words().latest_values),
            headers: vec![
                lang.words().measure.into(),
                lang.words().period.into(),
                lang.words().value.into(),
            ],
            rows,
            notes: Vec::new(),
        })
    });
    let mut ctx = base.context(&path, &unit.name, "");
    ctx.insert(
        "unit",
        &UnitView {
            area: unit
                .area
                .as_ref()
                .and_then(|a| site.data.units.areas.get(a))
                .map(|a| a.name.get(lang).to_string()),
            folded,
            charts: figs,
            latest,
        },
    );
    if let Some(chart) = charts_out.first() {
        insert_og_image(&mut ctx, chart);
    }
    Ok(PageJob {
        path,
        template: "unit.html",
        ctx,
        charts: charts_out,
        in_sitemap: true,
    })
}

/// A value as published: formatted, suppressed or as a symbol's words.
pub(super) fn shown_text(site: &Site, key: &SeriesKey, period: Period, below: u32) -> String {
    let lang = site.config.language;
    let Some(m) = site.data.measure(&key.measure) else {
        return String::new();
    };
    match site.published(key, period) {
        Some(Shown::Number(n, status)) => {
            let mut s = format::value(n, m.unit, lang);
            if status != Status::Final {
                s.push(' ');
                s.push_str(status.symbol());
            }
            s
        }
        Some(Shown::Suppressed { .. }) => format!("<{below}"),
        Some(Shown::Symbol(status)) => status.symbol().to_string(),
        None => String::new(),
    }
}

fn measure_page(site: &Site, base: &BaseContext, id: &str) -> Result<PageJob, Vec<Diagnostic>> {
    let lang = site.config.language;
    let m = &site.data.measures.measures[id];
    let path = format!("measures/{id}/");
    let root = root_for(&path);
    let mut limits = PageLimits::default();
    let mut charts_out = Vec::new();
    let mut figs = Vec::new();
    let units = site.data.units_with(id);
    if units
        .iter()
        .filter(|u| site.published_units.contains(**u))
        .count()
        > 1
    {
        let spec = format!("type = \"compare\"\nmeasure = \"{id}\"\n");
        let chart = charts::resolve_generated(site, &spec, &path)?;
        figs.push(charts::figure_html(site, &chart, &root, &mut limits));
        charts_out.push(chart);
    }
    // Every published unit's full series, as a table.
    let below = site.config.privacy.suppress_below;
    let published: Vec<&str> = units
        .iter()
        .copied()
        .filter(|u| site.published_units.contains(*u))
        .collect();
    if let Some((first, last)) = site.period_range(id)
        && !published.is_empty()
    {
        let headers: Vec<String> = std::iter::once(lang.words().period.to_string())
            .chain(
                published
                    .iter()
                    .map(|u| site.data.units.units[*u].name.clone()),
            )
            .collect();
        let rows: Vec<(String, Vec<String>)> = first
            .range_to(last)
            .map(|p| {
                (
                    format::period_short(p, lang),
                    published
                        .iter()
                        .map(|u| shown_text(site, &SeriesKey::total(id, u), p, below))
                        .collect(),
                )
            })
            .collect();
        let table = crate::chart::Table {
            caption: format!("{} – {}", m.label.get(lang), lang.words().all_units),
            headers,
            rows,
            notes: Vec::new(),
        };
        figs.push(charts::table_html(&table));
    }
    #[derive(Serialize)]
    struct Derived {
        num: String,
        num_href: String,
        den: String,
        den_href: String,
    }
    #[derive(Serialize)]
    struct MeasureView {
        definition: Option<String>,
        unit: String,
        kind: String,
        source: String,
        derived: Option<Derived>,
        breaks: Vec<String>,
        limitations: Vec<String>,
        charts: Vec<String>,
    }
    let label_of = |mid: &str| {
        site.data
            .measure(mid)
            .map(|x| x.label.get(lang).to_string())
            .unwrap_or_default()
    };
    let view = MeasureView {
        definition: m.definition.as_ref().map(|d| d.get(lang).to_string()),
        unit: crate::i18n::measure_unit(m.unit, lang).to_string(),
        kind: if m.kind == MeasureKind::Stock {
            lang.words().kind_stock
        } else {
            lang.words().kind_flow
        }
        .to_string(),
        source: m
            .source
            .as_ref()
            .map(|s| s.get(lang).to_string())
            .unwrap_or_else(|| site.config.source.name.clone()),
        derived: m.ratio.as_ref().map(|(n, d)| Derived {
            num: label_of(n),
            num_href: format!("measures/{n}/index.html"),
            den: label_of(d),
            den_href: format!("measures/{d}/index.html"),
        }),
        breaks: m
            .breaks
            .iter()
            .map(|b| {
                format!(
                    "{}: {}",
                    format::period_long(b.period, lang),
                    b.note.get(lang)
                )
            })
            .collect(),
        limitations: m
            .limitations
            .iter()
            .map(|l| l.get(lang).to_string())
            .collect(),
        charts: figs,
    };
    let description = view.definition.clone().unwrap_or_default();
    let mut ctx = base.context(&path, m.label.get(lang), &description);
    ctx.insert("measure", &view);
    Ok(PageJob {
        path,
        template: "measure.html",
        ctx,
        charts: charts_out,
        in_sitemap: true,
    })
}

/// A page for every address an edition recorded that this build no longer
/// has (§6: addresses are forever): what it was, when it was published, and
/// links to its frozen copy and to what shows the same thing today.
fn moved_pages(
    site: &Site,
    tera: &tera::Tera,
    base: &BaseContext,
    files: &SiteFiles,
) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    #[derive(Serialize)]
    struct MovedView {
        edition: String,
        published: String,
        frozen_href: Option<String>,
        current_href: Option<String>,
    }
    let lang = site.config.language;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (path, (edition, record)) in site.archive.addresses() {
        if files.contains_key(&file_for(path)) || !crate::output::is_safe_relative(&file_for(path))
        {
            continue;
        }
        let frozen_href = site
            .archive
            .frozen_copies(path)
            .last()
            .map(|e| format!("{}{path}index.html", e.dir()));
        let current_href = (record.current != path
            && files.contains_key(&file_for(&record.current)))
        .then(|| file_for(&record.current));
        let mut ctx = base.context(path, &record.title, "");
        ctx.insert(
            "moved",
            &MovedView {
                edition: charts::edition_words(&edition.name, lang),
                published: format::date_long(&edition.published, lang),
                frozen_href,
                current_href,
            },
        );
        match render::render(tera, "moved.html", &ctx) {
            Ok(html) => out.push((path.to_string(), html)),
            Err(e) => problems.push(e),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The frozen files the archive re-makes rather than stores: PNGs drawn
/// from frozen SVGs and bundles zipped from frozen parts, through the build
/// cache like the live charts' (so a rebuild draws nothing again).
fn remade_files(
    site: &Site,
    options: &BuildOptions,
    cache: Option<&BuildCache>,
) -> Result<Vec<OutFile>, Vec<Diagnostic>> {
    use super::editions::{BUNDLE_ENTRIES, RemadeFile};
    let _span = timings::Span::new("editions: re-made files");
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let made: Vec<Result<OutFile, Diagnostic>> = site
        .archive
        .remade_files(&site.root)
        .into_par_iter()
        .map(|(path, how)| {
            let body = match how {
                RemadeFile::Png { .. } if options.skip_png => Ok(FileBody::Bytes(Vec::new())),
                RemadeFile::Png { svg } => read(&svg).and_then(|svg| match cache {
                    Some(cache) => crate::chart::cached_png(&svg, cache),
                    None => crate::chart::rasterize_png(&svg).map(FileBody::Bytes),
                }),
                RemadeFile::Bundle { parts } => parts
                    .iter()
                    .map(|p| read(p))
                    .collect::<Result<Vec<String>, String>>()
                    .and_then(|texts| {
                        let entries: Vec<(&str, &str)> = BUNDLE_ENTRIES
                            .iter()
                            .copied()
                            .zip(texts.iter().map(String::as_str))
                            .collect();
                        super::feeds::zipped(&entries, cache)
                    }),
            };
            body.map(|b| (path.clone(), b)).map_err(|e| {
                Diagnostic::error(&path, format!("cannot re-make the frozen file: {e}"))
                    .help("the editions archive is damaged; restore editions/ from version control")
            })
        })
        .collect();
    let (ok, problems): (Vec<_>, Vec<_>) = made.into_iter().partition(Result::is_ok);
    if problems.is_empty() {
        Ok(ok.into_iter().filter_map(Result::ok).collect())
    } else {
        Err(problems.into_iter().filter_map(Result::err).collect())
    }
}

/// When publishing: a frozen copy of every chart for the edition's archive,
/// under `editions/<period>/charts/<slug>/`, except those the edition
/// already froze when it was first published (they never change).
fn frozen_copies(site: &Site, registry: &ChartRegistry) -> Vec<Chart> {
    let publication = &site.publication;
    let (true, Some(name)) = (publication.publishing, &publication.edition) else {
        return Vec::new();
    };
    let dir = super::editions::edition_dir(name);
    let archived = site.archive.get(name);
    let base_url = site.config.base_url();
    registry
        .charts
        .values()
        .filter(|c| {
            !archived.is_some_and(|e| {
                e.files
                    .contains_key(&format!("charts/{}/index.html", c.slug()))
            })
        })
        .map(|c| c.frozen_in(&dir, &base_url))
        .collect()
}

/// A chart's page: its permanent address, or a frozen copy's under
/// `editions/` (which is in no sitemap: the live page is the one to find).
fn chart_page(site: &Site, base: &BaseContext, chart: &Chart) -> PageJob {
    let path = chart.path();
    let mut ctx = base.context(&path, chart.title(), chart.description());
    ctx.insert("chart", &charts::chart_view(site, chart, chart.svg_str()));
    insert_og_image(&mut ctx, chart);
    PageJob {
        in_sitemap: !path.starts_with("editions/"),
        path,
        template: "chart.html",
        ctx,
        charts: Vec::new(),
    }
}

/// A chart's embed page (`charts/<slug>/embed/`): the picture, a caption,
/// the source, the limitations and a link to the chart page, for another
/// site's `<iframe>`. No script and nothing that refuses framing: any site
/// may show it.
fn embed_page(site: &Site, base: &BaseContext, chart: &Chart) -> PageJob {
    let path = format!("{}embed/", chart.path());
    let mut ctx = base.context(&path, chart.title(), chart.description());
    ctx.insert("embed", &charts::embed_view(site, chart));
    PageJob {
        path,
        template: "embed.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: false,
    }
}

/// The addresses of `jobs` as `insyn publish` records them: every page but
/// the 404 page and the editions' own frozen copies, with where a reader of
/// each finds the same thing later (a chart's following address).
fn addresses(jobs: &[PageJob], registry: &ChartRegistry) -> Vec<super::editions::PageRecord> {
    let current = |path: &str| {
        path.strip_prefix("charts/")
            .and_then(|rest| rest.split_once('/'))
            .and_then(|(slug, rest)| {
                let latest = registry.charts.get(slug)?.latest_slug();
                Some(format!("charts/{latest}/{rest}"))
            })
            .unwrap_or_else(|| path.to_string())
    };
    let record = |path: &str, title: &str| super::editions::PageRecord {
        path: path.to_string(),
        title: title.to_string(),
        current: current(path),
    };
    let mut out: Vec<super::editions::PageRecord> = jobs
        .iter()
        .filter(|j| j.path != "404.html" && !j.path.starts_with("editions/"))
        .map(|j| {
            let title = j.ctx.get("page_title").and_then(|v| v.as_str());
            record(&j.path, title.unwrap_or_default())
        })
        .collect();
    // The live chart pages, rendered with their downloads rather than as jobs.
    out.extend(
        registry
            .charts
            .values()
            .map(|c| record(&c.path(), c.title())),
    );
    out
}

static SVG_TIME: timings::Counter = timings::Counter::new("chart svg (assets)");
static PNG_TIME: timings::Counter = timings::Counter::new("png (cache or draw)");
static BUNDLE_TIME: timings::Counter = timings::Counter::new("csv + zip bundle");
static SLIDE_TIME: timings::Counter = timings::Counter::new("slide + square png (cache or draw)");

fn chart_assets(
    site: &Site,
    options: &BuildOptions,
    cache: Option<&BuildCache>,
    slug: &str,
    chart: Chart,
) -> Result<Vec<OutFile>, Diagnostic> {
    let dir = chart.path();
    let svg = SVG_TIME.time(|| chart.svg_str());
    let png = PNG_TIME
        .time(|| match cache {
            _ if options.skip_png => Ok(FileBody::Bytes(Vec::new())),
            Some(cache) => chart.png(cache),
            None => crate::chart::rasterize_png(svg).map(FileBody::Bytes),
        })
        .map_err(|e| {
            Diagnostic::error(
                format!("{dir}chart.png"),
                format!("cannot rasterise the chart: {e}"),
            )
        })?;
    // The slide and square layouts, through the same cache. A preview
    // (`skip_png`) writes each layout's SVG beside its empty PNG, for
    // `serve` to draw it when asked for.
    let mut slides = Vec::new();
    // A frozen copy has no slide formats: the archive keeps only what it
    // cannot re-make, and a frozen page links to the current chart's.
    let formats = if dir.starts_with("editions/") {
        &[][..]
    } else {
        &SlideFormat::ALL[..]
    };
    for &format in formats {
        let name = format!("{dir}{}", format.file_name());
        // Laid out only when its PNG is not kept yet (see `Chart::slide_png`).
        let png = SLIDE_TIME
            .time(|| match cache {
                _ if options.skip_png => Ok(FileBody::Bytes(Vec::new())),
                Some(cache) => chart.slide_png(format, cache),
                None => crate::chart::rasterize_png_at(&chart.slide_svg(format), 1.0)
                    .map(FileBody::Bytes),
            })
            .map_err(|e| Diagnostic::error(&name, format!("cannot rasterise the chart: {e}")))?;
        if options.skip_png {
            let slide_svg = SVG_TIME.time(|| chart.slide_svg(format));
            slides.push((format!("{name}.svg"), slide_svg.into_bytes().into()));
        }
        slides.push((name, png));
    }
    let (csv, csv_excel, bundle) = BUNDLE_TIME.time(|| {
        let csv = chart.csv();
        let csv_excel = chart.csv_excel();
        let bundle = super::feeds::bundle(site, &chart, svg, &csv, &csv_excel, cache);
        (csv, csv_excel, bundle)
    });
    let bundle = bundle.map_err(|e| {
        Diagnostic::error(
            format!("{dir}{slug}.zip"),
            format!("cannot write the data bundle: {e}"),
        )
    })?;
    let file = |name: &str, bytes: Vec<u8>| -> Result<OutFile, Diagnostic> {
        let path = format!("{dir}{name}");
        let body = spill(cache, &path, bytes)?;
        Ok((path, body))
    };
    // With a cache, the SVGs are the files it keeps them in.
    let [svg, narrow] = match cache {
        Some(cache) => chart.svg_files(cache).map_err(|e| {
            Diagnostic::error(
                format!("{dir}chart.svg"),
                format!("cannot write into the build cache: {e}"),
            )
        })?,
        None => {
            let (svg, narrow) = chart.into_svgs();
            [svg.into_bytes().into(), narrow.into_bytes().into()]
        }
    };
    let mut files = vec![
        (format!("{dir}chart.svg"), svg),
        (format!("{dir}chart-narrow.svg"), narrow),
        (format!("{dir}chart.png"), png),
        file("data.csv", csv.into_bytes())?,
        file("data-excel.csv", csv_excel.into_bytes())?,
        (format!("{dir}{slug}.zip"), bundle),
    ];
    for (name, body) in slides {
        let body = match body {
            FileBody::Bytes(bytes) if !bytes.is_empty() => spill(cache, &name, bytes)?,
            other => other,
        };
        files.push((name, body));
    }
    Ok(files)
}
