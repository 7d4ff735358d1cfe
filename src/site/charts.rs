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

/// Every chart of the site by slug, with what the build needs of a chart
/// once its files are made. Filled from the pages' charts in page order, so
/// the first definition of a slug wins deterministically.
#[derive(Default)]
pub struct ChartRegistry {
    pub charts: BTreeMap<String, RegisteredChart>,
}

/// A chart of the registry: its address, title and the address of the same
/// chart following the latest data.
pub struct RegisteredChart {
    pub path: String,
    pub title: String,
    pub latest_slug: String,
}

impl ChartRegistry {
    /// Registers a chart, its full series (H7) and, for a chart pinned to
    /// an end period, the same chart following the latest data, so that the
    /// addresses a chart page links to always answer. Returns those whose
    /// slug was new, in that order: the charts whose files are to be made.
    pub fn insert(&mut self, chart: Chart) -> Vec<Chart> {
        let mut more: Vec<Chart> = chart.full_series().into_iter().cloned().collect();
        more.extend(chart.latest_chart().cloned());
        let mut new = Vec::new();
        for c in std::iter::once(chart).chain(more) {
            if !self.charts.contains_key(c.slug()) {
                self.charts.insert(
                    c.slug().to_string(),
                    RegisteredChart {
                        path: c.path(),
                        title: c.title().to_string(),
                        latest_slug: c.latest_slug().to_string(),
                    },
                );
                new.push(c);
            }
        }
        new
    }
}

pub fn context<'a>(site: &'a Site) -> ChartContext<'a> {
    ChartContext {
        config: &site.config,
        lang: site.config.language,
        published_units: &site.published_units,
        latest: site.latest_period,
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
    let mut chart = crate::chart::resolve(&spec, &site.data, &context(site), default_to)
        .map_err(|problems| locate(file, line, spec_text, problems))?;
    // `line` is the spec's first line; warnings point at the fence above it.
    chart.set_origin(file, line.saturating_sub(1).max(1));
    if let Some(cache) = &site.cache {
        chart.keep_drawings_in(cache);
    }
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
    let locate = |problems| locate(file, line, spec_text, problems);
    let spec = ChartSpec::parse(spec_text).map_err(locate)?;
    let problems = spec.validate_with(&site.data, &|m| site.period_range(m));
    if !problems.is_empty() {
        return Err(locate(problems));
    }
    if let Some(unit) = spec.unit()
        && !site.published_units.contains(unit)
    {
        let offset = spec_text.find(unit).unwrap_or(0);
        let (l, c) = crate::config::line_column(spec_text, offset);
        let base = Diagnostic::error(file, "").at(line + l - 1, c);
        return Err(vec![unpublished_unit(site, base, unit)]);
    }
    Ok(spec)
}

/// Problems of the chart block at `line` of `file` (its TOML is
/// `spec_text`), located in the file.
fn locate(
    file: &Path,
    line: usize,
    spec_text: &str,
    problems: Vec<SpecProblem>,
) -> Vec<Diagnostic> {
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
}

/// Resolves a spec the site generates itself (unit and measure pages),
/// built as a value from ids of the data. It is still checked against the
/// data, so that a generated chart the data cannot draw is reported (as a
/// bug in insyn, naming the spec) rather than drawn wrong.
pub fn resolve_generated(
    site: &Site,
    spec: &ChartSpec,
    what: &str,
) -> Result<Chart, Vec<Diagnostic>> {
    let fail = |problems: Vec<SpecProblem>| -> Vec<Diagnostic> {
        problems
            .into_iter()
            .map(|p| {
                Diagnostic::error(what, format!("generated chart: {}", p.message))
                    .found(spec.to_toml())
            })
            .collect()
    };
    let problems = spec.validate_with(&site.data, &|m| site.period_range(m));
    if !problems.is_empty() {
        return Err(fail(problems));
    }
    let mut chart = crate::chart::resolve(spec, &site.data, &context(site), None).map_err(fail)?;
    if let Some(cache) = &site.cache {
        chart.keep_drawings_in(cache);
    }
    Ok(chart)
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
    let (w, h) = chart.svg_dimensions();
    let (nw, nh) = chart.svg_narrow_dimensions();
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
    html.push_str(&table_html(chart.table()));
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
    /// "This edition" (frozen) first where there is one, then "latest".
    pub citations: Vec<Citation>,
    /// Markup to put the chart on another web page (live charts only).
    pub embed: Option<EmbedSnippets>,
    /// Markup for the picture alone, linked to the chart page.
    pub image_snippet: String,
    /// On a frozen copy: which edition it is and where today's chart is.
    pub frozen: Option<FrozenView>,
    /// For a pinned chart: the same chart following the latest data.
    pub latest_href: Option<String>,
    /// The editions that froze this address, oldest first.
    pub editions: Vec<EditionLink>,
}

