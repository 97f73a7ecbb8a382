//! A long annex laid out in pieces side by side, against the same list laid
//! out whole: the same entries on the same pages, numbered straight
//! through, the tagged reading order whole. Pieces are made small here
//! (`PieceSize::Entries`) so that lists of hundreds of names have many
//! joins; the length at which `build` begins to use them is a benchmark's
//! matter (benches/scale.rs).

use broadside::{BuildRequest, Document, DocumentKind, Engine, EngineOptions, Layout, PieceSize};

use crate::load_toml;
use crate::pdf::{Pdf, squash};
use crate::scale::generate::letters;

/// A list whose names take one to five lines, in groups of uneven sizes
/// (so headings fall at the feet of columns, pages and pieces), about
/// one in three with a country. Deterministic: `seed` picks the shapes.
fn statement(count: usize, seed: u64, language: &str) -> (String, Vec<String>) {
    statement_in_groups(count, seed, language, &[1, 3, 9, 40, 120])
}

/// The same, with groups of the sizes given (picked at random).
fn statement_in_groups(
    count: usize,
    seed: u64,
    language: &str,
    sizes: &[usize],
) -> (String, Vec<String>) {
    const WORDS: [&str; 12] = [
        "Human",
        "Rights",
        "Centre",
        "Memorial",
        "Lawyers",
        "Committee",
        "Initiative",
        "Freedom",
        "Press",
        "Defenders",
        "Association",
        "Justice",
    ];
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut next = move |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % n) as usize
    };
    let mut text = format!(
        "title = \"Joint statement of many organisations\"\ndate = 2026-10-30\nlanguage = \"{language}\"\nbody = \"One line of body.\"\n"
    );
    let mut names = Vec::with_capacity(count);
    let mut group = 0;
    let mut left_in_group = 0;
    for i in 0..count {
        if left_in_group == 0 {
            group += 1;
            left_in_group = sizes[next(sizes.len() as u64)];
        }
        left_in_group -= 1;
        // A name distinct from every other (its index in letters), then
        // words enough for one line, two, three, or a name kept whole.
        let id = letters(i);
        let words = [0, 1, 2, 4, 7, 12, 26][next(7)];
        let mut name = format!("Org{id}");
        for _ in 0..words {
            name.push(' ');
            name.push_str(WORDS[next(WORDS.len() as u64)]);
        }
        text.push_str(&format!(
            "\n[[signatories]]\nname = \"{name}\"\ngroup = \"Group {group}\"\n"
        ));
        if next(3) == 0 {
            text.push_str("country = \"Georgia\"\n");
        }
        names.push(name);
    }
    (text, names)
}

fn annex(text: &str, pieces: PieceSize, layout: Layout) -> Document {
    let options = EngineOptions {
        pieces,
        ..EngineOptions::default()
    };
    annex_with(text, &options, layout)
}

/// The annex of `text`, built by an engine with `options`.
fn annex_with(text: &str, options: &EngineOptions, layout: Layout) -> Document {
    let dir = tempfile::tempdir().unwrap();
    let loaded = load_toml(dir.path(), text).unwrap();
    let engine = Engine::with_options(options).unwrap();
    let request = BuildRequest {
        documents: vec![DocumentKind::Annex],
        layout,
        ..BuildRequest::default()
    };
    engine
        .build(&loaded.statement, &request)
        .unwrap()
        .pop()
        .unwrap()
}

