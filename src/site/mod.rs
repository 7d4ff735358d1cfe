//! The site model: everything loaded and validated, then turned into the
//! pages, charts, downloads and feeds of the published site.
//!
//! `Site::load` gathers every problem of config, data and content at once;
//! `Site::render` produces the files of the site in memory (deterministic,
//! parallel where independent); `output` writes them.

mod accessibility;
mod addresses;
mod bundle;
mod charts;
pub mod editions;
mod feeds;
mod figures;
mod limits;
pub mod links;
mod pages;
mod reports;
pub mod revisions;
mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::content::ContentFile;
use crate::data::{Dataset, MeasureUnit, Period, Role};
use crate::diagnostics::Diagnostic;
use crate::output::SiteFiles;

pub use addresses::GENERATED as GENERATED_ADDRESSES;
pub use charts::ChartRegistry;
pub use limits::Limitation;

/// Options of one build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Replaces `base_url` from site.toml (e.g. for a preview host).
    pub base_url: Option<String>,
    /// The build cache folder (PNGs and data bundles, by content hash; see
    /// [`crate::cache`]). Without one, every PNG is drawn again.
    pub cache_dir: Option<PathBuf>,
    /// After a successful build, remove cache entries it did not use.
    pub prune_cache: bool,
    /// What the build is for: what it draws and writes.
    pub mode: BuildMode,
    /// `insyn publish`: the publication date (`YYYY-MM-DD`) of the edition
    /// this build is; the build also freezes every chart under
    /// `editions/<period>/` for the edition's archive.
    pub publish_date: Option<String>,
}

/// What a build is for (README, "Command line"). The mode decides what is
/// drawn and written, never what the pages say: every mode renders the same
/// pages, which link to the same files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BuildMode {
    /// `build` and `publish`: every file drawn and written.
    #[default]
    Publish,
    /// `serve`: PNGs are not drawn (rasterising a national site takes
    /// minutes) and not written; the build reports them
    /// ([`crate::BuildReport::deferred`]) with the SVG each is drawn from,
    /// and the slide and square layouts' SVGs are written beside their
    /// places (`chart-16x9.png.svg`), so `serve` draws a PNG when asked for.
    Preview,
    /// `check`: every file made in memory as for a preview, checked, and
    /// nothing written.
    Check,
}

impl BuildMode {
    /// Whether PNGs are drawn (else they are deferred: see
    /// [`crate::output::DeferredPng`]).
    pub fn draws_png(self) -> bool {
        self == BuildMode::Publish
    }

    /// Whether the build writes the site.
    pub fn writes(self) -> bool {
        self != BuildMode::Check
    }
}

/// When this build was published, and as which edition (see [`editions`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// The date citations give as the publication date, `YYYY-MM-DD`: the
    /// edition's when the build is a published edition, else the newest
    /// report's `date`, else the data date of site.toml. Never the clock,
    /// so the same input gives the same site.
    pub date: String,
    /// The edition this build is, when it is one: being published now
    /// (`publishing`), or rebuilt after `insyn publish` from data whose
    /// latest period is that edition's.
    pub edition: Option<String>,
    pub publishing: bool,
}

/// A loaded, validated site.
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    /// The published view (see [`crate::disclosure`]): the data as read,
    /// with every total the site shows and every withheld value marked.
    /// No output reads anything else.
    pub data: Dataset,
    pub content: Vec<ContentFile>,
    /// Units that may be shown on their own.
    pub published_units: BTreeSet<String>,
    /// Units under `min_unit_fte`, folded into their parent: small → parent.
    pub folded: BTreeMap<String, Option<String>>,
    /// Per unit, the periods withheld because it had less staffing than
    /// `min_unit_fte` then (H9).
    pub small_periods: BTreeMap<String, BTreeSet<Period>>,
    /// The ids of the per-area totals.
    pub area_totals: BTreeSet<String>,
    /// What disclosure control withheld.
    pub disclosure: crate::disclosure::Counts,
    /// Warnings found while loading: unsafe `[privacy]` settings, an
    /// edition published again (errors with `--strict`).
    pub load_warnings: Vec<Diagnostic>,
    /// Problems found while loading that did not stop loading (a content
    /// file that does not parse): reported with those found when rendering.
    pub load_problems: Vec<Diagnostic>,
    /// Values changed since the newest edition, and that edition's name.
    pub revisions: Vec<revisions::Revision>,
    /// The series breaks the newest edition marked that the data no longer
    /// has, by measure and period (see [`revisions::breaks_gone`]).
    pub breaks_removed: Vec<(String, crate::data::Period)>,
    pub edition: Option<String>,
    /// Every edition `insyn publish` recorded, with its addresses and
    /// frozen files.
    pub archive: editions::Archive,
    /// This build's publication date and edition.
    pub publication: Publication,
    /// What a page's text is searched for as figures typed by hand: the
    /// pattern of the site's measure names, made once.
    pub typed_figures: crate::content::TypedFigures,
    /// `data.latest_period()`, asked by every chart: computed once.
    pub latest_period: Option<Period>,
    /// `data.period_range(measure)` of every measure, asked by every chart.
    period_ranges: std::collections::HashMap<String, (Period, Period)>,
    /// The build cache of `BuildOptions::cache_dir`, shared by every build
    /// of this site: charts keep their drawings in it (see
    /// [`crate::chart::Chart::keep_drawings_in`]).
    pub cache: Option<std::sync::Arc<crate::cache::BuildCache>>,
}

