//! Watching the site's inputs: `site.toml`, `content/`, `data/`, `themes/`,
//! `static/` and `editions/`, debounced, so that one save (or an editor's
//! write-rename dance) is one rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use super::{STOP, WATCHED, is_site_input, relative_to};

/// How long the files must be quiet before a rebuild starts. An editor's
/// save (write a temporary file, rename it over the old one) takes well
/// under a millisecond; a tool writing many files (an extract dropped into
/// `data/`) may take longer, and then costs one extra rebuild at worst.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// Starts watching `root`; calls `on_change` with the inputs that changed
/// (relative to `root`), on a thread of its own, until Ctrl-C.
pub fn start(
    root: &Path,
    on_change: impl Fn(&BTreeSet<PathBuf>) + Send + 'static,
) -> notify::Result<std::thread::JoinHandle<()>> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx)?;
    // The root itself, not recursively: site.toml, and folders that appear later.
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    let mut watched = BTreeSet::new();
    add_watches(root, &mut watched, &mut |p| {
        debouncer.watch(p, RecursiveMode::Recursive)
    });
    let root = root.to_path_buf();
    Ok(std::thread::spawn(move || {
        while !STOP.load(Ordering::SeqCst) {
            let first = match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(batch) => batch,
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            // Coalesce whatever else is already waiting into one rebuild.
            let mut changed = BTreeSet::new();
            for batch in std::iter::once(first).chain(rx.try_iter()) {
                match batch {
                    Ok(events) => {
                        for event in events {
                            if !is_change(&event.kind) {
                                continue;
                            }
                            for path in &event.paths {
                                if let Some(rel) = relative_to(&root, path)
                                    && is_site_input(&rel)
                                {
                                    changed.insert(rel);
                                }
                            }
                        }
                    }
                    Err(errors) => {
                        for e in errors {
                            eprintln!("warning: watching files: {e}");
                        }
                    }
                }
            }
            // Folders created (or re-created) since the last time.
            watched.retain(|p: &PathBuf| p.is_dir());
            add_watches(&root, &mut watched, &mut |p| {
                debouncer.watch(p, RecursiveMode::Recursive)
            });
            if !changed.is_empty() {
                // A panic in a build must not end the watcher: the server
                // would go on serving a stale site and ignore every edit.
                // The builder reports its own panics as an error page; this
                // only keeps the thread alive should one escape it.
                let run = std::panic::AssertUnwindSafe(|| on_change(&changed));
                if std::panic::catch_unwind(run).is_err() {
                    eprintln!(
                        "error: insyn failed while rebuilding (a bug); it goes on watching for changes"
                    );
                }
            }
        }
        drop(debouncer);
    }))
}

fn add_watches(
    root: &Path,
    watched: &mut BTreeSet<PathBuf>,
    watch: &mut dyn FnMut(&Path) -> notify::Result<()>,
) {
    for name in WATCHED {
        let dir = root.join(name);
        if dir.is_dir() && !watched.contains(&dir) {
            match watch(&dir) {
                Ok(()) => {
                    watched.insert(dir);
                }
                Err(e) => eprintln!("warning: cannot watch {}: {e}", dir.display()),
            }
        }
    }
}

/// Changes to content, not reads: the build itself opens and reads every
/// input, and those events must not trigger another build.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(notify::event::ModifyKind::Metadata(
            notify::event::MetadataKind::AccessTime,
        )) => false,
        _ => true,
    }
}
