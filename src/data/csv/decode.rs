use std::borrow::Cow;
use std::path::Path;

use crate::diagnostics::Diagnostic;

/// How a file's bytes were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    Utf8,
    Utf8Bom,
    Windows1252,
}

/// Decodes a file: UTF-8 (a BOM is dropped), otherwise Windows-1252. Lines
/// ended by a lone CR come back ended by LF (see [`has_lone_cr`]). A UTF-8
/// file with a stray byte is an error (see [`stray_byte`]); `file` names it.
pub fn decode<'a>(
    file: &Path,
    bytes: &'a [u8],
) -> Result<(Cow<'a, str>, SourceEncoding), Diagnostic> {
    if has_lone_cr(bytes) {
        let (text, encoding) = decode_owned(file, bytes.to_vec())?;
        return Ok((Cow::Owned(text), encoding));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF")
        && let Ok(s) = std::str::from_utf8(rest)
    {
        return Ok((Cow::Borrowed(s), SourceEncoding::Utf8Bom));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), SourceEncoding::Utf8)),
        Err(_) => {
            if let Some(d) = stray_byte(file, bytes) {
                return Err(d);
            }
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok((text, SourceEncoding::Windows1252))
        }
    }
}

/// The error for a UTF-8 file with a stray byte in it (a character pasted
/// from an old program, a cut in the middle of a letter): a file whose
/// letters are mostly valid UTF-8 is not Windows-1252, and read as that,
/// every `å` would be published as `Ã¥`. `None` for valid UTF-8 and for a
/// file whose letters are mostly not (Windows-1252 as it comes).
fn stray_byte(file: &Path, bytes: &[u8]) -> Option<Diagnostic> {
    let (mut letters, mut stray, mut first) = (0usize, 0usize, None);
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        letters += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            stray += 1;
            first.get_or_insert(at);
        }
        at += chunk.invalid().len();
    }
    let first = first?;
    if letters < stray.max(1) {
        return None;
    }
    let (line, column) = crate::text::place_of_byte(bytes, first);
    Some(
        Diagnostic::error(file, "a byte that is not UTF-8 in a UTF-8 file")
            .at(line, column)
            .found(format!("0x{:02X}", bytes[first]))
            .expected(format!(
                "UTF-8 text, as the rest of the file ({} letters outside ASCII are)",
                crate::diagnostics::group_digits(letters)
            ))
            .help("retype the character at this place and save the file as UTF-8; read as Windows-1252 instead, every `å` of the file would be published as `Ã¥`"),
    )
}

/// Like [`decode`], without copying valid UTF-8.
pub fn decode_owned(
    file: &Path,
    mut bytes: Vec<u8>,
) -> Result<(String, SourceEncoding), Diagnostic> {
    lone_cr_to_lf(&mut bytes);
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let utf8 = std::str::from_utf8(if bom { &bytes[3..] } else { &bytes[..] }).is_ok();
    if utf8 {
        if bom {
            bytes.drain(..3);
        }
        let encoding = if bom {
            SourceEncoding::Utf8Bom
        } else {
            SourceEncoding::Utf8
        };
        // Checked just above.
        return Ok((String::from_utf8(bytes).unwrap_or_default(), encoding));
    }
    if let Some(d) = stray_byte(file, &bytes) {
        return Err(d);
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
    Ok((text.into_owned(), SourceEncoding::Windows1252))
}

/// Whether some line ends in a CR without an LF after it, as in files of
/// classic Mac OS and some Excel exports. The CSV reader ends a record
/// there but counts lines by LF alone, so every problem of such a file was
/// reported on line 1.
fn has_lone_cr(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) != Some(&b'\n'))
}

/// Turns each lone CR into an LF: one byte for another, so every offset
/// and column stays where it was (CR and LF are ASCII in both encodings).
fn lone_cr_to_lf(bytes: &mut [u8]) {
    if !has_lone_cr(bytes) {
        return;
    }
    for at in 0..bytes.len() {
        if bytes[at] == b'\r' && bytes.get(at + 1) != Some(&b'\n') {
            bytes[at] = b'\n';
        }
    }
}

/// The delimiter of a file: `,`, `;` or tab, whichever occurs most outside
/// quotes on the header line (ties prefer `;`, then tab, then `,`). An Excel
/// `sep=;` first line is obeyed; then `true` says to skip that line.
pub fn sniff_delimiter(text: &str) -> (u8, bool) {
    let first = text.lines().next().unwrap_or("");
    if let Some(rest) = first.get(..4).filter(|p| p.eq_ignore_ascii_case("sep="))
        && !rest.is_empty()
    {
        let sep = first[4..].trim_end_matches('\r');
        if let [d @ (b',' | b';' | b'\t')] = sep.as_bytes() {
            return (*d, true);
        }
    }
    let (mut semi, mut tab, mut comma) = (0usize, 0usize, 0usize);
    let mut in_quotes = false;
    for b in text.bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => break,
            b';' if !in_quotes => semi += 1,
            b'\t' if !in_quotes => tab += 1,
            b',' if !in_quotes => comma += 1,
            _ => {}
        }
    }
    let best = semi.max(tab).max(comma);
    let delimiter = if best == 0 || semi == best {
        if best == 0 { b',' } else { b';' }
    } else if tab == best {
        b'\t'
    } else {
        b','
    };
    (delimiter, false)
}
