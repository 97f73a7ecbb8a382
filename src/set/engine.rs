//! Compiling a statement's documents with the embedded Typst compiler.
//!
//! One [`Engine`] holds what every document shares (standard library, fonts,
//! templates) and is reused across builds; Typst's own cache is process-wide,
//! so a second build of similar data is cheaper still. The documents of one
//! build are compiled in parallel.

use std::path::PathBuf;
use std::sync::Arc;

use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::error::{Error, Problem, Result};
use crate::load::statement::Paper;
use crate::load::statement::Statement;
use crate::resolve::data::{self, Layout, Prepared};
use crate::resolve::l10n::Words;
use crate::set::fonts::Fonts;
use crate::set::glyphs;
pub use crate::set::pieces::PieceSize;
use crate::set::templates::Templates;
use crate::set::tile::TilePlan;
use crate::set::world::{self, DocumentWorld, Project, Shared};

/// The documents broadside makes from a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentKind {
    /// The press release for journalists.
    PressRelease,
    /// The poster for printing.
    Poster,
    /// The signatory annex to attach to letters.
    Annex,
    /// The poster split into office-printer sheets (made by `Engine::tile`).
    PosterTiled,
    /// Placards to carry, one slogan a page.
    Placards,
    /// The flyer handed out on the day: one or two sides.
    Flyer,
    /// Flyers several to a sheet, with cut marks (made by `Engine::impose`).
    FlyerImposed,
    /// A 1080 × 1080 social-media card.
    CardSquare,
    /// A 1200 × 675 social-media card.
    CardWide,
    /// The statement's own text, as it travels with letters.
    Statement,
    /// One personal letter (made by [`crate::letters`]).
    Letter,
}

impl DocumentKind {
    /// The three documents of every statement, in the order they are built and listed.
    pub const ALL: [DocumentKind; 3] = [
        DocumentKind::PressRelease,
        DocumentKind::Poster,
        DocumentKind::Annex,
    ];

    /// The name used for files, templates and `--only`.
    pub fn name(self) -> &'static str {
        match self {
            DocumentKind::PressRelease => "press-release",
            DocumentKind::Poster => "poster",
            DocumentKind::Annex => "annex",
            DocumentKind::PosterTiled => "poster-tiled",
            DocumentKind::Placards => "placards",
            DocumentKind::Flyer => "flyer",
            DocumentKind::FlyerImposed => "flyer-imposed",
            DocumentKind::CardSquare => "card-square",
            DocumentKind::CardWide => "card-wide",
            DocumentKind::Statement => "statement",
            DocumentKind::Letter => "letter",
        }
    }

    /// Parses one of the documents' names, as given to `--only`.
    pub fn parse(name: &str) -> Option<DocumentKind> {
        Self::ALL
            .into_iter()
            .chain([DocumentKind::Placards, DocumentKind::Flyer])
            .find(|k| k.name() == name.trim())
    }

    /// Whether the document is print work with a bleed and trim (the
    /// poster, placards and flyer), which takes marks and print colours.
    pub fn is_print(self) -> bool {
        matches!(
            self,
            DocumentKind::Poster | DocumentKind::Placards | DocumentKind::Flyer
        )
    }

    fn template(self) -> String {
        format!("{}.typ", self.name())
    }
}

/// Settings that apply to every build of an engine.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// A folder whose `.typ`/`.toml` files replace the bundled templates of the same name.
    pub templates_dir: Option<PathBuf>,
    /// Folders with more fonts (searched after the bundled ones).
    pub font_dirs: Vec<PathBuf>,
    /// How a long annex is cut into pieces (chosen by its length unless set).
    pub pieces: PieceSize,
    /// The `broadside` command, to start as worker processes that set a
    /// long annex's pieces (`set::worker`); without it, pieces are set on
    /// this process's threads.
    pub workers: Option<PathBuf>,
}

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// Which documents.
    pub documents: Vec<DocumentKind>,
    /// Paper, poster size and other layout choices.
    pub layout: Layout,
    /// Build even when some characters have no glyph (they print as boxes);
    /// the missing characters are then reported as warnings.
    pub allow_missing_glyphs: bool,
    /// Also split the poster into sheets of this paper (`poster-tiled`).
    pub tile: Option<Paper>,
    /// Also put the flyer several to a sheet of this paper (`flyer-imposed`).
    pub impose: Option<crate::set::impose::Sheet>,
}

