//! Posters that print: sizes, bleed, marks, colour, QR codes, tiles, images.

use broadside::load::statement::{Paper, PosterSize};
use broadside::resolve::data::{ColourMode, Layout};
use broadside::{BuildRequest, Document, DocumentKind};

use crate::cli::{broadside, broadside_ok};
use crate::pdf::{Pdf, assert_close, clear_of_the_trim, mm};
use crate::{ENGINE, load_toml};

const STATEMENT: &str = r#"
title = "Free the journalists"
date = 2026-05-03
url = "https://example.org/free-the-journalists"
slogan = "Journalism is not a crime"
body = "Twelve reporters remain in prison."
signatories = ["Example Press Freedom Group", "Reporters Example Network", "Third Example Org"]
[poster]
message = "Release them now."
"#;

fn poster(text: &str, layout: Layout) -> Document {
    let dir = tempfile::tempdir().unwrap();
    poster_in(dir.path(), text, layout)
}

fn poster_in(dir: &std::path::Path, text: &str, layout: Layout) -> Document {
    let loaded = load_toml(dir, text).unwrap();
    let request = BuildRequest {
        documents: vec![DocumentKind::Poster],
        layout,
        ..BuildRequest::default()
    };
    let mut built = ENGINE.build(&loaded.statement, &request).unwrap();
    let poster = built.remove(0);
    assert!(poster.warnings.is_empty(), "{:?}", poster.warnings);
    assert_eq!(
        Pdf::parse(&poster.pdf).page_count(),
        1,
        "a poster is one page"
    );
    poster
}

fn layout(size: &str) -> Layout {
    Layout {
        poster_size: Some(PosterSize::parse(size).unwrap()),
        ..Layout::default()
    }
}

/// Width and height of a box.
fn dims(r: [f64; 4]) -> (f64, f64) {
    (r[2] - r[0], r[3] - r[1])
}

#[test]
fn sizes_named_custom_and_landscape() {
    for (size, w, h) in [
        ("a3", 297.0, 420.0),
        ("a1", 594.0, 841.0),
        ("a0", 841.0, 1189.0),
        ("tabloid", 279.4, 431.8),
        ("arch-d", 609.6, 914.4),
        ("600x900mm", 600.0, 900.0),
        ("24x36in", 609.6, 914.4),
    ] {
        let pdf = Pdf::parse(&poster(STATEMENT, layout(size)).pdf);
        let (tw, th) = dims(pdf.page_box(1, b"TrimBox").unwrap());
        assert_close(tw, mm(w), &format!("{size} width"));
        assert_close(th, mm(h), &format!("{size} height"));
    }
    let landscape = Layout {
        landscape: true,
        ..layout("a2")
    };
    let pdf = Pdf::parse(&poster(STATEMENT, landscape).pdf);
    let (tw, th) = dims(pdf.page_box(1, b"TrimBox").unwrap());
    assert_close(tw, mm(594.0), "landscape width");
    assert_close(th, mm(420.0), "landscape height");
}

#[test]
fn bleed_box_and_crop_marks_only_when_asked() {
    let plain = Pdf::parse(
        &poster(
            STATEMENT,
            Layout {
                bleed_mm: Some(5.0),
                ..layout("a3")
            },
        )
        .pdf,
    );
    let media = plain.page_box(1, b"MediaBox").unwrap();
    let bleed = plain.page_box(1, b"BleedBox").expect("a BleedBox");
    let trim = plain.page_box(1, b"TrimBox").unwrap();
    assert_close(dims(media).0, mm(307.0), "media = trim + 2 × 5 mm");
    assert_close(
        dims(bleed).0,
        dims(media).0,
        "without marks the bleed is the media",
    );
    assert_close(trim[0] - bleed[0], mm(5.0), "bleed");
    assert!(
        !plain.uses_colour_space("All"),
        "no registration colour without marks"
    );

    let marked = Pdf::parse(
        &poster(
            STATEMENT,
            Layout {
                bleed_mm: Some(5.0),
                marks: true,
                ..layout("a3")
            },
        )
        .pdf,
    );
    let media = marked.page_box(1, b"MediaBox").unwrap();
    let bleed = marked.page_box(1, b"BleedBox").unwrap();
    let trim = marked.page_box(1, b"TrimBox").unwrap();
    let slug = broadside::resolve::data::SLUG_MM;
    assert_close(
        dims(media).0,
        mm(297.0 + 2.0 * (5.0 + slug)),
        "media holds the slug",
    );
    assert_close(dims(bleed).0, mm(307.0), "bleed box");
    assert_close(dims(trim).0, mm(297.0), "trim box");
    assert_close(bleed[0] - media[0], mm(slug), "slug outside the bleed");
    assert!(
        marked.uses_colour_space("All"),
        "marks in registration colour (all plates)"
    );
}

