//! The statement: what a coalition writes once and publishes everywhere.
//!
//! These types are the validated model. [`crate::load`] reads them from TOML
//! or JSON; the field names here are the file's keys, documented in docs/statement-file.md.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A validated statement, ready to lay out.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The statement's title (the press release headline).
    pub title: String,
    /// An optional subheading.
    pub subtitle: Option<String>,
    /// The day the statement is published; also the documents' date.
    pub date: Date,
    /// BCP 47 language tag of the text, such as `en` or `fa-IR`.
    pub language: String,
    /// The dateline city ("WASHINGTON").
    pub place: Option<String>,
    /// Where the statement is published online.
    pub url: Option<String>,
    /// The poster's headline; the title is used when absent.
    pub slogan: Option<String>,
    /// A short version of the statement for the flyer, in Markdown; the
    /// subtitle and the first paragraph are used when absent.
    pub summary: Option<String>,
    /// The slogans of the placards carried on the day (`[[placards]]`), one
    /// placard each; the slogan alone when empty.
    pub placards: Vec<String>,
    /// The statement's text, in Markdown.
    pub body: String,
    /// Who signed, in the order the coalition gave.
    pub signatories: Vec<Signatory>,
    /// Quotes from coalition members, set apart in the press release.
    pub quotes: Vec<Quote>,
    /// Media contacts.
    pub contacts: Vec<Contact>,
    /// "About" boilerplate texts, printed after the end mark.
    pub about: Vec<About>,
    /// Who publishes: name, logo and accent colour shared by all documents.
    pub organisation: Organisation,
    /// Press release settings.
    pub release: Release,
    /// Poster settings.
    pub poster: PosterSettings,
    /// How the signatory list is ordered and divided, in every document.
    pub list: ListOrder,
    /// Settings for letters that carry the statement (`[letter]`).
    pub letter: LetterSettings,
    /// Who sends it by email (`[send]`).
    pub send: SendSettings,
    /// How `broadside collect` gathers sign-ons (`[collect]`).
    pub collect: CollectSettings,
    /// The spreadsheet the signatories were read from
    /// (`signatories = { file = "..." }`), its path relative to `base_dir`.
    pub signatories_file: Option<crate::load::sheet::SignatoryFile>,
    /// Which digits numbers and dates are written with.
    pub digits: Digits,
    /// The statement in other languages, by language tag.
    pub translations: BTreeMap<String, Translation>,
    /// The file the statement was read from, for messages.
    pub source: PathBuf,
    /// The folder relative paths (logos) resolve in: the statement file's folder.
    pub base_dir: PathBuf,
}

/// A calendar date (no time of day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, such as 2025.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A moment with its UTC offset, such as an embargo's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ZonedTime {
    /// The local calendar date.
    pub date: Date,
    /// Local hour, 0 to 23.
    pub hour: u8,
    /// Local minute, 0 to 59.
    pub minute: u8,
    /// Offset from UTC in minutes (New York in October is -240).
    pub offset_minutes: i16,
}

impl ZonedTime {
    /// The same moment in UTC.
    pub fn to_utc(self) -> ZonedTime {
        let local = i64::from(self.hour) * 60 + i64::from(self.minute);
        let mut utc = local - i64::from(self.offset_minutes);
        let mut date = self.date;
        while utc < 0 {
            utc += 24 * 60;
            date = date.previous_day();
        }
        while utc >= 24 * 60 {
            utc -= 24 * 60;
            date = date.next_day();
        }
        ZonedTime {
            date,
            hour: (utc / 60) as u8,
            minute: (utc % 60) as u8,
            offset_minutes: 0,
        }
    }
}

impl Date {
    /// Whether this is a real day of the Gregorian calendar.
    pub fn is_valid(self) -> bool {
        (1..=12).contains(&self.month) && self.day >= 1 && self.day <= self.days_in_month()
    }

