//! The site `insyn serve` keeps in memory between edits, so that the common
//! edit re-renders one page instead of the whole site.
//!
//! Every page other than a content file's own is made from the data, the
//! configuration, the templates and the *front matter* of the content files
//! (titles, dates, periods and summaries feed menus, lists, neighbour links
//! and the feed). A content file's body reaches its own page and the charts
//! it draws, nothing else. So an edit that leaves a file's front matter as
//! it was changes only that page and its charts: those are rendered again
//! and written over the old files, in the same folder. Any other edit (data,
//! `site.toml`, a theme, a file added or removed, a changed title or date)
//! asks for a full build, which is always correct.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::site::links::PageLinks;
use crate::site::{BuildOptions, Site};
use crate::{BuildError, BuildReport, Stage};

/// A built site and what it was built from.
pub struct LiveSite {
    site: Site,
    out: PathBuf,
    options: BuildOptions,
    /// The slugs of the charts each written page draws, by page path.
    page_charts: BTreeMap<String, Vec<String>>,
    /// The references and ids of each content file's page, by page path,
    /// as the last full build checked them against the whole site.
    page_links: BTreeMap<String, PageLinks>,
}

/// The references and ids of each content file's page, by page path (see
/// [`LiveSite::update`]), its HTML got by `read` from the page's file.
fn content_links(
    site: &Site,
    read: impl Fn(&str) -> Option<Vec<u8>>,
) -> BTreeMap<String, PageLinks> {
    site.content
        .iter()
        .filter_map(|f| {
            let html = read(&f.page_file())?;
            let links = crate::site::links::page_links(&String::from_utf8_lossy(&html));
            Some((f.path(), links))
        })
        .collect()
}

/// What [`LiveSite::update`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Update {
    /// Only these pages (and their charts' files) were rendered and written.
    Rendered {
        /// The content files re-rendered, relative to the root.
        sources: Vec<PathBuf>,
        /// How many files were written.
        files: usize,
    },
    /// The edit can reach other pages: build the whole site.
    NeedsFullBuild,
}

impl LiveSite {
    /// A full, atomic build of `root` into `out` (see [`crate::build_with`]),
    /// keeping the loaded site for later updates.
    pub fn build(
        root: &Path,
        out: &Path,
        options: &BuildOptions,
        on_stage: &mut dyn FnMut(Stage),
    ) -> Result<(LiveSite, BuildReport), BuildError> {
        let (report, kept) = crate::build_keeping_site(root, out, options, on_stage)?;
        // The build checked these pages' links; they are read back to tell
        // later edits that may break one (a few dozen pages).
        let page_links = content_links(&kept.site, |file| std::fs::read(out.join(file)).ok());
        let live = LiveSite {
            site: kept.site,
            out: out.to_path_buf(),
            options: options.clone(),
            page_charts: kept.page_charts,
            page_links,
        };
        Ok((live, report))
    }

    /// The folder the site is written to.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Brings the written site up to date after the files `changed`
    /// (relative to the root) were edited, re-rendering only the pages the
    /// edit can change, or answers [`Update::NeedsFullBuild`].
    ///
    /// After an error the kept site may no longer match what was written:
    /// drop it and build in full next time.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Update, BuildError> {
        let mut edited = Vec::new();
        for rel in changed {
            let Some(index) = self.body_only_edit(rel)? else {
                return Ok(Update::NeedsFullBuild);
            };
            edited.push(index);
        }
        if edited.is_empty() {
            return Ok(Update::NeedsFullBuild);
        }
        edited.sort_unstable();
        edited.dedup();
        let mut rendered = self
            .site
            .render_content(&self.options, &edited)
            .map_err(BuildError::Invalid)?;
        // The same charts as the full build that made the site (else a full
        // build follows), so the same deferred PNGs: none is written.
        crate::output::take_deferred(&mut rendered.files);
        // Another set of charts means a chart page appears or goes, and
        // with it the sitemap: that is a full build.
        let charts_changed = edited.iter().any(|&i| {
            let page = self.site.content[i].path();
            rendered.page_charts.get(&page) != self.page_charts.get(&page)
        });
        if charts_changed {
            return Ok(Update::NeedsFullBuild);
        }
        // A link added or changed, or an anchor gone that a page links to,
        // is checked against the whole site, as every build checks the
        // links an author wrote: a full build.
        let links = content_links(&self.site, |file| {
            Some(rendered.files.get(file)?.read().ok()?.into_owned())
        });
        let may_break = edited.iter().any(|&i| {
            let page = self.site.content[i].path();
            match (links.get(&page), self.page_links.get(&page)) {
                (Some(now), Some(before)) => {
                    let other = self.page_links.iter().filter(|(p, _)| **p != page);
                    now.may_break_links(before, other.map(|(_, links)| links))
                }
                _ => true,
            }
        });
        if may_break {
            return Ok(Update::NeedsFullBuild);
        }
        crate::output::write_in_place(&self.out, &rendered.files).map_err(|source| {
            BuildError::Write {
                path: self.out.clone(),
                source,
            }
        })?;
        self.page_links.extend(links);
        Ok(Update::Rendered {
            sources: edited
                .iter()
                .map(|&i| self.site.content[i].file.clone())
                .collect(),
            files: rendered.files.len(),
        })
    }

    /// When `rel` is a content file the site has and its new version keeps
    /// the front matter, takes the new version in and returns its index.
    fn body_only_edit(&mut self, rel: &Path) -> Result<Option<usize>, BuildError> {
        let is_markdown = rel.starts_with("content") && rel.extension().is_some_and(|e| e == "md");
        if !is_markdown || !self.site.root.join(rel).is_file() {
            return Ok(None);
        }
        let Some(index) = self
            .site
            .content
            .iter()
            .position(|f| f.file.as_path() == rel)
        else {
            // A new file, or a draft: lists may change.
            return Ok(None);
        };
        let fresh = crate::content::load_one(&self.site.root, rel).map_err(BuildError::Invalid)?;
        if fresh.front != self.site.content[index].front {
            return Ok(None);
        }
        self.site.content[index] = fresh;
        Ok(Some(index))
    }
}
