//! The fourth stage, writing: documents in, files out, never half-written
//! ([`output`]); the Typst project for a designer ([`export`]), its data
//! indented for people (`pretty`); the press release as text
//! ([`textout`]) and as an email draft ([`eml`]).

pub mod eml;
pub mod export;
pub mod output;
mod pretty;
pub mod textout;
