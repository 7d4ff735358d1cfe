//! Machine-readable outputs: the data downloads, the chart bundles, the Atom
//! feed, the sitemap and robots.txt.

use std::io::Write;

use super::Site;
use super::bundle::{BUNDLE_ENTRIES, BUNDLE_FORMAT, zip_archive};
use super::reports::ReportInfo;
use crate::cache::BuildCache;
use crate::chart::Chart;
use crate::csv_writer::{CsvWriter, Dialect};
use crate::data::Status;
use crate::data::privacy::Shown;
use crate::format;
use crate::output::FileBody;

pub const FULL_CSV: &str = "insyn-data.csv";

/// The folder under `data/` that holds the Excel-ready copy of every data
/// download, under the same file names.
pub const EXCEL_DIR: &str = "excel";

/// The tidy CSV of every published value (one row per value), and one file
/// per measure; then the same files Excel-ready for the site's language
/// under `data/excel/` (see [`crate::csv_writer`]). Units folded into their
/// parent are left out. With a cache, each file is written straight into it
/// as it is made and never held in memory whole (on a site of thousands of
/// units these files are hundreds of megabytes); without one (`check`),
/// they are made in memory.
pub fn data_downloads(
    site: &Site,
    cache: Option<&BuildCache>,
) -> Result<Vec<(String, FileBody)>, String> {
    use rayon::prelude::*;
    let mut files: Vec<(String, Dialect, Option<&str>)> = Vec::new();
    for (dialect, dir) in [
        (Dialect::Tidy, "data/".to_string()),
        (
            Dialect::Excel(site.config.language),
            format!("data/{EXCEL_DIR}/"),
        ),
    ] {
        files.push((format!("{dir}{FULL_CSV}"), dialect, None));
        for m in site.data.measures.measures.keys() {
            files.push((format!("{dir}{m}.csv"), dialect, Some(m.as_str())));
        }
    }
    // Written again only when what they show changed: a quarterly rebuild
    // after an edit of the text finds every one of them kept.
    let kept_in = cache.map(|cache| (cache, published_view_hash(site)));
    files
        .into_par_iter()
        .map(|(name, dialect, measure)| {
            let write = |w: &mut dyn Write| write_data_csv(site, dialect, measure, w);
            let body = match &kept_in {
                Some((cache, view)) => {
                    let mut key = blake3::Hasher::new();
                    key.update(view.as_bytes());
                    key.update(format!("{dialect:?}\0{measure:?}").as_bytes());
                    cache.keyed_streamed_entry("data", &key.finalize(), "csv", write)?
                }
                None => {
                    let mut bytes = Vec::new();
                    write(&mut bytes).map_err(|e| format!("{name}: {e}"))?;
                    FileBody::Bytes(bytes)
                }
            };
            Ok((name, body))
        })
        .collect()
}

/// A hash of everything the data downloads show: every published value of
/// every published unit with its status, the units' names, the measures'
/// series breaks, the site's language and small-count threshold, and the
/// program that writes them.
fn published_view_hash(site: &Site) -> blake3::Hash {
    // Each field ends in a NUL, which no field holds: no two different
    // views feed the same bytes. Written straight into the hasher, with no
    // text made per value (this runs on every build, over every value).
    // Buffered: the hasher takes the pieces in blocks.
    let mut hasher = blake3::Hasher::new();
    let mut h = std::io::BufWriter::with_capacity(64 * 1024, &mut hasher);
    let mut feed = |args: std::fmt::Arguments| h.write_fmt(args).and_then(|()| h.write_all(b"\0"));
    let written = (|| {
        feed(format_args!("{}", crate::cache::program_id()))?;
        feed(format_args!("{}", site.config.language.code()))?;
        feed(format_args!("{}", site.config.privacy.suppress_below))?;
        for m in site.data.measures.measures.values() {
            feed(format_args!("{}", m.id))?;
            for b in &m.breaks {
                feed(format_args!("{} {:?}", b.period, b.note))?;
            }
        }
        for (key, series) in &site.data.series {
            if !site.published_units.contains(&key.unit) {
                continue;
            }
            let name = site.data.units.get(&key.unit).map(|u| u.name.as_str());
            feed(format_args!("{key:?} {}", name.unwrap_or("")))?;
            for (period, shown) in site.published_points(key, series) {
                match shown {
                    Shown::Number(n, s) => {
                        feed(format_args!("{period} {:x} {}", n.to_bits(), s.symbol()))?
                    }
                    other => feed(format_args!("{period} {other:?}"))?,
                }
            }
        }
        Ok::<(), std::io::Error>(())
    })();
    // Hashing into memory cannot fail.
    debug_assert!(written.is_ok());
    // Dropped, the buffer passes its rest to the hasher.
    drop(h);
    hasher.finalize()
}

