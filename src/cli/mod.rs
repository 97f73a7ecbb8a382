//! The commands of `broadside`, one file each; `args` holds their
//! definitions. They read arguments, call the library and report.

pub mod args;
pub mod attach;
pub mod build;
pub mod check;
pub mod collect;
pub mod export;
pub mod fonts;
pub mod import;
pub mod init;
pub mod letters;
pub mod manual;
pub mod plan;
pub mod report;
pub mod send;
pub mod signatories;
pub mod watch;

use std::path::PathBuf;

use broadside::Error;
use broadside::load::statement::Paper;
use broadside::load::{self, Loaded};

use args::PaperArg;

/// Loads a statement (the bundled example when none is named), printing its warnings.
pub fn load(statement: Option<&PathBuf>) -> Result<Loaded, Error> {
    let loaded = match statement {
        Some(path) => load::load_file(path)?,
        None => load::load_example()?,
    };
    report::warnings(&loaded.statement.source, &loaded.warnings);
    Ok(loaded)
}

/// Runs `work` on a thread of its own and waits for it at most `limit`.
/// Typst cannot be interrupted, so past the bound this returns `None` and the
/// caller reports it; the thread is left to finish or to end with the
/// process (every file is written whole, so nothing half-written remains).
pub fn bounded<T: Send + 'static>(
    limit: std::time::Duration,
    work: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Option<Result<T, Error>> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    match receiver.recv_timeout(limit) {
        Ok(result) => Some(result),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => None,
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            Some(Err(Error::Internal("the work stopped unexpectedly".into())))
        }
    }
}

/// A progress bar of `len` `things` on a terminal; `None` in a log or a
/// pipe, where the caller prints a line per item instead.
pub fn progress_bar(len: usize, things: &str) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(len as u64);
        let template = format!("{{bar:40}} {{pos}}/{{len}} {things}, {{eta}} left");
        bar.set_style(
            indicatif::ProgressStyle::with_template(&template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    })
}

/// The library's paper for the option's.
pub fn paper(arg: PaperArg) -> Paper {
    match arg {
        PaperArg::A4 => Paper::A4,
        PaperArg::Letter => Paper::Letter,
    }
}
