//! PNG for slides: resvg with the embedded DejaVu Sans, never system fonts.

mod draw;
mod encode;
mod font;

use std::sync::{Arc, OnceLock};

use crate::cache::BuildCache;
use crate::chart::{FONT_BOLD, FONT_REGULAR};
use crate::output::FileBody;

/// Part of the cache key: bump when rendering changes.
pub const RENDERER_VERSION: &str =
    "insyn-png-3 resvg-0.49 scale-1.5 glyph-cache-5 indexed-2-or-rgb-3";

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

fn options() -> &'static resvg::usvg::Options<'static> {
    static OPTIONS: OnceLock<resvg::usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        // Without the old kern table, which is never applied (see `font`).
        db.load_font_data(font::without_table(FONT_REGULAR, b"kern"));
        db.load_font_data(font::without_table(FONT_BOLD, b"kern"));
        db.set_sans_serif_family("DejaVu Sans");
        db.set_serif_family("DejaVu Sans");
        db.set_monospace_family("DejaVu Sans");
        resvg::usvg::Options {
            font_family: "DejaVu Sans".to_string(),
            fontdb: Arc::new(db),
            ..Default::default()
        }
    })
}

/// Rasterises an SVG document to PNG bytes, at 1.5 times its size.
pub fn rasterize_png(svg: &str) -> Result<Vec<u8>, String> {
    rasterize_png_at(svg, PNG_SCALE)
}

/// Rasterises an SVG document to PNG bytes at `scale` times its size. A
/// slide layout (see [`crate::chart::Chart::slide_svg`]) is already the
/// size of its image and is drawn at 1.
pub fn rasterize_png_at(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    let tree = resvg::usvg::Tree::from_str(svg, options()).map_err(|e| e.to_string())?;
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
        // Opaque white, premultiplied RGBA, is every byte 255: the canvas
        // is painted white at the speed of a memset.
        canvas.clear();
        canvas.resize(bytes, 255);
        let mut pixmap =
            resvg::tiny_skia::PixmapMut::from_bytes(&mut canvas, size.width(), size.height())
                .ok_or_else(too_large)?;
        let transform = resvg::tiny_skia::Transform::from_scale(scale, scale);
        if !draw::render(&tree, transform, &mut pixmap) {
            pixmap.data_mut().fill(255);
            resvg::render(&tree, transform, &mut pixmap);
        }
        encode::encode_opaque(pixmap.as_ref()).map_err(|e| e.to_string())
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
    cache.entry("png", &hasher.finalize(), "png", || {
        rasterize_png_at(svg, scale)
    })
}
