//! PDF/X-4 (ISO 15930-7) for print shops, written over Typst's PDF.
//!
//! Typst 0.15 writes no PDF/X. What the standard asks for and Typst leaves
//! out is added here: the output intent with its CMYK profile, the version
//! keys in the document information and XMP, PDF 1.6, a TrimBox and
//! BleedBox on every page, no annotation inside the trim and no actions.
//! What the file cannot hold (device RGB under a CMYK output intent, a font
//! not embedded, encryption) is refused with the reason, never written.

use std::collections::BTreeSet;
use std::sync::Arc;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use crate::error::{Error, Result};

/// The bundled CMYK output profile, made by broadside from the FOGRA39L
/// characterization data (see `profiles/README.md`).
const FOGRA39: &[u8] = include_bytes!("../../profiles/broadside-fogra39l.icc");
/// The same, deflated by `build.rs`.
const FOGRA39_DEFLATED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/fogra39.icc.zz"));

/// The printing condition a PDF/X file is made for.
#[derive(Debug, Clone)]
pub struct OutputIntent {
    /// The ICC output profile (class `prtr`, colour space CMYK).
    pub profile: Arc<Vec<u8>>,
    /// The profile's stream, deflated (when that makes it smaller) on first
    /// use and shared by the files.
    deflated: Arc<std::sync::OnceLock<Stream>>,
    /// The condition's registered name, such as `FOGRA39`.
    pub condition: String,
    /// A person's description of the condition.
    pub info: String,
    /// Where `condition` is registered, when it is.
    pub registry: Option<String>,
}

impl PartialEq for OutputIntent {
    fn eq(&self, other: &Self) -> bool {
        self.profile == other.profile
            && self.condition == other.condition
            && self.info == other.info
            && self.registry == other.registry
    }
}

impl OutputIntent {
    /// The profile as a PDF stream (`/N 4`).
    fn stream(&self) -> std::result::Result<Stream, String> {
        if let Some(done) = self.deflated.get() {
            return Ok(done.clone());
        }
        use std::io::Write;
        let mut dict = Dictionary::new();
        dict.set("N", 4);
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        let deflated = encoder
            .write_all(&self.profile)
            .and_then(|()| encoder.finish())
            .map_err(|e| format!("cannot compress the profile: {e}"))?;
        let stream = Stream::new(dict, deflated).with_compression(false);
        let _ = self.deflated.set(stream.clone());
        Ok(stream)
    }

    /// Coated offset paper, FOGRA39 (ISO 12647-2:2004/Amd 1, the condition
    /// of ISO Coated v2), with broadside's own profile of it.
    pub fn fogra39() -> OutputIntent {
        OutputIntent {
            profile: Arc::new(FOGRA39.to_vec()),
            deflated: Arc::new(std::sync::OnceLock::from(
                Stream::new(
                    {
                        let mut dict = Dictionary::new();
                        dict.set("N", 4);
                        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                        dict
                    },
                    FOGRA39_DEFLATED.to_vec(),
                )
                .with_compression(false),
            )),
            condition: "FOGRA39".into(),
            info: "Coated FOGRA39 (ISO 12647-2:2004/Amd 1, paper type 1 or 2, coated art)".into(),
            registry: Some("http://www.color.org".into()),
        }
    }

    /// A print shop's own profile, checked to be a CMYK output profile;
    /// `condition` is its name, else the profile's own description.
    pub fn from_profile(
        path: &std::path::Path,
        bytes: Vec<u8>,
        condition: Option<&str>,
    ) -> Result<OutputIntent> {
        let header = Profile::read(&bytes).map_err(|problem| {
            Error::Usage(format!(
                "--output-intent {}: {problem}; ask the print shop for its CMYK output profile (an .icc file for its press and paper, such as ISO Coated v2)",
                path.display()
            ))
        })?;
        let name = match condition.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => c.to_owned(),
            None => header.description.ok_or_else(|| {
                Error::Usage(format!(
                    "--output-intent {}: the profile does not name its printing condition; give it with --output-condition (e.g. \"FOGRA51\")",
                    path.display()
                ))
            })?,
        };
        Ok(OutputIntent {
            profile: Arc::new(bytes),
            deflated: Default::default(),
            info: name.clone(),
            condition: name,
            registry: None,
        })
    }
}

