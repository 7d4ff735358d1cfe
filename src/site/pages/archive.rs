//! What the build adds to and takes from the editions archive: the frozen
//! files re-made rather than stored, the frozen copies of the charts an
//! edition being published records, and the addresses it records.

use rayon::prelude::*;

use super::OutFile;
use crate::cache::BuildCache;
use crate::chart::Chart;
use crate::diagnostics::{Diagnostic, all_or_problems};
use crate::output::{DeferredPng, FileBody, PngScale, SvgSource};
use crate::site::charts::ChartRegistry;
use crate::site::{BuildOptions, Site};
use crate::timings;

/// The frozen files the archive stores packed, unpacked, and those it
/// re-makes rather than stores: PNGs drawn from frozen SVGs and bundles
/// zipped from frozen parts. All through the build cache like the live
/// charts' files (so a rebuild unpacks and draws nothing again).
pub(super) fn remade_files(
    site: &Site,
    options: &BuildOptions,
    cache: Option<&BuildCache>,
) -> Result<Vec<OutFile>, Vec<Diagnostic>> {
    use crate::site::editions::{Object, RemadeFile, open};
    let _span = timings::Span::new("editions: re-made files");
    let root = &site.root;
    let damaged = |path: &str, e: String| {
        Diagnostic::error(path, format!("cannot re-make the frozen file: {e}"))
            .help("the editions archive is damaged; restore editions/ from version control")
    };
    let mut made: Vec<Result<OutFile, Vec<Diagnostic>>> = Vec::new();
    // Edition by edition, oldest first: an object's base, packed in an
    // earlier edition, is then already unpacked.
    for edition in site.archive.packed_files() {
        made.par_extend(edition.into_par_iter().map(|(path, object)| {
            open(root, &object, cache)
                .map(|body| (path.clone(), body))
                .map_err(|e| vec![damaged(&path, e)])
        }));
    }
    let text = |body: FileBody| {
        let bytes = body.read().map_err(|e| e.to_string())?;
        String::from_utf8(bytes.into_owned()).map_err(|e| e.to_string())
    };
    let read = |object: &Object| open(root, object, cache).and_then(text);
    made.par_extend(
        site.archive
            .remade_files()
            .into_par_iter()
            .map(|(path, how)| {
                let body = match how {
                    // A preview draws it only when `serve` is asked for it,
                    // from the unpacked SVG.
                    RemadeFile::Png { svg } if !options.mode.draws_png() => open(root, &svg, cache)
                        .and_then(|body| match body {
                            FileBody::OnDisk { path, .. } => Ok(FileBody::Deferred(DeferredPng {
                                svg: SvgSource::Archive(path),
                                scale: PngScale::Chart,
                            })),
                            // Without a cache the SVG is only in memory: drawn now.
                            other => text(other).and_then(|svg| {
                                crate::chart::rasterize_png(&svg).map(FileBody::Bytes)
                            }),
                        }),
                    RemadeFile::Png { svg } => read(&svg).and_then(|svg| match cache {
                        Some(cache) => crate::chart::cached_png(&svg, cache),
                        None => crate::chart::rasterize_png(&svg).map(FileBody::Bytes),
                    }),
                    RemadeFile::Bundle { parts } => {
                        let hashes = parts.each_ref().map(|p| p.hash.as_str());
                        crate::site::bundle::zipped_stored(hashes, cache, || {
                            parts.iter().map(read).collect()
                        })
                    }
                };
                body.map(|b| (path.clone(), b))
                    .map_err(|e| vec![damaged(&path, e)])
            }),
    );
    all_or_problems(made)
}

/// When publishing: a frozen copy of every chart for the edition's archive,
/// under `editions/<period>/charts/<slug>/`, except those the edition
/// already froze when it was first published (they never change).
pub(super) fn frozen_copies(site: &Site, charts: &[Chart]) -> Vec<Chart> {
    let publication = &site.publication;
    let (true, Some(name)) = (publication.publishing, &publication.edition) else {
        return Vec::new();
    };
    let dir = crate::site::editions::edition_dir(name);
    let archived = site.archive.get(name);
    let base_url = site.config.base_url();
    charts
        .iter()
        .filter(|c| {
            !archived.is_some_and(|e| {
                e.files
                    .contains_key(&format!("charts/{}/index.html", c.slug()))
            })
        })
        .map(|c| c.frozen_in(&dir, &base_url))
        .collect()
}

/// The addresses of `pages` (path, title, in the sitemap) and of the charts
/// as `insyn publish` records them: every page but the 404 page and the
/// editions' own frozen copies, with where a reader of each finds the same
/// thing later (a chart's following address).
pub(super) fn addresses(
    pages: &[(String, String, bool)],
    registry: &ChartRegistry,
) -> Vec<crate::site::editions::PageRecord> {
    let current = |path: &str| {
        path.strip_prefix("charts/")
            .and_then(|rest| rest.split_once('/'))
            .and_then(|(slug, rest)| {
                let latest = &registry.charts.get(slug)?.latest_slug;
                Some(format!("charts/{latest}/{rest}"))
            })
            .unwrap_or_else(|| path.to_string())
    };
    let record = |path: &str, title: &str| crate::site::editions::PageRecord {
        path: path.to_string(),
        title: title.to_string(),
        current: current(path),
    };
    let mut out: Vec<crate::site::editions::PageRecord> = pages
        .iter()
        .filter(|(path, _, _)| path != "404.html" && !path.starts_with("editions/"))
        .map(|(path, title, _)| record(path, title))
        .collect();
    // The live charts' embed pages, then their own pages, made with their
    // downloads.
    out.extend(
        registry
            .charts
            .values()
            .map(|c| record(&format!("{}embed/", c.path), &c.title)),
    );
    out.extend(registry.charts.values().map(|c| record(&c.path, &c.title)));
    out
}