impl Default for BuildRequest {
    fn default() -> Self {
        BuildRequest {
            documents: DocumentKind::ALL.to_vec(),
            layout: Layout::default(),
            allow_missing_glyphs: false,
            tile: None,
            impose: None,
        }
    }
}

/// One finished document.
#[derive(Debug, Clone)]
pub struct Document {
    /// Which document this is.
    pub kind: DocumentKind,
    /// The language it is in (a BCP 47 tag).
    pub language: String,
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// How many pages it has.
    pub pages: usize,
    /// What the compiler warned about (missing glyphs, fonts, ...), rendered for people.
    pub warnings: Vec<String>,
    /// The laid-out pages, for rendering previews. A long annex laid out in
    /// pieces keeps only its first piece's pages here (the PDF has them all):
    /// the pages of a list of a million names would not fit in memory.
    pub layout: Arc<PagedDocument>,
    /// How many pieces it was laid out in: 1, or more for a long annex.
    pub pieces: usize,
    /// How many of a long annex's entries had their lines counted from
    /// their words instead of laid out before the pages were set (0 for a
    /// document in one piece).
    pub counted: usize,
    /// How many of a long annex's pieces were set by worker processes
    /// (see [`EngineOptions::workers`]).
    pub by_workers: usize,
}

impl Document {
    /// Renders page `index` (from 0) at `ppi` pixels per inch, with the bleed
    /// around the trimmed page when `bleed` is true.
    pub fn render(&self, index: usize, ppi: f32, bleed: bool) -> Option<image::RgbaImage> {
        let page = self.layout.pages().get(index)?;
        let options = typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new(f64::from(ppi) / 72.0),
            render_bleed: bleed,
        };
        let pixmap = typst_render::render(page, &options);
        // tiny-skia keeps premultiplied alpha; images want it straight.
        let mut data = pixmap.data().to_vec();
        for px in data.chunks_exact_mut(4) {
            let a = px[3];
            if a != 0 && a != 255 {
                for c in &mut px[..3] {
                    *c = ((u16::from(*c) * 255 + u16::from(a) / 2) / u16::from(a)).min(255) as u8;
                }
            }
        }
        image::RgbaImage::from_raw(pixmap.width(), pixmap.height(), data)
    }
}

/// Trims Typst's cache (global to the process) to what the last build used:
/// an edit rebuilds from the previous build's layout, while memory stays flat
/// over a day of rebuilds (measured in `benches/watch.rs`: keeping the last
/// two builds let memory grow 11% over 1,000 rebuilds, keeping ten 27%;
/// keeping one, 6–8%, at the same speed within noise).
pub fn trim_cache() {
    comemo::evict(1);
}

/// From this many signatories on, a single build makes its documents one
/// after the other, the annex last and alone (see [`Engine::build`]), and
/// `build --lang` its languages one after the other: peak memory is then one
/// annex's.
pub const LONG_LIST: usize = 2_000;

/// The last PDF of each document kind and language, with the hash of what
/// it is made of.
type LastPdfs = std::collections::HashMap<(DocumentKind, String), (u128, Vec<u8>)>;

/// Compiles statements into documents. Create one and reuse it.
pub struct Engine {
    shared: Shared,
    templates: Templates,
    /// The last PDF of each document and language, by what it is made of
    /// (see [`Engine::compile`]).
    last_pdfs: std::sync::Mutex<LastPdfs>,
    /// The templates, parsed: every build's project starts from them.
    templates_project: Project,
    /// Whether to keep PDFs for [`Engine::reuse_pdfs`].
    reuse_pdfs: std::sync::atomic::AtomicBool,
    /// How a long annex is cut into pieces.
    pieces: PieceSize,
    /// The command to start as workers, and the font folders they load.
    pub(crate) workers: Option<(PathBuf, Vec<PathBuf>)>,
}

