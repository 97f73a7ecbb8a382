//! The third stage, setting: the data in, PDFs out. The embedded Typst
//! compiler ([`engine`]) over a world of broadside's own, the bundled fonts
//! ([`fonts`]), the templates compiled into the binary or overridden
//! ([`templates`]), the check that every character has a glyph, the plan
//! of a tiled poster ([`TilePlan`]) and of flyers imposed on a sheet
//! ([`ImposePlan`]).

pub mod engine;
pub(crate) mod estimate;
pub mod fonts;
pub(crate) mod glyphs;
pub mod impose;
pub(crate) mod pieces;
pub mod templates;
pub(crate) mod tile;
pub mod worker;
pub(crate) mod world;

pub use impose::{ImposePlan, Sheet};
pub use tile::{SHEET_MARGIN_MM, TilePlan};
