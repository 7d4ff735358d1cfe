//! Helpers shared by the integration tests: copy a fixture site, run the
//! binary, read the output tree.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures/sites").join(name)
}

/// Copies a site (without public/ and caches) into a fresh temporary folder.
pub fn copy_site(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in [
        "site.toml",
        "data",
        "content",
        "themes",
        "static",
        "editions",
    ] {
        let src = from.join(sub);
        if src.is_file() {
            std::fs::copy(&src, dir.path().join(sub)).unwrap();
        } else if src.is_dir() {
            copy_dir(&src, &dir.path().join(sub));
        }
    }
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn insyn() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("insyn").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

/// `insyn check` of the site at `root`, `--strict` when asked.
pub fn check(root: &Path, strict: bool) -> Output {
    let mut cmd = insyn();
    cmd.args(["check", "--root"]).arg(root);
    if strict {
        cmd.arg("--strict");
    }
    cmd.output().unwrap()
}

pub fn build(root: &Path, out: &Path) -> Output {
    insyn()
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Every file under `dir`, by relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

pub fn text(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A site from `insyn init`, in `site/` of a temporary folder.
pub fn init_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let o = insyn()
        .arg("init")
        .arg(dir.path().join("site"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

/// Build options with the site's own cache; PNGs are drawn only where a
/// test looks at them (else a preview, which leaves them out).
pub fn cached_options(root: &Path, png: bool) -> insyn::BuildOptions {
    insyn::BuildOptions {
        cache_dir: Some(root.join(".insyn-cache")),
        mode: if png {
            insyn::BuildMode::Publish
        } else {
            insyn::BuildMode::Preview
        },
        ..insyn::BuildOptions::default()
    }
}
