//! Signatories listed twice under slightly different names ("Amnesty
//! International" and "amnesty-international", "The Sakharov Centre" and
//! "Sakharov Centre"): a real problem in lists gathered by web forms.

use std::collections::HashMap;

use crate::statement::Signatory;

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

/// Pairs of signatories (indices) whose names reduce to the same key.
pub fn near_duplicates(signatories: &[Signatory]) -> Vec<(usize, usize)> {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut pairs = Vec::new();
    for (i, s) in signatories.iter().enumerate() {
        let k = key(&s.name);
        if k.is_empty() {
            continue;
        }
        match first.get(&k) {
            Some(&j) => pairs.push((j, i)),
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
}
