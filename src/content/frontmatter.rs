//! TOML front matter between `+++` lines.

use std::path::Path;

use serde::Deserialize;

use crate::config::{Date, toml_diagnostic};
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    /// A one- or two-sentence summary for lists, feeds and metadata.
    #[serde(default)]
    pub summary: Option<String>,
    /// The publication date of a report.
    #[serde(default)]
    pub date: Option<Date>,
    /// The quarter (or year) a report covers; makes the page a report.
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    /// Who readers contact about this report (defaults to the site's source contact).
    #[serde(default)]
    pub contact: Option<String>,
    /// The author's own limitations, shown in the report's limitations section.
    #[serde(default)]
    pub limitations: Vec<String>,
    /// Sort weight in menus and lists (lower first).
    #[serde(default)]
    pub weight: Option<i64>,
    /// Drafts are not built.
    #[serde(default)]
    pub draft: bool,
}

/// Splits `+++ … +++` front matter from the body and parses it.
/// Returns the front matter, the body and the 1-based line the body starts on.
pub fn split_and_parse<'a>(
    file: &Path,
    text: &'a str,
) -> Result<(FrontMatter, &'a str, usize), Vec<Diagnostic>> {
    let missing = || {
        vec![Diagnostic::error(file, "the page has no front matter")
            .at(1, 1)
            .expected("the file to start with a `+++` line, then TOML such as `title = \"…\"`, then a closing `+++` line")]
    };
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or_else(missing)?;
    if first.trim_end() == "---" {
        // Hugo's and Jekyll's YAML front matter: say what to write instead.
        return Err(vec![
            Diagnostic::error(file, "the front matter is YAML (between `---` lines)")
                .at(1, 1)
                .found("---")
                .expected("TOML between `+++` lines: `+++`, then `title = \"…\"` (`key = value`, text in quotes), then `+++`"),
        ]);
    }
    if first.trim_end() != "+++" {
        return Err(missing());
    }
    let start = first.len();
    let mut offset = start;
    let mut line_no = 1;
    for line in lines {
        line_no += 1;
        if line.trim_end() == "+++" {
            let toml_text = &text[start..offset];
            let body = &text[offset + line.len()..];
            let front: FrontMatter = toml::from_str(toml_text).map_err(|e| {
                let mut d = toml_diagnostic(file, toml_text, &e);
                // Shift the location from the TOML block to the file.
                d.line = d.line.map(|l| l + 1);
                if d.line.is_none() {
                    d = d.at_line(2);
                }
                vec![d]
            })?;
            let shortcodes = front_matter_shortcodes(file, toml_text);
            if !shortcodes.is_empty() {
                return Err(shortcodes);
            }
            if front.title.trim().is_empty() {
                return Err(vec![
                    Diagnostic::error(file, "the page title is empty")
                        .at_line(2)
                        .expected("`title = \"…\"` with some text"),
                ]);
            }
            return Ok((front, body, line_no + 1));
        }
        offset += line.len();
    }
    Err(vec![
        Diagnostic::error(file, "the front matter is never closed")
            .at(1, 1)
            .expected("a second `+++` line after the TOML front matter"),
    ])
}

/// A shortcode in the front matter is refused (H10): the title, summary and
/// limitations are shown as written on the home page, in report lists, the
/// feed and page metadata, where a figure could not carry its marks. A figure
/// belongs in the body, where it is computed from the data and marked.
fn front_matter_shortcodes(file: &Path, toml_text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, line) in toml_text.lines().enumerate() {
        let Some(col) = line.find("{{") else {
            continue;
        };
        let end = line[col..]
            .find("}}")
            .map(|e| col + e + 2)
            .unwrap_or(line.len());
        let key = line.split('=').next().unwrap_or("").trim();
        out.push(
            Diagnostic::error(file, "a shortcode in the front matter is not evaluated")
                .at(i + 2, line[..col].chars().count() + 1)
                .found(&line[col..end])
                .expected(format!(
                    "plain text in `{key}`: the front matter is shown as written on the home page, in report lists and in the feed"
                ))
                .help("write the figure in the body of the page, where it is computed from the data and marked with its caveats"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_front_matter_and_counts_body_line() {
        let text = "+++\ntitle = \"Rapport\"\nperiod = \"2024Q3\"\ndate = 2024-10-20\n+++\nHej\n";
        let (fm, body, line) = split_and_parse(Path::new("x.md"), text).unwrap();
        assert_eq!(fm.title, "Rapport");
        assert_eq!(fm.period.as_deref(), Some("2024Q3"));
        assert_eq!(fm.date.unwrap().0, "2024-10-20");
        assert_eq!(body, "Hej\n");
        assert_eq!(line, 6);
    }

    #[test]
    fn errors_are_located_in_the_file() {
        let text = "+++\ntitle = \"R\"\ntitel = \"x\"\n+++\n";
        let err = split_and_parse(Path::new("x.md"), text).unwrap_err();
        assert_eq!(err[0].line, Some(3), "{:?}", err[0]);
        assert!(
            err[0].message.contains("unknown field"),
            "{}",
            err[0].message
        );
        let err = split_and_parse(
            Path::new("x.md"),
            "+++\ntitle = \"R\"\nsummary = \"Nu {{ value(measure=\\\"a\\\") }} ärenden\"\n+++\n",
        )
        .unwrap_err();
        assert_eq!(
            (err[0].line, err[0].column),
            (Some(3), Some(15)),
            "{:?}",
            err[0]
        );
        assert!(err[0].message.contains("shortcode in the front matter"));
        assert_eq!(
            err[0].found.as_deref(),
            Some("{{ value(measure=\\\"a\\\") }}")
        );
        let err = split_and_parse(Path::new("x.md"), "# no front matter").unwrap_err();
        assert!(err[0].message.contains("no front matter"));
        let yaml = split_and_parse(Path::new("x.md"), "---\ntitle: Om\n---\n").unwrap_err();
        assert!(yaml[0].message.contains("YAML"), "{:?}", yaml[0]);
        assert!(yaml[0].expected.as_deref().unwrap().contains("`+++`"));
        let err = split_and_parse(Path::new("x.md"), "+++\ntitle = \"x\"\n").unwrap_err();
        assert!(err[0].message.contains("never closed"));
    }
}
