//! `broadside letters`: a personal letter to every recipient.

use std::time::Instant;

use std::path::Path;

use broadside::letters::mailmerge::LetterTexts;
use broadside::letters::recipients;
use broadside::letters::{self, LettersRequest, Plan, Window};
use broadside::resolve::data::Layout;
use broadside::{Engine, EngineOptions, Error};

use super::args::{LetterInputs, LettersArgs, WindowArg};
use super::load;

/// The letters' options, as `letters` and `export --letters` both take them.
pub struct LetterOptions<'a> {
    /// The recipients file.
    pub recipients: &'a Path,
    /// The letter's text.
    pub letter: &'a Path,
    /// The window envelope.
    pub window: WindowArg,
    /// The file name pattern.
    pub name: &'a str,
    /// Leave out the rows that cannot get a letter.
    pub skip_bad: bool,
    /// Attach the annex only, not the statement's text.
    pub annex_only: bool,
}

impl<'a> From<&'a LetterInputs> for LetterOptions<'a> {
    fn from(inputs: &'a LetterInputs) -> LetterOptions<'a> {
        LetterOptions {
            recipients: &inputs.recipients,
            letter: &inputs.letter,
            window: inputs.window,
            name: &inputs.name,
            skip_bad: inputs.skip_bad,
            annex_only: inputs.annex_only,
        }
    }
}

/// Reads the recipients and the letter into the library's request.
pub fn request(options: &LetterOptions<'_>) -> Result<LettersRequest, Error> {
    Ok(LettersRequest {
        recipients: recipients::read(options.recipients)?,
        letters: LetterTexts::read(options.letter)?,
        window: match options.window {
            WindowArg::Dl => Window::Dl,
            WindowArg::C5 => Window::C5,
            WindowArg::Din5008A => Window::Din5008A,
            WindowArg::Din5008B => Window::Din5008B,
        },
        file_name: options.name.to_owned(),
        skip_bad: options.skip_bad,
        with_statement: !options.annex_only,
        layout: Layout::default(),
    })
}

/// Says which rows were skipped and why, and what the plan warns of.
pub fn report_plan(plan: &Plan) {
    for s in &plan.skipped {
        eprintln!("skipped {}: {}", s.place, s.message);
    }
    for w in &plan.warnings {
        eprintln!("warning: {}: {}", w.place, w.message);
    }
    for (wanted, given) in &plan.renamed {
        eprintln!("renamed {wanted} to {given}: another letter has that name");
    }
}

/// Runs the command under its time bound.
pub fn run(args: LettersArgs) -> Result<(), Error> {
    let limit = std::time::Duration::from_secs(args.timeout.max(1));
    let out = args.out.clone();
    super::bounded(limit, move || run_unbounded(args)).unwrap_or_else(|| {
        Err(Error::Usage(format!(
            "the batch was stopped after {} s (raise the bound with --timeout); the letters in {} are each complete: run again to write them all",
            limit.as_secs(),
            out.display()
        )))
    })
}

fn run_unbounded(args: LettersArgs) -> Result<(), Error> {
    let started = Instant::now();
    let loaded = load(Some(&args.statement))?;
    let statement = &loaded.statement;
    let request = request(&LetterOptions::from(&args.inputs))?;
    let engine = Engine::with_options(&EngineOptions {
        templates_dir: args.templates.clone(),
        font_dirs: args.font_dirs.clone(),
        ..Default::default()
    })?;
    let plan = letters::plan(&engine, statement, &request)?;
    report_plan(&plan);
    let setter = letters::Setter::new(&engine, statement, &request, &plan)?;

    if args.dry_run {
        let set = letters::set_all(&setter, &plan)?;
        println!("{:<40} {:<8} {:>5}  recipient", "file", "language", "pages");
        for (planned, letter) in plan.letters.iter().zip(&set) {
            println!(
                "{:<40} {:<8} {:>5}  {}",
                letter.file,
                planned.language,
                letter.pages,
                planned.recipient.name()
            );
        }
        println!(
            "{} letters, {} skipped; nothing written (--dry-run)",
            set.len(),
            plan.skipped.len()
        );
        return Ok(());
    }

    // A progress bar on a terminal; a line per file otherwise (logs, scripts).
    let bar = super::progress_bar(plan.letters.len(), "letters");
    let progress = |path: &std::path::Path| match &bar {
        Some(bar) => bar.inc(1),
        None => println!("wrote {}", path.display()),
    };
    let report = letters::write(&setter, &plan, &args.out, &progress)?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if args.zip {
        let files: Vec<_> = report.written.iter().map(|(p, _)| p.clone()).collect();
        let path = args.out.join("letters.zip");
        letters::zip(&files, &path, statement.date)?;
        println!(
            "wrote {} ({} letters, for sending)",
            path.display(),
            files.len()
        );
    }
    if args.merge {
        let merged = letters::merge(&setter, &plan, args.duplex)?;
        let path = args.out.join("letters.pdf");
        broadside::write::output::write_atomic(&path, &merged)?;
        println!("wrote {} (every letter, for printing)", path.display());
    }
    let pages: usize = report.written.iter().map(|(_, p)| p).sum();
    println!(
        "{} letters written to {} ({pages} pages), {} skipped, in {:.1} s",
        report.written.len(),
        args.out.display(),
        report.skipped.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
