//! insyn: a static-site generator for honest public reports of municipal
//! social services.
//!
//! The data flows one way: load (config, data, content) → validate (all
//! errors at once) → model (pages, charts, limitations) → render (parallel)
//! → write (atomic). [`build`] and [`check`] are the only doors into it;
//! [`LiveSite`] is the one `serve` uses, keeping the site between edits.
//!
//! Comments cite `docs/contract.md`: `§N` is a section of it, `H1`–`H10`
//! are its honesty rules.

// Diagnostics are this crate's error currency: they carry file, location,
// offending text and hints, and travel on cold paths only, so their size in
// a `Result` does not matter.
#![allow(clippy::result_large_err)]

pub mod cache;
pub mod chart;
pub mod config;
pub mod content;
pub mod csv_writer;
pub mod data;
pub mod diagnostics;
pub mod disclosure;
pub mod escape;
pub mod format;
#[doc(hidden)]
pub mod fuzz;
pub mod i18n;
pub mod identity;
pub mod import;
mod live;
pub mod output;
pub mod render;
pub mod site;
pub mod slug;
pub mod text;
pub mod timings;
mod walk;

use std::path::{Path, PathBuf};

use diagnostics::Diagnostic;
pub use live::{LiveSite, Update};
pub use site::{BuildMode, BuildOptions};

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub files: usize,
    pub pages: usize,
    pub charts: usize,
    pub warnings: Vec<Diagnostic>,
    /// Wall time of each stage, in order.
    pub stages: Vec<(Stage, std::time::Duration)>,
    /// Per top-level output folder: files and bytes written.
    pub folders: std::collections::BTreeMap<String, (usize, u64)>,
    /// What disclosure control withheld, in one line (H9).
    pub disclosure: String,
    /// Every page address of the site, as `insyn publish` records them.
    pub addresses: Vec<site::editions::PageRecord>,
    /// When the build was published, and as which edition.
    pub publication: site::Publication,
    /// The PNGs a preview or a check left out, by path in the site, with
    /// what each is drawn from (see [`BuildMode::Preview`]); empty when
    /// publishing.
    pub deferred: std::collections::BTreeMap<String, output::DeferredPng>,
}

/// The stages of a build, as reported to [`build_with`]'s hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and validating site.toml, data and content.
    Load,
    /// Pages, charts and downloads, in memory.
    Render,
    /// The atomic write of this many files.
    Write { files: usize },
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load and validate",
            Stage::Render => "render",
            Stage::Write { .. } => "write",
        }
    }
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The input has problems; nothing was written.
    #[error("the site has {} problem(s)", .0.iter().filter(|d| d.is_error()).count())]
    Invalid(Vec<Diagnostic>),
    /// The output folder is not one insyn may replace (it holds someone
    /// else's files, or the site's own); nothing was written.
    #[error("{0}")]
    Refused(output::Refusal),
    /// The output could not be written; the previous site is untouched.
    #[error("cannot write the site to {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Builds the site at `root` into `out`, atomically.
pub fn build(root: &Path, out: &Path, options: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with(root, out, options, &mut |_| {})
}

/// [`build`], calling `on_stage` as each stage starts (for progress displays).
pub fn build_with(
    root: &Path,
    out: &Path,
    options: &BuildOptions,
    on_stage: &mut dyn FnMut(Stage),
) -> Result<BuildReport, BuildError> {
    build_keeping_site(root, out, options, on_stage).map(|(report, _)| report)
}

/// What a build leaves for [`LiveSite`]: the loaded site, and the charts
/// each page draws.
struct Kept {
    site: site::Site,
    page_charts: std::collections::BTreeMap<String, Vec<String>>,
}

/// The write stage of a build that writes: the stage and its time, or
/// nothing for a build that writes nothing.
fn write_stage(
    options: &BuildOptions,
    out: &Path,
    files: &output::SiteFiles,
    start: &mut impl FnMut(Stage) -> (Stage, std::time::Instant),
) -> Result<Option<(Stage, std::time::Duration)>, BuildError> {
    if !options.mode.writes() {
        return Ok(None);
    }
    let (stage, started) = start(Stage::Write { files: files.len() });
    timings::stage("write", || output::write_atomic(out, files)).map_err(|e| match e {
        output::WriteError::Refused(refusal) => BuildError::Refused(refusal),
        output::WriteError::Io(source) => BuildError::Write {
            path: out.to_path_buf(),
            source,
        },
    })?;
    Ok(Some((stage, started.elapsed())))
}

