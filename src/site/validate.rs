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
use crate::content::ContentFile;
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
        chart_titles.extend(typed_in_chart_title(&f.file, spec, line));
        charts::check_block(site, &f.file, line, spec).map(|_| String::new())
    });
    // Warnings only where there is no error: an author fixes those first.
    match checked {
        Err(problems) => problems,
        Ok(_) => typed_in_front_matter(site, f)
            .into_iter()
            .chain(chart_titles)
            .chain(limits.warnings)
            .collect(),
    }
}

/// Percentages typed by hand in a chart block's `title` (its TOML text
/// `spec`, which starts on file line `line`): the image keeps the title
/// when the data are revised, and a reader takes it for the chart's finding.
fn typed_in_chart_title(file: &std::path::Path, spec: &str, line: usize) -> Vec<Diagnostic> {
    let title_lines = spec.lines().enumerate().filter(|(_, text)| {
        let text = text.trim_start();
        text.strip_prefix("title")
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    });
    title_lines
        .flat_map(|(i, text)| {
            crate::content::typed_percentages(text).into_iter().map(move |at| {
                Diagnostic::warning(file, "a percentage typed by hand in a chart's `title` does not follow the data")
                    .at(line + i, text[..at.start].chars().count() + 1)
                    .found(&text[at])
                    .help("the image keeps its title when the data are revised, and a reader takes it for the chart's finding: let it say what is shown, and give the change in the text with `{{ change(…) }}`")
            })
        })
        .collect()
}

/// Percentages typed by hand in a page's `title` and `summary`, which
/// cannot hold a figure from the data (see `content::typed_percentages`),
/// each at its line and column in the front matter.
fn typed_in_front_matter(site: &Site, f: &ContentFile) -> Vec<Diagnostic> {
    let fields = [
        ("title", Some(&f.front.title)),
        ("summary", f.front.summary.as_ref()),
    ];
    let typed: Vec<(&str, &str, Vec<std::ops::Range<usize>>)> = fields
        .into_iter()
        .filter_map(|(key, value)| {
            let value = value?.as_str();
            let found = crate::content::typed_percentages(value);
            (!found.is_empty()).then_some((key, value, found))
        })
        .collect();
    if typed.is_empty() {
        return Vec::new();
    }
    let text = std::fs::read_to_string(site.root.join(&f.file)).unwrap_or_default();
    let front: Vec<&str> = text.lines().take(f.body_line.saturating_sub(1)).collect();
    let mut warnings = Vec::new();
    for (key, value, found) in typed {
        // The key's line, searched once; each percentage after the last.
        let line = front.iter().position(|line| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        });
        // Where the search goes on, in bytes and in characters.
        let (mut from, mut chars_before) = (0, 0);
        for at in found {
            let typed = &value[at];
            let mut warning = Diagnostic::warning(
                &f.file,
                format!("a percentage typed by hand in the page's `{key}` does not follow the data"),
            )
            .found(typed)
            .help("a title or summary cannot hold a figure from the data: give the change in the text with `{{ change(…) }}`, and let the title say what the page is about");
            if let Some(i) = line
                && let Some(offset) = front[i][from..].find(typed)
            {
                let column = chars_before + front[i][from..from + offset].chars().count() + 1;
                warning = warning.at(i + 1, column);
                chars_before = column - 1 + typed.chars().count();
                from += offset + typed.len();
            }
            warnings.push(warning);
        }
    }
    warnings
}
