//! A statement pasted as plain text (or Markdown), turned into a TOML
//! statement to edit: the title and date lines become keys, the paragraphs
//! the body, the signatory list its entries with their groups and countries.
//!
//! Import never changes a name: every name it writes is a slice of the text,
//! character for character, with only a list marker ("1.", "-") or a
//! table's number cell taken off. What it has to judge (where the list
//! starts, a heading without a colon, a table's third column, the language,
//! the date) is written with a `# REVIEW` comment saying what it chose and
//! why, and the file starts with a review line that `check` and `build`
//! warn about until it is deleted. Lines that are not names (footnotes, a
//! contact line after the list) are kept as comments, never dropped.

mod countries;
mod dates;
mod language;
mod lines;
mod list;

use std::fmt::Write as _;

pub use countries::is_country;

/// The line an imported statement starts with until someone has reviewed it.
pub const REVIEW_MARK: &str = "# broadside import: review";

/// What the import made, and what it had to guess.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The TOML statement.
    pub toml: String,
    /// One line per guess, for the person running the import.
    pub notes: Vec<String>,
    /// How many signatories were found.
    pub signatories: usize,
    /// How many paragraphs the body has.
    pub paragraphs: usize,
}

/// A statement whose signatories are a spreadsheet's rows (`file`, in the
/// statement's folder `dir`): the list stays in the spreadsheet, read at
/// every build, and the TOML holds the rest to fill in.
pub fn import_spreadsheet(
    dir: &std::path::Path,
    file: &std::path::Path,
    today: (i32, u8, u8),
) -> crate::error::Result<Imported> {
    let spec = crate::load::sheet::SignatoryFile {
        file: file.to_path_buf(),
        ..Default::default()
    };
    let sheet = crate::load::sheet::read(dir, &spec).map_err(crate::error::Error::Usage)?;
    let rows = &sheet.signatories;
    let columns: Vec<String> = sheet
        .columns
        .iter()
        .map(|(field, column)| format!("{field} from `{column}`"))
        .collect();
    let mut notes = vec![format!(
        "{} signatories in {}, read at every build ({}); the title, date and text are to write",
        rows.len(),
        file.display(),
        columns.join(", ")
    )];
    if rows.is_empty() {
        notes.push("the spreadsheet has no rows under its header".into());
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{REVIEW_MARK} the lines marked REVIEW, then delete this line."
    );
    out.push_str(
        "# Made by `broadside import` from a spreadsheet of signatories.

",
    );
    out.push_str("title = \"\"  # REVIEW: the statement's title\n");
    let _ = writeln!(
        out,
        "date = {:04}-{:02}-{:02}  # REVIEW: today's; set the day of publication",
        today.0, today.1, today.2
    );
    out.push_str("language = \"en\"  # REVIEW: the statement's language\n");
    out.push_str("\nbody = \"\"\"\n\n\"\"\"  # REVIEW: the statement's text, in Markdown\n\n");
    let _ = writeln!(
        out,
        "# The signatories are the spreadsheet's rows, in its order; `columns` maps\n# a field to a column whose header is not the field's name.\nsignatories = {{ file = \"{}\" }}",
        toml_escape(&file.display().to_string(), false)
    );
    Ok(Imported {
        toml: out,
        notes,
        signatories: rows.len(),
        paragraphs: 0,
    })
}

/// Escapes text for a TOML basic string.
fn toml_escape(text: &str, multiline: bool) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' if multiline => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Text made safe for a TOML comment: one line, no control characters.
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A title proposed from the opening sentence: its first clause when that
/// is long enough to say something, else the whole sentence (never cut).
fn propose_title(first_paragraph: &str) -> String {
    let sentence = first_paragraph
        .split_inclusive(['.', '!', '?'])
        .next()
        .unwrap_or(first_paragraph)
        .trim()
        .trim_end_matches('.');
    if sentence.split_whitespace().count() <= 12 {
        return sentence.to_owned();
    }
    for (i, c) in sentence.char_indices() {
        if matches!(c, ',' | ':' | ';' | '—') {
            let head = sentence[..i].trim();
            if head.split_whitespace().count() >= 4 {
                return head.to_owned();
            }
        }
    }
    sentence.to_owned()
}

