//! Pieces of a long annex set in worker processes.
//!
//! Two threads of one process lay out two pieces only about 1.4 times as
//! fast as one, because every compilation shares Typst's memoization
//! cache; two processes run at full speed. So when the command can start
//! itself again (`broadside __annex-worker`), each core gets a worker
//! process, and each piece is sent to one: the project's files (templates,
//! data, images: only what broadside put into the project, never a path to
//! read), the piece, and how to write its PDF. The worker lays it out,
//! writes the PDF and sends it back with the page each entry landed on, so
//! that the caller checks it against the page breaks as it checks a piece
//! set in its own threads. Requests and replies are a line of JSON, then
//! the bytes it announces. The project's files go with a worker's first
//! piece only: the project is the same for every piece of one annex, and
//! at 100,000 names sending it with each piece piped 20 MB a piece.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde::{Deserialize, Serialize};
use typst::foundations::Datetime;

use crate::error::{Error, Result};
use crate::set::engine::{DocumentKind, Engine, EngineOptions};
use crate::set::world::Project;

/// The first argument that makes the command a worker.
pub const WORKER_ARG: &str = "__annex-worker";

/// How a worker writes a piece's PDF.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PdfSettings {
    /// The annex's language (part of its permanent /ID).
    pub(crate) language: String,
    /// The statement's date: the project's `today()` and the PDF's.
    pub(crate) date: (i32, u8, u8),
    pub(crate) standards: Vec<typst_pdf::PdfStandard>,
}

#[derive(Serialize, Deserialize)]
struct Request {
    settings: PdfSettings,
    /// Each file's path in the project and length, in the order of the
    /// bytes that follow; `None` for the project of the request before.
    files: Option<Vec<(String, usize)>>,
    /// The length of the piece's `annex-piece.json`, and of its junction's
    /// (the last page and the next entry), when it has one, after the files.
    piece: usize,
    junction: usize,
}

/// A piece as a worker set it.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Reply {
    /// The page (from 1) each entry is on, in order.
    pub(crate) on: Vec<usize>,
    pub(crate) pages: usize,
    pub(crate) warnings: Vec<String>,
    /// Where the junction's entries fell, when the piece has one.
    pub(crate) junction: Option<Vec<usize>>,
    #[serde(skip)]
    pub(crate) pdf: Vec<u8>,
    pdf_len: usize,
    error: Option<String>,
}

/// A running worker process; dropped, its input is closed and it is
/// waited for, so that none is left behind.
pub(crate) struct Worker {
    child: Child,
    input: Option<ChildStdin>,
    output: std::io::BufReader<ChildStdout>,
    /// The project's files were sent with a piece before.
    sent: bool,
}

impl Worker {
    /// Starts `exe` as a worker with the engine's font folders.
    pub(crate) fn start(exe: &Path, font_dirs: &[PathBuf]) -> Result<Worker> {
        let mut command = Command::new(exe);
        command.arg(WORKER_ARG);
        for dir in font_dirs {
            command.arg(dir);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Error::Internal(format!("cannot start a worker for the annex: {e}")))?;
        let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(Error::Internal(
                "a worker for the annex has no pipes".into(),
            ));
        };
        Ok(Worker {
            child,
            input: Some(input),
            output: std::io::BufReader::new(output),
            sent: false,
        })
    }

    /// Sets a piece: `project` with `piece` as its `annex-piece.json`, and
    /// the `junction` after it. Every piece a worker sets is of the same
    /// `project`.
    pub(crate) fn set(
        &mut self,
        project: &Project,
        settings: &PdfSettings,
        piece: &[u8],
        junction: Option<&[u8]>,
    ) -> Result<Reply> {
        let broken =
            |e: std::io::Error| Error::Internal(format!("a worker for the annex stopped: {e}"));
        let Some(input) = self.input.as_mut() else {
            return Err(Error::Internal("a worker for the annex was stopped".into()));
        };
        // Never the list's data files: only the first piece attaches them,
        // and this process sets the first piece. (A template of the
        // organiser's own that reads them elsewhere fails in the worker, and
        // the piece is then set here.)
        let files: Option<Vec<(String, &[u8])>> = (!self.sent).then(|| {
            project
                .files()
                .filter(|(path, _)| {
                    path != "/annex-piece.json"
                        && !crate::resolve::data::LIST_FILES.contains(&path.as_str())
                })
                .collect()
        });
        let request = Request {
            settings: settings.clone(),
            files: files
                .as_ref()
                .map(|files| files.iter().map(|(p, b)| (p.clone(), b.len())).collect()),
            piece: piece.len(),
            junction: junction.map_or(0, <[u8]>::len),
        };
        let mut line = serde_json::to_vec(&request)
            .map_err(|e| Error::Internal(format!("cannot write a worker's request: {e}")))?;
        line.push(b'\n');
        input.write_all(&line).map_err(broken)?;
        for (_, bytes) in files.iter().flatten() {
            input.write_all(bytes).map_err(broken)?;
        }
        input.write_all(piece).map_err(broken)?;
        if let Some(junction) = junction {
            input.write_all(junction).map_err(broken)?;
        }
        input.flush().map_err(broken)?;
        self.sent = true;
        let mut line = String::new();
        self.output.read_line(&mut line).map_err(broken)?;
        let mut reply: Reply = serde_json::from_str(&line)
            .map_err(|e| Error::Internal(format!("a worker for the annex answered oddly: {e}")))?;
        if let Some(error) = reply.error.take() {
            return Err(Error::Internal(format!(
                "a worker for the annex failed: {error}"
            )));
        }
        reply.pdf = vec![0; reply.pdf_len];
        self.output.read_exact(&mut reply.pdf).map_err(broken)?;
        Ok(reply)
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        drop(self.input.take());
        let _ = self.child.wait();
    }
}

