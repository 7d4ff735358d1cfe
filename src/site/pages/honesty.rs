//! The honesty warnings of `insyn check` (see `docs/contract.md`, H7 and
//! H8), found on the charts of the pages.

use crate::chart::Chart;
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::site::reports::ReportInfo;

/// The honesty checks of `insyn check` (H7, H8): every chart block whose
/// chart reverses a trend, hides a series break or stops short of the data
/// (located at the block), and a report without limitations of its own.
/// Charts are added as their pages are made; each warning is given once.
#[derive(Default)]
pub(super) struct HonestyWarnings {
    warnings: Vec<Diagnostic>,
    seen: std::collections::HashSet<(std::path::PathBuf, Option<usize>, String)>,
}

impl HonestyWarnings {
    /// The warnings of a chart a page shows.
    pub(super) fn add_chart(&mut self, chart: &Chart) {
        for w in chart.honesty_warnings() {
            let d = chart_warning(chart, w);
            let key = (d.file.clone(), d.line, d.message.clone());
            if self.seen.insert(key) {
                self.warnings.push(d);
            }
        }
    }

    /// Every warning: the charts', then each report's without limitations.
    pub(super) fn finish(mut self, site: &Site, reports: &[ReportInfo]) -> Vec<Diagnostic> {
        for r in reports {
            let f = &site.content[r.index];
            if f.front.limitations.is_empty() {
                self.warnings.push(
                    Diagnostic::warning(&f.file, "the report states no limitations of its own")
                        .at_line(1)
                        .help("add `limitations = [\"…\"]` to the front matter: what the figures cannot tell, in your words"),
                );
            }
        }
        self.warnings
    }
}

/// The warning `message` of `chart`, located at its block.
fn chart_warning(chart: &Chart, message: &str) -> Diagnostic {
    let d = match chart.origin() {
        Some((file, line)) => Diagnostic::warning(file, message).at_line(line),
        None => Diagnostic::warning(format!("charts/{}", chart.slug()), message),
    };
    if message.contains("series break") {
        d.help("start the chart before the break, or say in the text that the definition changed")
    } else if message.contains("a total among its parts") {
        d.help("take it out of `reference`; to compare with the whole, use a ratio such as cases per FTE")
    } else if message.contains("may stand otherwise now") {
        d.help("show the report's period (remove `period`), or say in the text that the ranking is of then")
    } else if message.contains("continues to") {
        d.help("end the chart at the report's period, or remove `to`")
    } else {
        d.help("show the full series, or say in the text why this window was chosen")
    }
}