#[test]
fn cmyk_posters_have_no_rgb_and_black_text_on_k_only() {
    let pdf = Pdf::parse(
        &poster(
            STATEMENT,
            Layout {
                colour: Some(ColourMode::Cmyk),
                poster_theme: Some(broadside::load::statement::PosterTheme::Light),
                ..layout("a3")
            },
        )
        .pdf,
    );
    let ops = pdf.colour_operations(1);
    assert!(
        !ops.iter().any(|(op, _)| op == "rg" || op == "RG"),
        "no RGB colours: {ops:?}"
    );
    assert!(
        ops.iter()
            .any(|(op, v)| op == "k" && v == &[0.0, 0.0, 0.0, 1.0]),
        "plain black is K only: {ops:?}"
    );
}

#[test]
fn the_statement_can_ask_for_cmyk_but_not_with_a_spot() {
    let text = format!("{STATEMENT}cmyk = true\n");
    let ops = Pdf::parse(&poster(&text, layout("a3")).pdf).colour_operations(1);
    assert!(
        !ops.iter().any(|(op, _)| op == "rg" || op == "RG"),
        "no RGB colours: {ops:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let e = load_toml(dir.path(), &format!("{text}spot = \"PANTONE 485 C\"\n"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("`poster.cmyk`") && e.contains("not both"), "{e}");
}

#[test]
fn spot_colour_posters_name_the_ink() {
    let pdf = Pdf::parse(
        &poster(
            STATEMENT,
            Layout {
                colour: Some(ColourMode::Spot("PANTONE 485 C".into())),
                ..layout("a3")
            },
        )
        .pdf,
    );
    assert!(
        pdf.uses_colour_space("PANTONE#20485#20C") || pdf.uses_colour_space("PANTONE 485 C"),
        "a Separation for the spot ink"
    );
    let ops = pdf.colour_operations(1);
    assert!(
        !ops.iter()
            .any(|(op, _)| op == "rg" || op == "RG" || op == "k" || op == "K"),
        "two inks only, no process colours: {ops:?}"
    );
}

#[test]
fn the_qr_code_scans_back_to_the_url() {
    let document = poster(STATEMENT, layout("a3"));
    let image = document.render(0, 100.0, false).unwrap();
    let grey = image::DynamicImage::ImageRgba8(image).into_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(grey);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the poster");
    let (_, content) = grids[0].decode().expect("the QR code decodes");
    assert_eq!(content, "https://example.org/free-the-journalists");
}

/// The trimmed page's left and right margins hold nothing but the ground:
/// no headline runs past the width, and no text comes within 10 mm of the trim.
fn assert_margins_clear(document: &Document, margin_mm: f64) {
    let ppi = 30.0;
    let image = document.render(0, ppi, false).unwrap();
    let (w, h) = image.dimensions();
    let ground = *image.get_pixel(1, h / 2);
    // Glyphs may overshoot their margin optically (a j's hook): allow 3 mm.
    let strip = ((margin_mm - 3.0) / 25.4 * f64::from(ppi)).floor() as u32;
    for y in 0..h {
        for x in (0..strip).chain(w - strip..w) {
            let p = image.get_pixel(x, y);
            let off = (0..3).map(|i| p[i].abs_diff(ground[i])).max().unwrap();
            assert!(
                off < 40,
                "ink at ({x}, {y}) in the margin ({p:?} on {ground:?})"
            );
        }
    }
}

#[test]
fn fitted_headlines_never_exceed_the_width() {
    let long = STATEMENT.replace(
        "slogan = \"Journalism is not a crime\"",
        "slogan = \"Unconditionally release the imprisoned investigative journalists immediately\"",
    );
    for (text, size) in [
        (STATEMENT.to_owned(), "a2"),
        (long.clone(), "a2"),
        (long, "a4"),
    ] {
        let document = poster(&text, layout(size));
        let margin = if size == "a4" { 15.0 } else { 30.0 };
        assert_margins_clear(&document, margin);
    }
}

#[test]
fn one_word_headlines_and_long_words_fit() {
    let one = STATEMENT.replace(
        "slogan = \"Journalism is not a crime\"",
        "slogan = \"Solidarity\"",
    );
    assert_margins_clear(&poster(&one, layout("a3")), 30.0 * 297.0 / 420.0);
}

