//! Long lists: thousands of signatories in every document.

use broadside::{BuildRequest, DocumentKind};

use crate::pdf::{Pdf, squash};
use crate::{ENGINE, find, load_toml};

#[path = "../common/generate.rs"]
pub mod generate;

/// Ten thousand names: the annex holds each once, in order, never split
/// across pages; the release lists sixty and counts the rest; the poster
/// stays one page.
#[test]
fn ten_thousand_signatories() {
    let dir = tempfile::tempdir().unwrap();
    let text = generate::statement_toml(10_000, "en");
    let names = generate::names(&text);
    assert_eq!(names.len(), 10_000);
    let loaded = load_toml(dir.path(), &text).unwrap();
    // A long list is built one document after the other, the annex last;
    // the documents still come back in the order asked for.
    let order = vec![
        DocumentKind::Annex,
        DocumentKind::PressRelease,
        DocumentKind::Poster,
    ];
    let request = BuildRequest {
        documents: order.clone(),
        ..BuildRequest::default()
    };
    let documents = ENGINE.build(&loaded.statement, &request).unwrap();
    let kinds: Vec<DocumentKind> = documents.iter().map(|d| d.kind).collect();
    assert_eq!(kinds, order);

    let annex = Pdf::parse(&find(&documents, DocumentKind::Annex).pdf);
    assert!(annex.page_count() > 60, "{} pages", annex.page_count());
    let hay = squash(&annex.text());
    // Each entry is its number, a dot and the name, with nothing between: a
    // page break inside an entry would put the footer and header there.
    let mut from = 0;
    for (i, name) in names.iter().enumerate() {
        let needle = format!("{}.{}", i + 1, squash(name));
        match hay[from..].find(&needle) {
            Some(at) => from += at + needle.len(),
            None => panic!("entry {} `{name}` is missing, split or out of order", i + 1),
        }
    }
    // Once each: a sample of entries is not found a second time.
    for i in (0..names.len()).step_by(97) {
        let needle = format!("{}.{}", i + 1, squash(&names[i]));
        assert_eq!(hay.matches(&needle).count(), 1, "entry {}", i + 1);
    }
    assert!(hay.contains("Signedby10,000organizations"));

    let release = Pdf::parse(&find(&documents, DocumentKind::PressRelease).pdf);
    let release_text = squash(&release.text());
    assert!(release_text.contains(&format!("60.{}", squash(&names[59]))));
    assert!(!release_text.contains(&squash(&names[60])));
    assert!(
        release_text.contains("and9,940moreorganizations:thefulllistisinthesignatoryannex"),
        "{}",
        &release_text[release_text.len().saturating_sub(1500)..]
    );

    let poster = find(&documents, DocumentKind::Poster);
    let poster_pdf = Pdf::parse(&poster.pdf);
    assert_eq!(poster_pdf.page_count(), 1);
    let poster_text = squash(&poster_pdf.text());
    assert!(poster_text.contains(&squash(&names[0])));
    // "and N more", N being exactly the names the poster leaves out.
    let shown = names
        .iter()
        .take_while(|n| poster_text.contains(&squash(n)))
        .count();
    assert!(shown > 0 && shown < names.len());
    let more = format!("and{}more", crate::pdf::thousands(names.len() - shown));
    assert!(
        poster_text.contains(&more),
        "`{more}` missing: {poster_text}"
    );
}

