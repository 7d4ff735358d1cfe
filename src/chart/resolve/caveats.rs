//! What a chart says about its own values (H3, H5, H8, H9): series breaks,
//! provisional, missing, suppressed and uncomputable values, other status
//! symbols, the measures' own limitations and what a reference figure is.
//! Each as a limitation in the image and as a note a page states once.

use std::collections::{BTreeMap, BTreeSet};

use super::frame::{Builder, unit_display_name};
use crate::chart::model::{BreakMark, Cell, CompareRow, Line};
use crate::chart::notes::{
    Note, break_note, missing_note, provisional_note, status_note, suppressed_note,
    uncomputable_note,
};
use crate::data::{Dataset, Period, Status};
use crate::format::{self, lc_first, span_short, uc_first};
use crate::i18n::status_meaning;
use crate::text::Lang;

/// The most names a caveat lists for one span.
const MAX_LISTED: usize = 10;

/// The caveats of one chart, collected in the order the image lists them.
pub(super) struct Caveats {
    lang: Lang,
    limitations: Vec<String>,
    notes: Vec<Note>,
    breaks: Vec<BreakMark>,
    /// Every cell shown, with the label it is listed under.
    cells_seen: Vec<(Period, String, Cell)>,
}

/// Per unit and measure, for the page's notes: whose data it is.
type Whose = (String, String, String, String);

impl Caveats {
    pub fn new(lang: Lang) -> Caveats {
        Caveats {
            lang,
            limitations: Vec::new(),
            notes: Vec::new(),
            breaks: Vec::new(),
            cells_seen: Vec::new(),
        }
    }

    /// Breaks: a marked line per distinct period, notes in the limitations.
    /// `also` names measures whose breaks every plotted line shows too.
    pub fn breaks(
        &mut self,
        b: &Builder,
        lines: &[Line],
        also: &[&str],
        index_base: Option<Period>,
    ) {
        let lang = self.lang;
        let mut break_notes: BTreeMap<Period, Vec<(String, String, String)>> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        for l in lines.iter().filter(|l| l.plotted) {
            let mut ids = vec![l.measure.clone()];
            ids.extend(also.iter().map(|s| s.to_string()));
            for id in ids {
                for (p, note) in b.breaks_of(&id) {
                    if seen.insert((p, id.clone(), note.clone())) {
                        break_notes.entry(p).or_default().push((
                            id.clone(),
                            b.measure_label(&id),
                            note,
                        ));
                    }
                }
            }
        }
        for (i, (p, entries)) in break_notes.iter().enumerate() {
            let marker = ((b'A' + (i as u8 % 26)) as char).to_string();
            for (id, label, note) in entries {
                self.notes.push(break_note(id, label, note, *p, lang));
            }
            let what = entries
                .iter()
                .map(|(_, label, note)| {
                    format!("{}: {}", lc_first(label), note.trim_end_matches('.'))
                })
                .collect::<Vec<_>>()
                .join("; ");
            let ps = format::period_short(*p, lang);
            let mut text = lang.phrases().break_limitation(&marker, &ps, &what);
            if index_base.is_some() {
                text.push_str(lang.words().index_crosses_break);
            }
            self.breaks.push(BreakMark {
                period: *p,
                marker,
                note: text.clone(),
            });
            self.limitations.push(text);
        }
    }

    /// Notes a cell for [`Caveats::statuses`], which says nothing of a final
    /// number: those (nearly every cell of a chart) are not kept.
    fn see(&mut self, period: Period, label: &str, cell: Cell) {
        if !matches!(cell, Cell::Num(_, Status::Final)) {
            self.cells_seen.push((period, label.to_string(), cell));
        }
    }

    /// The cells of a compare chart's rows: one period, a unit per row.
    pub fn rows(&mut self, lines: &[Line], rows: &[CompareRow], period: Period) {
        let (m, label) = lines
            .first()
            .map(|l| (l.measure.clone(), lc_first(&l.label)))
            .unwrap_or_default();
        let mut per_series: BTreeMap<(u8, Whose), BTreeSet<Period>> = BTreeMap::new();
        for r in rows {
            self.see(period, &r.name, r.cell);
            if let Some(kind) = gap_kind(r.cell) {
                let whose = (r.unit.clone(), r.name.clone(), m.clone(), label.clone());
                per_series.entry((kind, whose)).or_default().insert(period);
            }
        }
        self.gap_notes(per_series);
    }

    /// The cells of a chart over time: every line of the unit.
    pub fn lines(&mut self, lines: &[Line], periods: &[Period], unit_name: &str) {
        let mut per_series: BTreeMap<(u8, Whose), BTreeSet<Period>> = BTreeMap::new();
        for l in lines {
            // The label in a sentence, made once per line; who a gap is
            // of, made only for a gap.
            let label = lc_first(&l.label);
            for (p, c) in periods.iter().zip(&l.cells) {
                self.see(*p, &label, *c);
                if let Some(kind) = gap_kind(*c) {
                    let whose = (
                        l.unit.clone(),
                        unit_name.to_string(),
                        l.measure.clone(),
                        label.clone(),
                    );
                    per_series.entry((kind, whose)).or_default().insert(*p);
                }
            }
        }
        self.gap_notes(per_series);
    }

    fn gap_notes(&mut self, per_series: BTreeMap<(u8, Whose), BTreeSet<Period>>) {
        for ((kind, (u, uname, m, label)), ps) in per_series {
            self.notes.push(if kind == 0 {
                missing_note(&u, &uname, &m, &label, ps, self.lang)
            } else {
                uncomputable_note(&u, &uname, &m, &label, ps, self.lang)
            });
        }
    }

