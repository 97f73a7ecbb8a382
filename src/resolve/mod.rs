//! The second stage, resolving: a checked statement in, the data a
//! template reads out ([`data`]): the words of its language ([`l10n`]),
//! its images found, checked and normalised ([`assets`]).

pub mod assets;
pub mod data;
pub mod l10n;
