//! PNG for slides: resvg with the embedded DejaVu Sans, never system fonts.

use std::sync::{Arc, OnceLock};

use crate::cache::BuildCache;
use crate::chart::{FONT_BOLD, FONT_REGULAR};
use crate::output::FileBody;

/// Part of the cache key: bump when rendering changes.
pub const RENDERER_VERSION: &str = "insyn-png-2 resvg-0.49 scale-1.5 rgb deflate-3 sub";

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
        db.load_font_data(FONT_REGULAR.to_vec());
        db.load_font_data(FONT_BOLD.to_vec());
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
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| "the SVG is too large to rasterise".to_string())?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    encode_opaque(&pixmap).map_err(|e| e.to_string())
}

/// Encodes a pixmap drawn on white as an RGB PNG. Charts are opaque, so the
/// alpha channel is dropped (a quarter of the bytes). Deflate level 3 with
/// the Sub filter: on the national site's charts this encodes 2.7 times
/// faster than the default (level 6, adaptive filters), where encoding took
/// more than half of all rasterising, for files 6 % larger; the faster
/// levels made files 1.6–2.5 times larger.
fn encode_opaque(pixmap: &resvg::tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|px| [px[0], px[1], px[2]])
        .collect();
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_deflate_compression(png::DeflateCompression::Level(3));
    encoder.set_filter(png::Filter::Sub);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
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
