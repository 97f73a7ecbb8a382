//! The fonts broadside lays out with.
//!
//! The bundled families are compiled into the binary, so a document looks the
//! same on every machine and no system font is ever consulted. Their metadata
//! (the font book) is read from `fonts/book.json`, computed ahead (a test
//! checks it against the fonts); a face's full data is parsed only when a
//! document first uses it. `--font-dir` adds more faces, such as
//! CJK fonts, after the bundled ones.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontSource, FontStore};

use crate::error::{Error, Result};

/// A font file compiled into the binary.
struct Bundled {
    file: &'static str,
    data: &'static [u8],
}

macro_rules! bundled {
    ($($file:literal),* $(,)?) => {
        &[$(Bundled { file: $file, data: include_bytes!(concat!("../../fonts/", $file)) }),*]
    };
}

/// Every bundled face. Licences: `fonts/OFL-*.txt`.
static BUNDLED: &[Bundled] = bundled![
    "NotoSerif-Regular.ttf",
    "NotoSerif-Italic.ttf",
    "NotoSerif-Bold.ttf",
    "NotoSerif-BoldItalic.ttf",
    "Inter-Regular.otf",
    "Inter-Italic.otf",
    "Inter-SemiBold.otf",
    "Inter-Bold.otf",
    "Inter-Black.otf",
    "InterDisplay-Black.otf",
    "NotoNaskhArabic-Regular.ttf",
    "NotoNaskhArabic-Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
    // Monochrome emoji and pictographs (✊ ✌ 📢 ❤ ☮ …), one colour like the
    // text, so they print on the black plate; after the text fonts, so only
    // what those lack falls back to it.
    "NotoEmoji-Regular.ttf",
];

/// The licences of the bundled fonts (SIL Open Font License 1.1).
static LICENCES: &[(&str, &str)] = &[
    ("OFL-Inter.txt", include_str!("../../fonts/OFL-Inter.txt")),
    ("OFL-Noto.txt", include_str!("../../fonts/OFL-Noto.txt")),
    (
        "OFL-NotoEmoji.txt",
        include_str!("../../fonts/OFL-NotoEmoji.txt"),
    ),
];

/// The bundled faces' metadata: read from `fonts/book.json`, which saves
/// every process reading the fonts' tables, CPU spent before anything else
/// can start. Should the file not match the fonts, it is computed.
static BUNDLED_INFO: LazyLock<Vec<(usize, u32, FontInfo)>> =
    LazyLock::new(|| precomputed_info().unwrap_or_else(computed_info));

/// One face in `fonts/book.json`: its file, its index in the file and its
/// metadata.
#[derive(serde::Serialize, serde::Deserialize)]
struct BookEntry {
    file: String,
    index: u32,
    info: FontInfo,
}

/// The book as `fonts/book.json` holds it, if it names every bundled file in
/// order.
fn precomputed_info() -> Option<Vec<(usize, u32, FontInfo)>> {
    let entries: Vec<BookEntry> =
        serde_json::from_str(include_str!("../../fonts/book.json")).ok()?;
    let infos: Vec<(usize, u32, FontInfo)> = entries
        .into_iter()
        .map(|e| {
            let file = BUNDLED.iter().position(|b| b.file == e.file)?;
            Some((file, e.index, e.info))
        })
        .collect::<Option<_>>()?;
    let files: Vec<usize> = infos.iter().map(|(file, _, _)| *file).collect();
    (files == (0..BUNDLED.len()).collect::<Vec<_>>()).then_some(infos)
}

/// Every bundled face's metadata, read from the fonts themselves.
fn computed_info() -> Vec<(usize, u32, FontInfo)> {
    BUNDLED
        .iter()
        .enumerate()
        .flat_map(|(i, b)| {
            FontInfo::iter(b.data)
                .enumerate()
                .map(move |(index, info)| (i, index as u32, info))
        })
        .collect()
}

/// A bundled face, loaded from the binary's own bytes without copying.
struct BundledFace {
    data: &'static [u8],
    index: u32,
}

impl FontSource for BundledFace {
    fn load(&self) -> Option<Font> {
        Font::new(Bytes::new(self.data), self.index)
    }
}

/// The fonts available to documents, shared by every compilation.
pub struct Fonts {
    store: FontStore,
    added: Vec<PathBuf>,
}

impl Fonts {
    /// The bundled fonts only.
    pub fn bundled() -> Fonts {
        let mut store = FontStore::new();
        for (file, index, info) in BUNDLED_INFO.iter() {
            store.push((
                BundledFace {
                    data: BUNDLED[*file].data,
                    index: *index,
                },
                info.clone(),
            ));
        }
        Fonts {
            store,
            added: Vec::new(),
        }
    }

    /// The bundled fonts plus every font file found in `dirs` (searched recursively).
    pub fn with_dirs(dirs: &[PathBuf]) -> Result<Fonts> {
        let mut fonts = Fonts::bundled();
        for dir in dirs {
            fonts.add_dir(dir)?;
        }
        Ok(fonts)
    }

