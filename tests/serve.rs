//! `insyn serve` end to end: serves the built site, rebuilds on an edit,
//! shows a broken edit as an error page while staying up, and recovers.
//! Loopback only; every wait is bounded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::*;

/// Kills the server however the test ends.
struct Server {
    child: Child,
    port: u16,
    /// The server's TMPDIR: it is killed, so it cannot remove its work folder;
    /// this goes with the test instead.
    _temp: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path, log: &Path) -> Server {
    let temp = tempfile::tempdir().unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("insyn"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("TMPDIR", temp.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // The first build of a debug binary rasterises every PNG: allow time.
    let deadline = Instant::now() + Duration::from_secs(180);
    let port = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx.recv_timeout(left).unwrap_or_else(|_| {
            panic!(
                "serve did not start: {}",
                std::fs::read_to_string(log).unwrap_or_default()
            )
        });
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .split('/')
                .next()
                .unwrap()
                .parse()
                .unwrap();
        }
    };
    Server {
        child,
        port,
        _temp: temp,
    }
}

/// A plain HTTP/1.1 GET: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Polls `/` until `ok` holds, for at most a minute.
fn wait_for(server: &mut Server, what: &str, ok: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(
            server.child.try_wait().unwrap().is_none(),
            "the server died while waiting for {what}"
        );
        let (status, body) = get(server.port, "/");
        if ok(status, &body) {
            return (status, body);
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; last status {status}:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_rebuilds_shows_errors_and_recovers() {
    let site = copy_site(&fixture("minimal"));
    let log = site.path().join("serve.log");
    let mut server = start(site.path(), &log);

    let (status, home) = get(server.port, "/");
    assert_eq!(status, 200);
    assert!(home.contains("Testkommunen i siffror"));
    // The reload script is served and allowed by the page's policy (serve only).
    assert!(home.contains("<script src=\"/__insyn/reload.js\""));
    assert!(home.contains("script-src 'self'; connect-src 'self'"));
    let (status, js) = get(server.port, "/__insyn/reload.js");
    assert_eq!(status, 200);
    assert!(js.contains("/__insyn/events"));
    let (status, _) = get(server.port, "/no/such/page/");
    assert_eq!(status, 404);
    // A chart's PNG is drawn when asked for (serve builds leave PNGs out).
    let svg = home
        .split("src=\"")
        .filter_map(|s| s.split('"').next())
        .find(|s| s.ends_with("/chart.svg"))
        .expect("a chart on the home page");
    let (status, png) = get(
        server.port,
        &format!("/{}", svg.replace("chart.svg", "chart.png")),
    );
    assert_eq!(status, 200, "{svg}");
    assert!(png.contains("PNG") && png.contains("IHDR") && png.len() > 10_000);
    // So is a slide layout's; a PNG the site does not have is not found.
    let (status, slide) = get(
        server.port,
        &format!("/{}", svg.replace("chart.svg", "chart-16x9.png")),
    );
    assert_eq!(status, 200, "{svg}");
    assert!(slide.contains("PNG") && slide.contains("IHDR"));
    let (status, _) = get(
        server.port,
        &format!("/{}", svg.replace("chart.svg", "other.png")),
    );
    assert_eq!(status, 404);

    // An edit shows up.
    let index = site.path().join("content/_index.md");
    let original = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        original.replace("Alfa hade", "Alfa hade sedan senast"),
    )
    .unwrap();
    wait_for(&mut server, "the edited text", |s, b| {
        s == 200 && b.contains("Alfa hade sedan senast")
    });
    // Only that page was rendered again (its front matter did not change).
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(said.contains("rendered 1 page(s) again"), "{said}");

    // A broken edit shows the error in the page; the server stays up.
    std::fs::write(&index, original.replace("{{ value(", "{{ valeu(")).unwrap();
    let (status, page) = wait_for(&mut server, "the error page", |_, b| {
        b.contains("did you mean")
    });
    assert_eq!(status, 500);
    assert!(page.contains("content/_index.md:5:"), "{page}");
    assert!(page.contains("valeu"));
    // In the site's language (Swedish: the fixture does not set one).
    assert!(page.contains("<html lang=\"sv\">"), "{page}");
    assert!(page.contains("Webbplatsen går inte att bygga"), "{page}");
    assert!(
        page.contains("/__insyn/reload.js"),
        "the error page must reload itself"
    );
    // Other pages show the error too.
    let (status, report) = get(server.port, "/rapporter/2024-q3/");
    assert_eq!(status, 500);
    assert!(report.contains("did you mean"));

    // Fixing it brings the page back.
    std::fs::write(&index, &original).unwrap();
    wait_for(&mut server, "the fixed page", |s, b| {
        s == 200 && b.contains("Alfa hade") && !b.contains("did you mean")
    });
    assert!(server.child.try_wait().unwrap().is_none());

    // The served files never leak into a published build.
    drop(server);
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), &out.path().join("public"));
    assert!(o.status.success(), "{}", stderr(&o));
    let home = text(&out.path().join("public"), "index.html");
    assert!(!home.contains("__insyn"));
    assert!(!home.contains("script-src"));
}

