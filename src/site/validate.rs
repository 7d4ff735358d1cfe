//! Fail fast (§9: validate, then model): everything an author wrote is checked before the build
//! produces anything. The front matter, data and config are checked when the
//! site loads; this pass checks what only the site model can: every chart
//! block (its TOML, its ids, its window, a unit that may not be shown) and
//! every inline figure, in every content file, and the pages' addresses.
//!
//! It draws no chart and writes nothing. The build draws charts, renders
//! pages and fills the build cache only when it returns no problem, so a
//! typo in the fortieth report costs the time of this pass, not of a build.

use rayon::prelude::*;

use super::Site;
use super::charts;
use super::figures;
use super::limits::PageLimits;
use crate::content::{ContentFile, TypedFigure, TypedFigures};
use crate::diagnostics::Diagnostic;

/// Every problem of the content files at `indices` (all of them when
/// `None`) and of the site's addresses, at once, with the warnings about
/// their inline figures (see `figures`), which do not stop a build.
pub(super) fn content(
    site: &Site,
    indices: Option<&[usize]>,
    makes_report_archive: bool,
) -> Vec<Diagnostic> {
    let files: Vec<&ContentFile> = match indices {
        Some(indices) => indices.iter().map(|&i| &site.content[i]).collect(),
        None => site.content.iter().collect(),
    };
    let mut problems = match indices {
        Some(_) => Vec::new(),
        None => super::addresses::check(site, makes_report_archive),
    };
    let per_file: Vec<Vec<Diagnostic>> = files.par_iter().map(|f| body(site, f)).collect();
    problems.extend(per_file.into_iter().flatten());
    problems
}

/// The problems of one file's Markdown body: its chart blocks and figures,
/// checked against the published view without resolving or drawing.
fn body(site: &Site, f: &ContentFile) -> Vec<Diagnostic> {
    // Figures state their caveats on the page; here they are thrown away.
    let mut limits = PageLimits::stated();
    let mut chart_titles = Vec::new();
    let checked = figures::render_body(site, f, &mut limits, &mut |spec, line, _| {
        chart_titles.extend(typed_in_chart_title(
            &site.typed_figures,
            &f.file,
            spec,
            line,
        ));
        charts::check_block(site, &f.file, line, spec).map(|_| String::new())
    });
    let typed = typed_in_front_matter(site, f)
        .into_iter()
        .chain(chart_titles);
    // Warnings only where there is no error: an author fixes those first.
    // A withheld number typed in a title is an error, named either way.
    match checked {
        Err(problems) => typed.filter(Diagnostic::is_error).chain(problems).collect(),
        Ok(_) => typed.chain(limits.warnings).collect(),
    }
}

/// Figures typed by hand in a chart block's `title` (its TOML text
/// `spec`, which starts on file line `line`): the image keeps the title
/// when the data are revised, and a reader takes it for the chart's finding.
fn typed_in_chart_title(
    typed: &TypedFigures,
    file: &std::path::Path,
    spec: &str,
    line: usize,
) -> Vec<Diagnostic> {
    typed_on_key_line(typed, spec, "title")
        .map(|(at, column, found, what, figure)| {
            if let Some(error) = withheld(file, found, &figure) {
                return error.at(line + at - 1, column);
            }
            Diagnostic::warning(file, format!("{what} typed by hand in a chart's `title` does not follow the data"))
                .at(line + at - 1, column)
                .found(found)
                .help("the image keeps its title when the data are revised, and a reader takes it for the chart's finding: let it say what is shown, and give the figure in the text with `{{ value(…) }}` or `{{ change(…) }}`")
        })
        .collect()
}

/// Figures typed by hand in a page's `title` and `summary`, which cannot
/// hold a figure from the data, each at its line and column in the front
/// matter. Only a value on its key's own line is read (a title is one
/// line); the file is read again only when the parsed values hold one.
fn typed_in_front_matter(site: &Site, f: &ContentFile) -> Vec<Diagnostic> {
    let typed = &site.typed_figures;
    let values = [Some(&f.front.title), f.front.summary.as_ref()];
    let any = values
        .into_iter()
        .flatten()
        .any(|v| !typed.find(v).is_empty());
    if !any {
        return Vec::new();
    }
    let text = std::fs::read_to_string(site.root.join(&f.file)).unwrap_or_default();
    // The front matter: the lines before the body.
    let front: Vec<&str> = text.lines().take(f.body_line.saturating_sub(1)).collect();
    let front = front.join("\n");
    ["title", "summary"]
        .into_iter()
        .flat_map(|key| typed_on_key_line(typed, &front, key).map(move |found| (key, found)))
        .map(|(key, (line, column, found, what, figure))| {
            if let Some(error) = withheld(&f.file, found, &figure) {
                return error.at(line, column);
            }
            Diagnostic::warning(
                &f.file,
                format!("{what} typed by hand in the page's `{key}` does not follow the data"),
            )
            .at(line, column)
            .found(found)
            .help("a title or summary cannot hold a figure from the data: give it in the text with `{{ value(…) }}` or `{{ change(…) }}`, and let the title say what the page is about")
        })
        .collect()
}

/// The error for a typed figure that is a withheld number, if it is one.
fn withheld(file: &std::path::Path, found: &str, figure: &TypedFigure) -> Option<Diagnostic> {
    let withheld = figure.withheld.as_ref()?;
    let measure = figure.measure.as_deref()?;
    Some(crate::content::withheld_figure(
        file, found, measure, withheld,
    ))
}

/// The figures typed on the line of the top-level `key = …` of a TOML
/// text (see `config::key_line`): the line (1-based), the column of each
/// (in characters, counted once along the line), its text, and what it is
/// ("a percentage", "a figure").
fn typed_on_key_line<'a>(
    typed: &TypedFigures,
    toml: &'a str,
    key: &str,
) -> impl Iterator<Item = (usize, usize, &'a str, &'static str, TypedFigure)> + 'a {
    let line = crate::config::key_line(toml, key);
    let text = line.and_then(|n| toml.lines().nth(n - 1)).unwrap_or("");
    let (mut column, mut counted) = (1, 0);
    typed.find(text).into_iter().map(move |f| {
        column += text[counted..f.range.start].chars().count();
        counted = f.range.start;
        let what = if f.measure.is_some() {
            "a figure"
        } else {
            "a percentage"
        };
        (line.unwrap_or(0), column, &text[f.range.clone()], what, f)
    })
}
