//! The press release as text: plain text to paste into an email, an HTML
//! email, and Markdown for websites.
//!
//! Each is a minijinja template in `templates/` (`email.txt.j2`,
//! `email.html.j2`, `press-release.md.j2`, overridable like the Typst ones)
//! rendered from the same data the PDF gets. The statement's text arrives as
//! the parsed block tree; the filters here turn it into wrapped plain text,
//! escaped HTML or Markdown, so no Markdown syntax leaks into the text version
//! and nothing a user wrote can become markup in the HTML one.

use minijinja::value::{Kwargs, Serde, Value};
use minijinja::{AutoEscape, Environment, Error as JinjaError, ErrorKind, UndefinedBehavior};
use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::resolve::data::Prepared;
use crate::set::templates::Templates;

/// The width plain text is wrapped to, as mail clients expect.
pub const WIDTH: usize = 72;

/// A text version of the press release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    /// Plain text for an email body (`press-release.txt`).
    Txt,
    /// An HTML email (`press-release.html`).
    Html,
    /// Markdown for a website (`press-release.md`).
    Md,
}

impl TextFormat {
    /// Reads `txt`, `html` or `md`.
    pub fn parse(name: &str) -> Option<TextFormat> {
        Some(match name.trim() {
            "txt" | "text" => TextFormat::Txt,
            "html" => TextFormat::Html,
            "md" | "markdown" => TextFormat::Md,
            _ => return None,
        })
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            TextFormat::Txt => "txt",
            TextFormat::Html => "html",
            TextFormat::Md => "md",
        }
    }

    /// The template that renders it.
    pub fn template(self) -> &'static str {
        match self {
            TextFormat::Txt => "email.txt.j2",
            TextFormat::Html => "email.html.j2",
            TextFormat::Md => "press-release.md.j2",
        }
    }
}

fn json(value: &Value) -> Json {
    serde_json::to_value(value).unwrap_or(Json::Null)
}

fn str_of<'a>(node: &'a Json, key: &str) -> &'a str {
    node.get(key).and_then(Json::as_str).unwrap_or("")
}

fn children<'a>(node: &'a Json, key: &str) -> &'a [Json] {
    node.get(key)
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// How inline nodes are written in each format.
trait Inlines {
    fn text(&self, out: &mut String, text: &str);
    fn emph(&self, out: &mut String, inner: &str);
    fn strong(&self, out: &mut String, inner: &str);
    fn link(&self, out: &mut String, inner: &str, url: &str);
    fn linebreak(&self, out: &mut String);
    fn quote(&self, out: &mut String, double: bool);

    fn inline(&self, nodes: &[Json]) -> String {
        let mut out = String::new();
        for n in nodes {
            match str_of(n, "t") {
                "text" | "code" => self.text(&mut out, str_of(n, "v")),
                "emph" => self.emph(&mut out, &self.inline(children(n, "c"))),
                "strong" => self.strong(&mut out, &self.inline(children(n, "c"))),
                "link" => self.link(&mut out, &self.inline(children(n, "c")), str_of(n, "url")),
                "linebreak" => self.linebreak(&mut out),
                "quote" => self.quote(
                    &mut out,
                    n.get("double").and_then(Json::as_bool).unwrap_or(true),
                ),
                _ => {}
            }
        }
        out
    }
}

struct Plain;
impl Inlines for Plain {
    fn text(&self, out: &mut String, text: &str) {
        out.push_str(text);
    }
    fn emph(&self, out: &mut String, inner: &str) {
        out.push_str(inner);
    }
    fn strong(&self, out: &mut String, inner: &str) {
        out.push_str(inner);
    }
    fn link(&self, out: &mut String, inner: &str, url: &str) {
        out.push_str(inner);
        let bare = url.trim_start_matches("mailto:");
        if inner.trim() != bare && inner.trim() != url {
            out.push_str(&format!(" ({bare})"));
        }
    }
    fn linebreak(&self, out: &mut String) {
        out.push('\n');
    }
    fn quote(&self, out: &mut String, double: bool) {
        out.push(if double { '"' } else { '\'' });
    }
}

