//! The day of action in print: placards, the flyer, flyers imposed on a
//! sheet, and PDF/X-4 for the print shop, each read back from the PDF.

use broadside::load::statement::{PosterSize, PosterTheme, Statement};
use broadside::pdf::pdfx::OutputIntent;
use broadside::resolve::data::Layout;
use broadside::set::Sheet;
use broadside::{BuildRequest, Document, DocumentKind};
use lopdf::Object;

use crate::cli::broadside;
use crate::pdf::{Pdf, Rect, assert_close, clear_of_the_trim, mm, squash};
use crate::{ENGINE, load_toml};

const SLOGANS: [&str; 3] = [
    "Free them all",
    "Journalism is not a crime",
    "No one should be imprisoned for what they believe",
];

/// The example with a web address, a publisher, three placards and a
/// Farsi translation with placards of its own.
fn statement() -> String {
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/translated.toml"),
    )
    .unwrap();
    let placards: String = SLOGANS
        .iter()
        .map(|s| format!("[[placards]]\ntext = \"{s}\"\n\n"))
        .collect();
    base.replacen(
        "slogan = \"Political prisoners must not be forgotten\"\n",
        "slogan = \"Political prisoners must not be forgotten\"\nurl = \"https://www.example.org/statements/2025/international-day-of-political-prisoners\"\n",
        1,
    )
    .replacen(
        "[poster]",
        &format!("[organisation]\nname = \"Coalition for Political Prisoners\"\n\n{placards}[poster]"),
        1,
    )
    .replacen(
        "[translations.fa]",
        "[translations.fa]\nplacards = [{ text = \"آزادی برای همه زندانیان سیاسی\" }, { text = \"روزنامه‌نگاری جرم نیست\" }]",
        1,
    )
}

fn load(text: &str) -> (tempfile::TempDir, Statement) {
    let dir = tempfile::tempdir().unwrap();
    let loaded = load_toml(dir.path(), text).unwrap_or_else(|e| panic!("{e}"));
    (dir, loaded.statement)
}

fn build(statement: &Statement, kinds: &[DocumentKind], layout: Layout) -> Vec<Document> {
    build_with(statement, kinds, layout, None)
}

fn build_with(
    statement: &Statement,
    kinds: &[DocumentKind],
    layout: Layout,
    impose: Option<Sheet>,
) -> Vec<Document> {
    let request = BuildRequest {
        documents: kinds.to_vec(),
        layout,
        impose,
        ..BuildRequest::default()
    };
    let built = ENGINE.build(statement, &request).unwrap();
    for d in &built {
        assert!(d.warnings.is_empty(), "{}: {:?}", d.kind.name(), d.warnings);
    }
    built
}

fn dims(r: Rect) -> (f64, f64) {
    (r[2] - r[0], r[3] - r[1])
}

