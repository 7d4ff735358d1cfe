//! English.

use super::{Citation, Level, Movement, Phrases, Shift, Trend, Words, join, uc};

pub const WORDS: Words = Words {
    skip_to_content: "Skip to content",
    main_navigation: "Main navigation",
    home: "Home",
    reports: "Reports",
    units: "Units",
    measures: "Measures and method",
    data: "Data",
    about_statistics: "About the statistics",
    accessibility: "Accessibility",
    accessibility_statement: "Accessibility statement",
    revisions: "Revisions",
    latest_report: "Latest report",
    all_reports: "All reports",
    next_publication: "Next publication",
    published: "Published",
    period: "Period",
    contact: "Contact",
    author: "Author",
    limitations: "Limitations",
    limitation: "limitation",
    limitations_intro: "What you need to know to read these figures correctly.",
    limitations_computed: "About the figures in this report",
    limitations_measures: "About the measures",
    limitations_author: "The author's notes",
    previous_report: "Previous report",
    next_report: "Next report",
    archive: "Archive",
    source: "Source",
    data_extracted: "Data extracted",
    chart_page: "About this chart: data, downloads and citation",
    show_table: "Show the figures as a table",
    downloads: "Downloads",
    download_svg: "The chart as SVG (scalable image)",
    download_png: "The chart as PNG (for slides)",
    download_csv: "The chart's data as CSV",
    download_csv_excel: "The chart's data for Excel (CSV, UTF-8 with byte-order mark)",
    download_png_wide: "Image for slides, 16:9 (PNG, 1920 × 1080 pixels)",
    download_png_square: "Square image for social media (PNG, 1080 × 1080 pixels)",
    download_bundle: "Data bundle with readme (ZIP)",
    cite: "How to cite this chart",
    cite_short: "Short",
    cite_long: "Full",
    description: "Description",
    permalink: "Permanent address",
    full_series: "See the full series",
    window_note: "This chart shows part of the series.",
    charts: "Charts",
    area: "Area",
    unit: "Unit",
    measure: "Measure",
    value: "Value",
    definition: "Definition",
    kind: "Kind of measure",
    kind_stock: "Stock: the value at the end of the quarter",
    kind_flow: "Flow: the total during the period",
    measure_unit: "Unit of measurement",
    series_breaks: "Series breaks",
    derived_from: "Computed as",
    divided_by: "divided by",
    all_units: "All units",
    folded_units: "Small units are not reported separately",
    folded_note: "This unit has too few staff to be reported on its own without identifying individuals. Its figures are included in",
    not_published_alone: "not reported separately",
    how_to_read: "How to read the figures",
    page_not_found: "Page not found",
    page_not_found_text: "The page you are looking for does not exist or has moved.",
    go_home: "Go to the home page",
    symbols: "Symbols",
    footer_note: "The figures show volume, not the quality of the help given. Nothing is ever shown per caseworker.",
    made_with: "Built with insyn",
    on_this_page: "On this page",
    retrieved: "retrieved",
    full_data: "All figures in one file",
    per_measure: "Per measure",
    file_format: "UTF-8, comma-separated, one row per value",
    excel_files: "The same files for Excel",
    excel_format: "UTF-8 with a byte-order mark, comma-separated with a decimal point, as Excel expects; status and series-break notes in columns of their own",
    feed: "Report feed (Atom)",
    headline_charts: "Cases and staffing by area",
    latest_values: "Latest values",
    no_reports: "No reports yet.",
    revisions_intro: "Every value that has changed since the last published edition is listed here, edition",
    revisions_caption: "Changed values",
    revisions_why: "Values change when late registrations arrive or errors are corrected. Changed values are marked r in tables, charts and downloads.",
    no_revisions: "No value has changed since the last edition.",
    breaks_removed: "Series breaks removed",
    breaks_removed_why: "The last edition marked a series break at these quarters; the data no longer does, and charts now join the line across them. When it was published, values before and after each break were not comparable.",
    no_editions: "No edition has been published yet. Once one is published with insyn publish, later data are compared with it.",
    old_value: "Previous value",
    new_value: "New value",
    edition: "Edition",
    // The `insyn serve` error page.
    serve_broken: "The site does not build",
    serve_errors: "error(s)",
    serve_fix: "Fix the file and save it: this page reloads by itself. The server keeps running.",
    serve_not_built: "the site has not been built yet",
    problem_error: "error",
    problem_warning: "warning",
    problem_found: "found",
    problem_expected: "expected",
    problem_help: "help",
    // Charts: the unit of an axis.
    axis_count: "Number",
    axis_fte: "Full-time equivalents",
    axis_percent: "Per cent",
    axis_days: "Days",
    axis_points: "Points",
    axis_ratio: "Ratio",
    // The unit of measurement of a measure, on its page.
    unit_count: "count",
    unit_fte: "full-time equivalents",
    unit_percent: "percent",
    unit_days: "days",
    unit_points: "points",
    unit_ratio: "ratio",
    // What a status symbol means: one name for each, in charts, tables, figures, the data page and downloads.
    status_provisional: "provisional value",
    status_revised: "revised value",
    status_estimated: "estimated value",
    status_low_reliability: "low reliability",
    status_not_available: "not available",
    status_not_applicable: "not applicable",
    status_suppressed: "suppressed at the source",
    status_rounds_to_zero: "rounds to zero but is not zero",
    status_uncomputable: "cannot be computed (the denominator is zero or missing)",
    // Why insyn hides a value (H9), in the words a reader understands.
    withheld_small_count: "too small a count to show, so that nobody can be identified",
    withheld_ratio: "hidden because it is computed from a hidden value or from too few staff",
    withheld_small_unit: "hidden: the unit had too few staff in that period and only counts in the totals",
    withheld_protects: "hidden to protect another value, which could otherwise be worked out from the total",
    // Small words for sentences.
    and: "and",
    provisional: "provisional",
    hidden: "hidden",
    series_break: "series break",
    percentage_points: "percentage points",
    // Charts: headers, labels and notes.
    quarter: "Quarter",
    year: "Year",
    both_as_index: "both series as an index on one axis",
    workload: "Workload",
    workload_header: "Workload, % of capacity",
    workload_axis: "Weighted workload as per cent of capacity",
    full_capacity: "100% = full capacity",
    workload_title: "Workload relative to capacity",
    own_axes: "Different units: each panel has its own axis from zero",
    compare_omitted: "Units too small to be reported on their own are not shown.",
    compare_order: "Units in alphabetical order, not ranked",
    cite_edition: "This edition",
    cite_edition_note: "The frozen copy: it never changes, not even when new data arrives or values are revised.",
    cite_latest: "Latest version",
    cite_latest_note: "Follows new data: the address always shows the whole current series.",
    editions: "Editions with this chart",
    current_chart: "See the current chart",
    frozen_note: "This is a frozen copy of the chart as it was published in the edition",
    frozen_formats: "Images for slides and social media are not part of the frozen copy; they are there for",
    the_current_chart: "the current chart",
    frozen_revisions: "Values changed later are listed under",
    pinned_note: "The chart ends at a fixed period and does not change when new quarters arrive.",
    embed: "Put it on another web page",
    embed_intro: "Copy the code into your web publishing tool. The source, limitations and address come with the picture.",
    embed_frame: "As a frame (iframe)",
    embed_frame_note: "The frame shows the chart with a caption and a link here, without script, and follows new data.",
    embed_preview: "What the frame shows",
    embed_image: "As a linked picture",
    embed_image_note: "The picture (PNG) with the chart's description as its text alternative, linked to this page.",
    moved_note: "This address was last published in the edition",
    moved_gone: "The page is no longer part of the current site. Here is where to find what it showed:",
    moved_frozen: "The frozen copy, as it was published",
    overview_all_named: "Every unit is named in the table and the CSV file on the chart's page.",
    index_crosses_break: " The index crosses a definition change: compare values before and after with care.",
    from_zero: "A percentage change cannot be computed from zero.",
    other_units: "Other",
    // Column headers of the spreadsheet downloads (the tidy CSV keeps English names).
    csv_unit: "unit",
    csv_unit_name: "unit name",
    csv_measure: "measure",
    csv_group: "group",
    csv_value: "value",
    csv_note: "note",
    csv_series_break: "Series break",
    // The readme of a chart's data bundle.
    bundle_contents: "Contents",
    bundle_files: "chart.svg        the chart\ndata.csv         the data drawn in the chart (UTF-8, comma-separated, decimal point)\ndata-excel.csv   the same data for Excel (UTF-8 with BOM, series-break notes in a column of their own)\n",
    bundle_definitions: "Definitions",
    bundle_source_and_updates: "Source and updates",
    bundle_last_updated: "Last updated (data extracted)",
    bundle_next_update: "Next update",
    bundle_how_to_cite: "How to cite",
    bundle_below_threshold: "counts under the threshold are not shown",
    // A new report (`insyn new report`).
    key_points: "Key points",
    cases_and_staffing: "Cases and staffing",
    // The accessibility statement's opening, by compliance.
    compliance_full: "This website is fully compliant with the Swedish Act (2018:1937) on accessibility to digital public services.",
    compliance_partial: "This website is partially compliant with the Swedish Act (2018:1937) on accessibility to digital public services, due to the shortcomings described below.",
    compliance_none: "This website is not compliant with the Swedish Act (2018:1937) on accessibility to digital public services. The main shortcomings are described below.",
    // Limitations a page states once (chart/notes.rs): the text around the periods.
    provisional_note_lead: "Provisional values (marked p; in charts hollow markers and a dashed line): ",
    provisional_note_tail: ". They may change when the period's data are complete.",
    missing_note_tail: ". The line is broken there; nothing has been filled in.",
    uncomputable_note_tail: ". Shown as a gap marked –.",
    // The comments of a new report's front matter (`insyn new report`).
    skeleton_title_comment: "# The heading: say what happened, in plain words.\n",
    skeleton_date_comment: "# The publication date. Change it to the day the report is published.\n",
    skeleton_rest: "# One or two sentences for the report list and the feed. Remove the # once written.\n# summary = \"\"\n# author = \"Name, role\"\n# Your own limitations: what the figures cannot show. One quoted text per line.\n# The report also lists every limitation that follows from the data (series breaks,\n# provisional values, missing quarters) without you writing them.\nlimitations = [\n  # \"The figures for the latest quarter are provisional.\",\n]\n",
    skeleton_no_growth_chart: "The site has no measure with role `caseload` and staffing measure, so there is no growth chart to fill in.\n",
    // A chart's description (chart/describe.rs).
    workload_meaning: "100% means the workload equals full capacity.",
    caveat_missing: "some periods were not reported",
    caveat_suppressed: "small counts are not shown to protect individuals",
    caveat_uncomputable: "some values cannot be computed because the denominator is zero",
};

