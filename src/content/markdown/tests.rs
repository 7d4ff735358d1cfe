use std::collections::HashSet;

use super::*;

fn render(body: &str, allow_html: bool) -> Result<RenderedMarkdown, Vec<Diagnostic>> {
    render_markdown(
        Path::new("content/x.md"),
        body,
        5,
        allow_html,
        &TypedFigures::percentages_only(),
        &mut |e| match e {
            Embed::Chart { spec, line } => Ok(format!(
                "<figure data-line=\"{line}\">{}</figure>",
                spec.trim()
            )),
            Embed::Figure {
                shortcode,
                line,
                column,
            } => Ok(format!(
                "<b>{}@{line}:{column}</b>",
                shortcode.arg("unit").unwrap_or("")
            )),
        },
    )
}

#[test]
fn shortcodes_and_chart_blocks_are_embedded_with_file_lines() {
    let body = "# Rubrik\n\nÄrenden: {{ value(measure=\"m\", unit=\"nordost\", period=\"2024Q3\") }}.\n\n```chart\ntype = \"growth\"\n```\n";
    let out = render(body, false).unwrap();
    assert!(
        out.html.contains("<h1 id=\"rubrik\">Rubrik</h1>"),
        "{}",
        out.html
    );
    assert!(out.html.contains("<b>nordost@7:10</b>"), "{}", out.html);
    assert!(
        out.html
            .contains("<figure data-line=\"10\">type = \"growth\"</figure>"),
        "{}",
        out.html
    );
    assert!(!out.html.contains("<p><figure"));
}

#[test]
fn shortcodes_in_code_are_literal() {
    let out = render("`{{ value() }}`\n\n```\n{{ nope }}\n```\n", false).unwrap();
    assert!(out.html.contains("<code>{{ value() }}</code>"));
    assert!(out.html.contains("{{ nope }}"));
}

#[test]
fn malformed_shortcode_is_located() {
    let errs = render("a\n\nb {{ valeu(unit=\"x\") }}\n", false).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!((errs[0].line, errs[0].column), (Some(7), Some(6)));
    assert!(errs[0].message.contains("unknown shortcode"));
    let errs = render("a {{ value(measure=\"x\"\n", false).unwrap_err();
    assert!(errs[0].message.contains("never closed"));
}

#[test]
fn raw_html_is_escaped_unless_allowed_and_script_never_survives() {
    let out = render(
        "<script>alert(1)</script>\n\nhej <b onclick=\"x()\">du</b>\n",
        false,
    )
    .unwrap();
    assert!(out.html.contains("&lt;script&gt;"), "{}", out.html);
    assert!(!out.html.contains("<script"));
    assert!(!out.html.contains("<b "));
    let out = render("<script>alert(1)</script>\n\nhej <b onclick=\"x()\">du</b> <a href=\"javascript:x()\">l</a>\n", true).unwrap();
    assert!(!out.html.contains("<script"), "{}", out.html);
    assert!(!out.html.contains("onclick"), "{}", out.html);
    assert!(!out.html.contains("javascript:"), "{}", out.html);
    assert!(out.html.contains("<b>du</b>"), "{}", out.html);
}

#[test]
fn heading_ids_are_unique_and_folded() {
    let out = render("## Så läser du\n\n## Så läser du\n", false).unwrap();
    assert_eq!(out.headings[0].id, "sa-laser-du");
    assert_eq!(out.headings[1].id, "sa-laser-du-2");
}

