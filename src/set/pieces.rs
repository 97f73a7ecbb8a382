//! A long annex laid out in pieces, on every core and in flat memory.
//!
//! Pages are independent once it is known which entry begins each. So the
//! list is first measured in pieces, side by side: every heading's and
//! entry's height in its column (`annex.typ` in mode "measure"). The page
//! breaks are then found here, as Typst's flow finds them: an entry never
//! splits between columns (one to three lines by widow and orphan
//! prevention, four or more kept whole by the template), and a heading
//! sticks to its group's first entry. Then the pages are set in pieces,
//! side by side, each an ordinary layout of its slice of the list from a
//! fresh page, numbered where its pages fall; the last piece balances the
//! last page as the whole list does.
//!
//! Typst's own layout decides every page: each piece's is checked against
//! the breaks found (every entry on the page expected, and where a piece
//! ends, the next entry not fitting on its last page). A difference can only
//! cost time: the whole list is then laid out in one piece, as a short list
//! is. The pieces' PDFs are joined with their tagged structure.

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst_layout::PagedDocument;

use crate::error::{Error, Result};
use crate::pdf::stitch::Stitcher;
use crate::resolve::data::Prepared;
use crate::resolve::list::{AnnexList, Item, Mode, Placing};
use crate::set::engine::{Document, DocumentKind, Engine};
use crate::set::world::Project;

/// From this many entries on, an annex is laid out in pieces. Pieces lay
/// the list out twice (a trial, then the pages), which two cores make up
/// for only in part: on this project's 2-core machine pieces took 15–30%
/// longer from 20,000 to 100,000 names, but a whole layout's memory grows
/// with the list (2.1 GB at 100,000) and the pieces' stays near 600 MB.
/// From here on the whole layout would pass 600 MB (docs/performance.md
/// has the figures).
pub const PIECES_FROM: usize = 30_000;

/// How a long annex is cut into pieces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PieceSize {
    /// By the list's length and the cores, from [`PIECES_FROM`] entries on.
    #[default]
    Auto,
    /// About this many entries a piece, however long the list (for tests of
    /// the joins on short lists).
    Entries(usize),
    /// Always the whole list in one layout.
    Whole,
}

/// Jobs a core takes between two emptyings of Typst's cache (three kept
/// 100 MB more at 100,000 names, no faster).
const ROUND: usize = 1;

/// Typst's tolerance when it asks whether a frame fits.
const FITS: f64 = 1e-4;

