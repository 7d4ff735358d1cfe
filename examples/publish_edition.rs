//! Publishes a site as `insyn publish --date DATE` does, or builds it as
//! `insyn build` does without `--date`, for measuring the editions archive
//! (`bench/editions.sh`). Without `--png` it is a preview and draws no PNG,
//! publishing included: the archive stores none (a frozen `chart.png` is
//! drawn again from its SVG), so the edition recorded is the same.
//!
//! `cargo run --release --example publish_edition -- ROOT [--date DATE] [--png]`

use std::path::PathBuf;

fn main() {
    let usage = "usage: publish_edition ROOT [--date YYYY-MM-DD] [--png]";
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect(usage));
    let (mut date, mut png) = (None, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--date" => date = Some(args.next().expect(usage)),
            "--png" => png = true,
            _ => panic!("{usage}"),
        }
    }
    let options = insyn::BuildOptions {
        cache_dir: Some(root.join(".insyn-cache")),
        prune_cache: true,
        mode: if png {
            insyn::BuildMode::Publish
        } else {
            insyn::BuildMode::Preview
        },
        publish_date: date.clone(),
        ..insyn::BuildOptions::default()
    };
    let out = root.join("public");
    let started = std::time::Instant::now();
    let result = match date {
        Some(_) => insyn::publish(&root, &out, &options).map(|(report, _)| report),
        None => insyn::build(&root, &out, &options),
    };
    match result {
        Ok(report) => println!(
            "{} edition {} ({}) in {:.1} s",
            if options.publish_date.is_some() {
                "published"
            } else {
                "built"
            },
            report.publication.edition.unwrap_or_default(),
            report.publication.date,
            started.elapsed().as_secs_f64()
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
