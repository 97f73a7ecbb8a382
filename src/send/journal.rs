//! The journal of a campaign: every message's state, on disk before and
//! after each SMTP transaction, so a run that is killed can be resumed
//! without sending anything twice.
//!
//! It is an SQLite database (`journal.sqlite` in the outbox) in WAL mode
//! with `synchronous = FULL`: each state change is one committed
//! transaction, on disk when the call returns, and a kill at any instant
//! leaves the last committed state. An append-only log would need its own
//! torn-write recovery and compaction; SQLite has both, tested far beyond
//! anything we could write.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Written to the outbox, not yet handed to a server.
    Queued,
    /// Its content was being handed to the server (DATA) when this was
    /// written; the reply had not come. Read back after a crash as
    /// [`State::Uncertain`].
    Handed,
    /// The server accepted it (its reply is recorded).
    Accepted,
    /// The server asked to try later (4xx), or the connection was lost
    /// before the content went: it is tried again.
    Deferred,
    /// The server refused it for good (5xx).
    Failed,
    /// The transaction was cut after the content was sent and before the
    /// reply: the server may or may not have it.
    Uncertain,
}

impl State {
    /// The word stored and printed.
    pub fn name(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Handed => "handed",
            State::Accepted => "accepted",
            State::Deferred => "deferred",
            State::Failed => "failed",
            State::Uncertain => "uncertain",
        }
    }

    fn parse(name: &str) -> State {
        match name {
            "handed" => State::Handed,
            "accepted" => State::Accepted,
            "deferred" => State::Deferred,
            "failed" => State::Failed,
            "uncertain" => State::Uncertain,
            _ => State::Queued,
        }
    }
}

/// One message as the journal knows it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its place in the campaign, from 1.
    pub seq: usize,
    /// The `.eml` file in the outbox.
    pub file: String,
    /// The recipient's address.
    pub email: String,
    /// The recipient's name.
    pub name: String,
    /// The language of the message and its attachment.
    pub language: String,
    /// The attached file's name.
    pub attachment: String,
    /// SHA-256 of the message, as written.
    pub digest: String,
    /// Its state.
    pub state: State,
    /// The server's last reply or the reason.
    pub detail: String,
    /// SMTP transactions tried.
    pub attempts: u32,
}

/// An open journal.
pub struct Journal {
    db: Connection,
    path: PathBuf,
}

fn failed(path: &Path, e: &rusqlite::Error) -> Error {
    Error::Usage(format!(
        "{}: the send journal cannot be used ({e}); it is an SQLite file: move it away to start the campaign anew",
        path.display()
    ))
}

impl Journal {
    /// Opens (or creates) the journal in `dir`. A message left `handed` by a
    /// run that stopped is `uncertain` from now on.
    pub fn open(dir: &Path) -> Result<Journal> {
        let path = dir.join("journal.sqlite");
        let db = Connection::open(&path).map_err(|e| failed(&path, &e))?;
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS campaign (
                 id INTEGER PRIMARY KEY CHECK (id = 1),
                 kind TEXT NOT NULL,
                 started INTEGER NOT NULL,
                 fingerprint TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS messages (
                 seq INTEGER PRIMARY KEY,
                 file TEXT NOT NULL,
                 email TEXT NOT NULL UNIQUE,
                 name TEXT NOT NULL,
                 language TEXT NOT NULL,
                 attachment TEXT NOT NULL,
                 digest TEXT NOT NULL,
                 state TEXT NOT NULL,
                 detail TEXT NOT NULL DEFAULT '',
                 attempts INTEGER NOT NULL DEFAULT 0,
                 updated INTEGER NOT NULL DEFAULT 0
             );
             UPDATE messages SET state = 'uncertain',
                 detail = 'the run stopped after the message was handed to the server and before its reply'
                 WHERE state = 'handed';",
        )
        .map_err(|e| failed(&path, &e))?;
        Ok(Journal { db, path })
    }

    /// The campaign recorded: its kind, start (Unix seconds) and fingerprint.
    pub fn campaign(&self) -> Result<Option<(String, i64, String)>> {
        self.db
            .query_row(
                "SELECT kind, started, fingerprint FROM campaign WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| failed(&self.path, &e))
    }

    /// Whether any message has reached a server (so the campaign is under way).
    pub fn under_way(&self) -> Result<bool> {
        let n: i64 = self
            .db
            .query_row(
                "SELECT COUNT(*) FROM messages WHERE state NOT IN ('queued')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| failed(&self.path, &e))?;
        Ok(n > 0)
    }

    /// Records a campaign anew: its messages, all queued, in one transaction.
    pub fn begin(
        &mut self,
        kind: &str,
        started: i64,
        fingerprint: &str,
        messages: &[Entry],
    ) -> Result<()> {
        let path = self.path.clone();
        let tx = self.db.transaction().map_err(|e| failed(&path, &e))?;
        tx.execute("DELETE FROM messages", [])
            .map_err(|e| failed(&path, &e))?;
        tx.execute("DELETE FROM campaign", [])
            .map_err(|e| failed(&path, &e))?;
        tx.execute(
            "INSERT INTO campaign (id, kind, started, fingerprint) VALUES (1, ?1, ?2, ?3)",
            params![kind, started, fingerprint],
        )
        .map_err(|e| failed(&path, &e))?;
        for m in messages {
            tx.execute(
                "INSERT INTO messages (seq, file, email, name, language, attachment, digest, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued')",
                params![m.seq as i64, m.file, m.email, m.name, m.language, m.attachment, m.digest],
            )
            .map_err(|e| failed(&path, &e))?;
        }
        tx.commit().map_err(|e| failed(&path, &e))
    }

    /// Every message, in campaign order.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        let mut statement = self
            .db
            .prepare(
                "SELECT seq, file, email, name, language, attachment, digest, state, detail, attempts FROM messages ORDER BY seq",
            )
            .map_err(|e| failed(&self.path, &e))?;
        let rows = statement
            .query_map([], |r| {
                Ok(Entry {
                    seq: r.get::<_, i64>(0)? as usize,
                    file: r.get(1)?,
                    email: r.get(2)?,
                    name: r.get(3)?,
                    language: r.get(4)?,
                    attachment: r.get(5)?,
                    digest: r.get(6)?,
                    state: State::parse(&r.get::<_, String>(7)?),
                    detail: r.get(8)?,
                    attempts: r.get(9)?,
                })
            })
            .map_err(|e| failed(&self.path, &e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| failed(&self.path, &e))
    }

    /// Records a message's new state, durably, before returning.
    pub fn set(&self, seq: usize, state: State, detail: &str, attempted: bool) -> Result<()> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        self.db
            .execute(
                "UPDATE messages SET state = ?1, detail = ?2, attempts = attempts + ?3, updated = ?4 WHERE seq = ?5",
                params![state.name(), detail, i64::from(attempted), now, seq as i64],
            )
            .map(drop)
            .map_err(|e| failed(&self.path, &e))
    }
}