#[test]
fn script_addresses_and_heading_attributes_never_survive() {
    let body = "# H {#h onclick=\"alert(1)\" .c}\n\n[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](java\tscript:x) [d](&#106;avascript:x) [e](vbscript:x) [f](data:text/html,x) <javascript:alert(1)> [g][r] ![i](javascript:x) [ok](https://example.org/) [m](mailto:a@b) [rel](../x/index.html#y)\n\n[r]: javascript:alert(1)\n";
    for allow in [false, true] {
        let out = render(body, allow).unwrap();
        let lower = out.html.to_ascii_lowercase();
        assert!(!lower.contains("onclick"), "{}", out.html);
        for attr in ["href=\"", "src=\""] {
            for bad in ["javascript:", "vbscript:", "data:"] {
                assert!(!lower.contains(&format!("{attr}{bad}")), "{}", out.html);
            }
        }
        assert!(
            out.html.contains("<h1 id=\"h\" class=\"c\">"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<a href=\"https://example.org/\">ok</a>"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<a href=\"mailto:a@b\">m</a>"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<a href=\"../x/index.html#y\">rel</a>"),
            "{}",
            out.html
        );
        // The text of a dropped link stays.
        assert!(
            out.html.contains(">a ") || out.html.contains(" a "),
            "{}",
            out.html
        );
    }
    for (url, safe) in [
        ("javascript:x", false),
        (" \u{1}javascript:x", false),
        ("java\nscript:x", false),
        ("JAVASCRIPT:x", false),
        ("vbscript:x", false),
        ("data:image/png;base64,x", false),
        ("https://x", true),
        ("HTTP://x", true),
        ("mailto:x", true),
        ("tel:1", true),
        ("#x", true),
        ("a/b:c", true),
        ("?q=javascript:x", true),
        ("", true),
    ] {
        assert_eq!(is_safe_url(url), safe, "{url:?}");
    }
}

/// Functional checks on reduced sizes of inputs that once took minutes;
/// the full sizes are timed by `examples/hostile_timing.rs`.
#[test]
fn many_identical_headings_get_unique_ids_in_one_pass() {
    let out = render(&"## Så läser du\n\n".repeat(5_000), false).unwrap();
    assert_eq!(out.headings.len(), 5_000);
    assert_eq!(out.headings[4_999].id, "sa-laser-du-5000");
    let ids: HashSet<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids.len(), 5_000);
    // An explicit id that collides with a generated one still gets a suffix.
    let out = render("# A\n\n# A\n\n# B {#a-2}\n\n# A\n", false).unwrap();
    let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["a", "a-2", "a-2-2", "a-3"]);
}

#[test]
fn deep_nesting_is_refused_with_its_location() {
    for body in [
        format!("Inledning\n\n{}x\n", ">".repeat(20_000)),
        format!("Inledning\n\n{}x\n", "- ".repeat(20_000)),
        format!("Inledning\n\n{}x\n", "1. ".repeat(20_000)),
    ] {
        let errs = render(&body, false).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].message.contains("nested more than 50 levels"),
            "{errs:?}"
        );
        assert_eq!(errs[0].line, Some(7), "{errs:?}");
    }
    // Ordinary nesting is fine.
    let out = render(&format!("{}x\n", "> ".repeat(MAX_NESTING - 2)), false).unwrap();
    assert!(out.html.contains("<blockquote>"));
}

#[test]
fn many_shortcodes_between_code_spans_are_all_found() {
    let body = "`{{ x }}` {{ value(measure=\"m\", unit=\"u\", period=\"2024Q3\") }} ".repeat(3_000);
    let out = render(&body, false).unwrap();
    assert_eq!(out.html.matches("<b>u@5:").count(), 3_000);
    assert_eq!(out.html.matches("<code>{{ x }}</code>").count(), 3_000);
}

#[test]
fn line_index_agrees_with_scanning_from_the_start() {
    let text = "å\nab{{ c\r\n\nÄÖ x {{ y }}\n";
    let index = LineIndex::new(text);
    for offset in (0..=text.len()).filter(|o| text.is_char_boundary(*o)) {
        assert_eq!(
            index.line_column(offset),
            crate::config::line_column(text, offset),
            "{offset}"
        );
    }
    // And asked out of order.
    assert_eq!(index.line_column(2), (1, 2));
    assert_eq!(
        index.line_column(text.len()),
        crate::config::line_column(text, text.len())
    );
}

#[test]
fn table_alignment_uses_classes_not_inline_style() {
    let out = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n", false).unwrap();
    assert!(!out.html.contains("style="), "{}", out.html);
    assert!(
        out.html.contains("<th class=\"align-left\">a</th>"),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("<td class=\"align-right\">3</td>"),
        "{}",
        out.html
    );
}

#[test]
fn a_figure_inside_an_attribute_is_text_only() {
    let body = "[x](https://example.org/ \"{{ value(measure=\"m\", unit=\"u1\", period=\"2024Q3\") }}\") ![{{ value(measure=\"m\", unit=\"u2\", period=\"2024Q3\") }}](a.png) {{ value(measure=\"m\", unit=\"u3\", period=\"2024Q3\") }}\n";
    let out = render(body, false).unwrap();
    assert!(out.html.contains("title=\"u1@5:"), "{}", out.html);
    assert!(out.html.contains("alt=\"u2@5:"), "{}", out.html);
    assert!(out.html.contains("<b>u3@5:"), "{}", out.html);
}

