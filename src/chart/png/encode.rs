//! PNG encoding of a chart drawn on white.
//!
//! A chart has few colours: its palette, white, and the anti-aliased edges
//! between them. Most have at most 256 (9,926 of the 11,049 PNGs of the
//! national site), and those are written as an indexed PNG: a byte per
//! pixel instead of three, which deflate reads a third as much of, and
//! files about 40 % smaller. Pixels are never changed to fit a palette: a
//! chart with more colours is written as RGB. (A change here changes
//! `RENDERER_VERSION`, see `build.rs`, so every PNG is drawn again.)
//!
//! The image data is made here, rows and filter bytes, and deflated in one
//! call (`zlib_rs::compress_slice`); the png crate writes the chunks around
//! it. Its own `write_image_data` filters row by row into a streaming
//! encoder, which on 397 national PNGs took 2.3 times as long as the one
//! call for the same level and the same size of file.

use resvg::tiny_skia::PixmapRef;

/// Deflate level 3 with the Sub filter for RGB: on the national site's
/// charts this encoded 2.7 times faster than the default (level 6, adaptive
/// filters), for files 6 % larger; the faster levels made files 1.6–2.5
/// times larger.
const RGB_LEVEL: i32 = 3;
/// An indexed image is written unfiltered (differences of palette indices
/// mean nothing) at level 2: on 150 national charts, 18 % faster than
/// level 3 for files 3 % larger; level 1 made them 45 % larger, fdeflate's
/// fastest mode four times larger.
const INDEXED_LEVEL: i32 = 2;

/// The filter bytes that begin a row (PNG specification, 9.2).
const FILTER_NONE: u8 = 0;
const FILTER_SUB: u8 = 1;

/// Encodes `pixmap` (opaque: drawn over white) as a PNG.
pub(super) fn encode_opaque(pixmap: PixmapRef) -> Result<Vec<u8>, png::EncodingError> {
    // The rows handed to deflate and the deflated bytes go into buffers
    // kept by each thread, grown to the largest image it encoded (a fresh
    // one per image cost the kernel zeroing its pages each time).
    BUFFERS.with(|buffers| {
        let (rows, deflated) = &mut *buffers.borrow_mut();
        let (width, height) = (pixmap.width(), pixmap.height());
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_depth(png::BitDepth::Eight);
        let level = match indexed(pixmap.data(), width as usize, rows) {
            Some(palette) => {
                encoder.set_color(png::ColorType::Indexed);
                encoder.set_palette(palette);
                INDEXED_LEVEL
            }
            None => {
                encoder.set_color(png::ColorType::Rgb);
                rgb_rows(pixmap.data(), width as usize, rows);
                RGB_LEVEL
            }
        };
        let data = deflate(rows, level, deflated)?;
        let mut writer = encoder.write_header()?;
        // A chunk holds at most 2³¹ − 1 bytes; the data may span several.
        for part in data.chunks(1 << 30) {
            writer.write_chunk(png::chunk::IDAT, part)?;
        }
        writer.finish()?;
        Ok(out)
    })
}

thread_local! {
    static BUFFERS: std::cell::RefCell<(Vec<u8>, Vec<u8>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// The zlib stream of `rows` at `level`, in `out` (grown when too small,
/// never cleared: deflate writes every byte it returns).
fn deflate<'a>(
    rows: &[u8],
    level: i32,
    out: &'a mut Vec<u8>,
) -> Result<&'a [u8], png::EncodingError> {
    let bound = zlib_rs::compress_bound(rows.len());
    if out.len() < bound {
        out.resize(bound, 0);
    }
    let config = zlib_rs::DeflateConfig {
        level,
        ..zlib_rs::DeflateConfig::default()
    };
    match zlib_rs::compress_slice(out, rows, config) {
        (data, zlib_rs::ReturnCode::Ok) => Ok(data),
        (_, code) => Err(png::EncodingError::IoError(std::io::Error::other(format!(
            "deflate failed: {code:?}"
        )))),
    }
}

/// The rows of opaque RGBA pixels `width` wide as RGB, each behind the Sub
/// filter (a byte less the same byte of the pixel to its left), into `out`.
fn rgb_rows(rgba: &[u8], width: usize, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(rgba.len() / 4 * 3 + rgba.len() / (4 * width.max(1)));
    for row in rgba.chunks_exact(4 * width) {
        out.push(FILTER_SUB);
        let mut left = [0u8; 3];
        for pixel in row.as_chunks::<4>().0 {
            let rgb = [pixel[0], pixel[1], pixel[2]];
            out.extend(std::array::from_fn::<u8, 3, _>(|i| {
                rgb[i].wrapping_sub(left[i])
            }));
            left = rgb;
        }
    }
}

