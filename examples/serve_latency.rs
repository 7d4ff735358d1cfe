//! Measures what an author waits for in `insyn serve`: the time from saving
//! a Markdown file to the server answering with the new page.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example gen_national -- /tmp/national
//! cargo run --release --example serve_latency -- /tmp/national [--edits 15]
//! ```
//!
//! It starts `target/release/insyn serve` on a free port, then edits the
//! newest report's text (its front matter stays as it is) again and again,
//! and after each save polls the page every 2 ms until the new sentence is
//! there. The report is restored at the end. Prints each latency and the
//! median; the server's own log lines (how long each re-render took) follow.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| usage()));
    let mut edits = 15;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--edits" => {
                edits = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            _ => usage(),
        }
    }
    let insyn = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/insyn");
    if !insyn.is_file() {
        eprintln!("build the release binary first: cargo build --release");
        std::process::exit(2);
    }
    let (report, page) = newest_report(&root);
    let original = std::fs::read_to_string(&report).expect("read the report");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let mut server = Command::new(&insyn)
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(&root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start insyn serve");
    let log = server.stderr.take().expect("stderr");
    let log = std::thread::spawn(move || {
        BufReader::new(log)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });

    let started = Instant::now();
    while get(port, &page).is_none_or(|(status, _)| status != 200) {
        if started.elapsed() > Duration::from_secs(300) {
            panic!("the first build did not finish");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    println!(
        "first build served after {:.1} s; editing {}",
        started.elapsed().as_secs_f64(),
        report.display()
    );
    // Let the watcher settle after the first build.
    std::thread::sleep(Duration::from_millis(500));

    let mut latencies = Vec::new();
    for n in 1..=edits {
        let marker = format!("Mätpunkt nummer {n} för latens.");
        let text = format!("{}\n\n{marker}\n", original.trim_end());
        let saved = Instant::now();
        std::fs::write(&report, text).expect("write the report");
        loop {
            if let Some((_, body)) = get(port, &page)
                && body.contains(&marker)
            {
                break;
            }
            if saved.elapsed() > Duration::from_secs(60) {
                panic!("edit {n} never showed up");
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let ms = saved.elapsed().as_secs_f64() * 1000.0;
        println!("edit {n:>2}: {ms:>6.0} ms");
        latencies.push(ms);
        std::thread::sleep(Duration::from_millis(300));
    }
    std::fs::write(&report, &original).expect("restore the report");
    std::thread::sleep(Duration::from_millis(500));
    let _ = server.kill();
    let _ = server.wait();

    latencies.sort_by(f64::total_cmp);
    let median = latencies[latencies.len() / 2];
    println!(
        "save → new page served: median {median:.0} ms, min {:.0} ms, max {:.0} ms ({} edits)",
        latencies[0],
        latencies[latencies.len() - 1],
        latencies.len()
    );
    println!("server log (builds and re-renders):");
    for line in log.join().unwrap_or_default() {
        if line.contains(" built ") || line.contains(" again ") {
            println!("  {line}");
        }
    }
}

fn usage() -> ! {
    eprintln!("usage: serve_latency SITE_DIR [--edits N]");
    std::process::exit(2);
}

/// The newest report (by file name) and its address.
fn newest_report(root: &Path) -> (PathBuf, String) {
    let dir = root.join("content/rapporter");
    let mut reports: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("content/rapporter")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                && p.file_name().is_none_or(|n| n != "_index.md")
        })
        .collect();
    reports.sort();
    let report = reports.pop().expect("a report");
    let stem = report.file_stem().expect("name").to_string_lossy();
    let page = format!("/rapporter/{stem}/");
    (report, page)
}

/// A plain HTTP/1.0 GET: status and body.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())?;
    Some((status, body))
}
