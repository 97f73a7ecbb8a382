//! How many lines an entry of the annex takes, found without Typst's layout.
//!
//! A long annex in pieces needs every entry's height before its pages can
//! be set side by side. Laying the whole list out once to learn them costs
//! as much as setting the pages, so most entries are measured here
//! instead: each word shaped once with the font Typst chose for it (a list
//! repeats its words: "Foundation", "for Human Rights"), the words filled
//! into lines as Typst's simple line breaking fills them (the annex is not
//! justified), and the lines counted. An entry this cannot decide, because
//! a line ends within a hair of the column's edge, a character falls back
//! to another font, or a character other than a space may end a line, is
//! left to Typst to measure. Nothing here is trusted unchecked: the
//! caller compares these counts with a trial layout of the list's start,
//! and Typst's layout of every page with the breaks found from them.

use std::collections::HashMap;

use typst::layout::{Frame, FrameItem};
use typst::text::{FontInstance, TextItem};

/// How close to the column's edge a line may end and still be judged
/// here, in points. Words are shaped one by one, so a kerning pair across a
/// space, or punctuation Typst lets hang past the edge, is not seen: a
/// line that close to the edge is left to Typst.
const MARGIN: f64 = 1.5;

/// A run of text in one font at one size: the name, or the country after it.
pub(crate) struct Run {
    font: FontInstance,
    /// Points per font unit at the run's size.
    scale: f64,
    /// A space's advance, in points.
    space: f64,
    /// Each word's advance, in points, once shaped.
    words: HashMap<String, f64>,
    /// A plan for each direction and script met (making one costs more
    /// than shaping a word).
    plans: Vec<(
        rustybuzz::Direction,
        rustybuzz::Script,
        rustybuzz::ShapePlan,
    )>,
}

impl Run {
    /// The run set in `item`'s font and size.
    fn of(item: &TextItem) -> Option<Run> {
        let font = item.font.clone();
        let scale = item.size.to_pt() / font.units_per_em();
        let mut run = Run {
            font,
            scale,
            space: 0.0,
            words: HashMap::new(),
            plans: Vec::new(),
        };
        run.space = run.shape(" ")?;
        Some(run)
    }

    /// The advance of `word` in points, or `None` when the font lacks one
    /// of its characters (Typst would take it from another font).
    fn shape(&mut self, word: &str) -> Option<f64> {
        let face = self.font.rusty();
        if word.chars().any(|c| face.glyph_index(c).is_none()) {
            return None;
        }
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(word);
        buffer.guess_segment_properties();
        let (direction, script) = (buffer.direction(), buffer.script());
        let at = match self
            .plans
            .iter()
            .position(|p| p.0 == direction && p.1 == script)
        {
            Some(at) => at,
            None => {
                let plan = rustybuzz::ShapePlan::new(face, direction, Some(script), None, &[]);
                self.plans.push((direction, script, plan));
                self.plans.len() - 1
            }
        };
        let shaped = rustybuzz::shape_with_plan(face, &self.plans[at].2, buffer);
        if shaped.glyph_infos().iter().any(|g| g.glyph_id == 0) {
            return None;
        }
        let units: i64 = shaped
            .glyph_positions()
            .iter()
            .map(|p| i64::from(p.x_advance))
            .sum();
        Some(units as f64 * self.scale)
    }

    fn word(&mut self, word: &str) -> Option<f64> {
        if let Some(&w) = self.words.get(word) {
            return Some(w);
        }
        let w = self.shape(word)?;
        self.words.insert(word.to_owned(), w);
        Some(w)
    }
}

/// What the lines of an entry are counted by.
pub(crate) struct Lines {
    name: Run,
    /// The country's run, when the list shows one.
    country: Option<Run>,
    /// The room a line has for the name and country: the column less the
    /// number's indent, which every line but the first hangs by and the
    /// first fills with the number.
    room: f64,
}

impl Lines {
    /// The counter for a column `width` wide with an `indent` for the
    /// numbers, its fonts read from `frames` (a trial layout of the list's
    /// start): the run that sets `name` whole, and the run that sets
    /// " — `country`" for the first `country` given. `None` when no run
    /// shows the name whole.
    pub(crate) fn new<'a>(
        frames: impl Iterator<Item = &'a Frame>,
        names: &[&str],
        countries: &[&str],
        width: f64,
        indent: f64,
    ) -> Option<Lines> {
        let mut texts: HashMap<String, &TextItem> = HashMap::new();
        for frame in frames {
            collect(frame, &mut texts);
        }
        let name = names.iter().find_map(|n| texts.get(n.trim()))?;
        let country = countries
            .iter()
            .find_map(|c| texts.get(format!("— {}", c.trim()).as_str()));
        Some(Lines {
            name: Run::of(name)?,
            country: country.and_then(|c| Run::of(c)),
            room: width - indent,
        })
    }

    /// How many lines `name`, followed by `country` when given, takes; `None`
    /// when it is for Typst to say.
    pub(crate) fn count(&mut self, name: &str, country: Option<&str>) -> Option<Count> {
        let mut fill = Fill {
            room: self.room,
            lines: 1,
            width: 0.0,
            empty: true,
            only_country: false,
        };
        for word in name.split(' ').filter(|w| !w.is_empty()) {
            if !plain(word) {
                return None;
            }
            let w = self.name.word(word)?;
            fill.add(w, self.name.space, false)?;
        }
        if let Some(country) = country {
            let run = self.country.as_mut()?;
            fill.add(run.word("—")?, run.space, true)?;
            for word in country.split(' ').filter(|w| !w.is_empty()) {
                if !plain(word) {
                    return None;
                }
                let w = run.word(word)?;
                fill.add(w, run.space, true)?;
            }
        }
        Some(Count {
            lines: fill.lines,
            // A last line of the country alone (in its smaller type) is not
            // as tall as a line with the name: its height is the trial's
            // to show.
            country_alone: fill.lines > 1 && fill.only_country,
        })
    }
}

