//! The second stage, resolving: a checked statement in, the data a
//! template reads out ([`data`]): the words of its language,
//! its images found, checked and normalised.

pub(crate) mod assets;
pub mod data;
pub(crate) mod l10n;
pub mod list;