/// The title line: the text's first line when it stands alone (a blank
/// line under it, or its date line and then a blank line) and reads as a
/// title, not as a paragraph or a date. `language` is the text's, for the
/// date line's month names.
fn title_line(text_lines: &[&str], language: &str) -> Option<(usize, String)> {
    let first = text_lines.iter().position(|l| !l.trim().is_empty())?;
    let line = text_lines[first].trim();
    if let Some(heading) = line.strip_prefix("# ") {
        return Some((first, heading.trim().to_owned()));
    }
    let blank = |i: usize| text_lines.get(i).is_none_or(|l| l.trim().is_empty());
    let dated = text_lines
        .get(first + 1)
        .is_some_and(|l| dates::is_date_line(l, language));
    let alone = blank(first + 1) || (dated && blank(first + 2));
    let words = line.split_whitespace().count();
    let sentence = line.ends_with('.') && words > 12;
    (alone && words <= 40 && !sentence && !lines::is_list_heading(line) && !line.contains('\t'))
        .then(|| (first, line.to_owned()))
}

/// Reads a plain-text or Markdown statement. `today` fills the date when
/// the text gives none.
pub fn import(text: &str, today: (i32, u8, u8)) -> Imported {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let text_lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut notes = Vec::new();

    let found = list::find(&text_lines);
    let body_end = found.as_ref().map_or(text_lines.len(), |l| l.body_end);

    // Title and date lines become keys and leave the body.
    let title_found = title_line(&text_lines[..body_end], language::guess(&text).tag);
    let mut body_start = title_found.as_ref().map_or(0, |(i, _)| i + 1);
    // The language of the text under the title (its date line included,
    // which does not sway it), for reading the date and for the statement.
    let after_title = text_lines[body_start..body_end].join("\n");
    let lang = language::guess(if after_title.trim().is_empty() {
        &text
    } else {
        &after_title
    });
    // The list's heading may carry the date ("Endosseurs au 30 avril 2020:").
    let date = dates::find(&text_lines, body_end + 1, lang.tag);
    if let Some(d) = &date {
        let next = (body_start..body_end).find(|&i| !text_lines[i].trim().is_empty());
        if next == Some(d.line) && text_lines[d.line].split_whitespace().count() <= 8 {
            body_start = d.line + 1;
        }
    }
    let body = text_lines[body_start.min(body_end)..body_end]
        .join("\n")
        .trim()
        .to_owned();
    let paragraphs = body.split("\n\n").filter(|p| !p.trim().is_empty()).count();

    let title = match &title_found {
        Some((_, t)) => t.clone(),
        None => {
            let first = body.split("\n\n").next().unwrap_or("");
            let proposed = propose_title(first);
            notes.push(format!(
                "the text has no title line; proposed \"{proposed}\" from the opening sentence: edit it"
            ));
            proposed
        }
    };
    let (date_value, date_note) = dated(date.as_ref(), today, &mut notes);
    notes.push(format!(
        "the language was identified as `{}`: check it",
        lang.tag
    ));
    let list = found.unwrap_or_default();
    let count: usize = list.groups.iter().map(|g| g.entries.len()).sum();
    review_list(&list, count, &mut notes);

    let header = Header {
        title: &title,
        proposed: title_found.is_none(),
        date: date_value,
        date_note: &date_note,
        language: lang.tag,
        language_note: &language_note(&lang),
        body: &body,
    };
    Imported {
        toml: toml_of(&header, &list),
        notes,
        signatories: count,
        paragraphs,
    }
}

