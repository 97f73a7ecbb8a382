//! The press release as text: plain-text and HTML email, Markdown.

use mail_parser::MimeHeaders;

use crate::cli::broadside_ok;

/// `--format pdf,txt,html,md` writes all four; the text version has the
/// release line, headline, dateline, body, signatories, end mark and
/// contacts, no Markdown syntax, and no line over 72 columns but addresses.
#[test]
fn text_versions_of_the_press_release() {
    let dir = tempfile::tempdir().unwrap();
    let statement = broadside::load::EXAMPLE_TOML.replacen(
        "[poster]",
        "place = \"Washington\"\nurl = \"https://example.org/statement\"\n\n[[contacts]]\nname = \"Ana <script>alert(1)</script>\"\nemail = \"press@example.org\"\n\n[[quotes]]\ntext = \"No one should be forgotten. #panic(\\\"x\\\") *not bold*\"\nname = \"Jane Roe\"\nrole = \"Director\"\n\n[poster]",
        1,
    );
    std::fs::write(dir.path().join("s.toml"), statement).unwrap();
    broadside_ok(
        dir.path(),
        &[
            "build",
            "s.toml",
            "--format",
            "pdf,txt,html,md",
            "--out",
            "out",
        ],
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join("out").join(name)).unwrap();
    assert!(dir.path().join("out/press-release.pdf").exists());

    let txt = read("press-release.txt");
    crate::pdf::assert_in_order(
        &txt,
        &[
            "FOR IMMEDIATE RELEASE",
            "Joint Statement on the International Day of Political Prisoners",
            "WASHINGTON, October 30, 2025 — On this International Day",
            "No one should be forgotten.",
            "— Jane Roe, Director",
            "SIGNATORIES",
            "1. McCain Institute",
            "29. World Liberty Congress",
            "###",
            "MEDIA CONTACT",
            "press@example.org",
        ],
    );
    for line in txt.lines() {
        assert!(
            line.chars().count() <= 72 || line.contains("://"),
            "over 72 columns: {line}"
        );
    }
    // What the statement says is printed as written, Typst syntax too;
    // Markdown's own syntax is not.
    assert!(
        txt.contains("#panic(\"x\")"),
        "the quote as written:\n{txt}"
    );
    for leftover in ["](", "[", "<p>", "**"] {
        assert!(!txt.contains(leftover), "`{leftover}` in the text version");
    }

    let html = read("press-release.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("Ana &lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || html.contains("Ana &lt;script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script"), "scripts in the HTML");
    assert!(
        html.contains("#panic(&quot;x&quot;)") || html.contains("#panic(\"x\")"),
        "the quote's Typst syntax, as text: {html}"
    );
    assert!(html.contains("No one should be forgotten."));
    assert!(
        !html.contains("src=\"http"),
        "nothing loaded from elsewhere"
    );
    // Every tag that opens closes, in order.
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html.as_str();
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').expect("tags close");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if matches!(name.as_str(), "meta" | "br") {
            continue;
        }
        if tag.starts_with('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.as_str()),
                "unbalanced </{name}>"
            );
        } else {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");

    let md = read("press-release.md");
    assert!(md.contains("# Joint Statement on the International Day of Political Prisoners"));
    assert!(md.contains("1. McCain Institute"));
    assert!(md.contains("Ana \\<script\\>"), "{md}");
}

