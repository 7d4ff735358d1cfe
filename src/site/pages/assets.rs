//! A chart's files beside its page: the SVGs, the PNGs (the page's, the
//! slide's and the square's, through the build cache), the CSVs and the
//! data bundle; and how every file of the site goes into the cache as it
//! is made.

use super::OutFile;
use crate::cache::BuildCache;
use crate::chart::{Chart, SlideFormat};
use crate::diagnostics::Diagnostic;
use crate::output::{DeferredPng, FileBody, PngScale, SvgSource};
use crate::site::{BuildOptions, Site};
use crate::timings;

/// A file of the site as it will be written: with a cache, put into it
/// (kind `page`, named by the hash of its bytes) and linked from there when
/// the site is written, so the built site is never held in memory whole;
/// without one (`check`, which reads the pages for its link check), kept in
/// memory.
pub(super) fn spill(
    cache: Option<&BuildCache>,
    path: &str,
    bytes: Vec<u8>,
) -> Result<FileBody, Diagnostic> {
    let Some(cache) = cache else {
        return Ok(FileBody::Bytes(bytes));
    };
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_alphanumeric()))
        .unwrap_or("bin");
    let key = blake3::hash(&bytes);
    cache
        .entry("page", &key, extension, || Ok(bytes))
        .map_err(|e| Diagnostic::error(path, format!("cannot write into the build cache: {e}")))
}

/// A PNG left out of a preview or a check, drawn from the SVG at `svg` (a
/// path in the site).
fn deferred(svg: String, scale: PngScale) -> FileBody {
    FileBody::Deferred(DeferredPng {
        svg: SvgSource::Site(svg),
        scale,
    })
}

pub(super) static SVG_TIME: timings::Counter = timings::Counter::new("chart svg (assets)");
pub(super) static PNG_TIME: timings::Counter = timings::Counter::new("png (cache or draw)");
pub(super) static BUNDLE_TIME: timings::Counter = timings::Counter::new("csv + zip bundle");
pub(super) static SLIDE_TIME: timings::Counter =
    timings::Counter::new("slide + square png (cache or draw)");

/// A chart's CSV download `name`, made by `make`: with a cache, kept under
/// the chart's fingerprint, so that a chart that did not change is not
/// written out again.
fn csv_file(
    chart: &Chart,
    dir: &str,
    name: &str,
    make: fn(&Chart) -> String,
) -> Result<OutFile, Diagnostic> {
    let path = format!("{dir}{name}");
    let body = chart
        .kept_file("page", name, "csv", || Ok(make(chart).into_bytes()))
        .map_err(|e| Diagnostic::error(&path, format!("cannot write into the build cache: {e}")))?;
    Ok((path, body))
}

pub(super) fn chart_assets(
    site: &Site,
    options: &BuildOptions,
    cache: Option<&BuildCache>,
    slug: &str,
    chart: Chart,
) -> Result<Vec<OutFile>, Diagnostic> {
    let dir = chart.path();
    // Files of the chart go through its own cache, when the site keeps
    // one (see `Chart::keep_drawings_in`).
    let png = PNG_TIME
        .time(|| {
            if options.mode.draws_png() {
                chart.png()
            } else {
                Ok(deferred(format!("{dir}chart.svg"), PngScale::Chart))
            }
        })
        .map_err(|e| {
            Diagnostic::error(
                format!("{dir}chart.png"),
                format!("cannot rasterise the chart: {e}"),
            )
        })?;
    // The slide and square layouts, through the same cache. A preview
    // writes each layout's SVG beside the PNG's place, for `serve` to draw
    // it when asked for (see `BuildMode::Preview`).
    let mut slides = Vec::new();
    // A frozen copy has no slide formats: the archive keeps only what it
    // cannot re-make, and a frozen page links to the current chart's.
    let formats = if dir.starts_with("editions/") {
        &[][..]
    } else {
        &SlideFormat::ALL[..]
    };
    for &format in formats {
        let name = format!("{dir}{}", format.file_name());
        // Laid out only when its PNG is not kept yet (see `Chart::slide_png`).
        let png = SLIDE_TIME
            .time(|| {
                if options.mode.draws_png() {
                    chart.slide_png(format)
                } else {
                    Ok(deferred(format!("{name}.svg"), PngScale::Layout))
                }
            })
            .map_err(|e| Diagnostic::error(&name, format!("cannot rasterise the chart: {e}")))?;
        if !options.mode.draws_png() {
            let svg_name = format!("{name}.svg");
            let slide_svg = SVG_TIME
                .time(|| chart.slide_svg_file(format))
                .map_err(|e| {
                    Diagnostic::error(&svg_name, format!("cannot write into the build cache: {e}"))
                })?;
            slides.push((svg_name, slide_svg));
        }
        slides.push((name, png));
    }
    let bundle = BUNDLE_TIME.time(|| crate::site::feeds::bundle(site, &chart));
    let bundle = bundle.map_err(|e| {
        Diagnostic::error(
            format!("{dir}{slug}.zip"),
            format!("cannot write the data bundle: {e}"),
        )
    })?;
    let csv = csv_file(&chart, &dir, "data.csv", Chart::csv)?;
    let csv_excel = csv_file(&chart, &dir, "data-excel.csv", Chart::csv_excel)?;
    // With a cache, the SVGs are the files it keeps them in.
    let [svg, narrow] = chart.into_svg_files().map_err(|e| {
        Diagnostic::error(
            format!("{dir}chart.svg"),
            format!("cannot write into the build cache: {e}"),
        )
    })?;
    let mut files = vec![
        (format!("{dir}chart.svg"), svg),
        (format!("{dir}chart-narrow.svg"), narrow),
        (format!("{dir}chart.png"), png),
        csv,
        csv_excel,
        (format!("{dir}{slug}.zip"), bundle),
    ];
    for (name, body) in slides {
        let body = match body {
            FileBody::Bytes(bytes) if !bytes.is_empty() => spill(cache, &name, bytes)?,
            other => other,
        };
        files.push((name, body));
    }
    Ok(files)
}
