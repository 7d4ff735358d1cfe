//! `INSYN_TIMINGS=1`: the time of each build stage, printed to stderr as
//! `timing <stage> <ms>` lines (for the benchmark in `bench/national.sh`).
//! Stages are wall time; `cpu:` lines sum the time threads spent in a kind of
//! work (SVG drawing, PNG, downloads), so they can exceed the wall time.
//! Off by default: then nothing is measured and nothing is printed.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("INSYN_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0"))
}

/// Runs `f` and, when timings are on, prints its wall time as `name`.
pub fn stage<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    eprintln!(
        "timing {name:<22} {:9.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    out
}

/// Thread time summed over a kind of work.
pub struct Counter {
    name: &'static str,
    nanos: AtomicU64,
}

impl Counter {
    pub const fn new(name: &'static str) -> Counter {
        Counter {
            name,
            nanos: AtomicU64::new(0),
        }
    }

    /// Runs `f`, adding its time to the counter when timings are on.
    pub fn time<T>(&self, f: impl FnOnce() -> T) -> T {
        if !enabled() {
            return f();
        }
        let start = Instant::now();
        let out = f();
        self.nanos
            .fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        out
    }

    /// Prints and resets the counter.
    pub fn report(&self) {
        if enabled() {
            let n = self.nanos.swap(0, Ordering::Relaxed);
            eprintln!("timing   cpu: {:<17} {:9.1} ms", self.name, n as f64 / 1e6);
        }
    }
}

/// Prints the wall time from its creation to its drop as `name`.
pub struct Span {
    name: &'static str,
    start: Option<Instant>,
}

impl Span {
    pub fn new(name: &'static str) -> Span {
        Span {
            name,
            start: enabled().then(Instant::now),
        }
    }
}

impl Drop for Span {
    fn drop(&mut self) {
        if let Some(start) = self.start {
            eprintln!(
                "timing {:<22} {:9.1} ms{}",
                self.name,
                start.elapsed().as_secs_f64() * 1e3,
                memory()
            );
        }
    }
}

/// How many times a kind of work was done, counted whether or not timings
/// are on (an atomic add) and printed with them.
pub struct Tally {
    name: &'static str,
    count: AtomicU64,
}

impl Tally {
    pub const fn new(name: &'static str) -> Tally {
        Tally {
            name,
            count: AtomicU64::new(0),
        }
    }

    pub fn add(&self) {
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// Prints `timing count: <name> <n>` and resets the tally.
    pub fn report(&self) {
        let n = self.count.swap(0, Ordering::Relaxed);
        if enabled() {
            eprintln!("timing count: {:<15} {n:9}", self.name);
        }
    }
}

/// Chart images drawn (SVG documents, every layout), in this process: a
/// build that fails validation draws none (`tests/fail_fast.rs`).
pub static CHARTS_DRAWN: Tally = Tally::new("charts drawn");

/// Charts resolved from the data (a chart shown on several pages is
/// resolved for each), against which the charts of the site compare.
pub static CHARTS_RESOLVED: Tally = Tally::new("charts resolved");

/// The process's resident memory now and at its peak, where the system says
/// (Linux's `/proc/self/status`): which stage holds the memory of a large
/// site shows in the stage table. Empty elsewhere.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!("   rss {} MiB, peak {} MiB", now / 1024, peak / 1024),
        _ => String::new(),
    }
}
