//! A statement in JSON: read, checked and resolved into the templates' data
//! (words, dates, Markdown, counts), or refused with an error; never a
//! panic, a hang or a file read (its folder does not exist).
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use broadside::resolve::data::Layout;
use broadside::load::{self, Format};
use libfuzzer_sys::fuzz_target;

static ENGINE: LazyLock<broadside::Engine> =
    LazyLock::new(broadside::Engine::new);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let nowhere = Path::new("/nonexistent-broadside-fuzz");
    if let Ok(loaded) = load::load_str(text, Format::Json, Path::new("fuzz.json"), nowhere) {
        let _ = ENGINE.prepare(&loaded.statement, &Layout::default());
        let _ = ENGINE.missing_glyphs(&loaded.statement);
    }
});
