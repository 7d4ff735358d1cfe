//! Swedish: the site's default language.

use super::{Citation, Level, Movement, Phrases, Shift, Trend, Words, join, uc};

pub const WORDS: Words = Words {
    skip_to_content: "Hoppa till innehållet",
    main_navigation: "Huvudmeny",
    home: "Start",
    reports: "Rapporter",
    units: "Enheter",
    measures: "Mått och metod",
    data: "Data",
    about_statistics: "Om statistiken",
    accessibility: "Tillgänglighet",
    accessibility_statement: "Tillgänglighetsredogörelse",
    revisions: "Revideringar",
    latest_report: "Senaste rapporten",
    all_reports: "Alla rapporter",
    next_publication: "Nästa publicering",
    published: "Publicerad",
    period: "Period",
    contact: "Kontakt",
    author: "Författare",
    limitations: "Begränsningar",
    limitation: "begränsning",
    limitations_intro: "Det här behöver du veta för att läsa siffrorna rätt.",
    limitations_computed: "Om uppgifterna i den här rapporten",
    limitations_measures: "Om måtten",
    limitations_author: "Författarens kommentarer",
    previous_report: "Föregående rapport",
    next_report: "Nästa rapport",
    archive: "Arkiv",
    source: "Källa",
    data_extracted: "Data uttagen",
    chart_page: "Om diagrammet: data, nedladdning och källhänvisning",
    show_table: "Visa siffrorna som tabell",
    downloads: "Ladda ned",
    download_svg: "Diagrammet som SVG (skalbar bild)",
    download_png: "Diagrammet som PNG (för presentationer)",
    download_csv: "Uppgifterna i diagrammet som CSV",
    download_csv_excel: "Uppgifterna i diagrammet för Excel (CSV med semikolon och decimalkomma)",
    download_png_wide: "Bild för presentationer, 16:9 (PNG, 1920 × 1080 bildpunkter)",
    download_png_square: "Kvadratisk bild för sociala medier (PNG, 1080 × 1080 bildpunkter)",
    download_bundle: "Datapaket med beskrivning (ZIP)",
    cite: "Så hänvisar du till diagrammet",
    cite_short: "Kort",
    cite_long: "Fullständig",
    description: "Beskrivning",
    permalink: "Permanent adress",
    full_series: "Se hela tidsserien",
    window_note: "Diagrammet visar en del av tidsserien.",
    charts: "Diagram",
    area: "Område",
    unit: "Enhet",
    measure: "Mått",
    value: "Värde",
    definition: "Definition",
    kind: "Typ av mått",
    kind_stock: "Lägesmått: värdet vid kvartalets slut",
    kind_flow: "Flödesmått: summan under perioden",
    measure_unit: "Enhet för måttet",
    series_breaks: "Tidsseriebrott",
    derived_from: "Beräknas som",
    divided_by: "delat med",
    all_units: "Alla enheter",
    folded_units: "Små enheter redovisas inte separat",
    folded_note: "Enheten har för få anställda för att redovisas separat utan att enskilda kan pekas ut. Dess siffror ingår i",
    not_published_alone: "redovisas inte separat",
    how_to_read: "Så läser du siffrorna",
    page_not_found: "Sidan finns inte",
    page_not_found_text: "Sidan du söker finns inte, eller har flyttats.",
    go_home: "Till startsidan",
    symbols: "Teckenförklaring",
    footer_note: "Siffrorna visar omfattning, inte kvaliteten i det stöd som ges. Inga uppgifter redovisas per handläggare.",
    made_with: "Byggd med insyn",
    on_this_page: "På den här sidan",
    retrieved: "hämtad",
    full_data: "Alla uppgifter i en fil",
    per_measure: "Per mått",
    file_format: "UTF-8, kommaseparerad, en rad per uppgift",
    excel_files: "Samma filer för Excel",
    excel_format: "UTF-8 med byte-order-märke (så att å, ä och ö blir rätt), semikolon mellan fälten och decimalkomma, som svenska Excel väntar sig; status och anmärkningar om serieavbrott i egna kolumner",
    feed: "Nyhetsflöde (Atom) för rapporter",
    headline_charts: "Ärenden och bemanning per område",
    latest_values: "Senaste värden",
    no_reports: "Inga rapporter ännu.",
    revisions_intro: "Här listas varje uppgift som har ändrats sedan den senast publicerade utgåvan,",
    revisions_caption: "Ändrade uppgifter",
    revisions_why: "Uppgifter ändras när sena registreringar kommer in eller när fel rättas. Ändrade värden markeras med r i tabeller, diagram och nedladdningar.",
    no_revisions: "Inga uppgifter har ändrats sedan den senaste utgåvan.",
    breaks_removed: "Borttagna serieavbrott",
    breaks_removed_why: "Den senaste utgåvan markerade ett serieavbrott vid dessa kvartal; det gör inte uppgifterna längre, och diagrammen binder nu ihop linjen över dem. När utgåvan publicerades gick värdena före och efter avbrottet inte att jämföra.",
    no_editions: "Ingen utgåva har publicerats ännu. När en utgåva publiceras med insyn publish jämförs senare uppgifter med den.",
    old_value: "Tidigare värde",
    new_value: "Nytt värde",
    edition: "Utgåva",
    // The `insyn serve` error page.
    serve_broken: "Webbplatsen går inte att bygga",
    serve_errors: "fel",
    serve_fix: "Rätta filen och spara den: sidan laddas om av sig själv. Servern fortsätter att köra.",
    serve_not_built: "webbplatsen har inte byggts ännu",
    problem_error: "fel",
    problem_warning: "varning",
    problem_found: "hittat",
    problem_expected: "förväntat",
    problem_help: "tips",
    // Charts: the unit of an axis.
    axis_count: "Antal",
    axis_fte: "Årsarbetare",
    axis_percent: "Procent",
    axis_days: "Dagar",
    axis_points: "Poäng",
    axis_ratio: "Kvot",
    // The unit of measurement of a measure, on its page.
    unit_count: "antal",
    unit_fte: "årsarbetare (heltidstjänster)",
    unit_percent: "procent",
    unit_days: "dagar",
    unit_points: "poäng",
    unit_ratio: "kvot",
    // What a status symbol means: one name for each, in charts, tables, figures, the data page and downloads.
    status_provisional: "preliminärt värde",
    status_revised: "reviderat värde",
    status_estimated: "uppskattat värde",
    status_low_reliability: "osäkert värde",
    status_not_available: "uppgift saknas",
    status_not_applicable: "uppgift kan inte förekomma",
    status_suppressed: "skyddad av källan (sekretess)",
    status_rounds_to_zero: "avrundas till noll men är inte noll",
    status_uncomputable: "kan inte beräknas (nämnaren är noll eller saknas)",
    // Why insyn hides a value (H9), in the words a reader understands.
    withheld_small_count: "för litet antal för att visas, så att ingen kan pekas ut",
    withheld_ratio: "dolt eftersom det räknas fram ur ett dolt värde eller ur för få årsarbetare",
    withheld_small_unit: "dolt: enheten hade för få årsarbetare den perioden och räknas bara in i summorna",
    withheld_protects: "dolt för att skydda ett annat värde, som annars kunde räknas fram ur summan",
    // Small words for sentences.
    and: "och",
    provisional: "preliminärt",
    hidden: "dolt",
    series_break: "tidsseriebrott",
    percentage_points: "procentenheter",
    // Charts: headers, labels and notes.
    quarter: "Kvartal",
    year: "År",
    both_as_index: "båda serierna som index på samma axel",
    workload: "Arbetsbelastning",
    workload_header: "Arbetsbelastning, % av kapacitet",
    workload_axis: "Viktad arbetsbelastning i procent av kapaciteten",
    full_capacity: "100 % = full kapacitet",
    workload_title: "Arbetsbelastning i förhållande till kapacitet",
    own_axes: "Olika enheter: varje del har sin egen axel från noll",
    compare_omitted: "Enheter som är för små för att redovisas var för sig visas inte.",
    compare_order: "Enheterna i bokstavsordning, inte rangordnade",
    cite_edition: "Den här utgåvan",
    cite_edition_note: "Den frysta kopian: den ändras aldrig, inte ens när nya uppgifter kommer eller värden revideras.",
    cite_latest: "Senaste versionen",
    cite_latest_note: "Följer nya uppgifter: adressen visar alltid hela den aktuella tidsserien.",
    editions: "Utgåvor med det här diagrammet",
    current_chart: "Se det aktuella diagrammet",
    frozen_note: "Det här är en fryst kopia av diagrammet som det publicerades i utgåvan",
    frozen_formats: "Bilder för presentationer och sociala medier följer inte med den frysta kopian; de finns för",
    the_current_chart: "det aktuella diagrammet",
    frozen_revisions: "Senare ändrade värden listas under",
    pinned_note: "Diagrammet slutar vid en bestämd period och ändras inte när nya kvartal kommer.",
    embed: "Bädda in på en annan webbsida",
    embed_intro: "Kopiera koden och klistra in den i webbpubliceringsverktyget. Källa, begränsningar och adress följer med i bilden.",
    embed_frame: "Som ram (iframe)",
    embed_frame_note: "Ramen visar diagrammet med bildtext och länk hit, utan skript, och följer nya uppgifter.",
    embed_preview: "Så ser ramen ut",
    embed_image: "Som bild med länk",
    embed_image_note: "Bilden (PNG) med diagrammets beskrivning som alternativtext, länkad till den här sidan.",
    moved_note: "Den här adressen publicerades senast i utgåvan",
    moved_gone: "Sidan finns inte längre i den aktuella webbplatsen. Här hittar du det den visade:",
    moved_frozen: "Den frysta kopian, som den publicerades",
    overview_all_named: "Alla enheter med namn finns i tabellen och CSV-filen på diagrammets sida.",
    index_crosses_break: " Indexet korsar en definitionsändring: jämför värden före och efter med försiktighet.",
    from_zero: "En förändring i procent kan inte beräknas från noll.",
    other_units: "Övriga",
    // Column headers of the spreadsheet downloads (the tidy CSV keeps English names).
    csv_unit: "enhet",
    csv_unit_name: "enhetens namn",
    csv_measure: "mått",
    csv_group: "grupp",
    csv_value: "värde",
    csv_note: "anmärkning",
    csv_series_break: "Serieavbrott",
    // The readme of a chart's data bundle.
    bundle_contents: "Innehåll",
    bundle_files: "chart.svg        diagrammet\ndata.csv         uppgifterna i diagrammet (UTF-8, kommatecken, decimalpunkt)\ndata-excel.csv   samma uppgifter för svenska Excel (UTF-8 med BOM, semikolon, decimalkomma, anmärkningar om serieavbrott i en egen kolumn)\n",
    bundle_definitions: "Definitioner",
    bundle_source_and_updates: "Källa och uppdatering",
    bundle_last_updated: "Senast uppdaterad (data uttagen)",
    bundle_next_update: "Nästa uppdatering",
    bundle_how_to_cite: "Så hänvisar du",
    bundle_below_threshold: "antal under gränsen visas inte",
    // A new report (`insyn new report`).
    key_points: "Det viktigaste i korthet",
    cases_and_staffing: "Ärenden och bemanning",
    // The accessibility statement's opening, by compliance.
    compliance_full: "Den här webbplatsen är helt förenlig med lagen (2018:1937) om tillgänglighet till digital offentlig service.",
    compliance_partial: "Den här webbplatsen är delvis förenlig med lagen (2018:1937) om tillgänglighet till digital offentlig service, på grund av de brister som beskrivs nedan.",
    compliance_none: "Den här webbplatsen är inte förenlig med lagen (2018:1937) om tillgänglighet till digital offentlig service. De viktigaste bristerna beskrivs nedan.",
    // Limitations a page states once (chart/notes.rs): the text around the periods.
    provisional_note_lead: "Preliminära värden (markerade p, i diagram med ihåliga punkter och streckad linje): ",
    provisional_note_tail: ". De kan ändras när uppgifterna för perioden är kompletta.",
    missing_note_tail: ". Linjen är bruten där; inget värde har fyllts i.",
    uncomputable_note_tail: ". Visas som en lucka märkt –.",
    // The comments of a new report's front matter (`insyn new report`).
    skeleton_title_comment: "# Rubriken: säg vad som hänt, med vanliga ord.\n",
    skeleton_date_comment: "# Publiceringsdagen. Ändra den till dagen då rapporten publiceras.\n",
    skeleton_rest: "# En eller två meningar för rapportlistan och flödet. Ta bort # när du har skrivit den.\n# summary = \"\"\n# author = \"Namn, roll\"\n# Dina egna begränsningar: det siffrorna inte kan visa. En text per rad, inom citattecken.\n# Rapporten visar också alla begränsningar som följer av data (brott i serier,\n# preliminära värden, saknade kvartal) utan att du behöver skriva dem.\nlimitations = [\n  # \"Siffrorna för det senaste kvartalet är preliminära.\",\n]\n",
    skeleton_no_growth_chart: "Webbplatsen har inget mått med rollen `caseload` och inget med rollen `staffing`, så det finns inget tillväxtdiagram att fylla i.\n",
    // A chart's description (chart/describe.rs).
    workload_meaning: "100 % betyder att arbetsbelastningen motsvarar full kapacitet.",
    caveat_missing: "uppgifter saknas för vissa perioder",
    caveat_suppressed: "små antal inte visas för att skydda enskilda",
    caveat_uncomputable: "vissa värden inte kan beräknas eftersom nämnaren är noll",
};

