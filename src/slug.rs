//! The one slugifier: what becomes of a name in an address or an anchor.
//! Slugs are published (chart addresses, heading anchors), so a change to
//! the folding below changes addresses people have linked to.

/// Which characters besides ASCII letters and digits survive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Letters and digits only: heading anchors (`Så läser du` → `sa-laser-du`).
    Alphanumeric,
    /// Also `_`, which ids use: chart addresses (`open_cases` stays).
    Underscore,
}

/// Lower case, accented Latin letters folded to their base letter (å, ä →
/// a; ö, ø → o), every other run of characters to one `-`, none at either
/// end.
pub fn slug(text: &str, keep: Keep) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = fold(c);
        if c.is_ascii_alphanumeric() || (keep == Keep::Underscore && c == '_') {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let kept = out.trim_end_matches('-').len();
    out.truncate(kept);
    out
}

fn fold(c: char) -> char {
    match c {
        'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
        'ö' | 'ø' | 'ó' | 'ô' => 'o',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'ü' | 'ú' => 'u',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The heading slugifier before there was one: every slug it made
    /// outside â, ê and ô must come out the same.
    fn old_heading(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars().flat_map(char::to_lowercase) {
            let c = match c {
                'å' | 'ä' | 'á' | 'à' => 'a',
                'ö' | 'ó' | 'ø' => 'o',
                'é' | 'è' | 'ë' => 'e',
                'ü' | 'ú' => 'u',
                c => c,
            };
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        out.trim_end_matches('-').to_string()
    }

    /// The chart-address slugifier before there was one.
    fn old_address(s: &str) -> String {
        let mut out = String::new();
        for c in s.to_lowercase().chars() {
            let c = match c {
                'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
                'ö' | 'ø' | 'ó' | 'ô' => 'o',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'ü' | 'ú' => 'u',
                c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => c,
                _ => '-',
            };
            if !(c == '-' && out.ends_with('-')) {
                out.push(c);
            }
        }
        out.trim_matches('-').to_string()
    }

    #[test]
    fn headings_and_addresses() {
        assert_eq!(
            slug("Så läser du siffrorna", Keep::Alphanumeric),
            "sa-laser-du-siffrorna"
        );
        assert_eq!(
            slug("  Ärenden / årsarbetare?  ", Keep::Alphanumeric),
            "arenden-arsarbetare"
        );
        assert_eq!(slug("open_cases", Keep::Alphanumeric), "open-cases");
        assert_eq!(slug("open_cases", Keep::Underscore), "open_cases");
        assert_eq!(slug("2026Q3", Keep::Underscore), "2026q3");
        assert_eq!(slug("Château", Keep::Alphanumeric), "chateau");
    }

    /// Every string over an alphabet of the letters, digits and punctuation
    /// that names and ids use, up to four characters, slugs as before.
    #[test]
    fn existing_slugs_do_not_change() {
        let alphabet: Vec<char> = "aZ9_- .,/åÄöÖéüøÉ(ß".chars().collect();
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
            texts.dedup();
        }
        for t in &texts {
            assert_eq!(slug(t, Keep::Alphanumeric), old_heading(t), "{t:?}");
            assert_eq!(slug(t, Keep::Underscore), old_address(t), "{t:?}");
        }
    }
}
