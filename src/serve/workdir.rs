//! The temporary folder a running `insyn serve` writes its generations into.
//!
//! A server stopped with Ctrl-C removes its folder itself. One that is
//! killed (SIGKILL, a crash, a closed laptop lid that never wakes the
//! process) cannot, and each such folder holds a whole built site. So each
//! server holds an exclusive lock on a file in its folder for as long as it
//! runs (the system releases it however the process ends), and every server
//! that starts removes the `insyn-serve-*` folders whose lock it can take:
//! their owner is gone.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

const PREFIX: &str = "insyn-serve-";
const LOCK: &str = ".lock";

/// This server's folder; removed on drop.
pub struct WorkDir {
    path: PathBuf,
    _lock: File,
}

impl WorkDir {
    /// Removes the folders of servers that are gone, then makes this one's
    /// under `temp` (the system's temporary directory in practice).
    pub fn create(temp: &Path) -> io::Result<WorkDir> {
        sweep(temp);
        let path = temp.join(format!("{PREFIX}{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)?;
        let lock = File::create(path.join(LOCK))?;
        #[cfg(unix)]
        rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive)?;
        Ok(WorkDir { path, _lock: lock })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Removes every `insyn-serve-*` folder under `temp` whose lock is free.
/// A folder without a lock file (made by an older insyn) is left alone:
/// nothing says its server is gone.
fn sweep(temp: &Path) {
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let dir = entry.path();
        if owner_is_gone(&dir.join(LOCK)) {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

#[cfg(unix)]
fn owner_is_gone(lock: &Path) -> bool {
    let Ok(file) = File::open(lock) else {
        return false;
    };
    rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive).is_ok()
}

#[cfg(not(unix))]
fn owner_is_gone(_lock: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_whose_server_is_gone_is_removed_and_a_live_one_is_kept() {
        let temp = tempfile::tempdir().unwrap();
        // A server that was killed: its lock file exists, nobody holds it.
        let gone = temp.path().join("insyn-serve-999999999");
        std::fs::create_dir_all(gone.join("gen-1")).unwrap();
        File::create(gone.join(LOCK)).unwrap();
        // A folder from an older insyn, without a lock file: not ours to judge.
        let unknown = temp.path().join("insyn-serve-1");
        std::fs::create_dir_all(&unknown).unwrap();
        // Someone else's folder.
        let other = temp.path().join("notes");
        std::fs::create_dir_all(&other).unwrap();

        let live = WorkDir::create(temp.path()).unwrap();
        assert!(!gone.exists(), "the killed server's folder stays");
        assert!(unknown.exists() && other.exists());
        assert!(live.path().is_dir());

        // A second server starting now must not remove the live one's folder
        // (flock locks belong to the open file, so this holds within one
        // process too).
        sweep(temp.path());
        assert!(
            live.path().is_dir(),
            "a running server's folder was removed"
        );

        let path = live.path().to_path_buf();
        drop(live);
        assert!(!path.exists());
    }
}
