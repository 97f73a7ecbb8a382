//! Finding the statement's date in its text ("30 Avril, 2020", "Domingo, 22
//! de abril, 2012", "4th February 2021", "November 19, 2021").
//!
//! Month names come from ICU4X's own formatting data for the statement's
//! language (and English, which lists in any language often use), taken from
//! the way ICU writes a full date, so the forms are those dates use
//! ("октября", not the dictionary's "октябрь").

use icu_calendar::Date as IcuDate;
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_locale_core::Locale;

/// A date found in the text, with the words it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Year, month, day.
    pub ymd: (i32, u8, u8),
    /// The text as written ("30 Avril, 2020").
    pub text: String,
    /// Which line of the text it is on (0-based).
    pub line: usize,
}

/// Month names (lower case) of a language, by month, as its dates write them.
fn month_names(language: &str) -> Vec<(u8, String)> {
    let primary = language.split(['-', '_']).next().unwrap_or("en");
    // Gregorian months even where the locale's own calendar is another:
    // a date with a Gregorian year is what an organiser pastes.
    let tag = format!("{primary}-u-ca-gregory");
    let Ok(locale) = tag.parse::<Locale>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for fields in [YMD::long(), YMD::medium()] {
        let Ok(formatter) = DateTimeFormatter::try_new((&locale).into(), fields) else {
            continue;
        };
        let formatted: Vec<Vec<String>> = (1..=12u8)
            .map(|m| {
                IcuDate::try_new_iso(2001, m, 15)
                    .map(|d| words_of(&formatter.format(&d).to_string()))
                    .unwrap_or_default()
            })
            .collect();
        // The words every month shares ("de", "г") are not the month.
        let shared: Vec<String> = formatted
            .first()
            .map(|first| {
                first
                    .iter()
                    .filter(|w| formatted.iter().all(|f| f.contains(w)))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        for (m, words) in (1u8..).zip(&formatted) {
            for w in words.iter().filter(|w| !shared.contains(w)) {
                out.push((m, w.clone()));
            }
        }
    }
    out
}

/// The alphabetic words of a text, lower case, a final dot dropped.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(u32, usize),
    Word(String),
}

/// A line as numbers and words, each with the byte range it came from.
fn tokens(line: &str) -> Vec<(Token, usize, usize)> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if let Some(d) = digit(c) {
            let mut value: u32 = 0;
            let mut len = 0;
            let mut end = start;
            while let Some(&(i, c)) = chars.peek() {
                let Some(d2) = digit(c) else { break };
                value = value.saturating_mul(10).saturating_add(d2);
                len += 1;
                end = i + c.len_utf8();
                chars.next();
            }
            let _ = d;
            // An ordinal's letters ("4th", "1er", "1º": º and ª are letters
            // too) belong to the number.
            while let Some(&(i, c)) = chars.peek() {
                if c.is_alphabetic() {
                    end = i + c.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push((Token::Number(value, len), start, end));
        } else if c.is_alphabetic() {
            let mut end = start;
            let mut word = String::new();
            while let Some(&(i, c)) = chars.peek() {
                if !c.is_alphabetic() {
                    break;
                }
                word.extend(c.to_lowercase());
                end = i + c.len_utf8();
                chars.next();
            }
            out.push((Token::Word(word), start, end));
        } else {
            chars.next();
        }
    }
    out
}

/// ASCII, Arabic-Indic and Persian digits.
fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

struct Months(Vec<(u8, String)>);

impl Months {
    fn month(&self, word: &str) -> Option<u8> {
        if let Some((m, _)) = self.0.iter().find(|(_, n)| n == word) {
            return Some(*m);
        }
        // "Sept", "Febr": a unique beginning of one month's name.
        if word.chars().count() >= 3 {
            let mut hits = self
                .0
                .iter()
                .filter(|(_, n)| n.starts_with(word))
                .map(|(m, _)| *m);
            let first = hits.next()?;
            return hits.all(|m| m == first).then_some(first);
        }
        None
    }
}

/// Small words that stand between a date's parts ("22 de abril", "the 4th of").
fn filler(word: &str) -> bool {
    word.chars().count() <= 3 && !word.is_empty()
}

fn valid(y: u32, m: u8, d: u32) -> Option<(i32, u8, u8)> {
    let y = i32::try_from(y)
        .ok()
        .filter(|y| (1900..=2200).contains(y))?;
    let d = u8::try_from(d).ok()?;
    IcuDate::try_new_iso(y, m, d).ok()?;
    Some((y, m, d))
}

/// The first full date on a line: day month year, month day year, or ISO.
fn date_on(line: &str, months: &Months) -> Option<((i32, u8, u8), usize, usize)> {
    let toks = tokens(line);
    let month_at = |i: usize| match toks.get(i) {
        Some((Token::Word(w), ..)) => months.month(w),
        _ => None,
    };
    let number_at = |i: usize| match toks.get(i) {
        Some((Token::Number(n, len), ..)) => Some((*n, *len)),
        _ => None,
    };
    let skip_filler = |i: usize| match toks.get(i) {
        Some((Token::Word(w), ..)) if filler(w) && months.month(w).is_none() => i + 1,
        _ => i,
    };
    for i in 0..toks.len() {
        // ISO: 2020-04-30
        if let (Some((y, 4)), Some((m, _)), Some((d, _))) =
            (number_at(i), number_at(i + 1), number_at(i + 2))
        {
            let (s, e) = (toks[i].1, toks[i + 2].2);
            if line[s..e].chars().filter(|c| *c == '-').count() == 2
                && let Some(ymd) = u8::try_from(m).ok().and_then(|m| valid(y, m, d))
            {
                return Some((ymd, s, e));
            }
        }
        // 30 avril 2020, 22 de abril, 2012, 4th of February 2021
        if let Some((d, _)) = number_at(i) {
            let j = skip_filler(i + 1);
            if let Some(m) = month_at(j) {
                let k = skip_filler(j + 1);
                if let Some((y, 4)) = number_at(k)
                    && let Some(ymd) = valid(y, m, d)
                {
                    return Some((ymd, toks[i].1, toks[k].2));
                }
            }
        }
        // November 19, 2021
        if let Some(m) = month_at(i) {
            let j = skip_filler(i + 1);
            if let Some((d, len)) = number_at(j)
                && len <= 2
            {
                let k = skip_filler(j + 1);
                if let Some((y, 4)) = number_at(k)
                    && let Some(ymd) = valid(y, m, d)
                {
                    return Some((ymd, toks[i].1, toks[k].2));
                }
            }
        }
    }
    None
}

/// Whether `line` is a date line: a date on a short line of its own
/// ("30 October 2025", "Paris, le 30 octobre 2025").
pub fn is_date_line(line: &str, language: &str) -> bool {
    let mut names = month_names(language);
    if !language.starts_with("en") {
        names.extend(month_names("en"));
    }
    line.split_whitespace().count() <= 8 && date_on(line, &Months(names)).is_some()
}

/// The statement's date: on a short line of its own near the top (the
/// date line under the title) when there is one, else the first date in
/// the opening lines or on the last line before `end` (the list's heading).
/// A date deep in the body is what the letter recalls, not when it was
/// published.
pub fn find(lines: &[&str], end: usize, language: &str) -> Option<Found> {
    let mut names = month_names(language);
    if !language.starts_with("en") {
        names.extend(month_names("en"));
    }
    let months = Months(names);
    let end = end.min(lines.len());
    let found = |i: usize| {
        date_on(lines[i], &months).map(|(ymd, s, e)| Found {
            ymd,
            text: lines[i][s..e].to_owned(),
            line: i,
        })
    };
    let head: Vec<usize> = (0..end)
        .filter(|&i| !lines[i].trim().is_empty())
        .take(8)
        .collect();
    head.iter()
        .copied()
        .filter(|&i| lines[i].split_whitespace().count() <= 8)
        .find_map(found)
        .or_else(|| head.iter().copied().find_map(found))
        // The list's heading, last: "Endosseurs au 30 avril 2020:".
        .or_else(|| end.checked_sub(1).and_then(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str, language: &str) -> Option<(i32, u8, u8)> {
        find(&[line], 1, language).map(|f| f.ymd)
    }

    #[test]
    fn dates_are_read_in_the_statement_language() {
        assert_eq!(one("30 Avril, 2020", "fr"), Some((2020, 4, 30)));
        assert_eq!(
            one("Endosseurs au 30 avril 2020:", "fr"),
            Some((2020, 4, 30))
        );
        assert_eq!(one("Domingo, 22 de abril, 2012", "es"), Some((2012, 4, 22)));
        assert_eq!(one("4th February 2021", "en"), Some((2021, 2, 4)));
        assert_eq!(
            one("Endorses as of November 19, 2021:", "en"),
            Some((2021, 11, 19))
        );
        assert_eq!(one("10 September 2026", "en"), Some((2026, 9, 10)));
        assert_eq!(one("30 октября 2025 г.", "ru"), Some((2025, 10, 30)));
        assert_eq!(one("2020-04-30", "de"), Some((2020, 4, 30)));
        assert_eq!(one("19 Sept. 2021", "en"), Some((2021, 9, 19)));
        assert_eq!(one("Berlin, 3. März 2023", "de"), Some((2023, 3, 3)));
    }

    #[test]
    fn a_month_and_year_alone_or_an_impossible_day_is_no_date() {
        assert_eq!(one("September 2021", "en"), None);
        assert_eq!(one("31 February 2021", "en"), None);
        assert_eq!(one("Article V:2. On 18 July the council met", "en"), None);
    }

    #[test]
    fn a_date_deep_in_the_body_is_not_the_publication_date() {
        let mut lines = vec!["Turnaround", "", "September 2021", ""];
        lines.extend(["We ask for change now.", ""].repeat(10));
        lines.push("Members must review the decision of 30 August 2003 on TRIPS.");
        lines.push("Endorsers as of 27 September 2021 include:");
        assert_eq!(
            find(&lines, lines.len(), "en").map(|f| f.ymd),
            Some((2021, 9, 27))
        );
        lines.pop();
        assert_eq!(find(&lines, lines.len() - 1, "en"), None);
    }

    #[test]
    fn the_date_line_under_the_title_wins_over_a_date_in_the_body() {
        let lines = [
            "Title",
            "",
            "19 November 2021",
            "",
            "Since 4 May 2020 we have asked.",
        ];
        assert_eq!(
            find(&lines, 5, "en").map(|f| (f.ymd, f.line)),
            Some(((2021, 11, 19), 2))
        );
    }

    #[test]
    fn digits_ordinals_and_fillers() {
        assert_eq!(one("۳۰ اکتبر ۲۰۲۵", "fa"), Some((2025, 10, 30)));
        assert_eq!(one("٣٠ أكتوبر ٢٠٢٥", "ar"), Some((2025, 10, 30)));
        assert_eq!(one("1er mai 2021", "fr"), Some((2021, 5, 1)));
        assert_eq!(one("1º de mayo de 2021", "es"), Some((2021, 5, 1)));
        assert_eq!(one("the 4th of February 2021", "en"), Some((2021, 2, 4)));
        assert_eq!(one("November 19 2021", "en"), Some((2021, 11, 19)));
        assert_eq!(one("November 123, 2021", "en"), None);
        assert_eq!(one("30 April 21", "en"), None);
        assert_eq!(one("300 May 2021", "en"), None);
        assert_eq!(one("4294967296 May 2021", "en"), None);
        // A count of signers before a month is no day: only short words
        // ("de", "of", "le") stand between a date's parts.
        assert_eq!(one("Over 120 groups, May 2021", "en"), None);
        assert_eq!(one("30 groups May 2021", "en"), None);
    }

    #[test]
    fn a_month_is_named_in_full_or_by_a_beginning_only_it_has() {
        // "fév" begins both French forms of February ("février", "févr.").
        assert_eq!(one("3 fév 2021", "fr"), Some((2021, 2, 3)));
        assert_eq!(one("3 Sept 2021", "en"), Some((2021, 9, 3)));
        // "jui" begins "juin" and "juillet": no date.
        assert_eq!(one("3 jui 2021", "fr"), None);
        // Where the date is on the line.
        let lines = ["Paris, le 30 octobre 2025, à midi"];
        let found = find(&lines, 1, "fr").map(|f| (f.text, f.line));
        assert_eq!(found, Some(("30 octobre 2025".to_owned(), 0)));
    }

    #[test]
    fn years_months_and_iso_forms_at_their_bounds() {
        assert_eq!(one("1 May 1899", "en"), None);
        assert_eq!(one("1 May 1900", "en"), Some((1900, 5, 1)));
        assert_eq!(one("1 May 2200", "en"), Some((2200, 5, 1)));
        assert_eq!(one("1 May 2201", "en"), None);
        assert_eq!(one("2020/04/30", "en"), None);
        assert_eq!(one("2020-13-01", "en"), None);
        assert_eq!(one("2020-04-31", "en"), None);
        assert_eq!(one("Updated 2020-04-30.", "en"), Some((2020, 4, 30)));
        // A unique beginning of a month's name is that month; a shared one
        // or one of two letters is none.
        assert_eq!(one("3 juil. 2021", "fr"), Some((2021, 7, 3)));
        assert_eq!(one("3 jui 2021", "fr"), None);
        assert_eq!(one("3 Ju 2021", "en"), None);
        assert_eq!(one("3 Sep 2021", "en"), Some((2021, 9, 3)));
        // A regional tag reads as its language, and English is always read.
        assert_eq!(one("3 juillet 2021", "fr-CA"), Some((2021, 7, 3)));
        assert_eq!(one("3 juillet 2021", "fr_BE"), Some((2021, 7, 3)));
        assert_eq!(one("3 July 2021", "fr"), Some((2021, 7, 3)));
        assert_eq!(one("3 July 2021", "!!"), Some((2021, 7, 3)));
        assert_eq!(one("3 juillet 2021", "en"), None);
    }

    #[test]
    fn a_date_line_is_short() {
        assert!(is_date_line("30 October 2025", "en"));
        assert!(is_date_line("Paris, le 30 octobre 2025", "fr"));
        assert!(is_date_line("30 October 2025", "fr"));
        assert!(!is_date_line("30 octobre 2025", "en"));
        assert!(is_date_line("We met on 30 October 2025 in Paris", "en"));
        assert!(!is_date_line(
            "We met on the 30 October 2025 in Paris",
            "en"
        ));
        assert!(!is_date_line("October 2025", "en"));
    }

    #[test]
    fn where_the_date_is_looked_for() {
        // The text as written and its line.
        let found = find(&["", "Paris, le 30 octobre 2025"], 2, "fr").unwrap();
        assert_eq!(found.text, "30 octobre 2025");
        assert_eq!(found.line, 1);
        // Only the first eight lines that have text are the opening.
        let mut lines = vec!["Line"; 8];
        lines.push("30 October 2025");
        lines.push("Signatories");
        assert_eq!(find(&lines, lines.len(), "en"), None);
        lines[7] = "";
        assert_eq!(find(&lines, lines.len(), "en").map(|f| f.line), Some(8));
        // A short line's date wins over a long line's above it.
        let lines = [
            "We wrote to the ministry on 3 May 2020 and have had no answer since then",
            "19 November 2021",
        ];
        assert_eq!(find(&lines, 2, "en").map(|f| f.line), Some(1));
        // A long line's date is taken when no short line has one.
        let lines = [
            "We wrote to the ministry on 3 May 2020 and have had no answer since then",
            "Title",
        ];
        assert_eq!(find(&lines, 2, "en").map(|f| f.line), Some(0));
        // An end past the text is the text's end; an end of 0 is no text.
        assert_eq!(
            find(&["30 October 2025"], 5, "en").map(|f| f.ymd),
            Some((2025, 10, 30))
        );
        assert_eq!(find(&["30 October 2025"], 0, "en"), None);
    }
}