/// The result of rendering: the files, and warnings that did not stop the build.
pub struct Rendered {
    pub files: SiteFiles,
    /// Every page address of the site, as `insyn publish` records them.
    pub addresses: Vec<editions::PageRecord>,
    /// The cache the files were taken from, for pruning once they are written.
    pub cache: Option<std::sync::Arc<crate::cache::BuildCache>>,
    pub warnings: Vec<Diagnostic>,
    pub pages: usize,
    pub charts: usize,
    /// The slugs of the charts each page draws, by page path (pages that
    /// draw none are left out): `serve` compares them to see whether an
    /// edit added or removed a chart page.
    pub page_charts: BTreeMap<String, Vec<String>>,
}

impl Site {
    /// Loads config, data and content; returns every problem at once.
    pub fn load(root: &Path, options: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
        Site::load_with_secondary(root, options, true)
    }

    /// [`Site::load`]; `secondary = false` leaves secondary suppression
    /// out, only so that tests can prove the disclosure audit notices.
    #[doc(hidden)]
    pub fn load_with_secondary(
        root: &Path,
        options: &BuildOptions,
        secondary: bool,
    ) -> Result<Site, Vec<Diagnostic>> {
        let (config, (data, content)) = rayon::join(
            || SiteConfig::load(root),
            || rayon::join(|| crate::data::load(root), || crate::content::load(root)),
        );
        let mut problems = Vec::new();
        let config = config.map_err(|e| problems.extend(e)).ok();
        let data = data.map_err(|e| problems.extend(e)).ok();
        let (content, content_problems) = content;
        problems.extend(content_problems.iter().cloned());
        let edition = revisions::newest_edition(root).map_err(|e| problems.extend(e));
        let archive = editions::load(root).map_err(|e| problems.extend(e));
        // An address from the command line passes the same check as the
        // one in site.toml.
        let base_url_problem = options.base_url.as_deref().and_then(|url| {
            let why = crate::config::check_base_url(url).err()?;
            Some(
                Diagnostic::error("--base-url", format!("the address {why}"))
                    .found(url)
                    .expected(crate::config::BASE_URL_EXPECTED),
            )
        });
        problems.extend(base_url_problem.clone());
        let (Some(mut config), Some(data), Ok(edition), Ok(archive)) =
            (config, data, edition, archive)
        else {
            return Err(problems);
        };
        if base_url_problem.is_some() {
            return Err(problems);
        }
        let mut revisions = edition
            .as_ref()
            .map(|e| revisions::compare(&data, e))
            .unwrap_or_default();
        let breaks_removed = edition
            .as_ref()
            .map(|e| revisions::breaks_gone(&data, e))
            .unwrap_or_default();
        if let Some(url) = &options.base_url {
            config.base_url = url.clone();
        }
        let content: Vec<ContentFile> = content.into_iter().filter(|c| !c.front.draft).collect();
        if let Err(e) = check_headline(&config, &data) {
            return Err(content_problems.into_iter().chain(e).collect());
        }
        let headline = headline_measures(&config, &data);
        let headline = headline.as_ref().map(|(_, staffing)| staffing.as_str());
        let rules = crate::disclosure::Rules {
            suppress_below: config.privacy.suppress_below,
            min_unit_fte: config.privacy.min_unit_fte,
            secondary,
        };
        // The revisions page shows old values: each only if the site built
        // from that edition showed it (H9), judged by the same rules.
        // And what it showed of a value that did not change is still known
        // to a reader (the archive): hiding that now would protect nothing.
        let earlier = edition.as_ref().filter(|_| !revisions.is_empty()).map(|e| {
            crate::timings::stage("disclosure of the edition", || {
                let data = revisions::edition_data(&data, e);
                crate::disclosure::disclose(data, rules, config.language, headline, &[], None)
            })
        });
        if let Some(earlier) = &earlier {
            revisions::withhold_old(&mut revisions, &earlier.view);
        }
        let revised = revisions::cells(&revisions);
        let disclosure = crate::timings::stage("disclosure (with audit)", || {
            crate::disclosure::disclose(
                data,
                rules,
                config.language,
                headline,
                &revised,
                earlier.as_ref().map(|e| &e.view),
            )
        });
        drop(earlier);
        if !disclosure.findings.is_empty() {
            let findings = disclosure_findings(&disclosure);
            return Err(content_problems.into_iter().chain(findings).collect());
        }
        let published_units = disclosure
            .view
            .units
            .units
            .keys()
            .filter(|u| !disclosure.folded.contains_key(*u))
            .cloned()
            .collect();
        let mut load_warnings = crate::config::privacy_warnings(root, &config);
        let crate::disclosure::Disclosure {
            view,
            folded,
            small,
            area_totals,
            counts,
            withheld_figures,
            ..
        } = disclosure;
        let data = view;
        let publication = publication(&config, &data, &content, &archive, options);
        load_warnings.extend(published_again(&archive, &publication, options));
        if let Some(e) = &edition {
            load_warnings.extend(revisions::breaks_gone_warnings(
                root,
                &e.name,
                &breaks_removed,
            ));
        }
        let typed_figures = crate::content::TypedFigures::with_measures(
            data.measures
                .measures
                .values()
                .map(|m| (m.id.as_str(), m.label.get(config.language))),
        )
        .withholding(withheld_figures);
        Ok(Site {
            root: root.to_path_buf(),
            config,
            content,
            published_units,
            folded,
            small_periods: small.periods,
            area_totals,
            disclosure: counts,
            load_warnings,
            load_problems: content_problems,
            revisions,
            breaks_removed,
            edition: edition.map(|e| e.name),
            archive,
            publication,
            typed_figures,
            latest_period: data.latest_period(),
            period_ranges: data
                .measures
                .measures
                .keys()
                .filter_map(|id| Some((id.clone(), data.period_range(id)?)))
                .collect(),
            data,
            cache: options
                .cache_dir
                .as_deref()
                .map(|dir| std::sync::Arc::new(crate::cache::BuildCache::new(dir))),
        })
    }

