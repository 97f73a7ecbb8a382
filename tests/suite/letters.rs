//! Letters: mail merge, window envelopes, attachments and `attach`.

use std::path::Path;

use broadside::letters::mailmerge::{DEFAULT_FILE_NAME, LetterTexts};
use broadside::letters::recipients;
use broadside::letters::{self, LettersRequest, Window};
use typst::layout::{Frame, FrameItem, Point};

use crate::cli::{broadside, broadside_ok};
use crate::pdf::{Pdf, squash};
use crate::{ENGINE, example_names};

const LETTER: &str = "{{ recipient.salutation or \"Excellency\" }},\n\n{{ statement.signatories.count }} organisations sign *{{ statement.title }}*, enclosed.\n\nYours sincerely,\n";

/// A letter that uses only the name, which every row has.
const PLAIN: &str = "Dear {{ recipient.name }},\n\nPlease read the enclosed statement.\n";

/// A statement folder: the example with two signers, recipients and a letter.
fn folder(recipients_csv: &str, letter: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let statement = broadside::load::EXAMPLE_TOML.to_owned()
        + "\n[letter]\nfrom = \"1850 M Street NW\\nWashington, DC 20036\"\nplace = \"Washington\"\n[[letter.signers]]\nname = \"Jane Roe\"\nrole = \"Executive Director\"\n";
    std::fs::write(dir.path().join("statement.toml"), statement).unwrap();
    std::fs::write(dir.path().join("recipients.csv"), recipients_csv).unwrap();
    std::fs::write(dir.path().join("letter.md"), letter).unwrap();
    dir
}

const RECIPIENTS: &str = "\u{feff}name;title;organisation;address;salutation\n\
Annalena Berg;H.E. Ms;Federal Foreign Office;\"Werderscher Markt 1\n10117 Berlin\";Dear Minister\n\
Jean Dupont;M.;Ministère des Affaires étrangères;\"37 quai d'Orsay\n75007 Paris\";\n\
#panic(\"x\") {{ x }} *Bold*;;$a*b$ <b>;\"Line 1\";\n";

fn letters_args(dir: &Path, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "letters",
        "statement.toml",
        "--recipients",
        "recipients.csv",
        "--letter",
        "letter.md",
        "--out",
        "out",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    let _ = dir;
    args
}

/// Every recipient's letter has their name and address and no one else's;
/// the statement and every signatory follow; hostile fields print as written.
#[test]
fn each_recipient_gets_their_own_letter_with_the_annex() {
    let dir = folder(RECIPIENTS, LETTER);
    broadside_ok(dir.path(), &letters_args(dir.path(), &[]));
    let files = [
        "1-annalena-berg.pdf",
        "2-jean-dupont.pdf",
        "3-panic-x-x-bold.pdf",
    ];
    let people = [
        ("Annalena Berg", "Werderscher Markt 1", "Dear Minister"),
        ("Jean Dupont", "37 quai d'Orsay", "Excellency"),
        ("#panic(\"x\") {{ x }} *Bold*", "$a*b$ <b>", "Excellency"),
    ];
    let names = example_names();
    for (i, file) in files.iter().enumerate() {
        let pdf = Pdf::parse(&std::fs::read(dir.path().join("out").join(file)).unwrap());
        assert!(pdf.page_count() >= 3, "{file}: letter, statement and annex");
        let text = squash(&pdf.text());
        let (name, address, salutation) = people[i];
        for part in [name, address, salutation] {
            assert!(text.contains(&squash(part)), "{file} lacks `{part}`");
        }
        for (j, (other, other_address, _)) in people.iter().enumerate() {
            if j != i {
                assert!(!text.contains(&squash(other)), "{file} holds {other}");
                assert!(
                    !text.contains(&squash(other_address)),
                    "{file} holds {other_address}"
                );
            }
        }
        assert!(
            text.contains("29organisationssignJointStatement"),
            "{file}: placeholders filled"
        );
        // The annex: every signatory, in order, after the letter.
        let needles: Vec<&str> = std::iter::once("Annex: Signatories")
            .chain(names.iter().map(String::as_str))
            .collect();
        crate::pdf::assert_in_order(&pdf.text(), &needles);
        assert!(text.contains("JaneRoe"));
        let list = broadside::pdf::embedded::files(
            &std::fs::read(dir.path().join("out").join(file)).unwrap(),
            file,
        )
        .unwrap();
        assert!(
            list.iter()
                .any(|(n, d)| n == "signatories.csv" && d.starts_with(b"number,name")),
            "{file} carries the list"
        );
    }
}

