//! `insyn serve`: build, serve on 127.0.0.1, rebuild on change, reload the
//! browser, and show a broken edit as an error page instead of a dead server.
//!
//! Each build is a *generation*, written into its own folder in a temporary
//! directory, so a request never sees a half-swapped site. Pages carry a
//! script tag (added with [`BuildOptions::inject_before_body_end`], only
//! here) that long-polls `/__insyn/events?since=N` and reloads the page when
//! the generation changes. The built pages' strict Content-Security-Policy
//! blocks every script, so HTML responses get `script-src 'self';
//! connect-src 'self'` added on the fly; the files on disk keep the strict
//! policy, and a published build never contains the script.

mod http;
mod server;
mod watch;
mod workdir;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use insyn::diagnostics::{Diagnostic, for_display};
use insyn::output::DeferredPng;
use insyn::{BuildError, BuildMode, BuildOptions, LiveSite, Update};

use crate::cli::Ui;

/// The port `insyn serve` tries first.
pub const DEFAULT_PORT: u16 = 1111;
/// Without `--port`, this many ports after the default are tried when it is taken.
const PORT_TRIES: u16 = 10;

/// What `insyn serve` was asked to do.
pub struct ServeOptions {
    pub root: PathBuf,
    /// `None`: the default port, or the next free one.
    pub port: Option<u16>,
    pub ui: Ui,
}

/// Why the server did not start.
#[derive(Debug)]
pub enum ServeError {
    /// The port is taken or not allowed (exit 2).
    Port(String),
    /// Anything else (exit 1).
    Other(String),
}

/// What the server currently serves.
#[derive(Debug, Default)]
pub struct State {
    /// Increases with every build, good or bad.
    pub generation: u64,
    /// The folder of the last good build.
    pub current: Option<PathBuf>,
    /// The problems of the last build, when it failed.
    pub broken: Option<Vec<Diagnostic>>,
    /// The PNGs of the last good build, by path in the site: a preview
    /// draws none, so each is drawn when asked for.
    pub deferred: Arc<BTreeMap<String, DeferredPng>>,
}

/// State shared between the builder, the watcher and request threads.
pub struct Shared {
    pub state: Mutex<State>,
    pub changed: Condvar,
    pub root: PathBuf,
}

impl Shared {
    fn publish(&self, f: impl FnOnce(&mut State)) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut state);
        state.generation += 1;
        drop(state);
        self.changed.notify_all();
    }

    pub fn snapshot(&self) -> (u64, Option<PathBuf>, Option<Vec<Diagnostic>>) {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        (s.generation, s.current.clone(), s.broken.clone())
    }

    /// What the PNG at `path` (in the site being served) is drawn from,
    /// with the folder that site is in; `None` when the site has no such
    /// PNG.
    pub fn deferred_png(&self, path: &str) -> Option<(PathBuf, DeferredPng)> {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let png = s.deferred.get(path)?.clone();
        Some((s.current.clone()?, png))
    }

    /// Blocks until the generation differs from `since`, or `timeout` passes.
    pub fn wait_for_change(&self, since: u64, timeout: Duration) -> u64 {
        let guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.generation == since)
            .unwrap_or_else(|e| e.into_inner());
        guard.generation
    }
}

static STOP: AtomicBool = AtomicBool::new(false);

