//! The letters' planning: the window geometry against the shared reference's
//! figures, the rows checked and filled, the file names made unique.

use super::*;

fn rect(x_mm: f64, y_mm: f64, w_mm: f64, h_mm: f64) -> RectMm {
    RectMm {
        x_mm,
        y_mm,
        w_mm,
        h_mm,
    }
}

#[test]
fn a_rectangle_contains_what_lies_within_its_edges() {
    let outer = rect(20.0, 50.0, 80.0, 40.0);
    assert!(outer.contains(&outer));
    assert!(outer.contains(&rect(25.0, 60.0, 10.0, 10.0)));
    // Past each edge in turn.
    assert!(!outer.contains(&rect(19.9, 60.0, 10.0, 10.0)));
    assert!(!outer.contains(&rect(25.0, 49.9, 10.0, 10.0)));
    assert!(!outer.contains(&rect(90.1, 60.0, 10.0, 10.0)));
    assert!(!outer.contains(&rect(25.0, 80.1, 10.0, 10.0)));
    // Larger than it, though its corner is inside.
    assert!(!outer.contains(&rect(20.0, 50.0, 80.1, 40.0)));
    assert!(!outer.contains(&rect(20.0, 50.0, 80.0, 40.1)));
}

#[test]
fn windows_are_named_as_the_help_names_them() {
    assert_eq!(Window::parse("dl"), Some(Window::Dl));
    assert_eq!(Window::parse(" DL "), Some(Window::Dl));
    assert_eq!(Window::parse("C5"), Some(Window::C5));
    assert_eq!(Window::parse("din-5008-a"), Some(Window::Din5008A));
    assert_eq!(Window::parse("a"), Some(Window::Din5008A));
    assert_eq!(Window::parse("DIN-5008-B"), Some(Window::Din5008B));
    assert_eq!(Window::parse("b"), Some(Window::Din5008B));
    assert_eq!(Window::parse("c6"), None);
    assert_eq!(Window::parse(""), None);
}

/// `../shared/reference/window-envelopes.md`, written apart from the code:
/// form A's field is y 27–72, form B's y 45–90 (x 20–105), the recipient
/// zone its lower 27.3 mm, text indented 5 mm; a DL envelope always shows
/// x 20–100, y 50–90 of form B.
#[test]
fn the_address_sits_where_the_reference_puts_the_window() {
    let near = |a: f64, b: f64| (a - b).abs() < 1e-9;
    for (window, field_top, folds) in [
        (Window::Din5008A, 27.0, vec![87.0, 192.0]),
        (Window::Din5008B, 45.0, vec![105.0, 210.0]),
        (Window::Dl, 45.0, vec![105.0, 210.0]),
        (Window::C5, 45.0, vec![148.5]),
    ] {
        let g = window.geometry();
        let zone = rect(20.0, field_top + 17.7, 85.0, 27.3);
        assert!(zone.contains(&g.address), "{window:?}: {:?}", g.address);
        assert!(g.visible.contains(&g.address), "{window:?}");
        assert!(near(g.address.x_mm, 25.0), "{window:?}: indented 5 mm");
        assert!(g.address.y_mm > zone.y_mm, "{window:?}");
        assert_eq!(g.folds, folds, "{window:?}");
        // The return address above the recipient's, in the field's upper zone.
        assert!(
            g.return_y_mm >= field_top && g.return_y_mm < zone.y_mm,
            "{window:?}"
        );
        // The date beside the field, the subject below it.
        assert!(g.date.x_mm >= 105.0 && g.date.x_mm + g.date.w_mm <= 200.0);
        assert!(g.date.y_mm >= field_top && g.date.y_mm + g.date.h_mm <= field_top + 45.0);
        assert!(g.subject_y_mm > field_top + 45.0 && g.subject_y_mm < field_top + 60.0);
    }
    assert_eq!(Window::Dl.geometry().visible, rect(20.0, 50.0, 80.0, 40.0));
    assert_eq!(
        Window::Din5008A.geometry().visible,
        rect(20.0, 44.7, 85.0, 27.3)
    );
    assert!(near(Window::Din5008B.geometry().address.y_mm, 63.7));
    assert!(near(Window::Din5008A.geometry().return_y_mm, 39.7));
    assert!(near(Window::Din5008B.geometry().subject_y_mm, 98.0));
    assert!(near(Window::Din5008A.geometry().date.y_mm, 32.0));
}

