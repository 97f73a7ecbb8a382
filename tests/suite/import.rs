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
    // The annex lists what was imported, in the coalition's order.
    let annex =
        crate::pdf::Pdf::parse(&std::fs::read(dir.path().join("out/annex.pdf")).unwrap()).text();
    let names = example_names();
    crate::pdf::assert_in_order(
        &annex,
        &[
            "Annex: Signatories",
            &names[0],
            &names[1],
            &names[2],
            &names[3],
            &names[28],
        ],
    );

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
    // The letter is Jane Doe's, followed by the statement it carries.
    let letter =
        crate::pdf::Pdf::parse(&std::fs::read(dir.path().join("letters/1-jane-doe.pdf")).unwrap())
            .text();
    let title = broadside::load::load_file(&dir.path().join("new/statement.toml"))
        .unwrap()
        .statement
        .title;
    crate::pdf::assert_in_order(&letter, &["Jane Doe", &title]);
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
            "signatory 1 `Amnesty International` (`signatories[0]`) and signatory 3 `amnesty-international` (`signatories[2]`) look like"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "signatory 4 `The Sakharov Centre` (`signatories[3]`) and signatory 5 `Sakharov Centre` (`signatories[4]`) look like"
        ),
        "{stdout}"
    );
    assert!(
        !stdout.contains("`Human Rights Watch` (`signatories[1]`) and"),
        "{stdout}"
    );
}

/// What `broadside import` makes of `text`: the statement it wrote, loaded
/// back as `build` would, and what the command said.
fn import_text(text: &str) -> (broadside::Statement, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("letter.txt"), text).unwrap();
    let out = broadside_ok(dir.path(), &["import", "letter.txt", "-o", "s.toml"]);
    let toml = std::fs::read_to_string(dir.path().join("s.toml")).unwrap();
    let loaded = broadside::load::load_file(&dir.path().join("s.toml"))
        .unwrap_or_else(|e| panic!("the imported statement loads: {e}\n{toml}"));
    (
        loaded.statement,
        toml,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn names(s: &broadside::Statement) -> Vec<&str> {
    s.signatories.iter().map(|x| x.name.as_str()).collect()
}

fn groups(s: &broadside::Statement) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for x in &s.signatories {
        let g = x.group.clone().unwrap_or_default();
        match out.last_mut() {
            Some((last, n)) if *last == g => *n += 1,
            _ => out.push((g, 1)),
        }
    }
    out
}

const BODY_EN: &str = "We are writing as civil society organisations from a range of countries, working with farmers, fishers and small producers who are responsible for most of the food the world eats.\n\nWe call on all governments to act on this now, and to hear those who are most affected by these decisions.";

/// Digits and dots that belong to a name are never taken for a list marker,
/// and every name import writes is in the text as written.
#[test]
fn names_with_digits_and_dots_are_kept_whole() {
    let text = format!(
        "A letter on trade\n\n{BODY_EN}\n\nSignatories:\n\n1. 350.org\n2. CNCD-11.11.11, Belgium\n- 11.11.11, Belgium\n- 2020 Vision Foundation\n3) Attac Austria, Austria\n"
    );
    let (s, toml, _) = import_text(&text);
    assert_eq!(
        names(&s),
        [
            "350.org",
            "CNCD-11.11.11",
            "11.11.11",
            "2020 Vision Foundation",
            "Attac Austria"
        ],
        "{toml}"
    );
    for n in names(&s) {
        assert!(text.contains(n), "{n} is in the text as written");
    }
    assert_eq!(s.signatories[1].country.as_deref(), Some("Belgium"));
    assert_eq!(s.signatories[0].country, None);
}