/// The image as rows of palette indices into `rows` (each row its filter
/// byte, then each pixel the index of its colour), and the palette (at most
/// 256 colours, RGB, in the order they are first met); `None` when it has
/// more.
fn indexed(rgba: &[u8], width: usize, rows: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut colours = Colours::new();
    let (image, _) = rgba.as_chunks::<4>();
    rows.clear();
    rows.resize(image.len() + image.len() / width.max(1), FILTER_NONE);
    for (row, out) in image
        .chunks_exact(width)
        .zip(rows.chunks_exact_mut(width + 1))
    {
        // (The filter byte is already `FILTER_NONE`.)
        colours.index_row(row, &mut out[1..])?;
    }
    Some(colours.palette)
}
/// Pixels compared at once by [`Colours::index_row`].
const BLOCK: usize = 16;

/// The palette being made by [`indexed`], and the way to a colour's index.
struct Colours {
    palette: Vec<u8>,
    /// The pixel before (its bytes as a word) and its index. An opaque
    /// image never has the word 0, so its first pixel is looked up.
    last: (u32, u8),
    indices: rustc_hash::FxHashMap<[u8; 3], u8>,
    /// The last colours met, by a hash of the pixel: an anti-aliased edge
    /// goes back and forth between a few colours, and this look-up is a
    /// fraction of the map's. (A pixel is never 0: the image is opaque.)
    recent: [(u32, u8); RECENT],
}

/// How many recent colours [`Colours`] keeps (a power of two).
const RECENT: usize = 64;

impl Colours {
    fn new() -> Colours {
        Colours {
            palette: Vec::with_capacity(3 * 256),
            last: (0, 0),
            indices: Default::default(),
            recent: [(0, 0); RECENT],
        }
    }

    /// The indices of a row of opaque pixels into `out`; `None` past 256
    /// colours.
    fn index_row(&mut self, row: &[[u8; 4]], out: &mut [u8]) -> Option<()> {
        // Most of a chart is runs of one colour (background, bars, the
        // white between a label's letters): a block the same as the pixel
        // before is filled at once, compared without an early exit so that
        // the compiler vectorises it. (Measured on 600 national PNGs: a
        // quarter faster than finding each run's length, which cost about
        // 19 ns a run.)
        let (blocks, tail) = row.as_chunks::<BLOCK>();
        let (out_blocks, out_tail) = out.as_chunks_mut::<BLOCK>();
        for (block, out) in blocks.iter().zip(out_blocks) {
            let (last, last_index) = self.last;
            let same = block.iter().fold(true, |same, pixel| {
                same & (u32::from_ne_bytes(*pixel) == last)
            });
            if same {
                out.fill(last_index);
            } else {
                for (pixel, out) in block.iter().zip(out) {
                    *out = self.index(pixel)?;
                }
            }
        }
        for (pixel, out) in tail.iter().zip(out_tail) {
            *out = self.index(pixel)?;
        }
        Some(())
    }

    /// The index of the opaque `pixel`, its colour added to the palette
    /// when new; `None` past 256 colours.
    fn index(&mut self, pixel: &[u8; 4]) -> Option<u8> {
        let key = u32::from_ne_bytes(*pixel);
        if key != self.last.0 {
            self.last = (key, self.look_up(key)?);
        }
        Some(self.last.1)
    }