/// One way to cite a chart.
#[derive(Serialize)]
pub struct Citation {
    /// "This edition" or "Latest version", with its publication date.
    pub label: String,
    pub note: String,
    pub short: String,
    pub long: String,
    pub address: String,
}

/// Copyable markup for another site's page.
#[derive(Serialize)]
pub struct EmbedSnippets {
    /// The embed page, relative to the chart page.
    pub href: String,
    pub iframe: String,
}

/// What a frozen copy says about itself.
#[derive(Serialize)]
pub struct FrozenView {
    pub edition: String,
    pub published: String,
    /// Today's chart, from the site root.
    pub current_href: String,
}

/// A link to an edition's frozen copy of a chart.
#[derive(Serialize)]
pub struct EditionLink {
    pub title: String,
    pub href: String,
}

/// The edition `name` in words: `kvartal 4 2025` / `Q4 2025`.
pub fn edition_words(name: &str, lang: crate::text::Lang) -> String {
    Period::parse(name).map_or_else(|| name.to_string(), |p| crate::format::period_long(p, lang))
}

/// Short and long citations of the chart at `permalink` (publisher, year,
/// title, edition, publication date, address). The date is the build's
/// publication date (see [`super::Publication`]); when the reader fetched it
/// is theirs to fill in. An address under `editions/` cites that edition.
pub fn citations(site: &Site, title: &str, permalink: &str) -> (String, String) {
    let c = &site.config;
    let lang = c.language;
    let publication = &site.publication;
    let edition = publication.edition.as_deref().filter(|name| {
        permalink.starts_with(&format!(
            "{}{}",
            c.base_url(),
            super::editions::edition_dir(name)
        ))
    });
    let year = publication.date.get(..4).unwrap_or_default();
    let published = crate::format::date_long(&publication.date, lang);
    let extracted = crate::format::date_long(&c.source.extracted.0, lang);
    let short = format!("{}, {} ({year})", c.organisation, title);
    let edition = edition.map(|e| edition_words(e, lang));
    let long = lang.phrases().citation(&crate::i18n::Citation {
        organisation: &c.organisation,
        year,
        title,
        site: &c.title,
        edition: edition.as_deref(),
        published: &published,
        source: &c.source.name,
        extracted: &extracted,
        permalink,
    });
    (short, long)
}

fn citation(site: &Site, title: &str, permalink: String, label: &str, note: &str) -> Citation {
    let (short, long) = citations(site, title, &permalink);
    Citation {
        label: label.to_string(),
        note: note.to_string(),
        short,
        long,
        address: permalink,
    }
}

pub fn chart_view(site: &Site, chart: &Chart, svg: &str) -> ChartView {
    let lang = site.config.language;
    let (width, height) = crate::chart::svg_size(svg);
    let permalink = chart.permalink();
    let base_url = site.config.base_url();
    let publication = &site.publication;
    let published = crate::format::date_long(&publication.date, lang);
    let live_path = format!("charts/{}/", chart.slug());
    let latest_path = format!("charts/{}/", chart.latest_slug());
    let frozen = chart.path() != live_path;
    let edition_name = publication.edition.clone().unwrap_or_default();
    let edition_dir = super::editions::edition_dir(&edition_name);
    // This build's edition holds a frozen copy of the chart: being
    // published now, or recorded by the publication this build repeats.
    let edition_copy = if frozen {
        Some(permalink.clone())
    } else if publication.publishing
        || site
            .archive
            .get(&edition_name)
            .is_some_and(|e| e.files.contains_key(&format!("{live_path}index.html")))
    {
        Some(format!("{base_url}{edition_dir}{live_path}"))
    } else {
        None
    };
    let mut cites = Vec::new();
    if let Some(address) = edition_copy {
        cites.push(citation(
            site,
            chart.title(),
            address,
            &format!(
                "{} ({}, {} {published})",
                lang.words().cite_edition,
                edition_words(&edition_name, lang),
                lang.words().published.to_lowercase()
            ),
            lang.words().cite_edition_note,
        ));
    }
    // A pinned chart's latest version is another chart, with its own title.
    let latest_title = chart.latest_chart().map_or(chart.title(), Chart::title);
    cites.push(citation(
        site,
        latest_title,
        format!("{base_url}{latest_path}"),
        &format!(
            "{} ({} {published})",
            lang.words().cite_latest,
            lang.words().published.to_lowercase()
        ),
        lang.words().cite_latest_note,
    ));
    let (cite_w, cite_h) = (
        640,
        (640.0 * height as f64 / width.max(1) as f64).round() as u32,
    );
    let image_snippet = format!(
        "<a href=\"{permalink}\"><img src=\"{permalink}chart.png\" alt=\"{}\" width=\"{cite_w}\" height=\"{cite_h}\"></a>",
        escape_html(chart.description())
    );
    let embed = (!frozen).then(|| EmbedSnippets {
        href: "embed/index.html".to_string(),
        iframe: format!(
            "<iframe src=\"{permalink}embed/\" title=\"{}\" width=\"{cite_w}\" height=\"{}\" loading=\"lazy\"></iframe>",
            escape_html(chart.title()),
            cite_h + EMBED_CAPTION_HEIGHT
        ),
    });
    ChartView {
        title: chart.title().to_string(),
        description: chart.description().to_string(),
        width,
        height,
        limitations: chart.limitations().to_vec(),
        table: table_html(chart.table()),
        full_series_href: chart
            .full_series()
            .map(|f| format!("{}index.html", f.path())),
        permalink,
        bundle: format!("{}.zip", chart.slug()),
        citations: cites,
        embed,
        image_snippet,
        frozen: frozen.then(|| FrozenView {
            edition: edition_words(&edition_name, lang),
            published: published.clone(),
            current_href: format!("{latest_path}index.html"),
        }),
        latest_href: (!frozen && !chart.follows_latest())
            .then(|| format!("{latest_path}index.html")),
        editions: edition_links(site, &live_path),
    }
}

