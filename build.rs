//! The `broadside` command is linked as a position-independent executable,
//! the platform's default, on purpose: `broadside collect` serves a form to
//! the internet and `send` talks to mail servers, both through a bundled C
//! library (SQLite) and parsers of untrusted files, and full ASLR (the
//! program's own code and data at a random address too) is what makes a
//! memory-safety bug there hard to exploit. An earlier build linked with
//! `-no-pie` to skip the loader's relocations at start-up; what keeping PIE
//! costs is measured in docs/performance.md ("Start-up"). Packing the
//! relocations (`-z pack-relative-relocs`) was tried and saves nothing
//! measurable: the time goes to the pages the relocations write, not to
//! reading their table.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
}
