//! Writing documents without ever leaving a half-written file behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::set::engine::Document;

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// renamed into place only once complete: a reader (or a crash) sees either
/// the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |file| {
        file.write_all(bytes)
            .map_err(|e| Error::io("cannot write", path, e))
    })
}

/// Writes `path` the way [`write_atomic`] does, with `write` filling the
/// temporary file (`.NAME.PID.tmp` beside it, which [`clean_stale`]
/// recognises after a kill): for files made a piece at a time, such as a zip
/// archive.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file =
            std::fs::File::create(&tmp).map_err(|e| Error::io("cannot create", &tmp, e))?;
        write(&mut file)?;
        file.sync_all()
            .map_err(|e| Error::io("cannot write", path, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io("cannot write", path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The file name of a document: `poster.pdf`, or `poster.ru.pdf` when
/// several languages are written side by side.
pub fn file_name(document: &Document, with_language: bool) -> String {
    if with_language {
        format!("{}.{}.pdf", document.kind.name(), document.language)
    } else {
        format!("{}.pdf", document.kind.name())
    }
}

/// Removes temporary files that an earlier run left in `dir` when it was
/// killed mid-write (`kill -9`, a power cut): `.NAME.PID.tmp` whose process
/// no longer runs. Files of a running broadside are left alone.
pub fn clean_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(stem) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
            continue;
        };
        let Some(pid) = stem.rsplit('.').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let running = pid == own || Path::new(&format!("/proc/{pid}")).exists();
        // Where there is no /proc, nothing can be known: keep the file.
        if !running && Path::new("/proc/self").exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes every document into `dir` (created if needed) and returns the paths.
/// Nothing is written unless every document was built, so a failed build
/// leaves the previous set as it was.
pub fn write_all<'a>(
    dir: &Path,
    documents: impl IntoIterator<Item = &'a Document>,
    with_language: bool,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io("cannot create the output folder", dir, e))?;
    clean_stale(dir);
    let mut written = Vec::new();
    for document in documents {
        let path = dir.join(file_name(document, with_language));
        write_atomic(&path, &document.pdf)?;
        written.push(path);
    }
    Ok(written)
}

/// Encodes an image and writes it atomically. JPEG has no transparency, so
/// the image is flattened first.
pub fn write_image(
    path: &Path,
    image: &image::RgbaImage,
    format: image::ImageFormat,
) -> Result<()> {
    let mut bytes = Vec::new();
    let mut cursor = std::io::Cursor::new(&mut bytes);
    let result = if format == image::ImageFormat::Jpeg {
        image::DynamicImage::ImageRgba8(image.clone())
            .into_rgb8()
            .write_to(&mut cursor, format)
    } else {
        image.write_to(&mut cursor, format)
    };
    result.map_err(|e| Error::Internal(format!("cannot encode {}: {e}", path.display())))?;
    write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file written a piece at a time leaves nothing behind when a piece
    /// fails, and its temporary name is one `clean_stale` takes away.
    #[test]
    fn a_failed_write_leaves_no_file_and_a_stale_one_is_cleaned() {
        let dir = std::env::temp_dir().join(format!("broadside-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("letters.zip");
        let failed = write_atomic_with(&target, |file| {
            file.write_all(b"PK")
                .map_err(|e| Error::io("cannot write", &target, e))?;
            Err(Error::Usage("a letter could not be read".into()))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "nothing left");
        // What a killed process leaves: its PID no longer runs.
        std::fs::write(dir.join(".letters.zip.4000000000.tmp"), b"PK").unwrap();
        clean_stale(&dir);
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            0,
            "stale file removed"
        );
        write_atomic_with(&target, |file| {
            file.write_all(b"PK")
                .map_err(|e| Error::io("cannot write", &target, e))
        })
        .unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"PK");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