/// A placeholder a row cannot fill stops the batch, naming the field, the
/// line of the letter and the row; nothing is written.
#[test]
fn a_missing_field_stops_the_batch_before_anything_is_written() {
    let dir = folder(RECIPIENTS, "Dear {{ recipient.nickname }},\n");
    let out = broadside(dir.path(), &letters_args(dir.path(), &[]));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for part in [
        "letter.md",
        ":1",
        "recipient.nickname",
        "undefined",
        "recipients.csv:2",
        "Annalena Berg",
        "nothing was written",
    ] {
        assert!(stderr.contains(part), "`{part}` missing from:\n{stderr}");
    }
    assert!(!dir.path().join("out").exists());
}

/// A broken row stops the batch unless --skip-bad, which writes the others
/// and says which row it skipped.
#[test]
fn bad_rows_stop_the_batch_or_are_skipped() {
    let csv = "name,email\nA One,a@x\n,b@x\nC Three,c@x,extra\nD Four,d@x\n";
    let dir = folder(csv, PLAIN);
    let out = broadside(dir.path(), &letters_args(dir.path(), &[]));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("recipients.csv:3") && stderr.contains("no name"),
        "{stderr}"
    );
    assert!(
        stderr.contains("recipients.csv:4") && stderr.contains("3 fields"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());

    let out = broadside_ok(dir.path(), &letters_args(dir.path(), &["--skip-bad"]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("skipped") && stderr.contains("recipients.csv:3"),
        "{stderr}"
    );
    let mut written: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["1-a-one.pdf", "2-d-four.pdf"]);
}

