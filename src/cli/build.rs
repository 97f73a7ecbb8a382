//! `broadside build`: the documents of a statement, written to a folder.

use std::borrow::Cow;
use std::path::PathBuf;

use broadside::write::textout::{self, TextFormat};
use broadside::{DocumentKind, Engine, Error, Statement};
use image::ImageFormat;

use super::args::BuildArgs;
use super::load;
use super::plan::{BuildPlan, Images};

/// Runs the command, under its time bound: Typst cannot be interrupted, so
/// the build runs on its own thread and, past the bound, the command reports
/// and ends (outputs are written only after every document is built, so
/// nothing is half-written).
pub fn run(args: BuildArgs) -> Result<(), Error> {
    let plan = BuildPlan::new(&args)?;
    let limit = plan.timeout;
    let templates = plan.engine.templates_dir.clone();
    let work =
        move || Engine::with_options(&plan.engine).and_then(|e| run_with(&e, &plan).map(drop));
    super::bounded(limit, work).unwrap_or_else(|| Err(stopped(limit, templates.as_deref())))
}

/// The error for a build stopped at its time bound.
pub fn stopped(limit: std::time::Duration, templates: Option<&std::path::Path>) -> Error {
    Error::Usage(format!(
        "the build was stopped after {} s{}; nothing was written (raise the bound with --timeout)",
        limit.as_secs(),
        match templates {
            Some(dir) => format!(
                ": a template in {} may loop or do far too much work",
                dir.display()
            ),
            None => String::new(),
        }
    ))
}

/// What one build made, before anything is written.
struct Built {
    documents: Vec<broadside::Document>,
    /// Text files (text versions, email drafts) and their content.
    texts: Vec<(PathBuf, String)>,
    /// The files are named with their language.
    with_language: bool,
}

/// Builds with an engine the caller keeps (`watch` keeps one warm) and
/// returns the documents built (for the preview) and the statement as
/// loaded (`watch` reads the files it names from it, without loading it
/// again). Every language is built before anything is written: one failure
/// leaves the folder as it was.
pub fn run_with(
    engine: &Engine,
    plan: &BuildPlan,
) -> Result<(Vec<broadside::Document>, Statement), Error> {
    let loaded = load(plan.statement.as_ref())?;
    if plan.strict && !loaded.warnings.is_empty() {
        return Err(Error::Usage(
            "stopped because of the warnings above (--strict)".into(),
        ));
    }
    let statements = in_languages(&loaded.statement, &plan.languages)?;
    let with_language = !plan.languages.is_empty();
    let fresh = || Built {
        documents: Vec::new(),
        texts: Vec::new(),
        with_language,
    };
    // Languages are independent: a short list builds them side by side, on
    // every core (ten languages' placards took 0.48 s one after the other).
    let parts: Vec<Result<Built, Error>> = if statements.len() > 1
        && loaded.statement.signatories.len() < broadside::set::engine::LONG_LIST
    {
        std::thread::scope(|scope| {
            let handles: Vec<_> = statements
                .iter()
                .map(|statement| {
                    scope.spawn(move || {
                        let mut part = fresh();
                        build_one(engine, plan, statement, &mut part).map(|()| part)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(Error::Internal(
                            "a language's build stopped unexpectedly".into(),
                        ))
                    })
                })
                .collect()
        })
    } else {
        statements
            .iter()
            .map(|statement| {
                let mut part = fresh();
                build_one(engine, plan, statement, &mut part).map(|()| part)
            })
            .collect()
    };
    let mut built = fresh();
    for part in parts {
        let part = part?;
        built.documents.extend(part.documents);
        built.texts.extend(part.texts);
    }
    let mut warned = false;
    for document in &built.documents {
        for w in &document.warnings {
            warned = true;
            eprintln!("{} ({}): {w}", document.kind.name(), document.language);
        }
    }
    if plan.strict && warned {
        return Err(Error::Usage(
            "stopped because of the warnings above (--strict); nothing was written".into(),
        ));
    }
    write(plan, &built)?;
    drop(statements);
    Ok((built.documents, loaded.statement))
}

/// The statement in each language asked for: each finds the closest the
/// statement has (`en` the `en-GB` statement), and two that find the same
/// are built once. The statement as loaded is built without a copy (at
/// 10,000 names a copy is megabytes more at the peak).
fn in_languages<'a>(
    statement: &'a Statement,
    asked: &[String],
) -> Result<Vec<Cow<'a, Statement>>, Error> {
    if asked.is_empty() {
        return Ok(vec![Cow::Borrowed(statement)]);
    }
    let asked: Vec<String> = if asked.iter().any(|l| l == "all") {
        statement.languages()
    } else {
        asked.to_vec()
    };
    let mut chosen: Vec<String> = Vec::new();
    for language in &asked {
        let found = statement.closest_language(language).ok_or_else(|| {
            Error::Usage(format!(
                "--lang: the statement has no `{language}` translation, nor another in that language; it has {} (add [translations.{language}])",
                statement.languages().join(", ")
            ))
        })?;
        if !found.eq_ignore_ascii_case(language) {
            eprintln!(
                "note: --lang {language}: building the `{found}` statement, the closest it has"
            );
        }
        if !chosen.iter().any(|c| c == found) {
            chosen.push(found.to_owned());
        }
    }
    chosen
        .iter()
        .map(|language| {
            statement
                .in_language(language)
                .map(Cow::Owned)
                .ok_or_else(|| Error::Usage(format!("--lang: no `{language}` translation")))
        })
        .collect()
}