    /// Status caveats of the cells seen, collected per kind then period.
    /// `whose` names the unit of missing periods (not for a compare chart,
    /// whose rows are units).
    pub fn statuses(&mut self, below: u32, whose: Option<&str>) {
        let lang = self.lang;
        let mut prov: BTreeMap<Period, BTreeSet<String>> = BTreeMap::new();
        let mut missing: BTreeMap<Period, BTreeSet<String>> = BTreeMap::new();
        let mut suppressed: BTreeMap<Period, BTreeSet<String>> = BTreeMap::new();
        let mut uncomputable: BTreeMap<Period, BTreeSet<String>> = BTreeMap::new();
        let mut symbols: BTreeMap<(Status, Period), BTreeSet<String>> = BTreeMap::new();
        for (p, label, c) in std::mem::take(&mut self.cells_seen) {
            match c {
                Cell::Num(_, Status::Provisional) => {
                    prov.entry(p).or_default().insert(label);
                }
                Cell::Num(_, Status::Final) => {}
                Cell::Num(_, s) | Cell::Symbol(s) => {
                    symbols.entry((s, p)).or_default().insert(label);
                }
                Cell::Missing => {
                    missing.entry(p).or_default().insert(label);
                }
                Cell::Suppressed { .. } => {
                    suppressed.entry(p).or_default().insert(label);
                }
                Cell::Uncomputable => {
                    uncomputable.entry(p).or_default().insert(label);
                }
            }
        }
        let listed = |m: &BTreeMap<Period, BTreeSet<String>>| listed(m, lang);
        let phrases = lang.phrases();
        if !prov.is_empty() {
            self.limitations
                .push(phrases.provisional_limitation(&listed(&prov)));
            self.notes
                .push(provisional_note(prov.keys().copied(), lang));
        }
        if !missing.is_empty() {
            self.limitations
                .push(phrases.missing_limitation(whose, &listed(&missing)));
        }
        if !suppressed.is_empty() {
            self.notes.push(suppressed_note(below, lang));
            self.limitations
                .push(phrases.suppressed_limitation(below, &listed(&suppressed)));
        }
        if !uncomputable.is_empty() {
            self.limitations
                .push(phrases.uncomputable_limitation(&listed(&uncomputable)));
        }
        let mut by_status: BTreeMap<Status, BTreeMap<Period, BTreeSet<String>>> = BTreeMap::new();
        for ((s, p), labels) in symbols {
            by_status.entry(s).or_default().insert(p, labels);
        }
        for (s, m) in &by_status {
            self.notes.push(status_note(*s, m.keys().copied(), lang));
            self.limitations.push(format!(
                "{} ({}): {}.",
                uc_first(status_meaning(*s, lang)),
                s.symbol(),
                listed(m)
            ));
        }
    }

    /// The limitations the measures file gives the measures drawn.
    pub fn measures_own(&mut self, data: &Dataset, ids: &[String]) {
        let mut own = BTreeSet::new();
        for id in ids {
            if let Some(m) = data.measure(id) {
                for l in &m.limitations {
                    let text = format!("{}: {}", m.label.get(self.lang), l.get(self.lang));
                    if own.insert(text.clone()) {
                        self.limitations.push(text);
                    }
                }
            }
        }
    }

    /// Caveats of the chart type's own.
    pub fn extend(&mut self, limitations: Vec<String>, notes: Vec<Note>) {
        self.limitations.extend(limitations);
        self.notes.extend(notes);
    }

    /// What a reference figure is (an unweighted mean of a group, …), where
    /// the units file says so.
    pub fn references(&mut self, data: &Dataset, reference: &[String]) {
        for r in reference {
            if let Some(note) = data.units.references.get(r).and_then(|x| x.note.as_ref()) {
                self.limitations.push(format!(
                    "{}: {}",
                    unit_display_name(data, r),
                    note.get(self.lang)
                ));
            }
        }
    }

    /// The limitations, the notes and the break marks.
    pub fn finish(self) -> (Vec<String>, Vec<Note>, Vec<BreakMark>) {
        (self.limitations, self.notes, self.breaks)
    }
}

/// A gap the page's notes name per series: 0 missing, 1 uncomputable.
fn gap_kind(cell: Cell) -> Option<u8> {
    match cell {
        Cell::Missing => Some(0),
        Cell::Uncomputable => Some(1),
        _ => None,
    }
}

/// The periods and names of one kind of caveat. Consecutive periods with
/// the same names read as one span: `K1 2016–K4 2017 (placerade barn)`,
/// not eight entries in a row.
fn listed(m: &BTreeMap<Period, BTreeSet<String>>, lang: Lang) -> String {
    let mut runs: Vec<(Period, Period, &BTreeSet<String>)> = Vec::new();
    for (p, labels) in m {
        match runs.last_mut() {
            Some((_, last, same)) if last.next() == *p && *same == labels => *last = *p,
            _ => runs.push((*p, *p, labels)),
        }
    }
    runs.iter()
        .map(|(from, to, labels)| {
            // A compare chart over many units would name hundreds of
            // them here: past a few, the count, the table marks each.
            let which = if labels.len() > MAX_LISTED {
                lang.phrases().many_units(labels.len())
            } else {
                labels.iter().cloned().collect::<Vec<_>>().join(", ")
            };
            format!("{} ({which})", span_short(*from, *to, lang))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
