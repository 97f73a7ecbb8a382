//! The order and division of the signatory list: the coalition's own order
//! and groups by default, or names collated as a reader of the statement's
//! language expects, in sections per country.

use icu_collator::CollatorBorrowed;
use icu_collator::options::CollatorOptions;
use icu_locale_core::Locale;

use crate::load::statement::{GroupBy, Signatory, SortBy};

/// One section of the list: its heading and the signatories in it, as
/// indices into the statement's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading: the statement's group, the country, or `None`.
    pub label: Option<String>,
    /// The signatories, in the order they are printed.
    pub members: Vec<usize>,
}

/// Arranges the signatories into sections. `other` heads the section of
/// signatories without a country when grouping by country.
pub fn arrange(
    signatories: &[Signatory],
    language: &str,
    sort: SortBy,
    group_by: GroupBy,
    other: &str,
) -> Vec<Section> {
    let needs_collator = sort == SortBy::Name || group_by == GroupBy::Country;
    let collator = needs_collator.then(|| collator(language)).flatten();
    let compare = |a: &str, b: &str| match &collator {
        Some(c) => c.compare(a, b),
        None => a.cmp(b),
    };

    let mut sections: Vec<Section> = Vec::new();
    match group_by {
        GroupBy::Group => {
            // Consecutive signatories of one group form a section, as written.
            for (i, s) in signatories.iter().enumerate() {
                match sections.last_mut() {
                    Some(section) if section.label == s.group => section.members.push(i),
                    _ => sections.push(Section {
                        label: s.group.clone(),
                        members: vec![i],
                    }),
                }
            }
        }
        GroupBy::Country => {
            let mut countries: Vec<&str> = signatories
                .iter()
                .filter_map(|s| s.country.as_deref())
                .collect();
            countries.sort_by(|a, b| compare(a, b));
            countries.dedup();
            for country in countries {
                sections.push(Section {
                    label: Some(country.to_owned()),
                    members: (0..signatories.len())
                        .filter(|&i| signatories[i].country.as_deref() == Some(country))
                        .collect(),
                });
            }
            let without: Vec<usize> = (0..signatories.len())
                .filter(|&i| signatories[i].country.is_none())
                .collect();
            if !without.is_empty() {
                sections.push(Section {
                    label: (!sections.is_empty()).then(|| other.to_owned()),
                    members: without,
                });
            }
        }
    }

    if sort == SortBy::Name {
        let primary = primary_language(language);
        let keys: Vec<&str> = signatories
            .iter()
            .map(|s| sort_key(&s.name, &primary))
            .collect();
        for section in &mut sections {
            section
                .members
                .sort_by(|&a, &b| compare(keys[a], keys[b]).then_with(|| a.cmp(&b)));
        }
    }
    sections
}

/// The collator for a language, or `None` where its tag is not understood
/// (the list then sorts by code point, which still terminates and is stable).
fn collator(language: &str) -> Option<CollatorBorrowed<'static>> {
    let locale: Locale = language.replace('_', "-").parse().ok()?;
    icu_collator::Collator::try_new((&locale).into(), CollatorOptions::default()).ok()
}

fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
}

/// The name as it sorts: without a leading article of the language ("The
/// 30 October Foundation" sorts under 3, "La Cimade" under C).
fn sort_key<'a>(name: &'a str, language: &str) -> &'a str {
    let articles: &[&str] = match language {
        "en" => &["the "],
        "fr" => &["les ", "la ", "le ", "l'", "l\u{2019}"],
        "de" => &["der ", "die ", "das "],
        "es" => &["los ", "las ", "el ", "la "],
        "it" => &["gli ", "il ", "lo ", "la ", "le ", "i ", "l'", "l\u{2019}"],
        "pt" => &["os ", "as ", "o ", "a "],
        "nl" => &["de ", "het "],
        _ => &[],
    };
    for article in articles {
        if let Some(head) = name.get(..article.len())
            && head.eq_ignore_ascii_case(article)
            && name.len() > article.len()
        {
            return name[article.len()..].trim_start();
        }
    }
    name
}

