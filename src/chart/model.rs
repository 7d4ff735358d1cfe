//! A chart resolved against the data: what is drawn, and every text and
//! download derived from it.

use std::collections::{BTreeMap, BTreeSet};

use crate::chart::ChartContext;
use crate::chart::notes::{
    Note, break_note, missing_note, provisional_note, status_note, suppressed_note,
    uncomputable_note,
};
use crate::chart::spec::{ChartSpec, ChartType};
use crate::csv_writer::{CsvWriter, Dialect};
use crate::data::privacy::{Shown, shown};
use crate::data::{Dataset, MeasureUnit, Period, SeriesKey, Status, Value};
use crate::format;
use crate::format::{join_and, lc_first, span_short, uc_first};
use crate::i18n::{Trend, axis_unit as axis_unit_name, status_meaning};
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

    fn from_value(v: Option<&Value>, unit: MeasureUnit, below: u32) -> Cell {
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
    fn ratio(num: Cell, den: Cell, scale: f64) -> Cell {
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
    fn csv(self) -> (Option<f64>, String) {
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
    /// Where drawings are kept between builds (see [`super::drawings`]):
    /// the build's cache, or none (`check`, tests), to draw every time.
    pub(crate) drawings: Option<std::sync::Arc<crate::cache::BuildCache>>,
    /// The hash of everything above that is drawn (see
    /// [`super::drawings::fingerprint`]), made on first use.
    pub(crate) fingerprint: std::sync::OnceLock<blake3::Hash>,
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
        copy.fingerprint = std::sync::OnceLock::new();
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
    /// The full SVG document, caveats included (H5).
    pub fn svg(&self) -> String {
        self.svg_str().to_string()
    }
    /// The SVG document without copying it: drawn on first use, then kept.
    pub fn svg_str(&self) -> &str {
        self.svg_cache
            .get_or_init(|| self.kept_drawing("wide", crate::chart::svg::WIDTH))
    }
    /// The same chart laid out for a phone screen: same content and caveats,
    /// narrower, so text stays readable instead of shrinking.
    pub fn svg_narrow(&self) -> &str {
        self.svg_narrow_cache
            .get_or_init(|| self.kept_drawing("narrow", crate::chart::svg::NARROW_WIDTH))
    }
    /// The drawing `layout` at `width` as an earlier build kept it, or drawn
    /// now (and kept). Without a cache, or where the cache cannot be read,
    /// it is simply drawn: keeping drawings only saves time.
    fn kept_drawing(&self, layout: &str, width: f64) -> String {
        let draw = || crate::chart::svg::render(self, width);
        let Some(cache) = &self.drawings else {
            return draw();
        };
        let mut drawn = None;
        let kept = self.kept_file(cache, "svg", layout, "svg", || {
            let svg = draw();
            drawn = Some(svg.clone());
            Ok(svg.into_bytes())
        });
        if let Some(svg) = drawn {
            return svg;
        }
        match kept {
            Ok(crate::output::FileBody::OnDisk { path, .. }) => std::fs::read_to_string(path).ok(),
            _ => None,
        }
        .unwrap_or_else(draw)
    }
    /// A file made from this chart alone, kept in `cache` (in its folder
    /// `kind`) under the chart's fingerprint and `what`: `make` runs only
    /// when no earlier build kept it. `what` must name everything else the
    /// file depends on (a layout, a renderer version).
    pub fn kept_file(
        &self,
        cache: &crate::cache::BuildCache,
        kind: &'static str,
        what: &str,
        extension: &str,
        make: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Result<crate::output::FileBody, String> {
        let key = super::drawings::fingerprint(self, what);
        cache.entry(kind, &key, extension, make)
    }
    /// The wide and the phone SVG as files of the build cache, drawn only
    /// when no earlier build kept them.
    pub fn svg_files(
        &self,
        cache: &crate::cache::BuildCache,
    ) -> Result<[crate::output::FileBody; 2], String> {
        let wide = self.kept_file(cache, "svg", "wide", "svg", || {
            Ok(self.svg_str().as_bytes().to_vec())
        })?;
        let narrow = self.kept_file(cache, "svg", "narrow", "svg", || {
            Ok(self.svg_narrow().as_bytes().to_vec())
        })?;
        Ok([wide, narrow])
    }
    /// Keeps this chart's drawings (and those of the charts it carries) in
    /// `cache` from build to build.
    pub fn keep_drawings_in(&mut self, cache: &std::sync::Arc<crate::cache::BuildCache>) {
        self.drawings = Some(cache.clone());
        for inner in [&mut self.full, &mut self.latest].into_iter().flatten() {
            inner.keep_drawings_in(cache);
        }
    }
    /// The PNG of the chart laid out for `format`, through the build cache:
    /// kept under the chart's fingerprint, so that a chart that did not
    /// change is not laid out again just to find its image.
    pub fn slide_png(
        &self,
        format: crate::chart::SlideFormat,
        cache: &crate::cache::BuildCache,
    ) -> Result<crate::output::FileBody, String> {
        let what = format!(
            "{} {}",
            format.file_name(),
            crate::chart::png::RENDERER_VERSION
        );
        self.kept_file(cache, "png", &what, "png", || {
            crate::chart::rasterize_png_at(&self.slide_svg(format), 1.0)
        })
    }
    /// The chart's PNG (the wide SVG at [`crate::chart::PNG_SCALE`]),
    /// through the build cache like [`Chart::slide_png`].
    pub fn png(&self, cache: &crate::cache::BuildCache) -> Result<crate::output::FileBody, String> {
        let what = format!("chart.png {}", crate::chart::png::RENDERER_VERSION);
        self.kept_file(cache, "png", &what, "png", || {
            crate::chart::rasterize_png(self.svg_str())
        })
    }
    /// Drops the drawn SVG documents; they are drawn again when next asked
    /// for. A site of thousands of units holds every chart between drawing
    /// the pages that embed them and writing the charts' own files, and
    /// the SVGs are most of a chart's weight.
    pub fn forget_svgs(&mut self) {
        self.svg_cache = std::sync::OnceLock::new();
        self.svg_narrow_cache = std::sync::OnceLock::new();
        if let Some(full) = &mut self.full {
            full.forget_svgs();
        }
    }
    /// Both SVG documents (wide, narrow), moved out of the chart rather
    /// than copied: the downloads write them as they are.
    pub fn into_svgs(self) -> (String, String) {
        let _ = (self.svg_str(), self.svg_narrow());
        (
            self.svg_cache.into_inner().unwrap_or_default(),
            self.svg_narrow_cache.into_inner().unwrap_or_default(),
        )
    }
    /// The chart laid out for a fixed-size image (a 16:9 slide, a square),
    /// with its caveats inside: an SVG document of the format's pixel
    /// size, to rasterise at 1× ([`crate::chart::rasterize_png_at`]).
    pub fn slide_svg(&self, format: crate::chart::SlideFormat) -> String {
        crate::chart::svg::render_slide(self, format)
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

    /// The accessible data table.
    pub fn table(&self) -> Table {
        let lang = self.lang;
        let mut used: BTreeSet<String> = BTreeSet::new();
        let mut note = |c: Cell| match c {
            Cell::Num(_, s) if s != Status::Final => {
                used.insert(format!("{} = {}", s.symbol(), status_meaning(s, lang)));
            }
            Cell::Suppressed {
                below,
                derived: false,
            } => {
                used.insert(format!(
                    "<{below} = {}",
                    lang.phrases().table_small_count(below)
                ));
            }
            Cell::Suppressed {
                below,
                derived: true,
            } => {
                used.insert(format!(
                    "x = {}",
                    lang.phrases().table_from_small_count(below)
                ));
            }
            Cell::Symbol(s) => {
                used.insert(format!("{} = {}", s.symbol(), status_meaning(s, lang)));
            }
            Cell::Missing => {
                used.insert(format!(".. = {}", lang.words().status_not_available));
            }
            Cell::Uncomputable => {
                used.insert(format!("– = {}", lang.words().status_uncomputable));
            }
            Cell::Num(..) => {}
        };
        let (headers, rows) = if self.chart_type == ChartType::Compare {
            let label = self
                .lines
                .first()
                .map(|l| l.header.clone())
                .unwrap_or_default();
            let rows = self
                .compare
                .iter()
                .chain(&self.compare_refs)
                .map(|r| {
                    note(r.cell);
                    (
                        r.name.clone(),
                        vec![r.cell.display(self.compare_unit, lang)],
                    )
                })
                .collect();
            (vec![lang.words().unit.to_string(), label], rows)
        } else {
            let quarterly = self.periods.first().is_none_or(|p| p.is_quarter());
            let mut headers = vec![
                if quarterly {
                    lang.words().quarter
                } else {
                    lang.words().year
                }
                .to_string(),
            ];
            headers.extend(self.lines.iter().map(|l| l.header.clone()));
            let rows = self
                .periods
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let cells = self
                        .lines
                        .iter()
                        .map(|l| {
                            note(l.cells[i]);
                            l.cells[i].display(l.format_unit, lang)
                        })
                        .collect();
                    (format::period_short(*p, lang), cells)
                })
                .collect();
            (headers, rows)
        };
        let mut notes: Vec<String> = used.into_iter().collect();
        notes.extend(self.limitations.iter().cloned());
        Table {
            caption: self.title.clone(),
            headers,
            rows,
            notes,
        }
    }

    /// Exactly what is drawn, as CSV: `period,unit,measure,value,status`.
    /// Suppressed counts carry `<5` as status and no value (H9).
    pub fn csv(&self) -> String {
        self.csv_in(Dialect::Tidy)
    }

    /// [`Chart::csv`] for spreadsheets in the chart's language (see
    /// [`crate::csv_writer`]): the same rows and values, headers in the
    /// language, and a last column with the note of a series break that
    /// starts in that row's period.
    pub fn csv_excel(&self) -> String {
        self.csv_in(Dialect::Excel(self.lang))
    }

    fn csv_in(&self, dialect: Dialect) -> String {
        let mut w = CsvWriter::new(dialect);
        let excel = dialect != Dialect::Tidy;
        if excel {
            w.row(&[
                "period",
                self.lang.words().csv_unit,
                self.lang.words().csv_measure,
                self.lang.words().csv_value,
                "status",
                self.lang.words().csv_note,
            ]);
        } else {
            w.row(&["period", "unit", "measure", "value", "status"]);
        }
        let mut row = |p: Period, unit: &str, measure: &str, c: Cell, note: &str| {
            let (v, s) = c.csv();
            w.text(&p.to_string())
                .text(unit)
                .text(measure)
                .number(v)
                .text(&s);
            if excel {
                w.text(note);
            }
            w.end_row();
        };
        if self.chart_type == ChartType::Compare {
            let p = self.periods[0];
            let measure = self
                .lines
                .first()
                .map(|l| l.csv_measure.as_str())
                .unwrap_or("");
            for r in self.compare.iter().chain(&self.compare_refs) {
                row(p, &r.unit, measure, r.cell, "");
            }
        } else {
            for (i, p) in self.periods.iter().enumerate() {
                let note = self
                    .breaks
                    .iter()
                    .find(|b| b.period == *p)
                    .map(|b| b.note.as_str())
                    .unwrap_or("");
                for l in &self.lines {
                    let note = if l.breaks.contains(p) { note } else { "" };
                    row(*p, &l.unit, &l.csv_measure, l.cells[i], note);
                }
            }
        }
        w.finish()
    }
}

/// Resolves a validated spec into a chart. `default_to` is the report's
/// period, which pins the chart's end (and address) to it; `None` follows
/// the latest data (`ctx.latest`, else the series' own end).
pub fn resolve(
    spec: &ChartSpec,
    data: &Dataset,
    ctx: &ChartContext,
    default_to: Option<Period>,
) -> Chart {
    let spec = &*spec.with_defaults(data);
    let mut chart = resolve_checked(spec, data, ctx, default_to);
    // §6: a pinned chart carries the chart that follows the latest data, so
    // the site publishes that address too and the pinned page can link it.
    if !chart.follows_latest() {
        let latest = match chart.full.as_deref() {
            Some(full) if full.slug == chart.latest_slug => full.clone(),
            _ => resolve_window(&following(spec), data, ctx, None),
        };
        chart.latest = Some(Box::new(latest));
    }
    chart
}

/// The chart over its window, with the H7 notes and warnings a window
/// shorter than the data calls for.
fn resolve_checked(
    spec: &ChartSpec,
    data: &Dataset,
    ctx: &ChartContext,
    default_to: Option<Period>,
) -> Chart {
    let mut chart = resolve_window(spec, data, ctx, default_to);
    if chart.chart_type == ChartType::Compare {
        return chart;
    }
    let (Some(first), Some(last)) = (data_first(spec, data), data_last(spec, data)) else {
        return chart;
    };
    let (Some(&from), Some(&to)) = (chart.periods.first(), chart.periods.last()) else {
        return chart;
    };
    let lang = ctx.lang;
    let same_kind = from.is_quarter() == first.is_quarter();
    let starts_later = same_kind && from > first;
    let ends_earlier = same_kind && to < last;
    // H7: a window that starts at or after a series break hides the break.
    for id in source_ids(spec, data) {
        let Some(m) = data.measure(&id) else { continue };
        for b in &m.breaks {
            if b.period <= from && b.period > first {
                chart.warnings.push(format!(
                    "the chart starts at {from}, at or after the series break of `{id}` in {}: readers cannot see that the definition changed",
                    b.period
                ));
            }
        }
    }
    if !starts_later && !ends_earlier {
        return chart;
    }
    // H7: a shorter window says so in the image and links the full series.
    let mut full_spec = spec.clone();
    full_spec.from = None;
    full_spec.to = None;
    full_spec.base = None;
    // An author's title describes their window, not the full series: the
    // full series gets the generated title, and so the same chart (and
    // address) as the same spec without a title.
    full_spec.title = None;
    let full = resolve_window(&full_spec, data, ctx, None);
    let ps = |p: Period| format::period_short(p, lang);
    let phrases = lang.phrases();
    let window_note = match (starts_later, ends_earlier) {
        (true, false) => phrases.window_starts_later(&ps(from), &ps(first), &full.permalink),
        (false, _) => phrases.window_ends_earlier(&ps(to), &ps(last), &full.permalink),
        (true, true) => phrases.window_inside(
            &span_short(from, to, lang),
            &ps(first),
            &ps(last),
            &full.permalink,
        ),
    };
    chart.notes.push(Note::fixed(
        format!("lim-window-{}", chart.slug),
        &window_note,
    ));
    chart.limitations.push(window_note);
    // An author who cuts the window short of the report's period (or of
    // the latest data) is asked why.
    if let Some(spec_to) = spec.to
        && ends_earlier
        && spec_to < default_to.unwrap_or(last).min(last)
    {
        chart.warnings.push(format!(
            "the chart ends at {spec_to}, but the data continues to {last}: a later change is not shown"
        ));
    }
    chart.warnings.extend(cherry_pick(&chart, &full));
    chart.full = Some(Box::new(full));
    chart
}

/// The spec of the same chart following the latest data over its whole
/// series: no window, no base, no title of the author's own.
fn following(spec: &ChartSpec) -> ChartSpec {
    let mut latest = spec.clone();
    latest.from = None;
    latest.to = None;
    latest.period = None;
    latest.base = None;
    latest.title = None;
    latest
}

/// Whether the chart's end is fixed by its block or its report rather
/// than by the latest data.
fn pinned(spec: &ChartSpec, default_to: Option<Period>) -> bool {
    spec.to.is_some()
        || default_to.is_some()
        || (spec.chart_type == ChartType::Compare && spec.period.is_some())
}

/// A chart's address: its type, measures, unit and group, then only the
/// periods it is pinned to. A pinned chart names its first and last period
/// (a compare chart its one period); a chart that follows the latest data
/// names only a `from` of its block, so its address survives every new
/// quarter.
fn address(
    spec: &ChartSpec,
    unit: &str,
    periods: &[Period],
    index_base: Option<Period>,
    pinned: bool,
) -> String {
    let mut parts = vec![spec.chart_type.name().to_string()];
    for (_, id) in spec.measure_ids() {
        parts.push(slug_part(id));
    }
    if !unit.is_empty() {
        parts.push(slug_part(unit));
    }
    if let Some(g) = &spec.group {
        parts.push(slug_part(g));
    }
    // Reference lines are drawn into the image: another chart, another address.
    if !spec.reference.is_empty() {
        parts.push("ref".into());
        parts.extend(spec.reference.iter().map(|r| slug_part(r)));
    }
    match (periods.first(), periods.last()) {
        (Some(first), _) if spec.chart_type == ChartType::Compare && pinned => {
            parts.push(slug_part(&first.to_string()));
        }
        _ if spec.chart_type == ChartType::Compare => {}
        (Some(first), Some(last)) if pinned => {
            parts.push(slug_part(&first.to_string()));
            parts.push(slug_part(&last.to_string()));
        }
        (Some(first), _) if spec.from.is_some() => {
            parts.push(format!("from-{}", slug_part(&first.to_string())));
        }
        _ => {}
    }
    if spec.chart_type != ChartType::Compare
        && let (Some(base), Some(_), Some(first)) = (index_base, spec.base, periods.first())
        && base != *first
    {
        parts.push(format!("base-{}", slug_part(&base.to_string())));
    }
    // A title of the author's own is drawn into the image, so the same data
    // under another title is another image at another address.
    if let Some(custom) = &spec.title {
        parts.push(format!(
            "t{}",
            &blake3::hash(custom.as_bytes()).to_hex()[..6]
        ));
    }
    parts.join("-")
}

/// The first period of any series the chart draws from.
fn data_first(spec: &ChartSpec, data: &Dataset) -> Option<Period> {
    data_periods(spec, data).map(|(first, _)| first).min()
}

/// The last period of any series the chart draws from.
fn data_last(spec: &ChartSpec, data: &Dataset) -> Option<Period> {
    data_periods(spec, data).map(|(_, last)| last).max()
}

/// First and last period of each series the chart draws from.
fn data_periods<'a>(
    spec: &'a ChartSpec,
    data: &'a Dataset,
) -> impl Iterator<Item = (Period, Period)> + 'a {
    let unit = spec.unit.clone();
    source_ids(spec, data).into_iter().filter_map(move |m| {
        let s = data.series_for(&SeriesKey {
            measure: m,
            unit: unit.clone()?,
            group: spec.group.clone(),
        })?;
        Some((s.first_period()?, s.last_period()?))
    })
}

