//! How long `build` of the bundled example (all three documents) takes.
//!
//! `cargo bench` — figures go in the issue notes and README.

use std::process::Command;

use broadside::{BuildRequest, Engine, load};

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
