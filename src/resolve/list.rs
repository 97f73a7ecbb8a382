//! The annex's list in slices: what a piece of a long annex is given
//! (`annex-piece.json`), so that no piece parses the whole list.

use serde::Serialize;
use typst::foundations::Bytes;

use crate::error::{Error, Result};
use crate::resolve::data::{Entry, Group};

/// The list in its printed order and groups, with the statement's data
/// without it (`statement.json` as the pieces read it).
#[derive(Debug)]
pub struct AnnexList {
    light: Bytes,
    groups: Vec<Group>,
    /// Where each group begins, by the number of entries before it.
    starts: Vec<usize>,
}

/// One heading or entry of the list, in the order the columns show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// A group's heading (before `entry`, its first), or an entry.
    pub heading: bool,
    /// The entry's index in the list, from 0 (for a heading, its group's first).
    pub entry: usize,
}

/// What a piece does: measure its entries, or set its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Sets the pages as a trial, showing where each heading and entry begins.
    Trial,
    /// Only measures each heading and entry in its column.
    Measure,
    /// Sets the pages.
    Set,
}

/// Where a piece's pages fall in the whole annex.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Placing {
    /// Measure or set.
    pub mode: Mode,
    /// Whether the piece opens the annex (the title, the attachments).
    pub first: bool,
    /// Whether it closes it (the balanced last page).
    pub last: bool,
    /// The pages before it.
    pub offset: usize,
    /// The annex's pages in all.
    pub total: usize,
}

#[derive(Serialize)]
struct Piece<'a> {
    #[serde(flatten)]
    placing: Placing,
    groups: Vec<Slice<'a>>,
}

#[derive(Serialize)]
struct Slice<'a> {
    /// The heading, only where the group begins within the piece.
    label: Option<&'a str>,
    entries: &'a [Entry],
}

impl AnnexList {
    pub(crate) fn new(light: Bytes, groups: Vec<Group>) -> AnnexList {
        let mut starts = Vec::with_capacity(groups.len());
        let mut at = 0;
        for g in &groups {
            starts.push(at);
            at += g.entries.len();
        }
        AnnexList {
            light,
            groups,
            starts,
        }
    }

    /// `statement.json` without the list.
    pub fn light_json(&self) -> Bytes {
        self.light.clone()
    }

    /// How many entries the list has.
    pub fn len(&self) -> usize {
        self.groups.iter().map(|g| g.entries.len()).sum()
    }

    /// Entry `k` of the list (from 0), if it has one.
    pub(crate) fn entry(&self, k: usize) -> Option<&Entry> {
        let g = self.starts.partition_point(|&s| s <= k).checked_sub(1)?;
        self.groups.get(g)?.entries.get(k - self.starts[g])
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The headings and entries of entries `range`, in order: a heading
    /// where a group with one begins.
    pub fn items(&self, range: std::ops::Range<usize>) -> Vec<Item> {
        let mut items = Vec::with_capacity(range.len() + self.groups.len());
        for (g, &start) in self.groups.iter().zip(&self.starts) {
            let end = start + g.entries.len();
            if end <= range.start || start >= range.end {
                continue;
            }
            if g.label.is_some() && start >= range.start {
                items.push(Item {
                    heading: true,
                    entry: start,
                });
            }
            for entry in start.max(range.start)..end.min(range.end) {
                items.push(Item {
                    heading: false,
                    entry,
                });
            }
        }
        items
    }

    /// `annex-piece.json` that measures `items`, each alone.
    pub fn measure_json(&self, items: &[Item]) -> Result<Vec<u8>> {
        let placing = Placing {
            mode: Mode::Measure,
            first: false,
            last: false,
            offset: 0,
            total: 0,
        };
        self.items_json(items, placing)
    }

    /// `annex-piece.json` that lays out `items` one after the other (in
    /// their columns, as a trial), or measures each (`placing.mode`).
    pub fn items_json(&self, items: &[Item], placing: Placing) -> Result<Vec<u8>> {
        let mut groups = Vec::with_capacity(items.len());
        for item in items {
            let g = self
                .starts
                .partition_point(|&s| s <= item.entry)
                .saturating_sub(1);
            let group = self.groups.get(g).ok_or_else(|| {
                Error::Internal(format!("entry {} is not in the list", item.entry))
            })?;
            groups.push(if item.heading {
                Slice {
                    label: group.label.as_deref(),
                    entries: &[],
                }
            } else {
                let at = item.entry - self.starts[g];
                Slice {
                    label: None,
                    entries: &group.entries[at..at + 1],
                }
            });
        }
        serde_json::to_vec(&Piece { placing, groups })
            .map_err(|e| Error::Internal(format!("cannot serialise a piece of the annex: {e}")))
    }

    /// `annex-piece.json` for entries `range`, placed as `placing` says.
    pub fn piece_json(&self, range: std::ops::Range<usize>, placing: Placing) -> Result<Vec<u8>> {
        let mut groups = Vec::new();
        for (g, &start) in self.groups.iter().zip(&self.starts) {
            let end = start + g.entries.len();
            if end <= range.start || start >= range.end {
                continue;
            }
            let from = range.start.max(start) - start;
            let to = range.end.min(end) - start;
            groups.push(Slice {
                label: g.label.as_deref().filter(|_| start >= range.start),
                entries: &g.entries[from..to],
            });
        }
        serde_json::to_vec(&Piece { placing, groups })
            .map_err(|e| Error::Internal(format!("cannot serialise a piece of the annex: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(number: usize) -> Entry {
        Entry {
            number,
            number_text: number.to_string(),
            name: format!("Name {number}"),
            country: None,
            url: None,
            logo: None,
        }
    }

    fn list() -> AnnexList {
        let group = |label: Option<&str>, numbers: std::ops::Range<usize>| Group {
            label: label.map(str::to_owned),
            entries: numbers.map(entry).collect(),
        };
        AnnexList::new(
            Bytes::new(b"{}".to_vec()),
            vec![
                group(Some("A"), 1..3),
                group(None, 3..5),
                group(Some("B"), 5..8),
            ],
        )
    }

    #[test]
    fn items_head_a_group_only_where_it_begins() {
        let list = list();
        assert_eq!(list.len(), 7);
        let items = list.items(1..7);
        let shown: Vec<(bool, usize)> = items.iter().map(|i| (i.heading, i.entry)).collect();
        assert_eq!(
            shown,
            [
                (false, 1),
                (false, 2),
                (false, 3),
                (true, 4),
                (false, 4),
                (false, 5),
                (false, 6)
            ]
        );
        assert_eq!(
            list.items(0..1)[0],
            Item {
                heading: true,
                entry: 0
            }
        );
        assert!(list.items(7..7).is_empty());
    }

    #[test]
    fn a_piece_carries_its_slice_and_where_it_falls() {
        let placing = Placing {
            mode: Mode::Set,
            first: false,
            last: true,
            offset: 3,
            total: 5,
        };
        let json: serde_json::Value =
            serde_json::from_slice(&list().piece_json(1..5, placing).unwrap()).unwrap();
        assert_eq!(json["mode"], "set");
        assert_eq!(json["offset"], 3);
        assert_eq!(json["total"], 5);
        let groups = json["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 3);
        // A continues from before: no heading; B begins here.
        assert!(groups[0]["label"].is_null());
        assert_eq!(groups[0]["entries"][0]["number"], 2);
        assert_eq!(groups[1]["entries"].as_array().unwrap().len(), 2);
        assert_eq!(groups[2]["label"], "B");
        assert_eq!(groups[2]["entries"].as_array().unwrap().len(), 1);
    }
}
