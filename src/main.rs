//! The `broadside` command: a thin layer over the library. `cli::args`
//! defines the commands; each has a file in `cli/`; this only dispatches.

mod cli;

use std::process::ExitCode;

use clap::Parser;

use cli::args::{Cli, Command};

// Typst makes millions of small, short-lived allocations: jemalloc (with one
// arena, set in `.cargo/config.toml`) builds the example 18% faster and
// 10,000 names 15% faster than the system allocator, with a peak memory that
// no longer varies from run to run.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    // Typst's layout recurses deeply, and rayon runs stolen work on top of a
    // waiting worker's stack: give the workers room (letters compile on them).
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(32 << 20)
        .build_global();
    // A worker setting a long annex's pieces for another `broadside`
    // (`set::worker`): not a command people run.
    let mut args = std::env::args_os().skip(1);
    if args
        .next()
        .is_some_and(|a| a == broadside::set::worker::WORKER_ARG)
    {
        let font_dirs = args.map(std::path::PathBuf::from).collect();
        return match broadside::set::worker::serve(font_dirs) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                cli::report::error(&e);
                ExitCode::FAILURE
            }
        };
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => cli::build::run(args),
        Command::Watch(args) => cli::watch::run(args),
        Command::Export(args) => cli::export::run(args),
        Command::Check { statement } => cli::check::run(statement),
        Command::Letters(args) => cli::letters::run(args),
        Command::Attach(args) => cli::attach::run(args),
        Command::Collect(args) => cli::collect::run(args),
        Command::Send(command) => cli::send::run(command),
        Command::Import(args) => cli::import::run(args),
        Command::Init { dir } => cli::init::run(dir),
        Command::Fonts { font_dirs } => cli::fonts::run(font_dirs),
        Command::Completions { shell } => cli::manual::completions(shell),
        Command::Man => cli::manual::man(),
        Command::Signatories { pdf, json } => cli::signatories::run(pdf, json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            cli::report::error(&e);
            ExitCode::FAILURE
        }
    }
}
