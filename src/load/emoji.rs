//! Emoji as broadside prints them: in one colour, from the bundled
//! monochrome Noto Emoji, like the text around them (they print on the black
//! plate). A skin-tone modifier (U+1F3FB–U+1F3FF) has nothing to show in one
//! colour and no glyph in that font, so it is taken off the emoji it follows
//! ("✊🏽" prints as "✊") and the statement is told.

/// Whether `c` is one of the five Fitzpatrick skin-tone modifiers.
pub fn is_skin_tone(c: char) -> bool {
    ('\u{1F3FB}'..='\u{1F3FF}').contains(&c)
}

/// The text without skin-tone modifiers; `None` when it had none.
pub fn without_skin_tones(text: &str) -> Option<String> {
    text.chars()
        .any(is_skin_tone)
        .then(|| text.chars().filter(|&c| !is_skin_tone(c)).collect())
}

#[cfg(test)]
mod tests {
    use super::without_skin_tones;

    #[test]
    fn modifiers_go_the_emoji_stays() {
        assert_eq!(
            without_skin_tones("✊🏽 Solidarity").as_deref(),
            Some("✊ Solidarity")
        );
        assert_eq!(without_skin_tones("👍🏿👍🏻").as_deref(), Some("👍👍"));
        assert_eq!(without_skin_tones("✊ Solidarity"), None);
    }
}
