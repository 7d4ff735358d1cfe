//! Whose folder is it? insyn replaces its output folder as a whole, so it
//! writes only where that cannot destroy anyone's files: a folder it made
//! (it carries the mark [`MARKER`]), an empty folder, or a folder that is
//! not there yet. Everything else is refused before anything is written.
//!
//! Outputs of insyn versions from before the mark existed are recognised by
//! the files every build writes (see [`looks_like_an_earlier_build`]) and
//! take the mark on their next build.

use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file in a folder of insyn's own: the built site, its spare copy and
/// the folders of a build in progress. A regular file at the top of the
/// folder; its presence is what counts.
pub const MARKER: &str = ".insyn-output";

const MARKER_TEXT: &str = "This folder is written by insyn (`insyn build`).\n\
Every build replaces all of it: keep no files of your own here.\n";

/// The folders of a site that insyn reads (and `.insyn-cache`, which it
/// prunes): the output may be none of them, inside none of them and contain
/// none of them.
pub const SITE_FOLDERS: [&str; 6] = [
    "content",
    "data",
    "static",
    "themes",
    "editions",
    ".insyn-cache",
];

/// Why insyn will not write to a folder. Shown to the user as is, with what
/// to do; the command line exits with status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub path: PathBuf,
    pub reason: String,
    pub help: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "refusing to write the site to {}: {}\n  help: {}",
            self.path.display(),
            self.reason,
            self.help
        )
    }
}

impl std::error::Error for Refusal {}

impl Refusal {
    fn new(path: &Path, reason: impl Into<String>, help: impl Into<String>) -> Refusal {
        Refusal {
            path: path.to_path_buf(),
            reason: reason.into(),
            help: help.into(),
        }
    }
}

/// What is at a path insyn wants to use as a whole folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Nothing,
    /// A folder with the mark.
    Ours,
    /// An empty folder.
    Empty,
    /// A folder without the mark that holds what an earlier insyn wrote.
    EarlierBuild,
}

impl Found {
    /// Whether the folder holds a site insyn wrote (and may be read from).
    pub fn is_a_site(self) -> bool {
        matches!(self, Found::Ours | Found::EarlierBuild)
    }
}

/// Looks at `dir` without changing it. Refuses a link, a file and a folder
/// holding files insyn did not write.
pub fn inspect(dir: &Path) -> Result<Found, Refusal> {
    let meta = match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Found::Nothing),
        Err(e) => {
            return Err(Refusal::new(
                dir,
                format!("it cannot be read ({e})"),
                "choose another folder with --out",
            ));
        }
        Ok(m) => m,
    };
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(dir)
            .map(|t| format!(" (to {})", t.display()))
            .unwrap_or_default();
        return Err(Refusal::new(
            dir,
            format!("it is a symbolic link{target}, and the build replaces the folder as a whole"),
            "give the folder itself with --out, or remove the link",
        ));
    }
    if !meta.is_dir() {
        return Err(Refusal::new(
            dir,
            "it is a file, not a folder",
            "choose another folder with --out",
        ));
    }
    if is_marked(dir) {
        return match strangers(dir) {
            None => Ok(Found::Ours),
            Some(name) => Err(stranger_refused(
                dir,
                &name,
                &format!(
                    "the last insyn build here did not write (its `{MARKER}` lists what it wrote)"
                ),
            )),
        };
    }
    let mut entries = std::fs::read_dir(dir).map_err(|e| {
        Refusal::new(
            dir,
            format!("it cannot be read ({e})"),
            "choose another folder with --out",
        )
    })?;
    if entries.next().is_none() {
        return Ok(Found::Empty);
    }
    if looks_like_an_earlier_build(dir) {
        return Ok(Found::EarlierBuild);
    }
    Err(Refusal::new(
        dir,
        "it holds files that insyn did not write, and every build replaces the whole folder",
        "choose a new or empty folder with --out; insyn writes only into folders it created \
         (they carry a `.insyn-output` file) or empty ones",
    ))
}

fn is_marked(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Puts the mark into `dir`.
pub fn mark(dir: &Path) -> io::Result<()> {
    if is_marked(dir) {
        return Ok(());
    }
    std::fs::write(dir.join(MARKER), MARKER_TEXT)
}

/// What the mark lists after its text: the names at the top of the site
/// the build wrote, one per line.
const LISTED: &str = "It holds, at the top:\n";

/// Puts the mark into `dir` (a site about to be swapped in), listing the
/// names at its top, so that a copy of the site among other files is not
/// taken for insyn's own folder (see [`strangers`]).
pub fn mark_listing<'a>(dir: &Path, top: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
    let mut text = format!("{MARKER_TEXT}{LISTED}");
    for name in top {
        text.push_str(name);
        text.push('\n');
    }
    super::write_file_atomically(&dir.join(MARKER), text.as_bytes())
}

/// Adds to the list of a marked `dir` the names of `top` it lacks (a
/// mark without a list stays as it is).
pub fn list_also<'a>(dir: &Path, top: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
    let Some(mut names) = listed(dir) else {
        return Ok(());
    };
    let before = names.len();
    names.extend(top.into_iter().map(String::from));
    if names.len() == before {
        return Ok(());
    }
    mark_listing(dir, names.iter().map(String::as_str))
}

