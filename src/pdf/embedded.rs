//! Files embedded in a PDF: the signatory list that the annex and letters
//! carry as data, read back out (`broadside signatories annex.pdf`).

use lopdf::{Dictionary, Document, Object};

use crate::error::Result;

/// Every embedded file of a PDF, by name, in the order the PDF lists them.
pub fn files(bytes: &[u8], what: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let document = crate::pdf::join::parse(bytes, what)?;
    let mut out = Vec::new();
    let tree = document
        .catalog()
        .and_then(|c| c.get(b"Names"))
        .and_then(|n| resolve_dict(&document, n))
        .and_then(|n| n.get(b"EmbeddedFiles"))
        .and_then(|e| resolve_dict(&document, e));
    if let Ok(tree) = tree {
        walk(&document, tree, &mut out, 0);
    }
    Ok(out)
}

fn resolve_dict<'a>(document: &'a Document, object: &'a Object) -> lopdf::Result<&'a Dictionary> {
    match object {
        Object::Reference(id) => document.get_dictionary(*id),
        other => other.as_dict(),
    }
}

/// A name-tree node: leaves hold `Names` pairs, inner nodes `Kids`.
fn walk(document: &Document, node: &Dictionary, out: &mut Vec<(String, Vec<u8>)>, depth: usize) {
    if depth > 32 {
        return;
    }
    if let Ok(names) = node.get(b"Names").and_then(Object::as_array) {
        for pair in names.chunks(2) {
            let [name, spec] = pair else { continue };
            let Ok(name) = name
                .as_str()
                .map(|b| String::from_utf8_lossy(b).into_owned())
            else {
                continue;
            };
            let data = resolve_dict(document, spec)
                .and_then(|spec| spec.get(b"EF"))
                .and_then(|ef| resolve_dict(document, ef))
                .and_then(|ef| ef.get(b"F"))
                .and_then(Object::as_reference)
                .and_then(|id| document.get_object(id))
                .and_then(Object::as_stream)
                .map(|stream| {
                    stream
                        .decompressed_content()
                        .unwrap_or_else(|_| stream.content.clone())
                });
            if let Ok(data) = data {
                out.push((name, data));
            }
        }
    }
    if let Ok(kids) = node.get(b"Kids").and_then(Object::as_array) {
        for kid in kids {
            if let Ok(kid) = resolve_dict(document, kid) {
                walk(document, kid, out, depth + 1);
            }
        }
    }
}
