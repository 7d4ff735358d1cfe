use super::*;

#[test]
fn caret_sits_under_the_column_and_spans_the_found_text() {
    let s = make_snippet(7, "Alfa {{ valeu(x=1) }}", Some(9), Some("valeu"));
    assert_eq!(s.caret, "        ^^^^^");
    let s = make_snippet(3, "\ta;b", Some(2), None);
    assert_eq!(s.caret, "\t^");
}

#[test]
fn caret_counts_characters_not_bytes() {
    let s = make_snippet(1, "Årsarbetare;x", Some(13), Some("x"));
    assert_eq!(s.caret, format!("{}^", " ".repeat(12)));
}

/// Renders through miette with a fixed width and no colour.
fn draw(d: &Diagnostic, source: Option<&str>) -> String {
    render_fancy(
        &handler(GraphicalTheme::unicode_nocolor(), 80),
        d,
        source.map(Arc::from),
    )
}

/// The (character) column where `needle` starts on the first line of
/// `text` that contains `needle`, and the line after it.
fn column_of<'a>(text: &'a str, needle: &str) -> (usize, &'a str) {
    let mut lines = text.lines();
    let line = lines.find(|l| l.contains(needle)).expect(needle);
    let byte = line.find(needle).unwrap();
    (line[..byte].chars().count(), lines.next().unwrap_or(""))
}

/// The (character) column of the first underline character in `line`.
fn underline_column(line: &str) -> usize {
    line.chars()
        .position(|c| matches!(c, '─' | '┬' | '▲'))
        .expect("an underline")
}

#[test]
fn miette_underlines_the_found_text_at_its_column() {
    let source = "Inledning\nAntal {{ valeu(x=1) }} ärenden\nSlut\n";
    let d = Diagnostic::error("content/x.md", "malformed shortcode: unknown shortcode")
        .at(2, 10)
        .found("valeu")
        .expected("`value` or `change`")
        .help("did you mean `value`?");
    let text = draw(&d, Some(source));
    assert!(!text.contains('\x1b'), "no colour: {text}");
    assert!(
        text.contains("× malformed shortcode: unknown shortcode"),
        "{text}"
    );
    assert!(text.contains("[content/x.md:2:10]"), "{text}");
    assert!(text.contains("│ Inledning"), "context line: {text}");
    let (source_column, underline) = column_of(&text, "valeu(x=1)");
    assert_eq!(underline_column(underline), source_column, "{text}");
    assert!(underline.contains("──┬──"), "spans `valeu`: {text}");
    assert!(text.contains("expected `value` or `change`"), "{text}");
    assert!(!text.contains("found"), "the source shows it: {text}");
    assert!(text.contains("help: did you mean `value`?"), "{text}");
}

#[test]
fn miette_column_counts_characters_not_bytes() {
    // Å and ä are two bytes each: a byte column would land two to the right.
    let source = "enhet;mått;värde\nÅrsarbetare;ärenden;12,3,4\n";
    let d = Diagnostic::error("data/a.csv", "unparseable number")
        .at(2, 21)
        .found("12,3,4");
    let text = draw(&d, Some(source));
    let (source_column, underline) = column_of(&text, "12,3,4");
    assert_eq!(underline_column(underline), source_column, "{text}");
    assert!(underline.ends_with("──────"), "spans `12,3,4`: {text}");
}

#[test]
fn miette_points_at_one_character_when_found_is_elsewhere() {
    let source = "a = 1\r\nb = ?\r\n";
    let d = Diagnostic::error("site.toml", "invalid string")
        .at(2, 5)
        .found("?x");
    let text = draw(&d, Some(source));
    let (source_column, underline) = column_of(&text, "b = ?");
    assert_eq!(underline_column(underline), source_column + 4, "{text}");
    assert!(text.contains("found `?x`"), "{text}");
}

#[test]
fn miette_shows_warnings_and_the_end_of_a_line() {
    let source = "title = \"x\"\nbase_url =\n";
    let d = Diagnostic::warning("site.toml", "expected a value").at(2, 11);
    let text = draw(&d, Some(source));
    assert!(text.contains('⚠'), "{text}");
    assert!(text.contains("│ base_url ="), "{text}");
    // The end of the file: the empty line after the final newline.
    let d = Diagnostic::error("site.toml", "unexpected end of file").at(3, 1);
    let text = draw(&d, Some(source));
    assert!(text.contains("[site.toml:3:1]"), "{text}");
}

#[test]
fn miette_falls_back_to_the_message_without_a_source() {
    let d = Diagnostic::error("content/x.md", "malformed shortcode")
        .at(2, 6)
        .found("valeu")
        .expected("`value`")
        .help("did you mean `value`?");
    for source in [None, Some("one line\n"), Some("a\nb\n")] {
        // Unreadable, line past the end, column past the end.
        let d = match source {
            Some("a\nb\n") => d.clone().at(2, 3),
            _ => d.clone(),
        };
        let text = draw(&d, source);
        assert!(text.contains("× content/x.md:2:"), "{text}");
        assert!(text.contains("found:    `valeu`"), "{text}");
        assert!(text.contains("expected: `value`"), "{text}");
        assert!(text.contains("help: did you mean"), "{text}");
        assert!(!text.contains("╭─["), "no source: {text}");
    }
    let d = Diagnostic::error("", "the site has not been built yet");
    assert_eq!(draw(&d, None), "  × the site has not been built yet");
}