/// The publication date, and the note the TOML carries beside it: as read,
/// or today's when the text gives none.
fn dated(
    date: Option<&dates::Found>,
    today: (i32, u8, u8),
    notes: &mut Vec<String>,
) -> ((i32, u8, u8), String) {
    match date {
        Some(d) => {
            notes.push(format!(
                "the date {:04}-{:02}-{:02} was read from \"{}\" (line {}): check it is the day of publication",
                d.ymd.0, d.ymd.1, d.ymd.2, d.text, d.line + 1
            ));
            (
                d.ymd,
                format!("read from \"{}\" on line {}", comment(&d.text), d.line + 1),
            )
        }
        None => {
            notes.push(format!(
                "the text gives no full date; the date is today's ({:04}-{:02}-{:02}): set the publication date",
                today.0, today.1, today.2
            ));
            (
                today,
                "the text gives no full date: today's; set the day of publication".to_owned(),
            )
        }
    }
}

/// How the language was found, for the TOML's comment.
fn language_note(lang: &language::Guess) -> String {
    if lang.confidence > 0.0 {
        format!(
            "identified by whatlang (confidence {:.2}){}",
            lang.confidence,
            if lang.supported {
                ""
            } else {
                "; broadside's own labels fall back to English for it"
            }
        )
    } else {
        "too little text to identify; English assumed".to_owned()
    }
}

/// What a person should check in the list that was read.
fn review_list(list: &list::List, count: usize, notes: &mut Vec<String>) {
    notes.extend(list.review.iter().cloned());
    let unnamed = list.groups.iter().filter(|g| g.heading.is_none()).count();
    if list.groups.len() > 1 && unnamed > 0 {
        notes.push(format!(
            "{unnamed} of {} groups of signatories have no heading in the text; name them (Conveners, Co-organisers, ...)",
            list.groups.len()
        ));
    }
    if list.groups.iter().any(|g| g.inferred) {
        notes
            .push("a group break was inferred where the alphabetical list begins: check it".into());
    }
    let judged = list
        .groups
        .iter()
        .filter(|g| g.heading_review.is_some())
        .count();
    if judged > 0 {
        notes.push(format!(
            "{judged} line(s) without a colon were taken for group headings: check them (marked REVIEW)"
        ));
    }
    let entry_reviews: usize = list
        .groups
        .iter()
        .flat_map(|g| &g.entries)
        .filter(|e| !e.review.is_empty())
        .count();
    if entry_reviews > 0 {
        notes.push(format!(
            "{entry_reviews} signatories carry a REVIEW line: check them"
        ));
    }
    if count == 0 {
        notes.push("no signatories were found: add them as [[signatories]]".into());
    }
}

/// The keys above the list, as the TOML writes them.
struct Header<'a> {
    title: &'a str,
    /// The title was proposed from the opening sentence.
    proposed: bool,
    date: (i32, u8, u8),
    date_note: &'a str,
    language: &'a str,
    language_note: &'a str,
    body: &'a str,
}

/// The statement as TOML to edit, with its REVIEW lines.
fn toml_of(header: &Header<'_>, list: &list::List) -> String {
    let Header {
        title,
        date: date_value,
        date_note,
        language_note,
        body,
        ..
    } = *header;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{REVIEW_MARK} the lines marked REVIEW, then delete this line."
    );
    out.push_str("# Made by `broadside import` from a plain-text statement.\n\n");
    let title_note = if header.proposed {
        "  # REVIEW: proposed from the opening sentence"
    } else {
        ""
    };
    let _ = writeln!(out, "title = \"{}\"{title_note}", toml_escape(title, false));
    let _ = writeln!(
        out,
        "date = {:04}-{:02}-{:02}  # REVIEW: {date_note}",
        date_value.0, date_value.1, date_value.2
    );
    let _ = writeln!(
        out,
        "language = \"{}\"  # REVIEW: {language_note}",
        header.language
    );
    let _ = writeln!(out, "\nbody = \"\"\"\n{}\n\"\"\"", toml_escape(body, true));
    for line in &list.review {
        let _ = writeln!(out, "# REVIEW: {}", comment(line));
    }
    write_signatories(&mut out, list);
    if !list.after.is_empty() {
        out.push_str("\n# After the list the text has these lines, which are not names:\n");
        for (line, text) in &list.after {
            let _ = writeln!(out, "# line {}: {}", line + 1, comment(text));
        }
    }
    out
}

