//! Where the list's entries land, read back from the PDFs: numbers run down
//! each column, then the next column, page by page; columns end together;
//! nothing comes near a poster's trim; the annex's header keeps its date.

use broadside::load::statement::{GroupBy, PosterSize};
use broadside::resolve::data::Layout;
use broadside::{BuildRequest, Document, DocumentKind};

use crate::pdf::{Pdf, Run, mm};
use crate::{ENGINE, load_toml};

/// Names that wrap: every third is long enough for three or four lines of
/// an annex column. All distinct, none with a digit.
fn names(count: usize) -> Vec<String> {
    names_every(count, 3)
}

/// Names of which every `every`th is long, the others short.
fn names_every(count: usize, every: usize) -> Vec<String> {
    const SYLLABLES: [&str; 12] = [
        "ka", "lo", "mi", "ne", "ra", "tu", "vo", "zen", "shi", "dor", "fa", "pel",
    ];
    (0..count)
        .map(|i| {
            let mut word = String::new();
            let mut n = i;
            loop {
                word.push_str(SYLLABLES[n % 12]);
                n /= 12;
                if n == 0 {
                    break;
                }
            }
            let word = word[..1].to_uppercase() + &word[1..];
            match i % every {
                0 => format!(
                    "{word} Association for Economic, Social and Cultural Rights in the Region of the Great Lakes"
                ),
                1 => format!("{word} Network"),
                _ => format!("Committee {word} for Trade Justice"),
            }
        })
        .collect()
}

/// A statement of these names, in groups when asked (a third, then the
/// rest), every fourth with a country.
fn statement(title: &str, names: &[String], groups: bool, extra: &str) -> String {
    let mut out = format!(
        "title = {title:?}\ndate = 2020-04-30\nlanguage = \"en\"\nbody = \"\"\"\n{}\"\"\"\n{extra}\n",
        "A paragraph of the letter, long enough to take some lines of the page. ".repeat(8)
            + "\n\n"
    );
    for (i, name) in names.iter().enumerate() {
        out.push_str(&format!("\n[[signatories]]\nname = {name:?}\n"));
        if groups {
            let group = if i < names.len() / 3 {
                "International"
            } else {
                "National"
            };
            out.push_str(&format!("group = \"{group}\"\n"));
        }
        if i % 4 == 0 {
            out.push_str("country = \"Australia\"\n");
        }
    }
    out
}

fn build(text: &str, kind: DocumentKind, layout: Layout) -> Document {
    let dir = tempfile::tempdir().unwrap();
    let loaded = load_toml(dir.path(), text).unwrap();
    let request = BuildRequest {
        documents: vec![kind],
        layout,
        ..BuildRequest::default()
    };
    ENGINE.build(&loaded.statement, &request).unwrap().remove(0)
}

/// A numbered entry: its number, and where it begins (x, y from the top).
type Entry = (usize, f64, f64);

/// An entry's number as the list prints it: "12." (padded with figure spaces).
fn number_of(run: &Run) -> Option<usize> {
    let t: String = run
        .text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{2007}' && *c != '\u{a0}')
        .collect();
    t.strip_suffix('.')?.parse().ok()
}

/// The numbered entries of a page: (number, x, y from the top).
fn entries(pdf: &Pdf, page: u32) -> Vec<Entry> {
    let height = pdf.page_box(page, b"MediaBox").unwrap()[3];
    pdf.runs(page)
        .iter()
        .filter_map(|r| number_of(r).map(|n| (n, r.x, height - r.y)))
        .collect()
}

/// The x positions where a page's columns begin (numbers right-aligned by
/// figure spaces start at one x per column).
fn columns(es: &[Entry]) -> Vec<f64> {
    let mut xs: Vec<f64> = es.iter().map(|e| e.1).collect();
    xs.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for x in xs {
        if out.last().is_none_or(|l| x - l > 40.0) {
            out.push(x);
        }
    }
    out
}

fn column_of(cols: &[f64], x: f64) -> usize {
    cols.iter().rposition(|c| x >= c - 1.0).unwrap_or(0)
}

