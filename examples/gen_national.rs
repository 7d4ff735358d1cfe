//! Writes a national-scale insyn site (§8) for the performance benchmark:
//! 290 municipalities (× `--scale N`, or exactly `--units N`) in 21 regions, 40 quarters
//! (2016Q1–2025Q4), 12 measures (two of them derived ratios), CSV files in
//! long and wide shape (one Windows-1252 with semicolons and decimal commas),
//! and a report per quarter with chart blocks and inline figures.
//!
//! `cargo run --release --example gen_national -- DIR [--scale N | --units N] [--quarters Q]`
//!
//! `--units 10000` makes the stress site of the scale issue: more units than
//! the name generator has distinct names, so past that point names get a
//! district suffix ("Nyköping norra 2"). Sites of up to a few thousand units
//! are byte-identical to those generated before `--units` existed.
//!
//! `--quarters Q` writes only the first Q quarters (data and reports) of the
//! same series, with the last of them provisional: the site as it stood Q
//! quarters in, for publishing edition after edition (`bench/editions.sh`).
//!
//! The output is deterministic: a seeded xorshift generator, no clock, no
//! randomness from the system. The data has what real data has: a
//! definition change (series break), missing quarters, values not available,
//! a provisional last quarter, small units (under 3 FTE) and small counts.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// xorshift64*: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in [0, 1).
    fn f(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f()
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const FIRST_YEAR: i32 = 2016;
const YEARS: i32 = 10;
const QUARTERS: usize = (YEARS * 4) as usize;
/// Weighted workload and capacity are measured from this quarter index (2019Q1).
const WORKLOAD_FROM: usize = 12;
/// The definition change of open cases (2021Q1).
const BREAK_AT: usize = 20;

const REGIONS: [&str; 21] = [
    "Stockholm",
    "Uppsala",
    "Södermanland",
    "Östergötland",
    "Jönköping",
    "Kronoberg",
    "Kalmar",
    "Gotland",
    "Blekinge",
    "Skåne",
    "Halland",
    "Västra Götaland",
    "Värmland",
    "Örebro",
    "Västmanland",
    "Dalarna",
    "Gävleborg",
    "Västernorrland",
    "Jämtland",
    "Västerbotten",
    "Norrbotten",
];

const HEADS: &[&str] = &[
    "Ny", "Ås", "Berg", "Sunds", "Lill", "Stor", "Väster", "Öster", "Norr", "Söder", "Kungs",
    "Tran", "Mal", "Eks", "Hall", "Lin", "Fal", "Kris", "Sand", "Hög", "Bor", "Ljus", "Mör", "Ale",
    "Vim", "Skog", "Strö", "Tor", "Åre", "Orsa", "Älv", "Hed", "Kal", "Gran", "Ulri", "Vad",
    "Mark", "Rätt", "Sala", "Tids",
];
const MIDDLES: &[&str] = &["", "", "", "e", "a", "s", "ne", "sta", "vi", "kö"];
const TAILS: &[&str] = &[
    "köping", "sala", "vik", "berg", "holm", "by", "stad", "torp", "hamn", "ryd", "näs", "fors",
    "sjö", "dal", "åsa", "lund", "hult", "bo", "ås", "sund", "backa", "ö", "mo", "heden", "vara",
];

/// A unit id from a name: lower case, a–z, 0–9 and `-`.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'å' | 'ä' | 'Å' | 'Ä' => 'a',
            'ö' | 'Ö' => 'o',
            'é' | 'É' => 'e',
            ' ' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

struct Unit {
    id: String,
    name: String,
    region: usize,
    /// Under 3 FTE: never published on its own.
    small: bool,
    /// Open cases at the start.
    size: f64,
    /// Growth of cases and staff per quarter.
    case_growth: f64,
    staff_growth: f64,
    cases_per_fte: f64,
    consultants: f64,
}

/// District suffixes for names once the plain names run out.
const DISTRICTS: &[&str] = &[
    "norra", "södra", "östra", "västra", "centrum", "övre", "nedre",
];

/// After this many draws in a row that gave a name already taken, the plain
/// names are (nearly) used up: further names get a district suffix.
const EXHAUSTED_AFTER: usize = 1000;

fn units(n: usize, rng: &mut Rng) -> Vec<Unit> {
    let mut names = BTreeSet::new();
    let mut ids = BTreeSet::new();
    let mut out = Vec::with_capacity(n);
    let mut taken_in_a_row = 0;
    let mut suffixed = 0usize;
    while out.len() < n {
        let mut name = format!(
            "{}{}{}",
            rng.pick(HEADS),
            rng.pick(MIDDLES),
            rng.pick(TAILS)
        );
        // Names such as "Ny" + "ås" read better with the tail in lower case
        // already; capitalise only the first letter.
        let mut chars = name.chars();
        if let Some(first) = chars.next() {
            name = first.to_uppercase().chain(chars).collect();
        }
        if taken_in_a_row >= EXHAUSTED_AFTER {
            let district = DISTRICTS[suffixed % DISTRICTS.len()];
            name = format!("{name} {district} {}", suffixed / DISTRICTS.len() + 1);
            suffixed += 1;
        }
        let id = slug(&name);
        if names.contains(&name) || ids.contains(&id) {
            taken_in_a_row += 1;
            continue;
        }
        taken_in_a_row = 0;
        names.insert(name.clone());
        ids.insert(id.clone());
        let i = out.len();
        let small = i % 58 == 17;
        // Log-uniform size: from a village to a city.
        let size = if small {
            rng.range(5.0, 12.0)
        } else {
            (rng.range(3.5f64.ln(), 3000f64.ln())).exp() + 40.0
        };
        out.push(Unit {
            id,
            name,
            region: rng.below(REGIONS.len()),
            small,
            size,
            case_growth: rng.range(-0.002, 0.012),
            staff_growth: rng.range(-0.003, 0.006),
            cases_per_fte: if small {
                rng.range(4.0, 6.0)
            } else {
                rng.range(22.0, 40.0)
            },
            consultants: if rng.f() < 0.3 {
                rng.range(0.05, 0.2)
            } else {
                0.0
            },
        });
    }
    out
}

/// Everything one unit reports in one quarter; `None` is a gap.
#[derive(Clone, Copy)]
struct Row {
    open: Option<f64>,
    new: f64,
    closed: f64,
    staff: f64,
    consultants: f64,
    workload: Option<f64>,
    capacity: Option<f64>,
    within_4: Option<f64>,
    wait: Option<f64>,
    placements: f64,
}

fn series(u: &Unit, rng: &mut Rng) -> Vec<Row> {
    let mut rows = Vec::with_capacity(QUARTERS);
    let staff0 = (u.size / u.cases_per_fte).max(if u.small { 1.5 } else { 3.5 });
    for q in 0..QUARTERS {
        let t = q as f64;
        let season = 1.0 + 0.03 * ((t * std::f64::consts::FRAC_PI_2).sin());
        let mut open = u.size * (1.0 + u.case_growth).powf(t) * season * rng.range(0.96, 1.04);
        if q >= BREAK_AT {
            open *= 1.12;
        }
        let mut staff = staff0 * (1.0 + u.staff_growth).powf(t) * rng.range(0.98, 1.02);
        if u.small {
            staff = staff.min(2.6);
        }
        let consultants = if u.consultants > 0.0 && q >= 8 {
            staff * u.consultants * rng.range(0.7, 1.3)
        } else {
            0.0
        };
        let new = open * rng.range(0.25, 0.35);
        let closed = new * rng.range(0.88, 1.02);
        let workload = (q >= WORKLOAD_FROM).then(|| open * rng.range(2.9, 3.4));
        let capacity = (q >= WORKLOAD_FROM).then_some((staff + consultants) * 55.0 * 0.92);
        let within_4 = (rng.f() > 0.02).then(|| rng.range(40.0, 97.0));
        let wait = (rng.f() > 0.02).then(|| rng.range(8.0, 70.0));
        let placements = open * rng.range(0.02, 0.07);
        // About one unit-quarter in 150 is missing from the extract.
        let open = (rng.f() > 0.007).then_some(open);
        rows.push(Row {
            open,
            new,
            closed,
            staff,
            consultants,
            workload,
            capacity,
            within_4,
            wait,
            placements,
        });
    }
    rows
}

fn period(q: usize) -> (i32, usize) {
    (FIRST_YEAR + (q / 4) as i32, q % 4 + 1)
}

fn write(path: PathBuf, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Windows-1252 bytes of text that only uses Latin-1 letters.
fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            let n = c as u32;
            assert!(
                n < 0x80 || (0xA0..0x100).contains(&n),
                "not in Windows-1252: {c}"
            );
            n as u8
        })
        .collect()
}

