//! Bringing a tree of files up to date with the site (see the module
//! above): what is already there with the right content stays, anything
//! else goes, and a file is never changed in place, since it may share its
//! inode with the served site or the build cache.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::{FileBody, FileId, MARKER, SiteFiles, not_made};

/// Makes the tree `dir` hold exactly `files`. What is already there with
/// the right content stays; anything else is removed. A file is never
/// changed in place, as it may share its inode with the served site or the
/// cache: it is removed and made anew. A file whose bytes equal those of
/// the same path in the `previous` site is hard-linked from there instead
/// of written.
pub(super) fn update_tree(
    dir: &Path,
    files: &SiteFiles,
    previous: Option<&Path>,
) -> io::Result<()> {
    let mut dirs: HashSet<&str> = HashSet::new();
    for path in files.keys() {
        let mut at = path.as_str();
        while let Some((up, _)) = at.rsplit_once('/') {
            if !dirs.insert(up) {
                break;
            }
            at = up;
        }
    }
    let present = remove_unwanted(dir, files, &dirs)?;
    let mut missing: Vec<&&str> = dirs
        .iter()
        .filter(|d| !present.dirs.contains(**d))
        .collect();
    missing.sort();
    for d in missing {
        std::fs::create_dir_all(dir.join(d))?;
    }
    files.par_iter().try_for_each(|(path, body)| {
        let target = dir.join(path);
        if present.holds(path, &target, body) {
            return Ok(());
        }
        remove_if_there(&target)?;
        if let (FileBody::Bytes(bytes), Some(prev)) = (body, previous) {
            let old = prev.join(path);
            if same_content(&old, bytes) && std::fs::hard_link(&old, &target).is_ok() {
                return Ok(());
            }
        }
        create(&target, body)
    })
}

/// Whether `target` already holds `body`: the same bytes, or a link to the
/// same cache entry.
pub(super) fn holds(target: &Path, body: &FileBody) -> bool {
    match body {
        FileBody::Bytes(bytes) => same_content(target, bytes),
        FileBody::OnDisk { path, .. } => same_file::is_same_file(path, target).unwrap_or(false),
        FileBody::Deferred(_) => false,
    }
}

/// What a tree held after [`remove_unwanted`]: its folders, and its files
/// with the inode each names (read with the folder, without a `stat` per
/// file: a national site's tree has tens of thousands of files, nearly all
/// links to the build cache).
#[derive(Default)]
struct Present {
    dirs: HashSet<String>,
    files: HashMap<String, u64>,
    /// The tree's device, where the inodes are numbered.
    device: Option<u64>,
}

impl Present {
    /// Whether the file `path` of the tree (at `target`) already holds
    /// `body`, as [`holds`] tells, but a link to a cache entry by the
    /// inode its folder listing gave, without asking the file system.
    fn holds(&self, path: &str, target: &Path, body: &FileBody) -> bool {
        let Some(&ino) = self.files.get(path) else {
            return false;
        };
        if let FileBody::OnDisk {
            path: source, id, ..
        } = body
        {
            // The id the maker read, or else the file system's.
            let id = id.or_else(|| std::fs::metadata(source).ok().as_ref().and_then(FileId::of));
            if let Some(id) = id {
                return id.inode == ino && Some(id.device) == self.device;
            }
            // No inode numbers on this platform: as any file is compared.
        }
        holds(target, body)
    }
}

/// Creates `target`, which does not exist, holding `body`. A cache entry is
/// never rewritten in place (entries are written beside and renamed), so
/// sharing its inode is safe; across file systems it is copied.
pub(super) fn create(target: &Path, body: &FileBody) -> io::Result<()> {
    match body {
        FileBody::Bytes(bytes) => std::fs::write(target, bytes),
        FileBody::OnDisk { path: source, .. } => std::fs::hard_link(source, target)
            .or_else(|_| std::fs::copy(source, target).map(drop))
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", source.display()))),
        FileBody::Deferred(_) => Err(not_made()),
    }
}

/// Removes from `dir` every file that is not one of `files` and every
/// folder that is not one of `dirs`; returns what is left.
fn remove_unwanted(dir: &Path, files: &SiteFiles, dirs: &HashSet<&str>) -> io::Result<Present> {
    let mut present = Present::default();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        present.device = std::fs::metadata(dir).ok().map(|m| m.dev());
    }
    let mut walk = walkdir::WalkDir::new(dir).min_depth(1).into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_dir() {
            if !dirs.contains(rel.as_str()) {
                std::fs::remove_dir_all(entry.path())?;
                walk.skip_current_dir();
            } else {
                present.dirs.insert(rel);
            }
        } else if !files.contains_key(&rel) && rel != MARKER {
            std::fs::remove_file(entry.path())?;
        } else if entry.file_type().is_file() {
            present.files.insert(rel, inode(&entry));
        }
    }
    Ok(present)
}

/// The inode a folder entry names, as the folder listing gives it.
#[cfg(unix)]
fn inode(entry: &walkdir::DirEntry) -> u64 {
    walkdir::DirEntryExt::ino(entry)
}

#[cfg(not(unix))]
fn inode(_entry: &walkdir::DirEntry) -> u64 {
    0
}

pub(super) fn remove_if_there(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of the spare tree that is a link to its cache entry is left
    /// as it is; a copy with the same bytes, or a file another entry's
    /// bytes replaced, becomes a link to the entry the build names.
    #[cfg(unix)]
    #[test]
    fn the_spare_tree_keeps_its_links_to_the_cache_and_mends_the_rest() {
        // Entries named by path alone, and with the id their maker read.
        for with_id in [false, true] {
            spare_tree_links(with_id);
        }
    }

    #[cfg(unix)]
    fn spare_tree_links(with_id: bool) {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        std::fs::create_dir(&cache).unwrap();
        let entry = |name: &str, text: &str| {
            let path = cache.join(name);
            std::fs::write(&path, text).unwrap();
            let meta = std::fs::metadata(&path).unwrap();
            if with_id {
                FileBody::on_disk_as(path, &meta)
            } else {
                FileBody::on_disk(path, text.len() as u64)
            }
        };
        let (a, b) = (entry("a.png", "A"), entry("b.png", "B"));
        let tree = dir.path().join("tree");
        std::fs::create_dir(&tree).unwrap();
        let files: SiteFiles = [("a.png".to_string(), a), ("b.png".to_string(), b)].into();
        update_tree(&tree, &files, None).unwrap();
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        assert_eq!(ino(&tree.join("a.png")), ino(&cache.join("a.png")));
        // A copy of a's bytes that is no link, and b replaced by a file.
        std::fs::remove_file(tree.join("a.png")).unwrap();
        std::fs::write(tree.join("a.png"), "A").unwrap();
        std::fs::remove_file(tree.join("b.png")).unwrap();
        std::fs::write(tree.join("b.png"), "not B").unwrap();
        update_tree(&tree, &files, None).unwrap();
        for name in ["a.png", "b.png"] {
            assert_eq!(ino(&tree.join(name)), ino(&cache.join(name)), "{name}");
        }
        let before = ino(&tree.join("a.png"));
        update_tree(&tree, &files, None).unwrap();
        assert_eq!(ino(&tree.join("a.png")), before);
    }
}
