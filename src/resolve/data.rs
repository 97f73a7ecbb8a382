//! The data the templates receive: the statement, resolved and ready to set.
//!
//! Everything broadside decides (localised words, formatted dates, parsed
//! Markdown, checked images, the count of signatories) is settled here, so
//! the templates only lay out. The result is serialised to `statement.json`
//! inside the Typst project: data, never source.

use std::collections::BTreeMap;

use serde::Serialize;

pub use crate::resolve::list::AnnexList;

use crate::error::{Error, Problem, Result};
use crate::load::markdown::{self, Block};
use crate::load::order;
use crate::load::statement::{Contact, GroupBy, Paper, PosterSize, PosterTheme, SortBy, Statement};
use crate::resolve::assets::{self, Asset};
use crate::resolve::l10n::{self, Direction, Words};

/// The accent colour when the statement names none.
pub const DEFAULT_ACCENT: &str = "#b3261e";

/// Options that change the data but are not part of the statement.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Paper for the press release and the annex.
    pub paper: Paper,
    /// Overrides the statement's poster size.
    pub poster_size: Option<PosterSize>,
    /// Overrides the statement's poster theme.
    pub poster_theme: Option<PosterTheme>,
    /// Bleed around the poster in millimetres (3 when not given).
    pub bleed_mm: Option<f64>,
    /// Turns the poster to landscape (as does the statement's `landscape`).
    pub landscape: bool,
    /// Crop and registration marks outside the bleed.
    pub marks: bool,
    /// Overrides how the poster's colours are printed.
    pub colour: Option<ColourMode>,
    /// Overrides the statement's order of signatories (`--sort`).
    pub sort: Option<SortBy>,
    /// Overrides how the statement's list is divided (`--group-by`).
    pub group_by: Option<GroupBy>,
    /// PDF standards every document must conform to (`--pdf-standard`).
    pub pdf_standards: Vec<typst_pdf::PdfStandard>,
    /// The annex on landscape paper (`--annex-landscape`), in three columns.
    pub annex_landscape: bool,
    /// Columns of the annex's list, 1 to 4 (`--annex-columns`); two on
    /// portrait paper and three on landscape when not given.
    pub annex_columns: Option<u8>,
    /// The placards' size (A3 when not given), turned by `landscape`.
    pub placard_size: Option<PosterSize>,
    /// The flyer's size (A5 when not given), turned by `landscape`.
    pub flyer_size: Option<PosterSize>,
    /// Write the poster, placards and flyer as PDF/X-4 for this printing
    /// condition (`--pdf-x 4`).
    pub pdf_x: Option<crate::pdf::pdfx::OutputIntent>,
}

impl Layout {
    /// The annex's columns: as asked, or two, or three on landscape paper
    /// (lines of 40 characters read best in both).
    pub fn annex_columns(&self) -> u8 {
        self.annex_columns
            .unwrap_or(if self.annex_landscape { 3 } else { 2 })
            .clamp(1, 4)
    }
}

/// Whether the standards allow files attached to the PDF: PDF/A-1 and
/// PDF/A-2 do not (PDF/A-3 was made for it).
pub fn standards_allow_attachments(standards: &[typst_pdf::PdfStandard]) -> bool {
    use typst_pdf::PdfStandard as S;
    !standards
        .iter()
        .any(|s| matches!(s, S::A_1a | S::A_1b | S::A_2a | S::A_2b | S::A_2u))
}

/// How a poster's colours are written into the PDF.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ColourMode {
    /// RGB, for screens and office printers.
    #[default]
    Rgb,
    /// Process colours (CMYK); plain black text and rules on the black plate only.
    Cmyk,
    /// Two inks: black and one named spot colour (with its tints).
    Spot(String),
}

/// Width of the slug that holds crop marks, outside the bleed.
pub const SLUG_MM: f64 = 12.0;

