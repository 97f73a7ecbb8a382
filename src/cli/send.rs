//! `broadside send`: the release to the press list, the letters to their
//! recipients, by email, each exactly once; without `--smtp`, a dry run
//! that writes every message to the outbox.

use std::io::IsTerminal;
use std::time::Duration;

use broadside::send::journal::{Entry, State};
use broadside::send::smtp::Server;
use broadside::send::{self, Delivery, Mailbox, Outbox, Sender, Summary};
use broadside::{Engine, EngineOptions, Error};

use super::args::{DeliveryArgs, SendCommand, SendLettersArgs, SendReleaseArgs};
use super::load;

/// The environment variable the SMTP password is read from.
const PASSWORD_VARIABLE: &str = "BROADSIDE_SMTP_PASSWORD";

/// Runs the command.
pub fn run(command: SendCommand) -> Result<(), Error> {
    match command {
        SendCommand::Release(args) => release(args),
        SendCommand::Letters(args) => letters(args),
    }
}

/// The sender and the server, checked before anything is built.
struct Checked {
    sender: Sender,
    server: Option<Server>,
    engine: Engine,
}

/// The option, or else the statement's `[send]` key, named as it was given.
fn given<'a>(
    option: Option<&'a str>,
    flag: &'static str,
    key: Option<&'a str>,
    name: &'static str,
) -> Option<(&'a str, String)> {
    match (option, key) {
        (Some(value), _) => Some((value, flag.to_owned())),
        (None, Some(value)) => Some((value, format!("`{name}` in the statement"))),
        (None, None) => None,
    }
}

/// `press`: the press list, which carries an unsubscribe address (letters
/// are not a list to leave).
fn check(
    delivery: &DeliveryArgs,
    send: &broadside::load::statement::SendSettings,
    unsubscribe: Option<&str>,
    press: bool,
) -> Result<Checked, Error> {
    let mailbox = |(text, place): (&str, String)| {
        Mailbox::parse(text).ok_or_else(|| {
            Error::Usage(format!(
                "{place}: `{text}` is not an address; give \"Name <press@example.org>\" or press@example.org"
            ))
        })
    };
    let from = given(delivery.from.as_deref(), "--from", send.from.as_deref(), "send.from")
        .ok_or_else(|| {
            Error::Usage(
                "a message needs a sender: give --from \"Name <press@example.org>\", or `from` under [send] in the statement".into(),
            )
        })
        .and_then(mailbox)?;
    let reply_to = given(
        delivery.reply_to.as_deref(),
        "--reply-to",
        send.reply_to.as_deref(),
        "send.reply_to",
    )
    .map(mailbox)
    .transpose()?;
    let unsubscribe = given(
        unsubscribe,
        "--unsubscribe",
        send.unsubscribe.as_deref().filter(|_| press),
        "send.unsubscribe",
    );
    if let Some((url, place)) = &unsubscribe
        && !url.starts_with("https://")
    {
        return Err(Error::Usage(format!(
            "{place}: one-click unsubscribe (RFC 8058) needs an https:// address, not `{url}`"
        )));
    }
    let unsubscribe = unsubscribe.map(|(url, _)| url);
    let server = match &delivery.smtp {
        Some(url) => Some(server(url, delivery)?),
        None => None,
    };
    let engine = Engine::with_options(&EngineOptions {
        templates_dir: delivery.templates.clone(),
        font_dirs: delivery.font_dirs.clone(),
        ..Default::default()
    })?;
    Ok(Checked {
        sender: Sender {
            from,
            reply_to,
            unsubscribe_url: unsubscribe.map(str::to_owned),
        },
        server,
        engine,
    })
}

/// The server from `--smtp`, with its CA and password.
fn server(url: &str, delivery: &DeliveryArgs) -> Result<Server, Error> {
    smtp_server(url, delivery.ca.as_deref(), delivery.timeout)
}

/// The server at `url`, trusting `ca` too, with its password from the
/// environment or a prompt; `collect` reaches its server the same way.
pub fn smtp_server(url: &str, ca: Option<&std::path::Path>, timeout: u64) -> Result<Server, Error> {
    let mut server = Server::parse(url)?;
    server.timeout = Duration::from_secs(timeout.max(1));
    if let Some(path) = ca {
        server.ca_pem = Some(broadside::files::read(path, 1024 * 1024, "CA certificate")?);
    }
    if let Some(user) = &server.user {
        server.password = Some(match std::env::var(PASSWORD_VARIABLE) {
            Ok(password) => password,
            Err(_) if std::io::stdin().is_terminal() => {
                rpassword::prompt_password(format!("SMTP password for {user}: "))
                    .map_err(|e| Error::Usage(format!("cannot read the password: {e}")))?
            }
            Err(_) => {
                return Err(Error::Usage(format!(
                    "--smtp names the user `{user}`: set {PASSWORD_VARIABLE} (or run on a terminal to be asked)"
                )));
            }
        });
    }
    Ok(server)
}

/// A dry run writes only the first `--limit` messages; a send writes them
/// all (the campaign is all of them) and sends `--limit`.
fn dry_limit(args: &DeliveryArgs) -> Option<usize> {
    args.limit.filter(|_| args.smtp.is_none())
}

