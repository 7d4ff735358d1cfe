//! Writing the SVG document: coordinates rounded to tenths, compact path
//! data, fonts written once per group of texts, and the element writer.

use std::fmt::{self, Write as _};

use super::{INK, esc};

/// A coordinate in tenths of a user unit. Every number in the drawing is
/// written through it, and relative path commands are differences of
/// rounded points, so they land exactly where absolute ones would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Coord(pub(super) i64);

/// Rounds `v` to tenths the way `{:.1}` does.
pub(super) fn coord(v: f64) -> Coord {
    let t = v * 10.0;
    let r = t.round();
    if 0.5 - (t - r).abs() > 1e-6 {
        return Coord(r as i64);
    }
    // Near a tie, `{:.1}` rounds the exact value half to even: ask it.
    let s = format!("{v:.1}");
    let tenths: i64 = s
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    Coord(if s.starts_with('-') { -tenths } else { tenths })
}

/// One decimal, none when it is whole: `16`, `16.5`, `-0.4`.
impl fmt::Display for Coord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        if a.is_multiple_of(10) {
            write!(f, "{sign}{}", a / 10)
        } else {
            write!(f, "{sign}{}.{}", a / 10, a % 10)
        }
    }
}

/// Path data: an absolute start, then relative commands with the fewest
/// separators.
#[derive(Default)]
pub(super) struct PathData {
    pub(super) d: String,
    pub(super) at: (i64, i64),
    pub(super) start: (i64, i64),
    pub(super) last: char,
}

impl PathData {
    pub(super) fn num(&mut self, tenths: i64) {
        if tenths >= 0 && self.d.ends_with(|c: char| c.is_ascii_digit()) {
            self.d.push(' ');
        }
        let _ = write!(self.d, "{}", Coord(tenths));
    }

    pub(super) fn cmd(&mut self, c: char) {
        self.d.push(c);
        self.last = c;
    }

    /// Starts a subpath at `(x, y)`.
    pub(super) fn move_to(&mut self, x: f64, y: f64) {
        let p = (coord(x).0, coord(y).0);
        if self.d.is_empty() {
            self.cmd('M');
            self.num(p.0);
            self.num(p.1);
        } else {
            self.cmd('m');
            self.num(p.0 - self.at.0);
            self.num(p.1 - self.at.1);
        }
        self.at = p;
        self.start = p;
    }

    pub(super) fn line_to(&mut self, x: f64, y: f64) {
        let (dx, dy) = (coord(x).0 - self.at.0, coord(y).0 - self.at.1);
        self.step(dx, dy);
    }

    /// A line by `(dx, dy)`, each rounded on its own: the sides of a
    /// rectangle keep the width a `<rect>` would have.
    pub(super) fn line_by(&mut self, dx: f64, dy: f64) {
        self.step(coord(dx).0, coord(dy).0);
    }

    pub(super) fn step(&mut self, dx: i64, dy: i64) {
        // A command repeats without its letter; after `m`, pairs are `l`.
        if dy == 0 && dx != 0 {
            if self.last != 'h' {
                self.cmd('h');
            }
            self.num(dx);
        } else if dx == 0 && dy != 0 {
            if self.last != 'v' {
                self.cmd('v');
            }
            self.num(dy);
        } else {
            if !matches!(self.last, 'l' | 'm') {
                self.cmd('l');
            }
            self.last = 'l';
            self.num(dx);
            self.num(dy);
        }
        self.at = (self.at.0 + dx, self.at.1 + dy);
    }

    pub(super) fn close(&mut self) {
        self.cmd('z');
        self.at = self.start;
    }

    pub(super) fn is_empty(&self) -> bool {
        self.d.is_empty()
    }
}

/// The presentation attributes of a text, written once on a text or on
/// the group of texts that share them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Font<'a> {
    pub(super) size: f64,
    pub(super) fill: &'a str,
    pub(super) anchor: &'a str,
    pub(super) bold: bool,
    /// A white halo keeps a label readable where it crosses lines.
    pub(super) halo: bool,
}

pub(super) fn font(size: f64, fill: &str) -> Font<'_> {
    Font {
        size,
        fill,
        anchor: "start",
        bold: false,
        halo: false,
    }
}

impl<'a> Font<'a> {
    pub(super) fn anchor(self, anchor: &'a str) -> Self {
        Font { anchor, ..self }
    }
    pub(super) fn bold(self, bold: bool) -> Self {
        Font { bold, ..self }
    }
    pub(super) fn halo(self) -> Self {
        Font { halo: true, ..self }
    }
    pub(super) fn attrs(&self) -> String {
        let mut s = format!(" font-size=\"{}\"", self.size);
        if self.fill != INK {
            let _ = write!(s, " fill=\"{}\"", self.fill);
        }
        if self.anchor != "start" {
            let _ = write!(s, " text-anchor=\"{}\"", self.anchor);
        }
        if self.bold {
            s.push_str(" font-weight=\"bold\"");
        }
        if self.halo {
            s.push_str(
                " stroke=\"#ffffff\" stroke-width=\"4\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
            );
        }
        s
    }
}

/// One text of a run drawn with the same font.
pub(super) struct Label<'a> {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) text: String,
    pub(super) class: Option<&'a str>,
}

pub(super) fn label<'a>(
    x: f64,
    y: f64,
    text: impl Into<String>,
    class: Option<&'a str>,
) -> Label<'a> {
    Label {
        x,
        y,
        text: text.into(),
        class,
    }
}

pub(super) struct Svg {
    pub(super) out: String,
}

