//! The pieces of one tagged document stitched into one PDF, each written
//! out as it comes.
//!
//! A long annex is set in pieces (`set::pieces`). Holding every piece's
//! objects until the end costs memory in proportion to the list: 258 MB of
//! parsed objects at 100,000 names, ten times the PDF they make. So each
//! piece's objects are numbered on from the last piece's, written at once
//! and dropped; only what ties the pieces together waits for the end: the
//! page list, and a reference a piece in the document element's children
//! and in the parent tree. Each piece after the first keeps its elements
//! in a `Div` of its own, and each piece's entries in the parent tree are
//! a leaf of it, both written with the piece: no array in the file grows
//! past a piece's. (pypdf, for one, reads no array of more than 100,000
//! elements, and the structure of a list of 100,000 names had one.)
//!
//! A piece is not parsed whole either (`raw.rs`): its pages, links and
//! structure top are, and every other object is copied as Typst wrote it,
//! with its references renumbered. At 10,000 names in four pieces that took
//! the stitching from about 190 ms to 30 ms.
//!
//! What is written goes on to a temporary file as it grows, and is read
//! back at the end: while the pieces are set, the PDF of a long list (20 MB
//! at 100,000 names) is not held in memory beside them.

use std::io::{Read, Seek, Write};

use lopdf::{Dictionary, Object, ObjectId, StringFormat};

use super::join::{INHERITED, broken};
use super::raw::Raw;
use crate::error::{Error, Result};

/// A PDF written piece by piece: the first piece's catalog, page tree and
/// structure root are kept, and every piece's pages and structure elements
/// are added under them. Pieces are read as their objects' bytes
/// (`raw.rs`): only the objects that change are parsed.
pub struct Stitcher {
    /// What was written since the last spill to `spill`.
    out: Vec<u8>,
    /// The file written so far, when it has grown past [`SPILL_FROM`]; or
    /// none, when no temporary file could be made (all is kept in memory).
    spill: Option<std::fs::File>,
    /// How many bytes are in `spill`.
    spilled: usize,
    /// From how many bytes written they are spilled ([`SPILL_FROM`]).
    spill_from: usize,
    /// Where each object begins in the file, by number (0: not written).
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
    /// The parent tree's entries of the piece being added.
    nums: Vec<Object>,
    /// The parent tree's leaves written, one a piece.
    leaves: Vec<Object>,
    next_key: i64,
}

/// From this many bytes written, they go on to the temporary file.
const SPILL_FROM: usize = 1 << 20;

/// An object of the first piece written only at the end, once every piece
/// has added to it.
struct Held {
    id: ObjectId,
    dict: Dictionary,
}

/// How a piece's object numbers become the stitched file's: its own
/// catalog, page tree and structure top become the first piece's, every
/// other number moves past the pieces' before.
struct Numbers {
    base: u32,
    fixed: Vec<(u32, u32)>,
}

impl Numbers {
    fn get(&self, number: u32) -> u32 {
        self.fixed
            .iter()
            .find(|f| f.0 == number)
            .map_or(number + self.base, |f| f.1)
    }

    /// `object` with every reference in it renumbered.
    fn renumber(&self, object: &mut Object) {
        match object {
            Object::Reference(id) => *id = (self.get(id.0), 0),
            Object::Array(list) => list.iter_mut().for_each(|o| self.renumber(o)),
            Object::Dictionary(dict) => dict.iter_mut().for_each(|(_, o)| self.renumber(o)),
            Object::Stream(stream) => stream.dict.iter_mut().for_each(|(_, o)| self.renumber(o)),
            _ => {}
        }
    }
}

