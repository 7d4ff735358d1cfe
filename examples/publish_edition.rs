//! Publishes a site as `insyn publish --date DATE` does, for measuring the
//! editions archive (`bench/editions.sh`): without `--png` the build draws
//! no PNGs, which the archive never stores (a frozen `chart.png` is drawn
//! again from the frozen SVG), so the archive is the same as with them and a
//! national edition publishes in seconds rather than minutes.
//!
//! `cargo run --release --example publish_edition -- ROOT DATE [--png]`

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: publish_edition ROOT DATE [--png]";
    let root = PathBuf::from(args.next().expect(usage));
    let date = args.next().expect(usage);
    let png = match args.next().as_deref() {
        None => false,
        Some("--png") => true,
        Some(_) => panic!("{usage}"),
    };
    let options = insyn::BuildOptions {
        cache_dir: Some(root.join(".insyn-cache")),
        prune_cache: true,
        skip_png: !png,
        publish_date: Some(date),
        ..insyn::BuildOptions::default()
    };
    match insyn::publish(&root, &root.join("public"), &options) {
        Ok((report, _)) => println!(
            "published edition {} on {}",
            report.publication.edition.unwrap_or_default(),
            report.publication.date
        ),
        Err(e) => {
            if let insyn::BuildError::Invalid(problems) = &e {
                for d in problems {
                    eprintln!("{}: {}", d.file.display(), d.message);
                }
            }
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