/// Runs until Ctrl-C.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let ServeOptions { root, port, ui } = options;
    if !root.join("site.toml").is_file() {
        return Err(ServeError::Other(format!(
            "{} has no site.toml; give the site's folder with --root, or create a site with `insyn init DIR`",
            root.display()
        )));
    }
    let listener = bind(port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError::Other(e.to_string()))?;
    let url = format!("http://127.0.0.1:{}/", addr.port());

    let temp = std::env::temp_dir();
    let workdir = workdir::WorkDir::create(&temp).map_err(|e| {
        ServeError::Other(format!("cannot create a folder in {}: {e}", temp.display()))
    })?;
    let work = workdir.path().to_path_buf();

    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        changed: Condvar::new(),
        root: root.clone(),
    });
    let builder = Builder {
        shared: shared.clone(),
        root: root.clone(),
        work: work.clone(),
        base_url: url.clone(),
        ui,
        live: Mutex::new(None),
    };
    builder.rebuild("first build");

    let _ = ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst));
    let watcher = watch::start(&root, move |changed| builder.changed(changed))
        .map_err(|e| ServeError::Other(format!("cannot watch {}: {e}", root.display())))?;

    let requests = shared.clone();
    let accepting = server::start(listener, move |request| http::handle(&requests, request))
        .map_err(|e| ServeError::Other(format!("cannot start the server: {e}")))?;
    println!("Serving {} at {url} (Ctrl-C stops)", root.display());
    use std::io::Write as _;
    let _ = std::io::stdout().flush();

    while !STOP.load(Ordering::SeqCst) {
        if accepting.is_finished() {
            eprintln!("error: the server stopped accepting connections");
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(watcher);
    drop(workdir);
    if !ui.quiet {
        eprintln!("stopped");
    }
    Ok(())
}

/// Binds 127.0.0.1 on the given port, or on the default port or one of the
/// next few when none was given.
fn bind(port: Option<u16>) -> Result<std::net::TcpListener, ServeError> {
    let (ports, explicit) = match port {
        Some(p) => (p..=p, true),
        None => (DEFAULT_PORT..=DEFAULT_PORT + PORT_TRIES - 1, false),
    };
    let mut last_error = None;
    for p in ports.clone() {
        match std::net::TcpListener::bind(("127.0.0.1", p)) {
            Ok(l) => {
                if !explicit && p != DEFAULT_PORT {
                    eprintln!("port {DEFAULT_PORT} is in use; using port {p} instead");
                }
                return Ok(l);
            }
            Err(e) => last_error = Some(e),
        }
    }
    let e = last_error.map(|e| e.to_string()).unwrap_or_default();
    Err(ServeError::Port(if explicit {
        format!(
            "cannot listen on 127.0.0.1:{}: {e}. Is another `insyn serve` running? Choose another port with --port N",
            ports.start()
        )
    } else {
        format!(
            "cannot listen on 127.0.0.1, ports {}–{} are all in use ({e}). Choose a port with --port N",
            ports.start(),
            ports.end()
        )
    }))
}

/// Builds generations.
struct Builder {
    shared: Arc<Shared>,
    root: PathBuf,
    work: PathBuf,
    base_url: String,
    ui: Ui,
    /// The site of the last good build, for edits that touch one page only.
    live: Mutex<Option<LiveSite>>,
}

impl Builder {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            base_url: Some(self.base_url.clone()),
            cache_dir: Some(self.root.join(".insyn-cache")),
            // A concurrent `insyn build` may be using entries this one does not.
            prune_cache: false,
            // PNGs are drawn when asked for (see `http::deferred_png`).
            mode: BuildMode::Preview,
            publish_date: None,
        }
    }

    /// After an edit: re-render the pages it touched when that is enough
    /// (see [`insyn::LiveSite`]), else build everything again.
    fn changed(&self, changed: &BTreeSet<PathBuf>) {
        let mut names: Vec<String> = changed
            .iter()
            .take(3)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        if changed.len() > 3 {
            names.push(format!("and {} more", changed.len() - 3));
        }
        let why = format!("{} changed", names.join(", "));
        let started = Instant::now();
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(site) = live.as_mut() {
            let changed: Vec<PathBuf> = changed.iter().cloned().collect();
            match survive(|| site.update(&changed)) {
                Ok(Update::Rendered { sources, files }) => {
                    if !self.ui.quiet {
                        eprintln!(
                            "{why}: rendered {} page(s) again ({files} files) in {:.0} ms",
                            sources.len(),
                            started.elapsed().as_secs_f64() * 1000.0
                        );
                    }
                    self.shared.publish(|s| s.broken = None);
                    return;
                }
                Ok(Update::NeedsFullBuild) => {}
                Err(e) => {
                    // What was written no longer matches the kept site.
                    *live = None;
                    self.failed(&why, e, self.shared.snapshot().1.unwrap_or_default());
                    return;
                }
            }
        }
        drop(live);
        self.rebuild(&why);
    }

    /// A full build into a new generation folder.
    fn rebuild(&self, why: &str) {
        let generation = self.shared.snapshot().0 + 1;
        let out = self.work.join(format!("gen-{generation}"));
        let started = Instant::now();
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        *live = None;
        let result = survive(|| LiveSite::build(&self.root, &out, &self.options(), &mut |_| {}));
        let secs = started.elapsed().as_secs_f64();
        let printer = self.ui.printer(&self.root);
        match result {
            Ok((site, report)) => {
                *live = Some(site);
                printer.print(&report.warnings, self.ui.quiet);
                if !self.ui.quiet {
                    eprintln!(
                        "{why}: built {} pages and {} charts in {secs:.2} s",
                        report.pages, report.charts
                    );
                }
                let previous = self.shared.snapshot().1;
                self.shared.publish(|s| {
                    s.current = Some(out.clone());
                    s.broken = None;
                    s.deferred = Arc::new(report.deferred);
                });
                self.prune(&[Some(out), previous]);
            }
            Err(e) => self.failed(why, e, out),
        }
    }

    /// Shows a failed build in the terminal and, until the next good one,
    /// in the browser.
    fn failed(&self, why: &str, error: BuildError, out: PathBuf) {
        match error {
            BuildError::Invalid(problems) => {
                // Masked, cut and counted as in the terminal: the error page
                // never shows more, or other, than the terminal does.
                let problems = for_display(problems);
                self.ui.printer(&self.root).print(&problems, false);
                let errors = problems.iter().filter(|d| d.is_error()).count();
                eprintln!(
                    "{why}: {errors} error(s); the browser shows them until the site builds again"
                );
                self.shared.publish(|s| s.broken = Some(problems));
            }
            e @ (BuildError::Write { .. } | BuildError::Refused(_)) => {
                eprintln!("error: {e}");
                let problem = Diagnostic::error(out, e.to_string());
                self.shared.publish(|s| s.broken = Some(vec![problem]));
            }
        }
    }

    /// Removes generation folders other than `keep`.
    fn prune(&self, keep: &[Option<PathBuf>]) {
        let Ok(entries) = std::fs::read_dir(&self.work) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !keep.iter().flatten().any(|k| *k == path) {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }
}

