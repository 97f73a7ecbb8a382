//! The day of action in print, whole process as a user runs it: placards
//! for ten slogans in ten languages, flyers imposed on A4, and what
//! `--pdf-x 4` adds to the poster; with `TYPST_CLI=...` naming the official
//! typst 0.15 CLI, that compiler on the same placards and flyer exported.
//!
//! `cargo bench --bench daykit`

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::LazyLock;

#[path = "common/official.rs"]
mod official;

fn main() {
    divan::main();
}

/// The languages of the placards, each with ten slogans in its own words.
const LANGUAGES: [(&str, &str); 10] = [
    ("en", "Free them all"),
    ("en-GB", "Free every political prisoner"),
    ("ru", "Свободу политзаключённым"),
    ("uk", "Свободу політв'язням"),
    ("be", "Волю палітвязням"),
    ("fa", "آزادی برای زندانیان سیاسی"),
    ("ar", "الحرية للمعتقلين السياسيين"),
    ("es", "Libertad para los presos políticos"),
    ("fr", "Liberté pour les prisonniers politiques"),
    ("de", "Freiheit für politische Gefangene"),
];

/// A statement with ten placards in each of ten languages, written once.
static STATEMENT: LazyLock<(tempfile::TempDir, PathBuf)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let placards = |slogan: &str| -> String {
        (1..=10)
            .map(|n| format!("{{ text = \"{slogan} {n}\" }}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (_, first) = LANGUAGES[0];
    let mut text = format!(
        "title = \"Free all political prisoners\"\ndate = 2025-10-30\nlanguage = \"en\"\n\
         url = \"https://example.org/statements/2025/political-prisoners\"\n\
         body = \"\"\"\nNo one should be imprisoned for what they believe.\n\"\"\"\n\
         placards = [{}]\n\
         signatories = [{{ name = \"McCain Institute\", group = \"Conveners\" }}, {{ name = \"Freedom House\", group = \"Conveners\" }}, {{ name = \"Amnesty International\", group = \"Co-signers\" }}]\n",
        placards(first)
    );
    for (tag, slogan) in &LANGUAGES[1..] {
        text.push_str(&format!(
            "\n[translations.{tag}]\ntitle = \"{slogan}\"\nbody = \"{slogan}.\"\nplacards = [{}]\n",
            placards(slogan)
        ));
    }
    let path = dir.path().join("statement.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
});

fn broadside(args: &[&str], out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_broadside"))
        .arg("build")
        .arg(&STATEMENT.1)
        .args(args)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "broadside build {args:?}");
}

/// 100 placards: ten slogans in each of ten languages, one process.
#[divan::bench(sample_count = 10)]
fn placards_10_slogans_10_languages(bencher: divan::Bencher) {
    let out = tempfile::tempdir().unwrap();
    bencher.bench(|| broadside(&["--only", "placards", "--lang", "all"], out.path()));
}

/// Ten placards in the statement's own language.
#[divan::bench(sample_count = 20)]
fn placards_10_slogans(bencher: divan::Bencher) {
    let out = tempfile::tempdir().unwrap();
    bencher.bench(|| broadside(&["--only", "placards"], out.path()));
}

/// The official CLI on the same ten placards, exported.
#[divan::bench(sample_count = 20)]
fn official_cli_placards_10_slogans(bencher: divan::Bencher) {
    let Some(cli) = official::cli() else { return };
    let dir = tempfile::tempdir().unwrap();
    official::export(Some(&STATEMENT.1), dir.path());
    bencher.bench(|| official::compile(&cli, dir.path(), &["placards"]));
}

/// The flyer, and two of it imposed on an A4 sheet.
#[divan::bench(sample_count = 20)]
fn flyer_a5_imposed_on_a4(bencher: divan::Bencher) {
    let out = tempfile::tempdir().unwrap();
    bencher.bench(|| broadside(&["--only", "flyer", "--impose", "a4"], out.path()));
}

/// The A6 flyer (two sides), four to a sheet with the backs.
#[divan::bench(sample_count = 20)]
fn flyer_a6_imposed_on_a4(bencher: divan::Bencher) {
    let out = tempfile::tempdir().unwrap();
    bencher.bench(|| {
        broadside(
            &["--only", "flyer", "--size", "a6", "--impose", "a4"],
            out.path(),
        )
    });
}

/// The official CLI on the same flyer, exported (the flyer alone: the
/// imposed sheet reads the flyer's PDF, which only broadside writes).
#[divan::bench(sample_count = 20)]
fn official_cli_flyer(bencher: divan::Bencher) {
    let Some(cli) = official::cli() else { return };
    let dir = tempfile::tempdir().unwrap();
    official::export(Some(&STATEMENT.1), dir.path());
    bencher.bench(|| official::compile(&cli, dir.path(), &["flyer"]));
}

/// The poster as broadside writes it by default.
#[divan::bench(sample_count = 30)]
fn poster_plain(bencher: divan::Bencher) {
    let out = tempfile::tempdir().unwrap();
    bencher.bench(|| broadside(&["--only", "poster"], out.path()));
}

/// The same poster as PDF/X-4 (FOGRA39): what the output intent, the
/// metadata and the checks add.
#[divan::bench(sample_count = 30)]
fn poster_pdf_x_4(bencher: divan::Bencher) {
    let out = tempfile::tempdir().unwrap();
    bencher.bench(|| broadside(&["--only", "poster", "--pdf-x", "4"], out.path()));
}
