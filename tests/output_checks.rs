//! Checks on the built demo site, in Rust so they run with `cargo test`:
//! links and anchors resolve, images have text alternatives, chart SVGs carry
//! a title and a description, every page carries the Content-Security-Policy
//! and nothing the CSP would block, and nothing is loaded from another host.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::support::*;
use insyn::output::SiteFiles;

const BASE_URL: &str = "https://insyn.example.org/";

/// The demo site, built once for every test of this file.
fn demo() -> &'static BTreeMap<String, Vec<u8>> {
    static FILES: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let public = out.path().join("public");
        let o = build(&repo_root(), &public);
        assert!(o.status.success(), "{}", stderr(&o));
        let site = std::fs::read_to_string(repo_root().join("site.toml")).unwrap();
        assert!(site.contains(BASE_URL), "the demo's base_url changed");
        read_tree(&public)
    })
}

fn html_pages() -> impl Iterator<Item = (&'static String, String)> {
    demo()
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b.clone()).unwrap()))
}

fn attr(tag: &tl::HTMLTag, name: &str) -> Option<String> {
    tag.attributes()
        .get(name)
        .flatten()
        .map(|v| v.as_utf8_str().into_owned())
}

/// Undoes the escaping templates apply to attribute values.
fn decode(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let dom = tl::parse(html, tl::ParserOptions::default()).unwrap();
    dom.nodes()
        .iter()
        .filter_map(|n| n.as_tag())
        .map(|t| {
            let attrs = t
                .attributes()
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), decode(&v.unwrap_or_default())))
                .collect();
            (t.name().as_utf8_str().to_ascii_lowercase(), attrs)
        })
        .collect()
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let files: SiteFiles = demo()
        .iter()
        .map(|(path, bytes)| (path.clone(), bytes.clone().into()))
        .collect();
    let problems = insyn::site::links::check_links(&files, "/");
    assert!(
        problems.is_empty(),
        "{}",
        problems
            .iter()
            .map(|d| d.render_plain())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The checker does see broken links (so the pass above means something).
    let mut broken = files.clone();
    broken.insert(
        "x.html".into(),
        b"<a href=\"nope/index.html\">x</a><a href=\"index.html#nowhere\">y</a>"
            .to_vec()
            .into(),
    );
    assert_eq!(insyn::site::links::check_links(&broken, "/").len(), 2);
}

#[test]
fn every_image_has_a_text_alternative() {
    let mut images = 0;
    for (path, html) in html_pages() {
        let dom = tl::parse(&html, tl::ParserOptions::default()).unwrap();
        for node in dom.nodes() {
            let Some(tag) = node.as_tag() else { continue };
            if tag.name().as_utf8_str().eq_ignore_ascii_case("img") {
                images += 1;
                let alt = attr(tag, "alt").unwrap_or_default();
                let decorative = attr(tag, "role").as_deref() == Some("presentation");
                assert!(
                    !alt.trim().is_empty() || (decorative && alt.is_empty()),
                    "{path}: <img src=\"{}\"> has no alt text",
                    attr(tag, "src").unwrap_or_default()
                );
            }
        }
    }
    assert!(images > 0, "the demo has no images at all");
}

#[test]
fn every_chart_svg_has_title_and_description() {
    let mut svgs = 0;
    for (path, bytes) in demo().iter().filter(|(p, _)| p.ends_with(".svg")) {
        let text = std::str::from_utf8(bytes).unwrap();
        let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let root = doc.root_element();
        if root.attribute("role") != Some("img") {
            continue;
        }
        svgs += 1;
        for name in ["title", "desc"] {
            let el = root
                .children()
                .find(|n| n.has_tag_name(name))
                .unwrap_or_else(|| panic!("{path}: no <{name}>"));
            assert!(
                el.text().is_some_and(|t| !t.trim().is_empty()),
                "{path}: empty <{name}>"
            );
        }
        // aria-labelledby points at them.
        let labelled = root.attribute("aria-labelledby").unwrap_or("");
        for id in labelled.split_whitespace() {
            assert!(
                doc.descendants().any(|n| n.attribute("id") == Some(id)),
                "{path}: aria-labelledby names a missing `{id}`"
            );
        }
    }
    assert!(svgs >= 6, "only {svgs} chart SVGs");
}

#[test]
fn every_page_carries_the_csp_and_nothing_it_would_block() {
    let mut pages = 0;
    for (path, html) in html_pages() {
        pages += 1;
        let csp: Vec<String> = tags(&html)
            .into_iter()
            .filter(|(name, attrs)| {
                name == "meta"
                    && attrs.iter().any(|(k, v)| {
                        k == "http-equiv" && v.eq_ignore_ascii_case("content-security-policy")
                    })
            })
            .filter_map(|(_, attrs)| {
                attrs
                    .into_iter()
                    .find(|(k, _)| k == "content")
                    .map(|(_, v)| v)
            })
            .collect();
        assert_eq!(csp.len(), 1, "{path}: {csp:?}");
        let csp = &csp[0];
        for directive in [
            "default-src 'none'",
            "style-src 'self'",
            "img-src 'self' data:",
            "base-uri 'none'",
            "form-action 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: CSP lacks `{directive}`");
        }
        assert!(!csp.contains("unsafe-inline") && !csp.contains("script-src"));
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("<script"), "{path}: a script");
        assert!(!lower.contains("<style"), "{path}: an inline stylesheet");
        for (name, attrs) in tags(&html) {
            for (k, v) in attrs {
                assert!(k != "style", "{path}: <{name} style=\"{v}\">");
                assert!(!k.starts_with("on"), "{path}: <{name} {k}=\"{v}\">");
                if k == "href" || k == "src" {
                    assert!(
                        !v.trim().to_ascii_lowercase().starts_with("javascript:"),
                        "{path}: <{name} {k}=\"{v}\">"
                    );
                }
            }
        }
    }
    assert!(pages > 20, "only {pages} pages");
}

