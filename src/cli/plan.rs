//! `build`'s arguments checked once into a plan: what to build and write.
//! `watch` keeps the plan and rebuilds from it on every save, so a flag is
//! never checked again (nor differently) between rebuilds.

use std::path::PathBuf;
use std::time::Duration;

use broadside::load::statement::{GroupBy, PosterSize, PosterTheme, SortBy};
use broadside::pdf::pdfx::OutputIntent;
use broadside::resolve::data::{self, ColourMode, Layout};
use broadside::set::Sheet;
use broadside::write::textout::TextFormat;
use broadside::{BuildRequest, DocumentKind, EngineOptions, Error};
use image::ImageFormat;
use typst_pdf::PdfStandard;

use super::args::{
    BuildArgs, DocumentArg, FormatArg, GroupByArg, ImageFormatArg, PdfStandardArg, SheetArg,
    SortArg, ThemeArg,
};
use super::paper;

/// A checked `build`: every flag turned into what the library takes.
pub struct BuildPlan {
    /// The statement file; the bundled example when `None`.
    pub statement: Option<PathBuf>,
    /// The folder written into.
    pub out: PathBuf,
    /// Templates and fonts for the engine.
    pub engine: EngineOptions,
    /// The documents and how they are laid out.
    pub request: BuildRequest,
    /// Whether the PDFs are built (also when only the email draft needs one).
    pub pdf: bool,
    /// The text versions rendered: those written, and those the draft carries.
    pub texts: Vec<TextFormat>,
    /// The text versions written as files.
    pub written_texts: Vec<TextFormat>,
    /// Also write the email draft.
    pub eml: bool,
    /// The poster and cards as images, when asked for.
    pub images: Option<Images>,
    /// The languages asked for (`all`, tags, or none for the statement's own).
    pub languages: Vec<String>,
    /// Warnings stop the build.
    pub strict: bool,
    /// The time bound of one build.
    pub timeout: Duration,
}

/// The images `--png` writes.
#[derive(Clone, Copy)]
pub struct Images {
    /// The file format.
    pub format: ImageFormat,
    /// The poster's resolution (cards are one pixel a point).
    pub dpi: f32,
}

impl BuildPlan {
    /// Checks the arguments; every mistake is reported before anything is built.
    pub fn new(args: &BuildArgs) -> Result<BuildPlan, Error> {
        let (pdf, texts, written_texts) = formats(&args.format, args.eml);
        let documents = documents(&args.only, args.png, args.tile.is_some())?;
        if args.impose.is_some() && !documents.contains(&DocumentKind::Flyer) {
            return Err(Error::Usage(
                "--impose works on the flyer: add it to --only (--only flyer)".into(),
            ));
        }
        let layout = layout(args, &documents)?;
        if !(18.0..=1200.0).contains(&args.dpi) {
            return Err(Error::Usage("--dpi must be between 18 and 1200".into()));
        }
        if !layout.pdf_standards.is_empty()
            && !data::standards_allow_attachments(&layout.pdf_standards)
        {
            eprintln!(
                "note: PDF/A-1 and PDF/A-2 allow no attached files, so the annex carries no signatory list as data; use a-3b (or a-3u, a-3a) to keep it"
            );
        }
        if args.eml && !documents.contains(&DocumentKind::PressRelease) {
            return Err(Error::Usage(
                "--eml attaches the press release: include it in --only".into(),
            ));
        }
        Ok(BuildPlan {
            statement: args.statement.clone(),
            out: args.out.clone(),
            engine: EngineOptions {
                templates_dir: args.templates.clone(),
                font_dirs: args.font_dirs.clone(),
                // A long annex's pieces are set in this command started
                // again as workers (`set::worker`).
                workers: std::env::current_exe().ok(),
                ..Default::default()
            },
            request: BuildRequest {
                documents,
                layout,
                allow_missing_glyphs: args.allow_missing_glyphs,
                tile: args.tile.map(paper),
                impose: args.impose.map(|s| match s {
                    SheetArg::A4 => Sheet::A4,
                    SheetArg::A3 => Sheet::A3,
                }),
            },
            pdf,
            texts,
            written_texts,
            eml: args.eml,
            images: args.png.then_some(Images {
                format: match args.image_format {
                    ImageFormatArg::Png => ImageFormat::Png,
                    ImageFormatArg::Jpeg => ImageFormat::Jpeg,
                    ImageFormatArg::Webp => ImageFormat::WebP,
                },
                dpi: args.dpi,
            }),
            languages: args.lang.clone(),
            strict: args.strict,
            timeout: Duration::from_secs(args.timeout.max(1)),
        })
    }
}