/// Placards: one page per slogan, in the order given, at A3 or A4 in
/// points, portrait and landscape, in both themes; the words fill the
/// sign's width (the widest line takes at least 70% of the room between
/// the margins) and keep 10 mm from the trim; in Farsi, the translation's
/// own slogans, never the English ones.
#[test]
fn placards_carry_one_slogan_a_page_as_large_as_it_fits() {
    let (_dir, statement) = load(&statement());
    for (size, w, h) in [("a3", 297.0, 420.0), ("a4", 210.0, 297.0)] {
        for landscape in [false, true] {
            for theme in [PosterTheme::Dark, PosterTheme::Light] {
                let layout = Layout {
                    placard_size: Some(PosterSize::parse(size).unwrap()),
                    landscape,
                    poster_theme: Some(theme),
                    ..Layout::default()
                };
                let what = format!(
                    "{size}{} {theme:?}",
                    if landscape { " landscape" } else { "" }
                );
                let placards = build(&statement, &[DocumentKind::Placards], layout).remove(0);
                let pdf = Pdf::parse(&placards.pdf);
                assert_eq!(pdf.page_count(), SLOGANS.len(), "{what}");
                let (tw, th) = if landscape { (h, w) } else { (w, h) };
                for (i, slogan) in SLOGANS.iter().enumerate() {
                    let page = i as u32 + 1;
                    let (pw, ph) = dims(pdf.page_box(page, b"TrimBox").unwrap());
                    assert_close(pw, mm(tw), &format!("{what} trim width"));
                    assert_close(ph, mm(th), &format!("{what} trim height"));
                    let text = pdf.page_text(page);
                    assert!(
                        squash(&text).starts_with(&squash(slogan)),
                        "{what}: page {page} reads {text:?}, not {slogan:?}"
                    );
                    assert!(
                        squash(&text).contains("COALITIONFORPOLITICALPRISONERS"),
                        "{what}: the foot names the publisher: {text:?}"
                    );
                    let (_, widest) = clear_of_the_trim(&pdf, page, &what);
                    let room = mm(tw) - 2.0 * mm(14.0f64.max(22.0 * tw.min(th) / 297.0));
                    assert!(
                        widest >= 0.7 * room,
                        "{what}: `{slogan}` is {:.0} mm wide in a room of {:.0} mm",
                        widest / mm(1.0),
                        room / mm(1.0)
                    );
                }
            }
        }
    }
    let farsi = statement.in_language("fa").unwrap();
    let placards = build(&farsi, &[DocumentKind::Placards], Layout::default()).remove(0);
    let pdf = Pdf::parse(&placards.pdf);
    assert_eq!(
        pdf.page_count(),
        2,
        "the Farsi placards are the translation's two"
    );
    let text = pdf.text();
    // Right-to-left runs read back in visual order: each word reversed.
    for word in ["آزادی", "زندانیان", "جرم", "نیست"] {
        let reversed: String = word.chars().rev().collect();
        assert!(
            text.contains(&reversed),
            "no `{word}` on the Farsi placards: {text}"
        );
    }
    assert!(
        !text.contains("Journalism"),
        "no English on a Farsi placard: {text}"
    );
    // Right to left: every line of a slogan starts at the right margin,
    // the shorter ones too (left-aligned lines would end short of it).
    for page in [1, 2] {
        let mut lines: Vec<(f64, f64, f64)> = Vec::new(); // baseline, left, right
        for run in pdf.runs(page).into_iter().filter(|r| r.size > 40.0) {
            match lines.iter_mut().find(|l| (l.0 - run.y).abs() < 1.0) {
                Some(line) => {
                    line.1 = line.1.min(run.x);
                    line.2 = line.2.max(run.x + run.width);
                }
                None => lines.push((run.y, run.x, run.x + run.width)),
            }
        }
        assert!(lines.len() >= 2, "page {page}: {lines:?}");
        let right = lines.iter().map(|l| l.2).fold(f64::MIN, f64::max);
        let widths: Vec<f64> = lines.iter().map(|l| l.2 - l.1).collect();
        assert!(
            widths.iter().any(|w| *w < widths[0] - mm(5.0))
                || widths.iter().any(|w| *w > widths[0] + mm(5.0)),
            "page {page}: the lines are of one width, which proves no alignment: {lines:?}"
        );
        for line in &lines {
            assert!(
                right - line.2 < mm(1.0),
                "page {page}: a Farsi line ends {:.1} mm short of the right: {lines:?}",
                (right - line.2) / mm(1.0)
            );
        }
    }
}

/// The module size of the QR code for `url`, and the dark pixels' box on a
/// page rendered at `ppi`: the light theme prints text in ink (#18181c) and
/// only the code in pure black.
fn qr_box(document: &Document, page: usize, ppi: f32) -> (u32, u32, u32, u32) {
    let image = document.render(page, ppi, false).unwrap();
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, p) in image.enumerate_pixels() {
        if p[0] < 8 && p[1] < 8 && p[2] < 8 {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
    }
    assert!(x1 > x0, "page {page} shows no QR code");
    (x0, y0, x1, y1)
}