/// The editions that froze the chart at `live_path`, oldest first, the one
/// being published included: a publishing build and the rebuild after it
/// show the same page.
fn edition_links(site: &Site, live_path: &str) -> Vec<EditionLink> {
    let lang = site.config.language;
    let link = |name: &str, published: &str| EditionLink {
        title: format!(
            "{} ({} {})",
            edition_words(name, lang),
            lang.words().published.to_lowercase(),
            crate::format::date_long(published, lang)
        ),
        href: format!(
            "{}{live_path}index.html",
            super::editions::edition_dir(name)
        ),
    };
    let mut links: Vec<EditionLink> = site
        .archive
        .frozen_copies(live_path)
        .map(|e| link(&e.name, &e.published))
        .collect();
    let publication = &site.publication;
    if let (true, Some(name)) = (publication.publishing, &publication.edition)
        && !site
            .archive
            .frozen_copies(live_path)
            .any(|e| &e.name == name)
    {
        links.push(link(name, &publication.date));
    }
    links
}

/// Height in CSS pixels the embed page gives its caption below the picture
/// (title, source and a link): the `<iframe>` snippet adds it to the
/// picture's, so the frame shows everything without scrolling.
pub const EMBED_CAPTION_HEIGHT: u32 = 96;

/// What the embed page shows: the picture, a caption, the source, the
/// limitations and a link to the chart page.
#[derive(Serialize)]
pub struct EmbedView {
    pub title: String,
    pub description: String,
    pub width: u32,
    pub height: u32,
    pub source: String,
    pub limitations: Vec<String>,
    /// The chart page. Relative, like every link of the site: inside a
    /// frame it resolves against the embed page's own address.
    pub chart_href: String,
}

pub fn embed_view(site: &Site, chart: &Chart) -> EmbedView {
    let (width, height) = chart.svg_dimensions();
    let c = &site.config;
    EmbedView {
        title: chart.title().to_string(),
        description: chart.description().to_string(),
        width,
        height,
        source: format!(
            "{}, {}. {} {}.",
            c.organisation,
            c.source.name,
            c.language.words().published,
            crate::format::date_long(&site.publication.date, c.language)
        ),
        limitations: chart.limitations().to_vec(),
        chart_href: "../index.html".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::ChartType;

    fn chart(slug: &str, title: &str) -> Chart {
        let mut chart = crate::chart::test_chart(ChartType::Series, 6, false);
        chart.slug = slug.to_string();
        chart.latest_slug = slug.to_string();
        chart.home = format!("charts/{slug}/");
        chart.title = title.to_string();
        chart
    }

    #[test]
    fn the_first_chart_of_a_slug_wins_and_only_new_charts_are_handed_back() {
        let mut registry = ChartRegistry::default();
        let new = registry.insert(chart("a", "First"));
        assert_eq!(new.len(), 1);
        assert!(registry.insert(chart("a", "Second")).is_empty());
        assert_eq!(registry.charts["a"].title, "First");

        // A pinned chart brings the chart that follows the latest data.
        let mut pinned = chart("b-to-2024q4", "Pinned");
        pinned.latest_slug = "b".to_string();
        pinned.latest = Some(Box::new(chart("b", "Following")));
        let new: Vec<String> = registry
            .insert(pinned)
            .iter()
            .map(|c| c.slug().to_string())
            .collect();
        assert_eq!(new, ["b-to-2024q4", "b"]);
        assert_eq!(registry.charts["b-to-2024q4"].latest_slug, "b");
        assert_eq!(registry.charts["b"].path, "charts/b/");
        // Once known, the following chart is not handed back again.
        assert!(registry.insert(chart("b", "Again")).is_empty());
    }
}
