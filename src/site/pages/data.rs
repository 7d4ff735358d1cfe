//! The data page: the downloads (every value, and per measure), what each
//! measure means and what every symbol in the tables and charts means.

use serde::Serialize;

use super::context::BaseContext;
use super::{PageJob, PageMaker, later};
use crate::data::Status;
use crate::site::Site;

pub(super) fn pages<'a>(site: &'a Site, base: &'a BaseContext) -> Vec<PageMaker<'a>> {
    vec![later(move || Ok(page(site, base)))]
}

fn page(site: &Site, base: &BaseContext) -> PageJob {
    let lang = site.config.language;
    let measure_links = super::measures::links(site);
    #[derive(Serialize)]
    struct Download {
        label: String,
        file: String,
    }
    let mut ctx = base.context("data/", lang.words().data, "");
    ctx.insert("full_csv", crate::site::feeds::FULL_CSV);
    let per_measure: Vec<Download> = site
        .data
        .measures
        .measures
        .values()
        .map(|m| Download {
            label: m.label.get(lang).to_string(),
            file: format!("{}.csv", m.id),
        })
        .collect();
    ctx.insert("per_measure", &per_measure);
    ctx.insert("measures", &measure_links);
    let below = site.config.privacy.suppress_below;
    let mut symbols: Vec<(String, String)> = Status::EXPLAINED
        .iter()
        .map(|s| {
            (
                s.symbol().to_string(),
                crate::i18n::status_meaning(*s, lang).to_string(),
            )
        })
        .collect();
    symbols.push((
        format!("<{below}"),
        lang.phrases().small_counts_symbol(below),
    ));
    ctx.insert("symbols", &symbols);
    PageJob {
        path: "data/".into(),
        template: "data.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: true,
    }
}
