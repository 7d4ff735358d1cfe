//! The page of an address an earlier edition had and this build does not.

use serde::Serialize;

use super::context::BaseContext;
use super::file_for;
use crate::diagnostics::Diagnostic;
use crate::format;
use crate::output::SiteFiles;
use crate::site::{Site, charts};

/// A page for every address an edition recorded that this build no longer
/// has (§6: addresses are forever): what it was, when it was published, and
/// links to its frozen copy and to what shows the same thing today.
pub(super) fn moved_pages(
    site: &Site,
    tera: &tera::Tera,
    base: &BaseContext,
    files: &SiteFiles,
) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    #[derive(Serialize)]
    struct MovedView {
        edition: String,
        published: String,
        frozen_href: Option<String>,
        current_href: Option<String>,
    }
    let lang = site.config.language;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (path, (edition, record)) in site.archive.addresses() {
        if files.contains_key(&file_for(path)) || !crate::output::is_safe_relative(&file_for(path))
        {
            continue;
        }
        let frozen_href = site
            .archive
            .frozen_copies(path)
            .last()
            .map(|e| format!("{}{path}index.html", e.dir()));
        let current_href = (record.current != path
            && files.contains_key(&file_for(&record.current)))
        .then(|| file_for(&record.current));
        let mut ctx = base.context(path, &record.title, "");
        ctx.insert(
            "moved",
            &MovedView {
                edition: charts::edition_words(&edition.name, lang),
                published: format::date_long(&edition.published, lang),
                frozen_href,
                current_href,
            },
        );
        match base.render(tera, "moved.html", ctx) {
            Ok(html) => out.push((path.to_string(), html)),
            Err(e) => problems.push(e),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}
