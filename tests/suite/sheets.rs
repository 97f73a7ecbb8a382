//! Signatories in a spreadsheet beside the statement: CSV as a form tool
//! exports it, XLSX as an office suite saves it; the annex read back.

use std::io::Write;
use std::path::Path;

use broadside::DocumentKind;

use crate::pdf::{Pdf, assert_in_order};
use crate::{build_toml, find, load_toml};

const HEAD: &str = "title = \"T\"\ndate = 2025-10-30\nbody = \"B\"\n";

/// What a Google Forms export looks like: a timestamp first, the
/// organisation under the question's wording, a contact email.
const FORM_CSV: &str = "Timestamp,Organisation name,Country,Email Address,Role\n\
2025/10/01 10:12:03,350.org,,press@350.org,Director\n\
2025/10/01 11:40:00,Viasna,Belarus,info@viasna.example,\n\
,,,,\n\
2025/10/02 09:01:59,\"Memorial, Moscow\",Russia,m@memorial.example,Chair\n";

#[test]
fn a_form_export_is_the_list_in_its_order_and_consent_stays_unprinted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("signatures.csv"), FORM_CSV).unwrap();
    let text = format!("{HEAD}signatories = {{ file = \"signatures.csv\" }}\n");
    let loaded = load_toml(dir.path(), &text).unwrap();
    let names: Vec<&str> = loaded
        .statement
        .signatories
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["350.org", "Viasna", "Memorial, Moscow"]);
    let consent = loaded.statement.signatories[0].consent.clone().unwrap();
    assert_eq!(consent.date.as_deref(), Some("2025/10/01 10:12:03"));
    assert_eq!(consent.contact.as_deref(), Some("press@350.org"));
    let documents = build_toml(dir.path(), &text);
    let annex = Pdf::parse(&find(&documents, DocumentKind::Annex).pdf).text();
    assert_in_order(
        &annex,
        &["350.org", "Viasna", "Belarus", "Memorial, Moscow", "Russia"],
    );
    assert!(
        !annex.contains("press@350.org") && !annex.contains("2025/10/01"),
        "{annex}"
    );
}

#[test]
fn a_mapping_names_the_columns_and_mistakes_name_the_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("list.csv"),
        "Signed as;Land\nAmnesty;France\n;Chile\nAmnesty;France\n",
    )
    .unwrap();
    let text = format!(
        "{HEAD}[signatories]\nfile = \"list.csv\"\ncolumns = {{ name = \"Signed as\", country = \"Land\" }}\n"
    );
    let e = load_toml(dir.path(), &text).err().unwrap().to_string();
    // The empty name, and the same name twice in one country, each named
    // by the spreadsheet's row and column.
    assert!(
        e.contains("has no name (list.csv row 3, column `Signed as`)"),
        "{e}"
    );
    assert!(
        e.contains("listed twice") && e.contains("list.csv row 4, column `Signed as`"),
        "{e}"
    );

    let text =
        format!("{HEAD}signatories = {{ file = \"list.csv\", columns = {{ name = \"Nom\" }} }}\n");
    let e = load_toml(dir.path(), &text).err().unwrap().to_string();
    assert!(
        e.contains("`signatories.file`") && e.contains("no column `Nom`"),
        "{e}"
    );
    let text = format!(
        "{HEAD}signatories = {{ file = \"list.csv\", columns = {{ nme = \"Signed as\" }} }}\n"
    );
    let e = load_toml(dir.path(), &text).err().unwrap().to_string();
    assert!(
        e.contains("`signatories.columns.nme` is not a field"),
        "{e}"
    );
    for (file, expected) in [
        ("missing.csv", "`missing.csv` does not exist"),
        ("../outside.csv", "statement's folder"),
        ("list.pdf", "not .pdf"),
    ] {
        let text = format!("{HEAD}signatories = {{ file = \"{file}\" }}\n");
        let e = load_toml(dir.path(), &text).err().unwrap().to_string();
        assert!(
            e.contains("`signatories.file`") && e.contains(expected),
            "{file}: {e}"
        );
    }
}

/// A minimal XLSX workbook (what Excel and LibreOffice save, reduced to the
/// parts a reader needs), its cells inline strings.
fn xlsx(path: &Path, rows: &[&[&str]]) {
    let mut sheet = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, value) in row.iter().enumerate() {
            let column = (b'A' + c as u8) as char;
            sheet.push_str(&format!(
                "<c r=\"{column}{}\" t=\"inlineStr\"><is><t>{value}</t></is></c>",
                r + 1
            ));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let parts = [
        ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".to_owned()),
        ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_owned()),
        ("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Sign-ons\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".to_owned()),
        ("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".to_owned()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, content) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn a_workbook_is_read_from_its_named_sheet() {
    let dir = tempfile::tempdir().unwrap();
    xlsx(
        &dir.path().join("signatures.xlsx"),
        &[
            &["Group", "Name", "Country"],
            &["Conveners", "ОВД-Инфо", "Россия"],
            &["Conveners", "Viasna", "Belarus"],
            &["Co-signers", "مرکز حقوق بشر", "Iran"],
        ],
    );
    let text =
        format!("{HEAD}signatories = {{ file = \"signatures.xlsx\", sheet = \"Sign-ons\" }}\n");
    let loaded = load_toml(dir.path(), &text).unwrap();
    let s = &loaded.statement.signatories;
    assert_eq!(
        s.iter()
            .map(|s| (s.name.as_str(), s.group.as_deref()))
            .collect::<Vec<_>>(),
        [
            ("ОВД-Инфо", Some("Conveners")),
            ("Viasna", Some("Conveners")),
            ("مرکز حقوق بشر", Some("Co-signers")),
        ]
    );
    let documents = build_toml(dir.path(), &text);
    let annex = Pdf::parse(&find(&documents, DocumentKind::Annex).pdf).text();
    assert_in_order(&annex, &["CONVENERS", "ОВД-Инфо", "Viasna", "CO-SIGNERS"]);
    let text = format!("{HEAD}signatories = {{ file = \"signatures.xlsx\", sheet = \"Other\" }}\n");
    let e = load_toml(dir.path(), &text).err().unwrap().to_string();
    assert!(e.contains("has no sheet `Other`; it has Sign-ons"), "{e}");
}

#[test]
fn import_makes_a_statement_that_reads_the_spreadsheet() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("signatures.csv"), FORM_CSV).unwrap();
    let out = crate::cli::broadside(
        dir.path(),
        &["import", "signatures.csv", "-o", "statement.toml"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("3 signatories in signatures.csv"),
        "{stderr}"
    );
    assert!(stderr.contains("name from `Organisation name`"), "{stderr}");
    let toml = std::fs::read_to_string(dir.path().join("statement.toml")).unwrap();
    assert!(
        toml.contains("signatories = { file = \"signatures.csv\" }"),
        "{toml}"
    );
    // Filled in, it builds with the spreadsheet's rows.
    let filled = toml
        .replace("title = \"\"", "title = \"Free them all\"")
        .replace(
            "body = \"\"\"\n\n\"\"\"",
            "body = \"\"\"\nWe ask for their release.\n\"\"\"",
        );
    let documents = build_toml(dir.path(), &filled);
    let annex = Pdf::parse(&find(&documents, DocumentKind::Annex).pdf).text();
    assert_in_order(&annex, &["350.org", "Viasna", "Memorial, Moscow"]);
    // The statement must live beside the spreadsheet.
    std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
    let out = crate::cli::broadside(
        dir.path(),
        &["import", "signatures.csv", "-o", "elsewhere/s.toml"],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("write the statement beside"));
}