/// The last page's columns end at about the same height, and the list fills
/// the pages before it: two columns on portrait paper, three on landscape.
#[test]
fn the_last_page_of_the_annex_is_balanced() {
    let dir = tempfile::tempdir().unwrap();
    let text = generate::statement_toml(300, "en");
    let loaded = load_toml(dir.path(), &text).unwrap();
    // (landscape, columns, side margin in mm)
    for (landscape, columns, margin) in [(false, 2usize, 24.0), (true, 3, 20.0)] {
        let request = BuildRequest {
            documents: vec![DocumentKind::Annex],
            layout: broadside::resolve::data::Layout {
                annex_landscape: landscape,
                ..Default::default()
            },
            ..BuildRequest::default()
        };
        let documents = ENGINE.build(&loaded.statement, &request).unwrap();
        let annex = find(&documents, DocumentKind::Annex);
        let pages = annex.layout.pages().len();
        assert!(pages >= 2);
        let size = annex.layout.pages()[0].frame.size();
        assert_eq!(
            size.x.to_pt() > size.y.to_pt(),
            landscape,
            "landscape: {landscape}"
        );
        let ppi = 40.0;
        let px = |mm: f64| mm * ppi / 25.4;
        // Where the gutters are: columns of equal width, 20 pt apart.
        let width_mm = size.x.to_mm();
        let gutter = 20.0 * 25.4 / 72.0;
        let column = (width_mm - 2.0 * margin - (columns as f64 - 1.0) * gutter) / columns as f64;
        let bounds: Vec<f64> = (1..columns)
            .map(|k| px(margin + k as f64 * column + (k as f64 - 0.5) * gutter))
            .collect();
        // The lowest inked row of each column of the page body, above the footer.
        let lowest = |index: usize| {
            let image = annex.render(index, ppi as f32, false).unwrap();
            let (w, h) = image.dimensions();
            let footer = h - px(24.0) as u32;
            let mut bottom = vec![0u32; columns];
            for y in 0..footer {
                for x in 0..w {
                    let p = image.get_pixel(x, y);
                    if u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2]) < 3 * 200 {
                        let c = bounds.iter().filter(|&&b| f64::from(x) >= b).count();
                        bottom[c] = bottom[c].max(y);
                    }
                }
            }
            (bottom, h)
        };
        let line = (10.0 * 1.3 * ppi / 72.0) as u32 + 2;
        let spread = |b: &[u32]| b.iter().max().unwrap() - b.iter().min().unwrap();
        let (last, h) = lowest(pages - 1);
        assert!(
            spread(&last) <= 2 * line,
            "{columns} columns: the last page's end at {last:?} px"
        );
        assert!(
            u64::from(*last.iter().max().unwrap()) < u64::from(h) * 9 / 10,
            "the last page is not full"
        );
        let (full, _) = lowest(pages - 2);
        assert!(
            spread(&full) <= 2 * line,
            "{columns} columns, a full page: {full:?}"
        );
    }
}

/// Counts are written with the language's grouping and digits.
#[test]
fn counts_are_grouped_in_each_language() {
    let dir = tempfile::tempdir().unwrap();
    for (language, expected) in [
        ("en", "Signed by 1,200 organizations"),
        ("ru", "Подписали 1\u{a0}200 организаций"),
        ("fa", "۱٬۲۰۰"),
    ] {
        let mut text = generate::statement_toml(1_200, language);
        if language == "fa" {
            text = text.replacen(
                "language = \"fa\"",
                "language = \"fa\"\ndigits = \"native\"",
                1,
            );
        }
        let loaded = load_toml(dir.path(), &text).unwrap();
        let request = BuildRequest {
            documents: vec![DocumentKind::Annex],
            ..BuildRequest::default()
        };
        let documents = ENGINE.build(&loaded.statement, &request).unwrap();
        let annex = Pdf::parse(&find(&documents, DocumentKind::Annex).pdf);
        let page = squash(&annex.page_text(1));
        assert!(page.contains(&squash(expected)), "{language}: {page}");
    }
}

/// `--sort name --group-by country` from the command line: one section per
/// country in collated order, the signatories without a country last,
/// names collated within each (leading "The" aside), numbered in that order
/// in the annex and the release alike.
#[test]
fn sorted_by_name_in_sections_per_country() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        r#"title = "T"
date = 2026-10-30
body = "B"
[[signatories]]
name = "Zeta Watch"
country = "Ukraine"
[[signatories]]
name = "The Apple Trust"
country = "Ukraine"
[[signatories]]
name = "Öresund Aid"
country = "Belarus"
[[signatories]]
name = "Amnesty Circle"
country = "Belarus"
[[signatories]]
name = "Łódź Group"
[[signatories]]
name = "Borderless"
country = "Åland"
"#,
    )
    .unwrap();
    crate::cli::broadside_ok(
        dir.path(),
        &[
            "build",
            "s.toml",
            "--sort",
            "name",
            "--group-by",
            "country",
            "--out",
            "out",
        ],
    );
    let expected = [
        "ÅLAND",
        "1.",
        "Borderless",
        "BELARUS",
        "2.",
        "Amnesty Circle",
        "3.",
        "Öresund Aid",
        "UKRAINE",
        "4.",
        "The Apple Trust",
        "5.",
        "Zeta Watch",
        "OTHER SIGNATORIES",
        "6.",
        "Łódź Group",
    ];
    for document in ["annex", "press-release"] {
        let pdf =
            Pdf::parse(&std::fs::read(dir.path().join(format!("out/{document}.pdf"))).unwrap());
        crate::pdf::assert_in_order(&pdf.text(), &expected);
    }
    // A value the statement cannot mean is refused with its key.
    std::fs::write(
        dir.path().join("bad.toml"),
        "title = \"T\"\ndate = 2026-10-30\nbody = \"B\"\nsignatories = [\"A\"]\n[annex]\nsort = \"alphabet\"\n",
    )
    .unwrap();
    let out = crate::cli::broadside(dir.path(), &["check", "bad.toml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("annex.sort") && stderr.contains("sort = \"name\""),
        "{stderr}"
    );
}