/// The raw (stored) measures behind the spec's measures.
fn source_ids(spec: &ChartSpec, data: &Dataset) -> Vec<String> {
    let mut out = Vec::new();
    for (_, id) in spec.measure_ids() {
        out.push(id.to_string());
        if let Some((a, b)) = data.measure(id).and_then(|m| m.ratio.clone()) {
            out.push(a);
            out.push(b);
        }
    }
    out
}

fn first_last(line: &Line, periods: &[Period]) -> Option<((Period, f64), (Period, f64))> {
    let nums: Vec<(Period, f64)> = periods
        .iter()
        .zip(&line.cells)
        .filter_map(|(p, c)| c.number().map(|n| (*p, n)))
        .collect();
    Some((*nums.first()?, *nums.last()?))
}

/// H7, the cherry-pick guard: every drawn series whose trend over the
/// window and over the full series point in opposite directions.
fn cherry_pick(window: &Chart, full: &Chart) -> Vec<String> {
    let lang = window.lang;
    let mut out = Vec::new();
    for w in window.lines.iter().filter(|l| l.plotted) {
        let Some(f) = full
            .lines
            .iter()
            .find(|l| l.plotted && l.csv_measure == w.csv_measure)
        else {
            continue;
        };
        let (Some(((wp0, wa), (wp1, wb))), Some(((fp0, fa), (fp1, fb)))) =
            (first_last(w, &window.periods), first_last(f, &full.periods))
        else {
            continue;
        };
        if wa == 0.0 || fa == 0.0 {
            continue;
        }
        let wc = (wb / wa - 1.0) * 100.0;
        let fc = (fb / fa - 1.0) * 100.0;
        if wc.abs() < 1.0 || fc.abs() < 1.0 || (wc > 0.0) == (fc > 0.0) {
            continue;
        }
        let (window_span, full_span) = (span_short(wp0, wp1, lang), span_short(fp0, fp1, lang));
        let (window_change, full_change) = (
            format::change_percent(wc, lang),
            format::change_percent(fc, lang),
        );
        out.push(lang.phrases().cherry_pick(
            &uc_first(&w.label),
            &Trend {
                rises: wc > 0.0,
                span: &window_span,
                change: &window_change,
            },
            &Trend {
                rises: fc > 0.0,
                span: &full_span,
                change: &full_change,
            },
        ));
    }
    out
}

