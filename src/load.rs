//! Reading a statement file (TOML or JSON) into a [`Statement`].
//!
//! Parsing and validation are separate steps: the parser reports syntax and
//! type errors with line and column; validation collects every content problem
//! with its key path, so a user fixes them all in one pass. Unknown keys are
//! warnings with the nearest known key, so a typo never passes silently.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use toml::value::{Datetime, Offset};

use crate::error::{Error, Located, Problem, Result};
use crate::statement::{
    About, Contact, Date, Digits, GroupBy, LetterSettings, ListLimit, ListOrder, Organisation,
    PosterSettings, PosterSize, PosterTheme, Quote, Release, Signatory, SortBy, Statement,
    Translation, ZonedTime,
};

/// The bundled example statement, so `broadside build` works from any folder.
pub const EXAMPLE_TOML: &str =
    include_str!("../examples/international-day-of-political-prisoners.toml");

/// The file name the bundled example reports in messages.
pub const EXAMPLE_NAME: &str = "examples/international-day-of-political-prisoners.toml";

/// A statement together with what the loader noticed but did not refuse.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated statement.
    pub statement: Statement,
    /// Warnings for the user, such as unknown keys.
    pub warnings: Vec<Problem>,
}

/// The formats a statement can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML, the format people write by hand.
    Toml,
    /// JSON with the same shape, for other tools.
    Json,
}

impl Format {
    /// Picks the format from a file's extension (`.json` is JSON, everything else TOML).
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Toml,
        }
    }
}

/// Reads and validates the statement file at `path`.
pub fn load_file(path: &Path) -> Result<Loaded> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(extension.as_str(), "toml" | "json") {
        // A statement pasted into a .txt or .md file would otherwise fail
        // with a puzzling TOML syntax error on its first line.
        return Err(Error::Usage(format!(
            "{} is not a statement file: broadside reads .toml (or .json) files with title, date, body and \
             signatories; start from examples/international-day-of-political-prisoners.toml",
            path.display()
        )));
    }
    let text = crate::files::read_text(path, crate::limits::MAX_FILE_BYTES, "statement file")?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let base = if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base
    };
    let format = Format::from_path(path);
    if is_translation_file(&text, format) {
        return load_translation_file(&text, format, path, &base);
    }
    load_str(&text, format, path, &base)
}

/// Whether the text is a translation in a file of its own (it names its
/// original with `translation_of`). Text that does not parse is left to the
/// statement parser, which reports the error.
fn is_translation_file(text: &str, format: Format) -> bool {
    match format {
        Format::Toml => {
            toml::from_str::<toml::Table>(text).is_ok_and(|t| t.contains_key("translation_of"))
        }
        Format::Json => serde_json::from_str::<serde_json::Value>(text)
            .is_ok_and(|v| v.get("translation_of").is_some()),
    }
}

/// Parses `text` into `T`, collecting the keys it did not know.
fn parse<T: serde::de::DeserializeOwned>(
    text: &str,
    format: Format,
    path: &Path,
    unknown: &mut Vec<String>,
) -> Result<T> {
    match format {
        Format::Toml => {
            let de = toml::Deserializer::new(text);
            serde_ignored::deserialize(de, |p| unknown.push(key_path(&p)))
                .map_err(|e| syntax_error(path, text, e.span().map(|s| s.start), e.message()))
        }
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            serde_ignored::deserialize(&mut de, |p| unknown.push(key_path(&p)))
                .and_then(|raw| de.end().map(|()| raw))
                .map_err(|e| json_error(path, text, &e))
        }
    }
}