/// File names come from a template, stay inside the output folder and never
/// collide.
#[test]
fn file_names_never_collide_or_escape() {
    let csv = "name,file\nSame Name,../../escape\nSame Name,/etc/passwd\n";
    let dir = folder(csv, PLAIN);
    broadside_ok(
        dir.path(),
        &letters_args(dir.path(), &["--name", "{{ recipient.file }}"]),
    );
    broadside_ok(dir.path(), &{
        let mut a = letters_args(dir.path(), &["--name", "{{ name }}"]);
        a[7] = "out2".into();
        a
    });
    let list = |d: &str| {
        let mut v: Vec<String> = std::fs::read_dir(dir.path().join(d))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(list("out"), ["escape.pdf", "etc-passwd.pdf"]);
    assert_eq!(list("out2"), ["Same Name-2.pdf", "Same Name.pdf"]);
    assert!(!dir.path().parent().unwrap().join("escape.pdf").exists());
}

/// Text items of a frame with their positions on the page.
fn texts(frame: &Frame, offset: Point, out: &mut Vec<(String, f64, f64, f64)>) {
    for (pos, item) in frame.items() {
        let at = offset + *pos;
        match item {
            FrameItem::Group(group) => texts(&group.frame, at, out),
            FrameItem::Text(text) => out.push((
                text.text.to_string(),
                at.x.to_mm(),
                at.y.to_mm(),
                text.width().to_mm(),
            )),
            _ => {}
        }
    }
}

/// Short horizontal lines near the left edge (fold and punch marks): their
/// distance from the top, in mm.
fn marks(frame: &Frame, offset: Point, out: &mut Vec<f64>) {
    for (pos, item) in frame.items() {
        let at = offset + *pos;
        match item {
            FrameItem::Group(group) => marks(&group.frame, at, out),
            FrameItem::Shape(shape, _) => {
                if let typst::visualize::Geometry::Line(to) = shape.geometry
                    && to.y.to_mm().abs() < 0.01
                    && to.x.to_mm() < 10.0
                    && at.x.to_mm() < 15.0
                {
                    out.push(at.y.to_mm());
                }
            }
            _ => {}
        }
    }
}

/// Where the recipient's address must sit, from the figures in
/// `../shared/reference/window-envelopes.md` (DIN 5008:2020, DIN 680),
/// written here independently of the code's own geometry: x from the
/// left edge and y from the top, in mm, of the zone the address must stay
/// inside, the return-address zone above it, and the fold marks.
struct Envelope {
    window: Window,
    recipient: (f64, f64, f64, f64),
    return_zone: (f64, f64),
    folds: &'static [f64],
}

const ENVELOPES: [Envelope; 4] = [
    // Form A: field x 20–105, y 27–72; recipient zone y 44.7–72.
    Envelope {
        window: Window::Din5008A,
        recipient: (20.0, 105.0, 44.7, 72.0),
        return_zone: (27.0, 44.7),
        folds: &[87.0, 192.0],
    },
    // Form B: field x 20–105, y 45–90; recipient zone y 62.7–90.
    Envelope {
        window: Window::Din5008B,
        recipient: (20.0, 105.0, 62.7, 90.0),
        return_zone: (45.0, 62.7),
        folds: &[105.0, 210.0],
    },
    // DL (DIN 680) with form B: only x 20–100, y 50–90 is always in the
    // window as the letter slides, and the recipient zone must lie in it.
    Envelope {
        window: Window::Dl,
        recipient: (20.0, 100.0, 62.7, 90.0),
        return_zone: (50.0, 62.7),
        folds: &[105.0, 210.0],
    },
    // C5: A4 folded once, in half (297 / 2), form B's field.
    Envelope {
        window: Window::C5,
        recipient: (20.0, 105.0, 62.7, 90.0),
        return_zone: (45.0, 62.7),
        folds: &[148.5],
    },
];

/// The address, the return address and the fold marks are where the
/// envelope's norms put them, for every window the letters offer.
#[test]
fn the_address_sits_in_the_envelope_window() {
    let dir = folder(RECIPIENTS, LETTER);
    let loaded = broadside::load::load_file(&dir.path().join("statement.toml")).unwrap();
    for envelope in &ENVELOPES {
        let window = envelope.window;
        let request = LettersRequest {
            recipients: recipients::read(&dir.path().join("recipients.csv")).unwrap(),
            letters: LetterTexts::read(&dir.path().join("letter.md")).unwrap(),
            window,
            file_name: DEFAULT_FILE_NAME.into(),
            skip_bad: false,
            with_statement: true,
            layout: Default::default(),
        };
        let plan = letters::plan(&ENGINE, &loaded.statement, &request).unwrap();
        let setter = letters::Setter::new(&ENGINE, &loaded.statement, &request, &plan).unwrap();
        let document = setter.letter_document(&plan.letters[0]).unwrap();
        let page = &document.layout.pages()[0].frame;
        let mut items = Vec::new();
        texts(page, Point::zero(), &mut items);
        let (x0, x1, y0, y1) = envelope.recipient;
        let lines = [
            "H.E. Ms Annalena Berg",
            "Federal Foreign Office",
            "Werderscher Markt 1",
            "10117 Berlin",
        ];
        for line in lines {
            let (_, x, y, w) = items
                .iter()
                .find(|(t, ..)| {
                    t.contains(line.split(' ').next_back().unwrap()) && t.len() <= line.len()
                })
                .unwrap_or_else(|| panic!("{line} not on the first page: {items:?}"));
            // y is the baseline: the glyphs reach about 3 mm above it and
            // descenders 1 mm below.
            assert!(
                *x >= x0 && x + w <= x1 && y - 3.0 >= y0 && *y + 1.0 <= y1,
                "{window:?}: `{line}` at x {x:.1}–{:.1}, baseline y {y:.1}, outside x {x0}–{x1}, y {y0}–{y1}",
                x + w
            );
        }
        // The return address, one line above the recipient's, in the zone
        // the norm keeps for it.
        // (The letterhead, higher up, gives the same address.)
        let (_, x, y, _) = items
            .iter()
            .filter(|(t, ..)| t.contains("1850"))
            .max_by(|a, b| a.2.total_cmp(&b.2))
            .unwrap_or_else(|| {
                panic!("{window:?}: no return address on the first page: {items:?}")
            });
        let (r0, r1) = envelope.return_zone;
        assert!(
            *x >= x0 && y - 2.5 >= r0 && *y <= r1,
            "{window:?}: the return address at x {x:.1}, baseline {y:.1}, outside y {r0}–{r1}"
        );
        // Fold marks at the folds, and nothing else at the left edge but the
        // punch mark at the middle.
        let mut found = Vec::new();
        marks(page, Point::zero(), &mut found);
        for fold in envelope.folds {
            assert!(
                found.iter().any(|m| (m - fold).abs() < 0.5),
                "{window:?}: no fold mark at {fold} mm; marks at {found:?}"
            );
        }
        for m in &found {
            assert!(
                envelope.folds.iter().any(|f| (m - f).abs() < 0.5) || (m - 148.5).abs() < 0.5,
                "{window:?}: a mark at {m:.1} mm is no fold of this envelope"
            );
        }
    }
}

/// `attach` keeps the original letter's pages and text, adds the annex, and
/// refuses an encrypted PDF with a message that says what to do.
#[test]
fn attach_appends_the_annex_to_a_letter_written_elsewhere() {
    let dir = folder(RECIPIENTS, LETTER);
    // A two-page "letter from elsewhere": the example's press release.
    let original = crate::example(broadside::DocumentKind::PressRelease)
        .pdf
        .clone();
    let before = Pdf::parse(&original);
    std::fs::write(dir.path().join("letter.pdf"), &original).unwrap();
    broadside_ok(
        dir.path(),
        &[
            "attach",
            "letter.pdf",
            "statement.toml",
            "-o",
            "joined.pdf",
            "--with-statement",
        ],
    );
    let joined = Pdf::parse(&std::fs::read(dir.path().join("joined.pdf")).unwrap());
    assert!(joined.page_count() >= before.page_count() + 2);
    for page in 1..=before.page_count() as u32 {
        assert_eq!(
            joined.page_text(page),
            before.page_text(page),
            "page {page} kept as it was"
        );
    }
    let last = joined.page_text(joined.page_count() as u32);
    assert!(squash(&last).contains("WorldLibertyCongress"), "{last}");

    // An encrypted PDF: the trailer names an /Encrypt dictionary.
    let mut encrypted = original.clone();
    let at = encrypted
        .windows(7)
        .rposition(|w| w == b"trailer")
        .unwrap_or(encrypted.len());
    encrypted.splice(at..at, b"%/Encrypt 99 0 R\n".iter().copied());
    let mut doc = lopdf::Document::load_mem(&original).unwrap();
    let id = doc.add_object(lopdf::Object::Dictionary({
        let mut d = lopdf::Dictionary::new();
        d.set("Filter", lopdf::Object::Name(b"Standard".to_vec()));
        d.set("V", 1);
        d.set("R", 2);
        d.set("O", lopdf::Object::string_literal(vec![0u8; 32]));
        d.set("U", lopdf::Object::string_literal(vec![0u8; 32]));
        d.set("P", -4);
        d
    }));
    doc.trailer.set("Encrypt", lopdf::Object::Reference(id));
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    std::fs::write(dir.path().join("locked.pdf"), &bytes).unwrap();
    let out = broadside(
        dir.path(),
        &["attach", "locked.pdf", "statement.toml", "-o", "x.pdf"],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("encrypted") && stderr.contains("unprotected copy"),
        "{stderr}"
    );
    assert!(!dir.path().join("x.pdf").exists());

    let out = broadside(
        dir.path(),
        &["attach", "statement.toml", "statement.toml", "-o", "y.pdf"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("cannot be read as a PDF"),
        "{stderr}"
    );
}

/// `--merge --duplex` writes one file in which every letter starts on an
/// odd page.
#[test]
fn merged_letters_for_duplex_printing() {
    let dir = folder(RECIPIENTS, LETTER);
    broadside_ok(
        dir.path(),
        &letters_args(dir.path(), &["--merge", "--duplex"]),
    );
    let merged = Pdf::parse(&std::fs::read(dir.path().join("out/letters.pdf")).unwrap());
    let single = Pdf::parse(&std::fs::read(dir.path().join("out/1-annalena-berg.pdf")).unwrap());
    let per_letter = single.page_count() + single.page_count() % 2;
    assert_eq!(merged.page_count(), 3 * per_letter);
    for (i, name) in ["Annalena Berg", "Jean Dupont"].iter().enumerate() {
        let first = (i * per_letter + 1) as u32;
        assert!(squash(&merged.page_text(first)).contains(&squash(name)));
    }
    // The statement and annex pages are shared, and follow every letter.
    let annexes = (1..=merged.page_count() as u32)
        .filter(|&p| squash(&merged.page_text(p)).contains("29.WorldLibertyCongress"))
        .count();
    assert_eq!(annexes, 3);
    // --zip: the same letters, byte for byte, in one archive for sending.
    broadside_ok(dir.path(), &letters_args(dir.path(), &["--zip"]));
    let file = std::fs::File::open(dir.path().join("out/letters.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    assert_eq!(archive.len(), 3);
    for name in ["1-annalena-berg.pdf", "2-jean-dupont.pdf"] {
        let mut entry = archive.by_name(name).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        assert_eq!(
            bytes,
            std::fs::read(dir.path().join("out").join(name)).unwrap(),
            "{name}"
        );
    }
    let out = broadside_ok(dir.path(), &letters_args(dir.path(), &["--dry-run"]));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1-annalena-berg.pdf") && stdout.contains("nothing written"),
        "{stdout}"
    );
}

/// Waits, bounded, until `ready` holds; fails with `what` if it never does.
fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let started = std::time::Instant::now();
    while !ready() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "{what} did not happen within two minutes"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// Every PDF in `dir` is whole (it parses and ends with its trailer); the
/// number of them.
fn all_whole(dir: &Path) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".pdf") {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                bytes.ends_with(b"%%EOF\n") || bytes.ends_with(b"%%EOF"),
                "{name} is cut short ({} bytes)",
                bytes.len()
            );
            Pdf::parse(&bytes);
            n += 1;
        }
    }
    n
}