impl Engine {
    /// An engine with the bundled templates and fonts.
    pub fn new() -> Engine {
        Engine::with_parts(Templates::bundled(), Fonts::bundled())
    }

    /// An engine with the given options.
    pub fn with_options(options: &EngineOptions) -> Result<Engine> {
        let templates = match &options.templates_dir {
            Some(dir) => Templates::with_overrides(dir)?,
            None => Templates::bundled(),
        };
        let mut engine = Engine::with_parts(templates, Fonts::with_dirs(&options.font_dirs)?);
        engine.pieces = options.pieces;
        engine.workers = options
            .workers
            .clone()
            .map(|exe| (exe, options.font_dirs.clone()));
        Ok(engine)
    }

    fn with_parts(templates: Templates, fonts: Fonts) -> Engine {
        let shared = Shared {
            library: typst::utils::LazyHash::new(Library::default()),
            fonts: Arc::new(fonts),
        };
        let mut templates_project =
            Project::new(Datetime::from_ymd(1970, 1, 1).expect("valid date"));
        for (name, text) in templates.files() {
            templates_project.add(&format!("/{name}"), text.as_bytes().to_vec());
        }
        Engine {
            shared,
            templates,
            last_pdfs: Default::default(),
            templates_project,
            reuse_pdfs: Default::default(),
            pieces: PieceSize::default(),
            workers: None,
        }
    }