/// The names the mark of `dir` lists; `None` without a mark or a list.
fn listed(dir: &Path) -> Option<std::collections::BTreeSet<String>> {
    let text = std::fs::read_to_string(dir.join(MARKER)).ok()?;
    let (_, list) = text.split_once(LISTED)?;
    Some(list.lines().map(String::from).collect())
}

/// The first name at the top of a marked `dir` that its mark does not
/// list; `None` when there is none, or the mark lists nothing (a mark
/// from before the list). A web server's folder into which a built site
/// was copied, mark and all, holds names of its owner's.
fn strangers(dir: &Path) -> Option<String> {
    let listed = listed(dir)?;
    first_stranger(dir, |name| listed.contains(name))
}

/// The first name (in sorted order) at the top of `dir`, other than the
/// mark, that `is_ours` does not accept. The temporary of an accepted name
/// or of the mark, which a build or `serve` killed before its rename left
/// there, is insyn's too: the next build removes it.
fn first_stranger(dir: &Path, is_ours: impl Fn(&str) -> bool) -> Option<String> {
    let accepted = |n: &str| n == MARKER || is_ours(n);
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !accepted(n) && !super::temporary_of(n).is_some_and(accepted))
        .collect();
    names.sort();
    names.into_iter().next()
}

/// Refuses `dir` for `name` at its top, which insyn did not write (`why`).
fn stranger_refused(dir: &Path, name: &str, why: &str) -> Refusal {
    Refusal::new(
        dir,
        format!("it holds `{name}`, which {why}, and every build replaces the whole folder"),
        format!(
            "this looks like a copy of a built site among files of your own (a web \
             server's folder): build into a folder of its own with --out and copy from \
             there; or, if the folder is insyn's, move `{name}` out of it"
        ),
    )
}

/// For a folder an earlier insyn wrote without the mark (see
/// [`looks_like_an_earlier_build`]): refuses it when it holds a name at its
/// top that this build does not write (`top`). Such a folder was copied,
/// with its standard files, into a folder of someone else's, or had files
/// added by hand: taking it would remove them. A page of the site since
/// deleted is refused too; the message names it.
pub fn check_earlier_build<'a>(
    dir: &Path,
    top: impl IntoIterator<Item = &'a str>,
) -> Result<(), Refusal> {
    let top: std::collections::BTreeSet<&str> = top.into_iter().collect();
    match first_stranger(dir, |name| top.contains(name)) {
        None => Ok(()),
        Some(name) => Err(stranger_refused(
            dir,
            &name,
            "this build does not write (the folder has no `.insyn-output` mark, and is taken for an earlier insyn's output only when it holds nothing else)",
        )),
    }
}

/// Files and folders every build of an insyn version from before the mark
/// wrote, whatever the site and the theme. A folder holding all of them,
/// with insyn's `robots.txt`, is such a build: taking it over destroys
/// nothing that version would not have replaced itself.
const EARLIER_BUILD_FILES: [&str; 9] = [
    "index.html",
    "404.html",
    "feed.xml",
    "sitemap.xml",
    "static/style.css",
    "units/index.html",
    "measures/index.html",
    "data/index.html",
    "accessibility/index.html",
];

/// See [`EARLIER_BUILD_FILES`].
pub fn looks_like_an_earlier_build(dir: &Path) -> bool {
    let is_file = |rel: &str| std::fs::symlink_metadata(dir.join(rel)).is_ok_and(|m| m.is_file());
    EARLIER_BUILD_FILES.iter().all(|rel| is_file(rel))
        && is_file("robots.txt")
        && std::fs::read_to_string(dir.join("robots.txt"))
            .is_ok_and(|t| t.starts_with("User-agent: *\nAllow: /\n\nSitemap: "))
}

/// Refuses an output folder that is, holds or lies inside the site itself or
/// one of the folders insyn reads ([`SITE_FOLDERS`]), links resolved: a
/// build replaces the output folder, so the site's own files would go.
pub fn check_location(root: &Path, out: &Path) -> Result<(), Refusal> {
    let Ok(root) = std::fs::canonicalize(root) else {
        // A site that cannot be found fails to load, with its own message.
        return Ok(());
    };
    let out_resolved = resolve(out).map_err(|e| {
        Refusal::new(
            out,
            format!("its location cannot be resolved ({e})"),
            "choose another folder with --out",
        )
    })?;
    if out_resolved.parent().is_none() {
        return Err(Refusal::new(
            out,
            "it is the top of the file system",
            "choose a folder of its own with --out, such as `public`",
        ));
    }
    let help = "choose a folder of its own, such as `public` inside the site (the default)";
    if out_resolved == root {
        return Err(Refusal::new(out, "it is the site's own folder", help));
    }
    if root.starts_with(&out_resolved) {
        return Err(Refusal::new(out, "it contains the site's folder", help));
    }
    for name in SITE_FOLDERS {
        let folder = std::fs::canonicalize(root.join(name)).unwrap_or_else(|_| root.join(name));
        let what = if out_resolved == folder {
            "it is"
        } else if out_resolved.starts_with(&folder) {
            "it lies inside"
        } else if folder.starts_with(&out_resolved) {
            "it contains"
        } else {
            continue;
        };
        return Err(Refusal::new(
            out,
            format!("{what} the site's `{name}` folder, which the build reads"),
            help,
        ));
    }
    Ok(())
}

