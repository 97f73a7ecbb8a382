//! Translations: the `[translations.<tag>]` tables of a statement, and
//! translation files of their own that name their original with
//! `translation_of`.

use std::collections::BTreeMap;
use std::path::Path;

use super::raw::{RawTranslation, unknown_key_warning};
use super::validate::{Checker, check_relative_path, is_language_tag, optional, parse_digits};
use super::{Format, Loaded, load_file, parse};
use crate::error::{Error, Problem, Result};
use crate::load::statement::{Signatory, Translation};

/// Whether the text is a translation in a file of its own (it names its
/// original with `translation_of`). Text that does not parse is left to the
/// statement parser, which reports the error.
pub(super) fn is_translation_file(text: &str, format: Format) -> bool {
    // A statement (nearly every file) never names the key: it is then not
    // parsed twice: a long list parsed once more is time a build notices.
    if !text.contains("translation_of") {
        return false;
    }
    match format {
        Format::Toml => {
            toml::from_str::<toml::Table>(text).is_ok_and(|t| t.contains_key("translation_of"))
        }
        Format::Json => serde_json::from_str::<serde_json::Value>(text)
            .is_ok_and(|v| v.get("translation_of").is_some()),
    }
}

/// Reads a translation file and its original, and returns the statement in
/// the translation's language.
pub(super) fn load_translation_file(
    text: &str,
    format: Format,
    path: &Path,
    base: &Path,
) -> Result<Loaded> {
    let mut unknown = Vec::new();
    let mut raw: RawTranslation = parse(text, format, path, &mut unknown)?;
    let mut c = Checker::default();
    let language = c.required(
        "language",
        raw.language.take(),
        "name the language of this translation: language = \"ru\"",
    );
    let original = optional(raw.translation_of.take()).unwrap_or_default();
    check_relative_path(&mut c, "translation_of", Path::new(&original));
    // The original is not read while the path to it is in doubt.
    c.refuse_if_any(path)?;
    let original_path =
        crate::files::resolve_inside(base, Path::new(&original)).map_err(|message| {
            Error::Invalid {
                path: path.to_path_buf(),
                problems: vec![Problem {
                    key: "translation_of".into(),
                    message,
                    hint: Some("name the original statement file, relative to this one".into()),
                    number: None,
                }],
            }
        })?;
    let original = load_file(&original_path)?;
    let mut statement = original.statement;
    if language.eq_ignore_ascii_case(&statement.language) {
        c.problem(
            "language",
            format!("`{language}` is the original's language too"),
            Some("a translation is in another language"),
        );
    }
    let groups = groups(&statement.signatories);
    let translation = translation(&mut c, "", &language, raw, &groups);
    c.refuse_if_any(path)?;
    statement.translations.insert(language.clone(), translation);
    let mut translated = statement
        .in_language(&language)
        .ok_or_else(|| Error::Usage(format!("no `{language}` translation")))?;
    translated.source = path.to_path_buf();
    let mut warnings = original.warnings;
    warnings.extend(unknown.iter().map(|key| {
        // Its keys are a translation's: look them up as such, report them as written.
        let mut w = unknown_key_warning(&format!("translations.{language}.{key}"));
        w.key = key.clone();
        w
    }));
    Ok(Loaded {
        statement: translated,
        warnings,
    })
}

/// The `[translations]` tables of a statement, whose signatories have been
/// checked already: a translation may only name their groups.
pub(super) fn translations(
    c: &mut Checker,
    raw: BTreeMap<String, RawTranslation>,
    signatories: &[Signatory],
) -> BTreeMap<String, Translation> {
    let groups = groups(signatories);
    let mut translations = BTreeMap::new();
    for (tag, t) in raw {
        let translation = translation(c, &format!("translations.{tag}"), &tag, t, &groups);
        translations.insert(tag, translation);
    }
    translations
}

/// The signatories' group labels, in order and with repeats.
fn groups(signatories: &[Signatory]) -> Vec<&str> {
    signatories
        .iter()
        .filter_map(|s| s.group.as_deref())
        .collect()
}

/// Validates one translation; `key` is where it stands (`translations.ru`,
/// or the file's top level for a translation file).
fn translation(
    c: &mut Checker,
    key: &str,
    tag: &str,
    t: RawTranslation,
    groups: &[&str],
) -> Translation {
    let at = |k: &str| {
        if key.is_empty() {
            k.to_owned()
        } else {
            format!("{key}.{k}")
        }
    };
    if !key.is_empty() && (t.translation_of.is_some() || t.language.is_some()) {
        c.problem(
            key.to_owned(),
            "`translation_of` and `language` belong in a translation file of its own",
            Some("here the table's name gives the language: remove them"),
        );
    }
    if !is_language_tag(tag) {
        c.problem(
            if key.is_empty() {
                "language".to_owned()
            } else {
                key.to_owned()
            },
            format!("`{tag}` is not a language tag"),
            Some("use a BCP 47 tag such as ru, uk, fa or pt-BR"),
        );
    }
    let hint = "a translation needs its own title and body; other keys fall back to the original";
    let title = c.required(&at("title"), t.title, hint);
    let body = c.required(&at("body"), t.body, hint);
    c.markdown(&at("body"), &body);
    for label in t.groups.keys() {
        if !groups.contains(&label.as_str()) {
            let known = if groups.is_empty() {
                "the signatories have no groups".to_owned()
            } else {
                format!("groups are: {}", dedup(groups).join(", "))
            };
            c.problem(
                at("groups"),
                format!("`{label}` is not a group of the signatories"),
                Some(&known),
            );
        }
    }
    for (i, a) in t.about.iter().flatten().enumerate() {
        c.markdown(&at(&format!("about[{i}].text")), &a.text);
    }
    let digits = parse_digits(c, &at("digits"), t.digits.as_deref());
    let summary = optional(t.summary);
    if let Some(text) = &summary {
        c.markdown(&at("summary"), text);
    }
    let placards = t.placards.map(|p| c.placards(&at("placards"), p));
    Translation {
        title,
        subtitle: optional(t.subtitle),
        slogan: optional(t.slogan),
        summary,
        placards,
        place: optional(t.place),
        body,
        message: optional(t.poster.message),
        quotes: t.quotes,
        about: t.about,
        groups: t.groups,
        digits,
        names: t.names,
    }
}

fn dedup<'a>(items: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for item in items {
        if !out.contains(item) {
            out.push(item);
        }
    }
    out
}