pub struct Swedish;

impl Phrases for Swedish {
    fn table_small_count(&self, below: u32) -> String {
        format!("färre än {below}; visas inte för att skydda enskilda")
    }

    fn table_from_small_count(&self, below: u32) -> String {
        format!("visas inte: beräknat från ett antal under {below}")
    }

    fn cherry_pick(&self, label: &str, window: &Trend, full: &Trend) -> String {
        let dir = |t: &Trend| if t.rises { "ökar" } else { "minskar" };
        format!(
            "{label} {} över det valda fönstret ({}, {}) men {} över hela serien ({}, {}).",
            dir(window),
            window.span,
            window.change,
            dir(full),
            full.span,
            full.change
        )
    }

    fn window_starts_later(&self, from: &str, first: &str, full_series: &str) -> String {
        format!(
            "Diagrammet börjar {from}, men serien finns från {first}. Hela serien: {full_series}"
        )
    }

    fn window_ends_earlier(&self, to: &str, last: &str, full_series: &str) -> String {
        format!(
            "Diagrammet slutar {to}, men serien fortsätter till {last}. Hela serien: {full_series}"
        )
    }

    fn cross_section_earlier(&self, period: &str, last: &str, latest: &str) -> String {
        format!("Diagrammet visar {period}, men det finns uppgifter till {last}. Senaste: {latest}")
    }

