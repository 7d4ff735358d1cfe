//! Answering requests: files of the current generation, the reload script and
//! its long-poll endpoint, and the error page while the site is broken.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use insyn::config::language_hint;
use insyn::diagnostics::{Diagnostic, Diagnostics};
use insyn::escape::html as escape_html;
use insyn::output::DeferredPng;
use insyn::text::Lang;

use super::Shared;
use super::server::{Reply, Request, WORKERS};
use crate::cli::report;

/// How long `/__insyn/events` holds a request before answering "no change".
const LONG_POLL: Duration = Duration::from_secs(25);

/// At most this many long-polls at once, so that open tabs never hold every
/// worker; one more is told to come back (the reload script retries after
/// a second on any error).
pub const MAX_LONG_POLLS: usize = WORKERS / 2;
const _: () = assert!(
    MAX_LONG_POLLS < WORKERS,
    "long-polls must leave workers for pages"
);
static LONG_POLLS: AtomicUsize = AtomicUsize::new(0);

/// Holds one of the [`MAX_LONG_POLLS`] places while it lives.
struct LongPoll;

impl LongPoll {
    fn enter() -> Option<LongPoll> {
        LONG_POLLS
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < MAX_LONG_POLLS).then_some(n + 1)
            })
            .ok()
            .map(|_| LongPoll)
    }
}

impl Drop for LongPoll {
    fn drop(&mut self) {
        LONG_POLLS.fetch_sub(1, Ordering::SeqCst);
    }
}

const RELOAD_JS: &str = r#"// insyn serve: reloads the page when the site has been rebuilt.
(function () {
  var script = document.currentScript;
  var generation = script ? script.getAttribute("data-generation") : "0";
  function poll(delay) {
    setTimeout(function () {
      fetch("/__insyn/events?since=" + generation, { cache: "no-store" })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
        .then(function (text) {
          if (text.trim() !== generation) { location.reload(); } else { poll(0); }
        })
        .catch(function () { poll(1000); });
    }, delay);
  }
  poll(0);
})();
"#;

pub fn handle(shared: &Shared, request: &Request) -> Reply {
    let url = request.target.as_str();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    match path {
        "/__insyn/reload.js" => bytes(200, "text/javascript; charset=utf-8", RELOAD_JS.into()),
        "/__insyn/events" => {
            let Some(_place) = LongPoll::enter() else {
                return Reply::text(503, "too many pages are waiting for a rebuild")
                    .with_header("Retry-After", "1");
            };
            let since = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("since="))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let generation = shared.wait_for_change(since, LONG_POLL);
            bytes(
                200,
                "text/plain; charset=utf-8",
                generation.to_string().into_bytes(),
            )
        }
        _ if !request.is_get_or_head() => bytes(
            405,
            "text/plain; charset=utf-8",
            b"method not allowed\n".to_vec(),
        ),
        _ => site_file(shared, path),
    }
}

fn site_file(shared: &Shared, path: &str) -> Reply {
    let (generation, current, broken) = shared.snapshot();
    let Some(rel) = decode_path(path) else {
        return bytes(400, "text/plain; charset=utf-8", b"bad request\n".to_vec());
    };
    let looks_like_page =
        path.ends_with('/') || path.ends_with(".html") || Path::new(&rel).extension().is_none();
    if let Some(problems) = &broken
        && looks_like_page
    {
        let html = error_page(&shared.root, problems, generation);
        return bytes(500, "text/html; charset=utf-8", html.into_bytes());
    }
    let Some(dir) = current else {
        let lang = page_language(&shared.root);
        let html = error_page(
            &shared.root,
            &[Diagnostic::error("", lang.words().serve_not_built)],
            generation,
        );
        return bytes(503, "text/html; charset=utf-8", html.into_bytes());
    };
    let mut file = dir.join(&rel);
    if file.is_dir() {
        if !path.ends_with('/') {
            // Relative links in the page need the trailing slash.
            return bytes(301, "text/plain; charset=utf-8", Vec::new())
                .with_header("Location", folder_location(&rel));
        }
        file = file.join("index.html");
    }
    // A PNG the preview did not draw: the site model names every one.
    let site_path: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    if let Some((dir, png)) = shared.deferred_png(&site_path.join("/")) {
        return deferred_png(shared, &dir, &png);
    }
    match std::fs::read(&file) {
        Ok(body) => {
            let kind = content_type(&file);
            let body = if kind.starts_with("text/html") {
                live_page(&String::from_utf8_lossy(&body), generation).into_bytes()
            } else {
                body
            };
            bytes(200, kind, body)
        }
        Err(_) => match std::fs::read(dir.join("404.html")) {
            Ok(body) => bytes(
                404,
                "text/html; charset=utf-8",
                live_page(&String::from_utf8_lossy(&body), generation).into_bytes(),
            ),
            Err(_) => bytes(404, "text/plain; charset=utf-8", b"not found\n".to_vec()),
        },
    }
}

