//! The glyph cache: each glyph rasterised once per thread, font, size and
//! quarter-pixel position, as the coverage of its fill or of a stroke along
//! it, and composited in an ink (see `draw`, and README, "Drawing the
//! PNGs").

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use resvg::tiny_skia::{self, FillRule, Paint, PixmapMut, Transform};
use resvg::usvg;
use skrifa::MetadataProvider;
use skrifa::outline::{DrawSettings, OutlinePen};

use super::draw::SUBPIXEL_STEPS;

thread_local! {
    /// Each thread keeps the glyphs it drew: the cache lives as long as the
    /// build's worker threads, and needs no lock. Fonts are the program's
    /// own (see `super::fonts`), loaded once; a glyph is known by the
    /// database it came from as well as by its font's id in it.
    pub(super) static GLYPHS: RefCell<GlyphCache> = RefCell::new(GlyphCache::default());
}

/// `None` for a glyph the cache cannot draw (see [`rasterise`]). A mask is
/// shared with the text being drawn, which holds it between looking it up
/// and compositing it.
pub(super) type GlyphCache = HashMap<GlyphKey, Option<Rc<GlyphMask>>, rustc_hash::FxBuildHasher>;

/// A glyph as it lands on the pixel grid: the font, the glyph, its scale
/// (the bits of the transform's diagonal) and its position within a pixel
/// in steps of 1/[`SUBPIXEL_STEPS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct GlyphKey {
    /// The font database (its address) and the font in it.
    pub(super) fonts: usize,
    pub(super) font: usvg::fontdb::ID,
    pub(super) glyph: u32,
    pub(super) scale_x: u32,
    pub(super) scale_y: u32,
    pub(super) step_x: u8,
    pub(super) step_y: u8,
    pub(super) outline: Outline,
}

/// What of a glyph's outline a mask covers: its inside (the fill, by a
/// rule), or a stroke along it (a label's halo, see [`Halo`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Outline {
    Fill { even_odd: bool },
    Stroke(Halo),
}

/// A stroke along a glyph's outline, in pixels: its width and its join
/// (the bits of the floats). Glyph contours are closed, so caps never
/// show; a dashed stroke is left to resvg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Halo {
    width: u32,
    miter_limit: u32,
    join: u8,
}

impl Halo {
    /// The stroke of `stroke` drawn at `scale` pixels per unit; `None` for
    /// a dashed one.
    pub(super) fn of(stroke: &usvg::Stroke, scale: f32) -> Option<Halo> {
        if stroke.dasharray().is_some() {
            return None;
        }
        Halo::new(
            stroke.width().get(),
            stroke.linejoin(),
            stroke.miterlimit().get(),
            scale,
        )
    }

    /// A solid stroke `width` units wide drawn at `scale` pixels per unit.
    pub(super) fn new(
        width: f32,
        join: usvg::LineJoin,
        miter_limit: f32,
        scale: f32,
    ) -> Option<Halo> {
        // tiny-skia draws a stroke under a pixel wide as a hairline, not
        // as a filled outline.
        if width * scale <= 1.0 {
            return None;
        }
        let join = match join {
            usvg::LineJoin::Miter => 0,
            usvg::LineJoin::MiterClip => 1,
            usvg::LineJoin::Round => 2,
            usvg::LineJoin::Bevel => 3,
        };
        Some(Halo {
            width: (width * scale).to_bits(),
            miter_limit: miter_limit.to_bits(),
            join,
        })
    }

    fn to_tiny_skia(self) -> tiny_skia::Stroke {
        tiny_skia::Stroke {
            width: f32::from_bits(self.width),
            miter_limit: f32::from_bits(self.miter_limit),
            line_join: match self.join {
                0 => tiny_skia::LineJoin::Miter,
                1 => tiny_skia::LineJoin::MiterClip,
                2 => tiny_skia::LineJoin::Round,
                _ => tiny_skia::LineJoin::Bevel,
            },
            ..tiny_skia::Stroke::default()
        }
    }
}

/// The coverage of one glyph, 0–255 per pixel, and where its top-left
/// pixel is relative to the whole pixel the glyph's origin falls in.
#[derive(Debug)]
pub(super) struct GlyphMask {
    pub(super) left: i32,
    pub(super) top: i32,
    pub(super) width: usize,
    pub(super) coverage: Vec<u8>,
}

/// The colour text is painted in: straight RGB and the fill's opacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ink {
    pub(super) rgb: [u8; 3],
    pub(super) alpha: u8,
}

/// An ink with what it makes of a white pixel at each coverage: most of a
/// glyph's box is over white, and a look-up is cheaper than the sums.
pub(super) struct InkTable {
    pub(super) ink: Ink,
    pub(super) over_white: Box<[[u8; 4]; 256]>,
}

impl InkTable {
    pub(super) fn new(ink: Ink) -> InkTable {
        InkTable {
            ink,
            over_white: Box::new(std::array::from_fn(|cover| {
                source_over([255; 4], ink, cover as u8)
            })),
        }
    }
}

