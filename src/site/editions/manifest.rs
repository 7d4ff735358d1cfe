//! `editions/<period>/manifest.tsv`: what an edition recorded, one record
//! a line, tab-separated:
//!
//! - `published <date>`: when it was published;
//! - `page <path> <title> <current>`: an address it answered at;
//! - `file <path> <hash> <length> [packed]`: a frozen file and the object
//!   that holds it (`packed`: stored packed, see [`super::objects`]);
//! - `png <path> <svg>`: a frozen PNG drawn again from the frozen SVG;
//! - `bundle <path> <hash> <length> [packed]`: a frozen bundle zipped again
//!   from the readme in that object and the frozen files beside it.
//!
//! Manifests written before objects were packed have no `packed` field and
//! are read as they were written.

use std::path::{Path, PathBuf};

use super::{ArchivedEdition, EDITIONS, MANIFEST, Object, PageRecord, Remade, is_hash};
use crate::diagnostics::Diagnostic;
use crate::site::bundle::BUNDLE_ENTRIES;

const MANIFEST_HEADER: &str = "# insyn edition: the addresses and frozen files `insyn publish` recorded. Written by insyn; do not edit.";

/// The field that marks a packed object.
const PACKED: &str = "packed";

pub(super) fn read_manifest(root: &Path, name: &str) -> Result<ArchivedEdition, Diagnostic> {
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
        let object = |hash: &str, len: &str, rest: &[&str]| {
            let len = len.parse().map_err(|_| bad("unreadable length"))?;
            if !is_hash(hash) {
                return Err(bad("unreadable hash"));
            }
            let packed = match rest {
                [] => false,
                [PACKED] => true,
                _ => return Err(bad("unexpected fields after the length")),
            };
            Ok(Object {
                hash: hash.to_string(),
                len,
                packed,
            })
        };
        let inside = |path: &str| {
            if crate::output::is_safe_relative(path) {
                Ok(path.to_string())
            } else {
                Err(bad("a file outside the edition"))
            }
        };
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["published", date] => {
                // Cited on every frozen page: a date a hand edit broke is
                // not published.
                let date = crate::config::Date::parse(date).map_err(|e| bad(&e))?;
                edition.published = date.0;
            }
            ["page", path, title, current] => edition.pages.push(PageRecord {
                path: path.to_string(),
                title: title.to_string(),
                current: current.to_string(),
            }),
            ["file", path, hash, len, rest @ ..] => {
                let object = object(hash, len, rest)?;
                edition.files.insert(inside(path)?, object);
            }
            ["png", path, svg] => {
                edition.remade.insert(
                    inside(path)?,
                    Remade::Png {
                        svg: svg.to_string(),
                    },
                );
            }
            ["bundle", path, hash, len, rest @ ..] => {
                let readme = object(hash, len, rest)?;
                edition
                    .remade
                    .insert(inside(path)?, Remade::Bundle { readme });
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

/// The manifest of `edition`, as [`read_manifest`] reads it.
pub(super) fn manifest_text(edition: &ArchivedEdition) -> String {
    let object = |o: &Object| {
        let packed = if o.packed { "\tpacked" } else { "" };
        format!("{}\t{}{packed}", o.hash, o.len)
    };
    let mut text = format!("{MANIFEST_HEADER}\npublished\t{}\n", edition.published);
    for p in &edition.pages {
        text.push_str(&format!(
            "page\t{}\t{}\t{}\n",
            p.path,
            one_line(&p.title),
            p.current
        ));
    }
    for (path, o) in &edition.files {
        text.push_str(&format!("file\t{path}\t{}\n", object(o)));
    }
    for (path, how) in &edition.remade {
        text.push_str(&match how {
            Remade::Png { svg } => format!("png\t{path}\t{svg}\n"),
            Remade::Bundle { readme } => format!("bundle\t{path}\t{}\n", object(readme)),
        });
    }
    text
}

/// A title on one manifest line.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