#[test]
fn themes_differ() {
    let dark = poster(STATEMENT, layout("a3"))
        .render(0, 10.0, false)
        .unwrap();
    let light = poster(
        STATEMENT,
        Layout {
            poster_theme: Some(broadside::load::statement::PosterTheme::Light),
            ..layout("a3")
        },
    )
    .render(0, 10.0, false)
    .unwrap();
    let luma = |p: &image::Rgba<u8>| (u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) / 3;
    assert!(luma(dark.get_pixel(2, 2)) < 60, "dark ground");
    assert!(luma(light.get_pixel(2, 2)) > 200, "light ground");
}

#[test]
fn tiles_cover_the_poster_sheet_by_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = load_toml(dir.path(), STATEMENT).unwrap();
    let request = BuildRequest {
        documents: vec![DocumentKind::Poster],
        layout: layout("a2"),
        tile: Some(Paper::A4),
        ..BuildRequest::default()
    };
    let built = ENGINE.build(&loaded.statement, &request).unwrap();
    assert_eq!(built.len(), 2, "the poster and its tiles");
    let tiled = &built[1];
    assert_eq!(tiled.kind, DocumentKind::PosterTiled);
    let plan = broadside::set::TilePlan::new(Paper::A4, 420.0, 594.0);
    let pdf = Pdf::parse(&tiled.pdf);
    assert_eq!(pdf.page_count(), plan.rows * plan.columns);
    for page in 1..=pdf.page_count() as u32 {
        let (w, h) = dims(pdf.page_box(page, b"MediaBox").unwrap());
        let (sw, sh) = (mm(plan.sheet_mm.0), mm(plan.sheet_mm.1));
        assert_close(w, sw, "sheet width");
        assert_close(h, sh, "sheet height");
    }
    let text = crate::pdf::squash(&pdf.page_text(2));
    assert!(
        text.contains(&crate::pdf::squash(&format!(
            "Row 1, column 2 of {} × {}",
            plan.rows, plan.columns
        ))),
        "{text}"
    );

    // Each sheet's window shows the poster at the plan's offset, at full size.
    let ppi = 24.0;
    let px = |v: f64| (v / 25.4 * f64::from(ppi)).round() as u32;
    let full = built[0].render(0, ppi, false).unwrap();
    for (i, tile) in plan.tiles.iter().enumerate() {
        let sheet = tiled.render(i, ppi, false).unwrap();
        let (ox, oy) = (
            px(broadside::set::SHEET_MARGIN_MM),
            px(broadside::set::SHEET_MARGIN_MM),
        );
        let (mut diff, mut n) = (0u64, 0u64);
        // Skip the overlap strips, where cut lines are drawn.
        for y in px(12.0)..px(plan.window_mm.1) - 2 {
            for x in px(12.0)..px(plan.window_mm.0) - 2 {
                let (fx, fy) = (px(tile.x_mm) + x, px(tile.y_mm) + y);
                if fx >= full.width() || fy >= full.height() {
                    continue;
                }
                let a = sheet.get_pixel(ox + x, oy + y);
                let b = full.get_pixel(fx, fy);
                diff += (0..3).map(|c| u64::from(a[c].abs_diff(b[c]))).sum::<u64>();
                n += 3;
            }
        }
        let mean = diff as f64 / n.max(1) as f64;
        assert!(
            mean < 12.0,
            "sheet {} (row {}, column {}) differs from the poster there: {mean:.1}",
            i + 1,
            tile.row,
            tile.column
        );
    }
}

#[test]
fn png_tile_and_cards_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    broadside_ok(
        dir.path(),
        &[
            "build", "--only", "poster", "--size", "a3", "--tile", "letter", "--png", "--dpi", "50",
        ],
    );
    let size = |name: &str| image::image_dimensions(dir.path().join("output").join(name)).unwrap();
    assert_eq!(size("card-square.png"), (1080, 1080));
    assert_eq!(size("card-wide.png"), (1200, 675));
    // A3 plus 3 mm bleed is cut off: the image is the trimmed poster, 297 × 420 mm at 50 dpi.
    assert_eq!(
        size("poster.png"),
        (
            (297.0f64 / 25.4 * 50.0).round() as u32,
            (420.0f64 / 25.4 * 50.0).round() as u32
        )
    );
    let tiled = Pdf::parse(&std::fs::read(dir.path().join("output/poster-tiled.pdf")).unwrap());
    let plan = broadside::set::TilePlan::new(Paper::Letter, 297.0, 420.0);
    assert_eq!(tiled.page_count(), plan.tiles.len());

    let out = broadside(dir.path(), &["build", "--only", "annex", "--png"]);
    assert!(!out.status.success(), "--png needs the poster");
}

