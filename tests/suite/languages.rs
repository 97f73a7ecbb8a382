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
    // Native digits: the count, the Solar Hijri year and page numbers.
    for digits in ["۲۹", "۱۴۰۴", "۱"] {
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
