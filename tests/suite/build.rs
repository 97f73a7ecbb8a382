//! The documents themselves, read back from the PDF bytes.

use broadside::load::statement::{Paper, PosterSize};
use broadside::resolve::data::Layout;
use broadside::{BuildRequest, DocumentKind};

use crate::pdf::{Pdf, assert_close, assert_in_order, mm, squash};
use crate::{ENGINE, EXAMPLE, build_toml, example, example_names, find};

#[test]
fn the_example_lists_29_signatories_in_the_coalitions_order() {
    let names = example_names();
    assert_eq!(names.len(), 29);
    assert_eq!(names[0], "McCain Institute");
    assert_eq!(names[28], "World Liberty Congress");
    let annex = Pdf::parse(&example(DocumentKind::Annex).pdf);
    let text = annex.text();
    let needles: Vec<&str> = names.iter().map(String::as_str).collect();
    assert_in_order(&text, &needles);
    // Numbered as the coalition numbered them, with the groups as headings.
    assert_in_order(
        &text,
        &[
            "CONVENERS",
            "1.",
            "McCain Institute",
            "2.",
            "Freedom House",
            "CO-ORGANISERS",
            "3.",
            "Free Russia Foundation",
            "CO-SIGNERS",
            "5.",
            "Abdorrahman",
        ],
    );
    assert!(
        text.contains("Annex: Signatories") || squash(&text).contains("Annex:Signatories"),
        "annex title"
    );
    assert!(squash(&text).contains(&squash("Signed by 29 organizations")));
}

#[test]
fn the_annex_has_a_running_header_and_page_x_of_y() {
    let annex = Pdf::parse(&example(DocumentKind::Annex).pdf);
    let pages = annex.page_count();
    for page in 1..=pages as u32 {
        let text = squash(&annex.page_text(page));
        assert!(
            text.contains(&squash(&format!("Page {page} of {pages}"))),
            "page {page} numbers itself: {text}"
        );
        assert!(text.contains("ANNEX"), "page {page} has the running header");
    }
}

#[test]
fn the_press_release_has_headline_dateline_body_and_end_mark() {
    let release = Pdf::parse(&example(DocumentKind::PressRelease).pdf);
    let text = release.text();
    assert_in_order(
        &text,
        &[
            "FOR IMMEDIATE RELEASE",
            "Joint Statement on the International Day of Political Prisoners",
            "October 30, 2025 —",
            "On this International Day of Political Prisoners, we stand together",
            "originated in the Soviet Union in 1974",
            "must remain a global cause.",
            "Signatories",
            "McCain Institute",
            "World Liberty Congress",
            "###",
        ],
    );
}

#[test]
fn multi_page_releases_say_more_on_every_page_but_the_last() {
    let release = Pdf::parse(&example(DocumentKind::PressRelease).pdf);
    let pages = release.page_count() as u32;
    assert!(pages >= 2, "the example's release runs over two pages");
    for page in 1..=pages {
        let text = squash(&release.page_text(page));
        assert_eq!(
            text.contains("-more-"),
            page < pages,
            "page {page} of {pages}: {text}"
        );
        assert!(text.contains(&squash(&format!("Page {page} of {pages}"))));
    }
}

#[test]
fn the_poster_is_a2_with_a_3mm_bleed() {
    let poster = Pdf::parse(&example(DocumentKind::Poster).pdf);
    assert_eq!(poster.page_count(), 1);
    let media = poster.page_box(1, b"MediaBox").expect("MediaBox");
    let trim = poster.page_box(1, b"TrimBox").expect("TrimBox");
    assert_close(media[2] - media[0], mm(426.0), "media width");
    assert_close(media[3] - media[1], mm(600.0), "media height");
    assert_close(trim[2] - trim[0], mm(420.0), "trim width");
    assert_close(trim[3] - trim[1], mm(594.0), "trim height");
    assert_close(trim[0] - media[0], mm(3.0), "left bleed");
    assert_close(trim[1] - media[1], mm(3.0), "bottom bleed");
    let text = poster.text();
    assert_in_order(
        &text,
        &[
            "OCTOBER 30, 2025",
            "Political prisoners must not be forgotten",
            "No one should be imprisoned",
            "McCain Institute",
            "World Liberty Congress",
        ],
    );
}

