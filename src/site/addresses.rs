//! One address, one page. Content files and the pages the build generates
//! share the site's addresses: `content/data.md` would be `/data/`, which
//! is the downloads page, and `content/feed.xml.md` a folder where the feed
//! must be a file. Such a file is an error naming it, never a page that
//! silently replaces another or a write that fails half-way.
//!
//! Addresses are compared without regard to case: the site is often copied
//! to a disk that ignores case (Windows, macOS) or served by a server that
//! does, where `/rapporter/2025-Q4/` and `/rapporter/2025-q4/` are one folder
//! and one page would silently replace the other.

use std::collections::BTreeMap;

use super::Site;
use crate::diagnostics::Diagnostic;

/// The top-level names the build writes whatever the content: a content
/// file may not make a page at or under one of them. (`tests/hostile_use.rs`
/// checks that a build writes no other top-level name.)
pub const GENERATED: [&str; 13] = [
    "units",
    "measures",
    "charts",
    "data",
    "revisions",
    "accessibility",
    // The frozen copies of published editions.
    "editions",
    "static",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "404.html",
    // The home page's file, whether `content/_index.md` or the build makes it.
    "index.html",
];

/// The section whose archive page the build makes when the content has
/// reports and no `rapporter/_index.md` of its own.
const REPORT_ARCHIVE: &str = "rapporter/";

/// Every content file whose page would take the address of a generated
/// page, or of another content file's page.
pub fn check(site: &Site, makes_report_archive: bool) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // Each address taken, by its lower-case form: the address and its file.
    let mut taken: BTreeMap<String, (String, &std::path::Path)> = BTreeMap::new();
    for f in &site.content {
        let path = f.path();
        let address = format!("/{path}");
        let folded = path.to_lowercase();
        let top = folded.split('/').next().unwrap_or("");
        if GENERATED.contains(&top) {
            problems.push(
                Diagnostic::error(
                    &f.file,
                    "the page's address is one the build uses for a page or file of its own",
                )
                .at_line(1)
                .found(address)
                .expected(format!(
                    "a file name whose address does not start with any of: {}",
                    GENERATED
                        .iter()
                        .map(|g| format!("`/{g}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .help("rename the file (the address follows the file's path under content/)"),
            );
            continue;
        }
        if makes_report_archive && folded == REPORT_ARCHIVE {
            problems.push(
                Diagnostic::error(&f.file, "the page's address is the report archive, which the build makes")
                    .at_line(1)
                    .found(address)
                    .help("to write the archive page yourself, name the file `content/rapporter/_index.md`"),
            );
            continue;
        }
        if let Some((other, first)) = taken.get(&folded) {
            let d = if *other == path {
                Diagnostic::error(&f.file, "two content files make the same page").expected(
                    format!(
                        "one file per address; {} makes this page too",
                        first.display()
                    ),
                )
            } else {
                Diagnostic::error(&f.file, "two pages' addresses differ only in case").expected(
                    format!(
                        "addresses that differ in more than case; {} makes `/{other}`, \
                         and a disk or web server that ignores case would keep only one of them",
                        first.display()
                    ),
                )
            };
            problems.push(
                d.at_line(1)
                    .found(address)
                    .help("rename or remove one of the two files"),
            );
            continue;
        }
        taken.insert(folded, (path, &f.file));
    }
    problems
}
