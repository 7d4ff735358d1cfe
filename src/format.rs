//! Numbers and periods formatted for the site language (§6):
//! Swedish `1 234` (no-break space), `31,5`, `+34 %`, `kvartal 3 2024`, `K3 2024`;
//! English `1,234`, `31.5`, `+34%`, `Q3 2024`. Every number, period,
//! change and list a reader sees is written here.

use crate::data::Period;
use crate::text::Lang;

/// No-break space, used as the Swedish thousands separator and before `%`.
pub const NBSP: char = '\u{a0}';

/// `value` with exactly `decimals` decimals (`.` as separator, `-` before a
/// negative number that does not round to zero): what `format!("{:.N}")`
/// gives, but rounding half away from zero on the decimal product, as
/// spreadsheets and statistics offices round (3.25 → 3.3, where Rust's
/// formatter gives 3.2), and without its exact big-number arithmetic,
/// which was a tenth of a national build.
pub fn fixed(value: f64, decimals: usize) -> String {
    let Some(scaled) = scaled(value, decimals) else {
        return format!("{value:.decimals$}");
    };
    let mut out = String::with_capacity(24);
    if value < 0.0 && scaled > 0 {
        out.push('-');
    }
    push_digits(&mut out, scaled, decimals, None, '.');
    out
}

/// `|value|` times 10^`decimals`, rounded half away from zero, where that
/// is a whole number exactly held by an `f64` (below 9·10^15); `None` for
/// what [`fixed`] leaves to the standard formatter.
fn scaled(value: f64, decimals: usize) -> Option<u64> {
    const POW10: [f64; 7] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6];
    POW10
        .get(decimals)
        .map(|p| (value.abs() * p).round())
        .filter(|s| value.is_finite() && *s < 9.0e15)
        .map(|s| s as u64)
}

/// Writes `scaled` (a number times 10^`decimals`) with `decimals` decimals
/// after `dec_sep`, at least one digit before it, and `group_sep` between
/// groups of three digits of the whole part when given. No text is made on
/// the way: a build formats hundreds of thousands of values.
fn push_digits(
    out: &mut String,
    scaled: u64,
    decimals: usize,
    group_sep: Option<char>,
    dec_sep: char,
) {
    let mut buf = [b'0'; 24];
    let mut at = buf.len();
    let mut rest = scaled;
    loop {
        at -= 1;
        buf[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // Leading zeros up to one whole digit and the decimals (0.05 is 5 at
    // two decimals); `buf` is zeros already.
    let start = at.min(buf.len() - (decimals + 1));
    let digits = &buf[start..];
    let whole = digits.len() - decimals;
    for (i, &d) in digits[..whole].iter().enumerate() {
        if let Some(sep) = group_sep
            && i > 0
            && (whole - i).is_multiple_of(3)
        {
            out.push(sep);
        }
        out.push(char::from(d));
    }
    if decimals > 0 {
        out.push(dec_sep);
        out.extend(digits[whole..].iter().map(|&d| char::from(d)));
    }
}

/// Formats `value` with `decimals` decimals and grouped thousands.
pub fn number(value: f64, decimals: usize, lang: Lang) -> String {
    let (group_sep, dec_sep) = match lang {
        Lang::Sv => (NBSP, ','),
        Lang::En => (',', '.'),
    };
    let Some(scaled) = scaled(value, decimals) else {
        return number_of_text(&fixed(value.abs(), decimals), value, group_sep, dec_sep);
    };
    let mut out = String::with_capacity(32);
    // A minus sign only before a number that does not round to zero.
    if value < 0.0 && scaled > 0 {
        out.push('−');
    }
    push_digits(&mut out, scaled, decimals, Some(group_sep), dec_sep);
    out
}

/// [`number`] for a value the standard formatter wrote (`raw`, of the
/// absolute value): huge, or with more decimals than [`fixed`] rounds.
fn number_of_text(raw: &str, value: f64, group_sep: char, dec_sep: char) -> String {
    let (int_part, frac_part) = match raw.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (raw, None),
    };
    let mut out = String::new();
    if value < 0.0 && raw.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('−');
    }
    let digits: Vec<char> = int_part.chars().collect();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group_sep);
        }
        out.push(*c);
    }
    if let Some(f) = frac_part {
        out.push(dec_sep);
        out.push_str(f);
    }
    out
}

/// A value with as many decimals as its size calls for: whole numbers for
/// counts, one decimal for FTE, ratios and percentages.
pub fn value(value: f64, unit: crate::data::MeasureUnit, lang: Lang) -> String {
    use crate::data::MeasureUnit::*;
    let decimals = match unit {
        Count | Points | Days => {
            if value.fract().abs() < 1e-9 {
                0
            } else {
                1
            }
        }
        Fte | Ratio | Percent => 1,
    };
    let n = number(value, decimals, lang);
    match unit {
        Percent => percent_suffix(&n, lang),
        _ => n,
    }
}

fn percent_suffix(n: &str, lang: Lang) -> String {
    match lang {
        Lang::Sv => format!("{n}{NBSP}%"),
        Lang::En => format!("{n}%"),
    }
}