fn pdfs_in(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".pdf"))
            })
            .count()
        })
        .unwrap_or(0)
}

/// A batch killed (SIGKILL) while letters are being written, five times at
/// five depths, leaves only whole letters: the kill comes once the first
/// N are on disk, with others being written. The next run cleans up what
/// the kills left and finishes the job.
#[test]
fn a_killed_batch_leaves_only_complete_letters() {
    let total = 600;
    let mut csv = String::from("name\n");
    for i in 0..total {
        csv.push_str(&format!("Recipient {i}\n"));
    }
    let dir = folder(&csv, PLAIN);
    let out = dir.path().join("out");
    for after in [5, 40, 80, 160, 250] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_broadside"))
            .current_dir(dir.path())
            .args(letters_args(dir.path(), &[]))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Letters from an earlier round are already there: count new ones.
        let before = pdfs_in(&out);
        let target = (before + after).min(total - 1);
        wait_for(&format!("{after} more letters on disk"), || {
            pdfs_in(&out) >= target
        });
        child.kill().unwrap();
        child.wait().unwrap();
        let whole = all_whole(&out);
        assert!(
            whole >= target,
            "{whole} letters after the kill, fewer than the {target} seen"
        );
    }
    broadside_ok(dir.path(), &letters_args(dir.path(), &[]));
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        total,
        "{:?}",
        names
            .iter()
            .filter(|n| n.ends_with(".tmp"))
            .collect::<Vec<_>>()
    );
    assert!(
        names
            .iter()
            .all(|n| n.ends_with(".pdf") && !n.starts_with('.'))
    );
    assert_eq!(all_whole(&out), total);
}

