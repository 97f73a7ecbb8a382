//! The content rules of a statement, one function per section.
//!
//! Every rule reports to a [`Checker`] instead of returning early, so a user
//! sees every problem of the file in one pass. The sections run in the order
//! of the statement's keys, which is the order the problems are reported in.

use std::path::{Component, Path};

use toml::value::{Datetime, Offset};

use super::raw::{
    DateValue, RawAnnex, RawListLimit, RawPoster, RawRelease, RawSignatories, RawSignatory,
    RawStatement,
};
use super::translation::translations;
use crate::error::{Error, Problem, Result};
use crate::load::duplicates::SameName;
use crate::load::order::Numbers;
use crate::load::statement::{
    About, CollectSettings, Contact, Date, Digits, GroupBy, LetterSettings, ListLimit, ListOrder,
    Organisation, PosterSettings, PosterSize, PosterTheme, Quote, Release, SendSettings, Signatory,
    SortBy, Statement, ZonedTime,
};

/// Collects the problems of one statement.
#[derive(Default)]
pub(super) struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    pub(super) fn problem(
        &mut self,
        key: impl Into<String>,
        message: impl Into<String>,
        hint: Option<&str>,
    ) {
        self.problems.push(Problem {
            key: key.into(),
            message: message.into(),
            hint: hint.map(str::to_owned),
            number: None,
        });
    }

    /// Markdown text within broadside's bounds of size and nesting.
    pub(super) fn markdown(&mut self, key: &str, text: &str) {
        if let Some((message, hint)) = crate::load::limits::check_markdown(text) {
            self.problem(key, message, Some(hint));
        }
    }

    /// A required, non-blank text; returns it trimmed.
    pub(super) fn required(&mut self, key: &str, value: Option<String>, hint: &str) -> String {
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

    /// The placards' slogans (`[[placards]] text = "…"`): each one a few
    /// words, which the placard sets as large as they fit.
    pub(super) fn placards(&mut self, key: &str, raw: Vec<super::raw::RawPlacard>) -> Vec<String> {
        let mut out = Vec::with_capacity(raw.len());
        for (i, placard) in raw.into_iter().enumerate() {
            let at = format!("{key}[{i}].text");
            let text = self.required(
                &at,
                placard.text,
                "give each placard its words: [[placards]] text = \"Free them all\"",
            );
            let words = text.split_whitespace().count();
            if words > PLACARD_WORDS {
                self.problem(
                    &at,
                    format!("has {words} words; a placard is read from across a street, in {PLACARD_WORDS} words or fewer"),
                    Some("shorten it, or make it two placards"),
                );
            }
            out.push(text);
        }
        if out.len() > PLACARDS {
            self.problem(
                key,
                format!(
                    "has {} placards; broadside sets at most {PLACARDS}",
                    out.len()
                ),
                Some("keep the slogans you will carry, or make a second statement file"),
            );
        }
        out
    }

    pub(super) fn url(&mut self, key: &str, value: &Option<String>) {
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

    /// Refuses the file with every problem found so far.
    pub(super) fn refuse_if_any(&mut self, path: &Path) -> Result<()> {
        if self.problems.is_empty() {
            return Ok(());
        }
        Err(Error::Invalid {
            path: path.to_path_buf(),
            problems: std::mem::take(&mut self.problems),
        })
    }
}

/// The most words on one placard: past a dozen, the type that fits is too
/// small to read at a distance (the fitted headline takes up to 6 lines).
const PLACARD_WORDS: usize = 16;
/// The most placards in one statement.
const PLACARDS: usize = 100;

pub(super) fn optional(value: Option<String>) -> Option<String> {
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

/// Checks every section of a parsed statement and assembles the statement.
pub(super) fn validate(mut raw: RawStatement, path: &Path, base_dir: &Path) -> Result<Statement> {
    let mut c = Checker::default();
    let texts = texts(&mut c, &mut raw);
    // The annex's order is read first, since a message about a signatory
    // gives the number the annex prints; its problems keep their place.
    let mut annex_problems = Checker::default();
    let list = annex(&mut annex_problems, raw.annex);
    let signatories_file = match &raw.signatories {
        Some(RawSignatories::File(spec)) => Some(spec.clone()),
        _ => None,
    };
    let signatories = signatories(&mut c, raw.signatories, base_dir, &texts.language, &list);
    let quotes = quotes(&mut c, raw.quotes);
    let contacts = contacts(&mut c, raw.contacts);
    let about = about(&mut c, raw.about);
    let organisation = organisation(&mut c, raw.organisation);
    let release = release(&mut c, raw.release);
    c.problems.append(&mut annex_problems.problems);
    let poster = poster(&mut c, raw.poster);
    let letter = letter(&mut c, raw.letter);
    // The addresses are read where they are used (`send`), which names the key.
    let send = SendSettings {
        from: optional(raw.send.from),
        reply_to: optional(raw.send.reply_to),
        unsubscribe: optional(raw.send.unsubscribe),
    };
    let collect = CollectSettings {
        consent: optional(raw.collect.consent),
        group: optional(raw.collect.group),
        ..raw.collect
    };
    let digits = parse_digits(&mut c, "digits", raw.digits.as_deref()).unwrap_or_default();
    let translations = translations(&mut c, raw.translations, &signatories);
    c.refuse_if_any(path)?;

    Ok(Statement {
        title: texts.title,
        subtitle: texts.subtitle,
        date: texts.date,
        language: texts.language,
        place: texts.place,
        url: texts.url,
        slogan: texts.slogan,
        summary: texts.summary,
        placards: texts.placards,
        body: texts.body,
        signatories,
        quotes,
        contacts,
        about,
        organisation,
        release,
        poster,
        list,
        letter,
        send,
        collect,
        signatories_file,
        digits,
        translations,
        source: path.to_path_buf(),
        base_dir: base_dir.to_path_buf(),
    })
}

/// The statement's own words and the facts about it, at the top of the file.
struct Texts {
    title: String,
    subtitle: Option<String>,
    date: Date,
    language: String,
    place: Option<String>,
    url: Option<String>,
    slogan: Option<String>,
    summary: Option<String>,
    placards: Vec<String>,
    body: String,
}

/// Takes the top-level keys out of `raw`, leaving its tables to their own
/// sections.
fn texts(c: &mut Checker, raw: &mut RawStatement) -> Texts {
    let title = c.required(
        "title",
        raw.title.take(),
        "add a line such as: title = \"Free all political prisoners\"",
    );
    let body = c.required(
        "body",
        raw.body.take(),
        "add the statement's text: body = \"\"\"...\"\"\" (Markdown paragraphs)",
    );
    c.markdown("body", &body);
    let date = publication_date(c, raw.date.take());

    let language = optional(raw.language.take()).unwrap_or_else(|| "en".into());
    if !is_language_tag(&language) {
        c.problem(
            "language",
            format!("`{language}` is not a language tag"),
            Some("use a BCP 47 tag such as en, ru, fa or pt-BR"),
        );
    }

    c.url("url", &raw.url);
    let summary = optional(raw.summary.take());
    if let Some(text) = &summary {
        c.markdown("summary", text);
    }
    let placards = c.placards("placards", std::mem::take(&mut raw.placards));

    Texts {
        title,
        subtitle: optional(raw.subtitle.take()),
        date,
        language,
        place: optional(raw.place.take()),
        url: optional(raw.url.take()),
        slogan: optional(raw.slogan.take()),
        summary,
        placards,
        body,
    }
}

/// The day of publication: a day alone, since the time of day belongs to the
/// embargo, which names its time zone.
fn publication_date(c: &mut Checker, value: Option<DateValue>) -> Date {
    // Stands in for a missing or wrong date so the other sections are still checked.
    let placeholder = Date {
        year: 1970,
        month: 1,
        day: 1,
    };
    match value {
        None => {
            c.problem(
                "date",
                "is missing",
                Some("add the publication date: date = 2025-10-30"),
            );
            placeholder
        }
        Some(DateValue(dt)) => match (calendar_date(&dt), dt.time) {
            (Some(date), None) => date,
            (Some(date), Some(_)) => {
                c.problem(
                    "date",
                    format!("`{dt}` has a time of day"),
                    Some(
                        "write only the day: date = 2025-10-30 (use [release] embargo for a time)",
                    ),
                );
                date
            }
            (None, _) => {
                c.problem(
                    "date",
                    format!("`{dt}` is not a day of the calendar"),
                    Some("write it as YYYY-MM-DD, e.g. 2025-10-30"),
                );
                placeholder
            }
        },
    }
}

/// The signatories, each checked, then the list for names listed twice.
/// `language` and `order` are the annex's, whose numbers messages give.
fn signatories(
    c: &mut Checker,
    raw: Option<RawSignatories>,
    base_dir: &Path,
    language: &str,
    order: &ListOrder,
) -> Vec<Signatory> {
    // From a spreadsheet: each row's place is kept for the messages.
    let (raw, file) = match raw {
        Some(RawSignatories::File(spec)) => match crate::load::sheet::read(base_dir, &spec) {
            Ok(sheet) => {
                // Collected where it lies: a newtype of the same size.
                let list = sheet.signatories.into_iter().map(RawSignatory).collect();
                (Some(list), Some((spec.file, sheet.rows, sheet.columns)))
            }
            Err(message) => {
                c.problem(
                    "signatories.file",
                    message,
                    Some("give the spreadsheet's path relative to the statement, with a header row naming the columns"),
                );
                return Vec::new();
            }
        },
        Some(RawSignatories::List(list)) => (Some(list), None),
        None => (None, None),
    };
    let list = match raw {
        None => {
            c.problem(
                "signatories",
                "is missing",
                Some("list who signed: signatories = [\"Organisation A\", \"Organisation B\"]"),
            );
            return Vec::new();
        }
        Some(list) if list.is_empty() => {
            c.problem(
                "signatories",
                "is empty",
                Some("a statement needs at least one signatory"),
            );
            return Vec::new();
        }
        Some(list) if list.len() > crate::load::limits::MAX_SIGNATORIES => {
            c.problem(
                "signatories",
                format!(
                    "lists {} signatories; broadside sets at most {}",
                    list.len(),
                    crate::load::limits::MAX_SIGNATORIES
                ),
                Some("publish the statement in parts, or ask us to raise the limit"),
            );
            return Vec::new();
        }
        Some(list) => list,
    };
    let mut list: Vec<Signatory> = list.into_iter().map(|RawSignatory(s)| s).collect();
    // The parser's list grew by doubling: a long list's slack, a third of
    // it at 100,000 names, would be kept for the whole build.
    list.shrink_to_fit();
    for s in &mut list {
        tidy(s);
    }
    let numbers = Numbers::new(&list, language, order.sort, order.group_by);
    let first = c.problems.len();
    for (i, s) in list.iter().enumerate() {
        signatory(c, i, s);
    }
    same_names(c, &list, &numbers);
    numbers.mark(&mut c.problems[first..]);
    if let Some((file, rows, columns)) = file {
        for problem in &mut c.problems[first..] {
            let Some(row) = problem.signatory().and_then(|i| rows.get(i)) else {
                continue;
            };
            let field = problem.key.rsplit_once("].").map_or("", |(_, f)| f);
            let column = columns
                .get(field)
                .map(|c| format!(", column `{c}`"))
                .unwrap_or_default();
            problem.message = format!("{} ({} row {row}{column})", problem.message, file.display());
        }
    }
    list
}

/// A signatory's texts trimmed, blank ones as none.
fn tidy(s: &mut Signatory) {
    s.name = s.name.trim().to_owned();
    s.group = optional(s.group.take());
    s.country = optional(s.country.take());
    s.url = optional(s.url.take());
}

/// One signatory, its texts tidied.
fn signatory(c: &mut Checker, i: usize, s: &Signatory) {
    let key = format!("signatories[{i}]");
    let chars = s.name.chars().count();
    if s.name.is_empty() {
        c.problem(
            format!("{key}.name"),
            "has no name",
            Some("give every signatory a name, or remove the entry"),
        );
    } else if chars > crate::load::limits::MAX_NAME_CHARS {
        c.problem(
            format!("{key}.name"),
            format!(
                "is {chars} characters long; broadside sets at most {}",
                crate::load::limits::MAX_NAME_CHARS
            ),
            Some("give the organisation's name alone; a description belongs in `about`"),
        );
    }
    c.url(&format!("{key}.url"), &s.url);
    if let Some(logo) = &s.logo {
        check_relative_path(c, &format!("{key}.logo"), logo);
    }
}

/// One name in one country, listed twice, is refused; naming both entries.
/// (One name in two countries is two chapters, and fine; one name with a
/// country and without one is a warning, given by [`same_name_warnings`].)
fn same_names(c: &mut Checker, list: &[Signatory], numbers: &Numbers) {
    for (first, later, how) in crate::load::duplicates::same_names(list) {
        if how != SameName::Duplicate {
            continue;
        }
        let s = &list[later];
        let place = match &s.country {
            Some(country) => format!(" in {country}"),
            None => String::new(),
        };
        c.problem(
            format!("signatories[{later}].name"),
            format!(
                "`{}`{place} is listed twice, here and as {}{}",
                s.name,
                numbers.label(first),
                if s.country.is_some() {
                    ""
                } else {
                    ", neither with a country"
                }
            ),
            Some(if s.country.is_some() {
                "remove one of the two entries"
            } else {
                "remove one of the two entries, or give each its country if they are two chapters (country = \"France\")"
            }),
        );
    }
}

/// Warnings for one name given with a country and without one: two
/// chapters, or one signatory whose country was forgotten once.
pub(super) fn same_name_warnings(statement: &Statement) -> Vec<Problem> {
    let mut warnings = Vec::new();
    let numbers = Numbers::new(
        &statement.signatories,
        &statement.language,
        statement.list.sort,
        statement.list.group_by,
    );
    for (first, later, how) in crate::load::duplicates::same_names(&statement.signatories) {
        if how != SameName::OneCountry {
            continue;
        }
        let (a, b) = (&statement.signatories[first], &statement.signatories[later]);
        let country = a
            .country
            .as_deref()
            .or(b.country.as_deref())
            .unwrap_or_default();
        warnings.push(Problem {
            key: format!("signatories[{later}].name"),
            message: format!(
                "`{}` is also {}, and only one of the two has a country ({country}): the same organisation listed twice, or two chapters?",
                b.name,
                numbers.label(first)
            ),
            hint: Some("give both entries their country if they are two chapters, or remove one".into()),
            number: Some(numbers.of(later)),
        });
    }
    warnings
}

fn quotes(c: &mut Checker, raw: Vec<Quote>) -> Vec<Quote> {
    raw.into_iter()
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
        .collect()
}

fn contacts(c: &mut Checker, raw: Vec<Contact>) -> Vec<Contact> {
    raw.into_iter()
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
        .collect()
}

fn about(c: &mut Checker, raw: Vec<About>) -> Vec<About> {
    raw.into_iter()
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
        .collect()
}

fn organisation(c: &mut Checker, mut organisation: Organisation) -> Organisation {
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
        check_relative_path(c, "organisation.logo", logo);
    }
    organisation
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

fn release(c: &mut Checker, raw: RawRelease) -> Release {
    let embargo = raw.embargo.and_then(|value| embargo(c, value));
    let list = release_list(c, raw.list);
    Release { embargo, list }
}

/// The embargo is read by newsrooms around the world, so it needs a time
/// and a time zone, not only a day.
fn embargo(c: &mut Checker, DateValue(dt): DateValue) -> Option<ZonedTime> {
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
            c.problem(
                "release.embargo",
                format!(
                    "`{dt}` has no time zone; newsrooms in other zones would read it differently"
                ),
                Some(hint),
            );
            None
        }
        _ => {
            c.problem(
                "release.embargo",
                format!("`{dt}` is not a date with a time"),
                Some(hint),
            );
            None
        }
    }
}

