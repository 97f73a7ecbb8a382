//! The confirmation emails: a worker that sends each stored sign-on's link
//! through `send`'s SMTP layer, from the database's queue, so a restart
//! sends what a stopped server had not sent yet.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use crate::collect::App;
use crate::collect::store::Stored;
use crate::send::message::{self, Mailbox, Parts};
use crate::send::smtp::{Connection, Outcome};

/// How long a confirmation link holds, by default.
pub const CONFIRM_HOURS: u32 = 72;

/// The link in a sign-on's email.
pub fn link(app: &App, signature: &Stored) -> String {
    let expires = signature.received + i64::from(app.config.confirm_hours) * 3600;
    let token = app
        .signer
        .sign("confirm", &signature.id.to_string(), expires);
    let base = app.config.public_url.as_deref().unwrap_or_default();
    format!("{base}/confirm?t={token}")
}

/// The message for one sign-on, in the language it was made in.
pub fn message(app: &App, signature: &Stored, to: &Mailbox) -> crate::error::Result<Vec<u8>> {
    let language = app.language(&signature.language);
    let title = &language.statement.title;
    let words = &language.words;
    let subject = words.fill("mail_subject", &[("title", title)]);
    let hours = language.words.number(app.config.confirm_hours as usize);
    let text = words.fill(
        "mail_text",
        &[
            (
                "contact",
                signature.contact_name.as_deref().unwrap_or_default(),
            ),
            ("name", &signature.name),
            ("title", title),
            ("link", &link(app, signature)),
            ("hours", &hours),
        ],
    );
    message::build(&Parts {
        from: &app.config.from,
        reply_to: None,
        to,
        subject: &subject,
        text: &text,
        html: None,
        pdf: None,
        language: &language.tag,
        date: signature.received,
        campaign: &format!("collect\n{title}\n{}", signature.id),
        unsubscribe: None,
    })
}

/// Sends queued confirmations until the server stops; `wake` is signalled
/// when a sign-on is stored.
pub fn run(app: Arc<App>, wake: Receiver<()>) {
    let mut connection: Option<Connection> = None;
    let mut backoff = Duration::from_secs(1);
    loop {
        let batch = match app.store.mail_queue(50) {
            Ok(batch) => batch,
            Err(e) => {
                eprintln!("collect: cannot read the mail queue: {e}");
                Vec::new()
            }
        };
        let mut blocked = false;
        for signature in &batch {
            if !send_one(&app, &mut connection, signature) {
                blocked = true;
                break;
            }
            backoff = Duration::from_secs(1);
        }
        if blocked {
            // The server is away or deferring: try again later, longer
            // each time, and keep everything queued.
            std::thread::sleep(backoff);
            backoff = (backoff * 2).min(Duration::from_secs(300));
            continue;
        }
        if batch.len() == 50 {
            continue;
        }
        if let Some(c) = connection.take() {
            c.quit();
        }
        match wake.recv_timeout(Duration::from_secs(30)) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        // Several sign-ons may have arrived at once: one pass takes them all.
        while wake.try_recv().is_ok() {}
    }
}

/// Sends one confirmation; `false` when sending should pause (the server
/// cannot be reached or asks to wait).
fn send_one(app: &App, connection: &mut Option<Connection>, signature: &Stored) -> bool {
    let record = |sent: bool, detail: &str| {
        if let Err(e) = app.store.mail_done(signature.id, sent, detail) {
            eprintln!(
                "collect: cannot record the email of sign-on {}: {e}",
                signature.id
            );
        }
    };
    let Some(to) = signature.contact_email.as_deref().and_then(Mailbox::parse) else {
        record(false, "no address");
        return true;
    };
    let bytes = match message(app, signature, &to) {
        Ok(bytes) => bytes,
        Err(e) => {
            record(false, &e.to_string());
            return true;
        }
    };
    if !connection.as_ref().is_some_and(Connection::is_usable) {
        match app.config.smtp.connect() {
            Ok(c) => *connection = Some(c),
            Err(e) => {
                eprintln!("collect: confirmation emails wait: {e}");
                return false;
            }
        }
    }
    let Some(c) = connection.as_mut() else {
        return false;
    };
    match c.send(&app.config.from.email, &to.email, &bytes, || Ok(())) {
        Ok(Outcome::Accepted(reply) | Outcome::Uncertain(reply)) => {
            record(true, &reply);
            true
        }
        Ok(Outcome::Failed(reply)) => {
            record(false, &reply);
            true
        }
        Ok(Outcome::Deferred(reply) | Outcome::Stop(reply)) => {
            eprintln!("collect: the mail server asks to wait: {reply}");
            *connection = None;
            false
        }
        Err(e) => {
            eprintln!("collect: sending a confirmation failed: {e}");
            *connection = None;
            false
        }
    }
}
