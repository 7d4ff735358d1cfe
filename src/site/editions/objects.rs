//! The objects of the editions archive: each frozen file once, named by the
//! BLAKE3 hash of its content, under `editions/objects/` (see README, "The
//! archive and citations").
//!
//! An object is stored one of two ways:
//! - raw, at `objects/ab/cdef…`: the file itself. Archives recorded before
//!   objects were packed hold only these; they are still read, and the
//!   built site links them.
//! - packed, at `objects/ab/cdef….z`: one line `insyn-packed 1 <base>`,
//!   then the file compressed with raw DEFLATE (RFC 1951) using as preset
//!   dictionary the last 32 KiB of the object named `<base>` (`-`: none).
//!   The base is the same file of an earlier edition, or the same file of a
//!   like chart in the same edition (see `record`), so a file that changed
//!   little costs little: a new quarter adds a row to a chart's CSV and
//!   changes a few numbers on its page, and only those are stored again.
//!
//! A packed object is unpacked into the build cache once per machine and
//! linked from there, like a drawn PNG. Unpacking checks the content hash,
//! so a damaged object is an error, never a different file.

use std::io;
use std::path::{Path, PathBuf};

use super::{Object, is_hash};
use crate::cache::BuildCache;
use crate::output::FileBody;

/// The first line of a packed object, before its base.
const PACKED_HEADER: &str = "insyn-packed 1";

/// How far back DEFLATE can refer: the part of a base that is used.
const WINDOW: usize = 32 * 1024;

/// The longest chain of bases followed: an edition adds at most two links
/// (the previous edition, a like chart), so this is centuries of quarters;
/// a damaged archive whose bases loop stops here.
const MAX_CHAIN: usize = 1000;

/// The largest file unpacked when its length is not known (a base).
const MAX_UNKNOWN_LEN: u64 = 1 << 30;

/// Where the raw object `hash` is.
pub(super) fn object_path(root: &Path, hash: &str) -> PathBuf {
    let (a, b) = hash.split_at(2.min(hash.len()));
    root.join(super::EDITIONS)
        .join(super::OBJECTS)
        .join(a)
        .join(b)
}

/// Where the packed object `hash` is.
pub(super) fn packed_path(root: &Path, hash: &str) -> PathBuf {
    let mut path = object_path(root, hash).into_os_string();
    path.push(".z");
    PathBuf::from(path)
}

/// Whether the object `hash` is stored, raw or packed.
pub(super) fn exists(root: &Path, hash: &str) -> bool {
    packed_path(root, hash).is_file() || object_path(root, hash).is_file()
}

/// Stores `bytes` packed against `base` (the hash and content of a stored
/// object), once: an object already there, raw or packed, is the same
/// bytes and is kept. A base that is not stored or not what its hash says
/// is not used. Before anything is written, the packed bytes are unpacked
/// again and compared with `bytes`: what is stored gives back the file
/// byte for byte.
pub(super) fn store_packed(
    root: &Path,
    bytes: &[u8],
    base: Option<(&str, &[u8])>,
) -> io::Result<Object> {
    let hash = blake3::hash(bytes).to_hex().to_string();
    let len = bytes.len() as u64;
    if object_path(root, &hash).is_file() {
        return Ok(Object {
            hash,
            len,
            packed: false,
        });
    }
    let target = packed_path(root, &hash);
    if !target.is_file() {
        let base = base.filter(|(h, b)| {
            *h != hash && blake3::hash(b).to_hex().as_str() == *h && exists(root, h)
        });
        let dict = base.map(|(_, b)| window(b));
        let packed = deflate(bytes, dict)?;
        if inflate(&packed, dict, len)? != bytes {
            return Err(io::Error::other(
                "packing a frozen file did not give it back byte for byte",
            ));
        }
        let mut file = format!("{PACKED_HEADER} {}\n", base.map_or("-", |(h, _)| h)).into_bytes();
        file.extend_from_slice(&packed);
        write_new(root, &target, &file)?;
    }
    Ok(Object {
        hash,
        len,
        packed: true,
    })
}

/// Writes `bytes` as the object file `target`: beside it and renamed, so an
/// object is never half-written and never changes.
fn write_new(root: &Path, target: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = target.parent().unwrap_or(root);
    std::fs::create_dir_all(dir)?;
    crate::output::remove_stale_temporaries(dir);
    crate::output::write_file_atomically(target, bytes)
}

