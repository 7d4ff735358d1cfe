//! Where things are in the Markdown text: file lines and columns of byte
//! offsets, and the problem of a shortcode inside an address.

use super::*;

/// A figure is text for a reader, never part of an address: the marker
/// standing for it would end up percent-encoded in the `href`.
pub(super) fn shortcode_in_address(
    file: &Path,
    address: &str,
    fragment_at: &[Option<(usize, usize)>],
) -> Diagnostic {
    let index: Option<usize> = address
        .split(MARK_OPEN)
        .nth(1)
        .and_then(|after| after.split(MARK_CLOSE).next())
        .and_then(|digits| digits.parse().ok());
    let mut d = Diagnostic::error(
        file,
        "a shortcode cannot be part of a link or image address",
    )
    .expected("a written address, such as `https://…` or `../rapporter/`")
    .help("put the figure in the link's text instead: [{{ value(…) }}](address)");
    if let Some(Some((line, column))) = index.and_then(|i| fragment_at.get(i)) {
        d = d.at(*line, *column);
    }
    d
}

/// Lines and character columns of byte offsets in one text, without
/// scanning the text from its start for every offset: line starts are
/// found once, and columns are counted on from the last offset asked when
/// it was on the same line.
pub(super) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The last offset asked and its 0-based character column.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text,
            starts,
            last: std::cell::Cell::new((0, 0)),
        }
    }

    /// 1-based line and column (in characters) of byte `offset`.
    pub(super) fn line_column(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|s| *s <= offset);
        let line_start = self.starts[line - 1];
        let (last, last_column) = self.last.get();
        let column = if last >= line_start && last <= offset {
            last_column + self.text[last..offset].chars().count()
        } else {
            self.text[line_start..offset].chars().count()
        };
        self.last.set((offset, column));
        (line, column + 1)
    }
}
