//! The invalid-content corpus: each case breaks one thing in a copy of the
//! minimal fixture and asserts the message, its location, exit status 1 and
//! that nothing was written.

use crate::support::*;

struct Case {
    name: &'static str,
    file: &'static str,
    content: &'static str,
    expect: &'static [&'static str],
}

const REPORT_HEAD: &str = "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\ndate = 2024-07-20\n+++\n\n";

fn cases() -> Vec<Case> {
    vec![
        // Left out, the report was silently missing from the site.
        Case {
            name: "a page ending in .Md",
            file: "content/rapporter/2024-q1.Md",
            content: "+++\ntitle = \"R\"\nperiod = \"2024Q1\"\n+++\n\nText\n",
            expect: &[
                "content/rapporter/2024-q1.Md: a page's file name must end in `.md`",
                "`2024-q1.md`",
            ],
        },
        Case {
            name: "a page ending in .markdown",
            file: "content/kontakt.markdown",
            content: "+++\ntitle = \"K\"\n+++\n\nText\n",
            expect: &["content/kontakt.markdown: a page's file name must end in `.md`"],
        },
        Case {
            name: "unknown shortcode",
            file: "content/rapporter/2024-q2.md",
            content: "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\ndate = 2024-07-20\n+++\n\nText {{ valeu(measure=\"open_cases\", unit=\"alfa\", period=\"2024Q2\") }}\n",
            expect: &[
                "content/rapporter/2024-q2.md:7:9",
                "unknown shortcode",
                "did you mean `value`?",
            ],
        },
        Case {
            name: "missing parenthesis",
            file: "content/rapporter/2024-q2.md",
            content: "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\ndate = 2024-07-20\n+++\n\n{{ value(measure=\"open_cases\", unit=\"alfa\", period=\"2024Q2\" }}\n",
            expect: &["content/rapporter/2024-q2.md:7:", "missing `)`"],
        },
        Case {
            name: "unknown shortcode argument",
            file: "content/rapporter/2024-q2.md",
            content: "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\ndate = 2024-07-20\n+++\n\n{{ value(measure=\"open_cases\", unti=\"alfa\", period=\"2024Q2\") }}\n",
            expect: &[
                "content/rapporter/2024-q2.md:7:",
                "unknown argument",
                "did you mean `unit`?",
            ],
        },
        Case {
            name: "unknown unit in a figure",
            file: "content/rapporter/2024-q2.md",
            content: "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\ndate = 2024-07-20\n+++\n\n{{ value(measure=\"open_cases\", unit=\"alfs\", period=\"2024Q2\") }}\n",
            expect: &[
                "content/rapporter/2024-q2.md:7:1",
                "unknown unit",
                "`alfs`",
                "did you mean `alfa`?",
            ],
        },
        Case {
            name: "a period without data",
            file: "content/rapporter/2024-q2.md",
            content: "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\ndate = 2024-07-20\n+++\n\n{{ value(measure=\"open_cases\", unit=\"alfa\", period=\"2019Q2\") }}\n",
            expect: &[
                "content/rapporter/2024-q2.md:7:1",
                "no value of `open_cases` for `alfa` in 2019Q2",
                "from 2023Q1 to 2024Q3",
            ],
        },
        Case {
            name: "unknown measure in a chart block",
            file: "content/rapporter/2024-q2.md",
            content: "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\ndate = 2024-07-20\n+++\n\n```chart\ntype = \"bars\"\nmeasure = \"open_case\"\nunit = \"alfa\"\n```\n",
            expect: &[
                "content/rapporter/2024-q2.md:9:",
                "open_case",
                "did you mean `open_cases`?",
            ],
        },
        Case {
            name: "a reference named twice",
            file: "content/rapporter/2024-q2.md",
            content: "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\ndate = 2024-07-20\n+++\n\n```chart\ntype = \"bars\"\nmeasure = \"open_cases\"\nunit = \"alfa\"\nreference = [\"hela\", \"hela\"]\n```\n",
            expect: &[
                "content/rapporter/2024-q2.md:11:",
                "`reference` names `hela` twice",
            ],
        },
        Case {
            name: "more measures than a chart can tell apart",
            file: "content/rapporter/2024-q2.md",
            content: "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\ndate = 2024-07-20\n+++\n\n```chart\ntype = \"series\"\nunit = \"alfa\"\nmeasures = [\"m1\", \"m2\", \"m3\", \"m4\", \"m5\", \"m6\", \"m7\", \"m8\", \"m9\", \"m10\", \"m11\", \"m12\", \"m13\"]\n```\n",
            expect: &[
                "content/rapporter/2024-q2.md:10:",
                "`measures` lists 13 ids",
                "at most 12",
            ],
        },
        Case {
            name: "unknown chart type",
            file: "content/rapporter/2024-q2.md",
            content: "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\ndate = 2024-07-20\n+++\n\n```chart\ntype = \"pie\"\nmeasure = \"open_cases\"\nunit = \"alfa\"\n```\n",
            expect: &["content/rapporter/2024-q2.md:8:", "pie"],
        },
        Case {
            name: "a folded unit in a chart",
            file: "content/rapporter/2024-q2.md",
            content: "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\ndate = 2024-07-20\n+++\n\n```chart\ntype = \"bars\"\nmeasure = \"open_cases\"\nunit = \"liten\"\n```\n",
            expect: &[
                "content/rapporter/2024-q2.md:10:",
                "never published on its own",
                "parent `hela`",
            ],
        },
        Case {
            name: "unknown front matter key",
            file: "content/rapporter/2024-q2.md",
            content: "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\ndatum = 2024-07-20\n+++\n",
            expect: &["content/rapporter/2024-q2.md:4:", "unknown field `datum`"],
        },
        Case {
            name: "a report without a date",
            file: "content/rapporter/2024-q2.md",
            content: "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\n+++\n",
            expect: &["content/rapporter/2024-q2.md", "needs a publication `date`"],
        },
        Case {
            name: "a report period that is not a period",
            file: "content/rapporter/2024-q2.md",
            content: "+++\ntitle = \"R\"\nperiod = \"2024Q5\"\ndate = 2024-07-20\n+++\n",
            expect: &["content/rapporter/2024-q2.md:3", "`2024Q5`", "not a period"],
        },
        Case {
            name: "no front matter",
            file: "content/om.md",
            content: "# Om\n",
            expect: &["content/om.md:1:1", "no front matter"],
        },
        Case {
            name: "a typo in site.toml",
            file: "site.toml",
            content: "title = \"T\"\norganisation = \"O\"\nbase_url = \"https://x.example/\"\nlanguge = \"sv\"\n[source]\nname = \"S\"\ncontact = \"c@x\"\nextracted = 2024-10-05\n",
            expect: &["site.toml:4:1", "unknown field `languge`"],
        },
    ]
}

