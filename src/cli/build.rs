//! `broadside build`: the documents of a statement, written to a folder.

use broadside::load::statement::{GroupBy, PosterSize, PosterTheme, SortBy};
use broadside::resolve::data::{ColourMode, Layout};
use broadside::write::textout::{self, TextFormat};
use broadside::{BuildRequest, DocumentKind, Engine, EngineOptions, Error};
use image::ImageFormat;
use std::borrow::Cow;

use super::args::{BuildArgs, GroupByArg, ImageFormatArg, SortArg};
use super::{load, paper};

/// Runs the command, under its time bound: Typst cannot be interrupted, so
/// the build runs on its own thread and, past the bound, the command reports
/// and ends (outputs are written only after every document is built, so
/// nothing is half-written).
pub fn run(args: BuildArgs) -> Result<(), Error> {
    let limit = std::time::Duration::from_secs(args.timeout.max(1));
    let templates = args.templates.clone();
    let work = move || {
        Engine::with_options(&EngineOptions {
            templates_dir: args.templates.clone(),
            font_dirs: args.font_dirs.clone(),
        })
        .and_then(|engine| run_with(&engine, &args).map(drop))
    };
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

/// Builds with an engine the caller keeps (`watch` keeps one warm) and
/// returns the documents built (for the preview).
pub fn run_with(engine: &Engine, args: &BuildArgs) -> Result<Vec<broadside::Document>, Error> {
    let mut pdf = false;
    let mut text_formats = Vec::new();
    for name in &args.format {
        if name.trim() == "pdf" {
            pdf = true;
        } else {
            let format = TextFormat::parse(name).ok_or_else(|| {
                Error::Usage(format!(
                    "--format: `{name}` is not a format; use pdf, txt, html or md"
                ))
            })?;
            if !text_formats.contains(&format) {
                text_formats.push(format);
            }
        }
    }
    if args.eml {
        // The draft carries the PDF and both text versions.
        pdf = true;
        for format in [TextFormat::Txt, TextFormat::Html] {
            if !text_formats.contains(&format) {
                text_formats.push(format);
            }
        }
    }
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

    let mut pdf_standards = Vec::new();
    for name in &args.pdf_standards {
        let standard: typst_pdf::PdfStandard =
            serde_json::from_value(serde_json::Value::String(name.trim().to_lowercase()))
                .map_err(|_| {
                    Error::Usage(format!(
                        "--pdf-standard: `{name}` is not a standard Typst writes; use a-2b, a-2u, a-2a, a-3b, a-3u, a-3a, a-4, ua-1, ..."
                    ))
                })?;
        pdf_standards.push(standard);
    }
    let archival = pdf_standards
        .iter()
        .any(|s| !matches!(s, typst_pdf::PdfStandard::Ua_1) && format!("{s:?}").starts_with('A'));
    if archival && colour.is_some() && documents.contains(&DocumentKind::Poster) {
        return Err(Error::Usage(
            "--cmyk and --spot cannot be combined with PDF/A: PDF/A requires an output intent for process and spot colours, and Typst 0.15 writes none. \
             Build the archival copy in RGB (without --cmyk/--spot), and the print file without --pdf-standard"
                .into(),
        ));
    }
    if !pdf_standards.is_empty()
        && !broadside::resolve::data::standards_allow_attachments(&pdf_standards)
    {
        eprintln!(
            "note: PDF/A-1 and PDF/A-2 allow no attached files, so the annex carries no signatory list as data; use a-3b (or a-3u, a-3a) to keep it"
        );
    }
    let loaded = load(args.statement.as_ref())?;
    if args.strict && !loaded.warnings.is_empty() {
        return Err(Error::Usage(
            "stopped because of the warnings above (--strict)".into(),
        ));
    }
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
            pdf_standards,
            annex_landscape: args.annex_landscape,
            annex_columns: args.annex_columns,
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
    // The statement as loaded is built without a copy (at 10,000 names a
    // copy is 3 MB more at the peak).
    let statements: Vec<Cow<'_, broadside::Statement>> = if languages.is_empty() {
        vec![Cow::Borrowed(statement)]
    } else {
        // Each asked-for language finds the closest the statement has (`en`
        // the `en-GB` statement); two that find the same are built once.
        let mut chosen: Vec<String> = Vec::new();
        for language in &languages {
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
            .collect::<Result<Vec<_>, _>>()?
    };

    // Every language is built before anything is written: one failure leaves
    // the output folder as it was.
    let mut built = Vec::new();
    let mut texts = Vec::new();
    let with_language = !languages.is_empty();
    for statement in &statements {
        if pdf {
            built.extend(engine.build(statement, &request)?);
        }
        if !text_formats.is_empty() {
            let prepared = engine.prepare(statement, &request.layout)?;
            let suffix = if with_language {
                format!(".{}", statement.language)
            } else {
                String::new()
            };
            let mut rendered = Vec::new();
            for &format in &text_formats {
                let text = textout::render(engine.templates(), &prepared, format)?;
                if args
                    .format
                    .iter()
                    .any(|f| TextFormat::parse(f) == Some(format))
                {
                    let name = format!("press-release{suffix}.{}", format.extension());
                    texts.push((args.out.join(name), text.clone()));
                }
                rendered.push((format, text));
            }
            if args.eml {
                let release = built
                    .iter()
                    .rev()
                    .find(|d| d.kind == DocumentKind::PressRelease)
                    .ok_or_else(|| {
                        Error::Usage(
                            "--eml attaches the press release: include it in --only".into(),
                        )
                    })?;
                let text_of = |f: TextFormat| {
                    rendered
                        .iter()
                        .find(|(g, _)| *g == f)
                        .map(|(_, t)| t.as_str())
                        .unwrap_or_default()
                };
                let words = engine.words(statement)?;
                let subject = match statement.release.embargo {
                    Some(t) => format!(
                        "{}: {}",
                        words.fill("embargoed_until", &[("time", &words.moment(t))]),
                        statement.title
                    ),
                    None => statement.title.clone(),
                };
                let pdf_name = format!("press-release{suffix}.pdf");
                let eml = broadside::write::eml::write(&broadside::write::eml::Draft {
                    subject: &subject,
                    text: text_of(TextFormat::Txt),
                    html: text_of(TextFormat::Html),
                    pdf: (&pdf_name, &release.pdf),
                    date: statement.date,
                })?;
                let name = format!("press-release{suffix}.eml");
                let eml = String::from_utf8(eml).map_err(|e| Error::Usage(e.to_string()))?;
                texts.push((args.out.join(name), eml));
            }
        }
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
            let name = broadside::write::output::file_name(document, with_language);
            let name = format!(
                "{}.{}",
                name.trim_end_matches(".pdf"),
                format.extensions_str()[0]
            );
            rendered.push((args.out.join(name), image, format));
        }
    }
    let paths = broadside::write::output::write_all(&args.out, &pdfs, with_language)?;
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
        broadside::write::output::write_image(&path, &image, format)?;
        println!(
            "wrote {} ({} × {} px)",
            path.display(),
            image.width(),
            image.height()
        );
    }
    for (path, text) in &texts {
        broadside::write::output::write_atomic(path, text.as_bytes())?;
        println!("wrote {} ({} lines)", path.display(), text.lines().count());
    }
    Ok(built)
}
