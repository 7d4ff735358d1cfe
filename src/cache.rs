//! The build cache (`.insyn-cache/` under the site root): finished files
//! that are slow to make, kept by a hash of everything they are made from.
//!
//! A rasterised PNG takes tens of milliseconds and a data bundle needs a
//! deflate pass; a quarterly rebuild changes few of them. An entry is found
//! by its key alone, so a stale entry can never be served for new input, and
//! entries are never rewritten in place (written beside, then renamed), which
//! lets the output hard-link them instead of copying or reading them.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use crate::output::{FileBody, FileId};

/// One build's view of the cache: hands out entries and remembers which
/// were used, so that the ones no longer used can be removed afterwards.
#[derive(Debug)]
pub struct BuildCache {
    dir: PathBuf,
    /// The entries used, each as [`entry_id`]: at ten thousand units a
    /// build uses over a million, too many to remember by path.
    used: Mutex<HashSet<u128>>,
    /// The files of the PNG entries used. A chart's PNG has two names (see
    /// [`BuildCache::entry_or_alias`]), one by the chart's fingerprint
    /// (`png/`) and one by its SVG (`png-svg/`), and a build finds it by
    /// the first: the second, kept for the next version of insyn, is not
    /// pruned while the file is in use. (A previous version's fingerprint
    /// names are, so they do not pile up.)
    used_pngs: Mutex<HashSet<FileId>>,
}

/// A short name for the entry `name` of the folder `kind`: 128 bits of a
/// hash of the two, so that a set of a million costs 16 bytes each.
fn entry_id(kind: &OsStr, name: &OsStr) -> u128 {
    let mut hasher = blake3::Hasher::new();
    hasher.update(kind.as_encoded_bytes());
    hasher.update(b"/");
    hasher.update(name.as_encoded_bytes());
    let mut id = [0u8; 16];
    id.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
    u128::from_le_bytes(id)
}

/// [`entry_id`] of the entry at `path` (`<cache>/<kind>/<name>`).
fn path_id(path: &Path) -> u128 {
    let kind = path.parent().and_then(Path::file_name).unwrap_or_default();
    entry_id(kind, path.file_name().unwrap_or_default())
}

/// The kinds of entries, one subfolder each. Only these are ever pruned.
const KINDS: [&str; 7] = ["svg", "png", "png-svg", "bundle", "page", "data", "frozen"];

/// Unused entries younger than this are kept by [`BuildCache::prune`].
pub const KEEP_RECENT: Duration = Duration::from_secs(60 * 60);

/// A cache is pruned at most this often (see [`BuildCache::prune`]).
pub const PRUNE_EVERY: Duration = Duration::from_secs(10 * 60);

/// The file in the cache whose time is that of the last prune.
const PRUNE_STAMP: &str = "pruned";

/// `<64 hex digits>.<extension>`: an entry, not a file being written.
fn is_entry_name(name: &str) -> bool {
    name.split_once('.').is_some_and(|(hash, ext)| {
        hash.len() == 64
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
            && !ext.is_empty()
            && ext.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// What identifies the program that makes an entry: a hash of its own
/// executable, so that any change to insyn's code makes entries afresh. Where the
/// executable cannot be read, the process id and start time stand in:
/// nothing is reused, which is slower but never wrong.
pub fn program_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        // Read in pieces: the executable is tens of megabytes (more with
        // debug information), which the build need not hold.
        std::env::current_exe()
            .and_then(std::fs::File::open)
            .and_then(|file| {
                blake3::Hasher::new()
                    .update_reader(file)
                    .map(|h| h.finalize())
            })
            .map(|hash| hash.to_hex().to_string())
            .unwrap_or_else(|_| {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                format!("unread-{}-{}", std::process::id(), now.as_nanos())
            })
    })
}