/// The statement's data and images, ready for the Typst project.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// `statement.json`, compact.
    pub json: typst::foundations::Bytes,
    /// Images under `/assets/`.
    pub assets: Vec<Asset>,
    /// The statement's date, the documents' "today".
    pub date: crate::load::statement::Date,
    /// The language of the text.
    pub language: String,
    /// The poster's bleed in millimetres.
    pub bleed_mm: f64,
    /// The slug around the bleed (crop marks), in millimetres.
    pub slug_mm: f64,
    /// The poster's trimmed width and height in millimetres.
    pub poster_mm: (f64, f64),
    /// The flyer's trimmed width and height in millimetres.
    pub flyer_mm: (f64, f64),
    /// The PDF standards to conform to.
    pub standards: Vec<typst_pdf::PdfStandard>,
    /// PDF/X-4 for the print pieces, for this printing condition.
    pub pdf_x: Option<crate::pdf::pdfx::OutputIntent>,
    /// The release's subject line for email: the title, after the embargo
    /// line when there is one ("Embargoed until …: Title").
    pub subject: String,
    /// The annex's list, for laying a long one out in pieces.
    pub list: std::sync::Arc<AnnexList>,
}

#[derive(Serialize)]
struct Data<'a> {
    generator: String,
    lang: String,
    digits: [String; 10],
    counts: CountFormat,
    region: Option<String>,
    dir: Direction,
    title: &'a str,
    subtitle: Option<&'a str>,
    slogan: &'a str,
    place: Option<&'a str>,
    url: Option<&'a str>,
    date: DateData,
    body: Vec<Block>,
    quotes: Vec<QuoteData<'a>>,
    contacts: &'a [Contact],
    about: Vec<AboutData>,
    release: ReleaseData,
    organisation: OrganisationData<'a>,
    signatories: SignatoriesData,
    theme: Theme,
    office: OfficeData,
    annex: AnnexData,
    poster: PosterData,
    /// The placards' slogans, one page each.
    placards: Vec<&'a str>,
    placard: PieceData,
    flyer: FlyerData<'a>,
    words: BTreeMap<String, String>,
    /// Whether the annex and letters attach the signatory list as files.
    attach: bool,
}

#[derive(Serialize)]
struct DateData {
    iso: String,
    text: String,
}

#[derive(Serialize)]
struct QuoteData<'a> {
    text: &'a str,
    name: &'a str,
    role: Option<&'a str>,
}

#[derive(Serialize)]
struct AboutData {
    heading: String,
    body: Vec<Block>,
}

#[derive(Serialize)]
struct ReleaseData {
    status: String,
    embargoed: bool,
    /// How many signatories the release lists, in the statement's order.
    shown: usize,
    /// "and 4,971 more organisations: the full list is in the signatory
    /// annex", when the release does not list everyone.
    more: Option<String>,
}

/// How the language groups the digits of a large count, for counts the
/// templates work out themselves (the poster's "and N more").
#[derive(Serialize)]
struct CountFormat {
    /// The separator between groups of three digits ("," "\u{a0}" "٬").
    group: String,
    /// Whether four-digit numbers are grouped too (5,000 in English; 5000 in Spanish).
    four: bool,
}

impl CountFormat {
    fn of(words: &Words) -> CountFormat {
        let digits: std::collections::HashSet<&str> =
            words.digits().iter().map(String::as_str).collect();
        let separator = |text: String| -> String {
            text.chars()
                .filter(|c| !digits.contains(c.to_string().as_str()))
                .collect()
        };
        CountFormat {
            group: separator(words.count(100_000)),
            four: !separator(words.count(1_000)).is_empty(),
        }
    }
}

#[derive(Serialize)]
struct OrganisationData<'a> {
    name: Option<&'a str>,
    logo: Option<String>,
}

#[derive(Serialize)]
struct SignatoriesData {
    count: usize,
    signed_by: String,
    groups: Vec<Group>,
    logos: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct Group {
    pub(crate) label: Option<String>,
    pub(crate) entries: Vec<Entry>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Entry {
    pub(crate) number: usize,
    pub(crate) number_text: String,
    pub(crate) name: String,
    pub(crate) country: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) logo: Option<String>,
}

#[derive(Serialize)]
struct Theme {
    accent: String,
    serif: Vec<&'static str>,
    sans: Vec<&'static str>,
    display: Vec<&'static str>,
}

#[derive(Serialize)]
struct OfficeData {
    paper: &'static str,
}

#[derive(Serialize)]
struct AnnexData {
    columns: u8,
    landscape: bool,
    /// Whether the list comes in pieces (`annex-piece.json`), not here.
    pieces: bool,
}

#[derive(Serialize)]
struct PosterData {
    size: String,
    width_mm: f64,
    height_mm: f64,
    bleed_mm: f64,
    marks: bool,
    slug_mm: f64,
    theme: &'static str,
    message: Option<String>,
    colour: ColourData,
    qr: Option<Qr>,
}

/// A placard's or a flyer's trim size and theme (the poster's bleed, marks
/// and inks apply to them too).
#[derive(Serialize)]
struct PieceData {
    size: String,
    width_mm: f64,
    height_mm: f64,
    theme: &'static str,
}

#[derive(Serialize)]
struct FlyerData<'a> {
    #[serde(flatten)]
    piece: PieceData,
    /// The subtitle, when the summary is the subtitle and first paragraph.
    lead: Option<&'a str>,
    summary: Vec<Block>,
    conveners: Option<Conveners>,
}

