//! `broadside collect`: the sign-on server, and its two chores (adding a
//! staff account, exporting the approved list).

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;

use broadside::Error;
use broadside::collect::{self, Config};
use broadside::send::message::Mailbox;

use crate::cli::args::CollectArgs;

/// The environment variable a new staff password is read from.
const STAFF_PASSWORD_VARIABLE: &str = "BROADSIDE_STAFF_PASSWORD";

/// Runs `broadside collect`.
pub fn run(args: CollectArgs) -> Result<(), Error> {
    let loaded = crate::cli::load(Some(&args.statement))?;
    let statement = loaded.statement;
    if let Some(name) = &args.add_staff {
        let password = staff_password(name)?;
        collect::add_staff(&statement, name, &password)?;
        eprintln!("collect: {name} can now sign in at /staff");
        return Ok(());
    }
    if let Some(out) = &args.export {
        let n = collect::export(&statement, Some(out))?;
        eprintln!(
            "collect: wrote {n} approved signatories to {}",
            out.display()
        );
        return Ok(());
    }
    let config = config(&args, &statement)?;
    let listen = config.listen;
    collect::serve(config, &statement, |addr: SocketAddr| {
        if !addr.ip().is_loopback() {
            eprintln!(
                "collect: listening on {addr}, reachable from the network: serve it through a TLS reverse proxy (docs/collect.md)"
            );
        }
        eprintln!("collect: the sign-on page is at http://{addr}/ and the staff's at http://{addr}/staff");
        let _ = std::io::stderr().flush();
    })
    .map_err(|e| match e {
        Error::Usage(m) if m.contains("cannot listen") => {
            Error::Usage(format!("{m}; is another server on port {}? Choose one with --port", listen.port()))
        }
        e => e,
    })
}

/// The command line checked once into the server's settings.
fn config(args: &CollectArgs, statement: &broadside::Statement) -> Result<Config, Error> {
    let smtp = args.smtp.as_deref().ok_or_else(|| {
        Error::Usage(
            "collect emails every signer a confirmation link: give the mail server with --smtp smtp://host:587".into(),
        )
    })?;
    let from_text = args
        .from
        .clone()
        .or_else(|| statement.send.from.clone())
        .ok_or_else(|| {
            Error::Usage(
                "who sends the confirmation emails? Give --from \"Coalition <sign@example.org>\", or `[send] from` in the statement".into(),
            )
        })?;
    let from = Mailbox::parse(&from_text).ok_or_else(|| {
        Error::Usage(format!(
            "--from `{from_text}` is not an address such as \"Coalition <sign@example.org>\""
        ))
    })?;
    let listen = SocketAddr::new(args.address, args.port);
    if let Some(url) = &args.public_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(Error::Usage(format!(
            "--public-url `{url}` must start with https:// (or http:// on this machine)"
        )));
    }
    Ok(Config {
        statement: statement.source.clone(),
        listen,
        public_url: args.public_url.clone(),
        smtp: crate::cli::send::smtp_server(smtp, args.ca.as_deref(), 60)?,
        from,
        per_hour: args.per_hour,
        confirm_hours: args.confirm_hours.max(1),
        behind_proxy: args.behind_proxy,
    })
}

/// The new password: from the environment, or typed twice on a terminal.
fn staff_password(name: &str) -> Result<String, Error> {
    if let Ok(password) = std::env::var(STAFF_PASSWORD_VARIABLE) {
        return Ok(password);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::Usage(format!(
            "set {STAFF_PASSWORD_VARIABLE} (or run on a terminal to be asked)"
        )));
    }
    let read = |prompt: String| {
        rpassword::prompt_password(prompt)
            .map_err(|e| Error::Usage(format!("cannot read the password: {e}")))
    };
    let first = read(format!("New password for {name}: "))?;
    let second = read("The same again: ".into())?;
    if first != second {
        return Err(Error::Usage(
            "the two passwords differ; nothing was changed".into(),
        ));
    }
    Ok(first)
}
