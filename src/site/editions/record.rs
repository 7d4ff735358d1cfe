//! `insyn publish`'s part: recording an edition's addresses and frozen
//! files, each file stored once and packed against the file most like it
//! that is already stored.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use super::manifest::{manifest_text, read_manifest};
use super::objects::store_packed;
use super::{ArchivedEdition, EDITIONS, MANIFEST, Object, PageRecord, Remade};
use crate::site::bundle::{BUNDLE_ENTRIES, zip_archive};

/// Records the edition `name`, published on `published`: the addresses of
/// `pages`, and every file the build wrote under the edition's folder of
/// `out` (its frozen chart pages and downloads), stored by content, with
/// the PNGs the build left out (`deferred`, by path in the site: a preview
/// draws none, and a frozen PNG is re-made from its SVG anyway). An
/// edition published again keeps what it froze the first time: its date,
/// its pages and its files; only addresses and files it did not have are
/// added. Returns the manifest's path.
pub fn record(
    root: &Path,
    name: &str,
    published: &str,
    pages: &[PageRecord],
    out: &Path,
    deferred: &[&str],
) -> io::Result<PathBuf> {
    let previous = read_manifest(root, name).ok();
    let mut edition = previous.unwrap_or_else(|| ArchivedEdition {
        name: name.to_string(),
        published: published.to_string(),
        ..ArchivedEdition::default()
    });
    let known: BTreeSet<String> = edition.pages.iter().map(|p| p.path.clone()).collect();
    edition
        .pages
        .extend(pages.iter().filter(|p| !known.contains(&p.path)).cloned());
    edition.pages.sort_by(|a, b| a.path.cmp(&b.path));

    let frozen = out.join(edition.dir());
    let mut found: BTreeMap<String, PathBuf> = BTreeMap::new();
    if frozen.is_dir() {
        for entry in walkdir::WalkDir::new(&frozen).sort_by_file_name() {
            let entry = entry.map_err(io::Error::other)?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(&frozen)
                .map_err(io::Error::other)?
                .to_string_lossy()
                .replace('\\', "/");
            if !edition.files.contains_key(&rel) && !edition.remade.contains_key(&rel) {
                found.insert(rel, entry.path().to_path_buf());
            }
        }
    }
    let dir = edition.dir();
    for path in deferred {
        if let Some(rel) = path.strip_prefix(dir.as_str())
            && !edition.remade.contains_key(rel)
        {
            found.insert(rel.to_string(), out.join(path));
        }
    }
    let mut packer = Packer::new(root, name, out);
    // What cannot be re-made is stored first; then what can be re-made from
    // it is only named.
    let (remakeable, stored): (Vec<_>, Vec<_>) = found
        .iter()
        .partition(|(rel, _)| png_source(rel).is_some() || rel.ends_with(".zip"));
    for (rel, path) in stored {
        let object = packer.store(rel, &family(rel, None), &std::fs::read(path)?)?;
        edition.files.insert(rel.clone(), object);
    }
    for (rel, path) in remakeable {
        if let Some(svg) = png_source(rel).filter(|svg| edition.files.contains_key(svg)) {
            edition.remade.insert(rel.clone(), Remade::Png { svg });
        } else if let Some(text) = bundle_readme(&edition, rel, path)? {
            let readme = packer.store(rel, &family(rel, Some(BUNDLE_ENTRIES[0])), &text)?;
            edition
                .remade
                .insert(rel.clone(), Remade::Bundle { readme });
        } else {
            let object = packer.store(rel, &family(rel, None), &std::fs::read(path)?)?;
            edition.files.insert(rel.clone(), object);
        }
    }

    let dir = root.join(EDITIONS).join(name);
    std::fs::create_dir_all(&dir)?;
    crate::output::remove_stale_temporaries(&dir);
    let path = dir.join(MANIFEST);
    crate::output::write_file_atomically(&path, manifest_text(&edition).as_bytes())?;
    Ok(path)
}

/// Stores an edition's files, each packed against the most alike file
/// already stored: the same file of the newest earlier edition that has it
/// (read from the built site, where the build just put it back), or else
/// the same file of the first like chart of this edition.
struct Packer<'a> {
    root: &'a Path,
    out: &'a Path,
    /// The editions before this one, newest first.
    earlier: Vec<ArchivedEdition>,
    /// For each family, the first file of this edition stored in it.
    first: HashMap<String, (String, Vec<u8>)>,
}

impl<'a> Packer<'a> {
    fn new(root: &'a Path, name: &str, out: &'a Path) -> Self {
        let this = crate::data::Period::parse(name);
        // An earlier edition that cannot be read only costs packing.
        let mut earlier: Vec<ArchivedEdition> = super::load(root)
            .map(|a| a.editions)
            .unwrap_or_default()
            .into_iter()
            .filter(|e| this.is_some() && crate::data::Period::parse(&e.name) < this)
            .collect();
        earlier.reverse();
        Packer {
            root,
            out,
            earlier,
            first: HashMap::new(),
        }
    }

