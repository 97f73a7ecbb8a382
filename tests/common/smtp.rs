//! The SMTP server the sending tests and benchmarks send to: aiosmtpd on
//! loopback through tests/smtp/server.py, shared so both start it alike.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Starts the server storing into `maildir`, with the fixture's further
/// `options`; returns it and its port once it listens.
pub fn start(state: &Path, maildir: &Path, options: &[&str]) -> (Child, u16) {
    std::fs::create_dir_all(maildir).unwrap();
    let port_file = state.join("port");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/server.py");
    let child = Command::new("python3")
        .arg(script)
        .arg("--port-file")
        .arg(&port_file)
        .arg("--maildir")
        .arg(maildir)
        .args(options)
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 runs tests/smtp/server.py");
    let started = Instant::now();
    while !port_file.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the SMTP server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let port = std::fs::read_to_string(&port_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    (child, port)
}
