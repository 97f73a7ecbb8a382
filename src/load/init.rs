//! A new statement folder to start from: a commented `statement.toml`
//! showing every key (valid as written), a `logos/` folder, and a sample
//! recipients file and letter for `broadside letters`.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The files of a new statement folder, by name.
pub const FILES: [(&str, &str); 3] = [
    (
        "statement.toml",
        include_str!("../../examples/starter/statement.toml"),
    ),
    (
        "recipients.csv",
        include_str!("../../examples/starter/recipients.csv"),
    ),
    (
        "letter.md",
        include_str!("../../examples/starter/letter.md"),
    ),
];

/// Creates the folder's files. Nothing that exists is replaced: the folder
/// must be new or empty.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io("cannot read", dir, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{} is not empty; broadside init never replaces files: name a new folder",
                dir.display()
            )));
        }
    }
    std::fs::create_dir_all(dir.join("logos"))
        .map_err(|e| Error::io("cannot create", dir.join("logos"), e))?;
    let mut written = vec![dir.join("logos")];
    for (name, text) in FILES {
        let path = dir.join(name);
        crate::write::output::write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}