    fn days_in_month(self) -> u8 {
        match self.month {
            4 | 6 | 9 | 11 => 30,
            2 if self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0) => 29,
            2 => 28,
            _ => 31,
        }
    }

    fn next_day(self) -> Date {
        if self.day < self.days_in_month() {
            Date {
                day: self.day + 1,
                ..self
            }
        } else if self.month < 12 {
            Date {
                month: self.month + 1,
                day: 1,
                ..self
            }
        } else {
            Date {
                year: self.year + 1,
                month: 1,
                day: 1,
            }
        }
    }

    fn previous_day(self) -> Date {
        if self.day > 1 {
            Date {
                day: self.day - 1,
                ..self
            }
        } else if self.month > 1 {
            let month = self.month - 1;
            let day = Date {
                month,
                day: 1,
                ..self
            }
            .days_in_month();
            Date { month, day, ..self }
        } else {
            Date {
                year: self.year - 1,
                month: 12,
                day: 31,
            }
        }
    }
}

/// One organisation or person who signed.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Signatory {
    /// The name exactly as it is to be printed.
    #[serde(default)]
    pub name: String,
    /// A group heading ("Conveners", "Co-signers"); consecutive signatories
    /// with the same group are printed under one heading.
    #[serde(default)]
    pub group: Option<String>,
    /// Country or region, printed after the name in the annex.
    #[serde(default)]
    pub country: Option<String>,
    /// The signatory's website.
    #[serde(default)]
    pub url: Option<String>,
    /// A logo, relative to the statement file's folder.
    #[serde(default)]
    pub logo: Option<PathBuf>,
    /// Who authorised the signature; kept for the coalition's records, never printed.
    /// (Boxed: most entries have none, and inline it would double the size
    /// of every entry of a long list.)
    #[serde(default)]
    pub consent: Option<Box<Consent>>,
    /// The name in other languages, by language tag; the original is used
    /// for a language not listed.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

/// The record that a signatory agreed to sign.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Consent {
    /// The person who authorised the signature.
    #[serde(default)]
    pub by: Option<String>,
    /// How to reach them (email or phone).
    #[serde(default)]
    pub contact: Option<String>,
    /// When they agreed (free text or an ISO date).
    #[serde(default)]
    pub date: Option<String>,
    /// How they agreed ("email", "signed form", ...).
    #[serde(default)]
    pub method: Option<String>,
    /// The exact words they agreed to, where a form showed them.
    #[serde(default)]
    pub wording: Option<String>,
}

/// A quote from a coalition member.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Quote {
    /// The words quoted, without quotation marks.
    #[serde(default)]
    pub text: String,
    /// Who said it.
    #[serde(default)]
    pub name: String,
    /// Their role and organisation ("Director, Freedom Now").
    #[serde(default)]
    pub role: Option<String>,
}

/// A media contact.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Contact {
    /// The person's name.
    #[serde(default)]
    pub name: String,
    /// Their organisation.
    #[serde(default)]
    pub organisation: Option<String>,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone number, as it should be printed.
    #[serde(default)]
    pub phone: Option<String>,
}

/// An "About ..." boilerplate paragraph.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct About {
    /// Whom it is about; printed as "About {name}".
    #[serde(default)]
    pub name: String,
    /// The text, in Markdown.
    #[serde(default)]
    pub text: String,
}

/// The publisher's identity, shared by all documents.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Organisation {
    /// The coalition or organisation that publishes.
    #[serde(default)]
    pub name: Option<String>,
    /// Its logo, relative to the statement file's folder.
    #[serde(default)]
    pub logo: Option<PathBuf>,
    /// Accent colour as `#rrggbb`.
    #[serde(default)]
    pub accent: Option<String>,
}

/// Press release settings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Release {
    /// When the embargo lifts; `None` means "for immediate release".
    pub embargo: Option<ZonedTime>,
    /// How many signatories the release lists before it points to the annex.
    pub list: ListLimit,
}

/// Settings for the letters that carry the statement (`[letter]`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct LetterSettings {
    /// The subject line; may hold placeholders like the letter's text.
    /// The statement's title when absent.
    #[serde(default)]
    pub subject: Option<String>,
    /// The sender's address, one line per line, printed above the
    /// recipient's in the window and in the letterhead.
    #[serde(default)]
    pub from: Option<String>,
    /// Where the letter is written ("Washington"), before the date.
    #[serde(default)]
    pub place: Option<String>,
    /// Who signs every letter, side by side.
    #[serde(default)]
    pub signers: Vec<Signer>,
}

