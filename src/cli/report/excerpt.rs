//! Source lines as miette draws them: the line of a problem and its
//! neighbours, each cut to a readable width around the column.

use super::*;

/// At most this many characters of a source line are shown in an excerpt;
/// a longer line is cut around the column, with `…` where it was cut.
pub const EXCERPT_WIDTH: usize = 100;

/// The lines miette draws around a problem (the line and one on either
/// side), each cut to [`EXCERPT_WIDTH`] characters around the column, and
/// the line number of the first. Lines of any length (a minified file, a
/// 10 MB cell) are drawn as readable as short ones.
#[derive(Debug)]
pub(super) struct Excerpt {
    name: String,
    text: String,
    /// 0-based line number of the first line of `text` in the file.
    first_line: usize,
}

impl Excerpt {
    /// The excerpt around `at` (on 1-based `line`) and the span of the
    /// offending text within it.
    pub(super) fn around(
        text: &str,
        at: &Located,
        line: usize,
        name: String,
    ) -> (Excerpt, SourceSpan) {
        let offset = at.offset.min(text.len());
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let current = &text[line_start..line_end];
        let column = current[..offset - line_start].chars().count();
        let start = window_start(current, column);
        let mut lines: Vec<&str> = Vec::with_capacity(3);
        let mut first_line = line.saturating_sub(1);
        if line_start > 0 {
            let end = line_start - 1;
            let begin = text[..end].rfind('\n').map_or(0, |i| i + 1);
            lines.push(&text[begin..end]);
            first_line -= 1;
        }
        let main = lines.len();
        lines.push(current);
        if line_end < text.len() {
            let begin = line_end + 1;
            let end = text[begin..].find('\n').map_or(text.len(), |i| begin + i);
            lines.push(&text[begin..end]);
        }
        let mut out = String::new();
        let mut span = SourceSpan::from((0, 0));
        for (i, l) in lines.iter().enumerate() {
            // A neighbour too short to reach the window is shown from its
            // start: some context beats a lone `…`.
            let from_char = if i == main || l.chars().count() > start {
                start
            } else {
                0
            };
            let (shown, from) = cut(l, from_char);
            if i == main {
                let within = offset - line_start;
                let head = within.saturating_sub(from.start).min(from.len());
                let len = at.len.min(from.end.saturating_sub(within));
                span = SourceSpan::from((out.len() + shown.prefix + head, len));
            }
            out.push_str(&shown.text);
            if i + 1 < lines.len() {
                out.push('\n');
            }
        }
        (
            Excerpt {
                name,
                text: out,
                first_line,
            },
            span,
        )
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// The first character of a line shown when the problem is at character
/// `column` (0-based): 0 for a short line, else a third of the width
/// before the column.
pub(super) fn window_start(line: &str, column: usize) -> usize {
    if line.len() <= EXCERPT_WIDTH || line.chars().count() <= EXCERPT_WIDTH {
        0
    } else {
        column.saturating_sub(EXCERPT_WIDTH / 3)
    }
}

/// A line as shown: `text`, of which the first `prefix` bytes are the `…`
/// that marks a cut.
pub(super) struct Shown {
    pub(super) text: String,
    pub(super) prefix: usize,
}

/// Characters `start ..` of `line`, at most [`EXCERPT_WIDTH`], with `…`
/// where something was cut, and the byte range of `line` they show.
pub(super) fn cut(line: &str, start: usize) -> (Shown, std::ops::Range<usize>) {
    let byte_of = |n: usize| line.char_indices().nth(n).map_or(line.len(), |(i, _)| i);
    let from = byte_of(start);
    let to = from + {
        let rest = &line[from..];
        rest.char_indices()
            .nth(EXCERPT_WIDTH)
            .map_or(rest.len(), |(i, _)| i)
    };
    let mut text = String::new();
    if from > 0 {
        text.push('…');
    }
    let prefix = text.len();
    text.push_str(&line[from..to]);
    if to < line.trim_end_matches('\r').len() {
        text.push('…');
    }
    (Shown { text, prefix }, from..to)
}
