//! A letter pasted as plain text: import must not panic, must write TOML
//! that parses, and every name it writes must be in the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let imported = broadside::load::import::import(text, (2026, 12, 1));
    let value: toml::Value = toml::from_str(&imported.toml).expect("import writes TOML that parses");
    if let Some(list) = value.get("signatories").and_then(toml::Value::as_array) {
        for s in list {
            if let Some(name) = s.get("name").and_then(toml::Value::as_str) {
                let first = name.split(", ").next().unwrap_or(name);
                assert!(text.contains(first), "`{name}` is not in the text");
            }
        }
    }
});