/// Reads the list page by page, group by group (`group_of` the number's
/// group), column by column, top to bottom, and asserts the numbers run
/// 1, 2, 3, ... `count`; also that the page's content shows them in that
/// order (text extraction, and the order the tags follow). Returns the
/// entries of each page.
fn assert_reads_in_order(
    pdf: &Pdf,
    group_of: &dyn Fn(usize) -> usize,
    count: usize,
    what: &str,
) -> Vec<Vec<Entry>> {
    let mut order = Vec::new();
    let mut pages = Vec::new();
    for page in 1..=pdf.page_count() as u32 {
        let es: Vec<_> = entries(pdf, page)
            .into_iter()
            .filter(|e| e.0 >= 1 && e.0 <= count)
            .collect();
        let in_content: Vec<usize> = es.iter().map(|e| e.0).collect();
        let mut sorted = in_content.clone();
        sorted.sort();
        assert_eq!(in_content, sorted, "{what}: page {page}'s content order");
        let mut bands: Vec<(usize, Vec<Entry>)> = Vec::new();
        for e in &es {
            let g = group_of(e.0);
            match bands.iter_mut().find(|b| b.0 == g) {
                Some(b) => b.1.push(*e),
                None => bands.push((g, vec![*e])),
            }
        }
        bands.sort_by_key(|b| b.0);
        for (_, mut band) in bands {
            let cols = columns(&band);
            band.sort_by(|a, b| {
                (column_of(&cols, a.1), a.2)
                    .partial_cmp(&(column_of(&cols, b.1), b.2))
                    .unwrap()
            });
            order.extend(band.iter().map(|e| (page, e.0)));
        }
        pages.push(es);
    }
    for (k, (page, n)) in order.iter().enumerate() {
        assert_eq!(
            *n,
            k + 1,
            "{what}: entry {n} (page {page}) reads where {} should",
            k + 1
        );
    }
    assert_eq!(order.len(), count, "{what}: every entry is found once");
    pages
}

/// The last page's columns: for each, where its last entry begins and
/// where its text ends (points from the top).
fn feet(pdf: &Pdf, page: u32) -> Vec<(f64, f64)> {
    let es = entries(pdf, page);
    let cols = columns(&es);
    let height = pdf.page_box(page, b"MediaBox").unwrap()[3];
    let footer = height - mm(24.0);
    let runs = pdf.runs(page);
    (0..cols.len())
        .map(|c| {
            let last = es
                .iter()
                .filter(|e| column_of(&cols, e.1) == c)
                .map(|e| e.2)
                .fold(f64::MIN, f64::max);
            let (from, to) = (cols[c] - 1.0, cols.get(c + 1).map_or(f64::MAX, |x| x - 1.0));
            let end = runs
                .iter()
                .filter(|r| r.x >= from && r.x < to && height - r.y < footer)
                .map(|r| height - r.y)
                .fold(f64::MIN, f64::max);
            (last, end)
        })
        .collect()
}

/// The tallest entry of a page: the most one entry's start lies below the
/// one before it, in a column.
fn tallest(pdf: &Pdf, page: u32) -> f64 {
    let es = entries(pdf, page);
    let cols = columns(&es);
    let mut tallest: f64 = 0.0;
    for c in 0..cols.len() {
        let mut ys: Vec<f64> = es
            .iter()
            .filter(|e| column_of(&cols, e.1) == c)
            .map(|e| e.2)
            .collect();
        ys.sort_by(f64::total_cmp);
        for w in ys.windows(2) {
            tallest = tallest.max(w[1] - w[0]);
        }
    }
    tallest
}

