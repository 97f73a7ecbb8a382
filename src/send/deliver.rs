//! Handing the outbox to the server: one connection reused, a rate limit,
//! 4xx retried with backoff, each state recorded before and after its
//! transaction.

use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::send::journal::{Entry, State};
use crate::send::outbox::Outbox;
use crate::send::smtp::{Connection, Outcome, Server};

/// How to deliver.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Send at most this many messages in this run.
    pub limit: Option<usize>,
    /// Messages a minute (0: as fast as the server takes them).
    pub per_minute: u32,
    /// Send again the messages whose transaction was cut.
    pub resend_uncertain: bool,
    /// The first wait before a deferred message is tried again (doubling).
    pub retry_after: Duration,
    /// Tries of a deferred message in one run.
    pub tries: u32,
    /// Stop after this many failures in a row (a server refusing everything).
    pub stop_after_failures: u32,
}

impl Default for Delivery {
    fn default() -> Delivery {
        Delivery {
            limit: None,
            per_minute: 20,
            resend_uncertain: false,
            retry_after: Duration::from_secs(60),
            tries: 3,
            stop_after_failures: 5,
        }
    }
}

/// How the campaign stands after a run.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Every message, with its state.
    pub entries: Vec<Entry>,
    /// Why the run stopped early, if it did.
    pub stopped: Option<String>,
}

impl Summary {
    /// How many messages are in `state`.
    pub fn count(&self, state: State) -> usize {
        self.entries.iter().filter(|e| e.state == state).count()
    }
}

/// Whether this run should try the message.
fn wanted(entry: &Entry, delivery: &Delivery) -> bool {
    match entry.state {
        State::Queued | State::Deferred => true,
        State::Uncertain => delivery.resend_uncertain,
        State::Handed | State::Accepted | State::Failed => false,
    }
}

/// Sends what the outbox still owes, telling `report` of each outcome.
pub fn deliver(
    outbox: &Outbox,
    from: &str,
    server: &Server,
    delivery: &Delivery,
    report: &dyn Fn(&Entry),
) -> Result<Summary> {
    let mut pending: Vec<Entry> = outbox
        .journal
        .entries()?
        .into_iter()
        .filter(|e| wanted(e, delivery))
        .collect();
    if let Some(limit) = delivery.limit {
        pending.truncate(limit);
    }
    let gap = match delivery.per_minute {
        0 => Duration::ZERO,
        n => Duration::from_secs(60) / n,
    };
    let mut connection: Option<Connection> = None;
    let mut last: Option<Instant> = None;
    let mut failures_in_row = 0;
    let mut stopped = None;
    let mut wait = delivery.retry_after;
    'tries: for attempt in 0..delivery.tries.max(1) {
        if attempt > 0 {
            if pending.is_empty() {
                break;
            }
            std::thread::sleep(wait);
            wait *= 2;
        }
        let mut again = Vec::new();
        for entry in pending {
            if let Some(at) = last {
                std::thread::sleep(gap.saturating_sub(at.elapsed()));
            }
            last = Some(Instant::now());
            let bytes = std::fs::read(outbox.dir.join(&entry.file))
                .map_err(|e| Error::io("cannot read", outbox.dir.join(&entry.file), e))?;
            if super::message::digest(&bytes) != entry.digest {
                return Err(Error::Usage(format!(
                    "{}: the file changed after it was written; nothing more was sent. Run the command again to write the outbox anew",
                    outbox.dir.join(&entry.file).display()
                )));
            }
            if connection.as_ref().is_none_or(|c| !c.is_usable()) {
                connection = Some(server.connect()?);
            }
            let Some(open) = connection.as_mut() else {
                continue;
            };
            let journal = &outbox.journal;
            let outcome = open.send(from, &entry.email, &bytes, || {
                journal.set(entry.seq, State::Handed, "", true)
            })?;
            let (state, detail) = match outcome {
                Outcome::Accepted(reply) => (State::Accepted, reply),
                Outcome::Deferred(reason) => (State::Deferred, reason),
                Outcome::Failed(reason) => (State::Failed, reason),
                Outcome::Uncertain(reason) => (State::Uncertain, reason),
                Outcome::Stop(reason) => {
                    journal.set(entry.seq, State::Queued, &reason, false)?;
                    return Err(Error::Usage(format!("{reason}; nothing more was sent")));
                }
            };
            journal.set(entry.seq, state, &detail, false)?;
            let done = Entry {
                state,
                detail,
                ..entry
            };
            report(&done);
            failures_in_row = if state == State::Failed {
                failures_in_row + 1
            } else {
                0
            };
            if state == State::Deferred {
                again.push(done);
            }
            if failures_in_row >= delivery.stop_after_failures {
                stopped = Some(format!(
                    "{failures_in_row} messages in a row were refused; stopped (the server may be refusing everything: see failed.csv)"
                ));
                break 'tries;
            }
        }
        pending = again;
    }
    if let Some(open) = connection {
        open.quit();
    }
    Ok(Summary {
        entries: outbox.journal.entries()?,
        stopped,
    })
}
