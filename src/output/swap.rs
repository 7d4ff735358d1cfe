//! Putting a finished tree in the place of the served one in one step, and
//! tidying up after builds that were killed half-way.
//!
//! On Linux the two folders trade places with `renameat2(RENAME_EXCHANGE)`:
//! at every moment the output folder is the old site or the new one. Where
//! the file system cannot exchange (the call fails with `EINVAL`, or the
//! system has no such call), the old site is renamed away and the new one
//! renamed in: between those two renames the output folder does not exist.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use super::claim::{self, Found};

/// Makes `new` the folder at `out`. Returns where the previous `out` went
/// (to `new`'s old name), or `None` when there was no previous `out`.
pub fn swap_in(new: &Path, out: &Path, old: &Path) -> io::Result<Option<PathBuf>> {
    if std::fs::symlink_metadata(out).is_err() {
        std::fs::rename(new, out)?;
        return Ok(None);
    }
    if exchange(new, out)? {
        return Ok(Some(new.to_path_buf()));
    }
    swap_by_renames(new, out, old)?;
    Ok(Some(old.to_path_buf()))
}

/// Exchanges the two folders in one step; `false` when the file system or
/// the system cannot.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// The fallback: `out` to `old`, then `new` to `out`.
pub(super) fn swap_by_renames(new: &Path, out: &Path, old: &Path) -> io::Result<()> {
    std::fs::rename(out, old)?;
    if let Err(e) = std::fs::rename(new, out) {
        // Put the previous site back before reporting.
        let _ = std::fs::rename(old, out);
        return Err(e);
    }
    Ok(())
}

/// Held while a build writes beside `parent`: an exclusive lock on the
/// folder that holds the output, so two builds of the same output never
/// take each other's folders. The system drops it when the process ends,
/// however it ends.
pub struct Lock {
    _dir: File,
}

pub fn lock(parent: &Path) -> io::Result<Lock> {
    let dir = File::open(parent)?;
    #[cfg(unix)]
    rustix::fs::flock(&dir, rustix::fs::FlockOperation::LockExclusive)?;
    Ok(Lock { _dir: dir })
}

/// The names of a build's own folders beside the output `name`.
pub struct Names {
    pub spare: String,
    pub work: String,
    pub old: String,
}

impl Names {
    pub fn new(name: &str) -> Names {
        let pid = std::process::id();
        Names {
            spare: format!(".{name}.insyn-spare"),
            work: format!(".{name}.insyn-tmp-{pid}"),
            old: format!(".{name}.insyn-old-{pid}"),
        }
    }
}