/// What broadside reads of an ICC profile's header.
struct Profile {
    description: Option<String>,
}

impl Profile {
    /// Checks the header: the size it states, the `acsp` signature, the
    /// class (an output device) and the colour space (CMYK).
    fn read(bytes: &[u8]) -> std::result::Result<Profile, String> {
        if bytes.len() < 132 || &bytes[36..40] != b"acsp" {
            return Err("this is not an ICC profile".into());
        }
        let stated = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
        if stated != bytes.len() {
            return Err(format!(
                "the profile says it is {stated} bytes long but the file has {}: it is cut short or damaged",
                bytes.len()
            ));
        }
        let class = String::from_utf8_lossy(&bytes[12..16]).into_owned();
        if class != "prtr" {
            let what = match class.as_str() {
                "mntr" => "a display profile",
                "scnr" => "a scanner or camera profile",
                "link" => "a device link",
                _ => "not an output profile",
            };
            return Err(format!(
                "it is {what} (class `{}`), not a printer's output profile (class `prtr`)",
                class.trim()
            ));
        }
        let space = String::from_utf8_lossy(&bytes[16..20]).into_owned();
        if space != "CMYK" {
            return Err(format!(
                "it is a profile for {} colour, not CMYK",
                space.trim()
            ));
        }
        Ok(Profile {
            description: description(bytes),
        })
    }
}

/// The profile's `desc` tag: ASCII in version 2 profiles, UTF-16 in
/// version 4 (`mluc`, its first record).
fn description(bytes: &[u8]) -> Option<String> {
    let be32 = |at: usize| -> Option<usize> {
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize)
    };
    let count = be32(128)?.min(200);
    for i in 0..count {
        let entry = 132 + 12 * i;
        if bytes.get(entry..entry + 4)? != b"desc" {
            continue;
        }
        let (offset, size) = (be32(entry + 4)?, be32(entry + 8)?);
        let tag = bytes.get(offset..offset.checked_add(size)?)?;
        let text = match tag.get(0..4)? {
            b"desc" => {
                let n = u32::from_be_bytes(tag.get(8..12)?.try_into().ok()?) as usize;
                String::from_utf8_lossy(tag.get(12..12 + n)?).into_owned()
            }
            b"mluc" => {
                let len = u32::from_be_bytes(tag.get(20..24)?.try_into().ok()?) as usize;
                let at = u32::from_be_bytes(tag.get(24..28)?.try_into().ok()?) as usize;
                let units: Vec<u16> = tag
                    .get(at..at + len)?
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16_lossy(&units)
            }
            _ => return None,
        };
        let text = text.trim_matches(char::from(0)).trim().to_owned();
        return (!text.is_empty()).then_some(text);
    }
    None
}

