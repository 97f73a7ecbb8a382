//! The text users write with placeholders: a letter's body
//! (`Dear {{ recipient.salutation or "Excellency" }}`), its subject, and the
//! names of the files a batch writes. Rendered with minijinja.
//!
//! Undefined placeholders are errors (strict mode), naming the file, the line,
//! the placeholder and the recipient's row: a letter never goes out with a
//! hole in it. Values inserted into Markdown are escaped, so a recipient
//! called `*Bold*` or `#panic()` prints as written; what minijinja renders
//! reaches Typst as data, never as markup. Every render has a bounded amount
//! of work (minijinja's fuel), so a template cannot loop forever.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};

use crate::error::{Error, Result};

/// Steps one render may take; a long letter takes a few thousand.
const FUEL: u64 = 2_000_000;

/// The default file name of each letter.
pub const DEFAULT_FILE_NAME: &str = "{{ row }}-{{ name | slug }}.pdf";

/// A letter's text, read from its file.
#[derive(Debug, Clone)]
pub struct LetterText {
    /// The file it came from.
    pub path: PathBuf,
    /// The Markdown with placeholders.
    pub source: String,
}

/// The letter and its translations: `letter.md`, and `letter.ru.md` beside
/// it for recipients whose language is `ru`.
#[derive(Debug, Clone)]
pub struct LetterTexts {
    /// The letter in the statement's language (`letter.md`).
    pub default: LetterText,
    /// Letters in other languages, by language tag.
    pub by_language: BTreeMap<String, LetterText>,
}

impl LetterTexts {
    /// Reads `path` and every `STEM.TAG.md` beside it.
    pub fn read(path: &Path) -> Result<LetterTexts> {
        let read = |p: &Path| -> Result<LetterText> {
            let source =
                crate::files::read_text(p, crate::load::limits::MAX_TEXT_BYTES as u64, "letter")?;
            Ok(LetterText {
                path: p.to_owned(),
                source,
            })
        };
        let default = read(path)?;
        let mut by_language = BTreeMap::new();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let extension = path.extension().and_then(|s| s.to_str()).unwrap_or("md");
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        let entries = std::fs::read_dir(dir.unwrap_or(Path::new(".")))
            .map_err(|e| Error::io("cannot list", dir.unwrap_or(Path::new(".")), e))?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let Some(tag) = name
                .strip_prefix(stem)
                .and_then(|rest| rest.strip_prefix('.'))
                .and_then(|rest| rest.strip_suffix(extension))
                .and_then(|rest| rest.strip_suffix('.'))
            else {
                continue;
            };
            if tag.is_empty() || !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                continue;
            }
            // Only regular files: no links out of the folder, no devices.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_file() {
                by_language.insert(tag.to_owned(), read(&entry.path())?);
            }
        }
        Ok(LetterTexts {
            default,
            by_language,
        })
    }

    /// From text alone (for tests and the library).
    pub fn from_text(path: &Path, source: &str) -> LetterTexts {
        LetterTexts {
            default: LetterText {
                path: path.to_owned(),
                source: source.to_owned(),
            },
            by_language: BTreeMap::new(),
        }
    }

    /// The letter for a language: its own, else the closest by BCP 47
    /// (`en-GB` finds `en`, `en` finds
    /// `en-GB`), else the default.
    pub fn for_language(&self, language: Option<&str>) -> &LetterText {
        language
            .and_then(|tag| {
                crate::load::language::closest(tag, self.by_language.keys().map(String::as_str))
            })
            .and_then(|tag| self.by_language.get(tag))
            .unwrap_or(&self.default)
    }

    fn all(&self) -> impl Iterator<Item = &LetterText> {
        std::iter::once(&self.default).chain(self.by_language.values())
    }
}

/// The compiled templates of a batch.
pub struct Merger {
    env: Environment<'static>,
    sources: BTreeMap<String, String>,
}

/// Escapes Markdown's punctuation so inserted text prints as written.
fn escape_markdown(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
}

/// A file-name-safe form of a text: letters and digits of any script kept,
/// the rest turned into single hyphens.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    out.chars().take(60).collect::<String>()
}

