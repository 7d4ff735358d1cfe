//! A chart resolved against the data: what is drawn, and every text and
//! download derived from it (the resolving is in `resolve/`, the table and
//! CSV in `table.rs`, the drawing in `svg/`).

use crate::chart::chart_type::ChartType;
use crate::chart::notes::Note;
use crate::data::privacy::{Shown, shown};
use crate::data::{MeasureUnit, Period, Status, Value};
use crate::format;
use crate::text::Lang;

/// One value as it may be published (H9) and drawn (H3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell {
    /// A number that may be shown, with its status.
    Num(f64, Status),
    /// A small count (`derived = false`), or a value computed from one.
    Suppressed { below: u32, derived: bool },
    /// A status symbol without a number.
    Symbol(Status),
    /// The period was not reported at all.
    Missing,
    /// A ratio or index that cannot be computed (zero or missing denominator).
    Uncomputable,
}

impl Cell {
    pub(crate) fn number(self) -> Option<f64> {
        match self {
            Cell::Num(n, _) => Some(n),
            _ => None,
        }
    }
    pub(crate) fn is_provisional(self) -> bool {
        matches!(self, Cell::Num(_, Status::Provisional))
    }
    /// Withheld for privacy (H9): a small count, a value hidden by
    /// disclosure control, or one suppressed at the source.
    pub(crate) fn is_withheld(self) -> bool {
        matches!(
            self,
            Cell::Suppressed { .. } | Cell::Symbol(Status::Withheld(_) | Status::Suppressed)
        )
    }

    pub(crate) fn from_value(v: Option<&Value>, unit: MeasureUnit, below: u32) -> Cell {
        match v {
            None => Cell::Missing,
            Some(v) => match shown(v, unit, below) {
                Shown::Number(n, s) => Cell::Num(n, s),
                Shown::Suppressed { below } => Cell::Suppressed {
                    below,
                    derived: false,
                },
                Shown::Symbol(s) => Cell::Symbol(s),
            },
        }
    }

    /// `num / den * scale`, suppressed when either side is (H9).
    pub(crate) fn ratio(num: Cell, den: Cell, scale: f64) -> Cell {
        match (num, den) {
            (Cell::Suppressed { below, .. }, _) | (_, Cell::Suppressed { below, .. }) => {
                Cell::Suppressed {
                    below,
                    derived: true,
                }
            }
            (Cell::Num(a, s1), Cell::Num(b, s2)) => {
                if b == 0.0 {
                    Cell::Uncomputable
                } else {
                    Cell::Num(a / b * scale, combine(s1, s2))
                }
            }
            (Cell::Missing, _) | (_, Cell::Missing) => Cell::Missing,
            (Cell::Symbol(s), _) | (_, Cell::Symbol(s)) => Cell::Symbol(s),
            _ => Cell::Uncomputable,
        }
    }

    /// How the cell reads in a table or a label.
    pub(crate) fn display(self, unit: MeasureUnit, lang: Lang) -> String {
        match self {
            Cell::Num(n, Status::Final) => format::value(n, unit, lang),
            Cell::Num(n, s) => format!("{} {}", format::value(n, unit, lang), s.symbol()),
            Cell::Suppressed {
                below,
                derived: false,
            } => format!("<{below}"),
            Cell::Suppressed { derived: true, .. } => "x".to_string(),
            Cell::Symbol(s) => s.symbol().to_string(),
            Cell::Missing => "..".to_string(),
            Cell::Uncomputable => "–".to_string(),
        }
    }

    /// `(value, status)` for the CSV download: never a suppressed number.
    pub(crate) fn csv(self) -> (Option<f64>, String) {
        match self {
            Cell::Num(n, s) => (Some(n), s.symbol().to_string()),
            Cell::Suppressed {
                below,
                derived: false,
            } => (None, format!("<{below}")),
            Cell::Suppressed { derived: true, .. } => (None, "x".to_string()),
            Cell::Symbol(s) => (None, s.symbol().to_string()),
            Cell::Missing => (None, "..".to_string()),
            Cell::Uncomputable => (None, ".".to_string()),
        }
    }
}

fn combine(a: Status, b: Status) -> Status {
    let rank = |s: Status| match s {
        Status::Provisional => 4,
        Status::Estimated => 3,
        Status::LowReliability => 2,
        Status::Revised => 1,
        _ => 0,
    };
    if rank(a) >= rank(b) { a } else { b }
}

