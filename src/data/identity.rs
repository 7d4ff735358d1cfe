//! Detection of Swedish personal identity numbers (personnummer and
//! samordningsnummer) in data cells.
//!
//! Published data must never contain them. A match is reported by location
//! only: the diagnostic never carries the value.

/// Whether `text` contains something that looks like a Swedish personal
/// identity number: `YYMMDD-NNNN`, `YYMMDD+NNNN`, `YYMMDDNNNN`,
/// `YYYYMMDDNNNN` or `YYYYMMDD-NNNN`, with a plausible date (a
/// samordningsnummer adds 60 to the day) and a valid Luhn check digit.
/// The number must stand on its own: not be part of a longer run of digits.
pub fn looks_like_personal_number(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 10 {
        return false;
    }
    let mut i = 0;
    while i + 10 <= b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()) {
            if matches_at(b, i) {
                return true;
            }
            // Skip the rest of this run of digits.
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    false
}

fn digits(b: &[u8], from: usize, n: usize) -> Option<&[u8]> {
    let s = b.get(from..from + n)?;
    s.iter().all(u8::is_ascii_digit).then_some(s)
}

fn ends_run(b: &[u8], at: usize) -> bool {
    b.get(at).is_none_or(|c| !c.is_ascii_digit())
}

fn matches_at(b: &[u8], i: usize) -> bool {
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
                    return true;
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
                return true;
            }
        }
    }
    false
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