/// Reads a translation file and its original, and returns the statement in
/// the translation's language.
fn load_translation_file(text: &str, format: Format, path: &Path, base: &Path) -> Result<Loaded> {
    let mut unknown = Vec::new();
    let mut raw: RawTranslation = parse(text, format, path, &mut unknown)?;
    let mut c = Checker {
        problems: Vec::new(),
    };
    let language = c.required(
        "language",
        raw.language.take(),
        "name the language of this translation: language = \"ru\"",
    );
    let original = optional(raw.translation_of.take()).unwrap_or_default();
    check_relative_path(&mut c, "translation_of", Path::new(&original));
    if !c.problems.is_empty() {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            problems: c.problems,
        });
    }
    let original_path =
        crate::assets::resolve_inside(base, Path::new(&original)).map_err(|message| {
            Error::Invalid {
                path: path.to_path_buf(),
                problems: vec![Problem {
                    key: "translation_of".into(),
                    position: None,
                    message,
                    hint: Some("name the original statement file, relative to this one".into()),
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
    let groups: Vec<&str> = statement
        .signatories
        .iter()
        .filter_map(|s| s.group.as_deref())
        .collect();
    let translation = translation(&mut c, "", &language, raw, &groups);
    if !c.problems.is_empty() {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            problems: c.problems,
        });
    }
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

/// Reads the bundled example statement.
pub fn load_example() -> Result<Loaded> {
    load_str(
        EXAMPLE_TOML,
        Format::Toml,
        Path::new(EXAMPLE_NAME),
        Path::new("."),
    )
}

/// Reads and validates statement text. `path` is only used in messages;
/// `base_dir` is where relative paths in the statement (logos) resolve.
pub fn load_str(text: &str, format: Format, path: &Path, base_dir: &Path) -> Result<Loaded> {
    let mut unknown = Vec::new();
    let raw: RawStatement = parse(text, format, path, &mut unknown)?;
    let mut warnings: Vec<Problem> = unknown.iter().map(|key| unknown_key_warning(key)).collect();
    let mut statement = validate(raw, path, base_dir)?;
    warnings.extend(crate::bidi::sanitise(&mut statement));
    if text.contains(crate::import::REVIEW_MARK) {
        warnings.push(Problem {
            key: "title".into(),
            position: None,
            message: "this statement was made by `broadside import` and not yet reviewed: its title, date, language or group names may be guesses".into(),
            hint: Some("check the lines marked REVIEW, then delete the first line".into()),
        });
    }
    Ok(Loaded {
        statement,
        warnings,
    })
}

fn syntax_error(path: &Path, text: &str, offset: Option<usize>, message: &str) -> Error {
    let (line, column) = match offset {
        Some(offset) => {
            let (l, c) = line_column(text, offset);
            (Some(l), Some(c))
        }
        None => (None, None),
    };
    let excerpt = line
        .and_then(|l| text.lines().nth(l - 1))
        .map(str::to_owned);
    Error::Syntax(Box::new(Located {
        path: path.to_path_buf(),
        line,
        column,
        message: message.trim().to_owned(),
        excerpt,
    }))
}

fn json_error(path: &Path, text: &str, e: &serde_json::Error) -> Error {
    let line = (e.line() > 0).then_some(e.line());
    let excerpt = line
        .and_then(|l| text.lines().nth(l - 1))
        .map(str::to_owned);
    // serde_json appends " at line X column Y" to its message; we print the position ourselves.
    let message = e.to_string();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    Error::Syntax(Box::new(Located {
        path: path.to_path_buf(),
        line,
        column: line.map(|_| e.column().max(1)),
        message,
        excerpt,
    }))
}

/// 1-based line and character column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn key_path(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path as P;
    match path {
        P::Root => String::new(),
        P::Seq { parent, index } => format!("{}[{index}]", key_path(parent)),
        P::Map { parent, key } => {
            let parent = key_path(parent);
            if parent.is_empty() {
                key.clone()
            } else {
                format!("{parent}.{key}")
            }
        }
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
            key_path(parent)
        }
    }
}

/// Known keys of each table, for suggesting the nearest one to a typo.
fn known_keys(table: &str) -> &'static [&'static str] {
    match table {
        "" => &[
            "title",
            "subtitle",
            "date",
            "language",
            "place",
            "url",
            "slogan",
            "body",
            "signatories",
            "quotes",
            "contacts",
            "about",
            "organisation",
            "release",
            "poster",
            "annex",
            "letter",
            "digits",
            "translations",
        ],
        "signatories[]" => &[
            "name", "group", "country", "url", "logo", "consent", "names",
        ],
        "signatories[].consent" => &["by", "contact", "date", "method"],
        "quotes[]" => &["text", "name", "role"],
        "contacts[]" => &["name", "organisation", "email", "phone"],
        "about[]" => &["name", "text"],
        "organisation" => &["name", "logo", "accent"],
        "release" => &["embargo", "list"],
        "annex" => &["sort", "group_by"],
        "letter" => &["subject", "from", "place", "signers"],
        "letter.signers[]" => &["name", "role", "organisation", "signature"],
        "translations.*" => &[
            "title",
            "subtitle",
            "slogan",
            "place",
            "body",
            "poster",
            "quotes",
            "about",
            "groups",
            "digits",
            "names",
            "translation_of",
            "language",
        ],
        "translations.*.poster" => &["message"],
        "translations.*.quotes[]" => &["text", "name", "role"],
        "translations.*.about[]" => &["name", "text"],
        "poster" => &["size", "landscape", "theme", "message", "spot", "cmyk"],
        _ => &[],
    }
}