fn write_signatories(out: &mut String, list: &list::List) {
    let mut number = 0;
    let mut next_note = 0;
    let several = list.groups.len() > 1;
    for (k, g) in list.groups.iter().enumerate() {
        let label = match &g.heading {
            Some(l) => l.clone(),
            None if several => format!("Group {}", k + 1),
            None => String::new(),
        };
        out.push('\n');
        match (&g.heading, &g.heading_review) {
            (None, _) if several => {
                let why = if g.inferred {
                    "names out of alphabetical order before an alphabetical list"
                } else {
                    "a blank line in the text"
                };
                let _ = writeln!(out, "# REVIEW: name this group ({why})");
            }
            (Some(h), Some(why)) => {
                let _ = writeln!(
                    out,
                    "# REVIEW: \"{}\" was taken for a group heading: {why}",
                    comment(h)
                );
            }
            _ => {}
        }
        for e in &g.entries {
            while let Some((line, text)) = list.between.get(next_note).filter(|(l, _)| *l < e.line)
            {
                let _ = writeln!(out, "# line {}, not a name: {}", line + 1, comment(text));
                next_note += 1;
            }
            number += 1;
            let _ = write!(
                out,
                "[[signatories]]  # {number}\nname = \"{}\"\n",
                toml_escape(&e.name, false)
            );
            if let Some(c) = &e.country {
                let _ = writeln!(out, "country = \"{}\"", toml_escape(c, false));
            }
            if !label.is_empty() {
                let _ = writeln!(out, "group = \"{}\"", toml_escape(&label, false));
            }
            for r in &e.review {
                let _ = writeln!(out, "# REVIEW: {}", comment(r));
            }
        }
    }
}

