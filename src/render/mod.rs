//! Rendering: Tera templates (the built-in default theme, overridable file by
//! file) and the theme's static files. The words are in `crate::i18n`.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The default theme, compiled into the binary so that `insyn` works from any
/// folder. A site's `themes/<theme>/templates/<name>` replaces a file of the
/// same name.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "macros.html",
        include_str!("../../themes/default/templates/macros.html"),
    ),
    (
        "home.html",
        include_str!("../../themes/default/templates/home.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "report.html",
        include_str!("../../themes/default/templates/report.html"),
    ),
    (
        "section.html",
        include_str!("../../themes/default/templates/section.html"),
    ),
    (
        "chart.html",
        include_str!("../../themes/default/templates/chart.html"),
    ),
    (
        "unit.html",
        include_str!("../../themes/default/templates/unit.html"),
    ),
    (
        "units.html",
        include_str!("../../themes/default/templates/units.html"),
    ),
    (
        "measure.html",
        include_str!("../../themes/default/templates/measure.html"),
    ),
    (
        "measures.html",
        include_str!("../../themes/default/templates/measures.html"),
    ),
    (
        "data.html",
        include_str!("../../themes/default/templates/data.html"),
    ),
    (
        "accessibility.html",
        include_str!("../../themes/default/templates/accessibility.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "embed.html",
        include_str!("../../themes/default/templates/embed.html"),
    ),
    (
        "moved.html",
        include_str!("../../themes/default/templates/moved.html"),
    ),
    (
        "revisions.html",
        include_str!("../../themes/default/templates/revisions.html"),
    ),
];

const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "embed.css",
        include_bytes!("../../themes/default/static/embed.css"),
    ),
];

/// The names of the default templates that the site's own files replace
/// in `themes/<theme>/templates/` (see [`templates`]).
pub fn own_templates(root: &Path, theme: &str) -> Vec<&'static str> {
    let theme_dir = root.join("themes").join(theme).join("templates");
    DEFAULT_TEMPLATES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| theme_dir.join(name).is_file())
        .collect()
}

/// Loads the templates of `theme` for the site at `root`. `constants` are
/// values every page of the build shares (see [`inline_constants`]).
pub fn templates(
    root: &Path,
    theme: &str,
    constants: &tera::Context,
) -> Result<tera::Tera, Vec<Diagnostic>> {
    let mut tera = tera::Tera::default();
    // Autoescape every template: text from data and content is never markup.
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(crate::escape::html);
    let theme_dir = root.join("themes").join(theme).join("templates");
    let mut sources: Vec<(String, String)> = Vec::new();
    let mut problems = Vec::new();
    for (name, default) in DEFAULT_TEMPLATES {
        let own = theme_dir.join(name);
        let text = if own.is_file() {
            match std::fs::read_to_string(&own) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(Diagnostic::error(
                        crate::diagnostics::relative(root, &own),
                        format!("cannot read the template: {e}"),
                    ));
                    continue;
                }
            }
        } else {
            (*default).to_string()
        };
        sources.push((name.to_string(), text));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if !sources.iter().any(|(_, text)| shadows_constants(text)) {
        let constants = constants.clone().into_json();
        for (name, text) in &mut sources {
            // A macro sees its arguments, not the page's values: a file of
            // macros is left as it is.
            let escaped = name.ends_with(".html") || name.ends_with(".xml");
            if escaped && !defines_macros(text) {
                *text = inline_constants(text, &constants);
            }
        }
    }
    tera.add_raw_templates(sources).map_err(|e| {
        vec![Diagnostic::error(
            format!("themes/{theme}/templates"),
            format!("a template has an error: {}", error_chain(&e)),
        )]
    })?;
    Ok(tera)
}

/// The shared values a template may name that [`inline_constants`] writes
/// in: the words (`t`) and the site's own texts (`site`).
const CONSTANT_ROOTS: [&str; 2] = ["t", "site"];

