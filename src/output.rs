//! Writing the built site: atomic and deterministic (§6).
//!
//! Everything is written into a folder beside the output folder, then put
//! in its place in one step (see [`swap`]). A build that fails or is killed
//! before that step leaves the previous site byte for byte as it was.
//!
//! The output folder is insyn's alone (see [`claim`]): insyn writes only
//! into a folder it created or an empty one, never into the site itself.
//!
//! The folder written into is the site before last, kept beside the output
//! as `.<name>.insyn-spare` and brought up to date (see [`tree`]): files
//! that did not change are left alone, so a rebuild creates and removes
//! few files and folders. Creating every folder of a national site afresh
//! and removing the old ones had cost more than rendering it (ext4 searches
//! long for a free inode right after many were freed).

mod claim;
mod deferred;
mod swap;

pub use swap::Lock;

/// Held while `insyn publish` builds and records an edition of the site at
/// `root`: an exclusive lock on its `editions/` folder (made if missing), so
/// that a second publish waits for the first instead of recording an
/// edition whose date its own output does not cite.
pub fn lock_editions(root: &Path) -> io::Result<Lock> {
    let editions = root.join("editions");
    std::fs::create_dir_all(&editions)?;
    swap::lock(&editions)
}
mod tree;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use claim::{MARKER, Refusal, SITE_FOLDERS, check_location};
pub use deferred::{DeferredPng, PngScale, SvgSource, take_deferred};
use tree::{create, holds, remove_if_there, update_tree};

/// The files of a built site: relative path (with `/`) → content. A sorted
/// map, so iteration order never depends on thread scheduling.
pub type SiteFiles = BTreeMap<String, FileBody>;

/// What one file of the site holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileBody {
    /// Bytes made by this build (pages, SVGs, CSVs).
    Bytes(Vec<u8>),
    /// A finished file already on disk: an entry of the build cache (a PNG,
    /// a data bundle). It is linked or copied into the site when written,
    /// never read into memory: on a national site these are two thirds of
    /// the bytes, and holding them cost more memory than everything else.
    OnDisk {
        path: PathBuf,
        len: u64,
        /// The file's device and inode where the maker had them at hand
        /// (a cache entry it just looked at): the write then sees that a
        /// link to it is already in place without asking the file system
        /// again, once for each of tens of thousands of files.
        id: Option<FileId>,
    },
    /// A PNG a preview or a check does not draw (see [`DeferredPng`]). It is
    /// taken out with [`take_deferred`] before the site is written: a writer
    /// refuses it rather than leave an empty file where the image belongs.
    Deferred(DeferredPng),
}

/// Where a file is: its device and inode number (Unix), which two paths
/// share exactly when they are links to the same file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    /// The id of the file `meta` describes; `None` where the platform has
    /// no inode numbers.
    pub fn of(meta: &std::fs::Metadata) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileId {
                device: meta.dev(),
                inode: meta.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }
}

impl FileBody {
    /// A file on disk of `len` bytes.
    pub fn on_disk(path: PathBuf, len: u64) -> FileBody {
        FileBody::OnDisk {
            path,
            len,
            id: None,
        }
    }

    /// A file on disk as `meta` (just read) describes it.
    pub fn on_disk_as(path: PathBuf, meta: &std::fs::Metadata) -> FileBody {
        FileBody::OnDisk {
            path,
            len: meta.len(),
            id: FileId::of(meta),
        }
    }

    /// The size in bytes.
    pub fn len(&self) -> u64 {
        match self {
            FileBody::Bytes(b) => b.len() as u64,
            FileBody::OnDisk { len, .. } => *len,
            FileBody::Deferred(_) => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes, when this build made them.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            FileBody::Bytes(b) => Some(b),
            FileBody::OnDisk { .. } | FileBody::Deferred(_) => None,
        }
    }

    /// The bytes, read from disk for a cached file.
    pub fn read(&self) -> io::Result<Cow<'_, [u8]>> {
        match self {
            FileBody::Bytes(b) => Ok(Cow::Borrowed(b)),
            FileBody::OnDisk { path, .. } => std::fs::read(path).map(Cow::Owned),
            FileBody::Deferred(_) => Err(not_made()),
        }
    }
}

impl From<Vec<u8>> for FileBody {
    fn from(bytes: Vec<u8>) -> Self {
        FileBody::Bytes(bytes)
    }
}

impl From<String> for FileBody {
    fn from(text: String) -> Self {
        FileBody::Bytes(text.into_bytes())
    }
}

/// Why the site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output folder is not insyn's to replace; nothing was written.
    #[error("{0}")]
    Refused(Refusal),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Checks, writing nothing, that a build of the site at `root` may replace