#[test]
fn the_release_list_reads_in_order_across_a_page_break() {
    // Bodies of many lengths, so that the list starts at many heights on
    // its page and runs over the break.
    let names = names(60);
    let group = |n: usize| usize::from(n > 20);
    let mut over = 0;
    for sentences in (10..=70).step_by(6) {
        let text = statement("Statement", &names, true, "").replacen(
            "A paragraph",
            &"A long paragraph of the letter that fills the first page. ".repeat(sentences),
            1,
        );
        let release = build(&text, DocumentKind::PressRelease, Layout::default());
        assert!(release.warnings.is_empty(), "{:?}", release.warnings);
        let pdf = Pdf::parse(&release.pdf);
        let pages = assert_reads_in_order(&pdf, &group, 60, "release");
        over += usize::from(pages.iter().filter(|p| !p.is_empty()).count() >= 2);
        // A group's part of a page is set in two columns that end together.
        for (k, es) in pages.iter().enumerate() {
            for g in 0..2 {
                let part: Vec<_> = es.iter().filter(|e| group(e.0) == g).copied().collect();
                if part.len() < 6 {
                    continue;
                }
                let cols = columns(&part);
                assert_eq!(cols.len(), 2, "page {}: two columns", k + 1);
                let last = |c: usize| {
                    part.iter()
                        .filter(|e| column_of(&cols, e.1) == c)
                        .map(|e| e.2)
                        .fold(f64::MIN, f64::max)
                };
                assert!(
                    (last(0) - last(1)).abs() <= 3.0 * 12.0,
                    "{sentences}: page {}: group {g}'s columns end {} and {} pt down",
                    k + 1,
                    last(0),
                    last(1)
                );
            }
        }
    }
    assert!(over >= 3, "the list ran over a page break {over} times");
}

#[test]
fn the_release_ends_with_entries_not_just_the_count_of_the_rest() {
    // 112 names, 60 shown: whatever the body's length, the page with
    // "and 52 more" holds a few entries too.
    let names = names(112);
    for paragraphs in 6..=14 {
        let text = statement("Statement", &names, false, "").replacen(
            "A paragraph",
            &"Another paragraph of the letter, to move the list down the page. "
                .repeat(paragraphs * 4),
            1,
        );
        let release = build(&text, DocumentKind::PressRelease, Layout::default());
        let pdf = Pdf::parse(&release.pdf);
        assert_reads_in_order(&pdf, &|_| 0, 60, "release");
        let page = (1..=pdf.page_count() as u32)
            .find(|&p| pdf.page_text(p).contains("52 more"))
            .expect("the release says how many more");
        let here = entries(&pdf, page).len();
        assert!(
            here >= 4,
            "{paragraphs}: the page with 'and 52 more' holds {here} entries"
        );
    }
}

#[test]
fn an_annex_of_400_wrapped_names_settles_and_ends_balanced() {
    for (count, groups) in [(400, true), (400, false), (203, true), (112, false)] {
        let names = names(count);
        let text = statement("Statement", &names, groups, "");
        let annex = build(&text, DocumentKind::Annex, Layout::default());
        assert!(annex.warnings.is_empty(), "{count}: {:?}", annex.warnings);
        let pdf = Pdf::parse(&annex.pdf);
        let third = count / 3;
        let group = |n: usize| if groups { usize::from(n > third) } else { 0 };
        let pages = assert_reads_in_order(&pdf, &group, count, "annex");
        let last = pages.len() as u32;
        assert!(
            pages[pages.len() - 1].len() >= 6,
            "{count}: the last page holds {} entries",
            pages[pages.len() - 1].len()
        );
        let f = feet(&pdf, last);
        assert_eq!(f.len(), 2, "{count}: two columns on the last page");
        let tallest = tallest(&pdf, last);
        assert!(
            (f[0].0 - f[1].0).abs() <= 3.0 * 12.0 && (f[0].1 - f[1].1).abs() <= tallest + 1.0,
            "{count}: the last page's columns end at {f:?} (an entry is up to {tallest} pt)"
        );
    }
}