/// The annex of `prepared`, laid out in pieces; `None` when the list is
/// too short for pieces, or when Typst's layout of a piece differed from
/// the page breaks found (the caller then lays out the whole list).
pub(crate) fn annex(
    engine: &Engine,
    project: &Project,
    prepared: &Prepared,
    size: PieceSize,
) -> Result<Option<Document>> {
    let list = &prepared.list;
    let entries = list.len();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let per = match size {
        PieceSize::Whole => return Ok(None),
        PieceSize::Auto if entries < PIECES_FROM => return Ok(None),
        // Two pieces a core keeps both busy to the end; a piece of a few
        // thousand entries keeps memory flat however long the list.
        PieceSize::Auto => entries.div_ceil(2 * cores).clamp(500, 2_500),
        PieceSize::Entries(n) => n.max(1),
    };
    if entries <= 14 {
        return Ok(None);
    }
    let mut project = project.clone();
    project.add_shared("/statement.json", list.light_json());
    // Typst's cache is emptied as the pieces go, so memory stays flat.
    let evict = true;

    // 1. Every heading's and entry's height: a trial layout of each piece
    // shows where each begins, so the distance to the next in its column
    // is its height and the spacing between them; those that end a column
    // in the trial are measured alone.
    let ranges: Vec<Range<usize>> = (0..entries)
        .step_by(per)
        .map(|a| a..(a + per).min(entries))
        .collect();
    let trials = side_by_side(ranges.len(), cores, evict, |i| {
        trial(engine, &project, list, ranges[i].clone(), i == 0)
    })?;
    // A template of the organiser's own that does not take pieces shows
    // no trial: it lays out the whole list.
    let Some(trials) = trials.into_iter().collect::<Option<Vec<Trial>>>() else {
        return Ok(None);
    };
    let Some(metrics) = trials.first().map(|t| t.metrics) else {
        return Ok(None);
    };
    let items = list.items(0..entries);
    let begins: Vec<&Begins> = trials.iter().flat_map(|t| &t.begins).collect();
    if begins.len() != items.len() {
        return Err(Error::Internal(format!(
            "the annex's trial showed {} headings and entries of {}",
            begins.len(),
            items.len()
        )));
    }
    let top = begins[0].y;
    let mut heights = vec![f64::NAN; items.len()];
    let mut alone = Vec::new();
    for k in 0..items.len() {
        match begins.get(k + 1) {
            Some(next) if next.same_column(begins[k]) => {
                heights[k] = next.y - begins[k].y - metrics.gap(&items, k + 1);
            }
            _ => alone.push(k),
        }
    }
    let jobs = alone
        .len()
        .div_ceil(per.max(1))
        .max(cores)
        .min(alone.len().max(1));
    let chunk = alone.len().div_ceil(jobs).max(1);
    let measured = side_by_side(jobs, cores, evict, |j| {
        let these: Vec<Item> = alone
            .iter()
            .skip(j * chunk)
            .take(chunk)
            .map(|&k| items[k])
            .collect();
        measure(engine, &project, list, &these)
    })?;
    for (&k, h) in alone.iter().zip(measured.into_iter().flatten()) {
        heights[k] = h;
    }
    if heights.iter().any(|h| !h.is_finite()) {
        return Err(Error::Internal(
            "the annex's list was not measured whole".into(),
        ));
    }

    // 2. Where the pages begin.
    let starts = paginate(&items, &heights, &metrics, metrics.bottom - top);
    drop(trials);
    let total = starts.len();
    let pages_per = per.div_ceil(entries.div_ceil(total).max(1)).max(1);
    let mut cuts: Vec<usize> = (0..total).step_by(pages_per).collect();
    // The last piece holds the last two pages: the last page's balancing
    // may take entries from the foot of the page before.
    while cuts.len() > 1 && total - cuts[cuts.len() - 1] < 2 {
        cuts.pop();
    }
    if cuts.len() < 2 {
        return Ok(None);
    }
    let pieces: Vec<Range<usize>> = cuts
        .iter()
        .enumerate()
        .map(|(k, &a)| a..cuts.get(k + 1).copied().unwrap_or(total))
        .collect();
    let entry_at = |page: usize| starts.get(page).copied().unwrap_or(entries);

    // 3. The pages, and beside them each piece's junction with the next.
    // The pieces first and then the junctions (a page each), so that each
    // round of jobs is as long on every core.
    let jobs = pieces.len() * 2 - 1;
    let set = side_by_side(jobs, cores, evict, |job| {
        let (k, junction) = if job < pieces.len() {
            (job, false)
        } else {
            (job - pieces.len(), true)
        };
        let pages = &pieces[k];
        if junction {
            // The piece's last page and the next entry after it: that
            // entry must begin a page of its own.
            let range = entry_at(pages.end - 1)..entry_at(pages.end) + 1;
            let placing = Placing {
                mode: Mode::Set,
                first: false,
                last: false,
                offset: 0,
                total: 0,
            };
            let (document, _) = set_piece(engine, &project, list, range.clone(), placing)?;
            let on = entry_pages(&document);
            let probe = range.len() - 1;
            let ok = on.len() == range.len() && on[probe] == 2 && on[probe - 1] == 1;
            return Ok(Set::Junction(ok));
        }
        let range = entry_at(pages.start)..entry_at(pages.end);
        let placing = Placing {
            mode: Mode::Set,
            first: k == 0,
            last: k + 1 == pieces.len(),
            offset: pages.start,
            total,
        };
        let (document, warnings) = set_piece(engine, &project, list, range.clone(), placing)?;
        let on = entry_pages(&document);
        let expected = |e: usize| starts.partition_point(|&s| s <= e) - pages.start;
        // The last piece balances its last page, which moves entries from
        // the page before: only its page count is the breaks' to check.
        let ok = document.pages().len() == pages.len()
            && on.len() == range.len()
            && (placing.last || on.iter().zip(range.clone()).all(|(&p, e)| p == expected(e)));
        if !ok {
            return Ok(Set::Differs);
        }
        let ident = Engine::ident(&project, prepared, DocumentKind::Annex, &document);
        let world = engine.world(&project, DocumentKind::Annex)?;
        let pdf = engine.write_pdf(&world, &document, prepared, DocumentKind::Annex, ident)?;
        Ok(Set::Piece {
            pdf,
            warnings,
            layout: (k == 0).then(|| Box::new(document)),
        })
    })?;
    // 4. One PDF.
    let mut stitcher = None;
    let mut warnings: Vec<String> = Vec::new();
    let mut layout = None;
    for result in set {
        match result {
            Set::Junction(true) => {}
            Set::Junction(false) | Set::Differs => return Ok(None),
            Set::Piece {
                pdf,
                warnings: w,
                layout: l,
            } => {
                for line in w {
                    if !warnings.contains(&line) {
                        warnings.push(line);
                    }
                }
                layout = layout.or(l);
                let pdf = crate::pdf::join::parse(&pdf, "a piece of the annex")?;
                match stitcher.as_mut() {
                    None => stitcher = Some(Stitcher::new(pdf)?),
                    Some(s) => s.push(pdf)?,
                }
            }
        }
    }
    let (Some(stitcher), Some(layout)) = (stitcher, layout) else {
        return Ok(None);
    };
    let pdf = stitcher.finish()?;
    Ok(Some(Document {
        kind: DocumentKind::Annex,
        language: prepared.language.clone(),
        pdf,
        pages: total,
        warnings,
        layout: std::sync::Arc::new(*layout),
        pieces: pieces.len(),
    }))
}

