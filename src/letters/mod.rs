//! Personal letters in batches: one PDF per recipient, each a letter in the
//! recipient's language followed by the statement and the signatory annex.
//!
//! Everything that can go wrong with the input (a bad row, a placeholder a
//! row cannot fill, a language the statement lacks) is found before the first
//! file is written. The statement and annex are laid out once per language and
//! joined to every letter page by page; letters compile in parallel on all
//! cores with one set of fonts, templates and Typst's cache, which is trimmed
//! as the batch goes so memory stays flat.

pub mod bundle;
pub mod mailmerge;
pub mod recipients;

use std::collections::{BTreeMap, HashMap, HashSet};

use std::path::{Path, PathBuf};

use minijinja::value::Value;
use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::letters::mailmerge::{LetterTexts, Merger, safe_file_name};
use crate::letters::recipients::{Recipient, Recipients};
use crate::load::markdown::{self, Block};
use crate::load::statement::{Paper, Statement};
use crate::resolve::data::{Layout, Prepared};
use crate::set::engine::{DocumentKind, Engine};

/// The window envelope a letter is folded into, which fixes where the
/// recipient's address is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Window {
    /// DL (110 × 220 mm) or C6/5, A4 folded in three: DIN 5008 form B's field.
    #[default]
    Dl,
    /// C5 (162 × 229 mm), A4 folded once: form B's field, on the upper half.
    C5,
    /// DIN 5008 form A: the field 18 mm higher, folds at 87 and 192 mm.
    Din5008A,
    /// DIN 5008 form B: the field at 45–90 mm, folds at 105 and 210 mm.
    Din5008B,
}

/// A rectangle on the page in millimetres from the top left corner.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RectMm {
    /// From the left edge.
    pub x_mm: f64,
    /// From the top edge.
    pub y_mm: f64,
    /// Width.
    pub w_mm: f64,
    /// Height.
    pub h_mm: f64,
}

impl RectMm {
    /// Whether `other` lies inside this rectangle.
    pub fn contains(&self, other: &RectMm) -> bool {
        other.x_mm >= self.x_mm
            && other.y_mm >= self.y_mm
            && other.x_mm + other.w_mm <= self.x_mm + self.w_mm
            && other.y_mm + other.h_mm <= self.y_mm + self.h_mm
    }
}

/// Where things go on a letter's first page.
#[derive(Debug, Clone, Serialize)]
pub struct Geometry {
    /// The recipient's address block.
    pub address: RectMm,
    /// The part of the window that shows whatever the letter's play inside
    /// the envelope: the address must lie inside it.
    pub visible: RectMm,
    /// The top of the one-line return address above the recipient's.
    pub return_y_mm: f64,
    /// The date line, to the right of the address field.
    pub date: RectMm,
    /// Where the subject line begins.
    pub subject_y_mm: f64,
    /// Fold marks, from the top edge.
    pub folds: Vec<f64>,
}

impl Window {
    /// Reads `dl`, `c5`, `din-5008-a` or `din-5008-b`.
    pub fn parse(name: &str) -> Option<Window> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "dl" => Window::Dl,
            "c5" => Window::C5,
            "din-5008-a" | "a" => Window::Din5008A,
            "din-5008-b" | "b" => Window::Din5008B,
            _ => return None,
        })
    }

    /// The first page's geometry (A4; see shared reference on window
    /// envelopes: DIN 5008, DIN 680).
    pub fn geometry(self) -> Geometry {
        // The recipient zone of the 85 × 45 mm address field: its lower
        // 27.3 mm, below the return-address zone; text indented 5 mm.
        let (field_top, folds) = match self {
            Window::Din5008A => (27.0, vec![87.0, 192.0]),
            Window::Dl | Window::Din5008B => (45.0, vec![105.0, 210.0]),
            Window::C5 => (45.0, vec![148.5]),
        };
        let zone_top = field_top + 17.7;
        // In a DL envelope the letter can slide: of form B's field only
        // x 20–100, y 50–90 is always in the window.
        let visible = match self {
            Window::Dl => RectMm {
                x_mm: 20.0,
                y_mm: 50.0,
                w_mm: 80.0,
                h_mm: 40.0,
            },
            _ => RectMm {
                x_mm: 20.0,
                y_mm: zone_top,
                w_mm: 85.0,
                h_mm: 27.3,
            },
        };
        Geometry {
            address: RectMm {
                x_mm: 25.0,
                y_mm: zone_top + 1.0,
                w_mm: 74.0,
                h_mm: 25.0,
            },
            visible,
            return_y_mm: zone_top - 5.0,
            date: RectMm {
                x_mm: 125.0,
                y_mm: field_top + 5.0,
                w_mm: 65.0,
                h_mm: 10.0,
            },
            subject_y_mm: field_top + 53.0,
            folds,
        }
    }
}

