//! Making sure every character of a statement has a glyph, before anything
//! is written: a name printed as empty boxes is worse than no document.

use std::collections::BTreeMap;

use crate::error::Problem;
use crate::set::fonts::Fonts;

/// Characters that no available font can draw, each with the keys it occurs in.
pub fn missing<'a>(
    fonts: &Fonts,
    texts: impl IntoIterator<Item = (String, &'a str)>,
) -> Vec<Problem> {
    let mut missing: BTreeMap<char, Vec<String>> = BTreeMap::new();
    let mut checked: BTreeMap<char, bool> = BTreeMap::new();
    for (key, text) in texts {
        for c in text.chars() {
            if c.is_whitespace() || c.is_control() || is_invisible(c) {
                continue;
            }
            let covered = *checked
                .entry(c)
                .or_insert_with(|| !fonts.families_covering(c).is_empty());
            if !covered {
                let keys = missing.entry(c).or_default();
                if !keys.contains(&key) {
                    keys.push(key.clone());
                }
            }
        }
    }
    // One problem per key, listing its characters, so a long Chinese name
    // is one line, not forty.
    let mut by_key: Vec<(String, Vec<char>)> = Vec::new();
    for (c, keys) in &missing {
        for key in keys {
            match by_key.iter_mut().find(|(k, _)| k == key) {
                Some((_, chars)) => chars.push(*c),
                None => by_key.push((key.clone(), vec![*c])),
            }
        }
    }
    by_key
        .into_iter()
        .map(|(key, chars)| {
            let listed: Vec<String> = chars.iter().map(|c| format!("'{c}' (U+{:04X})", *c as u32)).collect();
            let mut scripts: Vec<&str> = chars.iter().filter_map(|c| script_of(*c)).collect();
            scripts.sort_unstable();
            scripts.dedup();
            let hint = if scripts.is_empty() {
                "add a font that covers them with --font-dir DIR, or pass --allow-missing-glyphs to print them as boxes".to_owned()
            } else {
                format!(
                    "add a font that covers them with --font-dir DIR ({}), or pass --allow-missing-glyphs to print them as boxes",
                    scripts.join("; ")
                )
            };
            Problem { key, message: format!("no font has a glyph for {}", listed.join(", ")), hint: Some(hint), number: None }
        })
        .collect()
}

/// Format characters that are shaped, not drawn (joiners, direction marks,
/// the variation selectors that ask for an emoji's text or picture form).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}' | '\u{FE00}'..='\u{FE0F}')
}

/// Which script a character belongs to and a font that covers it, for hints.
fn script_of(c: char) -> Option<&'static str> {
    match c as u32 {
        0x1100..=0x11FF | 0xAC00..=0xD7AF => Some("Korean: e.g. Noto Sans CJK KR"),
        0x3040..=0x30FF => Some("Japanese: e.g. Noto Sans CJK JP"),
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => {
            Some("Chinese, Japanese or Korean: e.g. Noto Sans CJK or Noto Serif CJK")
        }
        0x0590..=0x05FF => Some("Hebrew: e.g. Noto Sans Hebrew"),
        0x0900..=0x097F => Some("Devanagari: e.g. Noto Sans Devanagari"),
        0x10A0..=0x10FF => Some("Georgian: e.g. Noto Sans Georgian"),
        0x0530..=0x058F => Some("Armenian: e.g. Noto Sans Armenian"),
        0x1F000..=0x1FAFF | 0x2600..=0x27BF => {
            Some("symbols and emoji beyond the bundled Noto Emoji 1.05: e.g. Noto Sans Symbols 2")
        }
        _ => None,
    }
}
