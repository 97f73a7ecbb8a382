//! The Typst `World` that one document is compiled in.
//!
//! A world serves only what broadside put into the project: the templates,
//! `statement.json` and the checked images under `assets/`. It never reads the
//! disk and never downloads packages, so a template cannot reach beyond what
//! broadside vetted, and the same inputs always give the same pages.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

use crate::set::fonts::Fonts;

/// The files of one Typst project: templates, data and images. Cloning
/// shares the files (they are reference-counted).
#[derive(Clone)]
pub struct Project {
    /// Each `.typ` file, parsed when a document first imports it (a build
    /// of the poster never parses the letter templates) and then shared.
    sources: HashMap<FileId, Arc<OnceLock<Source>>>,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

/// The id of a file at `path` (absolute inside the project, e.g. `/poster.typ`).
pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl Project {
    /// An empty project whose `today()` is `today`.
    pub fn new(today: Datetime) -> Project {
        Project {
            sources: HashMap::new(),
            files: HashMap::new(),
            today,
        }
    }

    /// A copy of this project (its files shared, not copied) whose
    /// `today()` is `today`.
    pub fn dated(&self, today: Datetime) -> Project {
        Project {
            today,
            ..self.clone()
        }
    }

    /// Adds bytes that are already shared (data, images), without a copy;
    /// a `.typ` file is parsed once, when a document first needs it, and
    /// shared by every document compiled from this project.
    pub fn add_shared(&mut self, path: &str, data: Bytes) {
        let Some(id) = file_id(path) else { return };
        if path.ends_with(".typ") && std::str::from_utf8(&data).is_ok() {
            self.sources.insert(id, Arc::new(OnceLock::new()));
        } else {
            self.sources.remove(&id);
        }
        self.files.insert(id, data);
    }

    /// Adds a file (see [`Project::add_shared`]).
    pub fn add(&mut self, path: &str, data: Vec<u8>) {
        self.add_shared(path, Bytes::new(data));
    }

    /// The parsed `.typ` file, if the project has one at `id`.
    fn source(&self, id: FileId) -> Option<Source> {
        let cell = self.sources.get(&id)?;
        let text = std::str::from_utf8(self.files.get(&id)?).ok()?;
        Some(
            cell.get_or_init(|| Source::new(id, text.to_owned()))
                .clone(),
        )
    }

    /// Every file of the project, by its path.
    pub(crate) fn files(&self) -> impl Iterator<Item = (String, &[u8])> {
        self.files
            .iter()
            .map(|(id, bytes)| (id.vpath().get_with_slash().to_string(), bytes.as_slice()))
    }

    /// The file's bytes, if the project has it.
    pub fn get(&self, id: FileId) -> Option<&Bytes> {
        self.files.get(&id)
    }
}

/// Everything a compilation needs that does not change between documents.
pub struct Shared {
    /// Typst's standard library.
    pub library: LazyHash<Library>,
    /// The fonts.
    pub fonts: Arc<Fonts>,
}

/// One document's view of a project: the same files, its own main file.
pub struct DocumentWorld<'a> {
    shared: &'a Shared,
    project: &'a Project,
    main: FileId,
}

impl<'a> DocumentWorld<'a> {
    /// A world that compiles `main` (such as `/poster.typ`).
    pub fn new(shared: &'a Shared, project: &'a Project, main: FileId) -> Self {
        DocumentWorld {
            shared,
            project,
            main,
        }
    }
}

fn not_found(id: FileId) -> FileError {
    if matches!(id.root(), VirtualRoot::Package(_)) {
        return FileError::Other(Some(
            "broadside compiles without Typst packages; copy what you need into the templates folder".into(),
        ));
    }
    FileError::NotFound(id.vpath().get_with_slash().into())
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.shared.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.project.source(id) {
            Some(source) => Ok(source),
            None if self.project.files.contains_key(&id) => Err(FileError::NotSource),
            None => Err(not_found(id)),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.project.get(id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // The statement's date, not the clock: builds are reproducible.
        Some(self.project.today)
    }
}
