//! `broadside send`: the dry run's outbox, read back as mail; and sending
//! to a real SMTP server (aiosmtpd, tests/smtp/server.py) over loopback,
//! with what the server received read back, faults and a kill mid-batch.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::cli::broadside;

#[path = "../common/smtp.rs"]
mod smtp_server;
use crate::pdf::Pdf;
use mail_parser::MimeHeaders;

const FROM: &str = "Coalition Press <press@coalition.example>";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/translated.toml")
}

fn press_list(dir: &Path, rows: &[(&str, &str, &str)]) -> PathBuf {
    let mut csv = String::from("name,email,language\n");
    for (name, email, language) in rows {
        csv.push_str(&format!("{name},{email},{language}\n"));
    }
    let path = dir.join("press.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

/// The messages in a folder (outbox or the server's maildir), in order.
fn messages(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn to_address(bytes: &[u8]) -> String {
    let parsed = mail_parser::MessageParser::default().parse(bytes).unwrap();
    parsed
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap()
        .to_owned()
}

#[test]
fn dry_run_writes_every_message_as_it_would_be_sent() {
    let dir = tempfile::tempdir().unwrap();
    let list = press_list(
        dir.path(),
        &[
            ("Анна Иванова", "anna@example.org", "ru"),
            ("Jane Doe", "jane@example.org", ""),
            ("سارا احمدی", "sara@example.org", "fa"),
        ],
    );
    let statement = fixture();
    let args = [
        "send".as_ref(),
        "release".as_ref(),
        statement.as_os_str(),
        "--to".as_ref(),
        list.as_os_str(),
        "--from".as_ref(),
        FROM.as_ref(),
        "--greeting".as_ref(),
        "Dear {{ recipient.name }},".as_ref(),
        "--unsubscribe".as_ref(),
        "https://coalition.example/unsubscribe".as_ref(),
        "--out".as_ref(),
        "outbox".as_ref(),
    ];
    let out = broadside(dir.path(), &args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("dry run: 3 messages"), "{stdout}");
    let written = messages(&dir.path().join("outbox"));
    assert_eq!(written.len(), 3);
    let expected = [
        (
            "anna@example.org",
            "Анна Иванова",
            "ru",
            "Совместное заявление",
        ),
        ("jane@example.org", "Jane Doe", "en-US", "Joint Statement"),
        ("sara@example.org", "سارا احمدی", "fa", "بیانیه"),
    ];
    for ((_, bytes), (email, name, language, subject)) in written.iter().zip(expected) {
        let mail = mail_parser::MessageParser::default().parse(bytes).unwrap();
        let to = mail.to().and_then(|a| a.first()).unwrap();
        assert_eq!(to.address(), Some(email));
        // The name in its own script survives RFC 2047 encoding.
        assert_eq!(to.name(), Some(name));
        let from = mail.from().and_then(|a| a.first()).unwrap();
        assert_eq!(from.address(), Some("press@coalition.example"));
        assert!(
            mail.subject().unwrap().contains(subject),
            "{:?}",
            mail.subject()
        );
        assert!(mail.date().is_some() && mail.message_id().is_some());
        let header = |name: &str| {
            mail.header_raw(name)
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        assert_eq!(header("Content-Language"), language);
        assert!(
            header("List-Unsubscribe").contains("<https://coalition.example/unsubscribe>")
                && header("List-Unsubscribe").contains("mailto:press@coalition.example"),
            "{}",
            header("List-Unsubscribe")
        );
        assert_eq!(
            header("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click"
        );
        let text = mail.body_text(0).unwrap();
        assert!(text.starts_with(&format!("Dear {name},")), "{text}");
        let html = mail.body_html(0).unwrap();
        assert!(html.contains(&format!("Dear {name},")), "{html}");
        // Nothing that calls out: no remote images, no tracking.
        assert!(!html.contains("<img"), "{html}");
        let attachment = mail.attachment(0).unwrap();
        let pdf_name = attachment.attachment_name().unwrap();
        assert_eq!(pdf_name, format!("press-release.{language}.pdf"));
        let pdf = Pdf::parse(attachment.contents());
        let title = pdf.info(b"Title").unwrap_or_default();
        assert!(
            title.contains(subject)
                || crate::pdf::squash(&pdf.text()).contains(&crate::pdf::squash(subject)),
            "{language}: the attached release is in its language: {title}"
        );
    }
    // Who gets what: the file, the language and the attachment.
    let row = stdout
        .lines()
        .find(|l| l.contains("anna@example.org"))
        .unwrap();
    assert!(
        row.contains(" ru ") && row.contains("press-release.ru.pdf"),
        "{row}"
    );
    // The same campaign written again: the same bytes (ids, boundaries, date).
    let again = broadside(dir.path(), &args);
    assert!(again.status.success());
    assert_eq!(messages(&dir.path().join("outbox")), written);
    // --limit: a dry run writes only the first N.
    let mut limited: Vec<&std::ffi::OsStr> = args.to_vec();
    limited.pop();
    limited.extend(["limited", "--limit", "1"].map(std::ffi::OsStr::new));
    let out = broadside(dir.path(), &limited);
    assert!(out.status.success());
    let written = messages(&dir.path().join("limited"));
    assert_eq!(written.len(), 1);
    assert_eq!(to_address(&written[0].1), "anna@example.org");
}

#[test]
fn bad_lists_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let statement = fixture();
    let run = |rows: &[(&str, &str, &str)], from: &str| {
        let list = press_list(dir.path(), rows);
        let out = broadside(
            dir.path(),
            &[
                "send".as_ref(),
                "release".as_ref(),
                statement.as_os_str(),
                "--to".as_ref(),
                list.as_os_str(),
                "--from".as_ref(),
                from.as_ref(),
                "--out".as_ref(),
                "bad".as_ref(),
            ],
        );
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = run(
        &[("A", "a@example.org", ""), ("B", "not an address", "")],
        FROM,
    );
    assert!(
        e.contains("press.csv:3: `not an address` is not an email address"),
        "{e}"
    );
    let e = run(
        &[("A", "a@example.org", ""), ("B", "A@example.org", "")],
        FROM,
    );
    assert!(
        e.contains("press.csv:3: A@example.org is already the address of")
            && e.contains("press.csv:2"),
        "{e}"
    );
    let e = run(&[("A", "a@example.org", "")], "nobody");
    assert!(e.contains("--from: `nobody` is not an address"), "{e}");
    std::fs::write(
        dir.path().join("noemail.csv"),
        "name,address\nA,Somewhere\n",
    )
    .unwrap();
    let out = broadside(
        dir.path(),
        &[
            "send",
            "release",
            fixture().to_str().unwrap(),
            "--to",
            "noemail.csv",
            "--from",
            FROM,
        ],
    );
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("there is no `email` column"), "{e}");
    assert!(messages_or_none(&dir.path().join("bad")).is_empty());
}

fn messages_or_none(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    if dir.exists() {
        messages(dir)
    } else {
        Vec::new()
    }
}

/// aiosmtpd on loopback, with the fixture's options; stopped when dropped.
pub(crate) struct Smtp {
    child: Child,
    pub(crate) port: u16,
    pub(crate) maildir: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn smtp(test: &str, options: &[&str], faults: &str) -> Option<Smtp> {
    let available = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        crate::skip_or_fail(test, "Python's aiosmtpd is not installed");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("maildir");
    std::fs::write(dir.path().join("faults.json"), faults).unwrap();
    let faults = dir.path().join("faults.json");
    let mut all = vec!["--faults", faults.to_str().unwrap()];
    all.extend(options);
    let (child, port) = smtp_server::start(dir.path(), &maildir, &all);
    Some(Smtp {
        child,
        port,
        maildir,
        _dir: dir,
    })
}

fn send_command(dir: &Path, list: &Path, server: &Smtp, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_broadside"));
    command
        .current_dir(dir)
        .args(["send", "release"])
        .arg(fixture())
        .arg("--to")
        .arg(list)
        .args([
            "--from",
            FROM,
            "--out",
            "outbox",
            "--rate",
            "0",
            "--retry-after",
            "0.2",
        ])
        .arg("--smtp")
        .arg(format!("smtp://127.0.0.1:{}", server.port))
        .args(extra);
    command
}

fn rows(n: usize) -> Vec<(String, String, String)> {
    (1..=n)
        .map(|i| {
            (
                format!("Journalist {i}"),
                format!("j{i}@example.org"),
                String::new(),
            )
        })
        .collect()
}

fn list_of(dir: &Path, rows: &[(String, String, String)]) -> PathBuf {
    let borrowed: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    press_list(dir, &borrowed)
}

#[test]
fn each_recipient_gets_one_message_and_faults_are_each_handled() {
    let faults = r#"{"greylisted@example.org": "451-once", "gone@example.org": "550", "dropped@example.org": "drop-data"}"#;
    let Some(server) = smtp("send::faults", &[], faults) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut all = rows(3);
    for who in ["greylisted", "gone", "dropped"] {
        all.push((who.into(), format!("{who}@example.org"), String::new()));
    }
    let list = list_of(dir.path(), &all);
    let out = send_command(dir.path(), &list, &server, &[])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // 451 then accepted on retry; 550 failed, the others went on; the
    // connection dropped after the content: uncertain, held.
    assert!(
        stdout.contains("4 accepted, 0 deferred, 1 failed, 1 uncertain"),
        "{stdout}"
    );
    let received = messages(&server.maildir);
    let mut to: Vec<String> = received.iter().map(|(_, b)| to_address(b)).collect();
    to.sort();
    assert_eq!(
        to,
        [
            "greylisted@example.org",
            "j1@example.org",
            "j2@example.org",
            "j3@example.org"
        ]
    );
    // What the server has is, byte for byte, the outbox's file.
    let outbox = messages(&dir.path().join("outbox"));
    for (_, bytes) in &received {
        assert!(
            outbox.iter().any(|(_, b)| b == bytes),
            "a received message is not in the outbox"
        );
    }
    let failed = std::fs::read_to_string(dir.path().join("outbox/failed.csv")).unwrap();
    assert!(
        failed.contains("gone@example.org") && failed.contains("550"),
        "{failed}"
    );
    assert!(
        failed.contains("\"dropped@example.org\",uncertain"),
        "{failed}"
    );

    // Run again: nothing accepted is sent again; the uncertain one is held
    // until asked for, then sent once.
    let again = send_command(dir.path(), &list, &server, &[])
        .output()
        .unwrap();
    assert!(again.status.success());
    assert_eq!(messages(&server.maildir).len(), 4);
    let resend = send_command(dir.path(), &list, &server, &["--resend-uncertain"])
        .output()
        .unwrap();
    assert!(
        resend.status.success(),
        "{}",
        String::from_utf8_lossy(&resend.stderr)
    );
    let received = messages(&server.maildir);
    assert_eq!(received.len(), 5);
    assert_eq!(to_address(&received[4].1), "dropped@example.org");

    // A changed statement does not mix into a campaign under way.
    let changed = dir.path().join("changed.toml");
    let text = std::fs::read_to_string(fixture()).unwrap().replacen(
        "title = \"",
        "title = \"Changed: ",
        1,
    );
    std::fs::write(&changed, text).unwrap();
    let command = send_command(dir.path(), &list, &server, &[]);
    let args: Vec<_> = command.get_args().map(|a| a.to_owned()).collect();
    let mut command = Command::new(command.get_program());
    command.current_dir(dir.path());
    for a in args {
        command.arg(if a == fixture().as_os_str() {
            changed.clone().into_os_string()
        } else {
            a
        });
    }
    let out = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("changed since it began"),
        "{stderr}"
    );
    assert_eq!(messages(&server.maildir).len(), 5);
}

#[test]
fn a_killed_batch_resumes_and_sends_no_one_twice() {
    // Each 250 comes 0.4 s after the message is stored: a kill lands
    // between handing a message over and its reply.
    let Some(server) = smtp("send::kill", &["--data-delay", "0.4"], "{}") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let all = rows(12);
    let list = list_of(dir.path(), &all);
    let mut child = send_command(dir.path(), &list, &server, &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while messages(&server.maildir).len() < 4 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "nothing arrived"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = messages(&server.maildir).len();
    assert!(before < all.len(), "the kill came after the batch ended");

    let out = send_command(dir.path(), &list, &server, &[])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let received: Vec<String> = messages(&server.maildir)
        .iter()
        .map(|(_, b)| to_address(b))
        .collect();
    let mut unique = received.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        received.len(),
        "someone got two: {received:?}"
    );
    // Everyone has theirs; the message the kill cut between handing over
    // and the reply is uncertain and held (the server may have it, here it
    // does: it stores before it replies).
    let count = |what: &str| -> usize {
        stdout
            .split(", ")
            .find_map(|part| part.strip_suffix(what))
            .and_then(|n| n.split_whitespace().last().and_then(|n| n.parse().ok()))
            .unwrap_or(usize::MAX)
    };
    let (accepted, uncertain) = (count(" accepted"), count(" uncertain"));
    assert_eq!((accepted, uncertain), (all.len() - 1, 1), "{stdout}");
    assert_eq!(received.len(), all.len(), "{received:?}");
}

#[test]
fn a_wrong_password_or_an_untrusted_certificate_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    let cert = dir.path().join("cert.pem");
    let ca = dir.path().join("ca.pem");
    // A coalition's own CA and the server's certificate signed by it.
    std::fs::write(
        dir.path().join("leaf.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    let openssl = |args: &[&str]| {
        Command::new("openssl")
            .current_dir(dir.path())
            .args(args)
            .stderr(Stdio::null())
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let made = openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=Coalition CA",
        "-days",
        "2",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]) && openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "key.pem",
        "-out",
        "leaf.csr",
    ]) && openssl(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
        "-out",
        "cert.pem",
    ]);
    if !made {
        crate::skip_or_fail("send::tls", "openssl is not installed");
        return;
    }
    let (k, c) = (key.to_str().unwrap(), cert.to_str().unwrap());
    let Some(server) = smtp(
        "send::tls",
        &[
            "--tls-cert",
            c,
            "--tls-key",
            k,
            "--auth",
            "press:right-password",
        ],
        "{}",
    ) else {
        return;
    };
    let list = list_of(dir.path(), &rows(3));
    let url = format!("smtp://press@127.0.0.1:{}", server.port);
    let run = |password: &str, trust: bool| {
        let command = send_command(dir.path(), &list, &server, &[]);
        let args: Vec<_> = command.get_args().map(|a| a.to_owned()).collect();
        let mut real = Command::new(command.get_program());
        real.current_dir(dir.path())
            .env("BROADSIDE_SMTP_PASSWORD", password);
        let mut skip = false;
        for a in args {
            if skip {
                skip = false;
                real.arg(&url);
                continue;
            }
            skip = a == "--smtp";
            real.arg(a);
        }
        if trust {
            real.arg("--ca").arg(&ca);
        }
        real.output().unwrap()
    };
    let out = run("right-password", false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("not trusted"),
        "{stderr}"
    );
    assert!(messages(&server.maildir).is_empty());
    let out = run("wrong-password", true);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("refused the login"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("wrong-password"),
        "the password is never printed: {stderr}"
    );
    assert!(messages(&server.maildir).is_empty());
    let out = run("right-password", true);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let received = messages(&server.maildir);
    assert_eq!(received.len(), 3);
    let meta = std::fs::read_to_string(received[0].0.with_extension("json")).unwrap();
    assert!(
        meta.contains("\"tls\": true") && meta.contains("\"auth_user\": \"press\""),
        "{meta}"
    );
}