/// What the pages are measured by, in points.
#[derive(Debug, Clone, Copy)]
struct Metrics {
    /// A column's height on every page but the first.
    room: f64,
    /// Where the columns end, from the top of the page.
    bottom: f64,
    entry_gap: f64,
    heading_above: f64,
    heading_below: f64,
    columns: usize,
}

impl Metrics {
    /// The spacing above item `k` below another, as the template sets it.
    fn gap(&self, items: &[Item], k: usize) -> f64 {
        if items[k].heading {
            self.heading_above
        } else if k > 0 && items[k - 1].heading {
            self.heading_below
        } else {
            self.entry_gap
        }
    }
}

/// Where a heading or entry begins in a trial layout.
#[derive(Debug, Clone, Copy)]
struct Begins {
    page: usize,
    x: f64,
    y: f64,
}

impl Begins {
    fn same_column(&self, other: &Begins) -> bool {
        self.page == other.page && (self.x - other.x).abs() < 0.01
    }
}

/// A trial layout of a piece: where its headings and entries begin.
struct Trial {
    metrics: Metrics,
    begins: Vec<Begins>,
}

enum Set {
    Piece {
        /// Kept as written: parsed, a piece takes ten times the memory.
        pdf: Vec<u8>,
        warnings: Vec<String>,
        layout: Option<Box<PagedDocument>>,
    },
    Junction(bool),
    Differs,
}