impl Merger {
    /// Compiles the letters, the subject and the file-name template; a
    /// syntax error names the file and line.
    pub fn new(letters: &LetterTexts, subject: Option<&str>, file_name: &str) -> Result<Merger> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(FUEL));
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".md") {
                AutoEscape::Custom("markdown".into())
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), AutoEscape::Custom(_)) && !value.is_safe() {
                let mut text = String::new();
                escape_markdown(&value.to_string(), &mut text);
                out.write_str(&text).map_err(minijinja::Error::from)
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        env.add_filter("slug", |text: String| slug(&text));
        let mut sources = BTreeMap::new();
        for letter in letters.all() {
            let name = template_name(letter);
            env.add_template_owned(name.clone(), letter.source.clone())
                .map_err(|e| template_error(&letter.path, &letter.source, &e))?;
            sources.insert(name, letter.source.clone());
        }
        let subject = subject.unwrap_or("{{ statement.title }}").to_owned();
        env.add_template_owned("subject", subject.clone())
            .map_err(|e| template_error(Path::new("[letter] subject"), &subject, &e))?;
        sources.insert("subject".into(), subject);
        env.add_template_owned("file name", file_name.to_owned())
            .map_err(|e| template_error(Path::new("--name"), file_name, &e))?;
        sources.insert("file name".into(), file_name.to_owned());
        Ok(Merger { env, sources })
    }

    /// Renders a letter's body for a context.
    pub fn body(
        &self,
        letter: &LetterText,
        context: &Value,
    ) -> std::result::Result<String, String> {
        self.render(
            &template_name(letter),
            &letter.path.display().to_string(),
            context,
        )
    }

    /// Renders the subject line.
    pub fn subject(&self, context: &Value) -> std::result::Result<String, String> {
        self.render("subject", "[letter] subject", context)
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// Renders a file name (not yet made safe: see [`safe_file_name`]).
    pub fn file_name(&self, context: &Value) -> std::result::Result<String, String> {
        self.render("file name", "--name", context)
    }

    fn render(
        &self,
        name: &str,
        shown: &str,
        context: &Value,
    ) -> std::result::Result<String, String> {
        let template = self.env.get_template(name).map_err(|e| e.to_string())?;
        template.render(context).map_err(|e| {
            let source = self.sources.get(name).map(String::as_str).unwrap_or("");
            describe(shown, source, &e)
        })
    }
}

fn template_name(letter: &LetterText) -> String {
    // The name decides escaping: a letter is Markdown whatever its file is called.
    format!("{}#.md", letter.path.display())
}

/// "letter.md:3: `recipient.salutation` is undefined".
fn describe(shown: &str, source: &str, e: &minijinja::Error) -> String {
    let line = e.line().map(|l| format!(":{l}")).unwrap_or_default();
    let expression = e
        .range()
        .and_then(|r| source.get(r))
        .map(|t| format!("`{}` ", t.trim()))
        .unwrap_or_default();
    match e.kind() {
        ErrorKind::UndefinedError => format!("{shown}{line}: {expression}is undefined"),
        ErrorKind::OutOfFuel => {
            format!("{shown}{line}: the template does too much work (a loop that does not end?)")
        }
        _ => format!(
            "{shown}{line}: {expression}{}",
            e.detail()
                .map_or_else(|| e.kind().to_string(), str::to_owned)
        ),
    }
}

fn template_error(path: &Path, source: &str, e: &minijinja::Error) -> Error {
    Error::Usage(format!(
        "{} (fix the placeholder syntax: {{{{ recipient.name }}}}, {{% if recipient.title %}}...{{% endif %}})",
        describe(&path.display().to_string(), source, e)
    ))
}

