//! `broadside collect`, run as a user runs it: the server binary on
//! loopback, a real SMTP server (aiosmtpd) for the confirmation emails,
//! requests over TCP, and the SQLite file and the signatory file it
//! writes read back. The browser test drives Chromium through Playwright.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::cli::{broadside, broadside_ok};
use crate::pdf::Pdf;
use crate::send::{Smtp, smtp};

const PASSWORD: &str = "correct horse battery staple";

/// The statement: English and Farsi, two conveners in its CSV. `published`
/// puts its date in the past (the list is public) or in the future.
pub fn statement(dir: &Path, published: bool) -> PathBuf {
    let date = if published {
        "2025-10-30"
    } else {
        "2099-10-30"
    };
    let path = dir.join("statement.toml");
    std::fs::write(
        &path,
        format!(
            r#"title = "Free all political prisoners"
date = {date}
language = "en"
body = """
On the **International Day of Political Prisoners** we call for the release of everyone held for what they said.
"""
signatories = {{ file = "signatories.csv" }}

[send]
from = "Coalition <sign@coalition.example>"

[collect]
consent = "I confirm that I may sign this statement for the organisation named above."
group = "Co-signers"
translations = {{ fa = "تأیید می‌کنم که مجازم این بیانیه را از طرف سازمان نام‌برده امضا کنم." }}

[translations.fa]
title = "همهٔ زندانیان سیاسی را آزاد کنید"
body = "در روز جهانی زندانیان سیاسی، خواهان آزادی همهٔ زندانیان سیاسی هستیم."
"#
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("signatories.csv"),
        "name,group,country\nFreedom Now,Conveners,United States\nCenter for Justice,Conveners,\n",
    )
    .unwrap();
    path
}

/// A running `broadside collect`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The statement's folder.
    pub dir: PathBuf,
    /// The SMTP server it sends through.
    pub smtp: Smtp,
    args: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(dir: &Path, args: &[String]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_broadside"))
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (ready, wait) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("collect: the sign-on page is at http://") {
                let addr = rest.split('/').next().unwrap_or_default().to_owned();
                let _ = ready.send(addr);
            }
            eprintln!("collect: {line}");
        }
    });
    let addr = wait
        .recv_timeout(Duration::from_secs(30))
        .expect("broadside collect started");
    (child, addr)
}

