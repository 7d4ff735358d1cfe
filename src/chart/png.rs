//! PNG for slides: resvg with the embedded DejaVu Sans, never system fonts.

use std::sync::{Arc, OnceLock};

use crate::cache::BuildCache;
use crate::chart::{FONT_BOLD, FONT_REGULAR};
use crate::output::FileBody;

/// Part of the cache key: bump when rendering changes.
pub const RENDERER_VERSION: &str = "insyn-png-1 resvg-0.49 scale-2";

/// PNGs are drawn at twice the SVG size, sharp on slides and high-DPI screens.
const SCALE: f32 = 2.0;

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

/// Rasterises an SVG document to PNG bytes.
pub fn rasterize_png(svg: &str) -> Result<Vec<u8>, String> {
    let tree = resvg::usvg::Tree::from_str(svg, options()).map_err(|e| e.to_string())?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(SCALE)
        .ok_or("empty SVG")?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| "the SVG is too large to rasterise".to_string())?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// Like [`rasterize_png`], through the build cache: the key is the SVG and
/// the renderer version, so a chart that did not change is not drawn again.
pub fn cached_png(svg: &str, cache: &BuildCache) -> Result<FileBody, String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update(svg.as_bytes());
    hasher.update(b"\0");
    hasher.update(RENDERER_VERSION.as_bytes());
    cache.entry("png", &hasher.finalize(), "png", || rasterize_png(svg))
}
