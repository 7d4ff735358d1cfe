//! The `insyn` command line: parses arguments, calls the library, prints
//! diagnostics and maps the outcome to an exit status (0 success, 1 invalid
//! input, 2 usage error).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use insyn::diagnostics::Diagnostic;
use insyn::{BuildError, BuildOptions};

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
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder of static files.
    Build {
        /// The site's folder (with site.toml, content/ and data/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Use this address instead of base_url from site.toml.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Run every validation of a build and the honesty checks; write nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
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
    match cli.command {
        Command::Build {
            root,
            out,
            base_url,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            let options = BuildOptions {
                base_url,
                png_cache: Some(root.join(".insyn-cache").join("png")),
                inject_before_body_end: None,
                skip_png: false,
            };
            let started = std::time::Instant::now();
            match insyn::build(&root, &out, &options) {
                Ok(report) => {
                    print_diagnostics(&report.warnings, cli.quiet);
                    if !cli.quiet {
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
                    print_diagnostics(&problems, false);
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
            }
        }
        Command::Check { root, strict } => match insyn::check(&root) {
            Ok(warnings) => {
                print_diagnostics(&warnings, cli.quiet);
                if strict && !warnings.is_empty() {
                    eprintln!(
                        "{} warning(s), treated as errors (--strict)",
                        warnings.len()
                    );
                    ExitCode::from(1)
                } else {
                    if !cli.quiet {
                        eprintln!("check passed with {} warning(s)", warnings.len());
                    }
                    ExitCode::SUCCESS
                }
            }
            Err(problems) => {
                print_diagnostics(&problems, false);
                summary(&problems);
                ExitCode::from(1)
            }
        },
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], quiet: bool) {
    let sorted = insyn::diagnostics::Diagnostics::from_iter(diagnostics.iter().cloned()).sorted();
    for d in sorted {
        if quiet && !d.is_error() {
            continue;
        }
        eprintln!("{}\n", d.render_plain());
    }
}

fn summary(problems: &[Diagnostic]) {
    let errors = problems.iter().filter(|d| d.is_error()).count();
    eprintln!("{errors} error(s) found");
}
