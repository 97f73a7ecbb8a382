//! The file's shape as parsed, before validation.
//!
//! These types accept anything of the right type, so that validation can
//! report every content problem at once; they mirror the statement's tables,
//! and [`known_keys`] lists the same keys for the typo hints: a key added
//! here belongs there too.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use toml::value::Datetime;

use crate::error::Problem;
use crate::load::statement::{
    About, CollectSettings, Contact, LetterSettings, Organisation, Quote, SendSettings, Signatory,
};

#[derive(Deserialize, Default)]
pub(super) struct RawStatement {
    pub(super) title: Option<String>,
    pub(super) subtitle: Option<String>,
    pub(super) date: Option<DateValue>,
    pub(super) language: Option<String>,
    pub(super) place: Option<String>,
    pub(super) url: Option<String>,
    pub(super) slogan: Option<String>,
    pub(super) summary: Option<String>,
    #[serde(default)]
    pub(super) placards: Vec<RawPlacard>,
    pub(super) body: Option<String>,
    pub(super) signatories: Option<RawSignatories>,
    #[serde(default)]
    pub(super) quotes: Vec<Quote>,
    #[serde(default)]
    pub(super) contacts: Vec<Contact>,
    #[serde(default)]
    pub(super) about: Vec<About>,
    #[serde(default)]
    pub(super) organisation: Organisation,
    #[serde(default)]
    pub(super) release: RawRelease,
    #[serde(default)]
    pub(super) poster: RawPoster,
    #[serde(default)]
    pub(super) annex: RawAnnex,
    #[serde(default)]
    pub(super) letter: LetterSettings,
    #[serde(default)]
    pub(super) send: SendSettings,
    #[serde(default)]
    pub(super) collect: CollectSettings,
    pub(super) digits: Option<String>,
    #[serde(default)]
    pub(super) translations: BTreeMap<String, RawTranslation>,
}

#[derive(Deserialize, Default)]
pub(super) struct RawAnnex {
    pub(super) sort: Option<String>,
    pub(super) group_by: Option<String>,
}

#[derive(Deserialize, Default)]
pub(super) struct RawTranslation {
    pub(super) title: Option<String>,
    pub(super) subtitle: Option<String>,
    pub(super) slogan: Option<String>,
    pub(super) summary: Option<String>,
    pub(super) placards: Option<Vec<RawPlacard>>,
    pub(super) place: Option<String>,
    pub(super) body: Option<String>,
    #[serde(default)]
    pub(super) poster: RawTranslationPoster,
    pub(super) quotes: Option<Vec<Quote>>,
    pub(super) about: Option<Vec<About>>,
    #[serde(default)]
    pub(super) groups: BTreeMap<String, String>,
    pub(super) digits: Option<String>,
    #[serde(default)]
    pub(super) names: BTreeMap<String, String>,
    /// Only in a translation file of its own: the original statement.
    pub(super) translation_of: Option<String>,
    /// Only in a translation file of its own: its language.
    pub(super) language: Option<String>,
}

/// One `[[placards]]` table.
#[derive(Deserialize, Default)]
pub(super) struct RawPlacard {
    pub(super) text: Option<String>,
}

#[derive(Deserialize, Default)]
pub(super) struct RawTranslationPoster {
    pub(super) message: Option<String>,
}

#[derive(Deserialize, Default)]
pub(super) struct RawRelease {
    pub(super) embargo: Option<DateValue>,
    pub(super) list: Option<RawListLimit>,
}

/// `list = 60` or `list = "all"`.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawListLimit {
    Count(i64),
    Word(String),
}

#[derive(Deserialize, Default)]
pub(super) struct RawPoster {
    pub(super) size: Option<String>,
    pub(super) landscape: Option<bool>,
    pub(super) spot: Option<String>,
    pub(super) cmyk: Option<bool>,
    pub(super) theme: Option<String>,
    pub(super) message: Option<String>,
}

/// A signatory written either as a bare name or as a table.
pub(super) struct RawSignatory(pub(super) Signatory);