/// Serves pieces on stdin and stdout until stdin closes: what
/// `broadside __annex-worker [FONT_DIR...]` does.
pub fn serve(font_dirs: Vec<PathBuf>) -> Result<()> {
    let engine = Engine::with_options(&EngineOptions {
        font_dirs,
        ..EngineOptions::default()
    })?;
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut output = stdout.lock();
    let broken = |e: std::io::Error| Error::Internal(format!("the annex worker's pipe broke: {e}"));
    let mut project: Option<Project> = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).map_err(broken)? == 0 {
            return Ok(());
        }
        let request: Request = serde_json::from_str(&line).map_err(|e| {
            Error::Internal(format!("the annex worker was sent an odd request: {e}"))
        })?;
        let mut read = |len: usize| -> Result<Vec<u8>> {
            let mut bytes = vec![0; len];
            input.read_exact(&mut bytes).map_err(broken)?;
            Ok(bytes)
        };
        let (y, m, d) = request.settings.date;
        let today = Datetime::from_ymd(y, m, d)
            .ok_or_else(|| Error::Internal("the annex worker was sent no date".into()))?;
        if let Some(files) = &request.files {
            let mut fresh = Project::new(today);
            for (path, len) in files {
                fresh.add(path, read(*len)?);
            }
            project = Some(fresh);
        }
        let Some(project) = project.as_ref() else {
            return Err(Error::Internal(
                "the annex worker was sent a piece before its project".into(),
            ));
        };
        let piece = read(request.piece)?;
        let junction = (request.junction > 0)
            .then(|| read(request.junction))
            .transpose()?;
        let mut reply = match set(&engine, project, &request.settings, piece, junction) {
            Ok(reply) => reply,
            Err(e) => Reply {
                on: Vec::new(),
                pages: 0,
                warnings: Vec::new(),
                junction: None,
                pdf: Vec::new(),
                pdf_len: 0,
                error: Some(e.to_string()),
            },
        };
        reply.pdf_len = reply.pdf.len();
        let mut line = serde_json::to_vec(&reply)
            .map_err(|e| Error::Internal(format!("cannot write the annex worker's reply: {e}")))?;
        line.push(b'\n');
        output.write_all(&line).map_err(broken)?;
        output.write_all(&reply.pdf).map_err(broken)?;
        output.flush().map_err(broken)?;
        // Each piece from an empty cache, so that memory stays flat.
        comemo::evict(0);
    }
}

fn set(
    engine: &Engine,
    project: &Project,
    settings: &PdfSettings,
    piece: Vec<u8>,
    junction: Option<Vec<u8>>,
) -> Result<Reply> {
    let mut with_piece = project.clone();
    with_piece.add("/annex-piece.json", piece);
    let (document, warnings) = engine.lay_out(&with_piece, DocumentKind::Annex)?;
    let on = super::pieces::entry_pages(&document);
    let world = engine.world(&with_piece, DocumentKind::Annex)?;
    let ident = Engine::annex_ident(&settings.language, &document);
    let pdf = engine.write_annex_pdf(&world, &document, settings, ident)?;
    let junction = match junction {
        Some(bytes) => {
            let mut with_junction = project.clone();
            with_junction.add("/annex-piece.json", bytes);
            let (document, _) = engine.lay_out(&with_junction, DocumentKind::Annex)?;
            Some(super::pieces::entry_pages(&document))
        }
        None => None,
    };
    Ok(Reply {
        on,
        pages: document.pages().len(),
        warnings,
        junction,
        pdf,
        pdf_len: 0,
        error: None,
    })
}
