//! The outbox folder: every message as the `.eml` file that is sent, and
//! the journal beside them.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::send::journal::{Entry, Journal, State};
use crate::send::message::{self, Mailbox};
use crate::write::output::write_atomic;

/// One message, built.
pub struct Outgoing {
    /// The recipient.
    pub to: Mailbox,
    /// The language of its text and attachment.
    pub language: String,
    /// The attached file's name.
    pub attachment: String,
    /// The whole message.
    pub bytes: Vec<u8>,
}

/// An outbox with its journal.
pub struct Outbox {
    /// The folder.
    pub dir: PathBuf,
    /// The campaign's journal.
    pub journal: Journal,
    /// The campaign's start, the Date of its messages (Unix seconds).
    pub started: i64,
}

fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "recipient".into()
    } else {
        out.into()
    }
}

impl Outbox {
    /// Opens the outbox in `dir` for a campaign of `kind` ("release",
    /// "letters") and writes its messages, made by `build` (given the
    /// campaign's Date). A campaign already under way (a message has reached
    /// a server) must get exactly the same messages: if the statement, the
    /// list or a template has changed since it began, this stops before
    /// anything is written or sent. `limit` (a dry run's `--limit`) stops
    /// after that many messages, unless the campaign is under way.
    pub fn prepare(
        dir: &Path,
        kind: &str,
        limit: Option<usize>,
        build: impl FnOnce(i64, super::Each<'_>) -> Result<()>,
    ) -> Result<Outbox> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
        let mut journal = Journal::open(dir)?;
        let recorded = journal.campaign()?;
        let under_way = journal.under_way()?;
        let known = if under_way {
            journal.entries()?
        } else {
            Vec::new()
        };
        let started = match &recorded {
            Some((k, started, _)) if k == kind => *started,
            _ => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
        };
        if under_way && recorded.as_ref().is_some_and(|(k, ..)| k != kind) {
            return Err(changed(dir, "it holds a campaign of another kind"));
        }
        let mut entries: Vec<Entry> = Vec::new();
        let mut fingerprint = Sha256::new();
        let limit = limit.filter(|_| !under_way);
        let mut add = |outgoing: Outgoing| -> Result<bool> {
            let seq = entries.len() + 1;
            if outgoing.bytes.len() > super::MAX_MESSAGE_BYTES {
                return Err(Error::Usage(format!(
                    "the message to {} is {} MB with its attachment; mail servers refuse more than about {} MB (base64 makes a PDF a third larger): make the PDF smaller (fewer logos, smaller images)",
                    outgoing.to.email,
                    outgoing.bytes.len() / 1_000_000,
                    super::MAX_MESSAGE_BYTES / 1_000_000
                )));
            }
            let digest = message::digest(&outgoing.bytes);
            let name = outgoing.to.name.clone().unwrap_or_default();
            // A name in another script gives its address's slug.
            let mut stem = slug(&name);
            if stem == "recipient" {
                stem = slug(&outgoing.to.email);
            }
            let file = format!("{seq:04}-{stem}.eml");
            if under_way {
                let same = known
                    .get(seq - 1)
                    .is_some_and(|k| k.digest == digest && k.email == outgoing.to.email);
                if !same {
                    return Err(changed(
                        dir,
                        &format!(
                            "message {seq} (to {}) is not the one it began with",
                            outgoing.to.email
                        ),
                    ));
                }
            }
            fingerprint.update(digest.as_bytes());
            write_atomic(&dir.join(&file), &outgoing.bytes)?;
            entries.push(Entry {
                seq,
                file,
                email: outgoing.to.email,
                name,
                language: outgoing.language,
                attachment: outgoing.attachment,
                digest,
                state: State::Queued,
                detail: String::new(),
                attempts: 0,
            });
            Ok(limit.is_none_or(|n| entries.len() < n))
        };
        build(started, &mut add)?;
        if under_way && entries.len() != known.len() {
            return Err(changed(
                dir,
                &format!(
                    "it began with {} messages and now there are {}",
                    known.len(),
                    entries.len()
                ),
            ));
        }
        let fingerprint: String = fingerprint
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if !under_way {
            // A campaign nothing has been sent of starts afresh; files of
            // an earlier dry run that are not messages now go.
            remove_other_messages(dir, &entries)?;
            journal.begin(kind, started, &fingerprint, &entries)?;
        }
        Ok(Outbox {
            dir: dir.to_path_buf(),
            journal,
            started,
        })
    }
}

fn changed(dir: &Path, what: &str) -> Error {
    Error::Usage(format!(
        "{}: this campaign is under way and {what}: the statement, the list or a template has changed since it began. \
         Nothing was sent. Restore them to finish it, or send the new version as a new campaign (another --out folder)",
        dir.display()
    ))
}

fn remove_other_messages(dir: &Path, entries: &[Entry]) -> Result<()> {
    let listing = std::fs::read_dir(dir).map_err(|e| Error::io("cannot read", dir, e))?;
    for item in listing.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        if name.ends_with(".eml") && !entries.iter().any(|e| e.file == name) {
            std::fs::remove_file(item.path())
                .map_err(|e| Error::io("cannot remove", item.path(), e))?;
        }
    }
    Ok(())
}
