//! Splitting a large poster into sheets an office printer can print.
//!
//! The plan (how many sheets, where each one's window onto the poster lies)
//! is computed here; `templates/tile.typ` places the poster's own PDF page on
//! each sheet, clipped to its window, so the tiles keep every vector and the
//! type stays sharp.

use serde::Serialize;

use crate::load::statement::Paper;

/// Paper a printer cannot print on at the edges, on every side.
pub const SHEET_MARGIN_MM: f64 = 10.0;
/// The band under each window that carries the sheet's label.
pub const LABEL_BAND_MM: f64 = 8.0;
/// How much neighbouring windows share, to glue one sheet over the next.
pub const OVERLAP_MM: f64 = 10.0;

/// Where each sheet's window lies on the poster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TilePlan {
    /// Sheet width and height in millimetres (portrait or landscape, whichever needs fewer sheets).
    pub sheet_mm: (f64, f64),
    /// Window width and height on each sheet, in millimetres.
    pub window_mm: (f64, f64),
    /// Overlap between neighbouring windows.
    pub overlap_mm: f64,
    /// Rows and columns of sheets.
    pub rows: usize,
    /// Columns of sheets.
    pub columns: usize,
    /// The poster's trim size.
    pub poster_mm: (f64, f64),
    /// Every sheet, row by row.
    pub tiles: Vec<Tile>,
}

/// One sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tile {
    /// Row, from 1 at the top.
    pub row: usize,
    /// Column, from 1 at the start of the line.
    pub column: usize,
    /// The window's top-left corner on the poster's trimmed page, in millimetres.
    pub x_mm: f64,
    /// See `x_mm`.
    pub y_mm: f64,
}

impl TilePlan {
    /// Plans sheets of `paper` for a poster of `width_mm` × `height_mm`.
    pub fn new(paper: Paper, width_mm: f64, height_mm: f64) -> TilePlan {
        let (w, h) = match paper {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        };
        let portrait = Self::with_sheet((w, h), width_mm, height_mm);
        let landscape = Self::with_sheet((h, w), width_mm, height_mm);
        if landscape.tiles.len() < portrait.tiles.len() {
            landscape
        } else {
            portrait
        }
    }

    fn with_sheet(sheet: (f64, f64), width_mm: f64, height_mm: f64) -> TilePlan {
        let window = (
            sheet.0 - 2.0 * SHEET_MARGIN_MM,
            sheet.1 - 2.0 * SHEET_MARGIN_MM - LABEL_BAND_MM,
        );
        let count = |poster: f64, window: f64| -> usize {
            if poster <= window {
                1
            } else {
                ((poster - OVERLAP_MM) / (window - OVERLAP_MM)).ceil() as usize
            }
        };
        let columns = count(width_mm, window.0);
        let rows = count(height_mm, window.1);
        let tiles = (0..rows)
            .flat_map(|r| {
                (0..columns).map(move |c| Tile {
                    row: r + 1,
                    column: c + 1,
                    x_mm: c as f64 * (window.0 - OVERLAP_MM),
                    y_mm: r as f64 * (window.1 - OVERLAP_MM),
                })
            })
            .collect();
        TilePlan {
            sheet_mm: sheet,
            window_mm: window,
            overlap_mm: OVERLAP_MM,
            rows,
            columns,
            poster_mm: (width_mm, height_mm),
            tiles,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_a1_poster_takes_a_grid_of_a4_sheets_that_covers_it() {
        let plan = TilePlan::new(Paper::A4, 594.0, 841.0);
        assert_eq!(plan.tiles.len(), plan.rows * plan.columns);
        let last = plan.tiles.last().unwrap();
        assert!(last.x_mm + plan.window_mm.0 >= 594.0, "covers the width");
        assert!(last.y_mm + plan.window_mm.1 >= 841.0, "covers the height");
        // Fewer sheets either way round would be a worse plan.
        assert!(plan.tiles.len() <= 16, "{} sheets", plan.tiles.len());
    }

    #[test]
    fn a_poster_that_fits_takes_one_sheet() {
        assert_eq!(TilePlan::new(Paper::A4, 150.0, 200.0).tiles.len(), 1);
    }
}