    fn window_inside(&self, span: &str, first: &str, last: &str, full_series: &str) -> String {
        format!(
            "Diagrammet visar {span}, men serien finns från {first} och fortsätter till {last}. Hela serien: {full_series}"
        )
    }

    fn compare_total(&self, name: &str, value: &str) -> String {
        format!("{name} ({value}) är summan av enheterna och visas inte som en punkt bland dem.")
    }

    fn break_limitation(&self, marker: &str, period: &str, what: &str) -> String {
        format!("Serieavbrott ({marker}) {period}, {what}. Linjen binds inte ihop över avbrottet.")
    }

    fn provisional_limitation(&self, listed: &str) -> String {
        format!(
            "Preliminärt: {listed}. Värdena kan ändras och visas med ihåliga punkter och streckad linje."
        )
    }

    fn missing_limitation(&self, unit: Option<&str>, listed: &str) -> String {
        let whose = unit.map(|u| format!(" för {u}")).unwrap_or_default();
        format!("Uppgift saknas{whose}: {listed}. Linjen är bruten där; inget värde har fyllts i.")
    }

    fn suppressed_limitation(&self, below: u32, listed: &str) -> String {
        format!(
            "Antal under {below} visas som <{below} och ritas inte, för att skydda enskilda; värden beräknade från dem visas som x: {listed}."
        )
    }

