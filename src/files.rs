//! Reading the files a user names: only regular files, only up to a size.
//!
//! A device (`/dev/zero`), a FIFO or a folder passed where a file is
//! expected would otherwise hang the command or fill the memory; each is
//! refused with a message instead. The read itself is bounded too, in case a
//! file grows after it was checked.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Reads a regular file of at most `limit` bytes; `what` names it in messages.
pub fn read(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io("cannot read", path, e))?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a folder"
        } else {
            "a device, pipe or socket"
        };
        return Err(Error::Usage(format!(
            "{} is {kind}, not a file; give the path of the {what}",
            path.display()
        )));
    }
    if meta.len() > limit {
        return Err(Error::Usage(format!(
            "{} is {} bytes; a {what} may be at most {limit} bytes",
            path.display(),
            meta.len()
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io("cannot read", path, e))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("cannot read", path, e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::Usage(format!(
            "{} grew past {limit} bytes while it was read",
            path.display()
        )));
    }
    Ok(bytes)
}

/// Reads a regular text file (UTF-8) of at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64, what: &str) -> Result<String> {
    String::from_utf8(read(path, limit, what)?).map_err(|e| {
        Error::Usage(format!(
            "{} is not UTF-8 text (byte {}); save it as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Joins `relative` to `base_dir` and checks that the real file (after
/// following symlinks) is still inside `base_dir`.
pub(crate) fn resolve_inside(base_dir: &Path, relative: &Path) -> Result<PathBuf, String> {
    let shown = relative.display();
    if relative.is_absolute()
        || relative.components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
    {
        return Err(format!("`{shown}` is outside the statement's folder"));
    }
    let base = base_dir
        .canonicalize()
        .map_err(|e| format!("cannot open the statement's folder: {e}"))?;
    let joined = base.join(relative);
    let real = joined.canonicalize().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            format!("`{shown}` does not exist (looked in {})", base.display())
        }
        _ => format!("cannot open `{shown}`: {e}"),
    })?;
    if !real.starts_with(&base) {
        return Err(format!(
            "`{shown}` leads outside the statement's folder (through a link)"
        ));
    }
    if !real.is_file() {
        return Err(format!("`{shown}` is not a file"));
    }
    Ok(real)
}
