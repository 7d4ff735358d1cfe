//! The internal link check of `insyn check` (§7): every `href` and `src` of
//! every page points at a page, file or anchor of the site, and no resource
//! is requested from another host (§6).

use std::collections::HashSet;

use crate::diagnostics::Diagnostic;
use crate::output::SiteFiles;

/// One reference found in a page.
struct Reference {
    value: String,
    /// Whether the browser fetches it when showing the page (an image, a
    /// stylesheet), as opposed to a link the reader may follow.
    loads: bool,
}

/// What a page holds: its ids and its references.
type Scanned = (HashSet<String>, Vec<Reference>);

/// What a page's references came to, in their order.
enum Outcome<'a> {
    Problem(Diagnostic),
    /// A link to an anchor of another page: settled once every page's ids
    /// are known.
    Anchor {
        page: &'a str,
        found: String,
        target: String,
        fragment: String,
    },
}

/// Checks every reference of every HTML page in `files`. `base_path` is the
/// path part of `base_url` (`/` or `/sub/`), for root-absolute links.
///
/// Each page is read and checked on its own, in parallel; what is kept of
/// it is a hash of each of its ids and its links to other pages' anchors,
/// so that the check of a site of a million pages needs no copy of every
/// link of every page at once.
pub fn check_links(files: &SiteFiles, base_path: &str) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let checked: Vec<(Vec<u64>, Vec<Outcome>)> = files
        .par_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(path, body)| match body.read() {
            Ok(bytes) => check_page(files, path, &String::from_utf8_lossy(&bytes), base_path),
            // A page is in memory, or in the build cache the build spilled
            // it to; one that cannot be read back is a problem of its own.
            Err(e) => {
                let problem = Diagnostic::error(
                    format!("public/{path}"),
                    format!("cannot read the page back from the build cache: {e}"),
                );
                (Vec::new(), vec![Outcome::Problem(problem)])
            }
        })
        .collect();
    let ids: HashSet<u64> = checked.iter().flat_map(|(ids, _)| ids).copied().collect();
    let mut problems = Vec::new();
    for outcome in checked.into_iter().flat_map(|(_, outcomes)| outcomes) {
        match outcome {
            Outcome::Problem(d) => problems.push(d),
            Outcome::Anchor {
                page,
                found,
                target,
                fragment,
            } => {
                if !ids.contains(&anchor_hash(&target, &fragment)) {
                    let problem = no_anchor(&target, &fragment);
                    problems
                        .push(Diagnostic::error(format!("public/{page}"), problem).found(found));
                }
            }
        }
    }
    problems
}

/// One page's ids (hashed with its address) and what its references came to.
fn check_page<'a>(
    files: &SiteFiles,
    page: &'a str,
    html: &str,
    base_path: &str,
) -> (Vec<u64>, Vec<Outcome<'a>>) {
    let (ids, refs) = scan(html);
    let mut outcomes = Vec::new();
    for r in refs {
        // The address alone: quotes around it were shown escaped.
        let found = || r.value.to_string();
        let problem = match check_address(files, page, &r, base_path) {
            Ok(None) => None,
            Err(problem) => Some(problem),
            Ok(Some((target, fragment))) if target == page => {
                (!ids.contains(&fragment)).then(|| no_anchor(&target, &fragment))
            }
            Ok(Some((target, fragment))) => {
                outcomes.push(Outcome::Anchor {
                    page,
                    found: found(),
                    target,
                    fragment,
                });
                None
            }
        };
        if let Some(problem) = problem {
            let d = Diagnostic::error(format!("public/{page}"), problem).found(found());
            outcomes.push(Outcome::Problem(d));
        }
    }
    let hashes = ids.iter().map(|id| anchor_hash(page, id)).collect();
    (hashes, outcomes)
}

