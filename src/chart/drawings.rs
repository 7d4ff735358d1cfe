//! A chart's drawings kept between builds.
//!
//! Laying out a chart (measuring and wrapping every text, placing labels)
//! is most of a warm build's work, and a quarterly rebuild changes few
//! charts. So every drawing (the wide and the phone SVG, and the slide and
//! square PNGs, whose SVGs exist only to be rasterised) is kept in the
//! build cache under a fingerprint of everything it is made from: every
//! field of the chart that drawing reads, the layout, and the program that
//! draws it. The same fingerprint is the same drawing, so a stale entry
//! can never be used (README, "Writing a report each quarter").

use std::sync::OnceLock;

use super::model::Chart;

/// A fingerprint of what `chart` is drawn from, for the drawing named by
/// `layout`. Every field is listed (a new field does not compile until it
/// is placed here), so nothing the drawing reads can be left out of the
/// key. The derived `Debug` text of the fields is hashed: it prints every
/// value, floats to the last bit, and the chart holds no unordered maps.
pub(crate) fn fingerprint(chart: &Chart, layout: &str) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(of_chart(chart).as_bytes());
    hasher.update(layout.as_bytes());
    hasher.finalize()
}

/// The fingerprint of the chart itself, made once.
fn of_chart(chart: &Chart) -> &blake3::Hash {
    chart.fingerprint.get_or_init(|| {
        let mut hasher = blake3::Hasher::new();
        hasher.update(crate::cache::program_id().as_bytes());
        // The Debug text comes in thousands of short pieces: gathered
        // first, it reaches the hasher in blocks it hashes several at a time.
        let mut text = std::io::BufWriter::with_capacity(64 * 1024, &mut hasher);
        feed(&mut text, chart);
        drop(text);
        hasher.finalize()
    })
}

fn feed(hasher: &mut impl std::io::Write, chart: &Chart) {
    let Chart {
        chart_type,
        lang,
        slug,
        home,
        permalink,
        latest_slug,
        title,
        subtitle,
        periods,
        lines,
        panels,
        compare,
        compare_refs,
        compare_unit,
        breaks,
        limitations,
        notes,
        source_line,
        description,
        full,
        latest,
        measures,
        units,
        // Not drawn: warnings and the block's place are for `insyn check`.
        warnings: _,
        origin: _,
        // The drawings themselves, and where they are kept.
        svg_cache: _,
        svg_narrow_cache: _,
        sizes: _,
        drawings: _,
        fingerprint: _,
        table: _,
    } = chart;
    // Writing into a hasher cannot fail.
    let _ = write!(hasher, "{chart_type:?}|{lang:?}|");
    for text in [slug, home, permalink, latest_slug, title, subtitle] {
        feed_str(hasher, text);
    }
    feed_periods(hasher, periods);
    for line in lines {
        feed_line(hasher, line);
    }
    let _ = write!(hasher, "|{panels:?}|");
    for row in compare {
        feed_row(hasher, row);
    }
    let _ = hasher.write_all(b"|refs");
    for row in compare_refs {
        feed_row(hasher, row);
    }
    let _ = write!(hasher, "|{compare_unit:?}|{breaks:?}|{notes:?}|");
    for texts in [limitations, measures, units] {
        let _ = hasher.write_all(&(texts.len() as u64).to_le_bytes());
        for text in texts {
            feed_str(hasher, text);
        }
    }
    feed_str(hasher, source_line);
    feed_str(hasher, description);
    for inner in [full, latest] {
        match inner {
            // The inner chart by its own fingerprint, made once for it.
            Some(inner) => {
                let _ = hasher.write_all(b"|some:");
                let _ = hasher.write_all(of_chart(inner).as_bytes());
            }
            None => {
                let _ = hasher.write_all(b"|none");
            }
        }
    }
}

/// One line: its texts as [`feed_str`], its settings as Debug text, its
/// values as bytes (formatting thousands of floats as text was most of the
/// fingerprint's cost, and the Debug text of the rows' strings a twentieth
/// of a warm build). Every field is listed, as in [`feed`].
fn feed_line(hasher: &mut impl std::io::Write, line: &super::model::Line) {
    let super::model::Line {
        measure,
        csv_measure,
        unit,
        label,
        header,
        format_unit,
        axis_unit,
        cells,
        plotted,
        breaks,
    } = line;
    let _ = hasher.write_all(b"line:");
    for text in [measure, csv_measure, unit, label, header] {
        feed_str(hasher, text);
    }
    let _ = write!(hasher, "{format_unit:?}|{axis_unit:?}|");
    let _ = hasher.write_all(&[u8::from(*plotted)]);
    feed_periods(hasher, breaks);
    let _ = hasher.write_all(&(cells.len() as u64).to_le_bytes());
    for cell in cells {
        feed_cell(hasher, *cell);
    }
}

