//! The statement in other languages and scripts, right to left included.

use std::path::Path;
use std::sync::LazyLock;

use broadside::load;
use broadside::{BuildRequest, Document, DocumentKind, Statement};

use crate::ENGINE;
use crate::cli::{broadside, broadside_ok};
use crate::pdf::{Pdf, assert_in_order, squash};

/// The example with short translations (tests/fixtures/translated.toml).
static TRANSLATED: LazyLock<Statement> = LazyLock::new(|| {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/translated.toml");
    let loaded = load::load_file(&path).expect("the translated fixture loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    loaded.statement
});

fn build(language: &str) -> Vec<Document> {
    let statement = TRANSLATED
        .in_language(language)
        .unwrap_or_else(|| panic!("a {language} translation"));
    let documents = ENGINE
        .build(&statement, &BuildRequest::default())
        .unwrap_or_else(|e| panic!("{language} builds: {e}"));
    for d in &documents {
        assert!(
            d.warnings.is_empty(),
            "{language} {}: {:?}",
            d.kind.name(),
            d.warnings
        );
        assert_eq!(d.language, language);
    }
    documents
}

fn text(documents: &[Document], kind: DocumentKind) -> String {
    Pdf::parse(&crate::find(documents, kind).pdf).text()
}

/// PDF text of right-to-left runs comes out in visual order: each word's
/// letters reversed. Words chosen here have no lam-alef ligature.
fn assert_rtl_words(text: &str, words: &[&str]) {
    let hay = squash(text);
    for word in words {
        let reversed: String = word.chars().rev().collect();
        assert!(
            hay.contains(&reversed),
            "`{word}` is missing from the RTL text:\n{}",
            text.chars().take(1500).collect::<String>()
        );
    }
}

#[test]
fn russian_documents_use_russian_words_dates_plurals_and_names() {
    let documents = build("ru");
    let release = text(&documents, DocumentKind::PressRelease);
    assert_in_order(
        &release,
        &[
            "СОВМЕСТНОЕ ЗАЯВЛЕНИЕ",
            "ПОДПИСАЛИ 29 ОРГАНИЗАЦИЙ",
            "30 ОКТЯБРЯ 2025",
            "ДЛЯ НЕМЕДЛЕННОГО РАСПРОСТРАНЕНИЯ",
            "Совместное заявление к Международному дню политических заключённых",
            "ВАШИНГТОН, 30 октября 2025",
            "В Международный день политических заключённых",
            "«глобальным приоритетом»",
            "Подписавшие",
            "ОРГАНИЗАТОРЫ",
            "Правозащитный центр «Мемориал»",
            "ОВД-Инфо",
            "###",
        ],
    );
    assert!(squash(&release).contains("-далее-"), "-more- in Russian");
    assert!(
        squash(&release).contains("Страница1из2"),
        "page x of y in Russian"
    );
    let annex = text(&documents, DocumentKind::Annex);
    assert_in_order(
        &annex,
        &[
            "Приложение: подписавшие",
            "Заявление от 30 октября 2025",
            "ОРГАНИЗАТОРЫ",
            "McCain Institute",
            "СООРГАНИЗАТОРЫ",
            "ПРИСОЕДИНИЛИСЬ",
            "World Liberty Congress",
            "Страница 1 из 1",
        ],
    );
    let poster = text(&documents, DocumentKind::Poster);
    assert_in_order(
        &poster,
        &[
            "Политзаключённых нельзя забывать",
            "Никто не должен сидеть в тюрьме",
        ],
    );
}

#[test]
fn ukrainian_and_belarusian_letters_are_covered() {
    let uk = text(&build("uk"), DocumentKind::PressRelease);
    assert_in_order(
        &uk,
        &[
            "ДЛЯ НЕГАЙНОГО ПОШИРЕННЯ",
            "Міжнародного дня політичних в’язнів",
            "за ґратами",
            "Їхня свобода є нашою",
        ],
    );
    let be = text(&build("be"), DocumentKind::Annex);
    assert_in_order(&be, &["Дадатак: падпісанты", "Праваабарончы цэнтр «Вясна»"]);
}

#[test]
fn farsi_documents_are_right_to_left_with_native_digits() {
    let documents = build("fa");
    let release = text(&documents, DocumentKind::PressRelease);
    assert_rtl_words(
        &release,
        &[
            "فوری",
            "انتشار",
            "امضاکنندگان",
            "سازمان",
            "آبان",
            "برگزارکنندگان",
            "آزادی",
        ],
    );
    // Native digits: the count and the Solar Hijri year. (A bare "۱" would
    // be found inside "۱۴۰۴": the page numbers are read from the footer in
    // `right_to_left_mirrors_the_annex_columns_page_numbers_and_the_poster`.)
    for digits in ["۲۹", "۱۴۰۴"] {
        assert!(release.contains(digits), "Persian digits {digits}");
    }
    assert!(
        !squash(&release).contains("29"),
        "no Latin digits for the count"
    );
    // Latin names inside RTL text keep their own direction.
    assert_in_order(&release, &["McCain Institute"]);
    assert!(squash(&release).contains("OVD-Info"));
    let annex = text(&documents, DocumentKind::Annex);
    assert_rtl_words(&annex, &["پیوست", "امضاکنندگان"]);
}

#[test]
fn arabic_counts_use_arabic_plural_forms_and_digits() {
    let documents = build("ar");
    let release = text(&documents, DocumentKind::PressRelease);
    assert!(release.contains("٢٩"), "Arabic-Indic digits");
    assert_rtl_words(&release, &["منظمة"]);
}

/// Which side the ragged lines of a page fall on: (lines touching only the
/// left margin, lines touching only the right margin).
fn ragged_sides(document: &Document, margin_pt: f32) -> (usize, usize) {
    let image = document.render(0, 72.0, false).expect("page renders");
    let (w, h) = image.dimensions();
    let ink = |x: u32, y: u32| {
        let p = image.get_pixel(x, y);
        (u32::from(p[0]) * 3 + u32::from(p[1]) * 6 + u32::from(p[2])) / 10 < 150
    };
    let (left_margin, right_margin) = (margin_pt as u32 + 3, w - margin_pt as u32 - 3);
    let (mut left_only, mut right_only) = (0, 0);
    let mut y = 0;
    while y < h {
        let row_has_ink = |y: u32| (0..w).any(|x| ink(x, y));
        if !row_has_ink(y) {
            y += 1;
            continue;
        }
        let (mut min_x, mut max_x) = (w, 0);
        while y < h && row_has_ink(y) {
            for x in 0..w {
                if ink(x, y) {
                    min_x = min_x.min(x);
                    max_x = max_x.max(x);
                }
            }
            y += 1;
        }
        let touches_left = min_x <= left_margin;
        let touches_right = max_x >= right_margin;
        if touches_left && !touches_right {
            left_only += 1;
        }
        if touches_right && !touches_left {
            right_only += 1;
        }
    }
    (left_only, right_only)
}

#[test]
fn right_to_left_pages_are_aligned_to_the_right() {
    let margin = 24.0 * 72.0 / 25.4;
    // The prose alone: the signatory list's two columns each have a ragged
    // edge of their own in the middle of the page.
    let mut statement = TRANSLATED.in_language("fa").expect("a fa translation");
    statement.release.list = broadside::load::statement::ListLimit::First(0);
    let fa = ENGINE.build(&statement, &BuildRequest::default()).unwrap();
    let (left, right) = ragged_sides(crate::find(&fa, DocumentKind::PressRelease), margin);
    assert!(
        right >= 5 && left <= 2,
        "Farsi: {right} lines flush right only, {left} flush left only"
    );
    let en = crate::example(DocumentKind::PressRelease);
    let (left, right) = ragged_sides(en, margin);
    assert!(
        left >= 5 && right <= 2,
        "English: {left} lines flush left only, {right} flush right only"
    );
}

#[test]
fn build_all_languages_writes_them_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/translated.toml");
    let fixture = fixture.as_os_str();
    broadside_ok(
        dir.path(),
        &[
            "build".as_ref(),
            fixture,
            "--lang".as_ref(),
            "ru,fa".as_ref(),
            "--only".as_ref(),
            "annex".as_ref(),
        ],
    );
    // Each file is in its language, not the original under another name.
    let read = |name: &str| {
        crate::pdf::Pdf::parse(&std::fs::read(dir.path().join("output").join(name)).unwrap()).text()
    };
    let ru = read("annex.ru.pdf");
    assert_in_order(
        &ru,
        &[
            "Приложение: подписавшие",
            "Совместное заявление к Международному дню политических заключённых",
        ],
    );
    assert!(!ru.contains("Annex: Signatories"), "{ru}");
    let fa = read("annex.fa.pdf");
    assert_rtl_words(&fa, &["پیوست", "امضاکنندگان"]);
    assert!(!fa.contains("Annex") && !fa.contains("Приложение"), "{fa}");
    assert!(!dir.path().join("output/annex.pdf").exists());

    let out = broadside(
        dir.path(),
        &[
            "build".as_ref(),
            fixture,
            "--lang".as_ref(),
            "ru,xx".as_ref(),
            "--out".as_ref(),
            "second".as_ref(),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no `xx` translation"));
    assert!(
        !dir.path().join("second").exists(),
        "nothing written when one language fails"
    );
}

#[test]
fn translations_are_validated() {
    let dir = tempfile::tempdir().unwrap();
    let text = "title = \"T\"\ndate = 2025-10-30\nbody = \"B\"\nsignatories = [{ name = \"A\", group = \"G\" }]\n\
                [translations.ru]\ntitel = \"x\"\ngroups = { \"H\" = \"Х\" }\ndigits = \"roman\"\n";
    let e = crate::load_toml(dir.path(), text).unwrap_err().to_string();
    for part in [
        "`translations.ru.title`: is missing",
        "`translations.ru.body`: is missing",
        "`H` is not a group",
        "groups are: G",
        "`translations.ru.digits`",
    ] {
        assert!(e.contains(part), "`{part}` missing from:\n{e}");
    }
    let text = "title = \"T\"\ndate = 2025-10-30\nbody = \"B\"\nsignatories = [\"A\"]\n[translations.ru]\ntitle = \"Т\"\nbody = \"Б\"\nslogna = \"x\"\n";
    let loaded = crate::load_toml(dir.path(), text).unwrap();
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.to_string().contains("`translations.ru.slogna`")
                && w.to_string().contains("did you mean `slogan`?"))
    );
}

