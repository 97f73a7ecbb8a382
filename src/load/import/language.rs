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

    #[test]
    fn each_language_has_its_own_tag_and_support() {
        for (tag, supported, text) in [
            (
                "pt",
                false,
                "Nós, as organizações abaixo assinadas, exigimos a libertação imediata de todos os presos políticos e o fim da perseguição.",
            ),
            (
                "it",
                false,
                "Noi, le organizzazioni firmatarie, chiediamo la liberazione immediata di tutti i prigionieri politici e la fine della persecuzione.",
            ),
            (
                "nl",
                false,
                "Wij, de ondergetekende organisaties, eisen de onmiddellijke vrijlating van alle politieke gevangenen en een einde aan de vervolging.",
            ),
            (
                "pl",
                false,
                "My, niżej podpisane organizacje, domagamy się natychmiastowego uwolnienia wszystkich więźniów politycznych i zakończenia prześladowań.",
            ),
            (
                "tr",
                false,
                "Biz, aşağıda imzası bulunan kuruluşlar olarak, tüm siyasi tutukluların derhal serbest bırakılmasını ve zulmün sona ermesini talep ediyoruz.",
            ),
            (
                "id",
                false,
                "Kami, organisasi-organisasi yang bertanda tangan di bawah ini, menuntut pembebasan segera semua tahanan politik dan diakhirinya penganiayaan.",
            ),
            (
                "sv",
                false,
                "Vi, de undertecknade organisationerna, kräver omedelbar frigivning av alla politiska fångar och ett slut på förföljelsen av dem som kämpar för frihet.",
            ),
            (
                "nb",
                false,
                "Vi, de undertegnede organisasjonene, krever umiddelbar løslatelse av alle politiske fanger og at forfølgelsen av dem stanser. Vi ber regjeringen handle nå, ikke senere.",
            ),
            (
                "da",
                false,
                "Vi, de undertegnede organisationer, kræver øjeblikkelig løsladelse af alle politiske fanger og en ende på forfølgelsen. Vi opfordrer regeringen til at handle nu.",
            ),
            (
                "cs",
                false,
                "My, níže podepsané organizace, požadujeme okamžité propuštění všech politických vězňů a ukončení pronásledování.",
            ),
            (
                "ur",
                false,
                "ہم، دستخط کرنے والی تنظیمیں، تمام سیاسی قیدیوں کی فوری رہائی اور ظلم و ستم کے خاتمے کا مطالبہ کرتی ہیں۔",
            ),
            (
                "he",
                false,
                "אנו, הארגונים החתומים מטה, דורשים את שחרורם המיידי של כל האסירים הפוליטיים ואת הפסקת הרדיפה.",
            ),
            (
                "uk",
                true,
                "Ми, організації, що підписалися нижче, вимагаємо негайного звільнення всіх політичних в'язнів і припинення переслідувань.",
            ),
            (
                "be",
                true,
                "Мы, арганізацыі, якія падпісаліся ніжэй, патрабуем неадкладнага вызвалення ўсіх палітычных зняволеных і спынення пераследу.",
            ),
            (
                "ar",
                true,
                "نحن المنظمات الموقعة أدناه نطالب بالإفراج الفوري عن جميع السجناء السياسيين ووضع حد للاضطهاد.",
            ),
            // A language without a tag of broadside's own keeps whatlang's code.
            (
                "fin",
                false,
                "Me allekirjoittaneet järjestöt vaadimme kaikkien poliittisten vankien välitöntä vapauttamista ja vainon lopettamista.",
            ),
        ] {
            let g = guess(text);
            assert_eq!((g.tag, g.supported), (tag, supported), "{text}");
            assert!(g.confidence > 0.0, "{text}");
        }
    }

    #[test]
    fn too_little_text_is_english_with_no_confidence() {
        assert_eq!(
            guess(""),
            Guess {
                tag: "en",
                confidence: 0.0,
                supported: true
            }
        );
    }
}
