//! `broadside collect` under load, as it runs: the server binary on
//! loopback with a real SMTP server (aiosmtpd) taking the confirmation
//! emails, and wrk (a load tool someone else wrote) posting sign-ons, each
//! a new organisation, from 32 connections for 60 seconds. Reported: the
//! sign-ons a second acknowledged, wrk's p50 and p99 latency, the rows on
//! disk, the server's memory with that many stored, and the time from a
//! staff approval to the rebuilt annex under `broadside watch`.
//! `cargo bench --bench collect` (needs wrk, and python3 with aiosmtpd).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[path = "../tests/common/smtp.rs"]
mod smtp;

const PASSWORD: &str = "correct horse battery staple";

fn http(addr: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    reply
}

fn input(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page.find(&marker).expect("the input") + marker.len();
    page[at..at + page[at..].find('"').unwrap()].to_owned()
}

fn cookie(reply: &str, name: &str) -> String {
    let line = reply
        .lines()
        .find(|l| l.to_lowercase().starts_with("set-cookie:") && l.contains(name))
        .expect("the cookie");
    line.split_once(':')
        .unwrap()
        .1
        .trim()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

fn rss_kb(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn main() {
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!("collect bench: wrk is not installed (apt-get install wrk)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("statement.toml"),
        "title = \"Free all political prisoners\"\ndate = 2025-10-30\nlanguage = \"en\"\nbody = \"We call for their release.\"\nsignatories = { file = \"signatories.csv\" }\n[send]\nfrom = \"Coalition <sign@coalition.example>\"\n[collect]\nconsent = \"I may sign for the organisation named above.\"\ngroup = \"Co-signers\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("signatories.csv"),
        "name,group\nFreedom Now,Conveners\nCenter for Justice,Conveners\n",
    )
    .unwrap();
    // The mailbox outside the statement's folder, which watch watches.
    let mailbox = tempfile::tempdir().unwrap();
    let (mut mail, port) = smtp::start(mailbox.path(), &mailbox.path().join("maildir"), &[]);
    let bin = env!("CARGO_BIN_EXE_broadside");
    let added = Command::new(bin)
        .current_dir(d)
        .args(["collect", "statement.toml", "--add-staff", "ana"])
        .env("BROADSIDE_STAFF_PASSWORD", PASSWORD)
        .status()
        .unwrap();
    assert!(added.success());
    let mut server = Command::new(bin)
        .current_dir(d)
        .args([
            "collect",
            "statement.toml",
            "--port",
            "0",
            "--per-hour",
            "0",
        ])
        .arg("--smtp")
        .arg(format!("smtp://127.0.0.1:{port}"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (ready, wait) = mpsc::channel();
    let stderr = server.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("collect: the sign-on page is at http://") {
                let _ = ready.send(rest.split('/').next().unwrap().to_owned());
            }
        }
    });
    let addr = wait.recv_timeout(Duration::from_secs(30)).unwrap();
    let page = http(
        &addr,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    let token = input(&page, "token");

    let field = |name: &str, value: &str| {
        format!(
            "--B\\r\\nContent-Disposition: form-data; name=\\\"{name}\\\"\\r\\n\\r\\n{value}\\r\\n"
        )
    };
    let fixed = [
        field("token", &token),
        field("lang", "en"),
        field("consent", "yes"),
        field("contact_name", "Load Test"),
    ]
    .concat();
    let script = format!(
        r#"local counter = 0
local threads = 0
setup = function(thread) thread:set("tid", threads); threads = threads + 1 end
request = function()
  counter = counter + 1
  local n = tid .. "-" .. counter
  local body = "{fixed}" ..
    "--B\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nLoad Org " .. n .. "\r\n" ..
    "--B\r\nContent-Disposition: form-data; name=\"contact_email\"\r\n\r\nl" .. n .. "@load.example\r\n" ..
    "--B--\r\n"
  return wrk.format("POST", "/sign", {{["Content-Type"] = "multipart/form-data; boundary=B"}}, body)
end
"#
    );
    std::fs::write(d.join("sign.lua"), script).unwrap();
    let seconds = std::env::var("COLLECT_BENCH_SECONDS").unwrap_or_else(|_| "60".into());
    let run = Command::new("wrk")
        .args(["-t2", "-c32", &format!("-d{seconds}s"), "--latency", "-s"])
        .arg(d.join("sign.lua"))
        .arg(format!("http://{addr}/"))
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&run.stdout);
    let pick = |label: &str| {
        report
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    let db = rusqlite::Connection::open(d.join("statement.signatures.sqlite")).unwrap();
    let stored: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM signatures WHERE state = 'unconfirmed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    println!(
        "collect: {seconds} s of sign-ons from 32 connections (wrk -t2 -c32), per-address limit off"
    );
    println!("  {}", pick("Requests/sec"));
    println!("  latency {} / {}", pick("50%"), pick("99%"));
    let non_2xx = pick("Non-2xx");
    if !non_2xx.is_empty() {
        println!("  {non_2xx}");
    }
    println!("  {stored} sign-ons on disk");
    println!(
        "  server memory with them stored: {} MB resident, {} MB at its peak",
        rss_kb(server.id(), "VmRSS:") / 1024,
        rss_kb(server.id(), "VmHWM:") / 1024
    );

    // From an approval to the rebuilt annex, under watch.
    let mut watch = Command::new(bin)
        .current_dir(d)
        .args(["watch", "statement.toml", "--only", "annex", "--out", "out"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (built, builds) = mpsc::channel();
    let stderr = watch.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.starts_with("watch: built") || line.starts_with("watch: watching") {
                let _ = built.send(Instant::now());
            }
        }
    });
    builds.recv_timeout(Duration::from_secs(60)).unwrap();
    while builds.recv_timeout(Duration::from_secs(2)).is_ok() {}
    // One sign-on confirmed as its link would (the link's own path is
    // measured by the tests), then approved by staff over HTTP.
    let id: i64 = db
        .query_row(
            "SELECT MIN(id) FROM signatures WHERE state = 'unconfirmed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    db.execute(
        "UPDATE signatures SET state = 'pending' WHERE id = ?1",
        [id],
    )
    .unwrap();
    let login = http(
        &addr,
        "GET /staff/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    let pre = cookie(&login, "broadside_login");
    let body = format!(
        "user=ana&password={}&csrf={}",
        PASSWORD.replace(' ', "+"),
        input(&login, "csrf")
    );
    let signed = http(
        &addr,
        &format!(
            "POST /staff/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {pre}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    let session = cookie(&signed, "broadside_session");
    let queue = http(
        &addr,
        &format!(
            "GET /staff HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {session}\r\n\r\n"
        ),
    );
    let body = format!(
        "csrf={}&id={id}&action=approve&name=Approved+Org&group=Co-signers",
        input(&queue, "csrf")
    );
    let started = Instant::now();
    http(
        &addr,
        &format!(
            "POST /staff/decide HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {session}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    let answered = started.elapsed();
    let rebuilt = builds
        .recv_timeout(Duration::from_secs(60))
        .expect("watch rebuilt the annex");
    println!(
        "  approval answered in {} ms; the annex rebuilt under watch {} ms after the approval was sent",
        answered.as_millis(),
        rebuilt.duration_since(started).as_millis()
    );
    let _ = watch.kill();
    let _ = server.kill();
    let _ = mail.kill();
    let _ = (watch.wait(), server.wait(), mail.wait());
}
