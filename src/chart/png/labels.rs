//! A chart's plain labels, laid out here instead of by usvg.
//!
//! usvg lays out every `<text>` when it parses an SVG: it shapes the text
//! and then turns each glyph into an outline path, which the glyph cache
//! (see `draw`) never uses. On the national site that was a fifth of a cold
//! build, for labels that repeat from chart to chart (ticks, periods,
//! sources, caveats). So the plain labels are taken out of the SVG before
//! usvg sees it, each replaced by an invisible marker that keeps its place
//! in the drawing order, and drawn from the glyph cache with their shaping
//! kept per thread. The layout is usvg's for a single run of text: the
//! same shaper (harfrust, with the same fonts and features), the same
//! advances, anchors and transforms, so a label lands where usvg would put
//! it (a test compares the two glyph by glyph).
//!
//! A label is plain when nothing in it needs more: one run of text with no
//! element inside, in a font of ours, at one position, with a solid fill
//! and at most a solid stroke, among groups that only translate and set
//! these same properties, and in letters of the scripts the fonts cover
//! that are written left to right. Anything else stays in the SVG for usvg
//! (a rotated axis title, a `tspan`, an opacity, a right-to-left name).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use resvg::tiny_skia::Transform;
use resvg::usvg;
use resvg::usvg::roxmltree;

/// The id of the marker that stands in for label `n`: `{LABEL_ID}{n}`.
pub(super) const LABEL_ID: &str = "insyn-png-label-";

/// A plain label, with its properties resolved through its groups.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Label {
    pub text: String,
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    pub anchor: Anchor,
    pub fill: Option<[u8; 3]>,
    pub stroke: Option<Stroke>,
    /// `paint-order: stroke`: the stroke (a halo) is drawn before the fill.
    pub stroke_first: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Stroke {
    pub rgb: [u8; 3],
    pub width: f32,
    pub join: usvg::LineJoin,
    pub miter_limit: f32,
}

/// `svg` with its plain labels taken out (each replaced by an invisible
/// marker), and the labels; `None` when it has none or cannot be read (then
/// usvg reads it whole).
pub(super) fn take_labels(svg: &str) -> Option<(String, Vec<Label>)> {
    let doc = roxmltree::Document::parse(svg).ok()?;
    // A style sheet may set what a label looks like, and a `use` may draw
    // a label again elsewhere: such an SVG is usvg's whole.
    if doc
        .descendants()
        .any(|n| n.has_tag_name("style") || n.has_tag_name("use"))
    {
        return None;
    }
    let mut labels = Vec::new();
    let mut out = String::with_capacity(svg.len());
    let mut copied = 0;
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let Some(label) = plain_label(node) else {
            continue;
        };
        let range = node.range();
        out.push_str(&svg[copied..range.start]);
        // Invisible (no fill, no stroke), but kept by usvg in its place.
        out.push_str(&format!(
            r#"<path id="{LABEL_ID}{}" d="M0 0h1" fill="none" stroke="none"/>"#,
            labels.len()
        ));
        copied = range.end;
        labels.push(label);
    }
    if labels.is_empty() {
        return None;
    }
    out.push_str(&svg[copied..]);
    Some((out, labels))
}

/// Attributes that change nothing of how a label is drawn, or that are
/// read below.
const READ: &[&str] = &[
    "x",
    "y",
    "class",
    "id",
    "role",
    "aria-labelledby",
    "aria-hidden",
    "version",
    "width",
    "height",
    "viewBox",
    "font-family",
    "font-size",
    "font-weight",
    "fill",
    "stroke",
    "stroke-width",
    "stroke-linejoin",
    "stroke-linecap",
    "stroke-miterlimit",
    "paint-order",
    "text-anchor",
    "transform",
];