pub struct English;

impl Phrases for English {
    fn table_small_count(&self, below: u32) -> String {
        format!("fewer than {below}; not shown to protect individuals")
    }

    fn table_from_small_count(&self, below: u32) -> String {
        format!("not shown: computed from a count below {below}")
    }

    fn cherry_pick(&self, label: &str, window: &Trend, full: &Trend) -> String {
        let dir = |t: &Trend| if t.rises { "rises" } else { "falls" };
        format!(
            "{label} {} over the chosen window ({}, {}) but {} over the full series ({}, {}).",
            dir(window),
            window.span,
            window.change,
            dir(full),
            full.span,
            full.change
        )
    }

    fn window_starts_later(&self, from: &str, first: &str, full_series: &str) -> String {
        format!(
            "The chart starts in {from}, but the series goes back to {first}. Full series: {full_series}"
        )
    }

    fn window_ends_earlier(&self, to: &str, last: &str, full_series: &str) -> String {
        format!(
            "The chart ends in {to}, but the series continues to {last}. Full series: {full_series}"
        )
    }

    fn cross_section_earlier(&self, period: &str, last: &str, latest: &str) -> String {
        format!("The chart shows {period}, but there are data up to {last}. Latest: {latest}")
    }

    fn window_inside(&self, span: &str, first: &str, last: &str, full_series: &str) -> String {
        format!(
            "The chart shows {span}, but the series goes back to {first} and continues to {last}. Full series: {full_series}"
        )
    }

