//! Images a statement refers to (logos): found, checked and normalised.
//!
//! Every image is read by broadside, never by the templates: a path must stay
//! inside the statement's folder (symlinks included), the file must decode as
//! an image within bounded memory, and what reaches Typst is a clean PNG (or
//! the original JPEG, or a checked SVG) in the project's virtual `assets/`.

use std::io::Cursor;
use std::path::Path;

use image::{ImageFormat, ImageReader, Limits};
use typst::foundations::Bytes;

use crate::error::Problem;

/// The largest image file broadside reads.
pub const MAX_FILE_BYTES: u64 = 25 * 1024 * 1024;
/// The largest image, in pixels per side, broadside decodes.
pub const MAX_SIDE: u32 = 12_000;
/// Logos are scaled down to this many pixels on the longer side: more is
/// invisible in print at logo sizes and only makes PDFs heavy.
pub const LOGO_SIDE: u32 = 1600;

/// An image ready for the templates.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path inside the Typst project, such as `/assets/logo-3.png`.
    pub virtual_path: String,
    /// The normalised bytes (shared, not copied, by every document's project).
    pub data: Bytes,
}

/// Reads and normalises the image at `relative` (relative to `base_dir`).
/// `key` names the statement key in any problem reported.
pub fn load_image(
    base_dir: &Path,
    relative: &Path,
    key: &str,
    stem: &str,
) -> Result<Asset, Problem> {
    let problem = |message: String, hint: &str| problem(key, message, hint);
    let shown = relative.display().to_string();
    let path = crate::files::resolve_inside(base_dir, relative).map_err(|m| {
        problem(m, "put the image in the statement's folder (or below it) and give its path relative to the statement")
    })?;
    let meta = std::fs::metadata(&path)
        .map_err(|e| problem(format!("cannot read `{shown}`: {e}"), "check the file name"))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(problem(
            format!(
                "`{shown}` is {} MB; the limit is {} MB",
                meta.len() / 1_000_000,
                MAX_FILE_BYTES / 1_000_000
            ),
            "export the logo at a smaller size (1600 pixels is plenty), or as SVG",
        ));
    }
    let bytes = std::fs::read(&path).map_err(|e| {
        problem(
            format!("cannot read `{shown}`: {e}"),
            "check the file's permissions",
        )
    })?;
    let is_svg = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    image_from_bytes(bytes, is_svg, &shown, key, stem)
}

/// An image's bytes checked and made ready to embed: an SVG parsed, a
/// raster image measured before it is decoded (bombs are refused), decoded
/// within bounds, trimmed and scaled. `shown` names it in problems.
pub(crate) fn image_from_bytes(
    bytes: Vec<u8>,
    is_svg: bool,
    shown: &str,
    key: &str,
    stem: &str,
) -> Result<Asset, Problem> {
    let problem = |message: String, hint: &str| problem(key, message, hint);
    if is_svg {
        // Parsed with Typst's own SVG reader, so a broken file is reported
        // here, against its key, not as a template failure later.
        let data = Bytes::new(bytes);
        return match typst::visualize::SvgImage::new(data.clone()) {
            Ok(_) => Ok(Asset {
                virtual_path: format!("/assets/{stem}.svg"),
                data,
            }),
            Err(_) => Err(problem(
                format!("`{shown}` is not an SVG image broadside can read"),
                "export the logo again as SVG or PNG",
            )),
        };
    }

    let not_image = |detail: String| {
        problem(
            format!("`{shown}` is not an image broadside can read ({detail})"),
            "use a PNG, JPEG, GIF, WebP or SVG file",
        )
    };
    let reader = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| not_image(e.to_string()))?;
    let format = reader
        .format()
        .ok_or_else(|| not_image("unknown format".into()))?;
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| not_image(e.to_string()))?;
    // Refuse before decoding: a 50,000 × 50,000 image would need gigabytes.
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(problem(
            format!("`{shown}` is {width} × {height} pixels; the limit is {MAX_SIDE} per side"),
            "scale the image down before using it",
        ));
    }
    let image = decode(&bytes, format).map_err(|e| not_image(e.to_string()))?;

    // A JPEG that decodes is embedded as it is: Typst passes it through to
    // the PDF, which is smaller and loses nothing.
    if format == ImageFormat::Jpeg
        && width <= LOGO_SIDE
        && height <= LOGO_SIDE
        && !has_margin(&image)
    {
        return Ok(Asset {
            virtual_path: format!("/assets/{stem}.jpg"),
            data: Bytes::new(bytes),
        });
    }
    normalised(image, stem).map_err(|e| {
        problem(
            format!("cannot convert `{shown}`: {e}"),
            "export the image again as PNG",
        )
    })
}

/// Decodes within bounds of size and memory.
fn decode(bytes: &[u8], format: ImageFormat) -> image::ImageResult<image::DynamicImage> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    reader.decode()
}

/// A decoded logo trimmed of its margins, scaled to the logo size, as PNG.
fn normalised(image: image::DynamicImage, stem: &str) -> image::ImageResult<Asset> {
    // Logos come with margins of every width; trimmed, they share one
    // visual height on the poster's logo wall.
    let image = trim_margins(image);
    let (width, height) = (image.width(), image.height());
    let image = if width > LOGO_SIDE || height > LOGO_SIDE {
        image.resize(LOGO_SIDE, LOGO_SIDE, image::imageops::FilterType::Lanczos3)
    } else {
        image
    };
    let mut png = Vec::new();
    image.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)?;
    Ok(Asset {
        virtual_path: format!("/assets/{stem}.png"),
        data: Bytes::new(png),
    })
}

/// A problem with the image at `key`, and what to do.
fn problem(key: &str, message: String, hint: &str) -> Problem {
    Problem {
        key: key.to_owned(),
        message,
        hint: Some(hint.to_owned()),
        number: None,
    }
}

/// The bounding box of what differs from the image's corner colour (or is
/// not transparent), if that is smaller than the image.
fn content_box(image: &image::DynamicImage) -> Option<(u32, u32, u32, u32)> {
    let rgba = image.to_rgba8();
    let (w, h) = rgba.dimensions();
    let corner = *rgba.get_pixel(0, 0);
    let differs = |p: &image::Rgba<u8>| {
        if corner[3] < 16 {
            p[3] >= 16
        } else {
            (0..4).any(|i| p[i].abs_diff(corner[i]) > 24)
        }
    };
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for (x, y, p) in rgba.enumerate_pixels() {
        if differs(p) {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
    }
    if x0 > x1 || (x0 == 0 && y0 == 0 && x1 == w - 1 && y1 == h - 1) {
        return None;
    }
    Some((x0, y0, x1 - x0 + 1, y1 - y0 + 1))
}

fn has_margin(image: &image::DynamicImage) -> bool {
    content_box(image).is_some()
}

fn trim_margins(image: image::DynamicImage) -> image::DynamicImage {
    match content_box(&image) {
        Some((x, y, w, h)) => image.crop_imm(x, y, w, h),
        None => image,
    }
}