/// The list's first group as the statement gives it (its conveners), when
/// the list is divided into groups.
#[derive(Serialize)]
struct Conveners {
    label: String,
    names: Vec<String>,
    /// How many more there are than the names shown.
    more: usize,
}

/// The most conveners a flyer names; past them it says how many more.
const CONVENERS_SHOWN: usize = 6;

#[derive(Serialize)]
struct ColourData {
    mode: &'static str,
    spot: Option<String>,
}

/// A QR code as rows of modules, `1` for dark, without the quiet zone.
#[derive(Serialize)]
struct Qr {
    url: String,
    size: usize,
    rows: Vec<String>,
}

/// Encodes `url` with enough error correction (quartile, 25%) to scan from a
/// worn, creased or rained-on poster.
fn qr(url: &str) -> Option<Qr> {
    let code = qrcodegen::QrCode::encode_text(url, qrcodegen::QrCodeEcc::Quartile).ok()?;
    let size = usize::try_from(code.size()).ok()?;
    let rows = (0..code.size())
        .map(|y| {
            (0..code.size())
                .map(|x| if code.get_module(x, y) { '1' } else { '0' })
                .collect()
        })
        .collect();
    Some(Qr {
        url: url.to_owned(),
        size,
        rows,
    })
}

/// The images a statement names, loaded and checked as they are met; a
/// problem with one is collected, so every bad image is reported at once.
struct Images<'a> {
    base_dir: &'a std::path::Path,
    assets: Vec<Asset>,
    problems: Vec<Problem>,
}

impl Images<'_> {
    /// The image's path inside the project, or `None` (and a problem).
    fn load(&mut self, relative: &std::path::Path, key: String, stem: String) -> Option<String> {
        match assets::load_image(self.base_dir, relative, &key, &stem) {
            Ok(asset) => {
                let path = asset.virtual_path.clone();
                self.assets.push(asset);
                Some(path)
            }
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }
}

/// Resolves a statement into the templates' data and images.
pub fn prepare(statement: &Statement, words: &Words, layout: &Layout) -> Result<Prepared> {
    let mut images = Images {
        base_dir: &statement.base_dir,
        assets: Vec::new(),
        problems: Vec::new(),
    };
    let organisation_logo = statement
        .organisation
        .logo
        .as_deref()
        .and_then(|p| images.load(p, "organisation.logo".into(), "organisation".into()));
    let groups = groups(statement, words, layout, &mut images);
    let Images {
        mut assets,
        mut problems,
        ..
    } = images;
    if !problems.is_empty() {
        // Numbered as this annex prints them, which the layout may sort.
        order::Numbers::new(
            &statement.signatories,
            &statement.language,
            layout.sort.unwrap_or(statement.list.sort),
            layout.group_by.unwrap_or(statement.list.group_by),
        )
        .mark(&mut problems);
        return Err(Error::Invalid {
            path: statement.source.clone(),
            problems,
        });
    }

    let (release, subject) = release(statement, words);
    let poster = poster(statement, layout);
    let poster_mm = (poster.width_mm, poster.height_mm);
    let flyer_mm = {
        let flyer = flyer_piece(layout);
        (flyer.width_mm, flyer.height_mm)
    };
    let mut data = data(
        statement,
        words,
        layout,
        release,
        poster,
        groups,
        organisation_logo,
    );
    // Compact: an exported project indents it for people (`write::pretty`).
    let json = serde_json::to_vec(&data)
        .map_err(|e| Error::Internal(format!("cannot serialise the statement: {e}")))?;
    // Shared by every document's project, never copied (the data of a long
    // list runs to megabytes).
    let json = typst::foundations::Bytes::new(json);
    assets.extend(signatory_list(&data.signatories.groups)?);
    // The same data without the list, which a piece of the annex is given
    // in slices: no piece parses the whole list.
    let groups = std::mem::take(&mut data.signatories.groups);
    data.annex.pieces = true;
    let light = serde_json::to_vec(&data)
        .map_err(|e| Error::Internal(format!("cannot serialise the statement: {e}")))?;
    let list = std::sync::Arc::new(AnnexList::new(
        typst::foundations::Bytes::new(light),
        groups,
    ));
    Ok(Prepared {
        json,
        assets,
        date: statement.date,
        language: statement.language.clone(),
        bleed_mm: layout.bleed_mm.unwrap_or(3.0),
        slug_mm: if layout.marks { SLUG_MM } else { 0.0 },
        poster_mm,
        flyer_mm,
        standards: layout.pdf_standards.clone(),
        pdf_x: layout.pdf_x.clone(),
        subject,
        list,
    })
}