/// `1 234,5` with a no-break space: a Swedish spreadsheet's number.
fn swedish(n: f64, decimals: usize) -> String {
    let s = format!("{n:.decimals$}");
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s, None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{grouped},{f}"),
        None => grouped,
    }
}

/// The site's configuration; the data was extracted on the 12th of the
/// month after its last quarter (2026-01-12 for the full 40 quarters), so
/// each edition of `--quarters` carries its own data date, as a real one would.
fn site_toml(quarters: usize) -> String {
    let (y, k) = period(quarters - 1);
    let extracted = if k == 4 {
        format!("{}-01-12", y + 1)
    } else {
        format!("{y}-{:02}-12", k * 3 + 1)
    };
    r#"title = "Socialtjänsten i Sverige"
organisation = "Nationella socialtjänststatistiken (fiktiv)"
base_url = "https://insyn.example.org/"
language = "sv"
theme = "default"
description = "Ärenden, bemanning och arbetsbelastning i landets socialtjänster, kvartal för kvartal. Ett fiktivt exempel i nationell skala."

[privacy]
suppress_below = 5
min_unit_fte = 3.0

[source]
name = "Kommunernas verksamhetssystem och personalsystem, uttag per kvartalets sista dag"
contact = "statistik@insyn.example.org"
extracted = EXTRACTED

[publication]
next = [2026-04-21, 2026-07-14]

[headline]
caseload = "open_cases"
staffing = "staff_fte"
"#
    .replace("EXTRACTED", &extracted)
}