/// The sender of `broadside send` (`[send]`); the command line's
/// `--from`, `--reply-to` and `--unsubscribe` come first.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct SendSettings {
    /// The `From` of every message: "Name <press@example.org>".
    #[serde(default)]
    pub from: Option<String>,
    /// Where replies go, when not to `from`.
    #[serde(default)]
    pub reply_to: Option<String>,
    /// An https address taking one-click unsubscribes from the press list.
    #[serde(default)]
    pub unsubscribe: Option<String>,
}

/// The sign-on form of `broadside collect` (`[collect]`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct CollectSettings {
    /// The words a signer agrees to by ticking the form's box; stored
    /// with each signature as its consent record.
    #[serde(default)]
    pub consent: Option<String>,
    /// The consent words in the statement's other languages, by tag.
    #[serde(default)]
    pub translations: BTreeMap<String, String>,
    /// Whether people may sign as themselves, not only organisations.
    #[serde(default)]
    pub individuals: bool,
    /// The group an approved sign-on joins unless staff choose another.
    #[serde(default)]
    pub group: Option<String>,
}

/// One person who signs the letters.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Signer {
    /// Their name.
    pub name: String,
    /// Their role ("Executive Director").
    #[serde(default)]
    pub role: Option<String>,
    /// Their organisation.
    #[serde(default)]
    pub organisation: Option<String>,
    /// An image of their signature, relative to the statement's folder.
    #[serde(default)]
    pub signature: Option<PathBuf>,
}

/// How the signatory list is ordered and divided (`[annex] sort` and
/// `group_by`). One order serves every document, so a number means the same
/// signatory in the release and the annex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListOrder {
    /// The order within each section.
    pub sort: SortBy,
    /// What the sections are.
    pub group_by: GroupBy,
}

/// The order of signatories within a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// As the statement lists them: the coalition's own order.
    #[default]
    Statement,
    /// By name, collated for the statement's language, leading articles aside.
    Name,
}

impl SortBy {
    /// Reads `statement` or `name`.
    pub fn parse(text: &str) -> Option<SortBy> {
        match text.trim() {
            "statement" => Some(SortBy::Statement),
            "name" => Some(SortBy::Name),
            _ => None,
        }
    }
}

/// What divides the signatory list into sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    /// The statement's own groups (`signatories[].group`).
    #[default]
    Group,
    /// The signatories' countries, collated; those without one come last.
    Country,
}

impl GroupBy {
    /// Reads `group` or `country`.
    pub fn parse(text: &str) -> Option<GroupBy> {
        match text.trim() {
            "group" => Some(GroupBy::Group),
            "country" => Some(GroupBy::Country),
            _ => None,
        }
    }
}

/// How many signatories a document lists by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListLimit {
    /// Every signatory.
    All,
    /// The first so many (in the statement's order); the rest are counted.
    First(usize),
}

impl ListLimit {
    /// The press release's default: a newsroom reads a release, not a phone
    /// book, and sixty names fill about a page in two columns.
    pub const RELEASE_DEFAULT: ListLimit = ListLimit::First(60);

    /// How many of `count` signatories are listed.
    pub fn shown(self, count: usize) -> usize {
        match self {
            ListLimit::All => count,
            ListLimit::First(n) => n.min(count),
        }
    }
}

impl Default for ListLimit {
    fn default() -> Self {
        ListLimit::RELEASE_DEFAULT
    }
}

/// Poster settings.
#[derive(Debug, Clone, PartialEq)]
pub struct PosterSettings {
    /// Paper size.
    pub size: PosterSize,
    /// Whether the poster is landscape.
    pub landscape: bool,
    /// A named spot colour (`PANTONE 485 C`) for the accent: the poster is
    /// then printed in two inks, black and this one.
    pub spot: Option<String>,
    /// Print in process colours (CMYK) rather than RGB.
    pub cmyk: bool,
    /// Visual theme.
    pub theme: PosterTheme,
    /// One or two short lines under the headline.
    pub message: Option<String>,
}

impl Default for PosterSettings {
    fn default() -> Self {
        PosterSettings {
            size: PosterSize::a2(),
            landscape: false,
            spot: None,
            cmyk: false,
            theme: PosterTheme::Dark,
            message: None,
        }
    }
}

