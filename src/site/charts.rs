//! Charts on pages: chart blocks and generated specs resolved against the
//! data, the figure markup that embeds them, and each chart's permalink
//! page with its downloads (H5, H6, H7).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::Site;
use super::figures::unpublished_unit;
use super::limits::PageLimits;
use crate::chart::{Chart, ChartContext, ChartSpec, SpecProblem};
use crate::data::Period;
use crate::diagnostics::Diagnostic;
use crate::escape::html as escape_html;

/// Every chart of the site by slug. Built from the pages' charts in page
/// order, so the first definition of a slug wins deterministically.
#[derive(Default)]
pub struct ChartRegistry {
    pub charts: BTreeMap<String, Chart>,
}

impl ChartRegistry {
    pub fn insert(&mut self, chart: Chart) {
        let full = chart.full_series().cloned();
        self.charts.entry(chart.slug().to_string()).or_insert(chart);
        if let Some(full) = full {
            self.charts.entry(full.slug().to_string()).or_insert(full);
        }
    }
}

pub fn context<'a>(site: &'a Site) -> ChartContext<'a> {
    ChartContext {
        config: &site.config,
        lang: site.config.language,
        published_units: &site.published_units,
    }
}

/// Parses, validates and resolves the TOML of a chart block at `line` of
/// `file`. Problems are located in the file.
pub fn resolve_block(
    site: &Site,
    file: &Path,
    line: usize,
    spec_text: &str,
    default_to: Option<Period>,
) -> Result<Chart, Vec<Diagnostic>> {
    let spec = check_block(site, file, line, spec_text)?;
    let mut chart = crate::chart::resolve(
        &spec,
        &site.data,
        &context(site),
        default_to.or(site.latest_period),
    );
    // `line` is the spec's first line; warnings point at the fence above it.
    chart.set_origin(file, line.saturating_sub(1).max(1));
    Ok(chart)
}

/// Parses and validates the TOML of a chart block at `line` of `file`,
/// without resolving or drawing it (see [`super::validate`]). Problems are
/// located in the file.
pub fn check_block(
    site: &Site,
    file: &Path,
    line: usize,
    spec_text: &str,
) -> Result<ChartSpec, Vec<Diagnostic>> {
    let locate = |problems: Vec<SpecProblem>| -> Vec<Diagnostic> {
        problems
            .into_iter()
            .map(|p| {
                let mut d = Diagnostic::error(file, format!("chart block: {}", p.message));
                match p.offset {
                    Some(offset) => {
                        let (l, c) = crate::config::line_column(spec_text, offset);
                        d = d.at(line + l - 1, c);
                    }
                    None => d = d.at_line(line),
                }
                d.found = p.found;
                d.expected = p.expected;
                d.help = p.help;
                d
            })
            .collect()
    };
    let spec = ChartSpec::parse(spec_text).map_err(locate)?;
    let problems = spec.validate_with(&site.data, &|m| site.period_range(m));
    if !problems.is_empty() {
        return Err(locate(problems));
    }
    if let Some(unit) = spec.unit.as_deref()
        && !site.published_units.contains(unit)
    {
        let offset = spec_text.find(unit).unwrap_or(0);
        let (l, c) = crate::config::line_column(spec_text, offset);
        let base = Diagnostic::error(file, "").at(line + l - 1, c);
        return Err(vec![unpublished_unit(site, base, unit)]);
    }
    Ok(spec)
}

/// Resolves a spec the site generates itself (unit and measure pages). Such a
/// spec is built from valid ids, so a problem here is a bug in insyn; it is
/// reported rather than panicking.
pub fn resolve_generated(
    site: &Site,
    spec_text: &str,
    what: &str,
) -> Result<Chart, Vec<Diagnostic>> {
    let fail = |problems: Vec<SpecProblem>| -> Vec<Diagnostic> {
        problems
            .into_iter()
            .map(|p| {
                Diagnostic::error(what, format!("generated chart: {}", p.message)).found(spec_text)
            })
            .collect()
    };
    let spec = ChartSpec::parse(spec_text).map_err(fail)?;
    let problems = spec.validate_with(&site.data, &|m| site.period_range(m));
    if !problems.is_empty() {
        return Err(fail(problems));
    }
    Ok(crate::chart::resolve(
        &spec,
        &site.data,
        &context(site),
        site.latest_period,
    ))
}