fn measures_toml() -> String {
    let m = |id: &str, label: &str, unit: &str, kind: &str, role: &str, cols: &str, def: &str| {
        format!(
            "[measures.{id}]\nlabel = \"{label}\"\nunit = \"{unit}\"\nkind = \"{kind}\"\nrole = \"{role}\"\ncolumns = [{cols}]\ndefinition = \"{def}\"\nlimitations = [\"Kommunerna registrerar på olika sätt; jämför med försiktighet.\"]\n\n"
        )
    };
    let mut s = String::new();
    s.push_str(&m(
        "open_cases",
        "Aktuella ärenden",
        "count",
        "stock",
        "caseload",
        "\"aktuella_arenden\"",
        "Ärenden som är öppna den sista dagen i kvartalet.",
    ));
    s.push_str("[[measures.open_cases.breaks]]\nperiod = \"2021Q1\"\nnote = \"Ny definition: ett ärende räknas som aktuellt redan när anmälan registreras.\"\n\n");
    s.push_str(&m(
        "new_cases",
        "Nya ärenden",
        "count",
        "flow",
        "caseload",
        "\"nya_arenden\"",
        "Ärenden som registrerats under kvartalet.",
    ));
    s.push_str(&m(
        "closed_cases",
        "Avslutade ärenden",
        "count",
        "flow",
        "other",
        "\"avslutade_arenden\"",
        "Ärenden som avslutats under kvartalet.",
    ));
    s.push_str(&m(
        "staff_fte",
        "Årsarbetare",
        "fte",
        "stock",
        "staffing",
        "\"arsarbetare\", \"Årsarbetare\"",
        "Anställda handläggare omräknade till heltider.",
    ));
    s.push_str(&m(
        "consultant_fte",
        "Konsulter (årsarbetare)",
        "fte",
        "stock",
        "staffing",
        "\"konsulter\", \"Konsulter\"",
        "Inhyrda socialsekreterare omräknade till heltider.",
    ));
    s.push_str(&m(
        "weighted_workload",
        "Viktad arbetsbelastning",
        "points",
        "stock",
        "workload",
        "\"viktad_arbetsbelastning\", \"Viktad arbetsbelastning\"",
        "Poäng för alla aktuella ärenden efter de aktiviteter de kräver. Mäts från 2019.",
    ));
    s.push_str(&m(
        "adjusted_capacity",
        "Justerad kapacitet",
        "points",
        "stock",
        "capacity",
        "\"justerad_kapacitet\", \"Justerad kapacitet\"",
        "Hur mycket arbete enheten räknas klara, i samma poäng. Mäts från 2019.",
    ));
    s.push_str(&m(
        "investigations_within_4_months",
        "Utredningar klara inom fyra månader",
        "percent",
        "flow",
        "indicator",
        "\"andel_inom_4_man\"",
        "Andel av de avslutade utredningarna som blev klara inom fyra månader.",
    ));
    s.push_str(&m(
        "wait_days",
        "Väntetid till första besök",
        "days",
        "stock",
        "indicator",
        "\"vantetid_dagar\"",
        "Median antal dagar från ansökan till första besök.",
    ));
    s.push_str(&m(
        "placements",
        "Placerade barn",
        "count",
        "stock",
        "other",
        "\"placeringar\"",
        "Barn och unga placerade utanför hemmet den sista dagen i kvartalet.",
    ));
    s.push_str("[measures.cases_per_fte]\nlabel = \"Ärenden per årsarbetare\"\nunit = \"ratio\"\nratio = [\"open_cases\", \"staff_fte\"]\ndefinition = \"Aktuella ärenden delat med anställda årsarbetare. Ett genomsnitt, inte en enskild handläggares ärenden.\"\n\n");
    s.push_str("[measures.new_cases_per_fte]\nlabel = \"Nya ärenden per årsarbetare\"\nunit = \"ratio\"\nratio = [\"new_cases\", \"staff_fte\"]\ndefinition = \"Nya ärenden under kvartalet delat med anställda årsarbetare.\"\n");
    s
}