/// A poster's trim size.
#[derive(Debug, Clone, PartialEq)]
pub struct PosterSize {
    /// The name it was given: `a2`, `arch-d`, or the custom size as written.
    pub name: String,
    /// Trim width in millimetres.
    pub width_mm: f64,
    /// Trim height in millimetres.
    pub height_mm: f64,
}

impl PosterSize {
    /// Named sizes, portrait, in millimetres.
    pub const NAMED: [(&'static str, f64, f64); 9] = [
        ("a4", 210.0, 297.0),
        ("a3", 297.0, 420.0),
        ("a2", 420.0, 594.0),
        ("a1", 594.0, 841.0),
        ("a0", 841.0, 1189.0),
        ("letter", 215.9, 279.4),
        ("tabloid", 279.4, 431.8),
        ("arch-c", 457.2, 609.6),
        ("arch-d", 609.6, 914.4),
    ];

    /// The sizes a placard is made in: it is carried in two hands.
    pub const PLACARD: [&'static str; 2] = ["a3", "a4"];

    /// The sizes a flyer is made in, portrait, in millimetres.
    pub const FLYER: [(&'static str, f64, f64); 2] = [("a5", 148.0, 210.0), ("a6", 105.0, 148.0)];

    /// ISO A3, the placards' default.
    pub fn a3() -> PosterSize {
        PosterSize {
            name: "a3".into(),
            width_mm: 297.0,
            height_mm: 420.0,
        }
    }

    /// ISO A5, the flyer's default.
    pub fn a5() -> PosterSize {
        PosterSize {
            name: "a5".into(),
            width_mm: 148.0,
            height_mm: 210.0,
        }
    }

    /// A flyer size by name (`a5`, `a6`).
    pub fn flyer(name: &str) -> Option<PosterSize> {
        let name = name.trim().to_ascii_lowercase();
        Self::FLYER
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(n, w, h)| PosterSize {
                name: (*n).into(),
                width_mm: *w,
                height_mm: *h,
            })
    }

    /// ISO A2, the default.
    pub fn a2() -> PosterSize {
        PosterSize {
            name: "a2".into(),
            width_mm: 420.0,
            height_mm: 594.0,
        }
    }

    /// Parses a named size (`a2`, `tabloid`, `arch-d`) or a custom one
    /// (`600x900mm`, `60x90cm`, `24x36in`). The error says what is accepted.
    pub fn parse(text: &str) -> Result<PosterSize, String> {
        let t = text.trim().to_ascii_lowercase();
        if let Some((name, w, h)) = Self::NAMED.iter().find(|(n, _, _)| *n == t) {
            return Ok(PosterSize {
                name: (*name).into(),
                width_mm: *w,
                height_mm: *h,
            });
        }
        let names: Vec<&str> = Self::NAMED.iter().map(|(n, _, _)| *n).collect();
        let help = format!(
            "`{text}` is not a poster size: use one of {}, or a custom size such as 600x900mm, 60x90cm or 24x36in",
            names.join(", ")
        );
        let (numbers, unit) = ["mm", "cm", "in"]
            .iter()
            .find_map(|u| t.strip_suffix(u).map(|n| (n, *u)))
            .ok_or_else(|| help.clone())?;
        let (w, h) = numbers.split_once(['x', '×']).ok_or_else(|| help.clone())?;
        let factor = match unit {
            "mm" => 1.0,
            "cm" => 10.0,
            _ => 25.4,
        };
        let parse = |v: &str| {
            v.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v > 0.0)
                .map(|v| v * factor)
        };
        let (width_mm, height_mm) = (
            parse(w).ok_or_else(|| help.clone())?,
            parse(h).ok_or_else(|| help.clone())?,
        );
        if !(50.0..=5000.0).contains(&width_mm) || !(50.0..=5000.0).contains(&height_mm) {
            return Err(format!(
                "`{text}` is outside what broadside sets: each side between 50 mm and 5 m"
            ));
        }
        Ok(PosterSize {
            name: t,
            width_mm,
            height_mm,
        })
    }

    /// The same size turned to landscape (the longer side horizontal).
    pub fn landscape(self) -> PosterSize {
        if self.width_mm >= self.height_mm {
            self
        } else {
            PosterSize {
                width_mm: self.height_mm,
                height_mm: self.width_mm,
                ..self
            }
        }
    }
}

/// Poster designs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PosterTheme {
    /// Light type on a dark ground, the accent as a band.
    Dark,
    /// Dark type on paper white, the accent for the headline.
    Light,
}

impl PosterTheme {
    /// The name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            PosterTheme::Dark => "dark",
            PosterTheme::Light => "light",
        }
    }

    /// Parses a theme name, case-insensitively.
    pub fn parse(name: &str) -> Option<PosterTheme> {
        [PosterTheme::Dark, PosterTheme::Light]
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// Office paper for the press release and the annex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Paper {
    /// The name Typst uses for this paper.
    pub fn typst_name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "us-letter",
        }
    }
}