/// The numbers the annex prints before the names ("44."), so that messages
/// about a signatory speak of the number a reader sees: 1, 2, 3, ... in the
/// statement's order, unless the annex is sorted by name or divided by
/// country. Worked out only when a message first asks, since sorting a long
/// list has its cost.
pub struct Numbers<'a> {
    signatories: &'a [Signatory],
    language: &'a str,
    sort: SortBy,
    group_by: GroupBy,
    numbers: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Numbers<'a> {
    /// The numbering of `signatories` in an annex of this order.
    pub fn new(
        signatories: &'a [Signatory],
        language: &'a str,
        sort: SortBy,
        group_by: GroupBy,
    ) -> Numbers<'a> {
        Numbers {
            signatories,
            language,
            sort,
            group_by,
            numbers: std::cell::OnceCell::new(),
        }
    }

    /// The number printed for the signatory at index `i` of the list.
    pub fn of(&self, i: usize) -> usize {
        if self.sort == SortBy::Statement && self.group_by == GroupBy::Group {
            // Sections of consecutive signatories, numbered on: the list's order.
            return i + 1;
        }
        let numbers = self.numbers.get_or_init(|| {
            let mut out = vec![0; self.signatories.len()];
            let sections = arrange(
                self.signatories,
                self.language,
                self.sort,
                self.group_by,
                "",
            );
            for (n, i) in sections.into_iter().flat_map(|s| s.members).enumerate() {
                out[i] = n + 1;
            }
            out
        });
        numbers.get(i).copied().unwrap_or(i + 1)
    }

    /// The signatory as messages name it: ``signatory 44 (`signatories[43]`)``.
    pub fn label(&self, i: usize) -> String {
        format!("signatory {} (`signatories[{i}]`)", self.of(i))
    }

    /// Gives every problem about a signatory the number the annex prints.
    pub fn mark(&self, problems: &mut [crate::error::Problem]) {
        for p in problems {
            if let Some(i) = p.signatory() {
                p.number = Some(self.of(i));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(names: &[&str]) -> Vec<Signatory> {
        names
            .iter()
            .map(|n| Signatory {
                name: (*n).to_owned(),
                ..Signatory::default()
            })
            .collect()
    }

    fn sorted(language: &str, names: &[&str]) -> Vec<String> {
        let list = people(names);
        let sections = arrange(&list, language, SortBy::Name, GroupBy::Group, "Other");
        sections
            .iter()
            .flat_map(|s| s.members.iter().map(|&i| list[i].name.clone()))
            .collect()
    }

    #[test]
    fn latin_names_collate_with_accents_and_without_articles() {
        assert_eq!(
            sorted(
                "en",
                &[
                    "Zeta Watch",
                    "Öresund Aid",
                    "Łódź Group",
                    "The Apple Trust",
                    "Amnesty",
                    "apple Circle"
                ]
            ),
            [
                "Amnesty",
                "apple Circle",
                "The Apple Trust",
                "Łódź Group",
                "Öresund Aid",
                "Zeta Watch"
            ]
        );
        // In Swedish, Ö comes after Z.
        assert_eq!(
            sorted("sv", &["Öresund Aid", "Zeta Watch"]),
            ["Zeta Watch", "Öresund Aid"]
        );
    }

    #[test]
    fn cyrillic_and_persian_names_collate_in_their_alphabets() {
        assert_eq!(
            sorted("ru", &["Яблоко", "Ежевика", "Ёж", "Арбуз"]),
            ["Арбуз", "Ёж", "Ежевика", "Яблоко"]
        );
        assert_eq!(
            sorted("fa", &["یاس", "پرستو", "بهار", "آزادی"]),
            ["آزادی", "بهار", "پرستو", "یاس"]
        );
    }

    #[test]
    fn numbers_are_those_the_annex_prints() {
        let mut list = people(&["C", "B", "A", "D"]);
        let numbers = Numbers::new(&list, "en", SortBy::Statement, GroupBy::Group);
        assert_eq!(
            (0..4).map(|i| numbers.of(i)).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
        assert_eq!(numbers.label(3), "signatory 4 (`signatories[3]`)");
        let numbers = Numbers::new(&list, "en", SortBy::Name, GroupBy::Group);
        assert_eq!(
            (0..4).map(|i| numbers.of(i)).collect::<Vec<_>>(),
            [3, 2, 1, 4]
        );
        // Past the list (a problem about an entry that was dropped), the
        // list's own order goes on.
        assert_eq!(numbers.of(9), 10);
        list[3].country = Some("Belarus".into());
        let numbers = Numbers::new(&list, "en", SortBy::Statement, GroupBy::Country);
        assert_eq!(
            (0..4).map(|i| numbers.of(i)).collect::<Vec<_>>(),
            [2, 3, 4, 1]
        );
    }

    #[test]
    fn each_language_sorts_without_its_own_articles() {
        // Each pair sorts under its second word in its own language.
        let cases = [
            ("fr", "La Zèbre", "Les Ateliers"),
            ("fr", "L'Ouest", "Le Nord"),
            ("de", "Der Zug", "Die Aktion"),
            ("es", "El Zorro", "Los Amigos"),
            ("it", "Il Zefiro", "Gli Amici"),
            ("pt", "O Zé", "Os Amigos"),
            ("nl", "De Zeeuw", "Het Anker"),
        ];
        for (language, later, sooner) in cases {
            assert_eq!(
                sorted(language, &[later, sooner]),
                [sooner, later],
                "{language}"
            );
        }
        for (language, name, key) in [
            ("fr", "L\u{2019}Ouest", "Ouest"),
            ("it", "Lo Sport", "Sport"),
            ("de", "Das Haus", "Haus"),
            ("es", "Las Rosas", "Rosas"),
            ("pt", "A Voz", "Voz"),
            ("nl", "Het Anker", "Anker"),
            ("en", "THE Guardian", "Guardian"),
            // Not an article in another language.
            ("en", "La Cimade", "La Cimade"),
        ] {
            assert_eq!(sort_key(name, language), key, "{language}: {name}");
        }
        // An article alone is a name, not an article.
        assert_eq!(sort_key("The", "en"), "The");
        assert_eq!(sort_key("The ", "en"), "The ");
        assert_eq!(sort_key("Amnesty", "en"), "Amnesty");
        assert_eq!(sort_key("Theatre Group", "en"), "Theatre Group");
        assert_eq!(primary_language("pt-BR"), "pt");
        assert_eq!(primary_language("FR_ca"), "fr");
    }

    #[test]
    fn problems_about_a_signatory_carry_its_printed_number() {
        let list = people(&["C", "B", "A"]);
        let numbers = Numbers::new(&list, "en", SortBy::Name, GroupBy::Group);
        let mut problems = vec![
            crate::error::Problem {
                key: "signatories[0].name".into(),
                message: "x".into(),
                hint: None,
                number: None,
            },
            crate::error::Problem {
                key: "title".into(),
                message: "y".into(),
                hint: None,
                number: None,
            },
        ];
        numbers.mark(&mut problems);
        assert_eq!(problems[0].number, Some(3));
        assert_eq!(problems[1].number, None);
    }

    #[test]
    fn groups_are_sections_as_written_and_countries_collate() {
        let mut list = people(&["A", "B", "C", "D"]);
        for (s, g) in list
            .iter_mut()
            .zip(["Conveners", "Conveners", "Co-signers", "Conveners"])
        {
            s.group = Some(g.into());
        }
        let sections = arrange(&list, "en", SortBy::Statement, GroupBy::Group, "Other");
        let shown: Vec<(Option<String>, Vec<usize>)> =
            sections.into_iter().map(|s| (s.label, s.members)).collect();
        assert_eq!(
            shown,
            [
                (Some("Conveners".into()), vec![0, 1]),
                (Some("Co-signers".into()), vec![2]),
                (Some("Conveners".into()), vec![3]),
            ]
        );
        // Countries collate in the language, not by their bytes: Ö is
        // after Z in UTF-8 and among the Os in English.
        let mut list = people(&["A", "B"]);
        list[0].country = Some("Zambia".into());
        list[1].country = Some("Österreich".into());
        let sections = arrange(&list, "en", SortBy::Statement, GroupBy::Country, "Other");
        let labels: Vec<_> = sections.iter().map(|s| s.label.clone().unwrap()).collect();
        assert_eq!(labels, ["Österreich", "Zambia"]);
    }

    #[test]
    fn sections_per_country_with_the_rest_last() {
        let mut list = people(&["C", "B", "A", "D"]);
        list[0].country = Some("Iran".into());
        list[1].country = Some("Belarus".into());
        list[3].country = Some("Iran".into());
        let sections = arrange(
            &list,
            "en",
            SortBy::Statement,
            GroupBy::Country,
            "Other signatories",
        );
        let labels: Vec<_> = sections.iter().map(|s| s.label.clone().unwrap()).collect();
        assert_eq!(labels, ["Belarus", "Iran", "Other signatories"]);
        assert_eq!(sections[1].members, [0, 3]);
        assert_eq!(sections[2].members, [2]);
    }
}