/// Serve builds leave PNGs out (the preview's addresses would make every
/// chart a cache miss, and rasterising a national site takes minutes): the
/// build names each PNG of the site and the SVG it is drawn from (see
/// `BuildMode::Preview`), and it is drawn when asked for, through the same
/// cache a build uses.
fn deferred_png(shared: &Shared, dir: &Path, png: &DeferredPng) -> Reply {
    let svg = match png.read_svg(dir) {
        Ok(svg) => svg,
        Err(_) => return bytes(404, "text/plain; charset=utf-8", b"not found\n".to_vec()),
    };
    let cache = insyn::cache::BuildCache::new(shared.root.join(".insyn-cache"));
    match insyn::chart::cached_png_at(&svg, png.scale.factor(), &cache).and_then(|png| {
        png.read()
            .map(|b| b.into_owned())
            .map_err(|e| e.to_string())
    }) {
        Ok(png) => bytes(200, "image/png", png),
        Err(e) => bytes(
            500,
            "text/plain; charset=utf-8",
            format!("cannot rasterise the chart: {e}\n").into_bytes(),
        ),
    }
}

fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    Reply::new(status, content_type, body)
}

/// The address of a folder of the site, with its trailing slash: made from
/// the checked relative path, never from the request, so it always starts
/// with exactly one `/`. (`//host/` would send the browser to another host,
/// and browsers read `/\` as `//`.)
pub fn folder_location(rel: &Path) -> String {
    let mut location = String::from("/");
    for part in rel.components() {
        for b in part.as_os_str().as_encoded_bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(b) {
                location.push(*b as char);
            } else {
                location.push_str(&format!("%{b:02X}"));
            }
        }
        location.push('/');
    }
    location
}

/// `/a%20b/c.html` → `a b/c.html`; `None` for anything that leaves the folder.
pub fn decode_path(path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path)?;
    let rel = PathBuf::from(decoded.trim_start_matches('/'));
    rel.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(rel)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "csv" => "text/csv; charset=utf-8",
        "zip" => "application/zip",
        "xml" => "application/xml",
        "json" => "application/json",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// A built page as served: the reload script added, carrying the generation
/// being served, and allowed by the page's policy. Added here rather than at
/// build time so that pages left alone by an incremental rebuild still carry
/// the current generation (an old number would make them reload forever),
/// and so that nothing of serve ever reaches the files of a build.
pub fn live_page(html: &str, generation: u64) -> String {
    let mut html = allow_reload_script(html);
    let at = html.rfind("</body>").unwrap_or(html.len());
    html.insert_str(at, &super::reload_tag(generation));
    html
}

/// Adds `script-src 'self'; connect-src 'self'` to the page's
/// Content-Security-Policy meta, so the reload script may run. Serve only.
pub fn allow_reload_script(html: &str) -> String {
    const META: &str = "http-equiv=\"Content-Security-Policy\" content=\"";
    let Some(start) = html.find(META).map(|i| i + META.len()) else {
        return html.to_string();
    };
    let Some(len) = html[start..].find('"') else {
        return html.to_string();
    };
    // Templates escape the quotes in the attribute (`&#39;none&#39;`).
    let value = html[start..start + len]
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&apos;", "'")
        .replace("&quot;", "")
        .replace("&amp;", "&");
    let policy: Vec<&str> = value
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty() && !d.starts_with("script-src") && !d.starts_with("connect-src"))
        .collect();
    let policy = format!(
        "{}; script-src 'self'; connect-src 'self'",
        policy.join("; ")
    );
    format!("{}{}{}", &html[..start], policy, &html[start + len..])
}

/// The language of the error page: the site's, read tolerantly since the
/// site may not load; English when `site.toml` cannot tell.
fn page_language(root: &Path) -> Lang {
    language_hint(root).unwrap_or(Lang::En)
}