fn recipient(fields: &[(&str, &str)]) -> Recipient {
    let csv: String = {
        let header: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
        let row: Vec<String> = fields
            .iter()
            .map(|(_, v)| format!("\"{}\"", v.replace('"', "\"\"")))
            .collect();
        format!("{}\n{}\n", header.join(","), row.join(","))
    };
    let mut parsed = recipients::parse(csv.as_bytes(), Path::new("r.csv")).unwrap();
    assert!(parsed.bad.is_empty(), "{:?}", parsed.bad);
    parsed.rows.remove(0)
}

#[test]
fn the_address_block_is_title_and_name_organisation_then_the_address() {
    let row = recipient(&[
        ("name", " Jane Doe "),
        ("title", " H.E. Ms "),
        ("organisation", " Ministry "),
        ("address", "  1 Example Square \n\n Capital City\n"),
    ]);
    assert_eq!(
        address_lines(&row),
        [
            "H.E. Ms Jane Doe",
            "Ministry",
            "1 Example Square",
            "Capital City"
        ]
    );
    let row = recipient(&[("name", "Jane Doe"), ("organization", "Ministry")]);
    assert_eq!(address_lines(&row), ["Jane Doe", "Ministry"]);
    let row = recipient(&[("name", "Jane Doe")]);
    assert_eq!(address_lines(&row), ["Jane Doe"]);
}

fn planned(file: &str) -> Planned {
    Planned {
        file: file.into(),
        language: "en".into(),
        recipient: recipient(&[("name", "X")]),
        subject: String::new(),
        body: String::new(),
    }
}

#[test]
fn colliding_file_names_are_numbered_whatever_their_case() {
    let mut letters: Vec<Planned> = ["a.pdf", "b.pdf", "A.pdf", "a.pdf", "a-2.pdf"]
        .into_iter()
        .map(planned)
        .collect();
    let renamed = unique_file_names(&mut letters);
    let files: Vec<&str> = letters.iter().map(|l| l.file.as_str()).collect();
    assert_eq!(files, ["a.pdf", "b.pdf", "A-2.pdf", "a-3.pdf", "a-2-2.pdf"]);
    assert_eq!(
        renamed,
        [
            ("A.pdf".to_owned(), "A-2.pdf".to_owned()),
            ("a.pdf".to_owned(), "a-3.pdf".to_owned()),
            ("a-2.pdf".to_owned(), "a-2-2.pdf".to_owned()),
        ]
    );
    // A name made safe is not reported as a collision.
    let mut letters = vec![planned("a/b.pdf")];
    let renamed = unique_file_names(&mut letters);
    assert!(renamed.is_empty(), "{renamed:?}");
    assert_eq!(letters[0].file, safe_file_name("a/b.pdf"));
    assert_ne!(letters[0].file, "a/b.pdf");
}

const STATEMENT: &str = "title = \"Free them\"\ndate = 2025-10-30\nlanguage = \"en\"\nbody = \"B\"\n\
    signatories = [\"Amnesty\", \"OVD-Info\", \"Viasna\"]\n\n\
    [organisation]\nname = \"Coalition\"\n\n\
    [letter]\nfrom = \"1 Example Street\\n\\n  Capital City \"\n\n\
    [translations.ru]\ntitle = \"Свободу им\"\nbody = \"Б\"\n";

fn statement(text: &str) -> Statement {
    let dir = Path::new("/nonexistent");
    crate::load::load_str(
        text,
        crate::load::Format::Toml,
        &dir.join("statement.toml"),
        dir,
    )
    .unwrap()
    .statement
}

#[test]
fn the_return_address_is_its_lines_after_the_organisation() {
    let (from, line) = return_address(&statement(STATEMENT));
    assert_eq!(from, ["1 Example Street", "Capital City"]);
    assert_eq!(
        line.as_deref(),
        Some("Coalition · 1 Example Street · Capital City")
    );
    let without = STATEMENT.replace("[organisation]\nname = \"Coalition\"\n", "");
    let (_, line) = return_address(&statement(&without));
    assert_eq!(line.as_deref(), Some("1 Example Street · Capital City"));
    let none = STATEMENT.replace("from = \"1 Example Street\\n\\n  Capital City \"", "");
    assert_eq!(return_address(&statement(&none)), (Vec::new(), None));
}

