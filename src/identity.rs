//! Detection of Swedish personal identity numbers (personnummer and
//! samordningsnummer) in any text insyn reads: data cells, `site.toml`,
//! `units.toml`, `measures.toml`, front matter, Markdown bodies, chart
//! blocks and file names.
//!
//! Published text must never contain them, and neither may a message or a
//! source excerpt: a match is reported by location only, and every text
//! insyn shows about a problem is passed through [`mask`] first.
//! Turning matches into located errors is
//! [`crate::data::identity_scan`]'s work: this module uses nothing else of
//! insyn, so that [`crate::diagnostics`] can mask with it.
//!
//! What counts (README.md, "Personal identity numbers"): ten or twelve
//! digits standing on their own (not part of a longer run of digits), as
//! `YYMMDD-NNNN`, `YYMMDD+NNNN`, `YYMMDDNNNN`, `YYYYMMDDNNNN` or
//! `YYYYMMDD-NNNN`, whose date exists (month 1–12, day 1 to the month's
//! last day, or that plus 60 for a samordningsnummer; a twelve-digit form
//! must start with 18, 19 or 20) and whose last digit is the Luhn check
//! digit of the other nine. Dates (`2024-01-01`), period codes (`2024Q1`),
//! organisation numbers (their month digits are 20 or more), numbers with
//! spaces or other separators (`070-123 45 67`) never match; a ten-digit run
//! such as a phone number written without separators matches only when it
//! happens to read as a real date with a correct check digit.

use std::borrow::Cow;
use std::ops::Range;

/// Whether `text` contains something that looks like a Swedish personal
/// identity number (see the module documentation).
pub fn looks_like_personal_number(text: &str) -> bool {
    personal_numbers(text).next().is_some()
}

/// The byte ranges of every personal identity number in `text`, in order.
/// Linear in the length of the text.
pub fn personal_numbers(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i + 10 <= b.len() {
            if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()) {
                if let Some(len) = match_at(b, i) {
                    let found = i..i + len;
                    i += len;
                    return Some(found);
                }
                // Skip the rest of this run of digits.
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            } else {
                i += 1;
            }
        }
        None
    })
}

/// `text` with every personal identity number replaced by as many `*`, so
/// that byte offsets, lines and columns stay where they were.
pub fn mask(text: &str) -> Cow<'_, str> {
    let mut ranges = personal_numbers(text).peekable();
    if ranges.peek().is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in ranges {
        out.push_str(&text[last..r.start]);
        // A match is ASCII digits and at most one `-` or `+`.
        out.extend(std::iter::repeat_n('*', r.len()));
        last = r.end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

fn digits(b: &[u8], from: usize, n: usize) -> Option<&[u8]> {
    let s = b.get(from..from + n)?;
    s.iter().all(u8::is_ascii_digit).then_some(s)
}

fn ends_run(b: &[u8], at: usize) -> bool {
    b.get(at).is_none_or(|c| !c.is_ascii_digit())
}

/// The length of the personal identity number starting at `i`, if any.
fn match_at(b: &[u8], i: usize) -> Option<usize> {
    let mut ten = [0u8; 10];
    // YYYYMMDD[-]NNNN
    if let Some(date) = digits(b, i, 8) {
        let century = (date[0] - b'0') * 10 + (date[1] - b'0');
        if (18..=20).contains(&century) {
            let sep = usize::from(matches!(b.get(i + 8), Some(b'-') | Some(b'+')));
            if let Some(tail) = digits(b, i + 8 + sep, 4)
                && ends_run(b, i + 12 + sep)
            {
                ten[..6].copy_from_slice(&date[2..]);
                ten[6..].copy_from_slice(tail);
                if valid(&ten) {
                    return Some(12 + sep);
                }
            }
        }
    }
    // YYMMDD[-+]NNNN or YYMMDDNNNN
    if let Some(date) = digits(b, i, 6) {
        let sep = usize::from(matches!(b.get(i + 6), Some(b'-') | Some(b'+')));
        if let Some(tail) = digits(b, i + 6 + sep, 4)
            && ends_run(b, i + 10 + sep)
        {
            ten[..6].copy_from_slice(date);
            ten[6..].copy_from_slice(tail);
            if valid(&ten) {
                return Some(10 + sep);
            }
        }
    }
    None
}

/// `YYMMDDNNNN` as ASCII digits: a plausible date and a Luhn check digit.
fn valid(ten: &[u8; 10]) -> bool {
    let d = |k: usize| u32::from(ten[k] - b'0');
    let month = d(2) * 10 + d(3);
    let mut day = d(4) * 10 + d(5);
    if day > 60 {
        day -= 60; // samordningsnummer
    }
    let max_day = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return false,
    };
    if day == 0 || day > max_day {
        return false;
    }
    luhn(ten)
}

fn luhn(ten: &[u8; 10]) -> bool {
    let sum: u32 = ten
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let v = u32::from(c - b'0') * if k % 2 == 0 { 2 } else { 1 };
            v / 10 + v % 10
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // 811218-9876 is the Swedish Tax Agency's well-known test number.
    #[test]
    fn recognises_every_spelling() {
        for s in [
            "811218-9876",
            "811218+9876",
            "8112189876",
            "198112189876",
            "19811218-9876",
            " 811218-9876 ",
            "Anna 811218-9876",
            "811278-9873", // samordningsnummer: day 18 + 60
        ] {
            assert!(looks_like_personal_number(s), "{s}");
        }
    }

    #[test]
    fn rejects_non_numbers_and_bad_checks() {
        for s in [
            "811218-9877",   // wrong check digit
            "811318-9876",   // month 13
            "811232-9871",   // day 32
            "1811218-9876",  // part of a longer run
            "8112189876123", // longer run
            "2024Q1",
            "1234567890",
            "12 345",
            "31,5",
            "3.83894583",
            "",
            "2024-01-01",
        ] {
            assert!(!looks_like_personal_number(s), "{s}");
        }
    }

    #[test]
    fn ranges_and_masks_keep_every_offset() {
        let text = "Anna 811218-9876, Bo 198112189876; 2024-01-01";
        let found: Vec<_> = personal_numbers(text).collect();
        assert_eq!(found, vec![5..16, 21..33]);
        let masked = mask(text);
        assert_eq!(masked, "Anna ***********, Bo ************; 2024-01-01");
        assert_eq!(masked.len(), text.len());
        assert!(matches!(mask("2024Q1 31,5"), Cow::Borrowed(_)));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = looks_like_personal_number(&s);
        }

        #[test]
        fn never_panics_digits(s in "[0-9+\\- ]{0,40}") {
            let _ = looks_like_personal_number(&s);
        }
    }
}