    fn uncomputable_limitation(&self, listed: &str) -> String {
        format!(
            "Kan inte beräknas eftersom nämnaren är noll eller saknas (till exempel 0 årsarbetare): {listed}. Visas som en lucka märkt –."
        )
    }

    fn overview_order(&self, highlighted: Option<&str>) -> String {
        match highlighted {
            Some(name) => {
                format!("Alla enheter som punkter, och de som ligger närmast {name} i värde")
            }
            None => "Alla enheter som punkter".to_string(),
        }
    }

    fn overview_dots(&self, with_value: &str, all: &str) -> String {
        format!("Varje punkt är en enhet ({with_value} av {all} har ett värde).")
    }

    fn overview_rows(&self, highlighted: &str, neighbours: &str) -> String {
        format!(
            "Raderna visar {highlighted} och de {neighbours} enheter som ligger närmast i värde, högst först."
        )
    }

    fn overview_totals_not_drawn(&self, totals: usize) -> String {
        format!(
            "{totals} totaler för grupper av enheterna ritas inte i bilden; de står i tabellen och CSV-filen."
        )
    }

    fn many_units(&self, count: usize) -> String {
        format!("{count} enheter, se tabellen")
    }

    fn break_note(&self, label: &str, note: &str, period: &str) -> String {
        format!(
            "{label}: {note} (från {period}). Värden före och efter är inte helt jämförbara, och diagrammens linjer binds inte ihop över avbrottet."
        )
    }

