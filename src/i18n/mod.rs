//! One set of words (§1: Swedish by default, English on request): every
//! fixed interface string in [`Words`], every sentence built around figures
//! in [`Phrases`], one table of each per language (`sv.rs`, `en.rs`).
//!
//! Both are checked by the compiler: a word or phrase missing from one
//! language, or a misspelt name at a call site, does not build. Templates
//! read the same words as `t.<name>` (the table serialised into the page's
//! context; Tera refuses to render an unknown name). Numbers, periods and
//! changes are formatted in [`crate::format`].

mod en;
mod sv;

use serde::Serialize;

use crate::data::{MeasureUnit, Status, Withheld};
use crate::text::Lang;

/// Every fixed interface string, one field per thing that is said.
#[derive(Debug, Serialize)]
pub struct Words {
    pub skip_to_content: &'static str,
    pub main_navigation: &'static str,
    pub home: &'static str,
    pub reports: &'static str,
    pub units: &'static str,
    pub measures: &'static str,
    pub data: &'static str,
    pub about_statistics: &'static str,
    pub accessibility: &'static str,
    pub accessibility_statement: &'static str,
    pub revisions: &'static str,
    pub latest_report: &'static str,
    pub all_reports: &'static str,
    pub next_publication: &'static str,
    pub published: &'static str,
    pub period: &'static str,
    pub contact: &'static str,
    pub author: &'static str,
    pub limitations: &'static str,
    pub limitation: &'static str,
    pub limitations_intro: &'static str,
    pub limitations_computed: &'static str,
    pub limitations_measures: &'static str,
    pub limitations_author: &'static str,
    pub previous_report: &'static str,
    pub next_report: &'static str,
    pub archive: &'static str,
    pub source: &'static str,
    pub data_extracted: &'static str,
    pub chart_page: &'static str,
    pub show_table: &'static str,
    pub downloads: &'static str,
    pub download_svg: &'static str,
    pub download_png: &'static str,
    pub download_csv: &'static str,
    pub download_csv_excel: &'static str,
    pub download_png_wide: &'static str,
    pub download_png_square: &'static str,
    pub download_bundle: &'static str,
    pub cite: &'static str,
    pub cite_short: &'static str,
    pub cite_long: &'static str,
    pub description: &'static str,
    pub permalink: &'static str,
    pub full_series: &'static str,
    pub window_note: &'static str,
    pub charts: &'static str,
    pub area: &'static str,
    pub unit: &'static str,
    pub measure: &'static str,
    pub value: &'static str,
    pub definition: &'static str,
    pub kind: &'static str,
    pub kind_stock: &'static str,
    pub kind_flow: &'static str,
    pub measure_unit: &'static str,
    pub series_breaks: &'static str,
    pub derived_from: &'static str,
    pub divided_by: &'static str,
    pub all_units: &'static str,
    pub folded_units: &'static str,
    pub folded_note: &'static str,
    pub not_published_alone: &'static str,
    pub how_to_read: &'static str,
    pub page_not_found: &'static str,
    pub page_not_found_text: &'static str,
    pub go_home: &'static str,
    pub symbols: &'static str,
    pub footer_note: &'static str,
    pub made_with: &'static str,
    pub on_this_page: &'static str,
    pub retrieved: &'static str,
    pub full_data: &'static str,
    pub per_measure: &'static str,
    pub file_format: &'static str,
    pub excel_files: &'static str,
    pub excel_format: &'static str,
    pub feed: &'static str,
    pub headline_charts: &'static str,
    pub latest_values: &'static str,
    pub no_reports: &'static str,
    pub revisions_intro: &'static str,
    pub revisions_caption: &'static str,
    pub revisions_why: &'static str,
    pub no_revisions: &'static str,
    /// The heading of the revisions page's list of series breaks a
    /// published edition marked and the data no longer has.
    pub breaks_removed: &'static str,
    pub breaks_removed_why: &'static str,
    pub no_editions: &'static str,
    pub old_value: &'static str,
    pub new_value: &'static str,
    pub edition: &'static str,
    // The `insyn serve` error page, shown while the site does not build.
    pub serve_broken: &'static str,
    pub serve_errors: &'static str,
    pub serve_fix: &'static str,
    pub serve_not_built: &'static str,
    pub problem_error: &'static str,
    pub problem_warning: &'static str,
    pub problem_found: &'static str,
    pub problem_expected: &'static str,
    pub problem_help: &'static str,
    // Charts: the unit of an axis.
    pub axis_count: &'static str,
    pub axis_fte: &'static str,
    pub axis_percent: &'static str,
    pub axis_days: &'static str,
    pub axis_points: &'static str,
    pub axis_ratio: &'static str,
    // The unit of measurement of a measure, on its page.
    pub unit_count: &'static str,
    pub unit_fte: &'static str,
    pub unit_percent: &'static str,
    pub unit_days: &'static str,
    pub unit_points: &'static str,
    pub unit_ratio: &'static str,
    // What a status symbol means: one name for each, in charts, tables, figures, the data page and downloads.
    pub status_provisional: &'static str,
    pub status_revised: &'static str,
    pub status_estimated: &'static str,
    pub status_low_reliability: &'static str,
    pub status_not_available: &'static str,
    pub status_not_applicable: &'static str,
    pub status_suppressed: &'static str,
    pub status_rounds_to_zero: &'static str,
    pub status_uncomputable: &'static str,
    // Why insyn hides a value (H9), in the words a reader understands.
    pub withheld_small_count: &'static str,
    pub withheld_ratio: &'static str,
    pub withheld_small_unit: &'static str,
    pub withheld_protects: &'static str,
    // Small words for sentences.
    pub and: &'static str,
    pub provisional: &'static str,
    pub hidden: &'static str,
    pub series_break: &'static str,
    pub percentage_points: &'static str,
    // Charts: headers, labels and notes.
    pub quarter: &'static str,
    pub year: &'static str,
    pub both_as_index: &'static str,
    pub workload: &'static str,
    pub workload_header: &'static str,
    pub workload_axis: &'static str,
    pub full_capacity: &'static str,
    pub workload_title: &'static str,
    pub own_axes: &'static str,
    pub compare_omitted: &'static str,
    pub compare_order: &'static str,
    // Editions, frozen copies, moved addresses and embeds (§6).
    pub cite_edition: &'static str,
    pub cite_edition_note: &'static str,
    pub cite_latest: &'static str,
    pub cite_latest_note: &'static str,
    pub editions: &'static str,
    pub current_chart: &'static str,
    pub frozen_note: &'static str,
    pub frozen_formats: &'static str,
    pub the_current_chart: &'static str,
    pub frozen_revisions: &'static str,
    pub pinned_note: &'static str,
    pub embed: &'static str,
    pub embed_intro: &'static str,
    pub embed_frame: &'static str,
    pub embed_frame_note: &'static str,
    pub embed_preview: &'static str,
    pub embed_image: &'static str,
    pub embed_image_note: &'static str,
    pub moved_note: &'static str,
    pub moved_gone: &'static str,
    pub moved_frozen: &'static str,
    /// A compare overview's note: where every unit is named.
    pub overview_all_named: &'static str,
    pub index_crosses_break: &'static str,
    pub from_zero: &'static str,
    pub other_units: &'static str,
    // Column headers of the spreadsheet downloads (the tidy CSV keeps English names).
    pub csv_unit: &'static str,
    pub csv_unit_name: &'static str,
    pub csv_measure: &'static str,
    pub csv_group: &'static str,
    pub csv_value: &'static str,
    pub csv_note: &'static str,
    pub csv_series_break: &'static str,
    // The readme of a chart's data bundle.
    pub bundle_contents: &'static str,
    pub bundle_files: &'static str,
    pub bundle_definitions: &'static str,
    pub bundle_source_and_updates: &'static str,
    pub bundle_last_updated: &'static str,
    pub bundle_next_update: &'static str,
    pub bundle_how_to_cite: &'static str,
    pub bundle_below_threshold: &'static str,
    // A new report (`insyn new report`).
    pub key_points: &'static str,
    pub cases_and_staffing: &'static str,
    // The accessibility statement's opening, by compliance.
    pub compliance_full: &'static str,
    pub compliance_partial: &'static str,
    pub compliance_none: &'static str,
    // Limitations a page states once (chart/notes.rs): the text around the periods.
    pub provisional_note_lead: &'static str,
    pub provisional_note_tail: &'static str,
    pub missing_note_tail: &'static str,
    pub uncomputable_note_tail: &'static str,
    // The comments of a new report's front matter (`insyn new report`).
    pub skeleton_title_comment: &'static str,
    pub skeleton_date_comment: &'static str,
    pub skeleton_rest: &'static str,
    pub skeleton_no_growth_chart: &'static str,
    // A chart's description (chart/describe.rs).
    pub workload_meaning: &'static str,
    pub caveat_missing: &'static str,
    pub caveat_suppressed: &'static str,
    pub caveat_uncomputable: &'static str,
}