fn trial(
    engine: &Engine,
    project: &Project,
    list: &AnnexList,
    range: Range<usize>,
    first: bool,
) -> Result<Option<Trial>> {
    let placing = Placing {
        mode: Mode::Trial,
        first,
        last: false,
        offset: 0,
        total: 0,
    };
    let (document, _) = set_piece(engine, project, list, range, placing)?;
    let odd = || Error::Internal("the annex template did not show its trial layout".into());
    let Some(Value::Dict(found)) = metadata(&document, "broadside-metrics") else {
        return Ok(None);
    };
    let get = |key: &str| -> Result<f64> {
        match found.get(key).map_err(|_| odd())? {
            Value::Float(f) => Ok(*f),
            Value::Int(i) => Ok(*i as f64),
            _ => Err(odd()),
        }
    };
    let metrics = Metrics {
        room: get("room")?,
        bottom: get("bottom")?,
        entry_gap: get("entry-gap")?,
        heading_above: get("heading-above")?,
        heading_below: get("heading-below")?,
        columns: get("columns")?.max(1.0) as usize,
    };
    let labels = ["broadside-heading", "broadside-entry-alone"]
        .map(|name| Label::new(typst::utils::PicoStr::intern(name)).map(Selector::Label));
    let [Some(headings), Some(entries)] = labels else {
        return Err(odd());
    };
    let introspector = document.introspector();
    let begins = introspector
        .query(&Selector::Or(vec![headings, entries].into()))
        .iter()
        .map(|c| {
            let at = c
                .location()
                .and_then(|l| introspector.position(l))
                .ok_or_else(odd)?;
            Ok(Begins {
                page: at.page.get(),
                x: at.point.x.to_pt(),
                y: at.point.y.to_pt(),
            })
        })
        .collect::<Result<Vec<Begins>>>()?;
    Ok(Some(Trial { metrics, begins }))
}

/// The heights of `items`, each measured alone in its column.
fn measure(
    engine: &Engine,
    project: &Project,
    list: &AnnexList,
    items: &[Item],
) -> Result<Vec<f64>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let mut project = project.clone();
    project.add("/annex-piece.json", list.measure_json(items)?);
    let (document, _) = engine.lay_out(&project, DocumentKind::Annex)?;
    let odd = || Error::Internal("the annex template did not measure its list".into());
    let Some(Value::Array(found)) = metadata(&document, "broadside-measure") else {
        return Err(odd());
    };
    let heights = found
        .iter()
        .map(|v| match v {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        })
        .collect::<Option<Vec<f64>>>()
        .ok_or_else(odd)?;
    if heights.len() != items.len() {
        return Err(odd());
    }
    Ok(heights)
}

/// Lays out entries `range` of the list as `placing` says.
fn set_piece(
    engine: &Engine,
    project: &Project,
    list: &AnnexList,
    range: Range<usize>,
    placing: Placing,
) -> Result<(PagedDocument, Vec<String>)> {
    let mut project = project.clone();
    project.add("/annex-piece.json", list.piece_json(range, placing)?);
    engine.lay_out(&project, DocumentKind::Annex)
}

/// The page (from 1) each entry of a laid-out piece is on, in order.
fn entry_pages(document: &PagedDocument) -> Vec<usize> {
    let Some(label) = Label::new(typst::utils::PicoStr::intern("broadside-entry-alone")) else {
        return Vec::new();
    };
    let introspector = document.introspector();
    introspector
        .query(&Selector::Label(label))
        .iter()
        .map(|c| {
            c.location()
                .and_then(|l| introspector.page(l))
                .map_or(0, usize::from)
        })
        .collect()
}

/// The value of the metadata labelled `name`.
fn metadata(document: &PagedDocument, name: &str) -> Option<Value> {
    let label = Label::new(typst::utils::PicoStr::intern(name))?;
    let content = document.introspector().query_label(label).ok()?;
    content.to_packed::<MetadataElem>().map(|m| m.value.clone())
}

/// The entry each page begins with, as Typst's flow fills the columns:
/// `first_room` is a column's height on the first page (under the title).
fn paginate(items: &[Item], heights: &[f64], m: &Metrics, first_room: f64) -> Vec<usize> {
    let mut starts = vec![0];
    let (mut column, mut room, mut page_room) = (0, first_room, first_room);
    let mut top = true;
    let mut k = 0;
    let gap = |k: usize| m.gap(items, k);
    while k < items.len() {
        // Typst takes the spacing off the room, then asks whether the frame
        // fits; a heading stays only if its first entry fits after it.
        let mut left = if top { room } else { room - gap(k) };
        let mut fits = left + FITS >= heights[k];
        let mut taken = 1;
        if fits && items[k].heading && k + 1 < items.len() {
            left = left - heights[k] - gap(k + 1);
            fits = left + FITS >= heights[k + 1];
            taken = 2;
        }
        if fits || top {
            room = left - heights[k + taken - 1];
            k += taken;
            top = false;
            continue;
        }
        column += 1;
        if column == m.columns {
            column = 0;
            page_room = m.room;
            starts.push(items[k].entry);
        }
        room = page_room;
        top = true;
    }
    starts
}