/// `out`: where it is (see [`check_location`]), and that it and its spare
/// are insyn's (see [`claim::inspect`]). [`write_atomic`] checks the folders
/// again when it writes.
pub fn check_target(root: &Path, out: &Path) -> Result<(), Refusal> {
    check_location(root, out)?;
    let (parent, name) = parent_and_name(out)?;
    claim::inspect(&parent.join(&name))?;
    inspect_spare(&parent.join(swap::Names::new(&name).spare), None)?;
    Ok(())
}

/// Replaces `out` with exactly `files`. `out` must be missing, empty or a
/// site insyn wrote; see [`claim`].
pub fn write_atomic(out: &Path, files: &SiteFiles) -> Result<(), WriteError> {
    check_paths(files)?;
    let (parent, name) = parent_and_name(out).map_err(WriteError::Refused)?;
    let out = parent.join(&name);
    let out = out.as_path();
    std::fs::create_dir_all(&parent)?;
    let _lock = swap::lock(&parent)?;
    let names = swap::Names::new(&name);
    let spare = parent.join(&names.spare);
    let work = parent.join(&names.work);
    let old = parent.join(&names.old);
    swap::clean_leftovers(&parent, &name, &spare)?;
    let found = claim::inspect(out).map_err(WriteError::Refused)?;
    if found == claim::Found::EarlierBuild {
        claim::check_earlier_build(out, top_level(files)).map_err(WriteError::Refused)?;
        claim::mark(out)?;
    }
    inspect_spare(&spare, Some(files)).map_err(WriteError::Refused)?;

    // Taken under a name of this build's own, so that a build killed while
    // writing leaves a folder the next build recognises as a leftover.
    if std::fs::rename(&spare, &work).is_err() {
        std::fs::create_dir(&work)?;
    }
    claim::mark(&work)?;
    // The names this build writes join the list before it writes them: a
    // build stopped part-way leaves a folder whose every name is listed,
    // which the next one takes as its spare or removes.
    claim::list_also(&work, top_level(files))?;

    let previous = found.is_a_site().then_some(out);
    let result = crate::timings::stage("write: files", || update_tree(&work, files, previous))
        .and_then(|()| claim::mark_listing(&work, top_level(files)))
        .and_then(|()| swap::swap_in(&work, out, &old));
    match result {
        Ok(replaced) => {
            // The site just replaced becomes the next build's starting point.
            if let Some(replaced) = replaced
                && std::fs::rename(&replaced, &spare).is_err()
            {
                let _ = std::fs::remove_dir_all(&replaced);
            }
            Ok(())
        }
        Err(e) => {
            // Half brought up to date, but never served: still a good start.
            if std::fs::rename(&work, &spare).is_err() {
                let _ = std::fs::remove_dir_all(&work);
            }
            Err(e.into())
        }
    }
}

/// The names at the top of the site: its files' first path components.
fn top_level(files: &SiteFiles) -> std::collections::BTreeSet<&str> {
    files
        .keys()
        .map(|path| path.split('/').next().unwrap_or(path))
        .collect()
}

/// The spare must be insyn's too: the next build writes into it. An
/// earlier build's is checked against the names of `files` when they are
/// known (when the site is written).
fn inspect_spare(spare: &Path, files: Option<&SiteFiles>) -> Result<(), Refusal> {
    match (claim::inspect(spare), files) {
        // Checked again, and marked, when the site is written.
        (Ok(claim::Found::EarlierBuild), None) => Ok(()),
        (Ok(claim::Found::EarlierBuild), Some(files)) => {
            claim::check_earlier_build(spare, top_level(files))?;
            claim::mark(spare).map_err(|e| Refusal {
                path: spare.to_path_buf(),
                reason: format!("it cannot be written ({e})"),
                help: "remove it; insyn keeps the site before last there".into(),
            })
        }
        (Ok(_), _) => Ok(()),
        (Err(refusal), _) => Err(Refusal {
            help: format!(
                "insyn keeps the site before last under this name; move {} away or remove it",
                spare.display()
            ),
            ..refusal
        }),
    }
}

