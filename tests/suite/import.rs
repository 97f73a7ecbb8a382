//! `broadside import`: the coalition's statement as they wrote it, in plain text.

use std::path::Path;

use crate::cli::{broadside, broadside_ok};
use crate::example_names;

/// The shared original when it is there; else the same shape rebuilt from
/// the example (paragraphs, "Signed:", a numbered list with one blank line).
fn original_text() -> String {
    let original = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/statements/international-day-of-political-prisoners.txt");
    if let Ok(text) = std::fs::read_to_string(original) {
        return text;
    }
    let example = broadside::load::load_example().unwrap().statement;
    let mut text = example.body.trim().to_owned() + "\n\nSigned:\n\n";
    for (i, s) in example.signatories.iter().enumerate() {
        if i == 2 {
            text.push('\n');
        }
        text.push_str(&format!("- {}. {}\n", i + 1, s.name));
    }
    text
}

#[test]
fn the_plain_text_statement_imports_builds_and_asks_for_review() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("statement.txt"), original_text()).unwrap();
    let out = broadside_ok(
        dir.path(),
        &["import", "statement.txt", "-o", "statement.toml"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no title line")
            && stderr.contains("found 6 paragraphs and 29 signatories"),
        "{stderr}"
    );

    let loaded = broadside::load::load_file(&dir.path().join("statement.toml")).unwrap();
    let s = &loaded.statement;
    let names: Vec<String> = s.signatories.iter().map(|x| x.name.clone()).collect();
    assert_eq!(
        names,
        example_names(),
        "29 signatories in the coalition's order"
    );
    // Two conveners, two co-organisers out of alphabetical order, the rest.
    let groups: Vec<usize> = {
        let mut sizes: Vec<usize> = Vec::new();
        let mut last = None;
        for x in &s.signatories {
            if last != Some(&x.group) {
                sizes.push(0);
                last = Some(&x.group);
            }
            *sizes.last_mut().unwrap() += 1;
        }
        sizes
    };
    assert_eq!(groups, [2, 2, 25]);
    let example = broadside::load::load_example().unwrap().statement;
    assert_eq!(
        s.body.trim(),
        example.body.trim(),
        "the body's paragraphs intact"
    );
    assert_eq!(s.title, "On this International Day of Political Prisoners");
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.to_string().contains("not yet reviewed")),
        "check warns until the review line is deleted"
    );

    let out = broadside_ok(dir.path(), &["build", "statement.toml", "--out", "out"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not yet reviewed"));
    assert!(dir.path().join("out/annex.pdf").exists());

    // An existing file is never replaced; a Word file is pointed to plain text.
    let again = broadside(
        dir.path(),
        &["import", "statement.txt", "-o", "statement.toml"],
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("never replaces"));
    std::fs::write(dir.path().join("s.docx"), b"PK").unwrap();
    let docx = broadside(dir.path(), &["import", "s.docx"]);
    assert!(String::from_utf8_lossy(&docx.stderr).contains("save the document as plain text"));
}

/// `broadside init` makes a folder that checks, builds and writes letters as
/// it is, and never replaces files.
#[test]
fn init_makes_a_folder_that_works_as_written() {
    let dir = tempfile::tempdir().unwrap();
    broadside_ok(dir.path(), &["init", "new"]);
    let out = broadside_ok(dir.path(), &["check", "new/statement.toml"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("pages       press-release 1, poster 1, annex 1"),
        "{stdout}"
    );
    assert!(dir.path().join("new/logos").is_dir());
    broadside_ok(
        dir.path(),
        &[
            "letters",
            "new/statement.toml",
            "-r",
            "new/recipients.csv",
            "-l",
            "new/letter.md",
            "-o",
            "letters",
        ],
    );
    assert!(dir.path().join("letters/1-jane-doe.pdf").exists());
    let again = broadside(dir.path(), &["init", "new"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("never replaces"));
}

/// `check` names signatories listed twice under different spellings.
#[test]
fn check_reports_near_duplicate_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "title = \"T\"\ndate = 2026-10-30\nbody = \"B\"\nsignatories = [\"Amnesty International\", \"Human Rights Watch\", \"amnesty-international\", \"The Sakharov Centre\", \"Sakharov Centre\"]\n",
    )
    .unwrap();
    let out = broadside_ok(dir.path(), &["check", "s.toml"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "`Amnesty International` (signatories[0]) and `amnesty-international` (signatories[2])"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "`The Sakharov Centre` (signatories[3]) and `Sakharov Centre` (signatories[4])"
        ),
        "{stdout}"
    );
    assert!(
        !stdout.contains("Human Rights Watch` (signatories[1]) and"),
        "{stdout}"
    );
}