/// Whether PDFs are built, the text versions rendered and those written:
/// the email draft carries the PDF and both email versions.
fn formats(asked: &[FormatArg], eml: bool) -> (bool, Vec<TextFormat>, Vec<TextFormat>) {
    let mut written = Vec::new();
    for format in asked {
        let text = match format {
            FormatArg::Pdf => continue,
            FormatArg::Txt => TextFormat::Txt,
            FormatArg::Html => TextFormat::Html,
            FormatArg::Md => TextFormat::Md,
        };
        if !written.contains(&text) {
            written.push(text);
        }
    }
    let mut rendered = written.clone();
    if eml {
        for text in [TextFormat::Txt, TextFormat::Html] {
            if !rendered.contains(&text) {
                rendered.push(text);
            }
        }
    }
    (eml || asked.contains(&FormatArg::Pdf), rendered, written)
}

/// The documents asked for (all three when none), with the cards for `--png`.
fn documents(only: &[DocumentArg], png: bool, tile: bool) -> Result<Vec<DocumentKind>, Error> {
    let mut documents = Vec::new();
    for document in only {
        let kind = match document {
            DocumentArg::PressRelease => DocumentKind::PressRelease,
            DocumentArg::Poster => DocumentKind::Poster,
            DocumentArg::Annex => DocumentKind::Annex,
            DocumentArg::Placards => DocumentKind::Placards,
            DocumentArg::Flyer => DocumentKind::Flyer,
        };
        if !documents.contains(&kind) {
            documents.push(kind);
        }
    }
    if documents.is_empty() {
        documents = DocumentKind::ALL.to_vec();
    }
    if (tile || png) && !documents.contains(&DocumentKind::Poster) {
        return Err(Error::Usage(
            "--tile and --png work on the poster: include it in --only".into(),
        ));
    }
    if png {
        documents.extend([DocumentKind::CardSquare, DocumentKind::CardWide]);
    }
    Ok(documents)
}

/// The layout options, checked against each other.
fn layout(args: &BuildArgs, documents: &[DocumentKind]) -> Result<Layout, Error> {
    let (poster_size, placard_size, flyer_size) = sizes(args.size.as_deref(), documents)?;
    if !(0.0..=25.0).contains(&args.bleed) {
        return Err(Error::Usage(
            "--bleed must be between 0 and 25 mm (print shops ask for 1 to 15)".into(),
        ));
    }
    let colour = match (&args.spot, args.cmyk) {
        (Some(name), _) if name.trim().is_empty() => {
            return Err(Error::Usage(
                "--spot needs the colour's name, e.g. \"PANTONE 485 C\"".into(),
            ));
        }
        (Some(name), _) => Some(ColourMode::Spot(name.trim().to_owned())),
        (None, true) => Some(ColourMode::Cmyk),
        (None, false) => None,
    };
    let pdf_standards: Vec<PdfStandard> = args.pdf_standards.iter().map(|&s| standard(s)).collect();
    let archival = pdf_standards.iter().any(|s| {
        !matches!(
            s,
            PdfStandard::Ua_1
                | PdfStandard::V_1_4
                | PdfStandard::V_1_5
                | PdfStandard::V_1_6
                | PdfStandard::V_1_7
                | PdfStandard::V_2_0
        )
    });
    if archival && colour.is_some() && documents.iter().any(|d| d.is_print()) {
        return Err(Error::Usage(
            "--cmyk and --spot cannot be combined with PDF/A: PDF/A requires an output intent for process and spot colours, and Typst 0.15 writes none. \
             Build the archival copy in RGB (without --cmyk/--spot), and the print file without --pdf-standard"
                .into(),
        ));
    }
    Ok(Layout {
        paper: paper(args.paper),
        poster_size,
        poster_theme: args.theme.map(|t| match t {
            ThemeArg::Dark => PosterTheme::Dark,
            ThemeArg::Light => PosterTheme::Light,
        }),
        bleed_mm: Some(args.bleed),
        landscape: args.landscape,
        marks: args.marks,
        colour,
        sort: args.sort.map(|s| match s {
            SortArg::Statement => SortBy::Statement,
            SortArg::Name => SortBy::Name,
        }),
        group_by: args.group_by.map(|g| match g {
            GroupByArg::Group => GroupBy::Group,
            GroupByArg::Country => GroupBy::Country,
        }),
        pdf_standards,
        annex_landscape: args.annex_landscape,
        annex_columns: args.annex_columns,
        placard_size,
        flyer_size,
        pdf_x: pdf_x(args, archival)?,
    })
}

