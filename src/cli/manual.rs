//! `broadside completions` and `broadside man`, from the clap definitions.

use std::io::Write;

use broadside::Error;
use clap::CommandFactory;

use super::args::Cli;

/// Prints completions for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<(), Error> {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "broadside", &mut std::io::stdout());
    Ok(())
}

/// Prints the manual page.
pub fn man() -> Result<(), Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Error::Usage(format!("cannot write the manual: {e}")))?;
    std::io::stdout()
        .lock()
        .write_all(&out)
        .map_err(|e| Error::Usage(format!("cannot write to standard output: {e}")))
}
