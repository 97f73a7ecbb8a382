//! The approved list, written into the statement's signatory file (a
//! CSV, read back with the statement's own column mapping), so `build`,
//! `letters` and a running `watch` take it as any other list.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::load::sheet::{self, SignatoryFile};
use crate::load::statement::Signatory;

/// The list as CSV, with the headers `spec` reads.
pub fn csv_bytes(spec: &SignatoryFile, signatories: &[Signatory]) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fields: Vec<&str> = sheet::fields().collect();
    let headers: Vec<String> = fields.iter().map(|f| sheet::header(spec, f)).collect();
    let failed = |e: csv::Error| Error::Internal(format!("cannot write the list as CSV: {e}"));
    writer.write_record(&headers).map_err(failed)?;
    for s in signatories {
        let consent = s.consent.as_deref().cloned().unwrap_or_default();
        let cell = |v: &Option<String>| v.clone().unwrap_or_default();
        let record: Vec<String> = fields
            .iter()
            .map(|f| match *f {
                "name" => s.name.clone(),
                "group" => cell(&s.group),
                "country" => cell(&s.country),
                "url" => cell(&s.url),
                "logo" => s
                    .logo
                    .as_ref()
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                "consent.by" => cell(&consent.by),
                "consent.contact" => cell(&consent.contact),
                "consent.date" => cell(&consent.date),
                "consent.method" => cell(&consent.method),
                "consent.wording" => cell(&consent.wording),
                _ => String::new(),
            })
            .collect();
        writer.write_record(&record).map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::Internal(format!("cannot write the list as CSV: {e}")))
}

/// Writes `signatories` as the statement's list: to a file beside the
/// list, read back with the statement as a build would read it, and only
/// then renamed over the list. A list the statement would refuse (a name
/// twice, a character no font has) is refused here, with the loader's
/// message, and the file on disk stays as it was.
pub fn put_in_place(
    statement: &Path,
    spec: &SignatoryFile,
    signatories: &[Signatory],
) -> Result<()> {
    let base = statement
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let target = base.join(&spec.file);
    let name = spec
        .file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("signatories.csv");
    let trial_name = format!(".{name}.{}.check.csv", std::process::id());
    let trial_relative: PathBuf = spec.file.with_file_name(&trial_name);
    let trial = base.join(&trial_relative);
    let bytes = csv_bytes(spec, signatories)?;
    crate::write::output::write_atomic(&trial, &bytes)?;
    let checked = crate::load::load_file_with_list(statement, &trial_relative);
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&trial);
        return Err(e);
    }
    std::fs::rename(&trial, &target).map_err(|e| {
        let _ = std::fs::remove_file(&trial);
        Error::io("cannot write", &target, e)
    })
}
