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

/// Runs `insyn <command>` with stage timings on and returns the exit code,
/// stderr and how many chart images it drew.
fn counting_drawings(command: &str, root: &std::path::Path) -> (Option<i32>, String, u64) {
    let o = insyn()
        .env("INSYN_TIMINGS", "1")
        .args([command, "--root"])
        .arg(root)
        .output()
        .unwrap();
    let err = stderr(&o);
    let drawn = err
        .lines()
        .find_map(|l| l.strip_prefix("timing count: charts drawn"))
        .unwrap_or_else(|| panic!("no count of drawn charts: {err}"))
        .trim()
        .parse()
        .unwrap();
    (o.status.code(), err, drawn)
}

/// A mistake in the last file the build reaches must not cost the drawing
/// of every chart before it: the chart blocks of the other report, the home
/// page and every unit and measure page are valid and would be drawn.
#[test]
fn a_broken_chart_block_stops_the_build_before_any_chart_is_drawn() {
    // `check` draws what a build draws, without rasterising PNGs.
    let site = copy_site(&fixture("minimal"));
    let (code, err, drawn) = counting_drawings("check", site.path());
    assert_eq!(code, Some(0), "{err}");
    assert!(drawn > 10, "the valid site draws its charts: {drawn}");

    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let report = root.join("content/rapporter/2024-q3.md");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(
        &report,
        text.replace(
            "measure = \"cases_per_fte\"",
            "measure = \"cases_per_ftee\"",
        ),
    )
    .unwrap();
    let (code, err, drawn) = counting_drawings("build", root);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("content/rapporter/2024-q3.md:"), "{err}");
    assert!(err.contains("cases_per_ftee"), "{err}");
    assert_eq!(drawn, 0, "charts were drawn before the error: {err}");
    assert!(!root.join("public").exists());
    assert!(!root.join(".insyn-cache").exists());
}

/// The same for an inline figure and a front matter, together: both are
/// reported, and nothing is drawn.
#[test]
fn a_broken_figure_and_front_matter_are_reported_together_before_any_chart_is_drawn() {
    let site = copy_site(&fixture("minimal"));
    let root = site.path();
    let q2 = root.join("content/rapporter/2024-q2.md");
    let text = std::fs::read_to_string(&q2).unwrap();
    std::fs::write(&q2, text.replace("unit=\"beta\"", "unit=\"betta\"")).unwrap();
    let q3 = root.join("content/rapporter/2024-q3.md");
    let text = std::fs::read_to_string(&q3).unwrap();
    std::fs::write(&q3, text.replace("date = 2024-10-20", "date = 2024-10-")).unwrap();
    let (code, err, drawn) = counting_drawings("build", root);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("content/rapporter/2024-q2.md:7"), "{err}");
    assert!(err.contains("betta"), "{err}");
    assert!(err.contains("content/rapporter/2024-q3.md"), "{err}");
    assert_eq!(drawn, 0, "charts were drawn before the errors: {err}");
    assert!(!root.join("public").exists());
    assert!(!root.join(".insyn-cache").exists());
}
