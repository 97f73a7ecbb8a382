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
const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

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

fn broken(e: lopdf::Error) -> Error {
    Error::Internal(format!("cannot join the PDFs: {e}"))
}

/// A page's dictionary with what it inherits from the tree above it
/// (resources, boxes, rotation) written into it, so it can move to another
/// document's tree.
fn standalone_page(document: &Document, page: ObjectId) -> Result<Dictionary> {
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
            let is_tree_node = object
                .as_dict()
                .ok()
                .and_then(|d| d.get(b"Type").ok())
                .and_then(|t| t.as_name().ok())
                .is_some_and(|t| t == b"Pages");
            if !is_tree_node {
                self.base.objects.insert(id, object);
            }
        }
        self.kids
            .extend(pages.iter().map(|&p| Object::Reference(p)));
        Ok(())
    }

    /// Appends every page of `extra` with its place in the tagged structure:
    /// its structure elements follow the base's own under the base's
    /// document element, and its marked content keeps its parents (the
    /// parent tree's keys move past the base's). For pieces of one tagged
    /// document, each with a single document element; objects only the
    /// extra's catalog used (its outline, metadata, structure root) are left
    /// for [`prune`].
    pub fn push_tagged(&mut self, mut extra: Document) -> Result<()> {
        extra.renumber_objects_with(self.base.max_id + 1);
        parent_tree_apart(&mut self.base)?;
        parent_tree_apart(&mut extra)?;
        let tree = StructTree::of(&self.base)?;
        let theirs = StructTree::of(&extra)?;
        let offset = tree.next_key;
        // Their pages' keys into the parent tree, moved past ours.
        let mut keys: Vec<(ObjectId, i64)> = Vec::new();
        for page in extra.get_pages().into_values() {
            if let Ok(key) = extra
                .get_dictionary(page)
                .and_then(|d| d.get(b"StructParents"))
                .and_then(Object::as_i64)
            {
                keys.push((page, key + offset));
            }
            let annots: Vec<ObjectId> = extra
                .get_dictionary(page)
                .and_then(|d| d.get(b"Annots"))
                .and_then(Object::as_array)
                .map(|list| list.iter().filter_map(|a| a.as_reference().ok()).collect())
                .unwrap_or_default();
            for annot in annots {
                if let Ok(dict) = extra.get_object_mut(annot).and_then(Object::as_dict_mut)
                    && let Ok(key) = dict.get(b"StructParent").and_then(Object::as_i64)
                {
                    dict.set("StructParent", Object::Integer(key + offset));
                }
            }
        }
        // Their document element's children become ours.
        let mut kids = Vec::new();
        for kid in element_kids(&extra, theirs.document)? {
            if let Object::Reference(id) = kid
                && let Ok(dict) = extra.get_object_mut(id).and_then(Object::as_dict_mut)
            {
                dict.set("P", Object::Reference(tree.document));
            }
            kids.push(kid);
        }
        let nums = parent_tree_nums(&extra, theirs.parent_tree)?;
        let role_map = theirs.role_map.clone();
        self.push_renumbered(extra)?;
        for (page, key) in keys {
            if let Ok(dict) = self.base.get_object_mut(page).and_then(Object::as_dict_mut) {
                dict.set("StructParents", Object::Integer(key));
            }
        }
        // (Extended in place: a list of a million names has as many
        // elements, and pieces by the hundred.)
        let element = self
            .base
            .get_object_mut(tree.document)
            .and_then(Object::as_dict_mut)
            .map_err(broken)?;
        match element.get_mut(b"K") {
            Ok(Object::Array(list)) => list.extend(kids),
            Ok(single) => {
                let mut list = vec![single.clone()];
                list.extend(kids);
                *single = Object::Array(list);
            }
            Err(_) => element.set("K", Object::Array(kids)),
        }
        let mut moved = Vec::with_capacity(nums.len());
        let mut next = offset;
        for pair in nums.chunks_exact(2) {
            let key = pair[0].as_i64().map_err(broken)? + offset;
            next = next.max(key + 1);
            moved.push(Object::Integer(key));
            moved.push(pair[1].clone());
        }
        let flat = self
            .base
            .get_dictionary(tree.parent_tree)
            .is_ok_and(|d| !d.has(b"Kids") && d.get(b"Nums").and_then(Object::as_array).is_ok());
        if flat {
            if let Ok(Object::Array(list)) = self
                .base
                .get_object_mut(tree.parent_tree)
                .and_then(Object::as_dict_mut)
                .and_then(|d| d.get_mut(b"Nums"))
            {
                list.extend(moved);
            }
        } else {
            let mut all = parent_tree_nums(&self.base, tree.parent_tree)?;
            all.extend(moved);
            let mut parent_tree = Dictionary::new();
            parent_tree.set("Nums", Object::Array(all));
            self.base
                .objects
                .insert(tree.parent_tree, Object::Dictionary(parent_tree));
        }
        let root = self
            .base
            .get_object_mut(tree.root)
            .and_then(Object::as_dict_mut)
            .map_err(broken)?;
        root.set("ParentTreeNextKey", Object::Integer(next));
        if let Some(theirs) = role_map {
            let mut roles = root
                .get(b"RoleMap")
                .and_then(Object::as_dict)
                .cloned()
                .unwrap_or_default();
            for (role, standard) in theirs.iter() {
                if !roles.has(role) {
                    roles.set(role.clone(), standard.clone());
                }
            }
            root.set("RoleMap", Object::Dictionary(roles));
        }
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
            let is_page_or_tree = object
                .as_dict()
                .ok()
                .and_then(|d| d.get(b"Type").ok())
                .and_then(|t| t.as_name().ok())
                .is_some_and(|t| t == b"Pages" || t == b"Page");
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

/// Where a tagged document's structure is: the root, its one document
/// element, the parent tree (an object of its own) and the role map.
struct StructTree {
    root: ObjectId,
    document: ObjectId,
    parent_tree: ObjectId,
    next_key: i64,
    role_map: Option<Dictionary>,
}

impl StructTree {
    fn of(document: &Document) -> Result<StructTree> {
        let untagged = || Error::Internal("the pieces to join are not tagged as expected".into());
        let root = document
            .catalog()
            .and_then(|c| c.get(b"StructTreeRoot"))
            .and_then(Object::as_reference)
            .map_err(|_| untagged())?;
        let dict = document.get_dictionary(root).map_err(broken)?;
        let document_element = match dict.get(b"K").map_err(|_| untagged())? {
            Object::Reference(id) => *id,
            Object::Array(list) if list.len() == 1 => list[0].as_reference().map_err(broken)?,
            _ => return Err(untagged()),
        };
        let parent_tree = dict
            .get(b"ParentTree")
            .and_then(Object::as_reference)
            .map_err(|_| untagged())?;
        let next_key = match dict.get(b"ParentTreeNextKey").and_then(Object::as_i64) {
            Ok(key) => key,
            Err(_) => parent_tree_nums(document, parent_tree)?
                .chunks_exact(2)
                .filter_map(|p| p[0].as_i64().ok())
                .max()
                .map_or(0, |k| k + 1),
        };
        Ok(StructTree {
            root,
            document: document_element,
            parent_tree,
            next_key,
            role_map: dict.get(b"RoleMap").and_then(Object::as_dict).ok().cloned(),
        })
    }
}

/// Moves a parent tree written inside the structure root into an object
/// of its own, which [`Joiner::push_tagged`] extends.
fn parent_tree_apart(document: &mut Document) -> Result<()> {
    let Ok(root) = document
        .catalog()
        .and_then(|c| c.get(b"StructTreeRoot"))
        .and_then(Object::as_reference)
    else {
        return Ok(());
    };
    let inline = match document
        .get_dictionary(root)
        .and_then(|d| d.get(b"ParentTree"))
    {
        Ok(Object::Dictionary(tree)) => tree.clone(),
        _ => return Ok(()),
    };
    let id = document.add_object(inline);
    document
        .get_object_mut(root)
        .and_then(Object::as_dict_mut)
        .map_err(broken)?
        .set("ParentTree", Object::Reference(id));
    Ok(())
}

/// A structure element's children, as a list.
fn element_kids(document: &Document, element: ObjectId) -> Result<Vec<Object>> {
    let dict = document.get_dictionary(element).map_err(broken)?;
    Ok(match dict.get(b"K") {
        Ok(Object::Array(list)) => list.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => Vec::new(),
    })
}

/// A number tree's keys and values, flattened (its /Nums, or its kids').
fn parent_tree_nums(document: &Document, node: ObjectId) -> Result<Vec<Object>> {
    fn walk(
        document: &Document,
        node: &Dictionary,
        out: &mut Vec<Object>,
        depth: usize,
    ) -> Result<()> {
        if depth > 32 {
            return Err(Error::Internal("the parent tree is too deep".into()));
        }
        if let Ok(nums) = node.get(b"Nums").and_then(Object::as_array) {
            out.extend(nums.iter().cloned());
        }
        if let Ok(kids) = node.get(b"Kids").and_then(Object::as_array) {
            for kid in kids {
                let kid = document
                    .get_dictionary(kid.as_reference().map_err(broken)?)
                    .map_err(broken)?;
                walk(document, kid, out, depth + 1)?;
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(
        document,
        document.get_dictionary(node).map_err(broken)?,
        &mut out,
        0,
    )?;
    Ok(out)
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
