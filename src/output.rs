//! Writing the built site: atomic and deterministic (§6).
//!
//! Everything is written into a fresh folder beside the output folder, then
//! swapped in with renames. A build that fails before the swap removes its
//! temporary folder and leaves the previous site byte for byte as it was.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

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
    OnDisk { path: PathBuf, len: u64 },
}

impl FileBody {
    /// The size in bytes.
    pub fn len(&self) -> u64 {
        match self {
            FileBody::Bytes(b) => b.len() as u64,
            FileBody::OnDisk { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes, when this build made them.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            FileBody::Bytes(b) => Some(b),
            FileBody::OnDisk { .. } => None,
        }
    }

    /// The bytes, read from disk for a cached file.
    pub fn read(&self) -> io::Result<Cow<'_, [u8]>> {
        match self {
            FileBody::Bytes(b) => Ok(Cow::Borrowed(b)),
            FileBody::OnDisk { path, .. } => std::fs::read(path).map(Cow::Owned),
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

/// Replaces `out` with exactly `files`.
pub fn write_atomic(out: &Path, files: &SiteFiles) -> io::Result<()> {
    check_paths(files)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let tmp = parent.join(format!(".{name}.insyn-tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.insyn-old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);

    let previous = out.is_dir().then_some(out);
    let result = crate::timings::stage("write: files", || write_all(&tmp, files, previous))
        .and_then(|()| swap(&tmp, out, &old));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
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
        let tmp = target.with_file_name(format!(
            ".{}.insyn-tmp-{}",
            target.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id()
        ));
        let _ = std::fs::remove_file(&tmp);
        match body {
            FileBody::Bytes(bytes) => {
                if same_content(&target, bytes) {
                    return Ok(());
                }
                std::fs::write(&tmp, bytes)?;
            }
            FileBody::OnDisk { path: source, .. } => {
                // Already a link to this entry (renaming a second link of
                // the same file onto it would do nothing and leave `tmp`).
                if same_file::is_same_file(source, &target).unwrap_or(false) {
                    return Ok(());
                }
                std::fs::hard_link(source, &tmp)
                    .or_else(|_| std::fs::copy(source, &tmp).map(drop))?
            }
        }
        std::fs::rename(&tmp, &target)
    })
}

fn check_paths(files: &SiteFiles) -> io::Result<()> {
    for path in files.keys() {
        if !is_safe_relative(path) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {path}"),
            ));
        }
    }
    Ok(())
}

/// Writes `files` into `tmp`. A file whose bytes equal those of the same
/// path in the `previous` site is hard-linked from there instead of written:
/// a rebuild that changes little then writes little, and removing the
/// previous site afterwards only drops links instead of freeing every block
/// (on a national site that removal dominated the build).
fn write_all(tmp: &Path, files: &SiteFiles, previous: Option<&Path>) -> io::Result<()> {
    std::fs::create_dir_all(tmp)?;
    // Create folders first (sequentially, sorted), then write files in parallel.
    let mut dirs: Vec<PathBuf> = files
        .keys()
        .filter_map(|p| Path::new(p).parent().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        std::fs::create_dir_all(tmp.join(d))?;
    }
    files.par_iter().try_for_each(|(path, body)| {
        let target = tmp.join(path);
        match body {
            FileBody::Bytes(bytes) => {
                if let Some(prev) = previous {
                    let old = prev.join(path);
                    if same_content(&old, bytes) && std::fs::hard_link(&old, &target).is_ok() {
                        return Ok(());
                    }
                }
                std::fs::write(target, bytes)
            }
            // A cache entry is never rewritten in place (entries are written
            // beside and renamed), so sharing its inode is safe. Another
            // file system cannot link: copy.
            FileBody::OnDisk { path: source, .. } => std::fs::hard_link(source, &target)
                .or_else(|_| std::fs::copy(source, &target).map(drop))
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", source.display()))),
        }
    })
}

/// Whether `path` is a regular file (not a link) holding exactly `bytes`.
fn same_content(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

fn swap(tmp: &Path, out: &Path, old: &Path) -> io::Result<()> {
    if out.exists() {
        std::fs::rename(out, old)?;
        if let Err(e) = std::fs::rename(tmp, out) {
            // Put the previous site back before reporting.
            let _ = std::fs::rename(old, out);
            return Err(e);
        }
        crate::timings::stage("write: remove old", || remove_tree(old))?;
    } else {
        std::fs::rename(tmp, out)?;
    }
    Ok(())
}

/// Removes a folder and everything in it. The entries one and two levels
/// down (a site's `charts/<slug>/` folders are most of it) are removed in
/// parallel: on a busy disk, removal waits on I/O, and waits overlap.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            for child in std::fs::read_dir(entry.path())? {
                entries.push(child?.path());
            }
        } else {
            entries.push(entry.path());
        }
    }
    entries.par_iter().try_for_each(|path| {
        if std::fs::symlink_metadata(path)?.is_dir() {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        }
    })?;
    std::fs::remove_dir_all(dir)
}

/// A relative path that stays inside the output folder.
fn is_safe_relative(path: &str) -> bool {
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
    fn replaces_the_output_and_leaves_no_temporary_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("stale")).unwrap();
        std::fs::write(out.join("stale/x.html"), "old").unwrap();
        let mut files = SiteFiles::new();
        files.insert("index.html".into(), b"new".to_vec().into());
        files.insert("a/b/c.txt".into(), b"c".to_vec().into());
        write_atomic(&out, &files).unwrap();
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"new");
        assert!(!out.join("stale").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
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
}
