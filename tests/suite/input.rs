//! Bad statements: each gets one clear message naming where and what.

use std::path::Path;

use broadside::Error;
use broadside::load::{self, Format};

use crate::pdf::{Pdf, squash};
use crate::{ENGINE, find, load_toml};

const GOOD: &str = "title = \"T\"\ndate = 2025-10-30\nbody = \"B\"\nsignatories = [\"A\", \"B\"]\n";

/// Loads and prepares (which checks images) and returns the error's message.
fn error_of(dir: &Path, text: &str) -> String {
    let result = load_toml(dir, text).and_then(|loaded| {
        ENGINE
            .prepare(&loaded.statement, &Default::default())
            .map(|_| ())
    });
    match result {
        Ok(()) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "message lacks `{part}`:\n{message}");
    }
}

#[test]
fn a_good_statement_loads() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = load_toml(dir.path(), GOOD).unwrap();
    assert!(loaded.warnings.is_empty());
    assert_eq!(loaded.statement.signatories.len(), 2);
    assert_eq!(loaded.statement.language, "en");
}

#[test]
fn syntax_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let message = error_of(
        dir.path(),
        "title = \"T\"\ndate = 2025-10-30\nbody = \"unterminated\n",
    );
    assert_mentions(&message, &["statement.toml:3:", "body = \"unterminated"]);
    let e = load_toml(
        dir.path(),
        "title = \"T\"\ndate = 2025-10-30\nbody = \"unterminated\n",
    )
    .unwrap_err();
    match e {
        Error::Syntax(located) => {
            assert_eq!(located.line, Some(3));
            assert!(located.column.is_some());
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn missing_title_date_and_body_are_named_together() {
    let dir = tempfile::tempdir().unwrap();
    let message = error_of(dir.path(), "signatories = [\"A\"]\n");
    assert_mentions(
        &message,
        &[
            "statement.toml",
            "3 problems",
            "`title`: is missing",
            "`date`: is missing",
            "`body`: is missing",
            "hint:",
        ],
    );
}

#[test]
fn a_date_that_is_not_a_date() {
    let dir = tempfile::tempdir().unwrap();
    let message = error_of(
        dir.path(),
        &GOOD.replace("date = 2025-10-30", "date = \"30/10/2025\""),
    );
    assert_mentions(
        &message,
        &[
            "statement.toml:2:",
            "`30/10/2025` is not a date",
            "YYYY-MM-DD",
        ],
    );
    let message = error_of(
        dir.path(),
        &GOOD.replace("date = 2025-10-30", "date = 2025-02-30"),
    );
    assert_mentions(&message, &["statement.toml:2:", "out of range"]);
}

#[test]
fn an_empty_signatory_list_and_an_empty_name() {
    let dir = tempfile::tempdir().unwrap();
    let message = error_of(dir.path(), &GOOD.replace("[\"A\", \"B\"]", "[]"));
    assert_mentions(&message, &["`signatories`: is empty"]);
    let message = error_of(
        dir.path(),
        &GOOD.replace("[\"A\", \"B\"]", "[\"A\", \"  \", { name = \"\" }]"),
    );
    assert_mentions(
        &message,
        &[
            "signatory 2 (`signatories[1].name`): has no name",
            "signatory 3 (`signatories[2].name`)",
        ],
    );
}

const ATTAC_TWICE: &str = "title = \"T\"\ndate = 2025-10-30\nbody = \"B\"\n\n[[signatories]]\nname = \"Amnesty\"\n\n[[signatories]]\nname = \"ATTAC\"\ncountry = \"France\"\n\n[[signatories]]\nname = \"ATTAC\"\ncountry = \"Germany\"\n";

/// National chapters sign under one name: `ATTAC` in France and `ATTAC` in
/// Germany are two signatories, and both are in the annex.
#[test]
fn one_name_in_two_countries_is_two_signatories() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = load_toml(dir.path(), ATTAC_TWICE).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let documents = crate::build_toml(dir.path(), ATTAC_TWICE);
    let annex = squash(&Pdf::parse(&find(&documents, broadside::DocumentKind::Annex).pdf).text());
    crate::pdf::assert_in_order(&annex, &["Amnesty", "ATTAC", "France", "ATTAC", "Germany"]);
    assert_eq!(annex.matches("ATTAC").count(), 2, "{annex}");
}

/// One name in one country (or in none) is one signatory listed twice: the
/// message names both entries by the numbers the annex prints.
#[test]
fn one_name_in_one_country_is_refused_naming_both_entries() {
    let dir = tempfile::tempdir().unwrap();
    let message = error_of(
        dir.path(),
        &GOOD.replace("[\"A\", \"B\"]", "[\"A\", \"ATTAC\", \"B\", \"attac \"]"),
    );
    assert_mentions(
        &message,
        &[
            "signatory 4 (`signatories[3].name`): `attac` is listed twice, here and as signatory 2 (`signatories[1]`), neither with a country",
            "give each its country",
        ],
    );
    let message = error_of(dir.path(), &ATTAC_TWICE.replace("Germany", "france"));
    assert_mentions(
        &message,
        &[
            "signatory 3 (`signatories[2].name`): `ATTAC` in france is listed twice, here and as signatory 2 (`signatories[1]`)",
        ],
    );
}

/// One name with a country and without one may be two chapters or one
/// signatory: `check` warns naming both, and the statement builds without a
/// warning (real lists carry such entries; `build` is not the place to ask).
#[test]
fn one_name_with_and_without_a_country_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{ATTAC_TWICE}\n[[signatories]]\nname = \"attac\"\n");
    let loaded = load_toml(dir.path(), &text).unwrap();
    assert!(
        loaded.warnings.is_empty(),
        "a build does not warn: {:?}",
        loaded.warnings
    );
    let warnings: Vec<String> = broadside::load::review(&loaded.statement)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_mentions(
        &warnings[0],
        &[
            "signatory 4 (`signatories[3].name`)",
            "is also signatory 2 (`signatories[1]`)",
            "only one of the two has a country (France)",
        ],
    );
    std::fs::write(dir.path().join("s.toml"), &text).unwrap();
    let check = crate::cli::broadside_ok(dir.path(), &["check", "s.toml"]);
    assert!(String::from_utf8_lossy(&check.stderr).contains("only one of the two has a country"));
    let build = crate::cli::broadside_ok(
        dir.path(),
        &["build", "s.toml", "--only", "annex", "--out", "out"],
    );
    assert!(
        !String::from_utf8_lossy(&build.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
}

/// Messages number a signatory as the annex prints it, also when the annex
/// is sorted by name.
#[test]
fn messages_number_signatories_as_the_annex_prints_them() {
    let dir = tempfile::tempdir().unwrap();
    let text = GOOD.replace("[\"A\", \"B\"]", "[\"C\", \"B\", \"A\", \"A\"]");
    let message = error_of(dir.path(), &text);
    assert_mentions(
        &message,
        &[
            "signatory 4 (`signatories[3].name`)",
            "as signatory 3 (`signatories[2]`)",
        ],
    );
    let message = error_of(dir.path(), &format!("{text}[annex]\nsort = \"name\"\n"));
    assert_mentions(
        &message,
        &[
            "signatory 2 (`signatories[3].name`)",
            "as signatory 1 (`signatories[2]`)",
        ],
    );
}

#[test]
fn unknown_keys_warn_with_the_nearest_known_key() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{GOOD}sloagn = \"x\"\n[poster]\nszie = \"a3\"\n");
    let text = text.replace(
        "signatories = [\"A\", \"B\"]",
        "signatories = [{ name = \"A\", contry = \"X\" }]",
    );
    let loaded = load_toml(dir.path(), &text).unwrap();
    let warnings: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
    let all = warnings.join("\n");
    assert_eq!(warnings.len(), 3, "{all}");
    assert_mentions(
        &all,
        &[
            "`sloagn`",
            "did you mean `slogan`?",
            "`poster.szie`",
            "did you mean `size`?",
            "`signatories[0].contry`",
            "did you mean `country`?",
        ],
    );
}

