//! The templates' fixed words, dates and numbers in the statement's language.
//!
//! The words live in `templates/l10n.toml`, beside the templates, so a
//! translator edits one data file; a missing key falls back to English.
//! Dates, plural forms and digits come from ICU4X (CLDR data), so every
//! language gets its own conventions and calendar without hand-written tables.

use std::collections::BTreeMap;

use icu_calendar::Date as IcuDate;
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::{T, YMD};
use icu_datetime::input::Time;
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};
use serde::Serialize;
use toml::Value;

use crate::error::{Error, Result};
use crate::load::statement::{Date, Digits, ZonedTime};

/// The words, date format, plural rules and digits of one language.
pub struct Words {
    language: String,
    chosen: BTreeMap<String, Value>,
    english: BTreeMap<String, Value>,
    dates: DateTimeFormatter<YMD>,
    times: DateTimeFormatter<T>,
    plurals: PluralRules,
    decimals: DecimalFormatter,
    digits: [String; 10],
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Words")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

/// Parses a language tag for ICU, with the numbering system chosen.
fn locale(language: &str, digits: Digits) -> Locale {
    let base: Locale = language
        .replace('_', "-")
        .parse()
        .unwrap_or_else(|_| "en".parse().expect("en is a locale"));
    let tag = match digits {
        // Latin digits unless the user asks for the language's own.
        Digits::Latin => format!("{}-u-nu-latn", base.id),
        // CLDR's default for some of these (Arabic) is Latin; name the native system.
        Digits::Native => match native_numbering(base.id.language.as_str()) {
            Some(nu) => format!("{}-u-nu-{nu}", base.id),
            None => base.id.to_string(),
        },
    };
    tag.parse().unwrap_or(base)
}

/// The language's own numbering system, where it has one besides Latin.
fn native_numbering(language: &str) -> Option<&'static str> {
    Some(match language {
        "ar" => "arab",
        "fa" | "ur" | "ps" => "arabext",
        "hi" | "mr" | "ne" => "deva",
        "bn" => "beng",
        "th" => "thai",
        "my" => "mymr",
        _ => return None,
    })
}

impl Words {
    /// Reads the table and picks `language`, or the closest table by BCP 47
    /// (`pt-BR` tries `pt-BR`, then `pt`, then another `pt-…`), then `en`.
    pub fn new(table: &str, language: &str, digits: Digits) -> Result<Words> {
        let all: BTreeMap<String, BTreeMap<String, Value>> = toml::from_str(table)
            .map_err(|e| Error::Usage(format!("templates/l10n.toml: {}", e.message())))?;
        let english = all.get("en").cloned().ok_or_else(|| {
            Error::Usage(
                "templates/l10n.toml has no [en] table, which every language falls back to".into(),
            )
        })?;
        let chosen = crate::load::language::closest(language, all.keys().map(String::as_str))
            .and_then(|tag| all.get(tag))
            .cloned()
            .unwrap_or_default();

        let loc = locale(language, digits);
        let icu_error = |what: &str, e: &dyn std::fmt::Display| {
            Error::Usage(format!("no {what} for `{language}`: {e}"))
        };
        let dates = DateTimeFormatter::try_new((&loc).into(), YMD::long())
            .map_err(|e| icu_error("date format", &e))?;
        let times = DateTimeFormatter::try_new((&loc).into(), T::hm())
            .map_err(|e| icu_error("time format", &e))?;
        let plurals = PluralRules::try_new_cardinal((&loc).into())
            .map_err(|e| icu_error("plural rules", &e))?;
        let decimals = DecimalFormatter::try_new((&loc).into(), Default::default())
            .map_err(|e| icu_error("number format", &e))?;
        let digits = std::array::from_fn(|d| decimals.format(&Decimal::from(d as u32)).to_string());
        Ok(Words {
            language: language.to_owned(),
            chosen,
            english,
            dates,
            times,
            plurals,
            decimals,
            digits,
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
        fill(&self.get(key), values)
    }

    /// The ten digits this language writes numbers with.
    pub fn digits(&self) -> &[String; 10] {
        &self.digits
    }

    /// A whole number in this language's digits.
    pub fn number(&self, n: usize) -> String {
        self.localise_digits(&n.to_string())
    }

    /// Replaces ASCII digits with this language's digits.
    pub fn localise_digits(&self, text: &str) -> String {
        text.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => self.digits[d as usize].clone(),
                None => c.to_string(),
            })
            .collect()
    }

    /// A count as the language writes it, with its grouping separators and
    /// digits: 5,000 in English, 5 000 in Russian, ۵٬۰۰۰ in Farsi.
    pub fn count(&self, n: usize) -> String {
        let value = u64::try_from(n).unwrap_or(u64::MAX);
        self.decimals.format(&Decimal::from(value)).to_string()
    }

    /// "Signed by 29 organisations", in the plural form the count needs.
    pub fn signed_by(&self, count: usize) -> String {
        self.plural("signed_by", count, &[])
    }

