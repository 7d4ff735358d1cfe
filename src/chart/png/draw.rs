//! Drawing a parsed SVG into a pixmap: resvg for most shapes, the glyph
//! cache (`glyphs`) for text, exact coverage for bars (`rects`).
//!
//! resvg fills each run of text as one path of glyph outlines, scan-
//! converting every glyph of every label anew. On the national site that
//! was about half of all drawing time (probe: 19.6 ms to parse and draw a
//! chart PNG with its text, 4.8 ms without), while a publication's charts
//! use a few hundred distinct glyphs at a handful of sizes. So a glyph is
//! rasterised once per thread, size and quarter-pixel position, and then
//! composited as a coverage mask (see README, "Drawing the PNGs").
//!
//! The walk below is resvg's own (`resvg::render` visits the same nodes in
//! the same order, and an isolated group, one with opacity, a clip, a mask
//! or a filter, is handed to resvg whole), so every shape but a bar is
//! drawn by resvg exactly as before (a white background over a canvas still
//! white is left out: it would change no pixel). Text comes two ways: plain
//! labels taken out of the SVG before usvg read it (`labels`), drawn where
//! their markers stand, and the text usvg laid out, drawn glyph by glyph. A
//! label's halo (a stroke along its letters, drawn before their fill) is
//! drawn from the cache too. Text that this path does not draw (a dashed
//! or hairline stroke, a gradient, decorations, a rotated or skewed glyph,
//! a glyph without an outline) is handed to resvg.

use std::rc::Rc;

use resvg::tiny_skia::{Paint, PixmapMut, Transform};
use resvg::usvg::{self, Node};

use super::glyphs::{
    GLYPHS, GlyphCache, GlyphKey, GlyphMask, Halo, Ink, InkTable, Outline, composite, rasterise,
};
use super::labels::{LABEL_ID, Label};
use super::rects::SolidRect;

/// Glyph positions are rounded to this fraction of a pixel, both ways: a
/// glyph is at most 1/8 pixel from where resvg would put it.
pub(super) const SUBPIXEL_STEPS: f32 = 4.0;

/// Draws `tree` into `pixmap` with `transform`, as `resvg::render` does;
/// false when it met something it cannot draw as resvg would (then the
/// pixmap is to be drawn again with `resvg::render`).
pub(super) fn render(
    tree: &usvg::Tree,
    labels: &[Label],
    transform: Transform,
    pixmap: &mut PixmapMut,
) -> bool {
    let mut glyphs = GLYPHS.with(|cache| cache.take());
    let mut painter = Painter {
        fonts: tree.fontdb(),
        labels,
        glyphs: &mut glyphs,
        complete: true,
        painted: false,
        inks: Vec::new(),
    };
    painter.draw_children(tree.root(), transform, pixmap);
    let complete = painter.complete;
    GLYPHS.with(|cache| cache.replace(glyphs));
    complete
}

/// A glyph's mask where it lands (the whole pixel of its origin) and the
/// index of its ink.
type Placed = (Rc<GlyphMask>, i32, i32, usize);

struct Painter<'a> {
    fonts: &'a usvg::fontdb::Database,
    /// The labels taken out of the SVG, drawn at their markers.
    labels: &'a [Label],
    glyphs: &'a mut GlyphCache,
    /// Whether everything met so far was drawn as resvg draws it.
    complete: bool,
    /// Whether anything has been drawn on the white canvas yet.
    painted: bool,
    /// The colours of the text drawn so far.
    inks: Vec<InkTable>,
}