impl<'de> Deserialize<'de> for RawSignatory {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSignatory;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a name, or a table with `name` and optional `group`, `country`, `url`, `logo`",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawSignatory, E> {
                Ok(RawSignatory(Signatory {
                    name: v.to_owned(),
                    ..Signatory::default()
                }))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawSignatory, A::Error> {
                Signatory::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawSignatory)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The signatories: listed in the statement, or in a spreadsheet beside it.
pub(super) enum RawSignatories {
    /// `signatories = ["A", { name = "B", country = "…" }]`.
    List(Vec<RawSignatory>),
    /// `signatories = { file = "signatories.csv" }`.
    File(crate::load::sheet::SignatoryFile),
}

impl<'de> Deserialize<'de> for RawSignatories {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSignatories;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of signatories, or a table `{ file = \"signatories.csv\" }`")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<RawSignatories, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq))
                    .map(RawSignatories::List)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawSignatories, A::Error> {
                crate::load::sheet::SignatoryFile::deserialize(
                    de::value::MapAccessDeserializer::new(map),
                )
                .map(RawSignatories::File)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A date or date-time: a TOML datetime value or an RFC 3339 string (JSON).
pub(super) struct DateValue(pub(super) Datetime);

impl<'de> Deserialize<'de> for DateValue {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a date such as 2025-10-30 (or a date-time such as 2025-10-30T09:00:00-04:00)",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateValue, E> {
                v.trim().parse::<Datetime>().map(DateValue).map_err(|_| {
                    E::custom(format!(
                        "`{v}` is not a date; write it as YYYY-MM-DD (or YYYY-MM-DDTHH:MM:SS+HH:MM for a time)"
                    ))
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DateValue, A::Error> {
                Datetime::deserialize(de::value::MapAccessDeserializer::new(map)).map(DateValue)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Known keys of each table, for suggesting the nearest one to a typo.
fn known_keys(table: &str) -> &'static [&'static str] {
    match table {
        "" => &[
            "title",
            "subtitle",
            "date",
            "language",
            "place",
            "url",
            "slogan",
            "summary",
            "placards",
            "body",
            "signatories",
            "quotes",
            "contacts",
            "about",
            "organisation",
            "release",
            "poster",
            "annex",
            "letter",
            "send",
            "collect",
            "digits",
            "translations",
        ],
        "signatories[]" => &[
            "name", "group", "country", "url", "logo", "consent", "names",
        ],
        "signatories[].consent" => &["by", "contact", "date", "method", "wording"],
        "signatories" => &["file", "columns", "sheet"],
        "quotes[]" => &["text", "name", "role"],
        "contacts[]" => &["name", "organisation", "email", "phone"],
        "about[]" => &["name", "text"],
        "organisation" => &["name", "logo", "accent"],
        "release" => &["embargo", "list"],
        "annex" => &["sort", "group_by"],
        "letter" => &["subject", "from", "place", "signers"],
        "send" => &["from", "reply_to", "unsubscribe"],
        "collect" => &["consent", "translations", "individuals", "group"],
        "letter.signers[]" => &["name", "role", "organisation", "signature"],
        "translations.*" => &[
            "title",
            "subtitle",
            "slogan",
            "summary",
            "placards",
            "place",
            "body",
            "poster",
            "quotes",
            "about",
            "groups",
            "digits",
            "names",
            "translation_of",
            "language",
        ],
        "translations.*.poster" => &["message"],
        "placards[]" | "translations.*.placards[]" => &["text"],
        "translations.*.quotes[]" => &["text", "name", "role"],
        "translations.*.about[]" => &["name", "text"],
        "poster" => &["size", "landscape", "theme", "message", "spot", "cmyk"],
        _ => &[],
    }
}

/// The table a key's parent path names, as [`known_keys`] lists it:
/// indices stripped (`signatories[3]` finds the keys of any signatory) and
/// any language tag of a translation read as `*`.
fn table_of(parent: &str) -> String {
    // Strip indices so `signatories[3]` finds the keys of any signatory.
    let mut table = String::new();
    let mut in_index = false;
    for c in parent.chars() {
        match c {
            '[' => {
                in_index = true;
                table.push_str("[]");
            }
            ']' => in_index = false,
            _ if in_index => {}
            _ => table.push(c),
        }
    }
    // Translations are keyed by language: any tag finds the same keys.
    if let Some(rest) = table.strip_prefix("translations.") {
        let tail = rest.find('.').map_or("", |i| &rest[i..]);
        table = format!("translations.*{tail}");
    }
    table
}

/// The warning for a key the parser skipped, with the nearest known key.
pub(super) fn unknown_key_warning(key: &str) -> Problem {
    let (parent, leaf) = match key.rfind('.') {
        Some(i) => (&key[..i], &key[i + 1..]),
        None => ("", key),
    };
    let table = table_of(parent);
    let candidates = known_keys(&table);
    let nearest = candidates
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&leaf.to_lowercase(), k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min();
    let hint = match nearest {
        Some((_, k)) => Some(format!("did you mean `{k}`?")),
        None if !candidates.is_empty() => {
            Some(format!("known keys here: {}", candidates.join(", ")))
        }
        None => None,
    };
    Problem {
        key: key.to_owned(),
        message: "unknown key; it is ignored".into(),
        hint,
        number: None,
    }
}

#[cfg(test)]
mod text_keys {
    use super::*;

    /// Every text the statement describes is a key the reader knows, so the
    /// unknown-key list and [`crate::load::statement::Statement::texts`] cannot drift apart.
    #[test]
    fn every_described_text_is_a_known_key() {
        let s = crate::load::texts::tests::every_field();
        for (path, _) in s.texts() {
            // A map's own keys (a language, a group's label) are data, not keys.
            let segments: Vec<&str> = path.split('.').collect();
            let cut = segments
                .iter()
                .position(|p| *p == "names" || *p == "groups")
                .map_or(segments.len(), |i| i + 1);
            let segments = &segments[..cut];
            let (parent, leaf) = match segments.split_last() {
                Some((leaf, parent)) => (parent.join("."), *leaf),
                None => (String::new(), path.as_str()),
            };
            let leaf = leaf.split('[').next().unwrap_or(leaf);
            let table = table_of(&parent);
            assert!(
                known_keys(&table).contains(&leaf),
                "`{path}`: `{leaf}` is not among the known keys of `{table}`"
            );
        }
    }
}
