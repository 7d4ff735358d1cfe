//! Solid axis-aligned rectangles (a bar chart's bars), drawn by their exact
//! coverage instead of by scan conversion.
//!
//! A bar is a filled rectangle with a stroke of its own colour around it
//! (which keeps thin bars visible). tiny-skia fills both by anti-aliased
//! scan conversion, the stroke as a ring of its own: on the national site
//! that was half of all the time resvg spent on shapes, for shapes whose
//! coverage is a product of two overlaps. The fill and a same-coloured
//! mitred stroke together cover the rectangle grown by half the stroke's
//! width on each side, so that rectangle is drawn, each pixel at the share
//! of it the rectangle covers. Edges differ from tiny-skia's by its
//! supersampling's rounding (a test bounds the difference).

use resvg::tiny_skia::{PixmapMut, Transform};
use resvg::usvg;

use super::glyphs::{Ink, source_over};

/// A rectangle in pixels, with the colour it is filled with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct SolidRect {
    left: f32,
    top: f32,
    right: f32,
    bottom: f32,
    rgb: [u8; 3],
}

impl SolidRect {
    /// `path` drawn at `transform`, when it is an opaque axis-aligned
    /// rectangle filled with one colour and stroked, if at all, with the
    /// same colour, solid and mitred; `None` for anything else.
    pub(super) fn of(path: &usvg::Path, transform: Transform) -> Option<SolidRect> {
        if !path.is_visible() || !path.rendering_mode().use_shape_antialiasing() {
            return None;
        }
        if transform.kx != 0.0 || transform.ky != 0.0 || transform.sx <= 0.0 || transform.sy <= 0.0
        {
            return None;
        }
        let fill = path.fill()?;
        let usvg::Paint::Color(colour) = fill.paint() else {
            return None;
        };
        if fill.opacity().to_u8() != 255 {
            return None;
        }
        let grow = match path.stroke() {
            None => 0.0,
            Some(stroke) => {
                let same = matches!(stroke.paint(), usvg::Paint::Color(c) if c == colour);
                // A right angle's miter is √2 times the half width: within
                // any miter limit of at least that.
                let mitred = matches!(
                    stroke.linejoin(),
                    usvg::LineJoin::Miter | usvg::LineJoin::MiterClip
                ) && stroke.miterlimit().get() >= std::f32::consts::SQRT_2;
                if !same
                    || !mitred
                    || stroke.opacity().to_u8() != 255
                    || stroke.dasharray().is_some()
                {
                    return None;
                }
                stroke.width().get() / 2.0
            }
        };
        let (left, top, right, bottom) = rectangle(path.data())?;
        let (left, top) = (left - grow, top - grow);
        let (right, bottom) = (right + grow, bottom + grow);
        let map = |x: f32, y: f32| {
            (
                transform.sx * x + transform.tx,
                transform.sy * y + transform.ty,
            )
        };
        let (left, top) = map(left, top);
        let (right, bottom) = map(right, bottom);
        [left, top, right, bottom]
            .iter()
            .all(|v| v.is_finite())
            .then_some(SolidRect {
                left,
                top,
                right,
                bottom,
                rgb: [colour.red, colour.green, colour.blue],
            })
    }

    /// Paints the rectangle over `pixmap` (opaque, premultiplied RGBA):
    /// each pixel takes the colour at the share of it the rectangle covers.
    pub(super) fn draw(&self, pixmap: &mut PixmapMut) {
        let (width, height) = (pixmap.width() as usize, pixmap.height() as usize);
        let columns = spans(self.left, self.right, width);
        let rows = spans(self.top, self.bottom, height);
        let Some((first_column, _)) = columns.first() else {
            return;
        };
        let opaque = [self.rgb[0], self.rgb[1], self.rgb[2], 255];
        let ink = Ink {
            rgb: self.rgb,
            alpha: 255,
        };
        let (pixels, _) = pixmap.data_mut().as_chunks_mut::<4>();
        for &(y, row_cover) in &rows {
            let row = &mut pixels[y * width + first_column..][..columns.len()];
            for (pixel, &(_, column_cover)) in row.iter_mut().zip(&columns) {
                let cover = row_cover * column_cover;
                if cover >= 1.0 {
                    *pixel = opaque;
                } else {
                    let a = alpha(cover);
                    if a > 0 {
                        *pixel = source_over(*pixel, ink, a);
                    }
                }
            }
        }
    }
}

/// Coverage as an alpha, in sixteenths as tiny-skia's anti-aliasing has
/// it (four by four samples a pixel): exact coverage would give each edge
/// of each bar its own shades, and a chart with more than 256 colours is
/// written as RGB, three times the bytes (see `encode`).
fn alpha(cover: f32) -> u8 {
    let sixteenths = (cover * 16.0).round() as u32;
    ((sixteenths * 255 + 8) / 16) as u8
}

