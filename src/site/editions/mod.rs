//! The editions archive (§6: addresses are forever; each edition is an
//! archive that can be cited).
//!
//! `insyn publish` records, beside the edition's data (`revisions`), every
//! address the published site answered at and a frozen copy of every chart
//! page and its downloads, as they were, under `editions/<period>/` of the
//! site. Every later build puts the frozen copies back at
//! `/editions/<period>/…` and answers every recorded address that the site
//! no longer has with a page that says what it was and where it went.
//!
//! In the repository the frozen files are stored by content: each file once,
//! under `editions/objects/`, however many editions or charts hold it;
//! `editions/<period>/manifest.tsv` lists the edition's pages and files
//! ([`manifest`]). An object is packed against the same file of the
//! edition before ([`objects`]): a new quarter changes every chart that
//! follows the latest data, but only a little, and only the change is
//! stored. The build unpacks each object once per machine into the build
//! cache and links the built site's files to it.
//!
//! Nothing that can be re-made is stored (the archive of a national site
//! would otherwise grow by hundreds of megabytes an edition, nine tenths of
//! it pictures): a frozen `chart.png` is drawn again at build time from the
//! frozen `chart.svg` beside it (through the build cache, so only once), and
//! a frozen bundle is zipped again from its stored readme and the frozen
//! SVG and CSV files, byte for byte as published (checked when recorded).
//! The slide and square PNGs are not frozen at all: a frozen page links to
//! the current chart for them.

mod manifest;
mod objects;
mod record;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::output::FileBody;

pub use objects::open;
pub use record::record;

const EDITIONS: &str = "editions";
const OBJECTS: &str = "objects";
pub(crate) const MANIFEST: &str = "manifest.tsv";

/// A page address of a published site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRecord {
    /// The address relative to the site root: `charts/x/`, `units/y/`, ``.
    pub path: String,
    /// Its title when it was published.
    pub title: String,
    /// Where its reader finds the same thing today: a chart that follows the
    /// latest data for a chart; the page itself for any other page.
    pub current: String,
}

/// A stored object: the content hash and length of the file it holds, and
/// how it is stored (see [`objects`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub hash: String,
    pub len: u64,
    /// Packed against a base, rather than the file as it is.
    pub packed: bool,
}

/// One recorded edition.
#[derive(Debug, Clone, Default)]
pub struct ArchivedEdition {
    /// The edition's name: the latest period of its data (`2025Q4`).
    pub name: String,
    /// When it was published, `YYYY-MM-DD`.
    pub published: String,
    pub pages: Vec<PageRecord>,
    /// Frozen files: path under the edition's folder → the object.
    pub files: BTreeMap<String, Object>,
    /// Frozen files re-made at build time: path under the edition's folder →
    /// how (see [`Remade`]).
    pub remade: BTreeMap<String, Remade>,
}

/// A frozen file the archive does not store, because the build can make it
/// again from stored ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remade {
    /// `chart.png`, rasterised from the frozen SVG at this path (under the
    /// edition's folder).
    Png { svg: String },
    /// A chart's bundle: a ZIP of the readme stored as this object with the
    /// frozen `chart.svg`, `data.csv` and `data-excel.csv` of the same
    /// folder, in the order [`BUNDLE_ENTRIES`] gives.
    ///
    /// [`BUNDLE_ENTRIES`]: crate::site::bundle::BUNDLE_ENTRIES
    Bundle { readme: Object },
}

/// A frozen file to re-make, with the stored objects it is made from (read
/// them with [`open`]).
pub enum RemadeFile {
    /// Rasterise this SVG.
    Png { svg: Object },
    /// ZIP these under the names of [`BUNDLE_ENTRIES`].
    ///
    /// [`BUNDLE_ENTRIES`]: crate::site::bundle::BUNDLE_ENTRIES
    Bundle { parts: [Object; 4] },
}

impl ArchivedEdition {
    /// The edition's folder in the built site: `editions/2025q4/`.
    pub fn dir(&self) -> String {
        edition_dir(&self.name)
    }
}

/// The folder of the edition `name` in the built site: `editions/2025q4/`.
pub fn edition_dir(name: &str) -> String {
    format!("{EDITIONS}/{}/", name.to_lowercase())
}

/// Every recorded edition, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    pub editions: Vec<ArchivedEdition>,
}

impl Archive {
    /// The edition named `name`, if it was recorded with a manifest.
    pub fn get(&self, name: &str) -> Option<&ArchivedEdition> {
        self.editions.iter().find(|e| e.name == name)
    }

    /// The newest edition.
    pub fn newest(&self) -> Option<&ArchivedEdition> {
        self.editions.last()
    }

    /// The editions that hold a frozen copy of the page at `path`.
    pub fn frozen_copies<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a ArchivedEdition> {
        let file = format!("{path}index.html");
        self.editions
            .iter()
            .filter(move |e| e.files.contains_key(&file))
    }

