//! The public side: the statement and its form, the sign-on, and the
//! confirmation link.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Form;
use axum::extract::{ConnectInfo, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};

use crate::collect::store::{Added, NewSignature};
use crate::collect::{App, MAX_LOGO_BYTES, now, pages};

/// How long a form stays valid once the page is loaded.
const FORM_HOURS: i64 = 24;
/// The longest text field read from the form, in bytes.
const MAX_FIELD_BYTES: usize = 4096;

/// The page in the statement's own language.
pub async fn page(State(app): State<Arc<App>>) -> Response {
    let tag = app.languages[0].tag.clone();
    sign_page(&app, &tag, &Filled::default(), &[], StatusCode::OK)
}

/// The page in one of the statement's languages (`/in/fa`).
pub async fn page_in(State(app): State<Arc<App>>, Path(lang): Path<String>) -> Response {
    if !app
        .languages
        .iter()
        .any(|l| l.tag.eq_ignore_ascii_case(&lang))
    {
        return not_found().await;
    }
    sign_page(&app, &lang, &Filled::default(), &[], StatusCode::OK)
}

/// The style sheet.
pub async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        pages::STYLE,
    )
        .into_response()
}

/// Anything else.
pub async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "not found",
    )
        .into_response()
}

/// What a signer typed, kept to fill the form again after a mistake.
#[derive(Debug, Default, serde::Serialize)]
pub struct Filled {
    lang: String,
    kind: String,
    name: String,
    country: String,
    url: String,
    contact_name: String,
    contact_role: String,
    contact_email: String,
    consent: bool,
    #[serde(skip)]
    honeypot: String,
    #[serde(skip)]
    token: String,
    #[serde(skip)]
    logo: Option<Vec<u8>>,
}

/// A short page with one message, in `tag`'s words.
pub fn message(app: &App, tag: &str, status: StatusCode, key: &str) -> Response {
    let language = app.language(tag);
    let words = pages::words(language);
    let text = words.get(key).cloned().unwrap_or_default();
    pages::respond(
        &app.env,
        "message.html",
        status,
        context! {
            message => text,
            home => home(app, &language.tag),
            ..pages::common(language, &words)
        },
    )
}

fn home(app: &App, tag: &str) -> String {
    if tag.eq_ignore_ascii_case(&app.languages[0].tag) {
        "/".into()
    } else {
        format!("/in/{tag}")
    }
}

fn sign_page(
    app: &App,
    tag: &str,
    filled: &Filled,
    errors: &[&str],
    status: StatusCode,
) -> Response {
    let language = app.language(tag);
    let words = pages::words(language);
    let published = now() >= app.publish_at;
    // Before publication only the count leaves the database.
    let read: crate::error::Result<(usize, Vec<_>)> = tokio::task::block_in_place(|| {
        let count = app.store.count_listed()?;
        let listed = if published {
            app.store.listed()?
        } else {
            Vec::new()
        };
        Ok((count, listed))
    });
    let (count, listed) = match read {
        Ok(read) => read,
        Err(e) => {
            eprintln!("collect: {e}");
            return message(app, tag, StatusCode::SERVICE_UNAVAILABLE, "error_server");
        }
    };
    // Group headings in the page's language, as the documents print them.
    let groups = app.languages[0]
        .statement
        .translations
        .get(&language.tag)
        .map(|t| &t.groups);
    let list: Vec<Value> = listed
        .iter()
        .map(|s| {
            let group = s.group.as_ref().map(|g| {
                groups
                    .and_then(|m| m.get(g))
                    .cloned()
                    .unwrap_or_else(|| g.clone())
            });
            context! { name => &s.name, country => &s.country, group => group }
        })
        .collect();
    let others: Vec<Value> = app
        .languages
        .iter()
        .map(|l| {
            context! {
                tag => &l.tag,
                name => pages::language_name(&l.tag),
                href => home(app, &l.tag),
                current => l.tag == language.tag,
            }
        })
        .collect();
    let token = app.signer.sign("form", "sign", now() + FORM_HOURS * 3600);
    let errors: Vec<String> = errors
        .iter()
        .map(|k| words.get(*k).cloned().unwrap_or_else(|| (*k).to_owned()))
        .collect();
    pages::respond(
        &app.env,
        "sign.html",
        status,
        context! {
                subtitle => &language.statement.subtitle,
                body => Value::from_safe_string(language.body_html.clone()),
                count_text => language.words.plural("count", count, &[]),
                published => published,
                list => list,
                languages => others,
                consent => &language.consent,
                individuals => app.languages[0].statement.collect.individuals,
                token => token,
                filled => Value::from(minijinja::value::Serde(filled)),
                errors => errors,
                ..pages::common(language, &words)
        },
    )
}

