//! The embedded fonts as the rasteriser loads them: without their legacy
//! `kern` table.
//!
//! DejaVu Sans kerns twice: in its OpenType `GPOS` table (feature `kern`)
//! and in an old `kern` table. A shaper applies the old table only to a font
//! whose `GPOS` has no `kern` feature (HarfBuzz's rule, which harfrust, the
//! shaper resvg uses, follows), so DejaVu's is never applied; but harfrust
//! indexes it again for every run of text it shapes, and resvg shapes each
//! label apart. That indexing was 5 to 7 % of a cold build of the national
//! site. Leaving the table out changes no glyph's position (a test below
//! shapes kerned pairs both ways).
//!
//! The SVG layout measures text with the fonts as shipped (see
//! `chart::svg::text`); only the rasteriser's copy is changed.

/// `font` (a single TrueType or OpenType font) with the table `tag` left out
/// of its table directory; the font unchanged when it has no such table or
/// is not one it can read. The other tables' bytes are not moved relative
/// to each other, only shifted by the directory entry removed (16 bytes,
/// which keeps their 4-byte alignment).
pub(super) fn without_table(font: &[u8], tag: &[u8; 4]) -> Vec<u8> {
    try_without_table(font, tag).unwrap_or_else(|| font.to_vec())
}

const HEADER: usize = 12;
const RECORD: usize = 16;