    /// Every value of `series` (the series of `key`) as the published view
    /// shows it (H9), in period order, the measure looked up once for all
    /// of them. Nothing for a series of a measure the site does not have.
    pub fn published_points<'a>(
        &self,
        key: &crate::data::SeriesKey,
        series: &'a crate::data::Series,
    ) -> impl Iterator<Item = (Period, crate::data::privacy::Shown)> + 'a {
        let below = self.config.privacy.suppress_below;
        let unit = self.data.measure(&key.measure).map(|m| m.unit);
        unit.into_iter().flat_map(move |unit| {
            series
                .points
                .iter()
                .map(move |(p, o)| (*p, crate::data::privacy::shown(&o.value, unit, below)))
        })
    }

    /// `n primary, m secondary suppressions; 0 derivable`: printed by
    /// build and check.
    pub fn disclosure_summary(&self) -> String {
        // A build with anything derivable stops at load: always 0 here.
        self.disclosure.summary(0)
    }

    /// Renders only the pages of the content files at `indices`, with their
    /// charts' pages and downloads (see [`crate::LiveSite`]).
    pub fn render_content(
        &self,
        options: &BuildOptions,
        indices: &[usize],
    ) -> Result<Rendered, Vec<Diagnostic>> {
        pages::render_content_pages(self, options, indices)
    }

    /// The first and last period with an observation of `measure`.
    pub fn period_range(&self, measure: &str) -> Option<(Period, Period)> {
        self.period_ranges.get(measure).copied()
    }

    /// The measures the headline chart (caseload against staffing) uses.
    pub fn headline(&self) -> Option<(String, String)> {
        headline_measures(&self.config, &self.data)
    }

    /// Renders every page, chart and download into memory.
    pub fn render(&self, options: &BuildOptions) -> Result<Rendered, Vec<Diagnostic>> {
        match pages::render_site(self, options) {
            Ok(mut r) if self.load_problems.is_empty() => {
                r.warnings.splice(0..0, self.load_warnings.iter().cloned());
                Ok(r)
            }
            Ok(_) => Err(self.load_problems.clone()),
            Err(e) => Err(self.load_problems.iter().cloned().chain(e).collect()),
        }
    }
}

