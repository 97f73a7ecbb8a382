//! A petition's million names: `broadside build --only annex` as a whole
//! process, on a statement whose list is a spreadsheet of 1,000,000 rows
//! (generated here, not committed), timed, with its peak memory (this
//! build's process and its workers', summed, sampled every 10 ms). The PDF
//! is then read back with poppler's `pdftotext -bbox-layout`, line by line
//! with each line's place, and must hold:
//!
//! - every entry once and in order, numbered 1 to 1,000,000, each with its
//!   name, read column by column as the pages show them;
//! - the pages numbered straight through ("Page N of M" on each);
//! - no group heading as the last line of a column;
//! - the last page's columns balanced: their feet no further apart than
//!   the page's tallest entry.
//!
//! `cargo bench --bench million` (about two minutes on a 2-core machine);
//! `cargo test --benches` runs it on 2,000 names; `MILLION=N` sets another length, `MILLION_DIR` a folder that keeps the
//! statement and the annex. Without `pdftotext` the read-back says
//! SKIPPED, and under CI (`CI=true`) that is a failure.

use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// Only its letters: the list here is a spreadsheet, not the TOML it writes.
#[allow(dead_code)]
#[path = "../tests/common/generate.rs"]
mod generate;
use generate::letters;

fn main() {
    // `cargo test --benches` runs this too: then on 2,000 names, quickly.
    let count: usize = std::env::var("MILLION")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(if std::env::args().any(|a| a == "--bench") {
            1_000_000
        } else {
            2_000
        });
    // `MILLION_DIR` keeps the statement and the annex there, to look at.
    let temporary = tempfile::tempdir().expect("a temporary folder");
    let dir =
        std::env::var_os("MILLION_DIR").map_or_else(|| temporary.path().to_owned(), Into::into);
    std::fs::create_dir_all(&dir).expect("the statement's folder");
    let names = write_statement(&dir, count);
    let out = dir.join("out");
    let (took, peak) = build(&dir.join("statement.toml"), &out);
    let pdf = out.join("annex.pdf");
    let size = std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0);
    println!(
        "{count} names: built in {:.1} s, peak {} MB (summed over the build and its workers), annex {} MB",
        took.as_secs_f64(),
        peak / (1024 * 1024),
        size / (1024 * 1024)
    );
    let read = Instant::now();
    match read_back(&pdf) {
        Some(pages) => {
            let report = check(&pages, &names);
            println!(
                "read back in {:.1} s: {} pages numbered straight through, {count} entries once and in order, {} headings none at a column's foot, the last page's columns {:.1} pt apart (its tallest entry {:.1} pt)",
                read.elapsed().as_secs_f64(),
                pages.len(),
                report.headings,
                report.last_gap,
                report.tallest
            );
        }
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("pdftotext is missing (install poppler-utils); under CI a skip is a failure")
        }
        None => println!("SKIPPED the read-back: pdftotext is missing (install poppler-utils)"),
    }
}

/// A statement of `count` names in a CSV file beside it: names of one to
/// four lines, in groups of uneven sizes (so that headings reach the feet
/// of columns), a third with a country. Deterministic. Returns the names.
fn write_statement(dir: &Path, count: usize) -> Vec<String> {
    const WORDS: [&str; 10] = [
        "Human",
        "Rights",
        "Centre",
        "Memorial",
        "Lawyers",
        "Committee",
        "Freedom",
        "Press",
        "Defenders",
        "Justice",
    ];
    const SIZES: [usize; 6] = [1, 2, 5, 40, 300, 4_000];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % n as u64) as usize
    };
    let mut csv = String::with_capacity(count * 48);
    csv.push_str("name,group,country\n");
    let mut names = Vec::with_capacity(count);
    let (mut group, mut left) = (0, 0);
    for _ in 0..count {
        if left == 0 {
            group += 1;
            left = SIZES[next(SIZES.len())];
        }
        left -= 1;
        let mut name = format!("Org{}", letters(names.len()));
        for _ in 0..[0, 0, 1, 1, 2, 3, 6, 11][next(8)] {
            name.push(' ');
            name.push_str(WORDS[next(WORDS.len())]);
        }
        let country = if next(3) == 0 { "Georgia" } else { "" };
        csv.push_str(&format!("{name},Group {group},{country}\n"));
        names.push(name);
    }
    std::fs::write(dir.join("signatories.csv"), csv).expect("the list written");
    std::fs::write(
        dir.join("statement.toml"),
        format!(
            "title = \"Petition of {count} signatories\"\ndate = 2026-10-30\nlanguage = \"en\"\nbody = \"One line of body.\"\nsignatories = {{ file = \"signatories.csv\" }}\n"
        ),
    )
    .expect("the statement written");
    names
}