fn units_toml(units: &[Unit]) -> String {
    let mut s = String::from("# Generated by examples/gen_national.rs\n\n");
    for (i, r) in REGIONS.iter().enumerate() {
        writeln!(s, "[areas.region-{:02}]\nname = \"{r}\"\n", i + 1).unwrap();
    }
    for u in units {
        writeln!(
            s,
            "[units.{}]\nname = \"{}\"\narea = \"region-{:02}\"\n",
            u.id,
            u.name,
            u.region + 1
        )
        .unwrap();
    }
    s
}

/// The observation files: long UTF-8 with commas, wide Windows-1252 with
/// semicolons, wide UTF-8 with BOM and tabs, long UTF-8 with semicolons.
fn csv_files(root: &Path, units: &[Unit], data: &[Vec<Row>], quarters: usize) {
    let last = quarters - 1;
    let mut arenden = String::from("period,unit,measure,value,status\n");
    let mut bemanning = String::from("Kvartal;Enhet;Årsarbetare;Konsulter\r\n");
    let mut belastning =
        String::from("\u{feff}Kvartal\tEnhet\tViktad arbetsbelastning\tJusterad kapacitet\n");
    let mut indikatorer = String::from("Kvartal;Enhet;Mått;Värde;Status\n");
    for q in 0..quarters {
        let (y, k) = period(q);
        let p = if q == last { "p" } else { "" };
        let ps = if q == last { " p" } else { "" };
        for (u, rows) in units.iter().zip(data) {
            let r = rows[q];
            if let Some(open) = r.open {
                writeln!(arenden, "{y}Q{k},{},open_cases,{:.0},{p}", u.id, open).unwrap();
            }
            writeln!(arenden, "{y}Q{k},{},new_cases,{:.0},{p}", u.id, r.new).unwrap();
            writeln!(arenden, "{y}Q{k},{},closed_cases,{:.0},{p}", u.id, r.closed).unwrap();
            write!(
                bemanning,
                "Kv{k} {y};{};{}{ps};{}{ps}\r\n",
                u.name,
                swedish(r.staff, 1),
                swedish(r.consultants, 1)
            )
            .unwrap();
            if let (Some(w), Some(c)) = (r.workload, r.capacity) {
                writeln!(
                    belastning,
                    "{y}-Q{k}\t{}\t{}{ps}\t{}{ps}",
                    u.id,
                    swedish(w, 1),
                    swedish(c, 1)
                )
                .unwrap();
            }
            let ind = |s: &mut String, m: &str, v: Option<f64>, d: usize| match v {
                Some(v) => writeln!(s, "{y}K{k};{};{m};{};{p}", u.id, swedish(v, d)).unwrap(),
                None => writeln!(s, "{y}K{k};{};{m};;..", u.id).unwrap(),
            };
            ind(
                &mut indikatorer,
                "investigations_within_4_months",
                r.within_4,
                1,
            );
            ind(&mut indikatorer, "wait_days", r.wait, 0);
            ind(&mut indikatorer, "placements", Some(r.placements), 0);
        }
    }
    let data_dir = root.join("data");
    write(data_dir.join("arenden.csv"), arenden.as_bytes());
    write(data_dir.join("bemanning.csv"), &windows_1252(&bemanning));
    write(data_dir.join("arbetsbelastning.csv"), belastning.as_bytes());
    write(data_dir.join("indikatorer.csv"), indikatorer.as_bytes());
}

