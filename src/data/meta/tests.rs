use super::*;

#[test]
fn ids_that_would_leave_their_folder_are_refused() {
    for bad in [
        "../x", "a/b", "a\\b", "..", ".", "Nordost", "a b", "a.b", "å", "a%2f", "",
    ] {
        assert!(!is_safe_id(bad), "{bad}");
        let key = bad.replace('\\', "\\\\").replace('"', "\\\"");
        let src = format!("[units.\"{key}\"]\nname = \"X\"\n");
        let read = parse_units(Path::new("data/units.toml"), &src);
        let d = read
            .diagnostics
            .iter()
            .find(|d| d.message.contains("cannot be used in a web address"))
            .unwrap_or_else(|| panic!("{bad}: {:?}", read.diagnostics));
        assert_eq!(d.line, Some(1));
        assert!(d.expected.as_deref().unwrap().contains("a–z"));
        let src = format!("[measures.\"{key}\"]\nlabel = \"X\"\nunit = \"count\"\n");
        let read = parse_measures(Path::new("data/measures.toml"), &src);
        assert!(
            read.diagnostics
                .iter()
                .any(|d| d.message.contains("measure id")),
            "{bad}: {:?}",
            read.diagnostics
        );
    }
    for good in ["nordost", "open_cases", "unit-2", "0"] {
        assert!(is_safe_id(good), "{good}");
    }
}
