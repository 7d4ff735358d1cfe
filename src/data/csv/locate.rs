use ::csv::Position;

/// Where a record really starts. The csv reader reports the position where
/// it began reading, which is before any blank lines it skipped.
pub(super) fn record_start(text: &str, position: Option<&Position>) -> Position {
    let mut p = position.cloned().unwrap_or_else(Position::new);
    let bytes = text.as_bytes();
    let mut i = p.byte() as usize;
    let mut line = p.line();
    while let Some(c @ (b'\r' | b'\n')) = bytes.get(i) {
        if *c == b'\n' {
            line += 1;
        }
        i += 1;
    }
    p.set_byte(i as u64).set_line(line);
    p
}

/// 1-based line and column (in characters) of field `field` of the record
/// that starts at `position`. Used only to locate problems.
pub fn locate(text: &str, position: &Position, delimiter: u8, field: usize) -> (usize, usize) {
    let mut cursor = FieldCursor::new(text, position);
    cursor.advance(text.as_bytes(), delimiter, field);
    cursor.line_column()
}

/// A walk along one record's fields, kept between problems of the same
/// record so that locating every field of a wide record costs one pass,
/// not one pass per field.
#[derive(Debug, Clone, Copy)]
pub(super) struct FieldCursor {
    /// Byte offset where the record starts.
    pub(super) record: usize,
    /// The field the cursor is at, and its byte offset.
    pub(super) field: usize,
    pub(super) i: usize,
    pub(super) line: usize,
    pub(super) in_quotes: bool,
    /// Characters from the start of the line to `i`.
    pub(super) column: usize,
}

impl FieldCursor {
    pub(super) fn new(text: &str, position: &Position) -> Self {
        let i = (position.byte() as usize).min(text.len());
        FieldCursor {
            record: position.byte() as usize,
            field: 0,
            i,
            line: position.line().max(1) as usize,
            in_quotes: false,
            column: 0,
        }
    }

    pub(super) fn advance(&mut self, bytes: &[u8], delimiter: u8, field: usize) {
        while self.field < field && self.i < bytes.len() {
            let c = bytes[self.i];
            if self.in_quotes {
                if c == b'"' {
                    if bytes.get(self.i + 1) == Some(&b'"') {
                        self.i += 1;
                        self.column += 1;
                    } else {
                        self.in_quotes = false;
                    }
                } else if c == b'\n' {
                    self.line += 1;
                    self.column = 0;
                    self.i += 1;
                    continue;
                }
            } else if c == b'"' {
                self.in_quotes = true;
            } else if c == delimiter {
                self.field += 1;
            } else if c == b'\n' || c == b'\r' {
                break;
            }
            // Count characters, not bytes: skip UTF-8 continuation bytes.
            if c & 0xC0 != 0x80 {
                self.column += 1;
            }
            self.i += 1;
        }
    }

    pub(super) fn line_column(&self) -> (usize, usize) {
        (self.line, self.column + 1)
    }
}
