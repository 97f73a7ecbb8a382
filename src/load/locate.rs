//! Where a key of a TOML statement is written. Problems found after parsing
//! name a key path (`signatories[3].name`); this finds the line and column of
//! that value in the file, so the message can show the line itself.

use toml_edit::{ImDocument, Item};

enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// `signatories[3].name` as signatories, 3, name.
fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let Some(end) = inner.find(']') else { break };
            if let Ok(i) = inner[..end].parse() {
                out.push(Step::Index(i));
            }
            rest = &inner[end + 1..];
        }
    }
    out
}

/// 1-based line and character column of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// The line and column of the value at `key` (what the tests read).
#[cfg(test)]
fn toml_position(text: &str, key: &str) -> Option<(usize, usize)> {
    toml_span(text, key).map(|span| line_column(text, span.start))
}

/// The bytes of the value at `key` in TOML `text`: as deep as the file has
/// it (a string signatory for `signatories[3].name`), or `None` when the
/// file does not parse or lacks even the first key.
pub fn toml_span(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let document = ImDocument::parse(text).ok()?;
    let mut item: &Item = document.as_item();
    let mut found = None;
    for step in steps(key) {
        let next = match step {
            Step::Key(k) => item.get(k),
            Step::Index(i) => item.get(i),
        };
        let Some(next) = next else { break };
        item = next;
        if let Some(span) = item.span() {
            found = Some(span);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::toml_position;

    #[test]
    fn finds_values_by_key_path() {
        let text = "title = \"T\"\nsignatories = [\"A\", \"Ё\"]\n\n[organisation]\naccent = \"#zzz\"\n\n[[quotes]]\nname = \"Q\"\n[[quotes]]\ntext = \"x\"\n";
        assert_eq!(toml_position(text, "title"), Some((1, 9)));
        assert_eq!(toml_position(text, "signatories[1].name"), Some((2, 21)));
        assert_eq!(toml_position(text, "organisation.accent"), Some((5, 10)));
        assert_eq!(toml_position(text, "quotes[1].text"), Some((10, 8)));
        assert_eq!(toml_position(text, "date"), None);
        assert_eq!(toml_position("not = = toml", "not"), None);
    }
}
