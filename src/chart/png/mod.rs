//! PNG for slides: resvg with the embedded DejaVu Sans, never system fonts.

mod draw;
mod encode;
mod font;
mod glyphs;
mod labels;
mod rects;

use std::sync::{Arc, OnceLock};

use crate::cache::BuildCache;
use crate::chart::{FONT_BOLD, FONT_REGULAR};
use crate::output::FileBody;

/// Part of the cache key of every PNG: a name for the way they are drawn,
/// and a hash of the renderer's code, fonts and crates (see `build.rs`), so
/// that a change to any of them draws every image again by itself.
pub const RENDERER_VERSION: &str = concat!(
    "insyn-png-3 resvg-0.49 scale-1.5 glyph-cache-5 rects-2 indexed-2-or-rgb-3 one-deflate ",
    env!("INSYN_PNG_RENDERER_HASH")
);

/// PNGs are drawn at 1.5 times the SVG size: 960 pixels wide, about 1,000
/// high, which is native resolution for a chart filling the height of a
/// 1080p slide. Twice the size cost 1.8 times as much to draw and encode,
/// which on a national site kept a cold build over 30 s; the SVG is there
/// for print and large screens.
pub const PNG_SCALE: f32 = 1.5;

impl crate::output::PngScale {
    /// How many pixels a PNG of this kind has per unit of its SVG.
    pub fn factor(self) -> f32 {
        match self {
            crate::output::PngScale::Chart => PNG_SCALE,
            crate::output::PngScale::Layout => 1.0,
        }
    }
}

/// One of the embedded fonts as the rasteriser has it: its id in
/// [`options`]' font database, its bytes (without the kern table, see
/// `font`) and its units per em.
struct Face {
    id: resvg::usvg::fontdb::ID,
    data: &'static [u8],
    units_per_em: u16,
    /// What harfrust reads of the font before it shapes (its lookup
    /// tables), made once rather than for every label shaped; `None` for
    /// bytes it cannot read (then no label is shaped with them).
    shaper: Option<harfrust::ShaperData>,
}

struct Fonts {
    regular: Face,
    bold: Face,
    options: resvg::usvg::Options<'static>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        let mut face = |font: &[u8]| {
            // Without the old kern table, which is never applied (see `font`).
            // Made once and kept for the life of the program: the font
            // database and the label shaper (`labels`) both read it.
            let data: &'static [u8] = Vec::leak(font::without_table(font, b"kern"));
            let ids = db.load_font_source(resvg::usvg::fontdb::Source::Binary(Arc::new(data)));
            let units_per_em = skrifa::FontRef::new(data)
                .ok()
                .and_then(|f| {
                    use skrifa::raw::TableProvider;
                    f.head().ok().map(|head| head.units_per_em())
                })
                .unwrap_or(2048);
            let shaper = harfrust::FontRef::from_index(data, 0)
                .ok()
                .map(|font| harfrust::ShaperData::new(&font));
            Face {
                id: ids[0],
                data,
                units_per_em,
                shaper,
            }
        };
        let regular = face(FONT_REGULAR);
        let bold = face(FONT_BOLD);
        db.set_sans_serif_family("DejaVu Sans");
        db.set_serif_family("DejaVu Sans");
        db.set_monospace_family("DejaVu Sans");
        let options = resvg::usvg::Options {
            font_family: "DejaVu Sans".to_string(),
            fontdb: Arc::new(db),
            ..Default::default()
        };
        Fonts {
            regular,
            bold,
            options,
        }
    })
}

fn options() -> &'static resvg::usvg::Options<'static> {
    &fonts().options
}

/// Thread time of the three steps of drawing a PNG, for the benchmark's
/// stage table (`INSYN_TIMINGS=1`).
static PARSE_TIME: crate::timings::Counter = crate::timings::Counter::new("png: read svg");
static DRAW_TIME: crate::timings::Counter = crate::timings::Counter::new("png: draw");
static ENCODE_TIME: crate::timings::Counter = crate::timings::Counter::new("png: encode");

/// The counters of the steps of drawing a PNG, in order.
pub fn png_step_times() -> [&'static crate::timings::Counter; 3] {
    [&PARSE_TIME, &DRAW_TIME, &ENCODE_TIME]
}

/// Rasterises an SVG document to PNG bytes, at 1.5 times its size.
pub fn rasterize_png(svg: &str) -> Result<Vec<u8>, String> {
    rasterize_png_at(svg, PNG_SCALE)
}