/// The flyer: A5 holds everything on one side, A6 takes two (the headline
/// and the code on the front, the text on the back); the trim in points;
/// the headline, the summary (the subtitle and first paragraph), the count,
/// the conveners in the statement's order and the address read back; the
/// QR code at least 32 mm with its quiet zone of four light modules;
/// nothing within 10 mm of the trim.
#[test]
fn the_flyer_carries_the_headline_summary_code_count_and_conveners() {
    let url = "https://www.example.org/statements/2025/international-day-of-political-prisoners";
    let modules = qrcodegen::QrCode::encode_text(url, qrcodegen::QrCodeEcc::Quartile)
        .unwrap()
        .size() as f64;
    let (_dir, statement) = load(&statement());
    for (size, w, h, sides) in [("a5", 148.0, 210.0, 1), ("a6", 105.0, 148.0, 2)] {
        let layout = Layout {
            flyer_size: PosterSize::flyer(size),
            ..Layout::default()
        };
        let flyer = build(&statement, &[DocumentKind::Flyer], layout).remove(0);
        let pdf = Pdf::parse(&flyer.pdf);
        assert_eq!(pdf.page_count(), sides, "{size}: sides");
        for page in 1..=sides as u32 {
            let (pw, ph) = dims(pdf.page_box(page, b"TrimBox").unwrap());
            assert_close(pw, mm(w), &format!("{size} width"));
            assert_close(ph, mm(h), &format!("{size} height"));
            clear_of_the_trim(&pdf, page, size);
        }
        let text = pdf.text();
        crate::pdf::assert_in_order(
            &text,
            &[
                "Political",
                "forgotten",
                "29 human-rights organisations call on democratic governments",
                "On this International Day of Political Prisoners, we stand together",
            ],
        );
        assert!(
            !text.contains("originated in the Soviet Union"),
            "{size}: only the first paragraph"
        );
        for needle in [
            "Signed by 29 organizations",
            "CONVENERS",
            "McCain Institute, Freedom House",
            "example.org/statements/2025/",
        ] {
            assert!(text.contains(needle), "{size}: no `{needle}` in {text:?}");
        }
        if sides == 2 {
            let front = pdf.page_text(1);
            assert!(
                front.contains("forgotten") && !squash(&front).contains("westandtogether"),
                "{size} front: {front:?}"
            );
            assert!(
                squash(&pdf.page_text(2)).contains("westandtogether"),
                "{size}: the back carries the text"
            );
        }
        // The code, on the front.
        let ppi = 300.0;
        let (x0, y0, x1, y1) = qr_box(&flyer, 0, ppi);
        let px_per_mm = f64::from(ppi) / 25.4;
        let dark = f64::from(x1 - x0 + 1);
        assert!(
            (dark - f64::from(y1 - y0 + 1)).abs() < 3.0,
            "{size}: the code is square"
        );
        let module = dark / modules;
        let whole = (modules + 8.0) * module / px_per_mm;
        assert!(
            whole >= 31.9,
            "{size}: the code is {whole:.1} mm with its quiet zone"
        );
        let image = flyer.render(0, ppi, false).unwrap();
        let quiet = (3.5 * module) as u32;
        for x in x0.saturating_sub(quiet)..=x1 + quiet {
            for y in [y0.saturating_sub(quiet), y1 + quiet] {
                let p = image.get_pixel(x, y);
                assert!(
                    p[0] > 240 && p[1] > 240 && p[2] > 240,
                    "{size}: the quiet zone is not light at ({x}, {y})"
                );
            }
        }
    }
}

