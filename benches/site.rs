//! The whole site in memory: loading the national-scale site of
//! `examples/gen_national.rs` (290 municipalities, 40 quarters, 12 measures,
//! 40 reports) and rendering every page, chart and download without writing
//! (PNGs left out: `bench/national.sh` times them through the cache).
//!
//! `cargo bench --bench site`

#[allow(dead_code)]
#[path = "../examples/gen_national.rs"]
mod gen_national;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use insyn::BuildOptions;
use insyn::site::Site;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    gen_national::generate(dir.path(), 290);
    let options = BuildOptions {
        mode: insyn::BuildMode::Check,
        ..BuildOptions::default()
    };
    let site = Site::load(dir.path(), &options).unwrap();
    let rendered = site.render(&options).unwrap();
    println!(
        "national site: {} pages, {} charts, {} files",
        rendered.pages,
        rendered.charts,
        rendered.files.len()
    );
    let mut group = c.benchmark_group("national");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("load", |b| {
        b.iter(|| black_box(Site::load(dir.path(), &options).unwrap()))
    });
    group.bench_function("render_in_memory", |b| {
        b.iter(|| black_box(site.render(&options).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