/// Today's date (UTC), as (year, month, day).
pub fn today() -> (i32, u8, u8) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The civil date (proleptic Gregorian) `days` after 1970-01-01.
pub(crate) fn civil_date(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        i32::try_from(year).unwrap_or(1970),
        u8::try_from(month).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

/// Days from 1970-01-01 to a civil date: the inverse of [`civil_date`].
pub(crate) fn civil_days(year: i32, month: u8, day: u8) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_and_dates_are_inverse() {
        assert_eq!(civil_days(1970, 1, 1), 0);
        assert_eq!(civil_days(2000, 3, 1), 11_017);
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_date(days);
            assert_eq!(civil_days(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn titles_come_from_the_first_clause_of_a_long_opening_and_are_never_cut() {
        assert_eq!(
            propose_title(
                "On this International Day of Political Prisoners, we stand together to affirm a simple truth: no one should be imprisoned. More."
            ),
            "On this International Day of Political Prisoners"
        );
        assert_eq!(propose_title("Free them all. Now."), "Free them all");
        let long = "We the undersigned organisations working across many countries call upon all governments everywhere to act now";
        assert_eq!(propose_title(long), long);
    }

    #[test]
    fn a_title_with_its_date_line_under_it_is_the_title() {
        for (text, title) in [
            (
                "Free Them All: A Joint Letter\n30 October 2025\n\nWe call on every government to act.\n",
                "Free Them All: A Joint Letter",
            ),
            (
                "Lettre ouverte aux ministres\nParis, le 30 octobre 2025\n\nNous demandons à l'OMC de changer de cap.\n",
                "Lettre ouverte aux ministres",
            ),
            ("# Free them\n\nWe call on every government.\n", "Free them"),
            ("Free them\n\nWe call on every government.\n", "Free them"),
        ] {
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(
                title_line(&lines, language::guess(text).tag),
                Some((0, title.to_owned())),
                "{text:?}"
            );
            let imported = import(text, (2026, 1, 1));
            assert!(
                imported
                    .toml
                    .contains(&format!("title = \"{}\"\n", toml_escape(title, false))),
                "{}",
                imported.toml
            );
            assert!(
                !imported.toml.contains("2025\n\n"),
                "the date line stays out of the body"
            );
        }
        // Two lines of text under each other are a paragraph, not a title.
        let text = "Free them\nall of them now\n\nWe call on every government.\n";
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(title_line(&lines, "en"), None);
        // A date line with more under it is a paragraph too.
        let text = "Free them\n30 October 2025\nand more\n\nWe call.\n";
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(title_line(&lines, "en"), None);
    }

    /// A statement imported whole, as a person reads it: the title with
    /// its quote and backslash escaped, the date line out of the body, a
    /// tab and a control character escaped in the body, groups named by
    /// their headings, countries apart.
    #[test]
    fn a_statement_is_imported_as_a_person_reads_it() {
        let text = "Free \"Them\" All \\ Now\n\
30 October 2025\n\
\n\
We call on every government to act:\tnow, with \u{1} care.\n\
Second line of it.\n\
\n\
Signed:\n\
\n\
International organisations\n\
Amnesty International (UK)\n\
Freedom House, United States\n\
\n\
Lead signers:\n\
OVD-Info\n\
Viasna\n\
";
        let imported = import(text, (2026, 1, 1));
        assert_eq!(
            imported.toml,
            "# broadside import: review the lines marked REVIEW, then delete this line.\n\
# Made by `broadside import` from a plain-text statement.\n\
\n\
title = \"Free \\\"Them\\\" All \\\\ Now\"\n\
date = 2025-10-30  # REVIEW: read from \"30 October 2025\" on line 2\n\
language = \"en\"  # REVIEW: identified by whatlang (confidence 1.00)\n\
\n\
body = \"\"\"\n\
We call on every government to act:\\tnow, with \\u0001 care.\n\
Second line of it.\n\
\"\"\"\n\
\n\
# REVIEW: \"International organisations\" was taken for a group heading: its words are a group's (\"International\", \"Organisations\"…)\n\
[[signatories]]  # 1\n\
name = \"Amnesty International\"\n\
country = \"UK\"\n\
group = \"International organisations\"\n\
[[signatories]]  # 2\n\
name = \"Freedom House\"\n\
country = \"United States\"\n\
group = \"International organisations\"\n\
\n\
[[signatories]]  # 3\n\
name = \"OVD-Info\"\n\
group = \"Lead signers\"\n\
[[signatories]]  # 4\n\
name = \"Viasna\"\n\
group = \"Lead signers\"\n\
"
        );
        assert_eq!(imported.signatories, 4);
        assert_eq!(imported.paragraphs, 1);
        let dir = std::path::Path::new("/nonexistent");
        let loaded = crate::load::load_str(
            &imported.toml,
            crate::load::Format::Toml,
            &dir.join("statement.toml"),
            dir,
        )
        .unwrap();
        assert_eq!(loaded.statement.title, "Free \"Them\" All \\ Now");
        assert_eq!(loaded.statement.signatories.len(), 4);
    }

    #[test]
    fn groups_without_headings_are_numbered_for_review() {
        let text = "Free them\n\nWe call on every government to act now.\n\nSignatories:\n\nMcCain Institute\nFreedom House\n\nAccess Now\nArticle 19\nCIVICUS\n";
        let toml = import(text, (2026, 1, 1)).toml;
        let list = &toml[toml.find("# REVIEW: name this group").unwrap()..];
        assert_eq!(
            list.matches("# REVIEW: name this group (a blank line in the text)\n")
                .count(),
            2,
            "{list}"
        );
        assert_eq!(list.matches("group = \"Group 1\"").count(), 2);
        assert_eq!(list.matches("group = \"Group 2\"").count(), 3);
        assert!(list.contains("[[signatories]]  # 5\nname = \"CIVICUS\"\ngroup = \"Group 2\"\n"));
        // One group alone needs no name.
        let one = import("Free them\n\nWe call on every government to act now.\n\nSignatories:\n\nAccess Now\nArticle 19\n", (2026, 1, 1)).toml;
        assert!(!one.contains("group ="), "{one}");
        assert!(one.contains("[[signatories]]  # 2\nname = \"Article 19\"\n"));
    }

    #[test]
    fn toml_strings_and_comments_are_escaped() {
        assert_eq!(toml_escape("a\"b\\c", false), "a\\\"b\\\\c");
        assert_eq!(toml_escape("a\nb\tc", false), "a\\nb\\tc");
        assert_eq!(toml_escape("a\nb", true), "a\nb");
        assert_eq!(toml_escape("a\u{7}b\u{1b}", false), "a\\u0007b\\u001B");
        assert_eq!(toml_escape("é ✊", false), "é ✊");
        assert_eq!(comment("a\nb\tc\u{7}"), "a b c ");
        assert_eq!(comment("é"), "é");
    }

    #[test]
    fn a_long_sentence_opening_the_text_is_no_title() {
        let line = |words: usize, end: &str| {
            let mut text = vec!["word"; words].join(" ");
            text.push_str(end);
            format!("{text}\n\nWe call on every government to act now.\n")
        };
        let title = |text: &str| {
            let lines: Vec<&str> = text.lines().collect();
            title_line(&lines, "en").is_some()
        };
        assert!(!title(&line(13, ".")), "a sentence of 13 words");
        assert!(title(&line(12, ".")), "12 words with a full stop");
        assert!(title(&line(13, "")), "13 words without one");
        assert!(title(&line(40, "")));
        assert!(!title(&line(41, "")));
    }

    #[test]
    fn a_date_in_the_lists_heading_is_the_date_and_the_body_stays() {
        let body: Vec<String> = (1..=9)
            .map(|k| {
                format!(
                    "Paragraphe {k} de ce que nous demandons aux ministres lors de la conférence."
                )
            })
            .collect();
        let text = format!(
            "Lettre ouverte\n\n{}\n\nEndosseurs au 30 avril 2020:\n\nAttac France\nCNCD-11.11.11\n",
            body.join("\n\n")
        );
        let imported = import(&text, (2026, 1, 1));
        assert!(
            imported.toml.contains("date = 2020-04-30"),
            "{}",
            imported.toml
        );
        assert!(
            imported.toml.contains("Paragraphe 1 de ce"),
            "{}",
            imported.toml
        );
        assert!(
            imported.toml.contains("Paragraphe 9 de ce"),
            "{}",
            imported.toml
        );
        assert_eq!(imported.paragraphs, 9);
        assert_eq!(imported.signatories, 2);
    }

    #[test]
    fn a_spreadsheet_of_signatories_stays_a_spreadsheet() {
        let dir =
            std::env::temp_dir().join(format!("broadside-import-sheet-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("signatures.csv"),
            "Name,Country\nJane Doe,Belarus\nOVD-Info,Russia\n",
        )
        .unwrap();
        let imported =
            import_spreadsheet(&dir, std::path::Path::new("signatures.csv"), (2026, 1, 2));
        let _ = std::fs::remove_dir_all(&dir);
        let imported = imported.unwrap();
        assert_eq!(imported.signatories, 2);
        assert!(
            imported
                .toml
                .contains("\nsignatories = { file = \"signatures.csv\" }")
        );
        assert!(imported.toml.contains("\ndate = 2026-01-02  # REVIEW"));
        // Each column named once, however many rows use it.
        assert_eq!(
            imported.notes[0],
            "2 signatories in signatures.csv, read at every build (country from `Country`, name from `Name`); the title, date and text are to write"
        );
    }

    #[test]
    fn today_is_the_clocks_day() {
        let (y, m, d) = today();
        let clock = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|t| i64::try_from(t.as_secs() / 86_400).unwrap_or(0))
            .unwrap_or(0);
        // The day may turn between the two readings.
        let days = civil_days(y, m, d);
        assert!(days == clock || days + 1 == clock, "{y}-{m}-{d}");
        assert!(y >= 2024);
    }

    #[test]
    fn a_plain_list_under_its_heading_needs_no_review() {
        let text = "Signatories:\nAmnesty International\nOxfam\nAccess Now\n";
        let lines: Vec<&str> = text.lines().collect();
        let found = list::find(&lines).expect("a list");
        let mut notes = Vec::new();
        review_list(&found, 3, &mut notes);
        assert!(notes.is_empty(), "{notes:?}");
    }

    /// The TOML from the first `[[signatories]]` on.
    fn list_part(text: &str) -> (String, Vec<String>) {
        let imported = import(text, (2026, 1, 2));
        let at = imported.toml.find("\n[[signatories]]").map_or(0, |i| i + 1);
        let start = imported.toml[..at]
            .rfind("\n\n")
            .map_or(at, |i| i + 2)
            .min(at);
        (imported.toml[start..].to_owned(), imported.notes)
    }

    const OPENING: &str = "Free Them All\n\nWe call on every government to release all those detained for their views, and to do it now.\n\nSigned:\n\n";

    #[test]
    fn groups_without_headings_are_numbered_and_what_follows_the_list_is_kept() {
        let (toml, notes) = list_part(&format!(
            "{OPENING}Attac France – France\nViasna (Belarus)\n\nAccess Now\nArticle 19\n\nFor more information, contact press@example.org.\n"
        ));
        assert_eq!(
            toml,
            "# REVIEW: name this group (a blank line in the text)\n\
             [[signatories]]  # 1\nname = \"Attac France\"\ncountry = \"France\"\ngroup = \"Group 1\"\n\
             [[signatories]]  # 2\nname = \"Viasna\"\ncountry = \"Belarus\"\ngroup = \"Group 1\"\n\n\
             # REVIEW: name this group (a blank line in the text)\n\
             [[signatories]]  # 3\nname = \"Access Now\"\ngroup = \"Group 2\"\n\
             [[signatories]]  # 4\nname = \"Article 19\"\ngroup = \"Group 2\"\n\n\
             # After the list the text has these lines, which are not names:\n\
             # line 13: For more information, contact press@example.org.\n"
        );
        assert!(notes.contains(&"2 of 2 groups of signatories have no heading in the text; name them (Conveners, Co-organisers, ...)".to_owned()), "{notes:?}");
        assert!(!notes.iter().any(|n| n.contains("inferred")), "{notes:?}");
    }

    #[test]
    fn one_group_has_no_group_key_and_a_judged_heading_is_marked() {
        let (toml, notes) = list_part(&format!("{OPENING}Access Now\nArticle 19\n"));
        assert_eq!(
            toml,
            "[[signatories]]  # 1\nname = \"Access Now\"\n[[signatories]]  # 2\nname = \"Article 19\"\n"
        );
        assert!(
            !notes.iter().any(|n| n.contains("groups of signatories")),
            "{notes:?}"
        );
        let (toml, notes) = list_part(&format!(
            "{OPENING}AFRICA\nMalawi Economic Justice Network\nZimbabwe Coalition on Debt\n\nA note about the list follows here and it is a long sentence that is not a name at all.\n\nAmnesty International\n"
        ));
        assert_eq!(
            toml,
            "# REVIEW: \"AFRICA\" was taken for a group heading: it is the name of a country or region\n\
             [[signatories]]  # 1\nname = \"Malawi Economic Justice Network\"\ngroup = \"AFRICA\"\n\
             [[signatories]]  # 2\nname = \"Zimbabwe Coalition on Debt\"\ngroup = \"AFRICA\"\n\
             # line 11, not a name: A note about the list follows here and it is a long sentence that is not a name at all.\n\
             [[signatories]]  # 3\nname = \"Amnesty International\"\ngroup = \"AFRICA\"\n"
        );
        assert!(notes.contains(&"1 line(s) without a colon were taken for group headings: check them (marked REVIEW)".to_owned()), "{notes:?}");
        assert!(
            !notes.iter().any(|n| n.contains("groups of signatories")),
            "{notes:?}"
        );
    }

    #[test]
    fn an_inferred_group_and_entries_to_review_are_named() {
        let (toml, notes) = list_part(&format!(
            "{OPENING}Zeta\nYankee\nalpha\nBravo\ncharlie\nDelta\necho\nFoxtrot\n"
        ));
        assert!(toml.starts_with("# REVIEW: name this group (names out of alphabetical order before an alphabetical list)\n[[signatories]]  # 1\nname = \"Zeta\"\ngroup = \"Group 1\"\n"), "{toml}");
        assert!(toml.contains("\n# REVIEW: name this group (a blank line in the text)\n[[signatories]]  # 3\nname = \"alpha\"\ngroup = \"Group 2\"\n"), "{toml}");
        assert!(
            notes.contains(
                &"a group break was inferred where the alphabetical list begins: check it"
                    .to_owned()
            ),
            "{notes:?}"
        );
        let (toml, notes) = list_part(&format!("{OPENING}A\tFrance\nB\tKenya\nC\tAtlantis\n"));
        assert!(toml.contains("name = \"C\"\ncountry = \"Atlantis\"\n# REVIEW: \"Atlantis\" is in the table's country column"), "{toml}");
        assert!(
            notes.contains(&"1 signatories carry a REVIEW line: check them".to_owned()),
            "{notes:?}"
        );
        let (_, notes) = list_part(
            "Free Them All\n\nWe call on every government to act now, and to release all those detained for their views.\n",
        );
        assert!(
            notes.contains(&"no signatories were found: add them as [[signatories]]".to_owned()),
            "{notes:?}"
        );
    }

    #[test]
    fn the_date_and_language_notes() {
        let mut notes = Vec::new();
        let found = dates::Found {
            ymd: (2025, 10, 30),
            text: "30 October 2025".into(),
            line: 2,
        };
        assert_eq!(
            dated(Some(&found), (2026, 1, 2), &mut notes),
            (
                (2025, 10, 30),
                "read from \"30 October 2025\" on line 3".to_owned()
            )
        );
        assert_eq!(
            notes,
            [
                "the date 2025-10-30 was read from \"30 October 2025\" (line 3): check it is the day of publication"
            ]
        );
        let mut notes = Vec::new();
        assert_eq!(dated(None, (2026, 1, 2), &mut notes).0, (2026, 1, 2));
        assert_eq!(
            notes,
            [
                "the text gives no full date; the date is today's (2026-01-02): set the publication date"
            ]
        );
        let guess = |confidence, supported| language::Guess {
            tag: "pt",
            confidence,
            supported,
        };
        assert_eq!(
            language_note(&guess(0.5, true)),
            "identified by whatlang (confidence 0.50)"
        );
        assert_eq!(
            language_note(&guess(0.5, false)),
            "identified by whatlang (confidence 0.50); broadside's own labels fall back to English for it"
        );
        assert_eq!(
            language_note(&guess(0.0, true)),
            "too little text to identify; English assumed"
        );
    }

    #[test]
    fn civil_dates_agree_with_a_count_of_days() {
        // Walked a day at a time from 1900-01-01 (-25,567 days) to 2100,
        // with the Gregorian leap rule written out.
        let leap = |y: i32| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let (mut y, mut m, mut d) = (1900, 1u8, 1u8);
        for days in -25_567..47_482 {
            assert_eq!(civil_date(days), (y, m, d), "{days}");
            assert_eq!(civil_days(y, m, d), days, "{y}-{m}-{d}");
            let length = match m {
                2 if leap(y) => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            d += 1;
            if d > length {
                (m, d) = (m + 1, 1);
                if m > 12 {
                    (y, m) = (y + 1, 1);
                }
            }
        }
        assert_eq!((y, m, d), (2100, 1, 1));
    }
}
