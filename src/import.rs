//! A statement written as plain text (or Markdown), turned into a TOML
//! statement to edit: paragraphs become the body, the "Signed:" section the
//! signatories, blank lines and "Heading:" lines their groups.
//!
//! Plain text does not say everything a statement needs. What broadside has
//! to guess (a title from the opening sentence, today's date, a group break
//! where an alphabetical list begins, the language) is written with a comment
//! saying so, and the file starts with a review line that `check` and `build`
//! warn about until it is deleted.

use std::fmt::Write as _;

/// The line an imported statement starts with until someone has reviewed it.
pub const REVIEW_MARK: &str = "# broadside import: review";

/// Words that open the signatory section ("Signed:", "Signatories:").
const SIGNED: &[&str] = &[
    "signed",
    "signed by",
    "signatories",
    "signatures",
    "co-signed by",
    "подписали",
    "подписанты",
    "підписали",
    "signé",
    "signataires",
    "firmantes",
    "unterzeichnet",
    "unterzeichnende",
    "امضاکنندگان",
    "الموقعون",
];

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

struct Group {
    label: Option<String>,
    names: Vec<String>,
    inferred: bool,
}

fn is_signed_line(line: &str) -> bool {
    let l = line
        .trim()
        .trim_end_matches(':')
        .trim()
        .trim_matches('*')
        .trim_start_matches('#')
        .trim()
        .to_lowercase();
    SIGNED.contains(&l.as_str())
}

/// A list item's text without its bullet or number ("- 1. Name" → "Name").
fn list_item(line: &str) -> Option<String> {
    let mut rest = line.trim();
    let mut marked = false;
    if let Some(r) = rest.strip_prefix(['-', '*', '•', '–', '·']) {
        rest = r.trim_start();
        marked = true;
    }
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 7 {
        let after = &rest[digits..];
        if let Some(r) = after.strip_prefix(['.', ')']) {
            rest = r.trim_start();
            marked = true;
        }
    }
    (marked && !rest.is_empty()).then(|| rest.to_owned())
}

/// The name's sort form: case folded, leading "The" aside.
fn sort_form(name: &str) -> String {
    name.to_lowercase()
}

