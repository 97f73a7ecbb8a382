//! Reading broadside's PDFs back, as a reader's software would.

use lopdf::{Document, Object, ObjectId};

/// A parsed PDF with helpers for the facts the tests check.
pub struct Pdf {
    pub doc: Document,
}

/// A rectangle in PDF points: left, bottom, right, top.
pub type Rect = [f64; 4];

impl Pdf {
    pub fn parse(bytes: &[u8]) -> Pdf {
        Pdf {
            doc: Document::load_mem(bytes).expect("broadside wrote a PDF that lopdf cannot read"),
        }
    }

    pub fn page_count(&self) -> usize {
        self.doc.get_pages().len()
    }

    fn page_id(&self, page: u32) -> ObjectId {
        *self.doc.get_pages().get(&page).expect("page exists")
    }

    /// A page box (MediaBox, TrimBox, ...) of a 1-based page, if set.
    pub fn page_box(&self, page: u32, name: &[u8]) -> Option<Rect> {
        let dict = self.doc.get_dictionary(self.page_id(page)).ok()?;
        let array = dict.get(name).ok()?;
        let array = match array {
            Object::Reference(id) => self.doc.get_object(*id).ok()?.as_array().ok()?,
            other => other.as_array().ok()?,
        };
        let numbers: Vec<f64> = array
            .iter()
            .map(|o| {
                o.as_float()
                    .map(f64::from)
                    .unwrap_or_else(|_| o.as_i64().unwrap_or(0) as f64)
            })
            .collect();
        Some([numbers[0], numbers[1], numbers[2], numbers[3]])
    }

    /// The text of one page, decoded through each font's ToUnicode map, in
    /// the order the content stream shows it (forms included). Pieces of
    /// text are joined as they sit on the page: directly where one ends
    /// where the next begins (a bold word and its full stop), with a space
    /// where there is a gap, with a line break where the baseline moves.
    pub fn page_text(&self, page: u32) -> String {
        let mut out = String::new();
        let mut last: Option<Run> = None;
        for run in self.runs(page) {
            if let Some(prev) = &last {
                let size = prev.size.max(run.size).max(1.0);
                if (run.y - prev.y).abs() > 0.3 * size {
                    out.push('\n');
                } else {
                    // Either way along the line: right to left runs follow
                    // each other leftwards.
                    let rightwards = run.x - (prev.x + prev.width);
                    let leftwards = prev.x - (run.x + run.width);
                    let gap = if rightwards.abs() <= leftwards.abs() {
                        rightwards
                    } else {
                        leftwards
                    };
                    if gap.abs() > 0.15 * size {
                        out.push(' ');
                    }
                }
            }
            out.push_str(&run.text);
            last = Some(run);
        }
        out.push('\n');
        out
    }

    fn resolve_dict<'a>(&'a self, object: &'a Object) -> &'a lopdf::Dictionary {
        match object {
            Object::Reference(id) => self.doc.get_dictionary(*id).expect("dictionary"),
            Object::Dictionary(d) => d,
            other => panic!("expected a dictionary, got {other:?}"),
        }
    }

