//! Every chart the demo and the fixture sites draw, in all four layouts
//! (page, phone, 16:9 slide, square), is read back as a reader would see
//! it: no two texts overlap, no text runs outside the image, no text sits
//! on a drawn data line, and no label sits on a bar (the marks of gaps keep
//! their period's place at the axis). Text boxes are measured with
//! `insyn::chart::text_width`, the embedded DejaVu Sans the charts are laid
//! out and rasterised with.
//!
//! The national site (290 units, 40 quarters) is checked by the ignored
//! test `national_site_charts_have_no_collisions`:
//! `cargo test --release --test integration national_site_charts -- --ignored`,
//! or, on a site generated beforehand with `cargo run --example gen_national
//! -- DIR`, with `INSYN_NATIONAL_SITE=DIR` (about six minutes in a debug
//! build).

use std::path::Path;

use crate::support::*;

/// A text's box in user units.
#[derive(Debug, Clone)]
struct TextBox {
    text: String,
    class: String,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl TextBox {
    fn overlaps(&self, o: &TextBox) -> bool {
        // Half a unit of tolerance: boxes that touch are not a collision.
        const T: f64 = 0.5;
        self.x0 < o.x1 - T && o.x0 < self.x1 - T && self.y0 < o.y1 - T && o.y0 < self.y1 - T
    }
}

/// An attribute of `node` or the nearest ancestor that has it.
fn inherited<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.ancestors().find_map(|n| n.attribute(name))
}

fn number(s: Option<&str>) -> f64 {
    s.and_then(|v| v.parse().ok()).unwrap_or(0.0)
}

fn text_boxes(doc: &roxmltree::Document) -> Vec<TextBox> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| {
            let text = n.text()?.to_string();
            let size = number(inherited(n, "font-size"));
            let bold = inherited(n, "font-weight") == Some("bold");
            let w = insyn::chart::text_width(&text, size, bold);
            let x = number(n.attribute("x"));
            let y = number(n.attribute("y"));
            let x0 = match inherited(n, "text-anchor") {
                Some("middle") => x - w / 2.0,
                Some("end") => x - w,
                _ => x,
            };
            // DejaVu Sans: capitals and accents reach 0.76 em above the
            // baseline, descenders 0.24 em below it.
            Some(TextBox {
                class: inherited(n, "class").unwrap_or("").to_string(),
                text,
                x0,
                x1: x0 + w,
                y0: y - 0.76 * size,
                y1: y + 0.24 * size,
            })
        })
        .collect()
}

/// The segments of a path written by the chart's path writer (`M`, `m`,
/// `l`, `h`, `v`, `z`, relative after the first point).
fn segments(d: &str) -> Vec<((f64, f64), (f64, f64))> {
    let mut out = Vec::new();
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in d.chars() {
        if c.is_ascii_alphabetic() {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            tokens.push(c.to_string());
        } else if c == ' ' || c == ',' {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
        } else if c == '-' && !cur.is_empty() {
            tokens.push(std::mem::take(&mut cur));
            cur.push(c);
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    let (mut at, mut start) = ((0.0, 0.0), (0.0, 0.0));
    let mut cmd = 'M';
    let mut i = 0;
    let num = |t: &String| t.parse::<f64>().unwrap_or(0.0);
    while i < tokens.len() {
        let t = &tokens[i];
        if t.chars().all(|c| c.is_ascii_alphabetic()) {
            cmd = t.chars().next().unwrap();
            i += 1;
            if cmd == 'z' || cmd == 'Z' {
                out.push((at, start));
                at = start;
            }
            continue;
        }
        match cmd {
            'M' | 'm' => {
                let (x, y) = (num(&tokens[i]), num(&tokens[i + 1]));
                at = if cmd == 'M' {
                    (x, y)
                } else {
                    (at.0 + x, at.1 + y)
                };
                start = at;
                i += 2;
                // Further pairs after a move are lines.
                cmd = if cmd == 'M' { 'L' } else { 'l' };
            }
            'L' | 'l' => {
                let (x, y) = (num(&tokens[i]), num(&tokens[i + 1]));
                let to = if cmd == 'L' {
                    (x, y)
                } else {
                    (at.0 + x, at.1 + y)
                };
                out.push((at, to));
                at = to;
                i += 2;
            }
            'h' => {
                let to = (at.0 + num(&tokens[i]), at.1);
                out.push((at, to));
                at = to;
                i += 1;
            }
            'v' => {
                let to = (at.0, at.1 + num(&tokens[i]));
                out.push((at, to));
                at = to;
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Whether the segment crosses the box, with the crate's own geometry
/// (`insyn::chart::seg_crosses`).
fn crosses(segment: ((f64, f64), (f64, f64)), b: &TextBox) -> bool {
    // Shrink the box by a unit: a line grazing the edge of a box's empty
    // ascender space is not on the text.
    insyn::chart::seg_crosses(segment, (b.x0 + 1.0, b.y0 + 1.0, b.x1 - 1.0, b.y1 - 1.0))
}

/// The problems of one SVG document.
fn layout_problems(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the chart is XML");
    let root = doc.root_element();
    let width = number(root.attribute("width"));
    let height = number(root.attribute("height"));
    let boxes = text_boxes(&doc);
    let mut problems = Vec::new();
    for b in &boxes {
        if b.x0 < -0.5 || b.x1 > width + 0.5 || b.y0 < -0.5 || b.y1 > height + 0.5 {
            problems.push(format!(
                "`{}` ({}) runs outside the {width}×{height} image: x {:.1}–{:.1}, y {:.1}–{:.1}",
                b.text, b.class, b.x0, b.x1, b.y0, b.y1
            ));
        }
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            if a.overlaps(b) {
                problems.push(format!(
                    "`{}` ({}) overlaps `{}` ({})",
                    a.text, a.class, b.text, b.class
                ));
            }
        }
    }
    let lines: Vec<_> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("path")
                && n.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|c| c == "series"))
        })
        .flat_map(|n| segments(n.attribute("d").unwrap_or("")))
        .collect();
    // The bars of a bar chart: no text may sit on one either.
    let bars: Vec<TextBox> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("rect") && inherited(n.parent().unwrap(), "class") == Some("bars")
        })
        .map(|n| {
            let at = |a: &str| number(n.attribute(a));
            TextBox {
                text: String::new(),
                class: "bar".into(),
                x0: at("x"),
                x1: at("x") + at("width"),
                y0: at("y"),
                y1: at("y") + at("height"),
            }
        })
        .collect();
    // The marks of gaps keep their period's place at the axis (a mark
    // wider than its period reaches over a neighbouring bar, with a halo).
    let marks = ["gap", "suppressed", "uncomputable"];
    for b in boxes.iter().filter(|b| !marks.contains(&b.class.as_str())) {
        if let Some(bar) = bars.iter().find(|bar| bar.overlaps(b)) {
            problems.push(format!(
                "`{}` ({}) sits on a bar at x {:.1}–{:.1}, y {:.1}–{:.1}",
                b.text, b.class, bar.x0, bar.x1, bar.y0, bar.y1
            ));
        }
    }
    for b in &boxes {
        if let Some(s) = lines.iter().find(|s| crosses(**s, b)) {
            problems.push(format!(
                "`{}` ({}) sits on a data line ({:.1},{:.1})–({:.1},{:.1})",
                b.text, b.class, s.0.0, s.0.1, s.1.0, s.1.1
            ));
        }
    }
    problems
}

