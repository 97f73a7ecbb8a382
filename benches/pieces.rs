//! A long annex in pieces side by side against one layout of the whole
//! list, in the same process (`Engine` with `PieceSize::Whole` and
//! `PieceSize::Auto`), for 20,000 and 50,000 names. Peak memory is a whole
//! process's matter: docs/performance.md gives `/usr/bin/time` figures of
//! `broadside build`. `cargo bench --bench pieces`.

use broadside::{BuildRequest, DocumentKind, Engine, EngineOptions, PieceSize};

#[path = "../tests/common/generate.rs"]
mod generate;

fn main() {
    divan::main();
}

fn run(bencher: divan::Bencher, count: usize, pieces: PieceSize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("statement.toml");
    std::fs::write(&path, generate::statement_toml(count, "en")).unwrap();
    let loaded = broadside::load_file(&path).unwrap();
    let engine = Engine::with_options(&EngineOptions {
        pieces,
        ..EngineOptions::default()
    })
    .unwrap();
    let request = BuildRequest {
        documents: vec![DocumentKind::Annex],
        ..BuildRequest::default()
    };
    bencher.bench(|| {
        let annex = engine.build(&loaded.statement, &request).unwrap();
        assert_eq!(
            annex[0].pieces > 1,
            pieces == PieceSize::Auto,
            "laid out in {} pieces",
            annex[0].pieces
        );
        // Each run starts from an empty cache, as a single build does.
        broadside::set::engine::trim_cache();
    });
}

/// The list laid out whole, on one core.
#[divan::bench(args = [10_000, 20_000, 50_000], sample_count = 3)]
fn whole(bencher: divan::Bencher, count: usize) {
    run(bencher, count, PieceSize::Whole);
}

/// The list in pieces on every core.
#[divan::bench(args = [10_000, 20_000, 50_000], sample_count = 3)]
fn pieces(bencher: divan::Bencher, count: usize) {
    run(bencher, count, PieceSize::Auto);
}
