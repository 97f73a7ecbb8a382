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
) -> Result<(), Error> {
    let loaded = load(statement.as_ref())?;
    let engine = Engine::with_options(&EngineOptions {
        templates_dir: templates,
        font_dirs: Vec::new(),
    })?;
    let prepared = engine.prepare(&loaded.statement, &Layout::default())?;
    let written = broadside::export::write_project(&out, engine.templates(), &prepared)?;
    println!("wrote {} files to {}", written.len(), out.display());
    println!(
        "compile with: typst compile --root {0} --font-path fonts --ignore-system-fonts {0}/poster.typ",
        out.display()
    );
    Ok(())
}