/// Removes the folders that builds of `name` killed half-way left beside
/// it (`.NAME.insyn-tmp-PID`, `.NAME.insyn-old-PID`), if they are insyn's;
/// anything else of those names is left alone. Run under [`lock`], so no
/// other build is using them. When there is no spare, a leftover site
/// becomes it rather than being removed: bringing it up to date is still
/// cheaper than writing every file afresh.
///
/// Where there is no output at all, a build was killed between the two
/// renames of the fallback swap: its `.NAME.insyn-old-PID` is the site that
/// was served, and goes back in place first.
pub fn clean_leftovers(parent: &Path, name: &str, spare: &Path) -> io::Result<()> {
    let prefixes = [format!(".{name}.insyn-tmp-"), format!(".{name}.insyn-old-")];
    let mut leftovers = Vec::new();
    for entry in std::fs::read_dir(parent)? {
        let entry = entry?;
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let is_leftover = prefixes.iter().any(|p| {
            file_name
                .strip_prefix(p.as_str())
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        });
        if is_leftover && let Ok(found) = claim::inspect(&entry.path()) {
            leftovers.push((entry.path(), found));
        }
    }
    leftovers.sort_by(|a, b| a.0.cmp(&b.0));
    let out = parent.join(name);
    if std::fs::symlink_metadata(&out).is_err()
        && let Some(i) = leftovers.iter().position(|(path, found)| {
            found.is_a_site() && path.to_string_lossy().contains(&prefixes[1])
        })
    {
        std::fs::rename(&leftovers[i].0, &out)?;
        leftovers.remove(i);
    }
    let mut need_spare = std::fs::symlink_metadata(spare).is_err();
    for (path, found) in leftovers {
        if need_spare && found.is_a_site() && std::fs::rename(&path, spare).is_ok() {
            need_spare = false;
            continue;
        }
        if found != Found::Nothing {
            std::fs::remove_dir_all(&path)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn the_fallback_swap_puts_the_new_folder_in_place_and_keeps_the_old() {
        let dir = tempfile::tempdir().unwrap();
        let (new, out, old) = (
            dir.path().join("new"),
            dir.path().join("out"),
            dir.path().join("old"),
        );
        std::fs::create_dir(&new).unwrap();
        std::fs::write(new.join("a"), "new").unwrap();
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("a"), "old").unwrap();
        swap_by_renames(&new, &out, &old).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(old.join("a")).unwrap(), "old");
        assert_eq!(names(dir.path()), ["old", "out"]);
    }

    #[test]
    fn swap_in_exchanges_the_folders() {
        let dir = tempfile::tempdir().unwrap();
        let (new, out, old) = (
            dir.path().join("new"),
            dir.path().join("out"),
            dir.path().join("old"),
        );
        std::fs::create_dir(&new).unwrap();
        std::fs::write(new.join("a"), "new").unwrap();
        assert_eq!(swap_in(&new, &out, &old).unwrap(), None);
        std::fs::create_dir(&new).unwrap();
        std::fs::write(new.join("a"), "newer").unwrap();
        let previous = swap_in(&new, &out, &old).unwrap().unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a")).unwrap(), "newer");
        assert_eq!(std::fs::read_to_string(previous.join("a")).unwrap(), "new");
    }

    #[test]
    fn the_site_a_fallback_swap_left_renamed_away_goes_back_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        for name in [".public.insyn-old-7", ".public.insyn-tmp-7"] {
            std::fs::create_dir(p.join(name)).unwrap();
            claim::mark(&p.join(name)).unwrap();
            std::fs::write(p.join(name).join("index.html"), name).unwrap();
        }
        clean_leftovers(p, "public", &p.join(".public.insyn-spare")).unwrap();
        assert_eq!(names(p), [".public.insyn-spare", "public"]);
        assert_eq!(
            std::fs::read_to_string(p.join("public/index.html")).unwrap(),
            ".public.insyn-old-7"
        );
    }

    /// Found by the kill test: a build killed while it wrote the mark's
    /// list left the mark's temporary at the top of its folder, which the
    /// next build took for a stranger's file and so left the folder there.
    #[test]
    fn a_leftover_killed_while_writing_its_mark_is_still_insyns() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir(p.join("public")).unwrap();
        claim::mark_listing(&p.join("public"), ["index.html"]).unwrap();
        std::fs::write(p.join("public/index.html"), "served").unwrap();
        let spare = p.join(".public.insyn-spare");
        for name in [".public.insyn-spare", ".public.insyn-tmp-21"] {
            std::fs::create_dir(p.join(name)).unwrap();
            claim::mark_listing(&p.join(name), ["index.html"]).unwrap();
            std::fs::write(p.join(name).join("index.html"), name).unwrap();
        }
        let leftover = p.join(".public.insyn-tmp-21");
        std::fs::write(leftover.join("..insyn-output.tmp-21"), "half a mark").unwrap();
        clean_leftovers(p, "public", &spare).unwrap();
        assert_eq!(names(p), [".public.insyn-spare", "public"]);
    }

    /// The build's own temporary folder is where this test's is (the same
    /// file system as most outputs: tmpfs or ext4, both of which exchange).
    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn on_linux_two_folders_trade_places_in_one_call() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::write(a.join("x"), "a").unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(b.join("x"), "b").unwrap();
        assert!(
            exchange(&a, &b).unwrap(),
            "RENAME_EXCHANGE is not supported here"
        );
        assert_eq!(std::fs::read_to_string(a.join("x")).unwrap(), "b");
        assert_eq!(std::fs::read_to_string(b.join("x")).unwrap(), "a");
    }

    #[test]
    fn leftovers_of_insyn_are_removed_or_kept_as_the_spare_and_others_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir(p.join("public")).unwrap();
        for (name, marked) in [
            (".public.insyn-tmp-11", true),
            (".public.insyn-old-12", true),
            (".public.insyn-tmp-13", false),
        ] {
            std::fs::create_dir(p.join(name)).unwrap();
            if marked {
                claim::mark(&p.join(name)).unwrap();
            }
        }
        // Not insyn's: someone's folder that happens to have such a name,
        // and one that only looks like it.
        std::fs::create_dir(p.join(".public.insyn-tmp-14")).unwrap();
        std::fs::write(p.join(".public.insyn-tmp-14/mine.txt"), "keep").unwrap();
        std::fs::create_dir(p.join(".public.insyn-tmp-x")).unwrap();
        claim::mark(&p.join(".public.insyn-tmp-x")).unwrap();
        let spare = p.join(".public.insyn-spare");
        clean_leftovers(p, "public", &spare).unwrap();
        assert_eq!(
            names(p),
            [
                ".public.insyn-spare",
                ".public.insyn-tmp-14",
                ".public.insyn-tmp-x",
                "public"
            ]
        );
        assert!(spare.join(claim::MARKER).is_file());
    }
}
