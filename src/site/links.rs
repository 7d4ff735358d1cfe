//! The internal link check: every `href` and `src` of a page points at a
//! page, file or anchor of the site, and no resource is requested from
//! another host (README, "Links"). `insyn check` checks every page; a build
//! checks the pages made from content files (see [`check_authored`]).

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
    let pages: Vec<&str> = files
        .keys()
        .map(String::as_str)
        .filter(|p| p.ends_with(".html"))
        .collect();
    check_pages(files, &pages, base_path)
}

/// The link check of a build (README, "Links"): the references of the
/// pages made from content files, the links an author wrote, checked
/// against the whole site and told at their Markdown sources. The other
/// pages are made by templates from what the site has, so their links are
/// left to `insyn check`, which reads every page (on the national site
/// about 0.45 s, against about 20 ms for the content pages).
pub fn check_authored(
    files: &SiteFiles,
    content: &[crate::content::ContentFile],
    base_path: &str,
) -> Vec<Diagnostic> {
    let pages: Vec<String> = content
        .iter()
        .map(|f| f.page_file())
        .filter(|page| files.contains_key(page))
        .collect();
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    at_their_sources(check_pages(files, &pages, base_path), content)
}

/// What of a page the link check reads: its references and its ids.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PageLinks {
    references: Vec<String>,
    ids: Vec<String>,
}

impl PageLinks {
    /// The references that lead off the page.
    fn elsewhere(&self) -> impl Iterator<Item = &str> {
        self.references
            .iter()
            .filter(|r| !r.starts_with('#'))
            .map(String::as_str)
    }

    /// Whether these links of a page, after an edit, may break a link that
    /// its links `before` did not: a reference to another page added or
    /// changed, one to an anchor of the page itself that it lacks, or an id
    /// gone that a reference of one of the `other` pages names (by its
    /// fragment alone, which may over-count: then a full build checks, and
    /// finds nothing). A page's own table of contents changes with its
    /// headings, and is checked here.
    pub fn may_break_links<'a>(
        &self,
        before: &PageLinks,
        other: impl IntoIterator<Item = &'a PageLinks>,
    ) -> bool {
        if !self.elsewhere().eq(before.elsewhere()) {
            return true;
        }
        let has_id = |id: &str| self.ids.binary_search_by(|x| x.as_str().cmp(id)).is_ok();
        let unanchored = self
            .references
            .iter()
            .filter_map(|r| r.strip_prefix('#'))
            .any(|id| !id.is_empty() && !has_id(id));
        if unanchored {
            return true;
        }
        let gone: HashSet<&str> = before
            .ids
            .iter()
            .map(String::as_str)
            .filter(|id| !has_id(id))
            .collect();
        !gone.is_empty()
            && other.into_iter().any(|page| {
                page.references
                    .iter()
                    .filter_map(|r| r.split_once('#'))
                    .any(|(_, fragment)| gone.contains(fragment))
            })
    }
}

/// The references and ids of one page, for telling whether an edit may
/// break a link (`insyn serve` then builds in full, which checks them).
pub fn page_links(html: &str) -> PageLinks {
    let (ids, refs) = scan(html);
    let mut ids: Vec<String> = ids.into_iter().collect();
    ids.sort_unstable();
    PageLinks {
        references: refs.into_iter().map(|r| r.value).collect(),
        ids,
    }
}

/// Checks the references of `pages`, each a key of `files`. A link to an
/// anchor of a page not among them reads that page's ids too.
fn check_pages(files: &SiteFiles, pages: &[&str], base_path: &str) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let checked: Vec<(Vec<u64>, Vec<Outcome>)> = pages
        .par_iter()
        .filter_map(|&path| Some((path, files.get(path)?)))
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
    let mut ids: HashSet<u64> = checked.iter().flat_map(|(ids, _)| ids).copied().collect();
    let checked_pages: HashSet<&str> = pages.iter().copied().collect();
    let elsewhere: std::collections::BTreeSet<&str> = checked
        .iter()
        .flat_map(|(_, outcomes)| outcomes)
        .filter_map(|outcome| match outcome {
            Outcome::Anchor { target, .. } if !checked_pages.contains(target.as_str()) => {
                Some(target.as_str())
            }
            _ => None,
        })
        .collect();
    for page in elsewhere {
        // A page that cannot be read back has no ids: its anchors are
        // reported missing, which is what a reader would find.
        if let Some(Ok(bytes)) = files.get(page).map(|body| body.read()) {
            let (page_ids, _) = scan(&String::from_utf8_lossy(&bytes));
            ids.extend(page_ids.iter().map(|id| anchor_hash(page, id)));
        }
    }
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
        .map(|f| (format!("public/{}", f.page_file()), f))
        .collect();
    // Each file's addresses are found once, however many of its links are
    // broken (20,000 broken links in one file had taken minutes).
    let mut written: std::collections::HashMap<&std::path::Path, WrittenAddresses> =
        Default::default();
    problems
        .into_iter()
        .map(|d| {
            let Some(f) = by_page.get(d.file.to_string_lossy().as_ref()) else {
                return d;
            };
            let Some(address) = d.found.clone() else {
                return d;
            };
            let addresses = written
                .entry(f.file.as_path())
                .or_insert_with(|| addresses_written(&f.body, f.body_line));
            let Some((line, column, as_written)) = addresses.get(&comparable(&address)) else {
                return d;
            };
            Diagnostic {
                file: f.file.clone(),
                found: Some(as_written.clone()),
                ..d
            }
            .at(*line, *column)
        })
        .collect()
}

