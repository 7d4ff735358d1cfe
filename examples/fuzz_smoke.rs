//! Runs every fuzz target of `insyn::fuzz` over generated inputs without
//! nightly or libFuzzer: a deterministic generator (xorshift) mutates the
//! seed corpus in `fuzz/corpus/<target>/` and splices in each target's
//! dictionary; one input in 32 is a token repeated thousands of times (up
//! to 64 KiB), the shape that finds quadratic passes. A panic is a crash,
//! and so is an input that takes longer than the time budget
//! (`FUZZ_SMOKE_BUDGET_MS`, 250 ms by default, for a release build): the
//! input is saved under `fuzz/artifacts/smoke/` and the run exits with
//! status 1.
//!
//! ```text
//! cargo run --release --example fuzz_smoke                 # 1,000,000 inputs per target
//! cargo run --release --example fuzz_smoke -- 50000 markdown
//! cargo run --release --example fuzz_smoke -- replay markdown fuzz/artifacts/smoke/markdown-862
//! ```

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use insyn::fuzz::{TARGETS, dictionary};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn seeds(root: &Path, target: &str) -> Vec<Vec<u8>> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(root.join(target))
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| (e.path(), std::fs::read(e.path()).unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    let mut seeds: Vec<Vec<u8>> = v.into_iter().map(|(_, b)| b).collect();
    seeds.push(Vec::new());
    seeds
}

/// One generated input: a seed, mutated 1–8 times.
fn generate(rng: &mut Rng, seeds: &[Vec<u8>], dict: &[&str], max_len: usize) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(data.len() + 1);
        match rng.below(8) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] = rng.next() as u8;
            }
            2 if !data.is_empty() => {
                let end = (at + 1 + rng.below(16)).min(data.len());
                data.drain(at.min(end)..end);
            }
            3 if !data.is_empty() => {
                let from = rng.below(data.len());
                let end = (from + 1 + rng.below(32)).min(data.len());
                let piece = data[from..end].to_vec();
                data.splice(at..at, piece);
            }
            4 => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let end = (from + 1 + rng.below(64)).min(other.len());
                    data.splice(at..at, other[from..end].iter().copied());
                }
            }
            5 => {
                let n = 1 + rng.below(4);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                data.splice(at..at, bytes);
            }
            _ if !dict.is_empty() => {
                let token = dict[rng.below(dict.len())].as_bytes();
                data.splice(at..at, token.iter().copied());
            }
            _ => {}
        }
    }
    data.truncate(max_len);
    data
}

/// Inputs that repeat one token are this long at most.
const MAX_REPEATED_LEN: usize = 64 << 10;

/// One piece (a dictionary token or a slice of a seed) repeated up to
/// 64 KiB, after a seed's first bytes: long runs of `>`, `- `, `{{`, `,`,
/// headings or columns.
fn repeated(rng: &mut Rng, seeds: &[Vec<u8>], dict: &[&str]) -> Vec<u8> {
    let seed = &seeds[rng.below(seeds.len())];
    let mut data = seed[..rng.below(seed.len() + 1)].to_vec();
    let piece: Vec<u8> = if !dict.is_empty() && rng.below(2) == 0 {
        dict[rng.below(dict.len())].as_bytes().to_vec()
    } else if !seed.is_empty() {
        let from = rng.below(seed.len());
        let end = (from + 1 + rng.below(24)).min(seed.len());
        seed[from..end].to_vec()
    } else {
        b"x".to_vec()
    };
    let times = 100 + rng.below(20_000);
    for _ in 0..times {
        if data.len() + piece.len() > MAX_REPEATED_LEN {
            break;
        }
        data.extend_from_slice(&piece);
    }
    data
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `fuzz_smoke replay TARGET FILE`: run one saved input, panic message and all.
    if let [cmd, name, file] = args.as_slice()
        && cmd == "replay"
    {
        let (_, target) = TARGETS
            .iter()
            .find(|(n, _)| n == name)
            .expect("an unknown target");
        let started = Instant::now();
        target(&std::fs::read(file).expect("cannot read the input"));
        println!(
            "{name}: no crash ({:.1} ms)",
            started.elapsed().as_secs_f64() * 1000.0
        );
        return;
    }
    let runs: u64 = args
        .first()
        .and_then(|a| a.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let only: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let corpus = root.join("corpus");
    let budget = Duration::from_millis(
        std::env::var("FUZZ_SMOKE_BUDGET_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(250),
    );
    // Panics are expected to be caught here; keep the default hook quiet.
    std::panic::set_hook(Box::new(|_| {}));
    let mut crashed = 0;
    let started_all = Instant::now();
    for (name, target) in TARGETS {
        if !only.is_empty() && !only.contains(name) {
            continue;
        }
        let seeds = seeds(&corpus, name);
        let dict = dictionary(name);
        let max_len = if *name == "csv" || *name == "markdown" {
            2048
        } else {
            512
        };
        let mut rng =
            Rng(0x9E37_79B9_7F4A_7C15 ^ name.len() as u64 ^ (name.as_bytes()[0] as u64) << 32);
        let started = Instant::now();
        let mut bytes = 0u64;
        let mut crashes = 0;
        let mut slowest = Duration::ZERO;
        for i in 0..runs {
            let input = if rng.below(32) == 0 {
                repeated(&mut rng, &seeds, dict)
            } else {
                generate(&mut rng, &seeds, dict, max_len)
            };
            bytes += input.len() as u64;
            let run = Instant::now();
            let panicked = std::panic::catch_unwind(|| target(&input)).is_err();
            let took = run.elapsed();
            slowest = slowest.max(took);
            let what = if panicked {
                "CRASH"
            } else if took > budget {
                "SLOW"
            } else {
                continue;
            };
            crashes += 1;
            let dir = root.join("artifacts/smoke");
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!("{name}-{i}"));
            let _ = std::fs::write(&file, &input);
            if crashes <= 3 {
                eprintln!(
                    "{what} in {name} on input {i} ({} bytes, {:.0} ms): saved as {}",
                    input.len(),
                    took.as_secs_f64() * 1000.0,
                    file.display()
                );
            }
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{name:<13} {runs:>9} inputs  {:>7.1} MB  {secs:>7.1} s  {:>9.0}/s  slowest {:>6.1} ms  crashes or slow: {crashes}",
            bytes as f64 / 1e6,
            runs as f64 / secs,
            slowest.as_secs_f64() * 1000.0
        );
        crashed += crashes;
    }
    println!(
        "total {:.1} s; {}",
        started_all.elapsed().as_secs_f64(),
        if crashed == 0 {
            "no crash, nothing slow".to_string()
        } else {
            format!("{crashed} crash(es) or slow input(s)")
        }
    );
    if crashed > 0 {
        std::process::exit(1);
    }
}