#[test]
fn logos_must_exist_be_images_and_stay_inside_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let with_logo = |logo: &str| {
        GOOD.replace(
            "[\"A\", \"B\"]",
            &format!("[{{ name = \"A\", logo = \"{logo}\" }}]"),
        )
    };

    let message = error_of(dir.path(), &with_logo("missing.png"));
    assert_mentions(
        &message,
        &["`signatories[0].logo`", "`missing.png` does not exist"],
    );

    std::fs::write(dir.path().join("notes.png"), "these are not pixels").unwrap();
    let message = error_of(dir.path(), &with_logo("notes.png"));
    assert_mentions(
        &message,
        &[
            "`signatories[0].logo`",
            "`notes.png` is not an image",
            "PNG, JPEG",
        ],
    );

    std::fs::write(
        dir.path().join("broken.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"9\"><rect width=",
    )
    .unwrap();
    let message = error_of(dir.path(), &with_logo("broken.svg"));
    assert_mentions(
        &message,
        &["`signatories[0].logo`", "`broken.svg` is not an SVG image"],
    );

    let message = error_of(dir.path(), &with_logo("../outside.png"));
    assert_mentions(
        &message,
        &["`signatories[0].logo`", "outside the statement's folder"],
    );

    let message = error_of(dir.path(), &with_logo("/etc/hostname"));
    assert_mentions(&message, &["outside the statement's folder"]);

    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        image::RgbImage::new(4, 4)
            .save(outside.path().join("real.png"))
            .unwrap();
        std::os::unix::fs::symlink(outside.path().join("real.png"), dir.path().join("link.png"))
            .unwrap();
        let message = error_of(dir.path(), &with_logo("link.png"));
        assert_mentions(
            &message,
            &["`link.png` leads outside the statement's folder"],
        );
    }
}

