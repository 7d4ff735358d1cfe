//! National scale (§8): reading about a million observations, wide and long.
//!
//! `cargo bench --bench csv_read`

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

const UNITS: usize = 290;
const MEASURES: usize = 12;
const GROUPS: usize = 8;
const YEARS: i32 = 10;

fn metadata(data: &Path) {
    let mut units = String::new();
    for u in 0..UNITS {
        writeln!(units, "[units.u{u:03}]\nname = \"Kommun {u}\"\n").unwrap();
    }
    let mut measures = String::new();
    for m in 0..MEASURES {
        writeln!(
            measures,
            "[measures.m{m:02}]\nlabel = \"Mått {m}\"\nunit = \"count\"\ncolumns = [\"matt_{m}\"]\n"
        )
        .unwrap();
    }
    writeln!(
        measures,
        "[measures.ratio]\nlabel = \"Kvot\"\nunit = \"ratio\"\nratio = [\"m00\", \"m01\"]"
    )
    .unwrap();
    std::fs::write(data.join("units.toml"), units).unwrap();
    std::fs::write(data.join("measures.toml"), measures).unwrap();
}

fn rows(mut f: impl FnMut(String, usize, usize)) {
    for u in 0..UNITS {
        for y in 2015..2015 + YEARS {
            for q in 1..=4 {
                for g in 0..GROUPS {
                    f(format!("{y}Q{q}"), u, g);
                }
            }
        }
    }
}

/// Two sites, one wide and one long, each with UNITS × 40 quarters ×
/// GROUPS × MEASURES ≈ 1.1 million observations.
fn sites() -> (tempfile::TempDir, tempfile::TempDir) {
    let wide = tempfile::tempdir().unwrap();
    let data = wide.path().join("data");
    std::fs::create_dir(&data).unwrap();
    metadata(&data);
    let mut text = String::from("kvartal;enhet;grupp");
    for m in 0..MEASURES {
        write!(text, ";matt_{m}").unwrap();
    }
    text.push_str("\r\n");
    rows(|p, u, g| {
        write!(text, "{p};u{u:03};g{g}").unwrap();
        for m in 0..MEASURES {
            write!(
                text,
                ";{} {:03},5",
                1 + (u * 7 + m) % 9,
                (g * 31 + m) % 1000
            )
            .unwrap();
        }
        text.push_str("\r\n");
    });
    std::fs::write(data.join("wide.csv"), text).unwrap();

    let long = tempfile::tempdir().unwrap();
    let data = long.path().join("data");
    std::fs::create_dir(&data).unwrap();
    metadata(&data);
    // Split in one file per measure, as extracts often are.
    for m in 0..MEASURES {
        let mut text = String::from("period,unit,measure,value,status,group\n");
        rows(|p, u, g| {
            let status = if p.starts_with("2024Q4") { "p" } else { "" };
            writeln!(
                text,
                "{p},Kommun {u},m{m:02},{}.25,{status},g{g}",
                (u * 13 + g) % 5000
            )
            .unwrap();
        });
        std::fs::write(data.join(format!("long_{m:02}.csv")), text).unwrap();
    }
    (wide, long)
}

fn bench(c: &mut Criterion) {
    let (wide, long) = sites();
    let count = |root: &Path| -> usize {
        let ds = insyn::data::load(root).unwrap();
        ds.series
            .iter()
            .filter(|(k, _)| k.measure != "ratio")
            .map(|(_, s)| s.points.len())
            .sum()
    };
    println!("wide observations: {}", count(wide.path()));
    println!("long observations: {}", count(long.path()));
    let mut group = c.benchmark_group("load");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    group.bench_function("wide_1.1M_observations", |b| {
        b.iter(|| black_box(insyn::data::load(wide.path()).unwrap()))
    });
    group.bench_function("long_1.1M_observations", |b| {
        b.iter(|| black_box(insyn::data::load(long.path()).unwrap()))
    });
    group.finish();
}

// No plots: criterion's plotting backend needs system fonts.
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = bench
}
criterion_main!(benches);
