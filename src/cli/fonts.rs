//! `broadside fonts`: the families documents can use.

use std::path::PathBuf;

use broadside::{Error, Fonts};

/// Runs the command.
pub fn run(font_dirs: Vec<PathBuf>) -> Result<(), Error> {
    let fonts = if font_dirs.is_empty() {
        Fonts::bundled()
    } else {
        Fonts::with_dirs(&font_dirs)?
    };
    for f in fonts.families() {
        println!(
            "{:<22} {:>2} {:<6} {:<8} {}",
            f.family,
            f.faces,
            if f.faces == 1 { "face" } else { "faces" },
            if f.bundled { "bundled" } else { "added" },
            f.scripts.join(", ")
        );
        println!(
            "{:<22} {}",
            "",
            f.licence
                .unwrap_or("see the licence that came with the font file")
        );
    }
    Ok(())
}
