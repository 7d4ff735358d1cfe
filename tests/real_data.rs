//! The real Kolada export (`../shared/real-data/`, not copied into the
//! repository) as a format sample: Windows-1252 without BOM, semicolons,
//! CRLF, municipalities by name, decimal point, annual periods.
//!
//! Its header (`Kommun/Landsting;Nyckeltal;År;Visat Värde`) is not our
//! contract, so the end-to-end test replaces only the header line with the
//! Swedish long header (`Enhet;Mått;År;Värde`, itself written in
//! Windows-1252) and builds units.toml / measures.toml from the names in the
//! file; every data byte after the header is read as exported.

use std::collections::BTreeSet;
use std::path::PathBuf;

use insyn::data::csv::{SourceEncoding, decode, sniff_delimiter};
use insyn::data::number::parse_number;
use insyn::data::{Period, load};

fn kolada() -> Option<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/real-data/se_kolada_export_2012_latin1_semicolon_crlf.csv");
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            println!("skipped: {} is absent", path.display());
            None
        }
    }
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
fn kolada_export_decodes_sniffs_and_reads_periods_and_numbers() {
    let Some(bytes) = kolada() else { return };
    let (text, encoding) = decode(&bytes);
    assert_eq!(encoding, SourceEncoding::Windows1252);
    assert_eq!(sniff_delimiter(&text), (b';', false));
    let header = text.lines().next().unwrap();
    assert_eq!(header, "Kommun/Landsting;Nyckeltal;År;Visat Värde");
    assert!(text.contains("\r\n"));
    let mut rows = 0;
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(';').collect();
        assert_eq!(cells.len(), 4, "{line}");
        let period = Period::parse(cells[2]).unwrap();
        assert!(matches!(period, Period::Year(2008..=2012)), "{line}");
        if !cells[3].is_empty() {
            assert!(parse_number(cells[3], true).is_some(), "{line}");
        }
        rows += 1;
    }
    assert!(rows > 13_000);
}

#[test]
fn kolada_export_loads_end_to_end_with_our_header() {
    let Some(bytes) = kolada() else { return };
    let (text, _) = decode(&bytes);
    let mut municipalities = BTreeSet::new();
    let mut key_figures = BTreeSet::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(';').collect();
        municipalities.insert(cells[0].to_string());
        key_figures.insert(cells[1].to_string());
    }
    let mut units = String::new();
    for (i, name) in municipalities.iter().enumerate() {
        units.push_str(&format!(
            "[units.k{i:03}]\nname = {}\n\n",
            toml_string(name)
        ));
    }
    let mut measures = String::new();
    for (i, name) in key_figures.iter().enumerate() {
        let unit = if name.contains("(%)") {
            "percent"
        } else {
            "points"
        };
        measures.push_str(&format!(
            "[measures.m{i:02}]\nlabel = {0}\nunit = \"{unit}\"\nkind = \"stock\"\nrole = \"indicator\"\ncolumns = [{0}]\n\n",
            toml_string(name)
        ));
    }
    let header_end = bytes.windows(2).position(|w| w == b"\r\n").unwrap();
    let mut csv = b"Enhet;M\xe5tt;\xc5r;V\xe4rde".to_vec();
    csv.extend_from_slice(&bytes[header_end..]);

    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("units.toml"), units).unwrap();
    std::fs::write(data.join("measures.toml"), measures).unwrap();
    std::fs::write(data.join("kolada.csv"), csv).unwrap();

    let dataset = match load(tmp.path()) {
        Ok(d) => d,
        Err(e) => panic!(
            "{}",
            e.iter()
                .take(10)
                .map(|d| d.render_plain())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    };
    let observations: usize = dataset.series.values().map(|s| s.points.len()).sum();
    let non_empty = text.lines().skip(1).filter(|l| !l.ends_with(';')).count();
    assert_eq!(observations, non_empty);
    assert!(dataset.series.keys().all(|k| k.group.is_none()));
    assert!(
        dataset
            .series
            .values()
            .flat_map(|s| s.points.keys())
            .all(|p| matches!(p, Period::Year(2008..=2012)))
    );
    // A municipality with å/ä/ö in its name, read from Windows-1252.
    assert!(dataset.units.units.values().any(|u| u.name == "Håbo"));
    // The first data line: "Alla kommuner (ovägt medel);Arbetslöshet, (%);2008;3.83894583".
    let unit = dataset
        .units
        .units
        .values()
        .find(|u| u.name == "Alla kommuner (ovägt medel)")
        .unwrap();
    let measure = dataset.measures.resolve("Arbetslöshet, (%)").unwrap();
    let v = dataset
        .value(&measure.id, &unit.id, Period::Year(2008))
        .unwrap();
    assert_eq!(v.number, Some(3.83894583));
}