impl Lang {
    /// The fixed words of this language.
    pub fn words(self) -> &'static Words {
        match self {
            Lang::Sv => &sv::WORDS,
            Lang::En => &en::WORDS,
        }
    }

    /// The sentences of this language that carry figures or names.
    pub fn phrases(self) -> &'static dyn Phrases {
        match self {
            Lang::Sv => &sv::Swedish,
            Lang::En => &en::English,
        }
    }
}

/// Sentences built around figures, names and periods. Arguments arrive
/// formatted (numbers by [`crate::format`], periods as text), so a phrase
/// only orders words; each language implements every one.
pub trait Phrases: Sync {
    /// A table note: a count too small to show (H9).
    fn table_small_count(&self, below: u32) -> String;
    /// A table note: a value computed from a count too small to show.
    fn table_from_small_count(&self, below: u32) -> String;
    /// H7: a series that trends one way in the window and the other way over
    /// the full series.
    fn cherry_pick(&self, label: &str, window: &Trend, full: &Trend) -> String;
    /// A window that starts after the series does.
    fn window_starts_later(&self, from: &str, first: &str, full_series: &str) -> String;
    /// A window that ends before the series does.
    fn window_ends_earlier(&self, to: &str, last: &str, full_series: &str) -> String;
    /// A compare chart of a period before the latest data, with the
    /// address of the one that follows the latest.
    fn cross_section_earlier(&self, period: &str, last: &str, latest: &str) -> String;
    /// A window inside the series at both ends.
    fn window_inside(&self, span: &str, first: &str, last: &str, full_series: &str) -> String;
    /// A compare chart's total, kept out of the bars of its own parts.
    fn compare_total(&self, name: &str, value: &str) -> String;
    /// A chart's statement of a series break it draws (H3).
    fn break_limitation(&self, marker: &str, period: &str, what: &str) -> String;
    /// A chart's provisional periods (`K3 2024 (aktuella ärenden)`).
    fn provisional_limitation(&self, listed: &str) -> String;
    /// A chart's missing periods, with the unit when the chart has one.
    fn missing_limitation(&self, unit: Option<&str>, listed: &str) -> String;
    /// A chart's counts too small to show (H9).
    fn suppressed_limitation(&self, below: u32, listed: &str) -> String;
    /// A chart's ratios with a zero or missing denominator.
    fn uncomputable_limitation(&self, listed: &str) -> String;
    /// A compare overview's subtitle: every unit as a dot, and the units
    /// nearest the highlighted one (`None`: no unit is highlighted).
    fn overview_order(&self, highlighted: Option<&str>) -> String;
    /// A compare overview's note: what a dot is, how many units have a value.
    fn overview_dots(&self, with_value: &str, all: &str) -> String;
    /// A compare overview's note: the named rows around the highlighted unit.
    fn overview_rows(&self, highlighted: &str, neighbours: &str) -> String;
    /// A compare overview's caveat: totals of groups left to the table.
    fn overview_totals_not_drawn(&self, totals: usize) -> String;
    /// A limitation over more units than it can name.
    fn many_units(&self, count: usize) -> String;
    /// A page's statement of a series break (H3, H10); `period` in running text.
    fn break_note(&self, label: &str, note: &str, period: &str) -> String;
    /// A page's missing periods of one unit and measure, before the periods.
    fn missing_note_lead(&self, unit: &str, label: &str) -> String;
    /// A page's uncomputable periods of one unit and measure, before the periods.
    fn uncomputable_note_lead(&self, unit: &str, label: &str) -> String;
    /// A page's statement of counts too small to publish (H9).
    fn suppressed_note(&self, below: u32) -> String;
    /// The data page's explanation of the `<N` symbol.
    fn small_counts_symbol(&self, below: u32) -> String;
    /// The full citation of a chart.
    fn citation(&self, c: &Citation) -> String;
    /// The name of an area's total (`Nordost, alla enheter`).
    fn area_total(&self, area: &str) -> String;
    /// A new report's first key point for a unit; `value` is a shortcode.
    fn skeleton_open_cases(&self, unit: &str, value: &str) -> String;
    /// A new report's change since a period; the changes are shortcodes.
    fn skeleton_since(&self, from: &str, cases: &str, staffing: &str) -> String;
    /// How a series moved, after the figures: `en ökning med 38 %`; `None`
    /// when the change cannot be told.
    fn movement(&self, m: &Movement) -> Option<String>;
    /// A growth chart's opening: how both indexed series moved from `from`
    /// to `to` (`what` in running text, lower case).
    fn growth_change(&self, from: &str, to: &str, first: &Shift, second: &Shift) -> String;
    /// The levels behind a growth chart's index: `amounts` are figures
    /// before nouns, joined.
    fn growth_levels(&self, unit: &str, first: &Level, last: &Level) -> String;
    /// What a growth chart's index is based on.
    fn index_base(&self, base: &str) -> String;
    /// A count-like series of one unit at two periods, figures before nouns.
    fn counted(&self, unit: &str, first: &Level, last: &Level, movement: &Movement) -> String;
    /// A count-like series of one unit with one period.
    fn counted_once(&self, unit: &str, level: &Level) -> String;
    /// Any other series (a share, a ratio, a reference line) at two periods.
    fn measured(&self, what: &str, first: &Level, last: &Level, movement: &Movement) -> String;
    /// Any other series with one period.
    fn measured_once(&self, what: &str, level: &Level) -> String;
    /// A measure of a unit, in running text: `ärenden per årsarbetare i Nordost`.
    fn of_unit(&self, what: &str, unit: &str) -> String;
    /// A series with nothing to show.
    fn no_values(&self, what: &str) -> String;
    /// A compare chart: `items` are `name figure`, joined.
    fn compare(&self, what: &str, period: &str, units: usize, items: &str) -> String;
    /// The unit a compare chart highlights.
    fn highlighted(&self, unit: &str) -> String;
    /// A count too small to show, in running text.
    fn fewer_than(&self, below: u32) -> String;
    /// A description's caveats, each a clause without its conjunction.
    fn caveats(&self, clauses: &[String]) -> String;
    /// A caveat clause: the series breaks in `periods`.
    fn caveat_breaks(&self, periods: &str) -> String;
    /// A caveat clause: the values of `periods` are provisional.
    fn caveat_provisional(&self, periods: &str) -> String;
    /// One indexed series' movement from `from` to `to`, alone.
    fn one_change(&self, from: &str, to: &str, shift: &Shift) -> String;
}