/// One data download: every published value of `measure` (of every
/// measure for `None`), written to `out` one series at a time.
fn write_data_csv(
    site: &Site,
    dialect: Dialect,
    measure: Option<&str>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let lang = site.config.language;
    let excel = dialect != Dialect::Tidy;
    let words = lang.words();
    let header: &[&str] = if excel {
        &[
            "period",
            words.csv_unit,
            words.csv_unit_name,
            words.csv_measure,
            words.csv_group,
            words.csv_value,
            "status",
            words.csv_note,
        ]
    } else {
        &[
            "period",
            "unit",
            "unit_name",
            "measure",
            "group",
            "value",
            "status",
        ]
    };
    let mut w = CsvWriter::new(dialect);
    w.row(header);
    for (key, series) in &site.data.series {
        if !site.published_units.contains(&key.unit) || measure.is_some_and(|m| m != key.measure) {
            continue;
        }
        let unit_name = site
            .data
            .units
            .get(&key.unit)
            .map(|u| u.name.as_str())
            .unwrap_or("");
        let breaks = site
            .data
            .measure(&key.measure)
            .map(|m| m.breaks.as_slice())
            .unwrap_or(&[]);
        for (period, shown) in site.published_points(key, series) {
            let (value, status) = match shown {
                Shown::Number(n, s) => (Some(n), s.symbol().to_string()),
                Shown::Suppressed { below } => (None, format!("<{below}")),
                Shown::Symbol(s) => (None, s.symbol().to_string()),
            };
            w.text(&period.to_string())
                .text(&key.unit)
                .text(unit_name)
                .text(&key.measure)
                .text(key.group.as_deref().unwrap_or(""))
                .number(value)
                .text(&status);
            if excel {
                let note = breaks
                    .iter()
                    .find(|b| b.period == period)
                    .map(|b| format!("{}: {}", words.csv_series_break, b.note.get(lang)));
                w.text(note.as_deref().unwrap_or(""));
            }
            w.end_row();
        }
        out.write_all(w.take_rows().as_bytes())?;
    }
    out.write_all(w.finish().as_bytes())
}

/// A chart's data bundle: the SVG, the CSV of what is drawn and a readme
/// with definitions, limitations, last and next update and how to cite.
/// Entries carry a fixed timestamp so the archive is byte-identical across
/// builds. With the chart's cache, an archive of the same texts is made once.
pub fn bundle(site: &Site, chart: &Chart) -> Result<FileBody, String> {
    let lang = site.config.language;
    let w = lang.words();
    let mut readme = String::new();
    readme.push_str(&format!(
        "{}\n{}\n\n",
        chart.title(),
        "=".repeat(chart.title().chars().count())
    ));
    readme.push_str(&format!("{}\n\n", chart.description()));
    readme.push_str(&heading(w.bundle_contents));
    readme.push_str(w.bundle_files);
    readme.push('\n');
    readme.push_str(&heading(w.bundle_definitions));
    for id in chart.measures() {
        if let Some(m) = site.data.measure(id) {
            let def = m.definition.as_ref().map(|d| d.get(lang)).unwrap_or("");
            readme.push_str(&format!("{} ({}): {}\n", m.label.get(lang), m.id, def));
        }
    }
    readme.push('\n');
    readme.push_str(&heading(w.limitations));
    for l in chart.limitations() {
        readme.push_str(&format!("- {l}\n"));
    }
    let c = &site.config;
    readme.push('\n');
    readme.push_str(&heading(w.bundle_source_and_updates));
    readme.push_str(&format!(
        "{}: {}\n{}: {}\n",
        w.source,
        c.source.name,
        w.bundle_last_updated,
        format::date_long(&c.source.extracted.0, lang)
    ));
    if let Some(next) = c
        .publication
        .next
        .iter()
        .filter(|d| **d > c.source.extracted)
        .min()
    {
        readme.push_str(&format!(
            "{}: {}\n",
            w.bundle_next_update,
            format::date_long(&next.0, lang)
        ));
    }
    readme.push_str(&format!("{}: {}\n", w.contact, c.source.contact));
    let (short, long) = super::charts::citations(site, chart.title(), &chart.permalink());
    readme.push('\n');
    readme.push_str(&heading(w.bundle_how_to_cite));
    readme.push_str(&format!("{short}\n\n{long}\n"));
    readme.push('\n');
    readme.push_str(&heading(w.symbols));
    // The bundle's README has never listed `u` and `low`; bundles stay
    // byte for byte as they were published.
    let listed = Status::EXPLAINED
        .into_iter()
        .filter(|s| !matches!(s, Status::LowReliability | Status::RoundsToZero));
    for s in listed {
        readme.push_str(&format!(
            "{:4} {}\n",
            s.symbol(),
            crate::i18n::status_meaning(s, lang)
        ));
    }
    readme.push_str(&format!(
        "<{:<3} {}\n",
        c.privacy.suppress_below, w.bundle_below_threshold
    ));

    // The names and order the editions archive re-makes frozen bundles in.
    let [readme_name, svg_name, csv_name, excel_name] = BUNDLE_ENTRIES;
    let zip = || {
        let (csv, csv_excel) = (chart.csv(), chart.csv_excel());
        zip_archive(&[
            (readme_name, readme.as_str()),
            (svg_name, chart.svg_str()),
            (csv_name, &csv),
            (excel_name, &csv_excel),
        ])
    };
    // Kept under the chart's fingerprint and the read-me: the SVG and CSVs
    // are made from the chart alone, so a chart that did not change is not
    // written out again only to find its bundle.
    chart.kept_file(
        "bundle",
        &format!("bundle {BUNDLE_FORMAT}\0{readme}"),
        "zip",
        zip,
    )
}

