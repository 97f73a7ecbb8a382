//! A recipient list as CSV, TOML or JSON (the first byte picks which).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, bytes)) = data.split_first() else { return };
    let name = match kind % 3 {
        0 => "recipients.csv",
        1 => "recipients.toml",
        _ => "recipients.json",
    };
    if let Ok(list) = broadside::letters::recipients::parse(bytes, Path::new(name)) {
        for row in &list.rows {
            let _ = (row.name(), row.language(), list.place(row.line));
        }
    }
});
