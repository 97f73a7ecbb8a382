//! Where sign-ons are kept: a small interface ([`Store`]) and its SQLite
//! implementation, one file beside the statement.
//!
//! Every call that changes something is one committed transaction in WAL
//! mode with `synchronous = FULL`, so a signature the server has answered
//! for is on disk, whatever happens to the process next. A server database
//! (PostgreSQL) would implement the same trait for more than one machine.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::load::statement::{Consent, Signatory};

/// A sign-on as the form delivers it, checked.
#[derive(Debug, Clone, Default)]
pub struct NewSignature {
    /// The organisation's (or person's) name, as it is to be printed.
    pub name: String,
    /// Country or region.
    pub country: Option<String>,
    /// Website.
    pub url: Option<String>,
    /// The stored logo's path, relative to the statement.
    pub logo: Option<String>,
    /// The language of the page it was sent from.
    pub language: String,
    /// Who authorised it (never published).
    pub contact_name: String,
    /// Their role.
    pub contact_role: Option<String>,
    /// Their email, where the confirmation link goes (never published).
    pub contact_email: String,
    /// The consent words shown beside the box they ticked.
    pub wording: String,
    /// When it arrived (Unix seconds).
    pub received: i64,
}

/// What [`Store::add`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// Stored, with this id.
    New(i64),
    /// The same name from the same email was already stored (a second
    /// press of the button): nothing new was stored.
    Again(i64),
}

/// Where a sign-on stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Waiting for its contact to follow the emailed link.
    Unconfirmed,
    /// Confirmed, waiting for staff.
    Pending,
    /// Approved by staff: listed.
    Approved,
    /// Rejected by staff.
    Rejected,
    /// Merged into another entry (the same signatory twice).
    Merged,
}

impl State {
    /// The word stored.
    pub fn name(self) -> &'static str {
        match self {
            State::Unconfirmed => "unconfirmed",
            State::Pending => "pending",
            State::Approved => "approved",
            State::Rejected => "rejected",
            State::Merged => "merged",
        }
    }

    fn parse(word: &str) -> State {
        match word {
            "pending" => State::Pending,
            "approved" => State::Approved,
            "rejected" => State::Rejected,
            "merged" => State::Merged,
            _ => State::Unconfirmed,
        }
    }
}

/// A stored sign-on.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Stored {
    /// Its id.
    pub id: i64,
    /// The name to print.
    pub name: String,
    /// The group it is listed under.
    pub group: Option<String>,
    /// Country or region.
    pub country: Option<String>,
    /// Website.
    pub url: Option<String>,
    /// Logo, relative to the statement.
    pub logo: Option<String>,
    /// The page's language.
    pub language: String,
    /// Who authorised it.
    pub contact_name: Option<String>,
    /// Their role.
    pub contact_role: Option<String>,
    /// Their email.
    pub contact_email: Option<String>,
    /// When they agreed (confirmed), as written in the consent record.
    pub consent_date: Option<String>,
    /// How they agreed.
    pub consent_method: Option<String>,
    /// The words they agreed to.
    pub wording: Option<String>,
    /// When it arrived (Unix seconds).
    pub received: i64,
    /// Where it stands.
    #[serde(skip)]
    pub state: State,
}

impl Stored {
    /// The signatory it gives in the documents, with its consent record.
    pub fn signatory(&self) -> Signatory {
        let by = match (&self.contact_name, &self.contact_role) {
            (Some(n), Some(r)) => Some(format!("{n}, {r}")),
            (Some(n), None) => Some(n.clone()),
            _ => None,
        };
        let consent = Consent {
            by,
            contact: self.contact_email.clone(),
            date: self.consent_date.clone(),
            method: self.consent_method.clone(),
            wording: self.wording.clone(),
        };
        Signatory {
            name: self.name.clone(),
            group: self.group.clone(),
            country: self.country.clone(),
            url: self.url.clone(),
            logo: self.logo.as_ref().map(PathBuf::from),
            consent: (consent != Consent::default()).then(|| Box::new(consent)),
            names: Default::default(),
        }
    }
}