/// A file name that stays one file inside the output folder: no separators,
/// control characters or leading dots, at most 120 bytes, ending in `.pdf`.
pub fn safe_file_name(raw: &str) -> String {
    let mut name: String = raw
        .chars()
        .map(|c| {
            if c == '/'
                || c == '\\'
                || c.is_control()
                || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|')
            {
                '-'
            } else {
                c
            }
        })
        .collect();
    name = name.trim().trim_start_matches(['.', '-', ' ']).to_owned();
    if let Some(stem) = name.strip_suffix(".pdf") {
        name = stem.to_owned();
    }
    let mut cut = String::new();
    for c in name.chars() {
        if cut.len() + c.len_utf8() > 116 {
            break;
        }
        cut.push(c);
    }
    let cut = cut.trim_end_matches(['.', ' ']);
    if cut.is_empty() {
        "letter.pdf".into()
    } else {
        format!("{cut}.pdf")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merger(body: &str) -> (Merger, LetterTexts) {
        let texts = LetterTexts::from_text(Path::new("letter.md"), body);
        (Merger::new(&texts, None, DEFAULT_FILE_NAME).unwrap(), texts)
    }

    #[test]
    fn placeholders_fill_and_escape_markdown() {
        let (m, t) =
            merger("Dear {{ recipient.salutation or \"Excellency\" }} {{ recipient.name }},");
        let ctx = minijinja::context! { recipient => minijinja::context! { name => "*Bold* #panic() {{ x }}", salutation => Value::from(()) } };
        let out = m.body(&t.default, &ctx).unwrap();
        assert_eq!(
            out,
            "Dear Excellency \\*Bold\\* \\#panic\\(\\) \\{\\{ x \\}\\},"
        );
    }

    #[test]
    fn a_missing_field_is_an_error_naming_it_and_the_line() {
        let (m, t) = merger("Hello\n{{ recipient.title }} {{ recipient.name }}");
        let ctx = minijinja::context! { recipient => minijinja::context! { name => "A" } };
        let e = m.body(&t.default, &ctx).unwrap_err();
        assert!(
            e.contains("letter.md:2") && e.contains("recipient.title") && e.contains("undefined"),
            "{e}"
        );
    }

    #[test]
    fn endless_templates_run_out_of_fuel() {
        let (m, t) = merger(
            "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}",
        );
        let e = m.body(&t.default, &minijinja::context! {}).unwrap_err();
        assert!(e.contains("too much work"), "{e}");
    }

    #[test]
    fn file_names_stay_in_the_folder() {
        assert_eq!(safe_file_name("../../etc/passwd"), "etc-passwd.pdf");
        assert_eq!(safe_file_name("1-anna-berg.pdf"), "1-anna-berg.pdf");
        assert_eq!(safe_file_name(".."), "letter.pdf");
        assert_eq!(
            slug("Ministère des Affaires étrangères / Paris"),
            "ministère-des-affaires-étrangères-paris"
        );
        assert_eq!(slug("ОВД-Инфо"), "овд-инфо");
    }

    #[test]
    fn letters_in_other_languages_are_the_files_beside_it() {
        let dir = std::env::temp_dir().join(format!("broadside-letters-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("letter.de.md")).unwrap();
        for (name, text) in [
            ("letter.md", "Dear"),
            ("letter.fr.md", "Madame"),
            ("letter.pt-BR.md", "Prezada"),
            ("letter.md.md", "not a language"),
            ("letter..md", "no tag"),
            ("letter.x_y.md", "not a tag"),
            ("letter.es.txt", "another extension"),
            ("other.ru.md", "another letter"),
        ] {
            std::fs::write(dir.join(name), text).unwrap();
        }
        let texts = LetterTexts::read(&dir.join("letter.md")).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(texts.default.source, "Dear");
        // letter.de.md is a folder, not a letter.
        assert_eq!(
            texts.by_language.keys().collect::<Vec<_>>(),
            ["fr", "md", "pt-BR"]
        );
        assert_eq!(texts.by_language["fr"].source, "Madame");
    }

    #[test]
    fn subjects_are_one_line_and_names_are_rendered_as_written() {
        let texts = LetterTexts::from_text(Path::new("letter.md"), "Dear {{ name }}");
        let merger = Merger::new(
            &texts,
            Some("For  {{ name }}\n today"),
            "{{ name }} / {{ row }}",
        )
        .unwrap();
        let context = minijinja::context! { name => "Jane", row => 3 };
        assert_eq!(merger.subject(&context).unwrap(), "For Jane today");
        assert_eq!(merger.file_name(&context).unwrap(), "Jane / 3");
        let e = merger
            .body(&texts.default, &minijinja::context! { row => 3 })
            .unwrap_err();
        assert_eq!(e, "letter.md:1: `name` is undefined");
    }

    #[test]
    fn file_names_are_made_safe_and_cut_on_a_character() {
        assert_eq!(
            safe_file_name("a/b\\c:d*e?f\"g<h>i|j"),
            "a-b-c-d-e-f-g-h-i-j.pdf"
        );
        assert_eq!(safe_file_name("tab\there"), "tab-here.pdf");
        assert_eq!(safe_file_name("../secret.pdf"), "secret.pdf");
        assert_eq!(safe_file_name(" . "), "letter.pdf");
        let long = "é".repeat(100);
        let cut = safe_file_name(&long);
        assert_eq!(cut.len(), 116 + 4, "{}", cut.len());
        assert!(cut.starts_with("éé") && cut.ends_with("é.pdf"));
        let ascii = "a".repeat(116);
        assert_eq!(safe_file_name(&ascii), format!("{ascii}.pdf"));
        assert_eq!(safe_file_name(&format!("{ascii}b")), format!("{ascii}.pdf"));
    }
}