/// Where each address is first written in a Markdown body, by its
/// [`comparable`] form: its file line, column and the address as written.
type WrittenAddresses = std::collections::HashMap<String, (usize, usize, String)>;

/// The addresses written in `body` (which starts on file line
/// `body_line`). The address as the author may have written it: a link
/// from the site root is made relative to the page, and a folder's
/// `index.html` is added (`/om/#x` is written to the page as
/// `../om/index.html#x`). An address is a whole piece between the marks
/// that end one in Markdown or HTML, so that `x` is not found inside `.x`
/// or a word.
fn addresses_written(body: &str, body_line: usize) -> WrittenAddresses {
    let mut found = WrittenAddresses::new();
    for (i, text) in body.lines().enumerate() {
        // Columns count characters; each mark that ends a piece is one.
        let mut column = 1;
        for piece in text.split(ADDRESS_ENDS) {
            if !piece.is_empty() {
                found
                    .entry(comparable(piece))
                    .or_insert_with(|| (body_line + i, column, piece.to_string()));
            }
            column += piece.chars().count() + 1;
        }
    }
    found
}

/// The characters that end an address written in Markdown or HTML.
const ADDRESS_ENDS: [char; 8] = ['(', ')', '"', '\'', '<', '>', ' ', '='];

/// An address as written or as a page has it, without what writing it to
/// the page adds or takes: leading `./`, `../` and `/`, and `index.html`.
fn comparable(address: &str) -> String {
    let mut rest = address.trim();
    loop {
        let trimmed = rest
            .trim_start_matches("./")
            .trim_start_matches("../")
            .trim_start_matches('/');
        if trimmed == rest {
            break;
        }
        rest = trimmed;
    }
    rest.replacen("index.html", "", 1)
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
    fn an_address_compares_as_written_and_as_the_page_has_it() {
        assert_eq!(comparable("../../om/index.html#x"), comparable("/om/#x"));
        assert_eq!(comparable("./a.png"), "a.png");
        assert_ne!(comparable(".x"), comparable("x"));
    }

    #[test]
    fn addresses_are_found_once_at_their_first_line_and_character_column() {
        let found = addresses_written("å [a](/x/) ö [b](y)\n<img src=\"y\">", 10);
        assert_eq!(
            found[&comparable("../x/index.html")],
            (10, 7, "/x/".to_string())
        );
        assert_eq!(found["y"], (10, 18, "y".to_string()), "the first of two");
        assert!(!found.contains_key("x"), "only whole addresses");
    }

    #[test]
    fn an_edit_may_break_a_link_by_its_references_or_by_an_anchor_gone() {
        let page = |html: &str| page_links(html);
        let before = page("<h2 id=\"a\">A</h2><a href=\"#a\">toc</a><a href=\"../x/\">x</a>");
        let other = page("<a href=\"../r/#a\">to a</a>");
        let unlinked = page("<a href=\"../r/\">r</a>");
        // The heading and its table-of-contents link renamed together.
        let renamed = page("<h2 id=\"b\">B</h2><a href=\"#b\">toc</a><a href=\"../x/\">x</a>");
        assert!(!renamed.may_break_links(&before, [&unlinked]));
        assert!(
            renamed.may_break_links(&before, [&other]),
            "another page links to #a"
        );
        // A link of the page's own to an anchor it lacks.
        let dangling = page("<h2 id=\"a\">A</h2><a href=\"#c\">toc</a><a href=\"../x/\">x</a>");
        assert!(dangling.may_break_links(&before, [&unlinked]));
        // A link elsewhere changed.
        let moved = page("<h2 id=\"a\">A</h2><a href=\"#a\">toc</a><a href=\"../y/\">x</a>");
        assert!(moved.may_break_links(&before, [&unlinked]));
        assert!(!before.may_break_links(&before, [&other]));
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
