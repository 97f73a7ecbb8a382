//! Choosing among the languages a statement (or a letter, or a word table)
//! is available in, by BCP 47 tag: a reader who asks for `en` reads the
//! `en-GB` statement, one who asks for `fr-CA` the `fr` one. Every place that
//! picks a language for someone goes through [`closest`].

/// The tag's subtags, lowercased, `_` read as `-` (`pt_BR` is `pt-BR`).
fn subtags(tag: &str) -> Vec<String> {
    tag.trim()
        .split(['-', '_'])
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The script subtag (`Latn`, `Cyrl`, `Hant`), which comes right after the
/// language and is the only one of four letters.
fn script(subtags: &[String]) -> Option<&str> {
    subtags
        .get(1)
        .filter(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_alphabetic()))
        .map(String::as_str)
}

/// The available tag closest to `wanted`, or `None` when none is in its
/// language. In order of preference:
///
/// 1. the same tag (without regard to case, `_` or `-`);
/// 2. the tag sharing the most leading subtags with it (`de-CH-1996` finds
///    `de-CH` before `de`);
/// 3. among those, a more general tag before a more particular one (`fr-CA`
///    finds `fr` before `fr-FR`; `en-US` finds `en` before `en-GB`);
/// 4. then the first in `available`'s order (a statement lists its own
///    language first, so `en` finds the original `en-GB` before an `en-US`
///    translation).
///
/// Two tags in different scripts never match (`sr-Latn` is not read for
/// `sr-Cyrl`, nor `zh-Hant` for `zh-Hans`).
pub fn closest<'a, I>(wanted: &str, available: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let want = subtags(wanted);
    let primary = want.first()?;
    let mut best: Option<(&'a str, (usize, bool, usize))> = None;
    for tag in available {
        let have = subtags(tag);
        if have.first() != Some(primary) {
            continue;
        }
        if have == want {
            return Some(tag);
        }
        if let (Some(a), Some(b)) = (script(&want), script(&have))
            && a != b
        {
            continue;
        }
        let common = want.iter().zip(&have).take_while(|(a, b)| a == b).count();
        let general = have.len() <= common;
        // Larger is better; the length is negated so shorter tags win.
        let score = (common, general, usize::MAX - have.len());
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((tag, score));
        }
    }
    best.map(|(tag, _)| tag)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn the_same_tag_is_found_whatever_its_case() {
        assert_eq!(closest("en-gb", ["fr", "en-GB"]), Some("en-GB"));
        assert_eq!(closest("pt_BR", ["pt", "pt-BR"]), Some("pt-BR"));
        assert_eq!(closest("fr", ["fr-CA", "fr"]), Some("fr"));
    }

    #[test]
    fn a_language_finds_its_regional_forms() {
        assert_eq!(closest("en", ["en-GB"]), Some("en-GB"));
        // The first listed: a statement lists its own language first.
        assert_eq!(closest("en", ["en-GB", "en-US"]), Some("en-GB"));
        assert_eq!(closest("en", ["fr", "en-US", "en-GB"]), Some("en-US"));
    }

    #[test]
    fn a_regional_form_finds_its_language_first() {
        assert_eq!(closest("fr-CA", ["fr-FR", "fr"]), Some("fr"));
        assert_eq!(closest("fr-CA", ["fr-FR"]), Some("fr-FR"));
        assert_eq!(closest("en-US", ["en-GB", "en"]), Some("en"));
        assert_eq!(closest("en-US", ["de", "en-GB"]), Some("en-GB"));
        assert_eq!(closest("de-CH-1996", ["de", "de-CH"]), Some("de-CH"));
        assert_eq!(closest("de-CH", ["de-AT-1996", "de-AT"]), Some("de-AT"));
    }

    #[test]
    fn nothing_in_another_language_or_script() {
        assert_eq!(closest("en", ["fr", "de-CH"]), None);
        assert_eq!(closest("", ["en"]), None);
        assert_eq!(closest("en", Vec::<&str>::new()), None);
        assert_eq!(closest("sr-Cyrl", ["sr-Latn"]), None);
        assert_eq!(closest("zh-Hant-TW", ["zh-Hans", "zh"]), Some("zh"));
        assert_eq!(
            closest("sr-Cyrl-RS", ["sr-Latn-RS", "sr-Cyrl"]),
            Some("sr-Cyrl")
        );
    }
}