#[test]
fn a_translation_can_live_in_its_own_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("statement.toml"),
        "title = \"Free them\"\ndate = 2025-10-30\nbody = \"Free them all.\"\n\
         signatories = [{ name = \"OVD-Info\", group = \"Conveners\" }, { name = \"Amnesty International\", group = \"Conveners\" }]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("statement.ru.toml"),
        "translation_of = \"statement.toml\"\nlanguage = \"ru\"\ntitle = \"Освободите их\"\nbody = \"Освободите всех.\"\n\
         names = { \"OVD-Info\" = \"ОВД-Инфо\" }\ngroups = { \"Conveners\" = \"Организаторы\" }\nslgan = \"x\"\n",
    )
    .unwrap();
    let loaded = load::load_file(&dir.path().join("statement.ru.toml")).unwrap();
    assert_eq!(loaded.statement.language, "ru");
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.key == "slgan" && w.to_string().contains("did you mean `slogan`?")),
        "{:?}",
        loaded.warnings
    );
    let documents = ENGINE
        .build(&loaded.statement, &BuildRequest::default())
        .unwrap();
    let annex = text(&documents, DocumentKind::Annex);
    assert_in_order(
        &annex,
        &[
            "Приложение: подписавшие",
            "Освободите их",
            "ОРГАНИЗАТОРЫ",
            "ОВД-Инфо",
            "Amnesty International",
        ],
    );

    // The original must exist, stay in the folder, and be in another language.
    for (content, expected) in [
        (
            "translation_of = \"missing.toml\"\nlanguage = \"ru\"\ntitle = \"T\"\nbody = \"B\"\n",
            "`missing.toml` does not exist",
        ),
        (
            "translation_of = \"../statement.toml\"\nlanguage = \"ru\"\ntitle = \"T\"\nbody = \"B\"\n",
            "outside the statement's folder",
        ),
        (
            "translation_of = \"statement.toml\"\nlanguage = \"en\"\ntitle = \"T\"\nbody = \"B\"\n",
            "the original's language too",
        ),
        (
            "translation_of = \"statement.toml\"\nlanguage = \"ru\"\ntitle = \"T\"\n",
            "`body`: is missing",
        ),
    ] {
        std::fs::write(dir.path().join("bad.toml"), content).unwrap();
        let e = load::load_file(&dir.path().join("bad.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains(expected), "`{expected}` missing from:\n{e}");
    }
}

/// `--lang` finds the closest language the statement has, as letters do:
/// `ru-RU` builds the `ru` translation, `en` the `en-US` original, and says
/// so; `de` is in none of its languages and is refused.
#[test]
fn build_lang_falls_back_by_bcp_47() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/translated.toml");
    let fixture = fixture.as_os_str();
    let out = broadside_ok(
        dir.path(),
        &[
            "build".as_ref(),
            fixture,
            "--lang".as_ref(),
            "ru-RU,en".as_ref(),
            "--only".as_ref(),
            "annex".as_ref(),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--lang ru-RU: building the `ru` statement"),
        "{stderr}"
    );
    assert!(dir.path().join("output/annex.ru.pdf").exists());
    assert!(dir.path().join("output/annex.en-US.pdf").exists());
    let out = broadside(
        dir.path(),
        &[
            "build".as_ref(),
            fixture,
            "--lang".as_ref(),
            "de".as_ref(),
            "--out".as_ref(),
            "de".as_ref(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no `de` translation")
            && stderr.contains("it has en-US, ar, be, fa, ru, uk"),
        "{stderr}"
    );
}

/// A Farsi statement with 240 signatories named in Latin letters
/// (`Organisation 001` …), so each entry is found by its name, and a web
/// address for the poster's code.
fn farsi_long() -> broadside::Statement {
    let names: String = (1..=240)
        .map(|n| format!("\"Organisation {n:03}\", "))
        .collect();
    let text = format!(
        "title = \"بیانیهٔ مشترک\"\ndate = 2025-10-30\nlanguage = \"fa\"\ndigits = \"native\"\n\
         url = \"https://example.org/fa\"\nbody = \"\"\"\nهیچ‌کس نباید به دلیل باورهایش زندانی شود.\n\"\"\"\n\
         signatories = [{names}]\n"
    );
    let dir = tempfile::tempdir().unwrap();
    crate::load_toml(dir.path(), &text).unwrap().statement
}

/// Right to left beyond the prose (issue 23, item 4): the annex's columns
/// are mirrored (the list starts in the right-hand column and goes on in
/// the left one, top to bottom in each, page after page); the page numbers
/// are Farsi digits in the footer itself (the year ۱۴۰۴ elsewhere on the
/// page proves nothing about them); the poster's QR code stands on the left
/// of the names, where an English poster has it on the right.
#[test]
fn right_to_left_mirrors_the_annex_columns_page_numbers_and_the_poster() {
    let statement = farsi_long();
    let built = ENGINE.build(&statement, &BuildRequest::default()).unwrap();
    let annex = Pdf::parse(&crate::find(&built, DocumentKind::Annex).pdf);
    assert!(annex.page_count() >= 2, "the list takes more than a page");
    let [x0, _, x1, _] = annex.page_box(1, b"MediaBox").unwrap();
    let middle = (x0 + x1) / 2.0;
    let mut previous = 0;
    for page in 1..=annex.page_count() as u32 {
        // Each entry's place: (number, left x, baseline y).
        let mut entries: Vec<(usize, f64, f64)> = annex
            .runs(page)
            .into_iter()
            .filter_map(|r| {
                let n = r.text.trim().strip_prefix("Organisation ")?.parse().ok()?;
                Some((n, r.x, r.y))
            })
            .collect();
        assert!(!entries.is_empty(), "page {page} lists no one");
        entries.sort_by_key(|e| e.0);
        assert_eq!(
            entries[0].0,
            previous + 1,
            "page {page} goes on from the page before"
        );
        previous = entries.last().unwrap().0;
        let right: Vec<_> = entries.iter().filter(|e| e.1 > middle).collect();
        let left: Vec<_> = entries.iter().filter(|e| e.1 < middle).collect();
        assert!(
            !right.is_empty(),
            "page {page}: nothing in the right-hand column"
        );
        if !left.is_empty() {
            // Every entry on the right comes before every entry on the left.
            let last_right = right.iter().map(|e| e.0).max().unwrap();
            let first_left = left.iter().map(|e| e.0).min().unwrap();
            assert!(
                last_right < first_left,
                "page {page}: the list runs left to right ({last_right} on the right, {first_left} on the left)"
            );
        }
        for column in [&right, &left] {
            for pair in column.windows(2) {
                assert!(
                    pair[1].2 < pair[0].2,
                    "page {page}: {} is not below {}",
                    pair[1].0,
                    pair[0].0
                );
            }
        }
        // The footer: the lowest line of the page, "صفحهٔ ۱ از ۲" in visual order.
        let runs = annex.runs(page);
        let lowest = runs.iter().map(|r| r.y).fold(f64::MAX, f64::min);
        let footer: String = runs
            .iter()
            .filter(|r| (r.y - lowest).abs() < 1.0)
            .map(|r| r.text.as_str())
            .collect();
        let digit = |n: u32| char::from_u32(0x06F0 + n).unwrap();
        let total = annex.page_count() as u32;
        assert!(
            footer.contains(digit(page)) && footer.contains(digit(total)),
            "page {page}: the footer {footer:?} does not number it in Farsi digits"
        );
        assert!(
            !footer.chars().any(|c| c.is_ascii_digit()),
            "page {page}: Latin digits in {footer:?}"
        );
    }
    assert_eq!(previous, 240, "every name, once");

    // The poster: the code's dark modules lie left of the middle in Farsi,
    // right of it in English.
    let code_x = |document: &Document| {
        let image = document.render(0, 36.0, false).unwrap();
        let xs: Vec<u32> = image
            .enumerate_pixels()
            .filter(|(_, _, p)| p[0] < 8 && p[1] < 8 && p[2] < 8)
            .map(|(x, _, _)| x)
            .collect();
        assert!(!xs.is_empty(), "no QR code");
        let mean = xs.iter().map(|&x| f64::from(x)).sum::<f64>() / xs.len() as f64;
        mean / f64::from(image.width())
    };
    let farsi = code_x(crate::find(&built, DocumentKind::Poster));
    assert!(
        farsi < 0.5,
        "the Farsi poster's code is at {farsi:.2} of the width"
    );
    let mut english = statement.clone();
    english.language = "en".into();
    english.title = "Joint statement".into();
    english.body = "No one should be imprisoned for their beliefs.".into();
    english.digits = Default::default();
    let request = BuildRequest {
        documents: vec![DocumentKind::Poster],
        ..BuildRequest::default()
    };
    let built = ENGINE.build(&english, &request).unwrap();
    let english = code_x(&built[0]);
    assert!(
        english > 0.5,
        "the English poster's code is at {english:.2} of the width"
    );
}
