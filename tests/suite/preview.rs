//! The live preview of `broadside watch --serve`, in a real browser:
//! headless Chromium driven by `tests/browser/preview.mjs` (Playwright).
//! `.ci/run` installs Chromium and the script's one package; elsewhere the
//! test says it skipped, and under CI a skip is a failure.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Stops the watcher when the test ends, however it ends.
struct Watcher(Child);

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What the browser test needs, or why it cannot run.
pub(crate) fn browser() -> Result<(PathBuf, PathBuf), String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.exists() {
        return Err(format!("no Chromium at {}", chromium.display()));
    }
    if !Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Err("no node".into());
    }
    if !script.join("node_modules/playwright-core").exists() {
        return Err("playwright-core is not installed (npm install --prefix tests/browser)".into());
    }
    Ok((script, chromium))
}

/// Runs a browser script of tests/browser with `args`, asserting that it
/// succeeded; its standard output.
pub(crate) fn run_script(
    script: &Path,
    chromium: &Path,
    name: &str,
    args: &[&std::ffi::OsStr],
) -> String {
    let run = Command::new("node")
        .current_dir(script)
        .env("CHROMIUM", chromium)
        .arg(name)
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        run.status.success(),
        "the browser test {name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    stdout
}

#[test]
fn the_preview_follows_edits_in_a_real_browser() {
    let (script, chromium) = match browser() {
        Ok(found) => found,
        Err(why) => {
            crate::skip_or_fail("the_preview_follows_edits_in_a_real_browser", &why);
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let statement = dir.path().join("statement.toml");
    std::fs::write(&statement, broadside::load::EXAMPLE_TOML).unwrap();
    // A port nobody holds right now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_broadside"))
        .current_dir(dir.path())
        .args(["watch", "statement.toml", "--out", "out"])
        .arg(format!("--serve={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let watcher = Watcher(child);
    // Ready once it watches; its messages go on to the test's output.
    let (ready, wait) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.starts_with("watch: watching") {
                let _ = ready.send(());
            }
            eprintln!("broadside: {line}");
        }
    });
    wait.recv_timeout(Duration::from_secs(30))
        .expect("broadside watch --serve started");
    let url = format!("http://127.0.0.1:{port}/");
    let stdout = run_script(
        &script,
        &chromium,
        "preview.mjs",
        &[url.as_ref(), statement.as_os_str()],
    );
    drop(watcher);
    for step in [
        "loaded: ",
        "reloaded after the edit",
        "error shown",
        "pages back",
    ] {
        assert!(stdout.contains(step), "`{step}` missing:\n{stdout}");
    }
}
