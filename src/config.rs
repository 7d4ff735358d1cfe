//! `site.toml`: a site's configuration (§3.1).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::text::Lang;

/// A calendar date as written in TOML (`2024-10-05`), kept as its canonical
/// `YYYY-MM-DD` text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Date(pub String);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let dt = toml::value::Datetime::deserialize(de)?;
        match (dt.date, dt.time) {
            (Some(d), None) => Ok(Date(d.to_string())),
            _ => Err(serde::de::Error::custom(
                "expected a date such as 2024-10-05 (without time)",
            )),
        }
    }
}

impl Date {
    /// A date written as `YYYY-MM-DD` outside TOML (on the command line, in
    /// an edition's manifest): a day of the calendar (2024-13-01 and
    /// 2024-02-30 are not); the error says what is wrong in plain words.
    pub fn parse(s: &str) -> Result<Date, String> {
        let shaped = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        let real = shaped
            && s.parse::<toml::value::Datetime>()
                .is_ok_and(|d| d.date.is_some() && d.time.is_none());
        if real {
            Ok(Date(s.to_string()))
        } else if shaped {
            Err(format!("`{s}` is not a date of the calendar"))
        } else {
            Err(format!(
                "`{s}` is not a date: expected YYYY-MM-DD, such as 2026-01-20"
            ))
        }
    }

    pub fn year(&self) -> &str {
        &self.0[..4]
    }
    pub fn month(&self) -> u32 {
        self.0[5..7].parse().unwrap_or(1)
    }
    pub fn day(&self) -> u32 {
        self.0[8..10].parse().unwrap_or(1)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    pub organisation: String,
    pub base_url: String,
    #[serde(default)]
    pub language: Lang,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// A one-line description for the home page and metadata.
    #[serde(default)]
    pub description: Option<String>,
    /// Let raw HTML in Markdown through (script and event handlers are still removed).
    #[serde(default)]
    pub allow_html: bool,
    #[serde(default)]
    pub privacy: Privacy,
    pub source: Source,
    #[serde(default)]
    pub publication: Publication,
    /// The measures of the headline chart (caseload against staffing growth)
    /// on the home and unit pages. Default: the first caseload count and the
    /// first staffing FTE measure.
    #[serde(default)]
    pub headline: Option<Headline>,
    /// What the accessibility statement says (see `site::accessibility`).
    #[serde(default)]
    pub accessibility: Accessibility,
}

/// The facts of the accessibility statement (*tillgänglighetsredogörelse*)
/// that only the publisher can know: how far the site complies, what is not
/// accessible, and when and how that was assessed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    /// How far the site complies with lagen (2018:1937) om tillgänglighet
    /// till digital offentlig service.
    #[serde(default)]
    pub status: Compliance,
    /// The day the site was last assessed.
    #[serde(default)]
    pub assessed: Option<Date>,
    /// How it was assessed: by whom, with what method.
    #[serde(default)]
    pub method: Option<String>,
    /// The day the statement was last reviewed. Default: `assessed`.
    #[serde(default)]
    pub updated: Option<Date>,
    /// Where to report problems. Default: `[source] contact`.
    #[serde(default)]
    pub contact: Option<String>,
    /// Content that is not accessible, each with why.
    #[serde(default)]
    pub problems: Vec<String>,
}

/// The three compliance statuses the Swedish supervisory authority (DIGG)
/// lets a statement use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compliance {
    /// *helt förenlig*: fully compliant.
    Full,
    /// *delvis förenlig*: partially compliant. The default: full compliance
    /// is a claim only an assessment can support.
    #[default]
    Partial,
    /// *inte förenlig*: not compliant.
    None,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Headline {
    pub caseload: String,
    pub staffing: String,
}