    /// Stores `bytes`, the file `rel` of the edition (of a bundle, its
    /// readme), which is of `family`.
    fn store(&mut self, rel: &str, family: &str, bytes: &[u8]) -> io::Result<Object> {
        let base = self
            .earlier_copy(rel)
            .or_else(|| self.first.get(family).cloned());
        let object = store_packed(
            self.root,
            bytes,
            base.as_ref().map(|(h, b)| (h.as_str(), b.as_slice())),
        )?;
        self.first
            .entry(family.to_string())
            .or_insert_with(|| (object.hash.clone(), bytes.to_vec()));
        Ok(object)
    }

    /// The newest earlier edition's copy of `rel` (of a bundle, its readme),
    /// with its hash, as the build put it back; `None` when there is none or
    /// it is not what that edition recorded.
    fn earlier_copy(&self, rel: &str) -> Option<(String, Vec<u8>)> {
        let (edition, hash) = self.earlier.iter().find_map(|e| {
            let hash = match (e.files.get(rel), e.remade.get(rel)) {
                (Some(o), _) => &o.hash,
                (None, Some(Remade::Bundle { readme })) => &readme.hash,
                _ => return None,
            };
            Some((e, hash))
        })?;
        let file = std::fs::read(self.out.join(edition.dir()).join(rel)).ok()?;
        let bytes = if edition.files.contains_key(rel) {
            file
        } else {
            let mut zip = zip::ZipArchive::new(io::Cursor::new(file)).ok()?;
            let mut entry = zip.by_index(0).ok()?;
            let mut text = Vec::new();
            io::Read::read_to_end(&mut entry, &mut text).ok()?;
            text
        };
        (blake3::hash(&bytes).to_hex().as_str() == hash).then(|| (hash.clone(), bytes))
    }
}

/// What a frozen file is most like, besides itself in earlier editions:
/// the same file (`name`, or its own name) of a chart of the same kind and
/// measures, whose address differs only in its last part (the unit):
/// `charts/bars-closed_cases-<unit>/data.csv` → `bars-closed_cases/data.csv`.
fn family(rel: &str, name: Option<&str>) -> String {
    let (folder, own) = rel.rsplit_once('/').unwrap_or(("", rel));
    let slug = folder.rsplit('/').next().unwrap_or_default();
    let kind = slug.rsplit_once('-').map_or(slug, |(k, _)| k);
    format!("{kind}/{}", name.unwrap_or(own))
}

/// For a frozen `chart.png`: the `chart.svg` beside it, which it is drawn
/// from.
fn png_source(rel: &str) -> Option<String> {
    let folder = rel.strip_suffix("chart.png")?;
    (folder.is_empty() || folder.ends_with('/')).then(|| format!("{folder}chart.svg"))
}

/// For a frozen chart bundle that the build can zip again byte for byte
/// from a readme and the frozen files beside it: the readme, to store. `None`
/// for any other ZIP, which is then stored as is.
fn bundle_readme(edition: &ArchivedEdition, rel: &str, path: &Path) -> io::Result<Option<Vec<u8>>> {
    let folder = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let published = std::fs::read(path)?;
    let Ok(mut zip) = zip::ZipArchive::new(io::Cursor::new(&published)) else {
        return Ok(None);
    };
    let mut texts: Vec<String> = Vec::new();
    for (i, name) in BUNDLE_ENTRIES.iter().enumerate() {
        let Ok(mut entry) = zip.by_index(i) else {
            return Ok(None);
        };
        let mut text = String::new();
        if entry.name().ok().as_deref() != Some(*name)
            || io::Read::read_to_string(&mut entry, &mut text).is_err()
        {
            return Ok(None);
        }
        texts.push(text);
    }
    if zip.len() != BUNDLE_ENTRIES.len() {
        return Ok(None);
    }
    // The other entries must be the frozen files themselves.
    for (name, text) in BUNDLE_ENTRIES.iter().zip(&texts).skip(1) {
        let Some(object) = edition.files.get(&format!("{folder}/{name}")) else {
            return Ok(None);
        };
        if blake3::hash(text.as_bytes()).to_hex().as_str() != object.hash {
            return Ok(None);
        }
    }
    let entries: Vec<(&str, &str)> = BUNDLE_ENTRIES
        .iter()
        .copied()
        .zip(texts.iter().map(String::as_str))
        .collect();
    if zip_archive(&entries).ok().as_deref() != Some(published.as_slice()) {
        return Ok(None);
    }
    Ok(texts.into_iter().next().map(String::into_bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_charts_are_of_one_family() {
        assert_eq!(
            family("charts/bars-closed_cases-alehult/data.csv", None),
            "bars-closed_cases/data.csv"
        );
        assert_eq!(
            family(
                "charts/bars-closed_cases-alehult/bars-closed_cases-alehult.zip",
                Some("README.txt")
            ),
            "bars-closed_cases/README.txt"
        );
        assert_eq!(family("index.html", None), "/index.html");
    }
}
