//! The `broadside` command: a thin layer over the library that reads
//! arguments, prints what happened, and turns errors into messages.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use broadside::data::{ColourMode, Layout};
use broadside::load::{self, Loaded};
use broadside::statement::{GroupBy, Paper, PosterSize, PosterTheme, SortBy};
use broadside::{BuildRequest, DocumentKind, Engine, EngineOptions, Error};
use image::ImageFormat;

#[derive(Parser)]
#[command(
    name = "broadside",
    version,
    about = "Turn one coalition statement into a press release, a poster and a signatory annex."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the documents of a statement (the bundled example when no file is given).
    Build(BuildArgs),
    /// Write the Typst project (templates, statement.json, images) for designers
    /// to edit and compile with the official Typst tools.
    Export {
        /// The statement file (.toml or .json); the bundled example when omitted.
        statement: Option<PathBuf>,
        /// Folder to write the project into.
        #[arg(long, short, default_value = "output/typst")]
        out: PathBuf,
        /// Folder of templates that replace the bundled ones by file name.
        #[arg(long)]
        templates: Option<PathBuf>,
    },
    /// Check a statement and report what would be published, without writing anything.
    Check {
        /// The statement file (.toml or .json).
        statement: Option<PathBuf>,
    },
}

#[derive(Args)]
struct BuildArgs {
    /// The statement file (.toml or .json); the bundled example when omitted.
    statement: Option<PathBuf>,
    /// Folder to write the documents into.
    #[arg(long, short, default_value = "output")]
    out: PathBuf,
    /// Build only these documents (comma-separated): press-release, poster, annex.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Order of the signatories in every document: as the statement lists
    /// them, or by name collated for the statement's language (overrides
    /// `[annex] sort`).
    #[arg(long, value_enum)]
    sort: Option<SortArg>,
    /// Divide the signatory list by the statement's groups or by country
    /// (overrides `[annex] group_by`).
    #[arg(long, value_enum)]
    group_by: Option<GroupByArg>,
    /// Paper for the press release and the annex.
    #[arg(long, value_enum, default_value_t = PaperArg::A4)]
    paper: PaperArg,
    /// Poster size: a4, a3, a2, a1, a0, letter, tabloid, arch-c, arch-d, or
    /// a custom size such as 600x900mm or 24x36in (overrides the statement).
    #[arg(long)]
    size: Option<String>,
    /// Turn the poster to landscape.
    #[arg(long)]
    landscape: bool,
    /// Poster theme: dark or light (overrides the statement).
    #[arg(long)]
    theme: Option<String>,
    /// Poster bleed in millimetres (0 for none).
    #[arg(long, default_value_t = 3.0)]
    bleed: f64,
    /// Crop and registration marks outside the bleed.
    #[arg(long)]
    marks: bool,
    /// Poster colours as CMYK process colours (black text on the black plate only).
    #[arg(long, conflicts_with = "spot")]
    cmyk: bool,
    /// Two-ink poster: black and this spot colour, e.g. "PANTONE 485 C".
    #[arg(long)]
    spot: Option<String>,
    /// Also split the poster into sheets of this paper: poster-tiled.pdf.
    #[arg(long, value_enum)]
    tile: Option<PaperArg>,
    /// Also write the poster and two social-media cards as images.
    #[arg(long)]
    png: bool,
    /// Resolution of the poster image.
    #[arg(long, default_value_t = 150.0)]
    dpi: f32,
    /// Format of the images written with --png.
    #[arg(long, value_enum, default_value_t = ImageFormatArg::Png)]
    image_format: ImageFormatArg,
    /// Folder of templates that replace the bundled ones by file name.
    #[arg(long)]
    templates: Option<PathBuf>,
    /// Folder with more fonts (repeatable); also BROADSIDE_FONT_PATHS.
    #[arg(long = "font-dir", env = "BROADSIDE_FONT_PATHS", value_delimiter = ':')]
    font_dirs: Vec<PathBuf>,
    /// Treat warnings (unknown keys, compiler warnings) as errors.
    #[arg(long)]
    strict: bool,
    /// Languages to build (comma-separated tags, or `all`); each language's
    /// files are named like press-release.ru.pdf. Default: the statement's own.
    #[arg(long, value_delimiter = ',')]
    lang: Vec<String>,
    /// Build even if some characters have no glyph in the fonts (they print as boxes).
    #[arg(long)]
    allow_missing_glyphs: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ImageFormatArg {
    Png,
    Jpeg,
    Webp,
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Statement,
    Name,
}

#[derive(Clone, Copy, ValueEnum)]
enum GroupByArg {
    Group,
    Country,
}

#[derive(Clone, Copy, ValueEnum)]
enum PaperArg {
    A4,
    Letter,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(args),
        Command::Export {
            statement,
            out,
            templates,
        } => export(statement, out, templates),
        Command::Check { statement } => check(statement),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn load(statement: Option<&PathBuf>) -> Result<Loaded, Error> {
    let loaded = match statement {
        Some(path) => load::load_file(path)?,
        None => load::load_example()?,
    };
    for w in &loaded.warnings {
        eprintln!("warning: {}: {w}", loaded.statement.source.display());
    }
    Ok(loaded)
}

fn paper(arg: PaperArg) -> Paper {
    match arg {
        PaperArg::A4 => Paper::A4,
        PaperArg::Letter => Paper::Letter,
    }
}

fn build(args: BuildArgs) -> Result<(), Error> {
    let mut documents = Vec::new();
    for name in &args.only {
        let kind = DocumentKind::parse(name).ok_or_else(|| {
            Error::Usage(format!(
                "--only: `{name}` is not a document; use press-release, poster or annex"
            ))
        })?;
        if !documents.contains(&kind) {
            documents.push(kind);
        }
    }
    if documents.is_empty() {
        documents = DocumentKind::ALL.to_vec();
    }
    let wants_poster = documents.contains(&DocumentKind::Poster);
    if (args.tile.is_some() || args.png) && !wants_poster {
        return Err(Error::Usage(
            "--tile and --png work on the poster: include it in --only".into(),
        ));
    }
    if args.png {
        documents.extend([DocumentKind::CardSquare, DocumentKind::CardWide]);
    }
    let poster_size = match &args.size {
        Some(s) => Some(PosterSize::parse(s).map_err(|m| Error::Usage(format!("--size: {m}")))?),
        None => None,
    };
    let poster_theme = match &args.theme {
        Some(t) => Some(PosterTheme::parse(t).ok_or_else(|| {
            Error::Usage(format!("--theme: `{t}` is not a theme; use dark or light"))
        })?),
        None => None,
    };
    if !(0.0..=25.0).contains(&args.bleed) {
        return Err(Error::Usage(
            "--bleed must be between 0 and 25 mm (print shops ask for 1 to 15)".into(),
        ));
    }
    if !(18.0..=1200.0).contains(&args.dpi) {
        return Err(Error::Usage("--dpi must be between 18 and 1200".into()));
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

    let loaded = load(args.statement.as_ref())?;
    if args.strict && !loaded.warnings.is_empty() {
        return Err(Error::Usage(
            "stopped because of the warnings above (--strict)".into(),
        ));
    }
    let engine = Engine::with_options(&EngineOptions {
        templates_dir: args.templates.clone(),
        font_dirs: args.font_dirs.clone(),
    })?;
    let request = BuildRequest {
        documents,
        layout: Layout {
            paper: paper(args.paper),
            poster_size,
            poster_theme,
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
        },
        allow_missing_glyphs: args.allow_missing_glyphs,
        tile: args.tile.map(paper),
    };
    let statement = &loaded.statement;
    let languages: Vec<String> = if args.lang.iter().any(|l| l == "all") {
        statement.languages()
    } else {
        args.lang.clone()
    };
    let statements = if languages.is_empty() {
        vec![statement.clone()]
    } else {
        languages
            .iter()
            .map(|language| {
                statement.in_language(language).ok_or_else(|| {
                    Error::Usage(format!(
                        "--lang: the statement has no `{language}` translation; it has {} (add [translations.{language}])",
                        statement.languages().join(", ")
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?
    };

    // Every language is built before anything is written: one failure leaves
    // the output folder as it was.
    let mut built = Vec::new();
    for statement in &statements {
        built.extend(engine.build(statement, &request)?);
    }
    let mut warned = false;
    for document in &built {
        for w in &document.warnings {
            warned = true;
            eprintln!("{} ({}): {w}", document.kind.name(), document.language);
        }
    }
    if args.strict && warned {
        return Err(Error::Usage(
            "stopped because of the warnings above (--strict); nothing was written".into(),
        ));
    }

    let with_language = !languages.is_empty();
    let (images, pdfs): (Vec<_>, Vec<_>) = built
        .iter()
        .partition(|d| matches!(d.kind, DocumentKind::CardSquare | DocumentKind::CardWide));
    let pdfs: Vec<_> = pdfs.into_iter().cloned().collect();
    let mut rendered = Vec::new();
    if args.png {
        let format = match args.image_format {
            ImageFormatArg::Png => ImageFormat::Png,
            ImageFormatArg::Jpeg => ImageFormat::Jpeg,
            ImageFormatArg::Webp => ImageFormat::WebP,
        };
        for document in pdfs
            .iter()
            .filter(|d| d.kind == DocumentKind::Poster)
            .chain(images)
        {
            // Cards are laid out at one point per pixel.
            let ppi = if document.kind == DocumentKind::Poster {
                args.dpi
            } else {
                72.0
            };
            let image = document
                .render(0, ppi, false)
                .ok_or_else(|| Error::Usage("the poster has no page to render".into()))?;
            let name = broadside::output::file_name(document, with_language);
            let name = format!(
                "{}.{}",
                name.trim_end_matches(".pdf"),
                format.extensions_str()[0]
            );
            rendered.push((args.out.join(name), image, format));
        }
    }
    let paths = broadside::output::write_all(&args.out, &pdfs, with_language)?;
    for (path, document) in paths.iter().zip(&pdfs) {
        let pages = if document.pages == 1 {
            "1 page".to_owned()
        } else {
            format!("{} pages", document.pages)
        };
        println!(
            "wrote {} ({pages}, {} kB)",
            path.display(),
            document.pdf.len().div_ceil(1024)
        );
    }
    for (path, image, format) in rendered {
        broadside::output::write_image(&path, &image, format)?;
        println!(
            "wrote {} ({} × {} px)",
            path.display(),
            image.width(),
            image.height()
        );
    }
    Ok(())
}

fn export(
    statement: Option<PathBuf>,
    out: PathBuf,
    templates: Option<PathBuf>,
) -> Result<(), Error> {
    let loaded = load(statement.as_ref())?;
    let engine = Engine::with_options(&EngineOptions {
        templates_dir: templates,
        font_dirs: Vec::new(),
    })?;
    let prepared = engine.prepare(&loaded.statement, &Layout::default())?;
    let written = broadside::export::write_project(&out, engine.templates(), &prepared)?;
    println!("wrote {} files to {}", written.len(), out.display());
    println!(
        "compile with: typst compile --root {0} --font-path fonts --ignore-system-fonts {0}/poster.typ",
        out.display()
    );
    Ok(())
}

fn check(statement: Option<PathBuf>) -> Result<(), Error> {
    let loaded = load(statement.as_ref())?;
    let s = &loaded.statement;
    // Preparing also checks every image the statement refers to.
    Engine::new().prepare(s, &Layout::default())?;
    let consents = s.signatories.iter().filter(|x| x.consent.is_some()).count();
    println!("{}", s.title);
    println!("  date        {}", s.date);
    println!("  languages   {}", s.languages().join(", "));
    println!("  signatories {}", s.signatories.len());
    let mut last: Option<&Option<String>> = None;
    for sig in &s.signatories {
        if last != Some(&sig.group) {
            if let Some(group) = &sig.group {
                let n = s
                    .signatories
                    .iter()
                    .filter(|x| x.group.as_ref() == Some(group))
                    .count();
                println!("    {group}: {n}");
            }
            last = Some(&sig.group);
        }
    }
    println!(
        "  consent     recorded for {consents} of {}",
        s.signatories.len()
    );
    if consents < s.signatories.len() {
        let missing: Vec<&str> = s
            .signatories
            .iter()
            .filter(|x| x.consent.is_none())
            .map(|x| x.name.as_str())
            .take(5)
            .collect();
        println!("              missing, e.g.: {}", missing.join("; "));
    }
    println!("ok: ready to build");
    Ok(())
}
