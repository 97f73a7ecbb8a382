//! The `broadside` command: a thin layer over the library that reads
//! arguments, prints what happened, and turns errors into messages.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use broadside::data::Layout;
use broadside::load::{self, Loaded};
use broadside::statement::{Paper, PosterSize, PosterTheme};
use broadside::{BuildRequest, DocumentKind, Engine, EngineOptions, Error};

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
    /// Folder to write the PDFs into.
    #[arg(long, short, default_value = "output")]
    out: PathBuf,
    /// Build only these documents (comma-separated): press-release, poster, annex.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Paper for the press release and the annex.
    #[arg(long, value_enum, default_value_t = PaperArg::A4)]
    paper: PaperArg,
    /// Poster size: a3, a2, a1 or tabloid (overrides the statement).
    #[arg(long)]
    size: Option<String>,
    /// Poster theme: dark or light (overrides the statement).
    #[arg(long)]
    theme: Option<String>,
    /// Poster bleed in millimetres.
    #[arg(long, default_value_t = 3.0)]
    bleed: f64,
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
    let poster_size = match &args.size {
        Some(s) => Some(PosterSize::parse(s).ok_or_else(|| {
            Error::Usage(format!(
                "--size: `{s}` is not a poster size; use a3, a2, a1 or tabloid"
            ))
        })?),
        None => None,
    };
    let poster_theme = match &args.theme {
        Some(t) => Some(PosterTheme::parse(t).ok_or_else(|| {
            Error::Usage(format!("--theme: `{t}` is not a theme; use dark or light"))
        })?),
        None => None,
    };
    if !(0.0..=25.0).contains(&args.bleed) {
        return Err(Error::Usage("--bleed must be between 0 and 25 mm".into()));
    }

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
            paper: match args.paper {
                PaperArg::A4 => Paper::A4,
                PaperArg::Letter => Paper::Letter,
            },
            poster_size,
            poster_theme,
            bleed_mm: Some(args.bleed),
        },
        allow_missing_glyphs: args.allow_missing_glyphs,
    };
    let statement = &loaded.statement;
    let languages: Vec<String> = if args.lang.iter().any(|l| l == "all") {
        statement.languages()
    } else {
        args.lang.clone()
    };
    let mut built = Vec::new();
    if languages.is_empty() {
        built = engine.build(statement, &request)?;
    }
    // Every language is built before anything is written: one failure leaves
    // the output folder as it was.
    for language in &languages {
        let translated = statement.in_language(language).ok_or_else(|| {
            Error::Usage(format!(
                "--lang: the statement has no `{language}` translation; it has {} (add [translations.{language}])",
                statement.languages().join(", ")
            ))
        })?;
        built.extend(engine.build(&translated, &request)?);
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
    let paths = broadside::output::write_all(&args.out, &built, !languages.is_empty())?;
    for (path, document) in paths.iter().zip(&built) {
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
    println!("  language    {}", s.language);
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