/// The folder that holds `out` (resolved, links included) and `out`'s own
/// name, which must be a plain name.
fn parent_and_name(out: &Path) -> Result<(PathBuf, String), Refusal> {
    let refuse = |reason: &str| Refusal {
        path: out.to_path_buf(),
        reason: reason.to_string(),
        help: "name a folder of its own with --out, such as `public`".into(),
    };
    let name = match out.components().next_back() {
        Some(std::path::Component::Normal(name)) => name
            .to_str()
            .ok_or_else(|| refuse("its name is not valid UTF-8"))?
            .to_string(),
        _ => return Err(refuse("it does not end in a folder name")),
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let parent = claim::resolve(parent).map_err(|e| refuse(&format!("{e}")))?;
    Ok((parent, name))
}

/// Writes `files` over the same paths of the built site in `out`, leaving
/// every other file alone: for `serve`, after an edit that changed only
/// these. Each file is written beside its place and renamed, so a reader
/// gets the old file or the new one, never half of one.
pub fn write_in_place(out: &Path, files: &SiteFiles) -> io::Result<()> {
    check_paths(files)?;
    files.par_iter().try_for_each(|(path, body)| {
        let target = out.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Also skips a link to the same cache entry: renaming a second link
        // of a file onto it would do nothing and leave the temporary name.
        if holds(&target, body) {
            return Ok(());
        }
        let tmp = target.with_file_name(format!(
            ".{}{IN_PLACE_TMP_MARK}{}",
            target.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id()
        ));
        remove_if_there(&tmp)?;
        create(&tmp, body)?;
        std::fs::rename(&tmp, &target)
    })?;
    // A name new at the top (a page of a new section) joins the mark's
    // list, or the next build would take it for someone else's.
    claim::list_also(out, top_level(files))
}

fn check_paths(files: &SiteFiles) -> io::Result<()> {
    for path in files.keys() {
        if !is_safe_relative(path) || path == MARKER {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {path}"),
            ));
        }
        // A file where another file needs a folder: the site model should
        // have reported the two pages that want the same address.
        let mut at = path.as_str();
        while let Some((up, _)) = at.rsplit_once('/') {
            if files.contains_key(up) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("`{up}` is both a file and the folder of `{path}`"),
                ));
            }
            at = up;
        }
    }
    Ok(())
}

/// A deferred PNG asked for as bytes: the build that left it out is not
/// one that writes (see [`take_deferred`]).
fn not_made() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "a PNG this build did not draw cannot be written",
    )
}

