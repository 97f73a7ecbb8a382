//! broadside turns one coalition statement into the documents that publish
//! it: a press release for journalists, a poster for printing and a signatory
//! annex for letters, as print-ready PDFs.
//!
//! ```no_run
//! let loaded = broadside::load_file("statement.toml".as_ref())?;
//! let engine = broadside::Engine::new();
//! let documents = engine.build(&loaded.statement, &broadside::BuildRequest::default())?;
//! broadside::write_all("output".as_ref(), &documents, false)?;
//! # Ok::<(), broadside::Error>(())
//! ```
//!
//! The library is a pipeline of stages, one folder each: [`load`] reads and
//! checks a statement file (or imports pasted text), [`resolve`] turns it into
//! the data a template reads, [`set`] compiles the templates with the
//! embedded Typst, [`pdf`] edits the PDFs Typst wrote, [`write`](mod@write) puts
//! documents and their text versions on disk; [`letters`], [`send`] (email,
//! each message once), [`collect`] (the sign-on server) and [`preview`]
//! build on all of them.
//!
//! The statement reaches the Typst templates as JSON data, never as source:
//! whatever a name or paragraph contains is printed as it is written.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The stages, in the order a statement passes through them; each depends
// only on the ones before it (letters and the preview sit on top).
pub mod collect;
pub mod letters;
pub mod load;
pub mod pdf;
pub mod preview;
pub mod resolve;
pub mod send;
pub mod set;
pub mod write;

pub mod error;
pub mod files;

// What a program using broadside needs, at the root; the stages hold the rest.
pub use error::{Error, Problem, Result};
pub use letters::{LettersRequest, Window};
pub use load::statement::Statement;
pub use load::{Loaded, load_example, load_file};
pub use resolve::data::{ColourMode, Layout};
pub use set::engine::{BuildRequest, Document, DocumentKind, Engine, EngineOptions, PieceSize};
pub use set::fonts::Fonts;
pub use write::output::write_all;
pub use write::textout::TextFormat;