/// One series of values over the chart's periods.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// The measure id (for index and workload lines: the id of what they derive from).
    pub measure: String,
    /// The id written in the CSV `measure` column.
    pub csv_measure: String,
    pub unit: String,
    pub label: String,
    /// The column header in the table.
    pub header: String,
    /// How values are formatted.
    pub format_unit: MeasureUnit,
    /// The measure unit that decides the axis (small multiples, H2).
    pub axis_unit: MeasureUnit,
    pub cells: Vec<Cell>,
    pub plotted: bool,
    /// Periods where a series break starts: the line is not joined into them.
    pub breaks: Vec<Period>,
}

/// A series break shown in the chart.
#[derive(Debug, Clone)]
pub(crate) struct BreakMark {
    pub period: Period,
    pub marker: String,
    /// What the break is, as the chart's limitations say it (the note
    /// column of the Excel-ready CSV).
    pub note: String,
}

/// One plot area with its own zero-based axis.
#[derive(Debug, Clone)]
pub(crate) struct Panel {
    /// Says the unit of the axis (H5), e.g. "Index, K1 2019 = 100".
    pub axis_label: String,
    pub lines: Vec<usize>,
    /// A reference line (index base 100, full capacity 100 %) and its label.
    pub reference: Option<(f64, String)>,
    pub bars: bool,
}

/// The rows of a compare chart: one per unit, sorted by name.
#[derive(Debug, Clone)]
pub(crate) struct CompareRow {
    pub unit: String,
    pub name: String,
    pub cell: Cell,
    pub highlighted: bool,
    /// A reference row that is in the table and the CSV but not drawn (see
    /// `compare_view::MAX_DRAWN_TOTALS`).
    pub table_only: bool,
}

/// An accessible data table (H6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub caption: String,
    pub headers: Vec<String>,
    /// Row header (period, or unit in a compare chart) and formatted cells.
    pub rows: Vec<(String, Vec<String>)>,
    pub notes: Vec<String>,
}

/// A chart resolved against the data: everything it draws and says.
#[derive(Debug, Clone)]
pub struct Chart {
    pub(crate) chart_type: ChartType,
    pub(crate) lang: Lang,
    pub(crate) slug: String,
    /// Where the chart's page and downloads live, relative to the site root:
    /// `charts/<slug>/`, or under `editions/<edition>/` for a frozen copy.
    pub(crate) home: String,
    pub(crate) permalink: String,
    /// The address of the same chart following the latest data over the
    /// whole series (no window, no pinned end): the chart a reader of this
    /// one can always go on to. Equal to `slug` for a chart that follows.
    pub(crate) latest_slug: String,
    pub(crate) title: String,
    /// What the chart shows and over which periods.
    pub(crate) subtitle: String,
    pub(crate) periods: Vec<Period>,
    pub(crate) lines: Vec<Line>,
    pub(crate) panels: Vec<Panel>,
    pub(crate) compare: Vec<CompareRow>,
    /// Reference figures of a compare chart (the national figure, a group of
    /// peers, a total of the units shown that is not a sum), drawn as
    /// labelled lines across the units, never ranked among them.
    pub(crate) compare_refs: Vec<CompareRow>,
    pub(crate) compare_unit: MeasureUnit,
    pub(crate) breaks: Vec<BreakMark>,
    pub(crate) limitations: Vec<String>,
    /// The same caveats as a page states them: once per page under a
    /// stable id, merged with the page's other charts and figures (H8).
    pub(crate) notes: Vec<Note>,
    pub(crate) source_line: String,
    pub(crate) description: String,
    pub(crate) full: Option<Box<Chart>>,
    /// H7 warnings for `insyn check`: a trend the window reverses, a window
    /// that hides a break or stops short of the data.
    pub(crate) warnings: Vec<String>,
    /// The file and line of the chart block, for warnings; `None` for the
    /// charts the site generates.
    pub(crate) origin: Option<(std::path::PathBuf, usize)>,
    /// For a chart pinned to an end period: the chart at `latest_slug`, to
    /// publish beside it so that address always answers.
    pub(crate) latest: Option<Box<Chart>>,
    pub(crate) measures: Vec<String>,
    pub(crate) units: Vec<String>,
    /// The SVG, drawn once on first use: a page embeds it, the chart page
    /// measures it, the downloads write it. Filled only after resolving, so
    /// it always matches the fields above.
    pub(crate) svg_cache: std::sync::OnceLock<String>,
    /// The phone layout, drawn on first use like `svg_cache`.
    pub(crate) svg_narrow_cache: std::sync::OnceLock<String>,
    /// The wide and the phone drawing's size, once known: kept when the
    /// drawings are forgotten (a page and the chart's own page both ask).
    pub(crate) sizes: [std::sync::OnceLock<(u32, u32)>; 2],
    /// Where drawings are kept between builds (see [`super::drawings`]):
    /// the build's cache, or none (`check`, tests), to draw every time.
    pub(crate) drawings: Option<std::sync::Arc<crate::cache::BuildCache>>,
    /// The hash of everything above that is drawn (see
    /// [`super::drawings::fingerprint`]), made on first use.
    pub(crate) fingerprint: std::sync::OnceLock<blake3::Hash>,
    /// The data table, made on first use: the page that shows the chart
    /// and the chart's own page both show it.
    pub(crate) table: std::sync::OnceLock<Table>,
}

