//! Flyers several to a sheet, for the office printer and the guillotine.
//!
//! The plan (how many flyers a sheet holds, where each one lies, where the
//! cuts run) is worked out here; `templates/flyer-imposed.typ` places the
//! flyer's own PDF page in each slot, so the sheets keep every vector.

use serde::Serialize;

/// Sheets flyers are imposed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    /// ISO A4, the office printer's paper.
    A4,
    /// ISO A3, for printers that take it.
    A3,
}

impl Sheet {
    /// The sheet's portrait width and height in millimetres.
    pub fn mm(self) -> (f64, f64) {
        match self {
            Sheet::A4 => (210.0, 297.0),
            Sheet::A3 => (297.0, 420.0),
        }
    }

    /// `a4`, `a3`.
    pub fn name(self) -> &'static str {
        match self {
            Sheet::A4 => "a4",
            Sheet::A3 => "a3",
        }
    }
}

/// What a fraction of a millimetre more than the sheet still counts as
/// fitting: A5 is 148 mm wide, two of them 296 mm on a 297 mm sheet, and
/// ISO rounds each size to the millimetre.
const TOLERANCE_MM: f64 = 1.0;

/// Where the flyers lie on each sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImposePlan {
    /// Sheet width and height in millimetres (turned whichever way holds more).
    pub sheet_mm: (f64, f64),
    /// The flyer's trim width and height.
    pub flyer_mm: (f64, f64),
    /// Rows and columns of flyers.
    pub rows: usize,
    /// See `rows`.
    pub columns: usize,
    /// The top-left corner of each flyer's trim on the front, row by row.
    pub fronts: Vec<(f64, f64)>,
    /// The same flyers' backs: turned over left to right, each back lies
    /// behind its front, so the columns are mirrored.
    pub backs: Vec<(f64, f64)>,
    /// Where the vertical cuts run, from the sheet's left edge.
    pub cuts_x: Vec<f64>,
    /// Where the horizontal cuts run, from the sheet's top edge.
    pub cuts_y: Vec<f64>,
}

impl ImposePlan {
    /// The plan for flyers of `flyer_mm` on `sheet`, or why there is none.
    pub fn new(sheet: Sheet, flyer_mm: (f64, f64)) -> Result<ImposePlan, String> {
        let (w, h) = sheet.mm();
        let fit = |sheet: (f64, f64)| {
            let count = |room: f64, size: f64| ((room + TOLERANCE_MM) / size).floor() as usize;
            (count(sheet.0, flyer_mm.0), count(sheet.1, flyer_mm.1))
        };
        let portrait = fit((w, h));
        let landscape = fit((h, w));
        let (sheet_mm, (columns, rows)) = if landscape.0 * landscape.1 > portrait.0 * portrait.1 {
            ((h, w), landscape)
        } else {
            ((w, h), portrait)
        };
        if columns * rows < 2 {
            return Err(format!(
                "a {} × {} mm flyer fits only once on {} paper; imposing puts two or more on a sheet (make an A5 or A6 flyer)",
                flyer_mm.0,
                flyer_mm.1,
                sheet.name().to_uppercase()
            ));
        }
        // The block of flyers in the middle of the sheet.
        let (block_w, block_h) = (columns as f64 * flyer_mm.0, rows as f64 * flyer_mm.1);
        let (left, top) = (
            ((sheet_mm.0 - block_w) / 2.0).max(0.0),
            ((sheet_mm.1 - block_h) / 2.0).max(0.0),
        );
        let mut fronts = Vec::with_capacity(rows * columns);
        let mut backs = Vec::with_capacity(rows * columns);
        for r in 0..rows {
            for c in 0..columns {
                let y = top + r as f64 * flyer_mm.1;
                fronts.push((left + c as f64 * flyer_mm.0, y));
                backs.push((left + (columns - 1 - c) as f64 * flyer_mm.0, y));
            }
        }
        Ok(ImposePlan {
            sheet_mm,
            flyer_mm,
            rows,
            columns,
            fronts,
            backs,
            cuts_x: (0..=columns)
                .map(|c| left + c as f64 * flyer_mm.0)
                .collect(),
            cuts_y: (0..=rows).map(|r| top + r as f64 * flyer_mm.1).collect(),
        })
    }

    /// Flyers on each sheet.
    pub fn per_sheet(&self) -> usize {
        self.fronts.len()
    }

    /// How to turn the sheet over for the backs, in a print dialog's words:
    /// the backs are mirrored left to right, which is "flip on long edge"
    /// for a portrait sheet and "flip on short edge" for a landscape one.
    pub fn duplex(&self) -> &'static str {
        if self.sheet_mm.0 < self.sheet_mm.1 {
            "long edge"
        } else {
            "short edge"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_a5_flyers_fill_a_landscape_a4_sheet_side_by_side() {
        let plan = ImposePlan::new(Sheet::A4, (148.0, 210.0)).unwrap();
        assert_eq!(plan.sheet_mm, (297.0, 210.0));
        assert_eq!((plan.columns, plan.rows), (2, 1));
        assert_eq!(plan.fronts, vec![(0.5, 0.0), (148.5, 0.0)]);
        // Turned over left to right, the first flyer's back is on the right.
        assert_eq!(plan.backs, vec![(148.5, 0.0), (0.5, 0.0)]);
        assert_eq!(plan.cuts_x, vec![0.5, 148.5, 296.5]);
        assert_eq!(plan.duplex(), "short edge");
    }

    #[test]
    fn four_a6_flyers_fill_a_portrait_a4_sheet_two_by_two() {
        let plan = ImposePlan::new(Sheet::A4, (105.0, 148.0)).unwrap();
        assert_eq!(plan.sheet_mm, (210.0, 297.0));
        assert_eq!((plan.columns, plan.rows), (2, 2));
        assert_eq!(plan.per_sheet(), 4);
        assert_eq!(plan.cuts_y, vec![0.5, 148.5, 296.5]);
        assert_eq!(plan.backs[0], plan.fronts[1]);
        assert_eq!(plan.backs[2], plan.fronts[3]);
        assert_eq!(plan.duplex(), "long edge");
    }

    #[test]
    fn a_landscape_a5_flyer_stacks_two_on_a_portrait_sheet() {
        let plan = ImposePlan::new(Sheet::A4, (210.0, 148.0)).unwrap();
        assert_eq!((plan.columns, plan.rows), (1, 2));
        assert_eq!(plan.sheet_mm, (210.0, 297.0));
    }

    #[test]
    fn a_flyer_that_fits_once_is_refused_with_the_sizes_that_work() {
        let err = ImposePlan::new(Sheet::A4, (210.0, 297.0)).unwrap_err();
        assert!(err.contains("A5 or A6"), "{err}");
    }
}