fn default_theme() -> String {
    "default".to_string()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Privacy {
    /// Counts from 1 to `suppress_below - 1` are published as `<N`.
    #[serde(default = "default_suppress_below")]
    pub suppress_below: u32,
    /// Units with fewer FTE are never published on their own.
    #[serde(default = "default_min_unit_fte")]
    pub min_unit_fte: f64,
}

fn default_suppress_below() -> u32 {
    5
}
fn default_min_unit_fte() -> f64 {
    3.0
}

impl Default for Privacy {
    fn default() -> Self {
        Privacy {
            suppress_below: default_suppress_below(),
            min_unit_fte: default_min_unit_fte(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub name: String,
    pub contact: String,
    /// The data date, shown on every chart and download.
    pub extracted: Date,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// Announced publication dates (release calendar).
    #[serde(default)]
    pub next: Vec<Date>,
}

impl SiteConfig {
    /// Reads and validates `site.toml` under `root`.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let file = Path::new("site.toml");
        let bytes = std::fs::read(root.join(file)).map_err(|e| {
            vec![
                Diagnostic::error(file, format!("cannot read site.toml: {e}"))
                    .help("a site needs a `site.toml` at its root; `insyn init DIR` creates one"),
            ]
        })?;
        let text = crate::text::utf8_file_text(file, bytes).map_err(|d| vec![d])?;
        // Titles, descriptions and every other text here are published.
        let mut problems = crate::data::identity_scan::scan_text(file, &text);
        let config: SiteConfig = toml::from_str(&text).map_err(|e| {
            let mut all = std::mem::take(&mut problems);
            all.push(toml_diagnostic(file, &text, &e));
            all
        })?;
        let line_of = |key: &str| key_line(&text, key);
        if let Err(why) = check_base_url(&config.base_url) {
            let mut d = Diagnostic::error(file, format!("`base_url` {why}"))
                .found(config.base_url.clone())
                .expected(BASE_URL_EXPECTED);
            if let Some(line) = line_of("base_url") {
                d = d.at_line(line);
            }
            problems.push(d);
        }
        // The theme names a folder under themes/: keep it a plain name.
        if config.theme.is_empty()
            || !config
                .theme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            let mut d =
                Diagnostic::error(file, "`theme` must be the name of a folder under themes/")
                    .found(config.theme.clone())
                    .expected("a name of letters a–z, digits, `-` and `_`, such as `default`");
            if let Some(line) = line_of("theme") {
                d = d.at_line(line);
            }
            problems.push(d);
        } else if let Err(known) = check_theme(root, &config.theme) {
            let mut d = Diagnostic::error(file, "there is no theme of this name")
                .found(config.theme.clone())
                .expected(format!(
                    "one of the themes that exist: {}",
                    known
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .suggest(&config.theme, known.iter().map(String::as_str));
            if d.help.is_none() {
                d = d.help(format!(
                    "a theme is a folder `themes/{}/` in the site (with `templates/` or `static/`), or the built-in `default`",
                    config.theme
                ));
            }
            if let Some(line) = line_of("theme") {
                d = d.at_line(line);
            }
            problems.push(d);
        }
        let a = &config.accessibility;
        if a.status == Compliance::Full && a.assessed.is_none() {
            problems.push(
                Diagnostic::error(file, "`accessibility.status = \"full\"` without an assessment")
                    .found("status = \"full\"")
                    .expected("`assessed = <date>`: the day the assessment that found the site fully compliant was made")
                    .help("until the site has been assessed, leave `status` out (\"partial\")"),
            );
        }
        if a.status == Compliance::Full && !a.problems.is_empty() {
            problems.push(
                Diagnostic::error(file, "`accessibility.status = \"full\"` but `problems` lists content that is not accessible")
                    .found(format!("{} problems", a.problems.len()))
                    .expected("`status = \"partial\"` (or \"none\") while anything is not accessible"),
            );
        }
        if config.privacy.suppress_below < 1 {
            problems.push(
                Diagnostic::error(file, "`privacy.suppress_below` must be at least 1")
                    .expected("a whole number such as 5"),
            );
        }
        // Every comparison with NaN is false: `nan` would withhold no unit
        // at all, silently.
        if !config.privacy.min_unit_fte.is_finite() {
            let mut d = Diagnostic::error(file, "`privacy.min_unit_fte` must be a number")
                .found(config.privacy.min_unit_fte.to_string())
                .expected("a number of full-time equivalents such as 3.0");
            if let Some(line) = line_of("min_unit_fte") {
                d = d.at_line(line);
            }
            problems.push(d);
        }
        // Both are published in every citation and page title.
        for (key, value) in [
            ("title", &config.title),
            ("organisation", &config.organisation),
        ] {
            if value.trim().is_empty() {
                let mut d = Diagnostic::error(file, format!("`{key}` is empty")).expected(
                    if key == "title" {
                        "the site's name, such as \"Socialtjänsten i siffror\""
                    } else {
                        "the publisher named in every citation, such as \"Exempelstads kommun\""
                    },
                );
                if let Some(line) = line_of(key) {
                    d = d.at_line(line);
                }
                problems.push(d);
            }
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// `base_url` with exactly one trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }
}

/// Below these, `[privacy]` protects too little (H9): a count of 1 or 2 can
/// be one identifiable person, and a unit under one FTE is one caseworker.
pub const SAFE_SUPPRESS_BELOW: u32 = 3;
pub const SAFE_MIN_UNIT_FTE: f64 = 1.0;

/// Warnings for `[privacy]` settings that switch protection (nearly) off,
/// each naming its line of site.toml and what it exposes. `insyn check
/// --strict` makes them errors.
pub fn privacy_warnings(root: &Path, config: &SiteConfig) -> Vec<Diagnostic> {
    let file = Path::new("site.toml");
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
    let line_of = |key: &str| {
        let mut in_privacy = false;
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.starts_with('[') {
                in_privacy = t
                    .trim_start_matches('[')
                    .trim_start()
                    .starts_with("privacy");
            } else if in_privacy && t.starts_with(key) {
                return Some((i + 1, t.to_string()));
            }
        }
        None
    };
    let mut out = Vec::new();
    let p = &config.privacy;
    let locate = |d: Diagnostic, key: &str| match line_of(key) {
        Some((line, text)) => d.at_line(line).found(text),
        None => d,
    };
    if p.suppress_below < SAFE_SUPPRESS_BELOW {
        let d = Diagnostic::warning(
            file,
            format!(
                "`privacy.suppress_below = {}` publishes counts as small as {}: a count of one or two people can identify them",
                p.suppress_below,
                p.suppress_below.max(1)
            ),
        )
        .expected(format!("{SAFE_SUPPRESS_BELOW} or more (5 is usual)"));
        out.push(locate(d, "suppress_below"));
    }
    if p.min_unit_fte < SAFE_MIN_UNIT_FTE {
        let d = Diagnostic::warning(
            file,
            format!(
                "`privacy.min_unit_fte = {}` publishes units staffed by less than one full-time person: their figures, and cases per FTE, are one caseworker's",
                p.min_unit_fte
            ),
        )
        .expected(format!("{SAFE_MIN_UNIT_FTE:.1} or more (3.0 is usual)"));
        out.push(locate(d, "min_unit_fte"));
    }
    out
}

/// What `base_url` (and `insyn build --base-url`) must look like.
pub const BASE_URL_EXPECTED: &str = "an absolute address such as `https://insyn.example.org/`";

/// Checks an address the site is published at, from `site.toml` or the
/// command line: `http://` or `https://`, a host name, an optional path, and
/// nothing a page would read differently (spaces, quotes, `?`, `#`, a user
/// name before `@`). It becomes the canonical link of every page and the
/// address the 404 page loads its stylesheet from, so a `javascript:` or
/// protocol-relative (`//host/`) address must never get through. Returns
/// what is wrong, as words that follow "`base_url` ".
pub fn check_base_url(url: &str) -> Result<(), String> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        let scheme = url.split_once("://").map_or("", |(scheme, _)| scheme);
        if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") {
            return Err(format!(
                "writes its scheme `{scheme}://` in capitals; write `{}://`",
                scheme.to_ascii_lowercase()
            ));
        }
        return Err("is not an absolute web address (`https://…` or `http://…`)".into());
    };
    if let Some(c) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`^{}|".contains(*c))
    {
        return Err(format!("contains {c:?}, which an address cannot hold"));
    }
    if url.contains(['?', '#']) {
        return Err(
            "has a query or fragment (`?`, `#`); give the folder the site is published at".into(),
        );
    }
    let host = rest.split('/').next().unwrap_or("");
    if host.contains('@') {
        return Err("names a user before the host (`…@`), which hides the real host".into());
    }
    let name = host.rsplit_once(':').map_or(host, |(name, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            name
        } else {
            host
        }
    });
    if name.is_empty()
        || name.starts_with(['.', '-'])
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'))
    {
        return Err("has no valid host name after the `://`".into());
    }
    // Sitemaps, feeds and citations carry the address as written: a host
    // name in its ASCII form, as browsers send it.
    if !name.is_ascii() {
        let ascii = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        return Err(format!(
            "has a host name with letters outside ASCII; write it as `{ascii}` (its ASCII form)"
        ));
    }
    let path = rest.split_once('/').map_or("", |(_, path)| path);
    if path
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        return Err("has `.` or `..` in its path; give the folder the site is published at".into());
    }
    if path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
    {
        return Err(
            "ends in a file name; give the folder the site is published at (`…/rapporter/`)".into(),
        );
    }
    Ok(())
}