/// The annex and every letter carry the signatory list as data, which
/// `broadside signatories` reads back; every PDF names its author and keywords.
#[test]
fn the_signatory_list_travels_as_data_and_metadata_is_set() {
    let dir = tempfile::tempdir().unwrap();
    broadside_ok(dir.path(), &["build", "--out", "out"]);
    let out = broadside_ok(dir.path(), &["signatories", "out/annex.pdf"]);
    let csv = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("number,name,group,country,url"));
    let names: Vec<String> = lines
        .map(|l| l.split(',').nth(1).unwrap().trim_matches('"').to_owned())
        .collect();
    assert_eq!(names, crate::example_names());
    let out = broadside_ok(dir.path(), &["signatories", "out/annex.pdf", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["name"], "McCain Institute");
    assert_eq!(json[0]["group"], "Conveners");
    assert!(json[0].get("consent").is_none(), "never the consent record");

    for name in ["press-release", "poster", "annex"] {
        let pdf = crate::pdf::Pdf::parse(
            &std::fs::read(dir.path().join(format!("out/{name}.pdf"))).unwrap(),
        );
        let author = pdf.info(b"Author").unwrap_or_default();
        assert!(
            author.contains("Signed by 29 organizations"),
            "{name}: author {author:?}"
        );
        let keywords = pdf.info(b"Keywords").unwrap_or_default();
        assert!(
            keywords.contains("2025-10-30"),
            "{name}: keywords {keywords:?}"
        );
    }
    let out = crate::cli::broadside(dir.path(), &["signatories", "out/poster.pdf"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("carries no signatories.csv"));
}

/// `--eml` writes a draft a mail client opens: the subject, the text and HTML
/// versions as alternatives, the press release attached.
#[test]
fn the_email_draft_parses_with_both_versions_and_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    broadside_ok(
        dir.path(),
        &["build", "--eml", "--only", "press-release", "--out", "out"],
    );
    let bytes = std::fs::read(dir.path().join("out/press-release.eml")).unwrap();
    let message = mail_parser::MessageParser::default()
        .parse(&bytes)
        .expect("a message");
    assert_eq!(
        message.subject(),
        Some("Joint Statement on the International Day of Political Prisoners")
    );
    assert!(message.from().is_none(), "no sender filled in");
    let text = message.body_text(0).unwrap();
    assert!(text.contains("FOR IMMEDIATE RELEASE") && text.contains("29. World Liberty Congress"));
    let html = message.body_html(0).unwrap();
    assert!(html.contains("<h1") && html.contains("World Liberty Congress"));
    let attachment = message.attachment(0).expect("the PDF");
    assert_eq!(attachment.attachment_name(), Some("press-release.pdf"));
    assert!(attachment.contents().starts_with(b"%PDF-"));
    let pdf = std::fs::read(dir.path().join("out/press-release.pdf")).unwrap();
    assert_eq!(attachment.contents(), pdf.as_slice());
    // Only what was asked for is written beside it.
    assert!(!dir.path().join("out/press-release.txt").exists());
}

/// The XMP metadata stream of a PDF's catalog.
fn xmp(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let id = doc
        .catalog()
        .unwrap()
        .get(b"Metadata")
        .and_then(lopdf::Object::as_reference)
        .expect("a metadata stream");
    let stream = doc.get_object(id).unwrap().as_stream().unwrap();
    String::from_utf8_lossy(
        &stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone()),
    )
    .into_owned()
}