#[test]
fn an_enormous_image_is_refused_before_decoding() {
    let dir = tempfile::tempdir().unwrap();
    // A valid PNG header that claims 50,000 × 50,000 pixels.
    let mut png = Vec::new();
    png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(b"IHDR");
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    // A token of image data, so the decoder reaches the pixels it would need.
    for (kind, body) in [
        (
            b"IDAT",
            &[0x78u8, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01][..],
        ),
        (b"IEND", &[][..]),
    ] {
        let mut chunk = kind.to_vec();
        chunk.extend_from_slice(body);
        png.extend_from_slice(&(body.len() as u32).to_be_bytes());
        png.extend_from_slice(&chunk);
        png.extend_from_slice(&crc32(&chunk).to_be_bytes());
    }
    std::fs::write(dir.path().join("huge.png"), &png).unwrap();
    let text = GOOD.replace("[\"A\", \"B\"]", "[{ name = \"A\", logo = \"huge.png\" }]");
    let message = error_of(dir.path(), &text);
    assert_mentions(&message, &["`huge.png` is 50000 × 50000 pixels"]);
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn embargo_needs_a_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    let message = error_of(
        dir.path(),
        &format!("{GOOD}[release]\nembargo = 2025-10-30T09:00:00\n"),
    );
    assert_mentions(&message, &["`release.embargo`", "has no time zone"]);
}

#[test]
fn other_values_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let message = error_of(
        dir.path(),
        &format!(
            "{GOOD}url = \"example.org\"\nlanguage = \"english!\"\n[organisation]\naccent = \"red\"\n[poster]\nsize = \"b5\"\ntheme = \"neon\"\n"
        ),
    );
    assert_mentions(
        &message,
        &[
            "`url`",
            "`language`",
            "`organisation.accent`",
            "`poster.size`",
            "use one of a4, a3, a2, a1, a0, letter, tabloid, arch-c, arch-d",
            "`poster.theme`",
        ],
    );
}

