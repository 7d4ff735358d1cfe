//! Charts: chart specs, the honesty rules (§5), drawing, descriptions,
//! tables, CSV and PNG.
//!
//! A chart block is parsed into a typed [`ChartSpec`] ([`ChartSpec::parse`];
//! the site builds the specs of its generated pages directly), checked
//! against the data ([`ChartSpec::validate`]) and resolved into a [`Chart`]
//! ([`resolve`]): everything that is drawn, described, tabled and
//! downloaded comes from that one resolved value, so the SVG, the CSV, the
//! table and the description can never disagree. Each chart type (its
//! keys and what it draws) is a file under `kinds/`.
//!
//! The SVG is written directly (no plotting library draws it), which keeps
//! every honesty rule (gaps, breaks, provisional markers, footer caveats,
//! accessibility attributes) under this module's control; text is measured
//! with the embedded DejaVu Sans through plotters' `ab_glyph` font registry.

mod chart_type;
mod compare_view;
mod describe;
mod drawings;
mod kinds;
mod model;
pub mod notes;
mod png;
mod resolve;
mod spec;
mod svg;
mod table;

use std::collections::BTreeSet;

pub use model::{Chart, Table};
pub use notes::Note;
pub use png::{
    PNG_SCALE, RENDERER_VERSION, cached_png, cached_png_at, png_step_times, rasterize_png,
    rasterize_png_at,
};
pub use resolve::resolve;
pub use spec::{
    Bars, ChartKind, ChartSpec, ChartType, Compare, Growth, PerFte, PerFteOf, Series, SpecProblem,
    Workload,
};
pub use svg::SlideFormat;
#[cfg(test)]
pub(crate) use svg::tests::chart as test_chart;
/// Text width in the embedded DejaVu Sans, as the charts are laid out with.
pub use svg::{seg_crosses, svg_size, text_width};

use crate::config::SiteConfig;
use crate::data::Period;
use crate::text::Lang;

/// What a chart needs to know about the site it is drawn for.
#[derive(Debug, Clone, Copy)]
pub struct ChartContext<'a> {
    pub config: &'a SiteConfig,
    pub lang: Lang,
    /// Units allowed on their own (H9: units under `min_unit_fte` are not);
    /// compare charts skip the others.
    pub published_units: &'a BTreeSet<String>,
    /// The latest period of the site's data: where a chart that follows the
    /// latest data ends (a series that stopped earlier ends in a gap).
    pub latest: Option<Period>,
}

/// The embedded regular font, used to measure text and to rasterise.
pub(crate) const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// The embedded bold font.
pub(crate) const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
