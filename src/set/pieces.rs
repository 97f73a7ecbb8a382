//! A long annex laid out in pieces, on every core and in flat memory.
//!
//! Pages are independent once it is known which entry begins each. So
//! every heading's and entry's height in its column is found first: most
//! entries' lines are counted from their words (`estimate.rs`), checked
//! against a trial layout of the list's first entries; the rest are laid
//! out one after the other in their columns, side by side, and the few of
//! those that end a column are measured alone (`annex.typ` in modes
//! "trial" and "measure"). The page breaks are then found here, as Typst's
//! flow finds them: an entry never splits between columns (one to three
//! lines by widow and orphan prevention, four or more kept whole by the
//! template), and a heading sticks to its group's first entry. Then the
//! pages are set in pieces, side by side, each an ordinary layout of its
//! slice of the list from a fresh page, numbered where its pages fall; the
//! last piece balances the last page as the whole list does.
//!
//! Typst's own layout decides every page: each piece's is checked against
//! the breaks found (every entry on the page expected, and where a piece
//! ends, the next entry not fitting on its last page). A difference can only
//! cost time: the whole list is then laid out in one piece, as a short list
//! is. The pieces' PDFs are joined with their tagged structure.

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst_layout::PagedDocument;

use crate::error::{Error, Result};
use crate::pdf::stitch::Stitcher;
use crate::resolve::data::Prepared;
use crate::resolve::list::{AnnexList, Item, Mode, Placing};
use crate::set::engine::{Document, DocumentKind, Engine};
use crate::set::estimate::Count;
use crate::set::worker::{PdfSettings, Worker};
use crate::set::world::Project;