/// The most lines an address may have: what the recipient zone holds.
pub const MAX_ADDRESS_LINES: usize = 6;

/// What a batch of letters is made of.
#[derive(Debug, Clone)]
pub struct LettersRequest {
    /// Who gets a letter.
    pub recipients: Recipients,
    /// The letter's text, per language.
    pub letters: LetterTexts,
    /// The envelope window.
    pub window: Window,
    /// The file-name template.
    pub file_name: String,
    /// Write the good letters when some rows are bad (listing those skipped).
    pub skip_bad: bool,
    /// Attach the statement's text before the annex.
    pub with_statement: bool,
    /// Paper and list order.
    pub layout: Layout,
}

/// One letter, ready to be set.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The file it is written to, inside the output folder.
    pub file: String,
    /// The language of the letter and of its statement and annex.
    pub language: String,
    /// Who it is for.
    pub recipient: Recipient,
    /// The subject line.
    pub subject: String,
    /// The letter's text, placeholders filled, as Markdown.
    pub body: String,
}

/// A row left out of the batch, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// "recipients.csv:5".
    pub place: String,
    /// What is wrong.
    pub message: String,
}

/// The letters of a batch, before anything is written.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The letters, in the recipients' order.
    pub letters: Vec<Planned>,
    /// The rows left out (only with `skip_bad`).
    pub skipped: Vec<Skipped>,
    /// File names that collided and were given a suffix: (wanted, given).
    pub renamed: Vec<(String, String)>,
    /// Rows whose text was changed to print safely, and how.
    pub warnings: Vec<Skipped>,
}

/// The statement's fields the letter's placeholders can use.
pub(crate) fn statement_context(statement: &Statement, engine: &Engine) -> Result<Value> {
    let words = engine.words(statement)?;
    let count = statement.signatories.len();
    Ok(minijinja::context! {
        title => statement.title.clone(),
        subtitle => statement.subtitle.clone(),
        date => words.date(statement.date),
        place => statement.place.clone(),
        url => statement.url.clone(),
        language => statement.language.clone(),
        organisation => statement.organisation.name.clone(),
        signatories => minijinja::context! {
            count => count,
            count_text => words.count(count),
            signed_by => words.signed_by(count),
            names => statement.signatories.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
        },
    })
}