/// Reads the form's fields, each bounded; a field over its bound is an
/// error, not a truncation.
async fn read_form(mut multipart: Multipart) -> Result<Filled, &'static str> {
    let mut filled = Filled::default();
    while let Some(field) = multipart.next_field().await.map_err(|_| "error_request")? {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(|_| "error_too_large")?;
        if name == "logo" {
            if bytes.is_empty() {
                continue;
            }
            if bytes.len() > MAX_LOGO_BYTES {
                return Err("error_logo_size");
            }
            filled.logo = Some(bytes.to_vec());
            continue;
        }
        if bytes.len() > MAX_FIELD_BYTES {
            return Err("error_too_long");
        }
        let text = String::from_utf8(bytes.to_vec()).map_err(|_| "error_request")?;
        let text = text.trim().to_owned();
        match name.as_str() {
            "lang" => filled.lang = text,
            "kind" => filled.kind = text,
            "name" => filled.name = text,
            "country" => filled.country = text,
            "url" => filled.url = text,
            "contact_name" => filled.contact_name = text,
            "contact_role" => filled.contact_role = text,
            "contact_email" => filled.contact_email = text,
            "consent" => filled.consent = !text.is_empty(),
            "homepage" => filled.honeypot = text,
            "token" => filled.token = text,
            _ => {}
        }
    }
    Ok(filled)
}

/// A text a spreadsheet would run as a formula (`=`, `+`, `@`, `-` first)
/// or that holds control characters is refused: the list is opened in
/// office suites, and printed.
fn unsafe_text(text: &str) -> bool {
    text.starts_with(['=', '+', '@', '-'])
        || text.chars().any(|c| {
            c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
}

fn check(filled: &Filled) -> Vec<&'static str> {
    let mut errors = Vec::new();
    if filled.name.is_empty() {
        errors.push("error_name");
    }
    if filled.name.chars().count() > 300 || filled.country.chars().count() > 100 {
        errors.push("error_too_long");
    }
    if [
        &filled.name,
        &filled.country,
        &filled.url,
        &filled.contact_name,
        &filled.contact_role,
    ]
    .iter()
    .any(|t| unsafe_text(t))
    {
        errors.push("error_characters");
    }
    let web = ["https://", "http://"];
    if !filled.url.is_empty() && !web.iter().any(|p| filled.url.starts_with(p)) {
        errors.push("error_url");
    }
    if filled.contact_name.is_empty() {
        errors.push("error_contact");
    }
    if !crate::send::message::is_address(&filled.contact_email) {
        errors.push("error_email");
    }
    if !filled.consent {
        errors.push("error_consent");
    }
    errors
}

/// Checks a logo as the documents' logos are checked (measured before it
/// is decoded, so a bomb is refused) and stores the clean image under a
/// name of the server's choosing; returns its path relative to the
/// statement.
fn store_logo(app: &App, bytes: Vec<u8>) -> Result<String, &'static str> {
    let asset = crate::resolve::assets::image_from_bytes(bytes, false, "the logo", "logo", "logo")
        .map_err(|_| "error_logo")?;
    let ext = if asset.virtual_path.ends_with(".jpg") {
        "jpg"
    } else {
        "png"
    };
    let name = format!(
        "signon-{}.{ext}",
        crate::collect::token::random_hex().map_err(|_| "error_server")?
    );
    let folder = app.config.statement.with_file_name("collected-logos");
    std::fs::create_dir_all(&folder).map_err(|_| "error_server")?;
    crate::write::output::write_atomic(&folder.join(&name), asset.data.as_slice())
        .map_err(|_| "error_server")?;
    Ok(format!("collected-logos/{name}"))
}

