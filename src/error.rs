//! The library's error type.
//!
//! Every variant carries enough context (file, key path, position) for the
//! command-line tool to tell a person what went wrong and what to do; the
//! library itself never prints.

use std::fmt;
use std::path::PathBuf;

/// Anything that can stop broadside from producing a document.
///
/// [`Error::Internal`] is broadside's own failure (a bug to report); every
/// other variant is something the person running it can fix. More variants
/// may come, so a `match` needs a catch-all arm.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What broadside was doing ("cannot read", "cannot write", ...).
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },

    /// The statement file is not valid TOML or JSON, or a value has the wrong type.
    #[error("{}", .0)]
    Syntax(Box<Located>),

    /// The statement parsed, but its content cannot be published as it is.
    #[error("{}", Problems(.path, .problems))]
    Invalid {
        /// The statement file.
        path: PathBuf,
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },

    /// A template failed to compile.
    #[error("the {document} template failed:\n{message}")]
    Template {
        /// Which document ("press-release", "poster", "annex").
        document: String,
        /// The compiler's diagnostics, already rendered with their source lines.
        message: String,
    },

    /// The PDF writer refused the laid-out document.
    #[error("cannot write the {document} PDF: {message}")]
    Pdf {
        /// Which document.
        document: String,
        /// The writer's reason.
        message: String,
    },

    /// Options given to the library or the command line do not make sense.
    #[error("{0}")]
    Usage(String),

    /// broadside itself failed (a compiler thread that stopped, data that
    /// would not serialise, the preview server): not the user's doing.
    #[error("internal error: {0} (please report it: this is a bug in broadside)")]
    Internal(String),
}

/// A problem at a known position in a file.
#[derive(Debug, Clone)]
pub struct Located {
    /// The file.
    pub path: PathBuf,
    /// 1-based line, if known.
    pub line: Option<usize>,
    /// 1-based column, if known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// The offending line of the file, for display.
    pub excerpt: Option<String>,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let (Some(excerpt), Some(line)) = (&self.excerpt, self.line) {
            let gutter = line.to_string();
            write!(f, "\n {gutter} | {excerpt}")?;
            if let Some(column) = self.column {
                let pad = " ".repeat(gutter.len());
                let caret_pad: String = excerpt
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n {pad} | {caret_pad}^")?;
            }
        }
        Ok(())
    }
}

/// One thing wrong with a statement's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the statement, as a key path such as `signatories[3].name`.
    pub key: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// For a problem about a signatory, the number the annex prints for it,
    /// where it is not its place in the list (the annex sorted by name or
    /// divided by country): see [`crate::load::order::Numbers`].
    pub number: Option<usize>,
}

impl Problem {
    /// The index of the signatory the key is about (`signatories[43].url`
    /// is about 43).
    pub fn signatory(&self) -> Option<usize> {
        let rest = self.key.strip_prefix("signatories[")?;
        let end = rest.find(']')?;
        rest[..end].parse().ok()
    }

    /// Where the problem is, as people read it: ``signatory 44
    /// (`signatories[43].name`)`` for a signatory (numbered as the annex
    /// prints it), the key in backquotes for anything else.
    pub fn place(&self) -> String {
        match self.signatory() {
            Some(i) => format!(
                "signatory {} (`{}`)",
                self.number.unwrap_or(i + 1),
                self.key
            ),
            None => format!("`{}`", self.key),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n    hint: {hint}")?;
        }
        Ok(())
    }
}

struct Problems<'a>(&'a PathBuf, &'a [Problem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.1.len();
        write!(
            f,
            "{}: {} problem{} to fix before publishing",
            self.0.display(),
            n,
            if n == 1 { "" } else { "s" }
        )?;
        for problem in self.1 {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with the file and what was being done to it.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
