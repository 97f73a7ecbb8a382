//! The Markdown of a statement's texts: bounded by the limits check, then
//! parsed into the templates' blocks and back to plain text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if broadside::load::limits::check_markdown(text).is_none() {
        let blocks = broadside::load::markdown::parse(text);
        let _ = broadside::load::markdown::plain_text(&blocks);
    }
});
