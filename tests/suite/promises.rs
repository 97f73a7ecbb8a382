//! Promises of README and the guides that had no test (issue 23, item 14),
//! each read back from what the command wrote.

use std::path::Path;

use crate::cli::{broadside, broadside_ok};
use crate::pdf::{Pdf, assert_close, mm, squash};

/// A statement of `n` signatories named `Organisation 001` … in `dir`.
fn numbered(dir: &Path, n: usize, extra: &str) {
    let names: String = (1..=n)
        .map(|i| format!("\"Organisation {i:03}\", "))
        .collect();
    std::fs::write(
        dir.join("s.toml"),
        format!(
            "title = \"Free them all\"\ndate = 2025-10-30\nurl = \"https://example.org/free\"\nbody = \"No one should be imprisoned for their beliefs.\"\nsignatories = [{names}]\n{extra}"
        ),
    )
    .unwrap();
}

fn read(dir: &Path, file: &str) -> Pdf {
    Pdf::parse(&std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}")))
}

/// The x of each column's entries on page 1 of an annex, rounded to a point.
fn columns(pdf: &Pdf) -> Vec<i64> {
    let mut xs: Vec<i64> = pdf
        .runs(1)
        .into_iter()
        .filter(|r| r.text.starts_with("Organisation "))
        .map(|r| r.x.round() as i64)
        .collect();
    xs.sort_unstable();
    xs.dedup_by(|a, b| (*a - *b).abs() < 3);
    xs
}

/// `--annex-columns N` sets the list in N columns (two by default).
#[test]
fn annex_columns_sets_how_many_columns_the_list_takes() {
    let dir = tempfile::tempdir().unwrap();
    numbered(dir.path(), 150, "");
    for (asked, expected) in [(None, 2), (Some("1"), 1), (Some("3"), 3), (Some("4"), 4)] {
        let mut args = vec!["build", "s.toml", "--only", "annex", "--out", "o"];
        if let Some(n) = asked {
            args.extend(["--annex-columns", n]);
        }
        broadside_ok(dir.path(), &args);
        let found = columns(&read(dir.path(), "o/annex.pdf"));
        assert_eq!(
            found.len(),
            expected,
            "--annex-columns {asked:?}: columns at {found:?}"
        );
    }
    let out = broadside(dir.path(), &["build", "s.toml", "--annex-columns", "5"]);
    assert!(!out.status.success(), "five columns are refused");
}

/// `--png --image-format jpeg|webp` writes the poster and both cards in
/// that format, at the size the resolution gives.
#[test]
fn image_format_writes_jpeg_and_webp_images_of_their_size() {
    let dir = tempfile::tempdir().unwrap();
    numbered(dir.path(), 5, "");
    for (format, extension, magic) in [
        ("jpeg", "jpg", &b"\xFF\xD8\xFF"[..]),
        ("webp", "webp", &b"RIFF"[..]),
        ("png", "png", &b"\x89PNG"[..]),
    ] {
        let out = format!("o-{format}");
        broadside_ok(
            dir.path(),
            &[
                "build",
                "s.toml",
                "--only",
                "poster",
                "--png",
                "--dpi",
                "36",
                "--image-format",
                format,
                "--out",
                &out,
            ],
        );
        for (file, width, height) in [
            ("poster", 595, 842),
            ("card-square", 1080, 1080),
            ("card-wide", 1200, 675),
        ] {
            let path = dir.path().join(format!("{out}/{file}.{extension}"));
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                bytes.starts_with(magic),
                "{file}.{extension} is not {format}"
            );
            if format == "webp" {
                assert_eq!(&bytes[8..12], b"WEBP");
            }
            let image = image::load_from_memory(&bytes).unwrap();
            assert!(
                image.width().abs_diff(width) <= 1 && image.height().abs_diff(height) <= 1,
                "{file}.{extension} is {} × {}, not {width} × {height}",
                image.width(),
                image.height()
            );
        }
    }
}