/// Group headings without a colon, in Spanish and English, are headings, not
/// signatories; the Spanish list heading "Firman," opens the list.
#[test]
fn group_headings_without_a_colon_and_list_headings_in_spanish() {
    let body = "Nosotros, las organizaciones abajo firmantes, expresamos nuestra profunda preocupación por la situación de los derechos humanos y exigimos la liberación inmediata de todas las personas detenidas.\n\nPedimos a los gobiernos que actúen ahora y escuchen a quienes más sufren estas decisiones.";
    let text = format!(
        "Carta abierta a los gobiernos\n\nDomingo, 22 de abril, 2012\n\n{body}\n\nFirman,\n\nOrganizaciones Internacionales\nAmigos de la Tierra Internacional\nAlianza Social Continental (ATALC)\nRed Latinoamericana sobre Deuda (LATINDADD)\n\nGlobal\nThird World Network\nFocus on the Global South\n\nNational\nCentro de Estudios Legales (Argentina)\nRed Vida, Uruguay\nCentre for Policy Dialogue (CPD)\n\nPara más información, póngase en contacto con Dan James, djames@cepr.net.\n"
    );
    let (s, toml, stderr) = import_text(&text);
    assert_eq!(s.signatories.len(), 8, "{toml}");
    assert_eq!(
        groups(&s),
        [
            ("Organizaciones Internacionales".to_owned(), 3),
            ("Global".to_owned(), 2),
            ("National".to_owned(), 3)
        ],
        "{toml}"
    );
    assert_eq!(s.language, "es", "{stderr}");
    assert_eq!(s.date.to_string(), "2012-04-22");
    assert_eq!(s.title, "Carta abierta a los gobiernos");
    assert!(
        !s.body.contains("Carta abierta") && !s.body.contains("2012"),
        "title and date are not left in the body"
    );
    assert!(
        !s.body.contains("Firman"),
        "the list heading is not in the body"
    );
    assert_eq!(
        names(&s)[1],
        "Alianza Social Continental (ATALC)",
        "an acronym is not a country"
    );
    assert_eq!(s.signatories[5].name, "Centro de Estudios Legales");
    assert_eq!(s.signatories[5].country.as_deref(), Some("Argentina"));
    assert_eq!(s.signatories[6].country.as_deref(), Some("Uruguay"));
    assert_eq!(s.signatories[7].country, None);
    assert!(
        !names(&s).iter().any(|n| n.contains("djames")),
        "the contact line is no signatory"
    );
    assert!(
        toml.contains("djames@cepr.net"),
        "the contact line is kept as a comment"
    );
}

/// A French list heading with its date, numbered entries, "Name, Country".
#[test]
fn a_french_list_heading_opens_the_list_and_its_date_is_read() {
    let body = "Nous appelons les gouvernements à saisir cette opportunité de changement transformationnel.\n\nLe régime d'hyper-mondialisation du commerce a échoué et doit être remplacé par des règles nouvelles.";
    let mut text = format!("Transformer l’OMC\n\n{body}\n\nEndosseurs au 30 avril 2020:\n");
    for i in 1..=85 {
        text.push_str(&format!(
            "{i}. Organisation numéro {i}, {}\n",
            ["Belgique", "Sénégal", "Afrique du Sud", "France"][i % 4]
        ));
    }
    let (s, toml, _) = import_text(&text);
    assert_eq!(s.signatories.len(), 85, "{toml}");
    assert_eq!(s.language, "fr");
    assert_eq!(s.date.to_string(), "2020-04-30");
    assert!(
        !s.body.contains("Organisation numéro"),
        "the list is not left in the body"
    );
    assert_eq!(s.signatories[1].name, "Organisation numéro 2");
    assert_eq!(s.signatories[1].country.as_deref(), Some("Afrique du Sud"));
}