#[test]
fn every_content_error_is_located_and_nothing_is_written() {
    let _ = REPORT_HEAD;
    let mut failures = Vec::new();
    for case in cases() {
        let site = copy_site(&fixture("minimal"));
        std::fs::write(site.path().join(case.file), case.content).unwrap();
        let out = site.path().join("public");
        let o = build(site.path(), &out);
        let err = stderr(&o);
        if o.status.code() != Some(1) {
            failures.push(format!("{}: exit {:?}\n{err}", case.name, o.status.code()));
            continue;
        }
        if out.exists() {
            failures.push(format!("{}: the output folder was written", case.name));
        }
        for want in case.expect {
            if !err.contains(want) {
                failures.push(format!("{}: stderr lacks {want:?}\n{err}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn all_errors_of_a_build_are_reported_at_once() {
    let site = copy_site(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/rapporter/2024-q2.md"),
        "+++\ntitle = \"R\"\nperiod = \"2024Q2\"\ndate = 2024-07-20\n+++\n\n{{ valeu() }}\n\n{{ value(measure=\"x\", unit=\"alfa\", period=\"2024Q1\") }}\n",
    )
    .unwrap();
    std::fs::write(site.path().join("content/om.md"), "no front matter\n").unwrap();
    let o = build(site.path(), &site.path().join("public"));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("content/rapporter/2024-q2.md:7:"), "{err}");
    assert!(err.contains("content/rapporter/2024-q2.md:9:"), "{err}");
    assert!(err.contains("content/om.md:1:1"), "{err}");
}

#[test]
fn usage_errors_exit_with_2() {
    let o = insyn().arg("biuld").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    // A --root that is no folder is named as such, for every command that
    // reads a site (it was three missing files, or an unreadable output).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.toml");
    std::fs::write(&file, "").unwrap();
    for (root, expected) in [
        (dir.path().join("nowhere"), "does not exist"),
        (file, "is a file, not a folder"),
    ] {
        for command in ["build", "check", "publish"] {
            let o = insyn()
                .args([command, "--root"])
                .arg(&root)
                .output()
                .unwrap();
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{command}: {err}");
            assert!(
                err.contains("error: the site folder") && err.contains(expected),
                "{command}: {err}"
            );
        }
    }
}