/// An entry's lines, as counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Count {
    pub(crate) lines: usize,
    /// Whether the last line holds the country alone.
    pub(crate) country_alone: bool,
}

/// Lines being filled, word by word.
struct Fill {
    room: f64,
    lines: usize,
    width: f64,
    empty: bool,
    /// Whether the current line holds only the country's words.
    only_country: bool,
}

impl Fill {
    /// Adds a word `w` wide, a `space` after the word before it; `None`
    /// when the line ends too near the edge to judge.
    fn add(&mut self, w: f64, space: f64, country: bool) -> Option<()> {
        let wide = if self.empty {
            w
        } else {
            self.width + space + w
        };
        if wide <= self.room - MARGIN {
            self.width = wide;
            self.only_country = if self.empty {
                country
            } else {
                self.only_country && country
            };
            self.empty = false;
            return Some(());
        }
        if wide < self.room + MARGIN || self.empty || w > self.room - MARGIN {
            // Near the edge, or a word wider than a line (which Typst lets
            // overflow or breaks inside).
            return None;
        }
        self.lines += 1;
        self.width = w;
        self.only_country = country;
        Some(())
    }
}

/// Whether a line can end only at the spaces around `word`: letters of
/// the alphabetic scripts (not those that break between any two
/// characters), digits and punctuation that never ends a line before
/// letters. A hyphen, a slash or a dash may end a line inside a word.
fn plain(word: &str) -> bool {
    word.chars().all(|c| {
        let alphabetic = c.is_alphanumeric() || is_mark(c);
        let script = (c as u32) < 0x0700
            || (0x10A0..=0x10FF).contains(&(c as u32))
            || (0x1E00..=0x1FFF).contains(&(c as u32));
        (alphabetic && script)
            || matches!(
                c,
                '.' | ',' | '\'' | '’' | '&' | '(' | ')' | '"' | '“' | '”' | '«' | '»'
            )
    })
}

/// Combining marks of the scripts [`plain`] takes.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670)
}

/// Every text run in `frame` and the frames within it, by its text.
fn collect<'a>(frame: &'a Frame, texts: &mut HashMap<String, &'a TextItem>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => collect(&group.frame, texts),
            FrameItem::Text(text) => {
                texts.entry(text.text.trim().to_owned()).or_insert(text);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(room: f64) -> Fill {
        Fill {
            room,
            lines: 1,
            width: 0.0,
            empty: true,
            only_country: false,
        }
    }

    #[test]
    fn words_fill_a_line_then_the_next() {
        let mut f = fill(100.0);
        // 40 + 5 + 40 = 85 fits; 85 + 5 + 40 = 130 does not.
        for _ in 0..3 {
            f.add(40.0, 5.0, false).unwrap();
        }
        assert_eq!(f.lines, 2);
        assert_eq!(f.width, 40.0);
    }

    #[test]
    fn a_line_ending_near_the_edge_is_not_judged() {
        let mut f = fill(100.0);
        f.add(50.0, 5.0, false).unwrap();
        // 50 + 5 + 44 = 99: within the margin of 100.
        assert!(f.add(44.0, 5.0, false).is_none());
        let mut f = fill(100.0);
        f.add(50.0, 5.0, false).unwrap();
        // 50 + 5 + 46 = 101: over, but within the margin.
        assert!(f.add(46.0, 5.0, false).is_none());
        // 50 + 5 + 47 = 102: over by more, so the word begins a line.
        let mut f = fill(100.0);
        f.add(50.0, 5.0, false).unwrap();
        f.add(47.0, 5.0, false).unwrap();
        assert_eq!((f.lines, f.width), (2, 47.0));
        // A word wider than a line.
        assert!(fill(100.0).add(120.0, 5.0, false).is_none());
    }

    #[test]
    fn the_country_alone_on_its_line_is_seen() {
        let mut f = fill(100.0);
        f.add(90.0, 5.0, false).unwrap();
        f.add(20.0, 4.0, true).unwrap();
        assert!(f.only_country);
        f.add(20.0, 4.0, true).unwrap();
        assert!(f.only_country);
        let mut f = fill(100.0);
        f.add(30.0, 5.0, false).unwrap();
        f.add(20.0, 4.0, true).unwrap();
        assert!(!f.only_country);
    }

    #[test]
    fn only_spaces_end_lines_in_a_plain_word() {
        for word in [
            "Amnesty",
            "350.org",
            "(ACAT)",
            "Правозащитный",
            "حقوق",
            "Ōtautahi",
            "O’Brien",
        ] {
            assert!(plain(word), "{word}");
        }
        for word in ["Saint-Pierre", "and/or", "a–b", "人权", "สิทธิ"] {
            assert!(!plain(word), "{word}");
        }
    }
}