    fn missing_note_lead(&self, unit: &str, label: &str) -> String {
        format!("Uppgift saknas för {unit}, {label}: ")
    }

    fn uncomputable_note_lead(&self, unit: &str, label: &str) -> String {
        format!("Kan inte beräknas för {unit}, {label}, eftersom nämnaren är noll eller saknas: ")
    }

    fn suppressed_note(&self, below: u32) -> String {
        format!(
            "Antal från 1 till {} visas som ”<{below}” så att ingen enskild person kan pekas ut. Värden och förändringar som bygger på sådana antal visas inte (x).",
            below.saturating_sub(1)
        )
    }

    fn small_counts_symbol(&self, below: u32) -> String {
        format!(
            "antal från 1 till {} visas inte, så att ingen kan pekas ut",
            below.saturating_sub(1)
        )
    }

    fn citation(&self, c: &Citation) -> String {
        format!(
            "{}. ({}). {}. I: {}{}. Publicerad {}. Källa: {}, data uttagen {}. {} (hämtad [datum]).",
            c.organisation,
            c.year,
            c.title,
            c.site,
            c.edition
                .map(|e| format!(", utgåva {e}"))
                .unwrap_or_default(),
            c.published,
            c.source,
            c.extracted,
            c.permalink,
        )
    }

    fn area_total(&self, area: &str) -> String {
        format!("{area}, alla enheter")
    }

    fn skeleton_open_cases(&self, unit: &str, value: &str) -> String {
        format!("- {unit} hade {value} aktuella ärenden i slutet av kvartalet.")
    }

    fn skeleton_since(&self, from: &str, cases: &str, staffing: &str) -> String {
        format!(
            "  Sedan {from} har ärendena förändrats med {cases} och bemanningen med {staffing}."
        )
    }

    fn movement(&self, m: &Movement) -> Option<String> {
        match m {
            Movement::Up(by) => Some(format!("en ökning med {by}")),
            Movement::Down(by) => Some(format!("en minskning med {by}")),
            Movement::Flat => Some("oförändrat".to_string()),
            Movement::Unknown => None,
        }
    }

