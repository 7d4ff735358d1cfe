//! Placing labels where they cover no other text and no data line.

use super::text_width;

/// A text's box: left, top, right, bottom.
pub(super) type Rect = (f64, f64, f64, f64);
/// A drawn line segment.
pub(super) type Seg = ((f64, f64), (f64, f64));

/// What is already drawn in a plot: texts and data lines. Labels that may
/// move (breaks, provisional, the reference) take the first free place, so
/// no text covers another or sits on a data line.
#[derive(Default)]
pub(super) struct Taken {
    pub(super) boxes: Vec<Rect>,
    pub(super) segs: Vec<Seg>,
    /// Drawn areas a label must not cover either: the bars of a bar chart.
    pub(super) solids: Vec<Rect>,
}

/// The box of a text drawn at `(x, y)` with `anchor`.
pub(super) fn text_box(x: f64, y: f64, text: &str, size: f64, bold: bool, anchor: &str) -> Rect {
    let w = text_width(text, size, bold);
    let x0 = match anchor {
        "middle" => x - w / 2.0,
        "end" => x - w,
        _ => x,
    };
    (x0, y - 0.76 * size, x0 + w, y + 0.24 * size)
}

/// Whether a segment passes through a box `(x0, y0, x1, y1)` (Liang–Barsky
/// clipping). Public for the layout test, which checks drawn charts with the
/// same geometry.
pub fn seg_crosses(((x1, y1), (x2, y2)): Seg, (bx0, by0, bx1, by1): Rect) -> bool {
    let (dx, dy) = (x2 - x1, y2 - y1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, x1 - bx0),
        (dx, bx1 - x1),
        (-dy, y1 - by0),
        (dy, by1 - y1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else if p < 0.0 {
            t0 = t0.max(q / p);
        } else {
            t1 = t1.min(q / p);
        }
    }
    t0 <= t1
}

impl Taken {
    /// Free of every text (with a margin) and every data line.
    pub(super) fn is_free(&self, b: Rect, within: Rect) -> bool {
        self.is_clear_of_texts(b, within)
            && !self.segs.iter().any(|s| seg_crosses(*s, b))
            && !self
                .solids
                .iter()
                .any(|o| b.0 < o.2 && o.0 < b.2 && b.1 < o.3 && o.1 < b.3)
    }

    /// Inside `within` and clear of every text (a label with a halo may
    /// cross a line where no place is free of both).
    pub(super) fn is_clear_of_texts(&self, b: Rect, within: Rect) -> bool {
        let m = 1.5;
        b.0 >= within.0
            && b.2 <= within.2
            && b.1 >= within.1
            && b.3 <= within.3
            && !self
                .boxes
                .iter()
                .any(|o| b.0 < o.2 + m && o.0 < b.2 + m && b.1 < o.3 + m && o.1 < b.3 + m)
    }

    /// The one rule every movable label of a plot follows: the first of
    /// `spots` (in order of preference: place and wording) that is free of
    /// every text and every data line; failing that, the first clear of
    /// texts (a label with a halo may cross a line where no place is free
    /// of both); failing that, `spots[fallback]`. The chosen place is taken.
    pub(super) fn place<'s>(
        &mut self,
        size: f64,
        bold: bool,
        spots: &[Spot<'s>],
        fallback: usize,
    ) -> Spot<'s> {
        let bx = |s: &Spot| text_box(s.x, s.y, &s.text, size, bold, s.anchor);
        let chosen = spots
            .iter()
            .find(|s| self.is_free(bx(s), s.within))
            .or_else(|| {
                spots
                    .iter()
                    .find(|s| self.is_clear_of_texts(bx(s), s.within))
            })
            .unwrap_or(&spots[fallback])
            .clone();
        self.boxes.push(bx(&chosen));
        chosen
    }
}

/// A place a label may take: where, anchored how, in which wording, and
/// the area it must stay inside.
#[derive(Debug, Clone)]
pub(super) struct Spot<'s> {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) anchor: &'static str,
    pub(super) text: std::borrow::Cow<'s, str>,
    pub(super) within: Rect,
}

impl<'s> Spot<'s> {
    pub(super) fn new(
        x: f64,
        y: f64,
        anchor: &'static str,
        text: &'s str,
        within: Rect,
    ) -> Spot<'s> {
        Spot {
            x,
            y,
            anchor,
            text: text.into(),
            within,
        }
    }
}
