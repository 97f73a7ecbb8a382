//! The one description of a statement's texts: every field a person writes
//! that can reach a page, with its key path as problems name it
//! ("contacts[0].name"). The glyph check, the cleaning of direction
//! controls and the list of known keys all read this list, so a field added
//! here is checked everywhere, and a field added to the structs but not
//! here fails the test below before it can print boxes or reversed text.

use crate::load::statement::Statement;

/// Walks every text of `$s`, calling `$put(key, text)`; with `mut`, the
/// texts are `&mut String`. One macro for both, so the two can never list
/// different fields.
macro_rules! each_text {
    ($s:expr, $put:expr $(, $m:tt)?) => {{
        let s = $s;
        let mut put = $put;
        put("title".to_owned(), &$($m)? s.title);
        if let Some(t) = &$($m)? s.subtitle { put("subtitle".to_owned(), t); }
        if let Some(t) = &$($m)? s.slogan { put("slogan".to_owned(), t); }
        if let Some(t) = &$($m)? s.summary { put("summary".to_owned(), t); }
        for (i, t) in (&$($m)? s.placards).into_iter().enumerate() { put(format!("placards[{i}].text"), t); }
        if let Some(t) = &$($m)? s.place { put("place".to_owned(), t); }
        if let Some(t) = &$($m)? s.url { put("url".to_owned(), t); }
        put("body".to_owned(), &$($m)? s.body);
        for (i, x) in (&$($m)? s.signatories).into_iter().enumerate() {
            put(format!("signatories[{i}].name"), &$($m)? x.name);
            if let Some(t) = &$($m)? x.group { put(format!("signatories[{i}].group"), t); }
            if let Some(t) = &$($m)? x.country { put(format!("signatories[{i}].country"), t); }
            if let Some(t) = &$($m)? x.url { put(format!("signatories[{i}].url"), t); }
            for (lang, t) in &$($m)? x.names { put(format!("signatories[{i}].names.{lang}"), t); }
        }
        for (i, q) in (&$($m)? s.quotes).into_iter().enumerate() {
            put(format!("quotes[{i}].text"), &$($m)? q.text);
            put(format!("quotes[{i}].name"), &$($m)? q.name);
            if let Some(t) = &$($m)? q.role { put(format!("quotes[{i}].role"), t); }
        }
        for (i, c) in (&$($m)? s.contacts).into_iter().enumerate() {
            put(format!("contacts[{i}].name"), &$($m)? c.name);
            if let Some(t) = &$($m)? c.organisation { put(format!("contacts[{i}].organisation"), t); }
            if let Some(t) = &$($m)? c.email { put(format!("contacts[{i}].email"), t); }
            if let Some(t) = &$($m)? c.phone { put(format!("contacts[{i}].phone"), t); }
        }
        for (i, a) in (&$($m)? s.about).into_iter().enumerate() {
            put(format!("about[{i}].name"), &$($m)? a.name);
            put(format!("about[{i}].text"), &$($m)? a.text);
        }
        if let Some(t) = &$($m)? s.organisation.name { put("organisation.name".to_owned(), t); }
        if let Some(t) = &$($m)? s.poster.message { put("poster.message".to_owned(), t); }
        if let Some(t) = &$($m)? s.send.from { put("send.from".to_owned(), t); }
        if let Some(t) = &$($m)? s.send.reply_to { put("send.reply_to".to_owned(), t); }
        if let Some(t) = &$($m)? s.letter.subject { put("letter.subject".to_owned(), t); }
        if let Some(t) = &$($m)? s.letter.from { put("letter.from".to_owned(), t); }
        if let Some(t) = &$($m)? s.letter.place { put("letter.place".to_owned(), t); }
        for (i, x) in (&$($m)? s.letter.signers).into_iter().enumerate() {
            put(format!("letter.signers[{i}].name"), &$($m)? x.name);
            if let Some(t) = &$($m)? x.role { put(format!("letter.signers[{i}].role"), t); }
            if let Some(t) = &$($m)? x.organisation { put(format!("letter.signers[{i}].organisation"), t); }
        }
        for (tag, t) in &$($m)? s.translations {
            put(format!("translations.{tag}.title"), &$($m)? t.title);
            if let Some(x) = &$($m)? t.subtitle { put(format!("translations.{tag}.subtitle"), x); }
            if let Some(x) = &$($m)? t.slogan { put(format!("translations.{tag}.slogan"), x); }
            if let Some(x) = &$($m)? t.summary { put(format!("translations.{tag}.summary"), x); }
            for (i, x) in (&$($m)? t.placards).into_iter().flatten().enumerate() { put(format!("translations.{tag}.placards[{i}].text"), x); }
            if let Some(x) = &$($m)? t.place { put(format!("translations.{tag}.place"), x); }
            put(format!("translations.{tag}.body"), &$($m)? t.body);
            if let Some(x) = &$($m)? t.message { put(format!("translations.{tag}.poster.message"), x); }
            for (i, q) in (&$($m)? t.quotes).into_iter().flatten().enumerate() {
                put(format!("translations.{tag}.quotes[{i}].text"), &$($m)? q.text);
                put(format!("translations.{tag}.quotes[{i}].name"), &$($m)? q.name);
                if let Some(x) = &$($m)? q.role { put(format!("translations.{tag}.quotes[{i}].role"), x); }
            }
            for (i, a) in (&$($m)? t.about).into_iter().flatten().enumerate() {
                put(format!("translations.{tag}.about[{i}].name"), &$($m)? a.name);
                put(format!("translations.{tag}.about[{i}].text"), &$($m)? a.text);
            }
            for (from, x) in &$($m)? t.groups { put(format!("translations.{tag}.groups.{from}"), x); }
            for (from, x) in &$($m)? t.names { put(format!("translations.{tag}.names.{from}"), x); }
        }
    }};
}

