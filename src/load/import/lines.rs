//! What one pasted line is: a list item and its marker, a table row, a
//! sentence, a contact line. Every name import writes is a slice of the line
//! it came from, so nothing is rewritten on the way: a marker ("1.", "1)",
//! "-", "•") is taken off once, and digits that belong to the name
//! ("350.org", "11.11.11") stay.

/// How a line is marked as a list item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// No marker.
    None,
    /// A bullet ("-", "*", "•").
    Bullet,
    /// A number with a dot or parenthesis ("12.", "12)", "(12)"), or a
    /// table's number cell.
    Number(u32),
    /// A number followed only by a space ("12 Name"): a list item when its
    /// neighbours continue the count, else a footnote.
    BareNumber(u32),
}

/// A line's marker and the text after it.
pub fn marker(line: &str) -> (Marker, &str) {
    let line = line.trim();
    let mut rest = line;
    let mut found = Marker::None;
    if let Some(r) = rest.strip_prefix(['-', '*', '•', '–', '—', '·', '▪', '◦'])
        && r.starts_with(char::is_whitespace)
    {
        rest = r.trim_start();
        found = Marker::Bullet;
    }
    let (paren, inner) = match rest.strip_prefix('(') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let digits = inner.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=6).contains(&digits) {
        let number: u32 = inner[..digits].parse().unwrap_or(0);
        let after = &inner[digits..];
        let closed = if paren {
            after.strip_prefix(')')
        } else {
            after.strip_prefix(['.', ')'])
        };
        if let Some(r) = closed
            && (r.starts_with(char::is_whitespace))
            && !r.trim().is_empty()
        {
            return (Marker::Number(number), r.trim_start());
        }
        if !paren
            && found == Marker::None
            && let Some(r) = after.strip_prefix(' ')
            && r.starts_with(|c: char| !c.is_ascii_digit() && !c.is_whitespace())
        {
            return (Marker::BareNumber(number), r);
        }
        // "1Amnesty International, Ecuador: …": a footnote's number glued
        // to its text (a name such as "3M Foundation" is not in a list of these).
        if !paren
            && found == Marker::None
            && digits <= 2
            && after.starts_with(char::is_uppercase)
            && after.chars().nth(1).is_some_and(char::is_lowercase)
        {
            return (Marker::BareNumber(number), after);
        }
    }
    (found, if found == Marker::None { line } else { rest })
}

/// The cells of a row pasted from a table (TAB between cells), its number
/// cell taken off; `None` for a line without a TAB.
pub fn cells(line: &str) -> Option<(Option<u32>, Vec<&str>)> {
    if !line.contains('\t') {
        return None;
    }
    let mut cells: Vec<&str> = line.split('\t').map(str::trim).collect();
    while cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
    let number = match cells.first() {
        Some(first) => {
            let bare = first.trim_end_matches(['.', ')']);
            if !bare.is_empty() && bare.len() <= 6 && bare.bytes().all(|b| b.is_ascii_digit()) {
                bare.parse().ok()
            } else {
                None
            }
        }
        None => None,
    };
    if number.is_some() || cells.first().is_some_and(|c| c.is_empty()) {
        cells.remove(0);
    }
    if cells.is_empty() {
        return None;
    }
    Some((number, cells))
}

/// Whether a text holds an address a name does not: a URL or an email.
pub fn has_address(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let lower = w.to_lowercase();
        lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www.")
            || w.split_once('@')
                .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
    }) || text.contains("http://")
        || text.contains("https://")
}

