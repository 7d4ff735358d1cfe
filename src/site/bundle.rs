//! The ZIP of a chart's bundle (see README, "Downloads"): made by the build
//! for a live chart ([`super::feeds::bundle`]) and zipped again from stored
//! parts for an edition's frozen copy ([`super::editions`]). Both need the
//! same names, order and ZIP settings, or a frozen bundle would not come out
//! byte for byte as it was published; this module owns them so that neither
//! of the two has to import the other.

use std::io::Write;

use crate::cache::BuildCache;
use crate::output::FileBody;

/// The files of a chart's bundle, in the order the ZIP holds them; the
/// first is the readme, the others are the chart's files beside the bundle.
pub const BUNDLE_ENTRIES: [&str; 4] = ["README.txt", "chart.svg", "data.csv", "data-excel.csv"];

/// Part of a bundle's cache key: change it when [`zip_archive`] changes.
pub const BUNDLE_FORMAT: &str = "insyn-bundle-1 deflate";

/// A frozen bundle: the ZIP of the stored parts whose content hashes are
/// `hashes`, in the order of [`BUNDLE_ENTRIES`], made from `texts` only
/// when the cache does not hold it yet. Keyed by the hashes rather than the
/// texts, so a warm build reads none of the parts: with a dozen editions
/// that is tens of thousands of bundles and hundreds of megabytes.
pub fn zipped_stored(
    hashes: [&str; 4],
    cache: Option<&BuildCache>,
    texts: impl FnOnce() -> Result<Vec<String>, String>,
) -> Result<FileBody, String> {
    let make = || {
        let texts = texts()?;
        let entries: Vec<(&str, &str)> = BUNDLE_ENTRIES
            .iter()
            .copied()
            .zip(texts.iter().map(String::as_str))
            .collect();
        zip_archive(&entries)
    };
    let Some(cache) = cache else {
        return make().map(FileBody::Bytes);
    };
    let mut key = blake3::Hasher::new();
    key.update(BUNDLE_FORMAT.as_bytes());
    key.update(b"\0stored parts");
    for (name, hash) in BUNDLE_ENTRIES.iter().zip(hashes) {
        key.update(b"\0");
        key.update(name.as_bytes());
        key.update(b"\0");
        key.update(hash.as_bytes());
    }
    cache.entry("bundle", &key.finalize(), "zip", make)
}

/// A ZIP of `entries` (name, text) with fixed timestamps and permissions.
pub fn zip_archive(entries: &[(&str, &str)]) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, body) in entries {
        zip.start_file(*name, options).map_err(|e| e.to_string())?;
        zip.write_all(body.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_bundle_is_made_once_and_then_read_from_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BuildCache::new(dir.path());
        let texts = || {
            Ok(vec![
                "r".into(),
                "<svg/>".into(),
                "a\n".into(),
                "b\n".into(),
            ])
        };
        let hashes = ["1", "2", "3", "4"];
        let first = zipped_stored(hashes, Some(&cache), texts).unwrap();
        let again =
            zipped_stored(hashes, Some(&cache), || panic!("the parts are read again")).unwrap();
        assert_eq!(first, again);
        let entries: Vec<(&str, &str)> = BUNDLE_ENTRIES
            .iter()
            .copied()
            .zip(["r", "<svg/>", "a\n", "b\n"])
            .collect();
        assert!(again.read().unwrap().as_ref() == zip_archive(&entries).unwrap().as_slice());
    }

    #[test]
    fn a_bundle_is_the_same_bytes_every_time_and_reads_back() {
        let entries: Vec<(&str, &str)> = BUNDLE_ENTRIES
            .iter()
            .copied()
            .zip(["readme", "<svg/>", "a,b\n", "a;b\n"])
            .collect();
        let zip = zip_archive(&entries).unwrap();
        assert_eq!(zip, zip_archive(&entries).unwrap());
        let mut read = zip::ZipArchive::new(std::io::Cursor::new(&zip)).unwrap();
        assert_eq!(read.len(), 4);
        for (i, (name, text)) in entries.iter().enumerate() {
            let mut entry = read.by_index(i).unwrap();
            assert_eq!(entry.name().unwrap(), *name);
            let mut got = String::new();
            std::io::Read::read_to_string(&mut entry, &mut got).unwrap();
            assert_eq!(&got, text);
        }
    }
}