/// Builds one language's documents, text versions and email draft.
fn build_one(
    engine: &Engine,
    plan: &BuildPlan,
    statement: &Statement,
    built: &mut Built,
) -> Result<(), Error> {
    if plan.pdf {
        built
            .documents
            .extend(engine.build(statement, &plan.request)?);
    }
    if plan.texts.is_empty() {
        return Ok(());
    }
    let prepared = engine.prepare(statement, &plan.request.layout)?;
    let suffix = if built.with_language {
        format!(".{}", statement.language)
    } else {
        String::new()
    };
    let mut rendered = Vec::new();
    for &format in &plan.texts {
        let text = textout::render(engine.templates(), &prepared, format)?;
        if plan.written_texts.contains(&format) {
            let name = format!("press-release{suffix}.{}", format.extension());
            built.texts.push((plan.out.join(name), text.clone()));
        }
        rendered.push((format, text));
    }
    if !plan.eml {
        return Ok(());
    }
    // The release just built for this language is the last one built.
    let release = built
        .documents
        .iter()
        .rev()
        .find(|d| d.kind == DocumentKind::PressRelease)
        .ok_or_else(|| {
            Error::Usage("--eml attaches the press release: include it in --only".into())
        })?;
    let text_of = |f: TextFormat| {
        rendered
            .iter()
            .find(|(g, _)| *g == f)
            .map(|(_, t)| t.as_str())
            .unwrap_or_default()
    };
    let pdf_name = format!("press-release{suffix}.pdf");
    let eml = broadside::write::eml::write(&broadside::write::eml::Draft {
        subject: &prepared.subject,
        text: text_of(TextFormat::Txt),
        html: text_of(TextFormat::Html),
        pdf: (&pdf_name, &release.pdf),
        date: statement.date,
    })?;
    let eml = String::from_utf8(eml).map_err(|e| Error::Internal(e.to_string()))?;
    built
        .texts
        .push((plan.out.join(format!("press-release{suffix}.eml")), eml));
    Ok(())
}

/// The poster and the cards as images.
fn images(
    plan: &BuildPlan,
    images: Images,
    built: &Built,
) -> Result<Vec<(PathBuf, image::RgbaImage, ImageFormat)>, Error> {
    let mut rendered = Vec::new();
    for document in built.documents.iter().filter(|d| {
        matches!(
            d.kind,
            DocumentKind::Poster | DocumentKind::CardSquare | DocumentKind::CardWide
        )
    }) {
        // Cards are laid out at one point per pixel.
        let ppi = if document.kind == DocumentKind::Poster {
            images.dpi
        } else {
            72.0
        };
        let image = document
            .render(0, ppi, false)
            .ok_or_else(|| Error::Usage("the poster has no page to render".into()))?;
        let name = broadside::write::output::file_name(document, built.with_language);
        let name = format!(
            "{}.{}",
            name.trim_end_matches(".pdf"),
            images.format.extensions_str()[0]
        );
        rendered.push((plan.out.join(name), image, images.format));
    }
    Ok(rendered)
}

/// How to print the imposed flyers' two sides: the backs are mirrored left
/// to right, which a print dialog calls flipping on the long edge for a
/// portrait sheet and on the short edge for a landscape one.
fn duplex(document: &broadside::Document) -> String {
    let portrait = document
        .layout
        .pages()
        .first()
        .is_some_and(|p| p.frame.width() < p.frame.height());
    format!(
        "print both sides, flipping on the {} edge: each back then lies behind its front",
        if portrait { "long" } else { "short" }
    )
}

/// Writes the PDFs, images and text files, each whole, and says so.
fn write(plan: &BuildPlan, built: &Built) -> Result<(), Error> {
    let rendered = match plan.images {
        Some(settings) => images(plan, settings, built)?,
        None => Vec::new(),
    };
    let pdfs: Vec<_> = built
        .documents
        .iter()
        .filter(|d| !matches!(d.kind, DocumentKind::CardSquare | DocumentKind::CardWide))
        .collect();
    let paths =
        broadside::write::output::write_all(&plan.out, pdfs.iter().copied(), built.with_language)?;
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
        if document.kind == DocumentKind::FlyerImposed && document.pages == 2 {
            println!("  {}", duplex(document));
        }
    }
    for (path, image, format) in rendered {
        broadside::write::output::write_image(&path, &image, format)?;
        println!(
            "wrote {} ({} × {} px)",
            path.display(),
            image.width(),
            image.height()
        );
    }
    for (path, text) in &built.texts {
        broadside::write::output::write_atomic(path, text.as_bytes())?;
        println!("wrote {} ({} lines)", path.display(), text.lines().count());
    }
    Ok(())
}
