//! The content stage (§4): Markdown files with TOML front matter, chart
//! blocks and inline-figure shortcodes. Knows nothing of data or charts: the
//! site model resolves embeds through a callback.

mod frontmatter;
mod markdown;
mod shortcode;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use frontmatter::{FrontMatter, split_and_parse};
pub use markdown::{
    Embed, Heading, RenderedMarkdown, TypedFigure, TypedFigures, is_safe_url, render_markdown,
    slugify, withheld_figure,
};
pub use shortcode::{Shortcode, ShortcodeError, ShortcodeKind, parse as parse_shortcode};

use crate::data::identity_scan::{scan_path, scan_text};
use crate::diagnostics::Diagnostic;

/// One Markdown file under `content/`.
#[derive(Debug, Clone)]
pub struct ContentFile {
    /// Path relative to the site root, e.g. `content/rapporter/2024-q3.md`.
    pub file: PathBuf,
    /// Path relative to `content/`, with `/` separators.
    pub relative: String,
    pub front: FrontMatter,
    /// The Markdown after the front matter.
    pub body: String,
    /// 1-based line in the file where `body` starts, so that locations found
    /// in the body can be reported as file lines.
    pub body_line: usize,
}

impl ContentFile {
    /// `_index.md` is a section's own page (as in Zola).
    pub fn is_section_index(&self) -> bool {
        self.relative.ends_with("_index.md")
    }

    /// The folder of the section this file belongs to ("" for the root).
    pub fn section(&self) -> &str {
        match self.relative.rfind('/') {
            Some(i) => &self.relative[..i],
            None => "",
        }
    }

    /// The page's address relative to the site root: `rapporter/2024-q3/`,
    /// `rapporter/` for a section index, `` for the home page.
    pub fn path(&self) -> String {
        if self.is_section_index() {
            let s = self.section();
            if s.is_empty() {
                String::new()
            } else {
                format!("{s}/")
            }
        } else {
            let stem = self.relative.trim_end_matches(".md");
            format!("{}/", stem)
        }
    }

    /// The file the page is written to, relative to the output:
    /// `rapporter/2024-q3/index.html`, `index.html` for the home page.
    pub fn page_file(&self) -> String {
        format!("{}index.html", self.path())
    }
}

/// Reads and parses every `content/**/*.md` under `root`, sorted by path
/// (links followed while they stay in the site, see [`crate::walk`]).
/// Returns the files that parsed and the problems of those that did not, so
/// that later stages can still report the problems in the good files.
pub fn load(root: &Path) -> (Vec<ContentFile>, Vec<Diagnostic>) {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return (Vec::new(), Vec::new());
    }
    // Other Markdown endings are read only to be refused (see
    // `read_file`): left out, a report was silently missing.
    let is_markdown = |p: &Path| p.extension().is_some_and(is_markdown_ending);
    let (paths, walk_problems) = crate::walk::site_files(root, "content", false, is_markdown);
    let results: Vec<Result<ContentFile, Vec<Diagnostic>>> = paths
        .par_iter()
        .map(|p| read_file(root, &content_dir, p))
        .collect();
    let mut files = Vec::new();
    let mut problems = walk_problems;
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(mut e) => problems.append(&mut e),
        }
    }
    (files, problems)
}

/// Whether a file ending is Markdown as editors name it: `md`, `MD`,
/// `markdown`, `mdown`, `mkd` in any case. Only `.md` makes a page.
fn is_markdown_ending(ending: &std::ffi::OsStr) -> bool {
    let ending = ending.to_string_lossy();
    ["md", "markdown", "mdown", "mkd"]
        .iter()
        .any(|m| ending.eq_ignore_ascii_case(m))
}

/// Reads and parses one content file, given by its path relative to `root`
/// (`content/…/x.md`): what [`load`] does for every file.
pub fn load_one(root: &Path, file: &Path) -> Result<ContentFile, Vec<Diagnostic>> {
    read_file(root, &root.join("content"), &root.join(file))
}

fn read_file(root: &Path, content_dir: &Path, path: &Path) -> Result<ContentFile, Vec<Diagnostic>> {
    let file = crate::diagnostics::relative(root, path);
    let relative = path
        .strip_prefix(content_dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    if path.extension().is_none_or(|x| x != "md") {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        return Err(vec![
            Diagnostic::error(&file, "a page's file name must end in `.md`")
                .found(name.into_owned())
                .expected(format!("`{stem}.md`"))
                .help("rename the file: the page's address is made from its name without `.md`"),
        ]);
    }
    let bytes = std::fs::read(path).map_err(|e| {
        vec![Diagnostic::error(
            &file,
            format!("cannot read the file: {e}"),
        )]
    })?;
    let text = crate::text::utf8_file_text(&file, bytes).map_err(|d| vec![d])?;
    let text = text.as_str();
    if text.contains('\0') {
        let offset = text.find('\0').unwrap_or(0);
        let (line, column) = crate::config::line_column(text, offset);
        return Err(vec![Diagnostic::error(&file, "the file contains a NUL character")
            .at(line, column)
            .help("remove the invisible character; it often comes from copying out of another program")]);
    }
    // Front matter, body and chart blocks are published, and so is the
    // file name (it becomes the address).
    let mut personal = scan_text(&file, text);
    personal.extend(scan_path(&file));
    if !personal.is_empty() {
        return Err(personal);
    }
    let (front, body, body_line) = frontmatter::split_and_parse(&file, text)?;
    if !is_safe_content_path(&relative) {
        return Err(vec![
            Diagnostic::error(&file, "the file name cannot be used in a web address")
                .found(relative.clone())
                .expected("letters a–z, digits, `-` and `_` in file and folder names"),
        ]);
    }
    Ok(ContentFile {
        file,
        relative,
        front,
        body: body.to_string(),
        body_line,
    })
}

/// Content paths become addresses: keep them to characters every web host
/// and every reader's browser handles the same way.
fn is_safe_content_path(relative: &str) -> bool {
    relative.split('/').all(|part| {
        !part.is_empty()
            && !part.starts_with('.')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    })
}
