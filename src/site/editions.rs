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
//! under `editions/objects/<hash>`, however many editions or charts hold it;
//! `editions/<period>/manifest.tsv` lists the edition's pages and files.
//! The built site hard-links the objects instead of copying them.
//!
//! Nothing that can be re-made is stored (the archive of a national site
//! would otherwise grow by hundreds of megabytes an edition, nine tenths of
//! it pictures): a frozen `chart.png` is drawn again at build time from the
//! frozen `chart.svg` beside it (through the build cache, so only once), and
//! a frozen bundle is zipped again from its stored readme and the frozen
//! SVG and CSV files, byte for byte as published (checked when recorded).
//! The slide and square PNGs are not frozen at all: a frozen page links to
//! the current chart for them.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::output::FileBody;

const EDITIONS: &str = "editions";
const OBJECTS: &str = "objects";
const MANIFEST: &str = "manifest.tsv";
const MANIFEST_HEADER: &str = "# insyn edition: the addresses and frozen files `insyn publish` recorded. Written by insyn; do not edit.";

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

/// One recorded edition.
#[derive(Debug, Clone, Default)]
pub struct ArchivedEdition {
    /// The edition's name: the latest period of its data (`2025Q4`).
    pub name: String,
    /// When it was published, `YYYY-MM-DD`.
    pub published: String,
    pub pages: Vec<PageRecord>,
    /// Frozen files: path under the edition's folder → (object hash, length).
    pub files: BTreeMap<String, (String, u64)>,
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
    /// A chart's bundle: a ZIP of the readme stored as this object (hash,
    /// length) with the frozen `chart.svg`, `data.csv` and `data-excel.csv`
    /// of the same folder, in the order [`BUNDLE_ENTRIES`] gives.
    Bundle { readme: (String, u64) },
}

/// The files of a chart's bundle, in the order the ZIP holds them; the
/// first is the readme, the others are frozen files beside the bundle.
pub const BUNDLE_ENTRIES: [&str; 4] = ["README.txt", "chart.svg", "data.csv", "data-excel.csv"];

/// A frozen file to re-make, with the stored objects it is made from.
pub enum RemadeFile {
    /// Rasterise the SVG object at this path.
    Png { svg: PathBuf },
    /// ZIP these objects under the names of [`BUNDLE_ENTRIES`].
    Bundle { parts: [PathBuf; 4] },
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

    /// The frozen files of every edition, as files of the built site. An
    /// object shared by several editions is one file on disk, linked.
    pub fn output_files(&self, root: &Path) -> Vec<(String, FileBody)> {
        let mut out = Vec::new();
        for e in &self.editions {
            let dir = e.dir();
            for (path, (hash, len)) in &e.files {
                out.push((
                    format!("{dir}{path}"),
                    FileBody::OnDisk {
                        path: object_path(root, hash),
                        len: *len,
                    },
                ));
            }
        }
        out
    }

