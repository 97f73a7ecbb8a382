//! A PDF read as the bytes of its objects, for stitching the pieces of a
//! long annex (`stitch.rs`) without parsing them whole.
//!
//! Parsing a piece of 2,500 entries into objects (lopdf) took 55 ms, most
//! of the stitching's time, to change a few dozen of its objects: the
//! pages, their links, the structure tree's top. Here the cross-reference
//! table says where each object is; the few objects the stitching changes
//! are parsed, and every other one is copied as written, its references
//! renumbered and its stream (if it has one) untouched.
//!
//! Only what a PDF writer such as Typst's writes is read: a classic
//! cross-reference table with one section, objects of generation 0, no
//! encryption. Anything else is an error, and the caller lays the annex out
//! whole.

use std::ops::Range;

use lopdf::{Dictionary, Object, StringFormat};

use crate::error::{Error, Result};

/// A PDF's objects as bytes, with its trailer parsed.
pub(crate) struct Raw<'a> {
    bytes: &'a [u8],
    /// Each object's bytes from its `N 0 obj` to the next object, by
    /// number (empty: no such object).
    spans: Vec<Range<usize>>,
    /// The trailer's dictionary.
    pub(crate) trailer: Dictionary,
}

/// An object's text up to its stream, and the references in it: where each
/// is in the text and the number it names.
pub(crate) struct Scanned<'a> {
    pub(crate) text: &'a [u8],
    pub(crate) references: Vec<(Range<usize>, u32)>,
    /// The rest of the object: its stream and `endobj`, copied as it is.
    pub(crate) rest: &'a [u8],
}

fn odd(what: &str) -> Error {
    Error::Internal(format!("a piece of the annex cannot be read: {what}"))
}