#[test]
fn serve_refuses_a_taken_port_with_status_2() {
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = copy_site(&fixture("minimal"));
    let o = insyn()
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.path())
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("127.0.0.1:{port}")),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--port"));
}

/// Sends `request` as is on a new connection and reads the answer (at most
/// 30 s): (status, head, body, how long the answer took).
fn raw(port: u16, request: &[u8]) -> (u16, String, String, Duration) {
    let started = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let took = started.elapsed();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (status, head.to_string(), body.to_string(), took)
}

fn request_for_host(host: &str) -> Vec<u8> {
    format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").into_bytes()
}

#[test]
fn serve_answers_only_requests_for_its_loopback_names() {
    let site = copy_site(&fixture("minimal"));
    let server = start(site.path(), &site.path().join("serve.log"));
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (status, _, body, _) = raw(port, &request_for_host(&host));
        assert_eq!(status, 200, "{host}");
        assert!(body.contains("Testkommunen i siffror"), "{host}");
    }
    // DNS rebinding: a page on another name that resolves to 127.0.0.1.
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "127.0.0.1".to_string(),
    ] {
        let (status, _, body, _) = raw(port, &request_for_host(&host));
        assert_eq!(status, 421, "{host}");
        assert!(body.contains("DNS rebinding"), "{host}: {body}");
        assert!(!body.contains("Testkommunen"), "{host}");
    }
    let (status, _, body, _) = raw(port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 400);
    assert!(body.contains("no Host header"), "{body}");
}

