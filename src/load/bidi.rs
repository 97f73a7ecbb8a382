//! Bidirectional-text controls in the statement's text: names, titles and
//! roles, and the long texts too (body, about, translations, letters).
//!
//! A right-to-left override (U+202E) makes "Amnesty" print as "ytsenmA", and
//! an unpaired isolate lets one name's direction spill into the next. Names
//! come from web forms and pasted text, so broadside removes the controls that
//! can disguise text (embeddings and overrides, U+202A–U+202E, and isolates
//! that are not closed) and warns, naming the key. Balanced isolates
//! (U+2066–U+2069 in pairs) stay: they only keep a run's direction to itself.

use crate::error::Problem;
use crate::load::statement::Statement;

fn is_embedding_or_override(c: char) -> bool {
    // With them go the invisible spaces pasted text brings (zero-width
    // space, word joiner, byte-order mark): they print nothing, but break
    // searching and copying the name. Joiners (U+200C, U+200D) stay: Persian
    // and Arabic spelling needs them.
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}'
    )
}

fn is_isolate_opener(c: char) -> bool {
    matches!(c, '\u{2066}'..='\u{2068}')
}

const POP_ISOLATE: char = '\u{2069}';

/// The text without embeddings, overrides and unbalanced isolates; `None`
/// when there was nothing to remove.
pub fn clean(text: &str) -> Option<String> {
    if !text
        .chars()
        .any(|c| is_embedding_or_override(c) || is_isolate_opener(c) || c == POP_ISOLATE)
    {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut keep = vec![true; chars.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if is_embedding_or_override(c) {
            keep[i] = false;
        } else if is_isolate_opener(c) {
            open.push(i);
        } else if c == POP_ISOLATE && open.pop().is_none() {
            keep[i] = false;
        }
    }
    for i in open {
        keep[i] = false;
    }
    let out: String = chars
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c)
        .collect();
    (out != text).then_some(out)
}

/// Cleans every text field of a statement, returning a warning per field
/// changed. Skin-tone modifiers, which the monochrome emoji cannot show, are
/// taken off here too (see [`crate::load::emoji`]), as every field passes by.
pub fn sanitise(statement: &mut Statement) -> Vec<Problem> {
    let mut warnings = Vec::new();
    let mut fix = |key: String, text: &mut String| {
        if let Some(clean) = clean(text) {
            *text = clean;
            warnings.push(Problem {
                key: key.clone(),
                message: "held direction controls that can reverse or disguise the text (U+202A–U+202E, or an unclosed isolate), or invisible spaces (U+200B, U+2060, U+FEFF); they were removed".into(),
                hint: Some("check the text reads as intended; to mark a name's direction, wrap it in U+2068 … U+2069".into()),
                number: None,
            });
        }
        if let Some(plain) = crate::load::emoji::without_skin_tones(text) {
            *text = plain;
            warnings.push(Problem {
                key,
                message: "has emoji with skin-tone modifiers: emoji print in one colour, so the modifiers were left out (✊🏽 prints as ✊)".into(),
                hint: None,
                number: None,
            });
        }
    };
    // Every text, long ones too: an override there reverses whole
    // sentences, and before a tab and a combining mark it crashes Typst
    // 0.15's shaper.
    for (key, text) in statement.texts_mut() {
        fix(key, text);
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_and_unclosed_isolates_go_balanced_isolates_stay() {
        assert_eq!(clean("Amnesty"), None);
        assert_eq!(clean("\u{202E}Amnesty").as_deref(), Some("Amnesty"));
        assert_eq!(clean("A\u{2067}B").as_deref(), Some("AB"));
        assert_eq!(clean("A\u{2069}B").as_deref(), Some("AB"));
        // A text of nothing but a closing isolate is cleaned too.
        assert_eq!(clean("\u{2069}").as_deref(), Some(""));
        assert_eq!(clean("\u{2068}ОВД-Инфо\u{2069}"), None);
        assert_eq!(
            clean("OVD\u{200B}-Info\u{FEFF}").as_deref(),
            Some("OVD-Info")
        );
        assert_eq!(clean("می\u{200C}خواهند"), None);
    }

    #[test]
    fn every_text_of_a_statement_is_cleaned_and_each_change_named() {
        let toml = "title = \"Free \u{202E}them\"\ndate = 2026-10-30\nbody = \"We stand ✊🏽 together.\"\n\n\
                    [[signatories]]\nname = \"\u{202E}Amnesty\"\n\n[[signatories]]\nname = \"\u{2068}OVD-Info\u{2069}\"\n";
        let dir = std::path::Path::new("/nonexistent");
        let loaded = crate::load::load_str(
            toml,
            crate::load::Format::Toml,
            &dir.join("statement.toml"),
            dir,
        )
        .unwrap();
        let statement = &loaded.statement;
        assert_eq!(statement.title, "Free them");
        assert_eq!(statement.signatories[0].name, "Amnesty");
        assert_eq!(statement.signatories[1].name, "\u{2068}OVD-Info\u{2069}");
        assert!(statement.body.contains("We stand ✊ together."));
        let keys: Vec<&str> = loaded
            .warnings
            .iter()
            .filter(|w| w.message.contains("direction controls") || w.message.contains("skin-tone"))
            .map(|w| w.key.as_str())
            .collect();
        assert_eq!(keys, ["title", "body", "signatories[0].name"], "{keys:?}");
    }
}