/// Imposed: two A5 flyers on a landscape A4 sheet, four A6 on a portrait
/// one with the backs on a second sheet; the sheets in points; each slot
/// shows the flyer's own page (its text read back once per slot, and no
/// picture of it); cut marks on the cut lines at the sheet's edges.
#[test]
fn flyers_impose_two_or_four_to_an_a4_sheet_with_cut_marks() {
    let (_dir, statement) = load(&statement());
    for (size, per_sheet, sheet_w, sheet_h, sides) in
        [("a5", 2, 297.0, 210.0, 1), ("a6", 4, 210.0, 297.0, 2)]
    {
        let layout = Layout {
            flyer_size: PosterSize::flyer(size),
            ..Layout::default()
        };
        let built = build_with(&statement, &[DocumentKind::Flyer], layout, Some(Sheet::A4));
        let sheet = built
            .iter()
            .find(|d| d.kind == DocumentKind::FlyerImposed)
            .unwrap();
        let pdf = Pdf::parse(&sheet.pdf);
        assert_eq!(
            pdf.page_count(),
            sides,
            "{size}: one sheet side per flyer side"
        );
        assert_eq!(
            pdf.image_count(),
            0,
            "{size}: the slots are vector, not pictures"
        );
        for page in 1..=sides as u32 {
            let (w, h) = dims(pdf.page_box(page, b"MediaBox").unwrap());
            assert_close(w, mm(sheet_w), &format!("{size} sheet width"));
            assert_close(h, mm(sheet_h), &format!("{size} sheet height"));
        }
        let front = pdf.page_text(1);
        assert_eq!(
            front.matches("forgotten").count(),
            per_sheet,
            "{size}: {front:?}"
        );
        if sides == 2 {
            assert_eq!(
                squash(&pdf.page_text(2)).matches("westandtogether").count(),
                per_sheet,
                "{size}: backs"
            );
        }
        // The cut between the flyers, marked at both edges of the sheet.
        let ppi = 300.0;
        let image = sheet.render(0, ppi, false).unwrap();
        let px = |v_mm: f64| (v_mm * f64::from(ppi) / 25.4).round() as u32;
        let (cut, along_x) = if size == "a5" {
            (148.5, true)
        } else {
            (148.5, false)
        };
        let dark_near = |a: u32, b: u32| {
            (a.saturating_sub(2)..=a + 2).any(|i| {
                let (x, y) = if along_x { (i, b) } else { (b, i) };
                let p = image.get_pixel(x, y);
                p[0] < 128 && p[1] < 128 && p[2] < 128
            })
        };
        let length = if along_x { sheet_h } else { sheet_w };
        for at in [5.0, length - 5.0] {
            assert!(
                dark_near(px(cut), px(at)),
                "{size}: no cut mark at {at} mm along the cut at {cut} mm"
            );
        }
        // And none away from a cut line.
        assert!(
            !dark_near(px(cut - 40.0), px(5.0)),
            "{size}: a mark where there is no cut"
        );
    }
}

/// The catalog's first output intent.
fn output_intent(pdf: &Pdf) -> lopdf::Dictionary {
    let catalog = pdf.doc.catalog().unwrap();
    let intents = catalog
        .get(b"OutputIntents")
        .expect("an OutputIntents array");
    let first = intents.as_array().unwrap()[0].clone();
    match first {
        Object::Reference(id) => pdf.doc.get_dictionary(id).unwrap().clone(),
        Object::Dictionary(d) => d,
        other => panic!("an output intent is {other:?}"),
    }
}

fn name_of<'a>(dict: &'a lopdf::Dictionary, key: &[u8]) -> &'a [u8] {
    dict.get(key).and_then(Object::as_name).unwrap_or_default()
}

fn string_of(dict: &lopdf::Dictionary, key: &[u8]) -> String {
    dict.get(key)
        .and_then(Object::as_str)
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .unwrap_or_default()
}