/// Checks that `theme` is the built-in `default` or a folder under the
/// site's `themes/`; otherwise returns the themes that exist.
pub fn check_theme(root: &Path, theme: &str) -> Result<(), Vec<String>> {
    if theme == "default" || root.join("themes").join(theme).is_dir() {
        return Ok(());
    }
    let mut known = vec!["default".to_string()];
    if let Ok(entries) = std::fs::read_dir(root.join("themes")) {
        for entry in entries.flatten() {
            if entry.path().is_dir()
                && let Some(name) = entry.file_name().to_str()
                && name != "default"
                && !name.starts_with('.')
            {
                known.push(name.to_string());
            }
        }
    }
    known.sort();
    Err(known)
}

/// The 1-based line of a top-level `key = …` in a TOML text, for messages.
pub(crate) fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .take_while(|l| !l.trim_start().starts_with('['))
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|after| after.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

/// The site's language as far as `site.toml` tells it, for pages shown while
/// the site does not load (the serve error page). Tolerant: when the file is
/// not valid TOML, the top-level lines are read one by one for a `language`
/// key. `None` when the file cannot be read or the language cannot be told.
pub fn language_hint(root: &Path) -> Option<Lang> {
    let text = std::fs::read_to_string(root.join("site.toml")).ok()?;
    language_in(&text)
}

