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

/// The signatories a file gives, with where each came from.
pub struct Sheet {
    /// The signatories, in the file's order.
    pub signatories: Vec<Signatory>,
    /// Each signatory's row, numbered as the spreadsheet shows it (the
    /// header is 1).
    pub rows: Vec<usize>,
    /// The column each field came from, by its header, for messages.
    pub columns: BTreeMap<&'static str, String>,
}

/// Reads the file's signatories, in the file's order. `Err` is a message
/// about the file (its key is `signatories.file`).
pub fn read(base_dir: &Path, spec: &SignatoryFile) -> Result<Sheet, String> {
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
    let workbook_file = matches!(kind.as_str(), "xlsx" | "xlsm" | "ods" | "xls");
    if !workbook_file && !matches!(kind.as_str(), "tsv" | "tab" | "csv" | "txt") {
        return Err(format!(
            "`{shown}`: broadside reads signatories from .csv, .tsv, .xlsx or .ods, not .{kind}"
        ));
    }
    let path = crate::files::resolve_inside(base_dir, &spec.file)?;
    let (limit, what) = if workbook_file {
        (
            crate::load::limits::MAX_WORKBOOK_BYTES,
            "signatories workbook",
        )
    } else {
        (crate::load::limits::MAX_SHEET_BYTES, "signatories file")
    };
    let bytes = crate::files::read(&path, limit, what).map_err(|e| e.to_string())?;
    if workbook_file {
        return workbook(bytes, spec, &shown);
    }
    let delimiter = if matches!(kind.as_str(), "tsv" | "tab") {
        b'\t'
    } else {
        // Spreadsheets in some locales save CSV with semicolons.
        let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        let count = |c: u8| first.iter().filter(|&&b| b == c).count();
        if count(b';') > count(b',') {
            b';'
        } else {
            b','
        }
    };
    delimited(&bytes, delimiter, spec, &shown)
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The rows of a CSV or TSV file, each made a signatory as it is read: a
/// list of a million rows is never held as a table of cells too.
fn delimited(
    bytes: &[u8],
    delimiter: u8,
    spec: &SignatoryFile,
    shown: &str,
) -> Result<Sheet, String> {
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
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(record) => record
            .map_err(|e| format!("`{shown}` row 1: {e}"))?
            .iter()
            .map(str::to_owned)
            .collect(),
        None => Vec::new(),
    };
    let mut sheet = Filling::new(&header, spec, shown)?;
    for (i, record) in records.enumerate() {
        let record = record.map_err(|e| format!("`{shown}` row {}: {e}", i + 2))?;
        let cells: Vec<&str> = record.iter().collect();
        sheet.push(i + 2, &cells, shown)?;
    }
    Ok(sheet.done())
}

fn workbook(bytes: Vec<u8>, spec: &SignatoryFile, shown: &str) -> Result<Sheet, String> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("`{shown}` is not a workbook broadside can read ({e})"))?;
    let names = book.sheet_names();
    let range = match spec.sheet.as_deref() {
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
    let text = |row: &[Data]| row.iter().map(cell).collect::<Vec<_>>();
    let mut rows = range.rows();
    let header = rows.next().map(text).unwrap_or_default();
    let mut sheet = Filling::new(&header, spec, shown)?;
    for (i, row) in rows.enumerate() {
        sheet.push(i + 2, &text(row), shown)?;
    }
    Ok(sheet.done())
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

/// A sheet being read: where each field's column is, and the rows so far.
struct Filling {
    /// Each field found, with its column's index.
    at: Vec<(&'static str, usize)>,
    sheet: Sheet,
}

impl Filling {
    /// A sheet with the columns `header` names, before its rows.
    fn new(header: &[String], spec: &SignatoryFile, shown: &str) -> Result<Filling, String> {
        let normal = |s: &str| s.trim().to_lowercase();
        let mut at = Vec::new();
        let mut columns = BTreeMap::new();
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
                at.push((*field, i));
                columns.insert(*field, header[i].trim().to_owned());
            }
        }
        if !at.iter().any(|(f, _)| *f == "name") {
            return Err(format!(
                "`{shown}` has no column for the signatories' names (columns: {}); name one with [signatories.columns] name = \"...\"",
                header.join(", ")
            ));
        }
        Ok(Filling {
            at,
            sheet: Sheet {
                signatories: Vec::new(),
                rows: Vec::new(),
                columns,
            },
        })
    }

    /// Row `row`'s cells as a signatory; a blank row is passed over. Past
    /// the most signatories a statement may carry, the file is refused
    /// before the rest of it is read.
    fn push<S: AsRef<str>>(&mut self, row: usize, cells: &[S], shown: &str) -> Result<(), String> {
        if cells.iter().all(|c| c.as_ref().trim().is_empty()) {
            return Ok(());
        }
        let most = crate::load::limits::MAX_SIGNATORIES;
        if self.sheet.signatories.len() == most {
            return Err(format!(
                "`{shown}` has more than {most} signatories (row {row} is past them); broadside sets at most {most}"
            ));
        }
        let mut s = Signatory::default();
        let mut consent = Consent::default();
        for &(field, column) in &self.at {
            let value = cells
                .get(column)
                .map(|v| v.as_ref().trim())
                .unwrap_or_default();
            let some = (!value.is_empty()).then(|| value.to_owned());
            match field {
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
        self.sheet.signatories.push(s);
        self.sheet.rows.push(row);
        Ok(())
    }

    /// The sheet read.
    fn done(mut self) -> Sheet {
        // The rows grew by doubling; the slack would be kept for the build.
        self.sheet.signatories.shrink_to_fit();
        self.sheet.rows.shrink_to_fit();
        self.sheet
    }
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
        let table: (Vec<String>, Vec<Vec<String>>) = (
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
        let mut sheet = Filling::new(&table.0, &SignatoryFile::default(), "f.csv").unwrap();
        for (i, cells) in table.1.iter().enumerate() {
            sheet.push(i + 2, cells, "f.csv").unwrap();
        }
        let sheet = sheet.done();
        let rows = &sheet.signatories;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "350.org");
        assert_eq!(sheet.rows, [2, 4]);
        assert_eq!(rows[1].country.as_deref(), Some("Belarus"));
        assert_eq!(sheet.columns["name"], "Organisation name");
        assert_eq!(sheet.columns["consent.contact"], "Email Address");
        let consent = rows[0].consent.clone().unwrap();
        assert_eq!(consent.date.as_deref(), Some("2025-10-01"));
        assert_eq!(consent.contact.as_deref(), Some("a@350.org"));
        let spec = SignatoryFile {
            columns: BTreeMap::from([("name".into(), "Signed as".into())]),
            ..SignatoryFile::default()
        };
        let e = Filling::new(&["Name".to_owned()], &spec, "f.csv")
            .err()
            .unwrap();
        assert!(e.contains("no column `Signed as`"), "{e}");
    }
}
