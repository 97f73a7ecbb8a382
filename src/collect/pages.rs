//! The server's pages: minijinja templates with HTML auto-escaping (every
//! value a signer or a statement gives is text on the page, never markup),
//! the form's words in each language, and the statement's body as HTML.

use std::collections::BTreeMap;

use minijinja::{AutoEscape, Environment, Value};

use crate::error::{Error, Result};
use crate::load::markdown::{self, Block, Inline};
use crate::load::statement::Statement;
use crate::resolve::l10n::{Direction, Words, direction};
use crate::write::textout::escape_html;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "page.html",
        include_str!("../../templates/collect/page.html"),
    ),
    (
        "sign.html",
        include_str!("../../templates/collect/sign.html"),
    ),
    (
        "message.html",
        include_str!("../../templates/collect/message.html"),
    ),
    (
        "confirm.html",
        include_str!("../../templates/collect/confirm.html"),
    ),
    (
        "login.html",
        include_str!("../../templates/collect/login.html"),
    ),
    (
        "queue.html",
        include_str!("../../templates/collect/queue.html"),
    ),
];

/// The style sheet, served from the server's own address (the
/// Content-Security-Policy allows no inline style).
pub const STYLE: &str = include_str!("../../templates/collect/style.css");

const WORDS: &str = include_str!("../../templates/collect/words.toml");

/// One language of the public page: the statement in it, and the form's words.
pub struct Language {
    /// Its tag.
    pub tag: String,
    /// The statement in it.
    pub statement: Statement,
    /// The form's words.
    pub words: Words,
    /// The consent wording shown beside the box.
    pub consent: String,
    /// The body as HTML.
    pub body_html: String,
}

impl Language {
    /// Right to left or left to right.
    pub fn dir(&self) -> &'static str {
        match direction(&self.tag) {
            Direction::Rtl => "rtl",
            Direction::Ltr => "ltr",
        }
    }
}

/// Every language of the statement, its own first.
pub fn languages(statement: &Statement) -> Result<Vec<Language>> {
    let own_consent = statement.collect.consent.clone().ok_or_else(|| {
        Error::Usage(format!(
            "{}: `[collect] consent` is missing: write the words a signer agrees to, e.g. consent = \"I confirm that I am authorised to sign this statement on behalf of the organisation named above.\"",
            statement.source.display()
        ))
    })?;
    let mut out = Vec::new();
    for tag in statement.languages() {
        let Some(shown) = statement.in_language(&tag) else {
            continue;
        };
        let consent = statement
            .collect
            .translations
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(&tag))
            .map(|(_, c)| c.clone())
            .unwrap_or_else(|| own_consent.clone());
        let words = Words::new(WORDS, &tag, shown.digits)?;
        let body_html = blocks_html(&markdown::parse(&shown.body));
        out.push(Language {
            tag,
            statement: shown,
            words,
            consent,
            body_html,
        });
    }
    Ok(out)
}

/// A language's name in itself, for the page's language links.
pub fn language_name(tag: &str) -> String {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase();
    let name = match primary.as_str() {
        "en" => "English",
        "fr" => "Français",
        "es" => "Español",
        "de" => "Deutsch",
        "ru" => "Русский",
        "uk" => "Українська",
        "be" => "Беларуская",
        "fa" => "فارسی",
        "ar" => "العربية",
        "pt" => "Português",
        "tr" => "Türkçe",
        _ => return tag.to_owned(),
    };
    name.to_owned()
}

/// The templates, ready to render.
pub fn environment() -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| Error::Internal(format!("the page template {name}: {e}")))?;
    }
    Ok(env)
}

/// Renders a page.
pub fn render(env: &Environment<'_>, name: &str, context: Value) -> Result<String> {
    env.get_template(name)
        .and_then(|t| t.render(context))
        .map_err(|e| Error::Internal(format!("the page {name}: {e}")))
}

/// What every page's layout reads: the language and its direction, the
/// statement's title in it, and the words.
pub fn common(language: &Language, words: &BTreeMap<String, String>) -> Value {
    minijinja::context! {
        lang => &language.tag,
        dir => language.dir(),
        title => &language.statement.title,
        words => words,
    }
}