    fn growth_change(&self, from: &str, to: &str, first: &Shift, second: &Shift) -> String {
        let clause = |m: &Movement| match m {
            Movement::Up(by) => format!("ökade med {by}"),
            Movement::Down(by) => format!("minskade med {by}"),
            Movement::Flat | Movement::Unknown => "låg still".to_string(),
        };
        let lead = format!(
            "{} {} från {from} till {to}",
            uc(first.what),
            clause(&first.movement)
        );
        match (&first.movement, &second.movement) {
            (Movement::Unknown, Movement::Unknown) => {
                format!("Förändringen sedan {from} kan inte beräknas.")
            }
            (Movement::Unknown, _) => format!(
                "{} {} från {from} till {to}; förändringen för {} kan inte beräknas.",
                uc(second.what),
                clause(&second.movement),
                first.what
            ),
            (_, Movement::Unknown) => format!(
                "{lead}; förändringen för {} kan inte beräknas.",
                second.what
            ),
            // Gapping, as Swedish writes it: "… ökade med 38 % och årsarbetare med 3 %".
            (Movement::Up(_), Movement::Up(by)) | (Movement::Down(_), Movement::Down(by)) => {
                format!("{lead} och {} med {by}.", second.what)
            }
            _ => format!(
                "{lead}, medan {} {}.",
                second.what,
                clause(&second.movement)
            ),
        }
    }

    fn growth_levels(&self, unit: &str, first: &Level, last: &Level) -> String {
        format!(
            "{} hade {unit} {}; {} var det {}.",
            uc(first.period),
            first.figure,
            last.period,
            last.figure
        )
    }

    fn index_base(&self, base: &str) -> String {
        format!("Index med {base} = 100.")
    }

    fn counted(&self, unit: &str, first: &Level, last: &Level, movement: &Movement) -> String {
        let tail = self
            .movement(movement)
            .map(|m| format!(", {m}"))
            .unwrap_or_default();
        format!(
            "{unit} hade {} {} och {} {}{tail}.",
            first.figure, first.period, last.figure, last.period
        )
    }

    fn counted_once(&self, unit: &str, level: &Level) -> String {
        format!("{unit} hade {} {}.", level.figure, level.period)
    }

    fn measured(&self, what: &str, first: &Level, last: &Level, movement: &Movement) -> String {
        let tail = self
            .movement(movement)
            .map(|m| format!(", {m}"))
            .unwrap_or_default();
        format!(
            "{} låg på {} {} och {} {}{tail}.",
            uc(what),
            first.figure,
            first.period,
            last.figure,
            last.period
        )
    }

    fn measured_once(&self, what: &str, level: &Level) -> String {
        format!("{} låg på {} {}.", uc(what), level.figure, level.period)
    }

    fn of_unit(&self, what: &str, unit: &str) -> String {
        format!("{what} i {unit}")
    }

    fn no_values(&self, what: &str) -> String {
        format!("Inga värden kan visas för {what}.")
    }

    fn compare(&self, what: &str, period: &str, units: usize, items: &str) -> String {
        let units = if units == 1 {
            "1 enhet".to_string()
        } else {
            format!("{units} enheter")
        };
        format!(
            "{} {period} för {units}, i bokstavsordning: {items}.",
            uc(what)
        )
    }

    fn highlighted(&self, unit: &str) -> String {
        format!("{unit} är markerad i diagrammet.")
    }

    fn fewer_than(&self, below: u32) -> String {
        format!("färre än {below}")
    }

    fn caveats(&self, clauses: &[String]) -> String {
        let clauses: Vec<String> = clauses.iter().map(|c| format!("att {c}")).collect();
        format!("Observera {}.", join(&clauses, "och"))
    }

    fn caveat_breaks(&self, periods: &str) -> String {
        format!("serien bryts {periods} på grund av en ändrad definition")
    }

    fn caveat_provisional(&self, periods: &str) -> String {
        format!("värdena för {periods} är preliminära")
    }

    fn one_change(&self, from: &str, to: &str, shift: &Shift) -> String {
        match &shift.movement {
            Movement::Up(by) => format!("{} ökade med {by} från {from} till {to}.", uc(shift.what)),
            Movement::Down(by) => format!(
                "{} minskade med {by} från {from} till {to}.",
                uc(shift.what)
            ),
            Movement::Flat => format!("{} låg still från {from} till {to}.", uc(shift.what)),
            Movement::Unknown => format!("Förändringen för {} kan inte beräknas.", shift.what),
        }
    }
}