/// The link problems of pages made from content files, told at the
/// Markdown file and the line where the address is written (when it is
/// written there, rather than made by a template), with the address alone
/// as what was found: an author fixes the source, not the generated page.
pub fn at_their_sources(
    problems: Vec<Diagnostic>,
    content: &[crate::content::ContentFile],
) -> Vec<Diagnostic> {
    let by_page: std::collections::HashMap<String, &crate::content::ContentFile> = content
        .iter()
        .map(|f| (format!("public/{}index.html", f.path()), f))
        .collect();
    problems
        .into_iter()
        .map(|d| {
            let Some(f) = by_page.get(d.file.to_string_lossy().as_ref()) else {
                return d;
            };
            let Some(address) = d.found.clone() else {
                return d;
            };
            // The page's address as the author may have written it: a link
            // from the site root is made relative to the page, and a
            // folder's `index.html` is added (`/om/#x` is written to the
            // page as `../om/index.html#x`).
            let written = address
                .trim_start_matches("./")
                .trim_start_matches("../")
                .replacen("index.html", "", 1);
            let needles = [address.as_str(), written.as_str()];
            let place = f.body.lines().enumerate().find_map(|(i, text)| {
                let at = needles
                    .iter()
                    .filter(|n| !n.is_empty())
                    .find_map(|n| text.find(n))?;
                // The address as written, from where it starts (`/` or
                // `../`) to where it ends.
                let start = text[..at]
                    .rfind(['(', '"', '\'', '<', ' '])
                    .map_or(at, |p| p + 1);
                let end = text[start..]
                    .find([')', '"', '\'', '>', ' '])
                    .map_or(text.len(), |e| start + e);
                let column = text[..start].chars().count() + 1;
                Some((f.body_line + i, column, text[start..end].to_string()))
            });
            let Some((line, column, as_written)) = place else {
                return d;
            };
            Diagnostic {
                file: f.file.clone(),
                found: Some(as_written),
                ..d
            }
            .at(line, column)
        })
        .collect()
}

fn no_anchor(target: &str, fragment: &str) -> String {
    format!("broken link: `{target}` has no anchor `#{fragment}`")
}

/// An anchor of a page, as a number: 64 bits of SipHash over the page's
/// address and the id (a false match among a million ids is about as likely
/// as one in 2^44).
fn anchor_hash(page: &str, id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    page.hash(&mut h);
    id.hash(&mut h);
    h.finish()
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

/// What one reference comes to on its own: `Err` with the problem, or the
/// page and the anchor it needs, settled with the ids of that page.
fn check_address(
    files: &SiteFiles,
    page: &str,
    r: &Reference,
    base_path: &str,
) -> Result<Option<(String, String)>, String> {
    let v = r.value.trim();
    let lower = v.to_ascii_lowercase();
    if lower.starts_with("mailto:") || lower.starts_with("tel:") {
        return Ok(None);
    }
    if lower.starts_with("javascript:") || lower.starts_with("data:text/html") {
        return Err("a link runs script".to_string());
    }
    let external =
        lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//");
    if external {
        // A link a reader follows may go anywhere; a resource the page loads
        // itself must come from this site.
        return match r.loads {
            true => Err("the page loads a file from another host".to_string()),
            false => Ok(None),
        };
    }
    if v.is_empty() {
        return Err("an empty address".to_string());
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
        return Err("the address leaves the site".to_string());
    };
    if target.is_empty() || target.ends_with('/') {
        target.push_str("index.html");
    }
    if !files.contains_key(&target) {
        return Err(format!("broken link: there is no `{target}` in the site"));
    }
    match fragment {
        Some(fragment) if !fragment.is_empty() && target.ends_with(".html") => {
            Ok(Some((target, fragment.to_string())))
        }
        _ => Ok(None),
    }
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

    #[test]
    fn anchors_of_the_page_itself_and_of_others_are_told_apart_and_kept_in_order() {
        let files = site(&[
            (
                "a.html",
                "<a href=\"#gone\">1</a><a href=\"b.html#here\">2</a><a href=\"b.html#away\">3</a><p id=\"here\"></p>",
            ),
            ("b.html", "<p id=\"here\"></p><a href=\"a.html#here\">4</a>"),
        ]);
        let problems: Vec<(String, String)> = check_links(&files, "/")
            .iter()
            .map(|d| (d.file.display().to_string(), d.message.clone()))
            .collect();
        assert_eq!(
            problems,
            [
                (
                    "public/a.html".to_string(),
                    "broken link: `a.html` has no anchor `#gone`".to_string()
                ),
                (
                    "public/a.html".to_string(),
                    "broken link: `b.html` has no anchor `#away`".to_string()
                ),
            ]
        );
    }
}