/// Writes `bytes` as the file `path` at once: into a hidden file beside it
/// (`.<name>.tmp-<pid>`), then renamed over it, so that a reader, or a
/// build after a kill, finds the old file or the new one, never half of
/// one. What a kill leaves behind is removed by [`remove_stale_temporaries`].
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("no file name"))?
        .to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}{TMP_MARK}{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// What names a file of [`write_file_atomically`] not yet renamed.
const TMP_MARK: &str = ".tmp-";

/// What names a file of [`write_in_place`] not yet renamed.
const IN_PLACE_TMP_MARK: &str = ".insyn-tmp-";

/// The name of the file whose temporary `name` is, when it has the shape
/// of one that [`write_file_atomically`] or [`write_in_place`] writes
/// beside its place (`.<name>.tmp-<pid>`, `.<name>.insyn-tmp-<pid>`). A
/// kill between the write and the rename leaves it behind.
pub(crate) fn temporary_of(name: &str) -> Option<&str> {
    let rest = name.strip_prefix('.')?;
    [TMP_MARK, IN_PLACE_TMP_MARK].into_iter().find_map(|mark| {
        let (of, pid) = rest.rsplit_once(mark)?;
        let is_pid = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
        (!of.is_empty() && is_pid).then_some(of)
    })
}

/// Removes the hidden files that [`write_file_atomically`] left in `dir`
/// when it was stopped before its rename: those more than ten minutes old
/// (a younger one may be another run's, about to be renamed).
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let old = std::time::Duration::from_secs(600);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let stale = name.starts_with('.')
            && name.contains(TMP_MARK)
            && entry
                .metadata()
                .ok()
                .filter(std::fs::Metadata::is_file)
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > old);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A relative path that stays inside the output folder.
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains('\0')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != ".." && part != ".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_output_and_leaves_no_temporary_folder_but_the_spare() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("stale")).unwrap();
        std::fs::write(out.join("stale/x.html"), "old").unwrap();
        // A folder an earlier build wrote.
        claim::mark(&out).unwrap();
        let mut files = SiteFiles::new();
        files.insert("index.html".into(), b"new".to_vec().into());
        files.insert("a/b/c.txt".into(), b"c".to_vec().into());
        write_atomic(&out, &files).unwrap();
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"new");
        assert!(!out.join("stale").exists());
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, vec![".public.insyn-spare", "public"]);
        // The spare is the replaced site, kept for the next build.
        assert!(dir.path().join(".public.insyn-spare/stale/x.html").exists());
    }

    fn site(files: &[(&str, &str)]) -> SiteFiles {
        files
            .iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec().into()))
            .collect()
    }

    fn tree(dir: &Path) -> BTreeMap<String, String> {
        if !dir.exists() {
            return BTreeMap::new();
        }
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file() && e.file_name() != MARKER)
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read_to_string(e.path()).unwrap())
            })
            .collect()
    }

    #[test]
    fn later_builds_bring_the_spare_tree_up_to_date_and_never_touch_the_served_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = dir.path().join(".public.insyn-spare");
        let builds = [
            site(&[
                ("index.html", "1"),
                ("a/x.html", "same"),
                ("gone/y.html", "y"),
            ]),
            site(&[("index.html", "2"), ("a/x.html", "same")]),
            site(&[
                ("index.html", "3"),
                ("a/x.html", "changed"),
                ("new/z/w.html", "w"),
            ]),
            site(&[("index.html", "4"), ("a", "a file where a folder was")]),
        ];
        for (n, files) in builds.iter().enumerate() {
            // The served site, read before the next build…
            let served = tree(&out);
            write_atomic(&out, files).unwrap();
            let expected: BTreeMap<String, String> = files
                .iter()
                .map(|(p, b)| {
                    (
                        p.clone(),
                        String::from_utf8(b.as_bytes().unwrap().to_vec()).unwrap(),
                    )
                })
                .collect();
            assert_eq!(tree(&out), expected, "build {n}");
            // …is what the spare holds now: nothing wrote into its files.
            if n > 0 {
                assert_eq!(tree(&spare), served, "build {n}");
            }
        }
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, vec![".public.insyn-spare", "public"]);
    }

    /// A build that stops part-way through writing a site with a new
    /// section (a disk full, a file it cannot link) keeps its half-written
    /// folder as the spare. Its mark listed only the names of the site it
    /// started from, so the next build took the new section's folder for a
    /// stranger's and refused to run until the spare was removed by hand.
    #[test]
    fn a_write_stopped_part_way_through_a_new_section_leaves_a_spare_the_next_build_takes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomic(&out, &site(&[("index.html", "1")])).unwrap();
        write_atomic(&out, &site(&[("index.html", "2")])).unwrap();
        let mut failing = site(&[("index.html", "3"), ("nytt/index.html", "new")]);
        failing.insert(
            "zz/chart.png".into(),
            FileBody::OnDisk {
                path: dir.path().join("no-such-cache-entry"),
                len: 1,
                id: None,
            },
        );
        assert!(write_atomic(&out, &failing).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "2"
        );
        let files = site(&[("index.html", "4"), ("nytt/index.html", "new")]);
        write_atomic(&out, &files).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "4"
        );
    }

    #[test]
    fn refuses_paths_that_leave_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for bad in ["../x", "/etc/x", "a/../../x", "a//b", "a\\b"] {
            let mut files = SiteFiles::new();
            files.insert(bad.into(), b"x".to_vec().into());
            assert!(write_atomic(&out, &files).is_err(), "{bad}");
        }
        assert!(!out.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_folder_with_someone_elses_files_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("thesis.docx"), "years of work").unwrap();
        let files = site(&[("index.html", "1")]);
        for _ in 0..2 {
            match write_atomic(&out, &files) {
                Err(WriteError::Refused(r)) => assert!(r.reason.contains("did not write"), "{r}"),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(
            std::fs::read_to_string(out.join("thesis.docx")).unwrap(),
            "years of work"
        );
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, vec!["public"]);
    }

    #[test]
    fn a_spare_that_is_not_insyns_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = dir.path().join(".public.insyn-spare");
        let files = site(&[("index.html", "1")]);
        write_atomic(&out, &files).unwrap();
        std::fs::create_dir_all(&spare).unwrap();
        std::fs::write(spare.join("mine.txt"), "mine").unwrap();
        for _ in 0..2 {
            assert!(matches!(
                write_atomic(&out, &files),
                Err(WriteError::Refused(_))
            ));
        }
        assert_eq!(
            std::fs::read_to_string(spare.join("mine.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn an_empty_folder_is_taken_and_every_tree_carries_the_mark() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        for n in ["1", "2", "3"] {
            write_atomic(&out, &site(&[("index.html", n)])).unwrap();
            assert!(out.join(MARKER).is_file());
            assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), n);
        }
        assert!(
            dir.path()
                .join(".public.insyn-spare")
                .join(MARKER)
                .is_file()
        );
    }

    #[test]
    fn a_file_where_another_file_needs_a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = site(&[("feed.xml", "feed"), ("feed.xml/index.html", "page")]);
        let e = write_atomic(&out, &files).unwrap_err();
        assert!(e.to_string().contains("both a file and the folder"), "{e}");
        assert!(!out.exists());
    }
}
