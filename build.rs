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
//!
//! It also deflates the PDF/X output profile once, here, so that no build
//! spends the 6 to 9 ms it takes (the profile is 247 kB).

use std::io::Write;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let profile = "profiles/broadside-fogra39l.icc";
    println!("cargo:rerun-if-changed={profile}");
    let bytes = std::fs::read(profile).expect("the bundled output profile");
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&bytes).expect("deflate");
    let deflated = encoder.finish().expect("deflate");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("fogra39.icc.zz"), deflated).expect("write the deflated profile");
}
