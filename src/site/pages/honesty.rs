//! The honesty warnings of `insyn check` (see `docs/contract.md`, H7 and
//! H8), found on the pages' jobs before they are rendered.

use super::PageJob;
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::site::reports::ReportInfo;

/// The honesty checks of `insyn check` (H7, H8): every chart block whose
/// chart reverses a trend, hides a series break or stops short of the data
/// (located at the block), and a report without limitations of its own.
pub(super) fn honesty_warnings(
    site: &Site,
    reports: &[ReportInfo],
    jobs: &[PageJob],
) -> Vec<Diagnostic> {
    let mut warnings: Vec<Diagnostic> = Vec::new();
    for chart in jobs.iter().flat_map(|j| &j.charts) {
        let at = |message: &str| {
            let d = match chart.origin() {
                Some((file, line)) => Diagnostic::warning(file, message).at_line(line),
                None => Diagnostic::warning(format!("charts/{}", chart.slug()), message),
            };
            if message.contains("series break") {
                d.help("start the chart before the break, or say in the text that the definition changed")
            } else if message.contains("continues to") {
                d.help("end the chart at the report's period, or remove `to`")
            } else {
                d.help("show the full series, or say in the text why this window was chosen")
            }
        };
        for w in chart.honesty_warnings() {
            let d = at(w);
            let seen = warnings
                .iter()
                .any(|x| x.file == d.file && x.line == d.line && x.message == d.message);
            if !seen {
                warnings.push(d);
            }
        }
    }
    for r in reports {
        let f = &site.content[r.index];
        if f.front.limitations.is_empty() {
            warnings.push(
                Diagnostic::warning(&f.file, "the report states no limitations of its own")
                    .at_line(1)
                    .help("add `limitations = [\"…\"]` to the front matter: what the figures cannot tell, in your words"),
            );
        }
    }
    warnings
}