fn unknown_key_warning(key: &str) -> Problem {
    let (parent, leaf) = match key.rfind('.') {
        Some(i) => (&key[..i], &key[i + 1..]),
        None => ("", key),
    };
    // Strip indices so `signatories[3]` finds the keys of any signatory.
    let mut table = String::new();
    let mut in_index = false;
    for c in parent.chars() {
        match c {
            '[' => {
                in_index = true;
                table.push_str("[]");
            }
            ']' => in_index = false,
            _ if in_index => {}
            _ => table.push(c),
        }
    }
    // Translations are keyed by language: any tag finds the same keys.
    if let Some(rest) = table.strip_prefix("translations.") {
        let tail = rest.find('.').map_or("", |i| &rest[i..]);
        table = format!("translations.*{tail}");
    }
    let candidates = known_keys(&table);
    let nearest = candidates
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&leaf.to_lowercase(), k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min();
    let hint = match nearest {
        Some((_, k)) => Some(format!("did you mean `{k}`?")),
        None if !candidates.is_empty() => {
            Some(format!("known keys here: {}", candidates.join(", ")))
        }
        None => None,
    };
    Problem {
        key: key.to_owned(),
        position: None,
        message: "unknown key; it is ignored".into(),
        hint,
    }
}

// ---------------------------------------------------------------------------
// The file's shape as parsed, before validation.

#[derive(Deserialize, Default)]
struct RawStatement {
    title: Option<String>,
    subtitle: Option<String>,
    date: Option<DateValue>,
    language: Option<String>,
    place: Option<String>,
    url: Option<String>,
    slogan: Option<String>,
    body: Option<String>,
    signatories: Option<Vec<RawSignatory>>,
    #[serde(default)]
    quotes: Vec<Quote>,
    #[serde(default)]
    contacts: Vec<Contact>,
    #[serde(default)]
    about: Vec<About>,
    #[serde(default)]
    organisation: Organisation,
    #[serde(default)]
    release: RawRelease,
    #[serde(default)]
    poster: RawPoster,
    #[serde(default)]
    annex: RawAnnex,
    #[serde(default)]
    letter: LetterSettings,
    digits: Option<String>,
    #[serde(default)]
    translations: BTreeMap<String, RawTranslation>,
}

