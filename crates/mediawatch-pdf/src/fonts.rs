//! Font discovery (fontdb via typst-kit), lazily loaded font files.

use std::path::PathBuf;

use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst_kit::fonts::FontStore;

/// Preferred families for Latin, Cyrillic and Greek text, best first. The
/// first one installed is used.
pub const LATIN_FAMILIES: &[&str] = &["Noto Sans", "DejaVu Sans", "Liberation Sans", "Open Sans", "Arial"];

/// Preferred families for Chinese text, best first. The first one installed
/// is used (after the Latin one, so Latin text never uses CJK glyphs).
pub const CJK_FAMILIES: &[&str] = &[
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
];

/// The fonts available for rendering. Scanning reads only font metadata;
/// font files are loaded on first use and cached for later renders.
pub struct Fonts {
    store: FontStore,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts").field("faces", &self.len()).field("families", &self.families()).finish()
    }
}

impl Fonts {
    /// All fonts of this system (the standard font directories, plus those
    /// named in fontconfig's configuration, e.g. `/usr/share/fonts`,
    /// `/usr/local/share/fonts`, `~/.local/share/fonts`).
    pub fn system() -> Fonts {
        let mut store = FontStore::new();
        store.extend(typst_kit::fonts::system());
        Fonts { store }
    }

    /// Only the fonts found (recursively) in these directories.
    pub fn from_dirs(dirs: &[PathBuf]) -> Fonts {
        let mut store = FontStore::new();
        for dir in dirs {
            store.extend(typst_kit::fonts::scan(dir));
        }
        Fonts { store }
    }

    /// Number of font faces found.
    pub fn len(&self) -> usize {
        let book = self.book();
        (0..).take_while(|&i| book.info(i).is_some()).count()
    }

    /// Whether no font was found at all.
    pub fn is_empty(&self) -> bool {
        self.book().info(0).is_none()
    }

    /// The family list handed to typst: the first installed family of
    /// [`LATIN_FAMILIES`], then the first of [`CJK_FAMILIES`]. Any other
    /// script falls back to any installed font that covers it.
    pub fn families(&self) -> Vec<String> {
        let book = self.book();
        let mut out = Vec::new();
        for list in [LATIN_FAMILIES, CJK_FAMILIES] {
            if let Some(f) = list.iter().find(|f| book.contains_family(&f.to_lowercase())) {
                out.push(f.to_string());
            }
        }
        out
    }

    /// Whether some font covers `c`.
    pub(crate) fn covers(&self, c: char) -> bool {
        let book = self.book();
        (0..).map_while(|i| book.info(i)).any(|info| info.coverage.contains(c as u32))
    }

    pub(crate) fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    pub(crate) fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }
}
