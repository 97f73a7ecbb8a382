//! How many sign-ons one address may send: a sliding window per address,
//! so a script cannot fill the moderation queue.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `max` events per address in any `window`.
pub struct RateLimit {
    max: usize,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, Vec<Instant>>>,
}

impl RateLimit {
    /// A limit of `max` per `window`; `max` 0 means none.
    pub fn new(max: usize, window: Duration) -> RateLimit {
        RateLimit {
            max,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one event from `from`; `false` when it is over the limit
    /// (and then it is not counted).
    pub fn take(&self, from: IpAddr) -> bool {
        if self.max == 0 {
            return true;
        }
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 100_000 {
            seen.retain(|_, list| list.iter().any(|t| t.elapsed() < self.window));
        }
        let list = seen.entry(from).or_default();
        list.retain(|t| t.elapsed() < self.window);
        if list.len() >= self.max {
            return false;
        }
        list.push(Instant::now());
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_own_allowance() {
        let limit = RateLimit::new(2, Duration::from_secs(60));
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "::1".parse().unwrap();
        assert!(limit.take(a) && limit.take(a));
        assert!(!limit.take(a));
        assert!(limit.take(b));
        assert!(RateLimit::new(0, Duration::from_secs(1)).take(a));
    }
}