/// `build` killed (six times) while it replaces a good set of documents leaves each
/// file whole, old or new: the kill comes the moment the first file of the
/// new set appears, while the others are being written.
#[test]
fn a_killed_build_leaves_every_document_whole() {
    let dir = tempfile::tempdir().unwrap();
    let statement = crate::scale::generate::statement_toml(3_000, "en");
    std::fs::write(dir.path().join("s.toml"), &statement).unwrap();
    let out = dir.path().join("out");
    broadside_ok(dir.path(), &["build", "s.toml", "--out", "out", "--png"]);
    let first = out.join("press-release.pdf");
    for round in 0..6 {
        let seen = std::fs::metadata(&first).unwrap().modified().unwrap();
        // A changed statement, so every file is written anew.
        std::fs::write(
            dir.path().join("s.toml"),
            statement.replacen("title = \"", &format!("title = \"Round {round}: "), 1),
        )
        .unwrap();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_broadside"))
            .current_dir(dir.path())
            .args(["build", "s.toml", "--out", "out", "--png"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        wait_for("the first new document on disk", || {
            std::fs::metadata(&first)
                .and_then(|m| m.modified())
                .is_ok_and(|m| m != seen)
        });
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(
            all_whole(&out) >= 3,
            "round {round}: the documents are whole"
        );
        for entry in std::fs::read_dir(&out).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "png") {
                image::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            }
        }
    }
    broadside_ok(dir.path(), &["build", "s.toml", "--out", "out", "--png"]);
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The official Typst command-line compiler, 0.15 (for its bundle export):
/// `TYPST_CLI` or `typst` on the PATH.
fn official_cli() -> Option<std::path::PathBuf> {
    let candidates = [
        std::env::var_os("TYPST_CLI").map(std::path::PathBuf::from),
        Some("typst".into()),
    ];
    candidates.into_iter().flatten().find(|cli| {
        std::process::Command::new(cli)
            .arg("--version")
            .output()
            .is_ok_and(|o| {
                o.status.success() && String::from_utf8_lossy(&o.stdout).contains(" 0.15")
            })
    })
}

/// `export --letters` writes a Typst bundle project that the official
/// compiler turns into the same letters broadside writes: per letter the
/// same file name, page count and text on every page, a two-page letter and
/// a hostile name included.
#[test]
fn the_official_bundle_export_makes_the_same_letters() {
    let Some(cli) = official_cli() else {
        crate::skip_or_fail(
            "the_official_bundle_export_makes_the_same_letters",
            "the official typst 0.15 CLI is not installed (set TYPST_CLI or put typst on PATH)",
        );
        return;
    };
    let long = "The detention of human rights defenders continues. ".repeat(90);
    let csv = format!(
        "name,organisation,address,note\n\
         Annalena Berg,Federal Foreign Office,\"Werderscher Markt 1\n10117 Berlin\",{long}\n\
         Jean Dupont,Ministère des Affaires étrangères,\"37 quai d'Orsay\n75007 Paris\",Short.\n\
         \"#panic(\"\"x\"\") $a*b$\",,Line 1,<b>not bold</b>\n"
    );
    let dir = folder(&csv, "Dear {{ recipient.name }},\n\n{{ recipient.note }}\n");
    broadside_ok(dir.path(), &letters_args(dir.path(), &[]));
    broadside_ok(
        dir.path(),
        &[
            "export",
            "statement.toml",
            "--letters",
            "--recipients",
            "recipients.csv",
            "--letter",
            "letter.md",
            "--out",
            "bundle",
        ],
    );
    let project = dir.path().join("bundle");
    let run = std::process::Command::new(&cli)
        .current_dir(&project)
        // The command the project's README gives, less the word `typst`.
        .args(
            broadside::letters::bundle::compile_command(true)
                .split_whitespace()
                .skip(1),
        )
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "the official compiler failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut ours: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut theirs: Vec<String> = std::fs::read_dir(project.join("letters"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    ours.sort();
    theirs.sort();
    assert_eq!(ours, theirs);
    assert_eq!(ours.len(), 3);
    let mut two_page_letter = false;
    for file in &ours {
        let mine = Pdf::parse(&std::fs::read(dir.path().join("out").join(file)).unwrap());
        let official = Pdf::parse(&std::fs::read(project.join("letters").join(file)).unwrap());
        assert_eq!(official.page_count(), mine.page_count(), "{file}: pages");
        for page in 1..=mine.page_count() as u32 {
            assert_eq!(
                official.page_text(page),
                mine.page_text(page),
                "{file} page {page}"
            );
        }
        let text = mine.text();
        two_page_letter |= text.contains("Page 2 of 2") && mine.page_count() == 4;
        assert!(official.text().contains(if file.contains("panic") {
            "#panic(\"x\") $a*b$"
        } else {
            "Dear "
        }));
    }
    assert!(two_page_letter, "one letter runs to two pages");
}

/// A recipient's field with a right-to-left override before a tab and a
/// combining mark (which crashes Typst 0.15's shaper) is cleaned, with a
/// warning naming the row; the letter is written.
#[test]
fn direction_overrides_in_a_recipient_are_removed_with_a_warning() {
    let dir = folder(
        "name,note\nAnna,\"\u{202e}\t\u{301}reversed\"\n",
        "Dear {{ recipient.name }},\n\n{{ recipient.note }}\n",
    );
    let out = broadside_ok(dir.path(), &letters_args(dir.path(), &[]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: recipients.csv:2 (Anna): direction controls"),
        "{stderr}"
    );
    let pdf = Pdf::parse(&std::fs::read(dir.path().join("out/1-anna.pdf")).unwrap());
    assert!(pdf.text().contains("reversed"));
}

/// Same inputs, same bytes: a batch written twice (letters set in parallel,
/// in whatever order the cores take them) gives the same files, and a
/// letter set alone is the same file as in the batch.
#[test]
fn letters_are_byte_identical_across_runs_and_batches() {
    let mut csv = String::from("name,address\n");
    for i in 0..40 {
        csv.push_str(&format!("Recipient {i},\"Street {i}\n{i} City\"\n"));
    }
    let dir = folder(&csv, PLAIN);
    broadside_ok(dir.path(), &letters_args(dir.path(), &[]));
    let mut again = letters_args(dir.path(), &[]);
    let out = again.iter().position(|a| a == "out").unwrap();
    again[out] = "again".into();
    broadside_ok(dir.path(), &again);
    let mut files: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 40);
    for file in &files {
        assert!(
            std::fs::read(dir.path().join("out").join(file)).unwrap()
                == std::fs::read(dir.path().join("again").join(file)).unwrap(),
            "{file} differs between two runs"
        );
    }
    // Recipient 17 alone.
    std::fs::write(
        dir.path().join("recipients.csv"),
        "name,address\nRecipient 17,\"Street 17\n17 City\"\n",
    )
    .unwrap();
    let mut alone = letters_args(dir.path(), &[]);
    alone[out] = "alone".into();
    broadside_ok(dir.path(), &alone);
    assert!(
        std::fs::read(dir.path().join("alone/1-recipient-17.pdf")).unwrap()
            == std::fs::read(dir.path().join("out/18-recipient-17.pdf")).unwrap(),
        "a letter set alone differs from the same letter in a batch"
    );
}

/// A letter template that would run for hours stops the batch at its time
/// bound, saying so; no half-written letter is left.
#[test]
fn a_runaway_letter_template_is_stopped_at_the_time_bound() {
    let dir = folder("name\nAnna\nBoris\n", PLAIN);
    std::fs::create_dir(dir.path().join("t")).unwrap();
    std::fs::write(
        dir.path().join("t/letter.typ"),
        "#let n = 0\n#for i in range(100000) { for j in range(100000) { n += 1 } }\n#n\n",
    )
    .unwrap();
    // Without the bound the batch would run for hours: the watchdog fails
    // the test rather than hang; the message proves the bound stopped it.
    let args = letters_args(dir.path(), &["--templates", "t", "--timeout", "1"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = crate::cli::broadside_watched(dir.path(), &args);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the batch was stopped after 1 s"),
        "{stderr}"
    );
    let written: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "{written:?}");
}

/// A recipient's language finds the closest the statement has (the example
/// is `en-US`: `en` and `en-GB` read it); one in no language of the
/// statement is refused, with what there is.
#[test]
fn a_recipient_language_falls_back_by_bcp_47() {
    let csv = "name,language\nA One,en\nB Two,en-GB\nC Three,EN-us\n";
    let dir = folder(csv, PLAIN);
    let out = broadside_ok(dir.path(), &letters_args(dir.path(), &["--dry-run"]));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for name in ["A One", "B Two", "C Three"] {
        let line = stdout
            .lines()
            .find(|l| l.ends_with(name))
            .unwrap_or_else(|| panic!("no letter for {name}:\n{stdout}"));
        assert!(line.contains(" en-US "), "{line}");
    }

    let dir = folder("name,language\nA One,en\nD Four,fr-CA\n", PLAIN);
    let out = broadside(dir.path(), &letters_args(dir.path(), &[]));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for part in [
        "recipients.csv:3",
        "asks for language `fr-CA`",
        "only en-US",
    ] {
        assert!(stderr.contains(part), "`{part}` missing from:\n{stderr}");
    }
    assert!(!dir.path().join("out").exists());
}

/// A translation serves the regional forms of its language too: `ru-RU`
/// reads the `ru` translation, `en-GB` the `en` original.
#[test]
fn a_recipient_language_finds_a_translation_by_bcp_47() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("statement.toml"),
        "title = \"Free them\"\ndate = 2025-10-30\nlanguage = \"en\"\nbody = \"B\"\nsignatories = [\"A\", \"B\"]\n\n[translations.ru]\ntitle = \"Свободу им\"\nbody = \"Б\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("recipients.csv"),
        "name,language\nA One,ru-RU\nB Two,en-GB\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("letter.md"), PLAIN).unwrap();
    let recipients = recipients::read(&dir.path().join("recipients.csv")).unwrap();
    let loaded = broadside::load::load_file(&dir.path().join("statement.toml")).unwrap();
    let request = LettersRequest {
        recipients,
        letters: LetterTexts::from_text(&dir.path().join("letter.md"), PLAIN),
        window: Window::parse("dl").unwrap(),
        file_name: DEFAULT_FILE_NAME.into(),
        skip_bad: false,
        with_statement: true,
        layout: Default::default(),
    };
    let plan = letters::plan(&ENGINE, &loaded.statement, &request).unwrap();
    let languages: Vec<&str> = plan.letters.iter().map(|l| l.language.as_str()).collect();
    assert_eq!(languages, ["ru", "en"]);
    assert!(plan.skipped.is_empty());
}

