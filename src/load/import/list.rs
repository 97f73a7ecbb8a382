//! Finding the signatory list in a pasted letter and reading it as a person
//! does: where it starts (its heading in any language, or failing that the
//! last run of short lines), its group headings (with or without a colon),
//! its entries (numbered, bulleted, bare or rows of a table) and what
//! follows it (footnotes, a contact line), which are not names.

use super::countries;
use super::lines::{self, Marker};

/// One signatory as the list gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The line of the text it is on (0-based).
    pub line: usize,
    /// The name, as written.
    pub name: String,
    /// The country, when the entry gives one.
    pub country: Option<String>,
    /// The number the text gave it, if any.
    pub number: Option<u32>,
    /// What a person should check about this entry.
    pub review: Vec<String>,
    /// A table row's cells after the name, judged by column for the group.
    cells: Vec<String>,
}

/// A run of entries under one heading.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    /// The heading as written, its colon aside.
    pub heading: Option<String>,
    /// Why the heading was taken for one, when that was a judgement.
    pub heading_review: Option<String>,
    /// Whether the group was split from the one before it by order alone.
    pub inferred: bool,
    /// The entries, in the text's order.
    pub entries: Vec<Entry>,
}

/// The list as found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct List {
    /// The line the body ends at: the list's heading, or its first line.
    pub body_end: usize,
    /// The heading line, when the list has one.
    pub heading: Option<usize>,
    /// The groups, in order.
    pub groups: Vec<Group>,
    /// Lines inside the list that are not names (notes between groups).
    pub between: Vec<(usize, String)>,
    /// Lines after the list that are not names (footnotes, contact lines).
    pub after: Vec<(usize, String)>,
    /// Lines about the list as a whole, for the person importing.
    pub review: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Row,
    Numbered,
    BareNumbered,
    Bullet,
    Bare,
}

#[derive(Debug, Clone)]
struct Item<'a> {
    line: usize,
    text: &'a str,
    marker: Marker,
    row: Option<(Option<u32>, Vec<&'a str>)>,
    block_start: bool,
}

impl Item<'_> {
    fn shape(&self) -> Shape {
        if self.row.is_some() {
            return Shape::Row;
        }
        match self.marker {
            Marker::Number(_) => Shape::Numbered,
            Marker::BareNumber(_) => Shape::BareNumbered,
            Marker::Bullet => Shape::Bullet,
            Marker::None => Shape::Bare,
        }
    }

    /// The text after the marker.
    fn content(&self) -> &str {
        lines::marker(self.text).1
    }

    /// Whether the line could be an entry at all: short, no sentence, no address.
    fn name_like(&self) -> bool {
        match &self.row {
            Some((_, cells)) => {
                // A table of figures is not a list of names; a name may be
                // digits alone ("1999", "11.11.11").
                let rest = cells.get(1..).unwrap_or_default();
                let figures = rest
                    .iter()
                    .filter(|c| !c.is_empty() && !c.chars().any(char::is_alphabetic))
                    .count();
                !(rest.len() >= 2 && figures * 2 > rest.len())
                    && cells.first().is_some_and(|c| {
                        c.chars().any(char::is_alphanumeric)
                            && !lines::is_prose(c)
                            && !lines::has_address(c)
                    })
            }
            None => {
                let c = self.content();
                c.chars().any(char::is_alphanumeric)
                    && !lines::is_prose(c)
                    && !lines::has_address(c)
                    && c.split_whitespace().count() <= 24
            }
        }
    }
}

/// Words with no meaning of their own in a heading ("and", "et", "de").
const STOP: &[&str] = &[
    "and",
    "&",
    "of",
    "the",
    "et",
    "des",
    "de",
    "du",
    "la",
    "le",
    "les",
    "y",
    "e",
    "los",
    "las",
    "del",
    "und",
    "der",
    "die",
    "и",
    "та",
    "і",
    "و",
    "civil",
    "trade",
    "faith-based",
    "based",
    "other",
    "autres",
    "otras",
    "otros",
    "non-governmental",
    "and/or",
];

fn all_group_words(text: &str) -> bool {
    let words = lines::words_of(text);
    !words.is_empty()
        && words.len() <= 8
        && lines::has_group_words(text)
        && words
            .iter()
            .all(|w| STOP.contains(&w.as_str()) || lines::has_group_words(w))
}

/// A table's first row when it names the columns ("Name", "Country").
fn is_header_row(cells: &[&str]) -> bool {
    const HEADER: &[&str] = &[
        "name",
        "names",
        "nom",
        "noms",
        "nombre",
        "nome",
        "name der organisation",
        "organisation",
        "organization",
        "organisme",
        "organización",
        "organizacion",
        "organização",
        "country",
        "countries",
        "pays",
        "país",
        "pais",
        "land",
        "страна",
        "країна",
        "description",
        "descripción",
        "role",
        "title",
        "position",
        "affiliation",
        "signatory",
        "signatories",
        "no",
        "no.",
        "n°",
        "nº",
        "#",
        "",
    ];
    cells.len() >= 2
        && cells.iter().all(|c| c.split_whitespace().count() <= 3)
        && cells
            .iter()
            .filter(|c| HEADER.contains(&c.to_lowercase().trim_end_matches(':')))
            .count()
            >= 1
        && cells.iter().all(|c| !countries::is_country(c))
}

/// Finds the list in `text_lines`; `None` when the text has no list.
pub fn find(text_lines: &[&str]) -> Option<List> {
    let items: Vec<Item> = items(text_lines);
    let heading = list_heading(&items);
    let start_line = match heading {
        Some(h) => h + 1,
        None => structural_start(&items)?,
    };
    let region: Vec<Item> = items
        .iter()
        .filter(|i| i.line >= start_line)
        .cloned()
        .collect();
    let mut list = read(&region)?;
    list.heading = heading;
    list.body_end = heading.unwrap_or(start_line);
    if heading.is_none() {
        list.review.push(format!(
            "the list has no heading such as \"Signatories:\"; it was taken to start at line {}: check that the body ends before it",
            start_line + 1
        ));
    }
    Some(list)
}