/// The frozen file `object` as a file of the built site: a raw object is
/// linked where it is; a packed one is unpacked into the cache (once per
/// machine) and linked from there, or unpacked into memory without a cache.
pub fn open(root: &Path, object: &Object, cache: Option<&BuildCache>) -> Result<FileBody, String> {
    if !object.packed {
        return Ok(FileBody::on_disk(
            object_path(root, &object.hash),
            object.len,
        ));
    }
    unpack(root, &object.hash, Some(object.len), cache, 0)
}

fn unpack(
    root: &Path,
    hash: &str,
    len: Option<u64>,
    cache: Option<&BuildCache>,
    depth: usize,
) -> Result<FileBody, String> {
    let make = || unpack_bytes(root, hash, len, cache, depth);
    match cache {
        Some(cache) => {
            let key = blake3::Hash::from_hex(hash).map_err(|e| format!("object {hash}: {e}"))?;
            cache.entry("frozen", &key, "bin", make)
        }
        None => make().map(FileBody::Bytes),
    }
}

/// The content of the object `hash`, raw or packed.
fn content(
    root: &Path,
    hash: &str,
    cache: Option<&BuildCache>,
    depth: usize,
) -> Result<Vec<u8>, String> {
    if packed_path(root, hash).is_file() {
        let body = unpack(root, hash, None, cache, depth)?;
        return body
            .read()
            .map(|b| b.into_owned())
            .map_err(|e| format!("object {hash}: {e}"));
    }
    let path = object_path(root, hash);
    std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
}

fn unpack_bytes(
    root: &Path,
    hash: &str,
    len: Option<u64>,
    cache: Option<&BuildCache>,
    depth: usize,
) -> Result<Vec<u8>, String> {
    let path = packed_path(root, hash);
    let damaged = |what: &str| format!("{}: the object is damaged: {what}", path.display());
    if depth > MAX_CHAIN {
        return Err(damaged("its bases form a loop"));
    }
    let file = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let newline = file
        .iter()
        .position(|&b| b == b'\n')
        .ok_or_else(|| damaged("no header"))?;
    let header = std::str::from_utf8(&file[..newline]).map_err(|_| damaged("no header"))?;
    let base = header
        .strip_prefix(PACKED_HEADER)
        .and_then(|rest| rest.strip_prefix(' '))
        .ok_or_else(|| damaged("an unknown header"))?;
    let base = match base {
        "-" => None,
        b if is_hash(b) && b != hash => Some(content(root, b, cache, depth + 1)?),
        _ => return Err(damaged("an unreadable base")),
    };
    let bytes = inflate(
        &file[newline + 1..],
        base.as_deref().map(window),
        len.unwrap_or(MAX_UNKNOWN_LEN),
    )
    .map_err(|e| damaged(&e.to_string()))?;
    if len.is_some_and(|len| len != bytes.len() as u64)
        || blake3::hash(&bytes).to_hex().as_str() != hash
    {
        return Err(damaged("its content is not what its name says"));
    }
    Ok(bytes)
}

/// The part of a base DEFLATE can refer to: its last 32 KiB.
fn window(base: &[u8]) -> &[u8] {
    &base[base.len().saturating_sub(WINDOW)..]
}

/// Raw DEFLATE of `bytes`, with `dict` as preset dictionary.
fn deflate(bytes: &[u8], dict: Option<&[u8]>) -> io::Result<Vec<u8>> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    let mut c = Compress::new(Compression::best(), false);
    if let Some(dict) = dict {
        c.set_dictionary(dict).map_err(io::Error::other)?;
    }
    let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
    loop {
        let done = c.total_in() as usize;
        let status = c
            .compress_vec(&bytes[done..], &mut out, FlushCompress::Finish)
            .map_err(io::Error::other)?;
        if status == Status::StreamEnd {
            return Ok(out);
        }
        out.reserve(out.capacity().max(64));
    }
}

