//! The HTML and XML escapers over text like a chart's description: about a
//! kilobyte of Swedish prose without markup (the common case, which is a
//! scan for the next character to change), and the same with markup.
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let sentence = "Ärenden per årsarbetare i Nordost ökade från 12,5 till 14,2 \
                    mellan K1 2019 och K4 2025; ";
    let plain = sentence.repeat(12);
    let marked = plain.replace("; ", " & <b>\"x\"</b>; ");
    let mut group = c.benchmark_group("escape");
    for (name, text) in [("plain", &plain), ("markup", &marked)] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("html_{name}"), |b| {
            b.iter(|| black_box(insyn::escape::html(black_box(text))))
        });
        group.bench_function(format!("xml_{name}"), |b| {
            b.iter(|| black_box(insyn::escape::xml(black_box(text))))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
