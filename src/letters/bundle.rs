//! The letters as a Typst bundle project, for `broadside export --letters`.
//!
//! Typst 0.15's bundle export writes many PDFs from one compile. The project
//! holds broadside's templates, the statement's data, every recipient's letter
//! as data (`letters.json`) and `letters.typ`, which makes one document per
//! recipient: the letter, then the statement and the annex, as `broadside
//! letters` writes them. A designer can restyle the letter in Typst and an
//! organisation can still make the batch with the stock compiler.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::letters::{Plan, Setter};
use crate::set::templates::Templates;
use crate::write::export::ProjectWriter;

/// The command that compiles a project, as its README gives it.
pub fn compile_command(fonts: bool) -> String {
    let fonts = if fonts {
        " --font-path fonts --ignore-system-fonts"
    } else {
        ""
    };
    format!("typst compile --features bundle --format bundle --root .{fonts} letters.typ letters")
}

#[derive(Serialize)]
struct Batch {
    /// Whether the statement's text comes before the annex.
    statement: bool,
    letters: Vec<serde_json::Value>,
}

fn readme(fonts: bool, count: usize, language: &str) -> String {
    let mut out = format!(
        "# Letters as a Typst bundle, written by broadside\n\n\
         {count} letters in `{language}`: one PDF per recipient, the letter followed by the \
         statement and the signatory annex, as `broadside letters` writes them.\n\n\
         - `letters.typ` makes one document per recipient from `letters.json`.\n\
         - `letter-layout.typ` is the letter; `statement.typ` and `annex.typ` the pages after it.\n\
         - `statement.json` is the statement's data, `assets/` its images.\n\n\
         Compile from inside this folder with the official Typst compiler (0.15 or later); \
         the PDFs go into `letters/`:\n\n```sh\n{}\n```\n\n\
         With a thousand letters or more, typst 0.15.1 can overflow a thread's stack while \
         writing the PDFs; give it more with `RUST_MIN_STACK=67108864` before the command.\n\n",
        compile_command(fonts)
    );
    out.push_str(crate::write::export::fonts_note(fonts));
    out.push_str(
        "\nEdit the templates and bring them back with `broadside letters --templates DIR`.\n",
    );
    out
}

/// Writes the letters of `plan` as bundle projects into `dir`: the folder
/// itself when every letter is in one language, one folder per language
/// (`dir/en`, `dir/fr`) otherwise, since a project's templates read one
/// statement. Returns the project folders and every file written.
pub fn write_letters_project(
    dir: &Path,
    templates: &Templates,
    setter: &Setter<'_>,
    plan: &Plan,
    fonts: bool,
) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut languages: Vec<&str> = Vec::new();
    for letter in &plan.letters {
        if !languages.contains(&letter.language.as_str()) {
            languages.push(&letter.language);
        }
    }
    let mut folders = Vec::new();
    let mut written = Vec::new();
    for language in &languages {
        let folder = if languages.len() == 1 {
            dir.to_path_buf()
        } else {
            dir.join(language)
        };
        let prepared = setter
            .prepared(language)
            .ok_or_else(|| Error::Internal(format!("no `{language}` statement was laid out")))?;
        let mut letters = Vec::new();
        for planned in plan.letters.iter().filter(|l| l.language == *language) {
            let json = setter.letter_json(planned)?;
            let letter: serde_json::Value = serde_json::from_slice(&json)
                .map_err(|e| Error::Internal(format!("cannot serialise a letter: {e}")))?;
            letters.push(serde_json::json!({ "file": planned.file, "letter": letter }));
        }
        let count = letters.len();
        let batch = Batch {
            statement: setter.with_statement(),
            letters,
        };
        let json = serde_json::to_vec(&batch)
            .map_err(|e| Error::Internal(format!("cannot serialise the letters: {e}")))?;
        let mut project = ProjectWriter::new(&folder);
        project.common(templates, prepared, fonts)?;
        for asset in setter.signature_assets() {
            project.put(asset.virtual_path.trim_start_matches('/'), &asset.data)?;
        }
        project.put("letters.json", &json)?;
        project.put("README.md", readme(fonts, count, language).as_bytes())?;
        written.extend(project.written);
        folders.push(folder);
    }
    Ok((folders, written))
}
