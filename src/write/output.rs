//! Writing documents without ever leaving a half-written file behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::set::engine::Document;

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// renamed into place only once complete: a reader (or a crash) sees either
/// the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
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
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io("cannot write", path, e));
    }
    Ok(())
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
pub fn write_all(dir: &Path, documents: &[Document], with_language: bool) -> Result<Vec<PathBuf>> {
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
    result.map_err(|e| Error::Usage(format!("cannot encode {}: {e}", path.display())))?;
    write_atomic(path, &bytes)
}