/// Fills every letter's placeholders and checks every row, writing nothing.
pub fn plan(engine: &Engine, statement: &Statement, request: &LettersRequest) -> Result<Plan> {
    let merger = Merger::new(
        &request.letters,
        statement.letter.subject.as_deref(),
        &request.file_name,
    )?;
    let recipients = &request.recipients;
    let mut contexts: HashMap<String, (Statement, Value)> = HashMap::new();
    let mut skipped: Vec<Skipped> = recipients
        .bad
        .iter()
        .map(|b| Skipped {
            place: recipients.place(b.line),
            message: b.message.clone(),
        })
        .collect();
    let mut letters = Vec::new();
    let mut warnings = Vec::new();
    for row in &recipients.rows {
        let place = format!("{} ({})", recipients.place(row.line), row.name());
        let language = match language_of(row, statement) {
            Ok(language) => language,
            Err(message) => {
                skipped.push(Skipped { place, message });
                continue;
            }
        };
        if !contexts.contains_key(&language) {
            let translated = statement.in_language(&language).ok_or_else(|| {
                Error::Usage(format!("the statement has no `{language}` translation"))
            })?;
            let context = statement_context(&translated, engine)?;
            contexts.insert(language.clone(), (translated, context));
        }
        let (_, statement_value) = &contexts[&language];
        let address = address_lines(row);
        if address.len() > MAX_ADDRESS_LINES {
            skipped.push(Skipped {
                place,
                message: format!(
                    "the address has {} lines (with name, title and organisation); a window envelope shows {MAX_ADDRESS_LINES}",
                    address.len()
                ),
            });
            continue;
        }
        let context = row_context(row, statement_value, &language);
        let letter = request.letters.for_language(Some(&language));
        match fill(&merger, letter, &context) {
            Ok(Filled {
                subject,
                body,
                file,
                cleaned,
            }) => {
                if cleaned {
                    warnings.push(Skipped {
                        place: place.clone(),
                        message: "direction controls that can reverse text (U+202A–U+202E, or an unclosed isolate) were removed from the letter".into(),
                    });
                }
                if let Some((message, _)) = crate::load::limits::check_markdown(&body) {
                    skipped.push(Skipped {
                        place,
                        message: format!("the letter's text {message}"),
                    });
                    continue;
                }
                letters.push(Planned {
                    file,
                    language,
                    recipient: row.clone(),
                    subject,
                    body,
                });
            }
            Err(message) => skipped.push(Skipped {
                place,
                message: format!(
                    "{message}; the row has {}",
                    row.fields.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            }),
        }
    }
    refuse_bad_rows(&skipped, request, recipients)?;
    if letters.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no recipient can get a letter",
            recipients.path.display()
        )));
    }
    let renamed = unique_file_names(&mut letters);
    Ok(Plan {
        letters,
        skipped,
        renamed,
        warnings,
    })
}

/// The statement's language a row reads: its own `language`, or the
/// closest the statement has (`en` reads the `en-GB` statement).
pub(crate) fn language_of(
    row: &Recipient,
    statement: &Statement,
) -> std::result::Result<String, String> {
    let Some(tag) = row.language() else {
        return Ok(statement.language.clone());
    };
    statement.closest_language(tag).map(str::to_owned).ok_or_else(|| {
        format!(
            "asks for language `{tag}`, and the statement has nothing in that language, only {}; add a translation or change the row",
            statement.languages().join(", ")
        )
    })
}

/// The placeholders' values for one row: `recipient.*` (its fields and
/// `row`), `statement.*`, `row`, `name` and `language`.
pub(crate) fn row_context(row: &Recipient, statement: &Value, language: &str) -> Value {
    let mut fields: BTreeMap<String, Value> = row
        .fields
        .iter()
        .map(|(k, v)| (k.clone(), Value::from(v.clone())))
        .collect();
    fields.insert("row".into(), Value::from(row.row));
    minijinja::context! {
        recipient => Value::from(fields),
        statement => statement.clone(),
        row => row.row,
        name => row.name().to_owned(),
        language => language.to_owned(),
    }
}

/// One row's letter, filled in.
struct Filled {
    subject: String,
    body: String,
    file: String,
    /// Direction controls were removed from what the row brought.
    cleaned: bool,
}

/// Fills the subject, body and file name for one row, cleaned as names are.
fn fill(
    merger: &Merger,
    letter: &mailmerge::LetterText,
    context: &Value,
) -> std::result::Result<Filled, String> {
    let mut subject = merger.subject(context)?;
    let mut body = merger.body(letter, context)?;
    let file = merger.file_name(context)?;
    // A recipient's field can carry direction overrides too.
    let mut cleaned = false;
    for text in [&mut subject, &mut body] {
        if let Some(clean) = crate::load::bidi::clean(text) {
            *text = clean;
            cleaned = true;
        }
        // Emoji print in one colour: skin tones have nothing to show.
        if let Some(plain) = crate::load::emoji::without_skin_tones(text) {
            *text = plain;
        }
    }
    Ok(Filled {
        subject,
        body,
        file,
        cleaned,
    })
}

