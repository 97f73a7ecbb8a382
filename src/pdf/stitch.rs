//! The pieces of one tagged document stitched into one PDF, each written
//! out as it comes.
//!
//! A long annex is set in pieces (`set::pieces`). Holding every piece's
//! objects until the end costs memory in proportion to the list: 258 MB of
//! parsed objects at 100,000 names, ten times the PDF they make. So each
//! piece's objects are numbered on from the last piece's, written at once
//! and dropped; only what ties the pieces together waits for the end: the
//! page list, the document element's children and the parent tree's
//! entries, a few references an entry.

use std::collections::HashSet;
use std::io::Write;

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use super::join::{broken, standalone_page, type_name};
use crate::error::{Error, Result};

/// A PDF written piece by piece: the first piece's catalog, page tree and
/// structure root are kept, and every piece's pages and structure elements
/// are added under them.
pub struct Stitcher {
    out: Vec<u8>,
    /// Where each object begins in `out`, by number (0: not written).
    offsets: Vec<usize>,
    /// The next free object number.
    next: u32,
    trailer: Dictionary,
    catalog: Held,
    pages: Held,
    kids: Vec<Object>,
    root: Held,
    element: Held,
    children: Vec<Object>,
    parent_tree: ObjectId,
    nums: Vec<Object>,
    next_key: i64,
}

/// An object of the first piece written only at the end, once every piece
/// has added to it.
struct Held {
    id: ObjectId,
    dict: Dictionary,
}

impl Stitcher {
    /// Starts the PDF with the first piece, whose catalog, metadata and
    /// outline are the document's.
    pub fn new(mut first: Document) -> Result<Stitcher> {
        parent_tree_apart(&mut first)?;
        let tree = StructTree::of(&first)?;
        let catalog = first
            .trailer
            .get(b"Root")
            .and_then(Object::as_reference)
            .map_err(broken)?;
        let pages = first
            .catalog()
            .and_then(|c| c.get(b"Pages"))
            .and_then(Object::as_reference)
            .map_err(broken)?;
        let held = |id: ObjectId| -> Result<Held> {
            Ok(Held {
                id,
                dict: first.get_dictionary(id).map_err(broken)?.clone(),
            })
        };
        let mut out = Vec::new();
        out.extend_from_slice(format!("%PDF-{}\n%", first.version).as_bytes());
        out.extend_from_slice(if first.binary_mark.is_empty() {
            &[0xE2, 0xE3, 0xCF, 0xD3]
        } else {
            &first.binary_mark
        });
        out.push(b'\n');
        let mut trailer = first.trailer.clone();
        for key in [b"Prev".as_slice(), b"XRefStm", b"Size", b"Encrypt"] {
            trailer.remove(key);
        }
        let mut stitcher = Stitcher {
            out,
            offsets: Vec::new(),
            next: 0,
            trailer,
            catalog: held(catalog)?,
            pages: held(pages)?,
            kids: Vec::new(),
            root: held(tree.root)?,
            element: held(tree.document)?,
            children: Vec::new(),
            parent_tree: tree.parent_tree,
            nums: Vec::new(),
            next_key: 0,
        };
        // What the document as a whole refers to: its metadata, outline,
        // role map, information dictionary.
        let mut roots: Vec<Object> = Vec::new();
        roots.extend(stitcher.trailer.iter().map(|(_, o)| o.clone()));
        roots.extend(stitcher.catalog.dict.iter().map(|(_, o)| o.clone()));
        roots.extend(
            stitcher
                .root
                .dict
                .iter()
                .filter(|(k, _)| !matches!(k.as_slice(), b"K" | b"ParentTree"))
                .map(|(_, o)| o.clone()),
        );
        stitcher.add(first, tree, roots)?;
        Ok(stitcher)
    }

    /// Adds every page of the next piece, its structure elements after the
    /// document element's others, its marked content's keys in the parent
    /// tree moved past the pieces' before. What only the piece's own
    /// catalog used (its outline, metadata, structure root) is left out.
    pub fn push(&mut self, mut piece: Document) -> Result<()> {
        piece.renumber_objects_with(self.next.max(1));
        parent_tree_apart(&mut piece)?;
        let tree = StructTree::of(&piece)?;
        if let Some(theirs) = &tree.role_map {
            let mut roles = self
                .root
                .dict
                .get(b"RoleMap")
                .and_then(Object::as_dict)
                .cloned()
                .unwrap_or_default();
            for (role, standard) in theirs.iter() {
                if !roles.has(role) {
                    roles.set(role.clone(), standard.clone());
                }
            }
            self.root.dict.set("RoleMap", Object::Dictionary(roles));
        }
        self.add(piece, tree, Vec::new())
    }

