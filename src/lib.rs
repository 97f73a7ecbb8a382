//! broadside turns one coalition statement into the documents that publish
//! it: a press release for journalists, a poster for printing and a signatory
//! annex for letters, as print-ready PDFs.
//!
//! ```no_run
//! let loaded = broadside::load::load_file("statement.toml".as_ref())?;
//! let engine = broadside::Engine::new();
//! let documents = engine.build(&loaded.statement, &broadside::BuildRequest::default())?;
//! broadside::output::write_all("output".as_ref(), &documents, false)?;
//! # Ok::<(), broadside::Error>(())
//! ```
//!
//! The statement reaches the Typst templates as JSON data, never as source:
//! whatever a name or paragraph contains is printed as it is written.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod assets;
pub mod bidi;
pub mod bundle;
pub mod data;
pub mod duplicates;
pub mod embedded;
pub mod eml;
pub mod emoji;
pub mod engine;
pub mod error;
pub mod export;
pub mod files;
pub mod fonts;
pub mod glyphs;
pub mod import;
pub mod init;
pub mod l10n;
pub mod language;
pub mod letters;
pub mod limits;
pub mod load;
pub mod locate;
pub mod mailmerge;
pub mod markdown;
pub mod order;
pub mod output;
pub mod pdfjoin;
pub mod preview;
pub mod print;
pub mod recipients;
pub mod statement;
pub mod templates;
pub mod textout;
mod texts;
pub mod tile;
pub mod world;

pub use engine::{BuildRequest, Document, DocumentKind, Engine, EngineOptions};
pub use error::{Error, Problem, Result};
pub use fonts::Fonts;
pub use statement::Statement;