/// Stops the batch when rows cannot get a letter, unless asked to skip them.
fn refuse_bad_rows(
    skipped: &[Skipped],
    request: &LettersRequest,
    recipients: &Recipients,
) -> Result<()> {
    if !skipped.is_empty() && !request.skip_bad {
        return Err(Error::Usage(format!(
            "{} of {} recipients cannot get a letter; nothing was written (use --skip-bad to write the others):\n{}",
            skipped.len(),
            recipients.rows.len() + recipients.bad.len(),
            skipped
                .iter()
                .map(|s| format!("  {}: {}", s.place, s.message))
                .collect::<Vec<_>>()
                .join("\n")
        )));
    }
    Ok(())
}

/// Every letter its own file: a collision gets -2, -3, ... Returns the
/// names changed, as (wanted, given).
fn unique_file_names(letters: &mut [Planned]) -> Vec<(String, String)> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut renamed = Vec::new();
    for letter in letters {
        let wanted = safe_file_name(&letter.file);
        let mut name = wanted.clone();
        let mut n = 2;
        while !taken.insert(name.to_lowercase()) {
            name = format!("{}-{n}.pdf", wanted.trim_end_matches(".pdf"));
            n += 1;
        }
        if name != letter.file {
            renamed.push((letter.file.clone(), name.clone()));
        }
        letter.file = name;
    }
    renamed.retain(|(wanted, given)| safe_file_name(wanted) != *given);
    renamed
}

/// The lines of the address block: title and name, organisation, address.
fn address_lines(row: &Recipient) -> Vec<String> {
    let mut lines = Vec::new();
    let name = match row.get("title") {
        Some(title) => format!("{} {}", title.trim(), row.name().trim()),
        None => row.name().trim().to_owned(),
    };
    lines.push(name);
    if let Some(o) = row.get("organisation").or_else(|| row.get("organization")) {
        lines.push(o.trim().to_owned());
    }
    if let Some(address) = row.get("address") {
        lines.extend(
            address
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned),
        );
    }
    lines
}

#[derive(Serialize)]
struct LetterData<'a> {
    window: GeometryData,
    recipient: RecipientData,
    return_line: Option<String>,
    from: Vec<String>,
    dateline: String,
    subject: &'a str,
    body: Vec<Block>,
    signers: &'a [SignerData],
}

#[derive(Serialize)]
struct GeometryData {
    #[serde(flatten)]
    geometry: Geometry,
}

#[derive(Serialize)]
struct RecipientData {
    lines: Vec<String>,
}

#[derive(Serialize, Clone)]
struct SignerData {
    name: String,
    role: Option<String>,
    organisation: Option<String>,
    signature: Option<String>,
}

/// What every letter in one language shares.
struct Language {
    prepared: Prepared,
    project: crate::set::world::Project,
    dateline: String,
    /// The statement and annex, parsed once, appended to each letter.
    attachments: lopdf::Document,
}

/// What a finished batch did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The files written, with their page counts, in the recipients' order.
    pub written: Vec<(PathBuf, usize)>,
    /// The rows left out.
    pub skipped: Vec<Skipped>,
    /// File names changed to avoid collisions.
    pub renamed: Vec<(String, String)>,
}

/// One finished letter.
pub struct Letter {
    /// Its file name.
    pub file: String,
    /// The PDF, attachments joined.
    pub pdf: Vec<u8>,
    /// Its page count.
    pub pages: usize,
}

/// Sets letters of a plan, all languages' shared parts made once.
pub struct Setter<'a> {
    engine: &'a Engine,
    languages: HashMap<String, Language>,
    signature_assets: Vec<crate::resolve::assets::Asset>,
    with_statement: bool,
    signers: Vec<SignerData>,
    geometry: Geometry,
    return_line: Option<String>,
    from: Vec<String>,
}