    fn add_dir(&mut self, dir: &Path) -> Result<()> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| Error::io("cannot read the font folder", dir, e))?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        // Sorted, so that the same folder gives the same font order (and PDFs) everywhere.
        paths.sort();
        for path in paths {
            if path.is_dir() {
                self.add_dir(&path)?;
                continue;
            }
            let is_font = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "ttf" | "otf" | "ttc" | "otc"
                )
            });
            if !is_font {
                continue;
            }
            let data = crate::files::read(&path, 256 * 1024 * 1024, "font file")?;
            let mut found = false;
            for (index, info) in FontInfo::iter(&data).enumerate() {
                found = true;
                self.store.push((
                    FontPath {
                        path: path.clone(),
                        index: index as u32,
                    },
                    info,
                ));
            }
            if !found {
                return Err(Error::Usage(format!(
                    "{} is not a font broadside can read",
                    path.display()
                )));
            }
            self.added.push(path);
        }
        Ok(())
    }

    /// The font book, for [`typst::World::book`].
    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    /// Loads the face at `index`, for [`typst::World::font`].
    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    /// Font files added from folders, in the order they were found.
    pub fn added_files(&self) -> &[PathBuf] {
        &self.added
    }

    /// Names of the bundled font files.
    pub fn bundled_files() -> impl Iterator<Item = &'static str> {
        BUNDLED.iter().map(|b| b.file)
    }

    /// The bundled font files and their bytes, with their licences
    /// (`OFL-*.txt`), for a project that compiles anywhere.
    pub fn bundled_data() -> impl Iterator<Item = (&'static str, &'static [u8])> {
        BUNDLED
            .iter()
            .map(|b| (b.file, b.data))
            .chain(LICENCES.iter().map(|(f, t)| (*f, t.as_bytes())))
    }

    /// Families (in book order, without repeats) that have a glyph for `c`.
    pub fn families_covering(&self, c: char) -> Vec<String> {
        let book = self.store.book();
        let mut families: Vec<String> = Vec::new();
        for (family, ids) in book.families() {
            let covers = ids
                .into_iter()
                .filter_map(|i| book.info(i))
                .any(|info| info.coverage.contains(c as u32));
            if covers && !families.iter().any(|f| f == family) {
                families.push(family.to_owned());
            }
        }
        families
    }

    /// Every family with its number of faces, where it comes from and the
    /// scripts it covers (by a test letter of each).
    pub fn families(&self) -> Vec<FamilyInfo> {
        const SCRIPTS: [(&str, char); 9] = [
            ("Latin", 'Ł'),
            ("Cyrillic", 'Ж'),
            ("Greek", 'Ω'),
            ("Arabic", 'ع'),
            ("Persian", 'گ'),
            ("Hebrew", 'א'),
            ("Devanagari", 'क'),
            ("CJK", '中'),
            ("Emoji", '✊'),
        ];
        let book = self.store.book();
        let mut out: Vec<FamilyInfo> = Vec::new();
        for (family, ids) in book.families() {
            let ids: Vec<usize> = ids.into_iter().collect();
            // The bundled faces come first in the store.
            let bundled = ids.iter().all(|&i| i < BUNDLED_INFO.len());
            let infos: Vec<_> = ids.iter().filter_map(|&i| book.info(i)).collect();
            let scripts = SCRIPTS
                .iter()
                .filter(|(_, c)| infos.iter().any(|i| i.coverage.contains(*c as u32)))
                .map(|(name, _)| *name)
                .collect();
            let licence = if !bundled {
                None
            } else if family.starts_with("Inter") {
                Some("SIL Open Font License 1.1 (fonts/OFL-Inter.txt)")
            } else if family == "Noto Emoji" {
                Some("SIL Open Font License 1.1 (fonts/OFL-NotoEmoji.txt)")
            } else if family.starts_with("Noto") {
                Some("SIL Open Font License 1.1 (fonts/OFL-Noto.txt)")
            } else {
                None
            };
            match out.iter_mut().find(|f| f.family == family) {
                Some(f) => f.faces += infos.len(),
                None => out.push(FamilyInfo {
                    family: family.to_owned(),
                    faces: infos.len(),
                    bundled,
                    licence,
                    scripts,
                }),
            }
        }
        out
    }
}

/// One family of the fonts available, for `broadside fonts`.
#[derive(Debug, Clone)]
pub struct FamilyInfo {
    /// The family name.
    pub family: String,
    /// How many faces (weights, styles) it has.
    pub faces: usize,
    /// Whether it is compiled into broadside.
    pub bundled: bool,
    /// Its licence, for the bundled families.
    pub licence: Option<&'static str>,
    /// The scripts it covers.
    pub scripts: Vec<&'static str>,
}

#[cfg(test)]
mod tests {
    use super::{BUNDLED, BookEntry, computed_info};

    /// What `fonts/book.json` must hold for the bundled fonts as they are.
    fn book_json() -> String {
        let entries: Vec<BookEntry> = computed_info()
            .into_iter()
            .map(|(file, index, info)| BookEntry {
                file: BUNDLED[file].file.to_owned(),
                index,
                info,
            })
            .collect();
        serde_json::to_string(&entries).unwrap_or_default() + "\n"
    }

    /// `fonts/book.json` is the book the bundled fonts give. After changing
    /// a font, write it again: `BROADSIDE_WRITE_FONT_BOOK=1 cargo test book`.
    #[test]
    fn the_precomputed_book_matches_the_fonts() {
        let expected = book_json();
        if std::env::var_os("BROADSIDE_WRITE_FONT_BOOK").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/book.json");
            std::fs::write(path, &expected).unwrap();
        }
        let written = include_str!("../../fonts/book.json");
        assert!(
            written == expected,
            "fonts/book.json is stale: run `BROADSIDE_WRITE_FONT_BOOK=1 cargo test book` and commit it"
        );
        assert_eq!(super::precomputed_info(), Some(super::computed_info()));
    }
}
