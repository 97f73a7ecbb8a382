//! Page boxes that Typst does not write: the BleedBox a print shop reads to
//! know how far the background runs past the trim.
//!
//! Typst writes the MediaBox and, when a page has a bleed, the TrimBox. With
//! crop marks the media also holds the slug, so the bleed is no longer the
//! media's edge: the BleedBox is written here, from the TrimBox.

use lopdf::{Document, Object};

use crate::error::{Error, Result};

/// Millimetres to PDF points.
pub fn mm_to_pt(mm: f64) -> f64 {
    mm * 72.0 / 25.4
}

/// Adds a BleedBox `bleed_mm` outside the TrimBox of every page that has one.
pub fn add_bleed_box(pdf: &[u8], bleed_mm: f64) -> Result<Vec<u8>> {
    let fail = |e: lopdf::Error| Error::Pdf {
        document: "print piece".into(),
        message: format!("cannot add the bleed box: {e}"),
    };
    let mut doc = Document::load_mem(pdf).map_err(fail)?;
    bleed_boxes(&mut doc, bleed_mm).map_err(fail)?;
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| Error::Pdf {
        document: "print piece".into(),
        message: e.to_string(),
    })?;
    Ok(out)
}

/// Sets the BleedBox `bleed_mm` outside the TrimBox of every page of a
/// loaded document that has one.
pub fn bleed_boxes(doc: &mut Document, bleed_mm: f64) -> std::result::Result<(), lopdf::Error> {
    let bleed = mm_to_pt(bleed_mm) as f32;
    let pages: Vec<_> = doc.get_pages().values().copied().collect();
    for id in pages {
        let dict = doc.get_dictionary_mut(id)?;
        let Ok(trim) = dict.get(b"TrimBox").and_then(Object::as_array) else {
            continue;
        };
        let numbers: Vec<f32> = trim.iter().filter_map(|o| o.as_float().ok()).collect();
        let [l, b, r, t] = numbers[..] else { continue };
        let bleed_box = vec![
            Object::Real(l - bleed),
            Object::Real(b - bleed),
            Object::Real(r + bleed),
            Object::Real(t + bleed),
        ];
        dict.set("BleedBox", Object::Array(bleed_box));
    }
    Ok(())
}