impl Server {
    /// Starts a server on a free port for the statement in `dir` (made
    /// with [`statement`]), with a staff account `ana`; `None` when there
    /// is no SMTP server to test with (and not under CI).
    pub fn start(test: &str, dir: &Path, extra: &[&str]) -> Option<Server> {
        let smtp = smtp(test, &[], "{}")?;
        let added = Command::new(env!("CARGO_BIN_EXE_broadside"))
            .current_dir(dir)
            .args(["collect", "statement.toml", "--add-staff", "ana"])
            .env("BROADSIDE_STAFF_PASSWORD", PASSWORD)
            .output()
            .unwrap();
        assert!(
            added.status.success(),
            "{}",
            String::from_utf8_lossy(&added.stderr)
        );
        let mut args: Vec<String> = [
            "collect",
            "statement.toml",
            "--port",
            "0",
            "--smtp",
            &format!("smtp://127.0.0.1:{}", smtp.port),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        let (child, addr) = spawn(dir, &args);
        Some(Server {
            child,
            addr,
            dir: dir.to_path_buf(),
            smtp,
            args,
        })
    }

    /// Kills the server (SIGKILL: no chance to tidy up) and starts it again
    /// on the same database.
    pub fn kill_and_restart(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        let (child, addr) = spawn(&self.dir, &self.args);
        self.child = child;
        self.addr = addr;
    }

    /// The sign-ons stored: (name, state, contact email).
    pub fn stored(&self) -> Vec<(String, String, Option<String>)> {
        let db = rusqlite::Connection::open_with_flags(
            self.dir.join("statement.signatures.sqlite"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let mut q = db
            .prepare("SELECT name, state, contact_email FROM signatures ORDER BY id")
            .unwrap();
        q.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// The id of the stored sign-on named `name`.
    pub fn id_of(&self, name: &str) -> i64 {
        let db = rusqlite::Connection::open_with_flags(
            self.dir.join("statement.signatures.sqlite"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        db.query_row("SELECT id FROM signatures WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .unwrap()
    }
}

/// One HTTP reply.
#[derive(Debug)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The headers, names in lowercase.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

impl Reply {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `<input name="NAME" value="...">` in the page.
    pub fn input(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let at = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no input {name} in:\n{}", self.body));
        let rest = &self.body[at + marker.len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}

/// A client that keeps cookies, as a browser does.
#[derive(Default)]
pub struct Client {
    cookies: HashMap<String, String>,
}

impl Client {
    /// Sends one request (HTTP/1.1, the connection closed after it).
    pub fn request(
        &mut self,
        addr: &str,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Reply {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        if let Some(t) = content_type {
            head.push_str(&format!("Content-Type: {t}\r\n"));
        }
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            head.push_str(&format!("Cookie: {}\r\n", jar.join("; ")));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        // A refused request may be answered before the body is all sent.
        let _ = stream.write_all(body);
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no reply head: {}", String::from_utf8_lossy(&raw)));
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_owned()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
        {
            body = unchunk(&body);
        }
        for (_, value) in headers.iter().filter(|(n, _)| n == "set-cookie") {
            let pair = value.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() || value.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    /// GET.
    pub fn get(&mut self, addr: &str, path: &str) -> Reply {
        self.request(addr, "GET", path, None, b"")
    }

    /// POST of a urlencoded form.
    pub fn post_form(&mut self, addr: &str, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        self.request(
            addr,
            "POST",
            path,
            Some("application/x-www-form-urlencoded"),
            body.join("&").as_bytes(),
        )
    }

    /// POST of a multipart form; a file is (field, file name, bytes).
    pub fn post_multipart(
        &mut self,
        addr: &str,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
    ) -> Reply {
        let boundary = "----broadsidetestboundary7MA4YWxk";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((field, name, bytes)) = file {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
            body.extend(bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").as_bytes());
        self.request(
            addr,
            "POST",
            path,
            Some(&format!("multipart/form-data; boundary={boundary}")),
            &body,
        )
    }

    /// Signs in as `ana`; the queue page.
    pub fn sign_in(&mut self, addr: &str, password: &str) -> Reply {
        let login = self.get(addr, "/staff/login");
        let csrf = login.input("csrf");
        self.post_form(
            addr,
            "/staff/login",
            &[("user", "ana"), ("password", password), ("csrf", &csrf)],
        )
    }
}

fn unchunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&body[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend(&body[end + 2..end + 2 + size]);
        body = &body[end + 4 + size..];
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A sign-on sent through the public form (its token taken from the page).
pub fn sign(addr: &str, fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> Reply {
    let mut client = Client::default();
    let page = client.get(addr, "/");
    let token = page.input("token");
    let mut all = vec![
        ("token", token.as_str()),
        ("lang", "en"),
        ("consent", "yes"),
    ];
    all.extend_from_slice(fields);
    client.post_multipart(addr, "/sign", &all, file)
}

/// The confirmation links emailed, by recipient, waiting for `count`.
pub fn links(smtp: &Smtp, count: usize) -> HashMap<String, String> {
    let started = std::time::Instant::now();
    loop {
        let mut found = HashMap::new();
        for entry in std::fs::read_dir(&smtp.maildir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "eml") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let message = mail_parser::MessageParser::default().parse(&bytes).unwrap();
            let to = message
                .to()
                .unwrap()
                .first()
                .unwrap()
                .address()
                .unwrap()
                .to_owned();
            let text = message.body_text(0).unwrap().into_owned();
            let at = text.find("/confirm?t=").expect("a confirmation link");
            let start = text[..at].rfind("http").unwrap();
            let end = text[start..]
                .find(char::is_whitespace)
                .map_or(text.len(), |e| start + e);
            found.insert(to, text[start..end].to_owned());
        }
        if found.len() >= count {
            return found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{} confirmation emails came, not {count}",
            found.len()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Follows a confirmation link as a person does: open it, press the button.
pub fn confirm(addr: &str, link: &str) -> Reply {
    let path = &link[link.find("/confirm").unwrap()..];
    let mut client = Client::default();
    let page = client.get(addr, path);
    assert_eq!(page.status, 200, "{}", page.body);
    let token = page.input("t");
    client.post_form(addr, "/confirm", &[("t", &token)])
}

#[test]
fn a_sign_on_is_listed_only_once_confirmed_and_approved() {
    let dir = tempfile::tempdir().unwrap();
    statement(dir.path(), true);
    let Some(server) = Server::start("collect::listed", dir.path(), &[]) else {
        return;
    };
    let addr = server.addr.clone();
    let fields = [
        ("name", "Rights Watch Kazakhstan"),
        ("country", "Kazakhstan"),
        ("contact_name", "Aigerim Sultanova"),
        ("contact_role", "Director"),
        ("contact_email", "aigerim@rights.example"),
    ];
    let first = sign(&addr, &fields, None);
    assert_eq!(first.status, 200, "{}", first.body);
    // The same name from the same address again: stored once.
    let again = sign(
        &addr,
        &[
            ("name", "RIGHTS WATCH kazakhstan "),
            ("contact_name", "A. S."),
            ("contact_email", "AIGERIM@rights.example"),
        ],
        None,
    );
    assert_eq!(again.status, 200);
    assert!(
        again.body.contains("already have this signature"),
        "{}",
        again.body
    );
    assert_eq!(
        server
            .stored()
            .iter()
            .filter(|s| s.1 == "unconfirmed")
            .count(),
        1
    );

    // Unconfirmed: not in the queue, not listed, not counted.
    let mut staff = Client::default();
    let queue = staff.sign_in(&addr, PASSWORD);
    assert_eq!(queue.status, 303, "{}", queue.body);
    assert!(
        !staff
            .get(&addr, "/staff")
            .body
            .contains("Rights Watch Kazakhstan")
    );
    assert!(
        !Client::default()
            .get(&addr, "/")
            .body
            .contains("Rights Watch Kazakhstan")
    );

    let links = links(&server.smtp, 1);
    let link = &links["aigerim@rights.example"];
    let confirmed = confirm(&addr, link);
    assert!(
        confirmed.body.contains("the signature is confirmed"),
        "{}",
        confirmed.body
    );
    // Confirmed but not approved: in the queue, still not public.
    let queue = staff.get(&addr, "/staff");
    assert!(
        queue.body.contains("Rights Watch Kazakhstan"),
        "{}",
        queue.body
    );
    assert!(
        !Client::default()
            .get(&addr, "/")
            .body
            .contains("Rights Watch Kazakhstan")
    );
    assert!(
        Client::default()
            .get(&addr, "/")
            .body
            .contains("2 organizations have signed so far")
    );

    let id = server.id_of("Rights Watch Kazakhstan").to_string();
    let csrf = queue.input("csrf");
    let decided = staff.post_form(
        &addr,
        "/staff/decide",
        &[
            ("csrf", &csrf),
            ("id", &id),
            ("action", "approve"),
            ("name", "Rights Watch Kazakhstan (RWK)"),
            ("group", "Co-signers"),
            ("country", "Kazakhstan"),
        ],
    );
    assert_eq!(decided.status, 303, "{}", decided.body);
    let page = Client::default().get(&addr, "/").body;
    assert!(
        page.contains("3 organizations have signed so far"),
        "{page}"
    );
    crate::pdf::assert_in_order(
        &page,
        &[
            "Freedom Now",
            "Center for Justice",
            "Co-signers",
            "Rights Watch Kazakhstan (RWK)",
        ],
    );
    assert!(!page.contains("aigerim@"), "a contact is never published");

    // The statement's file has it with its consent record; a build lists it.
    let csv = std::fs::read_to_string(dir.path().join("signatories.csv")).unwrap();
    let last = csv.lines().last().unwrap();
    assert!(
        last.starts_with("Rights Watch Kazakhstan (RWK),Co-signers,Kazakhstan"),
        "{csv}"
    );
    for part in [
        "Aigerim Sultanova, Director",
        "aigerim@rights.example",
        "confirmed by a link",
        "I confirm that I may sign",
    ] {
        assert!(
            last.contains(part),
            "`{part}` missing from the consent record: {last}"
        );
    }
    broadside_ok(
        dir.path(),
        &["build", "statement.toml", "--only", "annex", "--out", "out"],
    );
    let annex = Pdf::parse(&std::fs::read(dir.path().join("out/annex.pdf")).unwrap()).text();
    crate::pdf::assert_in_order(
        &annex,
        &[
            "CONVENERS",
            "1. Freedom Now",
            "CO-SIGNERS",
            "3. Rights Watch Kazakhstan (RWK)",
        ],
    );
    assert!(
        !annex.contains("aigerim") && !annex.contains("Sultanova"),
        "{annex}"
    );
}

#[test]
fn before_publication_the_page_shows_the_count_only() {
    let dir = tempfile::tempdir().unwrap();
    statement(dir.path(), false);
    let Some(server) = Server::start("collect::embargo", dir.path(), &[]) else {
        return;
    };
    let page = Client::default().get(&server.addr, "/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("2 organizations have signed so far"),
        "{}",
        page.body
    );
    assert!(page.body.contains("published with the statement"));
    assert!(
        !page.body.contains("Freedom Now"),
        "the list is hidden until publication"
    );
    let fa = Client::default().get(&server.addr, "/in/fa").body;
    assert!(fa.contains(r#"<html lang="fa" dir="rtl">"#), "{fa}");
    assert!(
        fa.contains("تاکنون ۲ سازمان") || fa.contains("تاکنون 2 سازمان"),
        "{fa}"
    );
    assert!(fa.contains("همهٔ زندانیان سیاسی را آزاد کنید"));
    assert!(
        fa.contains("تأیید می‌کنم که مجازم"),
        "the Farsi consent wording"
    );
}

/// A PNG that claims 60,000 × 60,000 pixels in 100 bytes.
fn image_bomb() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(60_000u32.to_be_bytes());
    ihdr.extend(60_000u32.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc32(&ihdr).to_be_bytes());
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A real 40 × 20 PNG.
fn small_png() -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(40, 20, image::Rgba([200, 30, 30, 255]));
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

#[test]
fn the_form_and_the_staff_pages_refuse_what_they_must() {
    let dir = tempfile::tempdir().unwrap();
    statement(dir.path(), true);
    let Some(server) = Server::start("collect::refusals", dir.path(), &["--per-hour", "8"]) else {
        return;
    };
    let addr = server.addr.clone();
    let person = [
        ("contact_name", "Test Person"),
        ("contact_email", "t@x.example"),
    ];
    let stored = || server.stored().len();
    let before = stored();

    // Every reply carries the policy headers.
    let page = Client::default().get(&addr, "/");
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html; charset=utf-8")
    );

    // A bot fills the field people never see: told thanks, nothing stored.
    let bot = sign(
        &addr,
        &[
            &[("name", "Bot Org"), ("homepage", "http://spam.example")][..],
            &person,
        ]
        .concat(),
        None,
    );
    assert_eq!(bot.status, 200);
    assert_eq!(stored(), before, "the honeypot stored nothing");
    // Without the box ticked, or without the form's token.
    let mut client = Client::default();
    let no_token = client.post_multipart(
        &addr,
        "/sign",
        &[&[("name", "No Token Org"), ("consent", "yes")][..], &person].concat(),
        None,
    );
    assert_eq!(no_token.status, 400, "{}", no_token.body);
    // Not a form at all.
    let json = client.request(
        &addr,
        "POST",
        "/sign",
        Some("application/json"),
        b"{\"name\":\"x\"}",
    );
    assert!(json.status == 400 || json.status == 415, "{}", json.status);
    // An oversized upload (5 MB), an image bomb, a file that is no image.
    let big = vec![0u8; 5 * 1024 * 1024];
    let too_big = sign(
        &addr,
        &[&[("name", "Big Logo Org")][..], &person].concat(),
        Some(("logo", "big.png", &big)),
    );
    assert_eq!(too_big.status, 413, "{}", too_big.body);
    let bomb = sign(
        &addr,
        &[&[("name", "Bomb Org")][..], &person].concat(),
        Some(("logo", "bomb.png", &image_bomb())),
    );
    assert_eq!(bomb.status, 422);
    assert!(
        bomb.body.contains("could not be read as an image"),
        "{}",
        bomb.body
    );
    assert_eq!(stored(), before, "nothing refused was stored");
    // A path in the file name: the logo is stored under the server's name.
    let png = small_png();
    let pathy = sign(
        &addr,
        &[&[("name", "Path Org")][..], &person].concat(),
        Some(("logo", "../../../etc/evil.png", &png)),
    );
    assert_eq!(pathy.status, 200, "{}", pathy.body);
    assert!(
        !dir.path().join("../../../etc/evil.png").exists() && !Path::new("/etc/evil.png").exists()
    );
    let logos: Vec<_> = std::fs::read_dir(dir.path().join("collected-logos"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(logos.len(), 1);
    assert!(
        logos[0].starts_with("signon-") && logos[0].ends_with(".png"),
        "{logos:?}"
    );

    // Markup and Typst in every field: stored and shown as text.
    let hostile = "<script>alert(1)</script> #panic(\"x\") *b* [l](javascript:alert(1))";
    let marked = sign(
        &addr,
        &[
            ("name", hostile),
            ("country", "<img src=x onerror=alert(1)>"),
            ("url", "https://x.example/\"><script>"),
            ("contact_name", "<b>Bold</b> #set"),
            ("contact_role", "{{ 7*7 }}"),
            ("contact_email", "h@x.example"),
        ],
        None,
    );
    assert_eq!(marked.status, 200, "{}", marked.body);
    let links = links(&server.smtp, 2);
    confirm(&addr, &links["h@x.example"]);

    // The staff side: nothing without a session; no form without its token.
    let mut anonymous = Client::default();
    let queue = anonymous.get(&addr, "/staff");
    assert_eq!(queue.status, 303);
    assert_eq!(queue.header("location"), Some("/staff/login"));
    let id = server.id_of(hostile).to_string();
    let forged = anonymous.post_form(
        &addr,
        "/staff/decide",
        &[("id", &id), ("action", "approve"), ("name", "x")],
    );
    assert_eq!(forged.status, 403);
    let mut staff = Client::default();
    assert_eq!(staff.sign_in(&addr, PASSWORD).status, 303);
    let queue = staff.get(&addr, "/staff");
    assert!(
        !queue.body.contains("<script>") && !queue.body.contains("<img src=x"),
        "escaped in the queue"
    );
    assert!(
        queue
            .body
            .contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{}",
        queue.body
    );
    assert!(queue.body.contains("{{ 7*7 }}"), "a placeholder is text");
    let no_csrf = staff.post_form(
        &addr,
        "/staff/decide",
        &[("id", &id), ("action", "approve"), ("name", hostile)],
    );
    assert_eq!(no_csrf.status, 403);
    let wrong_csrf = staff.post_form(
        &addr,
        "/staff/decide",
        &[
            ("csrf", &"0".repeat(64)),
            ("id", &id),
            ("action", "approve"),
            ("name", hostile),
        ],
    );
    assert_eq!(wrong_csrf.status, 403);
    assert!(
        server
            .stored()
            .iter()
            .any(|s| s.0 == hostile && s.1 == "pending"),
        "refused decisions changed nothing"
    );
    let csrf = queue.input("csrf");
    let approved = staff.post_form(
        &addr,
        "/staff/decide",
        &[
            ("csrf", &csrf),
            ("id", &id),
            ("action", "approve"),
            ("name", hostile),
            ("group", "Co-signers"),
            ("country", "<img src=x onerror=alert(1)>"),
        ],
    );
    assert_eq!(approved.status, 303, "{}", approved.body);
    let public = Client::default().get(&addr, "/").body;
    assert!(!public.contains("<script>") && !public.contains("<img src=x"));
    assert!(public.contains("&lt;script&gt;alert(1)"), "{public}");
    broadside_ok(
        dir.path(),
        &["build", "statement.toml", "--only", "annex", "--out", "out"],
    );
    let annex = Pdf::parse(&std::fs::read(dir.path().join("out/annex.pdf")).unwrap()).text();
    assert!(
        crate::pdf::squash(&annex).contains(&crate::pdf::squash(hostile)),
        "printed literally:\n{annex}"
    );

    // Wrong passwords: five are answered, then the account waits, even
    // for the right one.
    let mut guesser = Client::default();
    let mut statuses = Vec::new();
    for i in 0..10 {
        statuses.push(
            guesser
                .sign_in(&addr, &format!("wrong password {i}"))
                .status,
        );
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    assert_eq!(
        guesser.sign_in(&addr, PASSWORD).status,
        429,
        "locked even for the right password"
    );
    let login_without_token = Client::default().post_form(
        &addr,
        "/staff/login",
        &[("user", "ana"), ("password", PASSWORD)],
    );
    assert_eq!(login_without_token.status, 403);

    // The per-address limit: 8 an hour, 3 used by the accepted sign-ons
    // above and the refused ones that reached the count.
    let mut last = 200;
    for i in 0..10 {
        last = sign(
            &addr,
            &[
                ("name", &format!("Flood Org {i}")),
                ("contact_name", "F"),
                ("contact_email", &format!("f{i}@x.example")),
            ],
            None,
        )
        .status;
        if last == 429 {
            break;
        }
    }
    assert_eq!(last, 429, "the rate limit holds");

    // A forged or altered confirmation link.
    let link = &links["h@x.example"];
    let path = &link[link.find("/confirm").unwrap()..];
    let altered = format!("{}0", path);
    assert_eq!(Client::default().get(&addr, &altered).status, 400);
    assert_eq!(
        Client::default()
            .get(&addr, "/confirm?t=1.9999999999.00")
            .status,
        400
    );
}

#[test]
fn every_acknowledged_sign_on_survives_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    statement(dir.path(), true);
    let Some(mut server) = Server::start("collect::kill", dir.path(), &["--per-hour", "0"]) else {
        return;
    };
    let addr = server.addr.clone();
    let token = Client::default().get(&addr, "/").input("token");
    // Eight clients sign as fast as they can; the server is killed while
    // they do, once at least 40 sign-ons were acknowledged.
    let (acked, seen) = mpsc::channel::<String>();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..8)
        .map(|c| {
            let (addr, token, acked, stop) =
                (addr.clone(), token.clone(), acked.clone(), stop.clone());
            std::thread::spawn(move || {
                for i in 0.. {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        return;
                    }
                    let name = format!("Load Org {c}-{i}");
                    let fields = [
                        ("token", token.as_str()),
                        ("lang", "en"),
                        ("consent", "yes"),
                        ("name", &name),
                        ("contact_name", "L"),
                        ("contact_email", &format!("l{c}-{i}@x.example")),
                    ];
                    let reply = std::panic::catch_unwind(|| {
                        Client::default().post_multipart(&addr, "/sign", &fields, None)
                    });
                    match reply {
                        Ok(r) if r.status == 200 && r.body.contains("Thank you") => {
                            let _ = acked.send(name);
                        }
                        _ => return,
                    }
                }
            })
        })
        .collect();
    drop(acked);
    let mut acknowledged = Vec::new();
    while acknowledged.len() < 40 {
        acknowledged.push(
            seen.recv_timeout(Duration::from_secs(60))
                .expect("sign-ons are acknowledged"),
        );
    }
    server.kill_and_restart();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for client in clients {
        let _ = client.join();
    }
    acknowledged.extend(seen.try_iter());
    let stored = server.stored();
    for name in &acknowledged {
        let n = stored.iter().filter(|s| &s.0 == name).count();
        assert_eq!(n, 1, "`{name}` was acknowledged and is stored {n} times");
    }
    // The restarted server takes sign-ons again.
    let after = sign(
        &server.addr,
        &[
            ("name", "After Restart Org"),
            ("contact_name", "A"),
            ("contact_email", "after@x.example"),
        ],
        None,
    );
    assert_eq!(after.status, 200);
    eprintln!(
        "collect::kill: {} acknowledged before the kill, {} stored",
        acknowledged.len(),
        stored.len() - 2
    );
}

#[test]
fn staff_export_the_approved_list_and_collect_refuses_an_inline_list() {
    let dir = tempfile::tempdir().unwrap();
    statement(dir.path(), true);
    let out = broadside(
        dir.path(),
        &["collect", "statement.toml", "--export", "approved.csv"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(dir.path().join("approved.csv")).unwrap();
    assert!(
        csv.starts_with("name,group,country,url,logo,consent by"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(
        dir.path().join("signatories.csv.before-collect").exists(),
        "the list as it was is kept"
    );

    let inline = dir.path().join("inline.toml");
    std::fs::write(&inline, "title = \"T\"\ndate = 2025-10-30\nlanguage = \"en\"\nbody = \"B\"\nsignatories = [\"A\"]\n[collect]\nconsent = \"Yes.\"\n").unwrap();
    let refused = broadside(
        dir.path(),
        &[
            "collect",
            "inline.toml",
            "--smtp",
            "smtp://127.0.0.1:1",
            "--from",
            "a@b.example",
        ],
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("signatories = { file = \"signatories.csv\" }"),
        "{stderr}"
    );
    let no_smtp = broadside(dir.path(), &["collect", "statement.toml"]);
    assert!(
        String::from_utf8_lossy(&no_smtp.stderr).contains("--smtp"),
        "{}",
        String::from_utf8_lossy(&no_smtp.stderr)
    );
    let short = Command::new(env!("CARGO_BIN_EXE_broadside"))
        .current_dir(dir.path())
        .args(["collect", "statement.toml", "--add-staff", "ana"])
        .env("BROADSIDE_STAFF_PASSWORD", "short")
        .output()
        .unwrap();
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
}

#[test]
fn signers_and_staff_do_it_all_in_a_real_browser() {
    let (script, chromium) = match crate::preview::browser() {
        Ok(found) => found,
        Err(why) => {
            crate::skip_or_fail("collect::browser", &why);
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    statement(dir.path(), true);
    let Some(server) = Server::start("collect::browser", dir.path(), &[]) else {
        return;
    };
    let url = format!("http://{}/", server.addr);
    let stdout = crate::preview::run_script(
        &script,
        &chromium,
        "collect.mjs",
        &[
            url.as_ref(),
            server.smtp.maildir.as_os_str(),
            PASSWORD.as_ref(),
        ],
    );
    for step in [
        "signed: anne@",
        "signed: maryam@",
        "confirmed: maryam@",
        "approved: fa, rejected: en",
        "listed",
    ] {
        assert!(stdout.contains(step), "`{step}` missing:\n{stdout}");
    }
    drop(server);
    // Exported, and built into the annex: the approved name, not the
    // rejected one, and no contact.
    broadside_ok(
        dir.path(),
        &["collect", "statement.toml", "--export", "approved.csv"],
    );
    let csv = std::fs::read_to_string(dir.path().join("approved.csv")).unwrap();
    assert!(
        csv.contains("کانون مدافعان حقوق زندانیان") && !csv.contains("Alpha Rights Watch"),
        "{csv}"
    );
    broadside_ok(
        dir.path(),
        &["build", "statement.toml", "--only", "annex", "--out", "out"],
    );
    let annex = Pdf::parse(&std::fs::read(dir.path().join("out/annex.pdf")).unwrap()).text();
    let hay = crate::pdf::squash(&annex);
    let name: String = crate::pdf::squash("کانون مدافعان حقوق زندانیان");
    let reversed: String = name.chars().rev().collect();
    assert!(
        hay.contains(&name) || hay.contains(&reversed),
        "the approved Farsi name:\n{annex}"
    );
    assert!(
        !annex.contains("Alpha Rights Watch"),
        "the rejected name is not printed"
    );
    assert!(
        !annex.contains('@') && !annex.contains("Anne Martin"),
        "no contact is printed:\n{annex}"
    );
}