impl<'a> Raw<'a> {
    /// Reads the cross-reference table and the trailer of `bytes`.
    pub(crate) fn read(bytes: &'a [u8]) -> Result<Raw<'a>> {
        let tail = &bytes[bytes.len().saturating_sub(1024)..];
        let at = find_last(tail, b"startxref").ok_or_else(|| odd("no startxref"))?;
        let mut lexer = Lexer::new(&tail[at + 9..]);
        let Some(Token::Int(xref)) = lexer.token() else {
            return Err(odd("no cross-reference offset"));
        };
        let xref = usize::try_from(xref).map_err(|_| odd("a negative offset"))?;
        let section = bytes
            .get(xref..)
            .ok_or_else(|| odd("offset past the end"))?;
        let mut lexer = Lexer::new(section);
        if lexer.token() != Some(Token::Keyword(b"xref")) {
            return Err(odd("not a classic cross-reference table"));
        }
        let mut starts: Vec<(usize, u32)> = Vec::new();
        let mut size = 0usize;
        loop {
            match lexer.token() {
                Some(Token::Int(first)) => {
                    let Some(Token::Int(count)) = lexer.token() else {
                        return Err(odd("a cross-reference section without a count"));
                    };
                    let (first, count) = (first.max(0) as usize, count.max(0) as usize);
                    lexer.skip_space();
                    for k in 0..count {
                        let entry = section
                            .get(lexer.pos..lexer.pos + 20)
                            .ok_or_else(|| odd("a short cross-reference table"))?;
                        lexer.pos += 20;
                        let offset = digits(&entry[0..10]).ok_or_else(|| odd("an entry"))?;
                        let generation = digits(&entry[11..16]).ok_or_else(|| odd("an entry"))?;
                        if entry[17] == b'n' && (first + k) > 0 {
                            if generation != 0 {
                                return Err(odd("an object of a later generation"));
                            }
                            starts.push((offset, (first + k) as u32));
                        }
                    }
                    size = size.max(first + count);
                }
                Some(Token::Keyword(b"trailer")) => break,
                _ => {
                    return Err(odd(
                        "a cross-reference table that does not end in a trailer",
                    ));
                }
            }
        }
        let Object::Dictionary(trailer) = lexer.object()? else {
            return Err(odd("a trailer that is not a dictionary"));
        };
        if trailer.has(b"Prev") || trailer.has(b"Encrypt") || trailer.has(b"XRefStm") {
            return Err(odd("an updated or encrypted file"));
        }
        starts.sort_unstable();
        let mut spans = vec![0..0; size];
        for (k, &(start, number)) in starts.iter().enumerate() {
            let end = starts.get(k + 1).map_or(xref, |s| s.0);
            if start >= end || end > bytes.len() {
                return Err(odd("objects out of place"));
            }
            spans[number as usize] = start..end;
        }
        Ok(Raw {
            bytes,
            spans,
            trailer,
        })
    }

    /// One more than the highest object number.
    pub(crate) fn size(&self) -> u32 {
        self.spans.len() as u32
    }

    /// Whether object `number` is in the file.
    pub(crate) fn has(&self, number: u32) -> bool {
        self.spans
            .get(number as usize)
            .is_some_and(|s| !s.is_empty())
    }

    /// Object `number`'s body: after `N 0 obj`, to the next object.
    fn body(&self, number: u32) -> Result<&'a [u8]> {
        let span = self
            .spans
            .get(number as usize)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| odd(&format!("object {number} is missing")))?;
        let bytes = &self.bytes[span.clone()];
        let mut lexer = Lexer::new(bytes);
        match (lexer.token(), lexer.token(), lexer.token()) {
            (Some(Token::Int(n)), Some(Token::Int(0)), Some(Token::Keyword(b"obj")))
                if n == i64::from(number) =>
            {
                Ok(&bytes[lexer.pos..])
            }
            _ => Err(odd(&format!("object {number} is not where the table says"))),
        }
    }

    /// Object `number` parsed (only objects without a stream).
    pub(crate) fn object(&self, number: u32) -> Result<Object> {
        let mut lexer = Lexer::new(self.body(number)?);
        let object = lexer.object()?;
        match lexer.token() {
            Some(Token::Keyword(b"endobj")) => Ok(object),
            _ => Err(odd(&format!("object {number} is not a plain object"))),
        }
    }

    /// Object `number`'s dictionary, parsed.
    pub(crate) fn dictionary(&self, number: u32) -> Result<Dictionary> {
        match self.object(number)? {
            Object::Dictionary(dict) => Ok(dict),
            _ => Err(odd(&format!("object {number} is not a dictionary"))),
        }
    }

    /// Object `number`'s text and the references in it, up to its stream.
    pub(crate) fn scan(&self, number: u32) -> Result<Scanned<'a>> {
        let body = self.body(number)?;
        let mut lexer = Lexer::new(body);
        let mut references = Vec::new();
        // The last two tokens, when they were integers: where they began.
        let mut ints: [Option<(usize, i64)>; 2] = [None, None];
        loop {
            let start = {
                lexer.skip_space();
                lexer.pos
            };
            let token = lexer
                .token()
                .ok_or_else(|| odd(&format!("object {number} does not end")))?;
            match token {
                Token::Int(n) => {
                    ints = [ints[1], Some((start, n))];
                    continue;
                }
                Token::Keyword(b"R") => {
                    if let [Some((from, n)), Some((_, 0))] = ints {
                        let n = u32::try_from(n).map_err(|_| odd("a negative reference"))?;
                        references.push((from..lexer.pos, n));
                    } else {
                        return Err(odd(&format!("object {number} has an odd reference")));
                    }
                }
                Token::Keyword(b"stream") | Token::Keyword(b"endobj") => {
                    return Ok(Scanned {
                        text: &body[..start],
                        references,
                        rest: &body[start..],
                    });
                }
                _ => {}
            }
            ints = [None, None];
        }
    }
}