#[test]
fn json_statements_have_the_same_shape() {
    let dir = tempfile::tempdir().unwrap();
    let json = r#"{"title": "T", "date": "2025-10-30", "body": "B", "signatories": ["A", {"name": "B", "group": "G"}],
                   "release": {"embargo": "2025-10-30T09:00:00Z"}}"#;
    let loaded =
        load::load_str(json, Format::Json, &dir.path().join("s.json"), dir.path()).unwrap();
    assert_eq!(loaded.statement.date.to_string(), "2025-10-30");
    assert_eq!(loaded.statement.signatories[1].group.as_deref(), Some("G"));
    assert!(loaded.statement.release.embargo.is_some());

    let bad = "{\"title\": \"T\",\n \"date\": 20251030, \"body\": \"B\", \"signatories\": [\"A\"]}";
    let e = load::load_str(bad, Format::Json, &dir.path().join("s.json"), dir.path())
        .unwrap_err()
        .to_string();
    assert_mentions(&e, &["s.json:2:", "date"]);
}

#[test]
fn consent_is_kept_but_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let text = GOOD.replace(
        "signatories = [\"A\", \"B\"]",
        "[[signatories]]\nname = \"A\"\nconsent = { by = \"Secret Person\", contact = \"secret@example.org\", date = \"2025-10-01\", method = \"email\" }\n",
    );
    let loaded = load_toml(dir.path(), &text).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(
        loaded.statement.signatories[0]
            .consent
            .as_ref()
            .and_then(|c| c.by.as_deref()),
        Some("Secret Person")
    );
    let prepared = ENGINE
        .prepare(&loaded.statement, &Default::default())
        .unwrap();
    let json = String::from_utf8(prepared.json.to_vec()).unwrap();
    assert!(
        !json.contains("Secret Person") && !json.contains("secret@example.org"),
        "consent reached the templates"
    );
}

#[test]
fn characters_without_a_glyph_stop_the_build_and_say_where() {
    let dir = tempfile::tempdir().unwrap();
    let text = GOOD
        .replace("title = \"T\"", "title = \"Solidarity 連帯\"")
        .replace("[\"A\", \"B\"]", "[\"A\", \"B 連\"]");
    let loaded = load_toml(dir.path(), &text).unwrap();
    let e = ENGINE
        .build(&loaded.statement, &broadside::BuildRequest::default())
        .unwrap_err()
        .to_string();
    assert_mentions(
        &e,
        &[
            "`title`: no font has a glyph for '帯' (U+5E2F), '連' (U+9023)",
            "signatory 2 (`signatories[1].name`): no font has a glyph for '連' (U+9023)",
            "--font-dir",
            "Noto Sans CJK",
        ],
    );

    let request = broadside::BuildRequest {
        allow_missing_glyphs: true,
        ..Default::default()
    };
    let documents = ENGINE.build(&loaded.statement, &request).unwrap();
    assert!(
        documents
            .iter()
            .all(|d| d.warnings.iter().any(|w| w.contains("U+9023")))
    );
}

/// Text that would make the build run away is refused when the statement is
/// read, naming the key and the limit: deeply nested Markdown (100 kB of
/// it), a name longer than any organisation's, and release list values.
#[test]
fn runaway_text_is_refused_with_its_key_and_limit() {
    let dir = tempfile::tempdir().unwrap();
    let nested = ">".repeat(100_000);
    let message = error_of(
        dir.path(),
        &format!(
            "title = \"T\"\ndate = 2025-10-30\nbody = \"\"\"{nested} x\"\"\"\nsignatories = [\"A\"]\n"
        ),
    );
    assert_mentions(
        &message,
        &["`body`", "100000 levels", "at most 16", "flatten"],
    );

    let lists: String = (0..30)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let message = error_of(
        dir.path(),
        &format!(
            "title = \"T\"\ndate = 2025-10-30\nbody = \"ok\"\nsignatories = [\"A\"]\n[[about]]\nname = \"A\"\ntext = \"\"\"{lists}\"\"\"\n"
        ),
    );
    assert_mentions(&message, &["`about[0].text`", "levels deep", "at most 16"]);

    let long = "N".repeat(400);
    let message = error_of(
        dir.path(),
        &format!("title = \"T\"\ndate = 2025-10-30\nbody = \"ok\"\nsignatories = [\"{long}\"]\n"),
    );
    assert_mentions(
        &message,
        &["`signatories[0].name`", "400 characters", "at most 300"],
    );

    let message = error_of(
        dir.path(),
        "title = \"T\"\ndate = 2025-10-30\nbody = \"ok\"\nsignatories = [\"A\"]\n[release]\nlist = -3\n",
    );
    assert_mentions(&message, &["`release.list`", "-3", "list = \"all\""]);
}