/// One row of a compare chart, like [`feed_line`].
fn feed_row(hasher: &mut impl std::io::Write, row: &super::model::CompareRow) {
    let super::model::CompareRow {
        unit,
        name,
        cell,
        highlighted,
        table_only,
    } = row;
    let _ = hasher.write_all(b"row:");
    feed_str(hasher, unit);
    feed_str(hasher, name);
    let _ = hasher.write_all(&[u8::from(*highlighted), u8::from(*table_only)]);
    feed_cell(hasher, *cell);
}

/// A text as its length and its bytes: unambiguous wherever it ends, and
/// without the character-by-character work of its Debug text.
fn feed_str(hasher: &mut impl std::io::Write, text: &str) {
    let _ = hasher.write_all(&(text.len() as u64).to_le_bytes());
    let _ = hasher.write_all(text.as_bytes());
}

/// Periods as their count and, for each, a kind byte and its numbers.
fn feed_periods(hasher: &mut impl std::io::Write, periods: &[crate::data::Period]) {
    use crate::data::Period;
    let _ = hasher.write_all(&(periods.len() as u64).to_le_bytes());
    for period in periods {
        let (kind, year, quarter) = match *period {
            Period::Year(year) => (b'y', year, 0),
            Period::Quarter { year, quarter } => (b'q', year, quarter),
        };
        let _ = hasher.write_all(&[kind, quarter]);
        let _ = hasher.write_all(&year.to_le_bytes());
    }
}

/// A value as a tag byte and its contents: the bits of a number (every
/// value to the last bit, as its Debug text would), a status by name.
fn feed_cell(hasher: &mut impl std::io::Write, cell: super::model::Cell) {
    use super::model::Cell;
    let status = |hasher: &mut dyn std::io::Write, status: crate::data::Status| {
        if status == crate::data::Status::Final {
            let _ = hasher.write_all(b";");
        } else {
            let _ = write!(hasher, "{status:?};");
        }
    };
    match cell {
        Cell::Num(n, s) => {
            let _ = hasher.write_all(b"n");
            let _ = hasher.write_all(&n.to_bits().to_le_bytes());
            status(hasher, s);
        }
        Cell::Suppressed { below, derived } => {
            let _ = hasher.write_all(&[b's', u8::from(derived)]);
            let _ = hasher.write_all(&below.to_le_bytes());
        }
        Cell::Symbol(s) => {
            let _ = hasher.write_all(b"y");
            status(hasher, s);
        }
        Cell::Missing => {
            let _ = hasher.write_all(b"m");
        }
        Cell::Uncomputable => {
            let _ = hasher.write_all(b"u");
        }
    }
}

