//! The last stage, sending: built documents in, one message per recipient
//! out, each exactly once. The press release goes to a press list in each
//! journalist's language; letters go to the recipients that have an email.
//!
//! Every message is first written whole to an outbox folder as a `.eml`
//! file ([`message`]); a dry run stops there. Sending hands those bytes to
//! an SMTP server ([`smtp`]) and records each message's state in the
//! campaign's journal ([`journal`]) before and after its transaction, so a
//! run that is killed resumes without sending anything twice.

mod deliver;
pub mod journal;
pub mod message;
mod outbox;
pub mod smtp;

use std::collections::BTreeMap;

use minijinja::Value;

use crate::error::{Error, Result};
use crate::letters::recipients::{Recipient, Recipients};
use crate::letters::{self, LettersRequest};
use crate::load::statement::Statement;
use crate::set::engine::{BuildRequest, DocumentKind, Engine};
use crate::write::textout::{self, TextFormat};

pub use deliver::{Delivery, Summary, deliver};
pub use message::Mailbox;
pub use outbox::{Outbox, Outgoing};

/// Takes each message as it is made; `false` when no more are wanted.
pub type Each<'a> = &'a mut dyn FnMut(Outgoing) -> Result<bool>;

/// Who sends, and how a journalist leaves the press list.
#[derive(Debug, Clone)]
pub struct Sender {
    /// The `From` address.
    pub from: Mailbox,
    /// Where replies go, when not to `from`.
    pub reply_to: Option<Mailbox>,
    /// An https address taking one-click unsubscribes (RFC 8058); without
    /// it the press list's `List-Unsubscribe` is a mailto to `from`.
    pub unsubscribe_url: Option<String>,
}

/// The largest message broadside hands over: most providers refuse more
/// than 25 MB, and base64 makes a PDF a third larger.
pub const MAX_MESSAGE_BYTES: usize = 20 * 1024 * 1024;

/// A recipient's row and the address it gives.
pub type Addressed = (Recipient, Mailbox);

/// The rows of a recipient list that have an email, and those without
/// (letters go to them by post), checked: an address that is not one, or
/// one given twice, stops everything (naming the rows).
pub fn with_email(list: &Recipients) -> Result<(Vec<Addressed>, Vec<Recipient>)> {
    if !list.columns.iter().any(|c| c == "email") {
        return Err(Error::Usage(format!(
            "{}: there is no `email` column (columns: {}); add one with each recipient's address",
            list.path.display(),
            list.columns.join(", ")
        )));
    }
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_email = Vec::new();
    let mut by_post = Vec::new();
    for row in &list.rows {
        let email = row.get("email").unwrap_or_default().trim();
        if email.is_empty() {
            by_post.push(row.clone());
            continue;
        }
        if !message::is_address(email) {
            problems.push(format!(
                "{}: `{email}` is not an email address",
                list.place(row.line)
            ));
            continue;
        }
        if let Some(first) = seen.insert(email.to_lowercase(), row.line) {
            problems.push(format!(
                "{}: {email} is already the address of {}; each recipient once",
                list.place(row.line),
                list.place(first)
            ));
            continue;
        }
        let name = row.name().trim();
        by_email.push((
            row.clone(),
            Mailbox {
                name: (!name.is_empty()).then(|| name.to_owned()),
                email: email.to_owned(),
            },
        ));
    }
    for bad in &list.bad {
        problems.push(format!("{}: {}", list.place(bad.line), bad.message));
    }
    if !problems.is_empty() {
        return Err(Error::Usage(format!(
            "{} row(s) of {} must be fixed before anything is sent:\n  {}",
            problems.len(),
            list.path.display(),
            problems.join("\n  ")
        )));
    }
    Ok((by_email, by_post))
}

/// Renders a short text with placeholders (a greeting, a cover note) for
/// one row; `{{ recipient.name }}` and the row's other columns.
fn fill(template: &str, context: &Value, what: &str) -> Result<String> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_fuel(Some(2_000_000));
    let text = env
        .render_str(template, context)
        .map_err(|e| Error::Usage(format!("{what}: {e}")))?;
    Ok(crate::load::bidi::clean(&text).unwrap_or(text))
}