/// [`build_with`], handing back what [`LiveSite`] keeps.
fn build_keeping_site(
    root: &Path,
    out: &Path,
    options: &BuildOptions,
    on_stage: &mut dyn FnMut(Stage),
) -> Result<(BuildReport, Kept), BuildError> {
    let mut stages = Vec::new();
    // Before the work of a build: a folder insyn may not replace is refused
    // at once. The write checks again, under its lock.
    if options.mode.writes() {
        output::check_target(root, out).map_err(BuildError::Refused)?;
    }
    let mut start = |stage: Stage| {
        on_stage(stage);
        (stage, std::time::Instant::now())
    };
    // Every kept file is keyed by the program's identity, a hash of its
    // executable (tens of megabytes): worked out on the second core while
    // the data loads, rather than by the first chart while the others wait.
    std::thread::spawn(|| {
        cache::program_id();
    });
    let (stage, started) = start(Stage::Load);
    let site =
        timings::stage("load", || site::Site::load(root, options)).map_err(BuildError::Invalid)?;
    stages.push((stage, started.elapsed()));
    let (stage, started) = start(Stage::Render);
    let rendered = timings::stage("render (total)", || site.render(options));
    timings::CHARTS_DRAWN.report();
    timings::CHARTS_RESOLVED.report();
    let mut rendered = rendered.map_err(BuildError::Invalid)?;
    // The links an author wrote are checked by every build: a page that
    // points nowhere is not published. (`check` checks every page's.)
    if options.mode != BuildMode::Check {
        let base_path = site::url_path(&site.config.base_url());
        let broken = timings::stage("links written in content", || {
            site::links::check_authored(&rendered.files, &site.content, &base_path)
        });
        if !broken.is_empty() {
            return Err(BuildError::Invalid(broken));
        }
    }
    stages.push((stage, started.elapsed()));
    let deferred = output::take_deferred(&mut rendered.files);
    let mut warnings = std::mem::take(&mut rendered.warnings);
    // The cache is tidied while the site is written: the prune removes only
    // entries this build did not use, which the write never touches, and
    // both mostly wait on the file system.
    let written = std::thread::scope(|scope| {
        let pruned = (options.prune_cache)
            .then_some(rendered.cache.as_ref())
            .flatten()
            .map(|cache| scope.spawn(|| cache.prune().map_err(|e| (cache.dir().to_path_buf(), e))));
        let written = write_stage(options, out, &rendered.files, &mut start);
        if let Some(Ok(Err((dir, e)))) = pruned.map(|p| p.join()) {
            // The site is written; a cache that cannot be tidied only costs disk.
            warnings.push(Diagnostic::warning(
                dir.display().to_string(),
                format!("cannot remove unused cache entries: {e}"),
            ));
        }
        written
    });
    if let Some(stage) = written? {
        stages.push(stage);
    }
    let mut folders: std::collections::BTreeMap<String, (usize, u64)> = Default::default();
    for (path, bytes) in &rendered.files {
        let folder = path.split_once('/').map_or("(top level)", |(f, _)| f);
        let entry = folders.entry(folder.to_string()).or_default();
        entry.0 += 1;
        entry.1 += bytes.len();
    }
    let report = BuildReport {
        out: out.to_path_buf(),
        files: rendered.files.len(),
        pages: rendered.pages,
        charts: rendered.charts,
        warnings,
        stages,
        folders,
        disclosure: site.disclosure_summary(),
        addresses: rendered.addresses,
        publication: site.publication.clone(),
        deferred,
    };
    let kept = Kept {
        site,
        page_charts: rendered.page_charts,
    };
    Ok((report, kept))
}

/// Every validation of a build, writing nothing. Returns the warnings, or
/// every problem.
pub fn check(root: &Path) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    check_with_summary(root).map(|(warnings, _)| warnings)
}

/// [`check`], with the one-line summary of disclosure control (H9).
pub fn check_with_summary(root: &Path) -> Result<(Vec<Diagnostic>, String), Vec<Diagnostic>> {
    let options = BuildOptions {
        mode: BuildMode::Check,
        cache_dir: check_cache(root),
        ..BuildOptions::default()
    };
    let site = site::Site::load(root, &options)?;
    let summary = site.disclosure_summary();
    let rendered = site.render(&options);
    timings::CHARTS_DRAWN.report();
    timings::CHARTS_RESOLVED.report();
    let rendered = rendered?;
    let base_path = site::url_path(&site.config.base_url());
    let broken = timings::stage("links of every page", || {
        site::links::check_links(&rendered.files, &base_path)
    });
    let mut broken = site::links::at_their_sources(broken, &site.content);
    broken.extend(site::editions::check_addresses(
        &rendered.files,
        &site.archive,
    ));
    if !broken.is_empty() {
        return Err(broken);
    }
    Ok((rendered.warnings, summary))
}