    fn look_up(&mut self, key: u32) -> Option<u8> {
        let slot = (key.wrapping_mul(0x9E37_79B1) >> (32 - RECENT.ilog2())) as usize;
        if let (known, index) = self.recent[slot]
            && known == key
        {
            return Some(index);
        }
        let [r, g, b, _] = key.to_ne_bytes();
        let index = match self.indices.get(&[r, g, b]) {
            Some(&index) => index,
            None => {
                let index = u8::try_from(self.indices.len()).ok()?;
                self.indices.insert([r, g, b], index);
                self.palette.extend_from_slice(&[r, g, b]);
                index
            }
        };
        self.recent[slot] = (key, index);
        Some(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgba(colours: &[[u8; 3]]) -> Vec<u8> {
        colours
            .iter()
            .flat_map(|c| [c[0], c[1], c[2], 255])
            .collect()
    }

    /// The palette and the indices of `colours` as one row.
    fn one_row(colours: &[[u8; 3]]) -> Option<(Vec<u8>, Vec<u8>)> {
        let mut rows = vec![9; 7];
        let palette = indexed(&rgba(colours), colours.len(), &mut rows)?;
        assert_eq!(rows[0], FILTER_NONE, "the row's filter byte");
        Some((palette, rows[1..].to_vec()))
    }

    #[test]
    fn a_few_colours_become_a_palette_in_the_order_met() {
        let image = rgba(&[[255, 255, 255], [0, 114, 178], [255, 255, 255], [1, 2, 3]]);
        let mut pixels = vec![9; 7];
        let palette = indexed(&image, 2, &mut pixels).unwrap();
        assert_eq!(palette, [255, 255, 255, 0, 114, 178, 1, 2, 3]);
        // Two rows, each behind its filter byte.
        assert_eq!(pixels, [0, 0, 1, 0, 0, 2]);
        let (palette, pixels) =
            one_row(&[[255, 255, 255], [0, 114, 178], [255, 255, 255], [1, 2, 3]]).unwrap();
        assert_eq!(palette, [255, 255, 255, 0, 114, 178, 1, 2, 3]);
        assert_eq!(pixels, [0, 1, 0, 2]);
    }

    /// Every pixel's index names its own colour, whichever colours share a
    /// place among the recent ones (200 colours, met back and forth).
    #[test]
    fn each_index_names_its_pixels_colour() {
        let colours: Vec<[u8; 3]> = (0..5000u32)
            .map(|i| {
                let c = (i * 7919 + i / 3) % 200;
                [c as u8, (c * 3 % 256) as u8, 255 - c as u8]
            })
            .collect();
        let (palette, pixels) = one_row(&colours).unwrap();
        assert_eq!(pixels.len(), colours.len());
        for (colour, &index) in colours.iter().zip(&pixels) {
            assert_eq!(&palette[usize::from(index) * 3..][..3], colour);
        }
    }

    /// A change of colour is found wherever it falls: in a block that is
    /// otherwise the colour before, at a block's edges, in the tail.
    #[test]
    fn a_colour_is_seen_anywhere_in_a_block() {
        let white = [255u8, 255, 255];
        let blue = [0u8, 114, 178];
        for length in 1..3 * BLOCK + 5 {
            for other in 0..length {
                let mut colours = vec![white; length];
                colours[other] = blue;
                let (palette, pixels) = one_row(&colours).unwrap();
                let blue_index = if other == 0 { 0 } else { 1 };
                assert_eq!(&palette[blue_index * 3..][..3], &blue, "{length} {other}");
                for (at, &index) in pixels.iter().enumerate() {
                    let expected = if at == other {
                        blue_index
                    } else {
                        1 - blue_index
                    };
                    assert_eq!(usize::from(index), expected, "{length} {other} {at}");
                }
            }
        }
    }

    #[test]
    fn exactly_256_colours_fit_and_257_do_not() {
        let mut colours: Vec<[u8; 3]> = (0..=255u8).map(|v| [v, 255 - v, v / 2]).collect();
        let (palette, pixels) = one_row(&colours).unwrap();
        assert_eq!(palette.len(), 3 * 256);
        assert_eq!(pixels[255], 255);
        colours.push([7, 7, 8]);
        assert_eq!(one_row(&colours), None);
    }

    /// Whichever way a chart is written, it decodes to the pixels drawn,
    /// at any width (a block of [`BLOCK`] pixels, or not) and whichever
    /// colours a row begins with.
    #[test]
    fn both_encodings_decode_to_the_same_pixels() {
        for (width, height) in [(40u32, 10u32), (37, 3), (1, 5), (300, 1)] {
            for distinct in [3u32, 300] {
                let colours: Vec<[u8; 3]> = (0..width * height)
                    .map(|i| {
                        let c = (i * 7919) % distinct;
                        [(c % 256) as u8, (c / 256) as u8 * 40, 200]
                    })
                    .collect();
                let data = rgba(&colours);
                let pixmap = PixmapRef::from_bytes(&data, width, height).unwrap();
                let encoded = encode_opaque(pixmap).unwrap();
                let mut decoder = png::Decoder::new(std::io::Cursor::new(encoded));
                decoder.set_transformations(png::Transformations::EXPAND);
                let mut reader = decoder.read_info().unwrap();
                let expected_color = if distinct <= 256 || width * height <= 256 {
                    png::ColorType::Indexed
                } else {
                    png::ColorType::Rgb
                };
                assert_eq!(reader.info().color_type, expected_color);
                let mut decoded = vec![0; reader.output_buffer_size().unwrap()];
                let frame = reader.next_frame(&mut decoded).unwrap();
                let expected: Vec<u8> = colours.concat();
                assert!(
                    decoded[..frame.buffer_size()] == expected[..],
                    "{width}×{height}, {distinct} colours"
                );
            }
        }
    }
}
