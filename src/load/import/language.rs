//! The language a pasted statement is written in, by a maintained language
//! identifier (whatlang) over its body, never by its script alone: French
//! and Spanish are both Latin.

/// A guess at the statement's language, with how sure the identifier is.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// The language tag broadside uses ("fr", "es", "fa").
    pub tag: &'static str,
    /// The identifier's own confidence, from 0 to 1.
    pub confidence: f64,
    /// Whether broadside has words and dates for this language.
    pub supported: bool,
}

/// The tags broadside's own labels exist in (templates/l10n.toml).
const SUPPORTED: &[&str] = &["en", "ru", "uk", "be", "fa", "ar", "es", "fr", "de"];

/// Guesses the language of `text`; English when there is too little to tell.
pub fn guess(text: &str) -> Guess {
    use whatlang::Lang;
    let Some(info) = whatlang::detect(text) else {
        return Guess {
            tag: "en",
            confidence: 0.0,
            supported: true,
        };
    };
    let tag = match info.lang() {
        Lang::Eng => "en",
        Lang::Fra => "fr",
        Lang::Spa => "es",
        Lang::Deu => "de",
        Lang::Rus => "ru",
        Lang::Ukr => "uk",
        Lang::Bel => "be",
        Lang::Ara => "ar",
        Lang::Pes => "fa",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Nld => "nl",
        Lang::Pol => "pl",
        Lang::Tur => "tr",
        Lang::Ind => "id",
        Lang::Swe => "sv",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Ces => "cs",
        Lang::Urd => "ur",
        Lang::Heb => "he",
        _ => info.lang().code(),
    };
    Guess {
        tag,
        confidence: info.confidence(),
        supported: SUPPORTED.contains(&tag),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_languages_are_told_apart() {
        let fr = "Nous appelons les gouvernements à saisir cette opportunité de changement transformationnel, car le régime d'hyper-mondialisation a échoué.";
        let es = "Nosotros, las organizaciones abajo firmantes, expresamos nuestra profunda preocupación por la situación de los derechos humanos en el país.";
        let en = "We are writing as civil society organisations from a range of countries, working with farmers, fishers and small producers.";
        let de = "Wir fordern die Bundesregierung auf, sich für die Freilassung aller politischen Gefangenen einzusetzen.";
        assert_eq!(guess(fr).tag, "fr");
        assert_eq!(guess(es).tag, "es");
        assert_eq!(guess(en).tag, "en");
        assert_eq!(guess(de).tag, "de");
        assert_eq!(
            guess("Мы требуем немедленно освободить всех политических заключённых.").tag,
            "ru"
        );
        assert_eq!(
            guess("ما خواستار آزادی فوری همه زندانیان سیاسی هستیم و از دولت‌ها می‌خواهیم.").tag,
            "fa"
        );
    }
}
