//! Opt-in retries: exponential backoff with jitter, `Retry-After`
//! honoured, and only where repeating cannot do harm.

use crate::{Error, ErrorKind};
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// When and how often a failed call is tried again.
///
/// Off by default ([`RetryPolicy::none`]). With a policy, an operation the
/// spec marks safe (`x-confapi-safe`: read-only, including the vendors'
/// read-only POSTs) is retried after timeouts, broken connections, 429 and
/// 500/502/503/504; any operation is retried when the connection could not
/// be made at all, because then the request never reached the server. A
/// non-idempotent operation (create, close, kick …) is never sent twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retry).
    pub max_attempts: u32,
    /// Delay before the first retry; doubles for each further one.
    pub base_delay: Duration,
    /// Longest delay between attempts, `Retry-After` included.
    pub max_delay: Duration,
}

impl RetryPolicy {
    /// No retries (the clients' default).
    pub const fn none() -> Self {
        Self { max_attempts: 1, base_delay: Duration::ZERO, max_delay: Duration::ZERO }
    }
}

impl Default for RetryPolicy {
    /// Three attempts, 200 ms then 400 ms (with jitter), waits capped at 10 s.
    fn default() -> Self {
        Self { max_attempts: 3, base_delay: Duration::from_millis(200), max_delay: Duration::from_secs(10) }
    }
}

/// Statuses worth another try: rate limited or a passing server fault.
const TRANSIENT: [u16; 5] = [429, 500, 502, 503, 504];

/// Whether `err` may be retried for an operation that is (or is not) safe.
pub(crate) fn retryable(err: &Error, safe: bool) -> bool {
    match err.kind() {
        // Nothing was sent: safe to repeat whatever the operation.
        ErrorKind::Connect => true,
        ErrorKind::Timeout | ErrorKind::Transport => safe,
        _ => safe && err.status().is_some_and(|s| TRANSIENT.contains(&s)),
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1-based): the server's
    /// `Retry-After` if it gave one, else exponential backoff with jitter
    /// (a random point in the upper half of the step).
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max_delay);
        }
        let step = self.base_delay.saturating_mul(1u32 << retry.saturating_sub(1).min(16)).min(self.max_delay);
        step / 2 + step.mul_f64(random_fraction() / 2.0)
    }
}

/// The wait before a throttled call is sent again: what the server asked
/// for, else the vendor's documented span, plus up to a quarter more so
/// that callers throttled together do not come back together.
pub(crate) fn throttle_wait(asked: Option<Duration>, documented: Duration) -> Duration {
    let base = asked.unwrap_or(documented);
    base + base.mul_f64(random_fraction() / 4.0)
}

/// A number in [0, 1) that differs from call to call (jitter, not crypto).
fn random_fraction() -> f64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Reads `Retry-After` given in seconds (the form APIs use).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(kind: ErrorKind, status: Option<u16>) -> Error {
        let e = Error::new("test", kind);
        match status {
            Some(s) => e.with_status(s),
            None => e,
        }
    }

    #[test]
    fn only_harmless_repeats_are_allowed() {
        assert!(retryable(&err(ErrorKind::Connect, None), false));
        assert!(!retryable(&err(ErrorKind::Timeout, None), false));
        assert!(retryable(&err(ErrorKind::Timeout, None), true));
        assert!(retryable(&err(ErrorKind::Http, Some(503)), true));
        assert!(!retryable(&err(ErrorKind::Http, Some(503)), false));
        assert!(retryable(&err(ErrorKind::Vendor, Some(429)), true));
        assert!(!retryable(&err(ErrorKind::Vendor, Some(404)), true));
        assert!(!retryable(&err(ErrorKind::Decode, Some(200)), true));
        assert!(!retryable(&err(ErrorKind::Credentials, None), true));
    }

    #[test]
    fn backoff_doubles_with_jitter_and_honours_retry_after() {
        let p =
            RetryPolicy { max_attempts: 5, base_delay: Duration::from_millis(100), max_delay: Duration::from_secs(1) };
        for _ in 0..50 {
            let d1 = p.delay(1, None);
            let d3 = p.delay(3, None);
            assert!(d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100), "{d1:?}");
            assert!(d3 >= Duration::from_millis(200) && d3 <= Duration::from_millis(400), "{d3:?}");
            assert!(p.delay(10, None) <= Duration::from_secs(1));
        }
        assert_eq!(p.delay(1, Some(Duration::from_secs(2))), Duration::from_secs(1));
        assert_eq!(p.delay(1, parse_retry_after(" 0 ")), Duration::ZERO);
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