#[test]
fn letters_go_to_those_with_an_email_each_with_their_own_letter() {
    let Some(server) = smtp("send::letters", &[], "{}") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    crate::cli::broadside_ok(dir.path(), &["init", "s"]);
    let folder = dir.path().join("s");
    std::fs::write(
        folder.join("recipients.csv"),
        "name,title,organisation,address,salutation,email,language\n\
         Jane Doe,H.E. Ms,Ministry of Foreign Affairs,1 Example Square,Dear Minister,jane@mfa.example,en\n\
         Omar Haddad,Mr,Embassy,2 Example Road,Dear Ambassador,omar@embassy.example,\n\
         Ann Post,Ms,Rapporteur's Office,3 Example Lane,Dear Rapporteur,,\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("cover.md"),
        "Dear {{ recipient.title }} {{ recipient.name }},\n\nPlease find attached our letter on {{ statement.title }}.\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_broadside"))
        .current_dir(&folder)
        .args([
            "send",
            "letters",
            "statement.toml",
            "-r",
            "recipients.csv",
            "-l",
            "letter.md",
        ])
        .args([
            "--cover", "cover.md", "--from", FROM, "--out", "outbox", "--rate", "0",
        ])
        .arg("--smtp")
        .arg(format!("smtp://127.0.0.1:{}", server.port))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("by post   Ann Post"), "{stdout}");
    assert!(
        stdout.contains("2 accepted") && stdout.contains("1 by post"),
        "{stdout}"
    );
    let received = messages(&server.maildir);
    assert_eq!(received.len(), 2);
    for ((_, bytes), (email, name)) in received.iter().zip([
        ("jane@mfa.example", "Jane Doe"),
        ("omar@embassy.example", "Omar Haddad"),
    ]) {
        let mail = mail_parser::MessageParser::default().parse(bytes).unwrap();
        assert_eq!(to_address(bytes), email);
        let text = mail.body_text(0).unwrap();
        assert!(text.contains(&format!(" {name},")), "{text}");
        let attachment = mail.attachment(0).unwrap();
        assert!(attachment.attachment_name().unwrap().ends_with(".pdf"));
        // Their own letter: the address block names them; the annex follows.
        let pdf = Pdf::parse(attachment.contents());
        assert!(pdf.page_text(1).contains(name), "{}", pdf.page_text(1));
        assert!(pdf.page_count() >= 2);
    }
}