/// Runs a build step; a panic in it (a bug) becomes a build error, so that
/// serve shows it as an error page and goes on watching instead of dying.
fn survive<T>(step: impl FnOnce() -> Result<T, BuildError>) -> Result<T, BuildError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(BuildError::Invalid(vec![
            Diagnostic::error("", "insyn failed unexpectedly while building (a bug)")
                .found(what)
                .help("the previous site is still served; save again to retry, and please report this"),
        ]))
    })
}

/// The markup added before `</body>` of every page in serve mode.
pub fn reload_tag(generation: u64) -> String {
    format!("<script src=\"/__insyn/reload.js\" data-generation=\"{generation}\"></script>\n")
}

/// Whether a path (relative to the site root, `/`-separated) is something a
/// build reads, so that changing it calls for a rebuild.
pub fn is_site_input(rel: &Path) -> bool {
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let editor_noise = name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913";
    if editor_noise {
        return false;
    }
    match first.as_ref() {
        "site.toml" => rel.components().count() == 1,
        "content" | "data" | "themes" | "static" | "editions" => true,
        _ => false,
    }
}

/// Folders and files under the root that a build reads.
pub const WATCHED: &[&str] = &["content", "data", "themes", "static", "editions"];

fn relative_to(root: &Path, path: &Path) -> Option<PathBuf> {
    path.strip_prefix(root)
        .ok()
        .map(Path::to_path_buf)
        .or_else(|| {
            let root = root.canonicalize().ok()?;
            path.strip_prefix(&root).ok().map(Path::to_path_buf)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_a_build_becomes_an_error_to_show() {
        let result: Result<(), BuildError> = survive(|| panic!("index out of bounds"));
        let Err(BuildError::Invalid(problems)) = result else {
            panic!("expected an error")
        };
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("a bug"), "{:?}", problems[0]);
        assert_eq!(problems[0].found.as_deref(), Some("index out of bounds"));
        // A formatted panic message is kept too; a good build passes through.
        let result: Result<(), BuildError> = survive(|| panic!("at {}", 7));
        assert!(
            matches!(result, Err(BuildError::Invalid(p)) if p[0].found.as_deref() == Some("at 7"))
        );
        assert!(matches!(survive(|| Ok(3)), Ok(3)));
    }

    #[test]
    fn only_site_inputs_trigger_rebuilds() {
        for yes in [
            "site.toml",
            "content/a.md",
            "data/x/y.csv",
            "themes/default/templates/base.html",
            "static/a.css",
        ] {
            assert!(is_site_input(Path::new(yes)), "{yes}");
        }
        for no in [
            "public/index.html",
            ".insyn-cache/png/a.png",
            "content/.a.md.swp",
            "content/a.md~",
            "content/4913",
            "README.md",
            "target/x",
            "x/site.toml",
        ] {
            assert!(!is_site_input(Path::new(no)), "{no}");
        }
    }
}