/// A sign-on sent from the form.
pub async fn sign(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let lang_default = app.languages[0].tag.clone();
    let filled = match read_form(multipart).await {
        Ok(filled) => filled,
        Err(key) => {
            let status = if key == "error_request" {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::PAYLOAD_TOO_LARGE
            };
            return sign_page(&app, &lang_default, &Filled::default(), &[key], status);
        }
    };
    let tag = app.language(&filled.lang).tag.clone();
    // A field people never see, filled: a bot. It is told what a person
    // is told, and nothing is stored.
    if !filled.honeypot.is_empty() {
        return message(&app, &tag, StatusCode::OK, "thanks");
    }
    if !app.limit.take(app.client(peer, &headers)) {
        return message(&app, &tag, StatusCode::TOO_MANY_REQUESTS, "error_rate");
    }
    if app.signer.check("form", &filled.token, now()).as_deref() != Some("sign") {
        return sign_page(
            &app,
            &tag,
            &filled,
            &["error_expired"],
            StatusCode::BAD_REQUEST,
        );
    }
    let errors = check(&filled);
    if !errors.is_empty() {
        return sign_page(
            &app,
            &tag,
            &filled,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let logo = match filled
        .logo
        .clone()
        .map(|bytes| store_logo(&app, bytes))
        .transpose()
    {
        Ok(logo) => logo,
        Err(key) => {
            return sign_page(
                &app,
                &tag,
                &filled,
                &[key],
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let optional = |t: &str| (!t.is_empty()).then(|| t.to_owned());
    let signature = NewSignature {
        name: filled.name.clone(),
        country: optional(&filled.country),
        url: optional(&filled.url),
        logo: logo.clone(),
        language: tag.clone(),
        contact_name: filled.contact_name.clone(),
        contact_role: optional(&filled.contact_role),
        contact_email: filled.contact_email.clone(),
        wording: app.language(&tag).consent.clone(),
        received: now(),
    };
    let store = app.store.clone();
    let added = tokio::task::spawn_blocking(move || store.add(&signature)).await;
    match added {
        Ok(Ok(Added::New(_))) => {
            if let Ok(wake) = app.wake_mail.lock() {
                let _ = wake.send(());
            }
            message(&app, &tag, StatusCode::OK, "thanks")
        }
        Ok(Ok(Added::Again(_))) => {
            if let Some(logo) = logo {
                let _ = std::fs::remove_file(app.config.statement.with_file_name(logo));
            }
            message(&app, &tag, StatusCode::OK, "thanks_again")
        }
        Ok(Err(e)) => {
            eprintln!("collect: a sign-on was not stored: {e}");
            message(&app, &tag, StatusCode::SERVICE_UNAVAILABLE, "error_server")
        }
        Err(e) => {
            eprintln!("collect: a sign-on was not stored: {e}");
            message(&app, &tag, StatusCode::SERVICE_UNAVAILABLE, "error_server")
        }
    }
}

/// `?t=` of a confirmation link.
#[derive(serde::Deserialize)]
pub struct Link {
    t: Option<String>,
}

fn linked(app: &App, token: Option<&str>) -> Option<(i64, String)> {
    let id: i64 = app.signer.check("confirm", token?, now())?.parse().ok()?;
    let language = app.store.get(id).ok()??.language;
    Some((id, language))
}

/// The page a confirmation link opens: one button, so a mail scanner
/// that fetches links confirms nothing.
pub async fn confirm_page(State(app): State<Arc<App>>, Query(link): Query<Link>) -> Response {
    let Some((_, tag)) = linked(&app, link.t.as_deref()) else {
        let own = app.languages[0].tag.clone();
        return message(&app, &own, StatusCode::BAD_REQUEST, "error_link");
    };
    let language = app.language(&tag);
    let words = pages::words(language);
    pages::respond(
        &app.env,
        "confirm.html",
        StatusCode::OK,
        context! { token => link.t, ..pages::common(language, &words) },
    )
}

/// The button of a confirmation page.
pub async fn confirm(State(app): State<Arc<App>>, Form(link): Form<Link>) -> Response {
    let Some((id, tag)) = linked(&app, link.t.as_deref()) else {
        let own = app.languages[0].tag.clone();
        return message(&app, &own, StatusCode::BAD_REQUEST, "error_link");
    };
    let store = app.store.clone();
    let at = iso_time(now());
    let done = tokio::task::spawn_blocking(move || {
        store.confirm(
            id,
            &at,
            "web form, confirmed by a link sent to the contact's email",
        )
    })
    .await;
    match done {
        Ok(Ok(true)) => message(&app, &tag, StatusCode::OK, "confirmed"),
        Ok(Ok(false)) => message(&app, &tag, StatusCode::BAD_REQUEST, "error_link"),
        _ => message(&app, &tag, StatusCode::SERVICE_UNAVAILABLE, "error_server"),
    }
}

/// Unix seconds as an RFC 3339 UTC time.
pub fn iso_time(secs: i64) -> String {
    let (y, m, d) = crate::load::import::civil_date(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}