/// A staff decision on a confirmed sign-on.
#[derive(Debug, Clone)]
pub enum Decision {
    /// List it, with the spelling, group and country staff settled on.
    Approve {
        /// The name as it will be printed.
        name: String,
        /// Its group.
        group: Option<String>,
        /// Its country.
        country: Option<String>,
    },
    /// Do not list it.
    Reject,
    /// It is the entry `into` again: not listed a second time.
    Merge {
        /// The entry kept.
        into: i64,
    },
}

/// A signed-in member of staff.
#[derive(Debug, Clone)]
pub struct Session {
    /// Their user name.
    pub staff: String,
    /// The token every form of theirs must carry.
    pub csrf: String,
}

/// The storage a sign-on server needs. Every method is one transaction.
pub trait Store: Send + Sync {
    /// Stores a sign-on, unconfirmed; the same name from the same email
    /// is stored once.
    fn add(&self, signature: &NewSignature) -> Result<Added>;
    /// Marks an unconfirmed sign-on confirmed at `at` (its contact followed
    /// the link); `false` when there is no such sign-on.
    fn confirm(&self, id: i64, at: &str, method: &str) -> Result<bool>;
    /// One sign-on.
    fn get(&self, id: i64) -> Result<Option<Stored>>;
    /// The listed sign-ons, in the order the documents print them: by
    /// the first appearance of their group, then in the order approved.
    fn listed(&self) -> Result<Vec<Stored>>;
    /// How many are listed.
    fn count_listed(&self) -> Result<usize>;
    /// The confirmed sign-ons waiting for staff, oldest first.
    fn queue(&self) -> Result<Vec<Stored>>;
    /// Applies a decision, by `staff` at `at` (Unix seconds); `false` when
    /// the sign-on is not waiting for one.
    fn decide(&self, id: i64, decision: &Decision, staff: &str, at: i64) -> Result<bool>;
    /// Puts a decided sign-on back in the queue (an approval whose list
    /// the statement refused).
    fn reopen(&self, id: i64) -> Result<()>;
    /// Takes the list already in the signatory file as approved, once:
    /// `false` when that was done before.
    fn seed(&self, existing: &[Signatory], at: i64) -> Result<bool>;
    /// Up to `limit` sign-ons whose confirmation email is still to send.
    fn mail_queue(&self, limit: usize) -> Result<Vec<Stored>>;
    /// Records the confirmation email of `id` as sent (or failed for good).
    fn mail_done(&self, id: i64, sent: bool, detail: &str) -> Result<()>;
    /// The server's secret for signing links (made at first use).
    fn secret(&self) -> Result<Vec<u8>>;
    /// Sets a staff member's password hash.
    fn set_staff(&self, name: &str, hash: &str) -> Result<()>;
    /// A staff member's password hash.
    fn staff_hash(&self, name: &str) -> Result<Option<String>>;
    /// Opens a session, known by the hash of its cookie.
    fn open_session(&self, key: &str, session: &Session, expires: i64) -> Result<()>;
    /// The session of a cookie's hash, if open at `now`.
    fn session(&self, key: &str, now: i64) -> Result<Option<Session>>;
    /// Ends a session.
    fn close_session(&self, key: &str) -> Result<()>;
}

/// The SQLite [`Store`]: `NAME.signatures.sqlite` beside the statement.
pub struct SqliteStore {
    db: Mutex<Connection>,
    path: PathBuf,
}

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS signatures (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    grp TEXT,
    country TEXT,
    url TEXT,
    logo TEXT,
    language TEXT NOT NULL DEFAULT '',
    contact_name TEXT,
    contact_role TEXT,
    contact_email TEXT,
    consent_date TEXT,
    consent_method TEXT,
    wording TEXT,
    received INTEGER NOT NULL,
    state TEXT NOT NULL,
    listed_at INTEGER,
    decided_by TEXT,
    decided_at INTEGER,
    merged_into INTEGER,
    mail TEXT NOT NULL DEFAULT 'none',
    mail_detail TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX IF NOT EXISTS one_per_contact
    ON signatures (name_key, contact_email) WHERE contact_email IS NOT NULL;
CREATE INDEX IF NOT EXISTS by_state ON signatures (state);
CREATE INDEX IF NOT EXISTS by_mail ON signatures (mail) WHERE mail = 'queued';
CREATE TABLE IF NOT EXISTS staff (name TEXT PRIMARY KEY, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    key TEXT PRIMARY KEY,
    staff TEXT NOT NULL,
    csrf TEXT NOT NULL,
    expires INTEGER NOT NULL
);";

const COLUMNS: &str = "id, name, grp, country, url, logo, language, contact_name, contact_role, \
                       contact_email, consent_date, consent_method, wording, received, state";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
    Ok(Stored {
        id: r.get(0)?,
        name: r.get(1)?,
        group: r.get(2)?,
        country: r.get(3)?,
        url: r.get(4)?,
        logo: r.get(5)?,
        language: r.get(6)?,
        contact_name: r.get(7)?,
        contact_role: r.get(8)?,
        contact_email: r.get(9)?,
        consent_date: r.get(10)?,
        consent_method: r.get(11)?,
        wording: r.get(12)?,
        received: r.get(13)?,
        state: State::parse(&r.get::<_, String>(14)?),
    })
}