    fn compare_total(&self, name: &str, value: &str) -> String {
        format!("{name} ({value}) is the sum of the units and is not drawn as a point among them.")
    }

    fn break_limitation(&self, marker: &str, period: &str, what: &str) -> String {
        format!(
            "Series break ({marker}) {period}, {what}. The line is not joined across the break."
        )
    }

    fn provisional_limitation(&self, listed: &str) -> String {
        format!(
            "Provisional: {listed}. The values may change and are drawn with hollow markers and a dashed line."
        )
    }

    fn missing_limitation(&self, unit: Option<&str>, listed: &str) -> String {
        let whose = unit.map(|u| format!(" for {u}")).unwrap_or_default();
        format!(
            "Not reported{whose}: {listed}. The line is broken there; nothing has been filled in."
        )
    }

    fn suppressed_limitation(&self, below: u32, listed: &str) -> String {
        format!(
            "Counts below {below} are shown as <{below} and not drawn, to protect individuals; values computed from them are shown as x: {listed}."
        )
    }

    fn uncomputable_limitation(&self, listed: &str) -> String {
        format!(
            "Cannot be computed because the denominator is zero or missing (for example 0 FTE): {listed}. Shown as a gap marked –."
        )
    }

    fn overview_order(&self, highlighted: Option<&str>) -> String {
        match highlighted {
            Some(name) => format!("Every unit as a dot, and the units nearest {name} in value"),
            None => "Every unit as a dot".to_string(),
        }
    }

