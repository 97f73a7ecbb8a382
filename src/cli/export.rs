//! `broadside export`: the Typst project, for designers.

use std::path::PathBuf;

use broadside::data::Layout;
use broadside::{Engine, EngineOptions, Error};

use super::load;

/// Runs the command.
pub fn run(
    statement: Option<PathBuf>,
    out: PathBuf,
    templates: Option<PathBuf>,
    fonts: bool,
) -> Result<(), Error> {
    let loaded = load(statement.as_ref())?;
    let engine = Engine::with_options(&EngineOptions {
        templates_dir: templates,
        font_dirs: Vec::new(),
    })?;
    let prepared = engine.prepare(&loaded.statement, &Layout::default())?;
    let written = broadside::export::write_project(&out, engine.templates(), &prepared, fonts)?;
    println!("wrote {} files to {}", written.len(), out.display());
    if fonts {
        println!(
            "compile with: cd {} && typst compile --root . --font-path fonts --ignore-system-fonts poster.typ (see its README.md)",
            out.display()
        );
    } else {
        println!(
            "compile with: cd {} && typst compile --root . poster.typ (see its README.md for the fonts)",
            out.display()
        );
    }
    Ok(())
}