#[test]
fn annexes_of_any_length_settle_without_a_warning() {
    // Lengths around page breaks and a lone last entry, with wrapped names.
    for count in [
        1, 2, 3, 14, 15, 16, 29, 37, 41, 58, 59, 60, 61, 95, 130, 167, 282, 334,
    ] {
        let names = names(count);
        for groups in [false, true] {
            let text = statement("Statement", &names, groups, "");
            let annex = build(&text, DocumentKind::Annex, Layout::default());
            assert!(
                annex.warnings.is_empty(),
                "{count} names: {:?}",
                annex.warnings
            );
            let pdf = Pdf::parse(&annex.pdf);
            let third = count / 3;
            let group = |n: usize| if groups { usize::from(n > third) } else { 0 };
            let pages = assert_reads_in_order(&pdf, &group, count, "annex");
            if pages.len() > 1 {
                assert!(
                    pages[pages.len() - 1].len() >= 4,
                    "{count} names: the last page holds {}",
                    pages[pages.len() - 1].len()
                );
            }
        }
    }
}

#[test]
fn a_one_page_annex_of_37_wrapped_names_ends_its_columns_within_an_entry() {
    // 30 to 44 names, one long in every two to five.
    for count in 30..=44 {
        for every in 2..=5 {
            let text = statement("Statement", &names_every(count, every), false, "");
            let annex = build(&text, DocumentKind::Annex, Layout::default());
            let pdf = Pdf::parse(&annex.pdf);
            if pdf.page_count() > 1 {
                continue;
            }
            assert_reads_in_order(&pdf, &|_| 0, count, "annex");
            let f = feet(&pdf, 1);
            let tallest = tallest(&pdf, 1);
            assert_eq!(f.len(), 2);
            assert!(
                (f[0].1 - f[1].1).abs() <= tallest + 1.0,
                "{count} names, every {every}th long: the columns end at {f:?}; an entry is up to {tallest} pt"
            );
        }
    }
}

#[test]
fn the_annex_header_never_splits_the_date() {
    let title = "Transformer fondamentalement l’OMC: les politiques mêmes de l’OMC ont provoqué sa crise existentielle, que la crise du COVID-19 n’a fait qu’amplifier";
    for (language, date) in [("fr", "30 avril 2020"), ("en", "April 30, 2020")] {
        for landscape in [false, true] {
            let text = statement(title, &names(80), false, "")
                .replace("language = \"en\"", &format!("language = \"{language}\""));
            let layout = Layout {
                annex_landscape: landscape,
                ..Layout::default()
            };
            let annex = build(&text, DocumentKind::Annex, layout);
            let pdf = Pdf::parse(&annex.pdf);
            for page in 1..=pdf.page_count() as u32 {
                let height = pdf.page_box(page, b"MediaBox").unwrap()[3];
                // The header: the runs in the top margin.
                let header: Vec<Run> = pdf
                    .runs(page)
                    .into_iter()
                    .filter(|r| height - r.y < mm(26.0))
                    .collect();
                let baselines: Vec<f64> = header.iter().map(|r| r.y).collect();
                assert!(
                    baselines.iter().all(|y| (y - baselines[0]).abs() < 0.5),
                    "{language}: the header is one line: {header:?}"
                );
                let text: String = header.iter().map(|r| r.text.as_str()).collect();
                assert!(
                    text.contains(date),
                    "{language}: the header holds the date whole: {text:?}"
                );
                // The title is cut between words.
                let before = text.split(" · ").next().unwrap();
                let from = before.find("Transformer").expect("the title's start");
                let shown = before[from..].trim_end_matches('…');
                assert!(
                    title.starts_with(shown)
                        && (shown.len() == title.len()
                            || title[shown.len()..].starts_with([' ', ',', ':', ';'])),
                    "{language}: {shown:?} is not the title cut between words"
                );
            }
        }
    }
}

