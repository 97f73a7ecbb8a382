//! Long signatory lists, as a user runs them: `broadside build` as a whole
//! process on statements of 1,000, 10,000 and 20,000 names (generated here,
//! not committed), and beside it, when `TYPST_CLI` names the official typst
//! 0.15 CLI, that compiler on the same statements exported.
//! `TYPST_CLI=... cargo bench --bench scale`.

use std::path::PathBuf;
use std::process::{Command, Stdio};

#[path = "../tests/common/generate.rs"]
mod generate;
#[path = "common/official.rs"]
mod official;

fn main() {
    divan::main();
}

/// A folder with a statement of `count` names, and where its output goes.
fn statement(count: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("statement.toml");
    std::fs::write(&path, generate::statement_toml(count, "en")).unwrap();
    (dir, path)
}

fn run(path: &PathBuf, out: &std::path::Path, only: Option<&str>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_broadside"));
    command.arg("build").arg(path).arg("--out").arg(out);
    if let Some(only) = only {
        command.args(["--only", only]);
    }
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
}

/// The annex alone.
#[divan::bench(args = [1_000, 10_000, 20_000], sample_count = 5)]
fn annex(bencher: divan::Bencher, count: usize) {
    let (dir, path) = statement(count);
    let out = dir.path().join("out");
    bencher.bench(|| run(&path, &out, Some("annex")));
}

/// All three documents, compiled in parallel.
#[divan::bench(args = [1_000, 10_000, 20_000], sample_count = 5)]
fn all_three(bencher: divan::Bencher, count: usize) {
    let (dir, path) = statement(count);
    let out = dir.path().join("out");
    bencher.bench(|| run(&path, &out, None));
}

/// The official CLI compiling the exported annex.
#[divan::bench(args = [1_000, 10_000, 20_000], sample_count = 5)]
fn official_annex(bencher: divan::Bencher, count: usize) {
    official_run(bencher, count, &["annex"]);
}

/// The official CLI compiling the three exported documents, one process each.
#[divan::bench(args = [1_000, 10_000, 20_000], sample_count = 5)]
fn official_all_three(bencher: divan::Bencher, count: usize) {
    official_run(bencher, count, &official::ALL);
}

fn official_run(bencher: divan::Bencher, count: usize, documents: &[&str]) {
    let Some(cli) = official::cli() else { return };
    let (dir, path) = statement(count);
    let project = dir.path().join("project");
    official::export(Some(&path), &project);
    bencher.bench(|| official::compile(&cli, &project, documents));
}