/// The pieces' annex has the whole layout's pages, page for page, and was
/// made of more than one piece (a fallback to one layout would pass the
/// comparison and prove nothing).
fn assert_same_pages(text: &str, per: usize, layout: Layout, what: &str) -> (Pdf, Document) {
    let whole = annex(text, PieceSize::Whole, layout.clone());
    let pieces = annex(text, PieceSize::Entries(per), layout);
    assert_eq!(whole.pieces, 1, "{what}");
    assert!(
        pieces.pieces > 1,
        "{what}: laid out in {} piece(s)",
        pieces.pieces
    );
    // Most entries' lines were counted, not laid out in a trial (a count
    // that Typst's trial disagreed with would fall back to trials of every
    // piece, slower and still right).
    let entries = text.matches("[[signatories]]").count();
    assert!(
        pieces.counted * 2 > entries,
        "{what}: {} entries of {entries} counted",
        pieces.counted
    );
    let (a, b) = (Pdf::parse(&whole.pdf), Pdf::parse(&pieces.pdf));
    assert_eq!(a.page_count(), b.page_count(), "{what}: pages");
    assert_eq!(pieces.pages, b.page_count(), "{what}: pages reported");
    for page in 1..=a.page_count() as u32 {
        let (x, y) = (a.page_text(page), b.page_text(page));
        assert!(
            x == y,
            "{what}: page {page} differs\n--- whole\n{x}\n--- pieces\n{y}"
        );
        // Where the text is, too: the runs' positions, to a hundredth of a point.
        let at = |pdf: &Pdf| -> Vec<(i64, i64)> {
            pdf.runs(page)
                .iter()
                .map(|r| ((r.x * 100.0).round() as i64, (r.y * 100.0).round() as i64))
                .collect()
        };
        assert_eq!(at(&a), at(&b), "{what}: page {page}'s text has moved");
    }
    (b, pieces)
}

/// 1,500 names in many pieces: page for page the whole layout; every name
/// once and in order in the reading order a screen reader follows (the
/// pieces' structure trees are joined); pages numbered straight through;
/// qpdf finds the file whole.
#[test]
fn pieces_set_the_same_pages_as_one_layout() {
    let (text, names) = statement(1_500, 7, "en");
    let (pdf, annex) = assert_same_pages(&text, 150, Layout::default(), "1,500 names");
    assert!(annex.pieces >= 5, "{} pieces", annex.pieces);
    let pages = pdf.page_count();
    for page in 1..=pages as u32 {
        let footer = format!("Page {page} of {pages}");
        assert!(
            pdf.page_text(page).contains(&footer),
            "page {page} is not numbered `{footer}`"
        );
    }
    // The tagged reading order: every entry once, in order.
    let tagged = squash(&pdf.tagged_text());
    let mut from = 0;
    for (i, name) in names.iter().enumerate() {
        let needle = format!("{}.{}", i + 1, squash(name));
        match tagged[from..].find(&needle) {
            Some(at) => from += at + needle.len(),
            None => panic!(
                "entry {} is missing from the reading order or out of it",
                i + 1
            ),
        }
    }
    // And back: from each page's marked content to its element.
    let problems = pdf.parent_tree_problems();
    assert!(
        problems.is_empty(),
        "the parent tree has {} problems: {:?}",
        problems.len(),
        &problems[..problems.len().min(8)]
    );
    // No array in the file grows with the list: each piece's elements are
    // a `Div` of their own, its parent-tree entries a leaf (a flat list
    // of 100,000 names had an array pypdf refuses to read).
    let mut longest = 0;
    for object in pdf.doc.objects.values() {
        let mut stack = vec![object];
        while let Some(o) = stack.pop() {
            match o {
                lopdf::Object::Array(a) => {
                    longest = longest.max(a.len());
                    stack.extend(a.iter());
                }
                lopdf::Object::Dictionary(d) => stack.extend(d.iter().map(|(_, v)| v)),
                _ => {}
            }
        }
    }
    assert!(longest < 1_000, "an array of {longest} elements");
    let opening: String = pdf.tagged_text().chars().take(60).collect();
    assert!(
        opening.starts_with("Annex: Signatories\nJoint statement of many organisations"),
        "the title opens the reading order: {opening:?}"
    );
    qpdf_check(&annex.pdf);
}

/// Lengths around the piece size and its multiples, in groups of one to
/// three names (a heading every two entries, so headings reach the feet of
/// columns and pages): where a piece ends, a page ends, and where the list
/// ends, the pages are the whole layout's, and no heading ends a column.
#[test]
fn lengths_around_the_piece_size_set_the_same_pages() {
    for (count, seed) in [
        (260, 1),
        (299, 2),
        (300, 3),
        (301, 4),
        (345, 5),
        (399, 6),
        (401, 7),
    ] {
        let (text, _) = statement_in_groups(count, seed, "en", &[1, 2, 3]);
        let (pdf, _) = assert_same_pages(&text, 100, Layout::default(), &format!("{count} names"));
        let mut headings = 0;
        for page in 1..=pdf.page_count() as u32 {
            let lines: Vec<String> = pdf.page_text(page).lines().map(str::to_owned).collect();
            headings += lines.iter().filter(|l| l.starts_with("GROUP ")).count();
            // The page's last line of the list (before the footer) is an
            // entry, never a group's heading.
            let last = lines
                .iter()
                .rev()
                .find(|l| !l.starts_with("Page "))
                .cloned();
            assert!(
                last.as_deref().is_some_and(|l| !l.starts_with("GROUP ")),
                "{count} names: page {page} ends on a heading: {last:?}"
            );
        }
        // (Headings are read as lines of their own, or the check above
        // could not fail.)
        assert!(
            headings > count / 3,
            "{count} names: {headings} headings read"
        );
    }
}