/// Rasterises an SVG document to PNG bytes at `scale` times its size. A
/// slide layout (see [`crate::chart::Chart::slide_svg`]) is already the
/// size of its image and is drawn at 1.
pub fn rasterize_png_at(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    // Plain labels are laid out here, not by usvg (see `labels`).
    let (labels, tree) = PARSE_TIME.time(|| {
        let (without_labels, labels) = labels::take_labels(svg).unwrap_or_default();
        let parsed = if labels.is_empty() {
            svg
        } else {
            &without_labels
        };
        let tree = resvg::usvg::Tree::from_str(parsed, options()).map_err(|e| e.to_string());
        (labels, tree)
    });
    let tree = tree?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("empty SVG")?;
    let too_large = || "the SVG is too large to rasterise".to_string();
    let bytes = (size.width() as usize)
        .checked_mul(size.height() as usize)
        .and_then(|pixels| pixels.checked_mul(4))
        .ok_or_else(too_large)?;
    // Each thread draws into one buffer, grown to the largest image it
    // drew: a fresh one per image (8 MB for a slide) cost the zeroing and
    // the page faults of every new allocation, about 3 % of a cold build.
    CANVAS.with(|canvas| {
        let mut canvas = canvas.borrow_mut();
        let pixmap = DRAW_TIME.time(|| {
            // Opaque white, premultiplied RGBA, is every byte 255: the
            // canvas is painted white at the speed of a memset.
            canvas.clear();
            canvas.resize(bytes, 255);
            let mut pixmap =
                resvg::tiny_skia::PixmapMut::from_bytes(&mut canvas, size.width(), size.height())
                    .ok_or_else(too_large)?;
            let transform = resvg::tiny_skia::Transform::from_scale(scale, scale);
            if !draw::render(&tree, &labels, transform, &mut pixmap) {
                // resvg draws the whole SVG, labels and all.
                let whole = if labels.is_empty() {
                    tree
                } else {
                    resvg::usvg::Tree::from_str(svg, options()).map_err(|e| e.to_string())?
                };
                pixmap.data_mut().fill(255);
                resvg::render(&whole, transform, &mut pixmap);
            }
            Ok::<_, String>(pixmap)
        })?;
        ENCODE_TIME.time(|| encode::encode_opaque(pixmap.as_ref()).map_err(|e| e.to_string()))
    })
}

thread_local! {
    static CANVAS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Like [`rasterize_png`], through the build cache: the key is the SVG and
/// the renderer version, so a chart that did not change is not drawn again.
pub fn cached_png(svg: &str, cache: &BuildCache) -> Result<FileBody, String> {
    cached_png_at(svg, PNG_SCALE, cache)
}

/// Like [`rasterize_png_at`], through the build cache.
pub fn cached_png_at(svg: &str, scale: f32, cache: &BuildCache) -> Result<FileBody, String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update(svg.as_bytes());
    hasher.update(b"\0");
    hasher.update(RENDERER_VERSION.as_bytes());
    // The portrait scale was part of the version text; other scales key
    // their entries apart.
    if scale != PNG_SCALE {
        hasher.update(format!(" at {scale}").as_bytes());
    }
    cache.entry("png-svg", &hasher.finalize(), "png", || {
        rasterize_png_at(svg, scale)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pixels of a PNG as RGB.
    fn decode(png: &[u8]) -> Vec<u8> {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buffer).unwrap();
        let palette = reader.info().palette.clone();
        let pixels = &buffer[..info.buffer_size()];
        match info.color_type {
            png::ColorType::Indexed => {
                let palette = palette.unwrap();
                pixels
                    .iter()
                    .flat_map(|&i| palette[usize::from(i) * 3..][..3].to_vec())
                    .collect()
            }
            _ => pixels.to_vec(),
        }
    }

    /// A label with a letter the fonts lack cannot be drawn from the glyph
    /// cache: then resvg draws the whole SVG, labels and all, as it is
    /// (nothing is lost for the marker left in the label's place).
    #[test]
    fn a_label_the_cache_cannot_draw_leaves_the_whole_svg_to_resvg() {
        let fonts = fonts();
        let font = skrifa::FontRef::new(fonts.regular.data).unwrap();
        use skrifa::MetadataProvider;
        let charmap = font.charmap();
        let missing = ('\u{2100}'..='\u{22FF}')
            .find(|&c| charmap.map(c).is_none())
            .expect("a letter DejaVu Sans lacks");
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" font-family="DejaVu Sans" fill="#1a1a1a"><rect width="100%" height="100%" fill="#ffffff"/><text x="10" y="20" font-size="14">Saknas: {missing}</text><text x="10" y="45" font-size="14" fill="#0072B2">Finns</text></svg>"##
        );
        let (_, labels) = labels::take_labels(&svg).unwrap();
        assert_eq!(labels.len(), 2, "both are plain labels");
        let drawn = decode(&rasterize_png_at(&svg, 1.5).unwrap());

        let tree = resvg::usvg::Tree::from_str(&svg, options()).unwrap();
        let mut pixmap = resvg::tiny_skia::Pixmap::new(300, 90).unwrap();
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(1.5, 1.5),
            &mut pixmap.as_mut(),
        );
        let by_resvg: Vec<u8> = pixmap
            .data()
            .chunks_exact(4)
            .flat_map(|p| p[..3].to_vec())
            .collect();
        assert!(drawn == by_resvg, "the whole SVG drawn by resvg");
    }
}
