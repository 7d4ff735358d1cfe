//! Text in a chart: measured with the embedded DejaVu Sans (the font the
//! charts are laid out with and rasterised in) and wrapped to a width.

use std::sync::Once;

use plotters::style::{FontDesc, FontFamily, FontStyle};

use crate::chart::{FONT_BOLD, FONT_REGULAR};

pub(super) static FONTS: Once = Once::new();

/// Registers the embedded DejaVu Sans with plotters' `ab_glyph` font
/// registry, so text is measured with real glyph widths.
pub(super) fn ensure_fonts() {
    FONTS.call_once(|| {
        // The bytes are the font shipped in the repository: registering cannot fail.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT_REGULAR);
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, FONT_BOLD);
    });
}

/// The width of `text` at `size` (CSS pixels per em) in DejaVu Sans.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    // The same labels (periods, unit names, footer lines) are measured again
    // and again across a site's charts: remember widths per thread.
    type Widths = std::collections::HashMap<(String, u64, bool), f64>;
    thread_local! {
        static WIDTHS: std::cell::RefCell<Widths> = Default::default();
    }
    let key = (text.to_string(), size.to_bits(), bold);
    if let Some(w) = WIDTHS.with(|m| m.borrow().get(&key).copied()) {
        return w;
    }
    let w = measure_text(text, size, bold);
    WIDTHS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 100_000 {
            m.clear();
        }
        m.insert(key, w);
    });
    w
}

pub(super) fn measure_text(text: &str, size: f64, bold: bool) -> f64 {
    ensure_fonts();
    // ab_glyph scales by ascent − descent, which for DejaVu Sans is 1.1641 em.
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    let font = FontDesc::new(FontFamily::SansSerif, size * 1.1641, style);
    match font.box_size(text) {
        Ok((w, _)) => w as f64,
        Err(_) => text.chars().count() as f64 * size * 0.62,
    }
}

/// Greedy word wrap to `max` width.
pub(crate) fn wrap(text: &str, size: f64, bold: bool, max: f64) -> Vec<String> {
    let space = text_width(" ", size, bold);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut width = 0.0;
    let words = text
        .split(' ')
        .filter(|w| !w.is_empty())
        .flat_map(|w| split_long(w, size, bold, max));
    for word in words {
        let word = word.as_str();
        let w = text_width(word, size, bold);
        if !line.is_empty() && width + space + w > max {
            lines.push(std::mem::take(&mut line));
            width = 0.0;
        }
        if !line.is_empty() {
            line.push(' ');
            width += space;
        }
        line.push_str(word);
        width += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Splits a word wider than `max` (an address) after `/`, `-` or `_`.
pub(super) fn split_long(word: &str, size: f64, bold: bool, max: f64) -> Vec<String> {
    if text_width(word, size, bold) <= max {
        return vec![word.to_string()];
    }
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut piece = String::new();
    for c in word.chars() {
        piece.push(c);
        if matches!(c, '/' | '-' | '_') {
            if !current.is_empty() && text_width(&format!("{current}{piece}"), size, bold) > max {
                parts.push(std::mem::take(&mut current));
            }
            current.push_str(&piece);
            piece.clear();
        }
    }
    if !current.is_empty() && text_width(&format!("{current}{piece}"), size, bold) > max {
        parts.push(std::mem::take(&mut current));
    }
    current.push_str(&piece);
    parts.push(current);
    // Each piece together with the next is wider than `max`, so `wrap` never
    // puts two pieces on one line (and never adds a space inside the word).
    parts
}

/// The SVG's escaper is the XML one.
pub(crate) use crate::escape::xml as esc;
