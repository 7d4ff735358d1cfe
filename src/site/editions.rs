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
                if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(bad("unreadable hash"));
                }
                if !crate::output::is_safe_relative(path) {
                    return Err(bad("a file outside the edition"));
                }
                edition
                    .files
                    .insert(path.to_string(), (hash.to_string(), len));
            }
            _ => {
                return Err(bad(
                    "expected `published`, `page` or `file` and its tab-separated fields",
                ));
            }
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
            if edition.files.contains_key(&rel) {
                continue;
            }
            let (hash, len) = store(root, entry.path())?;
            edition.files.insert(rel, (hash, len));
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
    let dir = root.join(EDITIONS).join(name);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(MANIFEST);
    std::fs::write(&path, text)?;
    Ok(path)
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
    let bytes = std::fs::read(source)?;
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let target = object_path(root, &hash);
    if !target.is_file() {
        let dir = target.parent().unwrap_or(root);
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".tmp-{}-{hash}", std::process::id()));
        std::fs::write(&tmp, &bytes)?;
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
