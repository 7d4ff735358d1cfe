//! UI strings, Swedish and English (§1: Swedish by default).

use std::collections::BTreeMap;

use crate::text::Lang;

/// (key, Swedish, English). Templates read them as `t.<key>`.
const STRINGS: &[(&str, &str, &str)] = &[
    (
        "skip_to_content",
        "Hoppa till innehållet",
        "Skip to content",
    ),
    ("main_navigation", "Huvudmeny", "Main navigation"),
    ("home", "Start", "Home"),
    ("reports", "Rapporter", "Reports"),
    ("units", "Enheter", "Units"),
    ("measures", "Mått och metod", "Measures and method"),
    ("data", "Data", "Data"),
    ("about_statistics", "Om statistiken", "About the statistics"),
    ("accessibility", "Tillgänglighet", "Accessibility"),
    (
        "accessibility_statement",
        "Tillgänglighetsredogörelse",
        "Accessibility statement",
    ),
    ("revisions", "Revideringar", "Revisions"),
    ("latest_report", "Senaste rapporten", "Latest report"),
    ("all_reports", "Alla rapporter", "All reports"),
    ("next_publication", "Nästa publicering", "Next publication"),
    ("published", "Publicerad", "Published"),
    ("period", "Period", "Period"),
    ("contact", "Kontakt", "Contact"),
    ("author", "Författare", "Author"),
    ("limitations", "Begränsningar", "Limitations"),
    ("limitation", "begränsning", "limitation"),
    (
        "limitations_intro",
        "Det här behöver du veta för att läsa siffrorna rätt.",
        "What you need to know to read these figures correctly.",
    ),
    (
        "limitations_computed",
        "Om uppgifterna i den här rapporten",
        "About the figures in this report",
    ),
    ("limitations_measures", "Om måtten", "About the measures"),
    (
        "limitations_author",
        "Författarens kommentarer",
        "The author's notes",
    ),
    ("previous_report", "Föregående rapport", "Previous report"),
    ("next_report", "Nästa rapport", "Next report"),
    ("archive", "Arkiv", "Archive"),
    ("source", "Källa", "Source"),
    ("data_extracted", "Data uttagen", "Data extracted"),
    (
        "chart_page",
        "Om diagrammet: data, nedladdning och källhänvisning",
        "About this chart: data, downloads and citation",
    ),
    (
        "show_table",
        "Visa siffrorna som tabell",
        "Show the figures as a table",
    ),
    ("downloads", "Ladda ned", "Downloads"),
    (
        "download_svg",
        "Diagrammet som SVG (skalbar bild)",
        "The chart as SVG (scalable image)",
    ),
    (
        "download_png",
        "Diagrammet som PNG (för presentationer)",
        "The chart as PNG (for slides)",
    ),
    (
        "download_csv",
        "Uppgifterna i diagrammet som CSV",
        "The chart's data as CSV",
    ),
    (
        "download_csv_excel",
        "Uppgifterna i diagrammet för Excel (CSV med semikolon och decimalkomma)",
        "The chart's data for Excel (CSV, UTF-8 with byte-order mark)",
    ),
    (
        "download_png_wide",
        "Bild för presentationer, 16:9 (PNG, 1920 × 1080 bildpunkter)",
        "Image for slides, 16:9 (PNG, 1920 × 1080 pixels)",
    ),
    (
        "download_png_square",
        "Kvadratisk bild för sociala medier (PNG, 1080 × 1080 bildpunkter)",
        "Square image for social media (PNG, 1080 × 1080 pixels)",
    ),
    (
        "download_bundle",
        "Datapaket med beskrivning (ZIP)",
        "Data bundle with readme (ZIP)",
    ),
    (
        "cite",
        "Så hänvisar du till diagrammet",
        "How to cite this chart",
    ),
    ("cite_short", "Kort", "Short"),
    ("cite_long", "Fullständig", "Full"),
    ("description", "Beskrivning", "Description"),
    ("permalink", "Permanent adress", "Permanent address"),
    ("cite_edition", "Den här utgåvan", "This edition"),
    (
        "cite_edition_note",
        "Den frysta kopian: den ändras aldrig, inte ens när nya uppgifter kommer eller värden revideras.",
        "The frozen copy: it never changes, not even when new data arrives or values are revised.",
    ),
    ("cite_latest", "Senaste versionen", "Latest version"),
    (
        "cite_latest_note",
        "Följer nya uppgifter: adressen visar alltid hela den aktuella tidsserien.",
        "Follows new data: the address always shows the whole current series.",
    ),
    (
        "editions",
        "Utgåvor med det här diagrammet",
        "Editions with this chart",
    ),
    (
        "current_chart",
        "Se det aktuella diagrammet",
        "See the current chart",
    ),
    (
        "frozen_note",
        "Det här är en fryst kopia av diagrammet som det publicerades i utgåvan",
        "This is a frozen copy of the chart as it was published in the edition",
    ),
    (
        "frozen_formats",
        "Bilder för presentationer och sociala medier följer inte med den frysta kopian; de finns för",
        "Images for slides and social media are not part of the frozen copy; they are there for",
    ),
    (
        "the_current_chart",
        "det aktuella diagrammet",
        "the current chart",
    ),
    (
        "frozen_revisions",
        "Senare ändrade värden listas under",
        "Values changed later are listed under",
    ),
    (
        "pinned_note",
        "Diagrammet slutar vid en bestämd period och ändras inte när nya kvartal kommer.",
        "The chart ends at a fixed period and does not change when new quarters arrive.",
    ),
    (
        "embed",
        "Bädda in på en annan webbsida",
        "Put it on another web page",
    ),
    (
        "embed_intro",
        "Kopiera koden och klistra in den i webbpubliceringsverktyget. Källa, begränsningar och adress följer med i bilden.",
        "Copy the code into your web publishing tool. The source, limitations and address come with the picture.",
    ),
    ("embed_frame", "Som ram (iframe)", "As a frame (iframe)"),
    (
        "embed_frame_note",
        "Ramen visar diagrammet med bildtext och länk hit, utan skript, och följer nya uppgifter.",
        "The frame shows the chart with a caption and a link here, without script, and follows new data.",
    ),
    ("embed_preview", "Så ser ramen ut", "What the frame shows"),
    ("embed_image", "Som bild med länk", "As a linked picture"),
    (
        "embed_image_note",
        "Bilden (PNG) med diagrammets beskrivning som alternativtext, länkad till den här sidan.",
        "The picture (PNG) with the chart's description as its text alternative, linked to this page.",
    ),
    (
        "moved_note",
        "Den här adressen publicerades senast i utgåvan",
        "This address was last published in the edition",
    ),
    (
        "moved_gone",
        "Sidan finns inte längre i den aktuella webbplatsen. Här hittar du det den visade:",
        "The page is no longer part of the current site. Here is where to find what it showed:",
    ),
    (
        "moved_frozen",
        "Den frysta kopian, som den publicerades",
        "The frozen copy, as it was published",
    ),
    ("full_series", "Se hela tidsserien", "See the full series"),
    (
        "window_note",
        "Diagrammet visar en del av tidsserien.",
        "This chart shows part of the series.",
    ),
    ("charts", "Diagram", "Charts"),
    ("area", "Område", "Area"),
    ("unit", "Enhet", "Unit"),
    ("measure", "Mått", "Measure"),
    ("value", "Värde", "Value"),
    ("definition", "Definition", "Definition"),
    ("kind", "Typ av mått", "Kind of measure"),
    (
        "kind_stock",
        "Lägesmått: värdet vid kvartalets slut",
        "Stock: the value at the end of the quarter",
    ),
    (
        "kind_flow",
        "Flödesmått: summan under perioden",
        "Flow: the total during the period",
    ),
    ("measure_unit", "Enhet för måttet", "Unit of measurement"),
    ("series_breaks", "Tidsseriebrott", "Series breaks"),
    ("derived_from", "Beräknas som", "Computed as"),
    ("divided_by", "delat med", "divided by"),
    ("all_units", "Alla enheter", "All units"),
    (
        "folded_units",
        "Små enheter redovisas inte separat",
        "Small units are not reported separately",
    ),
    (
        "folded_note",
        "Enheten har för få anställda för att redovisas separat utan att enskilda kan pekas ut. Dess siffror ingår i",
        "This unit has too few staff to be reported on its own without identifying individuals. Its figures are included in",
    ),
    (
        "not_published_alone",
        "redovisas inte separat",
        "not reported separately",
    ),
    (
        "how_to_read",
        "Så läser du siffrorna",
        "How to read the figures",
    ),
    ("page_not_found", "Sidan finns inte", "Page not found"),
    (
        "page_not_found_text",
        "Sidan du söker finns inte, eller har flyttats.",
        "The page you are looking for does not exist or has moved.",
    ),
    ("go_home", "Till startsidan", "Go to the home page"),
    ("symbols", "Teckenförklaring", "Symbols"),
    ("sym_provisional", "preliminär uppgift", "provisional value"),
    ("sym_revised", "reviderad uppgift", "revised value"),
    ("sym_estimated", "uppskattad uppgift", "estimated value"),
    ("sym_low_reliability", "osäker uppgift", "low reliability"),
    ("sym_not_available", "uppgift saknas", "not available"),
    (
        "sym_not_applicable",
        "uppgift kan inte förekomma",
        "not applicable",
    ),
    (
        "sym_suppressed",
        "uppgiften skyddas (för få för att visas)",
        "suppressed (too few to show)",
    ),
    (
        "sym_rounds_to_zero",
        "avrundas till noll men är inte noll",
        "rounds to zero but is not zero",
    ),
    (
        "footer_note",
        "Siffrorna visar omfattning, inte kvaliteten i det stöd som ges. Inga uppgifter redovisas per handläggare.",
        "The figures show volume, not the quality of the help given. Nothing is ever shown per caseworker.",
    ),
    ("made_with", "Byggd med insyn", "Built with insyn"),
    ("on_this_page", "På den här sidan", "On this page"),
    ("retrieved", "hämtad", "retrieved"),
    (
        "full_data",
        "Alla uppgifter i en fil",
        "All figures in one file",
    ),
    ("per_measure", "Per mått", "Per measure"),
    (
        "file_format",
        "UTF-8, kommaseparerad, en rad per uppgift",
        "UTF-8, comma-separated, one row per value",
    ),
    (
        "excel_files",
        "Samma filer för Excel",
        "The same files for Excel",
    ),
    (
        "excel_format",
        "UTF-8 med byte-order-märke (så att å, ä och ö blir rätt), semikolon mellan fälten och decimalkomma, som svenska Excel väntar sig; status och anmärkningar om serieavbrott i egna kolumner",
        "UTF-8 with a byte-order mark, comma-separated with a decimal point, as Excel expects; status and series-break notes in columns of their own",
    ),
    (
        "feed",
        "Nyhetsflöde (Atom) för rapporter",
        "Report feed (Atom)",
    ),
    (
        "headline_charts",
        "Ärenden och bemanning per område",
        "Cases and staffing by area",
    ),
    ("latest_values", "Senaste värden", "Latest values"),
    ("no_reports", "Inga rapporter ännu.", "No reports yet."),
    (
        "revisions_intro",
        "Här listas varje uppgift som har ändrats sedan den senast publicerade utgåvan,",
        "Every value that has changed since the last published edition is listed here, edition",
    ),
    ("revisions_caption", "Ändrade uppgifter", "Changed values"),
    (
        "revisions_why",
        "Uppgifter ändras när sena registreringar kommer in eller när fel rättas. Ändrade värden markeras med r i tabeller, diagram och nedladdningar.",
        "Values change when late registrations arrive or errors are corrected. Changed values are marked r in tables, charts and downloads.",
    ),
    (
        "no_revisions",
        "Inga uppgifter har ändrats sedan den senaste utgåvan.",
        "No value has changed since the last edition.",
    ),
    (
        "no_editions",
        "Ingen utgåva har publicerats ännu. När en utgåva publiceras med insyn publish jämförs senare uppgifter med den.",
        "No edition has been published yet. Once one is published with insyn publish, later data are compared with it.",
    ),
    ("old_value", "Tidigare värde", "Previous value"),
    ("new_value", "Nytt värde", "New value"),
    ("edition", "Utgåva", "Edition"),
    // The `insyn serve` error page, shown while the site does not build.
    (
        "serve_broken",
        "Webbplatsen går inte att bygga",
        "The site does not build",
    ),
    ("serve_errors", "fel", "error(s)"),
    (
        "serve_fix",
        "Rätta filen och spara den: sidan laddas om av sig själv. Servern fortsätter att köra.",
        "Fix the file and save it: this page reloads by itself. The server keeps running.",
    ),
    (
        "serve_not_built",
        "webbplatsen har inte byggts ännu",
        "the site has not been built yet",
    ),
    ("problem_error", "fel", "error"),
    ("problem_warning", "varning", "warning"),
    ("problem_found", "hittat", "found"),
    ("problem_expected", "förväntat", "expected"),
    ("problem_help", "tips", "help"),
];

/// The string table for `lang`, as a map templates can index.
pub fn table(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    STRINGS
        .iter()
        .map(|(k, sv, en)| (*k, if lang == Lang::Sv { *sv } else { *en }))
        .collect()
}

/// One string, for Rust code that writes text outside templates.
pub fn t(lang: Lang, key: &str) -> &'static str {
    STRINGS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, sv, en)| if lang == Lang::Sv { *sv } else { *en })
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_translated() {
        let mut seen = std::collections::HashSet::new();
        for (k, sv, en) in STRINGS {
            assert!(seen.insert(k), "duplicate key {k}");
            assert!(!sv.is_empty() && !en.is_empty(), "{k}");
        }
        assert_eq!(t(Lang::En, "reports"), "Reports");
    }
}
