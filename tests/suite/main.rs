//! broadside's test suite: one binary, so the compiler links once.

mod build;
mod cli;
mod collect;
mod daykit;
mod import;
mod input;
mod languages;
mod layout;
mod letters;
mod pdf;
mod pieces;
mod posters;
mod preview;
mod promises;
mod properties;
mod scale;
mod send;
mod sheets;
mod text;

use std::path::Path;
use std::sync::LazyLock;

use broadside::load::{self, Format, Loaded};
use broadside::{BuildRequest, Document, DocumentKind, Engine};

/// One engine for every test, as a long-running program would hold it.
pub static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::new);

/// The bundled example's three documents, built once.
pub static EXAMPLE: LazyLock<Vec<Document>> = LazyLock::new(|| {
    let loaded = load::load_example().expect("the example loads");
    ENGINE
        .build(&loaded.statement, &BuildRequest::default())
        .expect("the example builds")
});

/// A document of the example.
pub fn example(kind: DocumentKind) -> &'static Document {
    EXAMPLE
        .iter()
        .find(|d| d.kind == kind)
        .expect("document built")
}

/// Loads TOML text as if it were `statement.toml` in `dir`.
pub fn load_toml(dir: &Path, text: &str) -> broadside::Result<Loaded> {
    load::load_str(text, Format::Toml, &dir.join("statement.toml"), dir)
}

/// Builds all documents of a TOML statement written in `dir`.
pub fn build_toml(dir: &Path, text: &str) -> Vec<Document> {
    let loaded = load_toml(dir, text).unwrap_or_else(|e| panic!("statement should load: {e}"));
    ENGINE
        .build(&loaded.statement, &BuildRequest::default())
        .unwrap_or_else(|e| panic!("statement should build: {e}"))
}

pub fn find(documents: &[Document], kind: DocumentKind) -> &Document {
    documents
        .iter()
        .find(|d| d.kind == kind)
        .expect("document built")
}

/// The 29 signatories of the example, in the coalition's order, from the
/// original text in shared/ when it is there (it is beside the repository on
/// developers' machines and in CI), else from the example file itself.
pub fn example_names() -> Vec<String> {
    let original = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/statements/international-day-of-political-prisoners.txt");
    if let Ok(text) = std::fs::read_to_string(&original) {
        let signed = text
            .split("Signed:")
            .nth(1)
            .expect("the original lists signatories");
        return signed
            .lines()
            .filter_map(|l| l.trim().strip_prefix("- "))
            .map(|l| {
                l.split_once(". ")
                    .map_or(l, |(_, name)| name)
                    .trim()
                    .to_owned()
            })
            .collect();
    }
    let loaded = load::load_example().expect("the example loads");
    loaded
        .statement
        .signatories
        .iter()
        .map(|s| s.name.clone())
        .collect()
}

/// For a test whose outside tool is missing: fails under CI (`.ci/run`
/// installs every tool), and otherwise says it skipped where `cargo test`
/// shows it (the process's own stderr: the harness captures `eprintln!`).
pub fn skip_or_fail(test: &str, why: &str) {
    assert!(
        std::env::var("CI").is_err(),
        "{test}: CI must install what it needs (.ci/run does): {why}"
    );
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {why}; .ci/run installs it"
    );
}
