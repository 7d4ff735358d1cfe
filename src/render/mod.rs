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

/// Loads the templates of `theme` for the site at `root`.
pub fn templates(root: &Path, theme: &str) -> Result<tera::Tera, Vec<Diagnostic>> {
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
    tera.add_raw_templates(sources).map_err(|e| {
        vec![Diagnostic::error(
            format!("themes/{theme}/templates"),
            format!("a template has an error: {}", error_chain(&e)),
        )]
    })?;
    Ok(tera)
}

/// Renders one template, turning Tera's nested error into one readable line.
pub fn render(
    tera: &tera::Tera,
    template: &str,
    context: &tera::Context,
) -> Result<String, Diagnostic> {
    tera.render(template, context).map_err(|e| {
        Diagnostic::error(
            format!("templates/{template}"),
            format!("cannot render: {}", error_chain(&e)),
        )
    })
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