/// Raw INFLATE of `packed` with `dict` as preset dictionary: at most `max`
/// bytes, or an error.
fn inflate(packed: &[u8], dict: Option<&[u8]>, max: u64) -> io::Result<Vec<u8>> {
    use flate2::{Decompress, FlushDecompress, Status};
    let mut d = Decompress::new(false);
    if let Some(dict) = dict {
        d.set_dictionary(dict).map_err(io::Error::other)?;
    }
    let mut out = Vec::with_capacity(max.min(1 << 20) as usize + 1);
    loop {
        let (read, written) = (d.total_in(), d.total_out());
        let status = d
            .decompress_vec(&packed[read as usize..], &mut out, FlushDecompress::Finish)
            .map_err(io::Error::other)?;
        if status == Status::StreamEnd {
            break;
        }
        if out.len() as u64 > max {
            return Err(io::Error::other("longer than recorded"));
        }
        if (read, written) == (d.total_in(), d.total_out()) && out.len() < out.capacity() {
            return Err(io::Error::other("cut short"));
        }
        out.reserve(out.capacity().max(64));
    }
    if out.len() as u64 > max || d.total_in() as usize != packed.len() {
        return Err(io::Error::other("not one whole packed file"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_packed_against_a_like_one_is_small_and_comes_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let old: String = (0..200)
            .map(|i| format!("20{:02}Q1,unit,cases,{i},\n", i % 100))
            .collect();
        let new = format!("{old}2100Q1,unit,cases,7,p\n");
        let base = store_packed(root, old.as_bytes(), None).unwrap();
        let alone = deflate(new.as_bytes(), None).unwrap().len();
        let object =
            store_packed(root, new.as_bytes(), Some((&base.hash, old.as_bytes()))).unwrap();
        let stored = std::fs::metadata(packed_path(root, &object.hash))
            .unwrap()
            .len();
        assert!(
            (stored as usize) < alone / 4,
            "{stored} bytes against {alone} alone"
        );
        let header = std::fs::read(packed_path(root, &object.hash)).unwrap();
        assert!(header.starts_with(format!("insyn-packed 1 {}\n", base.hash).as_bytes()));
        // Unpacked with and without a cache: the file, byte for byte.
        let body = open(root, &object, None).unwrap();
        assert_eq!(body.read().unwrap().as_ref(), new.as_bytes());
        let cache = BuildCache::new(root.join("cache"));
        let body = open(root, &object, Some(&cache)).unwrap();
        assert!(matches!(body, FileBody::OnDisk { .. }));
        assert_eq!(body.read().unwrap().as_ref(), new.as_bytes());
        assert_eq!(body.len(), object.len);
    }

    #[test]
    fn a_base_that_is_not_what_it_says_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let wrong = blake3::hash(b"other").to_hex().to_string();
        let object = store_packed(root, b"text", Some((&wrong, b"other"))).unwrap();
        let file = std::fs::read(packed_path(root, &object.hash)).unwrap();
        assert!(
            file.starts_with(b"insyn-packed 1 -\n"),
            "not stored: no base"
        );
        assert_eq!(
            open(root, &object, None).unwrap().read().unwrap().as_ref(),
            b"text"
        );
    }

    #[test]
    fn a_damaged_object_is_an_error_not_another_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let text = "a chart page, a chart page, a chart page".repeat(20);
        let object = store_packed(root, text.as_bytes(), None).unwrap();
        let path = packed_path(root, &object.hash);
        let mut file = std::fs::read(&path).unwrap();
        let last = file.len() - 3;
        file[last] ^= 0x55;
        std::fs::write(&path, &file).unwrap();
        let err = open(root, &object, None).unwrap_err();
        assert!(err.contains("the object is damaged"), "{err}");

        // An object whose base is itself, or a loop of bases, ends.
        let looped = format!("insyn-packed 1 {}\n", object.hash);
        std::fs::write(&path, looped).unwrap();
        let err = open(root, &object, None).unwrap_err();
        assert!(err.contains("an unreadable base"), "{err}");
    }

    #[test]
    fn a_raw_object_is_linked_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let hash = blake3::hash(b"old").to_hex().to_string();
        let path = object_path(root, &hash);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"old").unwrap();
        // Stored again, it stays raw: the same bytes are there.
        let object = store_packed(root, b"old", None).unwrap();
        assert!(!object.packed);
        assert!(!packed_path(root, &hash).exists());
        assert_eq!(
            open(root, &object, None).unwrap(),
            FileBody::on_disk(path, 3)
        );
    }
}
