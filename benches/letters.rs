//! A batch of letters as a user runs it: `broadside letters` as a whole
//! process, each letter one page followed by the example's statement and
//! 29-name annex (or the annex alone). Side by side, when `TYPST_CLI` names
//! the official typst 0.15 CLI, that compiler's bundle export of the same
//! letters exported with `broadside export --letters`.
//! `TYPST_CLI=... cargo bench --bench letters`.

use std::path::Path;
use std::process::{Command, Stdio};

#[path = "common/official.rs"]
mod official;

fn main() {
    divan::main();
}

/// A folder with the example statement, `count` recipients and a letter.
pub fn batch(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let statement = broadside::load::EXAMPLE_TOML.to_owned()
        + "\n[letter]\nfrom = \"1850 M Street NW\\nWashington, DC 20036\"\n[[letter.signers]]\nname = \"Jane Roe\"\nrole = \"Executive Director\"\n";
    std::fs::write(dir.path().join("statement.toml"), statement).unwrap();
    let mut csv = String::from("name,title,organisation,address\n");
    for i in 0..count {
        csv.push_str(&format!(
            "Recipient {i},H.E.,Ministry of Foreign Affairs {i},\"Street {i}\n{i} City\nCountry\"\n"
        ));
    }
    std::fs::write(dir.path().join("recipients.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("letter.md"),
        "Excellency,\n\nOn the International Day of Political Prisoners, {{ statement.signatories.count }} organisations publish the enclosed statement.\n\nWe ask your government to raise the cases of political prisoners in every bilateral meeting.\n\nYours sincerely,\n",
    )
    .unwrap();
    dir
}

fn broadside(dir: &Path, command: &str, out: &str, extra: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_broadside"))
        .current_dir(dir)
        .args([
            command,
            "statement.toml",
            "--recipients",
            "recipients.csv",
            "--letter",
            "letter.md",
            "--out",
            out,
        ])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
}

/// 200 and 1,000 letters, each written to its own PDF.
#[divan::bench(args = [200, 1_000], sample_count = 5)]
fn letters(bencher: divan::Bencher, count: usize) {
    let dir = batch(count);
    bencher.bench(|| broadside(dir.path(), "letters", "out", &[]));
}

/// The same letters with the annex alone after each (two pages a letter).
#[divan::bench(args = [200, 1_000], sample_count = 5)]
fn letters_annex_only(bencher: divan::Bencher, count: usize) {
    let dir = batch(count);
    bencher.bench(|| broadside(dir.path(), "letters", "out", &["--annex-only"]));
}

/// The official CLI's bundle export of the exported letters, or nothing
/// (with a note) when `TYPST_CLI` is not set.
fn official(bencher: divan::Bencher, count: usize, extra: &[&str]) {
    let Some(cli) = official::cli() else { return };
    let dir = batch(count);
    broadside(
        dir.path(),
        "export",
        "project",
        &[&["--letters"], extra].concat(),
    );
    let project = dir.path().join("project");
    bencher.bench(|| {
        let status = Command::new(&cli)
            .current_dir(&project)
            // typst 0.15.1's bundle export can overflow a thread's stack with
            // a thousand documents: krilla's PDF writing yields to rayon, which
            // nests another document's export on the same stack.
            .env("RUST_MIN_STACK", "67108864")
            // The command the project's README gives, less the word `typst`.
            .args(
                broadside::letters::bundle::compile_command(true)
                    .split_whitespace()
                    .skip(1),
            )
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    });
}

/// `typst compile --features bundle --format bundle` of the same letters.
#[divan::bench(args = [200, 1_000], sample_count = 3)]
fn official_bundle(bencher: divan::Bencher, count: usize) {
    official(bencher, count, &[]);
}

/// The same, the annex alone after each letter.
#[divan::bench(args = [200, 1_000], sample_count = 3)]
fn official_bundle_annex_only(bencher: divan::Bencher, count: usize) {
    official(bencher, count, &["--annex-only"]);
}