    /// Keeps each document's last PDF and reuses it when a rebuild leaves
    /// its pages unchanged (for `watch`; a single build would only pay for
    /// hashing the pages). Such an engine also keeps Typst's cache through
    /// a build of a long list, which a single build empties before the annex.
    pub fn reuse_pdfs(&self) {
        self.reuse_pdfs
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// The fonts this engine lays out with.
    pub fn fonts(&self) -> &Fonts {
        &self.shared.fonts
    }

    /// The templates this engine uses.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// Resolves the statement into the templates' data (and checks its images).
    pub fn prepare(&self, statement: &Statement, layout: &Layout) -> Result<Prepared> {
        data::prepare(statement, &self.words(statement)?, layout)
    }

    /// The template words, dates and digits in the statement's language.
    pub fn words(&self, statement: &Statement) -> Result<Words> {
        Words::new(
            self.templates.get("l10n.toml").unwrap_or_default(),
            &statement.language,
            statement.digits,
        )
    }

    /// The Typst project (templates, data, images) for prepared data.
    pub fn project(&self, prepared: &Prepared) -> Project {
        let d = prepared.date;
        let today = Datetime::from_ymd(d.year, d.month, d.day)
            .unwrap_or(Datetime::from_ymd(1970, 1, 1).expect("valid date"));
        // The templates were parsed once, when the engine was made.
        let mut project = self.templates_project.dated(today);
        project.add_shared("/statement.json", prepared.json.clone());
        for asset in &prepared.assets {
            project.add_shared(&asset.virtual_path, asset.data.clone());
        }
        project
    }

    /// The glyph check every document passes before it is set: characters
    /// of the statement (and of the template words in its language) that no
    /// available font can draw, numbered as `layout`'s annex prints them.
    /// An error naming them all, unless `allow` (`--allow-missing-glyphs`),
    /// when they come back as warnings.
    pub fn check_glyphs(
        &self,
        statement: &Statement,
        words: &Words,
        layout: &Layout,
        allow: bool,
    ) -> Result<Vec<Problem>> {
        let mut missing = self.missing_glyphs_with(statement, words);
        crate::load::order::Numbers::new(
            &statement.signatories,
            &statement.language,
            layout.sort.unwrap_or(statement.list.sort),
            layout.group_by.unwrap_or(statement.list.group_by),
        )
        .mark(&mut missing);
        if !missing.is_empty() && !allow {
            return Err(Error::Invalid {
                path: statement.source.clone(),
                problems: missing,
            });
        }
        Ok(missing)
    }

    fn missing_glyphs_with(&self, statement: &Statement, words: &Words) -> Vec<Problem> {
        let phrases = words.phrases();
        // Dates and times come from CLDR, with their own spaces and signs
        // (a narrow no-break space before "AM", a minus sign in "UTC−4").
        let date = words.date(statement.date);
        let embargo = statement
            .release
            .embargo
            .map(|t| words.moment(t))
            .unwrap_or_default();
        let count = words.signed_by(statement.signatories.len());
        let mut texts = statement.printed_texts();
        texts.push(("date".into(), date.as_str()));
        texts.push(("release.embargo".into(), embargo.as_str()));
        texts.push(("signatories".into(), count.as_str()));
        texts.extend(phrases.iter().map(|(k, v)| {
            (
                format!("templates/l10n.toml: {}.{k}", words.language()),
                v.as_str(),
            )
        }));
        glyphs::missing(&self.shared.fonts, texts)
    }

    /// Adds the tiled poster to a project whose poster is built: the plan
    /// as `tiles.json` and the poster's own PDF, which the sheets show.
    fn tile(
        &self,
        project: &mut Project,
        prepared: &Prepared,
        poster: &Document,
        sheet: Paper,
    ) -> Result<Document> {
        let (width, height) = prepared.poster_mm;
        let plan = TilePlan::new(sheet, width, height);
        let offset = prepared.bleed_mm + prepared.slug_mm;
        let mut tiles = serde_json::to_value(&plan).map_err(|e| Error::Internal(e.to_string()))?;
        tiles["offset_mm"] = offset.into();
        tiles["media_width_mm"] = (width + 2.0 * offset).into();
        tiles["media_height_mm"] = (height + 2.0 * offset).into();
        project.add("/tiles.json", tiles.to_string().into_bytes());
        project.add("/poster.pdf", poster.pdf.clone());
        self.compile(project, prepared, DocumentKind::PosterTiled)
    }

    /// Adds the imposed flyers to a project whose flyer is built: the plan
    /// as `impose.json` and the flyer's own PDF, which each slot shows.
    fn impose(
        &self,
        project: &mut Project,
        prepared: &Prepared,
        flyer: &Document,
        sheet: crate::set::impose::Sheet,
    ) -> Result<Document> {
        let plan = crate::set::impose::ImposePlan::new(sheet, prepared.flyer_mm)
            .map_err(|m| Error::Usage(format!("--impose {}: {m}", sheet.name())))?;
        let offset = prepared.bleed_mm + prepared.slug_mm;
        let mut json = serde_json::to_value(&plan).map_err(|e| Error::Internal(e.to_string()))?;
        json["offset_mm"] = offset.into();
        json["sides"] = flyer.pages.into();
        project.add("/impose.json", json.to_string().into_bytes());
        project.add("/flyer.pdf", flyer.pdf.clone());
        self.compile(project, prepared, DocumentKind::FlyerImposed)
    }

    /// Builds the requested documents of a statement, in parallel.
    pub fn build(&self, statement: &Statement, request: &BuildRequest) -> Result<Vec<Document>> {
        let words = self.words(statement)?;
        let missing = self.check_glyphs(
            statement,
            &words,
            &request.layout,
            request.allow_missing_glyphs,
        )?;
        let prepared = data::prepare(statement, &words, &request.layout)?;
        let mut project = self.project(&prepared);
        // A long list is built one document after the other, the annex last,
        // after Typst's cache has been emptied of the others: peak memory is
        // then the annex's, not the sum of three, in about the same time (the
        // annex is most of it); docs/performance.md has the figures.
        // A rebuild in `watch` keeps the cache: it is what makes it fast.
        let long = !self.reuse_pdfs.load(std::sync::atomic::Ordering::Relaxed)
            && statement.signatories.len() >= LONG_LIST;
        let mut kinds: Vec<(usize, DocumentKind)> =
            request.documents.iter().copied().enumerate().collect();
        let mut results = if long {
            kinds.sort_by_key(|&(_, kind)| kind == DocumentKind::Annex);
            let mut results = Vec::with_capacity(kinds.len());
            for (index, kind) in kinds {
                if kind == DocumentKind::Annex {
                    comemo::evict(0);
                }
                results.push((index, self.compile(&project, &prepared, kind)));
            }
            results
        } else {
            self.compile_parallel(&project, &prepared, &kinds)
        };
        results.sort_by_key(|(index, _)| *index);
        let mut documents = results
            .into_iter()
            .map(|(_, result)| result)
            .collect::<Result<Vec<Document>>>()?;
        if let Some(sheet) = request.tile {
            let poster = documents
                .iter()
                .find(|d| d.kind == DocumentKind::Poster)
                .ok_or_else(|| {
                    Error::Usage("tiling needs the poster: include it in the documents".into())
                })?;
            let tiled = self.tile(&mut project, &prepared, poster, sheet)?;
            documents.push(tiled);
        }
        if let Some(sheet) = request.impose {
            let flyer = documents
                .iter()
                .find(|d| d.kind == DocumentKind::Flyer)
                .ok_or_else(|| {
                    Error::Usage("imposing needs the flyer: include it in the documents".into())
                })?;
            let imposed = self.impose(&mut project, &prepared, flyer, sheet)?;
            documents.push(imposed);
        }
        for document in &mut documents {
            let notes = missing
                .iter()
                .map(|p| format!("warning: missing glyph: {p}"));
            document.warnings.splice(0..0, notes);
        }
        Ok(documents)
    }

    /// Compiles documents in parallel, each with its place in the request.
    fn compile_parallel(
        &self,
        project: &Project,
        prepared: &Prepared,
        kinds: &[(usize, DocumentKind)],
    ) -> Vec<(usize, Result<Document>)> {
        std::thread::scope(|scope| {
            let handles: Vec<_> = kinds
                .iter()
                .map(|&(index, kind)| {
                    (
                        index,
                        scope.spawn(move || self.compile(project, prepared, kind)),
                    )
                })
                .collect();
            handles
                .into_iter()
                .map(|(index, handle)| {
                    let result = handle.join().unwrap_or_else(|_| {
                        Err(Error::Internal("the compiler stopped unexpectedly".into()))
                    });
                    (index, result)
                })
                .collect()
        })
    }

    /// The world a document of `kind` is compiled in.
    pub(crate) fn world<'a>(
        &'a self,
        project: &'a Project,
        kind: DocumentKind,
    ) -> Result<DocumentWorld<'a>> {
        let template = kind.template();
        let main = world::file_id(&format!("/{template}"))
            .ok_or_else(|| Error::Usage(format!("{template} is not a valid template name")))?;
        if project.get(main).is_none() {
            return Err(Error::Usage(format!("there is no template {template}")));
        }
        Ok(DocumentWorld::new(&self.shared, project, main))
    }

    /// Lays out one document: its pages and what the compiler and the
    /// template warned about.
    pub(crate) fn lay_out(
        &self,
        project: &Project,
        kind: DocumentKind,
    ) -> Result<(PagedDocument, Vec<String>)> {
        let world = self.world(project, kind)?;
        let warned = typst::compile::<PagedDocument>(&world);
        let warnings: Vec<String> = warned
            .warnings
            .iter()
            .map(|d| render_diagnostic(&world, d))
            .collect();
        let document = warned.output.map_err(|errors| Error::Template {
            document: kind.name().into(),
            message: errors
                .iter()
                .map(|d| render_diagnostic(&world, d))
                .collect::<Vec<_>>()
                .join("\n"),
        })?;
        let mut warnings = warnings;
        warnings.extend(template_warnings(&document));
        Ok((document, warnings))
    }

    /// The PDF's permanent /ID: the kind, the language and the metadata
    /// (title, authors, date), and a letter's own data.
    pub(crate) fn ident(
        project: &Project,
        prepared: &Prepared,
        kind: DocumentKind,
        document: &PagedDocument,
    ) -> u128 {
        // The PDF's permanent /ID names the document, not a version of it:
        // the kind, the language and the metadata (title, authors, date).
        // A letter is also its recipient's: its own data joins the /ID.
        let own = (kind == DocumentKind::Letter)
            .then(|| world::file_id("/letter.json").and_then(|id| project.get(id)))
            .flatten()
            .map(|bytes| bytes.as_slice().to_vec());
        Self::ident_of(kind, &prepared.language, document, own)
    }

    /// The /ID of an annex in `language` (see [`Engine::ident`]), as a
    /// worker process that sets its pieces has it.
    pub(crate) fn annex_ident(language: &str, document: &PagedDocument) -> u128 {
        Self::ident_of(DocumentKind::Annex, language, document, None)
    }

    fn ident_of(
        kind: DocumentKind,
        language: &str,
        document: &PagedDocument,
        own: Option<Vec<u8>>,
    ) -> u128 {
        let info = typst::model::Document::info(document);
        typst::utils::hash128(&(kind, language, info, own))
    }

    /// Compiles one document and writes its PDF bytes. A long annex is laid
    /// out in pieces on every core ([`crate::set::pieces`]).
    pub(crate) fn compile(
        &self,
        project: &Project,
        prepared: &Prepared,
        kind: DocumentKind,
    ) -> Result<Document> {
        if kind == DocumentKind::Annex
            && !self.reuse_pdfs.load(std::sync::atomic::Ordering::Relaxed)
            && let Some(document) = crate::set::pieces::annex(self, project, prepared, self.pieces)?
        {
            return Ok(document);
        }
        let (document, warnings) = self.lay_out(project, kind)?;
        let world = self.world(project, kind)?;
        let ident = Self::ident(project, prepared, kind, &document);
        // What the PDF is made of: its pages, its /ID, its attached files
        // and images, the standards and the bleed. A rebuild that changes
        // none of it (in `watch`, the annex after an edit of the body) reuses
        // the last PDF, which is byte for byte what writing it again gives.
        // (Pages hash with their source spans, which differ between
        // processes: this key is for this process only.)
        let reuse = kind != DocumentKind::Letter
            && self.reuse_pdfs.load(std::sync::atomic::Ordering::Relaxed);
        let pdf = if reuse {
            let key = typst::utils::hash128(&(
                document.pages(),
                ident,
                prepared
                    .assets
                    .iter()
                    .map(|a| (&a.virtual_path, &a.data))
                    .collect::<Vec<_>>(),
                format!("{:?}", prepared.standards),
                prepared
                    .pdf_x
                    .as_ref()
                    .map(|i| (&i.condition, i.profile.len())),
                prepared.bleed_mm.to_bits(),
                prepared.date,
            ));
            let cache_key = (kind, prepared.language.clone());
            let cached = self.last_pdfs.lock().ok().and_then(|m| {
                m.get(&cache_key)
                    .filter(|(k, _)| *k == key)
                    .map(|(_, pdf)| pdf.clone())
            });
            match cached {
                Some(pdf) => pdf,
                None => {
                    let pdf = self.write_pdf(&world, &document, prepared, kind, ident)?;
                    if let Ok(mut m) = self.last_pdfs.lock() {
                        m.insert(cache_key, (key, pdf.clone()));
                    }
                    pdf
                }
            }
        } else {
            self.write_pdf(&world, &document, prepared, kind, ident)?
        };
        Ok(Document {
            kind,
            language: prepared.language.clone(),
            pdf,
            pages: document.pages().len(),
            warnings,
            layout: Arc::new(document),
            pieces: 1,
            counted: 0,
            by_workers: 0,
        })
    }

    /// Writes a laid-out document as PDF (with the poster's bleed box).
    pub(crate) fn write_pdf(
        &self,
        world: &DocumentWorld<'_>,
        document: &PagedDocument,
        prepared: &Prepared,
        kind: DocumentKind,
        ident: u128,
    ) -> Result<Vec<u8>> {
        let d = prepared.date;
        let pdf = self.typst_pdf(
            world,
            document,
            kind,
            ident,
            (d.year, d.month, d.day),
            &prepared.standards,
        )?;
        if !kind.is_print() {
            return Ok(pdf);
        }
        match &prepared.pdf_x {
            Some(intent) => crate::pdf::pdfx::convert(&pdf, intent, prepared.bleed_mm, kind.name()),
            None => crate::pdf::boxes::add_bleed_box(&pdf, prepared.bleed_mm),
        }
    }

    /// Writes a piece of an annex as PDF, as [`Engine::write_pdf`] does.
    pub(crate) fn write_annex_pdf(
        &self,
        world: &DocumentWorld<'_>,
        document: &PagedDocument,
        settings: &crate::set::worker::PdfSettings,
        ident: u128,
    ) -> Result<Vec<u8>> {
        self.typst_pdf(
            world,
            document,
            DocumentKind::Annex,
            ident,
            settings.date,
            &settings.standards,
        )
    }

    /// Typst's PDF of `document`, dated `(year, month, day)`.
    fn typst_pdf(
        &self,
        world: &DocumentWorld<'_>,
        document: &PagedDocument,
        kind: DocumentKind,
        ident: u128,
        d: (i32, u8, u8),
        standards: &[typst_pdf::PdfStandard],
    ) -> Result<Vec<u8>> {
        let options = PdfOptions {
            ident: Smart::Custom(format!("broadside-{}-{ident:032x}", kind.name())),
            creator: Smart::Custom(Some(format!(
                "broadside {} (Typst {})",
                env!("CARGO_PKG_VERSION"),
                typst::utils::version().raw()
            ))),
            timestamp: Datetime::from_ymd(d.0, d.1, d.2).map(Timestamp::new_utc),
            standards: typst_pdf::PdfStandards::new(standards)
                .map_err(|e| Error::Usage(format!("--pdf-standard: {}", e.message())))?,
            ..PdfOptions::default()
        };
        let pdf = typst_pdf::pdf(document, &options).map_err(|errors| Error::Pdf {
            document: kind.name().into(),
            message: errors
                .iter()
                .map(|d| render_diagnostic(world, d))
                .collect::<Vec<_>>()
                .join("\n"),
        })?;
        Ok(pdf)
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// What a template tells the organiser (a web address too long to print in
/// full, say): each `metadata("...")` labelled `<broadside-warning>`, once.
fn template_warnings(document: &PagedDocument) -> Vec<String> {
    use typst::foundations::{Label, Selector, Value};
    use typst::introspection::{Introspector, MetadataElem};
    let Some(label) = Label::new(typst::utils::PicoStr::intern("broadside-warning")) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for content in document.introspector().query(&Selector::Label(label)) {
        if let Some(meta) = content.to_packed::<MetadataElem>()
            && let Value::Str(text) = &meta.value
        {
            let line = format!("warning: {}", text.as_str());
            if !out.contains(&line) {
                out.push(line);
            }
        }
    }
    out
}

/// "error: message (poster.typ:12:5)" with the source line and hints.
fn render_diagnostic(world: &DocumentWorld<'_>, diagnostic: &SourceDiagnostic) -> String {
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!("{severity}: {}", diagnostic.message);
    let located = diagnostic.span.id().and_then(|id| {
        let range = world.range(diagnostic.span)?;
        let source = world.source(id).ok()?;
        let lines = source.lines();
        let line = lines.byte_to_line(range.start)?;
        let column = lines.byte_to_column(range.start)?;
        let text = source.text();
        let start = lines.line_to_byte(line)?;
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        Some((
            id.vpath().get_without_slash().to_owned(),
            line + 1,
            column + 1,
            text[start..end].to_owned(),
        ))
    });
    if let Some((file, line, column, excerpt)) = located {
        out.push_str(&format!(
            "\n  --> templates/{file}:{line}:{column}\n   | {}",
            excerpt.trim_end()
        ));
    }
    for hint in &diagnostic.hints {
        out.push_str(&format!("\n  hint: {}", hint.v));
    }
    out
}