    /// A form XObject's content and the resources it draws with (its own,
    /// else those of the page that shows it).
    fn form<'a>(
        &'a self,
        stream: &'a lopdf::Stream,
        resources: &'a lopdf::Dictionary,
    ) -> (Vec<u8>, &'a lopdf::Dictionary) {
        let inner = stream
            .dict
            .get(b"Resources")
            .ok()
            .map(|r| self.resolve_dict(r))
            .unwrap_or(resources);
        let content = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        (content, inner)
    }

    /// Every run of text a page shows (forms included), in content order,
    /// placed: where it starts and how wide it is, from the fonts' widths.
    pub fn runs(&self, page: u32) -> Vec<Run> {
        let id = self.page_id(page);
        let dict = self.doc.get_dictionary(id).expect("page dictionary");
        let resources = self.resolve_dict(dict.get(b"Resources").expect("page resources"));
        let content = self.doc.get_page_content(id).expect("page content");
        let mut out = Vec::new();
        self.place(&content, resources, IDENTITY, &mut out, 0, None);
        out
    }

    fn place(
        &self,
        content: &[u8],
        resources: &lopdf::Dictionary,
        base: Matrix,
        out: &mut Vec<Run>,
        depth: usize,
        outer: Option<i64>,
    ) {
        assert!(depth < 8, "forms nest too deeply");
        // The marked-content sequences open here, innermost last, with
        // their MCID when they have one.
        let mut marked: Vec<Option<i64>> = Vec::new();
        let ops = lopdf::content::Content::decode(content)
            .expect("content stream decodes")
            .operations;
        let fonts = resources.get(b"Font").ok().map(|f| self.resolve_dict(f));
        let number = |o: &Object| -> f64 {
            o.as_float()
                .map(f64::from)
                .unwrap_or_else(|_| o.as_i64().unwrap_or(0) as f64)
        };
        let mut ctm = base;
        let mut stack = Vec::new();
        let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
        let (mut size, mut leading) = (0.0, 0.0);
        let mut font: Option<(ToUnicode, Widths)> = None;
        for op in ops {
            let n = |i: usize| number(&op.operands[i]);
            match op.operator.as_str() {
                "BDC" => {
                    let mcid = op.operands.get(1).and_then(|o| match o {
                        Object::Dictionary(d) => d.get(b"MCID").and_then(Object::as_i64).ok(),
                        _ => None,
                    });
                    marked.push(mcid);
                }
                "BMC" => marked.push(None),
                "EMC" => {
                    marked.pop();
                }
                "q" => stack.push(ctm),
                "Q" => ctm = stack.pop().unwrap_or(base),
                "cm" => ctm = multiply([n(0), n(1), n(2), n(3), n(4), n(5)], ctm),
                "BT" => (tm, tlm) = (IDENTITY, IDENTITY),
                "Tm" => {
                    tm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    tlm = tm;
                }
                "Td" | "TD" => {
                    if op.operator == "TD" {
                        leading = -n(1);
                    }
                    tlm = multiply([1.0, 0.0, 0.0, 1.0, n(0), n(1)], tlm);
                    tm = tlm;
                }
                "TL" => leading = n(0),
                "T*" => {
                    tlm = multiply([1.0, 0.0, 0.0, 1.0, 0.0, -leading], tlm);
                    tm = tlm;
                }
                "Tf" => {
                    size = n(1);
                    let name = op.operands[0].as_name().expect("font name");
                    let dict = fonts
                        .and_then(|f| f.get(name).ok())
                        .map(|f| self.resolve_dict(f))
                        .expect("font resource");
                    font = Some((self.to_unicode(dict), self.widths(dict)));
                }
                "Tj" | "TJ" => {
                    let (map, widths) = font.as_ref().expect("text shown with a font");
                    let items = match &op.operands[0] {
                        Object::Array(items) => items.clone(),
                        other => vec![other.clone()],
                    };
                    let start = multiply(tm, ctm);
                    let mut text = String::new();
                    let mut advance = 0.0;
                    for item in items {
                        match item {
                            Object::String(bytes, _) => {
                                text.push_str(&map.decode(&bytes));
                                for pair in bytes.chunks(2) {
                                    let code =
                                        u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
                                    advance += widths.of(code) / 1000.0 * size;
                                }
                            }
                            other => advance -= number(&other) / 1000.0 * size,
                        }
                    }
                    tm = multiply([1.0, 0.0, 0.0, 1.0, advance, 0.0], tm);
                    let end = multiply(tm, ctm);
                    out.push(Run {
                        x: start[4],
                        y: start[5],
                        size: size * (start[2] * start[2] + start[3] * start[3]).sqrt(),
                        width: end[4] - start[4],
                        text,
                        mcid: marked.iter().rev().find_map(|m| *m).or(outer),
                    });
                }
                "Do" => {
                    let name = op.operands[0].as_name().expect("xobject name");
                    let Some(stream) = resources
                        .get(b"XObject")
                        .ok()
                        .map(|x| self.resolve_dict(x))
                        .and_then(|x| x.get(name).ok())
                        .and_then(|o| o.as_reference().ok())
                        .and_then(|id| self.doc.get_object(id).ok())
                        .and_then(|o| o.as_stream().ok())
                    else {
                        continue;
                    };
                    if stream.dict.get(b"Subtype").and_then(Object::as_name).ok()
                        != Some(b"Form".as_slice())
                    {
                        continue;
                    }
                    let matrix = stream
                        .dict
                        .get(b"Matrix")
                        .ok()
                        .and_then(|m| m.as_array().ok())
                        .map(|m| {
                            let v: Vec<f64> = m.iter().map(number).collect();
                            [v[0], v[1], v[2], v[3], v[4], v[5]]
                        })
                        .unwrap_or(IDENTITY);
                    let (content, inner) = self.form(stream, resources);
                    self.place(
                        &content,
                        inner,
                        multiply(matrix, ctm),
                        out,
                        depth + 1,
                        marked.iter().rev().find_map(|m| *m).or(outer),
                    );
                }
                _ => {}
            }
        }
    }

    fn to_unicode(&self, font: &lopdf::Dictionary) -> ToUnicode {
        let id = font
            .get(b"ToUnicode")
            .and_then(Object::as_reference)
            .expect("a font with a ToUnicode map");
        let stream = self
            .doc
            .get_object(id)
            .and_then(Object::as_stream)
            .expect("ToUnicode stream");
        ToUnicode::parse(
            &stream
                .decompressed_content()
                .unwrap_or_else(|_| stream.content.clone()),
        )
    }

    /// A Type0 font's glyph widths, from its descendant's W array.
    fn widths(&self, font: &lopdf::Dictionary) -> Widths {
        let resolve = |o: &Object| -> Object {
            match o {
                Object::Reference(id) => self.doc.get_object(*id).cloned().unwrap_or(Object::Null),
                other => other.clone(),
            }
        };
        let mut widths = Widths {
            map: std::collections::HashMap::new(),
            default: 1000.0,
        };
        let Some(descendant) = font
            .get(b"DescendantFonts")
            .ok()
            .map(&resolve)
            .and_then(|d| d.as_array().ok().and_then(|a| a.first().map(&resolve)))
        else {
            return widths;
        };
        let Ok(descendant) = descendant.as_dict() else {
            return widths;
        };
        let number = |o: &Object| -> f64 {
            o.as_float()
                .map(f64::from)
                .unwrap_or_else(|_| o.as_i64().unwrap_or(0) as f64)
        };
        if let Ok(dw) = descendant.get(b"DW") {
            widths.default = number(dw);
        }
        let Some(Object::Array(items)) = descendant.get(b"W").ok().map(&resolve) else {
            return widths;
        };
        let mut i = 0;
        while i + 1 < items.len() {
            let first = number(&items[i]) as u16;
            match resolve(&items[i + 1]) {
                Object::Array(ws) => {
                    for (k, w) in ws.iter().enumerate() {
                        widths.map.insert(first + k as u16, number(w));
                    }
                    i += 2;
                }
                last => {
                    let w = number(&items[i + 2]);
                    for code in first..=(number(&last) as u16) {
                        widths.map.insert(code, w);
                    }
                    i += 3;
                }
            }
        }
        widths
    }

    /// The text of every page, in order.
    pub fn text(&self) -> String {
        let pages: Vec<u32> = self.doc.get_pages().keys().copied().collect();
        pages
            .iter()
            .map(|p| self.page_text(*p))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The text in the order of the tagged structure (what a screen reader
    /// reads): the structure tree walked depth first, each marked-content
    /// reference replaced by the text its runs show, one per line. Text
    /// outside the tree (headers, footers: artifacts) is left out.
    pub fn tagged_text(&self) -> String {
        let catalog = self.doc.catalog().expect("a catalog");
        let root = catalog
            .get(b"StructTreeRoot")
            .map(|o| self.resolve_dict(o))
            .expect("a tagged PDF has a structure tree");
        let pages: std::collections::HashMap<ObjectId, u32> = self
            .doc
            .get_pages()
            .into_iter()
            .map(|(n, id)| (id, n))
            .collect();
        let mut order: Vec<(u32, i64)> = Vec::new();
        if let Ok(k) = root.get(b"K") {
            self.walk_structure(k, None, &pages, &mut order, 0);
        }
        let mut runs: std::collections::HashMap<u32, Vec<Run>> = Default::default();
        let mut out = String::new();
        for (page, mcid) in order {
            let page_runs = runs.entry(page).or_insert_with(|| self.runs(page));
            let text: String = page_runs
                .iter()
                .filter(|r| r.mcid == Some(mcid))
                .map(|r| r.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            if !text.trim().is_empty() {
                out.push_str(text.trim());
                out.push('\n');
            }
        }
        out
    }

    /// What is wrong with the parent tree, the map a reader follows from
    /// marked content on a page back to its structure element: every page
    /// with tagged runs has a key of its own, and each of its marked-content
    /// ids leads to an element on that page that holds the id.
    pub fn parent_tree_problems(&self) -> Vec<String> {
        let root = self
            .doc
            .catalog()
            .and_then(|c| c.get(b"StructTreeRoot"))
            .map(|o| self.resolve_dict(o).clone())
            .expect("a tagged PDF has a structure tree");
        let tree = root
            .get(b"ParentTree")
            .map(|o| self.resolve_dict(o).clone())
            .expect("a parent tree");
        let mut nums: Vec<(i64, Object)> = Vec::new();
        let mut nodes = vec![tree];
        while let Some(node) = nodes.pop() {
            if let Ok(list) = node.get(b"Nums").and_then(Object::as_array) {
                for pair in list.chunks_exact(2) {
                    nums.push((pair[0].as_i64().expect("a number key"), pair[1].clone()));
                }
            }
            if let Ok(kids) = node.get(b"Kids").and_then(Object::as_array) {
                nodes.extend(kids.iter().map(|k| self.resolve_dict(k).clone()));
            }
        }
        let mut problems = Vec::new();
        let next = root
            .get(b"ParentTreeNextKey")
            .and_then(Object::as_i64)
            .unwrap_or(i64::MAX);
        let mut keys = std::collections::HashMap::new();
        for (key, value) in &nums {
            if keys.insert(*key, value.clone()).is_some() {
                problems.push(format!("key {key} is in the parent tree twice"));
            }
            if *key >= next {
                problems.push(format!("key {key} is past ParentTreeNextKey {next}"));
            }
        }
        let mut used = std::collections::HashSet::new();
        for (page, id) in self.doc.get_pages() {
            let mcids: std::collections::BTreeSet<i64> =
                self.runs(page).iter().filter_map(|r| r.mcid).collect();
            if mcids.is_empty() {
                continue;
            }
            let Ok(key) = self
                .doc
                .get_dictionary(id)
                .and_then(|d| d.get(b"StructParents"))
                .and_then(Object::as_i64)
            else {
                problems.push(format!("page {page} has tagged text and no StructParents"));
                continue;
            };
            if !used.insert(key) {
                problems.push(format!("page {page} shares key {key} with another page"));
            }
            let Some(list) = keys.get(&key).map(|v| match v {
                Object::Reference(r) => self.doc.get_object(*r).expect("an object").clone(),
                other => other.clone(),
            }) else {
                problems.push(format!("page {page}'s key {key} is not in the parent tree"));
                continue;
            };
            let list = list.as_array().cloned().unwrap_or_default();
            for mcid in mcids {
                let Some(Object::Reference(element)) = list.get(mcid as usize) else {
                    problems.push(format!("page {page}: marked content {mcid} has no element"));
                    continue;
                };
                let Ok(element) = self.doc.get_dictionary(*element) else {
                    problems.push(format!(
                        "page {page}: marked content {mcid}'s element is missing"
                    ));
                    continue;
                };
                let on_page = element.get(b"Pg").and_then(Object::as_reference).ok() == Some(id);
                let kids = match element.get(b"K") {
                    Ok(Object::Array(kids)) => kids.clone(),
                    Ok(other) => vec![other.clone()],
                    Err(_) => Vec::new(),
                };
                let holds = kids.iter().any(|k| match k {
                    Object::Integer(m) => *m == mcid && on_page,
                    Object::Dictionary(d) => {
                        d.get(b"MCID").and_then(Object::as_i64).ok() == Some(mcid)
                            && (d.get(b"Pg").and_then(Object::as_reference).ok() == Some(id)
                                || on_page)
                    }
                    _ => false,
                });
                if !holds {
                    problems.push(format!(
                        "page {page}: marked content {mcid} leads to an element that does not hold it"
                    ));
                }
            }
        }
        problems
    }

    fn walk_structure(
        &self,
        k: &Object,
        page: Option<u32>,
        pages: &std::collections::HashMap<ObjectId, u32>,
        out: &mut Vec<(u32, i64)>,
        depth: usize,
    ) {
        assert!(depth < 200, "the structure tree nests too deeply");
        let page_of = |d: &lopdf::Dictionary| {
            d.get(b"Pg")
                .and_then(Object::as_reference)
                .ok()
                .and_then(|id| pages.get(&id).copied())
        };
        match k {
            Object::Integer(mcid) => {
                if let Some(page) = page {
                    out.push((page, *mcid));
                }
            }
            Object::Array(items) => {
                for item in items {
                    self.walk_structure(item, page, pages, out, depth + 1);
                }
            }
            Object::Reference(id) => {
                if let Ok(object) = self.doc.get_object(*id) {
                    let object = object.clone();
                    self.walk_structure(&object, page, pages, out, depth + 1);
                }
            }
            Object::Dictionary(d) => {
                let page = page_of(d).or(page);
                let kind = d.get(b"Type").and_then(Object::as_name).ok();
                if kind == Some(b"MCR".as_slice()) {
                    if let (Some(page), Ok(mcid)) = (page, d.get(b"MCID").and_then(Object::as_i64))
                    {
                        out.push((page, mcid));
                    }
                } else if kind != Some(b"OBJR".as_slice())
                    && let Ok(children) = d.get(b"K")
                {
                    self.walk_structure(children, page, pages, out, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// Every font dictionary: (base font name, whether its program is embedded).
    pub fn fonts(&self) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        for object in self.doc.objects.values() {
            let Ok(dict) = object.as_dict() else { continue };
            let is_descriptor = dict.get(b"Type").ok().and_then(|t| t.as_name().ok())
                == Some(b"FontDescriptor".as_slice());
            if !is_descriptor {
                continue;
            }
            let name = dict
                .get(b"FontName")
                .ok()
                .and_then(|n| n.as_name().ok())
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_default();
            let embedded = [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"]
                .iter()
                .any(|k| dict.has(k));
            out.push((name, embedded));
        }
        out.sort();
        out
    }

    /// How many image XObjects the file holds.
    pub fn image_count(&self) -> usize {
        self.doc
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .filter(|s| {
                s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image".as_slice())
            })
            .count()
    }

    /// Whether any colour space of the file names `name` (a Separation's colorant).
    pub fn uses_colour_space(&self, name: &str) -> bool {
        self.doc.objects.values().any(|o| match o {
            Object::Array(items) => {
                items.first().and_then(|f| f.as_name().ok()) == Some(b"Separation".as_slice())
                    && items
                        .get(1)
                        .and_then(|n| n.as_name().ok())
                        .is_some_and(|n| n == name.as_bytes())
            }
            _ => false,
        })
    }

    /// Every colour-setting operation of a page's content (forms included):
    /// operator and operands.
    pub fn colour_operations(&self, page: u32) -> Vec<(String, Vec<f32>)> {
        let mut out = Vec::new();
        let id = self.page_id(page);
        let content = self.doc.get_page_content(id).expect("page content");
        let mut streams = vec![content];
        for object in self.doc.objects.values() {
            if let Ok(stream) = object.as_stream()
                && stream.dict.get(b"Subtype").and_then(Object::as_name).ok()
                    == Some(b"Form".as_slice())
            {
                streams.push(
                    stream
                        .decompressed_content()
                        .unwrap_or_else(|_| stream.content.clone()),
                );
            }
        }
        for bytes in streams {
            let Ok(content) = lopdf::content::Content::decode(&bytes) else {
                continue;
            };
            for op in content.operations {
                if matches!(
                    op.operator.as_str(),
                    "rg" | "RG" | "k" | "K" | "g" | "G" | "sc" | "SC" | "scn" | "SCN" | "cs" | "CS"
                ) {
                    let values = op
                        .operands
                        .iter()
                        .filter_map(|o| o.as_float().ok())
                        .collect();
                    out.push((op.operator.clone(), values));
                }
            }
        }
        out
    }

    /// A value from the document information dictionary, or the XMP metadata.
    pub fn info(&self, key: &[u8]) -> Option<String> {
        let info = self.doc.trailer.get(b"Info").ok()?;
        let dict = match info {
            Object::Reference(id) => self.doc.get_dictionary(*id).ok()?,
            Object::Dictionary(d) => d,
            _ => return None,
        };
        let value = dict.get(key).ok()?;
        match value {
            Object::String(bytes, _) => Some(decode_pdf_string(bytes)),
            _ => None,
        }
    }
}

/// A PDF text string: UTF-16 with its byte-order mark, or PDFDocEncoding
/// (read as Latin-1, enough for a test).
pub fn decode_pdf_string(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

/// Text with all white space removed: PDF text runs do not always carry the
/// spaces between words, so comparisons ignore them.
pub fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Asserts that every needle occurs in `haystack`, in the given order,
/// exactly as written: case counts, and so do spaces (each run of white
/// space, a line break included, reads as one space), so a name printed
/// in the wrong case or with its words run together fails.
pub fn assert_in_order(haystack: &str, needles: &[&str]) {
    let hay = spaced(haystack);
    let mut from = 0;
    for needle in needles {
        let n = spaced(needle);
        match hay[from..].find(&n) {
            Some(at) => from += at + n.len(),
            None => panic!(
                "`{needle}` is missing, or out of order, in the PDF text:\n{}",
                &haystack.chars().take(3000).collect::<String>()
            ),
        }
    }
}

/// Text with each run of white space made one space.
pub fn spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A count as the English documents print it: 9,940.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Asserts that every run of text on `page` lies at least 10 mm inside the
/// trim on all four sides (from the baseline: a descender below it,
/// capitals above); returns how many runs it read and the widest's width.
pub fn clear_of_the_trim(pdf: &Pdf, page: u32, what: &str) -> (usize, f64) {
    let [x0, y0, x1, y1] = pdf.page_box(page, b"TrimBox").expect("a TrimBox");
    let margin = mm(10.0);
    let runs: Vec<Run> = pdf
        .runs(page)
        .into_iter()
        .filter(|r| !r.text.trim().is_empty())
        .collect();
    assert!(!runs.is_empty(), "{what}: page {page} shows no text");
    let mut widest: f64 = 0.0;
    for run in &runs {
        let (bottom, top) = (run.y - 0.25 * run.size, run.y + 0.8 * run.size);
        let place = format!("{what}, page {page}, `{}`", run.text);
        assert!(
            run.x >= x0 + margin - 0.5,
            "{place}: {:.1} mm from the left trim",
            (run.x - x0) / mm(1.0)
        );
        assert!(
            run.x + run.width <= x1 - margin + 0.5,
            "{place}: {:.1} mm from the right trim",
            (x1 - run.x - run.width) / mm(1.0)
        );
        assert!(
            bottom >= y0 + margin - 0.5,
            "{place}: {:.1} mm from the bottom trim",
            (bottom - y0) / mm(1.0)
        );
        assert!(
            top <= y1 - margin + 0.5,
            "{place}: {:.1} mm from the top trim",
            (y1 - top) / mm(1.0)
        );
        widest = widest.max(run.width);
    }
    (runs.len(), widest)
}

/// Millimetres to PDF points.
pub fn mm(v: f64) -> f64 {
    v * 72.0 / 25.4
}

pub fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 0.05,
        "{what}: {actual} pt, expected {expected} pt"
    );
}

/// A run of shown text: its start on the page (points from the bottom
/// left), its font size, its width and its text.
#[derive(Debug, Clone)]
pub struct Run {
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub width: f64,
    pub text: String,
    /// The marked-content id the run is tagged with (none for artifacts).
    pub mcid: Option<i64>,
}

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b`, as PDF matrices compose.
fn multiply(a: Matrix, b: Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

/// Glyph widths in thousandths of the font size.
struct Widths {
    map: std::collections::HashMap<u16, f64>,
    default: f64,
}

impl Widths {
    fn of(&self, code: u16) -> f64 {
        self.map.get(&code).copied().unwrap_or(self.default)
    }
}

/// A font's ToUnicode map: two-byte glyph codes to text.
struct ToUnicode {
    map: std::collections::HashMap<u16, String>,
}

impl ToUnicode {
    fn parse(cmap: &[u8]) -> ToUnicode {
        let text = String::from_utf8_lossy(cmap);
        let mut map = std::collections::HashMap::new();
        let hex = |s: &str| -> Vec<u16> {
            let digits = s.trim_matches(|c| c == '<' || c == '>');
            (0..digits.len() / 4)
                .map(|i| u16::from_str_radix(&digits[i * 4..i * 4 + 4], 16).expect("hex"))
                .collect()
        };
        let mut section = "";
        for line in text.lines() {
            let line = line.trim();
            if line.ends_with("beginbfchar") {
                section = "char";
                continue;
            }
            if line.ends_with("beginbfrange") {
                section = "range";
                continue;
            }
            if line.starts_with("end") {
                section = "";
                continue;
            }
            let tokens: Vec<&str> = line.split_whitespace().collect();
            match (section, tokens.as_slice()) {
                ("char", [code, value]) => {
                    map.insert(hex(code)[0], String::from_utf16_lossy(&hex(value)));
                }
                ("range", [low, high, value]) if value.starts_with('<') => {
                    let (low, high, start) = (hex(low)[0], hex(high)[0], hex(value));
                    for (offset, code) in (low..=high).enumerate() {
                        let mut units = start.clone();
                        if let Some(last) = units.last_mut() {
                            *last += offset as u16;
                        }
                        map.insert(code, String::from_utf16_lossy(&units));
                    }
                }
                _ => {}
            }
        }
        ToUnicode { map }
    }

    fn decode(&self, bytes: &[u8]) -> String {
        bytes
            .chunks(2)
            .map(|pair| {
                let code = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
                self.map
                    .get(&code)
                    .cloned()
                    .unwrap_or_else(|| "\u{FFFD}".into())
            })
            .collect()
    }
}
