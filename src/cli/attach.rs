//! `broadside attach`: the annex after a letter written elsewhere.

use broadside::pdf::join as pdfjoin;
use broadside::resolve::data::Layout;
use broadside::{BuildRequest, DocumentKind, Engine, Error};

use super::args::AttachArgs;
use super::load;

/// Runs the command.
pub fn run(args: AttachArgs) -> Result<(), Error> {
    let letter_bytes = broadside::files::read(&args.letter, 512 * 1024 * 1024, "letter PDF")?;
    let what = args.letter.display().to_string();
    let mut letter = pdfjoin::parse(&letter_bytes, &what)?;
    let original_pages = letter.get_pages().len();
    let loaded = load(Some(&args.statement))?;
    let statement = match &args.lang {
        None => loaded.statement.clone(),
        Some(tag) => loaded
            .statement
            .closest_language(tag)
            .and_then(|l| loaded.statement.in_language(l))
            .ok_or_else(|| {
                Error::Usage(format!(
                    "--lang: the statement has no `{tag}` translation, nor another in that language; it has {}",
                    loaded.statement.languages().join(", ")
                ))
            })?,
    };
    let mut documents = vec![DocumentKind::Annex];
    if args.with_statement {
        documents.insert(0, DocumentKind::Statement);
    }
    let built = Engine::new().build(
        &statement,
        &BuildRequest {
            documents,
            layout: Layout::default(),
            ..BuildRequest::default()
        },
    )?;
    for document in &built {
        let parsed = pdfjoin::parse(&document.pdf, document.kind.name())?;
        pdfjoin::append(&mut letter, &parsed)?;
    }
    let bytes = pdfjoin::save(&mut letter)?;
    broadside::write::output::write_atomic(&args.out, &bytes)?;
    let added: usize = built.iter().map(|d| d.pages).sum();
    println!(
        "wrote {} ({original_pages} pages of the letter, then {added} of {})",
        args.out.display(),
        built
            .iter()
            .map(|d| d.kind.name())
            .collect::<Vec<_>>()
            .join(" and ")
    );
    Ok(())
}
