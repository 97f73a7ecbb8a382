//! Joining PDFs page by page: the statement and the signatory annex after
//! each letter, or after a letter written elsewhere (`broadside attach`).
//!
//! Pages are moved as they are, objects and all (lopdf), so text stays text,
//! fonts stay embedded and links keep working; nothing is rasterised. The
//! appended pages lose their place in the accessibility structure of the
//! document they came from (the first document's own structure is kept).

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::error::{Error, Result};

/// Attributes a page may inherit from the page tree above it.
pub(super) const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

/// Reads a PDF to join, refusing files whose pages cannot be moved.
pub fn parse(bytes: &[u8], what: &str) -> Result<Document> {
    let encrypted = |what: &str| {
        Error::Usage(format!(
            "{what} is encrypted (a password or permission restrictions); pages cannot be added without removing that protection. \
             Save an unprotected copy (e.g. `qpdf --decrypt in.pdf out.pdf`, or without \"Restrict editing\" in your word processor) and try again"
        ))
    };
    let document = Document::load_mem(bytes).map_err(|e| {
        if bytes.windows(8).any(|w| w == b"/Encrypt") {
            return encrypted(what);
        }
        Error::Usage(format!(
            "{what} cannot be read as a PDF ({e}); if it opens in a viewer, print it to a new PDF (\"Save as PDF\") and try that copy"
        ))
    })?;
    if document.is_encrypted() {
        return Err(encrypted(what));
    }
    if document.get_pages().is_empty() {
        return Err(Error::Usage(format!("{what} has no pages")));
    }
    Ok(document)
}

/// Appends every page of `extra` to `base`, in order.
pub fn append(base: &mut Document, extra: &Document) -> Result<()> {
    let mut joiner = Joiner::new(std::mem::take(base))?;
    joiner.push(extra.clone())?;
    *base = joiner.into_document()?;
    Ok(())
}

/// Joins many PDFs into the first one, page after page; the page list is
/// written once at the end, so joining n files costs in proportion to n.
pub struct Joiner {
    base: Document,
    root_pages: ObjectId,
    kids: Vec<Object>,
    last_box: Option<Vec<Object>>,
}

/// Pages added once to a [`Joiner`] and repeated by reference.
pub struct Shared {
    pages: Vec<(Dictionary, Vec<Dictionary>)>,
}

impl Shared {
    /// How many pages are repeated each time.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

/// A dictionary's or stream's `/Type`, if it has one.
pub(super) fn type_name(object: &Object) -> Option<&[u8]> {
    object
        .as_dict()
        .ok()
        .and_then(|d| d.get(b"Type").ok())
        .and_then(|t| t.as_name().ok())
}

pub(super) fn broken(e: lopdf::Error) -> Error {
    Error::Internal(format!("cannot join the PDFs: {e}"))
}

/// A page's dictionary with what it inherits from the tree above it
/// (resources, boxes, rotation) written into it, so it can move to another
/// document's tree.
pub(super) fn standalone_page(document: &Document, page: ObjectId) -> Result<Dictionary> {
    let mut dict = document.get_dictionary(page).map_err(broken)?.clone();
    let mut node = document.get_dictionary(page).map_err(broken)?;
    for _ in 0..64 {
        let Ok(parent) = node.get(b"Parent").and_then(Object::as_reference) else {
            break;
        };
        node = document.get_dictionary(parent).map_err(broken)?;
        for key in INHERITED {
            if !dict.has(key)
                && let Ok(value) = node.get(key)
            {
                dict.set(key, value.clone());
            }
        }
    }
    dict.remove(b"StructParents");
    Ok(dict)
}

impl Joiner {
    /// Starts from a document whose catalog and own pages are kept.
    pub fn new(base: Document) -> Result<Joiner> {
        let root_pages = base
            .catalog()
            .and_then(|c| c.get(b"Pages"))
            .and_then(Object::as_reference)
            .map_err(broken)?;
        let kids = base
            .get_dictionary(root_pages)
            .and_then(|d| d.get(b"Kids"))
            .and_then(Object::as_array)
            .cloned()
            .unwrap_or_default();
        let last_box = base
            .get_pages()
            .into_values()
            .last()
            .and_then(|p| page_box(&base, p));
        Ok(Joiner {
            base,
            root_pages,
            kids,
            last_box,
        })
    }

    /// Pages so far.
    pub fn pages(&self) -> usize {
        self.kids.len()
    }

    /// Appends every page of `extra`, objects and all.
    pub fn push(&mut self, mut extra: Document) -> Result<()> {
        extra.renumber_objects_with(self.base.max_id + 1);
        self.push_renumbered(extra)
    }

    /// [`push`](Self::push) for a document already numbered past the base's objects.
    fn push_renumbered(&mut self, mut extra: Document) -> Result<()> {
        self.base.max_id = self.base.max_id.max(extra.max_id);
        if extra.version > self.base.version {
            self.base.version = extra.version.clone();
        }
        let extra_catalog = extra
            .trailer
            .get(b"Root")
            .and_then(Object::as_reference)
            .map_err(broken)?;
        let pages: Vec<ObjectId> = extra.get_pages().into_values().collect();

        // Each page takes what it inherited, since its old tree stays behind;
        // its structure tree stays behind with its catalog.
        for &page in &pages {
            let mut dict = standalone_page(&extra, page)?;
            dict.set("Parent", Object::Reference(self.root_pages));
            extra.objects.insert(page, Object::Dictionary(dict));
        }
        if let Some(&last) = pages.last() {
            self.last_box = page_box(&extra, last).or(self.last_box.take());
        }
        for (id, object) in extra.objects {
            if id == extra_catalog {
                continue;
            }
            if type_name(&object) != Some(b"Pages") {
                self.base.objects.insert(id, object);
            }
        }
        self.kids
            .extend(pages.iter().map(|&p| Object::Reference(p)));
        Ok(())
    }