/// `--bleed` sets how far the BleedBox lies outside the trim, 0 to 25 mm;
/// beyond, the build is refused and nothing written.
#[test]
fn bleed_sets_the_bleed_box_within_its_limits() {
    let dir = tempfile::tempdir().unwrap();
    numbered(dir.path(), 5, "");
    for bleed in [0.0, 3.0, 10.0, 25.0] {
        let value = bleed.to_string();
        broadside_ok(
            dir.path(),
            &[
                "build", "s.toml", "--only", "poster", "--bleed", &value, "--out", "o",
            ],
        );
        let pdf = read(dir.path(), "o/poster.pdf");
        let media = pdf.page_box(1, b"MediaBox").unwrap();
        let trim = pdf.page_box(1, b"TrimBox").unwrap_or(media);
        let bleed_box = pdf.page_box(1, b"BleedBox").unwrap_or(media);
        assert_close(
            trim[0] - bleed_box[0],
            mm(bleed),
            &format!("--bleed {bleed}: bleed"),
        );
        assert_close(
            trim[0] - media[0],
            mm(bleed),
            &format!("--bleed {bleed}: media"),
        );
        assert_close(
            trim[2] - trim[0],
            mm(420.0),
            &format!("--bleed {bleed}: the trim stays A2"),
        );
    }
    for bad in ["25.5", "-1", "100"] {
        let flag = format!("--bleed={bad}");
        let out = broadside(dir.path(), &["build", "s.toml", &flag, "--out", "bad"]);
        assert!(!out.status.success(), "--bleed {bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--bleed must be between 0 and 25 mm"),
            "--bleed {bad}: {stderr}"
        );
        assert!(!dir.path().join("bad").exists());
    }
}

/// `[release] list`: sixty names by default and the rest counted; `0`
/// names none; `"all"` names everyone and counts no one.
#[test]
fn release_list_names_sixty_none_or_all() {
    let dir = tempfile::tempdir().unwrap();
    for (setting, last_named, more) in [
        ("", Some(60), Some("and 20 more organizations")),
        (
            "[release]\nlist = 0\n",
            None,
            Some("and 80 more organizations"),
        ),
        ("[release]\nlist = \"all\"\n", Some(80), None),
        (
            "[release]\nlist = 7\n",
            Some(7),
            Some("and 73 more organizations"),
        ),
    ] {
        numbered(dir.path(), 80, setting);
        broadside_ok(
            dir.path(),
            &["build", "s.toml", "--only", "press-release", "--out", "o"],
        );
        let text = read(dir.path(), "o/press-release.pdf").text();
        let named = (1..=80)
            .filter(|i| text.contains(&format!("Organisation {i:03}")))
            .max();
        assert_eq!(named, last_named, "{setting:?}: the last name listed");
        if let Some(n) = last_named {
            assert_eq!(
                (1..=n)
                    .filter(|i| text.contains(&format!("Organisation {i:03}")))
                    .count(),
                n,
                "{setting:?}: the first {n}, every one"
            );
        }
        match more {
            Some(phrase) => assert!(
                crate::pdf::spaced(&text).contains(phrase),
                "{setting:?}: no `{phrase}`"
            ),
            None => assert!(
                !text.contains("more organizations"),
                "{setting:?}: counts someone"
            ),
        }
    }
}

/// Every font is embedded as a subset: its name carries the six-letter
/// subset tag and its program is a fraction of the bundled file.
#[test]
fn fonts_are_embedded_as_subsets() {
    let release = Pdf::parse(&crate::example(broadside::DocumentKind::PressRelease).pdf);
    let fonts = release.fonts();
    assert!(fonts.len() >= 3, "{fonts:?}");
    let bundled =
        std::fs::metadata(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/Inter-Regular.otf"))
            .unwrap()
            .len();
    for (name, embedded) in &fonts {
        assert!(*embedded, "{name} is not embedded");
        let (tag, _) = name
            .split_once('+')
            .unwrap_or_else(|| panic!("{name} has no subset tag"));
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{name}"
        );
    }
    for object in release.doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(lopdf::Object::as_name).ok()
            != Some(b"FontDescriptor".as_slice())
        {
            continue;
        }
        for key in [b"FontFile2".as_slice(), b"FontFile3"] {
            if let Ok(r) = dict.get(key).and_then(lopdf::Object::as_reference) {
                let stream = release.doc.get_object(r).unwrap().as_stream().unwrap();
                let size = stream
                    .decompressed_content()
                    .map(|c| c.len())
                    .unwrap_or(stream.content.len()) as u64;
                assert!(
                    size < bundled / 4,
                    "a font program of {size} bytes is not a subset ({bundled} bundled)"
                );
            }
        }
    }
}