impl Stitcher {
    /// Starts the PDF with the first piece, whose catalog, metadata and
    /// outline are the document's.
    pub fn new(first: &[u8]) -> Result<Stitcher> {
        let raw = Raw::read(first)?;
        let tree = StructTree::of(&raw)?;
        let version = first
            .strip_prefix(b"%PDF-")
            .and_then(|v| v.get(..3))
            .filter(|v| v[0].is_ascii_digit() && v[1] == b'.' && v[2].is_ascii_digit())
            .unwrap_or(b"1.7");
        let mut out = b"%PDF-".to_vec();
        out.extend_from_slice(version);
        out.extend_from_slice(b"\n%\xE2\xE3\xCF\xD3\n");
        let mut trailer = raw.trailer.clone();
        for key in [b"Prev".as_slice(), b"XRefStm", b"Size", b"Encrypt"] {
            trailer.remove(key);
        }
        let held = |id: u32, dict: &Dictionary| Held {
            id: (id, 0),
            dict: dict.clone(),
        };
        let mut stitcher = Stitcher {
            out,
            spill: None,
            spilled: 0,
            spill_from: SPILL_FROM,
            offsets: Vec::new(),
            // The parent tree may take the number after the piece's last.
            next: raw.size() + 1,
            trailer,
            catalog: held(tree.catalog, &tree.catalog_dict),
            pages: held(tree.pages, &tree.pages_dict),
            kids: Vec::new(),
            root: held(tree.root, &tree.root_dict),
            element: held(tree.document, &tree.document_dict),
            children: Vec::new(),
            parent_tree: (tree.parent_tree.unwrap_or(raw.size()), 0),
            nums: Vec::new(),
            leaves: Vec::new(),
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
        let numbers = Numbers {
            base: 0,
            fixed: Vec::new(),
        };
        stitcher.add(&raw, &tree, &numbers, roots)?;
        stitcher.leaf()?;
        stitcher.spill()?;
        Ok(stitcher)
    }

    /// Moves what was written to the temporary file, once it is long.
    fn spill(&mut self) -> Result<()> {
        if self.out.len() < self.spill_from {
            return Ok(());
        }
        if self.spill.is_none() {
            // Without a temporary folder the PDF stays in memory.
            self.spill = tempfile::tempfile().ok();
        }
        let Some(file) = self.spill.as_mut() else {
            return Ok(());
        };
        file.write_all(&self.out).map_err(|e| {
            Error::Internal(format!(
                "cannot write the joined annex to a temporary file: {e}"
            ))
        })?;
        self.spilled += self.out.len();
        self.out.clear();
        Ok(())
    }

    /// Where the next byte written lands in the file.
    fn position(&self) -> usize {
        self.spilled + self.out.len()
    }

    /// Adds every page of the next piece, its structure elements after the
    /// document element's others, its marked content's keys in the parent
    /// tree moved past the pieces' before. What only the piece's own
    /// catalog used (its outline, metadata, structure root) is left out.
    pub fn push(&mut self, piece: &[u8]) -> Result<()> {
        let raw = Raw::read(piece)?;
        let tree = StructTree::of(&raw)?;
        if let Ok(theirs) = tree.root_dict.get(b"RoleMap").and_then(Object::as_dict) {
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
        // The piece's document element becomes its `Div`, numbered after
        // the piece's own objects: its elements' parent is the `Div`.
        let div = self.next + raw.size();
        let numbers = Numbers {
            base: self.next - 1,
            fixed: vec![
                (tree.catalog, self.catalog.id.0),
                (tree.pages, self.pages.id.0),
                (tree.root, self.root.id.0),
                (tree.document, div),
            ],
        };
        let before = self.children.len();
        self.add(&raw, &tree, &numbers, Vec::new())?;
        self.next = div + 1;
        let mut element = Dictionary::new();
        element.set("Type", Object::Name(b"StructElem".to_vec()));
        element.set("S", Object::Name(b"Div".to_vec()));
        element.set("P", Object::Reference(self.element.id));
        element.set("K", Object::Array(self.children.split_off(before)));
        self.write((div, 0), &mut Object::Dictionary(element))?;
        self.children.push(Object::Reference((div, 0)));
        self.leaf()?;
        self.spill()
    }

    /// Writes the parent tree's entries of the piece just added as a leaf
    /// of the tree, with the keys it spans.
    fn leaf(&mut self) -> Result<()> {
        // Keys and values alternate: the last key is second from the end.
        let (Some(first), Some(last)) = (
            self.nums.first().cloned(),
            self.nums.iter().rev().nth(1).cloned(),
        ) else {
            return Ok(());
        };
        let id = (self.next, 0);
        self.next += 1;
        let mut leaf = Dictionary::new();
        leaf.set("Limits", Object::Array(vec![first, last]));
        leaf.set("Nums", Object::Array(std::mem::take(&mut self.nums)));
        self.write(id, &mut Object::Dictionary(leaf))?;
        self.leaves.push(Object::Reference(id));
        Ok(())
    }

    /// Takes in a piece: its pages and structure join the held ones, and
    /// everything they reach (with `roots`) is written now, renumbered.
    fn add(
        &mut self,
        raw: &Raw,
        tree: &StructTree,
        numbers: &Numbers,
        mut roots: Vec<Object>,
    ) -> Result<()> {
        let offset = self.next_key;
        let size = raw.size() as usize;
        // Objects written as parsed and changed here, by number.
        let mut changed: Vec<Option<Object>> = vec![None; size];
        let mut stop = vec![false; size];
        for id in [tree.catalog, tree.pages, tree.root, tree.document]
            .into_iter()
            .chain(tree.parent_tree)
            .chain(tree.nodes.iter().copied())
            .chain(tree.parent_nodes.iter().copied())
        {
            if let Some(s) = stop.get_mut(id as usize) {
                *s = true;
            }
        }
        let mut pages = Vec::with_capacity(tree.leaves.len());
        for (page, mut dict) in tree.leaves.iter().cloned() {
            let key = dict.get(b"StructParents").and_then(Object::as_i64).ok();
            dict.remove(b"StructParents");
            dict.set("Parent", Object::Reference((tree.pages, 0)));
            if let Some(key) = key {
                dict.set("StructParents", Object::Integer(key + offset));
            }
            // Links carry their key in the parent tree too.
            if let Ok(annots) = dict.get_mut(b"Annots").and_then(Object::as_array_mut) {
                for annot in annots.iter_mut() {
                    match annot {
                        Object::Reference((id, _)) => {
                            let mut annot = raw.dictionary(*id)?;
                            shift_key(&mut annot, offset);
                            if let Some(c) = changed.get_mut(*id as usize) {
                                *c = Some(Object::Dictionary(annot));
                            }
                        }
                        Object::Dictionary(annot) => shift_key(annot, offset),
                        _ => {}
                    }
                }
            }
            if let Some(c) = changed.get_mut(page as usize) {
                *c = Some(Object::Dictionary(dict));
            }
            pages.push(Object::Reference((page, 0)));
        }
        let children = tree.document_dict.get(b"K").map_or_else(
            |_| Vec::new(),
            |k| match k {
                Object::Array(list) => list.clone(),
                other => vec![other.clone()],
            },
        );
        let mut next_key = tree.next_key + offset;
        let mut keyed = Vec::with_capacity(tree.nums.len() / 2);
        for pair in tree.nums.chunks_exact(2) {
            let key = pair[0].as_i64().map_err(broken)? + offset;
            next_key = next_key.max(key + 1);
            keyed.push((key, pair[1].clone()));
            roots.push(pair[1].clone());
        }
        self.next_key = next_key;
        roots.extend(pages.iter().cloned());
        roots.extend(children.iter().cloned());

        // Everything the pages and elements reach, short of the pieces'
        // catalogs and trees (the first piece's are written at the end,
        // the others' not at all).
        let mut seen = vec![false; size];
        let mut todo: Vec<u32> = Vec::new();
        let visit = |object: &Object, seen: &mut Vec<bool>, todo: &mut Vec<u32>| {
            references(object, &mut |n| {
                let k = n as usize;
                if k < size && !stop[k] && !seen[k] {
                    seen[k] = true;
                    todo.push(n);
                }
            });
        };
        for root in &roots {
            visit(root, &mut seen, &mut todo);
        }
        let mut scans = Vec::new();
        while let Some(n) = todo.pop() {
            if let Some(object) = &changed[n as usize] {
                visit(object, &mut seen, &mut todo);
                continue;
            }
            if !raw.has(n) {
                continue;
            }
            let scan = raw.scan(n)?;
            for &(_, to) in &scan.references {
                let k = to as usize;
                if k < size && !stop[k] && !seen[k] {
                    seen[k] = true;
                    todo.push(to);
                }
            }
            scans.push((n, scan));
        }
        for (n, object) in changed.iter_mut().enumerate() {
            if let Some(object) = object.as_mut().filter(|_| seen[n]) {
                numbers.renumber(object);
                self.write((numbers.get(n as u32), 0), object)?;
            }
        }
        scans.sort_unstable_by_key(|s| s.0);
        for (n, scan) in scans {
            let new = numbers.get(n);
            self.start(new)?;
            let mut from = 0;
            for (at, to) in &scan.references {
                self.out.extend_from_slice(&scan.text[from..at.start]);
                let _ = write!(self.out, "{} 0 R", numbers.get(*to));
                from = at.end;
            }
            self.out.extend_from_slice(&scan.text[from..]);
            self.out.extend_from_slice(scan.rest);
            if !scan.rest.ends_with(b"\n") {
                self.out.push(b'\n');
            }
        }
        for mut page in pages {
            numbers.renumber(&mut page);
            self.kids.push(page);
        }
        for mut child in children {
            numbers.renumber(&mut child);
            self.children.push(child);
        }
        for (key, mut value) in keyed {
            numbers.renumber(&mut value);
            self.nums.push(Object::Integer(key));
            self.nums.push(value);
        }
        Ok(())
    }

    /// Begins object `number` at the end of the file.
    fn start(&mut self, number: u32) -> Result<()> {
        let number = number as usize;
        if self.offsets.len() <= number {
            self.offsets.resize(number + 1, 0);
        }
        if self.offsets[number] != 0 {
            return Err(Error::Internal(format!(
                "object {number} was written twice while joining the annex"
            )));
        }
        self.offsets[number] = self.position();
        let _ = write!(self.out, "{number} 0 obj");
        Ok(())
    }

    /// Writes object `id` at the end of the file.
    fn write(&mut self, id: ObjectId, object: &mut Object) -> Result<()> {
        self.start(id.0)?;
        let out = &mut self.out;
        out.push(b'\n');
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
        tree.set("Kids", Object::Array(std::mem::take(&mut self.leaves)));
        self.write(self.parent_tree, &mut Object::Dictionary(tree))?;

        let mut root = std::mem::take(&mut self.root.dict);
        root.set("ParentTree", Object::Reference(self.parent_tree));
        root.set("ParentTreeNextKey", Object::Integer(self.next_key));
        self.write(self.root.id, &mut Object::Dictionary(root))?;

        let catalog = std::mem::take(&mut self.catalog.dict);
        self.write(self.catalog.id, &mut Object::Dictionary(catalog))?;

        let size = self.offsets.len().max(1);
        let start = self.position();
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
        let Some(mut file) = self.spill.take() else {
            return Ok(self.out);
        };
        let unread = |e: std::io::Error| {
            Error::Internal(format!(
                "cannot read back the joined annex's temporary file: {e}"
            ))
        };
        let mut whole = Vec::with_capacity(self.spilled + self.out.len());
        file.rewind().map_err(unread)?;
        file.read_to_end(&mut whole).map_err(unread)?;
        if whole.len() != self.spilled {
            return Err(Error::Internal(
                "the joined annex's temporary file was cut short".into(),
            ));
        }
        whole.extend_from_slice(&self.out);
        Ok(whole)
    }
}

/// Calls `found` with the number of every reference in `object`.
fn references(object: &Object, found: &mut impl FnMut(u32)) {
    match object {
        Object::Reference(id) => found(id.0),
        Object::Array(list) => list.iter().for_each(|o| references(o, found)),
        Object::Dictionary(dict) => dict.iter().for_each(|(_, o)| references(o, found)),
        Object::Stream(stream) => stream.dict.iter().for_each(|(_, o)| references(o, found)),
        _ => {}
    }
}

/// A link's key in the parent tree, moved past the pieces' before.
fn shift_key(annot: &mut Dictionary, offset: i64) {
    if let Ok(key) = annot.get(b"StructParent").and_then(Object::as_i64) {
        annot.set("StructParent", Object::Integer(key + offset));
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

/// Where a piece's pages and tagged structure are: its catalog, page
/// tree (with every page, what it inherits written into it), structure
/// root, its one document element and its parent tree.
struct StructTree {
    catalog: u32,
    catalog_dict: Dictionary,
    pages: u32,
    pages_dict: Dictionary,
    /// The page tree's nodes below its root.
    nodes: Vec<u32>,
    /// Every page in order, with its dictionary.
    leaves: Vec<(u32, Dictionary)>,
    root: u32,
    root_dict: Dictionary,
    document: u32,
    document_dict: Dictionary,
    /// The parent tree's number, when it is an object of its own; its
    /// nodes below, if any.
    parent_tree: Option<u32>,
    parent_nodes: Vec<u32>,
    /// The parent tree's keys and values, flattened.
    nums: Vec<Object>,
    next_key: i64,
}

impl StructTree {
    fn of(raw: &Raw) -> Result<StructTree> {
        let untagged = || Error::Internal("the pieces to join are not tagged as expected".into());
        let number = |object: Result<&Object>| -> Result<u32> {
            match object {
                Ok(Object::Reference(id)) => Ok(id.0),
                _ => Err(untagged()),
            }
        };
        let catalog = number(raw.trailer.get(b"Root").map_err(broken))?;
        let catalog_dict = raw.dictionary(catalog)?;
        let pages = number(catalog_dict.get(b"Pages").map_err(broken))?;
        let pages_dict = raw.dictionary(pages)?;
        let mut nodes = Vec::new();
        let mut leaves = Vec::new();
        page_leaves(
            raw,
            &pages_dict,
            &Dictionary::new(),
            &mut nodes,
            &mut leaves,
            0,
        )?;
        let root = number(catalog_dict.get(b"StructTreeRoot").map_err(broken))?;
        let root_dict = raw.dictionary(root)?;
        let document = match root_dict.get(b"K").map_err(|_| untagged())? {
            Object::Reference(id) => id.0,
            Object::Array(list) if list.len() == 1 => number(Ok(&list[0]))?,
            _ => return Err(untagged()),
        };
        let document_dict = raw.dictionary(document)?;
        let parent_tree = match root_dict.get(b"ParentTree").map_err(|_| untagged())? {
            Object::Reference(id) => Some(id.0),
            Object::Dictionary(_) => None,
            _ => return Err(untagged()),
        };
        let mut tree = StructTree {
            catalog,
            catalog_dict,
            pages,
            pages_dict,
            nodes,
            leaves,
            root,
            root_dict,
            document,
            document_dict,
            parent_tree,
            parent_nodes: Vec::new(),
            nums: Vec::new(),
            next_key: 0,
        };
        let mut nodes = Vec::new();
        tree.nums = walk_nums(raw, &parent_tree_dict(raw, &tree)?, &mut nodes, 0)?;
        tree.parent_nodes = nodes;
        tree.next_key = match tree
            .root_dict
            .get(b"ParentTreeNextKey")
            .and_then(Object::as_i64)
        {
            Ok(key) => key,
            Err(_) => tree
                .nums
                .chunks_exact(2)
                .filter_map(|p| p[0].as_i64().ok())
                .max()
                .map_or(0, |k| k + 1),
        };
        Ok(tree)
    }
}

/// The pages below page tree node `node`, in order, each with what it
/// inherits from the nodes above it written into it.
fn page_leaves(
    raw: &Raw,
    node: &Dictionary,
    inherited: &Dictionary,
    nodes: &mut Vec<u32>,
    leaves: &mut Vec<(u32, Dictionary)>,
    depth: usize,
) -> Result<()> {
    if depth > 32 {
        return Err(Error::Internal("the page tree is too deep".into()));
    }
    let mut inherited = inherited.clone();
    for key in INHERITED {
        if let Ok(value) = node.get(key) {
            inherited.set(key, value.clone());
        }
    }
    let kids = node
        .get(b"Kids")
        .and_then(Object::as_array)
        .map_err(broken)?;
    for kid in kids {
        let id = kid.as_reference().map_err(broken)?.0;
        let mut dict = raw.dictionary(id)?;
        if dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"Pages") {
            nodes.push(id);
            page_leaves(raw, &dict, &inherited, nodes, leaves, depth + 1)?;
        } else {
            for (key, value) in inherited.iter() {
                if !dict.has(key) {
                    dict.set(key.clone(), value.clone());
                }
            }
            leaves.push((id, dict));
        }
    }
    Ok(())
}

/// The parent tree's top node.
fn parent_tree_dict(raw: &Raw, tree: &StructTree) -> Result<Dictionary> {
    match tree.parent_tree {
        Some(id) => raw.dictionary(id),
        None => tree
            .root_dict
            .get(b"ParentTree")
            .and_then(Object::as_dict)
            .cloned()
            .map_err(broken),
    }
}

/// A number tree's keys and values, flattened (its /Nums, or its kids'),
/// with its nodes below the top.
fn walk_nums(
    raw: &Raw,
    node: &Dictionary,
    nodes: &mut Vec<u32>,
    depth: usize,
) -> Result<Vec<Object>> {
    if depth > 32 {
        return Err(Error::Internal("the parent tree is too deep".into()));
    }
    let mut out = Vec::new();
    if let Ok(nums) = node.get(b"Nums").and_then(Object::as_array) {
        out.extend(nums.iter().cloned());
    }
    if let Ok(kids) = node.get(b"Kids").and_then(Object::as_array) {
        for kid in kids {
            let id = kid.as_reference().map_err(broken)?.0;
            nodes.push(id);
            out.extend(walk_nums(raw, &raw.dictionary(id)?, nodes, depth + 1)?);
        }
    }
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
            spill: None,
            spilled: 0,
            spill_from: SPILL_FROM,
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
            leaves: Vec::new(),
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

    /// A tagged one-page piece as a PDF writer writes it: the page inherits
    /// its box from the page tree, carries a link with a key of its own
    /// in the parent tree, and its content stream holds text that looks
    /// like a reference.
    fn piece(word: &str) -> Vec<u8> {
        let content = format!("BT ({word} 1 0 R) Tj ET");
        let objects: Vec<String> = vec![
            "<</Type/Catalog/Pages 2 0 R/StructTreeRoot 3 0 R/Lang(en)>>".into(),
            "<</Type/Pages/Count 1/Kids[5 0 R]/MediaBox[0 0 100 200]>>".into(),
            "<</Type/StructTreeRoot/K[4 0 R]/ParentTree<</Nums[0 8 0 R 1 6 0 R]>>/ParentTreeNextKey 2>>".into(),
            "<</Type/StructElem/S/Document/P 3 0 R/K[6 0 R]>>".into(),
            "<</Type/Page/Parent 2 0 R/Contents 9 0 R/StructParents 0/Annots[10 0 R]>>".into(),
            "<</Type/StructElem/S/P/P 4 0 R/K[0 <</Type/OBJR/Obj 10 0 R>>]/Pg 5 0 R>>".into(),
            "<</Unused true>>".into(),
            "[6 0 R]".into(),
            format!("<</Length {}>>\nstream\n{content}\nendstream", content.len()),
            "<</Type/Annot/Subtype/Link/Rect[0 0 10 10]/StructParent 1/A<</S/URI/URI(https://example.org)>>>>".into(),
        ];
        let objects: Vec<&[u8]> = objects.iter().map(|o| o.as_bytes()).collect();
        super::super::raw::sample(&objects)
    }

    #[test]
    fn what_goes_to_the_temporary_file_comes_back_the_same() {
        let stitch = |spill_from: usize| {
            let mut stitcher = Stitcher::new(&piece("one")).unwrap();
            stitcher.spill_from = spill_from;
            stitcher.push(&piece("two")).unwrap();
            stitcher.push(&piece("three")).unwrap();
            let spilled = stitcher.spilled;
            (stitcher.finish().unwrap(), spilled)
        };
        let (kept, none) = stitch(SPILL_FROM);
        let (spilled, some) = stitch(1);
        assert_eq!(none, 0);
        // Both later pieces went to the file, and the offsets count them.
        assert!(some > 0 && some < spilled.len(), "{some}");
        assert_eq!(spilled, kept);
        assert_eq!(
            lopdf::Document::load_mem(&spilled)
                .unwrap()
                .get_pages()
                .len(),
            3
        );
    }

    #[test]
    fn pieces_join_with_their_structure_links_and_streams() {
        let mut stitcher = Stitcher::new(&piece("one")).unwrap();
        stitcher.push(&piece("two")).unwrap();
        stitcher.push(&piece("three")).unwrap();
        let bytes = stitcher.finish().unwrap();
        let pdf = lopdf::Document::load_mem(&bytes).unwrap();
        let pages: Vec<ObjectId> = pdf.get_pages().into_values().collect();
        assert_eq!(pages.len(), 3);
        let root = pdf
            .catalog()
            .unwrap()
            .get(b"StructTreeRoot")
            .unwrap()
            .as_reference()
            .unwrap();
        let root = pdf.get_dictionary(root).unwrap();
        assert_eq!(root.get(b"ParentTreeNextKey").unwrap().as_i64().unwrap(), 6);
        let tree = pdf
            .get_dictionary(root.get(b"ParentTree").unwrap().as_reference().unwrap())
            .unwrap();
        // A leaf of the parent tree a piece, each with the keys it spans.
        let leaves: Vec<&Dictionary> = tree
            .get(b"Kids")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|l| pdf.get_dictionary(l.as_reference().unwrap()).unwrap())
            .collect();
        assert_eq!(leaves.len(), 3);
        let mut nums: Vec<Object> = Vec::new();
        for (k, leaf) in leaves.iter().enumerate() {
            let limits: Vec<i64> = leaf
                .get(b"Limits")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_i64().unwrap())
                .collect();
            assert_eq!(limits, [2 * k as i64, 2 * k as i64 + 1]);
            nums.extend(
                leaf.get(b"Nums")
                    .unwrap()
                    .as_array()
                    .unwrap()
                    .iter()
                    .cloned(),
            );
        }
        let keys: Vec<i64> = nums
            .iter()
            .step_by(2)
            .map(|k| k.as_i64().unwrap())
            .collect();
        assert_eq!(keys, [0, 1, 2, 3, 4, 5]);
        let document = match root.get(b"K").unwrap() {
            Object::Array(list) => list[0].as_reference().unwrap(),
            other => other.as_reference().unwrap(),
        };
        let kids = pdf
            .get_dictionary(document)
            .unwrap()
            .get(b"K")
            .unwrap()
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(kids.len(), 3);
        for (k, (kid, &page)) in kids.iter().zip(&pages).enumerate() {
            // The first piece's element hangs from the document element;
            // each later piece's from a `Div` of its own, which does.
            let (kid, parent) = if k == 0 {
                (kid.clone(), document)
            } else {
                let div = kid.as_reference().unwrap();
                let dict = pdf.get_dictionary(div).unwrap();
                assert_eq!(dict.get(b"S").unwrap().as_name().unwrap(), b"Div");
                assert_eq!(dict.get(b"P").unwrap().as_reference().unwrap(), document);
                let inner = dict.get(b"K").unwrap().as_array().unwrap();
                assert_eq!(inner.len(), 1);
                (inner[0].clone(), div)
            };
            let kid = &kid;
            let element = pdf.get_dictionary(kid.as_reference().unwrap()).unwrap();
            // Each element names its own page; its page's key and its
            // link's follow the pieces' before.
            assert_eq!(element.get(b"P").unwrap().as_reference().unwrap(), parent);
            assert_eq!(element.get(b"Pg").unwrap().as_reference().unwrap(), page);
            let page = pdf.get_dictionary(page).unwrap();
            assert_eq!(
                page.get(b"StructParents").unwrap().as_i64().unwrap(),
                2 * k as i64
            );
            let media: Vec<f32> = page
                .get(b"MediaBox")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_float().unwrap())
                .collect();
            assert_eq!(media, [0.0, 0.0, 100.0, 200.0], "the inherited box");
            let annot = page.get(b"Annots").unwrap().as_array().unwrap()[0]
                .as_reference()
                .unwrap();
            let annot = pdf.get_dictionary(annot).unwrap();
            assert_eq!(
                annot.get(b"StructParent").unwrap().as_i64().unwrap(),
                2 * k as i64 + 1
            );
            let pair = nums
                .chunks_exact(2)
                .find(|p| p[0].as_i64().unwrap() == 2 * k as i64 + 1)
                .unwrap();
            assert_eq!(&pair[1], kid, "the link's key leads to its element");
        }
        // Streams are copied as they were, text and all.
        let text = String::from_utf8_lossy(&bytes);
        for word in ["one", "two", "three"] {
            assert!(text.contains(&format!("BT ({word} 1 0 R) Tj ET")));
        }
        // What no page or element reaches is left out.
        assert!(!text.contains("/Unused"));
    }
}