/// A table pasted from a web page: a header row, a description column left
/// out of the name, a country column, a group heading without a colon and
/// a list without a heading at all; footnotes after the list.
#[test]
fn a_tab_separated_table_is_read_by_its_columns() {
    let text = format!(
        "Open letter to the WTO\n\n19 November 2021\n\n{BODY_EN}\n\nInternational and Regional Organizations and Networks\n\nNo.\tOrganisation\tDescription\n1\tAmnesty International\tAmnesty International is a movement of over 10 million people which campaigns for change.\n2\tThird World Network (TWN)\tTWN is an independent non-profit international research and advocacy organisation.\n\nNational Organizations\n\n3\t11.11.11\tBelgium\n4\tAttac Norway\tNorway\n5\tHandel Anders!\tNetherlands\n6\tMarocco Forum\tMarocco\n\n1 “A New Multilateralism for Shared Prosperity” by Kevin Gallagher and Richard Kozul-Wright\n\n2 Research by Public Citizen, available at https://www.citizen.org/wto\n"
    );
    let (s, toml, _) = import_text(&text);
    assert_eq!(
        names(&s),
        [
            "Amnesty International",
            "Third World Network (TWN)",
            "11.11.11",
            "Attac Norway",
            "Handel Anders!",
            "Marocco Forum"
        ],
        "{toml}"
    );
    assert_eq!(
        groups(&s),
        [
            (
                "International and Regional Organizations and Networks".to_owned(),
                2
            ),
            ("National Organizations".to_owned(), 4)
        ]
    );
    let countries: Vec<Option<&str>> = s.signatories.iter().map(|x| x.country.as_deref()).collect();
    assert_eq!(
        countries,
        [
            None,
            None,
            Some("Belgium"),
            Some("Norway"),
            Some("Netherlands"),
            Some("Marocco")
        ]
    );
    assert!(
        toml.contains("\"Marocco\" is in the table's country column but is not a country"),
        "{toml}"
    );
    assert!(toml.contains("description column was left out"), "{toml}");
    assert!(
        toml.contains("Kozul-Wright"),
        "the footnote is kept as a comment"
    );
    assert_eq!(s.date.to_string(), "2021-11-19");
}

/// Letters signed by people: a count line before the list, "Name, Role,
/// Organisation" kept whole, a note between two groups; a numbered list of
/// the people the letter defends, inside the body, is not the list.
#[test]
fn a_letter_signed_by_people_and_a_numbered_list_in_the_body() {
    let text = format!(
        "Free the defenders\n\n4th February 2021\n\n{BODY_EN}\n\nThe defenders held today are:\n\n1. Ola Bini\n2. Narges Mohammadi\n3. Ales Bialiatski\n\nWe ask for their release without conditions and without delay, and for the charges against them to be dropped.\n\n1,104 total signers as of 3 March 2021\n\nAcademics:\nJane Roe, Professor of Law, University of Somewhere\nJohn Doe, Lecturer, Institute of Things\n\nThe following signed in a personal capacity; affiliations are for identification only and do not imply endorsement.\n\nIndividuals:\nAnna Example, Journalist, Daily Paper\nBen Example, Researcher\n"
    );
    let (s, toml, _) = import_text(&text);
    assert_eq!(
        names(&s),
        [
            "Jane Roe, Professor of Law, University of Somewhere",
            "John Doe, Lecturer, Institute of Things",
            "Anna Example, Journalist, Daily Paper",
            "Ben Example, Researcher"
        ],
        "{toml}"
    );
    assert_eq!(groups(&s).len(), 2);
    assert!(
        s.body.contains("1. Ola Bini"),
        "the body's own list stays in the body"
    );
    assert!(
        toml.contains("personal capacity"),
        "the note is kept as a comment"
    );
    assert_eq!(s.date.to_string(), "2021-02-04");
}

/// A bare list of names under "Signatories", with footnotes between the
/// body and the list, and names with " - " and dots.
#[test]
fn bare_names_under_a_heading_with_footnotes_before_it() {
    let text = format!(
        "Statement for the Protection of Digital Rights Defenders\n\n{BODY_EN}\n\n1Amnesty International, Ecuador: Government interfered, https://www.amnesty.org/x\n\n2https://twitter.com/davidakaye/status/1\n\nSignatories\n\nAccess Now\nArab Digital Expression Foundation - ADEF\nInstituto de Pesquisa em Direito e Tecnologia do Recife (IP.rec)\nRede Ciranda.net\nEFF\nTEDIC\n"
    );
    let (s, toml, _) = import_text(&text);
    assert_eq!(
        names(&s),
        [
            "Access Now",
            "Arab Digital Expression Foundation - ADEF",
            "Instituto de Pesquisa em Direito e Tecnologia do Recife (IP.rec)",
            "Rede Ciranda.net",
            "EFF",
            "TEDIC"
        ],
        "{toml}"
    );
    assert_eq!(s.language, "en");
}