/// Whether a text reads as a sentence rather than a name: long, or ending
/// like a sentence, or with a sentence break inside. Names end with "e.V.",
/// "Inc." or "S.J", never with a full stop after a lower-case word.
pub fn is_prose(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > 24 {
        return true;
    }
    let sentence_end = |w: &str| {
        let core = w.trim_end_matches(['.', '!', '?', '"', '”', '»', ')']);
        (w.ends_with('.') || w.ends_with('!') || w.ends_with('?'))
            && core.chars().count() >= 3
            && core.chars().all(|c| c.is_alphabetic() && c.is_lowercase())
    };
    if words.len() >= 6 && words.last().is_some_and(|w| sentence_end(w)) {
        return true;
    }
    if words.len() >= 6 && text.trim_end().ends_with(['?', '!']) {
        return true;
    }
    words.len() >= 10
        && words
            .windows(2)
            .any(|p| sentence_end(p[0]) && p[1].starts_with(|c: char| c.is_uppercase()))
}

/// Words that make a line the signatory list's heading ("Signatories",
/// "Firmantes:", "Endosseurs au 30 avril 2020:", "1,104 total signers as
/// of …"), in the languages broadside supports and a few its lists come in.
const LIST_WORDS: &[&str] = &[
    // en
    "signed",
    "signatories",
    "signatory",
    "signatures",
    "signers",
    "signees",
    "undersigned",
    "co-signed",
    "cosigned",
    "co-signers",
    "cosigners",
    "co-signatories",
    "endorsed",
    "endorsers",
    "endorsements",
    "endorses",
    "endorsing",
    "supporters",
    // fr
    "signataires",
    "signé",
    "signée",
    "signés",
    "signées",
    "signent",
    "endosseurs",
    "adhérents",
    "cosignataires",
    // es, pt
    "firman",
    "firmantes",
    "firmado",
    "firmada",
    "firmas",
    "suscriben",
    "adhesiones",
    "adhieren",
    "respaldan",
    "assinam",
    "assinaturas",
    "assinantes",
    "signatários",
    "subscrevem",
    // de
    "unterzeichnet",
    "unterzeichnende",
    "unterzeichner",
    "unterzeichnerinnen",
    "erstunterzeichner",
    "erstunterzeichnende",
    "unterstützer",
    // ru, uk, be
    "подписали",
    "подписанты",
    "подписи",
    "підписали",
    "підписанти",
    "падпісалі",
    "падпісанты",
    // ar, fa
    "الموقعون",
    "الموقعين",
    "الموقعة",
    "امضاکنندگان",
    "امضاکنندگان:",
];