/// The templates' data: the statement's texts with the words and numbers
/// of its language, and the parts resolved before.
fn data<'a>(
    statement: &'a Statement,
    words: &Words,
    layout: &Layout,
    release: ReleaseData,
    poster: PosterData,
    groups: Vec<Group>,
    organisation_logo: Option<String>,
) -> Data<'a> {
    let slogan = statement.slogan.as_deref().unwrap_or(&statement.title);
    let (lead, summary) = match &statement.summary {
        Some(text) => (None, markdown::parse(text)),
        None => (
            statement.subtitle.as_deref(),
            first_paragraph(&statement.body),
        ),
    };
    let (lang, region) = split_language(&statement.language);
    let count = statement.signatories.len();
    Data {
        generator: format!("broadside {}", env!("CARGO_PKG_VERSION")),
        lang,
        digits: words.digits().clone(),
        counts: CountFormat::of(words),
        region,
        dir: l10n::direction(&statement.language),
        title: &statement.title,
        subtitle: statement.subtitle.as_deref(),
        slogan: statement.slogan.as_deref().unwrap_or(&statement.title),
        place: statement.place.as_deref(),
        url: statement.url.as_deref(),
        date: DateData {
            iso: statement.date.to_string(),
            text: words.date(statement.date),
        },
        body: markdown::parse(&statement.body),
        quotes: statement
            .quotes
            .iter()
            .map(|q| QuoteData {
                text: &q.text,
                name: &q.name,
                role: q.role.as_deref(),
            })
            .collect(),
        contacts: &statement.contacts,
        about: statement
            .about
            .iter()
            .map(|a| AboutData {
                heading: words.fill("about", &[("name", &a.name)]),
                body: markdown::parse(&a.text),
            })
            .collect(),
        release,
        organisation: OrganisationData {
            name: statement.organisation.name.as_deref(),
            logo: organisation_logo,
        },
        signatories: SignatoriesData {
            count,
            signed_by: words.signed_by(count),
            logos: groups
                .iter()
                .flat_map(|g| &g.entries)
                .filter(|e| e.logo.is_some())
                .count(),
            groups,
        },
        theme: Theme {
            accent: statement
                .organisation
                .accent
                .clone()
                .unwrap_or_else(|| DEFAULT_ACCENT.into()),
            serif: vec!["Noto Serif", "Noto Naskh Arabic"],
            sans: vec!["Inter", "Noto Sans Arabic"],
            display: vec!["Inter Display", "Inter", "Noto Sans Arabic"],
        },
        office: OfficeData {
            paper: layout.paper.typst_name(),
        },
        annex: AnnexData {
            columns: layout.annex_columns(),
            landscape: layout.annex_landscape,
            pieces: false,
        },
        poster,
        placards: if statement.placards.is_empty() {
            vec![slogan]
        } else {
            statement.placards.iter().map(String::as_str).collect()
        },
        placard: piece(
            layout.placard_size.clone().unwrap_or_else(PosterSize::a3),
            layout,
            layout.poster_theme.unwrap_or(statement.poster.theme),
        ),
        flyer: FlyerData {
            piece: flyer_piece(layout),
            lead,
            summary,
            conveners: conveners(statement),
        },
        words: words.phrases(),
        attach: standards_allow_attachments(&layout.pdf_standards),
    }
}

