//! The `broadside` command as a user runs it.

use std::path::Path;
use std::process::Command;

use crate::pdf::Pdf;

/// Runs the `broadside` command in `dir`.
pub fn broadside<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[S]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_broadside"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("broadside runs")
}

/// Runs `broadside` and asserts that it succeeded.
/// Runs broadside like [`broadside`], killing it (and failing) if it is
/// still running after ten minutes: for tests of commands that would
/// otherwise never end, so that a broken bound fails instead of hanging.
pub fn broadside_watched(dir: &Path, args: &[&str]) -> std::process::Output {
    let child = Command::new(env!("CARGO_BIN_EXE_broadside"))
        .current_dir(dir)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if finished
            .recv_timeout(std::time::Duration::from_secs(600))
            .is_err()
        {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            return true;
        }
        false
    });
    let out = child.wait_with_output().unwrap();
    let _ = done.send(());
    assert!(
        !watchdog.join().unwrap(),
        "broadside {args:?} never ended: its time bound did not stop it"
    );
    out
}

pub fn broadside_ok<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[S]) -> std::process::Output {
    let out = broadside(dir, args);
    assert!(
        out.status.success(),
        "broadside failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn build_with_no_file_builds_the_example_into_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = broadside(dir.path(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Each file holds its own document, not just any PDF by that name.
    let names = crate::example_names();
    let expected: [(&str, Vec<&str>); 3] = [
        (
            "press-release.pdf",
            vec![
                "FOR IMMEDIATE RELEASE",
                "Joint Statement on the International Day of Political Prisoners",
            ],
        ),
        (
            "poster.pdf",
            vec!["Political prisoners must not be forgotten"],
        ),
        (
            "annex.pdf",
            vec!["Annex: Signatories", &names[0], &names[28]],
        ),
    ];
    for (name, content) in expected {
        let bytes = std::fs::read(dir.path().join("output").join(name))
            .unwrap_or_else(|_| panic!("{name} written"));
        let text = Pdf::parse(&bytes).text();
        crate::pdf::assert_in_order(&text, &content);
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("wrote output/poster.pdf (1 page"),
        "{stdout}"
    );
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("output"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn only_picks_documents() {
    let dir = tempfile::tempdir().unwrap();
    let out = broadside(
        dir.path(),
        &["build", "--only", "poster,annex", "--out", "here"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("here/poster.pdf").exists());
    assert!(dir.path().join("here/annex.pdf").exists());
    assert!(!dir.path().join("here/press-release.pdf").exists());

    let out = broadside(dir.path(), &["build", "--only", "leaflet"]);
    assert!(!out.status.success());
    // clap names the value and lists the documents there are.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("invalid value 'leaflet' for '--only")
            && stderr.contains("[possible values: press-release, poster, annex, placards, flyer]"),
        "{stderr}"
    );
}

#[test]
fn a_bad_statement_fails_without_touching_earlier_output() {
    let dir = tempfile::tempdir().unwrap();
    let good = "title = \"T\"\ndate = 2025-10-30\nbody = \"B\"\nsignatories = [\"A\"]\n";
    std::fs::write(dir.path().join("s.toml"), good).unwrap();
    let out = broadside(dir.path(), &["build", "s.toml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = std::fs::read(dir.path().join("output/annex.pdf")).unwrap();

    std::fs::write(
        dir.path().join("s.toml"),
        good.replace("date = 2025-10-30", "date = \"soon\""),
    )
    .unwrap();
    let out = broadside(dir.path(), &["build", "s.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The message, the place and the line with a marker under the value.
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("┌─ s.toml:2:8"), "{stderr}");
    assert!(
        stderr.contains("2 │ date = \"soon\"\n  │        ^"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("output/annex.pdf")).unwrap(),
        before,
        "earlier output untouched"
    );
}

#[test]
fn unknown_keys_are_reported_and_strict_refuses_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "title = \"T\"\ndate = 2025-10-30\nbody = \"B\"\nsignatories = [\"A\"]\ntitel = \"x\"\n",
    )
    .unwrap();
    let out = broadside(dir.path(), &["build", "s.toml", "--only", "annex"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `title`?"));
    let out = broadside(
        dir.path(),
        &["build", "s.toml", "--strict", "--out", "strict"],
    );
    assert!(!out.status.success());
    assert!(
        !dir.path().join("strict").exists(),
        "nothing written under --strict"
    );
}

#[test]
fn templates_can_be_overridden_by_file_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("tpl")).unwrap();
    std::fs::write(
        dir.path().join("tpl/annex.typ"),
        "#import \"broadside.typ\": *\n#set page(paper: \"a5\")\n#show: base\nCustom annex for #data.signatories.count signatories.\n",
    )
    .unwrap();
    let out = broadside(
        dir.path(),
        &["build", "--only", "annex", "--templates", "tpl"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = Pdf::parse(&std::fs::read(dir.path().join("output/annex.pdf")).unwrap());
    assert!(crate::pdf::squash(&pdf.text()).contains("Customannexfor29signatories."));
    let media = pdf.page_box(1, b"MediaBox").unwrap();
    crate::pdf::assert_close(media[2] - media[0], crate::pdf::mm(148.0), "A5 width");
}

#[test]
fn check_reports_groups_and_consent() {
    let dir = tempfile::tempdir().unwrap();
    let out = broadside(dir.path(), &["check"]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    for part in [
        "signatories 29",
        "Conveners: 2",
        "Co-organisers: 2",
        "Co-signers: 25",
        "consent     recorded for 0 of 29",
    ] {
        assert!(stdout.contains(part), "`{part}` missing from:\n{stdout}");
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The exported project is ordinary Typst: the official compiler (Typst's
/// Python distribution, installed by .ci/run) gives the same pages.
#[test]
fn the_official_typst_compiler_builds_the_exported_project() {
    let probe = Command::new("python3")
        .args(["-c", "import typst"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        crate::skip_or_fail(
            "the_official_typst_compiler_builds_the_exported_project",
            "the official typst compiler is not installed (pip install typst)",
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = broadside(dir.path(), &["export", "--out", "export"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The export is self-contained: a copy elsewhere compiles with its own
    // fonts and nothing of broadside's checkout.
    let copy = tempfile::tempdir().unwrap();
    copy_tree(&dir.path().join("export"), &copy.path().join("project"));
    assert!(
        std::fs::read_to_string(copy.path().join("project/README.md"))
            .unwrap()
            .contains("--font-path fonts")
    );
    let dir = copy;
    let fonts = dir.path().join("project/fonts");
    // The day of action's placards and flyer too (built here: the shared
    // example holds the three documents).
    let example = broadside::load::load_example().unwrap().statement;
    let kit = crate::ENGINE
        .build(
            &example,
            &broadside::BuildRequest {
                documents: vec![
                    broadside::DocumentKind::Placards,
                    broadside::DocumentKind::Flyer,
                ],
                ..broadside::BuildRequest::default()
            },
        )
        .unwrap();
    let kinds = broadside::DocumentKind::ALL.into_iter().chain([
        broadside::DocumentKind::Placards,
        broadside::DocumentKind::Flyer,
    ]);
    for kind in kinds {
        let name = kind.name();
        let script = format!(
            "import typst; typst.compile('project/{name}.typ', output='official-{name}.pdf', root='project', font_paths=['{}'], ignore_system_fonts=True)",
            fonts.display()
        );
        let run = Command::new("python3")
            .current_dir(dir.path())
            .args(["-c", &script])
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "official typst failed on {name}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let official =
            Pdf::parse(&std::fs::read(dir.path().join(format!("official-{name}.pdf"))).unwrap());
        let ours = match kit.iter().find(|d| d.kind == kind) {
            Some(document) => Pdf::parse(&document.pdf),
            None => Pdf::parse(&crate::example(kind).pdf),
        };
        assert_eq!(
            official.page_count(),
            ours.page_count(),
            "{name}: page count"
        );
        for page in 1..=ours.page_count() as u32 {
            assert_eq!(
                official.page_box(page, b"MediaBox"),
                ours.page_box(page, b"MediaBox"),
                "{name} page {page} size"
            );
            assert_eq!(
                official.page_box(page, b"TrimBox"),
                ours.page_box(page, b"TrimBox"),
                "{name} page {page} trim"
            );
            assert_eq!(
                official.page_text(page),
                ours.page_text(page),
                "{name} page {page} text"
            );
        }
    }
}

#[test]
fn font_dirs_add_fonts_and_refuse_broken_ones() {
    let dir = tempfile::tempdir().unwrap();
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/Inter-Regular.otf");
    std::fs::copy(&bundled, fonts.join("Extra.otf")).unwrap();
    std::fs::write(
        fonts.join("README.txt"),
        "not a font, and not named like one",
    )
    .unwrap();
    let loaded = broadside::Fonts::with_dirs(std::slice::from_ref(&fonts)).unwrap();
    assert_eq!(loaded.added_files(), [fonts.join("Extra.otf")]);
    broadside_ok(
        dir.path(),
        &["build", "--only", "annex", "--font-dir", "fonts"],
    );

    std::fs::write(fonts.join("Broken.ttf"), "not a font").unwrap();
    let out = broadside(
        dir.path(),
        &["build", "--only", "annex", "--font-dir", "fonts"],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("Broken.ttf is not a font broadside can read")
    );
}

#[test]
fn a_plain_text_statement_is_pointed_to_the_example() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("statement.txt"),
        "On this International Day...",
    )
    .unwrap();
    let out = broadside(dir.path(), &["build", "statement.txt"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("statement.txt is not a statement file") && stderr.contains("examples/"),
        "{stderr}"
    );
}

/// `fonts` lists the bundled families with licences and scripts, and fonts
/// added from a folder as added; completions and the manual come from the
/// command line's own definition.
#[test]
fn fonts_completions_and_manual() {
    let dir = tempfile::tempdir().unwrap();
    let out = broadside_ok(dir.path(), &["fonts"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Noto Naskh Arabic") && stdout.contains("Arabic, Persian"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Inter") && stdout.contains("OFL-Inter.txt"),
        "{stdout}"
    );
    std::fs::create_dir(dir.path().join("more")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/NotoSerif-Regular.ttf"),
        dir.path().join("more/Copy.ttf"),
    )
    .unwrap();
    let out = broadside_ok(dir.path(), &["fonts", "--font-dir", "more"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The copied face joins its family, which is then marked as added.
    let row = stdout
        .lines()
        .find(|l| l.starts_with("Noto Serif "))
        .unwrap_or_default();
    assert!(
        row.contains("5 faces") && row.contains(" added "),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("Inter ") && l.contains(" bundled ")),
        "the other families stay bundled: {stdout}"
    );
    let out = broadside_ok(dir.path(), &["completions", "bash"]);
    let script = String::from_utf8_lossy(&out.stdout);
    assert!(script.contains("letters") && script.contains("--recipients"));
    let out = broadside_ok(dir.path(), &["man"]);
    let man = String::from_utf8_lossy(&out.stdout);
    assert!(man.contains(".TH broadside 1") && man.contains("letters"));
}

/// `watch` builds, builds again when the statement is saved, shows an error
/// without stopping while the file is broken (the last good PDFs stay), and
/// builds again once it is fixed.
#[test]
fn watch_rebuilds_on_save_and_survives_errors() {
    let dir = tempfile::tempdir().unwrap();
    let statement = dir.path().join("s.toml");
    std::fs::write(&statement, broadside::load::EXAMPLE_TOML).unwrap();
    // Its messages go to a file the test reads: each step waits for what
    // watch says, never for a fixed time.
    let log = dir.path().join("watch.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_broadside"))
        .current_dir(dir.path())
        .args(["watch", "s.toml", "--only", "annex", "--out", "out"])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let annex = dir.path().join("out/annex.pdf");
    let said = |needle: &str, times: usize| {
        for _ in 0..600 {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if text.matches(needle).count() >= times {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        false
    };
    let annex_says = |needle: &str| {
        std::fs::read(&annex)
            .is_ok_and(|bytes| crate::pdf::squash(&Pdf::parse(&bytes).text()).contains(needle))
    };
    let ok = (|| {
        if !said("watch: watching", 1) || !said("watch: built in", 1) {
            return Err("no first build");
        }
        if !annex_says("JointStatement") {
            return Err("the first build is not the statement");
        }
        let text = broadside::load::EXAMPLE_TOML.replacen(
            "title = \"Joint Statement",
            "title = \"Second Statement",
            1,
        );
        std::fs::write(&statement, &text).unwrap();
        if !said("watch: built in", 2) || !annex_says("SecondStatement") {
            return Err("no rebuild after a save");
        }
        std::fs::write(&statement, format!("{text}\ntitle = [\n")).unwrap();
        // The error is reported (naming the file), watch goes on, and the
        // last good PDF stays.
        if !said("watch: the last good documents stay in out", 1) {
            return Err("no error reported for the broken file");
        }
        let log_text = std::fs::read_to_string(&log).unwrap_or_default();
        if !log_text.contains("s.toml") {
            return Err("the error does not name the file");
        }
        if child.try_wait().unwrap().is_some() {
            return Err("watch stopped on an error");
        }
        if !annex_says("SecondStatement") {
            return Err("the last good PDF did not stay");
        }
        std::fs::write(
            &statement,
            text.replacen("Second Statement", "Third Statement", 1),
        )
        .unwrap();
        if !said("watch: built in", 3) || !annex_says("ThirdStatement") {
            return Err("no rebuild after the fix");
        }
        // Another program's files in the folder (a mail server's queue, as
        // aiosmtpd writes it beside a statement under `collect`) are not the
        // statement's: they rebuild nothing. An absence can only be waited
        // for: two debounce periods and more.
        std::fs::create_dir_all(dir.path().join("mail/new")).unwrap();
        std::fs::write(dir.path().join("mail/new/1.json"), "{}").unwrap();
        std::fs::write(dir.path().join("queue.json"), "{}").unwrap();
        std::fs::write(dir.path().join("notes.md"), "# notes").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1200));
        let built = std::fs::read_to_string(&log)
            .unwrap_or_default()
            .matches("watch: built in")
            .count();
        if built != 3 {
            return Err("files the statement does not name started a rebuild");
        }
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    ok.unwrap();
}

/// A template override that would run for hours is stopped at the time
/// bound, says so, and writes nothing.
#[test]
fn a_runaway_template_is_stopped_at_the_time_bound() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    std::fs::write(
        dir.path().join("t/poster.typ"),
        "#let n = 0\n#for i in range(100000) { for j in range(100000) { n += 1 } }\n#n\n",
    )
    .unwrap();
    // Without the bound the build would run for hours: the watchdog ends
    // the test (failing) rather than hang CI; the message proves the bound.
    let out = broadside_watched(
        dir.path(),
        &[
            "build",
            "--templates",
            "t",
            "--timeout",
            "1",
            "--out",
            "out",
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("stopped after 1 s") && stderr.contains("may loop"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}

/// A problem found after parsing names its key, and in a TOML statement also
/// shows the line with the value underlined; without a terminal there are no
/// colour codes.
#[test]
fn problems_show_their_line_with_a_marker() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "title = \"T\"\ndate = 2025-10-30\nbody = \"B\"\nsignatories = [\"Amnesty\", \"Amnesty\"]\n\n[organisation]\naccent = \"#zzz\"\n",
    )
    .unwrap();
    let out = broadside(dir.path(), &["build", "s.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for part in [
        "error: signatory 2 (`signatories[1].name`): `Amnesty` is listed twice, here and as signatory 1 (`signatories[0]`), neither with a country",
        "┌─ s.toml:4:27",
        "4 │ signatories = [\"Amnesty\", \"Amnesty\"]\n  │                           ^^^^^^^^^",
        "= hint: remove one of the two entries",
        "error: `organisation.accent`: `#zzz` is not a colour",
        "┌─ s.toml:7:10",
        "s.toml: 2 problems to fix before publishing",
    ] {
        assert!(stderr.contains(part), "`{part}` missing from:\n{stderr}");
    }
    assert!(!stderr.contains('\u{1b}'), "colour codes in a pipe");
}

/// In `watch`, a rebuild that runs away is stopped at the time bound and
/// reported, and watching goes on.
#[test]
fn watch_reports_a_runaway_rebuild_and_goes_on() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), broadside::load::EXAMPLE_TOML).unwrap();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    std::fs::write(
        dir.path().join("t/poster.typ"),
        "#let n = 0\n#for i in range(100000) { for j in range(100000) { n += 1 } }\n#n\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_broadside"))
        .current_dir(dir.path())
        .args([
            "watch",
            "s.toml",
            "--templates",
            "t",
            "--timeout",
            "1",
            "--out",
            "out",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines, seen) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines.send(line);
        }
    });
    let mut log = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        if let Ok(line) = seen.recv_timeout(std::time::Duration::from_millis(200)) {
            log.push(line);
        }
        if log.iter().any(|l| l.starts_with("watch: watching")) {
            break;
        }
    }
    let running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    let log = log.join("\n");
    assert!(log.contains("stopped after 1 s"), "{log}");
    assert!(log.contains("watch: watching"), "{log}");
    assert!(running, "watch ended:\n{log}");
}

/// `check` and `build` speak of a signatory by the number the annex prints
/// ("44."), with its key beside it.
#[test]
fn messages_give_the_signatory_number_the_annex_prints() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("title = \"T\"\ndate = 2026-10-30\nbody = \"B\"\n");
    for n in 1..=44 {
        text.push_str(&format!("\n[[signatories]]\nname = \"Organisation {n}\"\n"));
    }
    text.push_str("url = \"www.example.org\"\n");
    std::fs::write(dir.path().join("s.toml"), &text).unwrap();
    for command in ["check", "build"] {
        let out = broadside(dir.path(), &[command, "s.toml"]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(
                "signatory 44 (`signatories[43].url`): `www.example.org` is not a web address"
            ),
            "{command}:\n{stderr}"
        );
    }
}

/// ATTAC in France and ATTAC in Germany check and build; ATTAC twice with no
/// country stops both, naming the two entries; ATTAC with a country and
/// without one is a warning, which --strict makes an error.
#[test]
fn one_name_in_two_countries_checks_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let head = "title = \"T\"\ndate = 2026-10-30\nbody = \"B\"\n";
    let chapters = format!(
        "{head}\n[[signatories]]\nname = \"ATTAC\"\ncountry = \"France\"\n\n[[signatories]]\nname = \"ATTAC\"\ncountry = \"Germany\"\n"
    );
    std::fs::write(dir.path().join("chapters.toml"), &chapters).unwrap();
    let out = broadside_ok(dir.path(), &["check", "chapters.toml"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ok: ready to build\n"), "{stdout}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    broadside_ok(dir.path(), &["build", "chapters.toml", "--out", "out"]);
    let annex = crate::pdf::Pdf::parse(&std::fs::read(dir.path().join("out/annex.pdf")).unwrap());
    let text = crate::pdf::squash(&annex.text());
    crate::pdf::assert_in_order(&text, &["ATTAC", "France", "ATTAC", "Germany"]);

    std::fs::write(
        dir.path().join("twice.toml"),
        format!("{head}signatories = [\"Amnesty\", \"ATTAC\", \"ATTAC\"]\n"),
    )
    .unwrap();
    for command in ["check", "build"] {
        let out = broadside(dir.path(), &[command, "twice.toml"]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("signatory 3 (`signatories[2].name`): `ATTAC` is listed twice, here and as signatory 2 (`signatories[1]`)"),
            "{command}:\n{stderr}"
        );
    }

    std::fs::write(
        dir.path().join("one.toml"),
        format!("{chapters}\n[[signatories]]\nname = \"ATTAC\"\n"),
    )
    .unwrap();
    let out = broadside_ok(dir.path(), &["check", "one.toml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: signatory 3 (`signatories[2].name`): `ATTAC` is also signatory 1 (`signatories[0]`)"),
        "{stderr}"
    );
    // A question for the person checking the list, not a defect of the
    // build: even --strict builds it, without a warning.
    let out = broadside_ok(
        dir.path(),
        &["build", "one.toml", "--strict", "--out", "strict"],
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
}

/// `watch` builds again when a file the statement names changes: here the
/// signatory spreadsheet (`signatories = { file = ... }`), which is not a
/// statement file itself.
#[test]
fn watch_rebuilds_when_the_signatory_spreadsheet_changes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "title = \"Free them all\"\ndate = 2025-10-30\nbody = \"No one should be imprisoned.\"\nsignatories = { file = \"list.csv\" }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("list.csv"),
        "name,country\nFirst Example Org,France\n",
    )
    .unwrap();
    let log = dir.path().join("watch.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_broadside"))
        .current_dir(dir.path())
        .args(["watch", "s.toml", "--only", "annex", "--out", "out"])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let said = |needle: &str, times: usize| {
        (0..600).any(|_| {
            let found = std::fs::read_to_string(&log)
                .unwrap_or_default()
                .matches(needle)
                .count()
                >= times;
            if !found {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            found
        })
    };
    let annex = || {
        std::fs::read(dir.path().join("out/annex.pdf"))
            .map(|b| Pdf::parse(&b).text())
            .unwrap_or_default()
    };
    let ok = (|| {
        if !said("watch: watching", 1) || !said("watch: built in", 1) {
            return Err("no first build".to_owned());
        }
        std::fs::write(
            dir.path().join("list.csv"),
            "name,country\nFirst Example Org,France\nSecond Example Org,Chile\n",
        )
        .unwrap();
        if !said("watch: built in", 2) {
            return Err("no rebuild after the spreadsheet changed".to_owned());
        }
        let text = annex();
        if !text.contains("Second Example Org") {
            return Err(format!("the rebuilt annex lacks the new row: {text}"));
        }
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    ok.unwrap();
}
