//! The preview server's HTTP/1.1 front door: one thread accepts, a fixed
//! pool of workers answers, and every connection carries one request.
//!
//! Why not a general-purpose server: the preview must stay up and small
//! whatever a page on the web or a local program sends it. So the number of
//! threads is fixed ([`WORKERS`]), waiting connections are bounded
//! ([`QUEUE`]; past that a connection is told at once that the server is
//! busy), a request head must arrive whole within [`HEAD_TIMEOUT`] and fit in
//! [`MAX_HEAD`] bytes with an address of at most [`MAX_URL`] bytes, only
//! HTTP/1.0 and 1.1 are spoken, and only requests addressed to this machine's
//! loopback names are answered (a page elsewhere that points its own host
//! name at 127.0.0.1, "DNS rebinding", must not read the preview). Parsing
//! the head is left to `httparse`.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Threads that answer requests. A long-poll of the reload script holds one
/// for up to 25 s, so at most half of them may be long-polling (see
/// `http::LONG_POLLS`).
pub const WORKERS: usize = 16;
/// Accepted connections waiting for a worker; past this a new connection is
/// answered "503 busy" at once and closed.
pub const QUEUE: usize = 64;
/// The longest request target (path and query) answered; longer: 414.
pub const MAX_URL: usize = 8 * 1024;
/// The longest request head (request line and headers); longer: 431.
pub const MAX_HEAD: usize = 16 * 1024;
/// A request head that has not arrived whole by then is answered 408.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// A client that stops reading its answer is dropped after this.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Headers beyond this many: 431.
const MAX_HEADERS: usize = 64;

/// One request, as the handlers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target as sent: `/path?query`.
    pub target: String,
}

impl Request {
    pub fn is_get_or_head(&self) -> bool {
        self.method == "GET" || self.method == "HEAD"
    }
}

/// An answer: status, headers and body. `Content-Length` and
/// `Connection: close` are added when it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// A reply with a body of the given type, never cached by the browser
    /// (every edit changes what the preview serves).
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-store".to_string()),
                ("X-Content-Type-Options", "nosniff".to_string()),
            ],
            body,
        }
    }

    /// A plain-text reply: a short explanation for a person.
    pub fn text(status: u16, text: &str) -> Reply {
        Reply::new(
            status,
            "text/plain; charset=utf-8",
            format!("{text}\n").into(),
        )
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

/// Starts the workers, then accepts on `listener` on a thread of its own,
/// answering every request with `handler`. The returned thread ends only
/// when the listener fails; the caller ends the process to stop serving.
pub fn start<H>(listener: TcpListener, handler: H) -> std::io::Result<JoinHandle<()>>
where
    H: Fn(&Request) -> Reply + Send + Sync + 'static,
{
    let port = listener.local_addr()?.port();
    let handler = Arc::new(handler);
    let (queue, waiting): (SyncSender<TcpStream>, Receiver<TcpStream>) = sync_channel(QUEUE);
    let waiting = Arc::new(Mutex::new(waiting));
    for n in 0..WORKERS {
        let waiting = waiting.clone();
        let handler = handler.clone();
        std::thread::Builder::new()
            .name(format!("serve-{n}"))
            .spawn(move || {
                loop {
                    let next = waiting.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok(stream) = next else { return };
                    answer(stream, port, &*handler);
                }
            })?;
    }
    std::thread::Builder::new()
        .name("serve-accept".into())
        .spawn(move || accept(listener, queue))
}

/// Hands each connection to a worker, or refuses it when the queue is full.
fn accept(listener: TcpListener, queue: SyncSender<TcpStream>) {
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => match queue.try_send(stream) {
                Ok(()) => {}
                Err(TrySendError::Full(stream)) => refuse_busy(stream),
                Err(TrySendError::Disconnected(_)) => return,
            },
            // Out of file descriptors and the like: wait rather than spin.
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// Every worker is busy and the queue is full: say so without reading
/// anything, so the accepting thread never waits on a client.
fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let reply = Reply::text(
        503,
        "insyn serve is busy: too many connections at once. Try again in a moment.",
    )
    .with_header("Retry-After", "1");
    let _ = write_reply(&mut stream, &reply, false);
}

/// Reads one request from `stream`, answers it and closes the connection.
fn answer(mut stream: TcpStream, port: u16, handler: &(dyn Fn(&Request) -> Reply + Sync)) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let request = match read_head(&mut stream, port) {
        Ok(request) => request,
        Err(Refusal::Closed) => return,
        Err(Refusal::Reply(reply)) => {
            let _ = write_reply(&mut stream, &reply, false);
            linger(&mut stream);
            return;
        }
    };
    // A handler that panics costs its own request, not a worker.
    let reply = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(&request)))
        .unwrap_or_else(|_| Reply::text(500, "internal error while answering this request"));
    let _ = write_reply(&mut stream, &reply, request.method == "HEAD");
    let _ = stream.shutdown(Shutdown::Write);
}

