//! Links the `broadside` command as a fixed-address executable on Linux.
//!
//! A position-independent executable of this size (Typst, its fonts and
//! ICU's data) carries some 117,000 relocations that the loader applies at
//! every start, writing to 2 MB of pages: 2.5 ms and 600 page faults of a
//! 32 ms build (`broadside --version`: 4.3 ms as PIE, 1.5 ms without). The
//! stack, the heap and the shared libraries are still placed at random, and
//! broadside has no `unsafe` code. The library and the tests are unaffected.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