    /// Takes in a piece already numbered apart from the others: its pages
    /// and structure join the held ones, and everything they reach (with
    /// `roots`) is written now.
    fn add(&mut self, mut piece: Document, tree: StructTree, mut roots: Vec<Object>) -> Result<()> {
        let offset = self.next_key;
        let pages: Vec<ObjectId> = piece.get_pages().into_values().collect();
        for &page in &pages {
            let key = piece
                .get_dictionary(page)
                .and_then(|d| d.get(b"StructParents"))
                .and_then(Object::as_i64)
                .ok();
            // A page takes what it inherited, since its old tree stays behind.
            let mut dict = standalone_page(&piece, page)?;
            dict.set("Parent", Object::Reference(self.pages.id));
            if let Some(key) = key {
                dict.set("StructParents", Object::Integer(key + offset));
            }
            let annots: Vec<ObjectId> = dict
                .get(b"Annots")
                .and_then(Object::as_array)
                .map(|list| list.iter().filter_map(|a| a.as_reference().ok()).collect())
                .unwrap_or_default();
            piece.objects.insert(page, Object::Dictionary(dict));
            for annot in annots {
                if let Ok(dict) = piece.get_object_mut(annot).and_then(Object::as_dict_mut)
                    && let Ok(key) = dict.get(b"StructParent").and_then(Object::as_i64)
                {
                    dict.set("StructParent", Object::Integer(key + offset));
                }
            }
        }
        let mut children = Vec::new();
        for kid in element_kids(&piece, tree.document)? {
            if let Object::Reference(id) = kid
                && let Ok(dict) = piece.get_object_mut(id).and_then(Object::as_dict_mut)
            {
                dict.set("P", Object::Reference(self.element.id));
            }
            children.push(kid);
        }
        let nums = parent_tree_nums(&piece, tree.parent_tree)?;
        let mut next_key = tree.next_key + offset;
        for pair in nums.chunks_exact(2) {
            let key = pair[0].as_i64().map_err(broken)? + offset;
            next_key = next_key.max(key + 1);
            self.nums.push(Object::Integer(key));
            self.nums.push(pair[1].clone());
            roots.push(pair[1].clone());
        }
        self.next_key = next_key;
        roots.extend(pages.iter().map(|&p| Object::Reference(p)));
        roots.extend(children.iter().cloned());

        // Everything the pages and elements reach, but not what the
        // pieces' catalogs and trees held (the first piece's are written at
        // the end, the others' not at all).
        let mut stop: HashSet<ObjectId> = [
            self.catalog.id,
            self.pages.id,
            self.root.id,
            self.element.id,
            self.parent_tree,
            tree.root,
            tree.document,
            tree.parent_tree,
        ]
        .into();
        if let Ok(catalog) = piece.trailer.get(b"Root").and_then(Object::as_reference) {
            stop.insert(catalog);
        }
        let mut seen: HashSet<ObjectId> = HashSet::new();
        let mut todo: Vec<ObjectId> = Vec::new();
        for root in &roots {
            reach(root, &stop, &mut seen, &mut todo);
        }
        while let Some(id) = todo.pop() {
            if let Some(object) = piece.objects.get(&id) {
                reach(object, &stop, &mut seen, &mut todo);
            }
        }
        let mut ids: Vec<ObjectId> = seen.into_iter().collect();
        ids.sort_unstable();
        for id in ids {
            let Some(mut object) = piece.objects.remove(&id) else {
                continue;
            };
            if type_name(&object) != Some(b"Pages") {
                self.write(id, &mut object)?;
            }
        }
        self.kids.extend(pages.into_iter().map(Object::Reference));
        self.children.extend(children);
        self.next = self.next.max(piece.max_id + 1);
        Ok(())
    }