/// `+`, `−` or `±` (no change) before a rounded change.
fn change_sign(rounded: f64) -> &'static str {
    if rounded > 0.0 {
        "+"
    } else if rounded < 0.0 {
        "−"
    } else {
        "±"
    }
}

/// A relative change such as `+34 %` / `+34%`, rounded to whole percent.
pub fn change_percent(pct: f64, lang: Lang) -> String {
    let rounded = pct.round();
    let sign = change_sign(rounded);
    percent_suffix(&format!("{sign}{}", number(rounded.abs(), 0, lang)), lang)
}

/// A change of a percentage, in percentage points: `−21,3 procentenheter` /
/// `−21.3 percentage points`. A relative change of a share ("−25 %") is
/// easily misread, so shares are compared by their difference.
pub fn change_points(diff: f64, lang: Lang) -> String {
    let rounded = (diff * 10.0).round() / 10.0;
    let sign = change_sign(rounded);
    let n = number(rounded.abs(), 1, lang);
    let sep = match lang {
        Lang::Sv => NBSP,
        Lang::En => ' ',
    };
    format!("{sign}{n}{sep}{}", lang.words().percentage_points)
}

/// A CSV field, quoted when it holds a comma, quote or line break.
pub fn csv_quote(s: &str) -> String {
    csv_quote_for(s, ',')
}