/// A name carrying a right-to-left override prints as written, not reversed:
/// the control is removed and the key named in a warning.
#[test]
fn direction_overrides_are_removed_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = load_toml(
        dir.path(),
        "title = \"T\"\ndate = 2025-10-30\nbody = \"B\"\nsignatories = [\"\u{202E}Amnesty\", \"\u{2068}OVD-Info\u{2069}\"]\n",
    )
    .unwrap();
    assert_eq!(loaded.statement.signatories[0].name, "Amnesty");
    assert_eq!(
        loaded.statement.signatories[1].name,
        "\u{2068}OVD-Info\u{2069}"
    );
    let warnings: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("signatories[0].name") && warnings[0].contains("removed"),
        "{warnings:?}"
    );
    let documents = crate::ENGINE
        .build(&loaded.statement, &broadside::BuildRequest::default())
        .unwrap();
    let annex =
        crate::pdf::Pdf::parse(&crate::find(&documents, broadside::DocumentKind::Annex).pdf);
    assert!(annex.text().contains("Amnesty"));
}

/// Every file a command reads is refused, with a message, when it is a
/// folder, a device or a pipe: nothing hangs on a FIFO or reads /dev/zero
/// until memory runs out. (Logos and signatures are also kept inside the
/// statement's folder: see the logo tests.)
#[test]
fn inputs_that_are_not_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), broadside::load::EXAMPLE_TOML).unwrap();
    std::fs::write(dir.path().join("r.csv"), "name\nA\n").unwrap();
    std::fs::write(dir.path().join("l.md"), "Dear {{ name }}").unwrap();
    // Named as the files they stand in for, so the extension check cannot
    // answer first: each is opened and found not to be a file.
    std::fs::create_dir(dir.path().join("folder.toml")).unwrap();
    let fifo = dir.path().join("pipe.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let mut bad = vec!["folder.toml", "/dev/zero"];
    if made.is_ok_and(|s| s.success()) {
        bad.push("pipe.toml");
    } else {
        crate::skip_or_fail("input::not_files (FIFO)", "mkfifo failed");
    }
    for input in bad {
        let table: Vec<Vec<&str>> = vec![
            vec!["build", input, "--out", "o"],
            vec!["letters", "s.toml", "-r", input, "-l", "l.md", "-o", "o"],
            vec!["letters", "s.toml", "-r", "r.csv", "-l", input, "-o", "o"],
            vec!["attach", input, "s.toml", "-o", "x.pdf"],
            vec!["import", input],
            vec!["signatories", input],
        ];
        for args in table {
            let out = crate::cli::broadside(dir.path(), &args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{args:?} succeeded");
            // /dev/zero has no extension: `build` refuses it for that first.
            let by_extension = input == "/dev/zero" && args[0] == "build";
            assert!(
                stderr.contains("not a file")
                    || (by_extension && stderr.contains("is not a statement file")),
                "{args:?}: {stderr}"
            );
        }
    }
}

/// Emoji print in one colour from the bundled Noto Emoji, in every
/// document; a skin-tone modifier is taken off with a warning naming the key.
#[test]
fn emoji_print_from_the_bundled_monochrome_font() {
    let dir = tempfile::tempdir().unwrap();
    let text = GOOD
        .replace("title = \"T\"", "title = \"Solidarity ✊\"")
        .replace(
            "[\"A\", \"B\"]",
            "[\"✊🏽 Solidarity Network\", \"Amnesty 👍\"]",
        );
    let loaded = load_toml(dir.path(), &text).unwrap();
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.key == "signatories[0].name" && w.message.contains("skin-tone")),
        "{:?}",
        loaded.warnings
    );
    let documents = ENGINE
        .build(&loaded.statement, &broadside::BuildRequest::default())
        .unwrap();
    for document in &documents {
        let pdf = Pdf::parse(&document.pdf);
        assert!(
            pdf.fonts()
                .iter()
                .any(|(name, embedded)| name.contains("NotoEmoji") && *embedded),
            "{}: {:?}",
            document.kind.name(),
            pdf.fonts()
        );
    }
    // (The text reader breaks lines where the font changes: compare without spaces.)
    let annex = squash(&Pdf::parse(&find(&documents, broadside::DocumentKind::Annex).pdf).text());
    assert!(annex.contains("1.✊SolidarityNetwork"), "{annex}");
    assert!(annex.contains("2.Amnesty👍"), "{annex}");
    assert!(!annex.contains('\u{1F3FD}'));
}