#[test]
fn office_documents_are_a4_or_letter() {
    for kind in [DocumentKind::PressRelease, DocumentKind::Annex] {
        let pdf = Pdf::parse(&example(kind).pdf);
        let media = pdf.page_box(1, b"MediaBox").expect("MediaBox");
        assert_close(media[2] - media[0], mm(210.0), "A4 width");
        assert_close(media[3] - media[1], mm(297.0), "A4 height");
    }
    let loaded = broadside::load::load_example().unwrap();
    let request = BuildRequest {
        documents: vec![DocumentKind::Annex],
        layout: Layout {
            paper: Paper::Letter,
            poster_size: Some(PosterSize::parse("a3").unwrap()),
            ..Layout::default()
        },
        ..BuildRequest::default()
    };
    let built = ENGINE.build(&loaded.statement, &request).unwrap();
    assert_eq!(built.len(), 1, "only the annex was asked for");
    let media = Pdf::parse(&built[0].pdf).page_box(1, b"MediaBox").unwrap();
    assert_close(media[2] - media[0], 612.0, "Letter width");
    assert_close(media[3] - media[1], 792.0, "Letter height");
}

#[test]
fn every_font_is_embedded() {
    for document in EXAMPLE.iter() {
        let fonts = Pdf::parse(&document.pdf).fonts();
        assert!(!fonts.is_empty(), "{} uses fonts", document.kind.name());
        for (name, embedded) in fonts {
            assert!(
                embedded,
                "{}: font {name} is not embedded",
                document.kind.name()
            );
        }
    }
}

#[test]
fn metadata_names_the_document_and_its_date() {
    let release = Pdf::parse(&example(DocumentKind::PressRelease).pdf);
    assert_eq!(
        release.info(b"Title").as_deref(),
        Some("Joint Statement on the International Day of Political Prisoners")
    );
    let created = release.info(b"CreationDate").expect("a creation date");
    assert!(
        created.starts_with("D:20251030"),
        "created on the statement's date: {created}"
    );
    let creator = release.info(b"Creator").expect("a creator");
    assert!(creator.starts_with("broadside"), "{creator}");
}

/// Same inputs, same bytes: in another process, and whether a document is
/// built alone or with the others (the engine also reuses a PDF whose pages
/// are unchanged, which must not show).
#[test]
fn two_builds_are_byte_identical() {
    let loaded = broadside::load::load_example().unwrap();
    let fresh = broadside::Engine::new()
        .build(&loaded.statement, &BuildRequest::default())
        .unwrap();
    for (a, b) in EXAMPLE.iter().zip(&fresh) {
        assert_eq!(a.kind, b.kind);
        assert!(
            a.pdf == b.pdf,
            "{} differs between two engines",
            a.kind.name()
        );
    }
    // As `watch` builds: after an edit of the body, the annex and the poster
    // are reused, and every PDF is what a fresh engine writes.
    let watching = broadside::Engine::new();
    watching.reuse_pdfs();
    watching
        .build(&loaded.statement, &BuildRequest::default())
        .unwrap();
    let mut edited = loaded.statement.clone();
    edited.body.push_str("\n\nOne more sentence.");
    let rebuilt = watching.build(&edited, &BuildRequest::default()).unwrap();
    let fresh_edited = broadside::Engine::new()
        .build(&edited, &BuildRequest::default())
        .unwrap();
    for (a, b) in rebuilt.iter().zip(&fresh_edited) {
        assert!(a.pdf == b.pdf, "{} differs after a rebuild", a.kind.name());
    }
    let dir = tempfile::tempdir().unwrap();
    crate::cli::broadside_ok(dir.path(), &["build", "--out", "all"]);
    crate::cli::broadside_ok(dir.path(), &["build", "--out", "again"]);
    crate::cli::broadside_ok(dir.path(), &["build", "--out", "alone", "--only", "annex"]);
    for name in ["press-release.pdf", "poster.pdf", "annex.pdf"] {
        let all = std::fs::read(dir.path().join("all").join(name)).unwrap();
        assert!(
            all == std::fs::read(dir.path().join("again").join(name)).unwrap(),
            "{name} differs between two runs"
        );
        let kind = broadside::DocumentKind::parse(name.trim_end_matches(".pdf")).unwrap();
        assert!(
            all == find(&fresh, kind).pdf,
            "{name}: the command and the library differ"
        );
    }
    assert!(
        std::fs::read(dir.path().join("all/annex.pdf")).unwrap()
            == std::fs::read(dir.path().join("alone/annex.pdf")).unwrap(),
        "the annex differs built alone"
    );
}

