//! The first stage, reading: a statement file (TOML or JSON) in, a checked
//! [`Statement`] and its warnings out. Also here: the statement's types and
//! the one description of its texts, the limits every input is held to,
//! the cleaning of direction controls and emoji, the order and numbering of
//! the signatory list and its duplicates, the choice among languages, and
//! the two ways a statement starts (`init`, `import` of pasted text).
//!
//! Parsing and validation are separate steps: the parser reports syntax and
//! type errors with line and column; validation collects every content problem
//! with its key path, so a user fixes them all in one pass. Unknown keys are
//! warnings with the nearest known key, so a typo never passes silently.
//!
//! The rules grow with every limit and diagnostic, so each sits beside the
//! section it checks: `raw` holds the file's shape, `validate` one function
//! per section of the statement, `translation` the translations.

pub(crate) mod bidi;
pub(crate) mod duplicates;
pub(crate) mod emoji;
pub mod import;
pub mod init;
pub(crate) mod language;
pub(crate) mod limits;
pub(crate) mod locate;
pub mod markdown;
pub(crate) mod order;
mod raw;
pub mod sheet;
pub mod statement;
mod texts;
mod translation;
mod validate;

use std::path::{Path, PathBuf};

use crate::error::{Error, Located, Problem, Result};
use crate::load::statement::Statement;
use raw::{RawStatement, unknown_key_warning};
use translation::{is_translation_file, load_translation_file};

pub use duplicates::near_duplicates;
pub use limits::MAX_TEXT_BYTES;
pub use locate::toml_span;
pub use order::Numbers;
pub use validate::parse_hex_colour;

/// The bundled example statement, so `broadside build` works from any folder.
pub const EXAMPLE_TOML: &str =
    include_str!("../../examples/international-day-of-political-prisoners.toml");

/// The file name the bundled example reports in messages.
pub const EXAMPLE_NAME: &str = "examples/international-day-of-political-prisoners.toml";

/// A statement together with what the loader noticed but did not refuse.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated statement.
    pub statement: Statement,
    /// Warnings for the user, such as unknown keys.
    pub warnings: Vec<Problem>,
}

/// The formats a statement can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML, the format people write by hand.
    Toml,
    /// JSON with the same shape, for other tools.
    Json,
}

impl Format {
    /// Picks the format from a file's extension (`.json` is JSON, everything else TOML).
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Toml,
        }
    }
}

/// Reads and validates the statement file at `path`.
pub fn load_file(path: &Path) -> Result<Loaded> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(extension.as_str(), "toml" | "json") {
        // A statement pasted into a .txt or .md file would otherwise fail
        // with a puzzling TOML syntax error on its first line.
        return Err(Error::Usage(format!(
            "{} is not a statement file: broadside reads .toml (or .json) files with title, date, body and \
             signatories; start from examples/international-day-of-political-prisoners.toml",
            path.display()
        )));
    }
    let text =
        crate::files::read_text(path, crate::load::limits::MAX_FILE_BYTES, "statement file")?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let base = if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base
    };
    let format = Format::from_path(path);
    if is_translation_file(&text, format) {
        return load_translation_file(&text, format, path, &base);
    }
    load_str(&text, format, path, &base)
}

/// Parses `text` into `T`, collecting the keys it did not know.
fn parse<T: serde::de::DeserializeOwned>(
    text: &str,
    format: Format,
    path: &Path,
    unknown: &mut Vec<String>,
) -> Result<T> {
    match format {
        Format::Toml => {
            let de = toml::Deserializer::new(text);
            serde_ignored::deserialize(de, |p| unknown.push(key_path(&p)))
                .map_err(|e| syntax_error(path, text, e.span().map(|s| s.start), e.message()))
        }
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            serde_ignored::deserialize(&mut de, |p| unknown.push(key_path(&p)))
                .and_then(|raw| de.end().map(|()| raw))
                .map_err(|e| json_error(path, text, &e))
        }
    }
}

