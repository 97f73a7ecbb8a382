//! `broadside collect`: a sign-on server for one statement.
//!
//! The public page shows the statement in each of its languages and a
//! form; a sign-on is stored (SQLite, on disk before the reply), its
//! contact confirms it through an emailed link (double opt-in), staff
//! approve, reject, correct or merge it, and the approved list is written
//! into the statement's signatory file, where `build`, `letters` and a
//! running `watch` read it. Before the statement's publication the page
//! shows the count only.
//!
//! The HTTP stack is axum on hyper and tokio; the store, the signer and
//! the sign-in checks sit behind small types of their own ([`store`],
//! [`token`], [`staff`]).

mod limit;
mod list;
mod mail;
mod moderate;
mod pages;
mod public;
pub mod staff;
pub mod store;
pub mod token;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};

use crate::error::{Error, Result};
use crate::load::sheet::SignatoryFile;
use crate::load::statement::Statement;
use crate::send::message::Mailbox;
use crate::send::smtp::Server;
use store::{SqliteStore, Store};

pub use mail::CONFIRM_HOURS;

/// The largest request the server reads: a form with a logo.
pub const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;
/// The largest logo accepted with a sign-on.
pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;

/// How a sign-on server runs, checked once from the command line.
#[derive(Debug, Clone)]
pub struct Config {
    /// The statement file.
    pub statement: PathBuf,
    /// Where to listen (127.0.0.1 unless told otherwise).
    pub listen: SocketAddr,
    /// The address readers reach the server at, for the emailed links
    /// (`https://sign.example.org` behind a proxy); the address listened
    /// on when `None`.
    pub public_url: Option<String>,
    /// The SMTP server for confirmation emails.
    pub smtp: Server,
    /// Their sender.
    pub from: Mailbox,
    /// Sign-ons one address may send per hour (0: no limit).
    pub per_hour: usize,
    /// How long a confirmation link holds.
    pub confirm_hours: u32,
    /// Take the client's address from the last `X-Forwarded-For` entry
    /// (only behind a reverse proxy that sets it).
    pub behind_proxy: bool,
}

/// What every request handler shares.
pub struct App {
    config: Config,
    store: Arc<dyn Store>,
    signer: token::Signer,
    env: minijinja::Environment<'static>,
    languages: Vec<pages::Language>,
    /// The statement's signatory file.
    list: SignatoryFile,
    /// Unix seconds from which the approved list is shown.
    publish_at: i64,
    limit: limit::RateLimit<IpAddr>,
    failures: staff::Failures,
    wake_mail: Mutex<std::sync::mpsc::Sender<()>>,
    /// One decision (and rewrite of the list) at a time.
    deciding: tokio::sync::Mutex<()>,
    secure_cookies: bool,
}

impl App {
    /// The page's language closest to `tag` (the statement's own when none is).
    fn language(&self, tag: &str) -> &pages::Language {
        crate::load::language::closest(tag, self.languages.iter().map(|l| l.tag.as_str()))
            .and_then(|found| self.languages.iter().find(|l| l.tag == found))
            .unwrap_or(&self.languages[0])
    }

    /// The client's address: the connection's, or the proxy's report of it.
    fn client(&self, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
        if self.config.behind_proxy
            && let Some(ip) = headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse().ok())
        {
            return ip;
        }
        peer.ip()
    }

    /// Writes the approved list into the statement's signatory file.
    fn write_list(&self, signatories: &[crate::load::statement::Signatory]) -> Result<()> {
        list::put_in_place(&self.config.statement, &self.list, signatories)
    }
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The signatory file a collecting statement must name, checked: a CSV
/// that exists (with at least the conveners).
pub fn signatory_file(statement: &Statement) -> Result<SignatoryFile> {
    let spec = statement.signatories_file.clone().ok_or_else(|| {
        Error::Usage(format!(
            "{}: collect writes approved sign-ons into the statement's signatory file; replace the inline list with signatories = {{ file = \"signatories.csv\" }} and move the names there (see docs/collect.md)",
            statement.source.display()
        ))
    })?;
    let ext = spec
        .file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext != "csv" {
        return Err(Error::Usage(format!(
            "{}: collect writes the signatory file as CSV, and `{}` is not one; save the list as CSV and name that file",
            statement.source.display(),
            spec.file.display()
        )));
    }
    Ok(spec)
}

/// When the list may be shown: the embargo's end, or the publication
/// day's start (UTC).
pub fn publication(statement: &Statement) -> i64 {
    let (date, hour, minute, offset) = match statement.release.embargo {
        Some(t) => (t.date, t.hour, t.minute, t.offset_minutes),
        None => (statement.date, 0, 0, 0),
    };
    let days = crate::load::import::civil_days(date.year, date.month, date.day);
    days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 - i64::from(offset) * 60
}

