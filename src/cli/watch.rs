//! `broadside watch`: build again whenever a file of the statement changes,
//! and with `--serve` show every page in a browser that follows each build.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use broadside::preview::{Preview, Shown};
use broadside::{Engine, Error};
use notify_debouncer_full::new_debouncer;
use notify_debouncer_full::notify::RecursiveMode;

use super::args::WatchArgs;
use super::build;
use super::plan::BuildPlan;

/// The port `--serve` asks for: none (the first free of 3000–3005), a port,
/// or a loopback address with a port. The preview is for this machine only.
fn serve_port(value: &str) -> Result<Option<u16>, Error> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let port = match value.rsplit_once(':') {
        None => value,
        Some(("127.0.0.1" | "localhost", port)) => port,
        Some((host, _)) => {
            return Err(Error::Usage(format!(
                "--serve: the preview is served on this machine only (127.0.0.1), not on `{host}`; give a port, e.g. --serve=3000"
            )));
        }
    };
    port.parse::<u16>().map(Some).map_err(|_| {
        Error::Usage(format!(
            "--serve: `{value}` is not a port; give a number such as 3000"
        ))
    })
}

/// Starts the preview server when `--serve` asks for it.
fn start_preview(args: &WatchArgs) -> Result<Option<Preview>, Error> {
    let Some(value) = &args.serve else {
        return Ok(None);
    };
    let port = serve_port(value)?;
    let title = args
        .build
        .statement
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let preview = Preview::start(&title, port)?;
    eprintln!("watch: preview at http://{}/", preview.addr());
    Ok(Some(preview))
}

/// Runs the command until it is interrupted.
pub fn run(args: WatchArgs) -> Result<(), Error> {
    let preview = start_preview(&args)?;
    // The flags are checked once; every rebuild follows the same plan.
    let plan = BuildPlan::new(&args.build)?;
    let statement = plan.statement.clone().ok_or_else(|| {
        Error::Usage("watch needs a statement file: broadside watch statement.toml".into())
    })?;
    let folder = match statement.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let engine = Engine::with_options(&plan.engine)?;
    engine.reuse_pdfs();
    let engine = std::sync::Arc::new(engine);
    let plan = std::sync::Arc::new(plan);
    let limit = plan.timeout;
    let rebuild = || {
        let started = Instant::now();
        // Each rebuild under the build's time bound: a template that runs
        // away is reported, and watching goes on.
        let work = {
            let (engine, plan) = (engine.clone(), plan.clone());
            move || build::run_with(&engine, &plan)
        };
        let result = super::bounded(limit, work)
            .unwrap_or_else(|| Err(build::stopped(limit, plan.engine.templates_dir.as_deref())));
        let loaded = match result {
            Ok((documents, loaded)) => {
                let took = started.elapsed();
                eprintln!("watch: built in {} ms", took.as_millis());
                if let Some(preview) = &preview {
                    preview.show(Shown::Documents(&documents, took));
                }
                Some(loaded)
            }
            Err(e) => {
                super::report::error(&e);
                eprintln!(
                    "watch: the last good documents stay in {}; fix the statement and save",
                    plan.out.display()
                );
                if let Some(preview) = &preview {
                    preview.show(Shown::Error(&e.to_string()));
                }
                None
            }
        };
        broadside::set::engine::trim_cache();
        loaded
    };
    let mut read = Inputs::of(&statement);
    if let Some(loaded) = rebuild() {
        read.set(&statement, &loaded);
    }

    let (sender, receiver) = std::sync::mpsc::channel();
    // Editors save by writing a new file and renaming it: watching the
    // folder, debounced, sees one change however the save is done.
    let mut debouncer = new_debouncer(Duration::from_millis(150), None, sender)
        .map_err(|e| Error::Usage(format!("cannot watch files: {e}")))?;
    let mut watched = vec![folder.clone()];
    if let Some(dir) = &plan.engine.templates_dir {
        watched.push(dir.clone());
    }
    for dir in &watched {
        debouncer
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", dir.display())))?;
    }
    eprintln!(
        "watch: watching {} (Ctrl-C to stop)",
        watched
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(" and ")
    );
    let templates = plan
        .engine
        .templates_dir
        .as_ref()
        .map(|d| std::fs::canonicalize(d).unwrap_or_else(|_| d.clone()));
    for result in receiver {
        let Ok(events) = result else { continue };
        // Our own output (when it lies inside the folder) is not a change.
        let out = std::fs::canonicalize(&plan.out).unwrap_or_else(|_| plan.out.clone());
        let relevant = events.iter().any(|event| {
            // Reading a file (as the build itself does) is not a change.
            !event.kind.is_access()
                && event.paths.iter().any(|p| {
                    let p = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
                    let template = templates.as_ref().is_some_and(|t| p.starts_with(t));
                    !p.starts_with(&out)
                        && !is_temporary(&p)
                        && is_input(&p)
                        && (template || read.files.contains(&p))
                })
        });
        if relevant && let Some(loaded) = rebuild() {
            read.set(&statement, &loaded);
        }
    }
    Ok(())
}

/// The files a build of the statement reads: the statement (and the
/// original a translation file names), the logos and the signatory
/// spreadsheet. Only a change to one of them rebuilds: another program's
/// files in the folder (a mail server's queue, a spreadsheet's lock file)
/// are not the statement's.
struct Inputs {
    files: std::collections::HashSet<PathBuf>,
}

impl Inputs {
    /// The statement file alone, until a build has loaded it.
    fn of(statement: &Path) -> Inputs {
        Inputs {
            files: [canonical(statement)].into_iter().collect(),
        }
    }

    /// The files the statement as the last good build loaded it names; a
    /// build that fails keeps the files named last (the statement itself
    /// is among them).
    fn set(&mut self, statement: &Path, s: &broadside::Statement) {
        let mut files = vec![canonical(statement), canonical(&s.source)];
        let named = s
            .signatories
            .iter()
            .filter_map(|x| x.logo.as_deref())
            .chain(s.organisation.logo.as_deref())
            .chain(s.signatories_file.as_ref().map(|f| f.file.as_path()));
        files.extend(named.map(|p| canonical(&s.base_dir.join(p))));
        // A translation in a file of its own is built on its original.
        if let Some(original) = translation_of(statement) {
            files.push(canonical(&original));
        }
        self.files = files.into_iter().collect();
    }
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The original a translation file names (`translation_of`), beside it.
fn translation_of(statement: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(statement).ok()?;
    if !text.contains("translation_of") {
        return None;
    }
    let value = match toml::from_str::<toml::Table>(&text) {
        Ok(table) => table.get("translation_of")?.as_str()?.to_owned(),
        Err(_) => serde_json::from_str::<serde_json::Value>(&text)
            .ok()?
            .get("translation_of")?
            .as_str()?
            .to_owned(),
    };
    Some(statement.parent().unwrap_or(Path::new(".")).join(value))
}

/// Files a build can read: statements and translations, images, templates.
fn is_input(path: &Path) -> bool {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        extension.as_str(),
        "toml"
            | "json"
            | "png"
            | "jpg"
            | "jpeg"
            | "gif"
            | "webp"
            | "svg"
            | "typ"
            | "j2"
            | "md"
            | "csv"
            | "tsv"
            | "xlsx"
            | "ods"
    )
}

/// Temporary files: ours, and editors' swap and backup files.
fn is_temporary(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.ends_with(".tmp")
        || name.ends_with(".swp")
        || name.ends_with('~')
        || name.starts_with(".#")
}