/// A line's words as headings are compared: lower case, punctuation
/// around them aside (a hyphen inside stays: "co-signed").
pub fn words_of(line: &str) -> Vec<String> {
    line.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether a line is the heading of the signatory list.
pub fn is_list_heading(line: &str) -> bool {
    let words = words_of(line);
    if words.is_empty() || words.len() > 14 || is_prose(line) || has_address(line) {
        return false;
    }
    words
        .iter()
        .take(4)
        .any(|w| LIST_WORDS.contains(&w.as_str()))
        || line
            .trim()
            .to_lowercase()
            .starts_with("list of signatories")
}

/// Words group headings are made of ("National:", "Organizaciones
/// Internacionales", "Réseaux régionaux", "Individuals").
const GROUP_WORDS: &[&str] = &[
    "international",
    "internacional",
    "internacionales",
    "internationale",
    "internationales",
    "internationaux",
    "regional",
    "regionales",
    "régional",
    "régionale",
    "régionales",
    "régionaux",
    "regionale",
    "national",
    "nacional",
    "nacionales",
    "nationale",
    "nationales",
    "nationaux",
    "global",
    "globales",
    "local",
    "locales",
    "locaux",
    "organizations",
    "organisations",
    "organization",
    "organisation",
    "organizaciones",
    "organizações",
    "organisationen",
    "networks",
    "réseaux",
    "redes",
    "netzwerke",
    "individuals",
    "individual",
    "individuels",
    "personas",
    "personnes",
    "people",
    "persons",
    "members",
    "groups",
    "groupes",
    "grupos",
    "academics",
    "académicos",
    "universitaires",
    "unions",
    "syndicats",
    "sindicatos",
    "gewerkschaften",
    "faith",
    "coalitions",
    "campaigns",
    "ngos",
    "ong",
    "ongs",
    "cso",
    "csos",
    "osc",
    "society",
    "société",
    "sociedad",
    "sociedade",
    "experts",
    "expertos",
    "signatories",
    "endorsers",
    "supporters",
    "conveners",
    "co-organisers",
    "co-organizers",
    "organisers",
    "organizers",
    "co-signers",
    "cosigners",
    "организации",
    "международные",
    "национальные",
    "региональные",
    "організації",
    "міжнародні",
    "національні",
    "منظمات",
    "سازمان‌ها",
    "سازمانها",
];

/// Whether a short line is made of the words group headings use.
pub fn has_group_words(line: &str) -> bool {
    let words = words_of(line);
    !words.is_empty() && words.len() <= 8 && words.iter().any(|w| GROUP_WORDS.contains(&w.as_str()))
}

/// Whether a line is written in capitals ("SIGNATORIES", "AFRICA").
pub fn is_capitals(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3 && letters.iter().all(|c| !c.is_lowercase())
}

/// A closing formula that ends a letter's body before its signatures.
pub fn is_closing(line: &str) -> bool {
    let l = line.trim().trim_end_matches([',', '.', '!']).to_lowercase();
    [
        "yours sincerely",
        "sincerely",
        "yours faithfully",
        "best regards",
        "kind regards",
        "regards",
        "respectfully",
        "in solidarity",
        "with solidarity",
        "cordialement",
        "bien cordialement",
        "salutations",
        "atentamente",
        "cordialmente",
        "saludos",
        "un saludo",
        "en solidaridad",
        "mit freundlichen grüßen",
        "с уважением",
        "з повагою",
    ]
    .contains(&l.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_is_taken_off_once_and_digits_of_names_stay() {
        assert_eq!(marker("1. 350.org"), (Marker::Number(1), "350.org"));
        assert_eq!(marker("350.org"), (Marker::None, "350.org"));
        assert_eq!(
            marker("- 11.11.11, Belgium"),
            (Marker::Bullet, "11.11.11, Belgium")
        );
        assert_eq!(marker("11.11.11"), (Marker::None, "11.11.11"));
        assert_eq!(
            marker("- 1. McCain Institute"),
            (Marker::Number(1), "McCain Institute")
        );
        assert_eq!(marker("12) OVD-Info"), (Marker::Number(12), "OVD-Info"));
        assert_eq!(marker("(7) Karisma"), (Marker::Number(7), "Karisma"));
        assert_eq!(marker("• Amnesty"), (Marker::Bullet, "Amnesty"));
        assert_eq!(
            marker("10. CNCD-11.11.11, Belgium"),
            (Marker::Number(10), "CNCD-11.11.11, Belgium")
        );
        assert_eq!(marker("1974 was a year").0, Marker::BareNumber(1974));
        assert_eq!(marker("2020 Vision Foundation").0, Marker::BareNumber(2020));
        assert_eq!(marker("3M Foundation"), (Marker::None, "3M Foundation"));
        assert_eq!(
            marker("1Amnesty International, Ecuador"),
            (Marker::BareNumber(1), "Amnesty International, Ecuador")
        );
        assert_eq!(marker("-Name"), (Marker::None, "-Name"));
    }

    #[test]
    fn table_rows_lose_their_number_cell_only() {
        assert_eq!(
            cells("32\t11.11.11\tBelgium"),
            Some((Some(32), vec!["11.11.11", "Belgium"]))
        );
        assert_eq!(
            cells("1\tActionAid International"),
            Some((Some(1), vec!["ActionAid International"]))
        );
        assert_eq!(
            cells("Name\tCountry\t"),
            Some((None, vec!["Name", "Country"]))
        );
        assert_eq!(cells("No tab here"), None);
    }

    #[test]
    fn sentences_contacts_and_names_are_told_apart() {
        assert!(is_prose(
            "Nous appelons les gouvernements à saisir cette opportunité de changement transformationnel."
        ));
        assert!(!is_prose("George W. Bush Institute"));
        assert!(!is_prose("PowerShift e.V."));
        assert!(!is_prose(
            "Centro de Documentación en Derechos Humanos \"Segundo Montes Mozo S.J\""
        ));
        assert!(!is_prose(
            "Nigerien Network of NGOs and Development Associations for the Defense of Human Rights and Democracy (RODADDHD)"
        ));
        assert!(has_address(
            "Para más información, contacte a Dan James, djames@cepr.net."
        ));
        assert!(has_address(
            "2https://twitter.com/davidakaye/status/1117489081397547008"
        ));
        assert!(!has_address("Fundación InternetBolivia.org"));
        assert!(!has_address("Rede Ciranda.net"));
    }

    #[test]
    fn list_headings_are_found_in_several_languages() {
        for h in [
            "Signed:",
            "SIGNATORIES",
            "Signatories",
            "Firman,",
            "Firmantes:",
            "Endosseurs au 30 avril 2020:",
            "Endorses as of November 19, 2021:",
            "Endorsers as of September 27 include:",
            "1,104 total signers as of March 3, 2021",
            "Подписали:",
            "Les organisations signataires :",
        ] {
            assert!(is_list_heading(h), "{h}");
        }
        for h in [
            "Significant progress",
            "The undersigning civil society organizations express our concern over the global trend of persecuting digital rights defenders.",
            "Yours sincerely,",
            "National:",
        ] {
            assert!(!is_list_heading(h), "{h}");
        }
    }

    #[test]
    fn a_marker_needs_its_closing_and_a_space_and_at_most_six_digits() {
        assert_eq!(marker("1."), (Marker::None, "1."));
        assert_eq!(marker("1. "), (Marker::None, "1."));
        assert_eq!(marker("123456. Name"), (Marker::Number(123456), "Name"));
        assert_eq!(marker("1234567. Name"), (Marker::None, "1234567. Name"));
        assert_eq!(marker("(12 Name"), (Marker::None, "(12 Name"));
        assert_eq!(marker("(12. Name"), (Marker::None, "(12. Name"));
        assert_eq!(marker("12)Name"), (Marker::None, "12)Name"));
        assert_eq!(marker("12 3 Name"), (Marker::None, "12 3 Name"));
        assert_eq!(marker("12  Name"), (Marker::None, "12  Name"));
        assert_eq!(marker("12 Name"), (Marker::BareNumber(12), "Name"));
        assert_eq!(marker("(12) "), (Marker::None, "(12)"));
        // Under a bullet, a bare number is part of the name.
        assert_eq!(marker("- 12 Name"), (Marker::Bullet, "12 Name"));
        assert_eq!(marker("- Name"), (Marker::Bullet, "Name"));
        assert_eq!(marker("–  Name"), (Marker::Bullet, "Name"));
        assert_eq!(marker("*"), (Marker::None, "*"));
        assert_eq!(marker("  Name  "), (Marker::None, "Name"));
        // A glued footnote number has one or two digits and a word after it.
        assert_eq!(marker("12Amnesty"), (Marker::BareNumber(12), "Amnesty"));
        assert_eq!(marker("123Amnesty"), (Marker::None, "123Amnesty"));
        assert_eq!(marker("12AB"), (Marker::None, "12AB"));
        assert_eq!(marker("(1)Amnesty"), (Marker::None, "(1)Amnesty"));
        assert_eq!(marker("- 1Amnesty"), (Marker::Bullet, "1Amnesty"));
    }

    #[test]
    fn table_rows_edge_cases() {
        assert_eq!(
            cells("\tName\tCountry"),
            Some((None, vec!["Name", "Country"]))
        );
        assert_eq!(cells("12.\tName"), Some((Some(12), vec!["Name"])));
        assert_eq!(cells("12)\tName"), Some((Some(12), vec!["Name"])));
        assert_eq!(
            cells("1234567\tName"),
            Some((None, vec!["1234567", "Name"]))
        );
        assert_eq!(cells("123456\tName"), Some((Some(123456), vec!["Name"])));
        assert_eq!(cells(".\tName"), Some((None, vec![".", "Name"])));
        assert_eq!(cells("5\t\t"), None);
        assert_eq!(cells(" a \t b \r"), Some((None, vec!["a", "b"])));
        assert_eq!(cells("1a\tb"), Some((None, vec!["1a", "b"])));
    }

    #[test]
    fn addresses_are_urls_and_emails() {
        assert!(has_address("see www.example.org"));
        assert!(has_address("write to a@b.c"));
        assert!(has_address("(https://example.org)"));
        assert!(has_address("HTTPS://EXAMPLE.ORG"));
        assert!(has_address("http://example.org"));
        assert!(has_address("Texthttps://x"));
        assert!(!has_address("@handle"));
        assert!(!has_address("x@localhost"));
        assert!(!has_address("Amnesty International"));
        assert!(!has_address("wwwhat"));
    }

    #[test]
    fn prose_is_long_or_ends_or_breaks_as_a_sentence() {
        let words = |n: usize| vec!["Alpha"; n].join(" ");
        assert!(!is_prose(&words(24)));
        assert!(is_prose(&words(25)));
        assert!(is_prose("We call on all the governments."));
        assert!(!is_prose("We call on the governments."));
        assert!(!is_prose("We Call On All The Governments."));
        assert!(!is_prose("One Two Three Four Five ab."));
        assert!(is_prose("One Two Three Four Five abc."));
        assert!(is_prose("One Two Three Four Five abc!"));
        assert!(is_prose("One Two Three Four Five abc?"));
        assert!(is_prose("One Two Three Four Five abc)."));
        assert!(!is_prose("One Two Three Four Five abc"));
        assert!(is_prose("Is this the end of it?"));
        assert!(is_prose("Is this the end of it!"));
        assert!(!is_prose("Is this the end now?"));
        assert!(is_prose(
            "The first part ends here. Then the second part comes"
        ));
        assert!(!is_prose("The first part ends here. Then the second part"));
        assert!(!is_prose(
            "The first part ends here. then the second part comes"
        ));
        assert!(!is_prose(
            "The first part ends Here. Then the second part comes"
        ));
        assert!(is_prose(
            "Free them all now! We call on every government to act"
        ));
        assert!(is_prose(
            "Will they be freed? We call on every government to act"
        ));
    }

    #[test]
    fn list_headings_are_short_and_lead_with_their_word() {
        assert!(is_list_heading(&format!("Signatories{}", " x".repeat(13))));
        assert!(!is_list_heading(&format!("Signatories{}", " x".repeat(14))));
        assert!(is_list_heading("a b c signatories"));
        assert!(!is_list_heading("a b c d signatories"));
        assert!(!is_list_heading("Signatories: see https://example.org"));
        assert!(!is_list_heading(""));
        assert!(!is_list_heading(" - "));
        assert!(is_list_heading("List of signatories"));
        assert!(is_list_heading("Co-signed by:"));
    }

    #[test]
    fn words_group_headings_capitals_and_closings() {
        assert_eq!(words_of("Co-signed, by: —"), vec!["co-signed", "by"]);
        assert!(words_of("— —").is_empty());
        assert!(has_group_words("National:"));
        assert!(has_group_words("Organisations nationales"));
        assert!(!has_group_words("Friends of the Earth"));
        assert!(has_group_words("a b c d e f g national"));
        assert!(!has_group_words("a b c d e f g h national"));
        assert!(!has_group_words(""));
        assert!(is_capitals("AFRICA"));
        assert!(is_capitals("ÉTATS-UNIS"));
        assert!(is_capitals("A B C"));
        assert!(!is_capitals("AB"));
        assert!(!is_capitals("123"));
        assert!(!is_capitals("Africa"));
        assert!(is_closing("Yours sincerely,"));
        assert!(is_closing("  Regards. "));
        assert!(is_closing("In solidarity!"));
        assert!(is_closing("Atentamente"));
        assert!(!is_closing("Sincerely yours"));
        assert!(!is_closing("Regard"));
    }
}