#[test]
fn a_long_address_and_title_keep_clear_of_the_poster_trim() {
    let title = (0..30)
        .map(|i| {
            [
                "Transform",
                "the",
                "trade",
                "rules",
                "for",
                "people",
                "and",
                "planet",
            ][i % 8]
        })
        .collect::<Vec<_>>()
        .join(" ");
    let extra = "url = \"https://www.ourworldisnotforsale.net/2021_transform_WTO_FR_and_a_very_long_path/with/more/segments\"";
    let text = statement(&title, &names(200), true, extra);
    for size in ["a3", "a2", "a4"] {
        for landscape in [false, true] {
            let layout = Layout {
                poster_size: Some(PosterSize::parse(size).unwrap()),
                landscape,
                ..Layout::default()
            };
            let poster = build(&text, DocumentKind::Poster, layout);
            assert!(poster.warnings.is_empty(), "{size}: {:?}", poster.warnings);
            let pdf = Pdf::parse(&poster.pdf);
            assert_eq!(pdf.page_count(), 1, "{size}: one page");
            let trim = pdf.page_box(1, b"TrimBox").unwrap();
            let inset = mm(10.0);
            let runs = pdf.runs(1);
            assert!(
                runs.iter().any(|r| r.text.contains("ourworldisnotforsale")),
                "{size}: the address is printed"
            );
            for r in runs {
                let (left, right) = (r.x, r.x + r.width);
                let (bottom, top) = (r.y - 0.3 * r.size, r.y + 0.9 * r.size);
                assert!(
                    left >= trim[0] + inset - 0.5
                        && right <= trim[2] - inset + 0.5
                        && bottom >= trim[1] + inset - 0.5
                        && top <= trim[3] - inset + 0.5,
                    "{size} landscape {landscape}: {:?} at x {left:.0}-{right:.0}, y {bottom:.0}-{top:.0} within 10 mm of the trim {trim:?}",
                    r.text
                );
            }
        }
    }
}

#[test]
fn grouped_by_country_the_entries_do_not_repeat_it() {
    let text = statement("Statement", &names(30), false, "");
    let layout = Layout {
        group_by: Some(GroupBy::Country),
        ..Layout::default()
    };
    for kind in [DocumentKind::Annex, DocumentKind::PressRelease] {
        let document = build(&text, kind, layout.clone());
        let text = Pdf::parse(&document.pdf).text();
        assert!(
            text.to_uppercase().contains("AUSTRALIA"),
            "{kind:?}: the heading"
        );
        assert!(
            !text.contains("— Australia") && !text.contains("(Australia)"),
            "{kind:?}: no entry repeats its country"
        );
    }
}

#[test]
fn an_address_too_long_to_break_well_is_warned_about_and_still_clear_of_the_trim() {
    let extra = format!("url = \"https://example.org/{}\"", "campaign".repeat(25));
    let text = statement("Statement", &names(20), false, &extra);
    let layout = Layout {
        poster_size: Some(PosterSize::parse("a3").unwrap()),
        ..Layout::default()
    };
    let poster = build(&text, DocumentKind::Poster, layout);
    assert_eq!(poster.warnings.len(), 1, "{:?}", poster.warnings);
    assert!(
        poster.warnings[0].contains("web address is too long"),
        "{:?}",
        poster.warnings
    );
    let pdf = Pdf::parse(&poster.pdf);
    let trim = pdf.page_box(1, b"TrimBox").unwrap();
    for r in pdf.runs(1) {
        assert!(
            r.x >= trim[0] + mm(10.0) - 0.5 && r.x + r.width <= trim[2] - mm(10.0) + 0.5,
            "{:?} at x {:.0}-{:.0}",
            r.text,
            r.x,
            r.x + r.width
        );
    }
}

#[test]
fn a_release_that_lists_hundreds_reads_in_order_too() {
    // Up to 300 the list is set in measured pieces; beyond, it flows.
    for count in [290, 420] {
        let text = statement(
            "Statement",
            &names(count),
            true,
            "[release]\nlist = \"all\"\n",
        );
        let release = build(&text, DocumentKind::PressRelease, Layout::default());
        assert!(release.warnings.is_empty(), "{:?}", release.warnings);
        let pdf = Pdf::parse(&release.pdf);
        let third = count / 3;
        assert_reads_in_order(&pdf, &|n| usize::from(n > third), count, "release");
    }
}