struct Html;
impl Inlines for Html {
    fn text(&self, out: &mut String, text: &str) {
        escape_html(out, text);
    }
    fn emph(&self, out: &mut String, inner: &str) {
        out.push_str(&format!("<em>{inner}</em>"));
    }
    fn strong(&self, out: &mut String, inner: &str) {
        out.push_str(&format!("<strong>{inner}</strong>"));
    }
    fn link(&self, out: &mut String, inner: &str, url: &str) {
        // Only web and mail addresses become links; anything else stays text.
        if url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:") {
            let mut href = String::new();
            escape_html(&mut href, url);
            out.push_str(&format!(
                "<a href=\"{href}\" style=\"color:#b3261e\">{inner}</a>"
            ));
        } else {
            out.push_str(inner);
        }
    }
    fn linebreak(&self, out: &mut String) {
        out.push_str("<br>");
    }
    fn quote(&self, out: &mut String, double: bool) {
        out.push_str(if double { "&quot;" } else { "&#39;" });
    }
}

struct Markdown;
impl Inlines for Markdown {
    fn text(&self, out: &mut String, text: &str) {
        for c in text.chars() {
            if matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    fn emph(&self, out: &mut String, inner: &str) {
        out.push_str(&format!("*{inner}*"));
    }
    fn strong(&self, out: &mut String, inner: &str) {
        out.push_str(&format!("**{inner}**"));
    }
    fn link(&self, out: &mut String, inner: &str, url: &str) {
        out.push_str(&format!("[{inner}](<{}>)", url.replace(['<', '>'], "")));
    }
    fn linebreak(&self, out: &mut String) {
        out.push_str("\\\n");
    }
    fn quote(&self, out: &mut String, double: bool) {
        out.push(if double { '"' } else { '\'' });
    }
}

/// Escapes text for HTML.
pub fn escape_html(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Wraps text at `width` columns, each line after `indent`; long words
/// (addresses) stand on a line of their own rather than being cut.
pub fn wrap(text: &str, width: usize, indent: &str, first: &str) -> String {
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(indent)
        .break_words(false)
        // A hyphenated word ("civil-society") stays whole on its line.
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    text.split('\n')
        .map(|line| textwrap::fill(line, &options))
        .collect::<Vec<_>>()
        .join(&format!("\n{indent}"))
}

/// Blocks as plain text; `lead` goes before the first paragraph.
fn text_blocks(blocks: &[Json], lead: &str, indent: &str, width: usize) -> String {
    let mut parts = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let part = match str_of(b, "t") {
            "p" => {
                let mut text = Plain.inline(children(b, "c"));
                if i == 0 && !lead.is_empty() {
                    text = format!("{lead}{text}");
                }
                wrap(&text, width, indent, indent)
            }
            "heading" => {
                let text = Plain.inline(children(b, "c"));
                format!("{indent}{}", text.to_uppercase())
            }
            "list" => {
                let ordered = b.get("ordered").and_then(Json::as_bool).unwrap_or(false);
                let start = b.get("start").and_then(Json::as_u64).unwrap_or(1);
                children(b, "items")
                    .iter()
                    .enumerate()
                    .map(|(k, item)| {
                        let marker = if ordered {
                            format!("{}. ", start + k as u64)
                        } else {
                            "- ".to_owned()
                        };
                        let inner_indent =
                            format!("{indent}{}", " ".repeat(marker.chars().count()));
                        let item_blocks = item.as_array().map(Vec::as_slice).unwrap_or(&[]);
                        let text = text_blocks(item_blocks, "", &inner_indent, width);
                        format!("{indent}{marker}{}", text.trim_start())
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            "quote" => text_blocks(children(b, "c"), "", &format!("{indent}> "), width),
            _ => continue,
        };
        parts.push(part);
    }
    parts.join("\n\n")
}

fn html_blocks(blocks: &[Json], lead: &str) -> String {
    let mut out = String::new();
    for (i, b) in blocks.iter().enumerate() {
        match str_of(b, "t") {
            "p" => {
                let lead = if i == 0 { lead } else { "" };
                out.push_str(&format!(
                    "<p style=\"margin:0 0 1em\">{lead}{}</p>\n",
                    Html.inline(children(b, "c"))
                ));
            }
            "heading" => out.push_str(&format!(
                "<h3 style=\"font-family:Helvetica,Arial,sans-serif;font-size:16px;margin:1.4em 0 .5em\">{}</h3>\n",
                Html.inline(children(b, "c"))
            )),
            "list" => {
                let ordered = b.get("ordered").and_then(Json::as_bool).unwrap_or(false);
                let tag = if ordered { "ol" } else { "ul" };
                out.push_str(&format!("<{tag} style=\"margin:0 0 1em;padding-left:1.4em\">\n"));
                for item in children(b, "items") {
                    let item_blocks = item.as_array().map(Vec::as_slice).unwrap_or(&[]);
                    out.push_str(&format!("<li>{}</li>\n", html_blocks(item_blocks, "").trim_end()));
                }
                out.push_str(&format!("</{tag}>\n"));
            }
            "quote" => out.push_str(&format!(
                "<blockquote style=\"margin:0 0 1em;padding-left:1em;border-left:3px solid #b3261e\">{}</blockquote>\n",
                html_blocks(children(b, "c"), "")
            )),
            _ => {}
        }
    }
    out
}

fn md_blocks(blocks: &[Json], lead: &str, prefix: &str) -> String {
    let mut parts = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let part = match str_of(b, "t") {
            "p" => {
                let lead = if i == 0 { lead } else { "" };
                format!("{prefix}{lead}{}", Markdown.inline(children(b, "c")))
            }
            "heading" => {
                let level = b
                    .get("level")
                    .and_then(Json::as_u64)
                    .unwrap_or(1)
                    .clamp(1, 4) as usize
                    + 1;
                format!(
                    "{prefix}{} {}",
                    "#".repeat(level),
                    Markdown.inline(children(b, "c"))
                )
            }
            "list" => {
                let ordered = b.get("ordered").and_then(Json::as_bool).unwrap_or(false);
                let start = b.get("start").and_then(Json::as_u64).unwrap_or(1);
                children(b, "items")
                    .iter()
                    .enumerate()
                    .map(|(k, item)| {
                        let marker = if ordered {
                            format!("{}. ", start + k as u64)
                        } else {
                            "- ".into()
                        };
                        let item_blocks = item.as_array().map(Vec::as_slice).unwrap_or(&[]);
                        let inner = md_blocks(item_blocks, "", &" ".repeat(marker.len()));
                        format!("{prefix}{marker}{}", inner.trim_start())
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            "quote" => md_blocks(children(b, "c"), "", &format!("{prefix}> ")),
            _ => continue,
        };
        parts.push(part);
    }
    parts.join(&format!("\n{}\n", prefix.trim_end()))
}

fn kwarg_str(kwargs: &Kwargs, name: &str) -> std::result::Result<String, JinjaError> {
    Ok(kwargs.get::<Option<String>>(name)?.unwrap_or_default())
}

/// The environment with broadside's filters.
fn environment(templates: &Templates) -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(50_000_000));
    env.set_auto_escape_callback(|name| {
        if name.contains(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    // Block tags take their own line with them, so templates read as the text.
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| Error::Usage(format!("template syntax: {e}")))?;
    env.set_syntax(syntax);
    env.add_filter("text_blocks", |blocks: Value, kwargs: Kwargs| {
        let lead = kwarg_str(&kwargs, "lead")?;
        let indent = kwarg_str(&kwargs, "indent")?;
        kwargs.assert_all_used()?;
        let blocks = json(&blocks);
        Ok(text_blocks(
            blocks.as_array().map(Vec::as_slice).unwrap_or(&[]),
            &lead,
            &indent,
            WIDTH,
        ))
    });
    env.add_filter("html_blocks", |blocks: Value, kwargs: Kwargs| {
        let mut lead = String::new();
        escape_html(&mut lead, &kwarg_str(&kwargs, "lead")?);
        kwargs.assert_all_used()?;
        let blocks = json(&blocks);
        Ok(Value::from_safe_string(html_blocks(
            blocks.as_array().map(Vec::as_slice).unwrap_or(&[]),
            &lead,
        )))
    });
    env.add_filter("md_blocks", |blocks: Value, kwargs: Kwargs| {
        let mut lead = String::new();
        Markdown.text(&mut lead, &kwarg_str(&kwargs, "lead")?);
        kwargs.assert_all_used()?;
        let blocks = json(&blocks);
        Ok(md_blocks(
            blocks.as_array().map(Vec::as_slice).unwrap_or(&[]),
            &lead,
            "",
        ))
    });
    env.add_filter("md", |text: String| {
        let mut out = String::new();
        Markdown.text(&mut out, &text);
        out
    });
    env.add_filter("wrap", |text: String, kwargs: Kwargs| {
        let indent = kwarg_str(&kwargs, "indent")?;
        let first = kwargs
            .get::<Option<String>>("first")?
            .unwrap_or_else(|| indent.clone());
        kwargs.assert_all_used()?;
        Ok(wrap(&text, WIDTH, &indent, &first))
    });
    // The signatories the release names: the first `shown`, in their groups.
    env.add_function("listed", |groups: Value, shown: usize| {
        let groups = json(&groups);
        let mut left = shown;
        let mut out = Vec::new();
        for g in groups.as_array().map(Vec::as_slice).unwrap_or(&[]) {
            if left == 0 {
                break;
            }
            let entries: Vec<Json> = children(g, "entries").iter().take(left).cloned().collect();
            left -= entries.len();
            out.push(serde_json::json!({ "label": g.get("label").cloned().unwrap_or(Json::Null), "entries": entries }));
        }
        Value::from(Serde(&out))
    });
    for format in [TextFormat::Txt, TextFormat::Html, TextFormat::Md] {
        let name = format.template();
        let source = templates
            .get(name)
            .ok_or_else(|| Error::Usage(format!("there is no template {name}")))?;
        env.add_template_owned(name.to_owned(), source.to_owned())
            .map_err(|e| template_error(name, &e))?;
    }
    Ok(env)
}

fn template_error(name: &str, e: &JinjaError) -> Error {
    let line = e.line().map(|l| format!(":{l}")).unwrap_or_default();
    let kind = if e.kind() == ErrorKind::OutOfFuel {
        "the template does too much work".to_owned()
    } else {
        e.detail()
            .map_or_else(|| e.kind().to_string(), str::to_owned)
    };
    Error::Template {
        document: name.to_owned(),
        message: format!("templates/{name}{line}: {kind}"),
    }
}

/// Renders the press release in a text format from the prepared data.
pub fn render(templates: &Templates, prepared: &Prepared, format: TextFormat) -> Result<String> {
    let env = environment(templates)?;
    let data: Json = serde_json::from_slice(&prepared.json)
        .map_err(|e| Error::Usage(format!("cannot read the statement's data: {e}")))?;
    let template = env
        .get_template(format.template())
        .map_err(|e| template_error(format.template(), &e))?;
    let text = template
        .render(Value::from(Serde(&data)))
        .map_err(|e| template_error(format.template(), &e))?;
    // No trailing spaces, one newline at the end.
    let mut out: String = text
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    Ok(out.trim().to_owned() + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_wraps_and_keeps_no_markdown() {
        let blocks = serde_json::to_value(crate::load::markdown::parse(
            "A *stressed* word and a [link](https://example.org/x) in a paragraph that is long enough to wrap around the seventy-second column.\n\n- one\n- two\n\n> quoted",
        ))
        .unwrap();
        let text = text_blocks(blocks.as_array().unwrap(), "PARIS — ", "", WIDTH);
        assert!(
            text.starts_with("PARIS — A stressed word and a link (https://example.org/x)"),
            "{text}"
        );
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH), "{text}");
        assert!(!text.contains('*') && !text.contains("]("), "{text}");
        assert!(
            text.contains("- one\n- two") && text.contains("> quoted"),
            "{text}"
        );
    }

    #[test]
    fn html_escapes_text_and_refuses_script_links() {
        let blocks = serde_json::to_value(crate::load::markdown::parse(
            "<script>alert(1)</script>\n\nSee [x](javascript:alert(1)) and [y](https://a.org/?a=1&b=2).",
        ))
        .unwrap();
        let html = html_blocks(blocks.as_array().unwrap(), "");
        assert!(
            html.contains("&lt;script&gt;") && !html.contains("<script"),
            "{html}"
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(
            html.contains("href=\"https://a.org/?a=1&amp;b=2\""),
            "{html}"
        );
    }
}