    /// Takes in a document whose pages will be repeated (the statement and
    /// annex after every letter): its objects are added once, and each
    /// [`push_shared`](Self::push_shared) adds only new page dictionaries
    /// that point at the same contents, fonts and images.
    pub fn share(&mut self, mut extra: Document) -> Result<Shared> {
        extra.renumber_objects_with(self.base.max_id + 1);
        self.base.max_id = self.base.max_id.max(extra.max_id);
        let extra_catalog = extra
            .trailer
            .get(b"Root")
            .and_then(Object::as_reference)
            .map_err(broken)?;
        let page_ids: Vec<ObjectId> = extra.get_pages().into_values().collect();
        let mut pages = Vec::new();
        for &id in &page_ids {
            let mut dict = standalone_page(&extra, id)?;
            // Annotations belong to one page each: they are copied per page.
            let annots: Vec<Dictionary> = dict
                .get(b"Annots")
                .and_then(Object::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(|a| match a {
                            Object::Reference(r) => extra.get_dictionary(*r).ok().cloned(),
                            Object::Dictionary(d) => Some(d.clone()),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            dict.remove(b"Annots");
            pages.push((dict, annots));
        }
        for (id, object) in extra.objects {
            let is_page_or_tree = matches!(type_name(&object), Some(b"Pages" | b"Page"));
            if id != extra_catalog && !is_page_or_tree {
                self.base.objects.insert(id, object);
            }
        }
        Ok(Shared { pages })
    }

    /// Appends the shared pages once more.
    pub fn push_shared(&mut self, shared: &Shared) {
        for (dict, annots) in &shared.pages {
            let mut page = dict.clone();
            page.set("Parent", Object::Reference(self.root_pages));
            if !annots.is_empty() {
                let refs: Vec<Object> = annots
                    .iter()
                    .map(|a| {
                        let mut a = a.clone();
                        a.remove(b"P");
                        Object::Reference(self.base.add_object(a))
                    })
                    .collect();
                page.set("Annots", Object::Array(refs));
            }
            let id = self.base.add_object(page);
            self.kids.push(Object::Reference(id));
        }
        if let Some((last, _)) = shared.pages.last()
            && let Ok(b) = last.get(b"MediaBox").and_then(Object::as_array)
        {
            self.last_box = Some(b.clone());
        }
    }

    /// Appends a blank page of the last page's size (for duplex printing,
    /// so the next letter starts on a front side).
    pub fn push_blank(&mut self) {
        let media_box = self.last_box.clone().unwrap_or_else(|| {
            vec![
                0.into(),
                0.into(),
                Object::Real(595.28),
                Object::Real(841.89),
            ]
        });
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", Object::Reference(self.root_pages));
        page.set("MediaBox", Object::Array(media_box));
        page.set("Resources", Object::Dictionary(Dictionary::new()));
        let page = self.base.add_object(page);
        self.kids.push(Object::Reference(page));
    }

    /// The joined document.
    pub fn into_document(mut self) -> Result<Document> {
        let count = self.kids.len() as i64;
        let root = self
            .base
            .get_object_mut(self.root_pages)
            .and_then(Object::as_dict_mut)
            .map_err(broken)?;
        root.set("Kids", Object::Array(self.kids));
        root.set("Count", Object::Integer(count));
        Ok(self.base)
    }
}

/// Removes the objects nothing refers to any more. (lopdf's own pruning
/// looks each reference up in a list: hours for the hundreds of thousands
/// of structure elements of a long annex.)
pub fn prune(document: &mut Document) {
    fn visit(
        object: &Object,
        seen: &mut std::collections::HashSet<ObjectId>,
        todo: &mut Vec<ObjectId>,
    ) {
        match object {
            Object::Reference(id) if seen.insert(*id) => todo.push(*id),
            Object::Array(list) => list.iter().for_each(|o| visit(o, seen, todo)),
            Object::Dictionary(dict) => dict.iter().for_each(|(_, o)| visit(o, seen, todo)),
            Object::Stream(stream) => stream.dict.iter().for_each(|(_, o)| visit(o, seen, todo)),
            _ => {}
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut todo = Vec::new();
    document
        .trailer
        .iter()
        .for_each(|(_, o)| visit(o, &mut seen, &mut todo));
    while let Some(id) = todo.pop() {
        if let Some(object) = document.objects.get(&id) {
            visit(object, &mut seen, &mut todo);
        }
    }
    document.objects.retain(|id, _| seen.contains(id));
    // The trailer's /Size follows the highest number left.
    document.max_id = document.objects.keys().map(|id| id.0).max().unwrap_or(0);
}

/// A page's MediaBox, inherited or its own.
fn page_box(document: &Document, page: ObjectId) -> Option<Vec<Object>> {
    let mut node = document.get_dictionary(page).ok()?;
    loop {
        if let Ok(b) = node.get(b"MediaBox").and_then(Object::as_array) {
            return Some(b.clone());
        }
        let parent = node.get(b"Parent").and_then(Object::as_reference).ok()?;
        node = document.get_dictionary(parent).ok()?;
    }
}

/// The document's bytes.
pub fn save(document: &mut Document) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    document
        .save_to(&mut out)
        .map_err(|e| Error::Internal(format!("cannot write the joined PDF: {e}")))?;
    Ok(out)
}