/// Which digits numbers are written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Digits {
    /// 0123456789, whatever the language.
    #[default]
    Latin,
    /// The language's own digits where it has them (٠١٢ in Arabic, ۰۱۲ in Farsi).
    Native,
}

/// The statement's text in another language.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Translation {
    /// The title.
    pub title: String,
    /// The subheading.
    pub subtitle: Option<String>,
    /// The poster headline.
    pub slogan: Option<String>,
    /// The flyer's short version.
    pub summary: Option<String>,
    /// The placards' slogans; this language's slogan alone when absent (a
    /// placard never carries another language's words).
    pub placards: Option<Vec<String>>,
    /// The dateline city.
    pub place: Option<String>,
    /// The text, in Markdown.
    pub body: String,
    /// The poster's key message.
    pub message: Option<String>,
    /// Quotes; the original's are used when absent.
    pub quotes: Option<Vec<Quote>>,
    /// About texts; the original's are used when absent.
    pub about: Option<Vec<About>>,
    /// Group headings, from the original's label to this language's.
    pub groups: BTreeMap<String, String>,
    /// Digits for this language; the statement's choice when absent.
    pub digits: Option<Digits>,
    /// Signatory names in this language, from the original name (an
    /// alternative to each signatory's `names`).
    pub names: BTreeMap<String, String>,
}

impl Statement {
    /// Languages the statement can be published in: its own, then its translations.
    pub fn languages(&self) -> Vec<String> {
        let mut out = vec![self.language.clone()];
        out.extend(
            self.translations
                .keys()
                .filter(|l| **l != self.language)
                .cloned(),
        );
        out
    }

    /// Which of [`Statement::languages`] serves a reader of `wanted`: the
    /// same tag, or the closest by BCP 47 (
    /// `en` finds `en-GB`, `fr-CA` finds `fr`); `None` when none is in that
    /// language.
    pub fn closest_language(&self, wanted: &str) -> Option<&str> {
        crate::load::language::closest(
            wanted,
            std::iter::once(self.language.as_str())
                .chain(self.translations.keys().map(String::as_str)),
        )
    }

    /// The statement as published in `language`: the translation's texts,
    /// names in that language where given, everything else as the original.
    /// `None` when there is no translation for it.
    pub fn in_language(&self, language: &str) -> Option<Statement> {
        if language.eq_ignore_ascii_case(&self.language) {
            return Some(self.clone());
        }
        let (tag, t) = self
            .translations
            .iter()
            .find(|(tag, _)| tag.eq_ignore_ascii_case(language))?;
        let mut out = self.clone();
        out.language = tag.clone();
        out.title = t.title.clone();
        out.subtitle = t.subtitle.clone();
        out.slogan = t.slogan.clone();
        out.summary = t.summary.clone();
        out.placards = t.placards.clone().unwrap_or_default();
        out.place = t.place.clone().or(out.place);
        out.body = t.body.clone();
        out.poster.message = t.message.clone();
        if let Some(quotes) = &t.quotes {
            out.quotes = quotes.clone();
        }
        if let Some(about) = &t.about {
            out.about = about.clone();
        }
        if let Some(digits) = t.digits {
            out.digits = digits;
        }
        for s in &mut out.signatories {
            if let Some(name) = t.names.get(&s.name) {
                s.name = name.clone();
            }
            if let Some(name) =
                crate::load::language::closest(tag, s.names.keys().map(String::as_str))
                    .and_then(|l| s.names.get(l))
            {
                s.name = name.clone();
            }
            if let Some(group) = &s.group
                && let Some(translated) = t.groups.get(group)
            {
                s.group = Some(translated.clone());
            }
        }
        out.translations = BTreeMap::new();
        Some(out)
    }
}