impl SqliteStore {
    /// The database for the statement at `statement`.
    pub fn path_for(statement: &Path) -> PathBuf {
        let stem = statement
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("statement");
        statement.with_file_name(format!("{stem}.signatures.sqlite"))
    }

    /// Opens (or creates) the database at `path`.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let db = Connection::open(path).map_err(|e| failed(path, &e))?;
        db.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| failed(path, &e))?;
        db.execute_batch(SCHEMA).map_err(|e| failed(path, &e))?;
        Ok(SqliteStore {
            db: Mutex::new(db),
            path: path.to_path_buf(),
        })
    }

    /// Where the database is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn with<T>(&self, work: impl FnOnce(&mut Connection) -> rusqlite::Result<T>) -> Result<T> {
        // A panic while holding the lock cannot leave a transaction half
        // done (SQLite rolls it back), so a poisoned lock is still usable.
        let mut db = self.db.lock().unwrap_or_else(|p| p.into_inner());
        work(&mut db).map_err(|e| failed(&self.path, &e))
    }
}

fn failed(path: &Path, e: &rusqlite::Error) -> Error {
    Error::Usage(format!(
        "the sign-on database {} cannot be used: {e}",
        path.display()
    ))
}

impl Store for SqliteStore {
    fn add(&self, s: &NewSignature) -> Result<Added> {
        let key = crate::load::duplicates::key(&s.name);
        let email = s.contact_email.to_lowercase();
        self.with(|db| {
            let tx = db.transaction()?;
            let known: Option<i64> = tx
                .query_row(
                    "SELECT id FROM signatures WHERE name_key = ?1 AND contact_email = ?2",
                    params![key, email],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = known {
                return Ok(Added::Again(id));
            }
            tx.execute(
                "INSERT INTO signatures (name, name_key, country, url, logo, language,
                     contact_name, contact_role, contact_email, wording, received, state, mail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'unconfirmed', 'queued')",
                params![
                    s.name,
                    key,
                    s.country,
                    s.url,
                    s.logo,
                    s.language,
                    s.contact_name,
                    s.contact_role,
                    email,
                    s.wording,
                    s.received
                ],
            )?;
            let id = tx.last_insert_rowid();
            tx.commit()?;
            Ok(Added::New(id))
        })
    }

