//! Reading a diagnostic's source: its file decoded as insyn reads it, the
//! byte span of a line and column, and the caret snippet of the serve error
//! page.

use super::*;

/// Where a diagnostic points in the text of its file.
#[derive(Debug, PartialEq, Eq)]
pub struct Located {
    /// Byte offset of the line and column.
    pub offset: usize,
    /// Byte length of the offending text: `found` when the text holds it
    /// there, else one character (none at the end of a line).
    pub len: usize,
    /// Whether the span is exactly `found`.
    pub is_found: bool,
}

/// The byte span of a 1-based `line` and 1-based `column` (in characters, as
/// insyn counts them). Without a column, the whole line. `None` when the line
/// is past the end of the text or the column is past the end of the line
/// (one past its last character is allowed: "end of line" problems point
/// there).
pub fn locate(
    text: &str,
    line: usize,
    column: Option<usize>,
    found: Option<&str>,
) -> Option<Located> {
    let index = line.checked_sub(1)?;
    // `None` past the last line (an empty line after a final `\n` counts).
    let mut line_start = 0;
    let mut lines = text.split('\n');
    for _ in 0..index {
        line_start += lines.next()?.len() + 1;
    }
    let line_text = lines.next()?;
    let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
    let Some(column) = column.filter(|c| *c >= 1) else {
        return Some(Located {
            offset: line_start,
            len: line_text.len(),
            is_found: false,
        });
    };
    let within = line_text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(line_text.len()))
        .nth(column - 1)?;
    let offset = line_start + within;
    let after = &text[offset..];
    match found {
        Some(f) if !f.is_empty() && after.starts_with(f) => Some(Located {
            offset,
            len: f.len(),
            is_found: true,
        }),
        _ => Some(Located {
            offset,
            len: line_text[within..].chars().next().map_or(0, char::len_utf8),
            is_found: false,
        }),
    }
}

/// The text of `file` under `root`, decoded as insyn reads it (a BOM dropped,
/// Windows-1252 when it is not UTF-8).
pub fn read_source(root: &Path, file: &Path) -> Option<String> {
    if file.as_os_str().is_empty() {
        return None;
    }
    std::fs::read(root.join(file))
        .ok()
        .map(|bytes| decode(&bytes))
}

/// [`read_source`] with every personal identity number masked, so that no
/// excerpt shows one, whichever problem it is drawn for.
pub fn read_masked(root: &Path, file: &Path) -> Option<String> {
    read_source(root, file).map(|text| mask(&text).into_owned())
}

/// The source line of a diagnostic and the caret under it, for the serve
/// error page (HTML, where miette does not draw).
#[derive(Debug, PartialEq, Eq)]
pub struct Snippet {
    pub line_number: usize,
    pub text: String,
    /// Spaces (tabs kept) up to the column, then the carets.
    pub caret: String,
}

/// Reads the offending line from the site, when the diagnostic has a line.
pub fn snippet(d: &Diagnostic, root: &Path) -> Option<Snippet> {
    if d.sensitive {
        return None;
    }
    let line_number = d.line?;
    let text = read_masked(root, &d.file)?;
    let line = text.lines().nth(line_number.checked_sub(1)?)?;
    Some(make_snippet(
        line_number,
        line,
        d.column,
        d.found.as_deref(),
    ))
}

fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The caret line: whitespace up to `column` (1-based, in characters), then
/// one caret per character of `found` when the line holds it there, or one.
/// A line longer than [`EXCERPT_WIDTH`] is cut around the column.
pub fn make_snippet(
    line_number: usize,
    line: &str,
    column: Option<usize>,
    found: Option<&str>,
) -> Snippet {
    let line = line.trim_end_matches('\r');
    let Some(column) = column.filter(|c| *c >= 1) else {
        return Snippet {
            line_number,
            text: cut(line, 0).0.text,
            caret: String::new(),
        };
    };
    let start = window_start(line, column - 1);
    let (shown, range) = cut(line, start);
    let window = &line[range];
    let mut lead: String = if shown.prefix > 0 {
        " ".into()
    } else {
        String::new()
    };
    lead.extend(
        window
            .chars()
            .take(column - 1 - start)
            .map(|c| if c == '\t' { '\t' } else { ' ' }),
    );
    let tail: String = line.chars().skip(column - 1).collect();
    let room = window
        .chars()
        .count()
        .saturating_sub(column - 1 - start)
        .max(1);
    let width = match found {
        Some(f) if !f.is_empty() && tail.starts_with(f) => f.chars().count().min(room),
        _ => 1,
    };
    Snippet {
        line_number,
        text: shown.text,
        caret: format!("{lead}{}", "^".repeat(width)),
    }
}
