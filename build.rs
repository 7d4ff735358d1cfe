//! The PNG renderer's fingerprint, for the build cache.
//!
//! A chart's PNG is kept under the hash of the SVG it is drawn from and the
//! renderer (`chart::png::RENDERER_VERSION`), so that a new version of insyn
//! finds the images of charts it lays out as the last one did. The images
//! depend on the renderer's code, its fonts and the crates it draws with as
//! much as on the SVG: this hashes those (the files of `src/chart/png/`, the
//! bundled fonts and `Cargo.lock`), so that any change to them draws every
//! image again without anyone having to remember to change a version.

use std::path::Path;

fn main() {
    let mut files = Vec::new();
    for dir in ["src/chart/png", "assets/fonts"] {
        println!("cargo:rerun-if-changed={dir}");
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir}: {e}"));
        for entry in entries {
            let path = entry.expect("a readable folder").path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    println!("cargo:rerun-if-changed=Cargo.lock");
    files.push(Path::new("Cargo.lock").to_path_buf());
    files.sort();
    // FNV-1a, 64 bits: stable across toolchains (std's hasher is not
    // promised to be), and a key, not a defence.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &byte in bytes {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for path in &files {
        let name = path.to_string_lossy().replace('\\', "/");
        feed(name.as_bytes());
        feed(&[0]);
        feed(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
        feed(&[0]);
    }
    println!("cargo:rustc-env=INSYN_PNG_RENDERER_HASH={hash:016x}");
}