/// Text that Typst would read as code, math, labels, references, comments,
/// headings or escapes, if it were ever spliced into markup.
const HOSTILE: [&str; 8] = [
    "#panic(\"x\")",
    "$a*b$",
    "<a>",
    "@b",
    "// c",
    "= d",
    "\\",
    "*bold?* _under_ `raw`",
];

#[test]
fn hostile_text_prints_literally() {
    let dir = tempfile::tempdir().unwrap();
    let mut toml = String::from(
        "title = \"#panic(\\\"title\\\") $x$\"\ndate = 2025-10-30\nslogan = \"<b> @c #d\"\nbody = \"\"\"\nA paragraph with #set text(red) and $x^2$ and <lbl> and @ref and // not a comment and \\\\ backslash.\n\"\"\"\n",
    );
    for name in HOSTILE {
        let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
        toml.push_str(&format!(
            "[[signatories]]\nname = \"{escaped}\"\ngroup = \"#strong[g]\"\n"
        ));
    }
    let documents = build_toml(dir.path(), &toml);
    for document in &documents {
        assert!(
            document.warnings.is_empty(),
            "{}: {:?}",
            document.kind.name(),
            document.warnings
        );
    }
    let annex = Pdf::parse(&find(&documents, DocumentKind::Annex).pdf).text();
    assert_in_order(&annex, &["#strong[g]".to_uppercase().as_str()]);
    assert_in_order(
        &annex,
        &[
            "#panic(\"x\")",
            "$a*b$",
            "<a>",
            "@b",
            "// c",
            "= d",
            "\\",
            "*bold?* _under_ `raw`",
        ],
    );
    let release = Pdf::parse(&find(&documents, DocumentKind::PressRelease).pdf).text();
    assert_in_order(
        &release,
        &[
            "#panic(\"title\") $x$",
            "#set text(red) and $x^2$ and <lbl> and @ref and // not a comment and \\ backslash.",
        ],
    );
    let poster = Pdf::parse(&find(&documents, DocumentKind::Poster).pdf).text();
    assert_in_order(&poster, &["<b> @c #d"]);
}

const RICH: &str = r##"
title = "Release the journalists"
language = "en-GB"
subtitle = "A coalition asks for the release of 12 reporters"
date = 2026-05-03
place = "Vilnius"
url = "https://example.org/statement"
body = """
Twelve reporters remain in prison for *their work*.

We call for:

1. their **immediate** release;
2. access to [lawyers](https://example.org/lawyers).
"""

[[quotes]]
text = "Journalism is not a crime."
name = "Ana Example"
role = "Director, Example Press Freedom Group"

[[contacts]]
name = "Ben Example"
organisation = "Example Press Freedom Group"
email = "press@example.org"
phone = "+370 600 00000"

[[about]]
name = "the Example Press Freedom Group"
text = "The group defends reporters in twelve countries."

[release]
embargo = 2026-05-03T09:00:00+03:00

[organisation]
name = "Example Coalition"
accent = "#0b5cad"

[[signatories]]
name = "Example Press Freedom Group"
country = "Lithuania"

[[signatories]]
name = "Reporters Example Network"
"##;

