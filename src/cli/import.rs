//! `insyn import`: reads a source's document from a file or (with `--url`)
//! over HTTPS, hands it to the library's reader, writes the CSV and the
//! proposals, and says what it did. Only the command line reaches the
//! network.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use insyn::diagnostics::Diagnostic;
use insyn::import::{self, ImportError, Table, tidy};

use crate::cli::Ui;

/// Where the document comes from.
pub enum Input {
    File(PathBuf),
    Url(String),
}

/// What every importer is told.
pub struct Target {
    pub root: PathBuf,
    /// The CSV's name in `data/`, without `.csv`.
    pub name: Option<String>,
}

/// The sources `insyn import` reads.
pub enum Source {
    Kolada {
        kpis: Option<PathBuf>,
        municipalities: Option<PathBuf>,
    },
    Pxweb,
    Tidy(tidy::TidyOptions),
}

impl Source {
    fn default_name(&self) -> &'static str {
        match self {
            Source::Kolada { .. } => "kolada",
            Source::Pxweb => "scb",
            Source::Tidy(_) => "import",
        }
    }
}

/// Kolada pages its answers (`next_url`, in v2 `next_page`): at most this
/// many pages are fetched.
const MAX_PAGES: usize = 200;

/// Reads `input` with `source`'s reader and writes the result into the site.
pub fn run(source: Source, input: Input, target: Target, ui: &Ui) -> ExitCode {
    let (label, bytes) = match read_input(&source, &input) {
        Ok(x) => x,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    let file = Path::new(&label);
    let text = || String::from_utf8_lossy(&bytes).into_owned();
    let read_side = |path: &Option<PathBuf>| -> Result<Option<(PathBuf, String)>, String> {
        path.as_ref()
            .map(|p| {
                std::fs::read_to_string(p)
                    .map(|t| (p.clone(), t))
                    .map_err(|e| format!("cannot read {}: {e}", p.display()))
            })
            .transpose()
    };
    let table: Result<Table, Vec<Diagnostic>> = match &source {
        Source::Kolada {
            kpis,
            municipalities,
        } => {
            let (kpis, munis) = match (read_side(kpis), read_side(municipalities)) {
                (Ok(k), Ok(m)) => (k, m),
                (Err(e), _) | (_, Err(e)) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(1);
                }
            };
            import::kolada::read(
                file,
                &text(),
                kpis.as_ref().map(|(p, t)| (p.as_path(), t.as_str())),
                munis.as_ref().map(|(p, t)| (p.as_path(), t.as_str())),
            )
        }
        Source::Pxweb => import::pxweb::read(file, &text()),
        Source::Tidy(options) => import::tidy::read(file, &bytes, options),
    };
    let table = match table {
        Ok(t) => t,
        Err(problems) => {
            ui.printer(Path::new(".")).print(&problems, false);
            eprintln!(
                "{} error(s) found; nothing was written",
                problems
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| d.count)
                    .sum::<usize>()
            );
            return ExitCode::from(1);
        }
    };
    let name = target.name.clone().unwrap_or_else(|| match &input {
        Input::File(p) => p
            .file_stem()
            .map(|s| import::id_from_code(&s.to_string_lossy()))
            .unwrap_or_else(|| source.default_name().to_string()),
        Input::Url(_) => source.default_name().to_string(),
    });
    match import::write(&target.root, &name, &table) {
        Ok(w) => {
            if !ui.quiet {
                let at = |p: &Path| target.root.join(p).display().to_string();
                eprintln!("wrote {} observations to {}", w.rows, at(&w.csv));
                for p in [&w.units, &w.measures] {
                    if p.to_string_lossy().ends_with(".proposed.toml") {
                        eprintln!(
                            "proposed new entries in {}: check them and copy what you keep into {}",
                            at(p),
                            at(&PathBuf::from(p.to_string_lossy().replace(".proposed", "")))
                        );
                    } else {
                        eprintln!("wrote {}: check the labels and units it proposes", at(p));
                    }
                }
                for note in &w.notes {
                    eprintln!("note: {note}");
                }
                eprintln!("next: `insyn check --root {}`", target.root.display());
            }
            ExitCode::SUCCESS
        }
        Err(ImportError::Exists(p)) => {
            eprintln!(
                "error: {} exists; insyn never overwrites it: choose another name with `--name`, or remove the file first",
                target.root.join(p).display()
            );
            ExitCode::from(2)
        }
        Err(ImportError::BadName(name)) => {
            eprintln!(
                "error: `--name {name:?}` is not a file name: it becomes data/<name>.csv, so it may not be empty, start with `.` or hold `/` or `\\`"
            );
            ExitCode::from(2)
        }
        Err(ImportError::Io(p, e)) => {
            eprintln!("error: cannot write {}: {e}", target.root.join(p).display());
            ExitCode::from(1)
        }
        Err(ImportError::Invalid(problems)) => {
            ui.printer(&target.root).print(&problems, false);
            ExitCode::from(1)
        }
    }
}

/// The document's bytes and the name used in messages.
fn read_input(source: &Source, input: &Input) -> Result<(String, Vec<u8>), String> {
    match input {
        Input::File(p) => std::fs::read(p)
            .map(|b| (p.display().to_string(), b))
            .map_err(|e| format!("cannot read {}: {e}", p.display())),
        Input::Url(url) => {
            let bytes = match source {
                Source::Kolada { .. } => fetch_kolada_pages(url)?,
                _ => fetch(url)?,
            };
            Ok((url.clone(), bytes))
        }
    }
}

fn fetch(url: &str) -> Result<Vec<u8>, String> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!("`{url}` is not an http(s) address"));
    }
    let mut response = ureq::get(url)
        .header("Accept", "application/json")
        .call()
        .map_err(|e| format!("cannot fetch {url}: {e}"))?;
    response
        .body_mut()
        .with_config()
        .limit(512 * 1024 * 1024)
        .read_to_vec()
        .map_err(|e| format!("cannot read the answer from {url}: {e}"))
}

/// Fetches every page of a Kolada answer and joins their `values`.
fn fetch_kolada_pages(url: &str) -> Result<Vec<u8>, String> {
    let mut values = Vec::new();
    let mut next = Some(url.to_string());
    let mut pages = 0;
    while let Some(url) = next.take() {
        pages += 1;
        if pages > MAX_PAGES {
            return Err(format!(
                "the answer has more than {MAX_PAGES} pages: ask for less at a time"
            ));
        }
        let bytes = fetch(&url)?;
        let mut doc: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| format!("the answer from {url} is not JSON: {e}"))?;
        if let Some(serde_json::Value::Array(v)) = doc.get_mut("values").map(std::mem::take) {
            values.extend(v);
        }
        next = ["next_url", "next_page"]
            .iter()
            .find_map(|k| doc.get(*k).and_then(|v| v.as_str()).map(str::to_string));
    }
    serde_json::to_vec(&serde_json::json!({ "values": values })).map_err(|e| e.to_string())
}
