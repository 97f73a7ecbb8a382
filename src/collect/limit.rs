//! How often something may happen per key (an address, an account): a
//! sliding window per key, so a script cannot fill the moderation queue or
//! guess a password online.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `max` events per key in any `window`.
pub struct RateLimit<K> {
    max: usize,
    window: Duration,
    seen: Mutex<HashMap<K, Vec<Instant>>>,
}

impl<K: Hash + Eq> RateLimit<K> {
    /// A limit of `max` per `window`; `max` 0 means none.
    pub fn new(max: usize, window: Duration) -> RateLimit<K> {
        RateLimit {
            max,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Runs `work` on the key's recent events, the old ones dropped.
    fn with<T>(&self, key: K, work: impl FnOnce(&mut Vec<Instant>) -> T) -> T {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        // Bounded: keys made up by an attacker cannot grow this for ever.
        if seen.len() > 100_000 {
            seen.retain(|_, list| list.iter().any(|t| t.elapsed() < self.window));
        }
        let list = seen.entry(key).or_default();
        list.retain(|t| t.elapsed() < self.window);
        work(list)
    }

    /// Whether another event of `key` is within the limit (not counted).
    pub fn allows(&self, key: K) -> bool {
        self.max == 0 || self.with(key, |list| list.len() < self.max)
    }

    /// Counts an event of `key`.
    pub fn record(&self, key: K) {
        if self.max > 0 {
            self.with(key, |list| list.push(Instant::now()));
        }
    }

    /// Counts one event of `key` if it is within the limit; `false` (and
    /// nothing counted) when it is over.
    pub fn take(&self, key: K) -> bool {
        self.max == 0
            || self.with(key, |list| {
                let ok = list.len() < self.max;
                if ok {
                    list.push(Instant::now());
                }
                ok
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    #[test]
    fn each_key_has_its_own_allowance() {
        let limit = RateLimit::new(2, Duration::from_secs(60));
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "::1".parse().unwrap();
        assert!(limit.take(a) && limit.take(a));
        assert!(!limit.take(a));
        assert!(!limit.allows(a));
        assert!(limit.take(b));
        assert!(RateLimit::new(0, Duration::from_secs(1)).take(a));
    }
}
