//! A chart's drawings kept between builds.
//!
//! Laying out a chart (measuring and wrapping every text, placing labels)
//! is most of a warm build's work, and a quarterly rebuild changes few
//! charts. So every drawing (the wide and the phone SVG, and the slide and
//! square PNGs, whose SVGs exist only to be rasterised) is kept in the
//! build cache under a fingerprint of everything it is made from: every
//! field of the chart that drawing reads, the layout, and the program that
//! draws it. The same fingerprint is the same drawing, so a stale entry
//! can never be used (README, "Writing a report each quarter").

use std::sync::OnceLock;

use super::model::Chart;

/// A fingerprint of what `chart` is drawn from, for the drawing named by
/// `layout`. Every field is listed (a new field does not compile until it
/// is placed here), so nothing the drawing reads can be left out of the
/// key. The derived `Debug` text of the fields is hashed: it prints every
/// value, floats to the last bit, and the chart holds no unordered maps.
pub(crate) fn fingerprint(chart: &Chart, layout: &str) -> blake3::Hash {
    let of_chart = chart.fingerprint.get_or_init(|| {
        let mut hasher = blake3::Hasher::new();
        hasher.update(program_id().as_bytes());
        feed(&mut hasher, chart);
        hasher.finalize()
    });
    let mut hasher = blake3::Hasher::new();
    hasher.update(of_chart.as_bytes());
    hasher.update(layout.as_bytes());
    hasher.finalize()
}

fn feed(hasher: &mut blake3::Hasher, chart: &Chart) {
    use std::io::Write;
    let Chart {
        chart_type,
        lang,
        slug,
        home,
        permalink,
        latest_slug,
        title,
        subtitle,
        periods,
        lines,
        panels,
        compare,
        compare_refs,
        compare_unit,
        breaks,
        limitations,
        notes,
        source_line,
        description,
        full,
        latest,
        measures,
        units,
        // Not drawn: warnings and the block's place are for `insyn check`.
        warnings: _,
        origin: _,
        // The drawings themselves, and where they are kept.
        svg_cache: _,
        svg_narrow_cache: _,
        drawings: _,
        fingerprint: _,
    } = chart;
    // Writing into a hasher cannot fail.
    let _ = write!(
        hasher,
        "{chart_type:?}|{lang:?}|{slug:?}|{home:?}|{permalink:?}|{latest_slug:?}|{title:?}|\
         {subtitle:?}|{periods:?}|{lines:?}|{panels:?}|{compare:?}|{compare_refs:?}|\
         {compare_unit:?}|{breaks:?}|{limitations:?}|{notes:?}|{source_line:?}|\
         {description:?}|{measures:?}|{units:?}"
    );
    for inner in [full, latest] {
        match inner {
            Some(inner) => {
                hasher.update(b"|some:");
                feed(hasher, inner);
            }
            None => {
                hasher.update(b"|none");
            }
        }
    }
}

/// What identifies the program that draws: a hash of its own executable,
/// so that any change to insyn's drawing code draws afresh. Where the
/// executable cannot be read, the process id and start time stand in:
/// nothing is reused, which is slower but never wrong.
fn program_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        std::env::current_exe()
            .and_then(std::fs::read)
            .map(|bytes| blake3::hash(&bytes).to_hex().to_string())
            .unwrap_or_else(|_| {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                format!("unread-{}-{}", std::process::id(), now.as_nanos())
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(title: &str) -> Chart {
        let mut chart = crate::chart::svg::tests::chart(crate::chart::ChartType::Series, 8, false);
        chart.title = title.to_string();
        chart
    }

    #[test]
    fn the_same_chart_has_the_same_fingerprint_and_any_change_another() {
        let a = chart("Aktuella ärenden");
        let b = chart("Aktuella ärenden");
        assert_eq!(fingerprint(&a, "wide"), fingerprint(&b, "wide"));
        assert_ne!(fingerprint(&a, "wide"), fingerprint(&a, "narrow"));
        let c = chart("Aktuella ärenden, Norr");
        assert_ne!(fingerprint(&a, "wide"), fingerprint(&c, "wide"));
    }

    #[test]
    fn a_drawn_chart_keeps_its_fingerprint() {
        let a = chart("Aktuella ärenden");
        let before = fingerprint(&a, "wide");
        let _ = a.svg_str();
        assert_eq!(before, fingerprint(&a, "wide"));
    }
}