/// The printing condition for `--pdf-x`: the shop's profile, checked, or
/// the bundled FOGRA39.
fn pdf_x(args: &BuildArgs, archival: bool) -> Result<Option<OutputIntent>, Error> {
    if args.pdf_x.is_none() {
        return Ok(None);
    }
    if archival {
        return Err(Error::Usage(
            "--pdf-x cannot be combined with PDF/A: the two ask for different output intents (PDF/A an RGB one, PDF/X the press's CMYK). \
             Build the archival copy with --pdf-standard and the print file with --pdf-x, in two runs"
                .into(),
        ));
    }
    let Some(path) = &args.output_intent else {
        return Ok(Some(OutputIntent::fogra39()));
    };
    const MAX_PROFILE: u64 = 32 * 1024 * 1024;
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io("cannot read the output intent", path, e))?
        .len();
    if size > MAX_PROFILE {
        return Err(Error::Usage(format!(
            "--output-intent {}: {size} bytes is far more than an ICC profile (at most {MAX_PROFILE})",
            path.display()
        )));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Error::io("cannot read the output intent", path, e))?;
    OutputIntent::from_profile(path, bytes, args.output_condition.as_deref()).map(Some)
}

/// `--size` for each document built that takes it: any poster size for the
/// poster, A3 or A4 for placards, A5 or A6 for the flyer (so `--only
/// placards,flyer --size a6` makes A6 flyers and A3 placards). A size none
/// of the documents built can take is refused, naming what each takes.
#[allow(clippy::type_complexity)]
fn sizes(
    asked: Option<&str>,
    documents: &[DocumentKind],
) -> Result<(Option<PosterSize>, Option<PosterSize>, Option<PosterSize>), Error> {
    let Some(asked) = asked else {
        return Ok((None, None, None));
    };
    let poster = PosterSize::parse(asked);
    let placard = poster
        .clone()
        .ok()
        .filter(|s| PosterSize::PLACARD.contains(&s.name.as_str()));
    let flyer = PosterSize::flyer(asked);
    let builds = |kind| documents.contains(&kind);
    let chosen = (
        poster.clone().ok().filter(|_| builds(DocumentKind::Poster)),
        placard.filter(|_| builds(DocumentKind::Placards)),
        flyer.filter(|_| builds(DocumentKind::Flyer)),
    );
    if chosen.0.is_none() && chosen.1.is_none() && chosen.2.is_none() {
        let mut takes = Vec::new();
        if builds(DocumentKind::Poster) {
            takes.push(match poster {
                Err(m) => m,
                Ok(_) => String::new(),
            });
        }
        if builds(DocumentKind::Placards) {
            takes.push(format!(
                "placards are made in {} (carried in two hands)",
                PosterSize::PLACARD.join(" or ")
            ));
        }
        if builds(DocumentKind::Flyer) {
            takes.push(format!(
                "the flyer is made in {}",
                PosterSize::FLYER.map(|(n, _, _)| n).join(" or ")
            ));
        }
        takes.retain(|t| !t.is_empty());
        if takes.is_empty() {
            takes.push(
                "it sets the size of the poster, placards and flyer; add one to --only".into(),
            );
        }
        return Err(Error::Usage(format!(
            "--size {asked}: {}",
            takes.join("; ")
        )));
    }
    Ok(chosen)
}

/// Typst's standard for the option's.
fn standard(arg: PdfStandardArg) -> PdfStandard {
    use PdfStandardArg as A;
    match arg {
        A::V1_4 => PdfStandard::V_1_4,
        A::V1_5 => PdfStandard::V_1_5,
        A::V1_6 => PdfStandard::V_1_6,
        A::V1_7 => PdfStandard::V_1_7,
        A::V2_0 => PdfStandard::V_2_0,
        A::A1b => PdfStandard::A_1b,
        A::A1a => PdfStandard::A_1a,
        A::A2b => PdfStandard::A_2b,
        A::A2u => PdfStandard::A_2u,
        A::A2a => PdfStandard::A_2a,
        A::A3b => PdfStandard::A_3b,
        A::A3u => PdfStandard::A_3u,
        A::A3a => PdfStandard::A_3a,
        A::A4 => PdfStandard::A_4,
        A::A4f => PdfStandard::A_4f,
        A::A4e => PdfStandard::A_4e,
        A::Ua1 => PdfStandard::Ua_1,
    }
}