/// The press release's messages, one per journalist in their language
/// (the closest the statement has), the PDF attached.
pub fn release_messages(
    engine: &Engine,
    statement: &Statement,
    list: &[(Recipient, Mailbox)],
    sender: &Sender,
    greeting: Option<&str>,
    date: i64,
    each: Each<'_>,
) -> Result<()> {
    let mut built: BTreeMap<String, (Vec<u8>, String, String, String)> = BTreeMap::new();
    let translated_statement = statement.languages().len() > 1;
    for (row, to) in list {
        let language = letters::language_of(row, statement)
            .map_err(|m| Error::Usage(format!("{} ({}): {m}", to.email, row.name())))?;
        if !built.contains_key(&language) {
            let translated = statement
                .in_language(&language)
                .ok_or_else(|| Error::Internal(format!("no `{language}` statement")))?;
            let request = BuildRequest {
                documents: vec![DocumentKind::PressRelease],
                ..BuildRequest::default()
            };
            let pdf = engine
                .build(&translated, &request)?
                .pop()
                .ok_or_else(|| Error::Internal("no press release was built".into()))?
                .pdf;
            let prepared = engine.prepare(&translated, &request.layout)?;
            let text = textout::render(engine.templates(), &prepared, TextFormat::Txt)?;
            let html = textout::render(engine.templates(), &prepared, TextFormat::Html)?;
            built.insert(language.clone(), (pdf, text, html, prepared.subject));
        }
        let (pdf, text, html, subject) = &built[&language];
        let (text, html) = match greeting {
            Some(template) => {
                let context = letters::row_context(row, &Value::UNDEFINED, &language);
                let line = fill(template, &context, "--greeting")?;
                (format!("{line}\n\n{text}"), with_greeting(html, &line))
            }
            None => (text.clone(), html.clone()),
        };
        let pdf_name = if translated_statement {
            format!("press-release.{language}.pdf")
        } else {
            "press-release.pdf".to_owned()
        };
        let bytes = message::build(&message::Parts {
            from: &sender.from,
            reply_to: sender.reply_to.as_ref(),
            to,
            subject,
            text: &text,
            html: Some(&html),
            pdf: Some((&pdf_name, pdf)),
            language: &language,
            date,
            campaign: &format!("release\n{}\n{}", statement.title, statement.date),
            unsubscribe: Some(message::Unsubscribe {
                mailto: &sender.from.email,
                url: sender.unsubscribe_url.as_deref(),
            }),
        })?;
        if !each(Outgoing {
            to: to.clone(),
            language,
            attachment: pdf_name,
            bytes,
        })? {
            break;
        }
    }
    Ok(())
}

/// The HTML version with a greeting paragraph first in its body.
fn with_greeting(html: &str, line: &str) -> String {
    let mut paragraph = String::from("<p style=\"margin:0 0 1em\">");
    textout::escape_html(&mut paragraph, line);
    paragraph.push_str("</p>\n");
    let at = html
        .find("<body")
        .and_then(|start| html[start..].find('>').map(|end| start + end + 1));
    match at {
        Some(at) => format!("{}\n{paragraph}{}", &html[..at], &html[at..]),
        None => format!("{paragraph}{html}"),
    }
}

/// The letters' messages: each recipient with an email gets a short cover
/// note (`cover`, with the letter's placeholders) and their own letter PDF,
/// with the statement and annex. Returns those who get theirs by post.
pub fn letter_messages(
    engine: &Engine,
    statement: &Statement,
    request: &LettersRequest,
    cover: &letters::mailmerge::LetterTexts,
    sender: &Sender,
    date: i64,
    each: Each<'_>,
) -> Result<Vec<Recipient>> {
    let (by_email, by_post) = with_email(&request.recipients)?;
    let plan = letters::plan(engine, statement, request)?;
    let setter = letters::Setter::new(engine, statement, request, &plan)?;
    let mut contexts: BTreeMap<String, Value> = BTreeMap::new();
    // Each row's address by its line: one lookup a letter, not a search.
    let address: BTreeMap<usize, &Mailbox> = by_email.iter().map(|(r, to)| (r.line, to)).collect();
    let emailed: Vec<(&letters::Planned, &Mailbox)> = plan
        .letters
        .iter()
        .filter_map(|planned| {
            address
                .get(&planned.recipient.line)
                .map(|to| (planned, *to))
        })
        .collect();
    // Set in parallel a chunk at a time, as `letters` does, then written in
    // order; Typst's cache is trimmed after each chunk, so memory stays flat.
    for chunk in emailed.chunks(letters::CHUNK) {
        use rayon::prelude::*;
        let set: Result<Vec<letters::Letter>> = chunk
            .par_iter()
            .map(|(planned, _)| setter.set(planned))
            .collect();
        for ((planned, to), letter) in chunk.iter().zip(set?) {
            if !contexts.contains_key(&planned.language) {
                let translated = statement.in_language(&planned.language).ok_or_else(|| {
                    Error::Internal(format!("no `{}` statement", planned.language))
                })?;
                contexts.insert(
                    planned.language.clone(),
                    letters::statement_context(&translated, engine)?,
                );
            }
            let context = letters::row_context(
                &planned.recipient,
                &contexts[&planned.language],
                &planned.language,
            );
            let note = cover.for_language(Some(&planned.language));
            let text = fill(&note.source, &context, &note.path.display().to_string())?;
            let bytes = message::build(&message::Parts {
                from: &sender.from,
                reply_to: sender.reply_to.as_ref(),
                to,
                subject: &planned.subject,
                text: &text,
                html: None,
                pdf: Some((&letter.file, &letter.pdf)),
                language: &planned.language,
                date,
                campaign: &format!("letters\n{}\n{}", statement.title, statement.date),
                unsubscribe: None,
            })?;
            if !each(Outgoing {
                to: (*to).clone(),
                language: planned.language.clone(),
                attachment: letter.file,
                bytes,
            })? {
                return Ok(by_post);
            }
        }
        comemo::evict(0);
    }
    Ok(by_post)
}