/// From this many entries on, an annex is laid out in pieces. With most
/// lines counted rather than laid out in a trial, pieces lay the list out
/// about once, and on this project's 2-core machine they took 0.76× the
/// whole layout's time at 10,000 and 20,000 names, in less memory
/// (docs/performance.md has the figures). Below, a whole layout is a
/// second or less, and the pieces' fixed costs (a trial of the first
/// entries, the joins) would weigh more.
pub const PIECES_FROM: usize = 10_000;

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

    // 1. Every heading's and entry's height: counted here for most
    // entries, or found from a trial layout of every piece.
    let ranges: Vec<Range<usize>> = (0..entries)
        .step_by(per)
        .map(|a| a..(a + per).min(entries))
        .collect();
    let items = list.items(0..entries);
    let found = match counted(engine, &project, list, &items)? {
        Some(found) => Some(found),
        None => tried(engine, &project, list, &items, &ranges, cores)?,
    };
    // A template of the organiser's own that does not take pieces shows
    // no trial: it lays out the whole list.
    let Some(Heights {
        metrics,
        top,
        mut heights,
        alone,
        counted,
    }) = found
    else {
        return Ok(None);
    };
    // Those left are laid out one after the other in their columns, side
    // by side, which shows most of their heights; the few that end a
    // column there are measured alone.
    let mut left = alone;
    for flow in [true, false] {
        if left.is_empty() {
            break;
        }
        let jobs = left.len().div_ceil(per.max(1)).max(cores).min(left.len());
        let chunk = left.len().div_ceil(jobs);
        let found = side_by_side(jobs, cores, evict, |j| {
            let these: Vec<Item> = left
                .iter()
                .skip(j * chunk)
                .take(chunk)
                .map(|&k| items[k])
                .collect();
            if flow {
                flowed(engine, &project, list, &these)
            } else {
                measure(engine, &project, list, &these).map(|h| h.into_iter().map(Some).collect())
            }
        })?;
        let mut still = Vec::new();
        for (&k, h) in left.iter().zip(found.into_iter().flatten()) {
            match h {
                Some(h) => heights[k] = h,
                None => still.push(k),
            }
        }
        left = still;
    }
    if heights.iter().any(|h| !h.is_finite()) {
        return Err(Error::Internal(
            "the annex's list was not measured whole".into(),
        ));
    }

    // 2. Where the pages begin.
    let starts = paginate(&items, &heights, &metrics, metrics.bottom - top);
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

    // 3. The pages. Each piece is checked against the breaks (the last
    // piece balances its last page, which moves entries from the page
    // before: only its page count is the breaks' to check) and at its
    // junction with the next: that piece's last page and the entry after
    // it, laid out alone, must put the entry on a page of its own.
    let placing = |k: usize| Placing {
        mode: Mode::Set,
        first: k == 0,
        last: k + 1 == pieces.len(),
        offset: pieces[k].start,
        total,
    };
    let range = |k: usize| entry_at(pieces[k].start)..entry_at(pieces[k].end);
    let junction_range = |k: usize| entry_at(pieces[k].end - 1)..entry_at(pieces[k].end) + 1;
    let fits = |k: usize, pages: usize, on: &[usize], junction: Option<&[usize]>| -> bool {
        let range = range(k);
        let expected = |e: usize| starts.partition_point(|&s| s <= e) - pieces[k].start;
        let last = k + 1 == pieces.len();
        let here = pages == pieces[k].len()
            && on.len() == range.len()
            && (last || on.iter().zip(range).all(|(&p, e)| p == expected(e)));
        here && (last || junction.is_some_and(|j| junction_holds(j, junction_range(k).len())))
    };
    // A piece set in this process.
    let here = |k: usize| -> Result<Set> {
        let (document, warnings) = set_piece(engine, &project, list, range(k), placing(k))?;
        let on = entry_pages(&document);
        let junction = if k + 1 < pieces.len() {
            let r = junction_range(k);
            Some(entry_pages(
                &set_piece(engine, &project, list, r, JUNCTION)?.0,
            ))
        } else {
            None
        };
        if !fits(k, document.pages().len(), &on, junction.as_deref()) {
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
    };
    let by_workers = AtomicUsize::new(0);
    let mut stitcher: Option<Stitcher> = None;
    let mut warnings: Vec<String> = Vec::new();
    let mut layout = None;
    // Pieces are stitched in order as they come; one the stitching
    // cannot read (not as Typst writes PDFs) lays the list out whole.
    let mut take = |set: Vec<Set>| -> Result<bool> {
        for result in set {
            let Set::Piece {
                pdf,
                warnings: w,
                layout: l,
            } = result
            else {
                return Ok(false);
            };
            for line in w {
                if !warnings.contains(&line) {
                    warnings.push(line);
                }
            }
            if layout.is_none() {
                layout = l;
            }
            let stitched = match stitcher.as_mut() {
                None => Stitcher::new(&pdf).map(|s| stitcher = Some(s)),
                Some(s) => s.push(&pdf),
            };
            if stitched.is_err() {
                return Ok(false);
            }
        }
        Ok(true)
    };
    match &engine.workers {
        // In worker processes beside this one, which sets pieces too.
        Some((exe, font_dirs)) if cores > 1 => {
            let d = prepared.date;
            let settings = PdfSettings {
                language: prepared.language.clone(),
                date: (d.year, d.month, d.day),
                standards: prepared.standards.clone(),
            };
            // This process sets the first piece, whose pages it keeps.
            let next = AtomicUsize::new(1);
            let done: Mutex<Vec<Option<Result<Set>>>> =
                Mutex::new((0..pieces.len()).map(|_| None).collect());
            let store = |k: usize, set: Result<Set>| {
                if let Ok(mut done) = done.lock() {
                    done[k] = Some(set);
                }
            };
            // The pieces set from `from` on without a gap, taken out.
            let ready = |from: usize| -> Vec<Result<Set>> {
                let Ok(mut done) = done.lock() else {
                    return Vec::new();
                };
                done[from..].iter_mut().map_while(Option::take).collect()
            };
            // Set once a piece differs or fails: no piece is begun after.
            let stop = AtomicBool::new(false);
            let mut stitched = 0;
            let by_worker = |worker: &mut Worker, k: usize| -> Result<Set> {
                let piece = list.piece_json(range(k), placing(k))?;
                let junction = (k + 1 < pieces.len())
                    .then(|| list.piece_json(junction_range(k), JUNCTION))
                    .transpose()?;
                let reply = worker.set(&project, &settings, &piece, junction.as_deref())?;
                if !fits(k, reply.pages, &reply.on, reply.junction.as_deref()) {
                    return Ok(Set::Differs);
                }
                by_workers.fetch_add(1, Ordering::Relaxed);
                Ok(Set::Piece {
                    pdf: reply.pdf,
                    warnings: reply.warnings,
                    layout: None,
                })
            };
            // Each piece is stitched as soon as those before it are, so that
            // the pieces' PDFs are not all held until the last is set.
            let stitching = std::thread::scope(|scope| -> Result<bool> {
                for _ in 1..cores {
                    scope.spawn(|| {
                        // A worker that cannot start leaves its pieces to
                        // the others.
                        let Ok(mut worker) = Worker::start(exe, font_dirs) else {
                            return;
                        };
                        loop {
                            if stop.load(Ordering::Relaxed) {
                                break;
                            }
                            let k = next.fetch_add(1, Ordering::Relaxed);
                            if k >= pieces.len() {
                                break;
                            }
                            // A worker that stopped leaves the piece to
                            // this process (a template's error comes back
                            // the same from either).
                            let set = match by_worker(&mut worker, k) {
                                Ok(set) => Ok(set),
                                Err(_) => here(k),
                            };
                            store(k, set);
                        }
                    });
                }
                let mut k = 0;
                while k < pieces.len() {
                    store(k, here(k));
                    comemo::evict(0);
                    let these = ready(stitched);
                    stitched += these.len();
                    let taken = these
                        .into_iter()
                        .collect::<Result<Vec<Set>>>()
                        .and_then(&mut take);
                    if !matches!(taken, Ok(true)) {
                        stop.store(true, Ordering::Relaxed);
                        return taken;
                    }
                    k = next.fetch_add(1, Ordering::Relaxed);
                }
                Ok(true)
            });
            if !stitching? {
                return Ok(None);
            }
            let done = done
                .into_inner()
                .map_err(|_| Error::Internal("a piece of the annex stopped unexpectedly".into()))?;
            for result in done.into_iter().skip(stitched) {
                let result = result.ok_or_else(|| {
                    Error::Internal("a piece of the annex was not laid out".into())
                })?;
                if !take(vec![result?])? {
                    return Ok(None);
                }
            }
        }
        // On this process's threads, a piece a core at a time.
        _ => {
            for round in (0..pieces.len()).step_by(cores) {
                let these = cores.min(pieces.len() - round);
                if !take(side_by_side(these, cores, evict, |j| here(round + j))?)? {
                    return Ok(None);
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
        counted,
        by_workers: by_workers.into_inner(),
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
    /// A column's width and the numbers' indent, when the template says.
    width: Option<f64>,
    indent: Option<f64>,
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
    document: PagedDocument,
}

/// What the page breaks are found from.
struct Heights {
    metrics: Metrics,
    /// Where the list begins on the first page, from the page's top.
    top: f64,
    /// Each heading's and entry's height, in points; not a number for
    /// those Typst is still to measure.
    heights: Vec<f64>,
    /// Those, by their index in the list's items.
    alone: Vec<usize>,
    /// How many entries' heights were counted from their words.
    counted: usize,
}

/// The first entries a trial lays out to check the lines counted here.
const CALIBRATE: usize = 400;

/// Entries of each shape the first trial did not show laid out to show it.
const SHOWN: usize = 4;

/// The heights of `items` (the whole list's) counted from their words
/// (`estimate.rs`), checked against a trial layout of the list's first
/// entries; headings and entries the count cannot judge are left to
/// Typst. `None` when the template does not show the column's width, or
/// a count differs from the trial.
fn counted(
    engine: &Engine,
    project: &Project,
    list: &AnnexList,
    items: &[Item],
) -> Result<Option<Heights>> {
    let entries = list.len();
    let Some(trial) = trial(engine, project, list, 0..entries.min(CALIBRATE), true)? else {
        return Ok(None);
    };
    let metrics = trial.metrics;
    let (Some(width), Some(indent)) = (metrics.width, metrics.indent) else {
        return Ok(None);
    };
    let tried = &items[..trial.begins.len().min(items.len())];
    let entry = |k: usize| list.entry(k);
    let names: Vec<&str> = tried
        .iter()
        .filter_map(|i| entry(i.entry).map(|e| e.name.as_str()))
        .collect();
    let countries: Vec<&str> = tried
        .iter()
        .filter_map(|i| entry(i.entry).and_then(|e| e.country.as_deref()))
        .collect();
    // Each core counts a share of the list, with its own words' widths.
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let share = items.len().div_ceil(cores).max(1);
    let document = &trial.document;
    let (names, countries) = (&names, &countries);
    let counts: Vec<Option<Vec<Option<Count>>>> = std::thread::scope(|scope| {
        let counting: Vec<_> = items
            .chunks(share)
            .map(|these| {
                scope.spawn(move || {
                    let pages = document.pages().iter().map(|p| &p.frame);
                    let mut lines =
                        super::estimate::Lines::new(pages, names, countries, width, indent)?;
                    Some(
                        these
                            .iter()
                            .map(|item| {
                                let e = list.entry(item.entry).filter(|_| !item.heading)?;
                                lines.count(&e.name, e.country.as_deref())
                            })
                            .collect::<Vec<_>>(),
                    )
                })
            })
            .collect();
        counting
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    });
    let Some(counts) = counts
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .map(|c| c.concat())
    else {
        return Ok(None);
    };
    let count = |k: usize| counts.get(k).copied().flatten();
    // One line's height and each further line's, from the trial: every
    // entry it shows whole must have the height its count gives.
    let mut samples: Vec<(Count, f64)> = spans(&metrics, &trial.begins, tried)?
        .into_iter()
        .enumerate()
        .filter_map(|(k, h)| Some((count(k)?, h?)))
        .collect();
    // A list's names lengthen or change as it goes: entries of a shape the
    // trial did not show (two lines, a country alone on the last) are
    // laid out a few of each, one after the other, to show theirs.
    let mut seen: Vec<Count> = Vec::new();
    for s in &samples {
        if !seen.contains(&s.0) {
            seen.push(s.0);
        }
    }
    let mut unseen: Vec<(Count, Vec<Item>)> = Vec::new();
    for (k, item) in items.iter().enumerate().skip(tried.len()) {
        let Some(c) = count(k) else { continue };
        if seen.contains(&c) {
            continue;
        }
        if let Some(u) = unseen.iter_mut().find(|u| u.0 == c) {
            if u.1.len() < SHOWN {
                u.1.push(*item);
            }
        } else if unseen.len() < 8 {
            unseen.push((c, vec![*item]));
        }
    }
    if !unseen.is_empty() {
        let shown: Vec<Item> = unseen.iter().flat_map(|u| u.1.iter().copied()).collect();
        let kinds = unseen
            .iter()
            .flat_map(|u| std::iter::repeat_n(u.0, u.1.len()));
        let heights = flowed(engine, project, list, &shown)?;
        samples.extend(kinds.zip(heights).filter_map(|(c, h)| Some((c, h?))));
    }
    let lines = |n: usize| {
        samples.iter().find(|s| {
            s.0 == Count {
                lines: n,
                country_alone: false,
            }
        })
    };
    let Some(one) = lines(1).map(|s| s.1) else {
        return Ok(None);
    };
    let further = samples
        .iter()
        .find(|s| !s.0.country_alone && s.0.lines > 1)
        .map(|s| (s.1 - one) / (s.0.lines - 1) as f64);
    let plain = |n: usize| match (n, further) {
        (1, _) => Some(one),
        (n, Some(f)) => Some(one + (n - 1) as f64 * f),
        _ => None,
    };
    let agree = |model: &dyn Fn(Count) -> Option<f64>, alone: bool| {
        samples
            .iter()
            .filter(|s| s.0.country_alone == alone)
            .all(|&(c, h)| model(c).is_none_or(|e| (e - h).abs() < 1e-3))
    };
    if !agree(&|c| plain(c.lines), false) {
        return Ok(None);
    }
    // A last line of the country alone (in its smaller type) adds as much
    // to every entry that has one, or Typst measures them all.
    let added = samples
        .iter()
        .find(|s| s.0.country_alone)
        .and_then(|s| Some(s.1 - plain(s.0.lines - 1)?));
    let alone = |c: Count, added: f64| Some(plain(c.lines - 1)? + added);
    let added = added.filter(|&a| agree(&|c| alone(c, a), true));
    let height = |c: Count| {
        if c.country_alone {
            alone(c, added?)
        } else {
            plain(c.lines)
        }
    };
    let heights: Vec<f64> = (0..items.len())
        .map(|k| count(k).and_then(height).unwrap_or(f64::NAN))
        .collect();
    let alone = (0..items.len()).filter(|&k| heights[k].is_nan()).collect();
    Ok(Some(Heights {
        metrics,
        top: trial.begins.first().map_or(0.0, |b| b.y),
        counted: heights.iter().filter(|h| h.is_finite()).count(),
        heights,
        alone,
    }))
}

/// The heights of `items` from a trial layout of every piece of `ranges`,
/// side by side: the distance from each heading and entry to the next in
/// its column, less the spacing. Those that end a column in the trial are
/// left to Typst. `None` when the template shows no trial.
fn tried(
    engine: &Engine,
    project: &Project,
    list: &AnnexList,
    items: &[Item],
    ranges: &[Range<usize>],
    cores: usize,
) -> Result<Option<Heights>> {
    let trials = side_by_side(ranges.len(), cores, true, |i| {
        trial(engine, project, list, ranges[i].clone(), i == 0)
            .map(|t| t.map(|t| (t.metrics, t.begins)))
    })?;
    let Some(trials) = trials.into_iter().collect::<Option<Vec<_>>>() else {
        return Ok(None);
    };
    let Some(metrics) = trials.first().map(|t| t.0) else {
        return Ok(None);
    };
    let begins: Vec<Begins> = trials.iter().flat_map(|t| t.1.iter().copied()).collect();
    let found = spans(&metrics, &begins, items)?;
    let heights: Vec<f64> = found.iter().map(|h| h.unwrap_or(f64::NAN)).collect();
    let alone = (0..items.len()).filter(|&k| found[k].is_none()).collect();
    Ok(Some(Heights {
        metrics,
        top: begins.first().map_or(0.0, |b| b.y),
        heights,
        alone,
        counted: 0,
    }))
}

enum Set {
    Piece {
        /// As written, to be stitched (`pdf::stitch`).
        pdf: Vec<u8>,
        warnings: Vec<String>,
        layout: Option<Box<PagedDocument>>,
    },
    /// Typst's layout differs from the breaks found.
    Differs,
}

/// How a junction is laid out: a piece's last page and the next entry.
const JUNCTION: Placing = Placing {
    mode: Mode::Set,
    first: false,
    last: false,
    offset: 0,
    total: 0,
};

/// Whether a junction of `len` entries, whose entries fell on pages `on`,
/// put its last entry on a page of its own.
fn junction_holds(on: &[usize], len: usize) -> bool {
    len >= 2 && on.len() == len && on[len - 1] == 2 && on[len - 2] == 1
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
    let Some((metrics, begins)) = shown(&document)? else {
        return Ok(None);
    };
    Ok(Some(Trial {
        metrics,
        begins,
        document,
    }))
}

/// What a trial layout shows: the metrics, and where each heading and
/// entry begins. `None` when the template shows no trial.
fn shown(document: &PagedDocument) -> Result<Option<(Metrics, Vec<Begins>)>> {
    let odd = || Error::Internal("the annex template did not show its trial layout".into());
    let Some(Value::Dict(found)) = metadata(document, "broadside-metrics") else {
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
        width: get("width").ok(),
        indent: get("indent").ok(),
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
    Ok(Some((metrics, begins)))
}

/// The heights of `items` laid out one after the other in their columns,
/// as far as the layout shows them: `None` for one that ends a column.
fn flowed(
    engine: &Engine,
    project: &Project,
    list: &AnnexList,
    items: &[Item],
) -> Result<Vec<Option<f64>>> {
    let mut project = project.clone();
    let placing = Placing {
        mode: Mode::Trial,
        first: false,
        last: false,
        offset: 0,
        total: 0,
    };
    project.add("/annex-piece.json", list.items_json(items, placing)?);
    let (document, _) = engine.lay_out(&project, DocumentKind::Annex)?;
    let Some((metrics, begins)) = shown(&document)? else {
        return Err(Error::Internal(
            "the annex template did not show its trial layout".into(),
        ));
    };
    spans(&metrics, &begins, items)
}

/// Each of `items`' heights from where it and the next begin in a trial
/// (`begins`), less the spacing between them: `None` for one that ends a
/// column, whose height the trial does not show.
fn spans(metrics: &Metrics, begins: &[Begins], items: &[Item]) -> Result<Vec<Option<f64>>> {
    if begins.len() != items.len() {
        return Err(Error::Internal(format!(
            "the annex's trial showed {} headings and entries of {}",
            begins.len(),
            items.len()
        )));
    }
    Ok((0..items.len())
        .map(|k| match begins.get(k + 1) {
            Some(next) if next.same_column(&begins[k]) => {
                Some(next.y - begins[k].y - metrics.gap(items, k + 1))
            }
            _ => None,
        })
        .collect())
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
pub(crate) fn entry_pages(document: &PagedDocument) -> Vec<usize> {
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
            width: None,
            indent: None,
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
