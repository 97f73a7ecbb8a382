//! The third stage, setting: the data in, PDFs out. The embedded Typst
//! compiler ([`engine`]) over a world of broadside's own ([`world`]), the
//! bundled fonts ([`fonts`]), the templates compiled into the binary or
//! overridden ([`templates`]), the check that every character has a glyph
//! ([`glyphs`]) and the plan of a tiled poster ([`tile`]).

pub mod engine;
pub mod fonts;
pub mod glyphs;
pub mod templates;
pub mod tile;
pub mod world;
