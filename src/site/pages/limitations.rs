//! The limitations section of a page: what its charts and figures computed,
//! what its measures' definitions say and what its author wrote.

use serde::Serialize;

use crate::site::Site;
use crate::site::limits::{Limitation, PageLimits};

#[derive(Serialize)]
pub(super) struct LimitationsView {
    computed: Vec<Limitation>,
    measures: Vec<Limitation>,
    author: Vec<Limitation>,
}

/// The page's limitations in three groups, numbered on from one group to
/// the next, so "5" means the same item wherever a mark says it.
pub(super) fn limitations_view(
    site: &Site,
    limits: &PageLimits,
    author: &[String],
) -> LimitationsView {
    let lang = site.config.language;
    let computed = limits.computed();
    let mut number = computed.len();
    let mut next = || {
        number += 1;
        number
    };
    let mut measures = Vec::new();
    for id in &limits.measures {
        let Some(m) = site.data.measure(id) else {
            continue;
        };
        for (i, l) in m.limitations.iter().enumerate() {
            measures.push(Limitation {
                id: format!("lim-measure-{}-{}", m.id, i + 1),
                text: format!("{}: {}", m.label.get(lang), l.get(lang)),
                number: next(),
            });
        }
    }
    let author = author
        .iter()
        .enumerate()
        .map(|(i, text)| Limitation {
            id: format!("lim-author-{}", i + 1),
            text: text.clone(),
            number: next(),
        })
        .collect();
    LimitationsView {
        computed,
        measures,
        author,
    }
}