/// The number written in ASCII digits, if it is.
fn digits(bytes: &[u8]) -> Option<usize> {
    bytes.iter().try_fold(0usize, |n, &b| {
        b.is_ascii_digit()
            .then(|| n.checked_mul(10)?.checked_add(usize::from(b - b'0')))
            .flatten()
    })
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// A token of PDF syntax (ISO 32000-1, 7.2).
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Int(i64),
    Real(f32),
    /// A name, `#xx` decoded.
    Name(Vec<u8>),
    String(Vec<u8>, StringFormat),
    DictOpen,
    DictClose,
    ArrayOpen,
    ArrayClose,
    /// `true`, `obj`, `R`, `stream` and the like.
    Keyword(&'a [u8]),
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    b"()<>[]{}/%".contains(&b)
}

fn is_regular(b: u8) -> bool {
    !is_space(b) && !is_delimiter(b)
}

struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn new(bytes: &'a [u8]) -> Lexer<'a> {
        Lexer { bytes, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Past white space and comments.
    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_space(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn token(&mut self) -> Option<Token<'a>> {
        self.skip_space();
        let b = self.peek()?;
        self.pos += 1;
        Some(match b {
            b'[' => Token::ArrayOpen,
            b']' => Token::ArrayClose,
            b'<' if self.peek() == Some(b'<') => {
                self.pos += 1;
                Token::DictOpen
            }
            b'>' if self.peek() == Some(b'>') => {
                self.pos += 1;
                Token::DictClose
            }
            b'<' => Token::String(self.hex(), StringFormat::Hexadecimal),
            b'(' => Token::String(self.literal(), StringFormat::Literal),
            b'/' => Token::Name(self.name()),
            _ => {
                let start = self.pos - 1;
                while self.peek().is_some_and(is_regular) {
                    self.pos += 1;
                }
                let word = &self.bytes[start..self.pos];
                number(word).unwrap_or(Token::Keyword(word))
            }
        })
    }

    fn hex(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'>' {
                break;
            }
            let Some(v) = (b as char).to_digit(16) else {
                continue;
            };
            match high.take() {
                Some(h) => out.push(h << 4 | v as u8),
                None => high = Some(v as u8),
            }
        }
        // An odd last digit is followed by a 0 (7.3.4.3).
        if let Some(h) = high {
            out.push(h << 4);
        }
        out
    }

    fn literal(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut depth = 1;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        self.pos += 1;
                                        v = v * 8 + u32::from(d - b'0');
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        // A backslash at a line's end continues the string.
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                // A line end in a string is read as a line feed (7.3.4.2).
                b'\r' => {
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                    out.push(b'\n');
                }
                _ => out.push(b),
            }
        }
        out
    }

    fn name(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(b) = self.peek().filter(|&b| is_regular(b)) {
            self.pos += 1;
            if b == b'#' {
                let hex = self.bytes.get(self.pos..self.pos + 2);
                if let Some(v) = hex
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    self.pos += 2;
                    out.push(v);
                    continue;
                }
            }
            out.push(b);
        }
        out
    }

    /// One object: a reference is two integers and `R`.
    fn object(&mut self) -> Result<Object> {
        self.object_at(0)
    }

    fn object_at(&mut self, depth: usize) -> Result<Object> {
        if depth > 64 {
            return Err(odd("objects nested too deep"));
        }
        let token = self.token().ok_or_else(|| odd("an object ends early"))?;
        Ok(match token {
            Token::Int(n) => {
                let mark = self.pos;
                if let (Some(Token::Int(g)), Some(Token::Keyword(b"R"))) =
                    (self.token(), self.token())
                    && let (Ok(n), Ok(g)) = (u32::try_from(n), u16::try_from(g))
                {
                    return Ok(Object::Reference((n, g)));
                }
                self.pos = mark;
                Object::Integer(n)
            }
            Token::Real(r) => Object::Real(r),
            Token::Name(name) => Object::Name(name),
            Token::String(text, format) => Object::String(text, format),
            Token::ArrayOpen => {
                let mut list = Vec::new();
                loop {
                    let mark = self.pos;
                    if self.token() == Some(Token::ArrayClose) {
                        break;
                    }
                    self.pos = mark;
                    list.push(self.object_at(depth + 1)?);
                }
                Object::Array(list)
            }
            Token::DictOpen => {
                let mut dict = Dictionary::new();
                loop {
                    match self.token() {
                        Some(Token::DictClose) => break,
                        Some(Token::Name(key)) => {
                            let value = self.object_at(depth + 1)?;
                            dict.set(key, value);
                        }
                        _ => return Err(odd("a dictionary with a key that is not a name")),
                    }
                }
                Object::Dictionary(dict)
            }
            Token::Keyword(b"true") => Object::Boolean(true),
            Token::Keyword(b"false") => Object::Boolean(false),
            Token::Keyword(b"null") => Object::Null,
            _ => return Err(odd("an unexpected token")),
        })
    }
}

