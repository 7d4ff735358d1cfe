//! Numbers as Swedish and English extracts write them (§3.4).
//!
//! Accepted: `1234`, `1 234` (space, no-break space U+00A0 or narrow no-break
//! space U+202F between groups of three), `31.5`, `31,5` (decimal comma, only
//! when the file's delimiter is not a comma), a leading `-` or `−` (U+2212).
//! Nothing else: no exponents, no `inf`/`NaN`, no ambiguous `1,234` in a
//! comma-separated file.

/// What a number cell accepts, for error messages.
pub const NUMBER_EXPECTED: &str = "a number such as `1234`, `1 234`, `31.5` or `31,5`";

/// The longest number text considered (digits, sign and separators); longer
/// cells are not numbers.
const MAX_LEN: usize = 64;

/// Parses one number cell. `decimal_comma` allows `,` as the decimal
/// separator (never as a thousands separator).
pub fn parse_number(text: &str, decimal_comma: bool) -> Option<f64> {
    let s = text.trim();
    if s.is_empty() || s.len() > MAX_LEN {
        return None;
    }
    // Fast path: plain ASCII digits with an optional '.' and leading '-'.
    let bytes = s.as_bytes();
    let body = bytes.strip_prefix(b"-").unwrap_or(bytes);
    if !body.is_empty()
        && body[0].is_ascii_digit()
        && body[body.len() - 1].is_ascii_digit()
        && body.iter().all(|b| b.is_ascii_digit() || *b == b'.')
        && body.iter().filter(|b| **b == b'.').count() <= 1
    {
        return s.parse::<f64>().ok().filter(|n| n.is_finite());
    }
    parse_slow(s, decimal_comma)
}

fn parse_slow(s: &str, decimal_comma: bool) -> Option<f64> {
    let mut buf = [0u8; MAX_LEN + 2];
    let mut n = 0;
    let mut chars = s.chars().peekable();
    match chars.peek() {
        Some('-') | Some('\u{2212}') => {
            chars.next();
            buf[0] = b'-';
            n = 1;
        }
        Some('+') => {
            chars.next();
        }
        _ => {}
    }
    let mut int_digits = 0usize;
    let mut group_len = 0usize;
    let mut grouped = false;
    let mut in_fraction = false;
    let mut frac_digits = 0usize;
    for c in chars {
        match c {
            '0'..='9' => {
                if n >= buf.len() {
                    return None;
                }
                buf[n] = c as u8;
                n += 1;
                if in_fraction {
                    frac_digits += 1;
                } else {
                    int_digits += 1;
                    group_len += 1;
                }
            }
            ' ' | '\u{a0}' | '\u{202f}' if !in_fraction => {
                // A thousands separator: the first group has 1–3 digits,
                // every later one exactly 3.
                if group_len == 0 || group_len > 3 || (grouped && group_len != 3) {
                    return None;
                }
                grouped = true;
                group_len = 0;
            }
            '.' | ',' if !in_fraction && (c == '.' || decimal_comma) => {
                if int_digits == 0 || (grouped && group_len != 3) {
                    return None;
                }
                in_fraction = true;
                if n >= buf.len() {
                    return None;
                }
                buf[n] = b'.';
                n += 1;
            }
            _ => return None,
        }
    }
    if int_digits == 0 || (in_fraction && frac_digits == 0) {
        return None;
    }
    if grouped && !in_fraction && group_len != 3 {
        return None;
    }
    std::str::from_utf8(&buf[..n])
        .ok()?
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_and_decimal_point() {
        assert_eq!(parse_number("1234", false), Some(1234.0));
        assert_eq!(parse_number("31.5", false), Some(31.5));
        assert_eq!(parse_number(" 0 ", false), Some(0.0));
        assert_eq!(parse_number("-3", false), Some(-3.0));
        assert_eq!(parse_number("\u{2212}3,5", true), Some(-3.5));
        assert_eq!(parse_number("+7", false), Some(7.0));
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(parse_number("1 234", false), Some(1234.0));
        assert_eq!(parse_number("1\u{a0}234", false), Some(1234.0));
        assert_eq!(parse_number("1\u{202f}234", false), Some(1234.0));
        assert_eq!(parse_number("12 345 678", false), Some(12345678.0));
        assert_eq!(parse_number("1 234,5", true), Some(1234.5));
        assert_eq!(parse_number("1 234.5", false), Some(1234.5));
        for bad in [
            "1 23",
            "1234 567",
            "1  234",
            " 1 2345",
            "12 34 567",
            "1 234 5",
        ] {
            assert_eq!(parse_number(bad, true), None, "{bad}");
        }
    }

    #[test]
    fn decimal_comma_only_when_allowed() {
        assert_eq!(parse_number("31,5", true), Some(31.5));
        assert_eq!(parse_number("31,5", false), None);
        assert_eq!(parse_number("1,234", false), None);
    }

    #[test]
    fn rejections() {
        for bad in [
            "", "-", ".", "1.", ".5", "1.2.3", "1,2,3", "1e3", "inf", "NaN", "12a", "1-2", "--1",
            "1 234 p", "x",
        ] {
            assert_eq!(parse_number(bad, true), None, "{bad}");
        }
        let long = "9".repeat(500);
        assert_eq!(parse_number(&long, true), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*", comma in any::<bool>()) {
            let _ = parse_number(&s, comma);
        }

        #[test]
        fn never_panics_on_numberish(s in "[-\u{2212}+ 0-9.,\u{a0}\u{202f}]{0,80}", comma in any::<bool>()) {
            if let Some(n) = parse_number(&s, comma) {
                prop_assert!(n.is_finite());
            }
        }

        #[test]
        fn integers_round_trip(n in -1_000_000_000i64..1_000_000_000) {
            prop_assert_eq!(parse_number(&n.to_string(), false), Some(n as f64));
        }
    }
}