fn items<'a>(text_lines: &[&'a str]) -> Vec<Item<'a>> {
    let mut out = Vec::new();
    let mut after_blank = true;
    for (i, l) in text_lines.iter().enumerate() {
        if l.trim().is_empty() {
            after_blank = true;
            continue;
        }
        let row = lines::cells(l);
        let marker = if row.is_some() {
            Marker::None
        } else {
            lines::marker(l).0
        };
        out.push(Item {
            line: i,
            text: l.trim(),
            marker,
            row,
            block_start: after_blank,
        });
        after_blank = false;
    }
    out
}

/// The list's heading: the last line of list words ("Signatories",
/// "Firman,") that the list follows, or the first of several in a row
/// ("Signatories" over "1,104 total signers as of …").
fn list_heading(items: &[Item]) -> Option<usize> {
    let mut chosen: Option<usize> = None;
    for (k, item) in items.iter().enumerate() {
        if item.row.is_none()
            && lines::is_list_heading(item.text)
            && items.get(k + 1).is_some_and(Item::name_like)
            && items[k + 1..].iter().filter(|i| i.name_like()).count() >= 2
        {
            // List words inside the list head a group ("Co-signers",
            // "Individual signatories"); the list's heading is a later one
            // only when prose comes between them.
            // The same rule keeps the first of several heading lines in a
            // row, since each is followed by the next.
            if chosen.is_some_and(|c| items[c + 1..k].iter().all(Item::name_like)) {
                continue;
            }
            chosen = Some(k);
        }
    }
    chosen.map(|k| items[k].line)
}

/// Where the list starts in a text without a heading: after the last line
/// of prose that a run of short lines follows to the end (or to what the
/// list ends with: footnotes, a contact line).
fn structural_start(items: &[Item]) -> Option<usize> {
    let mut k = items.len();
    // What follows a list: footnotes, addresses, a sentence or two (a
    // contact line). More prose than that, and the text ends in prose: no list.
    let mut sentences = 0;
    while k > 0 {
        let item = &items[k - 1];
        let footnote = matches!(item.marker, Marker::BareNumber(_)) && item.row.is_none();
        if item.name_like() && !footnote {
            break;
        }
        if !footnote && !lines::has_address(item.text) {
            sentences += 1;
            if sentences > 2 {
                return None;
            }
        }
        k -= 1;
    }
    let end = k;
    while k > 0 && items[k - 1].name_like() && !lines::is_closing(items[k - 1].text) {
        k -= 1;
    }
    let entries = end - k;
    (entries >= 3).then(|| items[k].line)
}

fn dominant(items: &[Item]) -> Shape {
    let mut counts = [
        (Shape::Row, 0),
        (Shape::Numbered, 0),
        (Shape::BareNumbered, 0),
        (Shape::Bullet, 0),
        (Shape::Bare, 0),
    ];
    for i in items.iter().filter(|i| i.name_like()) {
        if let Some(c) = counts.iter_mut().find(|(s, _)| *s == i.shape()) {
            c.1 += 1;
        }
    }
    // A bare line or two (headings) beside marked entries does not make a bare list.
    let marked: usize = counts
        .iter()
        .filter(|(s, _)| *s != Shape::Bare)
        .map(|c| c.1)
        .sum();
    let best = counts
        .iter()
        .filter(|(s, _)| *s != Shape::Bare)
        .max_by_key(|c| c.1)
        .copied();
    match best {
        Some((shape, n)) if n >= 2 && marked * 2 >= counts[4].1 => {
            // Bare numbers count as a list's numbers only when they are most of it.
            if shape == Shape::BareNumbered && n < 3 {
                Shape::Bare
            } else {
                shape
            }
        }
        _ => Shape::Bare,
    }
}

enum Role {
    Entry,
    Heading(Option<String>),
    Note,
    Skip(String),
}

fn read(region: &[Item]) -> Option<List> {
    let shape = dominant(region);
    let mut list = List::default();
    let roles: Vec<Role> = region
        .iter()
        .enumerate()
        .map(|(k, item)| role(region, k, item, shape))
        .collect();
    let any_heading = roles.iter().any(|r| matches!(r, Role::Heading(_)));
    let mut groups: Vec<Group> = vec![Group::default()];
    let mut pending_notes: Vec<(usize, String)> = Vec::new();
    for (item, role) in region.iter().zip(&roles) {
        match role {
            Role::Heading(why) => {
                if groups.last().is_some_and(|g| !g.entries.is_empty()) {
                    groups.push(Group::default());
                }
                if let Some(g) = groups.last_mut() {
                    if let Some(old) = g.heading.take() {
                        pending_notes.push((item.line, old));
                    }
                    g.heading = Some(heading_text(item.text));
                    g.heading_review.clone_from(why);
                }
            }
            Role::Note => pending_notes.push((item.line, item.text.to_owned())),
            Role::Skip(why) => list.review.push(why.clone()),
            Role::Entry => {
                list.between.append(&mut pending_notes);
                if !any_heading
                    && item.block_start
                    && groups.last().is_some_and(|g| !g.entries.is_empty())
                {
                    groups.push(Group::default());
                }
                if let Some(g) = groups.last_mut() {
                    g.entries.push(entry(item, shape));
                }
            }
        }
    }
    list.after = pending_notes;
    groups.retain(|g| !g.entries.is_empty());
    // A list pasted double-spaced has a blank line after every name: those
    // blank lines are spacing, not groups.
    if !any_heading && groups.len() > 1 && groups.iter().all(|g| g.entries.len() == 1) {
        let entries = groups.drain(..).flat_map(|g| g.entries).collect();
        groups.push(Group {
            entries,
            ..Group::default()
        });
    }
    for g in &mut groups {
        columns(g);
    }
    list.groups = split_alphabetical(groups);
    numbering(&list.groups, &mut list.review);
    if !list.between.is_empty() {
        list.review.push(format!(
            "{} line(s) inside the list are not names (a note between groups?): kept as comments where they stood",
            list.between.len()
        ));
    }
    if !list.after.is_empty() {
        list.review.push(format!(
            "{} line(s) after the list are not names (footnotes, a contact line): kept as comments at the end; add them to the body if they belong there",
            list.after.len()
        ));
    }
    (list.groups.iter().map(|g| g.entries.len()).sum::<usize>() > 0).then_some(list)
}

