//! One outgoing message as RFC 5322 bytes: the headers mail clients and
//! spam filters expect, the text (and HTML) body, the PDF attached.
//!
//! The bytes are the same for the same campaign, recipient and content
//! (the MIME boundaries and the Message-ID are derived from them, the Date
//! is the campaign's start), so a message is written once to the outbox
//! and what is sent is that file.

use std::borrow::Cow;

use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::{BodyPart, MimePart};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// A name and an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    /// The display name, in any script (encoded as RFC 2047 asks).
    pub name: Option<String>,
    /// The address.
    pub email: String,
}

impl Mailbox {
    /// Reads `Name <a@b.org>` or `a@b.org`; `None` when it is not an address.
    pub fn parse(text: &str) -> Option<Mailbox> {
        let text = text.trim();
        let (name, email) = match (text.rfind('<'), text.strip_suffix('>')) {
            (Some(open), Some(_)) => (
                Some(text[..open].trim().trim_matches('"').trim().to_owned()),
                text[open + 1..text.len() - 1].trim(),
            ),
            _ => (None, text),
        };
        is_address(email).then(|| Mailbox {
            name: name.filter(|n| !n.is_empty()),
            email: email.to_owned(),
        })
    }

    /// The domain, for Message-IDs.
    pub fn domain(&self) -> &str {
        self.email.rsplit_once('@').map_or("localhost", |(_, d)| d)
    }

    fn address(&self) -> Address<'_> {
        match &self.name {
            Some(name) => Address::new_address(Some(name.as_str()), self.email.as_str()),
            None => Address::new_address(None::<&str>, self.email.as_str()),
        }
    }
}

/// Whether `email` is an address an SMTP server takes (lettre's reading:
/// a local part and a domain, no spaces or control characters).
pub fn is_address(email: &str) -> bool {
    email.parse::<lettre::Address>().is_ok() && !email.contains(['<', '>', ',', ';'])
}

/// What goes into one message.
pub struct Parts<'a> {
    /// The sender.
    pub from: &'a Mailbox,
    /// Where replies go, when not to the sender.
    pub reply_to: Option<&'a Mailbox>,
    /// The recipient.
    pub to: &'a Mailbox,
    /// The subject line.
    pub subject: &'a str,
    /// The body as plain text.
    pub text: &'a str,
    /// The body as HTML, when there is one.
    pub html: Option<&'a str>,
    /// The attached PDF's file name and bytes, if one goes with it.
    pub pdf: Option<(&'a str, &'a [u8])>,
    /// The language of the text (`Content-Language`).
    pub language: &'a str,
    /// The Date, in Unix seconds: the campaign's start.
    pub date: i64,
    /// What names the campaign in the Message-ID (kind, title, date).
    pub campaign: &'a str,
    /// `List-Unsubscribe`: a mailto address, and an https URL for one-click.
    pub unsubscribe: Option<Unsubscribe<'a>>,
}

/// How a press-list recipient leaves the list.
pub struct Unsubscribe<'a> {
    /// Mail to this address with the subject "unsubscribe".
    pub mailto: &'a str,
    /// An https address that takes a one-click POST (RFC 8058).
    pub url: Option<&'a str>,
}

/// The SHA-256 of bytes, in hex.
pub fn digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// The message's bytes.
pub fn build(parts: &Parts<'_>) -> Result<Vec<u8>> {
    // The same campaign and recipient: the same id, so a resend is known.
    let key = digest(format!("{}\n{}", parts.campaign, parts.to.email.to_lowercase()).as_bytes());
    let content = {
        let mut hasher = Sha256::new();
        hasher.update(parts.text.as_bytes());
        hasher.update(parts.html.unwrap_or_default().as_bytes());
        if let Some((_, pdf)) = parts.pdf {
            hasher.update(pdf);
        }
        hasher.update(key.as_bytes());
        hasher.finalize()
    };
    let boundary = |n: u8| {
        let hex: String = content
            .iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("broadside{n}_{hex}")
    };
    let text = MimePart::new("text/plain", BodyPart::Text(Cow::Borrowed(parts.text)));
    let body = match parts.html {
        Some(html) => MimePart::new(
            ContentType::new("multipart/alternative").attribute("boundary", boundary(2)),
            BodyPart::Multipart(vec![
                text,
                MimePart::new("text/html", BodyPart::Text(Cow::Borrowed(html))),
            ]),
        ),
        None => text,
    };
    let mixed = match parts.pdf {
        Some((name, pdf)) => {
            let attachment = MimePart::new("application/pdf", BodyPart::Binary(Cow::Borrowed(pdf)))
                .attachment(name);
            MimePart::new(
                ContentType::new("multipart/mixed").attribute("boundary", boundary(1)),
                BodyPart::Multipart(vec![body, attachment]),
            )
        }
        None => body,
    };
    let mut message = MessageBuilder::new()
        .from(parts.from.address())
        .to(parts.to.address())
        .subject(parts.subject)
        .date(parts.date)
        .message_id(format!("broadside.{}@{}", &key[..32], parts.from.domain()))
        .header("Content-Language", Raw::new(parts.language))
        .body(mixed);
    if let Some(reply_to) = parts.reply_to {
        message = message.reply_to(reply_to.address());
    }
    if let Some(unsubscribe) = &parts.unsubscribe {
        let mut value = format!("<mailto:{}?subject=unsubscribe>", unsubscribe.mailto);
        if let Some(url) = unsubscribe.url {
            value = format!("<{url}>, {value}");
            message = message.header(
                "List-Unsubscribe-Post",
                Raw::new("List-Unsubscribe=One-Click"),
            );
        }
        message = message.header("List-Unsubscribe", Raw::new(value));
    }
    message
        .write_to_vec()
        .map_err(|e| Error::Internal(format!("cannot write a message: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailboxes_are_read_or_refused() {
        let m = Mailbox::parse("Анна Иванова <anna@example.org>").unwrap();
        assert_eq!(m.name.as_deref(), Some("Анна Иванова"));
        assert_eq!(m.email, "anna@example.org");
        assert_eq!(Mailbox::parse("b@x.org").unwrap().name, None);
        for bad in [
            "",
            "anna",
            "anna@",
            "a b@x.org",
            "<a@x.org",
            "a@x.org, b@y.org",
        ] {
            assert!(Mailbox::parse(bad).is_none(), "{bad}");
        }
    }
}