/// The pixels from `start` to `end` (within `0..size`) and the share of
/// each that lies between them, in order.
fn spans(start: f32, end: f32, size: usize) -> Vec<(usize, f32)> {
    let (start, end) = (start.max(0.0), end.min(size as f32));
    if start >= end {
        return Vec::new();
    }
    let first = start.floor() as usize;
    let last = (end.ceil() as usize).min(size);
    (first..last)
        .map(|i| {
            let from = start.max(i as f32);
            let to = end.min(i as f32 + 1.0);
            (i, (to - from).max(0.0))
        })
        .collect()
}

/// The left, top, right and bottom of `path` when it is one closed
/// axis-aligned rectangle (as usvg makes of a `<rect>`).
fn rectangle(path: &resvg::tiny_skia::Path) -> Option<(f32, f32, f32, f32)> {
    use resvg::tiny_skia::PathSegment;
    let mut segments = path.segments();
    let mut points = Vec::with_capacity(5);
    let Some(PathSegment::MoveTo(start)) = segments.next() else {
        return None;
    };
    points.push(start);
    loop {
        match segments.next()? {
            PathSegment::LineTo(p) if points.len() < 5 => points.push(p),
            PathSegment::Close => break,
            _ => return None,
        }
    }
    if segments.next().is_some() {
        return None;
    }
    // Four corners; a fifth back at the first adds nothing.
    if points.len() == 5 && points[4] == points[0] {
        points.pop();
    }
    if points.len() != 4 {
        return None;
    }
    let corners = &points[..];
    // Each side along an axis, in turn horizontal and vertical.
    let sides_aligned = (0..4).all(|i| {
        let (a, b) = (corners[i], corners[(i + 1) % 4]);
        a.x == b.x || a.y == b.y
    }) && (corners[0].x == corners[1].x) != (corners[1].x == corners[2].x);
    if !sides_aligned {
        return None;
    }
    let bounds = path.bounds();
    (bounds.width() > 0.0 && bounds.height() > 0.0).then_some((
        bounds.left(),
        bounds.top(),
        bounds.right(),
        bounds.bottom(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::tiny_skia::PathBuilder;

    #[test]
    fn a_pixel_is_covered_by_its_share_of_the_span() {
        let covers = spans(1.25, 3.5, 10);
        assert_eq!(covers, [(1, 0.75), (2, 1.0), (3, 0.5)]);
        assert_eq!(spans(2.2, 2.7, 10).len(), 1);
        assert!((spans(2.2, 2.7, 10)[0].1 - 0.5).abs() < 1e-6);
        // Clipped to the canvas.
        assert_eq!(spans(-3.0, 1.5, 10), [(0, 1.0), (1, 0.5)]);
        assert_eq!(spans(8.5, 14.0, 10), [(8, 0.5), (9, 1.0)]);
        assert!(spans(12.0, 14.0, 10).is_empty());
    }

    #[test]
    fn coverage_is_counted_in_sixteenths() {
        assert_eq!((alpha(0.0), alpha(1.0), alpha(0.5)), (0, 255, 128));
        assert_eq!(alpha(0.02), 0);
        let shades: std::collections::BTreeSet<u32> = (0..=1000)
            .map(|i| u32::from(alpha(i as f32 / 1000.0)))
            .collect();
        assert_eq!(shades.len(), 17);
    }

    /// Bars at every fraction of a pixel still leave a chart few enough
    /// colours to be written indexed (exact coverage gave each edge its
    /// own shade, and this chart more than 256).
    #[test]
    fn bars_leave_a_chart_indexed() {
        let bars: String = (0..150)
            .map(|i| {
                let x = 10.0 + f64::from(i) * 4.37;
                let height = 20.0 + f64::from(i % 37) * 3.13;
                format!(
                    r#"<rect x="{x:.2}" y="{:.2}" width="2.9" height="{height:.2}"/>"#,
                    200.0 - height
                )
            })
            .collect();
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="680" height="220"><rect width="100%" height="100%" fill="#ffffff"/><g fill="#0072B2" stroke="#0072B2" stroke-width="1.5">{bars}</g></svg>"##
        );
        let png = super::super::rasterize_png_at(&svg, 1.5).unwrap();
        // The colour type, in the header: 3 is indexed.
        assert_eq!(png[25], 3);
    }

    #[test]
    fn only_an_axis_aligned_rectangle_is_one() {
        let rect = resvg::tiny_skia::Rect::from_xywh(1.0, 2.0, 3.0, 4.0).unwrap();
        let path = PathBuilder::from_rect(rect);
        assert_eq!(rectangle(&path), Some((1.0, 2.0, 4.0, 6.0)));
        let mut skewed = PathBuilder::new();
        skewed.move_to(0.0, 0.0);
        skewed.line_to(4.0, 0.0);
        skewed.line_to(5.0, 3.0);
        skewed.line_to(1.0, 3.0);
        skewed.close();
        assert_eq!(rectangle(&skewed.finish().unwrap()), None);
        let mut open = PathBuilder::new();
        open.move_to(0.0, 0.0);
        open.line_to(4.0, 0.0);
        open.line_to(4.0, 3.0);
        open.line_to(0.0, 3.0);
        assert_eq!(rectangle(&open.finish().unwrap()), None);
    }
}
