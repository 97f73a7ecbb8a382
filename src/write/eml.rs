//! The press release as an email draft (`press-release.eml`): subject,
//! the plain-text and HTML versions as alternatives, the PDF attached. No
//! sender or recipients are filled in; mail clients open it as a draft to
//! address and send.

use mail_builder::MessageBuilder;

use crate::error::{Error, Result};
use crate::load::statement::Date;

/// What goes into the draft.
pub struct Draft<'a> {
    /// The subject line.
    pub subject: &'a str,
    /// The plain-text body.
    pub text: &'a str,
    /// The HTML body.
    pub html: &'a str,
    /// The attached PDF's file name and bytes.
    pub pdf: (&'a str, &'a [u8]),
    /// The statement's date, the message's date.
    pub date: Date,
}

/// Seconds from 1970-01-01 to midnight UTC of a date.
fn unix_midnight(date: Date) -> i64 {
    let (y, m, d) = (
        i64::from(date.year),
        i64::from(date.month),
        i64::from(date.day),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

/// The draft as RFC 5322 bytes (multipart/mixed: the alternatives, then the PDF).
pub fn write(draft: &Draft<'_>) -> Result<Vec<u8>> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    draft.subject.hash(&mut h);
    draft.text.hash(&mut h);
    MessageBuilder::new()
        // A stable id that names no machine.
        .message_id(format!("broadside-{:016x}@broadside.invalid", h.finish()))
        .date(unix_midnight(draft.date))
        .subject(draft.subject.to_owned())
        // Outlook opens a message with this header as a draft to send.
        .header("X-Unsent", mail_builder::headers::raw::Raw::new("1"))
        .text_body(draft.text.to_owned())
        .html_body(draft.html.to_owned())
        .attachment(
            "application/pdf",
            draft.pdf.0.to_owned(),
            draft.pdf.1.to_vec(),
        )
        .write_to_vec()
        .map_err(|e| Error::Internal(format!("cannot write the email: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midnight_of_known_days() {
        assert_eq!(
            unix_midnight(Date {
                year: 1970,
                month: 1,
                day: 1
            }),
            0
        );
        assert_eq!(
            unix_midnight(Date {
                year: 2025,
                month: 10,
                day: 30
            }),
            1_761_782_400
        );
    }
}