/// The list begins under the body when the body's last page has room for
/// it, whatever page an earlier layout pass put it on: a release must not
/// leave half a page empty before its list.
#[test]
fn the_release_list_begins_under_the_body_when_there_is_room() {
    let names = names_every(203, 2);
    let mut tried = 0;
    for sentences in (20..=120).step_by(10) {
        let text = statement("Statement", &names, true, "").replacen(
            "A paragraph",
            &"A long paragraph of the letter that fills the page. ".repeat(sentences),
            1,
        );
        let release = build(&text, DocumentKind::PressRelease, Layout::default());
        assert!(release.warnings.is_empty(), "{:?}", release.warnings);
        let pdf = Pdf::parse(&release.pdf);
        let height = pdf.page_box(1, b"MediaBox").map_or(842.0, |r| r[3] - r[1]);
        let page_of = |needle: &str| {
            (1..=pdf.page_count() as u32)
                .find(|&p| pdf.runs(p).iter().any(|r| r.text.contains(needle)))
        };
        let heading = page_of("Signatories").expect("the list's heading");
        // The body's last page and how far down its last line is.
        let body_pages: Vec<u32> = (1..=pdf.page_count() as u32)
            .filter(|&p| {
                pdf.runs(p)
                    .iter()
                    .any(|r| r.text.contains("fills the page"))
            })
            .collect();
        let last = *body_pages.last().expect("body text");
        // (Runs are placed from the page's foot, as PDF places them.)
        let foot = height
            - pdf
                .runs(last)
                .iter()
                .filter(|r| r.text.contains("fills") || r.text.contains("paragraph"))
                .map(|r| r.y)
                .fold(f64::MAX, f64::min);
        if foot < 0.55 * height {
            tried += 1;
            assert_eq!(
                heading, last,
                "{sentences} sentences: the body ends {foot:.0} pt down page {last} of {height:.0} pt, the list begins on page {heading}"
            );
        }
    }
    assert!(tried >= 2, "bodies ending high on a page: {tried}");
}

/// A group heading never ends a column: wherever the second group begins
/// (swept across two pages' worth of positions), its heading stands in the
/// same column as its first entry, just above it.
#[test]
fn a_group_heading_never_ends_a_column() {
    let all = names(260);
    let mut seen_at_foot_risk = 0;
    for first in (40..=200).step_by(4) {
        let mut text =
            "title = \"T\"\ndate = 2020-04-30\nlanguage = \"en\"\nbody = \"B\"\n".to_owned();
        for (i, name) in all.iter().enumerate() {
            let group = if i < first {
                "International"
            } else {
                "National"
            };
            text.push_str(&format!(
                "\n[[signatories]]\nname = {name:?}\ngroup = \"{group}\"\n"
            ));
        }
        let annex = build(&text, DocumentKind::Annex, Layout::default());
        let pdf = Pdf::parse(&annex.pdf);
        let mut found = false;
        for page in 1..=pdf.page_count() as u32 {
            let height = pdf.page_box(page, b"MediaBox").unwrap()[3];
            let runs = pdf.runs(page);
            let Some(heading) = runs
                .iter()
                .find(|r| r.text.trim().eq_ignore_ascii_case("National"))
            else {
                continue;
            };
            found = true;
            let es = entries(&pdf, page);
            let cols = columns(&es);
            let (hx, hy) = (heading.x, height - heading.y);
            let below: Vec<&Entry> = es
                .iter()
                .filter(|e| column_of(&cols, e.1) == column_of(&cols, hx) && e.2 > hy)
                .collect();
            let next = below.iter().map(|e| e.0).min();
            assert_eq!(
                next,
                Some(first + 1),
                "second group from {}: the heading on page {page} is not above entry {}",
                first + 1,
                first + 1
            );
            let gap = below
                .iter()
                .find(|e| e.0 == first + 1)
                .map(|e| e.2 - hy)
                .unwrap();
            assert!(
                gap < 40.0,
                "entry {} is {gap} pt below its heading",
                first + 1
            );
            if es
                .iter()
                .filter(|e| column_of(&cols, e.1) == column_of(&cols, hx))
                .all(|e| e.0 > first)
            {
                seen_at_foot_risk += 1;
            }
        }
        assert!(found, "second group from {}: no heading found", first + 1);
    }
    // Some positions put the heading at a column's head, moved from a foot.
    assert!(
        seen_at_foot_risk > 0,
        "the sweep never met a column break at the heading"
    );
}