/// Builds the annex as a user does; the time it took and its peak memory
/// in bytes, summed over the process and its children.
fn build(statement: &Path, out: &Path) -> (Duration, u64) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_broadside"))
        .arg("build")
        .arg(statement)
        .args(["--only", "annex", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .spawn()
        .expect("broadside started");
    let mut peak = 0;
    loop {
        if let Some(status) = child.try_wait().expect("the build waited for") {
            assert!(status.success(), "the build failed: {status}");
            return (start.elapsed(), peak);
        }
        peak = peak.max(resident(child.id()));
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The resident memory of process `pid` and its children, in bytes.
fn resident(pid: u32) -> u64 {
    let rss = |pid: &str| -> u64 {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|kb| kb.parse::<u64>().ok())
            })
            .unwrap_or(0)
            * 1024
    };
    let children =
        std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
    rss(&pid.to_string()) + children.split_whitespace().map(rss).sum::<u64>()
}

/// A line of text on a page, where it is.
struct Line {
    x: f64,
    top: f64,
    bottom: f64,
    text: String,
}

/// Each page's lines, as `pdftotext -bbox-layout` finds them; `None` when
/// it is not installed.
fn read_back(pdf: &Path) -> Option<Vec<Vec<Line>>> {
    let mut child = Command::new("pdftotext")
        .arg("-bbox-layout")
        .arg(pdf)
        .arg("-")
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let reader = std::io::BufReader::new(child.stdout.take()?);
    let mut pages: Vec<Vec<Line>> = Vec::new();
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        tag.find(&key)
            .and_then(|at| {
                let rest = &tag[at + key.len()..];
                rest[..rest.find('"')?].parse().ok()
            })
            .unwrap_or(f64::NAN)
    };
    for line in reader.lines() {
        let line = line.expect("pdftotext's output read");
        let tag = line.trim_start();
        if tag.starts_with("<page ") {
            pages.push(Vec::new());
        } else if tag.starts_with("<line ") {
            let page = pages.last_mut().expect("a line on a page");
            page.push(Line {
                x: attr(tag, "xMin"),
                top: attr(tag, "yMin"),
                bottom: attr(tag, "yMax"),
                text: String::new(),
            });
        } else if let Some(word) = tag.strip_prefix("<word ") {
            let text = word
                .split_once('>')
                .and_then(|(_, rest)| rest.strip_suffix("</word>"))
                .unwrap_or_default();
            let line = pages
                .last_mut()
                .and_then(|p| p.last_mut())
                .expect("a word in a line");
            if !line.text.is_empty() {
                line.text.push(' ');
            }
            line.text.push_str(
                &text
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&amp;", "&"),
            );
        }
    }
    assert!(child.wait().ok()?.success(), "pdftotext failed");
    Some(pages)
}

/// What the read-back found.
struct Report {
    headings: usize,
    last_gap: f64,
    tallest: f64,
}

/// The entry number a line begins with (`123.`), if it begins one.
fn entry_number(text: &str) -> Option<usize> {
    text.split(' ').next()?.strip_suffix('.')?.parse().ok()
}

