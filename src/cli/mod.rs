//! The commands of `broadside`, one file each; `args` holds their
//! definitions. They read arguments, call the library and report.

pub mod args;
pub mod attach;
pub mod build;
pub mod check;
pub mod export;
pub mod fonts;
pub mod import;
pub mod init;
pub mod letters;
pub mod manual;
pub mod report;
pub mod signatories;
pub mod watch;

use std::path::PathBuf;

use broadside::Error;
use broadside::load::{self, Loaded};
use broadside::statement::Paper;

use args::PaperArg;

/// Loads a statement (the bundled example when none is named), printing its warnings.
pub fn load(statement: Option<&PathBuf>) -> Result<Loaded, Error> {
    let loaded = match statement {
        Some(path) => load::load_file(path)?,
        None => load::load_example()?,
    };
    report::warnings(&loaded.statement.source, &loaded.warnings);
    Ok(loaded)
}

/// The library's paper for the option's.
pub fn paper(arg: PaperArg) -> Paper {
    match arg {
        PaperArg::A4 => Paper::A4,
        PaperArg::Letter => Paper::Letter,
    }
}