/// Why no request came out of a connection.
enum Refusal {
    /// The client went away: nothing to answer.
    Closed,
    /// Answer this, then close.
    Reply(Reply),
}

/// Reads and checks the request head: whole within [`HEAD_TIMEOUT`], at
/// most [`MAX_HEAD`] bytes, HTTP/1.x, an origin-form target of at most
/// [`MAX_URL`] bytes, and a `Host` naming this server on loopback.
fn read_head(stream: &mut TcpStream, port: u16) -> Result<Request, Refusal> {
    let deadline = Instant::now() + HEAD_TIMEOUT;
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(timed_out());
        }
        let _ = stream.set_read_timeout(Some(left));
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Err(Refusal::Closed),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(timed_out());
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Err(Refusal::Closed),
        };
        let room = MAX_HEAD - buf.len();
        buf.extend_from_slice(&chunk[..n.min(room)]);
        if let Some(request) = parse_head(&buf, port)? {
            return Ok(request);
        }
        if buf.len() >= MAX_HEAD {
            return Err(Refusal::Reply(too_large(&buf)));
        }
    }
}

fn timed_out() -> Refusal {
    Refusal::Reply(Reply::text(
        408,
        &format!(
            "the request did not arrive within {} seconds",
            HEAD_TIMEOUT.as_secs()
        ),
    ))
}

/// The head filled [`MAX_HEAD`] without ending: 414 when the request line
/// itself is that long, else 431.
fn too_large(buf: &[u8]) -> Reply {
    if !buf.contains(&b'\n') {
        uri_too_long()
    } else {
        Reply::text(
            431,
            &format!("the request headers are longer than {MAX_HEAD} bytes"),
        )
    }
}

fn uri_too_long() -> Reply {
    Reply::text(414, &format!("the address is longer than {MAX_URL} bytes"))
}

/// `Ok(None)` while the head is incomplete.
fn parse_head(buf: &[u8], port: u16) -> Result<Option<Request>, Refusal> {
    // A request line already longer than any allowed address: no need to
    // wait for the rest of it.
    let line_end = buf.iter().position(|b| *b == b'\n').unwrap_or(buf.len());
    if line_end > MAX_URL + 32 {
        return Err(Refusal::Reply(uri_too_long()));
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let status = parsed.parse(buf).map_err(|e| {
        Refusal::Reply(match e {
            httparse::Error::Version => {
                Reply::text(505, "insyn serve speaks HTTP/1.0 and HTTP/1.1 only")
            }
            httparse::Error::TooManyHeaders => Reply::text(
                431,
                &format!("the request has more than {MAX_HEADERS} headers"),
            ),
            _ => Reply::text(400, "the request is not valid HTTP/1.1"),
        })
    })?;
    if status.is_partial() {
        return Ok(None);
    }
    let (Some(method), Some(target)) = (parsed.method, parsed.path) else {
        return Err(Refusal::Reply(Reply::text(
            400,
            "the request is not valid HTTP/1.1",
        )));
    };
    if target.len() > MAX_URL {
        return Err(Refusal::Reply(uri_too_long()));
    }
    if !target.starts_with('/') {
        return Err(Refusal::Reply(Reply::text(
            400,
            "the request target must be a path that starts with /",
        )));
    }
    let hosts: Vec<&[u8]> = parsed
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("host"))
        .map(|h| h.value)
        .collect();
    match hosts.as_slice() {
        [host] if is_loopback_host(host, port) => {}
        [] => {
            return Err(Refusal::Reply(Reply::text(
                400,
                "the request has no Host header",
            )));
        }
        _ => return Err(Refusal::Reply(misdirected(port))),
    }
    Ok(Some(Request {
        method: method.to_string(),
        target: target.to_string(),
    }))
}

fn misdirected(port: u16) -> Reply {
    Reply::text(
        421,
        &format!(
            "insyn serve answers only requests addressed to 127.0.0.1:{port}, localhost:{port} or [::1]:{port}. \
             A request for any other host name is refused, so that a web page cannot read the preview \
             by pointing its own name at this machine (DNS rebinding). Open http://127.0.0.1:{port}/ instead."
        ),
    )
}