fn try_without_table(font: &[u8], tag: &[u8; 4]) -> Option<Vec<u8>> {
    let u16_at = |at: usize| Some(u16::from_be_bytes(font.get(at..at + 2)?.try_into().ok()?));
    let u32_at = |at: usize| Some(u32::from_be_bytes(font.get(at..at + 4)?.try_into().ok()?));
    let version = u32_at(0)?;
    // TrueType outlines (0x00010000, 'true') or CFF ('OTTO'); not a
    // collection.
    if !matches!(version, 0x0001_0000 | 0x7472_7565 | 0x4F54_544F) {
        return None;
    }
    let tables = usize::from(u16_at(4)?);
    let directory_end = HEADER + tables * RECORD;
    let records = font.get(HEADER..directory_end)?;
    let dropped = records
        .chunks_exact(RECORD)
        .position(|record| &record[..4] == tag)?;
    // A font of that one table is left alone (nothing would be left).
    let kept = tables.checked_sub(1).filter(|&kept| kept > 0)?;
    let mut out = Vec::with_capacity(font.len() - RECORD);
    out.extend_from_slice(&font[..4]);
    // The directory's binary-search fields, for the new table count.
    let power = kept.ilog2();
    let search_range = (1usize << power) * RECORD;
    out.extend_from_slice(&u16::try_from(kept).ok()?.to_be_bytes());
    out.extend_from_slice(&u16::try_from(search_range).ok()?.to_be_bytes());
    out.extend_from_slice(&u16::try_from(power).ok()?.to_be_bytes());
    out.extend_from_slice(
        &u16::try_from(kept * RECORD - search_range)
            .ok()?
            .to_be_bytes(),
    );
    for (index, record) in records.chunks_exact(RECORD).enumerate() {
        if index == dropped {
            continue;
        }
        let offset = u32::from_be_bytes(record[8..12].try_into().ok()?);
        // Every table lies after the directory (checked, not assumed).
        let moved = usize::try_from(offset).ok()?.checked_sub(directory_end)?;
        out.extend_from_slice(&record[..8]);
        out.extend_from_slice(
            &u32::try_from(moved + HEADER + kept * RECORD)
                .ok()?
                .to_be_bytes(),
        );
        out.extend_from_slice(&record[12..]);
    }
    out.extend_from_slice(&font[directory_end..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{FONT_BOLD, FONT_REGULAR};
    use skrifa::raw::TableProvider;
    use skrifa::{FontRef, MetadataProvider, Tag};

    #[test]
    fn the_table_is_gone_and_every_other_table_is_the_same_bytes() {
        for font in [FONT_REGULAR, FONT_BOLD] {
            let original = FontRef::new(font).unwrap();
            assert!(original.data_for_tag(Tag::new(b"kern")).is_some());
            let stripped_bytes = without_table(font, b"kern");
            assert_eq!(stripped_bytes.len(), font.len() - RECORD);
            let stripped = FontRef::new(&stripped_bytes).unwrap();
            assert!(stripped.data_for_tag(Tag::new(b"kern")).is_none());
            let tags: Vec<Tag> = original
                .table_directory
                .table_records()
                .iter()
                .map(|r| r.tag())
                .collect();
            assert_eq!(
                stripped.table_directory.table_records().len(),
                tags.len() - 1
            );
            for tag in tags.into_iter().filter(|t| t != &Tag::new(b"kern")) {
                assert_eq!(
                    stripped.data_for_tag(tag).map(|d| d.as_bytes().to_vec()),
                    original.data_for_tag(tag).map(|d| d.as_bytes().to_vec()),
                    "{tag}"
                );
            }
            assert!(stripped.head().is_ok() && stripped.gpos().is_ok());
        }
    }

    #[test]
    fn a_font_without_the_table_or_not_a_font_is_left_alone() {
        let once = without_table(FONT_REGULAR, b"kern");
        assert_eq!(without_table(&once, b"kern"), once);
        assert_eq!(without_table(b"not a font", b"kern"), b"not a font");
        // A directory that claims more tables than the file holds.
        let mut short = FONT_REGULAR[..40].to_vec();
        short[4] = 0x7f;
        assert_eq!(without_table(&short, b"kern"), short);
        // A font whose one table is the one asked for.
        let mut lone = vec![0, 1, 0, 0, 0, 1, 0, 16, 0, 0, 0, 0];
        lone.extend_from_slice(b"kern\0\0\0\0\0\0\0\x1c\0\0\0\x04\0\0\0\0");
        assert_eq!(without_table(&lone, b"kern"), lone);
    }

    /// Glyph by glyph, text is laid out the same with and without the old
    /// table: DejaVu's kerning comes from GPOS.
    #[test]
    fn kerned_text_lays_out_the_same_without_the_old_table() {
        let options = |strip: bool| {
            let mut db = resvg::usvg::fontdb::Database::new();
            for font in [FONT_REGULAR, FONT_BOLD] {
                db.load_font_data(if strip {
                    without_table(font, b"kern")
                } else {
                    font.to_vec()
                });
            }
            resvg::usvg::Options {
                font_family: "DejaVu Sans".to_string(),
                fontdb: std::sync::Arc::new(db),
                ..Default::default()
            }
        };
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="100" font-family="DejaVu Sans">
            <text x="10" y="30" font-size="20">AVATAR To Ty Yo LT P. Wa VA "Yes" K1 2016–K4 2025</text>
            <text x="590" y="60" font-size="13" font-weight="bold" text-anchor="end">AV Tå Yö Fält, Väst</text></svg>"##;
        let glyphs = |strip: bool| glyphs_of(svg, &options(strip));
        let kept = glyphs(false);
        assert!(kept.len() > 60);
        assert_eq!(glyphs(true), kept);
        // And the text is kerned: the V of "AV" stands closer to the A than
        // the A's advance width (GPOS pulls the pair together).
        let font = FontRef::new(FONT_REGULAR).unwrap();
        let a = font.charmap().map('A').unwrap();
        let advance = font
            .glyph_metrics(
                skrifa::instance::Size::new(20.0),
                skrifa::instance::LocationRef::default(),
            )
            .advance_width(a)
            .unwrap();
        let x = |i: usize| -> f32 {
            let t = &kept[i].1;
            t[t.find("tx: ").unwrap() + 4..t.find(", ty").unwrap()]
                .parse()
                .unwrap()
        };
        assert_eq!(kept[0].0, a.to_u32());
        assert!(
            x(1) - x(0) < advance - 0.5,
            "{} against {advance}",
            x(1) - x(0)
        );
    }

    fn glyphs_of(svg: &str, options: &resvg::usvg::Options) -> Vec<(u32, String)> {
        {
            let tree = resvg::usvg::Tree::from_str(svg, options).unwrap();
            let mut placed = Vec::new();
            for node in tree.root().children() {
                if let resvg::usvg::Node::Text(text) = node {
                    for span in text.layouted() {
                        for glyph in &span.positioned_glyphs {
                            placed.push((glyph.id.0, format!("{:?}", glyph.transform())));
                        }
                    }
                }
            }
            placed
        }
    }
}
