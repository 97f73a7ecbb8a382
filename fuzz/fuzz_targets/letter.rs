//! A letter template (Markdown with minijinja placeholders) filled for a
//! recipient whose fields are arbitrary too: compiled, rendered under the
//! fuel bound, its file name made safe; an error is fine, a panic or a hang
//! is not.
#![no_main]

use std::path::Path;

use broadside::letters::mailmerge::{DEFAULT_FILE_NAME, LetterTexts, Merger, safe_file_name};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The letter, then the recipient's name, split at the first NUL.
    let (letter, name) = text.split_once('\0').unwrap_or((text, "Jane Doe"));
    let letters = LetterTexts::from_text(Path::new("letter.md"), letter);
    let Ok(merger) = Merger::new(&letters, Some(letter), DEFAULT_FILE_NAME) else { return };
    let context = minijinja::context! {
        recipient => minijinja::context! { name => name, title => name, row => 1 },
        name => name,
        row => 1,
        statement => minijinja::context! { title => "T", signatories => minijinja::context! { count => 3 } },
    };
    let _ = merger.body(letters.for_language(None), &context);
    let _ = merger.subject(&context);
    if let Ok(file) = merger.file_name(&context) {
        let safe = safe_file_name(&file);
        assert!(!safe.contains('/') && !safe.starts_with('.'), "unsafe file name {safe:?}");
    }
});