/// Makes `pdf` (a print piece as Typst wrote it, with its TrimBox) a PDF/X-4
/// file for `intent`, with a BleedBox `bleed_mm` outside the trim.
pub fn convert(
    pdf: &[u8],
    intent: &OutputIntent,
    bleed_mm: f64,
    document: &str,
) -> Result<Vec<u8>> {
    let fail = |message: String| Error::Pdf {
        document: document.into(),
        message: format!("cannot write PDF/X-4: {message}"),
    };
    let mut doc = Document::load_mem(pdf).map_err(|e| fail(e.to_string()))?;
    if doc.trailer.get(b"Encrypt").is_ok() {
        return Err(fail("the file is encrypted, which PDF/X forbids".into()));
    }
    crate::pdf::boxes::bleed_boxes(&mut doc, bleed_mm).map_err(|e| fail(e.to_string()))?;
    check_colour(&doc).map_err(fail)?;
    check_fonts(&doc).map_err(fail)?;
    let removed = boxes_and_annotations(&mut doc).map_err(fail)?;
    unlink_structure(&mut doc, &removed);
    remove_actions(&mut doc);
    output_intent(&mut doc, intent).map_err(fail)?;
    metadata(&mut doc).map_err(fail)?;
    // Typst's own XMP packet and the removed links' appearances are no
    // longer referenced: a preflight reading every object finds only ours.
    crate::pdf::join::prune(&mut doc);
    doc.version = "1.6".into();
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| fail(e.to_string()))?;
    Ok(out)
}

/// Refuses device RGB, which a CMYK output intent cannot hold: in a colour
/// space anywhere (images, shadings, spot colours' alternates, groups) or
/// in a content stream's operators. Typst writes RGB as ICC-based sRGB,
/// which PDF/X-4 allows; this finds what an overridden template or a later
/// Typst might bring.
fn check_colour(doc: &Document) -> std::result::Result<(), String> {
    fn device_rgb(object: &Object) -> bool {
        match object {
            Object::Name(n) => n == b"DeviceRGB",
            Object::Array(items) => items.iter().any(device_rgb),
            Object::Dictionary(dict) => dict_rgb(dict),
            Object::Stream(stream) => dict_rgb(&stream.dict),
            _ => false,
        }
    }
    fn dict_rgb(dict: &Dictionary) -> bool {
        // An ICC profile names device RGB as its own alternate.
        let icc = dict.has(b"N") && dict.has(b"Alternate");
        dict.iter()
            .any(|(k, v)| !(icc && k == b"Alternate") && device_rgb(v))
    }
    let refuse = "device RGB colour, which a CMYK output intent cannot hold (convert the image or colour to CMYK, or use ICC-based RGB)";
    if doc.objects.values().any(device_rgb) {
        return Err(format!("the file uses {refuse}"));
    }
    for id in content_streams(doc) {
        let Ok(Object::Stream(stream)) = doc.get_object(id) else {
            continue;
        };
        let bytes = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        match first_operator(&bytes, &[b"rg", b"RG", b"BI"]) {
            Some(b"BI") => {
                return Err("an inline image, whose colour PDF/X cannot vouch for".into());
            }
            Some(_) => return Err(format!("a page draws in {refuse}")),
            None => {}
        }
    }
    Ok(())
}