    /// The frozen files every edition re-makes at build time (path in the
    /// built site, how), from objects of the archive.
    pub fn remade_files(&self, root: &Path) -> Vec<(String, RemadeFile)> {
        let mut out = Vec::new();
        for e in &self.editions {
            let dir = e.dir();
            let object = |path: &str| e.files.get(path).map(|(hash, _)| object_path(root, hash));
            for (path, how) in &e.remade {
                let file = match how {
                    Remade::Png { svg } => object(svg).map(|svg| RemadeFile::Png { svg }),
                    Remade::Bundle { readme } => {
                        let folder = path.rsplit_once('/').map_or("", |(d, _)| d);
                        let sibling = |name: &str| object(&format!("{folder}/{name}"));
                        match (
                            sibling(BUNDLE_ENTRIES[1]),
                            sibling(BUNDLE_ENTRIES[2]),
                            sibling(BUNDLE_ENTRIES[3]),
                        ) {
                            (Some(svg), Some(csv), Some(excel)) => Some(RemadeFile::Bundle {
                                parts: [object_path(root, &readme.0), svg, csv, excel],
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

fn object_path(root: &Path, hash: &str) -> PathBuf {
    let (a, b) = hash.split_at(2.min(hash.len()));
    root.join(EDITIONS).join(OBJECTS).join(a).join(b)
}

/// Reads every `editions/<period>/manifest.tsv` of the site. An edition
/// recorded before manifests existed (data only) has no addresses.
pub fn load(root: &Path) -> Result<Archive, Vec<Diagnostic>> {
    let Ok(entries) = std::fs::read_dir(root.join(EDITIONS)) else {
        return Ok(Archive::default());
    };
    let mut found: Vec<(crate::data::Period, String)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join(MANIFEST).is_file())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            crate::data::Period::parse(&name).map(|p| (p, name))
        })
        .collect();
    found.sort();
    let mut editions = Vec::new();
    let mut problems = Vec::new();
    for (_, name) in found {
        match read_manifest(root, &name) {
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

fn read_manifest(root: &Path, name: &str) -> Result<ArchivedEdition, Diagnostic> {
    let file = PathBuf::from(EDITIONS).join(name).join(MANIFEST);
    let text = std::fs::read_to_string(root.join(&file))
        .map_err(|e| Diagnostic::error(&file, format!("cannot read the edition: {e}")))?;
    let mut edition = ArchivedEdition {
        name: name.to_string(),
        ..ArchivedEdition::default()
    };
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |what: &str| {
            Diagnostic::error(&file, format!("the edition's manifest is damaged: {what}"))
                .at_line(i + 1)
                .found(line.chars().take(120).collect::<String>())
                .help("manifests are written by `insyn publish`; restore the file from version control")
        };
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["published", date] if is_date(date) => edition.published = date.to_string(),
            ["page", path, title, current] => edition.pages.push(PageRecord {
                path: path.to_string(),
                title: title.to_string(),
                current: current.to_string(),
            }),
            ["file", path, hash, len] => {
                let len = len.parse().map_err(|_| bad("unreadable length"))?;
                if !is_hash(hash) {
                    return Err(bad("unreadable hash"));
                }
                if !crate::output::is_safe_relative(path) {
                    return Err(bad("a file outside the edition"));
                }
                edition
                    .files
                    .insert(path.to_string(), (hash.to_string(), len));
            }
            ["png", path, svg] => {
                if !crate::output::is_safe_relative(path) {
                    return Err(bad("a file outside the edition"));
                }
                edition.remade.insert(
                    path.to_string(),
                    Remade::Png {
                        svg: svg.to_string(),
                    },
                );
            }
            ["bundle", path, hash, len] => {
                let len = len.parse().map_err(|_| bad("unreadable length"))?;
                if !is_hash(hash) {
                    return Err(bad("unreadable hash"));
                }
                if !crate::output::is_safe_relative(path) {
                    return Err(bad("a file outside the edition"));
                }
                edition.remade.insert(
                    path.to_string(),
                    Remade::Bundle {
                        readme: (hash.to_string(), len),
                    },
                );
            }
            _ => {
                return Err(bad(
                    "expected `published`, `page`, `file`, `png` or `bundle` and its tab-separated fields",
                ));
            }
        }
    }
    // What a re-made file is made from must be in the edition.
    for (path, how) in &edition.remade {
        let folder = path.rsplit_once('/').map_or("", |(d, _)| d);
        let missing = match how {
            Remade::Png { svg } => (!edition.files.contains_key(svg)).then(|| svg.clone()),
            Remade::Bundle { .. } => BUNDLE_ENTRIES[1..]
                .iter()
                .map(|name| format!("{folder}/{name}"))
                .find(|p| !edition.files.contains_key(p)),
        };
        if let Some(missing) = missing {
            return Err(Diagnostic::error(
                &file,
                format!("the edition's manifest is damaged: `{path}` is made from `{missing}`, which it does not list"),
            )
            .help("manifests are written by `insyn publish`; restore the file from version control"));
        }
    }
    if edition.published.is_empty() {
        return Err(Diagnostic::error(
            &file,
            "the edition's manifest is damaged: it has no `published` date",
        ));
    }
    Ok(edition)
}

/// A BLAKE3 hash in hex, as objects are named.
fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Records the edition `name`, published on `published`: the addresses of
/// `pages`, and every file the build wrote under the edition's folder of
/// `out` (its frozen chart pages and downloads), stored by content. An
/// edition published again keeps what it froze the first time: its date,
/// its pages and its files; only addresses and files it did not have are
/// added. Returns the manifest's path.
pub fn record(
    root: &Path,
    name: &str,
    published: &str,
    pages: &[PageRecord],
    out: &Path,
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
    // What cannot be re-made is stored first; then what can be re-made from
    // it is only named.
    let (remakeable, stored): (Vec<_>, Vec<_>) = found
        .iter()
        .partition(|(rel, _)| png_source(rel).is_some() || rel.ends_with(".zip"));
    for (rel, path) in stored {
        let object = store(root, path)?;
        edition.files.insert(rel.clone(), object);
    }
    for (rel, path) in remakeable {
        if let Some(svg) = png_source(rel).filter(|svg| edition.files.contains_key(svg)) {
            edition.remade.insert(rel.clone(), Remade::Png { svg });
        } else if let Some(readme) = bundle_readme(root, &edition, rel, path)? {
            edition
                .remade
                .insert(rel.clone(), Remade::Bundle { readme });
        } else {
            let object = store(root, path)?;
            edition.files.insert(rel.clone(), object);
        }
    }

    let mut text = format!("{MANIFEST_HEADER}\npublished\t{}\n", edition.published);
    for p in &edition.pages {
        text.push_str(&format!(
            "page\t{}\t{}\t{}\n",
            p.path,
            one_line(&p.title),
            p.current
        ));
    }
    for (path, (hash, len)) in &edition.files {
        text.push_str(&format!("file\t{path}\t{hash}\t{len}\n"));
    }
    for (path, how) in &edition.remade {
        text.push_str(&match how {
            Remade::Png { svg } => format!("png\t{path}\t{svg}\n"),
            Remade::Bundle {
                readme: (hash, len),
            } => format!("bundle\t{path}\t{hash}\t{len}\n"),
        });
    }
    let dir = root.join(EDITIONS).join(name);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(MANIFEST);
    std::fs::write(&path, text)?;
    Ok(path)
}

/// For a frozen `chart.png`: the `chart.svg` beside it, which it is drawn
/// from.
fn png_source(rel: &str) -> Option<String> {
    let folder = rel.strip_suffix("chart.png")?;
    (folder.is_empty() || folder.ends_with('/')).then(|| format!("{folder}chart.svg"))
}

/// For a frozen chart bundle that the build can zip again byte for byte
/// from a readme and the frozen files beside it: stores the readme and
/// returns its object. `None` for any other ZIP, which is then stored as is.
fn bundle_readme(
    root: &Path,
    edition: &ArchivedEdition,
    rel: &str,
    path: &Path,
) -> io::Result<Option<(String, u64)>> {
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
        let Some((hash, _)) = edition.files.get(&format!("{folder}/{name}")) else {
            return Ok(None);
        };
        if blake3::hash(text.as_bytes()).to_hex().as_str() != hash {
            return Ok(None);
        }
    }
    let entries: Vec<(&str, &str)> = BUNDLE_ENTRIES
        .iter()
        .copied()
        .zip(texts.iter().map(String::as_str))
        .collect();
    if super::feeds::zip_archive(&entries).ok().as_deref() != Some(published.as_slice()) {
        return Ok(None);
    }
    store_bytes(root, texts[0].as_bytes()).map(Some)
}

/// A title on one manifest line.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Stores the file at `source` as an object named by its content hash, once:
/// an object already there is the same bytes. Written beside and renamed,
/// so an object is never half-written and never changes.
fn store(root: &Path, source: &Path) -> io::Result<(String, u64)> {
    store_bytes(root, &std::fs::read(source)?)
}

/// Stores `bytes` as an object named by their hash (see [`store`]).
fn store_bytes(root: &Path, bytes: &[u8]) -> io::Result<(String, u64)> {
    let hash = blake3::hash(bytes).to_hex().to_string();
    let target = object_path(root, &hash);
    if !target.is_file() {
        let dir = target.parent().unwrap_or(root);
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".tmp-{}-{hash}", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &target)?;
    }
    Ok((hash, bytes.len() as u64))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_and_objects_are_stored_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let out = root.join("public");
        let frozen = out.join("editions/2024q3/charts/a");
        std::fs::create_dir_all(&frozen).unwrap();
        std::fs::write(frozen.join("index.html"), "same").unwrap();
        std::fs::write(frozen.join("data.csv"), "same").unwrap();
        let pages = vec![PageRecord {
            path: "charts/a/".into(),
            title: "A\ttitle".into(),
            current: "charts/a/".into(),
        }];
        record(root, "2024Q3", "2024-10-20", &pages, &out).unwrap();
        let archive = load(root).unwrap();
        let e = archive.get("2024Q3").unwrap();
        assert_eq!(e.published, "2024-10-20");
        assert_eq!(e.pages[0].title, "A title");
        assert_eq!(e.files.len(), 2);
        let objects: Vec<_> = walkdir::WalkDir::new(root.join("editions/objects"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .collect();
        assert_eq!(objects.len(), 1, "identical files share one object");

        // Published again with other content: what was frozen stays.
        std::fs::write(frozen.join("index.html"), "changed").unwrap();
        record(root, "2024Q3", "2025-01-01", &pages, &out).unwrap();
        let again = load(root).unwrap();
        let e2 = again.get("2024Q3").unwrap();
        assert_eq!(e2.published, "2024-10-20");
        assert_eq!(e2.files, e.files);
    }

    #[test]
    fn pictures_and_bundles_are_remade_not_stored_unless_they_differ() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let out = root.join("public");
        let chart = out.join("editions/2024q3/charts/a");
        let other = out.join("editions/2024q3/charts/b");
        for (folder, svg) in [(&chart, "<svg>a</svg>"), (&other, "<svg>b</svg>")] {
            std::fs::create_dir_all(folder).unwrap();
            std::fs::write(folder.join("chart.svg"), svg).unwrap();
            std::fs::write(folder.join("chart.png"), "pixels").unwrap();
            std::fs::write(folder.join("data.csv"), "csv").unwrap();
            std::fs::write(folder.join("data-excel.csv"), "excel").unwrap();
        }
        // A bundle as the build makes it, and one that is not.
        let texts = ["readme", "<svg>a</svg>", "csv", "excel"];
        let entries: Vec<(&str, &str)> = BUNDLE_ENTRIES.iter().copied().zip(texts).collect();
        let zip = crate::site::feeds::zip_archive(&entries).unwrap();
        std::fs::write(chart.join("a.zip"), &zip).unwrap();
        std::fs::write(other.join("b.zip"), "not a zip").unwrap();
        record(root, "2024Q3", "2024-10-20", &[], &out).unwrap();

        let archive = load(root).unwrap();
        let e = archive.get("2024Q3").unwrap();
        assert_eq!(
            e.remade.get("charts/a/chart.png"),
            Some(&Remade::Png {
                svg: "charts/a/chart.svg".into()
            })
        );
        assert!(matches!(
            e.remade.get("charts/a/a.zip"),
            Some(Remade::Bundle { .. })
        ));
        assert!(!e.files.contains_key("charts/a/chart.png"));
        assert!(!e.files.contains_key("charts/a/a.zip"));
        // What cannot be made again is kept as it is.
        assert!(e.files.contains_key("charts/b/b.zip"));
        // The bundle is made again from its stored parts, byte for byte.
        let remade = archive.remade_files(root);
        let Some((_, RemadeFile::Bundle { parts })) = remade
            .iter()
            .find(|(p, _)| p == "editions/2024q3/charts/a/a.zip")
        else {
            panic!("the bundle is not re-made");
        };
        let texts: Vec<String> = parts
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        let entries: Vec<(&str, &str)> = BUNDLE_ENTRIES
            .iter()
            .copied()
            .zip(texts.iter().map(String::as_str))
            .collect();
        assert!(crate::site::feeds::zip_archive(&entries).unwrap() == zip);
    }

    #[test]
    fn a_remade_file_without_its_source_is_a_damaged_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let ed = dir.path().join("editions/2024Q3");
        std::fs::create_dir_all(&ed).unwrap();
        std::fs::write(
            ed.join(MANIFEST),
            "published\t2024-10-20\npng\tcharts/a/chart.png\tcharts/a/chart.svg\n",
        )
        .unwrap();
        let problems = load(dir.path()).unwrap_err();
        assert!(
            problems[0]
                .message
                .contains("`charts/a/chart.svg`, which it does not list"),
            "{:?}",
            problems[0]
        );
    }

    #[test]
    fn a_damaged_manifest_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let ed = dir.path().join("editions/2024Q3");
        std::fs::create_dir_all(&ed).unwrap();
        std::fs::write(
            ed.join(MANIFEST),
            "published\t2024-10-20\nfile\tx\tnothex\t3\n",
        )
        .unwrap();
        let problems = load(dir.path()).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(2), "{:?}", problems[0]);
    }
}
