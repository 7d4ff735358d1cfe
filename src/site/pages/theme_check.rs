//! A site's own theme may restyle every page, but not leave out a page's
//! limitations (H8 in `docs/contract.md`; README "Themes"): a report without
//! its limitations section tells a better-looking story than its figures
//! allow. When the theme replaces any template, each page it renders must
//! print every limitation the default theme prints there, as text; a page
//! that does not stops the build, naming the template and the text left
//! out. (The default theme is not checked: `tests/` build it.)

use serde_json::Value;

/// The limitation texts the default theme prints on a page rendered from
/// `template` with the page's own values `page`, the rules of its
/// templates written out:
/// - the limitations section of a content page (`limitations`: computed,
///   measures', author's) always on a report, and on the home page, a
///   section or a plain page when anything was computed or the author
///   wrote some;
/// - a chart page's and an embed's limitations, and a measure's own.
pub(super) fn required_texts(template: &str, page: &Value) -> Vec<String> {
    let mut texts = Vec::new();
    if let Some(view) = page.get("limitations") {
        let group = |name: &str| view.get(name).and_then(Value::as_array);
        let stated = |name: &str| group(name).is_some_and(|items| !items.is_empty());
        if template == "report.html" || stated("computed") || stated("author") {
            for name in ["computed", "measures", "author"] {
                let items = group(name).into_iter().flatten();
                texts.extend(items.filter_map(|l| l.get("text")?.as_str().map(str::to_string)));
            }
        }
    }
    for owner in ["chart", "embed", "measure"] {
        let list = page.get(owner).and_then(|o| o.get("limitations"));
        let items = list.and_then(Value::as_array).into_iter().flatten();
        texts.extend(items.filter_map(|l| l.as_str().map(str::to_string)));
    }
    texts
}

/// The first of `texts` that `html` does not print (escaped as templates
/// print text).
pub(super) fn first_missing<'a>(html: &[u8], texts: &'a [String]) -> Option<&'a str> {
    texts
        .iter()
        .find(|text| memchr::memmem::find(html, crate::escape::html(text).as_bytes()).is_none())
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(computed: &[&str], measures: &[&str], author: &[&str]) -> Value {
        let items = |texts: &[&str]| -> Vec<Value> {
            texts
                .iter()
                .map(|t| serde_json::json!({ "id": "x", "text": t, "number": 1 }))
                .collect()
        };
        serde_json::json!({ "limitations": {
            "computed": items(computed), "measures": items(measures), "author": items(author)
        }})
    }

    #[test]
    fn a_report_always_shows_its_limitations_and_other_pages_when_stated() {
        let measures_only = view(&[], &["Öppna ärenden: räknas vid kvartalets slut"], &[]);
        assert_eq!(required_texts("report.html", &measures_only).len(), 1);
        assert!(required_texts("page.html", &measures_only).is_empty());
        let stated = view(&["Brott i serien 2024K1"], &["m"], &["Min egen"]);
        assert_eq!(
            required_texts("page.html", &stated),
            ["Brott i serien 2024K1", "m", "Min egen"]
        );
        let chart = serde_json::json!({ "chart": { "limitations": ["a", "b"] } });
        assert_eq!(required_texts("chart.html", &chart), ["a", "b"]);
    }

    #[test]
    fn a_text_counts_as_shown_only_as_printed_whole() {
        let texts = vec!["Små & få".to_string(), "Saknas".to_string()];
        assert_eq!(
            first_missing(
                b"<li>Sm\xc3\xa5 &amp; f\xc3\xa5</li><li>Saknas</li>",
                &texts
            ),
            None
        );
        assert_eq!(first_missing(b"<li>Saknas</li>", &texts), Some("Små & få"));
    }
}