/// The first of `wanted` that a content stream uses as an operator: one
/// pass over its tokens, skipping strings, hex strings, names and numbers
/// (a full parse of a poster's content took 10 ms; this takes well under
/// one).
fn first_operator(bytes: &[u8], wanted: &[&'static [u8]]) -> Option<&'static [u8]> {
    let delimiter = |b: u8| b.is_ascii_whitespace() || b"()<>[]{}/%".contains(&b);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => {
                // A literal string, balanced parentheses, backslash escapes.
                let mut depth = 0usize;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'<' if bytes.get(i + 1) != Some(&b'<') => {
                while i < bytes.len() && bytes[i] != b'>' {
                    i += 1;
                }
                i += 1;
            }
            b'%' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'/' => {
                // A name: its characters are not an operator.
                i += 1;
                while i < bytes.len() && !delimiter(bytes[i]) {
                    i += 1;
                }
            }
            b if delimiter(b) => i += 1,
            _ => {
                let start = i;
                while i < bytes.len() && !delimiter(bytes[i]) {
                    i += 1;
                }
                let token = &bytes[start..i];
                if let Some(found) = wanted.iter().find(|w| **w == token) {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// Every stream that holds drawing operators: pages' contents, form
/// XObjects, tiling patterns and Type 3 glyphs.
fn content_streams(doc: &Document) -> BTreeSet<ObjectId> {
    let mut out = BTreeSet::new();
    for page in doc.get_pages().values() {
        out.extend(doc.get_page_contents(*page));
    }
    for (id, object) in &doc.objects {
        match object {
            Object::Stream(stream) => {
                let form =
                    matches!(stream.dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Form");
                let pattern = matches!(stream.dict.get(b"PatternType"), Ok(Object::Integer(1)));
                if form || pattern {
                    out.insert(*id);
                }
            }
            Object::Dictionary(dict) => {
                if let Ok(Object::Dictionary(procs)) = dict.get(b"CharProcs") {
                    out.extend(procs.iter().filter_map(|(_, v)| v.as_reference().ok()));
                }
            }
            _ => {}
        }
    }
    out
}

/// Every font a page uses carries its glyphs (Type 3 fonts are drawn).
fn check_fonts(doc: &Document) -> std::result::Result<(), String> {
    for object in doc.objects.values() {
        let Object::Dictionary(dict) = object else {
            continue;
        };
        if !matches!(dict.get(b"Type"), Ok(Object::Name(n)) if n == b"FontDescriptor") {
            continue;
        }
        let embedded = [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"]
            .iter()
            .any(|k| dict.get(k).is_ok());
        if !embedded {
            let name = dict
                .get(b"FontName")
                .and_then(Object::as_name)
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_default();
            return Err(format!(
                "the font {name} is not embedded, and PDF/X needs every font in the file"
            ));
        }
    }
    Ok(())
}

/// PDF rectangle of four numbers.
fn rect(object: &Object) -> Option<[f32; 4]> {
    let items = object.as_array().ok()?;
    let n: Vec<f32> = items.iter().filter_map(|o| o.as_float().ok()).collect();
    let [a, b, c, d] = n[..] else { return None };
    Some([a.min(c), b.min(d), a.max(c), b.max(d)])
}

fn rect_object(r: [f32; 4]) -> Object {
    Object::Array(r.iter().map(|v| Object::Real(*v)).collect())
}

/// A TrimBox and a BleedBox on every page, the trim inside the bleed inside
/// the media; annotations that reach into the trim removed (their ids
/// returned). A page without a TrimBox is trimmed at its media.
fn boxes_and_annotations(doc: &mut Document) -> std::result::Result<BTreeSet<ObjectId>, String> {
    let mut removed = BTreeSet::new();
    let pages: Vec<ObjectId> = doc.get_pages().values().copied().collect();
    for id in pages {
        let annots: Vec<Object> = {
            let dict = doc.get_dictionary(id).map_err(|e| e.to_string())?;
            match dict.get(b"Annots") {
                Ok(Object::Array(a)) => a.clone(),
                Ok(Object::Reference(r)) => doc
                    .get_object(*r)
                    .and_then(Object::as_array)
                    .cloned()
                    .unwrap_or_default(),
                _ => Vec::new(),
            }
        };
        let dict = doc.get_dictionary(id).map_err(|e| e.to_string())?;
        let media = dict
            .get(b"MediaBox")
            .ok()
            .and_then(rect)
            .ok_or("a page has no MediaBox")?;
        let trim = dict.get(b"TrimBox").ok().and_then(rect).unwrap_or(media);
        let bleed = dict.get(b"BleedBox").ok().and_then(rect).unwrap_or(trim);
        // Nested: trim ⊆ bleed ⊆ media.
        let bleed = [
            bleed[0].clamp(media[0], trim[0]),
            bleed[1].clamp(media[1], trim[1]),
            bleed[2].clamp(trim[2], media[2]),
            bleed[3].clamp(trim[3], media[3]),
        ];
        let mut kept = Vec::new();
        for annot in annots {
            let area = match &annot {
                Object::Reference(r) => doc
                    .get_dictionary(*r)
                    .ok()
                    .and_then(|d| d.get(b"Rect").ok())
                    .and_then(rect),
                Object::Dictionary(d) => d.get(b"Rect").ok().and_then(rect),
                _ => None,
            };
            let inside = area.is_none_or(|a| {
                a[0] < trim[2] && a[2] > trim[0] && a[1] < trim[3] && a[3] > trim[1]
            });
            if inside {
                if let Object::Reference(r) = annot {
                    removed.insert(r);
                }
            } else {
                kept.push(annot);
            }
        }
        let dict = doc.get_dictionary_mut(id).map_err(|e| e.to_string())?;
        dict.set("TrimBox", rect_object(trim));
        dict.set("BleedBox", rect_object(bleed));
        if kept.is_empty() {
            dict.remove(b"Annots");
        } else {
            dict.set("Annots", Object::Array(kept));
        }
        dict.remove(b"AA");
    }
    for id in &removed {
        doc.objects.remove(id);
    }
    Ok(removed)
}

/// Takes the removed annotations out of the tagged structure (the marked
/// link keeps its text, without the object reference).
fn unlink_structure(doc: &mut Document, removed: &BTreeSet<ObjectId>) {
    if removed.is_empty() {
        return;
    }
    let points_at_removed = |o: &Object, doc: &Document| -> bool {
        let dict = match o {
            Object::Dictionary(d) => Some(d),
            Object::Reference(r) => doc.get_dictionary(*r).ok(),
            _ => None,
        };
        dict.is_some_and(|d| {
            matches!(d.get(b"Type"), Ok(Object::Name(n)) if n == b"OBJR")
                && d.get(b"Obj")
                    .and_then(Object::as_reference)
                    .is_ok_and(|r| removed.contains(&r))
        })
    };
    let ids: Vec<ObjectId> = doc.objects.keys().copied().collect();
    for id in ids {
        let Some(Object::Dictionary(dict)) = doc.objects.get(&id) else {
            continue;
        };
        let Ok(k) = dict.get(b"K") else { continue };
        let new_k = match k {
            Object::Array(items) => {
                let kept: Vec<Object> = items
                    .iter()
                    .filter(|o| !points_at_removed(o, doc))
                    .cloned()
                    .collect();
                (kept.len() != items.len()).then_some(Object::Array(kept))
            }
            other if points_at_removed(other, doc) => Some(Object::Array(Vec::new())),
            _ => None,
        };
        if let Some(new_k) = new_k
            && let Some(Object::Dictionary(dict)) = doc.objects.get_mut(&id)
        {
            dict.set("K", new_k);
        }
    }
    // The parent tree's entries for the annotations (by their StructParent)
    // are left: they point at structure elements that still exist.
}

/// No actions and no JavaScript: an open action, additional actions, and
/// the document's named scripts.
fn remove_actions(doc: &mut Document) {
    if let Ok(catalog) = doc.catalog_mut() {
        catalog.remove(b"OpenAction");
        catalog.remove(b"AA");
    }
    let names = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Names").ok().cloned());
    match names {
        Some(Object::Reference(id)) => {
            if let Ok(d) = doc.get_dictionary_mut(id) {
                d.remove(b"JavaScript");
            }
        }
        Some(Object::Dictionary(_)) => {
            if let Ok(catalog) = doc.catalog_mut()
                && let Ok(Object::Dictionary(d)) = catalog.get_mut(b"Names")
            {
                d.remove(b"JavaScript");
            }
        }
        _ => {}
    }
}

/// The catalog's output intent, GTS_PDFX, with the embedded profile.
fn output_intent(doc: &mut Document, intent: &OutputIntent) -> std::result::Result<(), String> {
    // Compressed once per profile, not once per file.
    let profile = doc.add_object(intent.stream()?);
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"OutputIntent".to_vec()));
    dict.set("S", Object::Name(b"GTS_PDFX".to_vec()));
    dict.set(
        "OutputConditionIdentifier",
        Object::string_literal(intent.condition.as_str()),
    );
    dict.set(
        "OutputCondition",
        Object::string_literal(intent.info.as_str()),
    );
    dict.set("Info", Object::string_literal(intent.info.as_str()));
    if let Some(registry) = &intent.registry {
        dict.set("RegistryName", Object::string_literal(registry.as_str()));
    }
    dict.set("DestOutputProfile", Object::Reference(profile));
    let catalog = doc.catalog_mut().map_err(|e| e.to_string())?;
    catalog.set(
        "OutputIntents",
        Object::Array(vec![Object::Dictionary(dict)]),
    );
    Ok(())
}

/// The document information and the XMP packet, saying the same: the
/// PDF/X version, not trapped, the title, the dates and the ids.
fn metadata(doc: &mut Document) -> std::result::Result<(), String> {
    let info_id = match doc.trailer.get(b"Info") {
        Ok(Object::Reference(id)) => *id,
        _ => {
            let id = doc.add_object(Dictionary::new());
            doc.trailer.set("Info", Object::Reference(id));
            id
        }
    };
    let text = |d: &Dictionary, k: &[u8]| -> Option<String> {
        d.get(k).ok().and_then(|o| match o {
            Object::String(bytes, _) => Some(decode_text(bytes)),
            _ => None,
        })
    };
    let info = doc
        .get_dictionary(info_id)
        .map_err(|e| e.to_string())?
        .clone();
    let title = text(&info, b"Title").ok_or("the document has no title, which PDF/X requires")?;
    let created = text(&info, b"CreationDate").unwrap_or_else(|| "D:19700101000000Z".into());
    let modified = text(&info, b"ModDate").unwrap_or_else(|| created.clone());
    let creator = text(&info, b"Creator").unwrap_or_default();
    let producer = text(&info, b"Producer").unwrap_or_default();
    let author = text(&info, b"Author");
    {
        let info = doc.get_dictionary_mut(info_id).map_err(|e| e.to_string())?;
        info.set("GTS_PDFXVersion", Object::string_literal("PDF/X-4"));
        info.set("Trapped", Object::Name(b"False".to_vec()));
        info.set("CreationDate", Object::string_literal(created.as_str()));
        info.set("ModDate", Object::string_literal(modified.as_str()));
    }
    let ident = match doc.trailer.get(b"ID") {
        Ok(Object::Array(ids)) => ids
            .first()
            .and_then(|o| o.as_str().ok())
            .map(|b| b.iter().map(|x| format!("{x:02x}")).collect::<String>())
            .unwrap_or_default(),
        _ => String::new(),
    };
    let uuid = uuid_of(&ident);
    let xmp = xmp(&XmpFields {
        title: &title,
        author: author.as_deref(),
        creator: &creator,
        producer: &producer,
        created: &xmp_date(&created),
        modified: &xmp_date(&modified),
        uuid: &uuid,
    });
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"Metadata".to_vec()));
    dict.set("Subtype", Object::Name(b"XML".to_vec()));
    let stream = doc.add_object(Stream::new(dict, xmp.into_bytes()));
    let catalog = doc.catalog_mut().map_err(|e| e.to_string())?;
    catalog.set("Metadata", Object::Reference(stream));
    Ok(())
}

/// A PDF text string: UTF-16 after its byte-order mark, else PDFDocEncoding
/// (whose printable ASCII and Latin-1 range is all Typst writes there).
fn decode_text(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(rest) => {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// `uuid:` and the document's /ID as a UUID's five groups.
fn uuid_of(hex: &str) -> String {
    let hex: String = hex.chars().chain(std::iter::repeat('0')).take(32).collect();
    format!(
        "uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `D:20251030000000Z` (or with `+02'00'`) as XMP's `2025-10-30T00:00:00Z`.
fn xmp_date(pdf: &str) -> String {
    let d = pdf.trim_start_matches("D:");
    let digits: String = d.chars().take_while(char::is_ascii_digit).collect();
    let part = |from: usize, to: usize, default: &str| -> String {
        digits.get(from..to).unwrap_or(default).to_owned()
    };
    let zone = d[digits.len()..].replace('\'', "");
    let zone = match zone.as_str() {
        "" | "Z" => "Z".to_owned(),
        z if z.len() >= 5 => format!("{}:{}", &z[..3], &z[3..5]),
        z => z.to_owned(),
    };
    format!(
        "{}-{}-{}T{}:{}:{}{zone}",
        part(0, 4, "1970"),
        part(4, 6, "01"),
        part(6, 8, "01"),
        part(8, 10, "00"),
        part(10, 12, "00"),
        part(12, 14, "00")
    )
}

struct XmpFields<'a> {
    title: &'a str,
    author: Option<&'a str>,
    creator: &'a str,
    producer: &'a str,
    created: &'a str,
    modified: &'a str,
    uuid: &'a str,
}

/// Text for XML, escaped.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn xmp(f: &XmpFields<'_>) -> String {
    let author = f
        .author
        .map(|a| {
            format!(
                "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>",
                xml(a)
            )
        })
        .unwrap_or_default();
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
  xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
  xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
{author}
<xmp:CreatorTool>{creator}</xmp:CreatorTool>
<xmp:CreateDate>{created}</xmp:CreateDate>
<xmp:ModifyDate>{modified}</xmp:ModifyDate>
<xmp:MetadataDate>{modified}</xmp:MetadataDate>
<pdf:Producer>{producer}</pdf:Producer>
<pdf:Trapped>False</pdf:Trapped>
<xmpMM:DocumentID>{uuid}</xmpMM:DocumentID>
<xmpMM:InstanceID>{uuid}</xmpMM:InstanceID>
<xmpMM:VersionID>1</xmpMM:VersionID>
<xmpMM:RenditionClass>default</xmpMM:RenditionClass>
<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = "\u{feff}",
        title = xml(f.title),
        creator = xml(f.creator),
        producer = xml(f.producer),
        created = f.created,
        modified = f.modified,
        uuid = f.uuid,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_profile_is_a_cmyk_output_profile_with_its_name() {
        let header = Profile::read(FOGRA39).unwrap();
        assert!(header.description.unwrap().contains("FOGRA39"));
    }

    #[test]
    fn a_display_profile_is_refused_as_an_output_intent() {
        let mut display = FOGRA39.to_vec();
        display[12..16].copy_from_slice(b"mntr");
        let err = Profile::read(&display).err().unwrap();
        assert!(err.contains("display profile"), "{err}");
        let mut rgb = FOGRA39.to_vec();
        rgb[16..20].copy_from_slice(b"RGB ");
        assert!(Profile::read(&rgb).err().unwrap().contains("not CMYK"));
        let mut cut = FOGRA39.to_vec();
        cut.truncate(1000);
        assert!(Profile::read(&cut).err().unwrap().contains("cut short"));
        assert!(Profile::read(b"not a profile").is_err());
    }

    /// A one-page PDF drawing with `content`, with a title and a TrimBox.
    fn pdf_with(content: &[u8], image_space: Option<&str>) -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let pages = doc.new_object_id();
        let contents = doc.add_object(Stream::new(Dictionary::new(), content.to_vec()));
        let mut resources = Dictionary::new();
        if let Some(space) = image_space {
            let mut dict = Dictionary::new();
            dict.set("Subtype", Object::Name(b"Image".to_vec()));
            dict.set("ColorSpace", Object::Name(space.as_bytes().to_vec()));
            let image = doc.add_object(Stream::new(dict, vec![0; 3]));
            let mut xobjects = Dictionary::new();
            xobjects.set("Im0", Object::Reference(image));
            resources.set("XObject", xobjects);
        }
        let box_ = |v: [i64; 4]| Object::Array(v.iter().map(|n| Object::Integer(*n)).collect());
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", Object::Reference(pages));
        page.set("MediaBox", box_([0, 0, 200, 200]));
        page.set("TrimBox", box_([10, 10, 190, 190]));
        page.set("Contents", Object::Reference(contents));
        page.set("Resources", resources);
        let page = doc.add_object(page);
        let mut tree = Dictionary::new();
        tree.set("Type", Object::Name(b"Pages".to_vec()));
        tree.set("Kids", Object::Array(vec![Object::Reference(page)]));
        tree.set("Count", 1);
        doc.objects.insert(pages, Object::Dictionary(tree));
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(pages));
        let catalog = doc.add_object(catalog);
        doc.trailer.set("Root", Object::Reference(catalog));
        let mut info = Dictionary::new();
        info.set("Title", Object::string_literal("T"));
        let info = doc.add_object(info);
        doc.trailer.set("Info", Object::Reference(info));
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn device_rgb_is_refused_and_cmyk_and_gray_pass() {
        let intent = OutputIntent::fogra39();
        let drawn = convert(
            &pdf_with(b"1 0 0 rg 0 0 10 10 re f", None),
            &intent,
            3.0,
            "poster",
        );
        assert!(drawn.err().unwrap().to_string().contains("device RGB"));
        let image = convert(&pdf_with(b"", Some("DeviceRGB")), &intent, 3.0, "poster");
        assert!(image.err().unwrap().to_string().contains("device RGB"));
        let inline = convert(
            &pdf_with(b"BI /W 1 /H 1 /CS /RGB /BPC 8 ID abc EI", None),
            &intent,
            3.0,
            "poster",
        );
        assert!(inline.is_err());
        let fine = convert(
            &pdf_with(b"0 0 0 1 k 0.5 g 0 0 10 10 re f", Some("DeviceCMYK")),
            &intent,
            3.0,
            "poster",
        );
        let fine = Document::load_mem(&fine.unwrap()).unwrap();
        assert_eq!(fine.version, "1.6");
        assert!(fine.catalog().unwrap().has(b"OutputIntents"));
    }

    #[test]
    fn operators_are_found_as_tokens_not_inside_strings_or_names() {
        let wanted: &[&'static [u8]] = &[b"rg", b"BI"];
        assert_eq!(first_operator(b"1 0 0 rg", wanted), Some(b"rg".as_slice()));
        assert_eq!(
            first_operator(b"(a rg b) Tj /rg cs <7267> Tj", wanted),
            None
        );
        assert_eq!(first_operator(b"(nested (rg) \\) rg) Tj 0 g", wanted), None);
        assert_eq!(first_operator(b"% rg comment\n0 0 1 k", wanted), None);
        assert_eq!(
            first_operator(b"<< /rg 1 >> BDC BI /W 1 ID", wanted),
            Some(b"BI".as_slice())
        );
        assert_eq!(first_operator(b"q 1 0 0 RG Q", &[b"rg"]), None);
    }

    #[test]
    fn the_deflated_profile_is_the_profile() {
        use std::io::Read;
        let mut inflated = Vec::new();
        flate2::read::ZlibDecoder::new(FOGRA39_DEFLATED)
            .read_to_end(&mut inflated)
            .unwrap();
        assert_eq!(inflated, FOGRA39);
    }

    #[test]
    fn pdf_dates_become_xmp_dates() {
        assert_eq!(xmp_date("D:20251030000000Z"), "2025-10-30T00:00:00Z");
        assert_eq!(
            xmp_date("D:20251030120000+02'00'"),
            "2025-10-30T12:00:00+02:00"
        );
        assert_eq!(
            uuid_of("00112233445566778899aabbccddeeff"),
            "uuid:00112233-4455-6677-8899-aabbccddeeff"
        );
    }
}
