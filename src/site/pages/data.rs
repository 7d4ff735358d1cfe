//! The data page: the downloads (every value, and per measure), what each
//! measure means and what every symbol in the tables and charts means.

use serde::Serialize;

use super::PageJob;
use super::context::BaseContext;
use crate::data::Status;
use crate::diagnostics::Diagnostic;
use crate::site::Site;

pub(super) fn pages(site: &Site, base: &BaseContext) -> Result<Vec<PageJob>, Vec<Diagnostic>> {
    let lang = site.config.language;
    let mut jobs = Vec::new();
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
    jobs.push(PageJob {
        path: "data/".into(),
        template: "data.html",
        ctx,
        charts: Vec::new(),
        in_sitemap: true,
    });
    Ok(jobs)
}
