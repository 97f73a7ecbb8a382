//! The addressees of a mail merge: a CSV file (as spreadsheets export it),
//! or a TOML or JSON list, read into rows of named fields.
//!
//! CSV is read with the `csv` crate: quoted fields, line breaks inside
//! quotes (multi-line addresses), a UTF-8 byte-order mark from Excel, and
//! `;` or a tab as the delimiter where the header line uses it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The most recipients one batch may have.
pub const MAX_RECIPIENTS: usize = 100_000;

/// The largest recipients file, in bytes.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The largest value of one field, in bytes.
pub const MAX_FIELD_BYTES: usize = 10_000;

/// One addressee: the fields of one row, by column name.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipient {
    /// Where the row is: its line in a CSV file, its position (from 1) in a
    /// TOML or JSON list.
    pub line: usize,
    /// The row's number among the recipients (from 1), for file names.
    pub row: usize,
    /// Every field, by its column name (lower case, spaces as `_`).
    pub fields: BTreeMap<String, String>,
}

impl Recipient {
    /// The value of a field, if the row has it and it is not empty.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .get(field)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// The addressee's name (every good row has one).
    pub fn name(&self) -> &str {
        self.get("name").unwrap_or_default()
    }

    /// The language the row asks for, if any (`language` column).
    pub fn language(&self) -> Option<&str> {
        self.get("language").map(str::trim)
    }
}

/// A row that cannot be used, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    /// Its line (CSV) or position (TOML, JSON).
    pub line: usize,
    /// What is wrong and what to do.
    pub message: String,
}

/// The recipients file, read.
#[derive(Debug, Clone)]
pub struct Recipients {
    /// The file, for messages.
    pub path: PathBuf,
    /// The column names, in the file's order.
    pub columns: Vec<String>,
    /// The good rows, in order.
    pub rows: Vec<Recipient>,
    /// The rows that cannot be used.
    pub bad: Vec<BadRow>,
}

impl Recipients {
    /// "line 5" for CSV, "recipient 5" for a list.
    pub fn place(&self, line: usize) -> String {
        if self.is_csv() {
            format!("{}:{line}", self.path.display())
        } else {
            format!("{}: recipient {line}", self.path.display())
        }
    }