/// `127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT` (the port may be left
/// out only when it is 80, as browsers do), case-insensitive.
pub fn is_loopback_host(host: &[u8], port: u16) -> bool {
    let Ok(host) = std::str::from_utf8(host) else {
        return false;
    };
    let host = host.trim().to_ascii_lowercase();
    let (name, given) = match host.rsplit_once(':') {
        Some((name, p)) if !name.is_empty() && !p.contains(']') => (name, Some(p)),
        _ => (host.as_str(), None),
    };
    let port_ok = match given {
        Some(p) => p.parse::<u16>() == Ok(port) && p.bytes().all(|b| b.is_ascii_digit()),
        None => port == 80,
    };
    port_ok && matches!(name, "127.0.0.1" | "localhost" | "[::1]")
}

/// Writes the status line, headers and (unless `head_only`) the body.
fn write_reply(stream: &mut TcpStream, reply: &Reply, head_only: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reason(reply.status),
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        // Values are made here, never copied from a request; still, a line
        // break would end the header.
        let value: String = value.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&reply.body)?;
    }
    stream.flush()
}

/// After refusing a request whose head was not read to its end: stop
/// writing and read (and drop) a little of what the client still sends, so
/// that closing with unread data does not reset the connection before the
/// client has read the answer. Bounded in bytes and time.
fn linger(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let until = Instant::now() + Duration::from_secs(1);
    let mut sink = [0u8; 16 * 1024];
    let mut drained = 0usize;
    while drained < 4 * 1024 * 1024 {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let _ = stream.set_read_timeout(Some(left));
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal_status(head: &str, port: u16) -> Option<u16> {
        match parse_head(head.as_bytes(), port) {
            Ok(_) => None,
            Err(Refusal::Reply(r)) => Some(r.status),
            Err(Refusal::Closed) => Some(0),
        }
    }

    #[test]
    fn loopback_names_with_this_port_only() {
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LocalHost:1111",
            "[::1]:1111",
        ] {
            assert!(is_loopback_host(ok.as_bytes(), 1111), "{ok}");
        }
        for no in [
            "evil.example:1111",
            "127.0.0.1:1112",
            "127.0.0.1",
            "localhost",
            "127.0.0.1:1111.evil.example",
            "localhost.evil.example:1111",
            "127.0.0.2:1111",
            "[::1]",
            "0.0.0.0:1111",
            "127.0.0.1:+1111",
            "",
        ] {
            assert!(!is_loopback_host(no.as_bytes(), 1111), "{no}");
        }
        // Browsers leave out port 80.
        assert!(is_loopback_host(b"localhost", 80));
        assert!(is_loopback_host(b"[::1]", 80));
    }

    #[test]
    fn heads_are_checked_before_anything_is_answered() {
        let ok = "GET /a?b HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n";
        assert_eq!(
            parse_head(ok.as_bytes(), 9).ok().flatten(),
            Some(Request {
                method: "GET".into(),
                target: "/a?b".into()
            })
        );
        // Incomplete: wait for more.
        assert!(matches!(parse_head(b"GET / HTTP/1.1\r\nHo", 9), Ok(None)));
        assert_eq!(
            refusal_status("GET / HTTP/2.0\r\nHost: 127.0.0.1:9\r\n\r\n", 9),
            Some(505)
        );
        assert_eq!(
            refusal_status("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 9),
            Some(505)
        );
        assert_eq!(
            refusal_status("GET / HTTP/1.1\r\nHost: evil:9\r\n\r\n", 9),
            Some(421)
        );
        assert_eq!(
            refusal_status(
                "GET / HTTP/1.1\r\nHost: 127.0.0.1:9\r\nHost: evil:9\r\n\r\n",
                9
            ),
            Some(421)
        );
        assert_eq!(refusal_status("GET / HTTP/1.1\r\n\r\n", 9), Some(400));
        assert_eq!(
            refusal_status("GET http://evil/ HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n", 9),
            Some(400)
        );
        let long = format!(
            "GET /{} HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n",
            "a".repeat(MAX_URL)
        );
        assert_eq!(refusal_status(&long, 9), Some(414));
        // A request line still arriving that is already too long.
        let arriving = format!("GET /{}", "a".repeat(MAX_URL + 100));
        assert_eq!(refusal_status(&arriving, 9), Some(414));
    }

    #[test]
    fn a_full_head_buffer_is_414_or_431() {
        assert_eq!(too_large(&[b'a'; MAX_HEAD]).status, 414);
        let mut head = b"GET / HTTP/1.1\r\nX: ".to_vec();
        head.resize(MAX_HEAD, b'a');
        assert_eq!(too_large(&head).status, 431);
    }
}