fn plain_label(node: roxmltree::Node) -> Option<Label> {
    let svg_ns = "http://www.w3.org/2000/svg";
    // One run of text, no element inside.
    let mut children = node.children();
    // (A comment's text is not drawn: only a text node is a run.)
    let text = children.next().filter(|c| c.is_text())?.text()?;
    if children.next().is_some() || !plain_text(text) {
        return None;
    }
    if node.has_attribute("transform") {
        return None;
    }
    // The label and its groups up to the root: only groups that translate,
    // and only attributes read here.
    for element in node.ancestors().filter(|n| n.is_element()) {
        if element.tag_name().namespace() != Some(svg_ns) {
            return None;
        }
        let name = element.tag_name().name();
        let root = element.parent().is_some_and(|p| p.is_root());
        if !(name == "text" && element == node || name == "g" || name == "svg" && root) {
            return None;
        }
        for attribute in element.attributes() {
            if attribute.namespace().is_some() || !READ.contains(&attribute.name()) {
                return None;
            }
            if attribute.name() == "transform" && !attribute.value().trim().starts_with("translate")
            {
                return None;
            }
        }
    }
    let inherited = |name: &str| node.ancestors().find_map(|n| n.attribute(name));
    let number = |value: &str| value.trim().parse::<f64>().ok().map(|v| v as f32);
    let family = inherited("font-family")?;
    let first_family = family.split(',').next()?.trim().trim_matches(['"', '\'']);
    if !matches!(first_family, "DejaVu Sans" | "sans-serif") {
        return None;
    }
    let bold = match inherited("font-weight").unwrap_or("normal") {
        "normal" | "400" => false,
        "bold" | "700" => true,
        _ => return None,
    };
    let size = number(inherited("font-size")?).filter(|s| *s > 0.0)?;
    let anchor = match inherited("text-anchor").unwrap_or("start") {
        "start" => Anchor::Start,
        "middle" => Anchor::Middle,
        "end" => Anchor::End,
        _ => return None,
    };
    let fill = match inherited("fill").unwrap_or("#000000") {
        "none" => None,
        colour => Some(hex(colour)?),
    };
    let stroke = match inherited("stroke").unwrap_or("none") {
        "none" => None,
        colour => Some(Stroke {
            rgb: hex(colour)?,
            // A stroke of a unit or less may be drawn as a hairline,
            // which the glyph cache does not draw.
            width: number(inherited("stroke-width").unwrap_or("1")).filter(|w| *w > 1.0)?,
            join: match inherited("stroke-linejoin").unwrap_or("miter") {
                "miter" => usvg::LineJoin::Miter,
                "miter-clip" => usvg::LineJoin::MiterClip,
                "round" => usvg::LineJoin::Round,
                "bevel" => usvg::LineJoin::Bevel,
                _ => return None,
            },
            miter_limit: number(inherited("stroke-miterlimit").unwrap_or("4"))?,
        }),
    };
    let stroke_first = match inherited("paint-order").unwrap_or("normal").trim() {
        "normal" | "fill" | "fill stroke" | "fill stroke markers" => false,
        "stroke" | "stroke fill" | "stroke fill markers" => true,
        _ => return None,
    };
    Some(Label {
        text: text.to_string(),
        x: number(node.attribute("x")?)?,
        y: number(node.attribute("y")?)?,
        size,
        bold,
        anchor,
        fill,
        stroke,
        stroke_first,
    })
}

/// Text whose layout is one left-to-right run that keeps its spaces as
/// they are (none leading, trailing or doubled, no line breaks or tabs,
/// which usvg would collapse), in scripts the fonts cover.
fn plain_text(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && text.chars().all(|c| {
            matches!(c,
                ' '..='~'
                | '\u{A0}'..='\u{AC}'
                | '\u{AE}'..='\u{24F}'
                | '\u{370}'..='\u{3FF}'
                | '\u{400}'..='\u{4FF}'
                | '\u{1E00}'..='\u{1EFF}'
                | '\u{2010}'..='\u{2027}'
                | '\u{2030}'..='\u{205E}'
                | '\u{2070}'..='\u{20CF}'
                | '\u{2100}'..='\u{22FF}')
        })
}

