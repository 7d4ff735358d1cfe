//! The `insyn` command line: parses arguments, calls the library, prints
//! diagnostics and maps the outcome to an exit status (0 success, 1 invalid
//! input, 2 usage error).

mod cli;
mod scaffold;
mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use insyn::{BuildError, BuildOptions};

use cli::Ui;

/// See Cargo.toml: the build is allocation-heavy and multi-threaded.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns transparent huge pages off for this process (Linux only; elsewhere
/// nothing). mimalloc asks for them, and a kernel that gives them zeroes two
/// megabytes at the first touch of any byte of one, and splits them again
/// when mimalloc hands unused memory back: on the national benchmark the
/// kernel zeroing pages was an eighth of a warm build's CPU. Without them a
/// warm build's system time halved and its peak memory fell by a fifth; a
/// cold build was unchanged (README, "The fourth round").
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    {
        // Best effort: a kernel that refuses only leaves the build slower.
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}

#[derive(Parser)]
#[command(
    name = "insyn",
    version,
    about = "Honest public reports of municipal social services, as a static site"
)]
struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Print the time each stage takes and the files written.
    #[arg(long, short, global = true, conflicts_with = "quiet")]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

/// What `build` and `publish` are given.
#[derive(clap::Args)]
struct BuildArgs {
    /// The site's folder (with site.toml, content/ and data/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site [default: ROOT/public].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Use this address instead of base_url from site.toml (checked the same way).
    #[arg(long, value_parser = parse_base_url)]
    base_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder of static files.
    Build(BuildArgs),
    /// Build the site as an edition and record it under editions/<period>/: its data
    /// (later builds mark and list every value that changes), its addresses (they keep
    /// answering) and a frozen copy of every chart, served at /editions/<period>/.
    Publish {
        #[command(flatten)]
        build: BuildArgs,
        /// The publication date cited for the edition (YYYY-MM-DD) [default: today].
        #[arg(long, value_parser = parse_date)]
        date: Option<String>,
    },
    /// Run every validation of a build and the honesty checks; write nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Preview the site: build, serve on 127.0.0.1, rebuild on change and reload the browser.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port [default: 1111, or the next free one up to 1120 when 1111 is taken].
        /// A port given here that is taken is an error.
        #[arg(long)]
        port: Option<u16>,
    },
    /// Create a new site with a small example that builds, in a new or empty folder.
    Init {
        /// The folder to create.
        dir: PathBuf,
    },
    /// Create something new in a site.
    #[command(subcommand)]
    New(New),
    /// Turn public data (Kolada, SCB's PxWeb, a tidy CSV) into this site's data:
    /// a long CSV in data/ and proposed units.toml and measures.toml entries.
    #[command(subcommand)]
    Import(Import),
}

/// Where an imported document is read from and written to.
#[derive(clap::Args)]
struct ImportArgs {
    /// The downloaded document.
    #[arg(required_unless_present = "url", conflicts_with = "url")]
    file: Option<PathBuf>,
    /// Fetch the document from this address instead (needs a network).
    #[arg(long)]
    url: Option<String>,
    /// The site's folder.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The name of the CSV written in data/ [default: the file's name].
    #[arg(long)]
    name: Option<String>,
}

#[derive(Subcommand)]
enum Import {
    /// A Kolada API data response (v3, or the older v2), e.g. saved from
    /// https://api.kolada.se/v3/data/kpi/N00945/municipality/0180
    Kolada {
        #[command(flatten)]
        args: ImportArgs,
        /// Kolada's KPI list (/v3/kpi), for titles, definitions and publication dates.
        #[arg(long)]
        kpis: Option<PathBuf>,
        /// Kolada's municipality list (/v3/municipality), for names.
        #[arg(long)]
        municipalities: Option<PathBuf>,
    },
    /// A PxWeb JSON-stat 2.0 dataset (Statistics Sweden's API 2 and others).
    Pxweb {
        #[command(flatten)]
        args: ImportArgs,
    },
    /// A tidy CSV: a period column, unit code and name columns, one column per measure.
    Tidy {
        #[command(flatten)]
        args: ImportArgs,
        /// The period column [default: detected: period, time_period, year, år …].
        #[arg(long)]
        period: Option<String>,
        /// Unit code columns, the first non-empty one per row [default: detected].
        #[arg(long, value_delimiter = ',')]
        unit_code: Vec<String>,
        /// Unit name columns, the first non-empty one per row [default: detected].
        #[arg(long, value_delimiter = ',')]
        unit_name: Vec<String>,
        /// The measure columns [default: every other column of numbers and symbols].
        #[arg(long, value_delimiter = ',')]
        measures: Vec<String>,
        /// Whose symbols the cells use: insyn, gss (UK: x not available, c confidential),
        /// scb (.. not available, – zero) or kolada (.. confidential).
        #[arg(long, default_value = "insyn")]
        symbols: String,
        /// The publisher, written as each measure's source.
        #[arg(long)]
        source: Option<String>,
    },
}