/// Whether any colour space or colour operator is device RGB (an ICC
/// profile's own alternate aside).
fn uses_device_rgb(pdf: &Pdf) -> bool {
    fn walk(o: &Object, in_icc: bool) -> bool {
        match o {
            Object::Name(n) => n == b"DeviceRGB" && !in_icc,
            Object::Array(items) => items.iter().any(|i| walk(i, false)),
            Object::Dictionary(d) => {
                let icc = d.has(b"N") && d.has(b"Alternate");
                d.iter()
                    .any(|(k, v)| !(icc && k == b"Alternate") && walk(v, false))
            }
            Object::Stream(s) => walk(&Object::Dictionary(s.dict.clone()), in_icc),
            _ => false,
        }
    }
    let names = pdf.doc.objects.values().any(|o| walk(o, false));
    let pages: Vec<u32> = pdf.doc.get_pages().keys().copied().collect();
    let operators = pages.iter().any(|p| {
        pdf.colour_operations(*p)
            .iter()
            .any(|(op, _)| op == "rg" || op == "RG")
    });
    names || operators
}

/// `--pdf-x 4` on the poster, placards and flyer, in RGB, CMYK and a spot
/// colour: PDF 1.6; the output intent (GTS_PDFX, FOGRA39, the profile a
/// CMYK output profile); GTS_PDFXVersion and Trapped in the information and
/// XMP with the dates and ids; TrimBox inside BleedBox inside MediaBox on
/// every page; no annotation in the trim (the poster's link to the URL is
/// there without PDF/X and gone with it); no device RGB; every font
/// embedded; no actions. Without --pdf-x the same PDF has none of it.
#[test]
fn pdf_x_4_writes_what_iso_15930_7_asks_for() {
    let (_dir, statement) = load(&statement());
    let kinds = [
        DocumentKind::Poster,
        DocumentKind::Placards,
        DocumentKind::Flyer,
    ];
    let plain = build(&statement, &kinds, Layout::default());
    let linked = Pdf::parse(&plain[0].pdf);
    let annots = |pdf: &Pdf, page: u32| {
        let id = *pdf.doc.get_pages().get(&page).unwrap();
        pdf.doc.get_dictionary(id).unwrap().has(b"Annots")
    };
    assert!(
        annots(&linked, 1),
        "the plain poster links its URL (else the check below proves nothing)"
    );
    assert!(linked.doc.catalog().unwrap().get(b"OutputIntents").is_err());
    for colour in [
        None,
        Some(broadside::resolve::data::ColourMode::Cmyk),
        Some(broadside::resolve::data::ColourMode::Spot(
            "PANTONE 485 C".into(),
        )),
    ] {
        let layout = Layout {
            pdf_x: Some(OutputIntent::fogra39()),
            colour: colour.clone(),
            ..Layout::default()
        };
        for document in build(&statement, &kinds, layout) {
            let what = format!("{} {colour:?}", document.kind.name());
            assert!(document.pdf.starts_with(b"%PDF-1.6"), "{what}: version");
            let pdf = Pdf::parse(&document.pdf);
            let intent = output_intent(&pdf);
            assert_eq!(name_of(&intent, b"S"), b"GTS_PDFX", "{what}");
            assert_eq!(
                string_of(&intent, b"OutputConditionIdentifier"),
                "FOGRA39",
                "{what}"
            );
            let profile = intent
                .get(b"DestOutputProfile")
                .and_then(Object::as_reference)
                .unwrap();
            let profile = pdf.doc.get_object(profile).unwrap().as_stream().unwrap();
            assert_eq!(
                profile.dict.get(b"N").and_then(Object::as_i64).unwrap(),
                4,
                "{what}"
            );
            let bytes = profile
                .decompressed_content()
                .unwrap_or_else(|_| profile.content.clone());
            assert_eq!(
                &bytes[12..20],
                b"prtrCMYK",
                "{what}: an output profile for CMYK"
            );
            assert_eq!(&bytes[36..40], b"acsp", "{what}: an ICC profile");
            assert_eq!(
                pdf.info(b"GTS_PDFXVersion").as_deref(),
                Some("PDF/X-4"),
                "{what}"
            );
            let info_id = pdf
                .doc
                .trailer
                .get(b"Info")
                .and_then(Object::as_reference)
                .unwrap();
            let info = pdf.doc.get_dictionary(info_id).unwrap();
            assert_eq!(name_of(info, b"Trapped"), b"False", "{what}");
            assert!(
                pdf.info(b"Title").is_some_and(|t| !t.is_empty()),
                "{what}: a title"
            );
            assert!(
                pdf.info(b"CreationDate").is_some() && pdf.info(b"ModDate").is_some(),
                "{what}: dates"
            );
            let catalog = pdf.doc.catalog().unwrap();
            let xmp = catalog
                .get(b"Metadata")
                .and_then(Object::as_reference)
                .unwrap();
            let xmp = pdf.doc.get_object(xmp).unwrap().as_stream().unwrap();
            let xmp = String::from_utf8(
                xmp.decompressed_content()
                    .unwrap_or_else(|_| xmp.content.clone()),
            )
            .unwrap();
            for needle in [
                "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>",
                "<pdf:Trapped>False</pdf:Trapped>",
                "<xmp:CreateDate>2025-10-30T",
                "<xmp:ModifyDate>2025-10-30T",
                "<xmpMM:DocumentID>uuid:",
                "<xmpMM:InstanceID>uuid:",
                "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>",
            ] {
                assert!(xmp.contains(needle), "{what}: no {needle} in the XMP");
            }
            assert!(
                !catalog.has(b"OpenAction") && !catalog.has(b"AA"),
                "{what}: actions"
            );
            assert!(!pdf.doc.trailer.has(b"Encrypt"), "{what}: encrypted");
            let packets = pdf
                .doc
                .objects
                .values()
                .filter_map(|o| o.as_stream().ok())
                .filter(|s| {
                    s.dict.get(b"Type").and_then(Object::as_name).ok()
                        == Some(b"Metadata".as_slice())
                })
                .count();
            assert_eq!(packets, 1, "{what}: one XMP packet, the PDF/X one");
            for page in 1..=pdf.page_count() as u32 {
                let media = pdf.page_box(page, b"MediaBox").unwrap();
                let bleed = pdf.page_box(page, b"BleedBox").expect("a BleedBox");
                let trim = pdf.page_box(page, b"TrimBox").expect("a TrimBox");
                let inside = |a: Rect, b: Rect| {
                    a[0] >= b[0] - 0.01
                        && a[1] >= b[1] - 0.01
                        && a[2] <= b[2] + 0.01
                        && a[3] <= b[3] + 0.01
                };
                assert!(
                    inside(trim, bleed) && inside(bleed, media),
                    "{what} page {page}: {trim:?} {bleed:?} {media:?}"
                );
                assert_close(
                    bleed[2] - trim[2],
                    mm(3.0),
                    &format!("{what}: 3 mm of bleed"),
                );
                assert!(
                    !annots(&pdf, page),
                    "{what} page {page}: an annotation in the trim"
                );
            }
            assert!(!uses_device_rgb(&pdf), "{what}: device RGB");
            let fonts = pdf.fonts();
            assert!(
                !fonts.is_empty() && fonts.iter().all(|(_, embedded)| *embedded),
                "{what}: {fonts:?}"
            );
            // The page still reads as before.
            assert!(
                squash(&pdf.text()).contains(&squash("forgotten"))
                    || document.kind == DocumentKind::Placards,
                "{what}"
            );
        }
    }
}

