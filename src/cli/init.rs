//! `broadside init`: a new statement folder.

use std::path::PathBuf;

use broadside::Error;

/// Runs the command.
pub fn run(dir: PathBuf) -> Result<(), Error> {
    for path in broadside::load::init::create(&dir)? {
        println!("created {}", path.display());
    }
    println!(
        "next: edit {0}/statement.toml, then `broadside check {0}/statement.toml` and `broadside build {0}/statement.toml`",
        dir.display()
    );
    Ok(())
}