/// `#rgb` or `#rrggbb`.
fn hex(colour: &str) -> Option<[u8; 3]> {
    let digits = colour.trim().strip_prefix('#')?;
    if !digits.is_ascii() {
        return None;
    }
    let value = |s: &str| u8::from_str_radix(s, 16).ok();
    match digits.len() {
        3 => Some([
            value(&digits[0..1])? * 17,
            value(&digits[1..2])? * 17,
            value(&digits[2..3])? * 17,
        ]),
        6 => Some([
            value(&digits[0..2])?,
            value(&digits[2..4])?,
            value(&digits[4..6])?,
        ]),
        _ => None,
    }
}

/// A glyph of a label as placed: its font, its id and the transform of its
/// outline (font units to the label's space), as usvg's
/// `PositionedGlyph::outline_transform`.
pub(super) struct PlacedGlyph {
    pub font: usvg::fontdb::ID,
    pub id: u32,
    pub outline: Transform,
}

/// The glyphs of `label`, laid out as usvg lays out a single run of text;
/// `None` when a letter is not in the font (usvg would look for another)
/// or the font cannot be read.
pub(super) fn lay_out(label: &Label) -> Option<Vec<PlacedGlyph>> {
    let fonts = super::fonts();
    let face = if label.bold {
        &fonts.bold
    } else {
        &fonts.regular
    };
    let shaped = SHAPED.with(|cache| {
        let cache = &mut cache.borrow_mut()[usize::from(label.bold)];
        if let Some(known) = cache.get(label.text.as_str()) {
            return Rc::clone(known);
        }
        let shaped: Rc<[Shaped]> = shape(face, &label.text).into();
        // Titles name their unit, so most texts of a large site are met
        // once: the cache starts afresh rather than grow with the site.
        if cache.len() >= SHAPED_TEXTS {
            cache.clear();
        }
        cache.insert(label.text.clone(), Rc::clone(&shaped));
        shaped
    });
    // Nothing shaped (a label is never empty: the font could not be read),
    // or a letter the font lacks.
    if shaped.is_empty() || shaped.iter().any(|g| g.id == 0) {
        return None;
    }
    let scale = label.size / f32::from(face.units_per_em);
    // Glyphs of one cluster (a letter and its marks) share a position and
    // advance it together, as usvg's clusters do.
    let mut clusters: Vec<&[Shaped]> = Vec::new();
    let mut rest = &shaped[..];
    while let Some(first) = rest.first() {
        let len = rest
            .iter()
            .take_while(|g| g.cluster == first.cluster)
            .count();
        clusters.push(&rest[..len]);
        rest = &rest[len..];
    }
    let advance_of = |cluster: &[Shaped]| -> f32 {
        cluster
            .iter()
            .map(|g| g.x_advance as f32 * scale)
            .sum::<f32>()
    };
    let (mut left, mut right, mut advance) = (f32::INFINITY, f32::NEG_INFINITY, 0.0f32);
    for cluster in &clusters {
        let end = advance + advance_of(cluster);
        left = left.min(advance).min(end);
        right = right.max(advance).max(end);
        advance = end;
    }
    let width = right - left;
    let mut x = -left
        + match label.anchor {
            Anchor::Start => 0.0,
            Anchor::Middle => -width / 2.0,
            Anchor::End => -width,
        };
    // (usvg shifts a span by its baseline, which for these is 0.)
    let span = Transform::from_translate(label.x, label.y);
    let mut placed = Vec::with_capacity(shaped.len());
    for cluster in clusters {
        let cluster_at = Transform::from_translate(x, 0.0);
        let mut within = 0.0f32;
        for glyph in cluster {
            let glyph_at =
                Transform::from_translate(within + glyph.x_offset as f32, -glyph.y_offset as f32);
            within += glyph.x_advance as f32;
            placed.push(PlacedGlyph {
                font: face.id,
                id: glyph.id,
                outline: span
                    .pre_concat(cluster_at)
                    .pre_concat(Transform::from_scale(scale, scale))
                    .pre_concat(glyph_at)
                    .pre_concat(Transform::from_scale(1.0, -1.0)),
            });
        }
        x += advance_of(cluster);
    }
    Some(placed)
}