    /// Writes object `id` at the end of the file.
    fn write(&mut self, id: ObjectId, object: &mut Object) -> Result<()> {
        let number = id.0 as usize;
        if self.offsets.len() <= number {
            self.offsets.resize(number + 1, 0);
        }
        if self.offsets[number] != 0 {
            return Err(Error::Internal(format!(
                "object {number} was written twice while joining the annex"
            )));
        }
        self.offsets[number] = self.out.len();
        let out = &mut self.out;
        write_bytes(out, format!("{} {} obj\n", id.0, id.1).as_bytes());
        if let Object::Stream(stream) = object {
            stream
                .dict
                .set("Length", Object::Integer(stream.content.len() as i64));
        }
        write_object(out, object);
        write_bytes(out, b"\nendobj\n");
        Ok(())
    }

    /// The whole PDF: the held objects, the cross-reference table and the
    /// trailer.
    pub fn finish(mut self) -> Result<Vec<u8>> {
        let mut pages = std::mem::take(&mut self.pages.dict);
        pages.set("Count", Object::Integer(self.kids.len() as i64));
        pages.set("Kids", Object::Array(std::mem::take(&mut self.kids)));
        pages.remove(b"Parent");
        self.write(self.pages.id, &mut Object::Dictionary(pages))?;

        let mut element = std::mem::take(&mut self.element.dict);
        element.set("K", Object::Array(std::mem::take(&mut self.children)));
        self.write(self.element.id, &mut Object::Dictionary(element))?;

        let mut tree = Dictionary::new();
        tree.set("Nums", Object::Array(std::mem::take(&mut self.nums)));
        self.write(self.parent_tree, &mut Object::Dictionary(tree))?;

        let mut root = std::mem::take(&mut self.root.dict);
        root.set("ParentTree", Object::Reference(self.parent_tree));
        root.set("ParentTreeNextKey", Object::Integer(self.next_key));
        self.write(self.root.id, &mut Object::Dictionary(root))?;

        let catalog = std::mem::take(&mut self.catalog.dict);
        self.write(self.catalog.id, &mut Object::Dictionary(catalog))?;

        let size = self.offsets.len().max(1);
        let start = self.out.len();
        let out = &mut self.out;
        write_bytes(out, format!("xref\n0 {size}\n").as_bytes());
        // The numbers not written (what the pieces' catalogs alone used)
        // are free, each pointing to the next, as the format asks.
        let free: Vec<usize> = (1..size).filter(|&n| self.offsets[n] == 0).collect();
        let mut free_after = free.iter().copied().skip(1).chain(std::iter::once(0));
        write_bytes(
            out,
            format!("{:010} 65535 f\r\n", free.first().copied().unwrap_or(0)).as_bytes(),
        );
        for &offset in &self.offsets[1..size] {
            if offset == 0 {
                let next = free_after.next().unwrap_or(0);
                write_bytes(out, format!("{next:010} 00001 f\r\n").as_bytes());
            } else {
                write_bytes(out, format!("{offset:010} 00000 n\r\n").as_bytes());
            }
        }
        self.trailer.set("Size", Object::Integer(size as i64));
        self.trailer.set("Root", Object::Reference(self.catalog.id));
        write_bytes(out, b"trailer\n");
        write_object(out, &Object::Dictionary(std::mem::take(&mut self.trailer)));
        write_bytes(out, format!("\nstartxref\n{start}\n%%EOF\n").as_bytes());
        Ok(self.out)
    }
}

/// Follows the references of `object`, short of `stop`.
fn reach(
    object: &Object,
    stop: &HashSet<ObjectId>,
    seen: &mut HashSet<ObjectId>,
    todo: &mut Vec<ObjectId>,
) {
    match object {
        Object::Reference(id) if !stop.contains(id) && seen.insert(*id) => todo.push(*id),
        Object::Array(list) => list.iter().for_each(|o| reach(o, stop, seen, todo)),
        Object::Dictionary(dict) => dict.iter().for_each(|(_, o)| reach(o, stop, seen, todo)),
        Object::Stream(stream) => stream
            .dict
            .iter()
            .for_each(|(_, o)| reach(o, stop, seen, todo)),
        _ => {}
    }
}

fn write_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(bytes);
}