/// Builds `site` and checks every chart SVG it writes: the page layouts
/// (`chart.svg`, `chart-narrow.svg`) and the slide and square layouts. The
/// build leaves the PNGs out, as a preview does, which writes each slide
/// layout's SVG beside its (empty) PNG, so every layout is read back and no
/// time goes to rasterising.
fn check_site(site: &Path) -> Vec<String> {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let options = insyn::BuildOptions {
        mode: insyn::BuildMode::Preview,
        ..insyn::BuildOptions::default()
    };
    if let Err(e) = insyn::build(site, &public, &options) {
        panic!("{} does not build: {e:?}", site.display());
    }
    let mut problems = Vec::new();
    let mut seen = [0; 2];
    for (path, bytes) in read_tree(&public) {
        if !path.starts_with("charts/") || !path.ends_with(".svg") {
            continue;
        }
        seen[usize::from(path.ends_with(".png.svg"))] += 1;
        let svg = String::from_utf8(bytes).unwrap();
        for p in layout_problems(&svg) {
            problems.push(format!("{path}: {p}"));
        }
    }
    assert!(seen[0] > 0, "no charts in {}", site.display());
    assert!(seen[1] > 0, "no slide layouts in {}", site.display());
    problems
}

fn assert_clean(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} layout problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_checker_finds_overlaps_and_texts_on_lines() {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
<text x="10" y="20" font-size="13">Hello</text>
<g font-size="13" text-anchor="end"><text x="60" y="22">world</text></g>
<text x="150" y="60" font-size="13" class="label">line</text>
<text x="190" y="95" font-size="13">outside</text>
<path d="M140 56h40" class="series"/>
<g class="bars"><rect x="60" y="80" width="20" height="20"/></g>
<text x="62" y="92" font-size="13">bar</text>
</svg>"##;
    let p = layout_problems(svg);
    assert!(
        p.iter().any(|p| p.contains("`Hello` () overlaps `world`")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|p| p.contains("`line` (label) sits on a data line")),
        "{p:?}"
    );
    assert!(
        p.iter().any(|p| p.contains("`outside` () runs outside")),
        "{p:?}"
    );
    assert!(
        p.iter().any(|p| p.contains("`bar` () sits on a bar")),
        "{p:?}"
    );
    assert_eq!(p.len(), 4, "{p:?}");
    assert_eq!(
        segments("M10 10h5v5l-5 -5m20 0l1 1 2 2z"),
        vec![
            ((10.0, 10.0), (15.0, 10.0)),
            ((15.0, 10.0), (15.0, 15.0)),
            ((15.0, 15.0), (10.0, 10.0)),
            ((30.0, 10.0), (31.0, 11.0)),
            ((31.0, 11.0), (33.0, 13.0)),
            ((33.0, 13.0), (30.0, 10.0)),
        ]
    );
}

#[test]
fn demo_site_charts_have_no_collisions() {
    assert_clean(check_site(&repo_root()));
}

#[test]
fn fixture_site_charts_have_no_collisions() {
    let mut problems = Vec::new();
    for name in ["minimal", "hostile", "honesty"] {
        problems.extend(check_site(&fixture(name)));
    }
    assert_clean(problems);
}

#[test]
#[ignore = "builds a national site: run with --release -- --ignored"]
fn national_site_charts_have_no_collisions() {
    // A site generated beforehand (`cargo run --example gen_national -- DIR`)
    // may be named in INSYN_NATIONAL_SITE.
    if let Some(site) = std::env::var_os("INSYN_NATIONAL_SITE") {
        assert_clean(check_site(Path::new(&site)));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO"))
        .args(["run", "--release", "--example", "gen_national", "--"])
        .arg(dir.path())
        .current_dir(repo_root())
        .status()
        .unwrap();
    assert!(status.success());
    assert_clean(check_site(dir.path()));
}