/// The `language` of a `site.toml` text; see [`language_hint`]. A valid file
/// without the key has the default language, as the site would.
pub fn language_in(text: &str) -> Option<Lang> {
    if let Ok(table) = toml::from_str::<toml::Table>(text) {
        return match table.get("language") {
            None => Some(Lang::default()),
            Some(value) => value.clone().try_into().ok(),
        };
    }
    text.lines()
        .take_while(|line| !line.trim_start().starts_with('['))
        .filter_map(|line| toml::from_str::<toml::Table>(line).ok())
        .find_map(|table| table.get("language").cloned())
        .and_then(|value| value.try_into().ok())
}

// Where a TOML error or a byte offset is in its file: kept with the
// diagnostics, which every stage reads, and named here too.
pub use crate::diagnostics::{line_column, toml_diagnostic};

#[cfg(test)]
mod tests {
    use super::*;

    /// A publication date (`publish --date`, an edition's manifest) is
    /// frozen into the edition and every citation of it.
    #[test]
    fn a_publication_date_is_a_date_of_the_calendar() {
        for good in ["2024-10-20", "2024-02-29"] {
            assert_eq!(Date::parse(good), Ok(Date(good.to_string())));
        }
        for bad in ["2024-13-01", "2024-02-30", "2023-02-29", "2024-00-10"] {
            let e = Date::parse(bad).unwrap_err();
            assert!(e.contains("is not a date of the calendar"), "{bad}: {e}");
        }
        assert!(
            Date::parse("20-10-2024")
                .unwrap_err()
                .contains("YYYY-MM-DD")
        );
    }

    #[test]
    fn line_column_counts_characters() {
        let s = "a = 1\nåäö = x\n";
        assert_eq!(line_column(s, 0), (1, 1));
        let x = s.find('x').unwrap();
        assert_eq!(line_column(s, x), (2, 7));
    }

    #[test]
    fn language_is_found_even_in_a_broken_file() {
        assert_eq!(
            language_in("language = \"en\"\ntitle = \"T\"\n"),
            Some(Lang::En)
        );
        assert_eq!(
            language_in("title = \"T\"\n"),
            Some(Lang::Sv),
            "the default"
        );
        assert_eq!(language_in("language = \"fi\"\n"), None);
        // A syntax error elsewhere, and an unknown key: still readable.
        let broken = "title = \"T\nlanguage = \"en\"\nfoo = [\n[source]\nlanguage = \"sv\"\n";
        assert_eq!(language_in(broken), Some(Lang::En));
        // Only top-level keys count; nothing readable means unknown.
        assert_eq!(
            language_in("title = \"T\n[source]\nlanguage = \"sv\"\n"),
            None
        );
        assert_eq!(language_in("language = sv\n"), None);
    }

