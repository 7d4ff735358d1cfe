//! One address, one page. Content files and the pages the build generates
//! share the site's addresses: `content/data.md` would be `/data/`, which
//! is the downloads page, and `content/feed.xml.md` a folder where the feed
//! must be a file. Such a file is an error naming it, never a page that
//! silently replaces another or a write that fails half-way.

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
    let mut taken: BTreeMap<String, &std::path::Path> = BTreeMap::new();
    for f in &site.content {
        let path = f.path();
        let address = format!("/{path}");
        let top = path.split('/').next().unwrap_or("");
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
        if makes_report_archive && path == REPORT_ARCHIVE {
            problems.push(
                Diagnostic::error(&f.file, "the page's address is the report archive, which the build makes")
                    .at_line(1)
                    .found(address)
                    .help("to write the archive page yourself, name the file `content/rapporter/_index.md`"),
            );
            continue;
        }
        if let Some(first) = taken.get(&path) {
            problems.push(
                Diagnostic::error(&f.file, "two content files make the same page")
                    .at_line(1)
                    .found(address)
                    .expected(format!(
                        "one file per address; {} makes this page too",
                        first.display()
                    ))
                    .help("rename or remove one of the two files"),
            );
            continue;
        }
        taken.insert(path, &f.file);
    }
    problems
}
