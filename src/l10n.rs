//! The templates' fixed words in the statement's language.
//!
//! The table lives in `templates/l10n.toml`, beside the templates, so a
//! translator edits one data file; a missing key falls back to English.

use std::collections::BTreeMap;

use serde::Serialize;
use toml::Value;

use crate::error::{Error, Result};
use crate::statement::{Date, ZonedTime};

/// The words of one language, with English beneath as the fallback.
#[derive(Debug, Clone)]
pub struct Words {
    language: String,
    chosen: BTreeMap<String, Value>,
    english: BTreeMap<String, Value>,
}

impl Words {
    /// Reads the table and picks `language` (`pt-BR` tries `pt-BR`, then `pt`, then `en`).
    pub fn new(table: &str, language: &str) -> Result<Words> {
        let all: BTreeMap<String, BTreeMap<String, Value>> = toml::from_str(table)
            .map_err(|e| Error::Usage(format!("templates/l10n.toml: {}", e.message())))?;
        let english = all.get("en").cloned().ok_or_else(|| {
            Error::Usage(
                "templates/l10n.toml has no [en] table, which every language falls back to".into(),
            )
        })?;
        let primary = language.split(['-', '_']).next().unwrap_or(language);
        let chosen = all
            .get(language)
            .or_else(|| all.get(&language.to_ascii_lowercase()))
            .or_else(|| all.get(primary))
            .cloned()
            .unwrap_or_default();
        Ok(Words {
            language: language.to_owned(),
            chosen,
            english,
        })
    }

    /// The language these words are for.
    pub fn language(&self) -> &str {
        &self.language
    }

    fn value(&self, key: &str) -> Option<&Value> {
        self.chosen.get(key).or_else(|| self.english.get(key))
    }

    /// A word or phrase, with `{name}` placeholders left as they are.
    pub fn get(&self, key: &str) -> String {
        match self.value(key) {
            Some(Value::String(s)) => s.clone(),
            _ => String::new(),
        }
    }

    /// A phrase with its placeholders filled in.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.get(key);
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// "Signed by 29 organisations", with the plural form the count needs.
    pub fn signed_by(&self, count: usize) -> String {
        let key = if count == 1 {
            "signed_by_one"
        } else {
            "signed_by_other"
        };
        self.fill(key, &[("count", &count.to_string())])
    }

    /// A date as the language writes it ("30 October 2025").
    pub fn date(&self, date: Date) -> String {
        let month = match self.value("months") {
            Some(Value::Array(names)) => names
                .get(usize::from(date.month).saturating_sub(1))
                .and_then(Value::as_str)
                .map(str::to_owned),
            _ => None,
        }
        .unwrap_or_else(|| format!("{:02}", date.month));
        self.fill(
            "date",
            &[
                ("day", &date.day.to_string()),
                ("month", &month),
                ("year", &date.year.to_string()),
            ],
        )
    }

    /// A time of day ("09:00").
    pub fn time(&self, hour: u8, minute: u8) -> String {
        self.fill(
            "time",
            &[
                ("hour", &format!("{hour:02}")),
                ("minute", &format!("{minute:02}")),
            ],
        )
    }

    /// An embargo moment: local time with its offset, and the same moment in
    /// UTC, so newsrooms in every zone read it the same way.
    pub fn moment(&self, t: ZonedTime) -> String {
        let utc_word = self.get("utc");
        let local = format!("{}, {}", self.date(t.date), self.time(t.hour, t.minute));
        if t.offset_minutes == 0 {
            return format!("{local} {utc_word}");
        }
        let sign = if t.offset_minutes < 0 {
            '\u{2212}'
        } else {
            '+'
        };
        let abs = t.offset_minutes.unsigned_abs();
        let offset = if abs.is_multiple_of(60) {
            format!("{}", abs / 60)
        } else {
            format!("{}:{:02}", abs / 60, abs % 60)
        };
        let utc = t.to_utc();
        let utc_text = if utc.date == t.date {
            self.time(utc.hour, utc.minute)
        } else {
            format!(
                "{}, {}",
                self.date(utc.date),
                self.time(utc.hour, utc.minute)
            )
        };
        format!("{local} ({utc_word}{sign}{offset}; {utc_text} {utc_word})")
    }

    /// Every plain phrase of the table, for the templates.
    pub fn phrases(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (key, value) in self.english.iter().chain(self.chosen.iter()) {
            if let Value::String(s) = value {
                out.insert(key.clone(), s.clone());
            }
        }
        out
    }
}

/// Text direction of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left (Arabic, Farsi, Hebrew, Urdu, ...).
    Rtl,
}

/// The direction a language is written in.
pub fn direction(language: &str) -> Direction {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or(language)
        .to_ascii_lowercase();
    match primary.as_str() {
        "ar" | "fa" | "he" | "ur" | "ps" | "ckb" | "dv" | "yi" | "sd" | "ug" => Direction::Rtl,
        _ => Direction::Ltr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = include_str!("../templates/l10n.toml");

    #[test]
    fn english_dates_and_counts() {
        let w = Words::new(TABLE, "en").unwrap();
        assert_eq!(
            w.date(Date {
                year: 2025,
                month: 10,
                day: 30
            }),
            "30 October 2025"
        );
        assert_eq!(w.signed_by(29), "Signed by 29 organisations");
        assert_eq!(w.signed_by(1), "Signed by 1 organisation");
    }

    #[test]
    fn embargo_names_both_zones() {
        let w = Words::new(TABLE, "en-GB").unwrap();
        let t = ZonedTime {
            date: Date {
                year: 2025,
                month: 10,
                day: 30,
            },
            hour: 9,
            minute: 0,
            offset_minutes: -240,
        };
        assert_eq!(
            w.moment(t),
            "30 October 2025, 09:00 (UTC\u{2212}4; 13:00 UTC)"
        );
        let late = ZonedTime { hour: 22, ..t };
        assert_eq!(
            w.moment(late),
            "30 October 2025, 22:00 (UTC\u{2212}4; 31 October 2025, 02:00 UTC)"
        );
    }

    #[test]
    fn unknown_language_falls_back_to_english() {
        let w = Words::new(TABLE, "xx").unwrap();
        assert_eq!(w.get("more"), "-more-");
    }
}