/// Whether an attribute value names another host (or this site's own
/// address, which a static page must not load either).
fn is_absolute(v: &str) -> bool {
    let v = v.trim().to_ascii_lowercase();
    v.starts_with("//") || v.contains("://")
}

#[test]
fn nothing_refers_to_another_host_but_links_and_metadata() {
    for (path, bytes) in demo() {
        let ext = path.rsplit('.').next().unwrap_or("");
        let text = String::from_utf8_lossy(bytes);
        match ext {
            "html" => {
                for (name, attrs) in tags(&text) {
                    let get = |key: &str| {
                        attrs
                            .iter()
                            .find(|(k, _)| k == key)
                            .map(|(_, v)| v.as_str())
                    };
                    for (k, v) in &attrs {
                        if !is_absolute(v) || k == "xmlns" {
                            continue;
                        }
                        // Links a reader may follow go anywhere.
                        if name == "a" && k == "href" {
                            continue;
                        }
                        let canonical =
                            name == "link" && k == "href" && get("rel") == Some("canonical");
                        let social = name == "meta"
                            && k == "content"
                            && (get("property").is_some_and(|p| p.starts_with("og:"))
                                || get("name").is_some_and(|n| n.starts_with("twitter:")));
                        assert!(
                            canonical || social,
                            "{path}: <{name} {k}=\"{v}\"> refers to another host"
                        );
                        assert!(
                            v.starts_with(BASE_URL),
                            "{path}: <{name} {k}=\"{v}\"> is not on base_url"
                        );
                    }
                }
                assert!(!text.contains("url(http"), "{path}: inline url()");
            }
            "css" => {
                assert!(!text.contains("@import"), "{path}: @import");
                let lower = text.to_ascii_lowercase();
                let mut rest = lower.as_str();
                while let Some(i) = rest.find("url(") {
                    let arg = rest[i + 4..].trim_start_matches(['"', '\'', ' ']);
                    assert!(
                        !is_absolute(&arg[..arg.find(')').unwrap_or(arg.len())]),
                        "{path}: loads {arg}"
                    );
                    rest = &rest[i + 4..];
                }
            }
            "svg" => {
                let doc = roxmltree::Document::parse(&text).unwrap();
                for node in doc.descendants().filter(|n| n.is_element()) {
                    for a in node.attributes() {
                        if a.name() == "xmlns" || a.namespace().is_some_and(|n| n.contains("xmlns"))
                        {
                            continue;
                        }
                        assert!(
                            !is_absolute(a.value()),
                            "{path}: <{} {}=\"{}\">",
                            node.tag_name().name(),
                            a.name(),
                            a.value()
                        );
                    }
                    // The permanent address printed in the chart is this site's.
                    if let Some(t) = node.text()
                        && let Some(i) = t.find("://")
                    {
                        let start = t[..i].rfind(' ').map_or(0, |s| s + 1);
                        assert!(t[start..].starts_with(BASE_URL), "{path}: {t}");
                    }
                }
            }
            "xml" => {
                let doc = roxmltree::Document::parse(&text).unwrap();
                for node in doc.descendants().filter(|n| n.is_element()) {
                    for a in node.attributes() {
                        if is_absolute(a.value()) {
                            assert!(a.value().starts_with(BASE_URL), "{path}: {}", a.value());
                        }
                    }
                    if matches!(node.tag_name().name(), "loc" | "id" | "uri")
                        && let Some(t) = node.text()
                        && is_absolute(t)
                    {
                        assert!(
                            t.starts_with(BASE_URL),
                            "{path}: <{}>{t}",
                            node.tag_name().name()
                        );
                    }
                }
            }
            "txt" if path == "robots.txt" => {
                for line in text.lines().filter(|l| l.contains("://")) {
                    assert!(
                        line.trim_start_matches("Sitemap:")
                            .trim()
                            .starts_with(BASE_URL),
                        "{path}: {line}"
                    );
                }
            }
            // Downloads (CSV, zip, readme text) may name any address as text.
            _ => {}
        }
    }
}

#[test]
fn one_pages_own_values_never_reach_another_page() {
    // Pages are rendered in parallel, each thread lending one copy of the
    // values every page shares to the page at hand: what a page adds (its
    // share picture, its kind) must be gone before the next one.
    let mut without_chart = 0;
    for (path, page) in html_pages() {
        if !page.contains("<figure class=\"chart") {
            without_chart += 1;
            assert!(!page.contains("og:image\""), "{path} names a share picture");
        }
        let article = page.contains("<meta property=\"og:type\" content=\"article\">");
        assert_eq!(
            article,
            path.starts_with("rapporter/") && path != "rapporter/index.html",
            "{path}"
        );
        assert_eq!(page.matches("<title>").count(), 1, "{path}");
    }
    assert!(without_chart > 10, "{without_chart} pages without a chart");
}