#[test]
fn the_press_release_carries_embargo_quotes_about_and_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let documents = build_toml(dir.path(), RICH);
    let release = Pdf::parse(&find(&documents, DocumentKind::PressRelease).pdf).text();
    assert_in_order(
        &release,
        &[
            "EXAMPLE COALITION",
            "EMBARGOED UNTIL 3 MAY 2026, 09:00 (UTC+3; 06:00 UTC)",
            "Release the journalists",
            "A coalition asks for the release of 12 reporters",
            "VILNIUS, 3 May 2026 —",
            "Twelve reporters remain in prison for their work.",
            "immediate",
            "Journalism is not a crime.",
            "Ana Example",
            "Signatories",
            "Signed by 2 organisations",
            "Example Press Freedom Group (Lithuania)",
            "###",
            "About the Example Press Freedom Group",
            "Media contact",
            "press@example.org",
        ],
    );
    assert!(!squash(&release).contains("FORIMMEDIATERELEASE"));
    let annex = Pdf::parse(&find(&documents, DocumentKind::Annex).pdf).text();
    assert_in_order(
        &annex,
        &[
            "1.",
            "Example Press Freedom Group",
            "Lithuania",
            "2.",
            "Reporters Example Network",
        ],
    );
}

#[test]
fn logos_are_decoded_and_placed() {
    let dir = tempfile::tempdir().unwrap();
    let logo = image::RgbaImage::from_fn(64, 32, |x, _| image::Rgba([(x * 4) as u8, 30, 90, 255]));
    logo.save(dir.path().join("logo.png")).unwrap();
    let text = RICH.replace("[organisation]\n", "[organisation]\nlogo = \"logo.png\"\n");
    let documents = build_toml(dir.path(), &text);
    let release = Pdf::parse(&find(&documents, DocumentKind::PressRelease).pdf);
    let images = release.image_count();
    assert!(images >= 1, "the logo is in the press release");
}

#[test]
fn the_poster_headline_fits_the_width() {
    // A long headline in long words must shrink, never overflow the trim.
    let dir = tempfile::tempdir().unwrap();
    let text = RICH.replace(
        "title = \"Release the journalists\"",
        "title = \"Release the journalists\"\nslogan = \"Unconditionally release the imprisoned investigative journalists of Eastern Europe immediately\"",
    );
    let documents = build_toml(dir.path(), &text);
    let poster = find(&documents, DocumentKind::Poster);
    assert!(poster.warnings.is_empty(), "{:?}", poster.warnings);
    let pdf = Pdf::parse(&poster.pdf);
    assert_eq!(pdf.page_count(), 1, "the poster stays on one page");
    // Every word of the headline is printed, in order: none was cut to fit.
    assert_in_order(
        &pdf.page_text(1),
        &[
            "Unconditionally",
            "release",
            "the",
            "imprisoned",
            "investigative",
            "journalists",
            "of",
            "Eastern",
            "Europe",
            "immediately",
        ],
    );
    // Measured on the page: the headline (the largest text) stays 10 mm
    // inside the trim, and is as large as fits, its widest line filling
    // most of the width between the margins (not shrunk to be safe).
    let [x0, _, x1, _] = pdf.page_box(1, b"TrimBox").unwrap();
    let runs: Vec<_> = pdf
        .runs(1)
        .into_iter()
        .filter(|r| !r.text.trim().is_empty())
        .collect();
    let largest = runs.iter().map(|r| r.size).fold(0.0, f64::max);
    let mut lines: Vec<(f64, f64, f64)> = Vec::new();
    for r in runs.iter().filter(|r| (r.size - largest).abs() < 0.01) {
        match lines.iter_mut().find(|l| (l.0 - r.y).abs() < 1.0) {
            Some(line) => {
                line.1 = line.1.min(r.x);
                line.2 = line.2.max(r.x + r.width);
            }
            None => lines.push((r.y, r.x, r.x + r.width)),
        }
    }
    assert!(
        lines.len() >= 2,
        "the long headline is set on several lines: {lines:?}"
    );
    let margin = crate::pdf::mm(10.0);
    let room = (x1 - x0) - 2.0 * margin;
    for (y, left, right) in &lines {
        assert!(
            *left >= x0 + margin - 0.5 && *right <= x1 - margin + 0.5,
            "the line at y {y:.0} runs {left:.0}–{right:.0}, outside {x0:.0}–{x1:.0} less 10 mm"
        );
    }
    let widest = lines.iter().map(|l| l.2 - l.1).fold(0.0, f64::max);
    assert!(
        widest >= 0.6 * room,
        "the widest headline line is {widest:.0} pt of {room:.0} pt: shrunk more than it needs"
    );
}