/// Rasterises a glyph at its scale and step, with tiny-skia's anti-aliased
/// fill (of the outline, or of the stroke along it), as resvg draws it. `None` for a glyph without an outline (an
/// emoji, a bitmap glyph) or of a variable font (whose outline depends on
/// the span's variations): such text is left to resvg.
pub(super) fn rasterise(fonts: &usvg::fontdb::Database, key: &GlyphKey) -> Option<GlyphMask> {
    let outline = fonts.with_face_data(key.font, |data, index| {
        let font = skrifa::FontRef::from_index(data, index)
            .ok()
            .filter(|font| font.axes().is_empty())?;
        let glyph = font.outline_glyphs().get(skrifa::GlyphId::new(key.glyph))?;
        let mut pen = PathPen::default();
        glyph
            .draw(
                DrawSettings::unhinted(
                    skrifa::instance::Size::unscaled(),
                    skrifa::instance::LocationRef::default(),
                ),
                &mut pen,
            )
            .ok()?;
        Some(pen.0.finish())
    })??;
    let Some(path) = outline else {
        // A glyph with an outline of nothing (a space).
        return Some(GlyphMask {
            left: 0,
            top: 0,
            width: 0,
            coverage: Vec::new(),
        });
    };
    let offset_x = f32::from(key.step_x) / SUBPIXEL_STEPS;
    let offset_y = f32::from(key.step_y) / SUBPIXEL_STEPS;
    let (scale_x, scale_y) = (f32::from_bits(key.scale_x), f32::from_bits(key.scale_y));
    let placed = Transform::from_row(scale_x, 0.0, 0.0, scale_y, offset_x, offset_y);
    // A stroke is made in pixels, as tiny-skia strokes a path it is asked
    // to (with a resolution of one pixel): along the outline placed on
    // the grid, at the width in pixels; a fill is placed as it is drawn.
    let (shape, rule, at) = match key.outline {
        Outline::Stroke(halo) => (
            path.transform(placed)?.stroke(&halo.to_tiny_skia(), 1.0)?,
            FillRule::Winding,
            Transform::identity(),
        ),
        Outline::Fill { even_odd: true } => (path, FillRule::EvenOdd, placed),
        Outline::Fill { even_odd: false } => (path, FillRule::Winding, placed),
    };
    let bounds = shape.compute_tight_bounds()?.transform(at)?;
    // A pixel's margin each way for the anti-aliased edge.
    let left = bounds.left().floor() as i32 - 1;
    let top = bounds.top().floor() as i32 - 1;
    let width = (bounds.right().ceil() as i32 + 1 - left).max(1) as u32;
    let height = (bounds.bottom().ceil() as i32 + 1 - top).max(1) as u32;
    let mut canvas = tiny_skia::Pixmap::new(width, height)?;
    let paint = Paint {
        anti_alias: true,
        ..Paint::default()
    };
    let origin = Transform::from_translate(-left as f32, -top as f32);
    canvas.fill_path(&shape, &paint, rule, at.post_concat(origin), None);
    Some(GlyphMask {
        left,
        top,
        width: width as usize,
        coverage: canvas.data().chunks_exact(4).map(|px| px[3]).collect(),
    })
}

/// Collects a glyph's outline, in font units, as a tiny-skia path.
#[derive(Default)]
struct PathPen(tiny_skia::PathBuilder);

impl OutlinePen for PathPen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, cy0, x, y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

/// Paints `ink` through `mask` onto the premultiplied pixels of `pixmap`,
/// with the mask's top-left pixel at `at`: source-over, as a fill.
pub(super) fn composite(pixmap: &mut PixmapMut, mask: &GlyphMask, at: (i32, i32), ink: &InkTable) {
    if mask.width == 0 {
        return;
    }
    let (x, y) = at;
    let (canvas_width, canvas_height) = (pixmap.width() as i32, pixmap.height() as i32);
    // The columns of the mask that fall on the canvas.
    let first = (-x).clamp(0, mask.width as i32) as usize;
    let last = (canvas_width - x).clamp(0, mask.width as i32) as usize;
    if first >= last {
        return;
    }
    let (pixels, _) = pixmap.data_mut().as_chunks_mut::<4>();
    for (row, coverage) in mask.coverage.chunks_exact(mask.width).enumerate() {
        let py = y + row as i32;
        if py < 0 || py >= canvas_height {
            continue;
        }
        // At or after the row's first pixel: `first` is where x + column
        // is no longer negative.
        let start = (py * canvas_width + x + first as i32) as usize;
        let on_canvas = &mut pixels[start..start + (last - first)];
        for (pixel, &cover) in on_canvas.iter_mut().zip(&coverage[first..last]) {
            if cover == 0 {
                continue;
            }
            *pixel = if *pixel == [255; 4] {
                ink.over_white[usize::from(cover)]
            } else {
                source_over(*pixel, ink.ink, cover)
            };
        }
    }
}

/// `ink` at coverage `cover` over the premultiplied pixel `pixel`.
pub(super) fn source_over(pixel: [u8; 4], ink: Ink, cover: u8) -> [u8; 4] {
    let a = u32::from(div255(u32::from(cover) * u32::from(ink.alpha)));
    let source = [ink.rgb[0], ink.rgb[1], ink.rgb[2], 255];
    std::array::from_fn(|channel| {
        let premultiplied = u32::from(div255(u32::from(source[channel]) * a));
        (premultiplied + u32::from(div255(u32::from(pixel[channel]) * (255 - a)))) as u8
    })
}

/// `value / 255`, rounded to nearest, for `value` up to 255 × 255.
fn div255(value: u32) -> u8 {
    ((value + 128 + ((value + 128) >> 8)) >> 8) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn div255_rounds_to_nearest() {
        for value in 0..=255 * 255 {
            let exact = (f64::from(value) / 255.0).round() as u32;
            assert_eq!(u32::from(div255(value)), exact, "{value}");
        }
    }
}
