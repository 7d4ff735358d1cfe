//! Listing the files of a site folder (`data/`, `content/`).
//!
//! Symbolic links are followed while they stay inside the site: a CSV file
//! linked from another folder of the site is read like any other. A link
//! that leads outside the site folder, or to nothing, is an error naming the
//! link: skipping it would make its data look missing, and following it
//! would let a site read (and quote in messages) files that are not its own.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, relative};

/// Every file under `root/folder` for which `wanted` is true, sorted, with
/// the problems of the links met on the way. With `skip_hidden`, names
/// starting with `.` are left out, with everything under them.
pub fn site_files(
    root: &Path,
    folder: &str,
    skip_hidden: bool,
    wanted: impl Fn(&Path) -> bool,
) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let dir = root.join(folder);
    // Inside the site, or inside the folder itself when it is a link of
    // its own to elsewhere (a `data` folder on a shared drive).
    let homes: Vec<PathBuf> = [root, dir.as_path()]
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let at_home = |target: &Path| homes.iter().any(|h| target.starts_with(h));
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut walk = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(&dir).to_path_buf();
                let hidden = is_hidden(&path) && skip_hidden;
                if e.loop_ancestor().is_some() {
                    problems.push(
                        Diagnostic::error(
                            relative(root, &path),
                            "the link leads back into a folder that holds it",
                        )
                        .help("remove the link, or link the files rather than a folder above them"),
                    );
                } else if !hidden && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                    // A folder that cannot be listed (no permission): its
                    // pages or data would be missing from a site that
                    // builds without a word.
                    problems.push(
                        Diagnostic::error(
                            relative(root, &path),
                            format!("cannot read this folder: {}", reason(&e)),
                        )
                        .help(format!(
                            "make it readable (`chmod -R u+rX {}`), or move it out of `{folder}/`: every file in it would be missing from the site",
                            relative(root, &path).display()
                        )),
                    );
                } else if !hidden && (wanted(&path) || path == dir) {
                    let broken = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink());
                    problems.push(if broken && leads_round(&path) {
                        Diagnostic::error(
                            relative(root, &path),
                            "the link leads round in a circle (to itself, or through other links back to it)",
                        )
                        .help("remove the link, or make it point to the file")
                    } else if broken {
                        Diagnostic::error(
                            relative(root, &path),
                            "the link leads to a file that does not exist",
                        )
                        .help("remove the link, or make it point to the file")
                    } else {
                        Diagnostic::error(relative(root, &path), format!("cannot read: {e}"))
                    });
                }
                continue;
            }
        };
        if entry.depth() > 0 && skip_hidden && is_hidden(entry.path()) {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        let is_dir = entry.file_type().is_dir();
        if entry.depth() > 0 && entry.path_is_symlink() {
            let target = std::fs::canonicalize(entry.path());
            if !target.as_deref().is_ok_and(at_home) {
                if is_dir || wanted(entry.path()) {
                    let to = target
                        .map(|t| format!(" ({})", t.display()))
                        .unwrap_or_default();
                    problems.push(
                        Diagnostic::error(
                            relative(root, entry.path()),
                            format!("the link leads outside the site folder{to}"),
                        )
                        .help("copy the file into the site; insyn reads only files inside the site folder"),
                    );
                }
                if is_dir {
                    walk.skip_current_dir();
                }
                continue;
            }
        }
        if !is_dir && wanted(entry.path()) {
            files.push(entry.into_path());
        }
    }
    files.sort();
    (files, problems)
}

/// What went wrong, without walkdir's path (the location names it).
fn reason(e: &walkdir::Error) -> String {
    e.io_error()
        .map(|io| io.to_string())
        .unwrap_or_else(|| e.to_string())
}

/// Whether following the link at `path` comes back round (ELOOP).
fn leads_round(path: &Path) -> bool {
    #[cfg(unix)]
    {
        std::fs::metadata(path)
            .is_err_and(|e| e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn is_csv(p: &Path) -> bool {
        p.extension().is_some_and(|x| x == "csv")
    }

    #[test]
    fn links_inside_the_site_are_followed_and_others_named() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let data = root.join("data");
        std::fs::create_dir_all(data.join("2024")).unwrap();
        std::fs::create_dir_all(root.join("exports/old")).unwrap();
        std::fs::write(data.join("2024/a.csv"), "x").unwrap();
        std::fs::write(root.join("exports/b.csv"), "x").unwrap();
        std::fs::write(root.join("exports/old/c.csv"), "x").unwrap();
        std::fs::write(dir.path().join("secret.csv"), "x").unwrap();
        symlink(root.join("exports/b.csv"), data.join("b.csv")).unwrap();
        symlink(root.join("exports/old"), data.join("old")).unwrap();
        symlink(dir.path().join("secret.csv"), data.join("secret.csv")).unwrap();
        symlink(dir.path().join("gone.csv"), data.join("gone.csv")).unwrap();
        symlink(dir.path().join("gone.txt"), data.join("gone.txt")).unwrap();
        symlink(&data, data.join("2024/loop")).unwrap();
        let (files, problems) = site_files(&root, "data", true, is_csv);
        let rel: Vec<String> = files
            .iter()
            .map(|f| relative(&root, f).to_string_lossy().into_owned())
            .collect();
        assert_eq!(rel, ["data/2024/a.csv", "data/b.csv", "data/old/c.csv"]);
        let mut named: Vec<(String, String)> = problems
            .iter()
            .map(|d| (d.location(), d.message.clone()))
            .collect();
        named.sort();
        assert_eq!(named.len(), 3, "{named:?}");
        assert_eq!(named[0].0, "data/2024/loop");
        assert_eq!(named[1].0, "data/gone.csv");
        assert!(named[1].1.contains("does not exist"), "{named:?}");
        assert_eq!(named[2].0, "data/secret.csv");
        assert!(named[2].1.contains("outside the site"), "{named:?}");
    }

    #[test]
    fn a_link_to_itself_is_called_a_circle() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        symlink(data.join("loop.csv"), data.join("loop.csv")).unwrap();
        let (files, problems) = site_files(dir.path(), "data", true, is_csv);
        assert!(files.is_empty());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("circle"), "{problems:?}");
    }

    /// A folder that cannot be listed is an error, not a site without
    /// its pages (root ignores permissions: the test then has nothing to
    /// show).
    #[test]
    fn a_folder_that_cannot_be_read_is_an_error() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let locked = dir.path().join("content/rapporter");
        std::fs::create_dir_all(&locked).unwrap();
        std::fs::write(locked.join("a.md"), "x").unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read_dir(&locked).is_ok() {
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
            return;
        }
        let md = |p: &Path| p.extension().is_some_and(|x| x == "md");
        let (files, problems) = site_files(dir.path(), "content", true, md);
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(files.is_empty());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].location(), "content/rapporter");
        assert!(
            problems[0].message.contains("cannot read this folder"),
            "{problems:?}"
        );
    }
}
