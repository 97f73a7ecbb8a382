//! A day of `watch`: a warm engine rebuilding the example's three documents
//! after a one-word edit, a thousand times, as `watch` does (build, write
//! the PDFs, trim Typst's cache as `watch` does). Prints the rebuild time (median and 90th
//! percentile) and the process's resident memory after 10, 100 and 1,000
//! rebuilds, which should stay flat. `cargo bench --bench watch`.

use std::time::{Duration, Instant};

use broadside::{BuildRequest, Engine, load};

// The allocator the `broadside` command uses (see `src/main.rs`), so the
// figures are the command's.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Resident memory of this process in MB (Linux), or 0 elsewhere.
fn resident_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    // `cargo test --benches` runs this too: then once, quickly.
    let rebuilds = if std::env::args().any(|a| a == "--bench") {
        1_000
    } else {
        3
    };
    let engine = Engine::new();
    engine.reuse_pdfs();
    let base = load::load_example().unwrap().statement;
    let out = tempfile::tempdir().unwrap();
    engine.build(&base, &BuildRequest::default()).unwrap();
    let mut times: Vec<Duration> = Vec::with_capacity(rebuilds);
    for n in 1..=rebuilds {
        let mut statement = base.clone();
        statement.body = base
            .body
            .replacen("simple truth", &format!("simple truth {n}"), 1);
        let started = Instant::now();
        let documents = engine.build(&statement, &BuildRequest::default()).unwrap();
        broadside::write::output::write_all(out.path(), &documents, false).unwrap();
        broadside::set::engine::trim_cache();
        times.push(started.elapsed());
        if [10, 100, 1_000].contains(&n) {
            println!(
                "after {n:>5} rebuilds: resident memory {:.1} MB",
                resident_mb()
            );
        }
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "rebuild after a one-word edit, all three documents written: median {:.1} ms, 90th percentile {:.1} ms ({rebuilds} rebuilds)",
        at(0.5).as_secs_f64() * 1e3,
        at(0.9).as_secs_f64() * 1e3
    );
}