/// Markup that embeds a chart: the SVG as an image whose text alternative is
/// the chart's description (H6), a link to its permalink page, and its data
/// as a table for anyone who cannot see the image.
pub fn figure_html(site: &Site, chart: &Chart, root: &str, limits: &mut PageLimits) -> String {
    let lang = site.config.language;
    // The page states each caveat once; the chart's caption says which.
    let mut numbers: Vec<(String, usize)> = Vec::new();
    for n in chart.notes() {
        let added = limits.add(n.clone());
        if !numbers.contains(&added) {
            numbers.push(added);
        }
    }
    numbers.sort_by_key(|(_, n)| *n);
    for m in chart.measures() {
        limits.uses_measure(m);
    }
    let (w, h) = svg_size(chart.svg_str());
    let (nw, nh) = svg_size(chart.svg_narrow());
    let slug = chart.slug();
    // On a phone the browser picks the layout drawn for a narrow screen.
    let mut html = format!(
        "<figure class=\"chart\" id=\"diagram-{slug}\">\n<picture>\n<source media=\"(max-width: 40rem)\" srcset=\"{root}charts/{slug}/chart-narrow.svg\" width=\"{nw}\" height=\"{nh}\">\n<img src=\"{root}charts/{slug}/chart.svg\" alt=\"{}\" width=\"{w}\" height=\"{h}\" loading=\"lazy\" decoding=\"async\">\n</picture>\n",
        escape_html(chart.description()),
    );
    // The table comes before the caption: a figcaption must be the first or
    // last child of its figure.
    html.push_str("<details>\n<summary>");
    html.push_str(&escape_html(lang.words().show_table));
    html.push_str("</summary>\n");
    html.push_str(&table_html(&chart.table()));
    html.push_str("</details>\n");
    html.push_str(&format!(
        "<figcaption><a href=\"{root}charts/{slug}/index.html\">{}</a>",
        escape_html(lang.words().chart_page)
    ));
    if let Some(full) = chart.full_series() {
        html.push_str(&format!(
            " · <a href=\"{root}charts/{}/index.html\">{}</a>",
            full.slug(),
            escape_html(lang.words().full_series)
        ));
    }
    // The page's numbered limitations that apply to this chart (H8).
    if limits.stated && !numbers.is_empty() {
        let links: Vec<String> = numbers
            .iter()
            .map(|(id, n)| format!("<a href=\"#{id}\">{n}</a>"))
            .collect();
        html.push_str(&format!(
            " · <span class=\"chart-limits\">{}: {}</span>",
            escape_html(lang.words().limitations),
            links.join(", ")
        ));
    }
    html.push_str("</figcaption>\n</figure>\n");
    html
}

/// The width and height of an SVG document's root element, for `<img>`
/// attributes that keep the layout from jumping while images load.
pub fn svg_size(svg: &str) -> (u32, u32) {
    let head = &svg[..svg.find('>').unwrap_or(svg.len())];
    let attr = |name: &str| -> Option<u32> {
        let pat = format!(" {name}=\"");
        let start = head.find(&pat)? + pat.len();
        let end = head[start..].find('"')? + start;
        head[start..end]
            .trim_end_matches("px")
            .parse::<f64>()
            .ok()
            .map(|v| v.round() as u32)
    };
    (attr("width").unwrap_or(640), attr("height").unwrap_or(400))
}

/// A data table as HTML: the one renderer of every table of figures (chart
/// figures, chart pages, a unit's latest values), so they cannot drift apart.
pub fn table_html(table: &crate::chart::Table) -> String {
    let mut html = format!(
        "<div class=\"table-scroll\" role=\"region\" aria-label=\"{}\" tabindex=\"0\">\n<table>\n<caption>{}</caption>\n<thead><tr>",
        escape_html(&table.caption),
        escape_html(&table.caption)
    );
    for h in &table.headers {
        html.push_str(&format!("<th scope=\"col\">{}</th>", escape_html(h)));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    // A row's end tags are optional in HTML and a national unit page holds
    // nine tables of forty rows: leaving them out keeps the page light. A
    // `th` first in a row of `td`s is that row's header without `scope`.
    for (label, cells) in &table.rows {
        html.push_str("<tr><th>");
        html.push_str(&escape_html(label));
        for c in cells {
            html.push_str("<td>");
            html.push_str(&escape_html(c));
        }
        html.push('\n');
    }
    html.push_str("</tbody>\n</table>\n</div>\n");
    if !table.notes.is_empty() {
        html.push_str("<ul class=\"table-notes\">");
        for n in &table.notes {
            html.push_str(&format!("<li>{}</li>", escape_html(n)));
        }
        html.push_str("</ul>\n");
    }
    html
}

/// What the chart page template shows.
#[derive(Serialize)]
pub struct ChartView {
    pub title: String,
    pub description: String,
    pub width: u32,
    pub height: u32,
    pub limitations: Vec<String>,
    /// The data table, as HTML (see [`table_html`]).
    pub table: String,
    pub permalink: String,
    pub full_series_href: Option<String>,
    pub bundle: String,
    pub cite_short: String,
    pub cite_long: String,
}

/// Short and long citations (publisher, year, title, address, retrieval date).
pub fn citations(site: &Site, title: &str, permalink: &str) -> (String, String) {
    let c = &site.config;
    let lang = c.language;
    let year = c.source.extracted.year();
    let built = crate::format::date_long(&c.source.extracted.0, lang);
    let short = format!("{}, {} ({year})", c.organisation, title);
    let year = year.to_string();
    let long = lang.phrases().citation(&crate::i18n::Citation {
        organisation: &c.organisation,
        year: &year,
        title,
        site: &c.title,
        source: &c.source.name,
        extracted: &built,
        permalink,
    });
    (short, long)
}

pub fn chart_view(site: &Site, chart: &Chart, svg: &str) -> ChartView {
    let (width, height) = svg_size(svg);
    let permalink = chart.permalink();
    let (cite_short, cite_long) = citations(site, chart.title(), &permalink);
    ChartView {
        title: chart.title().to_string(),
        description: chart.description().to_string(),
        width,
        height,
        limitations: chart.limitations().to_vec(),
        table: table_html(&chart.table()),
        full_series_href: chart
            .full_series()
            .map(|f| format!("{}index.html", f.path())),
        permalink,
        bundle: format!("{}.zip", chart.slug()),
        cite_short,
        cite_long,
    }
}