/// The list in its printed order and sections, numbered straight through,
/// each logo loaded.
fn groups(
    statement: &Statement,
    words: &Words,
    layout: &Layout,
    images: &mut Images<'_>,
) -> Vec<Group> {
    let group_by = layout.group_by.unwrap_or(statement.list.group_by);
    let sections = order::arrange(
        &statement.signatories,
        &statement.language,
        layout.sort.unwrap_or(statement.list.sort),
        group_by,
        &words.get("no_country"),
    );
    // Under a country's heading the entries do not repeat it.
    let by_country = group_by == GroupBy::Country;
    let mut groups: Vec<Group> = Vec::with_capacity(sections.len());
    let mut number = 0;
    for section in sections {
        let mut entries = Vec::with_capacity(section.members.len());
        for i in section.members {
            let s = &statement.signatories[i];
            let logo = s.logo.as_deref().and_then(|p| {
                images.load(
                    p,
                    format!("signatories[{i}].logo"),
                    format!("logo-{}", i + 1),
                )
            });
            number += 1;
            entries.push(Entry {
                number,
                number_text: words.number(number),
                name: s.name.clone(),
                country: if by_country { None } else { s.country.clone() },
                url: s.url.clone(),
                logo,
            });
        }
        groups.push(Group {
            label: section.label,
            entries,
        });
    }
    groups
}

/// The release's status line and how much of the list it names, and the
/// email subject (the status first when under embargo).
fn release(statement: &Statement, words: &Words) -> (ReleaseData, String) {
    let count = statement.signatories.len();
    let shown = statement.release.list.shown(count);
    let more = (shown < count).then(|| words.plural("more_in_annex", count - shown, &[]));
    match statement.release.embargo {
        Some(t) => {
            let status = words.fill("embargoed_until", &[("time", &words.moment(t))]);
            let subject = format!("{status}: {}", statement.title);
            let release = ReleaseData {
                status,
                embargoed: true,
                shown,
                more,
            };
            (release, subject)
        }
        None => {
            let release = ReleaseData {
                status: words.get("for_immediate_release"),
                embargoed: false,
                shown,
                more,
            };
            (release, statement.title.clone())
        }
    }
}

/// The body's first paragraph that reads as one (a dozen words or more: a
/// letter often opens with its date or "Dear Minister,"), else its first.
fn first_paragraph(body: &str) -> Vec<Block> {
    let paragraphs: Vec<Block> = markdown::parse(body)
        .into_iter()
        .filter(|b| matches!(b, Block::P { .. }))
        .collect();
    let words = |b: &Block| {
        markdown::plain_text(std::slice::from_ref(b))
            .split_whitespace()
            .count()
    };
    let chosen = paragraphs.iter().position(|b| words(b) >= 12).unwrap_or(0);
    paragraphs.into_iter().nth(chosen).into_iter().collect()
}

/// The flyer's size and theme: light unless asked, since office printers
/// leave an unprinted edge that shows round a dark ground.
fn flyer_piece(layout: &Layout) -> PieceData {
    piece(
        layout.flyer_size.clone().unwrap_or_else(PosterSize::a5),
        layout,
        layout.poster_theme.unwrap_or(PosterTheme::Light),
    )
}

/// A placard's or flyer's size, turned to landscape when asked.
fn piece(size: PosterSize, layout: &Layout, theme: PosterTheme) -> PieceData {
    let size = if layout.landscape {
        size.landscape()
    } else {
        size
    };
    PieceData {
        size: size.name,
        width_mm: size.width_mm,
        height_mm: size.height_mm,
        theme: theme.name(),
    }
}

/// The conveners: the signatories of the first group, in the statement's
/// own order (a sort by name or country does not change who convened),
/// when the list has more than one group.
fn conveners(statement: &Statement) -> Option<Conveners> {
    let first = statement.signatories.first()?.group.as_deref()?;
    if statement
        .signatories
        .iter()
        .all(|s| s.group.as_deref() == Some(first))
    {
        return None;
    }
    let all: Vec<String> = statement
        .signatories
        .iter()
        .take_while(|s| s.group.as_deref() == Some(first))
        .map(|s| s.name.clone())
        .collect();
    let more = all.len().saturating_sub(CONVENERS_SHOWN);
    Some(Conveners {
        label: first.to_owned(),
        names: all.into_iter().take(CONVENERS_SHOWN).collect(),
        more,
    })
}

