//! Property tests: statements whose every string is arbitrary text (Typst and
//! Markdown syntax, minijinja braces, control and direction characters, NUL,
//! lone combining marks, long words) either build, with every plain name
//! printed, or fail with a validation error naming a key. Never a panic,
//! never an error that blames a template.

use broadside::{BuildRequest, DocumentKind, Error};
use proptest::prelude::*;

use crate::pdf::{Pdf, squash};
use crate::{ENGINE, find, load_toml};

/// Characters that break naive tools, mixed with ordinary ones.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range('a', 'z'),
        1 => proptest::char::range('А', 'я'),
        1 => proptest::sample::select(vec![
            '#', '$', '*', '_', '[', ']', '(', ')', '{', '}', '%', '<', '>', '@', '\\', '"', '\'', '`',
            '=', '/', '\n', '\t', '\0', '\u{7}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{0301}',
            '\u{200B}', '\u{FEFF}', '✊', 'ع', ' ',
        ]),
    ]
}

fn hostile_string(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(hostile_char(), 1..max).prop_map(String::from_iter)
}

/// A name made only of letters every bundled font has, so it must print.
fn plain_name() -> impl Strategy<Value = String> {
    "[A-Z][a-z]{2,12}( [A-Z][a-z]{2,12}){0,2}"
}

/// Text as compared: white space, combining marks and invisible characters
/// removed. Typst 0.15's
/// PDF maps each glyph to the text of its first use (typst#4225), so after a
/// lone accent on a "b" every later "b" of that font extracts with the accent
/// in readers that ignore /ActualText (as this suite's reader does); the
/// printed page is right, and so is pdftotext's text.
fn normalise(text: &str) -> String {
    squash(text)
        .chars()
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        // Invisible characters, likewise mapped onto the glyph they share.
        .filter(|c| !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}'))
        .collect()
}

fn statement_toml(title: &str, body: &str, names: &[String]) -> String {
    let mut table = toml::map::Map::new();
    table.insert("title".into(), title.into());
    table.insert(
        "date".into(),
        toml::Value::Datetime("2025-10-30".parse().unwrap()),
    );
    table.insert("body".into(), body.into());
    table.insert(
        "signatories".into(),
        toml::Value::Array(
            names
                .iter()
                .map(|n| toml::Value::from(n.as_str()))
                .collect(),
        ),
    );
    toml::to_string(&toml::Value::Table(table)).unwrap()
}

/// Whether a problem's key is one of the statement's: the title, the body,
/// the list, or one of its `count` entries (`signatories[3]`, with a field).
fn names_a_key(key: &str, count: usize) -> bool {
    if matches!(key, "title" | "body" | "date" | "signatories") {
        return true;
    }
    let Some(rest) = key.strip_prefix("signatories[") else {
        return false;
    };
    let Some((index, after)) = rest.split_once(']') else {
        return false;
    };
    index.parse::<usize>().is_ok_and(|i| i < count)
        && (after.is_empty() || matches!(after, ".name" | ".country" | ".group"))
}