/// The build cache a check keeps the made site in: the site's own, as a
/// build's, so a check holds a line per file rather than the site (a site
/// of ten thousand units makes gigabytes of pages) and shares drawings with
/// the builds before and after it. Where that folder cannot be written (a
/// read-only checkout), none: the site is then held in memory.
fn check_cache(root: &Path) -> Option<PathBuf> {
    let dir = root.join(".insyn-cache");
    let existed = dir.is_dir();
    let probe = dir.join(format!(".check-{}.tmp", std::process::id()));
    let writable = std::fs::create_dir_all(&dir).is_ok() && std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    if !existed {
        // Made again when the first file is kept: a check that stops at an
        // error in the data leaves nothing behind.
        let _ = std::fs::remove_dir(&dir);
    }
    writable.then_some(dir)
}

/// Builds the site as the edition named after the latest period of its
/// data, published on `options.publish_date` (default: today), then records
/// the edition under `editions/<period>/`: the data it used (so later builds
/// can mark and list revisions), every address it answers at and a frozen
/// copy of every chart page and download (so those addresses answer for
/// ever). Returns the build report and the edition's data file.
pub fn publish(
    root: &Path,
    out: &Path,
    options: &BuildOptions,
) -> Result<(BuildReport, PathBuf), BuildError> {
    publish_with(root, out, options, &mut |_| {})
}

/// [`publish`], calling `on_stage` as each stage of its build starts.
///
/// It holds a lock on `editions/` throughout, so a second publish of the
/// site waits for the first (one recorded a date its own output did not
/// cite). And it builds the site once more after recording the edition:
/// built before, its revisions page said none had been published, unlike
/// any later build of the same files (the drawings are in the cache; only
/// the pages are made again).
pub fn publish_with(
    root: &Path,
    out: &Path,
    options: &BuildOptions,
    on_stage: &mut dyn FnMut(Stage),
) -> Result<(BuildReport, PathBuf), BuildError> {
    let mut options = options.clone();
    // An edition is what its build wrote: a check writes nothing.
    if !options.mode.writes() {
        options.mode = BuildMode::Preview;
    }
    options.publish_date.get_or_insert_with(format::today);
    let _publishing = output::lock_editions(root).map_err(|source| BuildError::Write {
        path: root.join("editions"),
        source,
    })?;
    let report = build_with(root, out, &options, on_stage)?;
    let path = record_publication(root, out, &report)?;
    options.publish_date = None;
    build(root, out, &options)?;
    Ok((report, path))
}

/// After a successful build with `publish_date` set into `out`: records its
/// edition (data, addresses, frozen files). Returns the edition's data file.
///
/// The data file is written last, and at once: until it is there, the
/// edition is not published (neither revisions nor the archive count it),
/// so a publish stopped half-way (a kill, a full disk) leaves the site as
/// it was before, and running it again records the whole edition.
pub fn record_publication(
    root: &Path,
    out: &Path,
    report: &BuildReport,
) -> Result<PathBuf, BuildError> {
    let name = report.publication.edition.clone().unwrap_or_default();
    let deferred: Vec<&str> = report.deferred.keys().map(String::as_str).collect();
    site::editions::record(
        root,
        &name,
        &report.publication.date,
        &report.addresses,
        out,
        &deferred,
    )
    .map_err(|source| BuildError::Write {
        path: root.join("editions").join(&name),
        source,
    })?;
    record_edition(root)
}

/// Records the site's data, as read (before revision marks), as the edition
/// named after its latest period. Run after a successful build.
pub fn record_edition(root: &Path) -> Result<PathBuf, BuildError> {
    let data = data::load(root).map_err(BuildError::Invalid)?;
    let name = data.latest_period().map(|p| p.to_string()).ok_or_else(|| {
        BuildError::Invalid(vec![Diagnostic::error(
            "data",
            "there is no data to publish",
        )])
    })?;
    site::revisions::record(root, &data, &name).map_err(|source| BuildError::Write {
        path: root.join("editions").join(&name),
        source,
    })
}
