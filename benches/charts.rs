//! SVG rendering and PNG rasterising of a typical chart.
#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use insyn::text::Lang;

fn bench(c: &mut Criterion) {
    let mut data = common::dataset();
    common::add_break(&mut data, "open_cases", common::q(2022, 1));
    common::provisional(&mut data, "open_cases", "nordost", common::q(2024, 3));
    let spec = "type = \"growth\"\ncaseload = \"open_cases\"\nstaffing = \"staff_fte\"\nunit = \"nordost\"";
    let chart = common::chart_in(spec, &data, Lang::Sv);
    c.bench_function("svg_render_growth", |b| b.iter(|| black_box(chart.svg())));
    c.bench_function("resolve_and_svg_growth", |b| {
        b.iter(|| black_box(common::chart_in(spec, &data, Lang::Sv).svg()))
    });
    let svg = chart.svg();
    let mut group = c.benchmark_group("png");
    group.sample_size(10);
    group.bench_function("rasterize_png_growth", |b| {
        b.iter(|| black_box(insyn::chart::rasterize_png(&svg).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
