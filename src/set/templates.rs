//! The Typst templates: bundled in the binary, overridable from a folder.
//!
//! The templates and the statement's data form an ordinary Typst project, so
//! a designer can open and edit them with the official Typst tools; nothing
//! here generates Typst source.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};

/// Files of the bundled template set, by file name.
const BUNDLED: &[(&str, &str)] = &[
    (
        "broadside.typ",
        include_str!("../../templates/broadside.typ"),
    ),
    (
        "press-release.typ",
        include_str!("../../templates/press-release.typ"),
    ),
    ("poster.typ", include_str!("../../templates/poster.typ")),
    ("annex.typ", include_str!("../../templates/annex.typ")),
    (
        "statement.typ",
        include_str!("../../templates/statement.typ"),
    ),
    ("letter.typ", include_str!("../../templates/letter.typ")),
    (
        "letter-layout.typ",
        include_str!("../../templates/letter-layout.typ"),
    ),
    ("letters.typ", include_str!("../../templates/letters.typ")),
    (
        "poster-tiled.typ",
        include_str!("../../templates/poster-tiled.typ"),
    ),
    ("placards.typ", include_str!("../../templates/placards.typ")),
    ("flyer.typ", include_str!("../../templates/flyer.typ")),
    (
        "flyer-imposed.typ",
        include_str!("../../templates/flyer-imposed.typ"),
    ),
    ("card.typ", include_str!("../../templates/card.typ")),
    (
        "card-square.typ",
        include_str!("../../templates/card-square.typ"),
    ),
    (
        "card-wide.typ",
        include_str!("../../templates/card-wide.typ"),
    ),
    ("l10n.toml", include_str!("../../templates/l10n.toml")),
    ("email.txt.j2", include_str!("../../templates/email.txt.j2")),
    (
        "email.html.j2",
        include_str!("../../templates/email.html.j2"),
    ),
    (
        "press-release.md.j2",
        include_str!("../../templates/press-release.md.j2"),
    ),
];

/// The largest template file read from an override folder.
const MAX_TEMPLATE_BYTES: u64 = 4 * 1024 * 1024;

/// A set of template files, by file name.
#[derive(Debug, Clone)]
pub struct Templates {
    files: BTreeMap<String, String>,
}

impl Templates {
    /// The templates compiled into broadside.
    pub fn bundled() -> Templates {
        let files = BUNDLED
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        Templates { files }
    }

    /// The bundled templates, with every `.typ`, `.toml` and `.j2` file of `dir`
    /// replacing the bundled file of the same name (or adding to the set).
    pub fn with_overrides(dir: &Path) -> Result<Templates> {
        let mut templates = Templates::bundled();
        let entries = std::fs::read_dir(dir)
            .map_err(|e| Error::io("cannot read the templates folder", dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("cannot read the templates folder", dir, e))?;
            let path = entry.path();
            let name = match path.file_name().and_then(|n| n.to_str()) {
                Some(n) => n.to_owned(),
                None => continue,
            };
            let wanted = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e == "typ" || e == "toml" || e == "j2");
            // Only regular files directly in the folder: no symlinks out of it.
            let meta =
                std::fs::symlink_metadata(&path).map_err(|e| Error::io("cannot read", &path, e))?;
            if !wanted || !meta.is_file() {
                continue;
            }
            if meta.len() > MAX_TEMPLATE_BYTES {
                return Err(Error::Usage(format!(
                    "{} is too large for a template",
                    path.display()
                )));
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Error::io("cannot read the template", &path, e))?;
            templates.files.insert(name, text);
        }
        Ok(templates)
    }

    /// The text of a template file.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(String::as_str)
    }

    /// Every file, by name.
    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}