/// The alternative texts of every Figure in a structure tree.
fn figures(
    doc: &lopdf::Document,
    node: &lopdf::Object,
    out: &mut Vec<Option<String>>,
    depth: usize,
) {
    assert!(depth < 64, "the structure tree nests too deeply");
    let node = match node {
        lopdf::Object::Reference(id) => doc.get_object(*id).unwrap(),
        other => other,
    };
    match node {
        lopdf::Object::Array(items) => {
            for item in items {
                figures(doc, item, out, depth + 1);
            }
        }
        lopdf::Object::Dictionary(dict) => {
            if dict.get(b"S").and_then(lopdf::Object::as_name).ok() == Some(b"Figure".as_slice()) {
                let alt = dict.get(b"Alt").ok().and_then(|a| match a {
                    lopdf::Object::String(bytes, _) => Some(crate::pdf::decode_pdf_string(bytes)),
                    _ => None,
                });
                out.push(alt);
            }
            if let Ok(kids) = dict.get(b"K") {
                figures(doc, kids, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// `--pdf-standard`: PDF/A-3b files say so in their metadata, carry an
/// output intent and keep the signatory list attached; PDF/A-2b leaves the
/// attachment out (and says why); PDF/UA-1 is declared; CMYK with PDF/A is
/// refused with what to do. (Typst itself refuses to write a file that breaks
/// a standard it was asked for.)
#[test]
fn archival_and_accessible_standards() {
    let dir = tempfile::tempdir().unwrap();
    broadside_ok(
        dir.path(),
        &["build", "--pdf-standard", "a-3b", "--out", "a3"],
    );
    let annex = std::fs::read(dir.path().join("a3/annex.pdf")).unwrap();
    let meta = xmp(&annex);
    assert!(
        meta.contains("<pdfaid:part>3</pdfaid:part>")
            && meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{meta}"
    );
    let doc = lopdf::Document::load_mem(&annex).unwrap();
    assert!(doc.catalog().unwrap().has(b"OutputIntents"));
    let files = broadside::pdf::embedded::files(&annex, "annex").unwrap();
    assert!(files.iter().any(|(n, _)| n == "signatories.csv"));

    let out = broadside_ok(
        dir.path(),
        &["build", "--pdf-standard", "a-2b", "--out", "a2"],
    );
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("PDF/A-1 and PDF/A-2 allow no attached files")
    );
    let annex = std::fs::read(dir.path().join("a2/annex.pdf")).unwrap();
    assert!(xmp(&annex).contains("<pdfaid:part>2</pdfaid:part>"));
    assert!(
        broadside::pdf::embedded::files(&annex, "annex")
            .unwrap()
            .is_empty()
    );

    broadside_ok(
        dir.path(),
        &["build", "--pdf-standard", "a-2a,ua-1", "--out", "ua"],
    );
    for name in ["press-release", "poster", "annex"] {
        let bytes = std::fs::read(dir.path().join(format!("ua/{name}.pdf"))).unwrap();
        let meta = xmp(&bytes);
        assert!(
            meta.contains("<pdfuaid:part>1</pdfuaid:part>"),
            "{name}: {meta}"
        );
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        assert!(
            doc.catalog().unwrap().has(b"StructTreeRoot"),
            "{name} is tagged"
        );
        assert!(
            doc.catalog().unwrap().has(b"Lang"),
            "{name} names its language"
        );
    }

    // PDF/A-3b and PDF/A-2a (accessible conformance) on every document,
    // not only the annex.
    for (standard, part, conformance) in [("a-3b", "3", "B"), ("a-2a", "2", "A")] {
        let out_dir = format!("all-{standard}");
        broadside_ok(
            dir.path(),
            &["build", "--pdf-standard", standard, "--out", &out_dir],
        );
        for name in ["press-release", "poster", "annex"] {
            let bytes = std::fs::read(dir.path().join(format!("{out_dir}/{name}.pdf"))).unwrap();
            let meta = xmp(&bytes);
            assert!(
                meta.contains(&format!("<pdfaid:part>{part}</pdfaid:part>"))
                    && meta.contains(&format!(
                        "<pdfaid:conformance>{conformance}</pdfaid:conformance>"
                    )),
                "{standard} {name}: {meta}"
            );
            let doc = lopdf::Document::load_mem(&bytes).unwrap();
            assert!(
                doc.catalog().unwrap().has(b"OutputIntents"),
                "{standard} {name}: an output intent"
            );
        }
    }

    // Logos carry alternative text in the tagged files: the coalition's in
    // the press release, each signatory's on the poster.
    let logo = image::RgbaImage::from_pixel(60, 30, image::Rgba([20, 60, 160, 255]));
    logo.save(dir.path().join("logo.png")).unwrap();
    let with_logos = broadside::load::EXAMPLE_TOML.replacen(
        "[[signatories]]\nname = \"McCain Institute\"",
        "[[signatories]]\nname = \"McCain Institute\"\nlogo = \"logo.png\"",
        1,
    ) + "\n[organisation]\nname = \"Example Coalition\"\nlogo = \"logo.png\"\n";
    assert!(with_logos.contains("logo = \"logo.png\"\n"));
    std::fs::write(dir.path().join("logos.toml"), with_logos).unwrap();
    broadside_ok(
        dir.path(),
        &[
            "build",
            "logos.toml",
            "--pdf-standard",
            "a-2a,ua-1",
            "--out",
            "logos",
        ],
    );
    for name in ["press-release", "poster"] {
        let bytes = std::fs::read(dir.path().join(format!("logos/{name}.pdf"))).unwrap();
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        let mut alts = Vec::new();
        let root = doc
            .catalog()
            .unwrap()
            .get(b"StructTreeRoot")
            .unwrap()
            .clone();
        figures(&doc, &root, &mut alts, 0);
        assert!(!alts.is_empty(), "{name}: the logo is tagged as a figure");
        for alt in &alts {
            assert!(
                alt.as_deref().is_some_and(|a| !a.trim().is_empty()),
                "{name}: a figure without alternative text: {alts:?}"
            );
        }
    }

    let out = crate::cli::broadside(
        dir.path(),
        &["build", "--pdf-standard", "a-2b", "--cmyk", "--out", "c"],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("output intent") && stderr.contains("Build the archival copy in RGB"),
        "{stderr}"
    );
    let out = crate::cli::broadside(
        dir.path(),
        &["build", "--pdf-standard", "x-9", "--out", "c"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && stderr.contains("invalid value 'x-9' for '--pdf-standard")
            && stderr.contains("a-3b")
            && stderr.contains("ua-1"),
        "{stderr}"
    );
}

/// A consent record is kept for the coalition and leaves the statement in
/// no output: not in a PDF's text or its embedded list, not in the text
/// versions or the email draft, not in `broadside signatories`.
#[test]
fn consent_records_reach_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let statement = broadside::load::EXAMPLE_TOML.replacen(
        "name = \"McCain Institute\"\ngroup = \"Conveners\"\n",
        "name = \"McCain Institute\"\ngroup = \"Conveners\"\n[signatories.consent]\nby = \"Zora Secretperson, Director\"\ncontact = \"zora.secret@consent.example\"\ndate = \"2025-10-01\"\nmethod = \"signed form\"\nwording = \"We agree to the secret wording\"\n",
        1,
    );
    assert_ne!(
        statement,
        broadside::load::EXAMPLE_TOML,
        "the fixture changed the list"
    );
    std::fs::write(dir.path().join("s.toml"), &statement).unwrap();
    broadside_ok(
        dir.path(),
        &[
            "build",
            "s.toml",
            "--format",
            "pdf,txt,html,md",
            "--eml",
            "--out",
            "out",
        ],
    );
    let secrets = [
        "Secretperson",
        "zora.secret",
        "consent.example",
        "secret wording",
        "signed form",
    ];
    let mut outputs: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(dir.path().join("out")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let text = if name.ends_with(".pdf") {
            crate::pdf::Pdf::parse(&bytes).text()
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        outputs.push((name, text));
    }
    let listed = broadside_ok(dir.path(), &["signatories", "out/annex.pdf", "--json"]);
    outputs.push((
        "signatories --json".into(),
        String::from_utf8_lossy(&listed.stdout).into_owned(),
    ));
    assert!(
        outputs.len() >= 8,
        "{:?}",
        outputs.iter().map(|o| &o.0).collect::<Vec<_>>()
    );
    for (name, text) in &outputs {
        if ["annex.pdf", "press-release.txt", "signatories --json"].contains(&name.as_str()) {
            assert!(
                text.contains("McCain Institute"),
                "{name} lists the signatory"
            );
        }
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{name} carries the consent record's `{secret}`"
            );
        }
    }
}