#[test]
fn signers_without_images_are_listed_as_written() {
    let with = STATEMENT.replace(
        "[translations.ru]",
        "[[letter.signers]]\nname = \"A. Director\"\nrole = \"Director\"\norganisation = \"Coalition\"\n\n\
         [[letter.signers]]\nname = \"B. Chair\"\n\n[translations.ru]",
    );
    let (signers, assets) = signers(&statement(&with)).unwrap();
    assert!(assets.is_empty());
    let names: Vec<(&str, Option<&str>, Option<&str>)> = signers
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.role.as_deref(),
                s.organisation.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("A. Director", Some("Director"), Some("Coalition")),
            ("B. Chair", None, None)
        ]
    );
    // A signature image that is not there is a problem naming its key.
    let missing = with.replace(
        "name = \"B. Chair\"",
        "name = \"B. Chair\"\nsignature = \"nowhere.png\"",
    );
    match super::signers(&statement(&missing)) {
        Err(Error::Invalid { problems, .. }) => {
            assert_eq!(problems.len(), 1);
            assert_eq!(problems[0].key, "letter.signers[1].signature");
        }
        other => panic!("{:?}", other.map(|(s, _)| s.len())),
    }
}

const LETTER: &str = "{{ recipient.salutation or \"Excellency\" }},\n\n\
    Row {{ row }} ({{ recipient.row }}), {{ name }} in {{ language }}: \
    {{ statement.signatories.count }} signed *{{ statement.title }}* ({{ statement.organisation }}, {{ statement.signatories.names | join(\"; \") }}).\n";

fn request(csv: &str, skip_bad: bool) -> LettersRequest {
    LettersRequest {
        recipients: recipients::parse(csv.as_bytes(), Path::new("recipients.csv")).unwrap(),
        letters: LetterTexts::from_text(Path::new("letter.md"), LETTER),
        window: Window::Dl,
        file_name: "{{ name }}.pdf".into(),
        skip_bad,
        with_statement: false,
        layout: Layout::default(),
    }
}

const ROWS: &str = "name,language,salutation,address\n\
    Jane Doe,en,Dear Minister,\n\
    Иван Петров,ru,,\n\
    Hans Meier,de,,\n\
    Long Address,en,,\"1\n2\n3\n4\n5\n6\"\n\
    Jane Doe,,,\n\
    Six Lines,en,,\"1\n2\n3\n4\n5\"\n";

#[test]
fn a_plan_fills_every_row_in_its_language_and_names_every_problem() {
    let engine = Engine::new();
    let statement = statement(STATEMENT);
    let plan = plan(&engine, &statement, &request(ROWS, true)).unwrap();
    let letters: Vec<(&str, &str, &str)> = plan
        .letters
        .iter()
        .map(|l| (l.file.as_str(), l.language.as_str(), l.subject.as_str()))
        .collect();
    // Six lines with the name is what the window shows: the last row fits.
    assert_eq!(letters.len(), 4, "{letters:?}");
    assert_eq!(letters[3].0, "Six Lines.pdf");
    assert_eq!(letters[0].0, "Jane Doe.pdf");
    assert_eq!(letters[1].1, "ru");
    assert_eq!(letters[2], ("Jane Doe-2.pdf", "en", letters[0].2));
    assert_eq!(
        plan.renamed,
        [("Jane Doe.pdf".to_owned(), "Jane Doe-2.pdf".to_owned())]
    );
    assert_eq!(
        plan.letters[0].body,
        // What a placeholder brings is escaped, so it prints as written.
        "Dear Minister,\n\nRow 1 (1), Jane Doe in en: 3 signed *Free them* (Coalition, Amnesty\\; OVD\\-Info\\; Viasna)."
    );
    assert!(
        plan.letters[1]
            .body
            .starts_with("Excellency,\n\nRow 2 (2), Иван Петров in ru: 3 signed *Свободу им*"),
        "{}",
        plan.letters[1].body
    );
    // The row without a language reads the statement's own.
    assert!(plan.letters[2].body.contains("Row 5 (5), Jane Doe in en:"));
    let skipped: Vec<(&str, &str)> = plan
        .skipped
        .iter()
        .map(|s| (s.place.as_str(), s.message.as_str()))
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert_eq!(skipped[0].0, "recipients.csv:4 (Hans Meier)");
    assert!(
        skipped[0].1.contains("`de`") && skipped[0].1.contains("en, ru"),
        "{}",
        skipped[0].1
    );
    assert_eq!(skipped[1].0, "recipients.csv:5 (Long Address)");
    assert!(skipped[1].1.contains("7 lines"), "{}", skipped[1].1);
    assert!(plan.warnings.is_empty());

    // Without --skip-bad nothing is planned, and every bad row is named.
    let Err(Error::Usage(message)) = super::plan(&engine, &statement, &request(ROWS, false)) else {
        panic!("bad rows were not refused");
    };
    assert!(
        message.starts_with("2 of 6 recipients cannot get a letter"),
        "{message}"
    );
    assert!(message.contains("  recipients.csv:4 (Hans Meier): asks for language `de`"));
    assert!(message.contains("  recipients.csv:5 (Long Address): the address has 7 lines"));
}