/// An object in PDF syntax (ISO 32000-1, 7.3). Streams are written as they
/// were read, still encoded, with the length of what they hold.
fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => write_bytes(out, b"null"),
        Object::Boolean(true) => write_bytes(out, b"true"),
        Object::Boolean(false) => write_bytes(out, b"false"),
        Object::Integer(i) => write_bytes(out, i.to_string().as_bytes()),
        Object::Real(r) => {
            // PDF has no exponents, infinities or NaN.
            let r = if r.is_finite() { *r } else { 0.0 };
            let _ = write!(out, "{r}");
        }
        Object::Name(name) => write_name(out, name),
        Object::String(text, StringFormat::Literal) => {
            out.push(b'(');
            for &b in text {
                match b {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                    // A bare carriage return would be read as a line end.
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
        Object::String(text, StringFormat::Hexadecimal) => {
            out.push(b'<');
            for b in text {
                let _ = write!(out, "{b:02X}");
            }
            out.push(b'>');
        }
        Object::Array(list) => {
            out.push(b'[');
            for (k, item) in list.iter().enumerate() {
                if k > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dictionary(out, dict),
        Object::Stream(stream) => {
            write_dictionary(out, &stream.dict);
            write_bytes(out, b"\nstream\n");
            write_bytes(out, &stream.content);
            write_bytes(out, b"\nendstream");
        }
        Object::Reference(id) => {
            let _ = write!(out, "{} {} R", id.0, id.1);
        }
    }
}

fn write_dictionary(out: &mut Vec<u8>, dict: &Dictionary) {
    write_bytes(out, b"<<");
    for (key, value) in dict.iter() {
        write_name(out, key);
        out.push(b' ');
        write_object(out, value);
    }
    write_bytes(out, b">>");
}

/// A name, with the bytes a name cannot hold as they are written `#xx`.
fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if !(0x21..=0x7e).contains(&b) || b"#()<>[]{}/%".contains(&b) {
            let _ = write!(out, "#{b:02X}");
        } else {
            out.push(b);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn written(object: &Object) -> String {
        let mut out = Vec::new();
        write_object(&mut out, object);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn objects_are_written_in_pdf_syntax() {
        assert_eq!(written(&Object::Null), "null");
        assert_eq!(written(&Object::Boolean(true)), "true");
        assert_eq!(written(&Object::Boolean(false)), "false");
        assert_eq!(written(&Object::Integer(-42)), "-42");
        assert_eq!(written(&Object::Real(841.89)), "841.89");
        assert_eq!(written(&Object::Real(0.000_012_5)), "0.0000125");
        assert_eq!(written(&Object::Real(f32::NAN)), "0");
        assert_eq!(written(&Object::Reference((12, 0))), "12 0 R");
        assert_eq!(written(&Object::Name(b"Type".to_vec())), "/Type");
        assert_eq!(
            written(&Object::Name(b"A B#(x)/%".to_vec())),
            "/A#20B#23#28x#29#2F#25"
        );
        assert_eq!(
            written(&Object::String(
                b"a(b)c\\d\re\n".to_vec(),
                StringFormat::Literal
            )),
            "(a\\(b\\)c\\\\d\\re\n)"
        );
        assert_eq!(
            written(&Object::String(
                vec![0xFE, 0xFF, 0, 0x41],
                StringFormat::Hexadecimal
            )),
            "<FEFF0041>"
        );
        let mut dict = Dictionary::new();
        dict.set(
            "K",
            Object::Array(vec![1.into(), Object::Reference((3, 0))]),
        );
        dict.set("S", Object::Name(b"LI".to_vec()));
        assert_eq!(written(&Object::Dictionary(dict)), "<</K [1 3 0 R]/S /LI>>");
    }

    #[test]
    fn a_stream_is_written_with_the_length_of_what_it_holds() {
        let mut dict = Dictionary::new();
        dict.set("Length", Object::Integer(999));
        let mut object = Object::Stream(lopdf::Stream::new(dict, b"BT ET".to_vec()));
        let held = |n: u32| Held {
            id: (n, 0),
            dict: Dictionary::new(),
        };
        let mut stitcher_out = Stitcher {
            out: Vec::new(),
            offsets: Vec::new(),
            next: 0,
            trailer: Dictionary::new(),
            catalog: held(1),
            pages: held(2),
            kids: Vec::new(),
            root: held(3),
            element: held(4),
            children: Vec::new(),
            parent_tree: (5, 0),
            nums: Vec::new(),
            next_key: 0,
        };
        stitcher_out.out.extend_from_slice(b"%PDF-1.7\n");
        stitcher_out.write((7, 0), &mut object).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&stitcher_out.out[9..]),
            "7 0 obj\n<</Length 5>>\nstream\nBT ET\nendstream\nendobj\n"
        );
        assert_eq!(stitcher_out.offsets[7], 9);
        // Twice is a mistake in the joining, not a second copy.
        assert!(stitcher_out.write((7, 0), &mut object).is_err());
    }
}