/// Lowercase `[a-z0-9_-]` for addresses (see [`crate::slug`]).
fn slug_part(s: &str) -> String {
    crate::slug::slug(s, crate::slug::Keep::Underscore)
}

fn unit_display_name(data: &Dataset, id: &str) -> String {
    data.units
        .get(id)
        .map(|u| u.name.clone())
        .unwrap_or_else(|| id.to_string())
}

struct Builder<'a> {
    data: &'a Dataset,
    lang: Lang,
    below: u32,
    unit: String,
    group: Option<String>,
    periods: Vec<Period>,
}

impl Builder<'_> {
    fn measure_label(&self, id: &str) -> String {
        self.data
            .measure(id)
            .map(|m| m.label.get(self.lang).to_string())
            .unwrap_or_else(|| id.to_string())
    }

    fn measure_unit(&self, id: &str) -> MeasureUnit {
        self.data
            .measure(id)
            .map(|m| m.unit)
            .unwrap_or(MeasureUnit::Count)
    }

    fn raw_cells(&self, id: &str, unit: &str) -> Vec<Cell> {
        let munit = self.measure_unit(id);
        let series = self.data.series_for(&SeriesKey {
            measure: id.to_string(),
            unit: unit.to_string(),
            group: self.group.clone(),
        });
        self.periods
            .iter()
            .map(|p| Cell::from_value(series.and_then(|s| s.get(*p)), munit, self.below))
            .collect()
    }

    fn has_series(&self, id: &str, unit: &str) -> bool {
        self.data
            .series_for(&SeriesKey {
                measure: id.to_string(),
                unit: unit.to_string(),
                group: self.group.clone(),
            })
            .is_some()
    }

    /// Break periods of a measure (and what it is derived from) inside the window.
    fn breaks_of(&self, id: &str) -> Vec<(Period, String)> {
        let mut ids = vec![id.to_string()];
        if let Some((a, b)) = self.data.measure(id).and_then(|m| m.ratio.clone()) {
            ids.push(a);
            ids.push(b);
        }
        let (Some(first), Some(last)) = (self.periods.first(), self.periods.last()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for id in ids {
            if let Some(m) = self.data.measure(&id) {
                for b in &m.breaks {
                    if b.period > *first && b.period <= *last {
                        out.push((b.period, b.note.get(self.lang).to_string()));
                    }
                }
            }
        }
        out
    }

    fn line(&self, id: &str, cells: Vec<Cell>, plotted: bool) -> Line {
        let label = self.measure_label(id);
        let munit = self.measure_unit(id);
        Line {
            measure: id.to_string(),
            csv_measure: id.to_string(),
            unit: self.unit.clone(),
            header: label.clone(),
            label,
            format_unit: munit,
            axis_unit: munit,
            cells,
            plotted,
            breaks: self.breaks_of(id).into_iter().map(|(p, _)| p).collect(),
        }
    }

    /// The lines for a measure: a derived ratio is computed from its parts
    /// (so a suppressed numerator suppresses the ratio, and a zero denominator
    /// is a gap), and the parts are listed beside it.
    fn measure_lines(&self, id: &str) -> Vec<Line> {
        let m = self.data.measure(id);
        if let Some((num, den)) = m.and_then(|m| m.ratio.clone())
            && self.has_series(&num, &self.unit)
            && self.has_series(&den, &self.unit)
        {
            let (r, n, d) = self.ratio_cells(&num, &den);
            // Where the published view withholds the ratio (on staffing
            // under `min_unit_fte`, H9), the chart does too.
            let published = self.raw_cells(id, &self.unit);
            let r = r
                .into_iter()
                .zip(published)
                .map(|(c, p)| if p.is_withheld() { p } else { c })
                .collect();
            return vec![
                self.line(id, r, true),
                self.line(&num, n, false),
                self.line(&den, d, false),
            ];
        }
        vec![self.line(id, self.raw_cells(id, &self.unit), true)]
    }

    /// `num / den` per period with the rules of a declared ratio (a
    /// suppressed operand suppresses it, a zero denominator is a gap), and
    /// the operands' cells.
    fn ratio_cells(&self, num: &str, den: &str) -> (Vec<Cell>, Vec<Cell>, Vec<Cell>) {
        let n = self.raw_cells(num, &self.unit);
        let d = self.raw_cells(den, &self.unit);
        let r = n
            .iter()
            .zip(&d)
            .map(|(a, b)| Cell::ratio(*a, *b, 1.0))
            .collect();
        (r, n, d)
    }

    /// The plotted line of each reference unit (the national figure, a
    /// group of peers) for the measure of `line`, labelled with its name.
    fn reference_lines(&self, spec: &ChartSpec, line: &Line) -> Vec<Line> {
        spec.reference
            .iter()
            .filter(|r| **r != self.unit)
            .map(|r| {
                let rb = Builder {
                    unit: r.clone(),
                    group: self.group.clone(),
                    periods: self.periods.clone(),
                    ..*self
                };
                let mut l = rb.measure_lines(&line.measure).swap_remove(0);
                let name = unit_display_name(self.data, r);
                l.label = format!("{}, {name}", line.label);
                l.header = format!("{}, {name}", line.header);
                l
            })
            .collect()
    }
}

