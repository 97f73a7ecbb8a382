//! Signatories kept where coalitions keep them, in a spreadsheet:
//! `signatories = { file = "signatories.csv" }` (CSV or TSV as spreadsheets
//! save them, XLSX or ODS as office suites do). Columns are found by their
//! header, with a mapping for what form tools export; the rows keep the
//! file's order. Every check inline signatories get applies afterwards.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use crate::load::statement::{Consent, Signatory};

/// `signatories = { file = "...", columns = { ... }, sheet = "..." }`.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
pub struct SignatoryFile {
    /// The file, relative to the statement's folder.
    pub file: PathBuf,
    /// A field's column by its header, where the header is not the
    /// field's name (`name = "Organisation name"`).
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// The sheet of a workbook (the first when not given).
    #[serde(default)]
    pub sheet: Option<String>,
}

/// The fields a column can fill, and the headers that name each when no
/// mapping is given (compared without case or surrounding spaces).
const FIELDS: &[(&str, &[&str])] = &[
    (
        "name",
        &[
            "name",
            "organisation",
            "organization",
            "organisation name",
            "organization name",
            "signatory",
        ],
    ),
    ("group", &["group"]),
    ("country", &["country", "country or region"]),
    ("url", &["url", "website", "web site"]),
    ("logo", &["logo"]),
    (
        "consent.by",
        &["consent by", "authorised by", "authorized by"],
    ),
    (
        "consent.contact",
        &["consent contact", "contact", "email", "email address"],
    ),
    // A Google Forms export's first column is when the form was sent.
    ("consent.date", &["consent date", "timestamp", "date"]),
    ("consent.method", &["consent method", "method"]),
    ("consent.wording", &["consent wording", "consent text"]),
];

/// The fields a signatory file holds, in the order `collect` writes them.
pub fn fields() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().map(|(f, _)| *f)
}

/// The header `field`'s column has in files read with `spec`: the
/// mapping's, or the field's own name.
pub fn header(spec: &SignatoryFile, field: &str) -> String {
    if let Some(mapped) = spec.columns.get(field) {
        return mapped.clone();
    }
    FIELDS
        .iter()
        .find(|(f, _)| *f == field)
        .and_then(|(_, names)| names.first())
        .map_or_else(|| field.to_owned(), |n| (*n).to_owned())
}

/// One row read, with where it came from.
pub struct Row {
    /// The row's number as the spreadsheet shows it (the header is 1).
    pub row: usize,
    /// The signatory it gives.
    pub signatory: Signatory,
    /// The column each field came from, for messages.
    pub columns: BTreeMap<&'static str, String>,
}