/// The letter's signers, with their signature images loaded and checked.
fn signers(statement: &Statement) -> Result<(Vec<SignerData>, Vec<crate::resolve::assets::Asset>)> {
    let mut assets = Vec::new();
    let mut signers = Vec::new();
    let mut problems = Vec::new();
    for (i, s) in statement.letter.signers.iter().enumerate() {
        let signature =
            s.signature.as_deref().and_then(|p| {
                match crate::resolve::assets::load_image(
                    &statement.base_dir,
                    p,
                    &format!("letter.signers[{i}].signature"),
                    &format!("signature-{}", i + 1),
                ) {
                    Ok(asset) => {
                        let path = asset.virtual_path.clone();
                        assets.push(asset);
                        Some(path)
                    }
                    Err(problem) => {
                        problems.push(problem);
                        None
                    }
                }
            });
        signers.push(SignerData {
            name: s.name.clone(),
            role: s.role.clone(),
            organisation: s.organisation.clone(),
            signature,
        });
    }
    if !problems.is_empty() {
        return Err(Error::Invalid {
            path: statement.source.clone(),
            problems,
        });
    }
    Ok((signers, assets))
}

/// The return address's lines (`[letter] from`), and the one line printed
/// above the window (the organisation first).
fn return_address(statement: &Statement) -> (Vec<String>, Option<String>) {
    let from: Vec<String> = statement
        .letter
        .from
        .as_deref()
        .map(|f| {
            f.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let return_line = (!from.is_empty()).then(|| {
        let mut parts = Vec::new();
        if let Some(name) = &statement.organisation.name {
            parts.push(name.clone());
        }
        parts.extend(from.iter().cloned());
        parts.join(" · ")
    });
    (from, return_line)
}

/// What the letters in one language share: the prepared data, the project,
/// the date line and the statement and annex set once to attach.
fn set_language(
    engine: &Engine,
    statement: &Statement,
    request: &LettersRequest,
    tag: &str,
    signature_assets: &[crate::resolve::assets::Asset],
) -> Result<Language> {
    let translated = statement
        .in_language(tag)
        .ok_or_else(|| Error::Usage(format!("the statement has no `{tag}` translation")))?;
    // One preparation per language serves the statement, the annex and
    // every letter.
    let words = engine.words(&translated)?;
    engine.check_glyphs(&translated, &words, &request.layout, false)?;
    let prepared = engine.prepare(&translated, &request.layout)?;
    let mut project = engine.project(&prepared);
    for asset in signature_assets {
        project.add_shared(&asset.virtual_path, asset.data.clone());
    }
    let mut kinds = vec![DocumentKind::Annex];
    if request.with_statement {
        kinds.insert(0, DocumentKind::Statement);
    }
    let mut attachments: Option<lopdf::Document> = None;
    for kind in kinds {
        let document = engine.compile(&project, &prepared, kind)?;
        let parsed = crate::pdf::join::parse(&document.pdf, kind.name())?;
        match &mut attachments {
            None => attachments = Some(parsed),
            Some(base) => crate::pdf::join::append(base, &parsed)?,
        }
    }
    let attachments =
        attachments.ok_or_else(|| Error::Internal("nothing to attach to the letters".into()))?;
    let date = words.date(translated.date);
    let dateline = match &translated.letter.place {
        Some(place) => format!("{place}, {date}"),
        None => date,
    };
    Ok(Language {
        prepared,
        project,
        dateline,
        attachments,
    })
}

impl<'a> Setter<'a> {
    /// Lays out the statement and the annex for each language of the plan.
    pub fn new(
        engine: &'a Engine,
        statement: &Statement,
        request: &LettersRequest,
        plan: &Plan,
    ) -> Result<Setter<'a>> {
        if request.layout.paper != Paper::A4 {
            return Err(Error::Usage(
                "letters are laid out for A4 window envelopes (DIN 5008, DL, C5); Letter paper is not offered yet".into(),
            ));
        }
        let (signers, signature_assets) = signers(statement)?;
        let (from, return_line) = return_address(statement);
        let mut wanted: Vec<&str> = Vec::new();
        for l in &plan.letters {
            if !wanted.contains(&l.language.as_str()) {
                wanted.push(l.language.as_str());
            }
        }
        // One language after another, on this thread: Typst parallelises
        // within a document, and a rayon worker blocked on other threads
        // would starve that work.
        let languages: Result<Vec<(String, Language)>> = wanted
            .iter()
            .map(|&tag| {
                let language = set_language(engine, statement, request, tag, &signature_assets)?;
                Ok((tag.to_owned(), language))
            })
            .collect();
        Ok(Setter {
            engine,
            languages: languages?.into_iter().collect(),
            signature_assets,
            with_statement: request.with_statement,
            signers,
            geometry: request.window.geometry(),
            return_line,
            from,
        })
    }

    /// The letter's own data (`letter.json`): address, date, subject, text
    /// and signatures, as the letter template reads it.
    pub fn letter_json(&self, letter: &Planned) -> Result<Vec<u8>> {
        let language = self.language(letter)?;
        let data = LetterData {
            window: GeometryData {
                geometry: self.geometry.clone(),
            },
            recipient: RecipientData {
                lines: address_lines(&letter.recipient),
            },
            return_line: self.return_line.clone(),
            from: self.from.clone(),
            dateline: language.dateline.clone(),
            subject: &letter.subject,
            body: markdown::parse(&letter.body),
            signers: &self.signers,
        };
        serde_json::to_vec(&data)
            .map_err(|e| Error::Internal(format!("cannot serialise a letter: {e}")))
    }

    /// The statement's data in `language`, as its letters' statement and
    /// annex were set from it.
    pub fn prepared(&self, language: &str) -> Option<&Prepared> {
        self.languages.get(language).map(|l| &l.prepared)
    }

    /// The signers' signature images, normalised.
    pub fn signature_assets(&self) -> &[crate::resolve::assets::Asset] {
        &self.signature_assets
    }

    /// Whether the statement's text follows each letter (before the annex).
    pub fn with_statement(&self) -> bool {
        self.with_statement
    }

    /// Sets one letter alone, without the pages joined to it (for previews
    /// and for checking where things landed).
    pub fn letter_document(&self, letter: &Planned) -> Result<crate::set::engine::Document> {
        let language = self.language(letter)?;
        let json = self.letter_json(letter)?;
        let mut project = language.project.clone();
        // The same path for every letter: Typst's file ids are never used up.
        project.add("/letter.json", json);
        self.engine
            .compile(&project, &language.prepared, DocumentKind::Letter)
    }

    fn language(&self, letter: &Planned) -> Result<&Language> {
        self.languages.get(&letter.language).ok_or_else(|| {
            Error::Internal(format!("no `{}` statement was laid out", letter.language))
        })
    }

    /// Sets one letter and joins the statement and annex to it.
    pub fn set(&self, letter: &Planned) -> Result<Letter> {
        let language = self.language(letter)?;
        let document = self.letter_document(letter)?;
        let pages = document.pages + language.attachments.get_pages().len();
        let mut joined = crate::pdf::join::parse(&document.pdf, "the letter")?;
        crate::pdf::join::append(&mut joined, &language.attachments)?;
        Ok(Letter {
            file: letter.file.clone(),
            pdf: crate::pdf::join::save(&mut joined)?,
            pages,
        })
    }
}

/// Letters set at a time before they are written and Typst's cache trimmed.
pub(crate) const CHUNK: usize = 32;

/// Sets and writes every letter of a plan into `dir`, in parallel, calling
/// `progress` after each letter. Each file is written whole (temporary file,
/// then renamed), so an interrupted batch leaves complete letters or none.
pub fn write(
    setter: &Setter<'_>,
    plan: &Plan,
    dir: &Path,
    progress: &(dyn Fn(&Path) + Sync),
) -> Result<Report> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
    crate::write::output::clean_stale(dir);
    let mut report = Report {
        skipped: plan.skipped.clone(),
        renamed: plan.renamed.clone(),
        ..Report::default()
    };
    for chunk in plan.letters.chunks(CHUNK) {
        let written: Vec<Result<(PathBuf, usize)>> = chunk
            .par_iter()
            .map(|planned| {
                let letter = setter.set(planned)?;
                let path = dir.join(&letter.file);
                crate::write::output::write_atomic(&path, &letter.pdf)?;
                progress(&path);
                Ok((path, letter.pages))
            })
            .collect();
        for result in written {
            match result {
                Ok(w) => report.written.push(w),
                Err(e) => {
                    return Err(Error::Usage(format!(
                        "{e}\n{} letters were written before this one failed: {}",
                        report.written.len(),
                        report
                            .written
                            .iter()
                            .map(|(p, _)| p.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
        }
        // What the last chunk's letters left in Typst's cache is not needed again.
        comemo::evict(0);
    }
    Ok(report)
}

/// Sets every letter of a plan in memory (for `--dry-run`, tests and
/// previews), a chunk at a time like [`write()`].
pub fn set_all(setter: &Setter<'_>, plan: &Plan) -> Result<Vec<Letter>> {
    let mut out = Vec::with_capacity(plan.letters.len());
    for chunk in plan.letters.chunks(CHUNK) {
        let set: Result<Vec<Letter>> = chunk.par_iter().map(|l| setter.set(l)).collect();
        out.extend(set?);
        comemo::evict(0);
    }
    Ok(out)
}

/// Writes a ZIP archive of written letters to `target`, for sending: each
/// file by its name, read and compressed one at a time (memory stays flat),
/// dated with the statement's date so the same letters give the same archive.
/// Written to a temporary file and renamed into place when complete.
pub fn zip(files: &[PathBuf], target: &Path, date: crate::load::statement::Date) -> Result<()> {
    let failed = |e: &dyn std::fmt::Display| {
        Error::Internal(format!("cannot write {}: {e}", target.display()))
    };
    let stamp = zip::DateTime::from_date_and_time(
        u16::try_from(date.year).unwrap_or(1980).clamp(1980, 2107),
        date.month,
        date.day,
        0,
        0,
        0,
    )
    .map_err(|e| failed(&e))?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp);
    crate::write::output::write_atomic_with(target, |file| {
        let mut writer = zip::ZipWriter::new(std::io::BufWriter::new(file));
        for path in files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            writer.start_file(name, options).map_err(|e| failed(&e))?;
            let mut input =
                std::fs::File::open(path).map_err(|e| Error::io("cannot read", path, e))?;
            std::io::copy(&mut input, &mut writer).map_err(|e| failed(&e))?;
        }
        let out = writer.finish().map_err(|e| failed(&e))?;
        out.into_inner().map_err(|e| failed(&e))?;
        Ok(())
    })
}

/// One PDF of every letter of a plan, for printing. The statement and annex
/// pages are added once per language and repeated by reference after each
/// letter, so the file (and the memory to make it) grows by a letter's own
/// pages only. With `duplex`, each letter starts on a front side.
pub fn merge(setter: &Setter<'_>, plan: &Plan, duplex: bool) -> Result<Vec<u8>> {
    let mut joiner: Option<crate::pdf::join::Joiner> = None;
    let mut shared: HashMap<String, crate::pdf::join::Shared> = HashMap::new();
    for chunk in plan.letters.chunks(CHUNK) {
        let documents: Result<Vec<crate::set::engine::Document>> = chunk
            .par_iter()
            .map(|l| setter.letter_document(l))
            .collect();
        for (planned, document) in chunk.iter().zip(documents?) {
            let parsed = crate::pdf::join::parse(&document.pdf, &planned.file)?;
            let joiner = match &mut joiner {
                Some(j) => {
                    j.push(parsed)?;
                    j
                }
                None => joiner.insert(crate::pdf::join::Joiner::new(parsed)?),
            };
            if !shared.contains_key(&planned.language) {
                let language = setter.language(planned)?;
                let pages = joiner.share(language.attachments.clone())?;
                shared.insert(planned.language.clone(), pages);
            }
            let pages = &shared[&planned.language];
            joiner.push_shared(pages);
            if duplex && (document.pages + pages.len()) % 2 == 1 {
                joiner.push_blank();
            }
        }
        comemo::evict(0);
    }
    let joiner = joiner.ok_or_else(|| Error::Usage("no letters to merge".into()))?;
    let mut merged = joiner.into_document()?;
    crate::pdf::join::save(&mut merged)
}

#[cfg(test)]
mod tests;