/// A statement folder whose `[letter]` section is `letter_toml`.
fn folder_with_letter(letter_toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let statement = broadside::load::EXAMPLE_TOML.to_owned() + letter_toml;
    std::fs::write(dir.path().join("statement.toml"), statement).unwrap();
    std::fs::write(dir.path().join("recipients.csv"), "name\nAnna Berg\n").unwrap();
    std::fs::write(dir.path().join("letter.md"), PLAIN).unwrap();
    dir
}

/// A signer's name and the return address pass the glyph check as every
/// other text does: characters no bundled font has are refused by key, not
/// printed as boxes.
#[test]
fn letter_texts_without_glyphs_are_refused_by_key() {
    for (section, key) in [
        (
            "\n[letter]\n[[letter.signers]]\nname = \"张伟 Zhang Wei\"\n",
            "letter.signers[0].name",
        ),
        ("\n[letter]\nfrom = \"北京 Beijing\"\n", "letter.from"),
    ] {
        let dir = folder_with_letter(section);
        let out = broadside(dir.path(), &letters_args(dir.path(), &[]));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{key}: refused\n{stderr}");
        assert!(stderr.contains(key), "{key} named\n{stderr}");
        assert!(
            !dir.path().join("out/1-anna-berg.pdf").exists(),
            "{key}: no letter written"
        );
    }
}

/// A direction override in the return address or a signer's role is taken
/// out with a warning: the letter reads in logical order.
#[test]
fn direction_overrides_in_the_letter_section_are_removed() {
    let dir = folder_with_letter(
        "\n[letter]\nfrom = \"1850 M \\u202eStreet NW\"\n[[letter.signers]]\nname = \"Jane Roe\"\nrole = \"Executive \\u202eDirector\"\n",
    );
    let out = broadside_ok(dir.path(), &letters_args(dir.path(), &[]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("letter.from") && stderr.contains("letter.signers[0].role"),
        "{stderr}"
    );
    let text = Pdf::parse(&std::fs::read(dir.path().join("out/1-anna-berg.pdf")).unwrap()).text();
    assert!(text.contains("1850 M Street NW"), "{text}");
    assert!(text.contains("Executive Director"), "{text}");
    assert!(
        !text.contains("teertS") && !text.contains("rotceriD"),
        "{text}"
    );
}