impl BuildCache {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        BuildCache {
            dir: dir.into(),
            used: Mutex::new(HashSet::new()),
            used_pngs: Mutex::new(HashSet::new()),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry of `kind` for `key`, made by `make` when it is not there yet.
    pub fn entry(
        &self,
        kind: &'static str,
        key: &blake3::Hash,
        extension: &str,
        make: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Result<FileBody, String> {
        let path = self.keyed_path(kind, key, extension);
        if let Some(kept) = self.kept(&path) {
            return Ok(kept);
        }
        let bytes = make()?;
        let written = self.write_beside(kind, |w| w.write_all(&bytes))?;
        self.settle(written, path)
    }

    /// The entry of `kind` for `key`; when there is none yet, the file
    /// `find_or_make` gives, kept under `key` too. This is for a file known
    /// by two keys: a chart's PNG is found by the chart's fingerprint (no
    /// layout needed) and, when that is new, by its SVG (see
    /// `Chart::png`), which a new version of insyn that lays the chart out
    /// the same way finds again. An entry under two keys is one file with
    /// two names (a hard link): entries are never rewritten, so the names
    /// cannot come to differ. Where the file system cannot link, the file
    /// keeps its one name and is found by it.
    pub fn entry_or_alias(
        &self,
        kind: &'static str,
        key: &blake3::Hash,
        extension: &str,
        find_or_make: impl FnOnce() -> Result<FileBody, String>,
    ) -> Result<FileBody, String> {
        let path = self.keyed_path(kind, key, extension);
        if let Some(kept) = self.kept(&path) {
            return Ok(kept);
        }
        match find_or_make()? {
            FileBody::OnDisk {
                path: entry,
                len,
                id,
            } => {
                // The other name may be the first entry of its folder.
                let link = std::fs::hard_link(&entry, &path).or_else(|e| {
                    if e.kind() != io::ErrorKind::NotFound {
                        return Err(e);
                    }
                    std::fs::create_dir_all(path.parent().unwrap_or(&self.dir))?;
                    std::fs::hard_link(&entry, &path)
                });
                match link {
                    Ok(()) => self.mark_used(&path, id),
                    // Another thread named it first: the same bytes.
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => self.mark_used(&path, id),
                    Err(_) => {}
                }
                Ok(FileBody::OnDisk {
                    path: entry,
                    len,
                    id,
                })
            }
            FileBody::Bytes(bytes) => {
                let written = self.write_beside(kind, |w| w.write_all(&bytes))?;
                self.settle(written, path)
            }
            deferred @ FileBody::Deferred(_) => Ok(deferred),
        }
    }

    /// The entry of `kind` under `key` if an earlier build (or thread) kept
    /// it, marked used; nothing is made.
    pub fn kept_entry(
        &self,
        kind: &'static str,
        key: &blake3::Hash,
        extension: &str,
    ) -> Option<FileBody> {
        self.kept(&self.keyed_path(kind, key, extension))
    }

    /// An entry of `kind` that `write` writes straight to disk, named by the
    /// hash of what was written: for files too large to hold in memory while
    /// the rest of the site is made (the data downloads of a site of
    /// thousands of units are hundreds of megabytes).
    pub fn streamed_entry(
        &self,
        kind: &'static str,
        extension: &str,
        write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<FileBody, String> {
        let written = self.write_beside(kind, write)?;
        let path = self.keyed_path(kind, &written.hash, extension);
        self.settle(written, path)
    }

    /// Like [`BuildCache::streamed_entry`], found by `key` (a hash of
    /// everything the file is made from) like [`BuildCache::entry`]:
    /// `write` runs only when no earlier build kept the entry.
    pub fn keyed_streamed_entry(
        &self,
        kind: &'static str,
        key: &blake3::Hash,
        extension: &str,
        write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<FileBody, String> {
        let path = self.keyed_path(kind, key, extension);
        if let Some(kept) = self.kept(&path) {
            return Ok(kept);
        }
        let written = self.write_beside(kind, write)?;
        self.settle(written, path)
    }

    /// Where the entry of `kind` for `key` is.
    fn keyed_path(&self, kind: &'static str, key: &blake3::Hash, extension: &str) -> PathBuf {
        debug_assert!(KINDS.contains(&kind));
        self.dir
            .join(kind)
            .join(format!("{}.{extension}", key.to_hex()))
    }

    /// The entry at `path` as an earlier build (or thread) left it, marked
    /// used; `None` when it is not there yet.
    fn kept(&self, path: &Path) -> Option<FileBody> {
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() || meta.len() == 0 {
            return None;
        }
        self.mark_used(path, FileId::of(&meta));
        Some(FileBody::on_disk_as(path.to_path_buf(), &meta))
    }

    /// Writes a file of `kind` with `write` under a name that is no entry's
    /// (so a prune never takes it for one).
    fn write_beside(
        &self,
        kind: &'static str,
        write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<Written, String> {
        debug_assert!(KINDS.contains(&kind));
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let folder = self.dir.join(kind);
        std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        let tmp = folder.join(format!(
            ".streamed-{}-{}.tmp",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| {
            let mut sink = HashingWriter {
                inner: io::BufWriter::with_capacity(256 * 1024, std::fs::File::create(&tmp)?),
                hasher: blake3::Hasher::new(),
                len: 0,
            };
            write(&mut sink)?;
            io::Write::flush(&mut sink)?;
            // Asked of the open file, not by path; a rename keeps it.
            let id = sink
                .inner
                .get_ref()
                .metadata()
                .ok()
                .as_ref()
                .and_then(FileId::of);
            Ok::<_, io::Error>((sink.hasher.finalize(), sink.len, id))
        })();
        match written {
            Ok((hash, len, id)) => Ok(Written { tmp, hash, len, id }),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(format!("{}: {e}", tmp.display()))
            }
        }
    }

    /// Renames the written `tmp` into place as the entry at `path`. An entry
    /// already there will do (the same name is the same bytes) and is never
    /// rewritten: the output may share its inode.
    fn settle(&self, written: Written, path: PathBuf) -> Result<FileBody, String> {
        let Written { tmp, len, id, .. } = written;
        let kept = std::fs::metadata(&path)
            .ok()
            .filter(|m| m.is_file() && m.len() == len);
        let id = match kept {
            Some(meta) => {
                let _ = std::fs::remove_file(&tmp);
                FileId::of(&meta)
            }
            None => {
                if let Err(e) = std::fs::rename(&tmp, &path) {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(format!("{}: {e}", path.display()));
                }
                id
            }
        };
        self.mark_used(&path, id);
        // Named with its id like an entry found kept (see `FileBody`).
        Ok(FileBody::OnDisk { path, len, id })
    }

    /// Marks the entry at `path` used; `file` is its device and inode,
    /// where known.
    fn mark_used(&self, path: &Path, file: Option<FileId>) {
        let id = path_id(path);
        self.used
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(id);
        let png = path.parent().and_then(Path::file_name) == Some(OsStr::new("png"));
        // (Recorded for the fingerprint's name: the SVG's name is looked
        // for by inode in the prune.)
        if let Some(file) = file.filter(|_| png) {
            self.used_pngs
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .insert(file);
        }
    }

    /// Removes the entries this build did not use (charts that changed or
    /// went away), so the cache does not grow by a site's worth of images
    /// every quarter. Entries younger than [`KEEP_RECENT`] stay: another
    /// build of the same folder (`serve` beside `build`, tests) may be using
    /// them right now. Returns how many were removed.
    ///
    /// A cache that was pruned less than [`PRUNE_EVERY`] ago is left alone:
    /// after a new version of insyn the whole previous cache is unused but
    /// young, and looking at the age of each of its tens of thousands of
    /// entries in every build of the next hour costs more than the build's
    /// own use of the cache. An old entry then goes at most that much later.
    pub fn prune(&self) -> io::Result<usize> {
        let stamp = self.dir.join(PRUNE_STAMP);
        let recent = std::fs::metadata(&stamp)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|at| SystemTime::now().duration_since(at).ok())
            .is_some_and(|age| age < PRUNE_EVERY);
        if recent {
            return Ok(0);
        }
        let removed = self.prune_older_than(KEEP_RECENT)?;
        // Only saves time: a cache folder that was never made (a site
        // with nothing to keep) has no stamp, and is looked at each time.
        let _ = std::fs::write(&stamp, b"");
        Ok(removed)
    }

    fn prune_older_than(&self, age: Duration) -> io::Result<usize> {
        let now = SystemTime::now();
        let used = self
            .used
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let used_pngs = self
            .used_pngs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut removed = 0;
        for kind in KINDS {
            let folder = self.dir.join(kind);
            let entries = match std::fs::read_dir(&folder) {
                Ok(entries) => entries,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            for entry in entries {
                let entry = entry?;
                let path = entry.path();
                let name = entry.file_name();
                if used.contains(&entry_id(kind.as_ref(), &name))
                    || !is_entry_name(&name.to_string_lossy())
                {
                    continue;
                }
                let meta = entry.metadata()?;
                // The SVG's name of a PNG in use (see `used_pngs`).
                if kind == "png-svg" && FileId::of(&meta).is_some_and(|f| used_pngs.contains(&f)) {
                    continue;
                }
                let old = meta
                    .modified()
                    .ok()
                    .and_then(|m| now.duration_since(m).ok())
                    .is_some_and(|a| a >= age);
                if meta.is_file() && old {
                    std::fs::remove_file(&path)?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }
}

/// A file written beside the entries, not yet one of them.
struct Written {
    tmp: PathBuf,
    /// The hash of its bytes.
    hash: blake3::Hash,
    len: u64,
    /// Its device and inode, where the platform has them.
    id: Option<FileId>,
}

/// Passes bytes on and hashes them on the way.
struct HashingWriter<W> {
    inner: W,
    hasher: blake3::Hasher,
    len: u64,
}

impl<W: io::Write> io::Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> blake3::Hash {
        blake3::hash(text.as_bytes())
    }

    #[test]
    fn an_entry_is_made_once_and_then_found_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BuildCache::new(dir.path());
        let mut made = 0;
        let first = cache
            .entry("png", &key("a"), "png", || {
                made += 1;
                Ok(b"abc".to_vec())
            })
            .unwrap();
        let second = BuildCache::new(dir.path())
            .entry("png", &key("a"), "png", || panic!("must not be made again"))
            .unwrap();
        assert_eq!(made, 1);
        assert_eq!(first, second);
        assert_eq!(second.len(), 3);
        assert_eq!(&*second.read().unwrap(), b"abc");
    }

    /// An entry known by a second key is one file under two names: made
    /// once, found by either, and neither name is pruned while used.
    #[test]
    fn an_entry_under_a_second_key_is_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BuildCache::new(dir.path());
        let first = cache
            .entry_or_alias("png", &key("fingerprint"), "png", || {
                cache.entry("png-svg", &key("svg"), "png", || Ok(b"abc".to_vec()))
            })
            .unwrap();
        let by_svg = cache
            .kept_entry("png-svg", &key("svg"), "png")
            .expect("kept by the first key");
        assert_eq!(first, by_svg);
        // A later build finds it by the second key without asking for it.
        let later = BuildCache::new(dir.path());
        let found = later
            .entry_or_alias("png", &key("fingerprint"), "png", || {
                panic!("must be found by the fingerprint")
            })
            .unwrap();
        assert_eq!(&*found.read().unwrap(), b"abc");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ino = |kind: &'static str, k: &str| {
                std::fs::metadata(cache.keyed_path(kind, &key(k), "png"))
                    .unwrap()
                    .ino()
            };
            assert_eq!(
                ino("png", "fingerprint"),
                ino("png-svg", "svg"),
                "one file, two names"
            );
        }
        // Bytes made under the second key alone are an entry of their own.
        let made = cache
            .entry_or_alias("png", &key("other"), "png", || {
                Ok(FileBody::Bytes(b"xyz".to_vec()))
            })
            .unwrap();
        assert!(matches!(made, FileBody::OnDisk { .. }));
        assert_eq!(
            &*cache
                .kept_entry("png", &key("other"), "png")
                .unwrap()
                .read()
                .unwrap(),
            b"xyz"
        );
    }

    /// A later build finds a PNG by its fingerprint alone; its name by SVG
    /// (for the next version of insyn) is kept through a prune, while an
    /// entry nobody used goes, and so does a previous version's
    /// fingerprint name of a PNG still in use.
    #[cfg(unix)]
    #[test]
    fn a_png_found_by_one_name_keeps_its_other_name_through_a_prune() {
        let dir = tempfile::tempdir().unwrap();
        let first = BuildCache::new(dir.path());
        let by_svg = || first.entry("png-svg", &key("svg"), "png", || Ok(b"abc".to_vec()));
        first
            .entry_or_alias("png", &key("old fingerprint"), "png", by_svg)
            .unwrap();
        first
            .entry("png", &key("gone"), "png", || Ok(b"old".to_vec()))
            .unwrap();
        // A new version: found by the SVG, named by a new fingerprint.
        let upgraded = BuildCache::new(dir.path());
        upgraded
            .entry_or_alias("png", &key("fingerprint"), "png", || {
                upgraded.entry("png-svg", &key("svg"), "png", || panic!("found by the SVG"))
            })
            .unwrap();
        // A later build of it, by the fingerprint alone.
        let later = BuildCache::new(dir.path());
        later
            .entry_or_alias("png", &key("fingerprint"), "png", || {
                panic!("found by the fingerprint")
            })
            .unwrap();
        assert_eq!(later.prune_older_than(Duration::ZERO).unwrap(), 2);
        let kept = |kind, k| later.keyed_path(kind, &key(k), "png").exists();
        assert!(kept("png", "fingerprint") && kept("png-svg", "svg"));
        assert!(!kept("png", "gone") && !kept("png", "old fingerprint"));
    }

    #[test]
    fn a_streamed_entry_is_named_by_its_content_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BuildCache::new(dir.path());
        let text = "period,value\n2024Q1,3\n";
        let write = |w: &mut dyn io::Write| w.write_all(text.as_bytes());
        let first = cache.streamed_entry("data", "csv", write).unwrap();
        let again = BuildCache::new(dir.path())
            .streamed_entry("data", "csv", write)
            .unwrap();
        assert_eq!(first, again);
        assert_eq!(&*first.read().unwrap(), text.as_bytes());
        let FileBody::OnDisk { path, len, .. } = &first else {
            panic!("{first:?}")
        };
        assert_eq!(*len, text.len() as u64);
        assert_eq!(
            path.file_name().unwrap().to_string_lossy(),
            format!("{}.csv", key(text).to_hex())
        );
        let count = || std::fs::read_dir(dir.path().join("data")).unwrap().count();
        assert_eq!(count(), 1, "no temporary file is left");
        // A writer that fails leaves no entry and no temporary file.
        let failed = cache.streamed_entry("data", "csv", |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.unwrap_err().contains("disk full"));
        assert_eq!(count(), 1);
    }

    #[test]
    fn a_failure_to_make_leaves_no_entry() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BuildCache::new(dir.path());
        let err = cache
            .entry("bundle", &key("b"), "zip", || Err("no".into()))
            .unwrap_err();
        assert_eq!(err, "no");
        let later = cache
            .entry("bundle", &key("b"), "zip", || Ok(b"zip".to_vec()))
            .unwrap();
        assert_eq!(&*later.read().unwrap(), b"zip");
    }