#[test]
fn a_slow_server_is_given_up_on_at_the_timeout() {
    // The server stores the message and then waits 30 s before its 250:
    // with --timeout 1 the reply is given up on, and the message is
    // uncertain (the server has it), not accepted after a 30 s hang.
    let faults = r#"{"slow@example.org": "slow-data:30"}"#;
    let Some(server) = smtp("send::slow", &[], faults) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let list = list_of(
        dir.path(),
        &[("Slow".into(), "slow@example.org".into(), String::new())],
    );
    let out = send_command(dir.path(), &list, &server, &["--timeout", "1"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("0 accepted") && stdout.contains("1 uncertain"),
        "{stdout}"
    );
    assert_eq!(messages(&server.maildir).len(), 1);
}

#[test]
fn the_sender_can_live_in_the_statement() {
    let dir = tempfile::tempdir().unwrap();
    let list = press_list(dir.path(), &[("Jane Doe", "jane@example.org", "")]);
    let text = std::fs::read_to_string(fixture()).unwrap();
    let plain = dir.path().join("plain.toml");
    std::fs::write(&plain, &text).unwrap();
    let out = broadside(
        dir.path(),
        &[
            "send",
            "release",
            "plain.toml",
            "--to",
            list.to_str().unwrap(),
        ],
    );
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && e.contains("a message needs a sender"),
        "{e}"
    );
    // `[send]` is a table at the end of the file, after the translations'.
    let with = dir.path().join("with.toml");
    std::fs::write(
        &with,
        format!(
            "{text}\n[send]\nfrom = \"Pressestelle Ü <presse@coalition.example>\"\nreply_to = \"desk@coalition.example\"\nunsubscribe = \"https://coalition.example/u\"\n"
        ),
    )
    .unwrap();
    let out = broadside(
        dir.path(),
        &[
            "send",
            "release",
            "with.toml",
            "--to",
            list.to_str().unwrap(),
            "--out",
            "o",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, bytes) = messages(&dir.path().join("o")).remove(0);
    let mail = mail_parser::MessageParser::default().parse(&bytes).unwrap();
    let from = mail.from().and_then(|a| a.first()).unwrap();
    assert_eq!(
        (from.name(), from.address()),
        (Some("Pressestelle Ü"), Some("presse@coalition.example"))
    );
    let reply = mail.reply_to().and_then(|a| a.first()).unwrap();
    assert_eq!(reply.address(), Some("desk@coalition.example"));
    // The command line comes first.
    let out = broadside(
        dir.path(),
        &[
            "send",
            "release",
            "with.toml",
            "--to",
            list.to_str().unwrap(),
            "--out",
            "o2",
            "--from",
            "x",
        ],
    );
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("--from: `x` is not an address"), "{e}");
}

#[test]
fn a_server_refusing_everyone_stops_the_batch() {
    // Five refusals in a row stop the run: the sixth is not tried.
    let rows: Vec<(String, String, String)> = (1..=6)
        .map(|i| {
            (
                format!("Gone {i}"),
                format!("gone{i}@example.org"),
                String::new(),
            )
        })
        .collect();
    let faults = format!(
        "{{{}}}",
        rows.iter()
            .map(|(_, email, _)| format!("\"{email}\": \"550\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let Some(server) = smtp("send::refusing", &[], &faults) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let list = list_of(dir.path(), &rows);
    let out = send_command(dir.path(), &list, &server, &[])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stdout}");
    assert!(
        stderr.contains("5 messages in a row were refused"),
        "{stderr}"
    );
    assert!(
        stdout.contains("5 failed") && stdout.contains("1 still queued"),
        "{stdout}"
    );
    assert!(messages(&server.maildir).is_empty());
}