fn heading_text(text: &str) -> String {
    text.trim()
        .trim_end_matches([':', ','])
        .trim_end()
        .to_owned()
}

/// What one line of the list is.
fn role(region: &[Item], k: usize, item: &Item, shape: Shape) -> Role {
    if let Some((number, cells)) = &item.row {
        if number.is_none()
            && k == region
                .iter()
                .position(|i| i.row.is_some())
                .unwrap_or(usize::MAX)
            && is_header_row(cells)
        {
            return Role::Skip(format!(
                "line {}: taken for the table's header row and left out: {}",
                item.line + 1,
                cells.join(" | ")
            ));
        }
        return if item.name_like() {
            Role::Entry
        } else {
            Role::Note
        };
    }
    let content = item.content();
    if !item.name_like() {
        return Role::Note;
    }
    let words = content.split_whitespace().count();
    let next_is_entry = region[k + 1..]
        .iter()
        .find(|i| !(i.row.is_none() && heading_shaped(i, shape)))
        .is_some_and(|n| n.name_like() && is_entry_shape(n, shape));
    let followed = region.get(k + 1).is_some_and(|n| n.name_like());
    let colon = content.trim_end().ends_with(':');
    if colon && words <= 12 {
        // "Media contact:" over an email introduces what is not a name.
        return if followed {
            Role::Heading(None)
        } else {
            Role::Note
        };
    }
    match shape {
        Shape::Row | Shape::Numbered | Shape::Bullet | Shape::BareNumbered => {
            if is_entry_shape(item, shape) {
                Role::Entry
            } else if item.marker == Marker::None && words <= 12 && next_is_entry {
                Role::Heading(None)
            } else {
                Role::Note
            }
        }
        Shape::Bare => {
            let block_followed = region
                .get(k + 1)
                .is_some_and(|n| !n.block_start && n.name_like());
            let starts_block = item.block_start || k == 0;
            if starts_block && block_followed && words <= 8 {
                if all_group_words(content) {
                    return Role::Heading(Some(
                        "its words are a group's (\"International\", \"Organisations\"…)".into(),
                    ));
                }
                if lines::is_capitals(content)
                    && (words >= 2 || lines::has_group_words(content))
                    && !lines::is_capitals(region[k + 1].content())
                {
                    return Role::Heading(Some(
                        "it is written in capitals and the names under it are not".into(),
                    ));
                }
                if countries::split(content).1.is_none() && countries::is_country(content) {
                    return Role::Heading(Some("it is the name of a country or region".into()));
                }
            }
            // "1 Research by …" at the foot of the names: a footnote. A long
            // name that starts with a number ("2020 Vision …") has names after it.
            if matches!(item.marker, Marker::BareNumber(_))
                && region[..k].iter().any(Item::name_like)
                && !region[k + 1..]
                    .iter()
                    .any(|i| i.marker == Marker::None && i.row.is_none() && i.name_like())
                && lines::marker(item.text).1.split_whitespace().count() > 6
            {
                return Role::Note;
            }
            Role::Entry
        }
    }
}

fn heading_shaped(item: &Item, shape: Shape) -> bool {
    item.marker == Marker::None
        && shape != Shape::Bare
        && item.content().split_whitespace().count() <= 12
}

fn is_entry_shape(item: &Item, shape: Shape) -> bool {
    let marked = matches!(item.marker, Marker::Number(_) | Marker::Bullet);
    match shape {
        Shape::Bare => item.row.is_none(),
        Shape::Row => item.row.is_some() || marked,
        Shape::Numbered | Shape::Bullet => item.row.is_none() && marked,
        Shape::BareNumbered => item.row.is_none() && item.marker != Marker::None,
    }
}

fn entry(item: &Item, shape: Shape) -> Entry {
    let line = item.line;
    if let Some((number, cells)) = &item.row {
        return Entry {
            line,
            name: cells.first().map(|c| (*c).to_owned()).unwrap_or_default(),
            country: None,
            number: *number,
            review: Vec::new(),
            cells: cells.iter().skip(1).map(|c| (*c).to_owned()).collect(),
        };
    }
    let (number, text) = match (item.marker, shape) {
        (Marker::Number(n), _) => (Some(n), item.content()),
        (Marker::BareNumber(n), Shape::BareNumbered) => (Some(n), item.content()),
        // In a list of bare names, "2020 Vision Foundation" keeps its digits.
        (Marker::BareNumber(_), _) => (None, item.text),
        _ => (None, item.content()),
    };
    let text = text.trim_end_matches([',', ';']).trim_end();
    let (name, country) = countries::split(text);
    Entry {
        line,
        name: name.to_owned(),
        country: country.map(str::to_owned),
        number,
        review: Vec::new(),
        cells: Vec::new(),
    }
}