/// What --pdf-x cannot make is refused, saying why and what to do: a
/// display profile, a profile cut short, PDF/A at once; --impose without
/// the flyer, and a size no document built can take.
#[test]
fn pdf_x_and_the_print_kit_refuse_what_they_cannot_make() {
    let dir = tempfile::tempdir().unwrap();
    let display = dir.path().join("display.icc");
    // An sRGB-like display header: class `mntr`, colour space `RGB `.
    let mut profile = vec![0u8; 132];
    profile[0..4].copy_from_slice(&132u32.to_be_bytes());
    profile[12..16].copy_from_slice(b"mntr");
    profile[16..20].copy_from_slice(b"RGB ");
    profile[36..40].copy_from_slice(b"acsp");
    std::fs::write(&display, &profile).unwrap();
    let cut = dir.path().join("cut.icc");
    let mut short = profile.clone();
    short[12..16].copy_from_slice(b"prtr");
    short[16..20].copy_from_slice(b"CMYK");
    short[0..4].copy_from_slice(&5000u32.to_be_bytes());
    std::fs::write(&cut, &short).unwrap();
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "--only",
                "poster",
                "--pdf-x",
                "4",
                "--output-intent",
                "display.icc",
            ],
            "it is a display profile (class `mntr`), not a printer's output profile",
        ),
        (
            &[
                "--only",
                "poster",
                "--pdf-x",
                "4",
                "--output-intent",
                "cut.icc",
            ],
            "cut short or damaged",
        ),
        (
            &["--only", "poster", "--pdf-x", "4", "--pdf-standard", "a-2b"],
            "--pdf-x cannot be combined with PDF/A",
        ),
        (
            &["--only", "poster", "--impose", "a4"],
            "--impose works on the flyer: add it to --only",
        ),
        (
            &["--only", "placards", "--size", "a2"],
            "--size a2: placards are made in a3 or a4",
        ),
        (
            &["--only", "flyer", "--size", "a3"],
            "--size a3: the flyer is made in a5 or a6",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let out = broadside(dir.path(), &all);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(
            !dir.path().join("output").exists(),
            "{args:?}: nothing is written"
        );
    }
    // A statement's placard of too many words names its key.
    let many = "title = \"T\"\ndate = 2025-10-30\nbody = \"B\"\nsignatories = [\"A\"]\n[[placards]]\ntext = \"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen\"\n";
    let err = load_toml(dir.path(), many).err().unwrap().to_string();
    assert!(
        err.contains("placards[0].text") && err.contains("17 words"),
        "{err}"
    );
}

