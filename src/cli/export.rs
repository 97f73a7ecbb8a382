//! `broadside export`: the Typst project, for designers; with `--letters`,
//! the letters as a Typst bundle project.

use std::path::PathBuf;

use broadside::letters;
use broadside::resolve::data::Layout;
use broadside::{Engine, EngineOptions, Error};

use super::args::ExportArgs;
use super::load;

/// Runs the command.
pub fn run(args: ExportArgs) -> Result<(), Error> {
    let loaded = load(args.statement.as_ref())?;
    let engine = Engine::with_options(&EngineOptions {
        templates_dir: args.templates.clone(),
        font_dirs: Vec::new(),
        ..Default::default()
    })?;
    let fonts = !args.no_fonts;
    if args.letters {
        return letters(&args, &loaded.statement, &engine, fonts);
    }
    let out = args.out.unwrap_or_else(|| PathBuf::from("output/typst"));
    let statement = &loaded.statement;
    // Each language asked for, and the folder its project goes into.
    let projects: Vec<(String, PathBuf)> = match args.lang.as_deref() {
        None => vec![(statement.language.clone(), out.clone())],
        Some("all") => statement
            .languages()
            .into_iter()
            .map(|l| (l.clone(), out.join(l)))
            .collect(),
        Some(tag) => {
            let found = statement.closest_language(tag).ok_or_else(|| {
                Error::Usage(format!(
                    "--lang: the statement has no `{tag}` translation, nor another in that language; it has {} (add [translations.{tag}])",
                    statement.languages().join(", ")
                ))
            })?;
            vec![(found.to_owned(), out.clone())]
        }
    };
    for (language, dir) in &projects {
        let translated = statement
            .in_language(language)
            .ok_or_else(|| Error::Usage(format!("--lang: no `{language}` translation")))?;
        let prepared = engine.prepare(&translated, &Layout::default())?;
        let written =
            broadside::write::export::write_project(dir, engine.templates(), &prepared, fonts)?;
        println!(
            "wrote {} files to {} ({language})",
            written.len(),
            dir.display()
        );
    }
    let out = &projects[0].1;
    if fonts {
        println!(
            "compile with: cd {} && typst compile --root . --font-path fonts --ignore-system-fonts poster.typ (see its README.md)",
            out.display()
        );
    } else {
        println!(
            "compile with: cd {} && typst compile --root . poster.typ (see its README.md for the fonts)",
            out.display()
        );
    }
    Ok(())
}

/// The letters of `broadside letters`, as a project instead of PDFs.
fn letters(
    args: &ExportArgs,
    statement: &broadside::load::statement::Statement,
    engine: &Engine,
    fonts: bool,
) -> Result<(), Error> {
    let (Some(recipients), Some(letter)) = (&args.recipients, &args.letter) else {
        return Err(Error::Usage(
            "--letters needs --recipients FILE and --letter FILE".into(),
        ));
    };
    let request = super::letters::request(&super::letters::LetterOptions {
        recipients,
        letter,
        window: args.window,
        name: &args.name,
        skip_bad: args.skip_bad,
        annex_only: args.annex_only,
    })?;
    let plan = letters::plan(engine, statement, &request)?;
    super::letters::report_plan(&plan);
    let setter = letters::Setter::new(engine, statement, &request, &plan)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output/typst-letters"));
    let (folders, written) = broadside::letters::bundle::write_letters_project(
        &out,
        engine.templates(),
        &setter,
        &plan,
        fonts,
    )?;
    println!(
        "wrote {} letters as a Typst bundle project ({} files) to {}",
        plan.letters.len(),
        written.len(),
        out.display()
    );
    for folder in folders {
        println!(
            "compile with: cd {} && {}",
            folder.display(),
            broadside::letters::bundle::compile_command(fonts)
        );
    }
    Ok(())
}