/// The poster's QR code: quartile error correction, a quiet zone of four
/// light modules, and at least 32 mm wide with it on the smallest poster.
#[test]
fn the_qr_code_has_quartile_correction_a_quiet_zone_and_32_mm() {
    let dir = tempfile::tempdir().unwrap();
    numbered(dir.path(), 5, "");
    broadside_ok(
        dir.path(),
        &[
            "build", "s.toml", "--only", "poster", "--size", "a4", "--out", "o",
        ],
    );
    let loaded = crate::load_toml(
        dir.path(),
        &std::fs::read_to_string(dir.path().join("s.toml")).unwrap(),
    )
    .unwrap();
    let request = broadside::BuildRequest {
        documents: vec![broadside::DocumentKind::Poster],
        layout: broadside::resolve::data::Layout {
            poster_size: broadside::load::statement::PosterSize::parse("a4").ok(),
            ..Default::default()
        },
        ..Default::default()
    };
    let poster = crate::ENGINE
        .build(&loaded.statement, &request)
        .unwrap()
        .remove(0);
    let ppi = 300.0;
    let image = poster.render(0, ppi, false).unwrap();
    let grey = image::DynamicImage::ImageRgba8(image.clone()).into_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(grey);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (meta, content) = grids[0].decode().unwrap();
    assert_eq!(content, "https://example.org/free");
    // rqrr gives the format's two bits as written: 1 L, 0 M, 3 Q, 2 H. The
    // encoder raises quartile to high where the code keeps its size.
    assert!(
        matches!(meta.ecc_level, 3 | 2),
        "error correction {} is below quartile",
        meta.ecc_level
    );
    let modules = f64::from(meta.version.to_size() as u32);
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, p) in image.enumerate_pixels() {
        if p[0] < 8 && p[1] < 8 && p[2] < 8 {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
    }
    let module = f64::from(x1 - x0 + 1) / modules;
    let whole_mm = (modules + 8.0) * module / (f64::from(ppi) / 25.4);
    assert!(
        whole_mm >= 31.9,
        "the code is {whole_mm:.1} mm with its quiet zone"
    );
    let quiet = (3.5 * module) as u32;
    for x in x0 - quiet..=x1 + quiet {
        for y in [y0 - quiet, y1 + quiet] {
            let p = image.get_pixel(x, y);
            assert!(
                p[0] > 240 && p[1] > 240 && p[2] > 240,
                "no quiet zone at ({x}, {y}): {p:?}"
            );
        }
    }
}

/// A folder for letters: the translated example, a letter and its Russian
/// version, recipients asking for Russian, Farsi and nothing.
fn letters_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let statement = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/translated.toml"),
    )
    .unwrap()
        + "\n[letter]\nfrom = \"1850 M Street NW\\nWashington, DC 20036\"\nplace = \"Washington\"\n[[letter.signers]]\nname = \"Jane Roe\"\nrole = \"Executive Director\"\n";
    std::fs::write(dir.path().join("statement.toml"), statement).unwrap();
    std::fs::write(
        dir.path().join("recipients.csv"),
        "name,address,language\nAnna Petrova,\"Smolenskaya 32\nMoscow\",ru\nAli Rezaei,\"Vali Asr 1\nTehran\",fa\nJean Dupont,\"37 quai d'Orsay\nParis\",\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("letter.md"),
        "Dear {{ recipient.name }},\n\nPlease read the enclosed statement.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("letter.ru.md"),
        "Уважаемая {{ recipient.name }},\n\nПросим прочесть прилагаемое заявление.\n",
    )
    .unwrap();
    dir
}

fn letters(dir: &Path, extra: &[&str]) {
    let mut args = vec![
        "letters",
        "statement.toml",
        "--recipients",
        "recipients.csv",
        "--letter",
        "letter.md",
        "--out",
        "out",
    ];
    args.extend_from_slice(extra);
    broadside_ok(dir, &args);
}

