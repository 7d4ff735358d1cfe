//! Heading ids: a page's anchors, unique within the page.

use std::collections::{HashMap, HashSet};

use super::*;

/// Gives every heading an id (its own `{#id}` or one made from its text),
/// unique within the page.
pub(super) fn assign_heading_ids(events: &mut [Event]) -> Vec<Heading> {
    let mut headings = Vec::new();
    let mut used = HashSet::new();
    let mut suffixes: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = *level as u8;
            let given = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = given.unwrap_or_else(|| slugify(&text));
            let base = if base.is_empty() {
                "avsnitt".to_string()
            } else {
                base
            };
            // Each base remembers the last suffix it tried, so that many
            // headings with one text cost one try each, not one per earlier
            // heading.
            let next = suffixes.entry(base.clone()).or_insert(1);
            let mut unique = if *next == 1 {
                base.clone()
            } else {
                format!("{base}-{next}")
            };
            while !used.insert(unique.clone()) {
                *next += 1;
                unique = format!("{base}-{next}");
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(unique.clone()));
            }
            headings.push(Heading {
                level,
                id: unique,
                text,
            });
            i = j;
        }
        i += 1;
    }
    headings
}

/// An anchor from a heading's text (see [`crate::slug`]).
pub fn slugify(text: &str) -> String {
    crate::slug::slug(text, crate::slug::Keep::Alphanumeric)
}