/// Opens the statement's database, taking the list already in its
/// signatory file as approved the first time (and keeping a copy of that
/// file beside it, as it was).
pub fn open_store(statement: &Statement) -> Result<SqliteStore> {
    let spec = signatory_file(statement)?;
    let store = SqliteStore::open(&SqliteStore::path_for(&statement.source))?;
    let seeded = store.seed(&statement.signatories, now())?;
    if seeded {
        let file = statement.base_dir.join(&spec.file);
        let copy = file.with_extension("csv.before-collect");
        if !copy.exists() {
            std::fs::copy(&file, &copy).map_err(|e| Error::io("cannot copy", &file, e))?;
        }
    }
    Ok(store)
}

/// Writes the approved list to `out` (CSV, with consent records), or
/// into the statement's own signatory file when `out` is `None`. Returns
/// how many were written.
pub fn export(statement: &Statement, out: Option<&Path>) -> Result<usize> {
    let spec = signatory_file(statement)?;
    let store = open_store(statement)?;
    let listed: Vec<_> = store
        .listed()?
        .iter()
        .map(store::Stored::signatory)
        .collect();
    match out {
        Some(path) => {
            crate::write::output::write_atomic(path, &list::csv_bytes(&spec, &listed)?)?;
        }
        None => list::put_in_place(&statement.source, &spec, &listed)?,
    }
    Ok(listed.len())
}

/// Sets (or changes) a staff member's password.
pub fn add_staff(statement: &Statement, name: &str, password: &str) -> Result<()> {
    if name.is_empty()
        || name.len() > 64
        || name.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(Error::Usage(
            "a staff name is one word of at most 64 characters".into(),
        ));
    }
    let store = open_store(statement)?;
    store.set_staff(name, &staff::hash_password(password)?)
}

/// Runs the server until it is stopped (Ctrl-C or SIGTERM). `ready` is
/// called with the address once it listens.
pub fn serve(
    mut config: Config,
    statement: &Statement,
    ready: impl FnOnce(SocketAddr),
) -> Result<()> {
    let list = signatory_file(statement)?;
    // Bound first, so the links name the port really listened on (port 0
    // picks a free one).
    let listener = std::net::TcpListener::bind(config.listen)
        .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", config.listen)))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::Internal(format!("cannot listen: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Internal(format!("no address: {e}")))?;
    let public_url = config
        .public_url
        .take()
        .unwrap_or_else(|| format!("http://{addr}"));
    config.public_url = Some(public_url.trim_end_matches('/').to_owned());
    let store: Arc<dyn Store> = Arc::new(open_store(statement)?);
    let signer = token::Signer::new(store.secret()?);
    let (wake, woken) = std::sync::mpsc::channel();
    let secure_cookies = config
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"));
    let app = Arc::new(App {
        limit: limit::RateLimit::new(config.per_hour, Duration::from_secs(3600)),
        config,
        store,
        signer,
        env: pages::environment()?,
        languages: pages::languages(statement)?,
        list,
        publish_at: publication(statement),
        failures: staff::Failures::default(),
        wake_mail: Mutex::new(wake),
        deciding: tokio::sync::Mutex::new(()),
        secure_cookies,
    });
    // The list on disk is the database's from the start.
    let listed: Vec<_> = app
        .store
        .listed()?
        .iter()
        .map(store::Stored::signatory)
        .collect();
    app.write_list(&listed)?;

    let mailer = Arc::clone(&app);
    std::thread::Builder::new()
        .name("collect-mail".into())
        .spawn(move || mail::run(mailer, woken))
        .map_err(|e| Error::Internal(format!("cannot start the mail worker: {e}")))?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| Error::Internal(format!("cannot listen: {e}")))?;
        ready(addr);
        let router = routes(app);
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stopped())
        .await
        .map_err(|e| Error::Internal(format!("the server stopped: {e}")))
    })
}

async fn stopped() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

fn routes(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(public::page))
        .route("/in/{lang}", get(public::page_in))
        .route("/sign", post(public::sign))
        .route("/confirm", get(public::confirm_page).post(public::confirm))
        .route("/style.css", get(public::style))
        // Browsers ask for it on every page; there is none.
        .route(
            "/favicon.ico",
            get(|| async { axum::http::StatusCode::NO_CONTENT }),
        )
        .route("/staff", get(moderate::queue))
        .route(
            "/staff/login",
            get(moderate::login_page).post(moderate::login),
        )
        .route("/staff/logout", post(moderate::logout))
        .route("/staff/decide", post(moderate::decide))
        .fallback(public::not_found)
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .layer(axum::middleware::map_response(headers))
        .with_state(app)
}

/// The headers every reply carries: nothing but this server's own style
/// sheet and forms may act on a page, no page may be framed, and no type
/// is guessed.
async fn headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