fn delivery(args: &DeliveryArgs) -> Delivery {
    Delivery {
        limit: args.limit,
        per_minute: args.rate,
        resend_uncertain: args.resend_uncertain,
        retry_after: Duration::from_secs_f64(args.retry_after.clamp(0.0, 3600.0)),
        ..Delivery::default()
    }
}

fn release(args: SendReleaseArgs) -> Result<(), Error> {
    let loaded = load(Some(&args.statement))?;
    let checked = check(
        &args.delivery,
        &loaded.statement.send,
        args.unsubscribe.as_deref(),
        true,
    )?;
    let list = broadside::letters::recipients::read(&args.to)?;
    let (press, no_email) = send::with_email(&list)?;
    if !no_email.is_empty() {
        return Err(Error::Usage(format!(
            "{}: {} row(s) have no email ({}); a press list needs an address on every row",
            list.path.display(),
            no_email.len(),
            no_email
                .iter()
                .map(|r| list.place(r.line))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let outbox = Outbox::prepare(
        &args.delivery.out,
        "release",
        dry_limit(&args.delivery),
        |date, each| {
            send::release_messages(
                &checked.engine,
                &loaded.statement,
                &press,
                &checked.sender,
                args.greeting.as_deref(),
                date,
                each,
            )
        },
    )?;
    finish(&outbox, &checked, &args.delivery, &[])
}

fn letters(args: SendLettersArgs) -> Result<(), Error> {
    let loaded = load(Some(&args.statement))?;
    let checked = check(&args.delivery, &loaded.statement.send, None, false)?;
    let request = super::letters::request(&super::letters::LetterOptions::from(&args.inputs))?;
    let cover = broadside::letters::mailmerge::LetterTexts::read(&args.cover)?;
    let mut by_post = Vec::new();
    let outbox = Outbox::prepare(
        &args.delivery.out,
        "letters",
        dry_limit(&args.delivery),
        |date, each| {
            by_post = send::letter_messages(
                &checked.engine,
                &loaded.statement,
                &request,
                &cover,
                &checked.sender,
                date,
                each,
            )?;
            Ok(())
        },
    )?;
    let post: Vec<String> = by_post
        .iter()
        .map(|r| format!("{} ({})", r.name(), request.recipients.place(r.line)))
        .collect();
    finish(&outbox, &checked, &args.delivery, &post)
}

/// Sends (or, in a dry run, lists) and reports.
fn finish(
    outbox: &Outbox,
    checked: &Checked,
    args: &DeliveryArgs,
    by_post: &[String],
) -> Result<(), Error> {
    let Some(server) = &checked.server else {
        let entries = outbox.journal.entries()?;
        println!(
            "{:<36} {:<8} {:<36} recipient",
            "message", "language", "attachment"
        );
        for entry in &entries {
            println!(
                "{:<36} {:<8} {:<36} {} <{}>",
                entry.file, entry.language, entry.attachment, entry.name, entry.email
            );
        }
        for post in by_post {
            println!("{:<36} {:<8} {:<36} {post}", "-", "-", "by post");
        }
        println!(
            "dry run: {} messages written to {} (nothing sent; add --smtp to send)",
            entries.len(),
            outbox.dir.display()
        );
        return Ok(());
    };
    let bar = super::progress_bar(outbox.journal.entries().map_or(0, |e| e.len()), "messages");
    let report = |entry: &Entry| match &bar {
        Some(bar) => bar.inc(1),
        None => println!(
            "{:<9} {} <{}>: {}",
            entry.state.name(),
            entry.name,
            entry.email,
            entry.detail
        ),
    };
    let summary = send::deliver(
        outbox,
        &checked.sender.from.email,
        server,
        &delivery(args),
        &report,
    )?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    summarise(outbox, &summary, by_post)
}

fn summarise(outbox: &Outbox, summary: &Summary, by_post: &[String]) -> Result<(), Error> {
    for post in by_post {
        println!("by post   {post}");
    }
    let retry: Vec<&Entry> = summary
        .entries
        .iter()
        .filter(|e| matches!(e.state, State::Failed | State::Deferred | State::Uncertain))
        .collect();
    let failed_csv = outbox.dir.join("failed.csv");
    if retry.is_empty() {
        let _ = std::fs::remove_file(&failed_csv);
    } else {
        let mut csv = String::from("name,email,state,reason\n");
        for e in &retry {
            let field = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            csv.push_str(&format!(
                "{},{},{},{}\n",
                field(&e.name),
                field(&e.email),
                e.state.name(),
                field(&e.detail)
            ));
        }
        broadside::write::output::write_atomic(&failed_csv, csv.as_bytes())?;
    }
    println!(
        "{} accepted, {} deferred, {} failed, {} uncertain, {} still queued, {} by post{}",
        summary.count(State::Accepted),
        summary.count(State::Deferred),
        summary.count(State::Failed),
        summary.count(State::Uncertain),
        summary.count(State::Queued),
        by_post.len(),
        if retry.is_empty() {
            String::new()
        } else {
            format!("; see {}", failed_csv.display())
        }
    );
    if summary.count(State::Uncertain) > 0 {
        println!(
            "uncertain: the run was cut between handing a message over and the server's reply; the server may have it. They are held: check with the recipients, or send them again with --resend-uncertain"
        );
    }
    match &summary.stopped {
        Some(reason) => Err(Error::Usage(reason.clone())),
        None => Ok(()),
    }
}
