//! The SMTP side of sending, on lettre's client: connecting with TLS
//! (STARTTLS or implicit), logging in, and one transaction per message
//! whose outcome says exactly what the server has.

use std::net::{IpAddr, ToSocketAddrs};
use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};

use crate::error::{Error, Result};

/// How to reach the server.
#[derive(Clone)]
pub struct Server {
    /// Host name or address.
    pub host: String,
    /// Port.
    pub port: u16,
    /// TLS from the first byte (`smtps://`) rather than STARTTLS (`smtp://`).
    pub implicit_tls: bool,
    /// The login, if the server wants one.
    pub user: Option<String>,
    /// The password (from the environment or a prompt, never an argument).
    pub password: Option<String>,
    /// A CA certificate (PEM) to trust besides the public roots.
    pub ca_pem: Option<Vec<u8>>,
    /// How long one read or write may take.
    pub timeout: Duration,
}

impl std::fmt::Debug for Server {
    // The password is never printed, not even in a debug dump.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("implicit_tls", &self.implicit_tls)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Reads `smtp://[user@]host[:port]` (STARTTLS, 587) or
    /// `smtps://[user@]host[:port]` (TLS, 465). A password in the URL is
    /// refused: a command line is visible to every user of the machine.
    pub fn parse(url: &str) -> Result<Server> {
        let usage = |m: &str| Error::Usage(format!("--smtp `{url}`: {m}"));
        let (implicit_tls, rest) = if let Some(rest) = url.strip_prefix("smtps://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("smtp://") {
            (false, rest)
        } else {
            return Err(usage(
                "give smtp://host:587 (STARTTLS) or smtps://host:465 (TLS)",
            ));
        };
        let rest = rest.trim_end_matches('/');
        let (user, hostport) = match rest.rsplit_once('@') {
            Some((user, hostport)) => (Some(user), hostport),
            None => (None, rest),
        };
        if user.is_some_and(|u| u.contains(':')) {
            // The URL is not repeated: it holds the password.
            return Err(Error::Usage(
                "--smtp: a password does not belong on the command line (other users see it); set BROADSIDE_SMTP_PASSWORD, or type it when asked".into(),
            ));
        }
        let (host, port) = match hostport.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || hostport.starts_with('[') => (
                host,
                port.parse::<u16>()
                    .map_err(|_| usage("the port is not a number"))?,
            ),
            _ => (hostport, if implicit_tls { 465 } else { 587 }),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            return Err(usage("there is no host"));
        }
        Ok(Server {
            host: host.to_owned(),
            port,
            implicit_tls,
            user: user.map(str::to_owned),
            password: None,
            ca_pem: None,
            timeout: Duration::from_secs(60),
        })
    }

    /// Whether the server is on this machine, where plain SMTP is allowed.
    pub fn is_loopback(&self) -> bool {
        self.host.eq_ignore_ascii_case("localhost")
            || self.host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }

    fn tls(&self) -> Result<TlsParameters> {
        let mut builder = TlsParameters::builder(self.host.clone());
        if let Some(pem) = &self.ca_pem {
            let certificate = Certificate::from_pem(pem).map_err(|e| {
                Error::Usage(format!(
                    "--ca: not a PEM certificate broadside can use: {e}"
                ))
            })?;
            builder = builder.add_root_certificate(certificate);
        }
        builder
            .build_rustls()
            .map_err(|e| Error::Usage(format!("cannot set up TLS for {}: {e}", self.host)))
    }

    /// Connects, secures the connection and logs in. Refused: a certificate
    /// that is not trusted, a server that offers no TLS (unless it is on
    /// this machine), a login refused.
    pub fn connect(&self) -> Result<Connection> {
        let hello = ClientId::Domain("localhost".into());
        let address = (self.host.as_str(), self.port);
        let tls = self.tls()?;
        let reach = |e: lettre::transport::smtp::Error| {
            let hint = if e.is_tls() || e.to_string().contains("certificate") {
                " (the server's certificate is not trusted: give its CA with --ca, or check the host name)"
            } else {
                ""
            };
            Error::Usage(format!(
                "cannot reach the SMTP server {}:{}: {e}{hint}",
                self.host, self.port
            ))
        };
        let addrs: Vec<_> = address
            .to_socket_addrs()
            .map_err(|e| Error::Usage(format!("cannot find the SMTP server {}: {e}", self.host)))?
            .collect();
        let mut connection = SmtpConnection::connect(
            addrs.as_slice(),
            Some(self.timeout),
            &hello,
            self.implicit_tls.then_some(&tls),
            None,
        )
        .map_err(reach)?;
        if !self.implicit_tls {
            if connection.can_starttls() {
                connection.starttls(&tls, &hello).map_err(reach)?;
            } else if !self.is_loopback() {
                connection.abort();
                return Err(Error::Usage(format!(
                    "{}:{} offers no STARTTLS: broadside sends in clear only to a server on this machine; use smtps:// or a server with TLS",
                    self.host, self.port
                )));
            }
        }
        if let Some(user) = &self.user {
            let password = self.password.clone().unwrap_or_default();
            connection
                .auth(
                    &[Mechanism::Plain, Mechanism::Login],
                    &Credentials::new(user.clone(), password),
                )
                .map_err(|e| {
                    Error::Usage(format!(
                        "the SMTP server refused the login of `{user}` ({e}); nothing more was sent. Check the user and BROADSIDE_SMTP_PASSWORD"
                    ))
                })?;
        }
        Ok(Connection { inner: connection })
    }
}