fn report(q: usize, featured: &Unit, other: &Unit) -> String {
    let (y, k) = period(q);
    let p = format!("{y}Q{k}");
    let (dy, dm) = if k == 4 { (y + 1, 1) } else { (y, k * 3 + 1) };
    let u = &featured.id;
    let name = &featured.name;
    let mut s = String::new();
    writeln!(
        s,
        "+++\ntitle = \"Kvartal {k} {y}: ärenden och bemanning i landets socialtjänster\"\nperiod = \"{p}\"\ndate = {dy}-{dm:02}-20\nsummary = \"Nya siffror för kvartal {k} {y}. I fokus: {name}.\"\nauthor = \"Redaktionen\"\nlimitations = [\n  \"Kommunerna registrerar ärenden på olika sätt. Jämför nivåer mellan kommuner med försiktighet.\",\n  \"Siffrorna för det senaste kvartalet är preliminära.\",\n]\n+++\n"
    )
    .unwrap();
    s.push_str("## Det viktigaste i korthet\n\n");
    writeln!(
        s,
        "- I slutet av kvartalet hade {name} {{{{ value(measure=\"open_cases\", unit=\"{u}\", period=\"{p}\") }}}} aktuella ärenden och {{{{ value(measure=\"staff_fte\", unit=\"{u}\", period=\"{p}\") }}}} årsarbetare."
    )
    .unwrap();
    writeln!(
        s,
        "- Det gick {{{{ value(measure=\"cases_per_fte\", unit=\"{u}\", period=\"{p}\") }}}} ärenden på varje årsarbetare."
    )
    .unwrap();
    writeln!(
        s,
        "- {} fick {{{{ value(measure=\"new_cases\", unit=\"{}\", period=\"{p}\") }}}} nya ärenden.",
        other.name, other.id
    )
    .unwrap();
    if q >= 4 {
        let (fy, fk) = period(q - 4);
        writeln!(
            s,
            "- På ett år har ärendena i {name} förändrats med {{{{ change(measure=\"open_cases\", unit=\"{u}\", from=\"{fy}Q{fk}\", to=\"{p}\") }}}} och årsarbetarna med {{{{ change(measure=\"staff_fte\", unit=\"{u}\", from=\"{fy}Q{fk}\", to=\"{p}\") }}}}."
        )
        .unwrap();
    }
    if q >= 1 {
        writeln!(
            s,
            "- Sedan {FIRST_YEAR} har de nya ärendena i {} förändrats med {{{{ change(measure=\"new_cases\", unit=\"{}\", from=\"{FIRST_YEAR}Q1\", to=\"{p}\") }}}}.",
            other.name, other.id
        )
        .unwrap();
    }
    s.push('\n');
    let block = |s: &mut String, text: &str, spec: String| {
        writeln!(s, "{text}\n\n```chart\n{spec}```\n").unwrap();
    };
    s.push_str("## Ärenden och personal\n\n");
    block(
        &mut s,
        &format!("Ärenden och anställda i {name} som index, där det första kvartalet är 100."),
        format!(
            "type = \"growth\"\ncaseload = \"open_cases\"\nstaffing = \"staff_fte\"\nunit = \"{u}\"\n"
        ),
    );
    let from = q.saturating_sub(8);
    let (fy, fk) = period(from);
    block(
        &mut s,
        "Ärenden per årsarbetare de senaste två åren.",
        format!(
            "type = \"per_fte\"\nmeasure = \"cases_per_fte\"\nunit = \"{u}\"\nfrom = \"{fy}Q{fk}\"\n"
        ),
    );
    block(
        &mut s,
        "Anställda och inhyrda.",
        format!(
            "type = \"series\"\nmeasures = [\"staff_fte\", \"consultant_fte\"]\nunit = \"{u}\"\n"
        ),
    );
    block(
        &mut s,
        "Nya ärenden per kvartal.",
        format!(
            "type = \"bars\"\nmeasure = \"new_cases\"\nunit = \"{}\"\nfrom = \"{fy}Q{fk}\"\n",
            other.id
        ),
    );
    if q > WORKLOAD_FROM {
        block(
            &mut s,
            "Viktad arbetsbelastning mot justerad kapacitet.",
            format!(
                "type = \"workload\"\nworkload = \"weighted_workload\"\ncapacity = \"adjusted_capacity\"\nunit = \"{u}\"\n"
            ),
        );
    }
    s.push_str("## Alla kommuner\n\n");
    block(
        &mut s,
        "Ärenden per årsarbetare i alla kommuner som redovisas för sig. Ett högre tal betyder inte att en kommun arbetar sämre.",
        format!(
            "type = \"compare\"\nmeasure = \"cases_per_fte\"\nunit = \"{u}\"\nperiod = \"{p}\"\n"
        ),
    );
    block(
        &mut s,
        "Andel utredningar klara inom fyra månader.",
        format!(
            "type = \"compare\"\nmeasure = \"investigations_within_4_months\"\nperiod = \"{p}\"\n"
        ),
    );
    s.push_str("## Vad siffrorna inte visar\n\nSiffrorna visar hur mycket arbete som finns, inte om hjälpen var rätt. Läs mer i [Om statistiken](/om-statistiken/).\n");
    s
}