impl Chart {
    /// A stable address made of what is shown, `[a-z0-9_-]` only. It
    /// names the periods only where the chart is pinned to them (`from`,
    /// `to`, a report's period): a chart that follows the latest data keeps
    /// its address when a quarter is added.
    pub fn slug(&self) -> &str {
        &self.slug
    }
    /// `charts/<slug>/`, relative to the site root (or the frozen copy's
    /// place under `editions/`).
    pub fn path(&self) -> String {
        self.home.clone()
    }
    /// The slug of the same chart following the latest data over the whole
    /// series: where a pinned or frozen chart's reader finds today's figures.
    pub fn latest_slug(&self) -> &str {
        &self.latest_slug
    }
    /// Whether the chart follows the latest data (its address names no end).
    pub fn follows_latest(&self) -> bool {
        self.slug == self.latest_slug
    }
    /// For a pinned chart: the same chart following the latest data, which
    /// the site publishes at [`Chart::latest_slug`].
    pub fn latest_chart(&self) -> Option<&Chart> {
        self.latest.as_deref()
    }
    /// The same chart as a frozen copy of an edition: its page and downloads
    /// live under `editions/<edition>/charts/<slug>/`, and its images print
    /// that address, which never changes.
    pub fn frozen_in(&self, edition_dir: &str, base_url: &str) -> Chart {
        let home = format!("{edition_dir}charts/{}/", self.slug);
        let mut copy = self.clone();
        copy.permalink = format!("{base_url}{home}");
        copy.home = home;
        copy.full = None;
        copy.svg_cache = std::sync::OnceLock::new();
        copy.svg_narrow_cache = std::sync::OnceLock::new();
        copy.sizes = Default::default();
        copy.fingerprint = std::sync::OnceLock::new();
        copy.table = std::sync::OnceLock::new();
        copy
    }
    /// The permanent address of the chart's page.
    pub fn permalink(&self) -> String {
        self.permalink.clone()
    }
    pub fn title(&self) -> &str {
        &self.title
    }
    /// The kind of chart.
    pub fn chart_type(&self) -> ChartType {
        self.chart_type
    }
    /// The plain-language description with the numbers (H6).
    pub fn description(&self) -> &str {
        &self.description
    }
    /// Every caveat that applies to what is drawn.
    pub fn limitations(&self) -> &[String] {
        &self.limitations
    }
    /// The caveats a page that shows the chart states, each under a stable
    /// id (the measures' own limitations are the page's to list).
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }
    /// When `from` starts later than the data (H7): the same chart over the
    /// full series, to publish and link.
    pub fn full_series(&self) -> Option<&Chart> {
        self.full.as_deref()
    }
    /// H7: what `insyn check` warns about: a drawn series whose trend over
    /// the window and over the full series point in opposite directions, a
    /// window that starts at or after a series break, a window cut short of
    /// the data by the author.
    pub fn honesty_warnings(&self) -> &[String] {
        &self.warnings
    }
    /// The file and line of the chart block the chart was drawn from.
    pub fn origin(&self) -> Option<(&std::path::Path, usize)> {
        self.origin.as_ref().map(|(f, l)| (f.as_path(), *l))
    }
    /// Records where the chart block is (for located warnings).
    pub fn set_origin(&mut self, file: &std::path::Path, line: usize) {
        self.origin = Some((file.to_path_buf(), line));
    }
    /// The measure ids drawn or derived from.
    pub fn measures(&self) -> &[String] {
        &self.measures
    }
    /// The unit ids shown.
    pub fn units(&self) -> &[String] {
        &self.units
    }
    /// The periods on the x axis (for compare charts: the one period).
    pub fn periods(&self) -> &[Period] {
        &self.periods
    }
}
