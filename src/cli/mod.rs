//! What only the command line knows: the terminal (colour, source excerpts,
//! progress) and the stages of a build as the user sees them.

pub mod import;
pub mod report;

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use insyn::{BuildError, BuildOptions, BuildReport, Stage};

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

/// [`insyn::build`] with a spinner on a terminal; with `ui.verbose`, the time
/// of each stage and what was written where.
pub fn build(
    root: &Path,
    out: &Path,
    options: &BuildOptions,
    ui: &Ui,
) -> Result<BuildReport, BuildError> {
    let report = with_spinner(ui, |on_stage| {
        insyn::build_with(root, out, options, on_stage)
    })?;
    print_stages(ui, out, &report);
    Ok(report)
}

/// `insyn publish` as [`build`] shows a build: the edition's build report
/// and its data file (see [`insyn::publish_with`]).
pub fn publish(
    root: &Path,
    out: &Path,
    options: &BuildOptions,
    ui: &Ui,
) -> Result<(BuildReport, std::path::PathBuf), BuildError> {
    let (report, path) = with_spinner(ui, |on_stage| {
        insyn::publish_with(root, out, options, on_stage)
    })?;
    print_stages(ui, out, &report);
    Ok((report, path))
}

/// Runs `work` with a spinner naming each stage it starts.
fn with_spinner<T>(
    ui: &Ui,
    work: impl FnOnce(&mut dyn FnMut(Stage)) -> Result<T, BuildError>,
) -> Result<T, BuildError> {
    let spinner = if ui.progress {
        let s = indicatif::ProgressBar::new_spinner();
        s.enable_steady_tick(Duration::from_millis(100));
        s
    } else {
        indicatif::ProgressBar::hidden()
    };
    let result = work(&mut |stage| {
        spinner.set_message(match stage {
            Stage::Load => "reading site.toml, data and content…".to_string(),
            Stage::Render => "rendering pages and charts…".to_string(),
            Stage::Write { files } => format!("writing {files} files…"),
        })
    });
    spinner.finish_and_clear();
    result
}

/// With `--verbose`: each stage's time and the files written per folder.
fn print_stages(ui: &Ui, out: &Path, report: &BuildReport) {
    if !ui.verbose {
        return;
    }
    for (stage, time) in &report.stages {
        eprintln!(
            "  {:<18} {:>8.1} ms",
            stage.name(),
            time.as_secs_f64() * 1000.0
        );
    }
    eprintln!("  files written to {}:", out.display());
    for (folder, (files, bytes)) in &report.folders {
        eprintln!(
            "    {folder:<16} {files:>6} files {:>10.1} kB",
            *bytes as f64 / 1000.0
        );
    }
}