/// How many signatories the press release lists.
fn release_list(c: &mut Checker, raw: Option<RawListLimit>) -> ListLimit {
    match raw {
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
                Some(
                    "write how many names the release lists (list = 60, or 0 for none), or list = \"all\"",
                ),
            );
            ListLimit::RELEASE_DEFAULT
        }
    }
}

/// The order of the signatory annex.
fn annex(c: &mut Checker, raw: RawAnnex) -> ListOrder {
    let mut list_order = ListOrder::default();
    if let Some(sort) = &raw.sort {
        match SortBy::parse(sort) {
            Some(v) => list_order.sort = v,
            None => c.problem(
                "annex.sort",
                format!("`{sort}` is not an order"),
                Some(
                    "use sort = \"name\" (collated for the statement's language) or \"statement\" (as listed)",
                ),
            ),
        }
    }
    if let Some(group_by) = &raw.group_by {
        match GroupBy::parse(group_by) {
            Some(v) => list_order.group_by = v,
            None => c.problem(
                "annex.group_by",
                format!("`{group_by}` is not a way to divide the list"),
                Some("use group_by = \"country\" or \"group\" (the signatories' own groups)"),
            ),
        }
    }
    list_order
}

fn poster(c: &mut Checker, raw: RawPoster) -> PosterSettings {
    let mut poster = PosterSettings::default();
    if let Some(size) = raw.size {
        match PosterSize::parse(&size) {
            Ok(s) => poster.size = s,
            Err(message) => c.problem("poster.size", message, None),
        }
    }
    poster.landscape = raw.landscape.unwrap_or(false);
    poster.spot = optional(raw.spot);
    poster.cmyk = raw.cmyk.unwrap_or(false);
    if poster.cmyk && poster.spot.is_some() {
        c.problem(
            "poster.cmyk",
            "a poster is printed either in process colours (cmyk) or in black and one spot colour, not both",
            Some("remove `cmyk = true` or `spot`"),
        );
    }
    if let Some(theme) = raw.theme {
        match PosterTheme::parse(&theme) {
            Some(t) => poster.theme = t,
            None => c.problem(
                "poster.theme",
                format!("`{theme}` is not a poster theme"),
                Some("use dark or light"),
            ),
        }
    }
    poster.message = optional(raw.message);
    poster
}

fn letter(c: &mut Checker, mut letter: LetterSettings) -> LetterSettings {
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
            check_relative_path(c, &format!("letter.signers[{i}].signature"), path);
        }
    }
    letter
}

/// Logos must stay inside the statement's folder: the statement may come from
/// someone else, and must not make broadside read arbitrary files.
pub(super) fn check_relative_path(c: &mut Checker, key: &str, path: &Path) {
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

pub(super) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

pub(super) fn parse_digits(c: &mut Checker, key: &str, value: Option<&str>) -> Option<Digits> {
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