/// A table's further columns, judged for the whole group: a country column
/// when most of its cells are countries, a description when they read as
/// sentences (left out of the name), otherwise a role or organisation that
/// belongs with the name.
fn columns(group: &mut Group) {
    let width = group
        .entries
        .iter()
        .map(|e| e.cells.len())
        .max()
        .unwrap_or(0);
    for col in 0..width {
        let cells: Vec<&str> = group
            .entries
            .iter()
            .filter_map(|e| e.cells.get(col).map(String::as_str))
            .filter(|c| !c.is_empty())
            .collect();
        if cells.is_empty() {
            continue;
        }
        let known = cells.iter().filter(|c| countries::is_country(c)).count();
        let words: usize = cells.iter().map(|c| c.split_whitespace().count()).sum();
        let kind = if known * 5 >= cells.len() * 3 {
            Column::Country
        } else if cells.iter().all(|c| !c.chars().any(char::is_alphabetic)) {
            Column::Figures
        } else if words > cells.len() * 6
            || cells.iter().filter(|c| lines::is_prose(c)).count() * 2 >= cells.len()
        {
            Column::Description
        } else {
            Column::Affiliation
        };
        let sample = cells[0].to_owned();
        for e in &mut group.entries {
            let Some(cell) = e.cells.get(col).filter(|c| !c.is_empty()).cloned() else {
                continue;
            };
            match kind {
                Column::Country => {
                    if !countries::is_country(&cell) {
                        e.review.push(format!("\"{cell}\" is in the table's country column but is not a country broadside knows: check its spelling"));
                    }
                    if e.country.is_none() {
                        e.country = Some(cell);
                    } else {
                        e.name = format!("{}, {cell}", e.name);
                    }
                }
                Column::Description => {
                    e.review.push(format!(
                        "the table's description column was left out of the name: {cell}"
                    ));
                }
                Column::Affiliation => {
                    e.name = format!("{}, {cell}", e.name);
                }
                Column::Figures => {}
            }
        }
        if kind == Column::Figures
            && let Some(first) = group.entries.first_mut()
        {
            first.review.push(format!(
                "the table's column of figures or dates (\"{sample}\" …) was left out of the names"
            ));
        }
        if kind == Column::Affiliation
            && let Some(first) = group.entries.first_mut()
        {
            first.review.push(
                "the table's further column was kept in the name (a role or organisation?): check"
                    .into(),
            );
        }
    }
}

/// What a table's further column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Country,
    Description,
    Affiliation,
    /// Digits and dates only: a sign-on form's date or count, no part of a name.
    Figures,
}

/// The sort form of a name, for telling where an alphabetical run begins.
fn sort_form(name: &str) -> String {
    name.to_lowercase()
}

/// Names out of alphabetical order before an alphabetical run are a group
/// of their own (the coalition's co-organisers before its co-signers), when
/// the text gives the groups no headings.
fn split_alphabetical(groups: Vec<Group>) -> Vec<Group> {
    let mut out = Vec::new();
    for g in groups {
        let names: Vec<&str> = g.entries.iter().map(|e| e.name.as_str()).collect();
        match alphabetical_start(&names).filter(|_| g.heading.is_none()) {
            Some(at) => {
                let mut head = g.clone();
                let tail = head.entries.split_off(at);
                head.inferred = true;
                out.push(head);
                out.push(Group {
                    entries: tail,
                    ..Group::default()
                });
            }
            None => out.push(g),
        }
    }
    out
}

fn alphabetical_start(names: &[&str]) -> Option<usize> {
    if names.len() < 8 {
        return None;
    }
    let sorted_from = (0..names.len())
        .rev()
        .take_while(|&i| i + 1 >= names.len() || sort_form(names[i]) <= sort_form(names[i + 1]))
        .last()?;
    let tail = names.len() - sorted_from;
    (sorted_from > 0 && sorted_from <= 6 && tail >= 5).then_some(sorted_from)
}