    fn is_csv(&self) -> bool {
        !matches!(extension(&self.path).as_str(), "toml" | "json")
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// A column name as templates use it: `Postal address` → `postal_address`.
fn column_name(raw: &str) -> String {
    raw.trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == '-' {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Reads a recipients file: `.csv` (or `.tsv`, `.txt`), `.toml` with
/// `[[recipients]]` tables, or `.json` with an array of objects.
pub fn read(path: &Path) -> Result<Recipients> {
    let bytes = crate::files::read(path, MAX_FILE_BYTES, "recipients file")?;
    parse(&bytes, path)
}

/// Parses recipients from bytes; `path` names the file and its format.
pub fn parse(bytes: &[u8], path: &Path) -> Result<Recipients> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::Usage(format!(
            "{}: not UTF-8 text (byte {}); save it from your spreadsheet as \"CSV UTF-8\"",
            path.display(),
            e.valid_up_to()
        ))
    })?;
    let (columns, raw_rows) = match extension(path).as_str() {
        "toml" => from_toml(text, path)?,
        "json" => from_json(text, path)?,
        _ => from_csv(text, path)?,
    };
    if !columns.iter().any(|c| c == "name") {
        return Err(Error::Usage(format!(
            "{}: there is no `name` column (columns: {}); every recipient needs a name",
            path.display(),
            columns.join(", ")
        )));
    }
    if raw_rows.len() > MAX_RECIPIENTS {
        return Err(Error::Usage(format!(
            "{}: {} recipients; broadside takes at most {MAX_RECIPIENTS} in one batch",
            path.display(),
            raw_rows.len()
        )));
    }
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for raw in raw_rows {
        match raw {
            Ok((line, fields)) => {
                if let Some((key, _)) = fields.iter().find(|(_, v)| v.len() > MAX_FIELD_BYTES) {
                    bad.push(BadRow {
                        line,
                        message: format!("`{key}` is longer than {MAX_FIELD_BYTES} bytes"),
                    });
                } else if fields.get("name").is_none_or(|n| n.trim().is_empty()) {
                    bad.push(BadRow {
                        line,
                        message: "has no name; fill in the `name` column or remove the row".into(),
                    });
                } else {
                    rows.push(Recipient {
                        line,
                        row: rows.len() + 1,
                        fields,
                    });
                }
            }
            Err(row) => bad.push(row),
        }
    }
    Ok(Recipients {
        path: path.to_owned(),
        columns,
        rows,
        bad,
    })
}

type RawRows = Vec<std::result::Result<(usize, BTreeMap<String, String>), BadRow>>;

/// The delimiter the header line uses: the one of `,` `;` and tab that
/// occurs most often outside quotes (Excel in many European locales writes `;`).
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in header.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(entry) = counts.iter_mut().find(|(d, _)| *d == c) {
            entry.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

fn from_csv(text: &str, path: &Path) -> Result<(Vec<String>, RawRows)> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?
        .clone();
    let columns: Vec<String> = headers.iter().map(column_name).collect();
    let mut seen = std::collections::HashSet::new();
    for c in &columns {
        if !c.is_empty() && !seen.insert(c) {
            return Err(Error::Usage(format!(
                "{}:1: the column `{c}` appears twice; rename one",
                path.display()
            )));
        }
    }
    // Lines counted from byte offsets: a quoted field may span lines. The
    // records come in order, so the count goes on from the last one (from
    // the start each time, 100,000 rows took seconds).
    let bytes = text.as_bytes();
    let (mut counted, mut newlines) = (0usize, 0usize);
    let mut line_at = |byte: u64| {
        let mut end = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        // A record's position may be the blank lines before it.
        while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
            end += 1;
        }
        if end < counted {
            (counted, newlines) = (0, 0);
        }
        newlines += bytes[counted..end].iter().filter(|&&b| b == b'\n').count();
        counted = end;
        newlines + 1
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(p.byte()));
                rows.push(Err(BadRow {
                    line,
                    message: format!("cannot be read: {e}"),
                }));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != columns.len() {
            rows.push(Err(BadRow {
                line,
                message: format!(
                    "has {} fields where the header has {} columns; check for a missing or extra delimiter, or quote fields that contain one",
                    record.len(),
                    columns.len()
                ),
            }));
            continue;
        }
        let fields = columns
            .iter()
            .zip(record.iter())
            .filter(|(c, _)| !c.is_empty())
            .map(|(c, v)| (c.clone(), v.replace("\r\n", "\n")))
            .collect();
        rows.push(Ok((line, fields)));
    }
    Ok((columns, rows))
}

/// Rows of a list of tables whose values are strings (numbers and booleans
/// are written as text).
fn from_values(list: Vec<serde_json::Value>, path: &Path) -> Result<(Vec<String>, RawRows)> {
    let mut columns: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for (i, value) in list.into_iter().enumerate() {
        let line = i + 1;
        let serde_json::Value::Object(map) = value else {
            rows.push(Err(BadRow {
                line,
                message: "is not a table of fields".into(),
            }));
            continue;
        };
        let mut fields = BTreeMap::new();
        let mut problem = None;
        for (key, value) in map {
            let key = column_name(&key);
            let text = match value {
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Null => String::new(),
                serde_json::Value::Array(lines)
                    if lines.iter().all(serde_json::Value::is_string) =>
                {
                    // An address may be given as a list of lines.
                    lines
                        .iter()
                        .filter_map(serde_json::Value::as_str)
                        .collect::<Vec<_>>()
                        .join("\n")
                }
                _ => {
                    problem = Some(format!("`{key}` is not text"));
                    continue;
                }
            };
            if !columns.contains(&key) {
                columns.push(key.clone());
            }
            fields.insert(key, text);
        }
        rows.push(match problem {
            Some(message) => Err(BadRow { line, message }),
            None => Ok((line, fields)),
        });
    }
    let _ = path;
    Ok((columns, rows))
}