#[test]
fn serve_refuses_hostile_request_lines_at_once() {
    let site = copy_site(&fixture("minimal"));
    let server = start(site.path(), &site.path().join("serve.log"));
    let port = server.port;
    let host = format!("127.0.0.1:{port}");

    // `//units` named a folder: the redirect must not be `//units/`, which a
    // browser reads as the host `units`.
    for path in ["//units", "///units", "/%2F%2Funits"] {
        let (status, head, _, _) = raw(
            port,
            format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
        );
        assert_eq!(status, 301, "{path}: {head}");
        assert!(
            format!("{head}\r\n").contains("\r\nLocation: /units/\r\n"),
            "{path}: {head}"
        );
    }
    let (status, head, _, _) = raw(
        port,
        format!("GET /units HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
    );
    assert_eq!(status, 301);
    assert!(
        format!("{head}\r\n").contains("\r\nLocation: /units/\r\n"),
        "{head}"
    );

    // HTTP/2 is answered at once, not after a timeout.
    for request in [
        format!("GET / HTTP/2.0\r\nHost: {host}\r\n\r\n"),
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_string(),
    ] {
        let (status, _, body, took) = raw(port, request.as_bytes());
        assert_eq!(status, 505, "{request:?}");
        assert!(body.contains("HTTP/1.1"), "{body}");
        assert!(took < Duration::from_secs(3), "{request:?} took {took:?}");
    }

    // A 20 MB address is refused after its first kilobytes, not read whole.
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let sender = std::thread::spawn(move || {
        let _ = writer.write_all(b"GET /");
        let chunk = vec![b'a'; 1024 * 1024];
        for _ in 0..20 {
            if writer.write_all(&chunk).is_err() {
                return;
            }
        }
        let _ = writer.write_all(b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    });
    let started = Instant::now();
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 414 "), "{line:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(stream);
    sender.join().unwrap();

    // Still serving.
    let (status, _, _, _) = raw(port, &request_for_host(&host));
    assert_eq!(status, 200);
}

#[test]
fn serve_drops_a_client_that_never_finishes_its_request() {
    let site = copy_site(&fixture("minimal"));
    let server = start(site.path(), &site.path().join("serve.log"));
    let (status, _, body, took) = raw(server.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1:");
    assert_eq!(status, 408, "{body}");
    assert!(
        took < Duration::from_secs(10),
        "a slow client held a worker for {took:?}"
    );
}

/// The threads of a process, from /proc.
fn threads_of(pid: u32) -> usize {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

#[test]
fn serve_keeps_a_fixed_number_of_threads_under_a_connection_flood() {
    let site = copy_site(&fixture("minimal"));
    let mut server = start(site.path(), &site.path().join("serve.log"));
    let port = server.port;
    let before = threads_of(server.child.id());
    // 300 connections that never send a request.
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    let during = threads_of(server.child.id());
    assert!(
        during <= before + 4,
        "the server started threads for idle connections: {before} before, {during} during"
    );
    // Those past the queue are told at once that the server is busy.
    let mut last = idle.last().unwrap();
    last.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut answer = String::new();
    let _ = last.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 503 "), "{answer:?}");
    assert!(answer.contains("too many connections"), "{answer}");
    // Once they are gone, the preview answers again.
    drop(idle);
    let (status, _) = wait_for(&mut server, "the server to recover", |s, _| s == 200);
    assert_eq!(status, 200);
    assert!(threads_of(server.child.id()) <= before + 4);
}

#[test]
fn serve_refuses_oversized_heads_with_431() {
    let site = copy_site(&fixture("minimal"));
    let server = start(site.path(), &site.path().join("serve.log"));
    let port = server.port;
    let host = format!("127.0.0.1:{port}");

    // One header longer than the whole head may be.
    let long = format!(
        "GET / HTTP/1.1\r\nHost: {host}\r\nX-Filler: {}\r\n\r\n",
        "a".repeat(20 * 1024)
    );
    let (status, _, body, took) = raw(port, long.as_bytes());
    assert_eq!(status, 431, "{body}");
    assert!(body.contains("longer than"), "{body}");
    assert!(took < Duration::from_secs(5), "took {took:?}");

    // Short headers, but too many of them.
    let many: String = (0..100).map(|n| format!("X-{n}: {n}\r\n")).collect();
    let (status, _, body, _) = raw(
        port,
        format!("GET / HTTP/1.1\r\nHost: {host}\r\n{many}\r\n").as_bytes(),
    );
    assert_eq!(status, 431, "{body}");
    assert!(body.contains("more than 64 headers"), "{body}");

    // Still serving.
    let (status, _, _, _) = raw(port, &request_for_host(&host));
    assert_eq!(status, 200);
}

#[test]
fn serve_caps_the_reload_long_polls_and_keeps_answering_pages() {
    let site = copy_site(&fixture("minimal"));
    let server = start(site.path(), &site.path().join("serve.log"));
    let port = server.port;
    let (status, home) = get(port, "/");
    assert_eq!(status, 200);
    let generation: u64 = home
        .split("data-generation=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .expect("the page names its generation");

    // Eight open tabs, each waiting for a rebuild that does not come.
    let poll = format!(
        "GET /__insyn/events?since={generation} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    );
    let waiting: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.write_all(poll.as_bytes()).unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1000));

    // A ninth is told at once to come back later instead of taking a worker.
    let (status, head, body, took) = raw(port, poll.as_bytes());
    assert_eq!(status, 503, "{head}\n{body}");
    assert!(head.contains("Retry-After: 1"), "{head}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    // Pages are still answered while the eight wait.
    let (status, page) = get(port, "/");
    assert_eq!(status, 200);
    assert!(page.contains("Testkommunen i siffror"));
    drop(waiting);
}
