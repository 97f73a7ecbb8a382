//! Sending letters by email as a user runs it, whole processes: `broadside
//! letters` (making the PDFs only), then `broadside send letters` (making
//! them again as messages, writing the outbox and the journal, and handing
//! every message to a real SMTP server on loopback, aiosmtpd through
//! tests/smtp/server.py, with no rate limit). Peak memory is the process's
//! maximum resident set, from GNU time. `cargo bench --bench send`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

#[path = "../tests/common/smtp.rs"]
mod smtp;

/// A folder with the example statement, `count` recipients with an email,
/// a letter and a cover note.
fn batch(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let statement = broadside::load::EXAMPLE_TOML.to_owned()
        + "\n[letter]\nfrom = \"1850 M Street NW\\nWashington, DC 20036\"\n[[letter.signers]]\nname = \"Jane Roe\"\nrole = \"Executive Director\"\n";
    std::fs::write(dir.path().join("statement.toml"), statement).unwrap();
    let mut csv = String::from("name,title,organisation,address,email\n");
    for i in 0..count {
        csv.push_str(&format!(
            "Recipient {i},H.E.,Ministry of Foreign Affairs {i},\"Street {i}\n{i} City\nCountry\",r{i}@mfa.example\n"
        ));
    }
    std::fs::write(dir.path().join("recipients.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("letter.md"),
        "Excellency,\n\nOn the International Day of Political Prisoners, {{ statement.signatories.count }} organisations publish the enclosed statement.\n\nYours sincerely,\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("cover.md"),
        "Dear {{ recipient.title }} {{ recipient.name }},\n\nPlease find our letter attached.\n",
    )
    .unwrap();
    dir
}

/// Runs the command under GNU time: (seconds, peak resident MB).
fn measured(dir: &Path, args: &[&str]) -> (f64, f64) {
    let report = dir.join("time.txt");
    let started = Instant::now();
    let status = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&report)
        .arg(env!("CARGO_BIN_EXE_broadside"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("GNU time (/usr/bin/time) runs the command");
    let seconds = started.elapsed().as_secs_f64();
    assert!(status.success(), "broadside {args:?} failed");
    let kb: f64 = std::fs::read_to_string(&report)
        .unwrap()
        .trim()
        .lines()
        .last()
        .unwrap()
        .parse()
        .unwrap();
    (seconds, kb / 1024.0)
}

fn main() {
    println!(
        "| letters | letters (s) | peak MB | send (s) | peak MB | messages/s | added by sending (s) |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for count in [100, 1000] {
        let dir = batch(count);
        let letters = measured(
            dir.path(),
            &[
                "letters",
                "statement.toml",
                "-r",
                "recipients.csv",
                "-l",
                "letter.md",
                "--out",
                "letters",
            ],
        );
        let (mut child, port) = smtp::start(dir.path(), &dir.path().join("maildir"), &[]);
        let smtp = format!("smtp://127.0.0.1:{port}");
        let send = measured(
            dir.path(),
            &[
                "send",
                "letters",
                "statement.toml",
                "-r",
                "recipients.csv",
                "-l",
                "letter.md",
                "--cover",
                "cover.md",
                "--from",
                "Press <press@coalition.example>",
                "--out",
                "outbox",
                "--rate",
                "0",
                "--smtp",
                &smtp,
            ],
        );
        let _ = child.kill();
        let _ = child.wait();
        let received = std::fs::read_dir(dir.path().join("maildir"))
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .count();
        assert_eq!(received, count, "every message reached the server once");
        println!(
            "| {count} | {:.2} | {:.0} | {:.2} | {:.0} | {:.0} | {:.2} |",
            letters.0,
            letters.1,
            send.0,
            send.1,
            count as f64 / send.0,
            send.0 - letters.0
        );
    }
}