/// Reads the bundled example statement.
pub fn load_example() -> Result<Loaded> {
    load_str(
        EXAMPLE_TOML,
        Format::Toml,
        Path::new(EXAMPLE_NAME),
        Path::new("."),
    )
}

/// What `check` asks a person to look at beyond the rules: one name given
/// with a country and without one (two chapters, or one signatory listed
/// twice). Real lists carry such entries as their organisers wrote them, so
/// a build does not warn about them; `check` does, naming both entries.
pub fn review(statement: &Statement) -> Vec<Problem> {
    validate::same_name_warnings(statement)
}

/// Reads and validates statement text. `path` is only used in messages;
/// `base_dir` is where relative paths in the statement (logos) resolve.
pub fn load_str(text: &str, format: Format, path: &Path, base_dir: &Path) -> Result<Loaded> {
    load_str_with(text, format, path, base_dir, None)
}

/// Reads the statement at `path` as [`load_file`] does, with its
/// signatories from `list` (a file beside the one it names, read with the
/// same columns) instead: `collect` checks a list this way before putting
/// it in place.
pub fn load_file_with_list(path: &Path, list: &Path) -> Result<Loaded> {
    let text =
        crate::files::read_text(path, crate::load::limits::MAX_FILE_BYTES, "statement file")?;
    let base = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    load_str_with(&text, Format::from_path(path), path, &base, Some(list))
}

fn load_str_with(
    text: &str,
    format: Format,
    path: &Path,
    base_dir: &Path,
    list: Option<&Path>,
) -> Result<Loaded> {
    let mut unknown = Vec::new();
    let mut raw: RawStatement = parse(text, format, path, &mut unknown)?;
    if let (Some(list), Some(raw::RawSignatories::File(spec))) = (list, raw.signatories.as_mut()) {
        spec.file = list.to_path_buf();
    }
    let mut warnings: Vec<Problem> = unknown.iter().map(|key| unknown_key_warning(key)).collect();
    let mut statement = validate::validate(raw, path, base_dir)?;
    warnings.extend(crate::load::bidi::sanitise(&mut statement));
    crate::load::order::Numbers::new(
        &statement.signatories,
        &statement.language,
        statement.list.sort,
        statement.list.group_by,
    )
    .mark(&mut warnings);
    if text.contains(crate::load::import::REVIEW_MARK) {
        warnings.push(Problem {
            key: "title".into(),
            message: "this statement was made by `broadside import` and not yet reviewed: its title, date, language or group names may be guesses".into(),
            hint: Some("check the lines marked REVIEW, then delete the first line".into()),
            number: None,
        });
    }
    Ok(Loaded {
        statement,
        warnings,
    })
}

fn syntax_error(path: &Path, text: &str, offset: Option<usize>, message: &str) -> Error {
    let (line, column) = match offset {
        Some(offset) => {
            let (l, c) = locate::line_column(text, offset);
            (Some(l), Some(c))
        }
        None => (None, None),
    };
    let excerpt = line
        .and_then(|l| text.lines().nth(l - 1))
        .map(str::to_owned);
    Error::Syntax(Box::new(Located {
        path: path.to_path_buf(),
        line,
        column,
        message: message.trim().to_owned(),
        excerpt,
    }))
}

fn json_error(path: &Path, text: &str, e: &serde_json::Error) -> Error {
    let line = (e.line() > 0).then_some(e.line());
    let excerpt = line
        .and_then(|l| text.lines().nth(l - 1))
        .map(str::to_owned);
    // serde_json appends " at line X column Y" to its message; we print the position ourselves.
    let message = e.to_string();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    Error::Syntax(Box::new(Located {
        path: path.to_path_buf(),
        line,
        column: line.map(|_| e.column().max(1)),
        message,
        excerpt,
    }))
}

fn key_path(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path as P;
    match path {
        P::Root => String::new(),
        P::Seq { parent, index } => format!("{}[{index}]", key_path(parent)),
        P::Map { parent, key } => {
            let parent = key_path(parent);
            if parent.is_empty() {
                key.clone()
            } else {
                format!("{parent}.{key}")
            }
        }
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
            key_path(parent)
        }
    }
}
