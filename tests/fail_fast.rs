//! Fail fast: a site with one broken front matter stops after validation,
//! before any chart is drawn or rasterised, and a failed build writes
//! nothing anywhere: no output folder, no build cache entry.

use crate::support::{copy_site, fixture, insyn, stderr};

#[test]
fn a_broken_front_matter_writes_no_cache_entry_and_no_output() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let report = root.join("content/rapporter/2024-q2.md");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(
        &report,
        text.replace("date = 2024-07-20", "date = 2024-07-"),
    )
    .unwrap();
    let out = root.join("public");
    let o = insyn()
        .args(["build", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("content/rapporter/2024-q2.md"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists(), "a failed build wrote the output folder");
    let cache = root.join(".insyn-cache");
    let entries = walkdir::WalkDir::new(&cache)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    assert_eq!(entries, 0, "a failed build wrote {entries} cache entries");

    // Fixed, the same site builds and fills the cache.
    std::fs::write(&report, text).unwrap();
    let o = insyn()
        .args(["build", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(cache.join("png").is_dir());
}
