//! The official typst CLI compiling what `broadside export` writes, one
//! process per document as a user would: the reference broadside's speed is
//! stated against. Runs when `TYPST_CLI` names the typst 0.15 CLI.

// Each benchmark that includes this file uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The official CLI, if `TYPST_CLI` names it (with a note when it does not).
pub fn cli() -> Option<PathBuf> {
    let cli = std::env::var_os("TYPST_CLI").map(PathBuf::from);
    if cli.is_none() {
        eprintln!("official CLI skipped: set TYPST_CLI to the typst 0.15 CLI");
    }
    cli
}

/// Exports `statement` (the bundled example when `None`) as a Typst project
/// into `dir`.
pub fn export(statement: Option<&Path>, dir: &Path) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_broadside"));
    command.arg("export");
    if let Some(statement) = statement {
        command.arg(statement);
    }
    let status = command
        .arg("--out")
        .arg(dir)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
}

/// Compiles `documents` of the exported project in `dir`, one after the
/// other, each its own process (the commands the project's README gives).
pub fn compile(cli: &Path, dir: &Path, documents: &[&str]) {
    for document in documents {
        let status = Command::new(cli)
            .current_dir(dir)
            // The command less the word `typst`.
            .args(
                broadside::write::export::compile_command(document, true)
                    .split_whitespace()
                    .skip(1),
            )
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    }
}

/// The three documents `broadside build` makes.
pub const ALL: [&str; 3] = ["press-release", "poster", "annex"];