    fn confirm(&self, id: i64, at: &str, method: &str) -> Result<bool> {
        self.with(|db| {
            let changed = db.execute(
                "UPDATE signatures SET state = 'pending', consent_date = ?2, consent_method = ?3
                 WHERE id = ?1 AND state = 'unconfirmed'",
                params![id, at, method],
            )?;
            if changed > 0 {
                return Ok(true);
            }
            // Following the link twice is not an error.
            let exists: Option<String> = db
                .query_row("SELECT state FROM signatures WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            Ok(exists.is_some())
        })
    }

    fn get(&self, id: i64) -> Result<Option<Stored>> {
        self.with(|db| {
            db.query_row(
                &format!("SELECT {COLUMNS} FROM signatures WHERE id = ?1"),
                [id],
                row,
            )
            .optional()
        })
    }

    fn listed(&self) -> Result<Vec<Stored>> {
        self.with(|db| {
            // A group's place is where its first listed member is; inside
            // a group, the order of listing (seeded rows first, as the file
            // had them).
            // (Each group's first place is found once, in one grouped pass:
            // a subquery per row made this quadratic, 17 s at 10,000.)
            let mut q = db.prepare(&format!(
                "SELECT {COLUMNS} FROM signatures
                 JOIN (SELECT grp AS g, MIN(listed_at) AS first FROM signatures
                       WHERE state = 'approved' GROUP BY grp) ON g IS grp
                 WHERE state = 'approved'
                 ORDER BY first, listed_at, id"
            ))?;
            q.query_map([], row)?.collect()
        })
    }

    fn count_listed(&self) -> Result<usize> {
        self.with(|db| {
            db.query_row(
                "SELECT COUNT(*) FROM signatures WHERE state = 'approved'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as usize)
        })
    }

    fn queue(&self) -> Result<Vec<Stored>> {
        self.with(|db| {
            let mut q = db.prepare(&format!(
                "SELECT {COLUMNS} FROM signatures WHERE state = 'pending' ORDER BY id"
            ))?;
            q.query_map([], row)?.collect()
        })
    }

    fn decide(&self, id: i64, decision: &Decision, staff: &str, at: i64) -> Result<bool> {
        self.with(|db| {
            let tx = db.transaction()?;
            let changed = match decision {
                Decision::Approve {
                    name,
                    group,
                    country,
                } => {
                    let next: i64 = tx.query_row(
                        "SELECT COALESCE(MAX(listed_at), 0) + 1 FROM signatures",
                        [],
                        |r| r.get(0),
                    )?;
                    tx.execute(
                        "UPDATE signatures SET state = 'approved', name = ?2, name_key = ?3,
                             grp = ?4, country = ?5, listed_at = ?6, decided_by = ?7, decided_at = ?8
                         WHERE id = ?1 AND state = 'pending'",
                        params![
                            id,
                            name,
                            crate::load::duplicates::key(name),
                            group,
                            country,
                            next,
                            staff,
                            at
                        ],
                    )?
                }
                Decision::Reject => tx.execute(
                    "UPDATE signatures SET state = 'rejected', decided_by = ?2, decided_at = ?3
                     WHERE id = ?1 AND state = 'pending'",
                    params![id, staff, at],
                )?,
                Decision::Merge { into } => tx.execute(
                    "UPDATE signatures SET state = 'merged', merged_into = ?2, decided_by = ?3,
                         decided_at = ?4
                     WHERE id = ?1 AND state = 'pending' AND ?2 != ?1
                       AND EXISTS (SELECT 1 FROM signatures WHERE id = ?2
                                   AND state IN ('approved', 'pending'))",
                    params![id, into, staff, at],
                )?,
            };
            tx.commit()?;
            Ok(changed > 0)
        })
    }

    fn reopen(&self, id: i64) -> Result<()> {
        self.with(|db| {
            db.execute(
                "UPDATE signatures SET state = 'pending', listed_at = NULL, merged_into = NULL,
                     decided_by = NULL, decided_at = NULL WHERE id = ?1",
                [id],
            )
            .map(drop)
        })
    }

    fn seed(&self, existing: &[Signatory], at: i64) -> Result<bool> {
        self.with(|db| {
            let tx = db.transaction()?;
            let done: Option<i64> = tx
                .query_row("SELECT 1 FROM meta WHERE key = 'seeded'", [], |r| r.get(0))
                .optional()?;
            if done.is_some() {
                return Ok(false);
            }
            for (i, s) in existing.iter().enumerate() {
                let consent = s.consent.as_deref().cloned().unwrap_or_default();
                tx.execute(
                    "INSERT INTO signatures (name, name_key, grp, country, url, logo,
                         contact_name, contact_email, consent_date, consent_method, wording,
                         received, state, listed_at, decided_by, decided_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'approved',
                             ?13, 'the signatory file', ?12)",
                    params![
                        s.name,
                        crate::load::duplicates::key(&s.name),
                        s.group,
                        s.country,
                        s.url,
                        s.logo.as_ref().map(|p| p.to_string_lossy().into_owned()),
                        consent.by,
                        consent.contact,
                        consent.date,
                        consent.method,
                        consent.wording,
                        at,
                        i as i64 + 1,
                    ],
                )?;
            }
            tx.execute("INSERT INTO meta (key, value) VALUES ('seeded', 1)", [])?;
            tx.commit()?;
            Ok(true)
        })
    }

    fn mail_queue(&self, limit: usize) -> Result<Vec<Stored>> {
        self.with(|db| {
            let mut q = db.prepare(&format!(
                "SELECT {COLUMNS} FROM signatures WHERE mail = 'queued' ORDER BY id LIMIT ?1"
            ))?;
            q.query_map([limit as i64], row)?.collect()
        })
    }

    fn mail_done(&self, id: i64, sent: bool, detail: &str) -> Result<()> {
        self.with(|db| {
            db.execute(
                "UPDATE signatures SET mail = ?2, mail_detail = ?3 WHERE id = ?1",
                params![id, if sent { "sent" } else { "failed" }, detail],
            )
            .map(drop)
        })
    }

    fn secret(&self) -> Result<Vec<u8>> {
        let fresh = super::token::random_bytes::<32>()?;
        self.with(|db| {
            db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('secret', ?1)",
                [fresh.as_slice()],
            )?;
            db.query_row("SELECT value FROM meta WHERE key = 'secret'", [], |r| {
                r.get(0)
            })
        })
    }

