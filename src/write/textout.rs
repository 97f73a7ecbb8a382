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
use crate::load::markdown::{Block, Inline};
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

/// The blocks a template passes to a filter, as the tree they were made
/// from: anything else is the template's mistake, and said so.
fn blocks_of(value: &Value) -> std::result::Result<Vec<Block>, JinjaError> {
    serde_json::from_value(json(value)).map_err(|e| {
        JinjaError::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("this filter takes a text's blocks (such as `body`): {e}"),
        )
    })
}

/// How inline nodes are written in each format.
trait Inlines {
    fn text(&self, out: &mut String, text: &str);
    fn emph(&self, out: &mut String, inner: &str);
    fn strong(&self, out: &mut String, inner: &str);
    fn link(&self, out: &mut String, inner: &str, url: &str);
    fn linebreak(&self, out: &mut String);
    fn quote(&self, out: &mut String, double: bool);

    fn inline(&self, nodes: &[Inline]) -> String {
        let mut out = String::new();
        for n in nodes {
            match n {
                Inline::Text { v } | Inline::Code { v } => self.text(&mut out, v),
                Inline::Emph { c } => self.emph(&mut out, &self.inline(c)),
                Inline::Strong { c } => self.strong(&mut out, &self.inline(c)),
                Inline::Link { url, c } => self.link(&mut out, &self.inline(c), url),
                Inline::Linebreak => self.linebreak(&mut out),
                Inline::Quote { double } => self.quote(&mut out, *double),
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

/// A list item's marker: `3. ` in a numbered list from `start`, else `- `.
fn marker(ordered: bool, start: u64, index: usize) -> String {
    if ordered {
        format!("{}. ", start + index as u64)
    } else {
        "- ".to_owned()
    }
}

/// Blocks as plain text; `lead` goes before the first paragraph.
fn text_blocks(blocks: &[Block], lead: &str, indent: &str, width: usize) -> String {
    let mut parts = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let part = match b {
            Block::P { c } => {
                let mut text = Plain.inline(c);
                if i == 0 && !lead.is_empty() {
                    text = format!("{lead}{text}");
                }
                wrap(&text, width, indent, indent)
            }
            Block::Heading { c, .. } => {
                let text = Plain.inline(c);
                format!("{indent}{}", text.to_uppercase())
            }
            Block::List {
                ordered,
                start,
                items,
            } => items
                .iter()
                .enumerate()
                .map(|(k, item)| {
                    let marker = marker(*ordered, *start, k);
                    let inner_indent = format!("{indent}{}", " ".repeat(marker.chars().count()));
                    let text = text_blocks(item, "", &inner_indent, width);
                    format!("{indent}{marker}{}", text.trim_start())
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Quote { c } => text_blocks(c, "", &format!("{indent}> "), width),
        };
        parts.push(part);
    }
    parts.join("\n\n")
}

fn html_blocks(blocks: &[Block], lead: &str) -> String {
    let mut out = String::new();
    for (i, b) in blocks.iter().enumerate() {
        match b {
            Block::P { c } => {
                let lead = if i == 0 { lead } else { "" };
                out.push_str(&format!(
                    "<p style=\"margin:0 0 1em\">{lead}{}</p>\n",
                    Html.inline(c)
                ));
            }
            Block::Heading { c, .. } => out.push_str(&format!(
                "<h3 style=\"font-family:Helvetica,Arial,sans-serif;font-size:16px;margin:1.4em 0 .5em\">{}</h3>\n",
                Html.inline(c)
            )),
            Block::List { ordered, items, .. } => {
                let tag = if *ordered { "ol" } else { "ul" };
                out.push_str(&format!("<{tag} style=\"margin:0 0 1em;padding-left:1.4em\">\n"));
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", html_blocks(item, "").trim_end()));
                }
                out.push_str(&format!("</{tag}>\n"));
            }
            Block::Quote { c } => out.push_str(&format!(
                "<blockquote style=\"margin:0 0 1em;padding-left:1em;border-left:3px solid #b3261e\">{}</blockquote>\n",
                html_blocks(c, "")
            )),
        }
    }
    out
}

fn md_blocks(blocks: &[Block], lead: &str, prefix: &str) -> String {
    let mut parts = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let part = match b {
            Block::P { c } => {
                let lead = if i == 0 { lead } else { "" };
                format!("{prefix}{lead}{}", Markdown.inline(c))
            }
            Block::Heading { level, c } => {
                let level = usize::from((*level).clamp(1, 4)) + 1;
                format!("{prefix}{} {}", "#".repeat(level), Markdown.inline(c))
            }
            Block::List {
                ordered,
                start,
                items,
            } => items
                .iter()
                .enumerate()
                .map(|(k, item)| {
                    let marker = marker(*ordered, *start, k);
                    let inner = md_blocks(item, "", &" ".repeat(marker.len()));
                    format!("{prefix}{marker}{}", inner.trim_start())
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Quote { c } => md_blocks(c, "", &format!("{prefix}> ")),
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
        Ok(text_blocks(&blocks_of(&blocks)?, &lead, &indent, WIDTH))
    });
    env.add_filter("html_blocks", |blocks: Value, kwargs: Kwargs| {
        let mut lead = String::new();
        escape_html(&mut lead, &kwarg_str(&kwargs, "lead")?);
        kwargs.assert_all_used()?;
        Ok(Value::from_safe_string(html_blocks(
            &blocks_of(&blocks)?,
            &lead,
        )))
    });
    env.add_filter("md_blocks", |blocks: Value, kwargs: Kwargs| {
        let mut lead = String::new();
        Markdown.text(&mut lead, &kwarg_str(&kwargs, "lead")?);
        kwargs.assert_all_used()?;
        Ok(md_blocks(&blocks_of(&blocks)?, &lead, ""))
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
            let entries: Vec<Json> = g
                .get("entries")
                .and_then(Json::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .take(left)
                .cloned()
                .collect();
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
        .map_err(|e| Error::Internal(format!("cannot read the statement's data: {e}")))?;
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

    /// The blocks a template receives are the tree they were made from: a
    /// round trip through the data keeps every node, and a value that is not
    /// a text's blocks is refused, not printed as nothing.
    #[test]
    fn blocks_travel_typed_and_the_wrong_value_is_an_error() {
        let blocks = crate::load::markdown::parse(
            "# Head\n\nA *b* **c** [d](https://e.org) `f`  \nnext \"q\"\n\n1. one\n2. two\n\n> quoted",
        );
        let value = Value::from(Serde(&blocks));
        assert_eq!(blocks_of(&value).unwrap(), blocks);
        let wrong = Value::from(Serde(serde_json::json!([{ "t": "para", "c": [] }])));
        let error = blocks_of(&wrong).unwrap_err().to_string();
        assert!(
            error.contains("para") && error.contains("blocks"),
            "{error}"
        );
    }

    #[test]
    fn plain_text_wraps_and_keeps_no_markdown() {
        let blocks = crate::load::markdown::parse(
            "A *stressed* word and a [link](https://example.org/x) in a paragraph that is long enough to wrap around the seventy-second column.\n\n- one\n- two\n\n> quoted",
        );
        let text = text_blocks(&blocks, "PARIS — ", "", WIDTH);
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
        let blocks = crate::load::markdown::parse(
            "<script>alert(1)</script>\n\nSee [x](javascript:alert(1)) and [y](https://a.org/?a=1&b=2).",
        );
        let html = html_blocks(&blocks, "");
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
