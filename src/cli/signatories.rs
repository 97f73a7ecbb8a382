//! `broadside signatories`: the list a PDF carries, read back out.

use std::io::Write;
use std::path::PathBuf;

use broadside::Error;

/// Runs the command.
pub fn run(pdf: PathBuf, json: bool) -> Result<(), Error> {
    let bytes = broadside::files::read(&pdf, 512 * 1024 * 1024, "PDF")?;
    let files = broadside::pdf::embedded::files(&bytes, &pdf.display().to_string())?;
    let wanted = if json {
        "signatories.json"
    } else {
        "signatories.csv"
    };
    let (_, data) = files
        .iter()
        .find(|(name, _)| name == wanted)
        .ok_or_else(|| {
            Error::Usage(format!(
                "{} carries no {wanted}{}; annexes and letters made by broadside do",
                pdf.display(),
                if files.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (it carries {})",
                        files
                            .iter()
                            .map(|(n, _)| n.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            ))
        })?;
    std::io::stdout()
        .lock()
        .write_all(data)
        .map_err(|e| Error::Usage(format!("cannot write to standard output: {e}")))
}