/// Drawings through the build cache.
impl Chart {
    /// The drawing `layout` at `width` as an earlier build kept it, or drawn
    /// now (and kept). Without a cache, or where the cache cannot be read,
    /// it is simply drawn: keeping drawings only saves time.
    pub(crate) fn kept_drawing(&self, layout: &str, width: f64) -> String {
        let draw = || crate::chart::svg::render(self, width);
        let Some(cache) = &self.drawings else {
            return draw();
        };
        let mut drawn = None;
        let kept = cache.entry("svg", &fingerprint(self, layout), "svg", || {
            let svg = draw();
            drawn = Some(svg.clone());
            Ok(svg.into_bytes())
        });
        if let Some(svg) = drawn {
            return svg;
        }
        match kept {
            Ok(crate::output::FileBody::OnDisk { path, .. }) => std::fs::read_to_string(path).ok(),
            _ => None,
        }
        .unwrap_or_else(draw)
    }
    /// The size the kept drawing `layout` declares, read from the first
    /// few kilobytes of its file; `None` when no earlier build kept it or
    /// its opening tag is not among them.
    pub(crate) fn kept_drawing_size(&self, layout: &str) -> Option<(u32, u32)> {
        use std::io::Read;
        let cache = self.drawings.as_ref()?;
        let crate::output::FileBody::OnDisk { path, .. } =
            cache.kept_entry("svg", &fingerprint(self, layout), "svg")?
        else {
            return None;
        };
        let mut head = Vec::with_capacity(4096);
        std::fs::File::open(path)
            .ok()?
            .take(4096)
            .read_to_end(&mut head)
            .ok()?;
        let text = match std::str::from_utf8(&head) {
            Ok(text) => text,
            // Cut inside a character: the part before it.
            Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        };
        text.contains('>').then(|| crate::chart::svg_size(text))
    }
    /// A file made from this chart alone, kept in the chart's cache (in its
    /// folder `kind`) under the chart's fingerprint and `what`: `make` runs
    /// only when no earlier build kept it. `what` must name everything else
    /// the file depends on (a layout, a renderer version). Without a cache,
    /// `make` runs and its bytes are the file.
    pub fn kept_file(
        &self,
        kind: &'static str,
        what: &str,
        extension: &str,
        make: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Result<crate::output::FileBody, String> {
        match &self.drawings {
            Some(cache) => cache.entry(kind, &fingerprint(self, what), extension, make),
            None => make().map(crate::output::FileBody::Bytes),
        }
    }
    /// The wide and the phone SVG as files: with a cache, the files it keeps
    /// them in, drawn only when no earlier build kept them; without one, the
    /// drawings themselves (moved out of the chart, not copied).
    pub fn into_svg_files(self) -> Result<[crate::output::FileBody; 2], String> {
        if self.drawings.is_none() {
            let (svg, narrow) = self.into_svgs();
            return Ok([svg.into_bytes().into(), narrow.into_bytes().into()]);
        }
        // Made here, not through `svg_str`: that would keep the same entry
        // first, and this one would write it a second time.
        let file = |layout: &str, held: &OnceLock<String>, width: f64| {
            self.kept_file("svg", layout, "svg", || {
                let svg = held
                    .get()
                    .cloned()
                    .unwrap_or_else(|| crate::chart::svg::render(&self, width));
                Ok(svg.into_bytes())
            })
        };
        let wide = file("wide", &self.svg_cache, crate::chart::svg::WIDTH)?;
        let narrow = file(
            "narrow",
            &self.svg_narrow_cache,
            crate::chart::svg::NARROW_WIDTH,
        )?;
        Ok([wide, narrow])
    }
    /// Keeps this chart's drawings and files (and those of the charts it
    /// carries) in `cache` from build to build. Set once, when the site
    /// makes the chart; every file of the chart goes through it.
    pub fn keep_drawings_in(&mut self, cache: &std::sync::Arc<crate::cache::BuildCache>) {
        self.drawings = Some(cache.clone());
        for inner in [&mut self.full, &mut self.latest].into_iter().flatten() {
            inner.keep_drawings_in(cache);
        }
    }
    /// The PNG of the chart laid out for `format`, through the chart's
    /// cache: kept under the chart's fingerprint, so that a chart that did
    /// not change is not laid out again just to find its image.
    pub fn slide_png(
        &self,
        format: crate::chart::SlideFormat,
    ) -> Result<crate::output::FileBody, String> {
        let what = format!(
            "{} {}",
            format.file_name(),
            crate::chart::png::RENDERER_VERSION
        );
        self.kept_png(&what, 1.0, || self.slide_svg(format))
    }
    /// The chart laid out for `format` as an SVG file, through the chart's
    /// cache like its PNG: a preview or a check writes it (for `serve` to
    /// draw the PNG when asked, see `BuildMode::Preview`) without laying
    /// out every chart again in every build.
    pub fn slide_svg_file(
        &self,
        format: crate::chart::SlideFormat,
    ) -> Result<crate::output::FileBody, String> {
        let what = format!("{} svg", format.file_name());
        self.kept_file("svg", &what, "svg", || {
            Ok(self.slide_svg(format).into_bytes())
        })
    }
    /// The chart's PNG (the wide SVG at [`crate::chart::PNG_SCALE`]),
    /// through the chart's cache like [`Chart::slide_png`].
    pub fn png(&self) -> Result<crate::output::FileBody, String> {
        let what = format!("chart.png {}", crate::chart::png::RENDERER_VERSION);
        self.kept_png(&what, crate::chart::PNG_SCALE, || self.svg_str())
    }
    /// A PNG of this chart drawn from `svg` at `scale`, through the chart's
    /// cache: found by the chart's fingerprint and `what` without laying
    /// the chart out; else by its SVG (a new version of insyn that lays the
    /// chart out as the last one did finds the image that one drew, and so
    /// does `serve`, which draws by SVG); else drawn.
    fn kept_png<S: AsRef<str>>(
        &self,
        what: &str,
        scale: f32,
        svg: impl FnOnce() -> S,
    ) -> Result<crate::output::FileBody, String> {
        match &self.drawings {
            Some(cache) => cache.entry_or_alias("png", &fingerprint(self, what), "png", || {
                crate::chart::cached_png_at(svg().as_ref(), scale, cache)
            }),
            None => crate::chart::rasterize_png_at(svg().as_ref(), scale)
                .map(crate::output::FileBody::Bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(title: &str) -> Chart {
        let mut chart = crate::chart::svg::tests::chart(crate::chart::ChartType::Series, 8, false);
        chart.title = title.to_string();
        chart
    }

    fn row(name: &str, highlighted: bool) -> super::super::model::CompareRow {
        super::super::model::CompareRow {
            unit: "nordost".into(),
            name: name.into(),
            cell: super::super::model::Cell::Missing,
            highlighted,
            table_only: false,
        }
    }

    #[test]
    fn the_same_chart_has_the_same_fingerprint_and_any_change_another() {
        let a = chart("Aktuella ärenden");
        let b = chart("Aktuella ärenden");
        assert_eq!(fingerprint(&a, "wide"), fingerprint(&b, "wide"));
        assert_ne!(fingerprint(&a, "wide"), fingerprint(&a, "narrow"));
        let c = chart("Aktuella ärenden, Norr");
        assert_ne!(fingerprint(&a, "wide"), fingerprint(&c, "wide"));
        // A value by its last bit, a status, a value withheld, a label.
        use super::super::model::Cell;
        use crate::data::Status;
        let changed = |change: &dyn Fn(&mut Chart)| {
            let mut d = chart("Aktuella ärenden");
            change(&mut d);
            fingerprint(&d, "wide")
        };
        let first = a.lines[0].cells[0];
        let Cell::Num(n, _) = first else {
            panic!("the test chart starts with a number: {first:?}")
        };
        let mut seen = vec![fingerprint(&a, "wide")];
        for change in [
            &(|d: &mut Chart| {
                d.lines[0].cells[0] = Cell::Num(f64::from_bits(n.to_bits() + 1), Status::Final)
            }) as &dyn Fn(&mut Chart),
            &|d: &mut Chart| d.lines[0].cells[0] = Cell::Num(n, Status::Provisional),
            &|d: &mut Chart| {
                d.lines[0].cells[0] = Cell::Suppressed {
                    below: 3,
                    derived: false,
                }
            },
            &|d: &mut Chart| {
                d.lines[0].cells[0] = Cell::Suppressed {
                    below: 3,
                    derived: true,
                }
            },
            &|d: &mut Chart| d.lines[0].cells[0] = Cell::Missing,
            &|d: &mut Chart| d.lines[0].label.push('x'),
            // The same letters, one moved from a text to the next.
            &|d: &mut Chart| d.lines[0].header.insert(0, 'x'),
            &|d: &mut Chart| d.lines[0].plotted = !d.lines[0].plotted,
            &|d: &mut Chart| d.lines[0].breaks.push(d.periods[1]),
            &|d: &mut Chart| d.periods[0] = crate::data::Period::Year(2019),
            // The same text in one list or the next.
            &|d: &mut Chart| d.limitations.push("Nordost".into()),
            &|d: &mut Chart| d.measures.push("Nordost".into()),
            &|d: &mut Chart| d.description.push('.'),
            &|d: &mut Chart| d.compare.push(row("Nordost", false)),
            &|d: &mut Chart| d.compare.push(row("Nordöst", false)),
            &|d: &mut Chart| d.compare.push(row("Nordost", true)),
            &|d: &mut Chart| {
                let mut r = row("Nordost", false);
                r.table_only = true;
                d.compare.push(r);
            },
        ] {
            let print = changed(change);
            assert!(!seen.contains(&print));
            seen.push(print);
        }
    }

    #[test]
    fn a_drawn_chart_keeps_its_fingerprint() {
        let a = chart("Aktuella ärenden");
        let before = fingerprint(&a, "wide");
        let _ = a.svg_str();
        assert_eq!(before, fingerprint(&a, "wide"));
    }

    /// A page needs only a drawing's size: from a later build's cache it is
    /// read from the head of the kept file, and is the size drawn.
    #[test]
    fn the_size_of_a_kept_drawing_is_read_without_drawing_it() {
        let dir = tempfile::tempdir().unwrap();
        let cache = std::sync::Arc::new(crate::cache::BuildCache::new(dir.path()));
        let mut first = chart("Aktuella ärenden");
        first.keep_drawings_in(&cache);
        let drawn = (
            crate::chart::svg_size(first.svg_str()),
            crate::chart::svg_size(first.svg_narrow()),
        );
        assert_ne!(drawn.0, drawn.1);

        let mut later = chart("Aktuella ärenden");
        later.keep_drawings_in(&cache);
        assert_eq!(later.kept_drawing_size("wide"), Some(drawn.0));
        assert_eq!(
            (later.svg_dimensions(), later.svg_narrow_dimensions()),
            drawn
        );
        // Nothing was drawn or read whole for it.
        assert!(later.svg_cache.get().is_none() && later.svg_narrow_cache.get().is_none());

        // Without a kept drawing it is drawn.
        let mut other = chart("Avslutade ärenden");
        other.keep_drawings_in(&cache);
        assert_eq!(other.kept_drawing_size("wide"), None);
        assert_eq!(
            other.svg_dimensions(),
            crate::chart::svg_size(other.svg_str())
        );
    }

    /// A chart whose fingerprint is new (as after a new version of insyn)
    /// but whose SVG was drawn before finds that PNG instead of drawing it
    /// again, and keeps it under its fingerprint for the next build, which
    /// then need not lay the chart out. (The entry under the SVG's key is
    /// planted with bytes no drawing makes: a PNG drawn anew would differ.)
    #[test]
    fn a_png_drawn_from_the_same_svg_is_found_under_a_new_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let cache = std::sync::Arc::new(crate::cache::BuildCache::new(dir.path()));
        let mut chart = chart("Aktuella ärenden");
        chart.keep_drawings_in(&cache);
        let planted = b"drawn by an earlier version".to_vec();
        for (format, svg, scale) in [
            (None, chart.svg_str().to_string(), crate::chart::PNG_SCALE),
            (
                Some(crate::chart::SlideFormat::ALL[0]),
                chart.slide_svg(crate::chart::SlideFormat::ALL[0]),
                1.0,
            ),
        ] {
            // What `cached_png_at` would have made from this SVG.
            let entry = crate::chart::cached_png_at(&svg, scale, &cache).unwrap();
            let crate::output::FileBody::OnDisk { path, .. } = &entry else {
                panic!("an entry of the cache: {entry:?}");
            };
            std::fs::write(path, &planted).unwrap();

            let png = || match format {
                None => chart.png().unwrap(),
                Some(format) => chart.slide_png(format).unwrap(),
            };
            assert_eq!(png().read().unwrap().as_ref(), planted.as_slice());
            // The next build finds it by the fingerprint alone: the entry
            // by SVG is gone, and the image is still there.
            std::fs::remove_file(path).unwrap();
            assert_eq!(png().read().unwrap().as_ref(), planted.as_slice());
        }
    }

    /// The chart's own cache is the one way to keep its files: with it, each
    /// file is an entry of that cache; without, the same bytes, made now.
    #[test]
    fn a_chart_keeps_its_files_in_its_own_cache() {
        use crate::output::FileBody;
        let dir = tempfile::tempdir().unwrap();
        let cache = std::sync::Arc::new(crate::cache::BuildCache::new(dir.path()));
        let mut kept = chart("Aktuella ärenden");
        kept.keep_drawings_in(&cache);
        let drawn = chart("Aktuella ärenden");
        let csv = |c: &Chart| c.kept_file("page", "data.csv", "csv", || Ok(c.csv().into_bytes()));
        for (kept, drawn) in [
            (csv(&kept).unwrap(), csv(&drawn).unwrap()),
            (kept.png().unwrap(), drawn.png().unwrap()),
            (
                kept.slide_svg_file(crate::chart::SlideFormat::ALL[0])
                    .unwrap(),
                drawn
                    .slide_svg_file(crate::chart::SlideFormat::ALL[0])
                    .unwrap(),
            ),
        ] {
            assert!(matches!(&kept, FileBody::OnDisk { path, .. } if path.starts_with(dir.path())));
            assert!(matches!(drawn, FileBody::Bytes(_)));
            assert!(kept.read().unwrap() == drawn.read().unwrap());
        }
        let [wide, _] = kept.into_svg_files().unwrap();
        let [svg, _] = drawn.into_svg_files().unwrap();
        assert!(matches!(wide, FileBody::OnDisk { .. }));
        assert!(wide.read().unwrap() == svg.read().unwrap());
    }
}