/// A glyph as the shaper gives it, in font units.
#[derive(Debug, Clone, Copy)]
struct Shaped {
    id: u32,
    cluster: u32,
    x_advance: i32,
    x_offset: i32,
    y_offset: i32,
}

thread_local! {
    /// Each thread keeps the shaping of every label text it met: ticks,
    /// periods, sources and caveats come back in chart after chart.
    static SHAPED: RefCell<[ShapedTexts; 2]> = RefCell::new(Default::default());
}

/// How many texts a thread keeps the shaping of, per font: a chart has a
/// few dozen labels, and those that repeat (ticks, periods, sources) come
/// back within a few charts.
const SHAPED_TEXTS: usize = 4096;

/// The shaping of each text met, in one font (regular, bold).
type ShapedTexts = HashMap<String, Rc<[Shaped]>, rustc_hash::FxBuildHasher>;

/// Shapes `text` as usvg shapes a left-to-right run: harfrust, script and
/// direction guessed from the text, default features (kerning on).
fn shape(face: &super::Face, text: &str) -> Vec<Shaped> {
    let (Some(data), Ok(font)) = (&face.shaper, harfrust::FontRef::from_index(face.data, 0)) else {
        return Vec::new();
    };
    let shaper = data.shaper(&font).build();
    let mut buffer = harfrust::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.set_direction(harfrust::Direction::LeftToRight);
    buffer.guess_segment_properties();
    let output = shaper.shape(buffer, harfrust::ShapeOptions::new());
    output
        .glyph_infos()
        .iter()
        .zip(output.glyph_positions())
        .map(|(info, position)| Shaped {
            id: info.glyph_id,
            cluster: info.cluster,
            x_advance: position.x_advance,
            x_offset: position.x_offset,
            y_offset: position.y_offset,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" font-family="DejaVu Sans, Verdana, sans-serif" fill="#1a1a1a">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="16" y="40" font-size="20" font-weight="bold" class="title">Väntetid, K1 2016–K4 2025</text>
<g font-size="13" fill="#4d4d4d" text-anchor="end" class="ytick"><text x="34" y="81.4">1 000</text></g>
<g transform="translate(10 0)"><text x="50" y="90" font-size="13" fill="#0072B2" stroke="#fff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">preliminärt</text></g>
<text x="0" y="0" font-size="13" transform="rotate(-90)">Antal</text>
<text x="5" y="5" font-size="13"><tspan font-weight="bold">Två</tspan> delar</text>
<text x="5" y="5" font-size="13" opacity="0.5">Halvgenomskinlig</text>
<g opacity="0.5"><text x="5" y="5" font-size="13">I en grupp med opacitet</text></g>
<text x="5" y="5" font-size="13">  mellanrum</text>
<text x="5" y="5" font-size="13">عربي</text>
<text x="5" y="5" font-size="13"><!--kommentar--></text>
</svg>"##;

    #[test]
    fn plain_labels_are_taken_out_and_the_rest_left_in_place() {
        let (rest, labels) = take_labels(SVG).unwrap();
        let texts: Vec<&str> = labels.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["Väntetid, K1 2016–K4 2025", "1 000", "preliminärt"]);
        assert_eq!(
            labels[1],
            Label {
                text: "1 000".into(),
                x: 34.0,
                y: 81.4,
                size: 13.0,
                bold: false,
                anchor: Anchor::End,
                fill: Some([0x4d, 0x4d, 0x4d]),
                stroke: None,
                stroke_first: false,
            }
        );
        assert!(labels[0].bold && labels[0].fill == Some([0x1a, 0x1a, 0x1a]));
        let halo = labels[2].stroke.unwrap();
        assert_eq!(
            (halo.rgb, halo.width, halo.join),
            ([255; 3], 4.0, usvg::LineJoin::Round)
        );
        assert!(labels[2].stroke_first);
        // Each in its place, the others untouched.
        for (n, label) in labels.iter().enumerate() {
            assert!(!rest.contains(&label.text));
            assert!(rest.contains(&format!(r#"id="{LABEL_ID}{n}""#)));
        }
        for left in [
            "rotate(-90)",
            "<tspan",
            "Halvgenomskinlig",
            "I en grupp",
            "  mellanrum",
            "عربي",
            "kommentar",
        ] {
            assert!(rest.contains(left), "{left} is left to usvg");
        }
        assert!(rest.find("ytick").unwrap() < rest.find(&format!("{LABEL_ID}1")).unwrap());
    }

    #[test]
    fn an_svg_without_plain_labels_is_left_whole() {
        assert_eq!(
            take_labels("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            None
        );
        assert_eq!(take_labels("not xml"), None);
        // A style sheet or a `use` could change or repeat a label.
        let label = r#"<text x="1" y="2" font-size="13" font-family="DejaVu Sans">Etikett</text>"#;
        for extra in [
            "<style>text { font-size: 30px }</style>",
            r##"<use href="#l"/>"##,
        ] {
            let svg = format!(r#"<svg xmlns="http://www.w3.org/2000/svg">{extra}{label}</svg>"#);
            assert_eq!(take_labels(&svg), None, "{extra}");
        }
        let plain = format!(r#"<svg xmlns="http://www.w3.org/2000/svg">{label}</svg>"#);
        assert!(take_labels(&plain).is_some());
    }

    #[test]
    fn colours_are_read_in_both_hex_forms() {
        assert_eq!(hex("#0072B2"), Some([0x00, 0x72, 0xb2]));
        assert_eq!(hex("#fff"), Some([255, 255, 255]));
        assert_eq!(hex("white"), None);
        assert_eq!(hex("#12345"), None);
    }

    /// A label laid out here is usvg's layout of the same text, glyph for
    /// glyph: the same glyphs, each within a thousandth of a unit.
    #[test]
    fn labels_are_laid_out_as_usvg_lays_them_out() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" font-family="DejaVu Sans" fill="#1a1a1a">
<text x="16" y="40" font-size="20" font-weight="bold">AVAV Tå, K1 2016–K4 2025 (fi, ffl)</text>
<text x="300.3" y="80" font-size="13" text-anchor="middle">Väntetid till första besök</text>
<text x="390" y="120" font-size="14" text-anchor="end">1 234,5 % − 7 ‰</text>
<text x="20" y="160" font-size="12.5">Ωμέγα и кириллица, ẞ ő</text>
</svg>"##;
        let tree = usvg::Tree::from_str(svg, super::super::options()).unwrap();
        let (_, labels) = take_labels(svg).unwrap();
        let mut by_usvg = Vec::new();
        fn collect(group: &usvg::Group, out: &mut Vec<Vec<(u32, Transform)>>) {
            for node in group.children() {
                match node {
                    usvg::Node::Group(g) => collect(g, out),
                    usvg::Node::Text(text) => out.push(
                        text.layouted()
                            .iter()
                            .flat_map(|span| &span.positioned_glyphs)
                            .map(|g| (g.id.0, g.outline_transform()))
                            .collect(),
                    ),
                    _ => {}
                }
            }
        }
        collect(tree.root(), &mut by_usvg);
        assert_eq!(by_usvg.len(), labels.len());
        for (label, usvg_glyphs) in labels.iter().zip(&by_usvg) {
            let ours = lay_out(label).unwrap();
            assert_eq!(ours.len(), usvg_glyphs.len(), "{}", label.text);
            for (mine, (id, theirs)) in ours.iter().zip(usvg_glyphs) {
                assert_eq!(mine.id, *id, "{}", label.text);
                let m = mine.outline;
                for (a, b) in [
                    (m.sx, theirs.sx),
                    (m.sy, theirs.sy),
                    (m.kx, theirs.kx),
                    (m.ky, theirs.ky),
                    (m.tx, theirs.tx),
                    (m.ty, theirs.ty),
                ] {
                    assert!(
                        (a - b).abs() < 1e-3,
                        "{}: {m:?} against {theirs:?}",
                        label.text
                    );
                }
            }
        }
    }
}