fn resolve_window(
    spec: &ChartSpec,
    data: &Dataset,
    ctx: &ChartContext,
    default_to: Option<Period>,
) -> Chart {
    let lang = ctx.lang;
    let below = ctx.config.privacy.suppress_below;
    let unit = spec.unit.clone().unwrap_or_default();
    let unit_name = data
        .units
        .get(&unit)
        .map(|u| u.name.clone())
        .unwrap_or_else(|| unit.clone());
    let ids = source_ids(spec, data);

    // The window.
    let mut first: Option<Period> = None;
    let mut last: Option<Period> = None;
    for id in &ids {
        let series: Vec<_> = if spec.chart_type == ChartType::Compare {
            data.series
                .iter()
                .filter(|(k, _)| &k.measure == id && k.group == spec.group)
                .map(|(_, s)| s)
                .collect()
        } else {
            data.series_for(&SeriesKey {
                measure: id.clone(),
                unit: unit.clone(),
                group: spec.group.clone(),
            })
            .into_iter()
            .collect()
        };
        for s in series {
            first = first.min(s.first_period()).or(s.first_period());
            last = last.max(s.last_period());
        }
    }
    let first = first.unwrap_or(Period::quarter(2000, 1));
    let last = last.unwrap_or(first);
    let same_kind = |p: Period| p.is_quarter() == first.is_quarter();
    let from = spec.from.filter(|p| same_kind(*p)).unwrap_or(first);
    let to = spec
        .to
        .or(default_to)
        .or(ctx.latest)
        .filter(|p| same_kind(*p) && *p >= from)
        .unwrap_or(last.max(from));
    let periods: Vec<Period> = if spec.chart_type == ChartType::Compare {
        vec![
            spec.period
                .or(spec.to)
                .or(default_to)
                .or(ctx.latest)
                .filter(|p| same_kind(*p))
                .unwrap_or(last),
        ]
    } else {
        from.range_to(to).collect()
    };

    let b = Builder {
        data,
        lang,
        below,
        unit: unit.clone(),
        group: spec.group.clone(),
        periods: periods.clone(),
    };
    let span = span_short(periods[0], *periods.last().unwrap(), lang);
    let mut lines: Vec<Line> = Vec::new();
    let mut panels: Vec<Panel> = Vec::new();
    let mut compare = Vec::new();
    let mut compare_refs = Vec::new();
    let mut compare_unit = MeasureUnit::Count;
    let mut index_base: Option<Period> = None;
    let mut extra_limits: Vec<String> = Vec::new();
    let mut extra_notes: Vec<Note> = Vec::new();
    let default_title: String;
    let subtitle: String;

    match spec.chart_type {
        ChartType::Growth => {
            let c = spec.caseload.clone().unwrap_or_default();
            let s = spec.staffing.clone().unwrap_or_default();
            let raw_c = b.raw_cells(&c, &unit);
            let raw_s = b.raw_cells(&s, &unit);
            let base_i = match spec.base {
                Some(base) => periods.iter().position(|p| *p == base).unwrap_or(0),
                None => (0..periods.len())
                    .find(|i| {
                        matches!((raw_c[*i], raw_s[*i]), (Cell::Num(a, _), Cell::Num(b, _)) if a != 0.0 && b != 0.0)
                    })
                    .unwrap_or(0),
            };
            let base = periods[base_i];
            index_base = Some(base);
            let index = |raw: &[Cell]| -> Vec<Cell> {
                raw.iter()
                    .map(|v| match (v, raw[base_i]) {
                        (Cell::Suppressed { below, .. }, _) => Cell::Suppressed {
                            below: *below,
                            derived: true,
                        },
                        (_, Cell::Suppressed { below, .. }) => Cell::Suppressed {
                            below,
                            derived: true,
                        },
                        (Cell::Num(..), Cell::Num(..)) => Cell::ratio(*v, raw[base_i], 100.0),
                        (Cell::Num(..), _) => Cell::Uncomputable,
                        (other, _) => *other,
                    })
                    .collect()
            };
            let base_txt = format::period_short(base, lang);
            let index_header =
                |id: &str| format!("{}, index ({base_txt} = 100)", b.measure_label(id));
            let mut ic = b.line(&c, index(&raw_c), true);
            ic.csv_measure = format!("{c}_index");
            ic.header = index_header(&c);
            ic.format_unit = MeasureUnit::Ratio;
            let mut is = b.line(&s, index(&raw_s), true);
            is.csv_measure = format!("{s}_index");
            is.header = index_header(&s);
            is.format_unit = MeasureUnit::Ratio;
            lines = vec![ic, is, b.line(&c, raw_c, false), b.line(&s, raw_s, false)];
            let axis_label = format!("Index, {base_txt} = 100");
            panels.push(Panel {
                axis_label: axis_label.clone(),
                lines: vec![0, 1],
                reference: Some((100.0, format!("100 = {base_txt}"))),
                bars: false,
            });
            let both = [b.measure_label(&c), lc_first(&b.measure_label(&s))];
            default_title = format!("{}, {unit_name}", join_and(&both, lang));
            subtitle = format!("{axis_label}: {}. {span}", lang.words().both_as_index);
        }
        ChartType::PerFte if spec.measure.is_none() => {
            // Caseload over staffing, without a declared ratio measure.
            let c = spec.caseload.clone().unwrap_or_default();
            let s = spec.staffing.clone().unwrap_or_default();
            let (r, n, d) = b.ratio_cells(&c, &s);
            // "per" is the same word in both languages.
            let label = format!(
                "{} per {}",
                b.measure_label(&c),
                lc_first(&b.measure_label(&s))
            );
            let mut l = b.line(&c, r, true);
            l.breaks.extend(b.breaks_of(&s).into_iter().map(|(p, _)| p));
            l.csv_measure = format!("{c}_per_{s}");
            l.label = label.clone();
            l.header = label.clone();
            l.format_unit = MeasureUnit::Ratio;
            l.axis_unit = MeasureUnit::Ratio;
            lines = vec![l, b.line(&c, n, false), b.line(&s, d, false)];
            panels.push(Panel {
                axis_label: label.clone(),
                lines: vec![0],
                reference: None,
                bars: false,
            });
            default_title = format!("{label}, {unit_name}");
            subtitle = format!("{label}. {span}");
        }
        ChartType::PerFte | ChartType::Bars => {
            let m = spec.measure.clone().unwrap_or_default();
            lines = b.measure_lines(&m);
            let label = b.measure_label(&m);
            let munit = b.measure_unit(&m);
            let axis_label = if munit == MeasureUnit::Ratio {
                label.clone()
            } else {
                axis_unit_name(munit, lang).to_string()
            };
            panels.push(Panel {
                axis_label: axis_label.clone(),
                lines: vec![0],
                reference: None,
                bars: spec.chart_type == ChartType::Bars,
            });
            default_title = format!("{label}, {unit_name}");
            subtitle = format!("{axis_label}. {span}");
        }
        ChartType::Workload => {
            let w = spec.workload.clone().unwrap_or_default();
            let c = spec.capacity.clone().unwrap_or_default();
            let raw_w = b.raw_cells(&w, &unit);
            let raw_c = b.raw_cells(&c, &unit);
            let pct: Vec<Cell> = raw_w
                .iter()
                .zip(&raw_c)
                .map(|(a, c)| Cell::ratio(*a, *c, 100.0))
                .collect();
            let mut l = b.line(&w, pct, true);
            l.breaks.extend(b.breaks_of(&c).into_iter().map(|(p, _)| p));
            l.csv_measure = format!("{w}_percent_of_{c}");
            l.label = lang.words().workload.to_string();
            l.header = lang.words().workload_header.to_string();
            l.format_unit = MeasureUnit::Percent;
            l.axis_unit = MeasureUnit::Percent;
            lines = vec![l, b.line(&w, raw_w, false), b.line(&c, raw_c, false)];
            let axis_label = lang.words().workload_axis.to_string();
            panels.push(Panel {
                axis_label: axis_label.clone(),
                lines: vec![0],
                reference: Some((100.0, lang.words().full_capacity.to_string())),
                bars: false,
            });
            default_title = format!("{}, {unit_name}", lang.words().workload_title);
            subtitle = format!("{axis_label}. {span}");
        }
        ChartType::Series => {
            let mut by_unit: Vec<(MeasureUnit, Vec<usize>)> = Vec::new();
            for m in &spec.measures {
                let mut ls = b.measure_lines(m);
                let idx = lines.len();
                let axis = ls[0].axis_unit;
                match by_unit.iter_mut().find(|(u, _)| *u == axis) {
                    Some((_, v)) => v.push(idx),
                    None => by_unit.push((axis, vec![idx])),
                }
                // Keep the parts of a ratio only once, after everything drawn.
                ls.truncate(1);
                let refs = b.reference_lines(spec, &ls[0]);
                if let Some((_, v)) = by_unit.iter_mut().find(|(u, _)| *u == axis) {
                    v.extend((0..refs.len()).map(|k| idx + 1 + k));
                }
                lines.extend(ls);
                lines.extend(refs);
            }
            for (u, idxs) in by_unit {
                let axis_label = if u == MeasureUnit::Ratio {
                    idxs.iter()
                        .map(|i| lines[*i].label.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                } else {
                    axis_unit_name(u, lang).to_string()
                };
                panels.push(Panel {
                    axis_label,
                    lines: idxs,
                    reference: None,
                    bars: false,
                });
            }
            let labels: Vec<String> = lines
                .iter()
                .filter(|l| l.unit == unit)
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 {
                        l.label.clone()
                    } else {
                        lc_first(&l.label)
                    }
                })
                .collect();
            default_title = format!("{}, {unit_name}", join_and(&labels, lang));
            subtitle = if panels.len() > 1 {
                format!("{}. {span}", lang.words().own_axes)
            } else {
                format!("{}. {span}", panels[0].axis_label)
            };
        }
        ChartType::Compare => {
            let m = spec.measure.clone().unwrap_or_default();
            let label = b.measure_label(&m);
            compare_unit = b.measure_unit(&m);
            let p = periods[0];
            let mut omitted = false;
            let mut candidates: BTreeSet<String> = data
                .series
                .keys()
                .filter(|k| k.measure == m && k.group == spec.group)
                .map(|k| k.unit.clone())
                .collect();
            if let Some((a, _)) = data.measure(&m).and_then(|mm| mm.ratio.clone()) {
                candidates.extend(
                    data.series
                        .keys()
                        .filter(|k| k.measure == a && k.group == spec.group)
                        .map(|k| k.unit.clone()),
                );
            }
            for u in candidates {
                // A reference figure is not one of the units compared: it is
                // drawn as a line when the chart names it.
                if data.units.is_reference(&u) {
                    continue;
                }
                if !ctx.published_units.contains(&u) {
                    omitted = true;
                    continue;
                }
                let ub = Builder {
                    data,
                    lang,
                    below,
                    unit: u.clone(),
                    group: spec.group.clone(),
                    periods: vec![p],
                };
                let cell = ub.measure_lines(&m)[0].cells[0];
                let name = data
                    .units
                    .get(&u)
                    .map(|x| x.name.clone())
                    .unwrap_or(u.clone());
                compare.push(CompareRow {
                    table_only: false,
                    highlighted: u == unit,
                    unit: u,
                    name,
                    cell,
                });
            }
            // A total (a parent of units shown, or an area's total) is not a
            // point among its own parts: an additive total (counts, FTE) is
            // kept out and named, any other is drawn as a labelled line.
            let parents: BTreeSet<String> = compare
                .iter()
                .filter_map(|r| data.units.get(&r.unit).and_then(|u| u.parent.clone()))
                .collect();
            let is_total = |id: &str| {
                parents.contains(id)
                    || data.units.get(id).is_some_and(|u| {
                        u.area.as_ref().is_some_and(|a| id == format!("{a}-total"))
                    })
            };
            let (totals, parts): (Vec<CompareRow>, Vec<CompareRow>) =
                compare.into_iter().partition(|r| is_total(&r.unit));
            compare = parts;
            let additive = matches!(compare_unit, MeasureUnit::Count | MeasureUnit::Fte);
            // Beside every unit as a dot, a line or a caveat per total of a
            // group of them (21 counties) would bury the picture: past a
            // few, they are in the table and the CSV only, said once.
            let table_only = super::compare_view::totals_table_only(compare.len(), totals.len());
            if table_only {
                let text = super::compare_view::totals_note(totals.len(), lang);
                extra_notes.push(Note::fixed("lim-compare-totals", &text));
                extra_limits.push(text);
            }
            for mut r in totals {
                if table_only {
                    if !spec.reference.contains(&r.unit) {
                        r.table_only = true;
                        compare_refs.push(r);
                    }
                    continue;
                }
                let value = r.cell.display(compare_unit, lang);
                if additive {
                    let text = lang.phrases().compare_total(&r.name, &value);
                    extra_notes.push(Note::fixed(format!("lim-total-{}", r.unit), &text));
                    extra_limits.push(text);
                } else if !spec.reference.contains(&r.unit) {
                    compare_refs.push(r);
                }
            }
            for r in &spec.reference {
                let rb = Builder {
                    unit: r.clone(),
                    group: spec.group.clone(),
                    periods: vec![p],
                    ..b
                };
                compare_refs.push(CompareRow {
                    unit: r.clone(),
                    name: unit_display_name(data, r),
                    cell: rb.measure_lines(&m)[0].cells[0],
                    highlighted: false,
                    table_only: false,
                });
            }
            compare.sort_by(|a, b| {
                a.name
                    .to_lowercase()
                    .cmp(&b.name.to_lowercase())
                    .then(a.unit.cmp(&b.unit))
            });
            if omitted {
                let text = lang.words().compare_omitted;
                extra_limits.push(text.to_string());
                extra_notes.push(Note::fixed("lim-compare-omitted", text));
            }
            let mut l = b.line(&m, compare.iter().map(|r| r.cell).collect(), true);
            l.header = label.clone();
            lines = vec![l];
            let axis_label = if compare_unit == MeasureUnit::Ratio {
                label.clone()
            } else {
                axis_unit_name(compare_unit, lang).to_string()
            };
            default_title = format!("{label}, {}", format::period_short(p, lang));
            subtitle = format!(
                "{axis_label}. {}. {}",
                format::period_short(p, lang),
                super::compare_view::order_statement(&compare, lang)
            );
            panels.push(Panel {
                axis_label,
                lines: vec![0],
                reference: None,
                bars: false,
            });
        }
    }

    // Breaks: a marked line per distinct period, notes in the limitations.
    let mut break_notes: BTreeMap<Period, Vec<(String, String, String)>> = BTreeMap::new();
    if spec.chart_type != ChartType::Compare {
        let mut seen = BTreeSet::new();
        for l in lines.iter().filter(|l| l.plotted) {
            let mut ids = vec![l.measure.clone()];
            if spec.chart_type == ChartType::Workload {
                ids.push(spec.capacity.clone().unwrap_or_default());
            }
            for id in ids {
                for (p, note) in b.breaks_of(&id) {
                    if seen.insert((p, id.clone(), note.clone())) {
                        break_notes.entry(p).or_default().push((
                            id.clone(),
                            b.measure_label(&id),
                            note,
                        ));
                    }
                }
            }
        }
    }
    let mut breaks = Vec::new();
    let mut limitations = Vec::new();
    let mut notes: Vec<Note> = Vec::new();
    for (i, (p, entries)) in break_notes.iter().enumerate() {
        let marker = ((b'A' + (i as u8 % 26)) as char).to_string();
        for (id, label, note) in entries {
            notes.push(break_note(id, label, note, *p, lang));
        }
        let what = entries
            .iter()
            .map(|(_, label, note)| format!("{}: {}", lc_first(label), note.trim_end_matches('.')))
            .collect::<Vec<_>>()
            .join("; ");
        let ps = format::period_short(*p, lang);
        let mut text = lang.phrases().break_limitation(&marker, &ps, &what);
        if index_base.is_some() {
            text.push_str(lang.words().index_crosses_break);
        }
        breaks.push(BreakMark {
            period: *p,
            marker,
            note: text.clone(),
        });
        limitations.push(text);
    }

    // Status caveats, collected per kind then period.
    let mut prov: BTreeMap<Period, BTreeSet<String>> = BTreeMap::new();
    let mut missing: BTreeMap<Period, BTreeSet<String>> = BTreeMap::new();
    let mut suppressed: BTreeMap<Period, BTreeSet<String>> = BTreeMap::new();
    let mut uncomputable: BTreeMap<Period, BTreeSet<String>> = BTreeMap::new();
    let mut symbols: BTreeMap<(Status, Period), BTreeSet<String>> = BTreeMap::new();
    let mut cells_seen: Vec<(Period, String, Cell)> = Vec::new();
    // Per unit and measure, for the page's notes: whose data it is.
    type Whose = (String, String, String, String);
    let mut per_series: BTreeMap<(u8, Whose), BTreeSet<Period>> = BTreeMap::new();
    let mut by_kind = |kind: u8, whose: Whose, p: Period| {
        per_series.entry((kind, whose)).or_default().insert(p);
    };
    if spec.chart_type == ChartType::Compare {
        let (m, label) = lines
            .first()
            .map(|l| (l.measure.clone(), lc_first(&l.label)))
            .unwrap_or_default();
        for r in &compare {
            cells_seen.push((periods[0], r.name.clone(), r.cell));
            let whose = (r.unit.clone(), r.name.clone(), m.clone(), label.clone());
            match r.cell {
                Cell::Missing => by_kind(0, whose, periods[0]),
                Cell::Uncomputable => by_kind(1, whose, periods[0]),
                _ => {}
            }
        }
    } else {
        for l in &lines {
            for (p, c) in periods.iter().zip(&l.cells) {
                cells_seen.push((*p, lc_first(&l.label), *c));
                let whose = (
                    l.unit.clone(),
                    unit_name.clone(),
                    l.measure.clone(),
                    lc_first(&l.label),
                );
                match c {
                    Cell::Missing => by_kind(0, whose, *p),
                    Cell::Uncomputable => by_kind(1, whose, *p),
                    _ => {}
                }
            }
        }
    }
    for ((kind, (u, uname, m, label)), ps) in per_series {
        notes.push(if kind == 0 {
            missing_note(&u, &uname, &m, &label, ps, lang)
        } else {
            uncomputable_note(&u, &uname, &m, &label, ps, lang)
        });
    }
    for (p, label, c) in cells_seen {
        match c {
            Cell::Num(_, Status::Provisional) => {
                prov.entry(p).or_default().insert(label);
            }
            Cell::Num(_, Status::Final) => {}
            Cell::Num(_, s) | Cell::Symbol(s) => {
                symbols.entry((s, p)).or_default().insert(label);
            }
            Cell::Missing => {
                missing.entry(p).or_default().insert(label);
            }
            Cell::Suppressed { .. } => {
                suppressed.entry(p).or_default().insert(label);
            }
            Cell::Uncomputable => {
                uncomputable.entry(p).or_default().insert(label);
            }
        }
    }
    /// The most names a caveat lists for one span.
    const MAX_LISTED: usize = 10;
    // Consecutive periods with the same measures read as one span:
    // `K1 2016–K4 2017 (placerade barn)`, not eight entries in a row.
    let listed = |m: &BTreeMap<Period, BTreeSet<String>>| -> String {
        let mut runs: Vec<(Period, Period, &BTreeSet<String>)> = Vec::new();
        for (p, labels) in m {
            match runs.last_mut() {
                Some((_, last, same)) if last.next() == *p && *same == labels => *last = *p,
                _ => runs.push((*p, *p, labels)),
            }
        }
        runs.iter()
            .map(|(from, to, labels)| {
                // A compare chart over many units would name hundreds of
                // them here: past a few, the count, the table marks each.
                let which = if labels.len() > MAX_LISTED {
                    lang.phrases().many_units(labels.len())
                } else {
                    labels.iter().cloned().collect::<Vec<_>>().join(", ")
                };
                format!("{} ({which})", span_short(*from, *to, lang))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    if !prov.is_empty() {
        limitations.push(lang.phrases().provisional_limitation(&listed(&prov)));
    }
    if !prov.is_empty() {
        notes.push(provisional_note(prov.keys().copied(), lang));
    }
    // Missing periods name their unit (a compare chart's rows are units).
    let whose = (spec.chart_type != ChartType::Compare).then_some(unit_name.as_str());
    if !missing.is_empty() {
        limitations.push(lang.phrases().missing_limitation(whose, &listed(&missing)));
    }
    if !suppressed.is_empty() {
        notes.push(suppressed_note(below, lang));
    }
    if !suppressed.is_empty() {
        limitations.push(
            lang.phrases()
                .suppressed_limitation(below, &listed(&suppressed)),
        );
    }
    if !uncomputable.is_empty() {
        limitations.push(
            lang.phrases()
                .uncomputable_limitation(&listed(&uncomputable)),
        );
    }
    let mut by_status: BTreeMap<Status, BTreeMap<Period, BTreeSet<String>>> = BTreeMap::new();
    for ((s, p), labels) in symbols {
        by_status.entry(s).or_default().insert(p, labels);
    }
    for (s, m) in &by_status {
        notes.push(status_note(*s, m.keys().copied(), lang));
        limitations.push(format!(
            "{} ({}): {}.",
            uc_first(status_meaning(*s, lang)),
            s.symbol(),
            listed(m)
        ));
    }
    // The measures' own limitations.
    let mut own = BTreeSet::new();
    for id in &ids {
        if let Some(m) = data.measure(id) {
            for l in &m.limitations {
                let text = format!("{}: {}", m.label.get(lang), l.get(lang));
                if own.insert(text.clone()) {
                    limitations.push(text);
                }
            }
        }
    }
    limitations.extend(extra_limits);
    notes.extend(extra_notes);
    // What a reference figure is (an unweighted mean of a group, …), where
    // the units file says so.
    for r in &spec.reference {
        if let Some(note) = data.units.references.get(r).and_then(|x| x.note.as_ref()) {
            limitations.push(format!(
                "{}: {}",
                unit_display_name(data, r),
                note.get(lang)
            ));
        }
    }

    // Source and data date.
    let mut sources: Vec<String> = Vec::new();
    for id in &ids {
        let s = data
            .measure(id)
            .and_then(|m| m.source.as_ref())
            .map(|s| s.get(lang).to_string())
            .unwrap_or_else(|| ctx.config.source.name.clone());
        if !sources.contains(&s) {
            sources.push(s);
        }
    }
    if sources.is_empty() {
        sources.push(ctx.config.source.name.clone());
    }
    let source_line = format!(
        "{}: {}, {}. {} {}.",
        lang.words().source,
        ctx.config.organisation,
        sources.join("; "),
        lang.words().data_extracted,
        format::date_long(&ctx.config.source.extracted.0, lang)
    );

    // Address.
    let slug = address(spec, &unit, &periods, index_base, pinned(spec, default_to));
    let latest_slug = address(&following(spec), &unit, &periods, None, false);
    let home = format!("charts/{slug}/");
    let permalink = format!("{}{home}", ctx.config.base_url());

    // The generated title says what is measured, where and when (H5).
    let mut generated = default_title;
    let mut subtitle = subtitle;
    if spec.chart_type != ChartType::Compare {
        generated = format!("{generated}, {span}");
        // The title says the periods; the subtitle need not repeat them.
        if let Some(s) = subtitle.strip_suffix(&format!(". {span}")) {
            subtitle = format!("{s}.");
        }
    }
    // An author's title may lead, but the statement of what is shown stays
    // in the image under it (H7): a headline alone can claim anything.
    let title = match &spec.title {
        Some(custom) => {
            if spec.chart_type == ChartType::Compare {
                // The generated title already names the measure and the
                // period: the subtitle keeps only what it adds.
                let period = format!("{}. ", format::period_short(periods[0], lang));
                let label = format!(
                    "{}. ",
                    lines.first().map(|l| l.label.as_str()).unwrap_or("")
                );
                let rest = subtitle.replacen(&period, "", 1);
                let rest = rest.strip_prefix(&label).unwrap_or(&rest).to_string();
                subtitle = format!("{generated}. {rest}");
            } else {
                subtitle = format!("{generated}. {subtitle}");
            }
            custom.clone()
        }
        None => generated,
    };

    let mut measures: Vec<String> = Vec::new();
    for id in &ids {
        if !measures.contains(id) {
            measures.push(id.clone());
        }
    }
    let units = if spec.chart_type == ChartType::Compare {
        compare.iter().map(|r| r.unit.clone()).collect()
    } else {
        vec![unit.clone()]
    };

    let mut chart = Chart {
        chart_type: spec.chart_type,
        lang,
        slug,
        home,
        permalink,
        latest_slug,
        title,
        subtitle,
        periods,
        lines,
        panels,
        compare,
        compare_refs,
        compare_unit,
        breaks,
        limitations,
        notes,
        source_line,
        description: String::new(),
        full: None,
        warnings: Vec::new(),
        origin: None,
        latest: None,
        measures,
        units,
        svg_cache: std::sync::OnceLock::new(),
        svg_narrow_cache: std::sync::OnceLock::new(),
        drawings: None,
        fingerprint: std::sync::OnceLock::new(),
    };
    chart.description = super::describe::describe(&chart, index_base, &unit_name);
    chart
}