/// The unit of an axis, capitalised: `Antal` / `Number`.
pub fn axis_unit(unit: MeasureUnit, lang: Lang) -> &'static str {
    let w = lang.words();
    match unit {
        MeasureUnit::Count => w.axis_count,
        MeasureUnit::Fte => w.axis_fte,
        MeasureUnit::Percent => w.axis_percent,
        MeasureUnit::Days => w.axis_days,
        MeasureUnit::Points => w.axis_points,
        MeasureUnit::Ratio => w.axis_ratio,
    }
}

/// The unit of measurement in running text: `antal` / `count`.
pub fn measure_unit(unit: MeasureUnit, lang: Lang) -> &'static str {
    let w = lang.words();
    match unit {
        MeasureUnit::Count => w.unit_count,
        MeasureUnit::Fte => w.unit_fte,
        MeasureUnit::Percent => w.unit_percent,
        MeasureUnit::Days => w.unit_days,
        MeasureUnit::Points => w.unit_points,
        MeasureUnit::Ratio => w.unit_ratio,
    }
}

/// What a status symbol means: the same words in charts, tables, inline
/// figures, the data page and the downloads.
pub fn status_meaning(status: Status, lang: Lang) -> &'static str {
    let w = lang.words();
    match status {
        Status::Final => "",
        Status::Provisional => w.status_provisional,
        Status::Revised => w.status_revised,
        Status::Estimated => w.status_estimated,
        Status::LowReliability => w.status_low_reliability,
        Status::NotAvailable => w.status_not_available,
        Status::NotApplicable => w.status_not_applicable,
        Status::Suppressed => w.status_suppressed,
        Status::RoundsToZero => w.status_rounds_to_zero,
        Status::Withheld(why) => withheld_meaning(why, lang),
    }
}

