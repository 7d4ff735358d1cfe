//! Link rewriting: root-absolute links written by authors become relative,
//! so the site works on any host path and when opened from disk.

/// Authors link to other pages as `/rapporter/` or `/om-statistiken/`: make
/// such links relative (and point at `index.html`), so they work on any host
/// path and when the site is opened from disk.
pub(super) fn relative_links(html: &str, root: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("href=\"/") {
        let (before, after) = rest.split_at(i + 6);
        out.push_str(before);
        let target = &after[1..];
        if target.starts_with('/') {
            // A protocol-relative address to another host: leave it as written.
            out.push('/');
            rest = target;
            continue;
        }
        let end = target.find('"').unwrap_or(target.len());
        let (path, fragment) = match target[..end].split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (&target[..end], None),
        };
        out.push_str(root);
        out.push_str(path);
        if path.is_empty() || path.ends_with('/') {
            out.push_str("index.html");
        }
        if let Some(f) = fragment {
            out.push('#');
            out.push_str(f);
        }
        rest = &target[end..];
    }
    out.push_str(rest);
    out
}
