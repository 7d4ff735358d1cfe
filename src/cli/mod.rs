//! What only the command line knows: the terminal (colour, source excerpts,
//! progress) and the stages of a build as the user sees them.

pub mod report;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use insyn::site::Site;
use insyn::{BuildError, BuildOptions, BuildReport};

/// How much the command line says.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
    /// Colour and source excerpts in diagnostics.
    pub fancy: bool,
    /// A spinner on stderr (only on a terminal, never with --quiet).
    pub progress: bool,
}

impl Ui {
    pub fn new(quiet: bool, verbose: bool) -> Ui {
        let terminal = std::io::stderr().is_terminal();
        Ui {
            quiet,
            verbose: verbose && !quiet,
            fancy: report::stderr_is_fancy(),
            progress: terminal && !quiet,
        }
    }

    pub fn printer<'a>(&self, root: &'a Path) -> report::Printer<'a> {
        report::Printer {
            root,
            fancy: self.fancy,
        }
    }
}

/// The time each stage of a build took.
pub type Timings = Vec<(&'static str, Duration)>;

/// The same pipeline as [`insyn::build`], stage by stage, so the command line
/// can show progress and timings. With `ui.verbose`, lists what was written.
pub fn build_staged(
    root: &Path,
    out: &Path,
    options: &BuildOptions,
    ui: &Ui,
) -> Result<(BuildReport, Timings), BuildError> {
    let spinner = if ui.progress {
        let s = indicatif::ProgressBar::new_spinner();
        s.enable_steady_tick(Duration::from_millis(100));
        s
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut timings = Timings::new();
    let started = Instant::now();
    spinner.set_message("reading site.toml, data and content…");
    let site = Site::load(root, options).map_err(|e| {
        spinner.finish_and_clear();
        BuildError::Invalid(e)
    })?;
    timings.push(("load and validate", started.elapsed()));

    let started = Instant::now();
    spinner.set_message("rendering pages and charts…");
    let rendered = site.render(options).map_err(|e| {
        spinner.finish_and_clear();
        BuildError::Invalid(e)
    })?;
    timings.push(("render", started.elapsed()));

    let started = Instant::now();
    spinner.set_message(format!("writing {} files…", rendered.files.len()));
    let written = insyn::output::write_atomic(out, &rendered.files);
    spinner.finish_and_clear();
    written.map_err(|source| BuildError::Write {
        path: out.to_path_buf(),
        source,
    })?;
    timings.push(("write", started.elapsed()));

    if ui.verbose {
        let mut folders: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for (path, bytes) in &rendered.files {
            let folder = path.split_once('/').map_or("(top level)", |(f, _)| f);
            let entry = folders.entry(folder).or_default();
            entry.0 += 1;
            entry.1 += bytes.len();
        }
        for (stage, time) in &timings {
            eprintln!("  {stage:<18} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
        eprintln!("  files written to {}:", out.display());
        for (folder, (files, bytes)) in folders {
            eprintln!(
                "    {folder:<16} {files:>6} files {:>10.1} kB",
                bytes as f64 / 1000.0
            );
        }
    }
    Ok((
        BuildReport {
            out: out.to_path_buf(),
            files: rendered.files.len(),
            pages: rendered.pages,
            charts: rendered.charts,
            warnings: rendered.warnings,
        },
        timings,
    ))
}