/// Checks the pages against the list; panics at the first thing wrong.
fn check(pages: &[Vec<Line>], names: &[String]) -> Report {
    let total = pages.len();
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let mut next = 1;
    let mut headings = 0;
    let mut report = Report {
        headings: 0,
        last_gap: 0.0,
        tallest: 0.0,
    };
    for (p, lines) in pages.iter().enumerate() {
        let footer = format!("Page {} of {total}", p + 1);
        assert!(
            lines.iter().any(|l| l.text == footer),
            "page {} is not numbered `{footer}`",
            p + 1
        );
        // The columns begin where the entries do; each line is read in
        // the column it begins in, top to bottom.
        let mut starts: Vec<f64> = lines
            .iter()
            .filter(|l| entry_number(&l.text).is_some())
            .map(|l| l.x)
            .collect();
        starts.sort_by(f64::total_cmp);
        starts.dedup_by(|a, b| (*a - *b).abs() < 20.0);
        let column =
            |l: &Line| -> usize { starts.iter().rposition(|&s| l.x >= s - 20.0).unwrap_or(0) };
        let first_entry_top = lines
            .iter()
            .filter(|l| entry_number(&l.text).is_some() || l.text.starts_with("GROUP "))
            .map(|l| l.top)
            .fold(f64::INFINITY, f64::min);
        let mut list: Vec<&Line> = lines
            .iter()
            .filter(|l| l.text != footer && l.top >= first_entry_top - 0.5)
            .collect();
        list.sort_by(|a, b| column(a).cmp(&column(b)).then(a.top.total_cmp(&b.top)));
        let mut entry: Option<(usize, String, f64, f64)> = None;
        let finish = |entry: &mut Option<(usize, String, f64, f64)>, tallest: &mut f64| {
            if let Some((n, text, top, bottom)) = entry.take() {
                let name = &names[n - 1];
                assert!(
                    squash(&text).starts_with(&format!("{n}.{}", squash(name))),
                    "page {}: entry {n} reads {text:?}, not {name:?}",
                    p + 1
                );
                *tallest = tallest.max(bottom - top);
            }
        };
        let mut tallest: f64 = 0.0;
        for (k, line) in list.iter().enumerate() {
            if line.text.starts_with("GROUP ") {
                headings += 1;
                let below = list.get(k + 1).filter(|b| column(b) == column(line));
                assert!(
                    below.is_some_and(|b| entry_number(&b.text) == Some(next)),
                    "page {}: the heading {:?} ends a column",
                    p + 1,
                    line.text
                );
                finish(&mut entry, &mut tallest);
            } else if let Some(n) = entry_number(&line.text) {
                finish(&mut entry, &mut tallest);
                assert_eq!(
                    n,
                    next,
                    "page {}: entry {n} where entry {next} was to come",
                    p + 1
                );
                next += 1;
                entry = Some((n, line.text.clone(), line.top, line.bottom));
            } else if let Some((_, text, _, bottom)) = entry.as_mut() {
                text.push(' ');
                text.push_str(&line.text);
                *bottom = line.bottom;
            }
        }
        finish(&mut entry, &mut tallest);
        if p + 1 == total {
            let foot = |c: usize| {
                list.iter()
                    .filter(|l| column(l) == c)
                    .map(|l| l.bottom)
                    .fold(f64::NAN, f64::max)
            };
            let feet: Vec<f64> = (0..starts.len()).map(foot).collect();
            let gap = feet.iter().copied().fold(f64::NAN, f64::max)
                - feet.iter().copied().fold(f64::NAN, f64::min);
            assert!(
                gap <= tallest + 1.0,
                "the last page is not balanced: its columns end {gap:.1} pt apart, its tallest entry is {tallest:.1} pt"
            );
            report.last_gap = gap;
            report.tallest = tallest;
        }
    }
    assert_eq!(next - 1, names.len(), "entries read back");
    report.headings = headings;
    report
}