/// The poster's size, turn, bleed, marks, theme and inks, the options over
/// the statement's.
fn poster(statement: &Statement, layout: &Layout) -> PosterData {
    let mut size = layout
        .poster_size
        .clone()
        .unwrap_or_else(|| statement.poster.size.clone());
    if layout.landscape || statement.poster.landscape {
        size = size.landscape();
    }
    let colour = match (
        &layout.colour,
        &statement.poster.spot,
        statement.poster.cmyk,
    ) {
        (Some(mode), _, _) => mode.clone(),
        (None, Some(spot), _) => ColourMode::Spot(spot.clone()),
        (None, None, true) => ColourMode::Cmyk,
        (None, None, false) => ColourMode::Rgb,
    };
    PosterData {
        size: size.name.clone(),
        width_mm: size.width_mm,
        height_mm: size.height_mm,
        bleed_mm: layout.bleed_mm.unwrap_or(3.0),
        marks: layout.marks,
        slug_mm: if layout.marks { SLUG_MM } else { 0.0 },
        theme: layout.poster_theme.unwrap_or(statement.poster.theme).name(),
        message: statement.poster.message.clone(),
        colour: match colour {
            ColourMode::Rgb => ColourData {
                mode: "rgb",
                spot: None,
            },
            ColourMode::Cmyk => ColourData {
                mode: "cmyk",
                spot: None,
            },
            ColourMode::Spot(name) => ColourData {
                mode: "spot",
                spot: Some(name),
            },
        },
        qr: statement.url.as_deref().and_then(qr),
    }
}

/// One signatory in the list the PDFs carry as data: what was printed, never
/// the consent record.
#[derive(Serialize)]
struct ListedSignatory<'a> {
    number: usize,
    name: &'a str,
    group: Option<&'a str>,
    country: Option<&'a str>,
    url: Option<&'a str>,
}

/// `signatories.csv` and `signatories.json`, attached to the annex and the
/// letters so a recipient can check the list by machine.
/// Where the list's data files are in the project: the annex and letters
/// attach them.
pub(crate) const LIST_FILES: [&str; 2] = ["/signatories.csv", "/signatories.json"];

fn signatory_list(groups: &[Group]) -> Result<Vec<Asset>> {
    let rows: Vec<ListedSignatory<'_>> = groups
        .iter()
        .flat_map(|g| {
            g.entries.iter().map(move |e| ListedSignatory {
                number: e.number,
                name: &e.name,
                group: g.label.as_deref(),
                country: e.country.as_deref(),
                url: e.url.as_deref(),
            })
        })
        .collect();
    let failed = |e: &dyn std::fmt::Display| {
        Error::Internal(format!("cannot write the signatory list: {e}"))
    };
    let mut csv = csv::Writer::from_writer(Vec::new());
    for row in &rows {
        csv.serialize(row).map_err(|e| failed(&e))?;
    }
    let csv = csv.into_inner().map_err(|e| failed(&e))?;
    let json = serde_json::to_vec_pretty(&rows).map_err(|e| failed(&e))?;
    Ok(vec![
        Asset {
            virtual_path: LIST_FILES[0].into(),
            data: typst::foundations::Bytes::new(csv),
        },
        Asset {
            virtual_path: LIST_FILES[1].into(),
            data: typst::foundations::Bytes::new(json),
        },
    ])
}

/// Splits a BCP 47 tag into the language and region Typst understands.
fn split_language(tag: &str) -> (String, Option<String>) {
    let mut parts = tag.split(['-', '_']);
    let lang = parts.next().unwrap_or("en").to_ascii_lowercase();
    let region = parts
        .find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|r| r.to_ascii_uppercase());
    (lang, region)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real letter (owinfs-2021-wto-turnaround) opens with its date: the
    /// flyer's summary is the first paragraph that reads as one.
    #[test]
    fn the_flyers_summary_skips_a_dateline_or_a_salutation() {
        let body = "September 2021\n\nDear Ministers,\n\nThus, as members and allies of the Our World Is Not for Sale network, we call for a new system of global trade rules.\n\nA second paragraph.";
        let text = markdown::plain_text(&first_paragraph(body));
        assert!(text.starts_with("Thus, as members"), "{text}");
        assert_eq!(
            markdown::plain_text(&first_paragraph("Short.\n\nAlso short.")),
            "Short."
        );
        assert!(first_paragraph("").is_empty());
    }
}
