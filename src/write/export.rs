//! Writing a statement's Typst project to a folder: the templates, the data,
//! the images and the fonts, exactly as broadside compiles them. A designer
//! can open it anywhere with the official Typst tools.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::resolve::data::Prepared;
use crate::set::templates::Templates;
use crate::write::output::write_atomic;

/// How to compile the project, in the project.
fn readme(fonts: bool) -> String {
    let mut out = String::from(
        "# A Typst project written by broadside\n\n\
         The templates (`*.typ`), the statement's data (`statement.json`) and its images.\n\
         Compile each document from inside this folder with the official Typst compiler:\n\n```sh\n",
    );
    for doc in DOCUMENTS {
        out.push_str(&compile_command(doc, fonts));
        out.push('\n');
    }
    out.push_str("```\n\n");
    out.push_str(fonts_note(fonts));
    out.push_str(
        "\nEdit the templates and bring them back with `broadside build --templates DIR`.\n",
    );
    out
}

/// The command, run inside an exported project, that compiles `document`
/// (`annex`, …) with the official Typst CLI, as the project's README gives it.
pub fn compile_command(document: &str, fonts: bool) -> String {
    let fonts = if fonts {
        " --font-path fonts --ignore-system-fonts"
    } else {
        ""
    };
    format!("typst compile --root .{fonts} {document}.typ")
}

/// What a project's README says of its fonts.
pub(crate) fn fonts_note(fonts: bool) -> &'static str {
    if fonts {
        "The fonts in `fonts/` are under the SIL Open Font License (`fonts/OFL-*.txt`).\n"
    } else {
        "The fonts are not included (--no-fonts). Install these families: Noto Serif, \
         Inter, Inter Display, Noto Naskh Arabic, Noto Sans Arabic, Noto Emoji (all SIL Open Font License).\n"
    }
}

/// The documents a project compiles to, for the README it carries.
const DOCUMENTS: [&str; 6] = [
    "press-release",
    "poster",
    "annex",
    "statement",
    "placards",
    "flyer",
];

/// Writes the project into `dir` and returns the files written. With
/// `fonts`, the bundled fonts and their licences go into `fonts/`; without,
/// the README lists the families to install.
pub fn write_project(
    dir: &Path,
    templates: &Templates,
    prepared: &Prepared,
    fonts: bool,
) -> Result<Vec<PathBuf>> {
    let mut project = ProjectWriter::new(dir);
    project.common(templates, prepared, fonts)?;
    project.put("README.md", readme(fonts).as_bytes())?;
    Ok(project.written)
}

/// Writes the files of a project into a folder, each whole (written to a
/// temporary file and renamed), and remembers what it wrote.
pub(crate) struct ProjectWriter<'a> {
    dir: &'a Path,
    /// The files written so far.
    pub written: Vec<PathBuf>,
}

impl<'a> ProjectWriter<'a> {
    /// A writer into `dir`, which is created as needed.
    pub fn new(dir: &'a Path) -> ProjectWriter<'a> {
        ProjectWriter {
            dir,
            written: Vec::new(),
        }
    }

    /// Writes one file at `relative` inside the folder.
    pub fn put(&mut self, relative: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io("cannot create the folder", parent, e))?;
        }
        write_atomic(&path, bytes)?;
        self.written.push(path);
        Ok(())
    }

    /// What every project has: the templates, the statement's data and
    /// images, and (with `fonts`) the bundled fonts with their licences.
    pub fn common(
        &mut self,
        templates: &Templates,
        prepared: &Prepared,
        fonts: bool,
    ) -> Result<()> {
        for (name, text) in templates.files() {
            self.put(name, text.as_bytes())?;
        }
        self.put(
            "statement.json",
            &crate::write::pretty::indent(&prepared.json),
        )?;
        for asset in &prepared.assets {
            self.put(asset.virtual_path.trim_start_matches('/'), &asset.data)?;
        }
        if fonts {
            for (file, data) in crate::set::fonts::Fonts::bundled_data() {
                self.put(&format!("fonts/{file}"), data)?;
            }
        }
        Ok(())
    }
}