/// Why insyn hides a value (H9).
pub fn withheld_meaning(why: Withheld, lang: Lang) -> &'static str {
    let w = lang.words();
    match why {
        Withheld::SmallCount => w.withheld_small_count,
        Withheld::Ratio => w.withheld_ratio,
        Withheld::SmallUnit => w.withheld_small_unit,
        Withheld::Protects => w.withheld_protects,
    }
}

/// The first letter upper-cased, for a phrase that starts a sentence.
fn uc(s: &str) -> String {
    crate::format::uc_first(s)
}

/// `a, b och c`: items joined with commas and the last with `and`.
fn join(items: &[String], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

/// Which way a series moved between two periods, with the size formatted
/// (`38 %`, `24,5 procentenheter`). `Unknown` when it cannot be told (from
/// zero, or a value is missing).
pub enum Movement {
    Up(String),
    Down(String),
    Flat,
    Unknown,
}

/// One series' movement, for a sentence that names it (`what` in running
/// text, lower case).
pub struct Shift<'a> {
    pub what: &'a str,
    pub movement: Movement,
}

/// A figure (with its noun where it has one) and the period it belongs to.
pub struct Level<'a> {
    pub figure: &'a str,
    pub period: &'a str,
}

/// The direction, span and size of a trend, for [`Phrases::cherry_pick`].
pub struct Trend<'a> {
    pub rises: bool,
    pub span: &'a str,
    pub change: &'a str,
}

/// What a chart's citation names, formatted.
pub struct Citation<'a> {
    pub organisation: &'a str,
    pub year: &'a str,
    pub title: &'a str,
    pub site: &'a str,
    /// The edition in words, when the address is an edition's frozen copy.
    pub edition: Option<&'a str>,
    /// When the site was published; the access date is the reader's to add.
    pub published: &'a str,
    pub source: &'a str,
    pub extracted: &'a str,
    pub permalink: &'a str,
}

#[cfg(test)]
mod tests;