/// Says where the text's own numbers skip or repeat, since the documents
/// number the list again from 1.
fn numbering(groups: &[Group], review: &mut Vec<String>) {
    let numbers: Vec<u32> = groups
        .iter()
        .flat_map(|g| g.entries.iter().filter_map(|e| e.number))
        .collect();
    let total: usize = groups.iter().map(|g| g.entries.len()).sum();
    if numbers.len() < total || numbers.is_empty() {
        return;
    }
    let straight = numbers.iter().zip(1u32..).all(|(n, k)| *n == k);
    let per_group = {
        let mut ok = true;
        for g in groups {
            ok &= g
                .entries
                .iter()
                .filter_map(|e| e.number)
                .zip(1u32..)
                .all(|(n, k)| n == k);
        }
        ok
    };
    if straight || per_group {
        return;
    }
    let mut skips = Vec::new();
    for w in numbers.windows(2) {
        if w[1] != w[0] + 1 && w[1] != 1 {
            skips.push(format!("{} after {}", w[1], w[0]));
        }
    }
    if !skips.is_empty() {
        review.push(format!(
            "the text's own numbers do not run straight ({}); the documents number the {total} names 1 to {total} again",
            skips.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_of(text: &str) -> Vec<(String, Option<String>)> {
        let lines: Vec<&str> = text.lines().collect();
        find(&lines)
            .map(|l| {
                l.groups
                    .iter()
                    .flat_map(|g| &g.entries)
                    .map(|e| (e.name.clone(), e.country.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    const PROSE: &str =
        "We urge every government to act now, and to hear those most affected by these decisions.";

    fn groups_of(text: &str) -> Vec<(String, Vec<String>)> {
        let lines: Vec<&str> = text.lines().collect();
        find(&lines)
            .map(|l| {
                l.groups
                    .iter()
                    .map(|g| {
                        (
                            g.heading.clone().unwrap_or_default(),
                            g.entries.iter().map(|e| e.name.clone()).collect(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn a_group_headed_with_list_words_stays_inside_the_list() {
        // "Co-signers" and "Individual signatories" are list words; under
        // "Signed:" they head groups, and the groups above them stay.
        for (first, second) in [
            ("Conveners", "Co-signers"),
            ("Conveners:", "Co-signers:"),
            ("Organisations", "Individual signatories"),
        ] {
            let text = format!(
                "Title\n\n{PROSE}\n\nSigned:\n\n{first}\nAmnesty International\nFreedom House\n\n{second}\nAccess Now\nArticle 19\n"
            );
            let groups = groups_of(&text);
            let names: Vec<&str> = groups
                .iter()
                .flat_map(|(_, n)| n.iter().map(String::as_str))
                .collect();
            assert_eq!(
                names,
                [
                    "Amnesty International",
                    "Freedom House",
                    "Access Now",
                    "Article 19"
                ],
                "{first} / {second}"
            );
            assert_eq!(groups.len(), 2, "{groups:?}");
            assert_eq!(groups[0].0, first.trim_end_matches(':'));
            assert_eq!(groups[1].0, second.trim_end_matches(':'));
        }
        // Prose between two lines of list words: the later one heads the list.
        let text = format!(
            "Title\n\nSignatories\nsee below\nand here\n\n{PROSE}\n\n{PROSE}\n\nSignatories:\nAmnesty International\nFreedom House\n"
        );
        let lines: Vec<&str> = text.lines().collect();
        let list = find(&lines).unwrap();
        assert_eq!(list.heading, Some(10), "{:?}", list.heading);
        assert_eq!(names_of(&text).len(), 2);
    }

    #[test]
    fn a_table_of_figures_is_no_list_but_a_name_of_digits_is_a_name() {
        let figures = format!(
            "{PROSE}\n\nTableau 1\nPays\tPopulation\tPIB\nUN\t329065\t83517\nEU\t37411\t65130\nJapon\t126860\t1433784\n"
        );
        assert!(names_of(&figures).is_empty(), "{:?}", names_of(&figures));
        let table = format!(
            "{PROSE}\n\n141\t11.11.11\tBelgium\n142\t1999\tDominican Republic\n143\tAttac Norway\tNorway\n"
        );
        assert_eq!(
            names_of(&table),
            [
                ("11.11.11".to_owned(), Some("Belgium".to_owned())),
                ("1999".to_owned(), Some("Dominican Republic".to_owned())),
                ("Attac Norway".to_owned(), Some("Norway".to_owned()))
            ]
        );
    }

    #[test]
    fn a_closing_ends_the_body_of_a_list_without_heading() {
        let text = format!(
            "{PROSE}\n\nSincerely,\n\nPublic Citizen’s Global Trade Watch, United States\nBoth ENDS, The Netherlands\nWar on Want (UK)\nFederation of Independent Trade Unions and NGOs (FITUN), Trinidad and Tobago\nTransnational Institute (TNI)\n"
        );
        let got = names_of(&text);
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(
            got[1],
            ("Both ENDS".to_owned(), Some("The Netherlands".to_owned()))
        );
        assert_eq!(got[2], ("War on Want".to_owned(), Some("UK".to_owned())));
        assert_eq!(got[3].1.as_deref(), Some("Trinidad and Tobago"));
        assert_eq!(got[4], ("Transnational Institute (TNI)".to_owned(), None));
    }

    #[test]
    fn a_section_title_with_a_word_like_support_is_not_the_list_heading() {
        let text = format!(
            "Plan\n\nRésumé\nIntroduction\nIV – Comparaison des soutiens agricoles\nConclusion\n\n{PROSE}\n\n{PROSE}\n\n{PROSE}\n"
        );
        assert!(names_of(&text).is_empty(), "{:?}", names_of(&text));
    }

    fn numbered(numbers: &[Option<u32>]) -> Group {
        Group {
            entries: numbers
                .iter()
                .enumerate()
                .map(|(i, n)| Entry {
                    line: i,
                    name: format!("Name {i}"),
                    country: None,
                    number: *n,
                    review: Vec::new(),
                    cells: Vec::new(),
                })
                .collect(),
            ..Group::default()
        }
    }

    fn numbering_of(groups: &[&[Option<u32>]]) -> Vec<String> {
        let groups: Vec<Group> = groups.iter().map(|g| numbered(g)).collect();
        let mut review = Vec::new();
        numbering(&groups, &mut review);
        review
    }

    #[test]
    fn numbers_that_skip_or_repeat_are_named_for_review() {
        let n = |v: &[u32]| v.iter().map(|n| Some(*n)).collect::<Vec<_>>();
        // Straight through, or from 1 in each group: nothing to say.
        assert!(numbering_of(&[&n(&[1, 2, 3])]).is_empty());
        assert!(numbering_of(&[&n(&[1, 2]), &n(&[3, 4])]).is_empty());
        assert!(numbering_of(&[&n(&[1, 2]), &n(&[1, 2, 3])]).is_empty());
        // Names without numbers: the text does not number its list.
        assert!(numbering_of(&[&[Some(1), None, Some(5)]]).is_empty());
        assert!(numbering_of(&[&[None, None]]).is_empty());
        let review = numbering_of(&[&n(&[1, 2, 4, 4, 5])]);
        assert_eq!(review.len(), 1, "{review:?}");
        assert!(
            review[0].contains("(4 after 2, 4 after 4)")
                && review[0].contains("number the 5 names 1 to 5"),
            "{review:?}"
        );
        // A restart at 1 is a new count, not a skip.
        let review = numbering_of(&[&n(&[1, 2, 3]), &n(&[1, 2, 4])]);
        assert!(review[0].contains("(4 after 2)"), "{review:?}");
        // At most three skips are named.
        let review = numbering_of(&[&n(&[1, 3, 5, 7, 9])]);
        assert!(
            review[0].contains("(3 after 1, 5 after 3, 7 after 5)"),
            "{review:?}"
        );
        // A first number other than 1 with no skip after it.
        let review = numbering_of(&[&n(&[2, 3, 4])]);
        assert!(review.is_empty(), "{review:?}");
    }

    #[test]
    fn an_alphabetical_run_after_a_few_names_starts_a_group() {
        let tail = ["alpha", "Bravo", "charlie", "Delta", "echo", "Foxtrot"];
        let with = |head: &[&'static str], tail: &[&'static str]| {
            head.iter().chain(tail).copied().collect::<Vec<&str>>()
        };
        // Compared without case: "alpha" before "Bravo".
        assert_eq!(alphabetical_start(&with(&["Zeta", "Beta"], &tail)), Some(2));
        assert_eq!(
            alphabetical_start(&with(&["Zeta"], &tail)),
            None,
            "seven names"
        );
        assert_eq!(alphabetical_start(&with(&[], &tail)), None);
        assert_eq!(
            alphabetical_start(&with(&["Zeta", "Beta", "Yankee"], &tail[..5])),
            Some(3)
        );
        assert_eq!(
            alphabetical_start(&with(&["Zeta", "Beta", "Yankee", "Xray"], &tail[..4])),
            None,
            "a run of four"
        );
        let six = ["Zulu", "Yankee", "Xray", "Whiskey", "Victor", "Uniform"];
        assert_eq!(alphabetical_start(&with(&six, &tail[..5])), Some(6));
        let seven = [
            "Zz", "Zulu", "Yankee", "Xray", "Whiskey", "Victor", "Uniform",
        ];
        assert_eq!(alphabetical_start(&with(&seven, &tail[..5])), None);
        // All in order: no group before it.
        let sorted = with(&["Aa", "Ab"], &tail);
        assert_eq!(alphabetical_start(&sorted[..2]), None);
        let names: Vec<Group> = vec![Group {
            entries: with(&["Zeta", "Beta"], &tail)
                .iter()
                .enumerate()
                .map(|(i, n)| Entry {
                    line: i,
                    name: (*n).to_owned(),
                    country: None,
                    number: None,
                    review: Vec::new(),
                    cells: Vec::new(),
                })
                .collect(),
            ..Group::default()
        }];
        let split = split_alphabetical(names.clone());
        assert_eq!(split.len(), 2);
        assert!(split[0].inferred && !split[1].inferred);
        assert_eq!(split[0].entries.len(), 2);
        assert_eq!(split[1].entries[0].name, "alpha");
        // A group with its own heading is never split.
        let mut headed = names;
        headed[0].heading = Some("Signatories".into());
        assert_eq!(split_alphabetical(headed).len(), 1);
    }

    fn table_group(rows: &[&[&str]]) -> Group {
        Group {
            entries: rows
                .iter()
                .enumerate()
                .map(|(i, r)| Entry {
                    line: i,
                    name: r[0].to_owned(),
                    country: None,
                    number: None,
                    review: Vec::new(),
                    cells: r[1..].iter().map(|c| (*c).to_owned()).collect(),
                })
                .collect(),
            ..Group::default()
        }
    }

    #[test]
    fn a_tables_columns_are_judged_for_the_whole_group() {
        // Three countries in five cells make a country column.
        let mut g = table_group(&[
            &["A", "France"],
            &["B", "Belgique"],
            &["C", "Kenya"],
            &["D", "Atlantis"],
            &["E", "Nowhere"],
        ]);
        columns(&mut g);
        assert_eq!(g.entries[0].country.as_deref(), Some("France"));
        assert_eq!(g.entries[3].country.as_deref(), Some("Atlantis"));
        assert!(g.entries[3].review[0].contains("\"Atlantis\" is in the table's country column"));
        assert!(g.entries[0].review.is_empty());
        assert_eq!(g.entries[0].name, "A");
        // Two in five do not: the cells are kept in the name.
        let mut g = table_group(&[
            &["A", "France"],
            &["B", "Belgique"],
            &["C", "Oxfam"],
            &["D", "Atlantis"],
            &["E", "Nowhere"],
        ]);
        columns(&mut g);
        assert_eq!(g.entries[0].country, None);
        assert_eq!(g.entries[2].name, "C, Oxfam");
        assert!(g.entries[0].review[0].contains("further column was kept in the name"));
        assert!(g.entries[1].review.is_empty());
        // A second country column, once the first has given the country.
        let mut g = table_group(&[&["A", "France", "Kenya"], &["B", "Belgique", "Mali"]]);
        columns(&mut g);
        assert_eq!(g.entries[0].country.as_deref(), Some("France"));
        assert_eq!(g.entries[0].name, "A, Kenya");
        // Long cells are a description, left out of the name.
        let mut g = table_group(&[
            &["A", "one two three four five six seven"],
            &["B", "one two three four five six"],
        ]);
        columns(&mut g);
        assert_eq!(g.entries[0].name, "A");
        assert!(g.entries[1].review[0].contains("description column was left out"));
        let mut g = table_group(&[
            &["A", "one two three four five six"],
            &["B", "one two three four five six"],
        ]);
        columns(&mut g);
        assert_eq!(g.entries[0].name, "A, one two three four five six");
        // Half the cells sentences: a description too.
        let mut g = table_group(&[&["A", "We work on human rights here."], &["B", "Lawyer"]]);
        columns(&mut g);
        assert_eq!(g.entries[1].name, "B");
        // Empty cells are passed over.
        let mut g = table_group(&[&["A", ""], &["B", "France"], &["C", "Kenya"]]);
        columns(&mut g);
        assert_eq!(
            (g.entries[0].name.as_str(), g.entries[0].country.as_deref()),
            ("A", None)
        );
        assert_eq!(g.entries[2].country.as_deref(), Some("Kenya"));
    }

    #[test]
    fn a_heading_loses_its_colon_or_comma() {
        assert_eq!(heading_text("  Firman, "), "Firman");
        assert_eq!(heading_text("National :"), "National");
        assert_eq!(heading_text("Groups:,"), "Groups");
    }

    fn list_of(text: &str) -> List {
        let lines: Vec<&str> = text.lines().collect();
        find(&lines).unwrap_or_else(|| panic!("no list in {text:?}"))
    }

    /// The names without their countries.
    fn plain_names(text: &str) -> Vec<String> {
        names_of(text).into_iter().map(|(n, _)| n).collect()
    }

    fn after_of(list: &List) -> Vec<&str> {
        list.after.iter().map(|(_, t)| t.as_str()).collect()
    }

    #[test]
    fn a_tables_header_row_is_left_out_and_a_first_row_of_names_is_kept() {
        let text = format!(
            "{PROSE}\n\nSignatories:\nName\tCountry\nAmnesty International\tUnited Kingdom\nAccess Now\tUnited States\nArticle 19\tKenya\n"
        );
        let list = list_of(&text);
        assert_eq!(
            names_of(&text),
            [
                (
                    "Amnesty International".to_owned(),
                    Some("United Kingdom".to_owned())
                ),
                ("Access Now".to_owned(), Some("United States".to_owned())),
                ("Article 19".to_owned(), Some("Kenya".to_owned())),
            ]
        );
        assert_eq!(
            list.review,
            ["line 4: taken for the table's header row and left out: Name | Country"]
        );
        // No header: the first row is a signatory like the others, its
        // second cell an organisation kept with the name.
        let text = format!(
            "{PROSE}\n\nSigned:\nMaria Lopez\tCentro de Derechos\nJohn Smith\tRights Watch\nAiko Tanaka\tPeace Boat\n"
        );
        let got = plain_names(&text);
        assert_eq!(
            got,
            [
                "Maria Lopez, Centro de Derechos",
                "John Smith, Rights Watch",
                "Aiko Tanaka, Peace Boat"
            ]
        );
        assert!(list_of(&text).review.iter().all(|r| !r.contains("header")));
    }

    #[test]
    fn a_column_of_dates_is_left_out_of_the_names() {
        // A sign-on form's export: name, country, the date signed.
        let text = format!(
            "{PROSE}\n\nSignatories:\nAmnesty International\tUnited Kingdom\t12/03/2021\nOxfam\tKenya\t13/03/2021\nArticle 19\tFrance\t14/03/2021\n"
        );
        assert_eq!(
            names_of(&text),
            [
                (
                    "Amnesty International".to_owned(),
                    Some("United Kingdom".to_owned())
                ),
                ("Oxfam".to_owned(), Some("Kenya".to_owned())),
                ("Article 19".to_owned(), Some("France".to_owned())),
            ]
        );
        let list = list_of(&text);
        assert_eq!(
            list.groups[0].entries[0].review,
            ["the table's column of figures or dates (\"12/03/2021\" …) was left out of the names"]
        );
        assert!(list.groups[0].entries[1].review.is_empty());
    }

    #[test]
    fn a_table_row_holding_an_address_is_a_note_not_a_name() {
        let text = format!(
            "{PROSE}\n\nSignatories:\nAmnesty International\tUnited Kingdom\nOxfam\tKenya\nArticle 19\tFrance\nSign at https://example.org/sign\tOnline\n"
        );
        assert_eq!(names_of(&text).len(), 3, "{:?}", names_of(&text));
        assert_eq!(
            after_of(&list_of(&text)),
            ["Sign at https://example.org/sign\tOnline"]
        );
    }

    #[test]
    fn a_colon_line_over_what_is_not_a_name_is_a_note() {
        let text = format!(
            "{PROSE}\n\nAmnesty International\nOxfam\nAccess Now\n\nMedia contact:\npress@example.org\n"
        );
        let list = list_of(&text);
        assert_eq!(
            groups_of(&text),
            [(
                String::new(),
                vec![
                    "Amnesty International".to_owned(),
                    "Oxfam".to_owned(),
                    "Access Now".to_owned()
                ]
            )]
        );
        assert_eq!(after_of(&list), ["Media contact:", "press@example.org"]);
    }

    #[test]
    fn footnotes_at_the_foot_of_a_bare_list_are_notes() {
        let text = format!(
            "{PROSE}\n\nSignatories:\nAmnesty International\nOxfam\nAccess Now\n\n1 Research by Friends of the Earth International on trade in 2020\n2 Figures from the World Bank, published in its annual report\n"
        );
        let list = list_of(&text);
        assert_eq!(names_of(&text).len(), 3, "{:?}", names_of(&text));
        assert_eq!(
            after_of(&list),
            [
                "1 Research by Friends of the Earth International on trade in 2020",
                "2 Figures from the World Bank, published in its annual report"
            ]
        );
        // A long name that starts with a number has names after it.
        let text = format!(
            "{PROSE}\n\nSignatories:\nAmnesty International\n2020 Vision Foundation for Sustainable Development in the Global South\nOxfam\n"
        );
        let got = plain_names(&text);
        assert_eq!(
            got,
            [
                "Amnesty International",
                "2020 Vision Foundation for Sustainable Development in the Global South",
                "Oxfam"
            ]
        );
    }

    #[test]
    fn a_numbered_list_has_headings_without_colons_notes_and_a_line_after_it() {
        let text = format!(
            "{PROSE}\n\nSignatories:\n1. Amnesty International\n2. Oxfam\nFrom the region\n3. Access Now\n4. Article 19\nThe following signed after the deadline of 30 April and are listed as received\n5. Freedom House\nList updated on 3 November 2025\n"
        );
        let list = list_of(&text);
        assert_eq!(
            groups_of(&text),
            [
                (
                    String::new(),
                    vec!["Amnesty International".to_owned(), "Oxfam".to_owned()]
                ),
                (
                    "From the region".to_owned(),
                    vec![
                        "Access Now".to_owned(),
                        "Article 19".to_owned(),
                        "Freedom House".to_owned()
                    ]
                ),
            ]
        );
        let numbers: Vec<Option<u32>> = list
            .groups
            .iter()
            .flat_map(|g| g.entries.iter().map(|e| e.number))
            .collect();
        assert_eq!(numbers, [Some(1), Some(2), Some(3), Some(4), Some(5)]);
        assert_eq!(
            list.between,
            [(
                8,
                "The following signed after the deadline of 30 April and are listed as received"
                    .to_owned()
            )]
        );
        assert_eq!(after_of(&list), ["List updated on 3 November 2025"]);
    }

    #[test]
    fn a_list_numbered_without_dots_loses_its_numbers_from_the_names() {
        for n in [3, 4, 6] {
            let names = [
                "Amnesty International",
                "Oxfam",
                "Access Now",
                "Article 19",
                "EFF",
                "TEDIC",
            ];
            let lines: String = names[..n]
                .iter()
                .zip(1..)
                .map(|(name, k)| format!("{k} {name}\n"))
                .collect();
            let text = format!("{PROSE}\n\nSignatories:\n{lines}");
            let list = list_of(&text);
            let got: Vec<(&str, Option<u32>)> = list.groups[0]
                .entries
                .iter()
                .map(|e| (e.name.as_str(), e.number))
                .collect();
            let want: Vec<(&str, Option<u32>)> =
                names[..n].iter().copied().zip((1..).map(Some)).collect();
            assert_eq!(got, want, "{n} names");
        }
        // Two footnotes under three bare names do not make a numbered list.
        let text = format!(
            "{PROSE}\n\nSignatories:\nAmnesty International\nOxfam\nAccess Now\n1 Research by Friends of the Earth\n2 Figures from the World Bank\n"
        );
        let got = plain_names(&text);
        assert_eq!(got[..3], ["Amnesty International", "Oxfam", "Access Now"]);
    }

    #[test]
    fn capitals_head_a_group_only_at_the_start_of_a_block() {
        // Inside a block, a name in capitals is a name.
        let text =
            format!("{PROSE}\n\nSignatories:\nAmnesty International\nARTICLE 19\nAccess Now\n");
        assert_eq!(groups_of(&text).len(), 1, "{:?}", groups_of(&text));
        assert_eq!(names_of(&text).len(), 3);
        // Pasted double-spaced: one group, names in capitals included.
        let text = format!(
            "{PROSE}\n\nSignatories:\n\nAmnesty International\n\nARTICLE 19\n\nAccess Now\n\nCIVICUS\n"
        );
        assert_eq!(
            groups_of(&text),
            [(
                String::new(),
                [
                    "Amnesty International",
                    "ARTICLE 19",
                    "Access Now",
                    "CIVICUS"
                ]
                .map(str::to_owned)
                .to_vec()
            )]
        );
        // At a block's start, over names that are not in capitals, a heading.
        let text = format!(
            "{PROSE}\n\nSignatories:\nLATIN AMERICA AND THE CARIBBEAN\nCentro de Derechos\nRed de Mujeres\n\nEUROPE AND CENTRAL ASIA\nFair Trials\nStatewatch\n"
        );
        let list = list_of(&text);
        let headings: Vec<(Option<&str>, Option<&str>)> = list
            .groups
            .iter()
            .map(|g| (g.heading.as_deref(), g.heading_review.as_deref()))
            .collect();
        let why = Some("it is written in capitals and the names under it are not");
        assert_eq!(
            headings,
            [
                (Some("LATIN AMERICA AND THE CARIBBEAN"), why),
                (Some("EUROPE AND CENTRAL ASIA"), why)
            ]
        );
        assert_eq!(list.groups[1].entries.len(), 2);
        // Group words head a group at the list's first line.
        let text = format!(
            "{PROSE}\n\nSignatories:\nINTERNATIONAL\nAmnesty International\nOxfam\n\nNATIONAL\nKenya Human Rights Commission\nLegal Resources Centre\n"
        );
        let groups = groups_of(&text);
        assert_eq!(
            groups
                .iter()
                .map(|(h, n)| (h.as_str(), n.len()))
                .collect::<Vec<_>>(),
            [("INTERNATIONAL", 2), ("NATIONAL", 2)]
        );
    }

    #[test]
    fn a_bare_list_with_a_few_bulleted_names_is_read_whole() {
        let text = format!(
            "{PROSE}\n\nSignatories:\nAmnesty International\nOxfam\nAccess Now\nArticle 19\nCIVICUS\n- Freedom House\n- Human Rights Watch\n"
        );
        let got = plain_names(&text);
        assert_eq!(
            got,
            [
                "Amnesty International",
                "Oxfam",
                "Access Now",
                "Article 19",
                "CIVICUS",
                "Freedom House",
                "Human Rights Watch"
            ]
        );
    }

    #[test]
    fn a_list_without_heading_ends_before_a_line_or_two_of_prose() {
        // Two sentences and a contact address after the names.
        let text = format!(
            "{PROSE}\n\nAmnesty International\nOxfam\nAccess Now\n\nThis letter remains open for signature.\nContact: press@example.org\nWrite to us to add your name.\n"
        );
        let list = list_of(&text);
        assert_eq!(list.heading, None);
        assert_eq!(list.body_end, 2);
        assert_eq!(names_of(&text).len(), 3);
        assert_eq!(
            after_of(&list),
            [
                "This letter remains open for signature.",
                "Contact: press@example.org",
                "Write to us to add your name."
            ]
        );
        // One sentence after them.
        let text = format!(
            "{PROSE}\n\nAmnesty International\nOxfam\nAccess Now\n\nThis letter remains open for signature.\n"
        );
        assert_eq!(names_of(&text).len(), 3);
        // A paragraph after them: the text ends in prose, and has no list.
        let text = format!(
            "{PROSE}\n\nAmnesty International\nOxfam\nAccess Now\n\nThis letter remains open for signature.\nWrite to us to add your name.\nWe will publish it on Friday.\n"
        );
        let lines: Vec<&str> = text.lines().collect();
        assert!(find(&lines).is_none());
        // Two short lines after prose are a signature, not a list; prose
        // alone has none.
        for text in [
            format!("{PROSE}\n\nJane Doe\nDirector\n"),
            format!("{PROSE}\n\n{PROSE}\n"),
        ] {
            let lines: Vec<&str> = text.lines().collect();
            assert!(find(&lines).is_none(), "{text}");
        }
    }

    #[test]
    fn a_heading_on_the_first_line_opens_the_list() {
        let text = "Signatories\nAmnesty International\nOxfam\nAccess Now\n";
        let list = list_of(text);
        assert_eq!((list.heading, list.body_end), (Some(0), 0));
        assert_eq!(names_of(text).len(), 3);
    }
}