    fn overview_dots(&self, with_value: &str, all: &str) -> String {
        format!("Each dot is a unit ({with_value} of {all} have a value).")
    }

    fn overview_rows(&self, highlighted: &str, neighbours: &str) -> String {
        format!(
            "The rows show {highlighted} and the {neighbours} units nearest in value, highest first."
        )
    }

    fn overview_totals_not_drawn(&self, totals: usize) -> String {
        format!(
            "{totals} totals of groups of these units are not drawn; they are in the table and the CSV file."
        )
    }

    fn many_units(&self, count: usize) -> String {
        format!("{count} units, see the table")
    }

    fn break_note(&self, label: &str, note: &str, period: &str) -> String {
        format!(
            "{label}: {note} (from {period}). Values before and after are not fully comparable, and the charts' lines are not joined across the break."
        )
    }

    fn missing_note_lead(&self, unit: &str, label: &str) -> String {
        format!("Not reported for {unit}, {label}: ")
    }

    fn uncomputable_note_lead(&self, unit: &str, label: &str) -> String {
        format!(
            "Cannot be computed for {unit}, {label}, because the denominator is zero or missing: "
        )
    }

    fn suppressed_note(&self, below: u32) -> String {
        format!(
            "Counts from 1 to {} are shown as “<{below}” so that no individual can be identified. Values and changes built on such counts are not shown (x).",
            below.saturating_sub(1)
        )
    }

    fn small_counts_symbol(&self, below: u32) -> String {
        format!(
            "counts from 1 to {} are not shown, so that nobody can be identified",
            below.saturating_sub(1)
        )
    }

    fn citation(&self, c: &Citation) -> String {
        format!(
            "{}. ({}). {}. In: {}{}. Published {}. Source: {}, data extracted {}. {} (accessed [date]).",
            c.organisation,
            c.year,
            c.title,
            c.site,
            c.edition
                .map(|e| format!(", edition {e}"))
                .unwrap_or_default(),
            c.published,
            c.source,
            c.extracted,
            c.permalink,
        )
    }

    fn area_total(&self, area: &str) -> String {
        format!("{area}, all units")
    }

    fn skeleton_open_cases(&self, unit: &str, value: &str) -> String {
        format!("- {unit} had {value} open cases at the end of the quarter.")
    }

    fn skeleton_since(&self, from: &str, cases: &str, staffing: &str) -> String {
        format!("  Since {from}, cases changed by {cases} and staffing by {staffing}.")
    }

    fn movement(&self, m: &Movement) -> Option<String> {
        match m {
            Movement::Up(by) => Some(format!("an increase of {by}")),
            Movement::Down(by) => Some(format!("a decrease of {by}")),
            Movement::Flat => Some("unchanged".to_string()),
            Movement::Unknown => None,
        }
    }