/// What one transaction left on the server.
#[derive(Debug)]
pub enum Outcome {
    /// Accepted, with the server's reply.
    Accepted(String),
    /// Try later: a 4xx reply, or the connection lost before the content.
    Deferred(String),
    /// Refused for this recipient (5xx).
    Failed(String),
    /// Cut after the content went, before the reply.
    Uncertain(String),
    /// The server refused the sender: no message will pass.
    Stop(String),
}

/// An open, logged-in connection.
pub struct Connection {
    inner: SmtpConnection,
}

fn reply(response: &lettre::transport::smtp::response::Response) -> String {
    format!(
        "{} {}",
        response.code(),
        response.message().collect::<Vec<_>>().join(" ")
    )
}

impl Connection {
    /// Whether the connection can carry another transaction.
    pub fn is_usable(&self) -> bool {
        !self.inner.has_broken()
    }

    /// Sends one message to one recipient. `handing` is called (and must
    /// have recorded it durably) just before the content is sent: from then
    /// on, a lost reply makes the message uncertain.
    pub fn send(
        &mut self,
        from: &str,
        to: &str,
        message: &[u8],
        handing: impl FnOnce() -> Result<()>,
    ) -> Result<Outcome> {
        let (Ok(from), Ok(to)) = (from.parse(), to.parse()) else {
            return Ok(Outcome::Failed(format!("`{to}` is not an address")));
        };
        let mut options = Vec::new();
        if !message.is_ascii()
            && self
                .inner
                .server_info()
                .supports_feature(Extension::EightBitMime)
        {
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        if let Err(e) = self.inner.command(Mail::new(Some(from), options)) {
            return Ok(if e.is_permanent() {
                Outcome::Stop(format!("the server refused the sender: {e}"))
            } else {
                self.lost_or_deferred(e)
            });
        }
        if let Err(e) = self.inner.command(Rcpt::new(to, vec![])) {
            return Ok(self.refused(e));
        }
        if let Err(e) = self.inner.command(Data) {
            return Ok(self.refused(e));
        }
        handing()?;
        // lettre ends the content with CRLF . CRLF; the message's own last
        // CRLF is that first one, so the server stores the file's bytes.
        let content = message.strip_suffix(b"\r\n").unwrap_or(message);
        Ok(match self.inner.message(content) {
            Ok(response) => Outcome::Accepted(reply(&response)),
            Err(e) if e.is_permanent() => Outcome::Failed(e.to_string()),
            Err(e) if e.is_transient() => Outcome::Deferred(e.to_string()),
            Err(e) => {
                self.inner.abort();
                Outcome::Uncertain(e.to_string())
            }
        })
    }

    /// A refusal before the content: this recipient fails (5xx) or waits
    /// (4xx); the transaction is reset for the next.
    fn refused(&mut self, e: lettre::transport::smtp::Error) -> Outcome {
        if e.is_permanent() {
            let _ = self.inner.command(Rset);
            Outcome::Failed(e.to_string())
        } else {
            self.lost_or_deferred(e)
        }
    }

    fn lost_or_deferred(&mut self, e: lettre::transport::smtp::Error) -> Outcome {
        if e.is_transient() {
            let _ = self.inner.command(Rset);
        } else {
            self.inner.abort();
        }
        Outcome::Deferred(e.to_string())
    }

    /// Says goodbye.
    pub fn quit(mut self) {
        let _ = self.inner.quit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls() {
        let s = Server::parse("smtp://mail.example.org").unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.implicit_tls),
            ("mail.example.org", 587, false)
        );
        let s = Server::parse("smtps://press@mail.example.org:2465").unwrap();
        assert_eq!(
            (s.port, s.implicit_tls, s.user.as_deref()),
            (2465, true, Some("press"))
        );
        assert!(
            Server::parse("smtp://127.0.0.1:2525")
                .unwrap()
                .is_loopback()
        );
        assert!(
            !Server::parse("smtp://mail.example.org")
                .unwrap()
                .is_loopback()
        );
        let e = Server::parse("smtp://u:secret@host")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("BROADSIDE_SMTP_PASSWORD") && !e.contains("secret@"),
            "{e}"
        );
        assert!(Server::parse("http://host").is_err());
        let debug = format!(
            "{:?}",
            Server {
                password: Some("hunter2".into()),
                ..Server::parse("smtp://u@h").unwrap()
            }
        );
        assert!(!debug.contains("hunter2"), "{debug}");
    }
}
