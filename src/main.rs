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
    /// Build the site, then record its data as an edition under editions/<period>/,
    /// so later builds mark and list every value that changes.
    Publish(BuildArgs),
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
    match cli.command {
        Command::Build(BuildArgs {
            root,
            out,
            base_url,
        }) => build(&root, out, base_url, &ui),
        Command::Publish(BuildArgs {
            root,
            out,
            base_url,
        }) => {
            let code = build(&root, out, base_url, &ui);
            if code != ExitCode::SUCCESS {
                return code;
            }
            match insyn::record_edition(&root) {
                Ok(path) => {
                    if !ui.quiet {
                        eprintln!(
                            "recorded the edition in {}; commit it with the site",
                            path.display()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
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

fn build(root: &Path, out: Option<PathBuf>, base_url: Option<String>, ui: &Ui) -> ExitCode {
    let out = out.unwrap_or_else(|| root.join("public"));
    let options = BuildOptions {
        base_url,
        cache_dir: Some(root.join(".insyn-cache")),
        prune_cache: true,
        skip_png: false,
    };
    let printer = ui.printer(root);
    let started = std::time::Instant::now();
    match cli::build(root, &out, &options, ui) {
        Ok(report) => {
            printer.print(&report.warnings, ui.quiet);
            if !ui.quiet {
                eprintln!(
                    "built {} pages and {} charts ({} files) into {} in {:.2} s",
                    report.pages,
                    report.charts,
                    report.files,
                    report.out.display(),
                    started.elapsed().as_secs_f64()
                );
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Invalid(problems)) => {
            printer.print(&problems, false);
            summary(&problems);
            eprintln!(
                "nothing was written; the previous site in {} is unchanged",
                out.display()
            );
            ExitCode::from(1)
        }
        Err(e @ BuildError::Write { .. }) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
        Err(e @ BuildError::Refused(_)) => {
            eprintln!("error: {e}");
            eprintln!("nothing was written");
            ExitCode::from(2)
        }
    }
}

fn check(root: &Path, strict: bool, ui: &Ui) -> ExitCode {
    let printer = ui.printer(root);
    let started = std::time::Instant::now();
    match insyn::check(root) {
        Ok(warnings) => {
            printer.print(&warnings, ui.quiet);
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
    let errors = problems.iter().filter(|d| d.is_error()).count();
    eprintln!("{errors} error(s) found");
}