/// Where, in a list, an alphabetical run begins after names out of order
/// (the co-organisers before the alphabetical co-signers).
fn alphabetical_start(names: &[String]) -> Option<usize> {
    if names.len() < 8 {
        return None;
    }
    let sorted_from = (0..names.len())
        .rev()
        .take_while(|&i| i + 1 >= names.len() || sort_form(&names[i]) <= sort_form(&names[i + 1]))
        .last()?;
    let tail = names.len() - sorted_from;
    (sorted_from > 0 && sorted_from <= 6 && tail >= 5).then_some(sorted_from)
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

/// A title proposed from the opening sentence: the sentence itself when it
/// is short, else its first clause.
fn propose_title(first_paragraph: &str) -> String {
    let sentence = first_paragraph
        .split_inclusive(['.', '!', '?'])
        .next()
        .unwrap_or(first_paragraph)
        .trim()
        .trim_end_matches('.');
    let words = sentence.split_whitespace().count();
    if words <= 12 {
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
    sentence
        .split_whitespace()
        .take(12)
        .collect::<Vec<_>>()
        .join(" ")
        + "…"
}

/// The language the text is most likely in, by script (checked by a person).
fn guess_language(text: &str) -> &'static str {
    let (mut latin, mut cyrillic, mut arabic, mut persian) = (0, 0, 0, 0);
    for c in text.chars() {
        match c {
            'a'..='z' | 'A'..='Z' => latin += 1,
            '\u{0400}'..='\u{04FF}' => cyrillic += 1,
            'پ' | 'چ' | 'ژ' | 'گ' | 'ی' | 'ک' => persian += 1,
            '\u{0600}'..='\u{06FF}' => arabic += 1,
            _ => {}
        }
    }
    if cyrillic > latin && cyrillic > arabic {
        "ru"
    } else if arabic + persian > latin {
        if persian * 20 > arabic { "fa" } else { "ar" }
    } else {
        "en"
    }
}

/// Reads a plain-text or Markdown statement. `today` fills the date, which
/// plain text rarely gives.
pub fn import(text: &str, today: (i32, u8, u8)) -> Imported {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let lines: Vec<&str> = text.lines().collect();
    let mut notes = Vec::new();

    // Where the signatures begin: a "Signed:" line, else the last list.
    let signed_at = lines.iter().position(|l| is_signed_line(l));
    let list_start = signed_at.map(|i| i + 1).or_else(|| {
        let mut i = lines.len();
        while i > 0 && (lines[i - 1].trim().is_empty() || list_item(lines[i - 1]).is_some()) {
            i -= 1;
        }
        (i < lines.len()).then_some(i)
    });
    let body_end = signed_at.or(list_start).unwrap_or(lines.len());

    // The body: paragraphs as they are; a leading "# Heading" is the title.
    let mut title = None;
    let mut body_lines: Vec<&str> = lines[..body_end].to_vec();
    while body_lines.first().is_some_and(|l| l.trim().is_empty()) {
        body_lines.remove(0);
    }
    if let Some(first) = body_lines.first()
        && let Some(heading) = first.trim().strip_prefix("# ")
    {
        title = Some(heading.trim().to_owned());
        body_lines.remove(0);
    }
    let body = body_lines.join("\n").trim().to_owned();
    let paragraphs: Vec<&str> = body
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect();

    // The signatories, in groups broken by blank lines and "Label:" lines.
    let mut groups: Vec<Group> = vec![Group {
        label: None,
        names: Vec::new(),
        inferred: false,
    }];
    if let Some(start) = list_start {
        for line in &lines[start..] {
            let trimmed = line.trim();
            if trimmed.is_empty() {
                if groups.last().is_some_and(|g| !g.names.is_empty()) {
                    groups.push(Group {
                        label: None,
                        names: Vec::new(),
                        inferred: false,
                    });
                }
            } else if let Some(label) = trimmed
                .strip_suffix(':')
                .filter(|_| list_item(trimmed).is_none())
            {
                if groups.last().is_some_and(|g| !g.names.is_empty()) {
                    groups.push(Group {
                        label: None,
                        names: Vec::new(),
                        inferred: false,
                    });
                }
                if let Some(g) = groups.last_mut() {
                    g.label = Some(label.trim().to_owned());
                }
            } else {
                let name = list_item(trimmed).unwrap_or_else(|| trimmed.to_owned());
                if let Some(g) = groups.last_mut() {
                    g.names.push(name);
                }
            }
        }
    }
    groups.retain(|g| !g.names.is_empty());
    // Names out of alphabetical order before an alphabetical run are a group
    // of their own (the coalition's co-organisers before its co-signers).
    let mut split = Vec::new();
    for g in groups {
        match alphabetical_start(&g.names).filter(|_| g.label.is_none()) {
            Some(at) => {
                let (head, tail) = g.names.split_at(at);
                split.push(Group {
                    label: None,
                    names: head.to_vec(),
                    inferred: true,
                });
                split.push(Group {
                    label: None,
                    names: tail.to_vec(),
                    inferred: false,
                });
            }
            None => split.push(g),
        }
    }
    let groups = split;
    let count: usize = groups.iter().map(|g| g.names.len()).sum();

    let language = guess_language(&body);
    let title = match title {
        Some(t) => t,
        None => {
            let proposed = propose_title(paragraphs.first().copied().unwrap_or(""));
            notes.push(format!(
                "the text has no title line; proposed \"{proposed}\" from the opening sentence: edit it"
            ));
            proposed
        }
    };
    notes.push(format!(
        "the date is today's ({:04}-{:02}-{:02}); set the publication date",
        today.0, today.1, today.2
    ));
    if groups.len() > 1 && groups.iter().all(|g| g.label.is_none()) {
        notes.push(format!(
            "{} groups of signatories were found; name them (Conveners, Co-organisers, ...)",
            groups.len()
        ));
    }
    if groups.iter().any(|g| g.inferred) {
        notes
            .push("a group break was inferred where the alphabetical list begins: check it".into());
    }
    if count == 0 {
        notes.push("no signatories were found: add them as [[signatories]]".into());
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "{REVIEW_MARK} the lines marked REVIEW, then delete this line."
    );
    out.push_str("# Made by `broadside import` from a plain-text statement.\n\n");
    let title_note = if notes
        .first()
        .is_some_and(|n| n.starts_with("the text has no title"))
    {
        "  # REVIEW: proposed from the opening sentence"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "title = \"{}\"{title_note}",
        toml_escape(&title, false)
    );
    let _ = writeln!(
        out,
        "date = {:04}-{:02}-{:02}  # REVIEW: the day of publication",
        today.0, today.1, today.2
    );
    let _ = writeln!(
        out,
        "language = \"{language}\"  # REVIEW: guessed from the script"
    );
    let _ = writeln!(out, "\nbody = \"\"\"\n{}\n\"\"\"", toml_escape(&body, true));
    let mut number = 0;
    for (k, g) in groups.iter().enumerate() {
        let label = match &g.label {
            Some(l) => l.clone(),
            None if groups.len() > 1 => format!("Group {}", k + 1),
            None => String::new(),
        };
        out.push('\n');
        if g.label.is_none() && groups.len() > 1 {
            let why = if g.inferred {
                "names out of alphabetical order before an alphabetical list"
            } else {
                "a blank line in the text"
            };
            let _ = writeln!(out, "# REVIEW: name this group ({why})");
        }
        for name in &g.names {
            number += 1;
            let _ = write!(
                out,
                "[[signatories]]  # {number}\nname = \"{}\"\n",
                toml_escape(name, false)
            );
            if !label.is_empty() {
                let _ = writeln!(out, "group = \"{}\"", toml_escape(&label, false));
            }
        }
    }
    Imported {
        toml: out,
        notes,
        signatories: count,
        paragraphs: paragraphs.len(),
    }
}

/// Today's date (UTC), as (year, month, day).
pub fn today() -> (i32, u8, u8) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Days since 1970-01-01 to a civil date (proleptic Gregorian).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_first_clause_of_a_long_opening() {
        assert_eq!(
            propose_title(
                "On this International Day of Political Prisoners, we stand together to affirm a simple truth: no one should be imprisoned. More."
            ),
            "On this International Day of Political Prisoners"
        );
        assert_eq!(propose_title("Free them all. Now."), "Free them all");
    }

    #[test]
    fn list_items_lose_bullets_and_numbers() {
        assert_eq!(
            list_item("- 1. McCain Institute").as_deref(),
            Some("McCain Institute")
        );
        assert_eq!(list_item("12) OVD-Info").as_deref(), Some("OVD-Info"));
        assert_eq!(list_item("• Amnesty").as_deref(), Some("Amnesty"));
        assert_eq!(list_item("1974 was a year"), None);
    }

    #[test]
    fn today_is_a_real_date() {
        let (y, m, d) = today();
        assert!(y >= 2024 && (1..=12).contains(&m) && (1..=31).contains(&d));
    }
}
