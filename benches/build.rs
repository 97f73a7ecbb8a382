//! How long `build` of the bundled example (all three documents) takes.
//!
//! `cargo bench --bench build`; with `TYPST_CLI=...` naming the official
//! typst 0.15 CLI, that compiler on the same example exported, beside it.

use std::process::Command;

#[path = "common/official.rs"]
mod official;

use broadside::{BuildRequest, Engine, load};

// The allocator the `broadside` command uses (see `src/main.rs`), so the
// figures are the command's.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    divan::main();
}

/// A warm engine: fonts, library and Typst's cache reused, as in a
/// long-running program (a preview server) building the same statement.
#[divan::bench(sample_count = 30)]
fn in_process_warm(bencher: divan::Bencher) {
    let engine = Engine::new();
    let statement = load::load_example().unwrap().statement;
    engine.build(&statement, &BuildRequest::default()).unwrap();
    bencher.bench(|| engine.build(&statement, &BuildRequest::default()).unwrap());
}

/// What `watch` does after a one-word edit of the body: a warm engine, the
/// statement changed, all three documents built again.
#[divan::bench(sample_count = 30)]
fn rebuild_after_one_word_change(bencher: divan::Bencher) {
    let engine = Engine::new();
    engine.reuse_pdfs();
    let base = load::load_example().unwrap().statement;
    engine.build(&base, &BuildRequest::default()).unwrap();
    let mut n = 0u32;
    bencher.bench_local(|| {
        n += 1;
        let mut statement = base.clone();
        statement.body = base
            .body
            .replacen("simple truth", &format!("simple truth {n}"), 1);
        let built = engine.build(&statement, &BuildRequest::default()).unwrap();
        broadside::set::engine::trim_cache();
        built
    });
}

/// A new engine per build, and a changed statement each time, so Typst's
/// cache cannot answer: the cost of a first build in a process, less start-up.
#[divan::bench(sample_count = 20)]
fn in_process_fresh_engine(bencher: divan::Bencher) {
    let base = load::load_example().unwrap().statement;
    let mut n = 0u32;
    bencher.bench_local(|| {
        n += 1;
        let mut statement = base.clone();
        statement.title = format!("{} {n}", base.title);
        let engine = Engine::new();
        engine.build(&statement, &BuildRequest::default()).unwrap()
    });
}

/// The whole command, as a user runs it: `broadside build --out DIR`.
#[divan::bench(sample_count = 20)]
fn whole_process(bencher: divan::Bencher) {
    let dir = std::env::temp_dir().join(format!("broadside-bench-{}", std::process::id()));
    bencher.bench(|| {
        let status = Command::new(env!("CARGO_BIN_EXE_broadside"))
            .args(["build", "--out"])
            .arg(&dir)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// The official typst CLI compiling the example exported, one process per
/// document (runs when `TYPST_CLI` names it): the reference of README's
/// speed ratio, measured in the same run as [`whole_process`].
#[divan::bench(sample_count = 20)]
fn official_cli_whole_process(bencher: divan::Bencher) {
    let Some(cli) = official::cli() else { return };
    let dir = tempfile::tempdir().unwrap();
    official::export(None, dir.path());
    bencher.bench(|| official::compile(&cli, dir.path(), &official::ALL));
}

/// A statement with thirty signatories' logos, in a fresh folder.
fn thirty_logos() -> (tempfile::TempDir, broadside::Statement) {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "title = \"T\"\ndate = 2026-05-03\nurl = \"https://example.org/s\"\nbody = \"B\"\n",
    );
    for i in 0..30u32 {
        let (w, h) = (240 + (i % 3) * 120, 90 + (i % 4) * 50);
        let logo = image::RgbaImage::from_fn(w, h, |x, y| {
            image::Rgba([(x + i * 7) as u8, (y * 2) as u8, 140, 255])
        });
        logo.save(dir.path().join(format!("logo{i}.png"))).unwrap();
        text.push_str(&format!(
            "[[signatories]]\nname = \"Organisation {i}\"\nlogo = \"logo{i}.png\"\n"
        ));
    }
    let statement = load::load_str(
        &text,
        load::Format::Toml,
        &dir.path().join("s.toml"),
        dir.path(),
    )
    .unwrap()
    .statement;
    (dir, statement)
}

fn poster_only() -> BuildRequest {
    BuildRequest {
        documents: vec![broadside::DocumentKind::Poster],
        ..BuildRequest::default()
    }
}

/// Poster with thirty logos (decoding, trimming and placing them) to PDF.
#[divan::bench(sample_count = 20)]
fn poster_thirty_logos_pdf(bencher: divan::Bencher) {
    let engine = Engine::new();
    let (_dir, statement) = thirty_logos();
    bencher.bench(|| engine.build(&statement, &poster_only()).unwrap());
}

/// The same poster rendered to a 150 dpi PNG (A2: 2480 × 3508 pixels).
#[divan::bench(sample_count = 10)]
fn poster_thirty_logos_png(bencher: divan::Bencher) {
    let engine = Engine::new();
    let (_dir, statement) = thirty_logos();
    let poster = engine.build(&statement, &poster_only()).unwrap().remove(0);
    bencher.bench(|| {
        let image = poster.render(0, 150.0, false).unwrap();
        let mut png = Vec::new();
        image
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        png
    });
}