#[test]
fn locate_converts_lines_and_character_columns_to_bytes() {
    let text = "ab\r\nåäö x\n";
    assert_eq!(
        locate(text, 2, Some(5), Some("x")),
        Some(Located {
            offset: 11,
            len: 1,
            is_found: true
        })
    );
    assert_eq!(&text[11..12], "x");
    assert_eq!(
        locate(text, 2, Some(2), None),
        Some(Located {
            offset: 6,
            len: 2,
            is_found: false
        })
    );
    // No column: the whole line, without its `\r`.
    assert_eq!(
        locate(text, 1, None, None),
        Some(Located {
            offset: 0,
            len: 2,
            is_found: false
        })
    );
    // One past the last character is the end of the line; further is not.
    assert_eq!(
        locate(text, 1, Some(3), None),
        Some(Located {
            offset: 2,
            len: 0,
            is_found: false
        })
    );
    assert_eq!(locate(text, 1, Some(4), None), None);
    assert_eq!(locate(text, 4, Some(1), None), None);
    assert_eq!(locate(text, 0, Some(1), None), None);
}

#[test]
fn sources_read_each_file_once_and_tolerate_missing_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/x.md"), "\u{feff}a\nb\n").unwrap();
    let mut sources = Sources::new(dir.path());
    let d = Diagnostic::error("content/x.md", "m").at(1, 1);
    assert_eq!(sources.get(&d).as_deref(), Some("a\nb\n"));
    assert!(
        sources
            .get(&Diagnostic::error("content/x.md", "no line"))
            .is_none()
    );
    assert!(
        sources
            .get(&Diagnostic::error("gone.md", "m").at(1, 1))
            .is_none()
    );
    assert_eq!(sources.files.len(), 2);
}

#[test]
fn a_sensitive_line_is_never_shown() {
    // The line holds a personal identity number: location only.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(
        dir.path().join("data/x.csv"),
        "period,unit,pnr\n2024Q1,alfa,19121212-1212\n",
    )
    .unwrap();
    let d = Diagnostic::error("data/x.csv", "a cell looks like a personal identity number")
        .at(2, 13)
        .sensitive();
    assert!(Sources::new(dir.path()).get(&d).is_none());
    assert!(snippet(&d, dir.path()).is_none());
    let mut sources = Sources::new(dir.path());
    let shown = render_fancy(
        &handler(GraphicalTheme::unicode_nocolor(), 80),
        &d,
        sources.get(&d),
    );
    assert!(shown.contains("data/x.csv:2:13"), "{shown}");
    assert!(!shown.contains("1212"), "{shown}");
    // The same diagnostic without the mark would show the line.
    let open = Diagnostic {
        sensitive: false,
        ..d
    };
    assert!(snippet(&open, dir.path()).is_some());
}

#[test]
fn an_error_past_column_65535_draws_a_short_excerpt_without_panicking() {
    let long = format!("{}BAD{}", "a".repeat(70_000), "b".repeat(70_000));
    let source = format!("first line\n{long}\nlast line\n");
    let d = Diagnostic::error("content/x.md", "bad thing")
        .at(2, 70_001)
        .found("BAD")
        .expected("something good");
    let text = draw(&d, Some(&source));
    assert!(text.contains("[content/x.md:2:70001]"), "{text}");
    assert!(text.len() < 2_000, "{} bytes", text.len());
    let (source_column, underline) = column_of(&text, "BAD");
    assert_eq!(underline_column(underline), source_column, "{text}");
    assert!(text.contains(" 2 │ …aaa"), "the real line number: {text}");
    assert!(
        text.contains("first line") && text.contains("last line"),
        "{text}"
    );
    // The serve page's snippet too.
    let s = make_snippet(2, &long, Some(70_001), Some("BAD"));
    assert!(s.text.chars().count() <= EXCERPT_WIDTH + 2, "{}", s.text);
    let caret_at = s.caret.find('^').unwrap();
    assert_eq!(
        &s.text[s.text.char_indices().nth(caret_at).unwrap().0..][..3],
        "BAD"
    );
    assert_eq!(s.caret.trim_start(), "^^^");
}

#[test]
fn a_neighbouring_line_with_a_personal_identity_number_is_masked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(
        dir.path().join("data/x.csv"),
        "period,unit,note\n2024Q1,alfa,19121212-1212\n2024Q1,alfx,ok\n",
    )
    .unwrap();
    // Not sensitive itself: the problem is on the next line.
    let d = Diagnostic::error("data/x.csv", "unknown unit")
        .at(3, 8)
        .found("alfx");
    let mut sources = Sources::new(dir.path());
    let shown = render_fancy(
        &handler(GraphicalTheme::unicode_nocolor(), 80),
        &d,
        sources.get(&d),
    );
    assert!(shown.contains("alfx"), "{shown}");
    assert!(shown.contains("2024Q1,alfa,*************"), "{shown}");
    assert!(!shown.contains("1212"), "{shown}");
    let d = Diagnostic::error("data/x.csv", "unknown unit").at(2, 8);
    assert!(!snippet(&d, dir.path()).unwrap().text.contains("1212"));
}

#[test]
fn the_terminal_theme_has_colour() {
    let d = Diagnostic::error("x.md", "bad").at(1, 1);
    let text = render_fancy(
        &handler(GraphicalTheme::unicode(), 80),
        &d,
        Some(Arc::from("x\n")),
    );
    assert!(text.contains("\x1b["), "{text:?}");
}