/// Reads the file's signatories, in the file's order. `Err` is a message
/// about the file (its key is `signatories.file`).
pub fn read(base_dir: &Path, spec: &SignatoryFile) -> Result<Vec<Row>, String> {
    for field in spec.columns.keys() {
        if !FIELDS.iter().any(|(f, _)| f == field) {
            return Err(format!(
                "`signatories.columns.{field}` is not a field; columns can fill {}",
                FIELDS
                    .iter()
                    .map(|(f, _)| *f)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    let shown = spec.file.display().to_string();
    let kind = extension(&spec.file);
    if !matches!(
        kind.as_str(),
        "xlsx" | "xlsm" | "ods" | "xls" | "tsv" | "tab" | "csv" | "txt"
    ) {
        return Err(format!(
            "`{shown}`: broadside reads signatories from .csv, .tsv, .xlsx or .ods, not .{kind}"
        ));
    }
    let path = crate::files::resolve_inside(base_dir, &spec.file)?;
    let bytes = crate::files::read(
        &path,
        crate::load::limits::MAX_SHEET_BYTES,
        "signatories file",
    )
    .map_err(|e| e.to_string())?;
    let table = match kind.as_str() {
        "xlsx" | "xlsm" | "ods" | "xls" => workbook(bytes, spec.sheet.as_deref(), &shown)?,
        "tsv" | "tab" => delimited(&bytes, b'\t', &shown)?,
        "csv" | "txt" => {
            let text = std::str::from_utf8(&bytes).unwrap_or_default();
            // Spreadsheets in some locales save CSV with semicolons.
            let first = text.lines().next().unwrap_or_default();
            let delimiter = if first.matches(';').count() > first.matches(',').count() {
                b';'
            } else {
                b','
            };
            delimited(&bytes, delimiter, &shown)?
        }
        _ => delimited(&bytes, b',', &shown)?,
    };
    rows(table, spec, &shown)
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The header row and the rows below it, as text.
type Table = (Vec<String>, Vec<Vec<String>>);

fn delimited(bytes: &[u8], delimiter: u8, shown: &str) -> Result<Table, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(format!(
            "`{shown}` is not UTF-8 text (byte {}); save it from the spreadsheet as \"CSV UTF-8\"",
            e.valid_up_to()
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut all = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("`{shown}` row {}: {e}", i + 1))?;
        all.push(record.iter().map(str::to_owned).collect::<Vec<_>>());
    }
    let mut all = all.into_iter();
    let header = all.next().unwrap_or_default();
    Ok((header, all.collect()))
}

fn workbook(bytes: Vec<u8>, sheet: Option<&str>, shown: &str) -> Result<Table, String> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("`{shown}` is not a workbook broadside can read ({e})"))?;
    let names = book.sheet_names();
    let range = match sheet {
        Some(name) => book.worksheet_range(name).map_err(|_| {
            format!(
                "`{shown}` has no sheet `{name}`; it has {}",
                names.join(", ")
            )
        })?,
        None => book
            .worksheet_range_at(0)
            .ok_or_else(|| format!("`{shown}` has no sheets"))?
            .map_err(|e| format!("`{shown}`: {e}"))?,
    };
    let mut rows = range
        .rows()
        .map(|row| row.iter().map(cell).collect::<Vec<_>>());
    let header = rows.next().unwrap_or_default();
    Ok((header, rows.collect()))
}

/// A cell as the text a person sees; dates as ISO dates.
fn cell(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::DateTime(dt) => serial_date(dt.as_f64()),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// A spreadsheet's date serial (days since 1899-12-30) as `YYYY-MM-DD`.
fn serial_date(serial: f64) -> String {
    // 25,569 days from the serials' epoch to 1970-01-01.
    let (year, month, day) = crate::load::import::civil_date(serial.floor() as i64 - 25_569);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The rows as signatories, each field from its column.
fn rows((header, body): Table, spec: &SignatoryFile, shown: &str) -> Result<Vec<Row>, String> {
    let normal = |s: &str| s.trim().to_lowercase();
    let mut at: Vec<(&'static str, usize, String)> = Vec::new();
    for (field, names) in FIELDS {
        let found = match spec.columns.get(*field) {
            Some(wanted) => Some(
                header
                    .iter()
                    .position(|h| normal(h) == normal(wanted))
                    .ok_or_else(|| {
                        format!(
                            "`{shown}` has no column `{wanted}` (for {field}); its columns are {}",
                            header.join(", ")
                        )
                    })?,
            ),
            None => header
                .iter()
                .position(|h| names.contains(&normal(h).as_str())),
        };
        if let Some(i) = found {
            at.push((field, i, header[i].trim().to_owned()));
        }
    }
    if !at.iter().any(|(f, ..)| *f == "name") {
        return Err(format!(
            "`{shown}` has no column for the signatories' names (columns: {}); name one with [signatories.columns] name = \"...\"",
            header.join(", ")
        ));
    }
    let mut out = Vec::new();
    for (i, cells) in body.into_iter().enumerate() {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut s = Signatory::default();
        let mut consent = Consent::default();
        let mut columns = BTreeMap::new();
        for (field, column, title) in &at {
            let value = cells.get(*column).map(|v| v.trim()).unwrap_or_default();
            columns.insert(*field, title.clone());
            let some = (!value.is_empty()).then(|| value.to_owned());
            match *field {
                "name" => s.name = value.to_owned(),
                "group" => s.group = some,
                "country" => s.country = some,
                "url" => s.url = some,
                "logo" => s.logo = some.map(PathBuf::from),
                "consent.by" => consent.by = some,
                "consent.contact" => consent.contact = some,
                "consent.date" => consent.date = some,
                "consent.wording" => consent.wording = some,
                _ => consent.method = some,
            }
        }
        if consent != Consent::default() {
            s.consent = Some(Box::new(consent));
        }
        out.push(Row {
            row: i + 2,
            signatory: s,
            columns,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates() {
        assert_eq!(serial_date(45_960.0), "2025-10-30");
        assert_eq!(serial_date(25_569.0), "1970-01-01");
        assert_eq!(serial_date(43_890.5), "2020-02-29");
    }

    #[test]
    fn columns_by_header_and_by_mapping() {
        let table = (
            vec![
                "Timestamp".into(),
                "Organisation name".into(),
                "Country".into(),
                "Email Address".into(),
            ],
            vec![
                vec![
                    "2025-10-01".into(),
                    "350.org".into(),
                    "".into(),
                    "a@350.org".into(),
                ],
                vec!["".into(), "".into(), "".into(), "".into()],
                vec![
                    "2025-10-02".into(),
                    "Viasna".into(),
                    "Belarus".into(),
                    "".into(),
                ],
            ],
        );
        let rows = rows(table, &SignatoryFile::default(), "f.csv").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].signatory.name, "350.org");
        assert_eq!(rows[0].row, 2);
        assert_eq!(rows[1].row, 4);
        assert_eq!(rows[1].signatory.country.as_deref(), Some("Belarus"));
        let consent = rows[0].signatory.consent.clone().unwrap();
        assert_eq!(consent.date.as_deref(), Some("2025-10-01"));
        assert_eq!(consent.contact.as_deref(), Some("a@350.org"));
        let spec = SignatoryFile {
            columns: BTreeMap::from([("name".into(), "Signed as".into())]),
            ..SignatoryFile::default()
        };
        let e = super::rows((vec!["Name".into()], vec![]), &spec, "f.csv")
            .err()
            .unwrap();
        assert!(e.contains("no column `Signed as`"), "{e}");
    }
}
