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
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path, log: &Path) -> Server {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("insyn"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
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
    Server { child, port }
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