#[test]
fn a_row_that_cannot_fill_the_letter_is_skipped_with_its_columns() {
    let engine = Engine::new();
    let statement = statement(STATEMENT);
    let mut request = request("name,language\nJane Doe,en\nA \u{202E}B,en\n", true);
    request.letters = LetterTexts::from_text(
        Path::new("letter.md"),
        "Dear {{ recipient.nickname.first }},\n",
    );
    let Err(Error::Usage(message)) = super::plan(&engine, &statement, &request) else {
        panic!("a letter no row can fill was planned");
    };
    assert!(
        message.contains("no recipient can get a letter"),
        "{message}"
    );

    request.letters = LetterTexts::from_text(Path::new("letter.md"), "Dear {{ name }},\n");
    let plan = super::plan(&engine, &statement, &request).unwrap();
    assert_eq!(plan.letters.len(), 2);
    assert_eq!(plan.letters[1].body, "Dear A B,");
    assert_eq!(plan.warnings.len(), 1);
    assert!(plan.warnings[0].place.contains(":3"), "{:?}", plan.warnings);
    assert!(plan.warnings[0].message.contains("direction controls"));
}

#[test]
fn a_statement_gives_its_letters_its_fields() {
    let engine = Engine::new();
    let statement = statement(STATEMENT);
    let context = statement_context(&statement, &engine).unwrap();
    let get = |path: &str| -> String {
        let mut value = context.clone();
        for key in path.split('.') {
            value = value.get_attr(key).unwrap();
        }
        value.to_string()
    };
    assert_eq!(get("title"), "Free them");
    assert_eq!(get("language"), "en");
    assert_eq!(get("organisation"), "Coalition");
    assert_eq!(get("signatories.count"), "3");
    assert!(get("date").contains("2025"), "{}", get("date"));
    assert!(
        get("signatories.count_text").contains('3')
            || get("signatories.count_text").contains("three")
    );
    let row = recipient(&[("name", "Jane"), ("language", "ru")]);
    assert_eq!(language_of(&row, &statement).unwrap(), "ru");
    let row = recipient(&[("name", "Jane")]);
    assert_eq!(language_of(&row, &statement).unwrap(), "en");
    let context = row_context(&row, &Value::from("S"), "en");
    assert_eq!(context.get_attr("name").unwrap().to_string(), "Jane");
    assert_eq!(context.get_attr("row").unwrap().to_string(), "1");
    assert_eq!(context.get_attr("language").unwrap().to_string(), "en");
    assert_eq!(context.get_attr("statement").unwrap().to_string(), "S");
    let own = context.get_attr("recipient").unwrap();
    assert_eq!(own.get_attr("name").unwrap().to_string(), "Jane");
    assert_eq!(own.get_attr("row").unwrap().to_string(), "1");
}