/// One error per withheld value the audit could work out: a bug in
/// disclosure control, never something the author did.
fn disclosure_findings(d: &crate::disclosure::Disclosure) -> Vec<Diagnostic> {
    d.findings
        .iter()
        .map(|f| {
            let ((key, period), how) = (&f.cell, &f.how);
            let group = key
                .group
                .as_ref()
                .map(|g| format!(", group `{g}`"))
                .unwrap_or_default();
            Diagnostic::error(
                "data",
                format!(
                    "disclosure audit: the withheld value of `{}` for unit `{}`{group} in {period} can be worked out from {how}",
                    key.measure, key.unit
                ),
            )
            .help("nothing was written; this is a fault in insyn's disclosure control, please report it")
        })
        .collect()
}

/// When an edition is published again on another day than it first was:
/// a warning that it keeps its first date (cited on its frozen pages) and
/// what it froze then, rather than the date asked for.
fn published_again(
    archive: &editions::Archive,
    publication: &Publication,
    options: &BuildOptions,
) -> Option<Diagnostic> {
    let asked = options.publish_date.as_ref()?;
    let name = publication.edition.as_ref()?;
    let first = archive.get(name)?;
    (first.published != *asked).then(|| {
        Diagnostic::warning(
            format!("editions/{name}/{}", editions::MANIFEST),
            format!(
                "edition {name} was published on {}: published again, it keeps that date and what it froze then, not {asked}",
                first.published
            ),
        )
        .help("an edition does not change once cited; new data for a later quarter makes a new edition, and a corrected value is listed on the revisions page")
    })
}

/// This build's publication (see [`Publication`]).
fn publication(
    config: &SiteConfig,
    data: &Dataset,
    content: &[ContentFile],
    archive: &editions::Archive,
    options: &BuildOptions,
) -> Publication {
    let latest = data.latest_period().map(|p| p.to_string());
    if let (Some(date), Some(name)) = (&options.publish_date, &latest) {
        // Published again: the edition keeps the date it first had.
        let date = archive
            .get(name)
            .map_or_else(|| date.clone(), |e| e.published.clone());
        return Publication {
            date,
            edition: Some(name.clone()),
            publishing: true,
        };
    }
    if let Some(e) = archive
        .newest()
        .filter(|e| latest.as_deref() == Some(e.name.as_str()))
    {
        return Publication {
            date: e.published.clone(),
            edition: Some(e.name.clone()),
            publishing: false,
        };
    }
    let newest_report = content
        .iter()
        .filter(|c| c.front.period.is_some())
        .filter_map(|c| c.front.date.as_ref().map(|d| d.0.clone()))
        .max();
    Publication {
        date: newest_report.unwrap_or_else(|| config.source.extracted.0.clone()),
        edition: None,
        publishing: false,
    }
}

fn headline_measures(config: &SiteConfig, data: &Dataset) -> Option<(String, String)> {
    if let Some(h) = &config.headline {
        return Some((h.caseload.clone(), h.staffing.clone()));
    }
    // Without `[headline]`: the caseload count that is a stock (open cases,
    // not new ones), and the staffing FTE measure with the largest total
    // (employed staff rather than consultants). Ties go to the id order.
    let total = |id: &str| -> f64 {
        data.series
            .iter()
            .filter(|(k, _)| k.measure == id && k.group.is_none())
            .flat_map(|(_, s)| s.points.values().filter_map(|o| o.value.number))
            .sum()
    };
    let candidates = |role: Role, unit: MeasureUnit| {
        data.measures
            .measures
            .values()
            .filter(move |m| m.role == role && m.unit == unit && !m.is_derived())
    };
    let caseload = candidates(Role::Caseload, MeasureUnit::Count)
        .min_by_key(|m| (m.kind != crate::data::MeasureKind::Stock, m.id.clone()))?
        .id
        .clone();
    let staffing = candidates(Role::Staffing, MeasureUnit::Fte)
        .map(|m| (total(&m.id), m.id.clone()))
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(&a.1)))?
        .1;
    Some((caseload, staffing))
}

fn check_headline(config: &SiteConfig, data: &Dataset) -> Result<(), Vec<Diagnostic>> {
    let Some(h) = &config.headline else {
        return Ok(());
    };
    let mut problems = Vec::new();
    for (key, id) in [("caseload", &h.caseload), ("staffing", &h.staffing)] {
        if data.measure(id).is_none() {
            problems.push(
                Diagnostic::error(
                    "site.toml",
                    format!(
                        "`headline.{key}` names a measure that data/measures.toml does not define"
                    ),
                )
                .found(id.clone())
                .suggest(id, data.measures.measures.keys().map(String::as_str)),
            );
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The path part of an absolute address: `https://x.org/a/` → `/a/`.
pub fn url_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map(|x| x.1).unwrap_or(url);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}