#[derive(Subcommand)]
enum New {
    /// A report skeleton for a quarter, with the standard sections and the headline charts.
    Report {
        /// The quarter, e.g. 2024Q3 (any accepted spelling).
        period: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn main() -> ExitCode {
    without_huge_pages();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let ui = Ui::new(cli.quiet, cli.verbose);
    if let Some(root) = site_root(&cli.command)
        && let Err(problem) = check_site_folder(root)
    {
        eprintln!("error: {problem}");
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Build(BuildArgs {
            root,
            out,
            base_url,
        }) => build(&root, out, base_url, &ui),
        Command::Publish {
            build:
                BuildArgs {
                    root,
                    out,
                    base_url,
                },
            date,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            let date = date.unwrap_or_else(insyn::format::today);
            match build_report(&root, &out, base_url, Some(date), &ui) {
                Ok((report, Some(path))) => {
                    if !ui.quiet {
                        let folder = path.parent().unwrap_or(&root);
                        eprintln!(
                            "recorded the edition in {}, published {}; commit it and editions/objects/ with the site",
                            folder.display(),
                            report.publication.date
                        );
                    }
                    ExitCode::SUCCESS
                }
                Ok((_, None)) => ExitCode::SUCCESS,
                Err(code) => code,
            }
        }
        Command::Check { root, strict } => check(&root, strict, &ui),
        Command::Serve { root, port } => {
            match serve::serve(serve::ServeOptions { root, port, ui }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(serve::ServeError::Port(message)) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
                Err(serve::ServeError::Other(message)) => {
                    eprintln!("error: {message}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Init { dir } => match scaffold::init(&dir) {
            Ok(files) => {
                if !ui.quiet {
                    for f in &files {
                        eprintln!("  wrote {}", dir.join(f).display());
                    }
                    eprintln!(
                        "created a new site in {0}\nnext: `insyn serve --root {0}` and open the address it prints",
                        dir.display()
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => scaffold_error(e, &dir, &ui),
        },
        Command::Import(import) => run_import(import, &ui),
        Command::New(New::Report { period, root }) => match scaffold::new_report(&root, &period) {
            Ok(rel) => {
                if !ui.quiet {
                    eprintln!("wrote {}", root.join(&rel).display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => scaffold_error(e, &root, &ui),
        },
    }
}

/// `--base-url` passes the check `base_url` in site.toml passes.
fn parse_base_url(url: &str) -> Result<String, String> {
    insyn::config::check_base_url(url)
        .map(|()| url.to_string())
        .map_err(|why| {
            format!(
                "the address {why}; expected {}",
                insyn::config::BASE_URL_EXPECTED
            )
        })
}

fn run_import(import: Import, ui: &Ui) -> ExitCode {
    use cli::import::{Input, Source, Target};
    let (source, args) = match import {
        Import::Kolada {
            args,
            kpis,
            municipalities,
        } => (
            Source::Kolada {
                kpis,
                municipalities,
            },
            args,
        ),
        Import::Pxweb { args } => (Source::Pxweb, args),
        Import::Tidy {
            args,
            period,
            unit_code,
            unit_name,
            measures,
            symbols,
            source,
        } => {
            let Some(symbols) = insyn::import::tidy::Symbols::from_name(&symbols) else {
                eprintln!(
                    "error: unknown symbol convention `{symbols}`: expected insyn, gss, scb or kolada"
                );
                return ExitCode::from(2);
            };
            (
                Source::Tidy(insyn::import::tidy::TidyOptions {
                    period,
                    unit_code,
                    unit_name,
                    measures,
                    symbols,
                    source,
                }),
                args,
            )
        }
    };
    let input = match (args.file, args.url) {
        (_, Some(url)) => Input::Url(url),
        (Some(file), None) => Input::File(file),
        (None, None) => {
            eprintln!("error: name the file to import, or give `--url`");
            return ExitCode::from(2);
        }
    };
    cli::import::run(
        source,
        input,
        Target {
            root: args.root,
            name: args.name,
        },
        ui,
    )
}

fn build(root: &Path, out: Option<PathBuf>, base_url: Option<String>, ui: &Ui) -> ExitCode {
    let out = out.unwrap_or_else(|| root.join("public"));
    match build_report(root, &out, base_url, None, ui) {
        Ok(_) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// The site folder a command reads, when it reads one.
fn site_root(command: &Command) -> Option<&Path> {
    match command {
        Command::Build(args) | Command::Publish { build: args, .. } => Some(&args.root),
        Command::Check { root, .. }
        | Command::Serve { root, .. }
        | Command::New(New::Report { root, .. }) => Some(root),
        Command::Init { .. } | Command::Import(_) => None,
    }
}

/// A `--root` that is no folder is named as such: it was reported as three
/// files missing from it, or as an output folder that cannot be read.
fn check_site_folder(root: &Path) -> Result<(), String> {
    match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(format!(
            "the site folder {} is a file, not a folder (give the folder that holds site.toml with --root)",
            root.display()
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
            "the site folder {} does not exist (give the folder that holds site.toml with --root; `insyn init DIR` makes a new site)",
            root.display()
        )),
        Err(e) => Err(format!(
            "cannot read the site folder {}: {e}",
            root.display()
        )),
    }
}

/// `YYYY-MM-DD`, for `publish --date`: a date of the calendar, as it is
/// frozen into the edition and every citation of it.
fn parse_date(s: &str) -> Result<String, String> {
    insyn::config::Date::parse(s).map(|date| date.0)
}

/// Builds the site, or publishes it as an edition when `publish_date` is
/// given (then with the edition's data file), and prints what came of it;
/// the report, or the exit status.
fn build_report(
    root: &Path,
    out: &Path,
    base_url: Option<String>,
    publish_date: Option<String>,
    ui: &Ui,
) -> Result<(insyn::BuildReport, Option<PathBuf>), ExitCode> {
    let options = BuildOptions {
        base_url,
        cache_dir: Some(root.join(".insyn-cache")),
        prune_cache: true,
        mode: insyn::BuildMode::Publish,
        publish_date,
    };
    let printer = ui.printer(root);
    let started = std::time::Instant::now();
    let result = if options.publish_date.is_some() {
        cli::publish(root, out, &options, ui).map(|(report, path)| (report, Some(path)))
    } else {
        cli::build(root, out, &options, ui).map(|report| (report, None))
    };
    match result {
        Ok((report, edition)) => {
            printer.print(&report.warnings, ui.quiet);
            if !ui.quiet {
                eprintln!("{}", report.disclosure);
                eprintln!(
                    "built {} pages and {} charts ({} files) into {} in {:.2} s",
                    report.pages,
                    report.charts,
                    report.files,
                    report.out.display(),
                    started.elapsed().as_secs_f64()
                );
            }
            Ok((report, edition))
        }
        Err(BuildError::Invalid(problems)) => {
            printer.print(&problems, false);
            summary(&problems);
            if out.join("index.html").is_file() {
                eprintln!(
                    "nothing was written; the previous site in {} is unchanged",
                    out.display()
                );
            } else {
                eprintln!("nothing was written");
            }
            Err(ExitCode::from(1))
        }
        Err(e @ BuildError::Write { .. }) => {
            eprintln!("error: {e}");
            Err(ExitCode::from(1))
        }
        Err(e @ BuildError::Refused(_)) => {
            eprintln!("error: {e}");
            eprintln!("nothing was written");
            Err(ExitCode::from(2))
        }
    }
}

fn check(root: &Path, strict: bool, ui: &Ui) -> ExitCode {
    let printer = ui.printer(root);
    let started = std::time::Instant::now();
    match insyn::check_with_summary(root) {
        Ok((warnings, disclosure)) => {
            printer.print(&warnings, ui.quiet);
            if !ui.quiet {
                eprintln!("{disclosure}");
            }
            if ui.verbose {
                eprintln!(
                    "  checked in {:.1} ms",
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            if strict && !warnings.is_empty() {
                eprintln!(
                    "{} warning(s), treated as errors (--strict)",
                    warnings.len()
                );
                ExitCode::from(1)
            } else {
                if !ui.quiet {
                    eprintln!("check passed with {} warning(s)", warnings.len());
                }
                ExitCode::SUCCESS
            }
        }
        Err(problems) => {
            printer.print(&problems, false);
            summary(&problems);
            ExitCode::from(1)
        }
    }
}

fn scaffold_error(e: scaffold::ScaffoldError, root: &Path, ui: &Ui) -> ExitCode {
    match e {
        scaffold::ScaffoldError::Usage(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        scaffold::ScaffoldError::Invalid(problems) => {
            ui.printer(root).print(&problems, false);
            summary(&problems);
            eprintln!("the site must load before a report can be made from its data");
            ExitCode::from(1)
        }
        scaffold::ScaffoldError::Io(path, e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            ExitCode::from(1)
        }
    }
}

fn summary(problems: &[insyn::diagnostics::Diagnostic]) {
    // A line that stands for problems not listed counts as those problems.
    let errors: usize = problems
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.count)
        .sum();
    let errors = insyn::diagnostics::group_digits(errors);
    eprintln!("{errors} error(s) found");
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The call reaches the kernel: the process's flag is set afterwards.
    #[test]
    fn huge_pages_are_turned_off() {
        super::without_huge_pages();
        assert_eq!(
            rustix::thread::transparent_huge_pages_are_disabled().ok(),
            Some(true)
        );
    }
}