/// A CSV field for a file separated by `delimiter`, quoted when it holds
/// the delimiter, a quote or a line break.
pub fn csv_quote_for(s: &str, delimiter: char) -> String {
    if s.contains([delimiter, '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV field for a download that people open in spreadsheets: text that a
/// spreadsheet would run as a formula (`=`, `+`, `@`, or `-` before
/// something that is not a number) gets a leading `'`, then it is quoted.
pub fn csv_cell(s: &str) -> String {
    csv_cell_for(s, ',')
}

/// [`csv_cell`] for a file separated by `delimiter`.
pub fn csv_cell_for(s: &str, delimiter: char) -> String {
    let formula = match s.as_bytes().first() {
        Some(b'=' | b'+' | b'@' | b'\t' | b'\r') => true,
        Some(b'-') => s[1..].parse::<f64>().is_err(),
        _ => false,
    };
    if formula {
        csv_quote_for(&format!("'{s}"), delimiter)
    } else {
        csv_quote_for(s, delimiter)
    }
}

/// A period in running text: `kvartal 3 2024` / `Q3 2024`, or the year.
pub fn period_long(p: Period, lang: Lang) -> String {
    match (p, lang) {
        (Period::Year(y), _) => y.to_string(),
        (Period::Quarter { year, quarter }, Lang::Sv) => format!("kvartal {quarter} {year}"),
        (Period::Quarter { year, quarter }, Lang::En) => format!("Q{quarter} {year}"),
    }
}

/// A period on an axis or in a table: `K3 2024` / `Q3 2024`.
pub fn period_short(p: Period, lang: Lang) -> String {
    match (p, lang) {
        (Period::Year(y), _) => y.to_string(),
        (Period::Quarter { year, quarter }, Lang::Sv) => format!("K{quarter}{NBSP}{year}"),
        (Period::Quarter { year, quarter }, Lang::En) => format!("Q{quarter}{NBSP}{year}"),
    }
}

/// A `YYYY-MM-DD` date in running text: `5 oktober 2024` / `5 October 2024`.
pub fn date_long(date: &str, lang: Lang) -> String {
    const SV: [&str; 12] = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = date.split('-').collect();
    let (Some(y), Some(m), Some(d)) = (parts.first(), parts.get(1), parts.get(2)) else {
        return date.to_string();
    };
    let (Ok(m), Ok(d)) = (m.parse::<usize>(), d.parse::<u32>()) else {
        return date.to_string();
    };
    if !(1..=12).contains(&m) {
        return date.to_string();
    }
    let month = match lang {
        Lang::Sv => SV[m - 1],
        Lang::En => EN[m - 1],
    };
    format!("{d} {month} {y}")
}

/// A span of periods: `K1 2019–K3 2024`, or one period.
pub fn span_short(from: Period, to: Period, lang: Lang) -> String {
    if from == to {
        period_short(from, lang)
    } else {
        format!("{}–{}", period_short(from, lang), period_short(to, lang))
    }
}

/// A list of periods: `K2 2023, K3 2023`.
pub fn period_list(periods: &[Period], lang: Lang) -> String {
    periods
        .iter()
        .map(|p| period_short(*p, lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `34 %` / `34%`: a magnitude of change, whole percent, no sign.
pub fn percent_abs(pct: f64, lang: Lang) -> String {
    percent_suffix(&number(pct.abs().round(), 0, lang), lang)
}

/// Joins `a, b och c` / `a, b and c`.
pub fn join_and(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), lang.words().and),
    }
}

/// Lower-cases the first letter of a label for use inside a sentence,
/// unless the label starts with an abbreviation ("FTE").
pub fn lc_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && b.is_uppercase() => s.to_string(),
        (Some(a), _) => {
            let mut out = String::with_capacity(s.len());
            out.extend(a.to_lowercase());
            out.push_str(&s[a.len_utf8()..]);
            out
        }
        _ => String::new(),
    }
}

/// Upper-cases the first letter.
pub fn uc_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(a) => a.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Today's civil date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian
/// (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {

    #[test]
    fn fixed_rounds_half_away_from_zero() {
        assert_eq!(fixed(3.25, 1), "3.3");
        assert_eq!(fixed(-3.25, 1), "-3.3");
        assert_eq!(fixed(0.04, 1), "0.0");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(0.05, 1), "0.1");
        assert_eq!(fixed(1234.5, 0), "1235");
        assert_eq!(fixed(7.0, 2), "7.00");
        assert_eq!(fixed(0.007, 2), "0.01");
        assert_eq!(fixed(12.345678, 4), "12.3457");
        // Out of the fast path's range: the standard formatter.
        assert_eq!(fixed(1e300, 1), format!("{:.1}", 1e300));
        assert_eq!(fixed(f64::NAN, 1), "NaN");
    }

    #[test]
    fn fixed_agrees_with_the_standard_formatter_off_the_halfway_points() {
        for i in 0..20_000 {
            let v = (i as f64) * 0.0137 - 97.3;
            for d in 0..4 {
                let ours = fixed(v, d);
                let std = format!("{v:.d$}");
                // Rust writes `-0.0` for a negative number that rounds to
                // zero; `fixed` writes `0.0`.
                let std = match std.strip_prefix('-') {
                    Some(rest) if rest.parse::<f64>() == Ok(0.0) => rest.to_string(),
                    _ => std,
                };
                let (a, b): (f64, f64) = (ours.parse().unwrap(), std.parse().unwrap());
                // Equal, or one unit in the last place apart at a tie.
                let unit = 10f64.powi(-(d as i32));
                assert!((a - b).abs() <= unit * 1.000001, "{v} {d}: {ours} vs {std}");
                if ours != std {
                    let frac = (v.abs() * 10f64.powi(d as i32)).fract();
                    assert!((frac - 0.5).abs() < 1e-6, "{v} {d}: {ours} vs {std}");
                }
            }
        }
    }

    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_453), (2025, 12, 31));
    }

    #[test]
    fn swedish_and_english_numbers() {
        assert_eq!(number(1234.0, 0, Lang::Sv), "1\u{a0}234");
        assert_eq!(number(1234567.0, 0, Lang::En), "1,234,567");
        assert_eq!(number(31.5, 1, Lang::Sv), "31,5");
        assert_eq!(number(31.5, 1, Lang::En), "31.5");
        assert_eq!(number(-2.0, 0, Lang::En), "−2");
        assert_eq!(number(-0.01, 0, Lang::En), "0");
        assert_eq!(number(431.0, 0, Lang::Sv), "431");
    }

    /// Grouping digits as they are made agrees with grouping the text
    /// [`fixed`] writes, which is what huge values still go through.
    #[test]
    fn numbers_grouped_while_written_agree_with_grouping_the_text() {
        let mut v: f64 = -2.0e7;
        while v < 2.0e7 {
            for d in 0..4 {
                for (lang, group, dec) in [(Lang::Sv, NBSP, ','), (Lang::En, ',', '.')] {
                    let text = number_of_text(&fixed(v.abs(), d), v, group, dec);
                    assert_eq!(number(v, d, lang), text, "{v} {d}");
                }
            }
            v += 1_234.567_89;
        }
        for v in [
            0.0_f64, -0.0, 0.004, -0.004, 0.05, 999.95, -999.96, 1e15, 8.99e15,
        ] {
            for d in 0..7 {
                let text = number_of_text(&fixed(v.abs(), d), v, ',', '.');
                assert_eq!(number(v, d, Lang::En), text, "{v} {d}");
            }
        }
        assert_eq!(number(0.05, 2, Lang::En), "0.05");
        assert_eq!(number(1e16, 0, Lang::En), "10,000,000,000,000,000");
    }

    #[test]
    fn changes_and_periods() {
        assert_eq!(change_percent(34.2, Lang::Sv), "+34\u{a0}%");
        assert_eq!(change_percent(34.2, Lang::En), "+34%");
        assert_eq!(change_percent(-3.4, Lang::En), "−3%");
        assert_eq!(change_percent(0.2, Lang::En), "±0%");
        assert_eq!(change_points(-21.34, Lang::Sv), "−21,3\u{a0}procentenheter");
        assert_eq!(change_points(2.0, Lang::En), "+2.0 percentage points");
        let p = Period::quarter(2024, 3);
        assert_eq!(period_long(p, Lang::Sv), "kvartal 3 2024");
        assert_eq!(period_short(p, Lang::Sv), "K3\u{a0}2024");
        assert_eq!(period_long(p, Lang::En), "Q3 2024");
        assert_eq!(date_long("2024-10-05", Lang::Sv), "5 oktober 2024");
    }
}