/// A number token, if `word` is one.
fn number(word: &[u8]) -> Option<Token<'static>> {
    let text = std::str::from_utf8(word).ok()?;
    let first = *word.first()?;
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return None;
    }
    if let Ok(n) = text.parse::<i64>() {
        return Some(Token::Int(n));
    }
    // PDF reals have no exponent: "1e5" is not a number.
    if word.iter().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    text.parse::<f32>().ok().map(Token::Real)
}

/// A PDF of `objects` (numbered from 1, the first the catalog) as a
/// writer such as Typst's writes it, for tests.
#[cfg(test)]
pub(super) fn sample(objects: &[&[u8]]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (k, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", k + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f\r\n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<</Size {}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &[u8]) -> Object {
        Lexer::new(text).object().unwrap()
    }

    #[test]
    fn objects_are_read_as_pdf_syntax_says() {
        let dict = parsed(
            b"<</Type/Page/Kids[1 0 R 22 0 R]/N -3/R .5/S(a\\(b\\)\\053\\\nc)/H<4142 3>/A#20B true/Z null>>",
        );
        let dict = dict.as_dict().unwrap();
        assert_eq!(dict.get(b"Type").unwrap().as_name().unwrap(), b"Page");
        assert_eq!(
            dict.get(b"Kids").unwrap().as_array().unwrap(),
            &vec![Object::Reference((1, 0)), Object::Reference((22, 0))]
        );
        assert_eq!(dict.get(b"N").unwrap(), &Object::Integer(-3));
        assert_eq!(dict.get(b"R").unwrap(), &Object::Real(0.5));
        assert_eq!(
            dict.get(b"S").unwrap(),
            &Object::String(b"a(b)+c".to_vec(), StringFormat::Literal)
        );
        assert_eq!(
            dict.get(b"H").unwrap(),
            &Object::String(b"AB0".to_vec(), StringFormat::Hexadecimal)
        );
        assert_eq!(dict.get(b"A B").unwrap(), &Object::Boolean(true));
        assert_eq!(dict.get(b"Z").unwrap(), &Object::Null);
        // Two integers not followed by R are two integers.
        assert_eq!(
            parsed(b"[1 2 3 0 R]"),
            Object::Array(vec![1.into(), 2.into(), Object::Reference((3, 0))])
        );
    }

    #[test]
    fn references_are_found_outside_strings_and_streams() {
        let bytes = sample(&[
            b"<</Type/Catalog/Pages 2 0 R/Lang(see 9 0 R)>>",
            b"<</Length 9/F 1 0 R>>\nstream\n3 0 R 4 0\nendstream",
        ]);
        let raw = Raw::read(&bytes).unwrap();
        assert_eq!(raw.size(), 3);
        assert_eq!(
            raw.trailer.get(b"Root").unwrap(),
            &Object::Reference((1, 0))
        );
        let first = raw.scan(1).unwrap();
        assert_eq!(first.references.len(), 1);
        let (at, number) = &first.references[0];
        assert_eq!((&first.text[at.clone()], *number), (b"2 0 R".as_slice(), 2));
        assert!(first.rest.starts_with(b"endobj"));
        let second = raw.scan(2).unwrap();
        assert_eq!(
            second.references.iter().map(|r| r.1).collect::<Vec<_>>(),
            [1]
        );
        assert!(second.rest.starts_with(b"stream\n3 0 R"));
        assert!(raw.object(2).is_err(), "a stream is not parsed");
        assert_eq!(
            raw.dictionary(1).unwrap().get(b"Lang").unwrap(),
            &Object::String(b"see 9 0 R".to_vec(), StringFormat::Literal)
        );
    }

    #[test]
    fn what_it_cannot_read_is_an_error() {
        assert!(Raw::read(b"%PDF-1.7\nnothing").is_err());
        let mut bytes = sample(&[b"<<>>"]);
        let at = bytes.windows(4).rposition(|w| w == b"xref").unwrap();
        bytes[at] = b'X';
        assert!(Raw::read(&bytes).is_err());
    }
}