impl Svg {
    pub(super) fn text(&mut self, x: f64, y: f64, s: &str, font: Font, class: Option<&str>) {
        self.text_with(x, y, s, &font.attrs(), class);
    }

    pub(super) fn text_with(&mut self, x: f64, y: f64, s: &str, attrs: &str, class: Option<&str>) {
        let _ = write!(
            self.out,
            "<text x=\"{}\" y=\"{}\"{attrs}",
            coord(x),
            coord(y)
        );
        if let Some(c) = class {
            let _ = write!(self.out, " class=\"{c}\"");
        }
        let _ = writeln!(self.out, ">{}</text>", esc(s));
    }

    /// Texts that share `attrs` (and their class, when all have the same):
    /// a group carries what they share, each text only its position.
    pub(super) fn texts(&mut self, attrs: &str, labels: &[Label]) {
        match labels {
            [] => {}
            [l] => self.text_with(l.x, l.y, &l.text, attrs, l.class),
            [first, ..] => {
                let shared = first
                    .class
                    .filter(|c| labels.iter().all(|l| l.class == Some(*c)));
                let _ = write!(self.out, "<g{attrs}");
                if let Some(c) = shared {
                    let _ = write!(self.out, " class=\"{c}\"");
                }
                self.out.push_str(">\n");
                for l in labels {
                    let class = if shared.is_some() { None } else { l.class };
                    self.text_with(l.x, l.y, &l.text, "", class);
                }
                self.out.push_str("</g>\n");
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn line(
        &mut self,
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        stroke: &str,
        width: f64,
        dash: Option<&str>,
        class: Option<&str>,
    ) {
        let _ = write!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\"",
            coord(x1),
            coord(y1),
            coord(x2),
            coord(y2)
        );
        if width != 1.0 {
            let _ = write!(self.out, " stroke-width=\"{width}\"");
        }
        if let Some(d) = dash {
            let _ = write!(self.out, " stroke-dasharray=\"{d}\"");
        }
        if let Some(c) = class {
            let _ = write!(self.out, " class=\"{c}\"");
        }
        self.out.push_str("/>\n");
    }

    /// Hairlines of one kind (ticks, grid lines, row guides) as one path.
    pub(super) fn rules(&mut self, d: &PathData, stroke: &str, class: Option<&str>) {
        if d.is_empty() {
            return;
        }
        let _ = write!(
            self.out,
            "<path d=\"{}\" fill=\"none\" stroke=\"{stroke}\"",
            d.d
        );
        if let Some(c) = class {
            let _ = write!(self.out, " class=\"{c}\"");
        }
        self.out.push_str("/>\n");
    }

    /// Markers of one series: the group carries the colour. Filled squares,
    /// triangles and diamonds that lie apart share one path; a marker that
    /// would touch one already in the path starts a new one, so overlapping
    /// markers are still painted one over the other, edges included. A
    /// provisional (hollow) marker is an element of its own with only what
    /// differs, drawn in turn.
    pub(super) fn markers(
        &mut self,
        shape: usize,
        colour: &str,
        scale: f64,
        points: &[(f64, f64, bool)],
    ) {
        if points.is_empty() {
            return;
        }
        let _ = writeln!(
            self.out,
            "<g fill=\"{colour}\" stroke=\"{colour}\" class=\"markers\">"
        );
        let r = 3.6 * scale;
        let shape = shape % 4;
        // Half the extent of a marker, with its stroke and a pixel of
        // antialiasing at 1×.
        let reach = match shape {
            1 => 0.9,
            2 => 1.2,
            _ => 1.3,
        } * r
            + 1.5;
        let mut filled = PathData::default();
        let mut in_path: Vec<(f64, f64)> = Vec::new();
        for &(x, y, hollow) in points {
            let style = if hollow {
                " fill=\"#ffffff\" stroke-width=\"1.8\""
            } else {
                ""
            };
            if shape == 0 {
                let _ = writeln!(
                    self.out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"{style}/>",
                    coord(x),
                    coord(y),
                    coord(r)
                );
                continue;
            }
            let touches = in_path
                .iter()
                .any(|(px, py)| (x - px).abs() < 2.0 * reach && (y - py).abs() < 2.0 * reach);
            if hollow || touches {
                // Drawn over the filled markers before it, as it always was.
                self.filled_markers(&mut filled);
                in_path.clear();
            }
            let mut own = PathData::default();
            let d = if hollow { &mut own } else { &mut filled };
            match shape {
                1 => {
                    d.move_to(x - r * 0.9, y - r * 0.9);
                    d.line_by(r * 1.8, 0.0);
                    d.line_by(0.0, r * 1.8);
                    d.line_by(-(r * 1.8), 0.0);
                }
                2 => {
                    d.move_to(x, y - r * 1.2);
                    d.line_to(x + r * 1.1, y + r * 0.8);
                    d.line_to(x - r * 1.1, y + r * 0.8);
                }
                _ => {
                    d.move_to(x, y - r * 1.3);
                    d.line_to(x + r * 1.3, y);
                    d.line_to(x, y + r * 1.3);
                    d.line_to(x - r * 1.3, y);
                }
            }
            d.close();
            if hollow {
                let _ = writeln!(self.out, "<path d=\"{}\"{style}/>", own.d);
            } else {
                in_path.push((x, y));
            }
        }
        self.filled_markers(&mut filled);
        self.out.push_str("</g>\n");
    }

    pub(super) fn filled_markers(&mut self, d: &mut PathData) {
        if !d.is_empty() {
            let _ = writeln!(self.out, "<path d=\"{}\"/>", std::mem::take(d).d);
        }
    }
}
