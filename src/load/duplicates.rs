//! Signatories listed twice: under one name ([`same_names`]), or under
//! slightly different names ("Amnesty International" and
//! "amnesty-international", "The Sakharov Centre" and "Sakharov Centre"),
//! a real problem in lists gathered by web forms ([`near_duplicates`]).
//!
//! A name is an organisation in one country: national chapters sign under
//! one name (`ATTAC` in France and `ATTAC` in Germany), so the same name in
//! two countries is two signatories.

use std::collections::HashMap;

use crate::load::statement::Signatory;

/// A name reduced to what tells organisations apart: case folded, accents,
/// punctuation and spaces removed, a leading "the" dropped.
pub fn key(name: &str) -> String {
    let folded: String = name
        .chars()
        .flat_map(char::to_lowercase)
        .map(strip_accent)
        .collect();
    let folded = folded.trim();
    let folded = folded.strip_prefix("the ").unwrap_or(folded);
    folded.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The base letter of a Latin letter with a diacritic (é → e, ł → l).
fn strip_accent(c: char) -> char {
    const FROM: &str = "àáâãäåāăąçćčďđèéêëēėęěìíîïīįłńňñòóôõöøōőŕřśšşťţùúûüūůűųýÿžźż";
    const TO: &str = "aaaaaaaaacccddeeeeeeeeiiiiiilnnnoooooooorrsssttuuuuuuuuyyzzz";
    FROM.chars()
        .position(|f| f == c)
        .and_then(|i| TO.chars().nth(i))
        .unwrap_or(c)
}

/// How two entries of one name (without regard to case) relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameName {
    /// The same country, or neither has one: one signatory listed twice.
    Duplicate,
    /// Only one of the two has a country: a chapter and its organisation,
    /// or one signatory listed twice with the country forgotten once.
    OneCountry,
}

/// The country as it compares: trimmed, case folded, blank as none.
fn country_key(s: &Signatory) -> Option<String> {
    s.country
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_lowercase)
}

/// Later entries whose name an earlier one has too, as (earlier, later,
/// how): each later entry once, paired with the first entry it repeats.
/// The same name in two different countries is not reported. Blank names
/// are left to the check that they are not blank.
pub fn same_names(signatories: &[Signatory]) -> Vec<(usize, usize, SameName)> {
    // The first entry of each name and country, and of each name with a
    // country and without one.
    let mut exact: HashMap<(String, Option<String>), usize> = HashMap::new();
    let mut with_country: HashMap<String, usize> = HashMap::new();
    let mut without_country: HashMap<String, usize> = HashMap::new();
    let mut found = Vec::new();
    for (i, s) in signatories.iter().enumerate() {
        let name = s.name.trim().to_lowercase();
        if name.is_empty() {
            continue;
        }
        let country = country_key(s);
        let has_country = country.is_some();
        match exact.entry((name.clone(), country)) {
            std::collections::hash_map::Entry::Occupied(first) => {
                found.push((*first.get(), i, SameName::Duplicate));
                continue;
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(i);
            }
        }
        let (mine, other) = if has_country {
            (&mut with_country, &without_country)
        } else {
            (&mut without_country, &with_country)
        };
        if let Some(&first) = other.get(&name) {
            found.push((first, i, SameName::OneCountry));
        }
        mine.entry(name).or_insert(i);
    }
    found
}

/// Pairs of signatories (indices) whose names reduce to the same key but
/// are not the same name: those are exact duplicates, refused when the countries agree. Two entries in two
/// different countries are not paired.
pub fn near_duplicates(signatories: &[Signatory]) -> Vec<(usize, usize)> {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut pairs = Vec::new();
    for (i, s) in signatories.iter().enumerate() {
        let k = key(&s.name);
        if k.is_empty() {
            continue;
        }
        match first.get(&k) {
            Some(&j) => {
                let earlier = &signatories[j];
                let same_name = earlier.name.trim().to_lowercase() == s.name.trim().to_lowercase();
                let two_countries = matches!(
                    (country_key(earlier), country_key(s)),
                    (Some(a), Some(b)) if a != b
                );
                if !same_name && !two_countries {
                    pairs.push((j, i));
                }
            }
            None => {
                first.insert(k, i);
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_differ_only_in_form_match() {
        assert_eq!(key("Amnesty International"), key("amnesty-international"));
        assert_eq!(key("The Sakharov Centre"), key("Sakharov  Centre"));
        assert_eq!(
            key("Ligue des droits de l'Homme"),
            key("LIGUE DES DROITS DE L’HOMME")
        );
        assert_eq!(key("Fundación Élan"), key("Fundacion Elan"));
        assert_ne!(key("Human Rights Watch"), key("Human Rights First"));
        assert_eq!(key("ОВД-Инфо"), key("ОВД Инфо"));
    }

    fn list(entries: &[(&str, Option<&str>)]) -> Vec<Signatory> {
        entries
            .iter()
            .map(|(name, country)| Signatory {
                name: (*name).to_owned(),
                country: country.map(str::to_owned),
                ..Signatory::default()
            })
            .collect()
    }

    #[test]
    fn one_name_in_two_countries_is_two_signatories() {
        let chapters = list(&[("ATTAC", Some("France")), ("ATTAC", Some("Germany"))]);
        assert_eq!(same_names(&chapters), []);
        assert_eq!(near_duplicates(&chapters), []);
    }

    #[test]
    fn one_name_in_one_country_is_listed_twice() {
        let twice = list(&[
            ("ATTAC", None),
            ("Amnesty", Some("France")),
            ("attac", None),
            ("Amnesty", Some("france ")),
        ]);
        assert_eq!(
            same_names(&twice),
            [(0, 2, SameName::Duplicate), (1, 3, SameName::Duplicate)]
        );
        // The loader reports these; `check` does not repeat them.
        assert_eq!(near_duplicates(&twice), []);
    }

    #[test]
    fn one_name_with_and_without_a_country_is_a_question() {
        let entries = list(&[
            ("ATTAC", Some("France")),
            ("ATTAC", Some("Germany")),
            ("ATTAC", None),
            ("ATTAC", Some("Germany")),
        ]);
        assert_eq!(
            same_names(&entries),
            [(0, 2, SameName::OneCountry), (1, 3, SameName::Duplicate)]
        );
        let other_way = list(&[("ATTAC", None), ("ATTAC", Some("France"))]);
        assert_eq!(same_names(&other_way), [(0, 1, SameName::OneCountry)]);
    }

    #[test]
    fn near_duplicates_in_two_countries_are_not_paired() {
        let entries = list(&[
            ("Amnesty International", Some("France")),
            ("amnesty-international", Some("Germany")),
            ("Amnesty  International", None),
        ]);
        assert_eq!(near_duplicates(&entries), [(0, 2)]);
    }
}