#[test]
fn a_wall_of_thirty_logos_stays_on_one_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("title = \"T\"\ndate = 2026-05-03\nbody = \"B\"\n");
    for i in 0..30u32 {
        // Logos of different shapes, with and without margins.
        let (w, h, m) = (200 + (i % 3) * 150, 80 + (i % 4) * 60, (i % 5) * 8);
        let logo = image::RgbaImage::from_fn(w, h, |x, y| {
            let inside = x >= m && y >= m && x < w - m && y < h - m;
            if inside {
                image::Rgba([(i * 8) as u8, 60, 120, 255])
            } else {
                image::Rgba([255, 255, 255, 255])
            }
        });
        logo.save(dir.path().join(format!("logo{i}.png"))).unwrap();
        text.push_str(&format!(
            "[[signatories]]\nname = \"Organisation {i}\"\nlogo = \"logo{i}.png\"\n"
        ));
    }
    let document = poster_in(dir.path(), &text, layout("a2"));
    let pdf = Pdf::parse(&document.pdf);
    let images = pdf.image_count();
    assert!(images >= 30, "{images} images");
    assert_margins_clear(&document, 30.0);
}

#[test]
fn no_headline_line_is_one_short_word() {
    let text = STATEMENT.replace(
        "slogan = \"Journalism is not a crime\"",
        "slogan = \"Release the journalists\"",
    );
    let document = poster(&text, layout("a3"));
    let lines: Vec<String> = Pdf::parse(&document.pdf)
        .page_text(1)
        .lines()
        .map(|l| l.trim().to_owned())
        .collect();
    assert!(lines.iter().any(|l| l.contains("journalists")), "{lines:?}");
    assert!(
        !lines.iter().any(|l| l == "the"),
        "\"the\" stands alone: {lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("the journalists") || l.contains("Release the")),
        "{lines:?}"
    );
}

#[test]
fn six_hundred_signatories_shrink_to_stay_on_one_page() {
    let names: Vec<String> = (1..=600)
        .map(|i| format!("\"Organisation number {i} for Human Rights\""))
        .collect();
    let text = format!(
        "title = \"T\"\ndate = 2026-05-03\nbody = \"B\"\nsignatories = [{}]\n",
        names.join(", ")
    );
    // `poster` asserts a single page.
    let document = poster(&text, layout("a2"));
    let pdf = Pdf::parse(&document.pdf);
    let text = pdf.page_text(1);
    // The names it shows, in order, then "and N more" for exactly the rest.
    let squashed = crate::pdf::squash(&text);
    let shown = (1..=600)
        .take_while(|i| squashed.contains(&format!("Organisationnumber{i}forHumanRights")))
        .count();
    assert!(shown >= 2, "{text}");
    crate::pdf::assert_in_order(
        &text,
        &[
            "Organisation number 1 for",
            "Organisation number 2 for",
            &format!("and {} more", 600 - shown),
        ],
    );
    assert!(
        !text.contains("Organisation number 600 for"),
        "the poster cannot list all 600 legibly"
    );
    assert_margins_clear(&document, 30.0);
}

/// "No text comes within 10 mm of the trim" (docs/print.md), on all four
/// sides, read from the PDF's text positions: posters with a long slogan
/// and a long URL, and with 10,000 names, in every named size, portrait and
/// landscape.
#[test]
fn no_text_within_10_mm_of_the_trim_on_any_side() {
    let long = STATEMENT
        .replace(
            "slogan = \"Journalism is not a crime\"",
            "slogan = \"Unconditionally release the imprisoned investigative journalists immediately\"",
        )
        .replace(
            "url = \"https://example.org/free-the-journalists\"",
            "url = \"https://www.example-coalition-for-press-freedom.org/campaigns/2026/free-the-journalists-now\"",
        );
    let many = crate::scale::generate::statement_toml(10_000, "en");
    let sizes = [
        "a4", "a3", "a2", "a1", "a0", "letter", "tabloid", "arch-c", "arch-d",
    ];
    let mut cases: Vec<(&str, &str, bool)> = Vec::new();
    for size in sizes {
        for landscape in [false, true] {
            cases.push((&long, size, landscape));
        }
    }
    for size in ["a4", "a2"] {
        for landscape in [false, true] {
            cases.push((&many, size, landscape));
        }
    }
    let mut checked = 0;
    for (text, size, landscape) in cases {
        let mut layout = layout(size);
        layout.landscape = landscape;
        let document = poster(text, layout);
        let pdf = Pdf::parse(&document.pdf);
        let what = format!("{size}{}", if landscape { " landscape" } else { "" });
        checked += clear_of_the_trim(&pdf, 1, &what).0;
    }
    assert!(checked > 200, "only {checked} runs of text were read");
}