fn from_toml(text: &str, path: &Path) -> Result<(Vec<String>, RawRows)> {
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(default)]
        recipients: Vec<serde_json::Value>,
    }
    let file: File = toml::from_str(text).map_err(|e| {
        Error::Usage(format!(
            "{}: {} (write each recipient as a [[recipients]] table)",
            path.display(),
            e.message()
        ))
    })?;
    from_values(file.recipients, path)
}

fn from_json(text: &str, path: &Path) -> Result<(Vec<String>, RawRows)> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Error::Usage(format!(
            "{}:{}:{}: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    let list = match value {
        serde_json::Value::Array(list) => list,
        serde_json::Value::Object(mut map) => match map.remove("recipients") {
            Some(serde_json::Value::Array(list)) => list,
            _ => {
                return Err(Error::Usage(format!(
                    "{}: expected an array of recipients, or {{\"recipients\": [...]}}",
                    path.display()
                )));
            }
        },
        _ => {
            return Err(Error::Usage(format!(
                "{}: expected an array of recipients",
                path.display()
            )));
        }
    };
    from_values(list, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Recipients {
        parse(text.as_bytes(), Path::new("r.csv")).unwrap()
    }

    #[test]
    fn excel_csv_with_bom_semicolons_and_multiline_addresses() {
        let r = csv(
            "\u{feff}Name;Title;Address\nAnna Berg;Minister;\"Platz 1\n10117 Berlin\"\n\n;x;y\nBo;\"A;B\";Z\n",
        );
        assert_eq!(r.columns, ["name", "title", "address"]);
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[0].get("address"), Some("Platz 1\n10117 Berlin"));
        assert_eq!(r.rows[0].line, 2);
        assert_eq!(r.rows[1].get("title"), Some("A;B"));
        assert_eq!(r.rows[1].row, 2);
        assert_eq!(r.bad.len(), 1);
        assert_eq!(r.bad[0].line, 5);
        assert!(r.bad[0].message.contains("no name"));
    }

    #[test]
    fn wrong_field_counts_are_reported_by_line() {
        let r = csv("name,email\nA,a@x\nB\nC,c@x,extra\n");
        assert_eq!(r.rows.len(), 1);
        let lines: Vec<_> = r.bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, [3, 4]);
        assert!(r.bad[0].message.contains("1 fields where the header has 2"));
    }

    #[test]
    fn a_file_without_a_name_column_is_refused() {
        let e = parse(b"email\na@x\n", Path::new("r.csv")).unwrap_err();
        assert!(e.to_string().contains("no `name` column"), "{e}");
    }

    #[test]
    fn toml_and_json_lists() {
        let t = parse(
            b"[[recipients]]\nname = \"A\"\naddress = [\"L1\", \"L2\"]\n[[recipients]]\ntitle = \"x\"\n",
            Path::new("r.toml"),
        )
        .unwrap();
        assert_eq!(t.rows[0].get("address"), Some("L1\nL2"));
        assert_eq!(t.bad[0].line, 2);
        let j = parse(br#"[{"name": "A", "count": 3}]"#, Path::new("r.json")).unwrap();
        assert_eq!(j.rows[0].get("count"), Some("3"));
    }

    #[test]
    fn a_row_gives_its_name_its_language_and_its_place() {
        let r = csv("Name,Language,Postal address,E-mail\nJane Doe, fr ,1 St,j@x\n");
        assert_eq!(r.columns, ["name", "language", "postal_address", "e_mail"]);
        assert_eq!(r.rows[0].name(), "Jane Doe");
        assert_eq!(r.rows[0].language(), Some("fr"));
        assert_eq!(r.place(7), "r.csv:7");
        let r = csv("name,language\nJane,\n");
        assert_eq!(r.rows[0].language(), None);
        let t = parse(b"[[recipients]]\nname = \"A\"\n", Path::new("r.toml")).unwrap();
        assert_eq!(t.place(3), "r.toml: recipient 3");
        let j = parse(br#"[{"name": "A"}]"#, Path::new("r.json")).unwrap();
        assert_eq!(j.place(1), "r.json: recipient 1");
    }

    #[test]
    fn the_delimiter_is_the_headers_own_outside_quotes() {
        assert_eq!(sniff_delimiter("\"name, full\";x;y\n"), b';');
        assert_eq!(sniff_delimiter("\"a,b,c\";x\n"), b';');
        assert_eq!(sniff_delimiter("name\tx\n"), b'\t');
        assert_eq!(sniff_delimiter("name,x;y,z\n"), b',');
        // No delimiter at all: a comma, as CSV means.
        assert_eq!(sniff_delimiter("name\nDoe; Jane\n"), b',');
    }

    #[test]
    fn columns_are_named_once_and_unnamed_ones_dropped() {
        let r = csv("name,,\nA,x,y\n");
        assert_eq!(r.rows.len(), 1);
        assert_eq!(r.rows[0].fields.keys().collect::<Vec<_>>(), ["name"]);
        let e = parse(b"name,Name\nA,B\n", Path::new("r.csv")).unwrap_err();
        assert!(e.to_string().contains("`name` appears twice"), "{e}");
    }

    #[test]
    fn limits_hold_at_their_bounds() {
        let at = "x".repeat(MAX_FIELD_BYTES);
        let r = csv(&format!("name,note\nA,{at}\nB,{at}y\n"));
        assert_eq!(r.rows.len(), 1);
        assert_eq!(r.rows[0].name(), "A");
        assert_eq!(r.bad.len(), 1);
        assert_eq!(r.bad[0].line, 3);
        assert!(r.bad[0].message.contains("longer than 10000 bytes"));
        let rows = |n: usize| format!("name\n{}", "A\n".repeat(n));
        assert_eq!(csv(&rows(MAX_RECIPIENTS)).rows.len(), MAX_RECIPIENTS);
        let e = parse(rows(MAX_RECIPIENTS + 1).as_bytes(), Path::new("r.csv")).unwrap_err();
        assert!(e.to_string().contains("at most 100000"), "{e}");
    }

    #[test]
    fn json_values_become_text_and_a_list_of_lines_an_address() {
        let j = parse(
            br#"{"recipients": [{"name": "A", "vip": true, "note": null, "address": ["1 St", "City"]},
                                {"name": "B", "address": [1, 2]}]}"#,
            Path::new("r.json"),
        )
        .unwrap();
        assert_eq!(j.rows.len(), 1);
        let a = &j.rows[0];
        assert_eq!(a.fields.get("vip").map(String::as_str), Some("true"));
        assert_eq!(a.fields.get("note").map(String::as_str), Some(""));
        assert_eq!(a.get("address"), Some("1 St\nCity"));
        assert_eq!(j.bad.len(), 1);
        assert_eq!(j.bad[0].line, 2);
        assert!(j.bad[0].message.contains("`address` is not text"));
        let e = parse(br#"{"people": []}"#, Path::new("r.json")).unwrap_err();
        assert!(e.to_string().contains("{\"recipients\": [...]}"), "{e}");
    }

    #[test]
    fn a_file_of_up_to_256_mib_is_read() {
        let dir = std::env::temp_dir().join(format!("broadside-recipients-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.csv");
        // Sparse files: nothing is written but their length.
        let sized = |len: u64| {
            let file = std::fs::File::create(&path).unwrap();
            file.set_len(len).unwrap();
            read(&path).unwrap_err().to_string()
        };
        let past = sized(256 * 1024 * 1024 + 1);
        let within = sized(2 * 1024 * 1024);
        let _ = std::fs::remove_dir_all(&dir);
        assert!(past.contains("at most 268435456 bytes"), "{past}");
        // Read, and refused for what it holds.
        assert!(within.contains("no `name` column"), "{within}");
    }
}