/// A media contact's name with a right-to-left override is cleaned with a
/// warning naming the key, and the press release prints it in logical order.
#[test]
fn an_override_in_a_contact_is_removed_and_the_release_reads_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let text = broadside::load::EXAMPLE_TOML.to_owned()
        + "\n[[contacts]]\nname = \"Ann \\u202eEvil Person\"\nphone = \"+1 \\u202e555 0100\"\n";
    let loaded = load_toml(dir.path(), &text).unwrap();
    let warned: Vec<String> = loaded.warnings.iter().map(|w| w.key.clone()).collect();
    assert!(
        warned
            .iter()
            .any(|k| k.ends_with("].name") && k.starts_with("contacts["))
            && warned.iter().any(|k| k.ends_with("].phone")),
        "{warned:?}"
    );
    let documents = ENGINE
        .build(
            &loaded.statement,
            &broadside::BuildRequest {
                documents: vec![broadside::DocumentKind::PressRelease],
                ..broadside::BuildRequest::default()
            },
        )
        .unwrap();
    let release = Pdf::parse(&find(&documents, broadside::DocumentKind::PressRelease).pdf).text();
    assert!(
        squash(&release).contains(&squash("Ann Evil Person")),
        "{release}"
    );
    assert!(!release.contains("nosreP"), "{release}");
}

/// The bounds README gives: a statement file of at most 64 MiB, and at most
/// 1,000,000 signatories, inline or in a spreadsheet; past them, a message
/// that says the bound.
#[test]
fn the_file_size_and_list_length_bounds_hold() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(64 * 1024 * 1024 + 1)
        .unwrap();
    let e = load::load_file(&big).err().unwrap().to_string();
    assert!(e.contains("may be at most 67108864 bytes"), "{e}");
    // Inline: the shortest list past the bound the TOML can hold.
    let text = format!(
        "title = \"T\"\ndate = 2025-10-30\nbody = \"B\"\nsignatories = [{}\"a\"]\n",
        "\"a\",".repeat(1_000_000)
    );
    let e = load_toml(dir.path(), &text).err().unwrap().to_string();
    assert!(
        e.contains("lists 1000001 signatories; broadside sets at most 1000000"),
        "{e}"
    );
    // A spreadsheet past the bound is refused at the row past it, before
    // the rest is read; exactly at the bound, the list loads, every row.
    let mut csv = String::from("name,country\n");
    for i in 0..1_000_001 {
        csv.push_str(&format!("Organisation {i},Georgia\n"));
    }
    std::fs::write(dir.path().join("over.csv"), &csv).unwrap();
    let at = csv.rsplitn(3, '\n').nth(2).unwrap().to_owned() + "\n";
    std::fs::write(dir.path().join("at.csv"), &at).unwrap();
    let statement = |file: &str| {
        format!(
            "title = \"T\"\ndate = 2025-10-30\nbody = \"B\"\nsignatories = {{ file = \"{file}\" }}\n"
        )
    };
    let e = load_toml(dir.path(), &statement("over.csv"))
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("has more than 1000000 signatories (row 1000002 is past them)"),
        "{e}"
    );
    let loaded = load_toml(dir.path(), &statement("at.csv"))
        .unwrap()
        .statement;
    assert_eq!(loaded.signatories.len(), 1_000_000);
    assert_eq!(loaded.signatories[999_999].name, "Organisation 999999");
    assert_eq!(loaded.signatories[0].country.as_deref(), Some("Georgia"));
}