impl Statement {
    /// Every text of the statement that can reach a page, with its key
    /// path, translations and names in other languages included.
    pub fn texts<'a>(&'a self) -> Vec<(String, &'a str)> {
        let mut out: Vec<(String, &'a str)> = Vec::new();
        each_text!(self, |k: String, v: &'a String| out.push((k, v.as_str())));
        out
    }

    /// The same texts as [`Statement::texts`], to change in place.
    pub fn texts_mut<'a>(&'a mut self) -> Vec<(String, &'a mut String)> {
        let mut out: Vec<(String, &'a mut String)> = Vec::new();
        each_text!(self, |k: String, v: &'a mut String| out.push((k, v)), mut);
        out
    }

    /// The texts printed when the statement is built in its own language:
    /// [`Statement::texts`] without the translations and the names in other
    /// languages, which are checked when those languages are built, and
    /// without the email sender, which is in headers, not on a page.
    pub fn printed_texts(&self) -> Vec<(String, &str)> {
        self.texts()
            .into_iter()
            .filter(|(k, _)| {
                !k.starts_with("translations.") && !k.contains(".names.") && !k.starts_with("send.")
            })
            .collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use crate::load::statement::*;

    /// A statement with every field set, each text to its own marker, written
    /// without `..Default::default()`: a field added to any of these structs
    /// stops this from compiling until it is added here, and then the test
    /// below fails until it is in [`Statement::texts`] or named as never printed.
    pub(crate) fn every_field() -> Statement {
        let quote = |p: &str| Quote {
            text: format!("{p}quote text"),
            name: format!("{p}quote name"),
            role: Some(format!("{p}quote role")),
        };
        let about = |p: &str| About {
            name: format!("{p}about name"),
            text: format!("{p}about text"),
        };
        Statement {
            title: "title".into(),
            subtitle: Some("subtitle".into()),
            date: Date {
                year: 2025,
                month: 10,
                day: 30,
            },
            language: "en".into(),
            place: Some("place".into()),
            url: Some("url".into()),
            slogan: Some("slogan".into()),
            summary: Some("summary".into()),
            placards: vec!["placards text".into()],
            body: "body".into(),
            signatories: vec![Signatory {
                name: "signatory name".into(),
                group: Some("signatory group".into()),
                country: Some("signatory country".into()),
                url: Some("signatory url".into()),
                logo: Some(PathBuf::from("logo.png")),
                consent: Some(Box::new(Consent {
                    by: Some("consent by".into()),
                    contact: Some("consent contact".into()),
                    date: Some("consent date".into()),
                    method: Some("consent method".into()),
                    wording: Some("consent wording".into()),
                })),
                names: BTreeMap::from([("ru".into(), "signatory name in ru".into())]),
            }],
            quotes: vec![quote("")],
            contacts: vec![Contact {
                name: "contact name".into(),
                organisation: Some("contact organisation".into()),
                email: Some("contact email".into()),
                phone: Some("contact phone".into()),
            }],
            about: vec![about("")],
            organisation: Organisation {
                name: Some("organisation name".into()),
                logo: Some(PathBuf::from("org.png")),
                accent: Some("organisation accent".into()),
            },
            release: Release {
                embargo: None,
                list: ListLimit::default(),
            },
            poster: PosterSettings {
                size: PosterSize::a2(),
                landscape: false,
                spot: Some("poster spot".into()),
                cmyk: false,
                theme: PosterTheme::Dark,
                message: Some("poster message".into()),
            },
            list: ListOrder {
                sort: SortBy::default(),
                group_by: GroupBy::default(),
            },
            letter: LetterSettings {
                subject: Some("letter subject".into()),
                from: Some("letter from".into()),
                place: Some("letter place".into()),
                signers: vec![Signer {
                    name: "signer name".into(),
                    role: Some("signer role".into()),
                    organisation: Some("signer organisation".into()),
                    signature: Some(PathBuf::from("signature.png")),
                }],
            },
            send: SendSettings {
                from: Some("send from".into()),
                reply_to: Some("send reply to".into()),
                unsubscribe: Some("send unsubscribe".into()),
            },
            collect: crate::load::statement::CollectSettings {
                consent: Some("collect consent".into()),
                translations: BTreeMap::from([("ru".into(), "collect consent in ru".into())]),
                individuals: true,
                group: Some("collect group".into()),
            },
            signatories_file: None,
            digits: Digits::default(),
            translations: BTreeMap::from([(
                "ru".into(),
                Translation {
                    title: "ru title".into(),
                    subtitle: Some("ru subtitle".into()),
                    slogan: Some("ru slogan".into()),
                    summary: Some("ru summary".into()),
                    placards: Some(vec!["ru placards text".into()]),
                    place: Some("ru place".into()),
                    body: "ru body".into(),
                    message: Some("ru message".into()),
                    quotes: Some(vec![quote("ru ")]),
                    about: Some(vec![about("ru ")]),
                    groups: BTreeMap::from([("signatory group".into(), "ru group".into())]),
                    digits: None,
                    names: BTreeMap::from([("signatory name".into(), "ru name".into())]),
                },
            )]),
            source: PathBuf::from("statement.toml"),
            base_dir: PathBuf::from("."),
        }
    }

    /// Texts that never reach a page: the consent record, the sign-on
    /// form's settings, a colour's value and a spot ink's name (which names
    /// a separation, not printed words).
    const NEVER_PRINTED: &[&str] = &[
        "consent by",
        "consent contact",
        "consent date",
        "consent method",
        "consent wording",
        "collect consent",
        "collect consent in ru",
        "collect group",
        "organisation accent",
        "poster spot",
        "send unsubscribe",
    ];

    #[test]
    fn every_text_field_is_described_once() {
        let mut s = every_field();
        let texts: Vec<String> = s.texts().iter().map(|(_, v)| (*v).to_owned()).collect();
        // Every string the fixture holds (read back through its JSON-like debug
        // form) is either described or named as never printed.
        let debug = format!("{s:?}");
        let mut strings = Vec::new();
        let mut rest = debug.as_str();
        while let Some(start) = rest.find('"') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('"') else { break };
            strings.push(after[..end].to_owned());
            rest = &after[end + 1..];
        }
        for text in strings {
            let path_like = text.ends_with(".png")
                || text.ends_with(".toml")
                || text == "."
                || text == "en"
                || text == "ru"
                || text == "a2";
            assert!(
                path_like
                    || texts.contains(&text)
                    || NEVER_PRINTED.contains(&text.as_str())
                    || s.translations.contains_key(&text),
                "`{text}` is in the statement but not in Statement::texts: add it there (or to NEVER_PRINTED)"
            );
        }
        let keys: Vec<String> = s.texts().into_iter().map(|(k, _)| k).collect();
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), keys.len(), "each key once: {keys:?}");
        // The mutable walk visits the same keys in the same order.
        let mut_keys: Vec<String> = s.texts_mut().into_iter().map(|(k, _)| k).collect();
        assert_eq!(mut_keys, keys);
        for (_, t) in s.texts_mut() {
            t.push('!');
        }
        assert!(s.texts().iter().all(|(_, v)| v.ends_with('!')));
    }
}
