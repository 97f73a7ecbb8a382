//! Writing a statement's Typst project to a folder: the templates, the data
//! and the images, exactly as broadside compiles them. A designer can open it
//! with the official Typst tools and the fonts in broadside's `fonts/`.

use std::path::{Path, PathBuf};

use crate::data::Prepared;
use crate::error::{Error, Result};
use crate::output::write_atomic;
use crate::templates::Templates;

/// Writes the project into `dir` and returns the files written.
pub fn write_project(
    dir: &Path,
    templates: &Templates,
    prepared: &Prepared,
) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let mut put = |relative: &str, bytes: &[u8]| -> Result<()> {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io("cannot create the folder", parent, e))?;
        }
        write_atomic(&path, bytes)?;
        written.push(path);
        Ok(())
    };
    for (name, text) in templates.files() {
        put(name, text.as_bytes())?;
    }
    put("statement.json", &prepared.json)?;
    for asset in &prepared.assets {
        put(asset.virtual_path.trim_start_matches('/'), &asset.data)?;
    }
    Ok(written)
}