/// `path` made absolute with every link resolved, as far as it exists; the
/// rest (not there yet) appended with `.` and `..` applied.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut rest: Vec<Component> = Vec::new();
    let mut resolved = loop {
        match std::fs::canonicalize(existing) {
            Ok(p) => break p,
            Err(_) => {
                let Some(parent) = existing.parent() else {
                    break PathBuf::from("/");
                };
                if let Some(last) = existing.components().next_back() {
                    rest.push(last);
                }
                existing = parent;
            }
        }
    };
    for part in rest.into_iter().rev() {
        match part {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => resolved.push(name),
            _ => {}
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_missing_empty_marked_and_earlier_insyn_folders_are_taken() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        assert_eq!(inspect(&p.join("none")), Ok(Found::Nothing));
        std::fs::create_dir(p.join("empty")).unwrap();
        assert_eq!(inspect(&p.join("empty")), Ok(Found::Empty));
        std::fs::create_dir(p.join("theirs")).unwrap();
        std::fs::write(p.join("theirs/notes.txt"), "mine").unwrap();
        assert!(inspect(&p.join("theirs")).is_err());
        mark(&p.join("theirs")).unwrap();
        assert_eq!(inspect(&p.join("theirs")), Ok(Found::Ours));
        std::fs::write(p.join("file"), "x").unwrap();
        assert!(inspect(&p.join("file")).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(p.join("empty"), p.join("link")).unwrap();
            let refusal = inspect(&p.join("link")).unwrap_err();
            assert!(refusal.reason.contains("symbolic link"), "{refusal}");
        }
        // A mark that is a folder does not count.
        std::fs::create_dir_all(p.join("fake/.insyn-output")).unwrap();
        assert!(inspect(&p.join("fake")).is_err());
    }

    /// A mark with a list holds the folder to it; one without (from
    /// before the list) takes the folder as a whole, as it always did.
    #[test]
    fn a_marked_folder_is_insyns_only_for_the_names_its_mark_lists() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("charts")).unwrap();
        std::fs::write(site.join("index.html"), "x").unwrap();
        mark_listing(&site, ["charts", "index.html"]).unwrap();
        assert_eq!(inspect(&site), Ok(Found::Ours));
        std::fs::write(site.join("contact.html"), "theirs").unwrap();
        let refusal = inspect(&site).unwrap_err();
        assert!(refusal.reason.contains("`contact.html`"), "{refusal}");
        list_also(&site, ["contact.html"]).unwrap();
        assert_eq!(inspect(&site), Ok(Found::Ours), "a name added by serve");
        // The temporaries insyn writes beside a listed name or the mark, left
        // by a kill before their rename, are insyn's; others are not.
        std::fs::write(site.join(".index.html.insyn-tmp-99"), "half").unwrap();
        std::fs::write(site.join("..insyn-output.tmp-99"), "half").unwrap();
        assert_eq!(inspect(&site), Ok(Found::Ours), "temporaries of a kill");
        std::fs::write(site.join(".notes.txt.insyn-tmp-99"), "x").unwrap();
        assert!(inspect(&site).is_err(), "a temporary of an unlisted name");
        std::fs::remove_file(site.join(".notes.txt.insyn-tmp-99")).unwrap();
        std::fs::write(site.join(".index.html.insyn-tmp-x"), "x").unwrap();
        assert!(inspect(&site).is_err(), "not a process number");
        std::fs::remove_file(site.join(".index.html.insyn-tmp-x")).unwrap();
        std::fs::write(site.join(MARKER), MARKER_TEXT).unwrap();
        std::fs::write(site.join("more.html"), "x").unwrap();
        assert_eq!(inspect(&site), Ok(Found::Ours), "an old mark");
    }

    #[test]
    fn an_earlier_build_is_recognised_by_all_of_its_files() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("public");
        for rel in EARLIER_BUILD_FILES {
            let path = old.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        assert!(inspect(&old).is_err(), "robots.txt is missing");
        std::fs::write(
            old.join("robots.txt"),
            "User-agent: *\nAllow: /\n\nSitemap: https://x.example/sitemap.xml\n",
        )
        .unwrap();
        assert_eq!(inspect(&old), Ok(Found::EarlierBuild));
        std::fs::remove_file(old.join("feed.xml")).unwrap();
        assert!(inspect(&old).is_err());
    }

    #[test]
    fn resolve_applies_dot_dot_to_the_part_that_does_not_exist() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        assert_eq!(
            resolve(&dir.path().join("a/b/../c")).unwrap(),
            base.join("a/c")
        );
        assert_eq!(resolve(&dir.path().join("a/..")).unwrap(), base);
    }
}