impl Painter<'_> {
    fn draw_children(&mut self, group: &usvg::Group, transform: Transform, pixmap: &mut PixmapMut) {
        for node in group.children() {
            self.draw_node(node, transform, pixmap);
        }
    }

    fn draw_node(&mut self, node: &Node, transform: Transform, pixmap: &mut PixmapMut) {
        match node {
            // As resvg does: a group that needs no layer of its own is its
            // children drawn with its transform.
            Node::Group(group) if !group.should_isolate() => {
                self.draw_children(group, transform.pre_concat(group.transform()), pixmap)
            }
            // The SVG's white background, over a canvas still white: it
            // would change no pixel (white over white is white at any
            // coverage), and it is the largest fill of the image.
            Node::Path(path) if !self.painted && is_white_fill(path) => {}
            Node::Path(path) if !path.is_visible() && path.id().starts_with(LABEL_ID) => {
                let label = path.id()[LABEL_ID.len()..]
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| self.labels.get(n));
                match label {
                    Some(label) if self.draw_label(label, transform, pixmap) => self.painted = true,
                    // Not drawn: the whole SVG is left to resvg.
                    _ => self.complete = false,
                }
            }
            Node::Text(text) if self.draw_text(text, transform, pixmap) => self.painted = true,
            _ => {
                // A bar (see `rects`) by its exact coverage, else resvg.
                match node {
                    Node::Path(path) => match SolidRect::of(path, transform) {
                        Some(rect) => rect.draw(pixmap),
                        None => self.draw_with_resvg(node, transform, pixmap),
                    },
                    _ => self.draw_with_resvg(node, transform, pixmap),
                }
                self.painted = true;
            }
        }
    }

    /// Draws one node with resvg, at `transform`. `resvg::render_node`
    /// draws a node into a pixmap of its own bounds (it shifts by the
    /// node's top-left corner); the shift is undone so that the node lands
    /// where `resvg::render` puts it. A horizontal or vertical line has no
    /// such bounds, and `render_node` draws nothing: its stroke (a line
    /// cannot be filled) is drawn here as resvg's `render` draws it.
    fn draw_with_resvg(&mut self, node: &Node, transform: Transform, pixmap: &mut PixmapMut) {
        if let Some(bounds) = node.abs_layer_bounding_box() {
            resvg::render_node(
                node,
                transform.pre_translate(bounds.x(), bounds.y()),
                pixmap,
            );
            return;
        }
        let Node::Path(path) = node else {
            // An empty group or text: nothing to draw.
            return;
        };
        let Some(stroke) = path.stroke().filter(|_| path.is_visible()) else {
            return;
        };
        let usvg::Paint::Color(color) = stroke.paint() else {
            self.complete = false;
            return;
        };
        let mut paint = Paint::default();
        paint.set_color_rgba8(color.red, color.green, color.blue, stroke.opacity().to_u8());
        paint.anti_alias = path.rendering_mode().use_shape_antialiasing();
        pixmap.stroke_path(path.data(), &paint, &stroke.to_tiny_skia(), transform, None);
    }

    /// Draws `text` from the glyph cache; false, having drawn nothing, when
    /// some part of it is not plain filled glyphs.
    fn draw_text(
        &mut self,
        text: &usvg::Text,
        transform: Transform,
        pixmap: &mut PixmapMut,
    ) -> bool {
        if text.rendering_mode() == usvg::TextRendering::OptimizeSpeed {
            return false;
        }
        // Every glyph is looked up (and drawn into the cache when new)
        // before any is composited, so that text handed to resvg is not
        // drawn twice.
        let mut placed = Vec::new();
        for span in text.layouted() {
            if !span.visible {
                continue;
            }
            // (A span always names variations: usvg maps the weight to a
            // `wght` axis. They matter only to a variable font, which
            // `rasterise` leaves to resvg.)
            if span.underline.is_some() || span.overline.is_some() || span.line_through.is_some() {
                return false;
            }
            // The fill and the stroke (a halo that keeps a label legible
            // over lines), each as a coverage and an ink. As resvg draws a
            // span, the whole of one goes before the whole of the other:
            // no letter's halo covers its neighbour's fill.
            let fill = match &span.fill {
                None => None,
                Some(fill) => {
                    let usvg::Paint::Color(color) = fill.paint() else {
                        return false;
                    };
                    let even_odd = fill.rule() == usvg::FillRule::EvenOdd;
                    let ink = self.ink_table(Ink {
                        rgb: [color.red, color.green, color.blue],
                        alpha: fill.opacity().to_u8(),
                    });
                    Some((Outline::Fill { even_odd }, ink))
                }
            };
            let stroke = match &span.stroke {
                None => None,
                Some(stroke) => {
                    let usvg::Paint::Color(color) = stroke.paint() else {
                        return false;
                    };
                    let ink = Ink {
                        rgb: [color.red, color.green, color.blue],
                        alpha: stroke.opacity().to_u8(),
                    };
                    let pass = self.stroke_pass(|scale| Halo::of(stroke, scale), ink, transform);
                    let Some(pass) = pass else {
                        return false;
                    };
                    Some(pass)
                }
            };
            let passes = match span.paint_order {
                usvg::PaintOrder::FillAndStroke => [fill, stroke],
                usvg::PaintOrder::StrokeAndFill => [stroke, fill],
            };
            let glyphs = span
                .positioned_glyphs
                .iter()
                .map(|g| (g.font, g.id.0, g.outline_transform()));
            if !self.place(passes, glyphs, transform, &mut placed) {
                return false;
            }
        }
        self.composite_all(placed, pixmap);
        true
    }

    /// Looks up (or rasterises) the masks of `glyphs` for each pass (a
    /// fill or a stroke, with its ink), one pass after the other, and adds
    /// them to `placed`; false when a glyph cannot be drawn from the cache.
    fn place(
        &mut self,
        passes: [Option<(Outline, usize)>; 2],
        glyphs: impl Iterator<Item = (usvg::fontdb::ID, u32, Transform)> + Clone,
        transform: Transform,
        placed: &mut Vec<Placed>,
    ) -> bool {
        for (outline, ink) in passes.into_iter().flatten() {
            for (font, glyph, outline_transform) in glyphs.clone() {
                let at = transform.pre_concat(outline_transform);
                if at.kx != 0.0 || at.ky != 0.0 || !at.tx.is_finite() || !at.ty.is_finite() {
                    return false;
                }
                let (whole_x, step_x) = split(at.tx);
                let (whole_y, step_y) = split(at.ty);
                let key = GlyphKey {
                    fonts: std::ptr::from_ref(self.fonts) as usize,
                    font,
                    glyph,
                    scale_x: at.sx.to_bits(),
                    scale_y: at.sy.to_bits(),
                    step_x,
                    step_y,
                    outline,
                };
                let mask = self
                    .glyphs
                    .entry(key)
                    .or_insert_with(|| rasterise(self.fonts, &key).map(Rc::new));
                let Some(mask) = mask else {
                    return false;
                };
                placed.push((Rc::clone(mask), whole_x, whole_y, ink));
            }
        }
        true
    }

    /// Draws a label taken out of the SVG (see `labels`), laid out as usvg
    /// would lay it out, from the glyph cache; false, having drawn nothing,
    /// when it cannot.
    fn draw_label(&mut self, label: &Label, transform: Transform, pixmap: &mut PixmapMut) -> bool {
        let Some(glyphs) = super::labels::lay_out(label) else {
            return false;
        };
        let fill = label.fill.map(|rgb| {
            let ink = self.ink_table(Ink { rgb, alpha: 255 });
            (Outline::Fill { even_odd: false }, ink)
        });
        let stroke = match label.stroke {
            None => None,
            Some(stroke) => {
                let halo = |scale| Halo::new(stroke.width, stroke.join, stroke.miter_limit, scale);
                let ink = Ink {
                    rgb: stroke.rgb,
                    alpha: 255,
                };
                let Some(pass) = self.stroke_pass(halo, ink, transform) else {
                    return false;
                };
                Some(pass)
            }
        };
        let passes = if label.stroke_first {
            [stroke, fill]
        } else {
            [fill, stroke]
        };
        let mut placed = Vec::with_capacity(glyphs.len() * 2);
        let glyphs = glyphs.iter().map(|g| (g.font, g.id, g.outline));
        if !self.place(passes, glyphs, transform, &mut placed) {
            return false;
        }
        self.composite_all(placed, pixmap);
        true
    }

    /// The pass of a stroke along glyphs (a halo), drawn in `ink` at
    /// `transform`: `halo` makes it for the scale in pixels per unit.
    /// `None` when the cache cannot draw it: a stroke is as wide both ways
    /// only under a uniform scale, and `halo` may refuse (a dash, a
    /// hairline).
    fn stroke_pass(
        &mut self,
        halo: impl FnOnce(f32) -> Option<Halo>,
        ink: Ink,
        transform: Transform,
    ) -> Option<(Outline, usize)> {
        if transform.sx != transform.sy || transform.kx != 0.0 || transform.ky != 0.0 {
            return None;
        }
        let halo = halo(transform.sx)?;
        Some((Outline::Stroke(halo), self.ink_table(ink)))
    }

    /// Composites each placed mask in its ink, in order.
    fn composite_all(&self, placed: Vec<Placed>, pixmap: &mut PixmapMut) {
        for (mask, x, y, ink) in placed {
            let at = (x + mask.left, y + mask.top);
            composite(pixmap, &mask, at, &self.inks[ink]);
        }
    }

    /// The index in `inks` of `ink`'s table, made when it is new.
    fn ink_table(&mut self, ink: Ink) -> usize {
        if let Some(known) = self.inks.iter().position(|table| table.ink == ink) {
            return known;
        }
        self.inks.push(InkTable::new(ink));
        self.inks.len() - 1
    }
}