    #[test]
    fn prune_removes_only_what_this_build_did_not_use() {
        let dir = tempfile::tempdir().unwrap();
        let old = BuildCache::new(dir.path());
        for k in ["kept", "dropped"] {
            old.entry("png", &key(k), "png", || Ok(k.as_bytes().to_vec()))
                .unwrap();
        }
        std::fs::write(dir.path().join("unrelated.txt"), "mine").unwrap();

        // A file another build is writing right now is not an entry.
        let writing = dir
            .path()
            .join("png")
            .join(format!("{}.png.77.tmp", key("w").to_hex()));
        std::fs::write(&writing, "half").unwrap();

        let new = BuildCache::new(dir.path());
        new.entry("png", &key("kept"), "png", || unreachable!())
            .unwrap();
        // Young entries stay (another build may be using them)…
        assert_eq!(new.prune().unwrap(), 0);
        // …and a cache just pruned is not looked at again at once.
        let mut seen = 0;
        for entry in std::fs::read_dir(dir.path().join("png")).unwrap() {
            let path = entry.unwrap().path();
            let old = SystemTime::now() - 2 * KEEP_RECENT;
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(old).unwrap();
            seen += 1;
        }
        assert_eq!(seen, 3);
        assert_eq!(new.prune().unwrap(), 0);
        // Once the last prune is old enough, old unused entries go.
        std::fs::File::options()
            .write(true)
            .open(dir.path().join(PRUNE_STAMP))
            .unwrap()
            .set_modified(SystemTime::now() - PRUNE_EVERY)
            .unwrap();
        assert_eq!(new.prune().unwrap(), 1);
        assert_eq!(new.prune_older_than(Duration::ZERO).unwrap(), 0);
        // A cache never made is nothing to prune, and no error.
        let none = BuildCache::new(dir.path().join("never-made"));
        assert_eq!(none.prune().unwrap(), 0);
        assert!(!dir.path().join("never-made").exists());
        std::fs::remove_file(writing).unwrap();
        let left: Vec<_> = std::fs::read_dir(dir.path().join("png"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(left, vec![format!("{}.png", key("kept").to_hex())]);
        assert!(dir.path().join("unrelated.txt").exists());
    }
}