/// Writes the shared text values a template prints as they are printed:
/// every `{{ t.key }}` and `{{ site.key }}` whose value is a string becomes
/// that string escaped, as Tera's autoescape would print it. They are the
/// same on every page of a build, and half of what a page's templates look
/// up, each look-up a walk through the words table (README, "Themes"). What
/// is written in another form (a filter, whitespace control, a key that is
/// not there, a text with template syntax) is left to Tera, so a misspelt
/// key still stops the build; the output is the same either way.
fn inline_constants(source: &str, constants: &serde_json::Value) -> String {
    let constant = |expr: &str| -> Option<String> {
        let path = expr.strip_prefix(' ')?.strip_suffix(' ')?;
        let (root, key) = path.split_once('.')?;
        let simple = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !CONSTANT_ROOTS.contains(&root) || !simple {
            return None;
        }
        let text = crate::escape::html(constants.get(root)?.get(key)?.as_str()?);
        // A text with template syntax would be read as a tag; one with
        // space at an end would lose it to a neighbour's `-}}` or `{%-`.
        let plain = !text.contains(['{', '}', '#', '%', '\n']) && text.trim() == text;
        plain.then_some(text)
    };
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(open) = rest.find("{{") {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        let Some(close) = from.find("}}") else {
            break;
        };
        let (tag, after) = from.split_at(close + 2);
        match constant(&tag[2..close]) {
            Some(text) => out.push_str(&text),
            None => out.push_str(tag),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Whether a template may give `t` or `site` another meaning (a loop
/// variable, a `set`) or print a tag as text (`raw`): then no
/// template of the theme has constants written in, since an included
/// template runs with its includer's variables.
fn shadows_constants(source: &str) -> bool {
    tags(source).any(|mut words| match words.next() {
        Some("raw") => true,
        Some("for" | "set" | "set_global") => words
            .take_while(|w| *w != "in")
            .any(|w| CONSTANT_ROOTS.contains(&w)),
        _ => false,
    })
}

/// Whether a template defines macros.
fn defines_macros(source: &str) -> bool {
    tags(source).any(|mut words| words.next() == Some("macro"))
}

/// The words of each `{% … %}` tag of a template.
fn tags(source: &str) -> impl Iterator<Item = impl Iterator<Item = &str>> {
    source.split("{%").skip(1).map(|tag| {
        tag.split("%}")
            .next()
            .unwrap_or_default()
            .trim_start_matches('-')
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | '=' | '(' | ')'))
            .filter(|w| !w.is_empty())
    })
}

/// Renders one template into the bytes of its file, turning Tera's nested
/// error into one readable line.
///
/// The bytes are kept as Tera writes them: its `render` would check the
/// whole page once more for UTF-8 to make a `String` of it (3 % of a warm
/// national build), which the page never needs on its way to the disk.
pub fn render(
    tera: &tera::Tera,
    template: &str,
    context: &tera::Context,
) -> Result<Vec<u8>, Diagnostic> {
    let mut html = Vec::new();
    tera.render_to(template, context, &mut html).map_err(|e| {
        Diagnostic::error(
            format!("templates/{template}"),
            format!("cannot render: {}", error_chain(&e)),
        )
    })?;
    Ok(html)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    s
}

/// The theme's static files: the built-in defaults, then every file under
/// the site's `themes/<theme>/static/` (replacing a default of the same
/// name), then the site's own `static/`. Paths are relative to `static/`.
pub fn static_files(root: &Path, theme: &str) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    let mut files: std::collections::BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    let mut problems = Vec::new();
    for dir in [
        root.join("themes").join(theme).join("static"),
        root.join("static"),
    ] {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    problems.push(Diagnostic::error(
                        crate::diagnostics::relative(root, &dir),
                        e.to_string(),
                    ));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    files.insert(rel, bytes);
                }
                Err(e) => problems.push(Diagnostic::error(
                    crate::diagnostics::relative(root, entry.path()),
                    format!("cannot read: {e}"),
                )),
            }
        }
    }
    if problems.is_empty() {
        Ok(files.into_iter().collect())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constants() -> serde_json::Value {
        serde_json::json!({
            "t": { "cite": "Citera", "tricky": "a {{ b }}", "amp": "R&D <x>", "list": ["a"],
                   "spaced": " Citera" },
            "site": { "title": "Ärenden" },
        })
    }

    #[test]
    fn shared_texts_are_written_in_as_tera_would_print_them() {
        let c = constants();
        assert_eq!(
            inline_constants("<h2>{{ t.cite }}</h2><p>{{ site.title }}</p>", &c),
            "<h2>Citera</h2><p>Ärenden</p>"
        );
        assert_eq!(inline_constants("{{ t.amp }}", &c), "R&amp;D &lt;x&gt;");
        // Left to Tera: a filter, whitespace control, a key not there (so it
        // still stops the build), a text with template syntax or with space
        // at an end, a list, a page's own value, an unclosed tag.
        for kept in [
            "{{ t.cite | lower }}",
            "{{- t.cite }}",
            "{{ t.misspelt }}",
            "{{ t.tricky }}",
            "{{ t.spaced }}",
            "{{ t.list }}",
            "{{ page_title }}",
            "{{ t.cite",
        ] {
            assert_eq!(inline_constants(kept, &c), kept);
        }
    }

    #[test]
    fn a_theme_that_gives_the_shared_names_another_meaning_is_left_alone() {
        for shadowing in [
            "{% for t in rows %}{{ t.cite }}{% endfor %}",
            "{%- set site = page %}",
            "{% set_global t = 1 %}",
            "{% raw %}{{ t.cite }}{% endraw %}",
            "{% for k, site in pairs %}{% endfor %}",
        ] {
            assert!(shadows_constants(shadowing), "{shadowing}");
        }
        for plain in [
            "{% for x in t.list %}{% endfor %}",
            "{% set n = site.title %}",
            "{% if site.lang == 'sv' %}{% endif %}",
        ] {
            assert!(!shadows_constants(plain), "{plain}");
        }
        assert!(defines_macros(
            "{% macro limitations(lims, t) %}{% endmacro %}"
        ));
        assert!(!defines_macros("{% import \"macros.html\" as m %}"));
    }

    /// The default theme renders the same with the shared texts written in
    /// as with Tera looking them up.
    #[test]
    fn the_default_theme_renders_the_same_with_constants_written_in() {
        let mut shared = tera::Context::new();
        shared.insert("t", crate::text::Lang::Sv.words());
        shared.insert(
            "site",
            &serde_json::json!({"title": "Insyn & co", "lang": "sv", "organisation": "Kommunen",
                "source": "Verksamhetssystemet", "extracted": "1 januari 2026", "contact": "a@b.se"}),
        );
        let plain = templates(Path::new("/nonexistent"), "default", &tera::Context::new()).unwrap();
        let inlined = templates(Path::new("/nonexistent"), "default", &shared).unwrap();
        let mut page = shared.clone();
        page.insert("page_title", "Rubrik");
        page.insert("page_description", "Om sidan");
        page.insert("canonical", "https://example.org/");
        page.insert("root", "../");
        page.insert("nav", &Vec::<()>::new());
        page.insert("content", "<p>text</p>");
        page.insert("title", "Rubrik");
        let a = plain.render("page.html", &page);
        let b = inlined.render("page.html", &page);
        assert!(a.is_ok(), "{a:?}");
        assert_eq!(a.unwrap(), b.unwrap());
    }
}
