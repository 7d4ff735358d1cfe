//! Draws the chart SVGs found under a built site's `charts/` folder as
//! PNGs, on one thread, and prints the time of each step
//! (`INSYN_TIMINGS=1`): a steady measure of the PNG renderer alone, without
//! the rest of a build or the file system.
//!
//!     INSYN_TIMINGS=1 cargo run --release --example png_steps -- public/charts 300

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args.next().unwrap_or_else(|| "public/charts".into());
    let limit: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(300);
    let mut svgs: Vec<_> = walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "chart.svg")
        .map(|e| e.into_path())
        .collect();
    let step = (svgs.len() / limit.max(1)).max(1);
    svgs = svgs.into_iter().step_by(step).take(limit).collect();
    let texts: Vec<String> = svgs
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a readable SVG"))
        .collect();
    let start = std::time::Instant::now();
    let mut bytes = 0;
    for svg in &texts {
        bytes += insyn::chart::rasterize_png(svg).expect("drawn").len();
    }
    println!(
        "{} charts in {:.1} ms, {} bytes of PNG",
        texts.len(),
        start.elapsed().as_secs_f64() * 1e3,
        bytes
    );
    for counter in insyn::chart::png_step_times() {
        counter.report();
    }
}