/// Each case either builds, with every plain name in the annex, or is
/// refused with problems that name their keys. Enough cases must build for
/// the first half of that to be tested at all.
#[test]
fn arbitrary_text_builds_or_is_refused_by_key() {
    let cases = 96;
    let built = std::sync::atomic::AtomicUsize::new(0);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let strategy = (
        hostile_string(60),
        hostile_string(300),
        proptest::collection::vec(hostile_string(40), 0..4),
        proptest::collection::vec(plain_name(), 1..6),
        proptest::collection::vec(
            proptest::collection::vec(any::<char>(), 1..20).prop_map(String::from_iter),
            0..2,
        ),
    );
    let result = runner.run(&strategy, |(title, body, hostile, plain, wild)| {
        let dir = tempfile::tempdir().unwrap();
        let mut names = plain.clone();
        names.extend(hostile);
        names.extend(wild);
        let text = statement_toml(&title, &body, &names);
        let loaded = match load_toml(dir.path(), &text) {
            Ok(l) => l,
            Err(Error::Invalid { problems, .. }) => {
                prop_assert!(
                    problems.iter().all(|p| names_a_key(&p.key, names.len())),
                    "{problems:?}"
                );
                return Ok(());
            }
            Err(e) => {
                return Err(TestCaseError::fail(format!(
                    "loading failed without a key: {e}"
                )));
            }
        };
        let request = BuildRequest {
            documents: vec![DocumentKind::Annex, DocumentKind::PressRelease],
            ..BuildRequest::default()
        };
        match ENGINE.build(&loaded.statement, &request) {
            Ok(documents) => {
                built.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let annex =
                    normalise(&Pdf::parse(&find(&documents, DocumentKind::Annex).pdf).text());
                // A plain name is never changed or dropped by the loader,
                // and is printed.
                for name in &plain {
                    prop_assert!(
                        loaded.statement.signatories.iter().any(|s| &s.name == name),
                        "`{name}` was changed or dropped by the loader: {:?}",
                        loaded
                            .statement
                            .signatories
                            .iter()
                            .map(|s| &s.name)
                            .collect::<Vec<_>>()
                    );
                    prop_assert!(
                        annex.contains(&normalise(name)),
                        "`{name}` missing from the annex"
                    );
                }
            }
            Err(Error::Invalid { problems, .. }) => {
                prop_assert!(
                    problems.iter().all(|p| names_a_key(&p.key, names.len())),
                    "{problems:?}"
                );
            }
            Err(e) => {
                return Err(TestCaseError::fail(format!(
                    "the build failed outside validation: {e}"
                )));
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let built = built.into_inner();
    assert!(
        built >= 10,
        "only {built} of {cases} cases built: the property was hardly tested"
    );
}

/// Found by the property above: a right-to-left override before a tab and a
/// combining mark crashed Typst 0.15's shaper. Overrides are removed from
/// long texts too, with a warning naming the key, and the statement builds.
#[test]
fn an_override_before_a_tab_and_a_combining_mark_builds() {
    let dir = tempfile::tempdir().unwrap();
    let text = statement_toml("a", "\u{202e}\t\u{301}a", &["Aaa".to_owned()]);
    let loaded = load_toml(dir.path(), &text).unwrap();
    assert!(
        loaded.warnings.iter().any(|w| w.key == "body"),
        "{:?}",
        loaded.warnings
    );
    assert!(!loaded.statement.body.contains('\u{202e}'));
    let request = BuildRequest {
        documents: vec![DocumentKind::Annex, DocumentKind::PressRelease],
        ..BuildRequest::default()
    };
    let documents = ENGINE.build(&loaded.statement, &request).unwrap();
    assert!(
        Pdf::parse(&find(&documents, DocumentKind::Annex).pdf)
            .text()
            .contains("Aaa")
    );
}

/// One pasted line of a letter: a name with digits and dots, marked or not,
/// a table row, a heading, a sentence, a footnote, a blank line.
fn pasted_line() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        3 => "[A-Z][a-z]{1,9}",
        1 => "[A-Z]{2,6}",
        1 => "[0-9]{1,4}(\\.[0-9a-z]{1,3}){0,2}",
        1 => proptest::sample::select(vec![
            "(CPD)", "(Chile)", "e.V.", "350.org", "11.11.11", "-", "/", "&", "de", "Zimbabwe",
            "Afrique du Sud", "(Malawi)", "Signatories:", "Firman,", "National", "sincerely,",
            "https://example.org/x", "a@b.org", "—", "Россия", "ع", "\u{202E}", "\u{FEFF}",
        ])
        .prop_map(str::to_owned),
    ];
    let name = proptest::collection::vec(word, 1..6).prop_map(|w| w.join(" "));
    prop_oneof![
        4 => name.clone(),
        2 => (1u32..400, name.clone()).prop_map(|(n, t)| format!("{n}. {t}")),
        1 => name.clone().prop_map(|t| format!("- {t}")),
        2 => (1u32..400, name.clone(), name.clone()).prop_map(|(n, a, b)| format!("{n}\t{a}\t{b}")),
        1 => (name.clone(), name.clone()).prop_map(|(a, b)| format!("{a}, {b}")),
        1 => Just(String::new()),
        1 => Just("We call on every government to act now, and to hear those most affected.".to_owned()),
        1 => (1u32..4, name).prop_map(|(n, t)| format!("{n} {t} https://example.org/{n}")),
    ]
}

/// Whatever is pasted, import never panics, writes TOML that parses, and
/// every name it writes is in the text character for character (a list
/// marker or a table's number cell is all it may take off).
#[test]
fn import_never_rewrites_a_name() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let strategy = proptest::collection::vec(pasted_line(), 1..60);
    let result = runner.run(&strategy, |lines| {
        let text = lines.join("\n");
        let imported = broadside::load::import::import(&text, (2026, 12, 1));
        let value: toml::Value = toml::from_str(&imported.toml)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", imported.toml)))?;
        let signatories = value
            .get("signatories")
            .and_then(toml::Value::as_array)
            .cloned()
            .unwrap_or_default();
        prop_assert_eq!(signatories.len(), imported.signatories);
        for s in &signatories {
            for key in ["name", "country"] {
                if let Some(v) = s.get(key).and_then(toml::Value::as_str) {
                    // A table's further columns are joined to the name with ", ".
                    let first = if key == "name" {
                        v.split(", ").next().unwrap_or(v)
                    } else {
                        v
                    };
                    prop_assert!(
                        starts_an_entry(&text, first) || key == "country" && text.contains(v),
                        "{key} `{v}` does not start an entry of the text:\n{text}"
                    );
                    for part in v.split(", ") {
                        prop_assert!(
                            text.contains(part),
                            "{key} `{v}` is not in the text:\n{text}"
                        );
                    }
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Whether `name` stands in `text` where an entry begins: at the start of a
/// line, after a tab, or after one list marker ("12. ", "- ", "(3) "), so
/// that a name cut short ("org" from "350.org") is caught.
fn starts_an_entry(text: &str, name: &str) -> bool {
    text.lines().any(|line| {
        line.match_indices(name).any(|(at, _)| {
            // A byte-order mark a file starts with is no part of an entry.
            let before = line[..at].trim_start_matches('\u{feff}').trim_start();
            if before.is_empty() || before.ends_with('\t') {
                return true;
            }
            if !line[..at].ends_with(char::is_whitespace) {
                return false;
            }
            let before = before.trim_end();
            let rest = before
                .strip_prefix(['-', '*', '•', '–', '—', '·', '▪', '◦'])
                .map_or(before, str::trim_start);
            if rest.is_empty() {
                return true;
            }
            let rest = rest.strip_prefix('(').unwrap_or(rest);
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            digits > 0 && matches!(&rest[digits..], "" | "." | ")")
        })
    })
}