/// A page as the reply, with `status`. A template that fails (broadside's
/// own fault) is logged and answered with a 500 that shows no detail.
pub fn respond(
    env: &Environment<'_>,
    name: &str,
    status: axum::http::StatusCode,
    context: Value,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match render(env, name, context) {
        Ok(body) => (status, axum::response::Html(body)).into_response(),
        Err(e) => {
            eprintln!("collect: {e}");
            (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                [(
                    axum::http::header::CONTENT_TYPE,
                    "text/plain; charset=utf-8",
                )],
                "the page could not be made; the error is in the server's log",
            )
                .into_response()
        }
    }
}

/// The words of a language, for a template.
pub fn words(language: &Language) -> BTreeMap<String, String> {
    language.words.phrases()
}

/// Markdown blocks as HTML, every text escaped; a link keeps only an
/// http(s) or mailto target.
pub fn blocks_html(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        block_html(&mut out, block);
    }
    out
}

fn block_html(out: &mut String, block: &Block) {
    match block {
        Block::P { c } => {
            out.push_str("<p>");
            inlines_html(out, c);
            out.push_str("</p>\n");
        }
        Block::Heading { level, c } => {
            // The page's own title is the h1.
            let level = (*level).clamp(1, 4) + 1;
            out.push_str(&format!("<h{level}>"));
            inlines_html(out, c);
            out.push_str(&format!("</h{level}>\n"));
        }
        Block::List {
            ordered,
            start,
            items,
        } => {
            if *ordered {
                out.push_str(&format!("<ol start=\"{start}\">"));
            } else {
                out.push_str("<ul>");
            }
            for item in items {
                out.push_str("<li>");
                for b in item {
                    block_html(out, b);
                }
                out.push_str("</li>");
            }
            out.push_str(if *ordered { "</ol>\n" } else { "</ul>\n" });
        }
        Block::Quote { c } => {
            out.push_str("<blockquote>");
            for b in c {
                block_html(out, b);
            }
            out.push_str("</blockquote>\n");
        }
    }
}

fn inlines_html(out: &mut String, inlines: &[Inline]) {
    for inline in inlines {
        match inline {
            Inline::Text { v } | Inline::Code { v } => escape_html(out, v),
            Inline::Emph { c } => {
                out.push_str("<em>");
                inlines_html(out, c);
                out.push_str("</em>");
            }
            Inline::Strong { c } => {
                out.push_str("<strong>");
                inlines_html(out, c);
                out.push_str("</strong>");
            }
            Inline::Link { url, c } => {
                let safe = ["https://", "http://", "mailto:"]
                    .iter()
                    .any(|p| url.to_ascii_lowercase().starts_with(p));
                if safe {
                    out.push_str("<a href=\"");
                    escape_html(out, url);
                    out.push_str("\" rel=\"noopener noreferrer\">");
                    inlines_html(out, c);
                    out.push_str("</a>");
                } else {
                    inlines_html(out, c);
                }
            }
            Inline::Linebreak => out.push_str("<br>"),
            Inline::Quote { double } => out.push_str(if *double { "&quot;" } else { "&#39;" }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_escaped_and_links_keep_safe_targets_only() {
        let html = blocks_html(&markdown::parse(
            "A <script>alert(1)</script> & [this](javascript:alert(1)) and [that](https://x.org/?a=1&b=2).",
        ));
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(
            html.contains("href=\"https://x.org/?a=1&amp;b=2\""),
            "{html}"
        );
    }

    #[test]
    fn every_template_renders_in_strict_mode() {
        environment().unwrap();
        let table: BTreeMap<String, BTreeMap<String, toml::Value>> = toml::from_str(WORDS).unwrap();
        let english = &table["en"];
        for (tag, words) in &table {
            for key in words.keys() {
                assert!(
                    english.contains_key(key),
                    "{tag} has `{key}`, which English lacks"
                );
            }
        }
    }
}
