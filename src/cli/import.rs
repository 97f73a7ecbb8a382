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
    if matches!(extension.as_str(), "csv" | "tsv" | "xlsx" | "ods") {
        return spreadsheet(&args);
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
    write(&args, &imported)
}

/// A spreadsheet of signatories: a statement that reads its rows, written
/// beside it (the list is read from the statement's folder).
fn spreadsheet(args: &ImportArgs) -> Result<(), Error> {
    let folder = |p: &std::path::Path| match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let dir = folder(&args.input);
    if let Some(out) = &args.out {
        let same = std::fs::canonicalize(folder(out)).ok() == std::fs::canonicalize(&dir).ok();
        if !same {
            return Err(Error::Usage(format!(
                "--out: write the statement beside {} (in {}): a statement reads its signatories' spreadsheet from its own folder",
                args.input.display(),
                dir.display()
            )));
        }
    }
    let name = args
        .input
        .file_name()
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    let imported = import::import_spreadsheet(&dir, &name, import::today())?;
    for note in &imported.notes {
        eprintln!("review: {note}");
    }
    write(args, &imported)
}

fn write(args: &ImportArgs, imported: &import::Imported) -> Result<(), Error> {
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