    /// The frozen files stored raw (by archives recorded before objects
    /// were packed), as files of the built site: each links its object, so
    /// an object shared by several editions is one file on disk.
    pub fn output_files(&self, root: &Path) -> Vec<(String, FileBody)> {
        let mut out = Vec::new();
        for e in &self.editions {
            let dir = e.dir();
            for (path, object) in e.files.iter().filter(|(_, o)| !o.packed) {
                out.push((
                    format!("{dir}{path}"),
                    FileBody::on_disk(objects::object_path(root, &object.hash), object.len),
                ));
            }
        }
        out
    }

    /// The frozen files stored packed (path in the built site, object), one
    /// list per edition, oldest first: an object is packed against one of
    /// an earlier edition (or of the same), so unpacking them in this order
    /// finds each base already unpacked in the build cache.
    pub fn packed_files(&self) -> Vec<Vec<(String, Object)>> {
        self.editions
            .iter()
            .map(|e| {
                let dir = e.dir();
                e.files
                    .iter()
                    .filter(|(_, o)| o.packed)
                    .map(|(path, o)| (format!("{dir}{path}"), o.clone()))
                    .collect()
            })
            .collect()
    }

    /// The frozen files every edition re-makes at build time (path in the
    /// built site, how), from objects of the archive.
    pub fn remade_files(&self) -> Vec<(String, RemadeFile)> {
        let mut out = Vec::new();
        for e in &self.editions {
            let dir = e.dir();
            let object = |path: &str| e.files.get(path).cloned();
            for (path, how) in &e.remade {
                let file = match how {
                    Remade::Png { svg } => object(svg).map(|svg| RemadeFile::Png { svg }),
                    Remade::Bundle { readme } => {
                        let folder = path.rsplit_once('/').map_or("", |(d, _)| d);
                        let sibling = |name: &str| object(&format!("{folder}/{name}"));
                        let [_, svg, csv, excel] = crate::site::bundle::BUNDLE_ENTRIES;
                        match (sibling(svg), sibling(csv), sibling(excel)) {
                            (Some(svg), Some(csv), Some(excel)) => Some(RemadeFile::Bundle {
                                parts: [readme.clone(), svg, csv, excel],
                            }),
                            _ => None,
                        }
                    }
                };
                // A manifest is checked when read: every source is there.
                if let Some(file) = file {
                    out.push((format!("{dir}{path}"), file));
                }
            }
        }
        out
    }

    /// Every address any edition recorded, with the newest edition that
    /// recorded it.
    pub fn addresses(&self) -> BTreeMap<&str, (&ArchivedEdition, &PageRecord)> {
        let mut out = BTreeMap::new();
        for e in &self.editions {
            for p in &e.pages {
                out.insert(p.path.as_str(), (e, p));
            }
        }
        out
    }
}

/// Reads every `editions/<period>/manifest.tsv` of the site. An edition
/// recorded before manifests existed (data only) has no addresses; one
/// whose data is not there was never published (`insyn publish` was
/// stopped before it wrote it, last: see `crate::record_publication`).
pub fn load(root: &Path) -> Result<Archive, Vec<Diagnostic>> {
    let Ok(entries) = std::fs::read_dir(root.join(EDITIONS)) else {
        return Ok(Archive::default());
    };
    let mut found: Vec<(crate::data::Period, String)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join(MANIFEST).is_file() && e.path().join("data.csv").is_file())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            crate::data::Period::parse(&name).map(|p| (p, name))
        })
        .collect();
    found.sort();
    let mut editions = Vec::new();
    let mut problems = Vec::new();
    for (_, name) in found {
        match manifest::read_manifest(root, &name) {
            Ok(e) => editions.push(e),
            Err(e) => problems.push(e),
        }
    }
    if problems.is_empty() {
        Ok(Archive { editions })
    } else {
        Err(problems)
    }
}

/// A BLAKE3 hash in hex, as objects are named.
fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The link check's part for editions (§6): every address any edition
/// recorded answers with a page in `files`.
pub fn check_addresses(files: &crate::output::SiteFiles, archive: &Archive) -> Vec<Diagnostic> {
    archive
        .addresses()
        .into_iter()
        .filter(|(path, _)| !files.contains_key(&page_file(path)))
        .map(|(path, (e, _))| {
            Diagnostic::error(
                format!("editions/{}/{MANIFEST}", e.name),
                format!(
                    "the address `/{path}`, published in edition {}, no longer answers",
                    e.name
                ),
            )
            .help("every published address must keep answering; this is a bug in insyn")
        })
        .collect()
}

/// The file a page address is served from.
pub fn page_file(path: &str) -> String {
    if path.is_empty() {
        "index.html".to_string()
    } else if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}