    /// A phrase with a `{count}` in the plural form the count needs, and
    /// any other placeholders filled in.
    pub fn plural(&self, key: &str, count: usize, values: &[(&str, &str)]) -> String {
        let category = match self.plurals.category_for(count) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        };
        let forms = |table: &BTreeMap<String, Value>| match table.get(key) {
            Some(Value::Table(t)) => t
                .get(category)
                .or_else(|| t.get("other"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        let phrase = forms(&self.chosen)
            .or_else(|| forms(&self.english))
            .unwrap_or_else(|| "{count}".into());
        let count = self.count(count);
        let mut all = vec![("count", count.as_str())];
        all.extend_from_slice(values);
        fill(&phrase, &all)
    }

    /// A date as the language writes it, in its calendar ("30 October 2025",
    /// "30 октября 2025 г.", "۸ آبان ۱۴۰۴").
    pub fn date(&self, date: Date) -> String {
        match IcuDate::try_new_iso(date.year, date.month, date.day) {
            Ok(d) => self.dates.format(&d).to_string(),
            Err(_) => date.to_string(),
        }
    }

    /// A time of day ("09:00", "9:00 AM").
    pub fn time(&self, hour: u8, minute: u8) -> String {
        match Time::try_new(hour, minute, 0, 0) {
            Ok(t) => self.times.format(&t).to_string(),
            Err(_) => format!("{hour:02}:{minute:02}"),
        }
    }

    /// An embargo moment: local date and time with its offset, and the same
    /// moment in UTC, so newsrooms in every zone read it the same way.
    pub fn moment(&self, t: ZonedTime) -> String {
        let local = format!("{}, {}", self.date(t.date), self.time(t.hour, t.minute));
        if t.offset_minutes == 0 {
            return format!("{local} UTC");
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
        let offset = self.localise_digits(&offset);
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
        format!("{local} (UTC{sign}{offset}; {utc_text} UTC)")
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

fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.to_owned();
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
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

    const TABLE: &str = include_str!("../../templates/l10n.toml");
    const DAY: Date = Date {
        year: 2025,
        month: 10,
        day: 30,
    };

    fn words(language: &str) -> Words {
        Words::new(TABLE, language, Digits::Latin).unwrap()
    }

    #[test]
    fn english_dates_and_counts() {
        let w = words("en");
        assert_eq!(w.date(DAY), "October 30, 2025");
        assert_eq!(words("en-GB").date(DAY), "30 October 2025");
        assert_eq!(w.signed_by(29), "Signed by 29 organizations");
        assert_eq!(w.signed_by(1), "Signed by 1 organization");
        assert_eq!(words("en-GB").signed_by(29), "Signed by 29 organisations");
    }

    #[test]
    fn slavic_plurals_and_genitive_months() {
        let w = words("ru");
        assert_eq!(w.signed_by(29), "Подписали 29 организаций");
        assert_eq!(w.signed_by(22), "Подписали 22 организации");
        assert_eq!(w.signed_by(21), "Подписали 21 организация");
        assert!(
            w.date(DAY).starts_with("30 октября 2025"),
            "{}",
            w.date(DAY)
        );
        assert!(words("uk").date(DAY).starts_with("30 жовтня 2025"));
        assert!(words("be").date(DAY).starts_with("30 кастрычніка 2025"));
    }

    #[test]
    fn farsi_uses_its_calendar_and_optionally_its_digits() {
        let latin = words("fa");
        assert!(
            latin.date(DAY).contains("آبان") && latin.date(DAY).contains("1404"),
            "{}",
            latin.date(DAY)
        );
        let native = Words::new(TABLE, "fa", Digits::Native).unwrap();
        assert!(native.date(DAY).contains("۱۴۰۴"), "{}", native.date(DAY));
        assert_eq!(native.number(29), "۲۹");
        assert_eq!(
            Words::new(TABLE, "ar", Digits::Native).unwrap().number(29),
            "٢٩"
        );
    }

    #[test]
    fn embargo_names_both_zones() {
        let w = words("en-GB");
        let t = ZonedTime {
            date: DAY,
            hour: 9,
            minute: 0,
            offset_minutes: -240,
        };
        assert_eq!(
            w.moment(t),
            "30 October 2025, 09:00 (UTC\u{2212}4; 13:00 UTC)"
        );
        assert_eq!(
            words("en").moment(t),
            "October 30, 2025, 9:00\u{202f}AM (UTC\u{2212}4; 1:00\u{202f}PM UTC)"
        );
        let late = ZonedTime { hour: 22, ..t };
        assert_eq!(
            w.moment(late),
            "30 October 2025, 22:00 (UTC\u{2212}4; 31 October 2025, 02:00 UTC)"
        );
    }

    #[test]
    fn unknown_language_falls_back_to_english() {
        assert_eq!(words("xx").get("more"), "-more-");
    }
}
