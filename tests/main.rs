//! The integration tests, as one test binary: each file beside this one is a
//! module, so the crate is linked once for all of them instead of once per
//! file. Cargo's automatic test discovery is off (`autotests = false`);
//! `every_test_file_is_a_module` fails when a new file is not listed here.

mod common;
mod support;

mod addresses;
mod archive;
mod build_site;
mod charts;
mod check;
mod content_errors;
mod data_errors;
mod disclosure;
mod downloads;
mod drawings;
mod fail_fast;
mod formats;
mod honesty;
mod hostile;
mod hostile_input;
mod hostile_use;
mod import;
mod incremental;
mod output_checks;
mod real_data;
mod revisions;
mod scaffold;
mod serve;
mod svg_layout;
mod tolerant;

/// A test file that is not declared above would never run: catch it.
#[test]
fn every_test_file_is_a_module() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let main = std::fs::read_to_string(dir.join("main.rs")).unwrap();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(module) = name.strip_suffix(".rs")
            && module != "main"
            && !main.contains(&format!("\nmod {module};"))
        {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "add `mod …;` to tests/main.rs for {missing:?}"
    );
}
