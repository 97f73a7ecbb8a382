//! Telling a country from part of a name: "Name, Malawi" and
//! "Name (Zimbabwe)" end with a country, "Name (CPD)" does not.
//!
//! The names come from CLDR (`data/territories.tsv`, written by
//! `tools/territories.py`) in every language broadside supports, so a French
//! list's "Afrique du Sud" is found as surely as an English "South Africa".
//! Only the shape of a name never decides: a parenthesis or a comma is split
//! off only when what it holds is a country's name.

use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("../../../data/territories.tsv");

/// Every known name, folded, to its CLDR code.
fn table() -> &'static HashMap<String, &'static str> {
    static TABLE_MAP: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    TABLE_MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
            let mut cells = line.split('\t');
            if let (Some(code), Some(_lang), Some(name)) =
                (cells.next(), cells.next(), cells.next())
            {
                map.entry(fold(name)).or_insert(code);
            }
        }
        map
    })
}

/// A name as compared: lower case, accents, spaces, dots and hyphens aside,
/// a leading article dropped ("the Netherlands", "U.S.", "Papouasie-Nouvelle- Guinée").
fn fold(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let lower = name.trim().to_lowercase();
    let lower = ["the ", "la ", "le ", "les ", "el ", "l'", "l’"]
        .iter()
        .find_map(|a| lower.strip_prefix(a))
        .unwrap_or(&lower)
        .to_owned();
    lower
        .nfd()
        .filter(|c| c.is_alphanumeric() && !unicode_normalization::char::is_combining_mark(*c))
        .collect()
}

/// The CLDR code of a country or region named `text`, if it is one.
pub fn code(text: &str) -> Option<&'static str> {
    let folded = fold(text);
    if folded.is_empty() {
        return None;
    }
    table().get(&folded).copied()
}

/// Whether `text` is the name of a country or region.
pub fn is_country(text: &str) -> bool {
    code(text).is_some()
}

/// An entry split into its name and the country it ends with, when it ends
/// with one: "Name, Malawi", "Name (Zimbabwe)" and "Name – France" (a dash
/// with a space each side, as French and Spanish lists write it). The parts
/// are slices of the entry, so the name is still the text as written.
pub fn split(entry: &str) -> (&str, Option<&str>) {
    let entry = entry.trim();
    if let Some(inner) = entry.strip_suffix(')')
        && let Some(open) = inner.rfind('(')
    {
        let country = inner[open + 1..].trim();
        let name = inner[..open]
            .trim_end()
            .trim_end_matches([',', '-', '–'])
            .trim_end();
        if !name.is_empty() && is_country(country) {
            return (name, Some(country));
        }
    }
    for separator in [", ", " – ", " — ", " - "] {
        if let Some(at) = entry.rfind(separator) {
            let country = entry[at + separator.len()..].trim();
            let name = entry[..at].trim_end();
            if !name.is_empty() && is_country(country) {
                return (name, Some(country));
            }
        }
    }
    (entry, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_found_in_several_languages_and_forms() {
        for c in [
            "Malawi",
            "Zimbabwe",
            "the Netherlands",
            "US",
            "UK",
            "USA",
            "Pacific Islands",
            "Afrique du Sud",
            "Belgique",
            "Papouasie-Nouvelle- Guinée",
            "Brésil",
            "Alemania",
            "South Korea",
            "Россия",
            "Україна",
            "ایران",
            "مصر",
        ] {
            assert!(is_country(c), "{c}");
        }
        for n in [
            "CPD", "ATALC", "FoE EWNI", "ADEF", "Global", "Regional", "org", "11.11.11",
        ] {
            assert!(!is_country(n), "{n}");
        }
    }

    #[test]
    fn a_country_is_split_only_when_it_is_one() {
        assert_eq!(
            split("Zimbabwe Coalition on Debt (Zimbabwe)"),
            ("Zimbabwe Coalition on Debt", Some("Zimbabwe"))
        );
        assert_eq!(
            split("Malawi Economic Justice Network, Malawi"),
            ("Malawi Economic Justice Network", Some("Malawi"))
        );
        assert_eq!(
            split("Centre for Policy Dialogue (CPD)"),
            ("Centre for Policy Dialogue (CPD)", None)
        );
        assert_eq!(
            split("Alianza Social Continental (ATALC)"),
            ("Alianza Social Continental (ATALC)", None)
        );
        assert_eq!(
            split("CNCD-11.11.11, Belgium"),
            ("CNCD-11.11.11", Some("Belgium"))
        );
        assert_eq!(
            split("Friends of the Earth, England Wales and Northern Ireland (FoE EWNI)"),
            (
                "Friends of the Earth, England Wales and Northern Ireland (FoE EWNI)",
                None
            )
        );
        assert_eq!(
            split("Worldview-The Gambia"),
            ("Worldview-The Gambia", None)
        );
        assert_eq!(
            split("Gestures - Seropositivity, Communication and Gender"),
            ("Gestures - Seropositivity, Communication and Gender", None)
        );
        // A dash with a space each side, in its three widths.
        assert_eq!(
            split("Attac France – France"),
            ("Attac France", Some("France"))
        );
        assert_eq!(
            split("350.org — United States"),
            ("350.org", Some("United States"))
        );
        assert_eq!(split("Viasna - Belarus"), ("Viasna", Some("Belarus")));
        assert_eq!(split("Réseau Tiers-Monde"), ("Réseau Tiers-Monde", None));
        assert_eq!(
            split("Amnesty International – UK Section"),
            ("Amnesty International – UK Section", None)
        );
        assert_eq!(split("– France"), ("– France", None));
    }

    #[test]
    fn names_are_folded_before_they_are_looked_up() {
        assert_eq!(code("France"), Some("FR"));
        assert_eq!(code("  FRANCE "), Some("FR"));
        assert_eq!(code("Bresil"), Some("BR"));
        assert_eq!(code("Côte d'Ivoire"), Some("CI"));
        assert_eq!(code("Côte d’Ivoire"), Some("CI"));
        assert_eq!(code("U.S."), code("US"));
        assert!(code("US").is_some());
        // A leading article, in each form the table's languages write it.
        assert_eq!(code("The Gambia"), Some("GM"));
        assert_eq!(code("la Gambie"), Some("GM"));
        assert_eq!(code("les Comores"), Some("KM"));
        assert_eq!(code("le Salvador"), Some("SV"));
        assert_eq!(code("El Salvador"), Some("SV"));
        assert_eq!(code("l'Inde"), Some("IN"));
        assert_eq!(code("l’Inde"), Some("IN"));
        // Nothing left once folded is no country, not the table's first row.
        assert_eq!(code(""), None);
        assert_eq!(code(" - . "), None);
        assert_eq!(code("the "), None);
    }

    #[test]
    fn a_parenthesised_country_needs_a_name_before_it() {
        assert_eq!(split("(France)"), ("(France)", None));
        assert_eq!(split("Attac, (France)"), ("Attac", Some("France")));
        assert_eq!(split("Attac - (France)"), ("Attac", Some("France")));
        assert_eq!(split("Attac –(France)"), ("Attac", Some("France")));
        assert_eq!(split("  Attac ( France )  "), ("Attac", Some("France")));
        assert_eq!(split(", France"), (", France", None));
        assert_eq!(
            split("Attac, France, Belgique"),
            ("Attac, France", Some("Belgique"))
        );
    }
}