/// Landscape paper in three columns, and Farsi set right to left.
#[test]
fn pieces_keep_landscape_columns_and_right_to_left() {
    let (text, _) = statement(700, 11, "en");
    let landscape = Layout {
        annex_landscape: true,
        ..Layout::default()
    };
    assert_same_pages(&text, 120, landscape, "landscape");
    let (text, _) = statement(500, 12, "fa");
    assert_same_pages(&text, 120, Layout::default(), "Farsi");
}

fn qpdf_check(bytes: &[u8]) {
    let Some(qpdf) = crate::daykit::which("qpdf") else {
        crate::skip_or_fail(
            "pieces_set_the_same_pages_as_one_layout",
            "qpdf is not installed",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annex.pdf");
    std::fs::write(&path, bytes).unwrap();
    crate::daykit::qpdf_check(&qpdf, &path, "the annex in pieces");
}

/// Pieces set by worker processes (the `broadside` command started again,
/// as `build` does): page for page the layout of the whole list, with most
/// pieces set by the workers. On one core no worker is started.
#[test]
fn pieces_set_in_worker_processes_are_the_same_pages() {
    let (text, _) = statement(1_200, 11, "en");
    let whole = annex(&text, PieceSize::Whole, Layout::default());
    let options = EngineOptions {
        pieces: PieceSize::Entries(150),
        workers: Some(env!("CARGO_BIN_EXE_broadside").into()),
        ..EngineOptions::default()
    };
    let pieces = annex_with(&text, &options, Layout::default());
    assert!(pieces.pieces > 4, "{} pieces", pieces.pieces);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if cores > 1 {
        // This process sets the first piece and one of every `cores`
        // after it, at most; the workers set the rest.
        assert!(
            pieces.by_workers * 3 >= pieces.pieces,
            "{} of {} pieces set by workers",
            pieces.by_workers,
            pieces.pieces
        );
    } else {
        crate::skip_or_fail(
            "pieces_set_in_worker_processes",
            "one core: no worker process is started",
        );
    }
    assert_same_text(&whole, &pieces);
    qpdf_check(&pieces.pdf);
}

/// A worker that stops at once (here `false`, which reads nothing and
/// exits) leaves its pieces to the building process: the same pages, none
/// set by a worker, and no error.
#[test]
fn a_worker_that_stops_leaves_its_pieces_to_the_build() {
    let Some(stops) = ["/bin/false", "/usr/bin/false"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
    else {
        crate::skip_or_fail("a_worker_that_stops", "no `false` command");
        return;
    };
    let (text, _) = statement(600, 5, "en");
    let whole = annex(&text, PieceSize::Whole, Layout::default());
    let options = EngineOptions {
        pieces: PieceSize::Entries(100),
        workers: Some(stops.into()),
        ..EngineOptions::default()
    };
    let pieces = annex_with(&text, &options, Layout::default());
    assert!(pieces.pieces > 3, "{} pieces", pieces.pieces);
    assert_eq!(pieces.by_workers, 0);
    assert_same_text(&whole, &pieces);
}

/// `pieces` has `whole`'s pages, with the same text on each.
fn assert_same_text(whole: &Document, pieces: &Document) {
    let (a, b) = (Pdf::parse(&whole.pdf), Pdf::parse(&pieces.pdf));
    assert_eq!(a.page_count(), b.page_count());
    for page in 1..=a.page_count() as u32 {
        assert_eq!(a.page_text(page), b.page_text(page), "page {page}");
    }
}

/// Names of four lines (a long word each, in capitals), short enough in
/// characters that the old rule (three lines hold about 90 of them) left
/// them free to break two and two across columns, as the whole layout did where one reached a
/// column's foot; the pieces' page breaks keep every entry whole, so each
/// such page differed and a million-name annex (whose seven-digit numbers
/// narrow the names' lines) fell back to one layout and ran out of time.
/// Kept whole now, the pieces set the whole layout's pages.
#[test]
fn names_of_four_lines_are_kept_whole_in_their_column() {
    let mut text = String::from(
        "title = \"Joint statement\"\ndate = 2026-10-30\nlanguage = \"en\"\nbody = \"One line of body.\"\n",
    );
    let count = 1_500;
    for i in 0..count {
        let name = if i % 7 == 3 || i % 11 == 5 || i % 13 == 8 {
            format!(
                "ORG{} INTERNATIONALES PROFESSIONNELLE RECONSTRUCTIONS ADMINISTRATIONS",
                letters(i).to_uppercase()
            )
        } else {
            format!("Org{} Rights", letters(i))
        };
        assert!(name.len() < 80, "{name}");
        text.push_str(&format!("\n[[signatories]]\nname = \"{name}\"\n"));
    }
    let (pdf, _) = assert_same_pages(&text, 150, Layout::default(), "names of four lines");
    // Each long name's four lines sit one under the other in one column:
    // the runs from its first word to its last share their left edge and
    // go down the page.
    let mut long = 0;
    for page in 1..=pdf.page_count() as u32 {
        let runs: Vec<_> = pdf
            .runs(page)
            .into_iter()
            .filter(|r| !r.text.trim().is_empty())
            .collect();
        for (k, run) in runs.iter().enumerate() {
            if !run.text.starts_with("ORG") {
                continue;
            }
            let end = runs[k..]
                .iter()
                .position(|r| r.text.contains("ADMINISTRATIONS"))
                .map(|n| k + n)
                .unwrap_or_else(|| panic!("page {page}: {:?} ends off the page", run.text));
            let lines: Vec<(f64, f64)> = runs[k..=end].iter().map(|r| (r.x, r.y)).collect();
            assert!(
                lines.len() >= 4,
                "page {page}: {:?} was set in {} lines, not four",
                run.text,
                lines.len()
            );
            assert!(
                lines
                    .windows(2)
                    .all(|w| (w[0].0 - w[1].0).abs() < 0.5 && w[1].1 != w[0].1),
                "page {page}: {:?} breaks between columns: {lines:?}",
                run.text
            );
            long += 1;
        }
    }
    assert!(long > 150, "{long} long names read");
}

/// A list whose names lengthen after the first trial's entries (as a
/// generated or alphabetical list's do): entries of two lines, and of a
/// country alone on its last line, are shapes the trial of the first 400
/// did not show. They are still counted, not laid out twice, and the pages
/// are the whole layout's.
#[test]
fn shapes_the_first_entries_do_not_show_are_counted() {
    let mut text = String::from(
        "title = \"Joint statement\"\ndate = 2026-10-30\nlanguage = \"en\"\nbody = \"One line of body.\"\n",
    );
    let count = 1_400;
    for i in 0..count {
        let id = letters(i);
        // One short line each for the first 500; then names of one to
        // three lines, and a long country after a full line of name.
        let (name, country) = match (i >= 500, i % 4) {
            (false, _) => (format!("Org{id} Rights"), (i % 3 == 0).then_some("Georgia")),
            (true, 0) => (format!("Org{id} Centre for Human Rights and Freedom"), None),
            (true, 1) => (
                format!("Org{id} Committee of Lawyers for the Defence of Human Rights and Justice"),
                None,
            ),
            (true, 2) => (
                format!("Org{id} Association of Defenders"),
                Some("Bosnia and Herzegovina"),
            ),
            _ => (format!("Org{id} Press Freedom"), Some("Georgia")),
        };
        text.push_str(&format!("\n[[signatories]]\nname = \"{name}\"\n"));
        if let Some(country) = country {
            text.push_str(&format!("country = \"{country}\"\n"));
        }
    }
    let (_, annex) = assert_same_pages(&text, 300, Layout::default(), "names that lengthen");
    assert!(
        annex.counted * 100 >= count * 95,
        "{} of {count} entries counted",
        annex.counted
    );
}