/// A recipient's `language` picks the statement's translation and
/// `letter.LANG.md` (the letter itself when there is none); `--annex-only`
/// leaves the statement's text out and keeps the annex.
#[test]
fn letters_follow_the_recipients_language_and_annex_only_leaves_the_statement_out() {
    let dir = letters_folder();
    letters(dir.path(), &[]);
    let file = |n: &str| squash(&read(dir.path(), &format!("out/{n}")).text());
    let anna = file("1-anna-petrova.pdf");
    assert!(
        anna.contains(&squash("Просим прочесть прилагаемое заявление")),
        "the Russian letter"
    );
    assert!(
        anna.contains(&squash("Приложение: подписавшие")),
        "the Russian annex: {anna}"
    );
    assert!(
        !anna.contains("Pleasereadtheenclosed"),
        "not the English letter"
    );
    let ali = file("2-ali-rezaei.pdf");
    assert!(
        ali.contains("Pleasereadtheenclosed"),
        "no letter.fa.md: the letter itself"
    );
    let reversed: String = "امضاکنندگان".chars().rev().collect();
    assert!(ali.contains(&reversed), "the Farsi statement and annex");
    let jean = file("3-jean-dupont.pdf");
    assert!(jean.contains("Pleasereadtheenclosed") && jean.contains("Annex:Signatories"));
    assert!(
        jean.contains(&squash("no one should be imprisoned for exercising")),
        "the statement's text is attached"
    );

    letters(dir.path(), &["--annex-only"]);
    let jean = file("3-jean-dupont.pdf");
    assert!(jean.contains("Annex:Signatories"), "the annex stays");
    assert!(
        !jean.contains(&squash("no one should be imprisoned for exercising")),
        "--annex-only: no statement text"
    );
}

/// `--window` from the command line moves the address to that envelope's
/// window: DIN 5008 form A sets it 18 mm higher than form B, and DL and C5
/// place it apart (the windows' figures themselves are checked against
/// the reference in letters.rs).
#[test]
fn window_from_the_command_line_moves_the_address() {
    let dir = letters_folder();
    let top_of_name = |window: &str| {
        letters(dir.path(), &["--window", window]);
        let pdf = read(dir.path(), "out/3-jean-dupont.pdf");
        let [_, _, _, top] = pdf.page_box(1, b"MediaBox").unwrap();
        let run = pdf
            .runs(1)
            .into_iter()
            .find(|r| r.text.contains("Jean Dupont"))
            .expect("the address names Jean Dupont");
        (top - run.y) / mm(1.0)
    };
    let a = top_of_name("din-5008-a");
    let b = top_of_name("din-5008-b");
    assert!(
        (b - a - 18.0).abs() < 0.5,
        "form A {a:.1} mm, form B {b:.1} mm from the top"
    );
    let dl = top_of_name("dl");
    let c5 = top_of_name("c5");
    assert!(
        (dl - c5).abs() > 1.0 || (dl - a).abs() > 1.0,
        "dl {dl:.1}, c5 {c5:.1}, a {a:.1}"
    );
    let out = broadside(
        dir.path(),
        &[
            "letters",
            "statement.toml",
            "-r",
            "recipients.csv",
            "-l",
            "letter.md",
            "--window",
            "c4",
        ],
    );
    assert!(!out.status.success(), "an unknown window is refused");
}

/// `export --lang` writes the project of a translation (the closest the
/// statement has), `--lang all` one per language in folders named by tag,
/// and an unknown language is refused with the ones there are.
#[test]
fn export_writes_a_project_per_language() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/translated.toml"),
        dir.path().join("s.toml"),
    )
    .unwrap();
    let data = |path: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.path().join(path)).unwrap()).unwrap()
    };
    broadside_ok(
        dir.path(),
        &[
            "export",
            "s.toml",
            "--lang",
            "fa-IR",
            "--no-fonts",
            "--out",
            "fa",
        ],
    );
    let fa = data("fa/statement.json");
    assert_eq!(fa["lang"], "fa");
    assert_eq!(fa["dir"], "rtl");
    assert_eq!(
        fa["title"],
        "بیانیهٔ مشترک به مناسبت روز جهانی زندانیان سیاسی"
    );
    broadside_ok(
        dir.path(),
        &[
            "export",
            "s.toml",
            "--lang",
            "all",
            "--no-fonts",
            "--out",
            "all",
        ],
    );
    for (tag, lang) in [
        ("en-US", "en"),
        ("ru", "ru"),
        ("uk", "uk"),
        ("be", "be"),
        ("fa", "fa"),
        ("ar", "ar"),
    ] {
        let json = data(&format!("all/{tag}/statement.json"));
        assert_eq!(json["lang"], lang, "{tag}");
        assert!(dir.path().join(format!("all/{tag}/annex.typ")).exists());
    }
    assert_eq!(
        data("all/ru/statement.json")["title"],
        "Совместное заявление к Международному дню политических заключённых"
    );
    let out = broadside(
        dir.path(),
        &["export", "s.toml", "--lang", "zh", "--out", "zh"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("it has en-US, ar, be, fa, ru, uk"));
    assert!(!dir.path().join("zh").exists());
}