/// Runs `jobs` on `threads` threads and returns their results in order; the
/// first error stops the rest. With `evict`, Typst's cache is emptied after
/// every round of `threads` jobs.
fn side_by_side<T: Send>(
    jobs: usize,
    threads: usize,
    evict: bool,
    work: impl Fn(usize) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let mut out: Vec<Option<T>> = (0..jobs).map(|_| None).collect();
    let rounds: Vec<Range<usize>> = if evict {
        (0..jobs)
            .step_by(threads * ROUND)
            .map(|a| a..(a + threads * ROUND).min(jobs))
            .collect()
    } else {
        std::iter::once(0..jobs).collect()
    };
    for round in rounds {
        let next = AtomicUsize::new(round.start);
        let results: Mutex<Vec<(usize, Result<T>)>> = Mutex::new(Vec::new());
        let failed = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            for _ in 0..threads.min(round.len()) {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= round.end || failed.load(Ordering::Relaxed) {
                            break;
                        }
                        let result = work(i);
                        if result.is_err() {
                            failed.store(true, Ordering::Relaxed);
                        }
                        if let Ok(mut r) = results.lock() {
                            r.push((i, result));
                        }
                    }
                });
            }
        });
        let results = results
            .into_inner()
            .map_err(|_| Error::Internal("a piece of the annex stopped unexpectedly".into()))?;
        for (i, result) in results {
            out[i] = Some(result?);
        }
        if evict {
            comemo::evict(0);
        }
    }
    out.into_iter()
        .map(|r| r.ok_or_else(|| Error::Internal("a piece of the annex was not laid out".into())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(columns: usize) -> Metrics {
        Metrics {
            room: 100.0,
            bottom: 0.0,
            entry_gap: 5.0,
            heading_above: 12.0,
            heading_below: 8.0,
            columns,
        }
    }

    fn entries(n: usize) -> Vec<Item> {
        (0..n)
            .map(|entry| Item {
                heading: false,
                entry,
            })
            .collect()
    }

    #[test]
    fn columns_fill_with_the_spacing_between_entries_only() {
        // 10 + 5 + 10 + ... : 7 entries take 100 exactly, the 8th begins
        // the next column; two columns a page, so 14 a page.
        let items = entries(30);
        let heights = vec![10.0; 30];
        assert_eq!(paginate(&items, &heights, &metrics(2), 100.0), [0, 14, 28]);
        // Under the title the first page's columns are shorter.
        assert_eq!(paginate(&items, &heights, &metrics(2), 40.0), [0, 6, 20]);
    }

    #[test]
    fn a_heading_moves_with_its_first_entry() {
        // Six entries fill 85; a heading (10) after them needs 12 above,
        // then its entry 8 below: 85 + 12 + 10 + 8 + 10 = 125 > 100, so
        // heading and entry begin the next column together.
        let mut items = entries(6);
        items.push(Item {
            heading: true,
            entry: 6,
        });
        items.extend((6..12).map(|entry| Item {
            heading: false,
            entry,
        }));
        let heights = vec![10.0; items.len()];
        // Page 2: heading, entry 6 and four more (10 + 8 + 10 + 4 × 15 = 88).
        let starts = paginate(&items, &heights, &metrics(1), 100.0);
        assert_eq!(starts, [0, 6, 11]);
        // With room for both (125 <= 130) the heading stays, and the next
        // entry (5 + 10 more) begins the next page.
        let mut m = metrics(1);
        m.room = 130.0;
        assert_eq!(paginate(&items, &heights, &m, 130.0), [0, 7]);
    }

    #[test]
    fn a_frame_within_typsts_tolerance_fits() {
        let items = entries(3);
        let heights = [50.0, 50.0 - 5.0 + 0.00005, 10.0];
        assert_eq!(paginate(&items, &heights, &metrics(1), 100.0), [0, 2]);
    }
}