#[derive(Deserialize, Default)]
struct RawAnnex {
    sort: Option<String>,
    group_by: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawTranslation {
    title: Option<String>,
    subtitle: Option<String>,
    slogan: Option<String>,
    place: Option<String>,
    body: Option<String>,
    #[serde(default)]
    poster: RawTranslationPoster,
    quotes: Option<Vec<Quote>>,
    about: Option<Vec<About>>,
    #[serde(default)]
    groups: BTreeMap<String, String>,
    digits: Option<String>,
    #[serde(default)]
    names: BTreeMap<String, String>,
    /// Only in a translation file of its own: the original statement.
    translation_of: Option<String>,
    /// Only in a translation file of its own: its language.
    language: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawTranslationPoster {
    message: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawRelease {
    embargo: Option<DateValue>,
    list: Option<RawListLimit>,
}

/// `list = 60` or `list = "all"`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawListLimit {
    Count(i64),
    Word(String),
}

#[derive(Deserialize, Default)]
struct RawPoster {
    size: Option<String>,
    landscape: Option<bool>,
    spot: Option<String>,
    cmyk: Option<bool>,
    theme: Option<String>,
    message: Option<String>,
}

/// A signatory written either as a bare name or as a table.
struct RawSignatory(Signatory);

impl<'de> Deserialize<'de> for RawSignatory {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSignatory;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a name, or a table with `name` and optional `group`, `country`, `url`, `logo`",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawSignatory, E> {
                Ok(RawSignatory(Signatory {
                    name: v.to_owned(),
                    ..Signatory::default()
                }))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawSignatory, A::Error> {
                Signatory::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawSignatory)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A date or date-time: a TOML datetime value or an RFC 3339 string (JSON).
struct DateValue(Datetime);

impl<'de> Deserialize<'de> for DateValue {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a date such as 2025-10-30 (or a date-time such as 2025-10-30T09:00:00-04:00)",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateValue, E> {
                v.trim().parse::<Datetime>().map(DateValue).map_err(|_| {
                    E::custom(format!(
                        "`{v}` is not a date; write it as YYYY-MM-DD (or YYYY-MM-DDTHH:MM:SS+HH:MM for a time)"
                    ))
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DateValue, A::Error> {
                Datetime::deserialize(de::value::MapAccessDeserializer::new(map)).map(DateValue)
            }
        }
        deserializer.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------------
// Validation.

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn problem(&mut self, key: impl Into<String>, message: impl Into<String>, hint: Option<&str>) {
        self.problems.push(Problem {
            key: key.into(),
            position: None,
            message: message.into(),
            hint: hint.map(str::to_owned),
        });
    }

    /// A required, non-blank text; returns it trimmed.
    /// Markdown text within broadside's bounds of size and nesting.
    fn markdown(&mut self, key: &str, text: &str) {
        if let Some((message, hint)) = crate::limits::check_markdown(text) {
            self.problem(key, message, Some(hint));
        }
    }

    fn required(&mut self, key: &str, value: Option<String>, hint: &str) -> String {
        match value.map(|v| v.trim().to_owned()) {
            Some(v) if !v.is_empty() => v,
            Some(_) => {
                self.problem(key, "is empty", Some(hint));
                String::new()
            }
            None => {
                self.problem(key, "is missing", Some(hint));
                String::new()
            }
        }
    }

    fn url(&mut self, key: &str, value: &Option<String>) {
        if let Some(url) = value {
            let lower = url.trim().to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://"))
                || lower.contains(char::is_whitespace)
            {
                self.problem(
                    key,
                    format!("`{url}` is not a web address"),
                    Some("write the full address, starting with https://"),
                );
            }
        }
    }
}

fn optional(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn calendar_date(dt: &Datetime) -> Option<Date> {
    let d = dt.date?;
    let date = Date {
        year: i32::from(d.year),
        month: d.month,
        day: d.day,
    };
    date.is_valid().then_some(date)
}

fn validate(raw: RawStatement, path: &Path, base_dir: &Path) -> Result<Statement> {
    let mut c = Checker {
        problems: Vec::new(),
    };

    let title = c.required(
        "title",
        raw.title,
        "add a line such as: title = \"Free all political prisoners\"",
    );
    let body = c.required(
        "body",
        raw.body,
        "add the statement's text: body = \"\"\"...\"\"\" (Markdown paragraphs)",
    );
    c.markdown("body", &body);

    let date = match raw.date {
        None => {
            c.problem(
                "date",
                "is missing",
                Some("add the publication date: date = 2025-10-30"),
            );
            Date {
                year: 1970,
                month: 1,
                day: 1,
            }
        }
        Some(DateValue(dt)) => {
            match (calendar_date(&dt), dt.time) {
                (Some(date), None) => date,
                (Some(date), Some(_)) => {
                    c.problem("date", format!("`{dt}` has a time of day"), Some("write only the day: date = 2025-10-30 (use [release] embargo for a time)"));
                    date
                }
                (None, _) => {
                    c.problem(
                        "date",
                        format!("`{dt}` is not a day of the calendar"),
                        Some("write it as YYYY-MM-DD, e.g. 2025-10-30"),
                    );
                    Date {
                        year: 1970,
                        month: 1,
                        day: 1,
                    }
                }
            }
        }
    };

    let language = optional(raw.language).unwrap_or_else(|| "en".into());
    if !is_language_tag(&language) {
        c.problem(
            "language",
            format!("`{language}` is not a language tag"),
            Some("use a BCP 47 tag such as en, ru, fa or pt-BR"),
        );
    }

    c.url("url", &raw.url);

    let mut signatories = Vec::new();
    match raw.signatories {
        None => c.problem(
            "signatories",
            "is missing",
            Some("list who signed: signatories = [\"Organisation A\", \"Organisation B\"]"),
        ),
        Some(list) if list.is_empty() => c.problem(
            "signatories",
            "is empty",
            Some("a statement needs at least one signatory"),
        ),
        Some(list) if list.len() > crate::limits::MAX_SIGNATORIES => c.problem(
            "signatories",
            format!(
                "lists {} signatories; broadside sets at most {}",
                list.len(),
                crate::limits::MAX_SIGNATORIES
            ),
            Some("publish the statement in parts, or ask us to raise the limit"),
        ),
        Some(list) => {
            let mut seen = std::collections::HashSet::new();
            for (i, RawSignatory(mut s)) in list.into_iter().enumerate() {
                let key = format!("signatories[{i}]");
                s.name = s.name.trim().to_owned();
                let chars = s.name.chars().count();
                if s.name.is_empty() {
                    c.problem(
                        format!("{key}.name"),
                        format!("signatory {} has no name", i + 1),
                        Some("give every signatory a name, or remove the entry"),
                    );
                } else if chars > crate::limits::MAX_NAME_CHARS {
                    c.problem(
                        format!("{key}.name"),
                        format!(
                            "is {chars} characters long; broadside sets at most {}",
                            crate::limits::MAX_NAME_CHARS
                        ),
                        Some(
                            "give the organisation's name alone; a description belongs in `about`",
                        ),
                    );
                } else if !seen.insert(s.name.to_ascii_lowercase()) {
                    c.problem(
                        format!("{key}.name"),
                        format!("`{}` is listed twice", s.name),
                        Some("remove the second entry"),
                    );
                }
                s.group = optional(s.group);
                s.country = optional(s.country);
                s.url = optional(s.url);
                c.url(&format!("{key}.url"), &s.url);
                if let Some(logo) = &s.logo {
                    check_relative_path(&mut c, &format!("{key}.logo"), logo);
                }
                signatories.push(s);
            }
        }
    }

    let quotes: Vec<Quote> = raw
        .quotes
        .into_iter()
        .enumerate()
        .map(|(i, mut q)| {
            q.text = q.text.trim().to_owned();
            q.name = q.name.trim().to_owned();
            q.role = optional(q.role);
            if q.text.is_empty() {
                c.problem(
                    format!("quotes[{i}].text"),
                    "is missing or empty",
                    Some("write the words quoted, without quotation marks"),
                );
            }
            if q.name.is_empty() {
                c.problem(
                    format!("quotes[{i}].name"),
                    "is missing or empty",
                    Some("a quote needs the name of who said it"),
                );
            }
            q
        })
        .collect();

    let contacts: Vec<Contact> = raw
        .contacts
        .into_iter()
        .enumerate()
        .map(|(i, mut k)| {
            k.name = k.name.trim().to_owned();
            k.organisation = optional(k.organisation);
            k.email = optional(k.email);
            k.phone = optional(k.phone);
            if k.name.is_empty() {
                c.problem(
                    format!("contacts[{i}].name"),
                    "is missing or empty",
                    Some("a media contact needs a name"),
                );
            }
            if k.email.is_none() && k.phone.is_none() {
                c.problem(
                    format!("contacts[{i}]"),
                    "has neither email nor phone",
                    Some("journalists need a way to reach the contact"),
                );
            }
            if let Some(email) = &k.email
                && (!email.contains('@') || email.contains(char::is_whitespace))
            {
                c.problem(
                    format!("contacts[{i}].email"),
                    format!("`{email}` is not an email address"),
                    None,
                );
            }
            k
        })
        .collect();

    let about: Vec<About> = raw
        .about
        .into_iter()
        .enumerate()
        .map(|(i, mut a)| {
            a.name = a.name.trim().to_owned();
            a.text = a.text.trim().to_owned();
            if a.name.is_empty() {
                c.problem(
                    format!("about[{i}].name"),
                    "is missing or empty",
                    Some("whom the text is about; printed as \"About ...\""),
                );
            }
            if a.text.is_empty() {
                c.problem(format!("about[{i}].text"), "is missing or empty", None);
            }
            c.markdown(&format!("about[{i}].text"), &a.text);
            a
        })
        .collect();

    let mut organisation = raw.organisation;
    organisation.name = optional(organisation.name);
    organisation.accent = optional(organisation.accent);
    if let Some(accent) = &organisation.accent
        && parse_hex_colour(accent).is_none()
    {
        c.problem(
            "organisation.accent",
            format!("`{accent}` is not a colour"),
            Some("write it as #rrggbb, e.g. #b3261e"),
        );
    }
    if let Some(logo) = &organisation.logo {
        check_relative_path(&mut c, "organisation.logo", logo);
    }

    let embargo = raw.release.embargo.and_then(|DateValue(dt)| {
        let hint = "write the date, time and time zone: embargo = 2025-10-30T09:00:00-04:00 (or ...T13:00:00Z)";
        match (calendar_date(&dt), dt.time, dt.offset) {
            (Some(date), Some(time), Some(offset)) => Some(ZonedTime {
                date,
                hour: time.hour,
                minute: time.minute,
                offset_minutes: match offset {
                    Offset::Z => 0,
                    Offset::Custom { minutes } => minutes,
                },
            }),
            (Some(_), Some(_), None) => {
                c.problem("release.embargo", format!("`{dt}` has no time zone; newsrooms in other zones would read it differently"), Some(hint));
                None
            }
            _ => {
                c.problem("release.embargo", format!("`{dt}` is not a date with a time"), Some(hint));
                None
            }
        }
    });
    let list = match raw.release.list {
        None => ListLimit::RELEASE_DEFAULT,
        Some(RawListLimit::Word(w)) if w.eq_ignore_ascii_case("all") => ListLimit::All,
        Some(RawListLimit::Count(n)) if n >= 0 => {
            ListLimit::First(usize::try_from(n).unwrap_or(usize::MAX))
        }
        Some(other) => {
            let shown = match other {
                RawListLimit::Count(n) => n.to_string(),
                RawListLimit::Word(w) => format!("\"{w}\""),
            };
            c.problem(
                "release.list",
                format!("`{shown}` is not a number of signatories"),
                Some("write how many names the release lists (list = 60, or 0 for none), or list = \"all\""),
            );
            ListLimit::RELEASE_DEFAULT
        }
    };

    let mut list_order = ListOrder::default();
    if let Some(sort) = &raw.annex.sort {
        match SortBy::parse(sort) {
            Some(v) => list_order.sort = v,
            None => c.problem(
                "annex.sort",
                format!("`{sort}` is not an order"),
                Some("use sort = \"name\" (collated for the statement's language) or \"statement\" (as listed)"),
            ),
        }
    }
    if let Some(group_by) = &raw.annex.group_by {
        match GroupBy::parse(group_by) {
            Some(v) => list_order.group_by = v,
            None => c.problem(
                "annex.group_by",
                format!("`{group_by}` is not a way to divide the list"),
                Some("use group_by = \"country\" or \"group\" (the signatories' own groups)"),
            ),
        }
    }

    let mut poster = PosterSettings::default();
    if let Some(size) = raw.poster.size {
        match PosterSize::parse(&size) {
            Ok(s) => poster.size = s,
            Err(message) => c.problem("poster.size", message, None),
        }
    }
    poster.landscape = raw.poster.landscape.unwrap_or(false);
    poster.spot = optional(raw.poster.spot);
    poster.cmyk = raw.poster.cmyk.unwrap_or(false);
    if poster.cmyk && poster.spot.is_some() {
        c.problem(
            "poster.cmyk",
            "a poster is printed either in process colours (cmyk) or in black and one spot colour, not both",
            Some("remove `cmyk = true` or `spot`"),
        );
    }
    if let Some(theme) = raw.poster.theme {
        match PosterTheme::parse(&theme) {
            Some(t) => poster.theme = t,
            None => c.problem(
                "poster.theme",
                format!("`{theme}` is not a poster theme"),
                Some("use dark or light"),
            ),
        }
    }
    poster.message = optional(raw.poster.message);

    let mut letter = raw.letter;
    letter.subject = optional(letter.subject);
    letter.from = optional(letter.from);
    letter.place = optional(letter.place);
    for (i, signer) in letter.signers.iter_mut().enumerate() {
        signer.name = signer.name.trim().to_owned();
        signer.role = optional(signer.role.take());
        signer.organisation = optional(signer.organisation.take());
        if signer.name.is_empty() {
            c.problem(
                format!("letter.signers[{i}].name"),
                "is missing or empty",
                Some("every signer needs a name; it is printed under the signature"),
            );
        }
        if let Some(path) = &signer.signature {
            check_relative_path(&mut c, &format!("letter.signers[{i}].signature"), path);
        }
    }

    let digits = parse_digits(&mut c, "digits", raw.digits.as_deref()).unwrap_or_default();
    let groups: Vec<&str> = signatories
        .iter()
        .filter_map(|s| s.group.as_deref())
        .collect();
    let mut translations = BTreeMap::new();
    for (tag, t) in raw.translations {
        let translation = translation(&mut c, &format!("translations.{tag}"), &tag, t, &groups);
        translations.insert(tag, translation);
    }

    if !c.problems.is_empty() {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            problems: c.problems,
        });
    }

    Ok(Statement {
        title,
        subtitle: optional(raw.subtitle),
        date,
        language,
        place: optional(raw.place),
        url: optional(raw.url),
        slogan: optional(raw.slogan),
        body,
        signatories,
        quotes,
        contacts,
        about,
        organisation,
        release: Release { embargo, list },
        poster,
        list: list_order,
        letter,
        digits,
        translations,
        source: path.to_path_buf(),
        base_dir: base_dir.to_path_buf(),
    })
}

/// Logos must stay inside the statement's folder: the statement may come from
/// someone else, and must not make broadside read arbitrary files.
fn check_relative_path(c: &mut Checker, key: &str, path: &Path) {
    let escapes = path.is_absolute()
        || path.components().any(|part| {
            matches!(
                part,
                Component::ParentDir | Component::RootDir | Component::Prefix(_)
            )
        });
    if escapes {
        c.problem(
            key,
            format!("`{}` is outside the statement's folder", path.display()),
            Some("put the image in the statement's folder (or below it) and give its path relative to the statement"),
        );
    }
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Parses `#rrggbb` (or `#rgb`) into red, green and blue.
pub fn parse_hex_colour(text: &str) -> Option<(u8, u8, u8)> {
    let hex = text.trim().strip_prefix('#')?;
    let digits: Vec<u8> = hex
        .chars()
        .map(|c| c.to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    match digits.as_slice() {
        [r, g, b] => Some((r * 17, g * 17, b * 17)),
        [r1, r2, g1, g2, b1, b2] => Some((r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2)),
        _ => None,
    }
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
    Translation {
        title,
        subtitle: optional(t.subtitle),
        slogan: optional(t.slogan),
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

fn parse_digits(c: &mut Checker, key: &str, value: Option<&str>) -> Option<Digits> {
    match value.map(str::trim) {
        None => None,
        Some("latin") => Some(Digits::Latin),
        Some("native") => Some(Digits::Native),
        Some(other) => {
            c.problem(
                key,
                format!("`{other}` is not a choice of digits"),
                Some("use \"latin\" (0123) or \"native\" (the language's own, e.g. ۰۱۲)"),
            );
            None
        }
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
