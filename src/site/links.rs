//! The internal link check of `insyn check` (§7): every `href` and `src` of
//! every page points at a page, file or anchor of the site, and no resource
//! is requested from another host (§6).

use std::collections::{HashMap, HashSet};

use crate::diagnostics::Diagnostic;
use crate::output::SiteFiles;

/// One reference found in a page.
struct Reference {
    attribute: &'static str,
    tag: String,
    value: String,
    /// Whether the browser fetches it when showing the page (an image, a
    /// stylesheet), as opposed to a link the reader may follow.
    loads: bool,
}

/// What a page holds: its ids and its references.
type Scanned = (HashSet<String>, Vec<Reference>);

/// Checks every reference of every HTML page in `files`. `base_path` is the
/// path part of `base_url` (`/` or `/sub/`), for root-absolute links.
pub fn check_links(files: &SiteFiles, base_path: &str) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    // A page is in memory, or in the build cache the build spilled it to;
    // one that cannot be read back is a problem of its own.
    let scanned: Vec<(&str, Result<Scanned, String>)> = files
        .par_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(path, body)| {
            let page = body
                .read()
                .map(|bytes| scan(&String::from_utf8_lossy(&bytes)))
                .map_err(|e| format!("cannot read the page back from the build cache: {e}"));
            (path.as_str(), page)
        })
        .collect();
    let mut ids: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut refs: Vec<(&str, Vec<Reference>)> = Vec::new();
    let mut problems = Vec::new();
    for (path, page) in scanned {
        match page {
            Ok((page_ids, page_refs)) => {
                ids.insert(path, page_ids);
                refs.push((path, page_refs));
            }
            Err(e) => problems.push(Diagnostic::error(format!("public/{path}"), e)),
        }
    }
    for (page, page_refs) in refs {
        for r in page_refs {
            if let Some(problem) = check_one(files, &ids, page, &r, base_path) {
                problems.push(
                    Diagnostic::error(format!("public/{page}"), problem)
                        .found(format!("<{} {}=\"{}\">", r.tag, r.attribute, r.value)),
                );
            }
        }
    }
    problems
}

fn scan(html: &str) -> Scanned {
    let mut ids = HashSet::new();
    let mut refs = Vec::new();
    let Ok(dom) = tl::parse(html, tl::ParserOptions::default()) else {
        return (ids, refs);
    };
    for node in dom.nodes() {
        let Some(tag) = node.as_tag() else { continue };
        let attrs = tag.attributes();
        if let Some(Some(id)) = attrs.get("id") {
            ids.insert(decode(&id.as_utf8_str()));
        }
        let name = tag.name().as_utf8_str().to_ascii_lowercase();
        let rel = attrs
            .get("rel")
            .flatten()
            .map(|r| r.as_utf8_str().to_ascii_lowercase())
            .unwrap_or_default();
        let loaded_link = name == "link"
            && ["stylesheet", "icon", "preload", "prefetch", "manifest"]
                .iter()
                .any(|k| rel.contains(k));
        for attribute in ["href", "src"] {
            if let Some(Some(value)) = attrs.get(attribute) {
                refs.push(Reference {
                    attribute,
                    tag: name.clone(),
                    value: decode(&value.as_utf8_str()),
                    loads: attribute == "src" || loaded_link,
                });
            }
        }
    }
    (ids, refs)
}

/// Undoes the entity escaping templates apply to attribute values.
fn decode(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn check_one(
    files: &SiteFiles,
    ids: &HashMap<&str, HashSet<String>>,
    page: &str,
    r: &Reference,
    base_path: &str,
) -> Option<String> {
    let v = r.value.trim();
    let lower = v.to_ascii_lowercase();
    if lower.starts_with("mailto:") || lower.starts_with("tel:") {
        return None;
    }
    if lower.starts_with("javascript:") || lower.starts_with("data:text/html") {
        return Some("a link runs script".to_string());
    }
    let external =
        lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//");
    if external {
        // A link a reader follows may go anywhere; a resource the page loads
        // itself must come from this site.
        return r
            .loads
            .then(|| "the page loads a file from another host".to_string());
    }
    if v.is_empty() {
        return Some("an empty address".to_string());
    }
    let (path_part, fragment) = match v.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (v, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let target = if path_part.is_empty() {
        Some(page.to_string())
    } else if let Some(abs) = path_part.strip_prefix('/') {
        let base = base_path.trim_start_matches('/');
        abs.strip_prefix(base).and_then(|p| resolve("", p))
    } else {
        let dir = page.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        resolve(dir, path_part)
    };
    let Some(mut target) = target else {
        return Some("the address leaves the site".to_string());
    };
    if target.is_empty() || target.ends_with('/') {
        target.push_str("index.html");
    }
    if !files.contains_key(&target) {
        return Some(format!("broken link: there is no `{target}` in the site"));
    }
    if let Some(fragment) = fragment
        && !fragment.is_empty()
        && target.ends_with(".html")
        && !ids
            .get(target.as_str())
            .is_some_and(|set| set.contains(fragment))
    {
        return Some(format!(
            "broken link: `{target}` has no anchor `#{fragment}`"
        ));
    }
    None
}

/// Joins `dir` and a relative `path`, resolving `.` and `..`; `None` when the
/// result would leave the site root.
fn resolve(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let trailing = path.ends_with('/');
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut joined = parts.join("/");
    if trailing && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> SiteFiles {
        pages
            .iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec().into()))
            .collect()
    }

    #[test]
    fn finds_broken_pages_files_and_anchors() {
        let files = site(&[
            (
                "index.html",
                "<a href=\"a/index.html\">a</a><a href=\"a/#x\">x</a><a href=\"a/index.html#nope\">n</a><img src=\"missing.svg\" alt=\"\"><a href=\"#top\">t</a><h1 id=\"top\">T</h1>",
            ),
            (
                "a/index.html",
                "<p id=\"x\">x</p><a href=\"../index.html\">up</a><a href=\"../../out.html\">out</a><a href=\"/index.html\">root</a>",
            ),
        ]);
        let problems = check_links(&files, "/");
        let found: Vec<String> = problems
            .iter()
            .map(|d| format!("{} {}", d.file.display(), d.found.clone().unwrap()))
            .collect();
        assert_eq!(problems.len(), 3, "{found:#?}");
        assert!(found.iter().any(|f| f.contains("a/index.html#nope")));
        assert!(found.iter().any(|f| f.contains("missing.svg")));
        assert!(found.iter().any(|f| f.contains("../../out.html")));
    }

    #[test]
    fn resources_from_other_hosts_are_errors_but_links_are_not() {
        let files = site(&[(
            "index.html",
            "<a href=\"https://example.org/\">x</a><img src=\"https://cdn.example.org/x.png\" alt=\"\"><link rel=\"canonical\" href=\"https://x.org/\"><a href=\"javascript:alert(1)\">j</a>",
        )]);
        let problems = check_links(&files, "/");
        assert_eq!(problems.len(), 2, "{problems:#?}");
    }
}