    fn growth_change(&self, from: &str, to: &str, first: &Shift, second: &Shift) -> String {
        let clause = |m: &Movement| match m {
            Movement::Up(by) => format!("rose by {by}"),
            Movement::Down(by) => format!("fell by {by}"),
            Movement::Flat | Movement::Unknown => "held steady".to_string(),
        };
        let lead = format!(
            "{} {} from {from} to {to}",
            uc(first.what),
            clause(&first.movement)
        );
        match (&first.movement, &second.movement) {
            (Movement::Unknown, Movement::Unknown) => {
                format!("The change since {from} cannot be computed.")
            }
            (Movement::Unknown, _) => format!(
                "{} {} from {from} to {to}; the change in {} cannot be computed.",
                uc(second.what),
                clause(&second.movement),
                first.what
            ),
            (_, Movement::Unknown) => {
                format!("{lead}; the change in {} cannot be computed.", second.what)
            }
            (Movement::Up(_), Movement::Up(by)) | (Movement::Down(_), Movement::Down(by)) => {
                format!("{lead} and {} by {by}.", second.what)
            }
            _ => format!(
                "{lead}, while {} {}.",
                second.what,
                clause(&second.movement)
            ),
        }
    }

    fn growth_levels(&self, unit: &str, first: &Level, last: &Level) -> String {
        format!(
            "In {}, {unit} had {}; in {}, it had {}.",
            first.period, first.figure, last.period, last.figure
        )
    }

    fn index_base(&self, base: &str) -> String {
        format!("Indexed to {base} = 100.")
    }

    fn counted(&self, unit: &str, first: &Level, last: &Level, movement: &Movement) -> String {
        let tail = self
            .movement(movement)
            .map(|m| format!(", {m}"))
            .unwrap_or_default();
        format!(
            "{unit} had {} in {} and {} in {}{tail}.",
            first.figure, first.period, last.figure, last.period
        )
    }

    fn counted_once(&self, unit: &str, level: &Level) -> String {
        format!("{unit} had {} in {}.", level.figure, level.period)
    }

    fn measured(&self, what: &str, first: &Level, last: &Level, movement: &Movement) -> String {
        let tail = self
            .movement(movement)
            .map(|m| format!(", {m}"))
            .unwrap_or_default();
        format!(
            "{} stood at {} in {} and {} in {}{tail}.",
            uc(what),
            first.figure,
            first.period,
            last.figure,
            last.period
        )
    }

    fn measured_once(&self, what: &str, level: &Level) -> String {
        format!(
            "{} stood at {} in {}.",
            uc(what),
            level.figure,
            level.period
        )
    }

    fn of_unit(&self, what: &str, unit: &str) -> String {
        format!("{what} in {unit}")
    }

    fn no_values(&self, what: &str) -> String {
        format!("No values can be shown for {what}.")
    }

    fn compare(&self, what: &str, period: &str, units: usize, items: &str) -> String {
        let units = if units == 1 {
            "1 unit".to_string()
        } else {
            format!("{units} units")
        };
        format!(
            "{} in {period} for {units}, in alphabetical order: {items}.",
            uc(what)
        )
    }

    fn highlighted(&self, unit: &str) -> String {
        format!("{unit} is highlighted.")
    }

    fn fewer_than(&self, below: u32) -> String {
        format!("fewer than {below}")
    }

    fn caveats(&self, clauses: &[String]) -> String {
        let clauses: Vec<String> = clauses.iter().map(|c| format!("that {c}")).collect();
        format!("Note {}.", join(&clauses, "and"))
    }

    fn caveat_breaks(&self, periods: &str) -> String {
        format!("the series breaks in {periods} because of a definition change")
    }

    fn caveat_provisional(&self, periods: &str) -> String {
        format!("the values for {periods} are provisional")
    }

    fn one_change(&self, from: &str, to: &str, shift: &Shift) -> String {
        match &shift.movement {
            Movement::Up(by) => format!("{} rose by {by} from {from} to {to}.", uc(shift.what)),
            Movement::Down(by) => format!("{} fell by {by} from {from} to {to}.", uc(shift.what)),
            Movement::Flat => format!("{} held steady from {from} to {to}.", uc(shift.what)),
            Movement::Unknown => format!("The change in {} cannot be computed.", shift.what),
        }
    }
}