    fn set_staff(&self, name: &str, hash: &str) -> Result<()> {
        self.with(|db| {
            let tx = db.transaction()?;
            tx.execute(
                "INSERT INTO staff (name, hash) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET hash = excluded.hash",
                params![name, hash],
            )?;
            // A new password ends the sessions opened with the old one.
            tx.execute("DELETE FROM sessions WHERE staff = ?1", [name])?;
            tx.commit()
        })
    }

    fn staff_hash(&self, name: &str) -> Result<Option<String>> {
        self.with(|db| {
            db.query_row("SELECT hash FROM staff WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
        })
    }

    fn open_session(&self, key: &str, session: &Session, expires: i64) -> Result<()> {
        self.with(|db| {
            db.execute(
                "INSERT INTO sessions (key, staff, csrf, expires) VALUES (?1, ?2, ?3, ?4)",
                params![key, session.staff, session.csrf, expires],
            )
            .map(drop)
        })
    }

    fn session(&self, key: &str, now: i64) -> Result<Option<Session>> {
        self.with(|db| {
            db.query_row(
                "SELECT staff, csrf FROM sessions WHERE key = ?1 AND expires > ?2",
                params![key, now],
                |r| {
                    Ok(Session {
                        staff: r.get(0)?,
                        csrf: r.get(1)?,
                    })
                },
            )
            .optional()
        })
    }

    fn close_session(&self, key: &str) -> Result<()> {
        self.with(|db| {
            db.execute("DELETE FROM sessions WHERE key = ?1", [key])
                .map(drop)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signature(name: &str, email: &str) -> NewSignature {
        NewSignature {
            name: name.into(),
            language: "en".into(),
            contact_name: "A. Person".into(),
            contact_email: email.into(),
            wording: "We agree.".into(),
            received: 1,
            ..Default::default()
        }
    }

    #[test]
    fn a_sign_on_goes_from_unconfirmed_to_listed_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.sqlite")).unwrap();
        let seeded = [Signatory {
            name: "Convener One".into(),
            group: Some("Conveners".into()),
            ..Default::default()
        }];
        assert!(store.seed(&seeded, 1).unwrap());
        assert!(!store.seed(&seeded, 2).unwrap(), "seeded once");
        let Added::New(id) = store.add(&signature("Rights Now", "a@x.org")).unwrap() else {
            panic!("new")
        };
        assert_eq!(
            store.add(&signature("RIGHTS NOW ", "A@x.org")).unwrap(),
            Added::Again(id)
        );
        assert!(
            store.queue().unwrap().is_empty(),
            "unconfirmed are not queued"
        );
        assert!(
            store
                .confirm(id, "2026-10-01T10:00:00Z", "web form")
                .unwrap()
        );
        assert_eq!(store.queue().unwrap().len(), 1);
        let approve = Decision::Approve {
            name: "Rights Now!".into(),
            group: Some("Co-signers".into()),
            country: None,
        };
        assert!(store.decide(id, &approve, "staff", 3).unwrap());
        assert!(!store.decide(id, &Decision::Reject, "staff", 4).unwrap());
        let names: Vec<_> = store
            .listed()
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["Convener One", "Rights Now!"]);
        let consent = store.get(id).unwrap().unwrap().signatory().consent.unwrap();
        assert_eq!(consent.contact.as_deref(), Some("a@x.org"));
        assert_eq!(consent.wording.as_deref(), Some("We agree."));
    }
}