#[test]
fn every_bundled_font_has_its_licence_beside_it() {
    let fonts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    let licences: String = ["OFL-Inter.txt", "OFL-Noto.txt", "OFL-NotoEmoji.txt"]
        .iter()
        .map(|f| std::fs::read_to_string(fonts.join(f)).expect("licence text"))
        .collect();
    assert!(licences.contains("SIL Open Font License"));
    for file in broadside::Fonts::bundled_files() {
        assert!(fonts.join(file).is_file(), "{file} is in fonts/");
        // "NotoNaskhArabic-Bold.ttf" is covered by a licence naming "Noto Naskh Arabic".
        let family = file.split('-').next().unwrap();
        assert!(
            squash(&licences).contains(family),
            "no licence names {family} ({file})"
        );
    }
}

/// The data templates receive is an interface for designers (README lists
/// it): a key may be added on purpose, but never vanish by accident.
#[test]
fn the_template_data_keeps_its_documented_keys() {
    let loaded = broadside::load::load_example().unwrap();
    let prepared = ENGINE
        .prepare(&loaded.statement, &Layout::default())
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&prepared.json).unwrap();
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut documented = vec![
        "about",
        "attach",
        "body",
        "annex",
        "contacts",
        "counts",
        "date",
        "digits",
        "dir",
        "generator",
        "lang",
        "office",
        "organisation",
        "place",
        "placard",
        "placards",
        "flyer",
        "poster",
        "quotes",
        "region",
        "release",
        "signatories",
        "slogan",
        "subtitle",
        "theme",
        "title",
        "url",
        "words",
    ];
    documented.sort_unstable();
    assert_eq!(keys, documented);
    let entry = &json["signatories"]["groups"][0]["entries"][0];
    for key in ["number", "number_text", "name", "country", "url", "logo"] {
        assert!(entry.get(key).is_some(), "signatory entries have `{key}`");
    }
    assert_eq!(entry["name"], "McCain Institute");
    assert_eq!(json["signatories"]["groups"][0]["label"], "Conveners");
}

/// Reading order as a screen reader has it (issue 23, item 10): the tagged
/// structure of each document, walked in order, gives the headline first,
/// then the text, then every signatory in the coalition's order; running
/// headers and page numbers are artifacts, outside it.
#[test]
fn the_tagged_structure_reads_in_the_order_of_the_page() {
    let names = crate::example_names();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let release = Pdf::parse(&crate::example(DocumentKind::PressRelease).pdf).tagged_text();
    let mut expected = vec![
        "Joint Statement on the International Day of Political Prisoners",
        "On this International Day of Political Prisoners",
        "their freedom must remain a global cause",
    ];
    expected.extend(&names);
    crate::pdf::assert_in_order(&release, &expected);
    assert!(
        !release.contains("Page 1 of"),
        "the page number is an artifact"
    );

    let annex = Pdf::parse(&crate::example(DocumentKind::Annex).pdf).tagged_text();
    let mut expected = vec![
        "Annex: Signatories",
        "Joint Statement on the International Day of Political Prisoners",
    ];
    expected.extend(&names);
    crate::pdf::assert_in_order(&annex, &expected);
    assert!(
        !annex.contains("Page 1 of"),
        "the page number is an artifact"
    );
    assert_eq!(
        annex.matches("ANNEX").count(),
        0,
        "the running header is an artifact"
    );

    let poster = Pdf::parse(&crate::example(DocumentKind::Poster).pdf).tagged_text();
    let mut expected = vec!["Political", "forgotten"];
    expected.extend(&names);
    crate::pdf::assert_in_order(&poster, &expected);
}
