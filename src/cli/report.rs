//! How errors and warnings reach a person. A problem at a place in the
//! statement shows that line with a marker under the spot, through
//! codespan-reporting: in colour on a terminal, plain in a log or a pipe.
//! Everything else is printed as the library words it.

use std::io::IsTerminal;
use std::ops::Range;
use std::path::Path;

use broadside::{Error, Problem};
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use codespan_reporting::term::{self, Config};

/// Colour on a terminal only: escape codes in a log file help no one.
fn stderr() -> StandardStream {
    StandardStream::stderr(if std::io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    })
}

/// The byte range of the character at 1-based `line` and `column` (counted
/// in characters), or `None` when the file has no such place.
fn span(source: &str, line: usize, column: usize) -> Option<Range<usize>> {
    let start_of_line: usize = source
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let text = source.get(start_of_line..)?.lines().next().unwrap_or("");
    let (offset, c) = text
        .char_indices()
        .nth(column.saturating_sub(1))
        .unwrap_or((text.len(), ' '));
    let start = start_of_line + offset;
    Some(start..(start + c.len_utf8()).min(source.len().max(start)))
}

/// Prints diagnostics about one file, read afresh for its lines. False when
/// the file cannot be read (the caller then prints plain text).
fn emit(path: &Path, diagnostics: &[Diagnostic<()>]) -> bool {
    let Ok(source) = std::fs::read_to_string(path) else {
        return false;
    };
    let file = SimpleFile::new(path.display().to_string(), source);
    let out = stderr();
    let config = Config::default();
    diagnostics
        .iter()
        .all(|d| term::emit(&mut out.lock(), &config, &file, d).is_ok())
}

/// Where a problem is: the value of its key as written in a TOML statement
/// (its first line, underlined). A JSON statement's problems name the key.
fn position(path: &Path, source: &str, problem: &Problem) -> Option<Range<usize>> {
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    {
        return None;
    }
    let found = broadside::load::toml_span(source, &problem.key)?;
    let line_end = source
        .get(found.start..)?
        .find('\n')
        .map_or(source.len(), |i| found.start + i);
    Some(
        found.start
            ..found
                .end
                .min(line_end)
                .max(found.start + 1)
                .min(source.len()),
    )
}

fn diagnostic(severity: Severity, path: &Path, source: &str, problem: &Problem) -> Diagnostic<()> {
    let mut d =
        Diagnostic::new(severity).with_message(format!("{}: {}", problem.place(), problem.message));
    if let Some(range) = position(path, source, problem) {
        d = d.with_labels(vec![Label::primary((), range)]);
    }
    if let Some(hint) = &problem.hint {
        d = d.with_notes(vec![format!("hint: {hint}")]);
    }
    d
}

/// Prints an error for a person.
pub fn error(e: &Error) {
    let shown = match e {
        Error::Syntax(located) => match (located.line, located.column) {
            (Some(line), column) => std::fs::read_to_string(&located.path).is_ok_and(|source| {
                let range = span(&source, line, column.unwrap_or(1));
                let mut d = Diagnostic::error().with_message(&located.message);
                if let Some(range) = range {
                    d = d.with_labels(vec![Label::primary((), range)]);
                }
                emit(&located.path, &[d])
            }),
            (None, _) => false,
        },
        Error::Invalid { path, problems } => std::fs::read_to_string(path).is_ok_and(|source| {
            if !problems
                .iter()
                .any(|p| position(path, &source, p).is_some())
            {
                return false;
            }
            let mut all: Vec<Diagnostic<()>> = problems
                .iter()
                .map(|p| diagnostic(Severity::Error, path, &source, p))
                .collect();
            let n = problems.len();
            all.push(Diagnostic::error().with_message(format!(
                "{}: {n} problem{} to fix before publishing",
                path.display(),
                if n == 1 { "" } else { "s" }
            )));
            emit(path, &all)
        }),
        _ => false,
    };
    if !shown {
        eprintln!("error: {e}");
    }
}

/// Prints a statement's warnings, with their lines where they have a place.
pub fn warnings(path: &Path, warnings: &[Problem]) {
    let source = std::fs::read_to_string(path).unwrap_or_default();
    for w in warnings {
        if !source.is_empty() && position(path, &source, w).is_some() {
            emit(path, &[diagnostic(Severity::Warning, path, &source, w)]);
        } else {
            eprintln!("warning: {}: {w}", path.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::span;

    #[test]
    fn spans_count_characters_not_bytes() {
        let source = "title = \"Ё\"\ndate = = x\n";
        assert_eq!(&source[span(source, 2, 8).unwrap()], "=");
        assert_eq!(span(source, 2, 8), Some(20..21));
        assert_eq!(&source[span(source, 1, 10).unwrap()], "Ё");
        assert_eq!(span(source, 9, 1), Some(source.len()..source.len()));
    }
}