/// A plain-text heading underlined with dashes.
fn heading(text: &str) -> String {
    format!("{text}\n{}\n", "-".repeat(text.chars().count()))
}

/// `sitemap.xml` on `base_url`.
pub fn sitemap(site: &Site, paths: &[String]) -> String {
    let base = site.config.base_url();
    let mut paths: Vec<&String> = paths.iter().collect();
    paths.sort();
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        s.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            crate::escape::xml(&format!("{base}{p}"))
        ));
    }
    s.push_str("</urlset>\n");
    s
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        site.config.base_url()
    )
}

/// An Atom feed of the reports, newest first.
pub fn atom(site: &Site, reports: &[ReportInfo]) -> String {
    let c = &site.config;
    let base = c.base_url();
    let updated = reports
        .iter()
        .filter_map(|r| r.date.clone())
        .max()
        .unwrap_or_else(|| c.source.extracted.0.clone());
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    s.push_str(&format!(" xml:lang=\"{}\">\n", c.language.code()));
    s.push_str(&format!(
        "<title>{}</title>\n",
        crate::escape::xml(&c.title)
    ));
    s.push_str(&format!("<link href=\"{}\"/>\n", crate::escape::xml(&base)));
    s.push_str(&format!(
        "<link rel=\"self\" href=\"{}feed.xml\"/>\n",
        crate::escape::xml(&base)
    ));
    s.push_str(&format!("<id>{}</id>\n", crate::escape::xml(&base)));
    s.push_str(&format!("<updated>{updated}T00:00:00Z</updated>\n"));
    s.push_str(&format!(
        "<author><name>{}</name></author>\n",
        crate::escape::xml(&c.organisation)
    ));
    for r in reports.iter().rev() {
        let url = format!("{base}{}", r.path);
        let date = r.date.clone().unwrap_or_else(|| updated.clone());
        s.push_str("<entry>\n");
        s.push_str(&format!(
            "<title>{}</title>\n",
            crate::escape::xml(&r.title)
        ));
        s.push_str(&format!("<link href=\"{}\"/>\n", crate::escape::xml(&url)));
        s.push_str(&format!("<id>{}</id>\n", crate::escape::xml(&url)));
        s.push_str(&format!("<updated>{date}T00:00:00Z</updated>\n"));
        s.push_str(&format!("<published>{date}T00:00:00Z</published>\n"));
        if let Some(summary) = &r.summary {
            s.push_str(&format!(
                "<summary>{}</summary>\n",
                crate::escape::xml(summary)
            ));
        }
        s.push_str("</entry>\n");
    }
    s.push_str("</feed>\n");
    s
}