fn content(root: &Path, units: &[Unit], quarters: usize) {
    let c = root.join("content");
    let published: Vec<&Unit> = units.iter().filter(|u| !u.small).collect();
    let first = published[0];
    let (ly, lk) = period(quarters - 1);
    let end = if lk == 4 {
        ly.to_string()
    } else {
        format!("kvartal {lk} {ly}")
    };
    write(
        c.join("_index.md"),
        format!(
            "+++\ntitle = \"Socialtjänsten i Sverige\"\n+++\n\nÄrenden och bemanning i landets {} kommuner, kvartal för kvartal sedan {FIRST_YEAR}.\n\nI {} fanns {{{{ value(measure=\"open_cases\", unit=\"{}\", period=\"{ly}Q{lk}\") }}}} aktuella ärenden i slutet av {end}.\n",
            units.len(),
            first.name,
            first.id
        )
        .as_bytes(),
    );
    write(
        c.join("om-statistiken.md"),
        "+++\ntitle = \"Om statistiken\"\n+++\n\n## Källor\n\nSiffrorna kommer från kommunernas verksamhetssystem.\n\n## Små kommuner\n\nKommuner med färre än tre årsarbetare redovisas inte för sig.\n".as_bytes(),
    );
    write(
        c.join("rapporter/_index.md"),
        "+++\ntitle = \"Rapporter\"\n+++\n\nEn rapport per kvartal. Den senaste står först.\n"
            .as_bytes(),
    );
    for q in 0..quarters {
        let (y, k) = period(q);
        let featured = published[(q * 37) % published.len()];
        let other = published[(q * 53 + 11) % published.len()];
        write(
            c.join(format!("rapporter/{y}-q{k}.md")),
            report(q, featured, other).as_bytes(),
        );
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let mut units = 290usize;
    let mut quarters = QUARTERS;
    let positive = |v: Option<String>, what: &str| -> usize {
        v.and_then(|s| s.parse().ok())
            .filter(|n| *n >= 1)
            .unwrap_or_else(|| panic!("{what} needs a positive whole number"))
    };
    const USAGE: &str = "usage: gen_national DIR [--scale N | --units N] [--quarters Q]";
    while let Some(a) = args.next() {
        match a.as_str() {
            "--scale" => units = 290 * positive(args.next(), "--scale"),
            "--units" => units = positive(args.next(), "--units"),
            "--quarters" => {
                quarters = positive(args.next(), "--quarters");
                assert!(
                    quarters <= QUARTERS,
                    "--quarters needs a whole number from 1 to 40"
                );
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            // An unknown option is not a folder to write a site into.
            _ if a.starts_with('-') => panic!("unknown option `{a}`\n{USAGE}"),
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => panic!("{USAGE}"),
        }
    }
    let root = dir.expect(USAGE);
    let (units, observations) = generate_until(&root, units, quarters);
    println!(
        "{}: {units} units, {quarters} quarters, 12 measures, {quarters} reports, {observations} observations",
        root.display(),
    );
}

/// Writes a site of `n` units into `root` (replacing its `data/` and
/// `content/`); returns the number of units and of observations.
pub fn generate(root: &Path, n: usize) -> (usize, usize) {
    generate_until(root, n, QUARTERS)
}

/// [`generate`], writing only the first `quarters` quarters of the series
/// (the same values as the full site's).
pub fn generate_until(root: &Path, n: usize, quarters: usize) -> (usize, usize) {
    for sub in ["data", "content"] {
        let _ = std::fs::remove_dir_all(root.join(sub));
    }
    let mut rng = Rng::new(2016);
    let units = units(n, &mut rng);
    let data: Vec<Vec<Row>> = units.iter().map(|u| series(u, &mut rng)).collect();
    write(root.join("site.toml"), site_toml(quarters).as_bytes());
    write(root.join("data/units.toml"), units_toml(&units).as_bytes());
    write(root.join("data/measures.toml"), measures_toml().as_bytes());
    csv_files(root, &units, &data, quarters);
    content(root, &units, quarters);
    let observations: usize = data
        .iter()
        .map(|rows| {
            rows.iter()
                .take(quarters)
                .map(|r| {
                    // Indicators that are not available are rows with `..`.
                    7 + r.open.is_some() as usize
                        + r.workload.is_some() as usize
                        + r.capacity.is_some() as usize
                })
                .sum::<usize>()
        })
        .sum();
    (units.len(), observations)
}