/// The placards and flyer from the command line, in every language of the
/// statement: files named by language, and qpdf finds each whole.
#[test]
fn the_print_kit_builds_in_every_language_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), statement()).unwrap();
    let out = broadside(
        dir.path(),
        &[
            "build",
            "s.toml",
            "--only",
            "placards,flyer",
            "--impose",
            "a4",
            "--lang",
            "all",
            "--pdf-x",
            "4",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let languages = ["en-US", "ru", "uk", "be", "fa", "ar"];
    let qpdf = which("qpdf");
    if qpdf.is_none() {
        crate::skip_or_fail(
            "the_print_kit_builds_in_every_language_from_the_command_line",
            "qpdf is not installed",
        );
    }
    for lang in languages {
        for kind in ["placards", "flyer", "flyer-imposed"] {
            let path = dir.path().join(format!("output/{kind}.{lang}.pdf"));
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let pdf = Pdf::parse(&bytes);
            assert!(pdf.page_count() >= 1);
            if kind != "flyer-imposed" {
                assert!(
                    bytes.starts_with(b"%PDF-1.6"),
                    "{kind}.{lang}: PDF/X-4 is PDF 1.6"
                );
            }
            if let Some(qpdf) = &qpdf {
                qpdf_check(qpdf, &path, &format!("{kind}.{lang}"));
            }
        }
    }
    let ru = Pdf::parse(&std::fs::read(dir.path().join("output/flyer.ru.pdf")).unwrap()).text();
    assert!(
        ru.contains("Полный текст заявления"),
        "the Russian flyer's words are Russian: {ru}"
    );
}

/// Asserts that qpdf finds the PDF at `path` whole, with no warning.
pub fn qpdf_check(qpdf: &std::path::Path, path: &std::path::Path, what: &str) {
    let check = std::process::Command::new(qpdf)
        .arg("--check")
        .arg(path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "qpdf --check {what}: {}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}

pub fn which(tool: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| std::path::Path::new(d).join(tool))
        .find(|p| p.is_file())
}