#[test]
fn a_shortcode_in_a_link_address_is_refused_at_its_place() {
    let body = "Intro.\n\nSe [sidan]({{ value(measure=\"m\", unit=\"u\", period=\"2024Q3\") }}) och ![bild]({{ value(measure=\"m\", unit=\"v\", period=\"2024Q3\") }}).\n";
    let errs = render(body, false).unwrap_err();
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(
        errs[0].message.contains("link or image address"),
        "{errs:?}"
    );
    assert_eq!((errs[0].line, errs[0].column), (Some(7), Some(12)));
    assert_eq!((errs[1].line, errs[1].column), (Some(7), Some(77)));
    // In a reference definition too.
    let errs = render(
        "[sidan][a]\n\n[a]: {{ value(measure=\"m\", unit=\"u\", period=\"2024Q3\") }}\n",
        false,
    )
    .unwrap_err();
    assert_eq!((errs[0].line, errs[0].column), (Some(7), Some(6)));
}

/// An image from another host is an error at its line, in Markdown and in
/// raw HTML; a link to another host, and an image of the site, are fine.
#[test]
fn an_image_from_another_host_is_an_error_at_its_line() {
    let body = "Text [a link](https://example.org/) and ![our chart](/static/c.png).\n\n![fake](https://evil.example/fake.svg)\n\n<img src=\"//cdn.example/x.png?a=1&b=2\" alt=\"x\">\n";
    let problems = render(body, true).unwrap_err();
    let found: Vec<(Option<usize>, Option<String>)> =
        problems.iter().map(|d| (d.line, d.found.clone())).collect();
    assert_eq!(
        found,
        [
            (Some(7), Some("https://evil.example/fake.svg".to_string())),
            (Some(9), Some("//cdn.example/x.png?a=1&b=2".to_string())),
        ],
        "{problems:?}"
    );
    assert!(problems[0].message.contains("another host"));
    assert!(render("![ok](/static/c.png) [x](https://example.org/)\n", true).is_ok());
}

/// Raw HTML nested thousands deep is refused at once, at its line (the
/// sanitiser's time grows with the square of the depth); a page's usual
/// nesting, void elements and closed elements pass.
#[test]
fn raw_html_nested_too_deep_is_refused_quickly() {
    let deep = format!(
        "Text.\n\n{}x{}\n",
        "<div>".repeat(60_000),
        "</div>".repeat(60_000)
    );
    let started = std::time::Instant::now();
    let Err(problems) = render(&deep, true) else {
        panic!("rendered");
    };
    assert!(started.elapsed().as_secs() < 10);
    assert!(
        problems[0]
            .message
            .contains("nested more than 100 elements"),
        "{problems:?}"
    );
    assert_eq!(problems[0].line, Some(7));
    let usual = format!(
        "{}<p>a<br>b<img src=\"/static/x.png\"><span/></p>{}\n",
        "<div>".repeat(40),
        "</div>".repeat(40)
    );
    assert!(render(&usual.repeat(50), true).is_ok());
    // Without allow_html the markup is text, and never nested.
    assert!(render(&deep[..2000], false).is_ok());
}

/// The sanitiser's time grew with the square of a text node's length for
/// each `&` in it; the text is split for it, and the bytes are the same.
#[test]
fn a_long_text_of_ampersands_is_sanitised_in_linear_time_to_the_same_bytes() {
    let text = format!("<p>{}</p>", "a &amp; °b ".repeat(600));
    let split = postprocess::sanitize(&text);
    let whole = ammonia::Builder::default()
        .add_generic_attributes(&["id", "class"])
        .link_rel(None)
        .clean(&text)
        .to_string();
    assert_eq!(split, whole);
    assert!(!split.contains("<!--"));
    // 400,000 `&` (1.6 MB took 48 s): no run of text the sanitiser reads
    // is longer than a text node it writes in one search.
    let many = format!("<p>{}</p>", "&amp;".repeat(400_000));
    let split = postprocess::with_short_text_nodes(&many);
    let longest = split.split(['<', '>']).map(str::len).max().unwrap();
    assert!(longest <= postprocess::TEXT_NODE + 5, "{longest}");
    assert_eq!(postprocess::sanitize(&many), many);
}