/// The page shown for every page request while the site does not build, in
/// the site's language (the problems themselves are in English, as in the
/// terminal).
pub fn error_page(root: &Path, problems: &[Diagnostic], generation: u64) -> String {
    let lang = page_language(root);
    let sorted = Diagnostics::from_iter(problems.iter().cloned()).sorted();
    let errors = sorted.iter().filter(|d| d.is_error()).count();
    let mut items = String::new();
    for d in sorted
        .iter()
        .filter(|d| d.is_error())
        .chain(sorted.iter().filter(|d| !d.is_error()))
    {
        let w = lang.words();
        let (kind, kind_word) = if d.is_error() {
            ("error", w.problem_error)
        } else {
            ("warning", w.problem_warning)
        };
        items.push_str(&format!(
            "<li class=\"{kind}\">\n<p><span class=\"kind\">{}</span> <code class=\"loc\">{}</code></p>\n<p class=\"msg\">{}</p>\n",
            escape_html(kind_word),
            escape_html(&d.location()),
            escape_html(&d.message)
        ));
        if let Some(s) = report::snippet(d, root) {
            let n = s.line_number.to_string();
            let pad = " ".repeat(n.len());
            items.push_str(&format!(
                "<pre>{n} | {}\n{pad} | <span class=\"caret\">{}</span></pre>\n",
                escape_html(&s.text),
                escape_html(&s.caret)
            ));
        }
        let mut dl = String::new();
        for (label, value) in [
            (w.problem_found, &d.found),
            (w.problem_expected, &d.expected),
            (w.problem_help, &d.help),
        ] {
            if let Some(v) = value {
                dl.push_str(&format!(
                    "<dt>{}</dt><dd>{}</dd>\n",
                    escape_html(label),
                    escape_html(v)
                ));
            }
        }
        if !dl.is_empty() {
            items.push_str(&format!("<dl>\n{dl}</dl>\n"));
        }
        items.push_str("</li>\n");
    }
    format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'">
<title>{title} – insyn serve</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #fff; color: #1a1a1a; }}
main {{ max-width: 60rem; margin: 0 auto; padding: 1.5rem; }}
h1 {{ font-size: 1.5rem; }}
ol {{ padding-left: 1.2rem; }}
li {{ margin: 0 0 1.5rem; border-left: 4px solid #b00020; padding-left: .75rem; }}
li.warning {{ border-color: #8a5a00; }}
.kind {{ font-weight: bold; text-transform: uppercase; font-size: .8rem; letter-spacing: .05em; }}
.msg {{ font-weight: bold; margin: .25rem 0; }}
pre {{ background: #f3f3f3; padding: .5rem; overflow-x: auto; }}
.caret {{ color: #b00020; font-weight: bold; }}
dl {{ display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0 0; }}
dt {{ font-weight: bold; }} dd {{ margin: 0; font-family: ui-monospace, monospace; white-space: pre-wrap; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{errors} {errors_word}. {fix}</p>
<ol>
{items}</ol>
</main>
{}</body>
</html>
"#,
        super::reload_tag(generation),
        lang = lang.code(),
        title = escape_html(lang.words().serve_broken),
        errors_word = escape_html(lang.words().serve_errors),
        fix = escape_html(lang.words().serve_fix),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_gets_script_and_connect_for_self_only() {
        let html = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; img-src 'self' data:">"#;
        let out = allow_reload_script(html);
        assert_eq!(
            out,
            r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; connect-src 'self'">"#
        );
        assert_eq!(allow_reload_script("<p>no csp</p>"), "<p>no csp</p>");
        let escaped = r#"<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; form-action &#39;none&#39;">"#;
        assert_eq!(
            allow_reload_script(escaped),
            r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; form-action 'none'; script-src 'self'; connect-src 'self'">"#
        );
    }

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(
            decode_path("/a%20b/c.html"),
            Some(PathBuf::from("a b/c.html"))
        );
        assert_eq!(decode_path("/"), Some(PathBuf::new()));
        assert_eq!(decode_path("/../etc/passwd"), None);
        assert_eq!(decode_path("/a/%2e%2e/%2e%2e/x"), None);
    }

    #[test]
    fn long_polls_never_take_every_worker() {
        let held: Vec<LongPoll> = (0..MAX_LONG_POLLS)
            .map_while(|_| LongPoll::enter())
            .collect();
        assert_eq!(held.len(), MAX_LONG_POLLS);
        assert!(LongPoll::enter().is_none());
        drop(held);
        assert!(LongPoll::enter().is_some());
    }

    #[test]
    fn folder_redirects_stay_on_this_host() {
        for (path, location) in [
            ("//units", "/units/"),
            ("///units/a", "/units/a/"),
            ("/%2F%2Funits", "/units/"),
            ("/a b/c", "/a%20b/c/"),
            ("/sk\u{e5}l", "/sk%C3%A5l/"),
        ] {
            let rel = decode_path(path).unwrap();
            assert_eq!(folder_location(&rel), location, "{path}");
        }
        let backslash = decode_path("/\\evil.example").unwrap();
        assert_eq!(folder_location(&backslash), "/%5Cevil.example/");
    }

    #[test]
    fn error_page_escapes_everything() {
        let d = Diagnostic::error("content/<x>.md", "bad <script>")
            .at(3, 2)
            .found("<b>")
            .help("did you mean `value`?");
        let html = error_page(Path::new("/nonexistent"), &[d], 7);
        assert!(html.contains("content/&lt;x&gt;.md:3:2"));
        assert!(html.contains("bad &lt;script&gt;"));
        assert!(html.contains("&lt;b&gt;"));
        assert!(html.contains("data-generation=\"7\""));
        assert!(!html.contains("<script>"));
    }

    fn broken_shortcode() -> Diagnostic {
        Diagnostic::error("content/x.md", "malformed shortcode")
            .at(2, 3)
            .found("valeu")
            .expected("`value` or `change`")
            .help("did you mean `value`?")
    }

    /// A site folder with `site.toml` (when given) and a broken page.
    fn site_with(site_toml: Option<&str>) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        if let Some(text) = site_toml {
            std::fs::write(dir.path().join("site.toml"), text).unwrap();
        }
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/x.md"), "a\nb valeu()\n").unwrap();
        dir
    }

    #[test]
    fn error_page_speaks_swedish_for_a_swedish_site() {
        // Broken TOML further down: the language is still read.
        let site = site_with(Some("language = \"sv\"\ntitle = \"oavslutad\n"));
        let html = error_page(site.path(), &[broken_shortcode()], 1);
        assert!(html.contains("<html lang=\"sv\">"), "{html}");
        assert!(html.contains("<title>Webbplatsen går inte att bygga – insyn serve</title>"));
        assert!(html.contains("<h1>Webbplatsen går inte att bygga</h1>"));
        assert!(
            html.contains("<p>1 fel. Rätta filen och spara den:"),
            "{html}"
        );
        assert!(html.contains("<span class=\"kind\">fel</span>"));
        assert!(html.contains("<dt>hittat</dt><dd>valeu</dd>"));
        assert!(html.contains("<dt>förväntat</dt>"));
        assert!(html.contains("<dt>tips</dt>"));
        assert!(
            html.contains("2 | b valeu()\n  | <span class=\"caret\">  ^^^^^</span>"),
            "{html}"
        );
        assert!(!html.contains("does not build"));
    }

    #[test]
    fn error_page_speaks_english_for_an_english_site() {
        let site = site_with(Some("language = \"en\"\ntitle = \"T\"\n"));
        let warning = Diagnostic::warning("content/x.md", "a report without limitations");
        let html = error_page(site.path(), &[warning, broken_shortcode()], 1);
        assert!(html.contains("<html lang=\"en\">"), "{html}");
        assert!(html.contains("<h1>The site does not build</h1>"));
        assert!(
            html.contains("<p>1 error(s). Fix the file and save it:"),
            "{html}"
        );
        assert!(html.contains("<span class=\"kind\">error</span>"));
        assert!(html.contains("<span class=\"kind\">warning</span>"));
        assert!(html.contains("<dt>found</dt><dd>valeu</dd>"));
        assert!(html.contains("<dt>expected</dt>"));
        assert!(html.contains("<dt>help</dt>"));
    }

    #[test]
    fn error_page_falls_back_to_english_without_a_readable_site_toml() {
        // No site.toml at all, one that is not TOML, one with an unknown language.
        for site_toml in [
            None,
            Some("language = svenska\n{{"),
            Some("language = \"fi\"\n"),
        ] {
            let site = site_with(site_toml);
            let html = error_page(site.path(), &[broken_shortcode()], 1);
            assert!(html.contains("<html lang=\"en\">"), "{site_toml:?}: {html}");
            assert!(html.contains("<h1>The site does not build</h1>"));
        }
        // Unreadable as a file (a folder in its place).
        let site = site_with(None);
        std::fs::create_dir(site.path().join("site.toml")).unwrap();
        let html = error_page(site.path(), &[broken_shortcode()], 1);
        assert!(html.contains("<html lang=\"en\">"), "{html}");
    }

    #[test]
    fn content_types() {
        for (f, t) in [
            ("a.svg", "image/svg+xml"),
            ("a.png", "image/png"),
            ("a.csv", "text/csv; charset=utf-8"),
            ("a.zip", "application/zip"),
            ("feed.xml", "application/xml"),
            ("s/style.css", "text/css; charset=utf-8"),
        ] {
            assert_eq!(content_type(Path::new(f)), t);
        }
    }
}
