//! The staff side: signing in, the queue of confirmed sign-ons, and the
//! decisions on them. Every page needs a session (an HttpOnly, SameSite
//! cookie whose hash is stored), and every form a CSRF token bound to it.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};

use crate::collect::store::{Decision, Session, Stored};
use crate::collect::token::{hashed, random_hex, same};
use crate::collect::{App, now, pages, staff};

const SESSION_COOKIE: &str = "broadside_session";
const LOGIN_COOKIE: &str = "broadside_login";
/// How long a staff session lasts.
const SESSION_HOURS: i64 = 8;

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn set_cookie(app: &App, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if app.secure_cookies { "; Secure" } else { "" };
    let text = format!(
        "{name}={value}; Path=/staff; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn to(location: &'static str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

fn refused(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

fn session(app: &App, headers: &HeaderMap) -> Option<(String, Session)> {
    let key = hashed(&cookie(headers, SESSION_COOKIE)?);
    let session = tokio::task::block_in_place(|| app.store.session(&key, now())).ok()??;
    Some((key, session))
}

/// The staff pages' language (the statement's own), and its words.
fn staff_language(app: &App) -> (&pages::Language, std::collections::BTreeMap<String, String>) {
    let language = &app.languages[0];
    (language, pages::words(language))
}

fn login_form(app: &App, status: StatusCode, error: Option<&str>) -> Response {
    let Ok(pre) = random_hex() else {
        return refused(StatusCode::INTERNAL_SERVER_ERROR, "no random numbers");
    };
    let csrf = app.signer.sign("login", &pre, now() + 3600);
    let (language, words) = staff_language(app);
    let mut response = pages::respond(
        &app.env,
        "login.html",
        status,
        context! { csrf => csrf, error => error, ..pages::common(language, &words) },
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(app, LOGIN_COOKIE, &pre, 3600),
    );
    response
}

/// The sign-in page.
pub async fn login_page(State(app): State<Arc<App>>) -> Response {
    login_form(&app, StatusCode::OK, None)
}

/// The sign-in form's fields.
#[derive(serde::Deserialize)]
pub struct Login {
    #[serde(default)]
    user: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// A sign-in: the form's token must be the one given with this browser's
/// cookie; after [`staff::MAX_FAILURES`] wrong passwords the account and
/// the address wait [`staff::WINDOW`].
pub async fn login(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<Login>,
) -> Response {
    let from = app.client(peer, &headers);
    let pre = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    let bound = app.signer.check("login", &form.csrf, now());
    if pre.is_empty() || !bound.is_some_and(|b| same(&b, &pre)) {
        return refused(
            StatusCode::FORBIDDEN,
            "this form has expired or did not come from this server: load the sign-in page again",
        );
    }
    if !app.failures.allowed(&form.user, from) {
        return login_form(&app, StatusCode::TOO_MANY_REQUESTS, Some("staff_locked"));
    }
    let store = app.store.clone();
    let (user, password) = (form.user.clone(), form.password);
    let good = tokio::task::spawn_blocking(move || {
        store
            .staff_hash(&user)
            .ok()
            .flatten()
            .is_some_and(|hash| staff::verify(&password, &hash))
    })
    .await
    .unwrap_or(false);
    if !good {
        app.failures.failed(&form.user, from);
        return login_form(&app, StatusCode::UNAUTHORIZED, Some("staff_wrong"));
    }
    let (Ok(key), Ok(csrf)) = (random_hex(), random_hex()) else {
        return refused(StatusCode::INTERNAL_SERVER_ERROR, "no random numbers");
    };
    let session = Session {
        staff: form.user,
        csrf,
    };
    let expires = now() + SESSION_HOURS * 3600;
    if let Err(e) = app.store.open_session(&hashed(&key), &session, expires) {
        eprintln!("collect: {e}");
        return refused(
            StatusCode::SERVICE_UNAVAILABLE,
            "the session could not be stored",
        );
    }
    let mut response = to("/staff");
    let h = response.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(&app, SESSION_COOKIE, &key, SESSION_HOURS * 3600),
    );
    h.append(header::SET_COOKIE, set_cookie(&app, LOGIN_COOKIE, "", 0));
    response
}

/// A form of a signed-in page: its CSRF token.
#[derive(serde::Deserialize)]
pub struct Plain {
    #[serde(default)]
    csrf: String,
}

/// Signing out.
pub async fn logout(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(form): Form<Plain>,
) -> Response {
    let Some((key, session)) = session(&app, &headers) else {
        return to("/staff/login");
    };
    if !same(&form.csrf, &session.csrf) {
        return refused(
            StatusCode::FORBIDDEN,
            "the form's token is missing or wrong",
        );
    }
    let _ = app.store.close_session(&key);
    let mut response = to("/staff/login");
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(&app, SESSION_COOKIE, "", 0));
    response
}

/// The queue: every confirmed sign-on waiting, each with the entries
/// that may be the same signatory (the check's matcher), the groups to
/// choose from, and the count listed.
pub async fn queue(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let Some((_, session)) = session(&app, &headers) else {
        return to("/staff/login");
    };
    queue_page(&app, &session, StatusCode::OK, None)
}

fn queue_page(app: &App, session: &Session, status: StatusCode, error: Option<String>) -> Response {
    let read = tokio::task::block_in_place(|| {
        Ok::<_, crate::error::Error>((app.store.queue()?, app.store.listed()?))
    });
    let (waiting, listed) = match read {
        Ok(read) => read,
        Err(e) => {
            eprintln!("collect: {e}");
            return refused(
                StatusCode::SERVICE_UNAVAILABLE,
                "the database cannot be read",
            );
        }
    };
    let key = |s: &Stored| crate::load::duplicates::key(&s.name);
    let entries: Vec<Value> = waiting
        .iter()
        .map(|s| {
            let k = key(s);
            let similar: Vec<Value> = listed
                .iter()
                .chain(waiting.iter())
                .filter(|o| o.id != s.id && !k.is_empty() && key(o) == k)
                .map(|o| context! { id => o.id, name => &o.name, country => &o.country, listed => o.state == crate::collect::store::State::Approved })
                .collect();
            context! { s => Value::from(minijinja::value::Serde(s)), similar => similar }
        })
        .collect();
    let mut groups: Vec<String> = Vec::new();
    let default_group = app.languages[0].statement.collect.group.clone();
    for g in listed
        .iter()
        .filter_map(|s| s.group.clone())
        .chain(default_group.clone())
    {
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    let (language, words) = staff_language(app);
    pages::respond(
        &app.env,
        "queue.html",
        status,
        context! {
            staff => &session.staff,
            csrf => &session.csrf,
            entries => entries,
            groups => groups,
            default_group => default_group,
            listed => listed.len(),
            error => error,
            ..pages::common(language, &words)
        },
    )
}

/// A decision's form.
#[derive(serde::Deserialize)]
pub struct Decide {
    #[serde(default)]
    csrf: String,
    id: i64,
    action: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    into: Option<i64>,
}

/// Approves, rejects or merges one sign-on. An approval rewrites the
/// signatory file; a list the statement would refuse is not written, the
/// approval is undone and the loader's reason is shown.
pub async fn decide(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(form): Form<Decide>,
) -> Response {
    let Some((_, session)) = session(&app, &headers) else {
        return refused(StatusCode::FORBIDDEN, "sign in first");
    };
    if !same(&form.csrf, &session.csrf) {
        return refused(
            StatusCode::FORBIDDEN,
            "the form's token is missing or wrong",
        );
    }
    let optional = |t: &str| {
        let t = t.trim();
        (!t.is_empty()).then(|| t.to_owned())
    };
    let decision = match form.action.as_str() {
        "approve" => {
            let name = form.name.trim().to_owned();
            if name.is_empty() || name.chars().count() > 300 || name.chars().any(char::is_control) {
                return queue_page(
                    &app,
                    &session,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some("the name is empty, too long or holds control characters".into()),
                );
            }
            Decision::Approve {
                name,
                group: optional(&form.group),
                country: optional(&form.country),
            }
        }
        "reject" => Decision::Reject,
        "merge" => match form.into {
            Some(into) => Decision::Merge { into },
            None => {
                return queue_page(
                    &app,
                    &session,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some("choose the entry to merge with".into()),
                );
            }
        },
        _ => return refused(StatusCode::BAD_REQUEST, "unknown action"),
    };
    let _one_at_a_time = app.deciding.lock().await;
    let outcome = tokio::task::block_in_place(|| -> crate::error::Result<Option<String>> {
        if !app
            .store
            .decide(form.id, &decision, &session.staff, now())?
        {
            return Ok(Some(
                "this sign-on is no longer waiting (another decision came first)".into(),
            ));
        }
        if matches!(decision, Decision::Approve { .. }) {
            let listed: Vec<_> = app.store.listed()?.iter().map(Stored::signatory).collect();
            if let Err(e) = app.write_list(&listed) {
                app.store.reopen(form.id)?;
                return Ok(Some(format!("not approved: the list would not load: {e}")));
            }
        }
        Ok(None)
    });
    match outcome {
        Ok(None) => to("/staff"),
        Ok(Some(problem)) => queue_page(&app, &session, StatusCode::CONFLICT, Some(problem)),
        Err(e) => {
            eprintln!("collect: {e}");
            refused(
                StatusCode::SERVICE_UNAVAILABLE,
                "the decision could not be stored",
            )
        }
    }
}