/// A whole pixel and the nearest step within it.
fn split(position: f32) -> (i32, u8) {
    let stepped = (position * SUBPIXEL_STEPS).round();
    let whole = (stepped / SUBPIXEL_STEPS).floor();
    let step = stepped - whole * SUBPIXEL_STEPS;
    (whole as i32, step as u8)
}

/// Whether `path` only fills with opaque white.
fn is_white_fill(path: &usvg::Path) -> bool {
    let white = usvg::Color::white();
    path.stroke().is_none()
        && path.fill().is_some_and(|fill| {
            fill.opacity().to_u8() == 255
                && matches!(fill.paint(), usvg::Paint::Color(colour) if *colour == white)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::tiny_skia;

    /// Draws `svg` at `scale` both ways: with resvg alone, and with the
    /// glyph cache; and says whether the cache drew it all.
    fn both_ways(svg: &str, scale: f32) -> (tiny_skia::Pixmap, tiny_skia::Pixmap, bool) {
        let tree = usvg::Tree::from_str(svg, super::super::options()).unwrap();
        let size = tree.size().to_int_size().scale_by(scale).unwrap();
        let transform = Transform::from_scale(scale, scale);
        let blank = || {
            let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
            pixmap.fill(tiny_skia::Color::WHITE);
            pixmap
        };
        let mut by_resvg = blank();
        resvg::render(&tree, transform, &mut by_resvg.as_mut());
        // As `rasterize_png_at` draws: plain labels taken out first.
        let (rest, labels) = super::super::labels::take_labels(svg).unwrap_or_default();
        let without_labels = if labels.is_empty() { svg } else { &rest };
        let tree = usvg::Tree::from_str(without_labels, super::super::options()).unwrap();
        let mut cached = blank();
        let complete = render(&tree, &labels, transform, &mut cached.as_mut());
        (by_resvg, cached, complete)
    }

    /// How dark an image is in all: the sum over its pixels of 255 less
    /// the mean of the channels.
    fn ink(pixmap: &tiny_skia::Pixmap) -> f64 {
        pixmap
            .data()
            .chunks_exact(4)
            .map(|p| 255.0 - (f64::from(p[0]) + f64::from(p[1]) + f64::from(p[2])) / 3.0)
            .sum()
    }

    fn svg(size: (u32, u32), body: &str) -> String {
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans" fill="#1a1a1a"><rect width="100%" height="100%" fill="#ffffff"/>{body}</svg>"##,
            w = size.0,
            h = size.1
        )
    }

    /// What is not text (lines straight and dashed, a vertical line that
    /// has no area, shapes in groups, a group with opacity) comes out of
    /// the walk exactly as resvg draws it.
    #[test]
    fn shapes_are_drawn_exactly_as_resvg_draws_them() {
        let shapes = svg(
            (320, 200),
            r##"<path d="M10 50h300m-300 40h300" stroke="#e3e3e3"/>
            <line x1="120.5" y1="10" x2="120.5" y2="190" stroke="#4d4d4d" stroke-width="1.5" stroke-dasharray="5 3"/>
            <line x1="20" y1="10" x2="20" y2="190" stroke="#1a1a1a" stroke-width="1.5"/>
            <g fill="#0072B2" stroke="#0072B2"><circle cx="46" cy="74.4" r="3.6"/><rect x="200" y="100" width="30" height="80" stroke="#1a1a1a"/></g>
            <g opacity="0.5"><path d="M40 170l60-40 60 20" fill="none" stroke="#D55E00" stroke-width="2.5" stroke-linejoin="round"/></g>
            <path d="M250 20h40v40z" fill="url(#none)" stroke="#000"/>
            <rect x="190.3" y="90.6" width="60" height="30" fill="#ffffff" fill-opacity="0.9"/>"##,
        );
        for scale in [1.0, 1.5] {
            let (by_resvg, cached, complete) = both_ways(&shapes, scale);
            assert!(complete);
            assert!(by_resvg.data() == cached.data(), "at {scale}");
        }
    }

    /// Bars (rectangles filled and stroked in one colour) and plain filled
    /// rectangles, drawn by their exact coverage (see `rects`), are
    /// resvg's to within the rounding of its anti-aliasing at their edges.
    #[test]
    fn bars_are_drawn_as_resvg_draws_them_to_within_its_rounding() {
        let bars = svg(
            (320, 200),
            r##"<path d="M10 50h300m-300 40h300" stroke="#e3e3e3"/>
            <g fill="#0072B2" stroke="#0072B2" stroke-width="1.5"><rect x="41.6" y="47.2" width="7" height="142.8"/><rect x="51.9" y="61" width="7" height="129"/><rect x="62.2" y="150.35" width="0.4" height="39.65"/></g>
            <rect x="120.3" y="20.7" width="80.25" height="60.5" fill="#E69F00"/>
            <rect x="150" y="60" width="100" height="100" fill="#ffffff"/>
            <rect x="-20" y="180" width="400" height="40" fill="#4d4d4d"/>"##,
        );
        for scale in [1.0, 1.5, 2.0] {
            let (by_resvg, cached, complete) = both_ways(&bars, scale);
            assert!(complete);
            let near = Near {
                ink: 0.005,
                mean: 0.5,
                largest: 48,
            };
            near.check(&by_resvg, &cached, scale);
        }
    }

    /// Which paths are drawn as solid rectangles: a bar, a filled
    /// rectangle; not a rectangle stroked in another colour, dashed, with
    /// rounded corners, translucent, or under a rotation.
    #[test]
    fn only_solid_axis_aligned_rectangles_take_the_short_way() {
        let shapes = svg(
            (200, 100),
            r##"<g fill="#0072B2" stroke="#0072B2" stroke-width="1.5"><rect x="10" y="10" width="7" height="80"/></g>
            <rect x="20" y="10" width="7" height="80" fill="#0072B2"/>
            <rect x="30" y="10" width="7" height="80" fill="#0072B2" stroke="#1a1a1a"/>
            <rect x="40" y="10" width="7" height="80" fill="#0072B2" stroke="#0072B2" stroke-dasharray="2 2"/>
            <rect x="50" y="10" width="7" height="80" fill="#0072B2" rx="2"/>
            <rect x="60" y="10" width="7" height="80" fill="#0072B2" fill-opacity="0.5"/>
            <rect x="70" y="10" width="7" height="80" fill="#0072B2" stroke="#0072B2" stroke-linejoin="round"/>
            <g transform="rotate(10 100 50)"><rect x="80" y="10" width="7" height="80" fill="#0072B2"/></g>"##,
        );
        let tree = usvg::Tree::from_str(&shapes, super::super::options()).unwrap();
        let mut found = Vec::new();
        fn walk(group: &usvg::Group, transform: Transform, found: &mut Vec<bool>) {
            for node in group.children() {
                match node {
                    Node::Group(g) => walk(g, transform.pre_concat(g.transform()), found),
                    Node::Path(p)
                        if p.fill().is_some_and(
                            |f| matches!(f.paint(), usvg::Paint::Color(c) if c.blue == 0xB2),
                        ) =>
                    {
                        found.push(SolidRect::of(p, transform).is_some())
                    }
                    _ => {}
                }
            }
        }
        walk(tree.root(), Transform::from_scale(1.5, 1.5), &mut found);
        assert_eq!(
            found,
            [true, true, false, false, false, false, false, false]
        );
    }

    /// Text from the glyph cache is resvg's text, each glyph at most an
    /// eighth of a pixel away: as much ink, no pixel far off.
    #[test]
    fn cached_glyphs_draw_the_text_resvg_draws() {
        let texts = svg(
            (640, 220),
            r##"<text x="16" y="40" font-size="20" font-weight="bold">Ärenden per årsarbetare, K1 2016–K4 2025</text>
            <text x="16" y="62.9" font-size="14" fill="#4d4d4d">Öppna ärenden, 1 234,5 (preliminärt)</text>
            <g font-size="13" fill="#4d4d4d" text-anchor="end"><text x="34" y="141.4">0</text><text x="34" y="116.4">15 000</text></g>
            <g font-size="13" text-anchor="middle"><text x="300.3" y="155.9">K1 2018</text><text x="400.7" y="155.9">K1 2020</text></g>
            <text x="16" y="200" font-size="12" fill="#0072B2" fill-opacity="0.6">Källa: Socialtjänsten, uttag 5 oktober 2026</text>
            <rect x="400" y="20" width="200" height="60" fill="#E69F00"/>
            <text x="410" y="56" font-size="18" fill="#ffffff" font-weight="bold">Över en stapel</text>
            <text x="410" y="76" font-size="14">Och svart på gult</text>
            <text x="200" y="180" font-size="13">Två <tspan font-weight="bold" fill="#D55E00">delar</tspan> (usvg)</text>"##,
        );
        for scale in [1.0, 1.5] {
            let (by_resvg, cached, complete) = both_ways(&texts, scale);
            assert!(complete);
            let a = ink(&by_resvg);
            assert!(a > 100_000.0, "the text is drawn: {a}");
            Near::TEXT.check(&by_resvg, &cached, scale);
        }
    }

    /// Plain text is drawn from the cache, not handed to resvg (a test of
    /// the difference alone would pass either way).
    #[test]
    fn plain_text_is_drawn_from_the_cache() {
        let text = svg(
            (200, 60),
            r##"<text x="10" y="30" font-size="14">Öppna ärenden</text>
            <text x="10" y="50" font-size="14" font-weight="bold" fill="#0072B2">Källa</text>"##,
        );
        GLYPHS.with(|cache| cache.borrow_mut().clear());
        let (_, _, complete) = both_ways(&text, 1.5);
        assert!(complete);
        let drawn = GLYPHS.with(|cache| cache.borrow().values().filter(|m| m.is_some()).count());
        // Ö p n a ä r e d (and a space) in one font, K ä l a in the other.
        assert!(drawn >= 12, "{drawn} glyphs in the cache");
    }

    /// How near a drawing must be to resvg's: the share by which its ink
    /// may differ, and the mean and largest difference of a channel.
    struct Near {
        ink: f64,
        mean: f64,
        largest: u8,
    }

    impl Near {
        /// Text from the glyph cache: each glyph at most an eighth of a
        /// pixel from where resvg puts it.
        const TEXT: Near = Near {
            ink: 0.01,
            mean: 1.0,
            largest: 128,
        };

        fn check(&self, by_resvg: &tiny_skia::Pixmap, cached: &tiny_skia::Pixmap, scale: f32) {
            let diffs: Vec<u8> = by_resvg
                .data()
                .iter()
                .zip(cached.data())
                .map(|(x, y)| x.abs_diff(*y))
                .collect();
            let mean = diffs.iter().map(|&d| f64::from(d)).sum::<f64>() / diffs.len() as f64;
            let largest = diffs.iter().max().copied().unwrap_or(0);
            let (a, b) = (ink(by_resvg), ink(cached));
            assert!(
                (a - b).abs() / a < self.ink,
                "ink {a} against {b} at {scale}"
            );
            assert!(mean < self.mean, "mean difference {mean} at {scale}");
            assert!(
                largest <= self.largest,
                "largest difference {largest} at {scale}"
            );
        }
    }

    /// A label's halo (a white stroke drawn before the letters, so that a
    /// label stays legible over a line) is drawn from the cache as resvg
    /// draws it: over a dark panel, where a letter's halo drawn over its
    /// neighbour's fill, or a halo left out, would show.
    #[test]
    fn halos_are_drawn_from_the_cache_as_resvg_draws_them() {
        let texts = svg(
            (360, 160),
            r##"<rect x="0" y="0" width="360" height="160" fill="#1a1a1a"/>
            <path d="M10 50h340m-340 60h340" stroke="#0072B2" stroke-width="3"/>
            <text x="20" y="56" font-size="13" font-weight="bold" fill="#0072B2" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">preliminärt ..</text>
            <text x="340" y="116" font-size="16" text-anchor="end" fill="#4d4d4d" stroke="#ffffff" stroke-width="6" stroke-linejoin="round" paint-order="stroke">MMWWÅÄÖ</text>
            <text x="20" y="146" font-size="14" fill="#E69F00" stroke="#ffffff" stroke-width="2">Fyllning sist</text>"##,
        );
        for scale in [1.0, 1.5] {
            GLYPHS.with(|cache| cache.borrow_mut().clear());
            let (by_resvg, cached, complete) = both_ways(&texts, scale);
            assert!(complete);
            let halos = GLYPHS.with(|cache| {
                cache
                    .borrow()
                    .iter()
                    .filter(|(key, mask)| {
                        matches!(key.outline, Outline::Stroke(_)) && mask.is_some()
                    })
                    .count()
            });
            assert!(halos >= 15, "{halos} halo masks at {scale}");
            Near::TEXT.check(&by_resvg, &cached, scale);
        }
    }

    /// Text the cache does not draw (a dashed halo, a hairline stroke, a
    /// rotated label, a gradient) is resvg's, exactly; and nothing is
    /// drawn twice.
    #[test]
    fn text_the_cache_does_not_draw_is_left_to_resvg() {
        let texts = svg(
            (320, 200),
            r##"<defs><linearGradient id="g"><stop offset="0" stop-color="#000"/><stop offset="1" stop-color="#0072B2"/></linearGradient></defs>
            <path d="M10 30h300" stroke="#0072B2" stroke-width="3"/>
            <text x="20" y="36" font-size="13" font-weight="bold" stroke="#ffffff" stroke-width="4" stroke-dasharray="2 1" paint-order="stroke">A</text>
            <text x="40" y="36" font-size="13" stroke="#D55E00" stroke-width="0.5">B</text>
            <text x="0" y="0" font-size="13" transform="translate(14 180) rotate(-90)">Antal</text>
            <text x="60" y="120" font-size="30" fill="url(#g)">Gradient</text>
            <text x="60" y="160" font-size="13" text-decoration="underline">Understruken</text>"##,
        );
        let (by_resvg, cached, complete) = both_ways(&texts, 1.5);
        assert!(complete);
        assert!(by_resvg.data() == cached.data());
    }

    #[test]
    fn positions_split_into_a_pixel_and_the_nearest_quarter() {
        assert_eq!(split(10.0), (10, 0));
        assert_eq!(split(10.2), (10, 1));
        assert_eq!(split(10.4), (10, 2));
        assert_eq!(split(10.8), (10, 3));
        // Nearer the next pixel than the last quarter: the next pixel.
        assert_eq!(split(10.9), (11, 0));
        assert_eq!(split(-0.2), (-1, 3));
        assert_eq!(split(-0.1), (0, 0));
    }
}
