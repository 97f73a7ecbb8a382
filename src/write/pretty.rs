//! The statement's data indented for people, as the exported project gives
//! it. broadside keeps the data compact (at 100,000 names the indented text
//! is twice the size, 22 MB against 11 MB, held for the whole build) and
//! indents it only when a designer is to read it.

/// `compact` JSON (as `serde_json::to_vec` writes it: no space outside
/// strings) indented by two spaces a level, as `serde_json::to_vec_pretty`
/// writes the same value.
pub(crate) fn indent(compact: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.resize(out.len() + 2 * depth, b' ');
    };
    let mut bytes = compact.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        if in_string {
            out.push(b);
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                out.push(b);
            }
            b'{' | b'[' => {
                out.push(b);
                // An empty object or array stays on its line.
                if let Some(&close @ (b'}' | b']')) = bytes.peek() {
                    out.push(close);
                    bytes.next();
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(b);
            }
            b',' => {
                out.push(b);
                newline(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            _ => out.push(b),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_as_serde_json_does() {
        let value = serde_json::json!({
            "empty": {}, "none": [], "n": [1, -2.5, null, true],
            "s": "a \"quoted\" {[,:]} back\\slash \\\" é",
            "nested": {"a": [{"b": []}, {}], "c": {"d": "e"}},
        });
        let compact = serde_json::to_vec(&value).unwrap();
        let pretty = serde_json::to_vec_pretty(&value).unwrap();
        assert_eq!(
            String::from_utf8(indent(&compact)).unwrap(),
            String::from_utf8(pretty).unwrap()
        );
    }
}