    #[test]
    fn base_url_must_be_a_plain_web_address() {
        for good in [
            "https://insyn.example.org/",
            "https://insyn.example.org",
            "http://localhost:8080/rapporter/",
            "https://xn--hbo-qla.se/insyn/",
        ] {
            assert_eq!(check_base_url(good), Ok(()), "{good}");
        }
        for bad in [
            "javascript:alert(1)//",
            "//evil.example/",
            "https://",
            "https:///path",
            "https://x.example/\"onload=\"x",
            "https://x.example/ a",
            "https://x.example/?q=1",
            "https://x.example/#top",
            "https://insyn.example.org@evil.example/",
            "ftp://x.example/",
            "https://<script>/",
            "https://x.org/../",
            "https://x.org/a/./b/",
            "https://x.org/a/index.html",
            "https://smörgås.se/",
            "HTTPS://X.ORG/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
        assert!(
            check_base_url("https://smörgås.se/")
                .unwrap_err()
                .contains("xn--")
        );
        assert!(
            check_base_url("HTTPS://x.org/")
                .unwrap_err()
                .contains("`https://`")
        );
    }

    #[test]
    fn an_unknown_theme_is_refused_with_the_themes_that_exist() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(check_theme(dir.path(), "default"), Ok(()));
        assert_eq!(check_theme(dir.path(), "dark"), Err(vec!["default".into()]));
        std::fs::create_dir_all(dir.path().join("themes/kommun/templates")).unwrap();
        assert_eq!(check_theme(dir.path(), "kommun"), Ok(()));
        assert_eq!(
            check_theme(dir.path(), "kommunen"),
            Err(vec!["default".into(), "kommun".into()])
        );
    }

    #[test]
    fn key_lines_are_found_at_the_top_level_only() {
        let text = "title = \"T\"\ntheme= \"x\"\n[source]\ntheme = 1\n";
        assert_eq!(key_line(text, "theme"), Some(2));
        assert_eq!(key_line(text, "title"), Some(1));
        assert_eq!(key_line(text, "base_url"), None);
    }

    #[test]
    fn reads_a_minimal_config_with_defaults() {
        let c: SiteConfig = toml::from_str(
            r#"title = "T"
organisation = "O"
base_url = "https://x.example/"
[source]
name = "S"
contact = "a@b"
extracted = 2024-10-05
"#,
        )
        .unwrap();
        assert_eq!(c.language, Lang::Sv);
        assert_eq!(c.privacy.suppress_below, 5);
        assert_eq!(c.source.extracted.0, "2024-10-05");
    }

    fn load_errors(text: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), text).unwrap();
        match SiteConfig::load(dir.path()) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.iter().map(|d| d.to_string()).collect(),
        }
    }

    const MINIMAL: &str = "title = \"T\"\norganisation = \"O\"\nbase_url = \"https://x.example/\"\n\
        [source]\nname = \"S\"\ncontact = \"a@b\"\nextracted = 2024-10-05\n";

    /// `nan` compares false with everything: it withheld no small unit.
    #[test]
    fn min_unit_fte_must_be_a_number() {
        assert!(load_errors(MINIMAL).is_empty());
        for bad in ["nan", "inf", "-inf"] {
            let e = load_errors(&format!("{MINIMAL}[privacy]\nmin_unit_fte = {bad}\n"));
            assert!(
                e.iter()
                    .any(|e| e.contains("`privacy.min_unit_fte` must be a number")),
                "{bad}: {e:?}"
            );
        }
    }

    #[test]
    fn an_empty_title_or_publisher_is_an_error_at_its_line() {
        let e = load_errors(&MINIMAL.replace("title = \"T\"", "title = \" \""));
        assert!(
            e.iter()
                .any(|e| e.contains("site.toml:1: `title` is empty")),
            "{e:?}"
        );
        let e = load_errors(&MINIMAL.replace("organisation = \"O\"", "organisation = \"\""));
        assert!(
            e.iter()
                .any(|e| e.contains("site.toml:2: `organisation` is empty")),
            "{e:?}"
        );
    }
}
