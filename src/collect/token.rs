//! Secrets the server hands out: random session keys, and tokens signed
//! with the server's key (HMAC-SHA-256) that say what they are for and
//! until when, so a confirmation link cannot be made up or reused for
//! another sign-on, and expires.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, Result};

type HmacSha256 = Hmac<Sha256>;

/// `N` bytes from the operating system's random source.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Internal(format!("no random numbers from the system: {e}")))?;
    Ok(bytes)
}

/// A random value for a cookie or a form: 32 bytes, in hex.
pub fn random_hex() -> Result<String> {
    Ok(hex(&random_bytes::<32>()?))
}

/// Bytes in lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a value, in hex: what is stored of a session key, so a
/// copy of the database opens no session.
pub fn hashed(value: &str) -> String {
    crate::send::message::digest(value.as_bytes())
}

/// Signs and checks tokens with one key.
#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl Signer {
    /// A signer with `key`.
    pub fn new(key: Vec<u8>) -> Signer {
        Signer { key }
    }

    fn mac(&self, message: &str) -> HmacSha256 {
        let mut mac =
            HmacSha256::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(message.as_bytes());
        mac
    }

    /// A token for `purpose` and `subject`, valid until `expires` (Unix
    /// seconds): `subject.expires.signature`.
    pub fn sign(&self, purpose: &str, subject: &str, expires: i64) -> String {
        let message = format!("{purpose}\n{subject}\n{expires}");
        let tag = self.mac(&message).finalize().into_bytes();
        format!("{subject}.{expires}.{}", hex(&tag))
    }

    /// The subject of a token for `purpose`, if it is one of ours and still
    /// valid at `now`. The signature is compared in constant time.
    pub fn check(&self, purpose: &str, token: &str, now: i64) -> Option<String> {
        let mut parts = token.rsplitn(3, '.');
        let tag = parts.next()?;
        let expires: i64 = parts.next()?.parse().ok()?;
        let subject = parts.next()?;
        let tag = unhex(tag)?;
        let message = format!("{purpose}\n{subject}\n{expires}");
        self.mac(&message).verify_slice(&tag).ok()?;
        (now < expires).then(|| subject.to_owned())
    }
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// Whether two strings are equal, in time that does not depend on where
/// they differ (for CSRF tokens).
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_holds_only_for_its_purpose_subject_and_time() {
        let signer = Signer::new(b"key".to_vec());
        let token = signer.sign("confirm", "42", 1000);
        assert_eq!(signer.check("confirm", &token, 999).as_deref(), Some("42"));
        assert_eq!(signer.check("confirm", &token, 1000), None, "expired");
        assert_eq!(signer.check("form", &token, 999), None, "another purpose");
        let forged = token.replacen("42.", "43.", 1);
        assert_eq!(
            signer.check("confirm", &forged, 999),
            None,
            "another subject"
        );
        let later = token.replacen(".1000.", ".9999.", 1);
        assert_eq!(signer.check("confirm", &later, 999), None, "a later expiry");
        let other = Signer::new(b"other".to_vec());
        assert_eq!(other.check("confirm", &token, 999), None, "another key");
        assert_eq!(signer.check("confirm", "garbage", 0), None);
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
