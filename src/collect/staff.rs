//! Staff sign-in: passwords kept as Argon2id hashes (memory-hard, so a
//! stolen database is slow to attack), and a bound on wrong passwords so
//! one cannot be guessed online.

use std::net::IpAddr;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::error::{Error, Result};

/// The shortest password accepted for staff.
pub const MIN_PASSWORD: usize = 12;

/// The PHC string of `password`'s Argon2id hash, with a fresh salt.
pub fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(Error::Usage(format!(
            "a staff password needs at least {MIN_PASSWORD} characters"
        )));
    }
    let salt = SaltString::encode_b64(&super::token::random_bytes::<16>()?)
        .map_err(|e| Error::Internal(format!("cannot make a salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("cannot hash the password: {e}")))
}

/// Whether `password` matches the stored hash.
pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Wrong passwords allowed, per account and per address, in [`WINDOW`].
pub const MAX_FAILURES: usize = 5;
/// How long failures count against an account or an address.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Recent wrong passwords, by account and by address.
pub struct Failures {
    recent: super::limit::RateLimit<String>,
}

impl Default for Failures {
    fn default() -> Failures {
        Failures {
            recent: super::limit::RateLimit::new(MAX_FAILURES, WINDOW),
        }
    }
}

impl Failures {
    fn keys(name: &str, from: IpAddr) -> [String; 2] {
        [
            format!("user:{}", name.to_lowercase()),
            format!("addr:{from}"),
        ]
    }

    /// Whether another try is allowed for `name` from `from`.
    pub fn allowed(&self, name: &str, from: IpAddr) -> bool {
        Self::keys(name, from)
            .into_iter()
            .all(|k| self.recent.allows(k))
    }

    /// Counts a wrong password.
    pub fn failed(&self, name: &str, from: IpAddr) {
        for k in Self::keys(name, from) {
            self.recent.record(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_hashed_and_checked() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify("correct horse battery", &hash));
        assert!(!verify("correct horse battery!", &hash));
        assert!(hash_password("short").is_err());
        let failures = Failures::default();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..MAX_FAILURES {
            assert!(failures.allowed("ana", ip));
            failures.failed("ana", ip);
        }
        assert!(!failures.allowed("ana", ip));
        assert!(!failures.allowed("other", ip), "the address is held too");
        let elsewhere: IpAddr = "10.0.0.1".parse().unwrap();
        assert!(
            !failures.allowed("ana", elsewhere),
            "the account is held from everywhere"
        );
        assert!(failures.allowed("other", elsewhere));
    }
}
