//! What broadside changes in the PDFs Typst writes, with lopdf: page boxes
//! for print, PDF/X-4 for print shops ([`pdfx`]), PDFs joined page by page
//! ([`join`]), and the files a PDF carries inside it ([`embedded`]).

pub(crate) mod boxes;
pub mod embedded;
pub mod join;
pub mod pdfx;
mod raw;
pub mod stitch;
