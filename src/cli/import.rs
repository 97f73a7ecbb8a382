//! `broadside import`: a plain-text statement made into TOML to edit.

use std::io::Write;

use broadside::Error;
use broadside::load::import;

use super::args::ImportArgs;

/// Runs the command.
pub fn run(args: ImportArgs) -> Result<(), Error> {
    let extension = args
        .input
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if matches!(extension.as_str(), "docx" | "doc" | "odt" | "rtf" | "pdf") {
        return Err(Error::Usage(format!(
            "{}: broadside imports plain text; save the document as plain text (.txt) or Markdown (.md) and import that",
            args.input.display()
        )));
    }
    if let Some(out) = &args.out
        && out.exists()
    {
        return Err(Error::Usage(format!(
            "{} exists; broadside never replaces a statement: choose another name or remove it",
            out.display()
        )));
    }
    let text = broadside::files::read_text(
        &args.input,
        2 * broadside::load::MAX_TEXT_BYTES as u64,
        "statement text",
    )?;
    let imported = import::import(&text, import::today());
    for note in &imported.notes {
        eprintln!("review: {note}");
    }
    eprintln!(
        "found {} paragraphs and {} signatories",
        imported.paragraphs, imported.signatories
    );
    match &args.out {
        Some(out) => {
            broadside::write::output::write_atomic(out, imported.toml.as_bytes())?;
            eprintln!("wrote {}", out.display());
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(imported.toml.as_bytes())
                .map_err(|e| Error::Usage(format!("cannot write to standard output: {e}")))?;
        }
    }
    Ok(())
}
