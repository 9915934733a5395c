//! Client-side rate limiting: keeps a client under its vendor's documented
//! limit, so a burst waits its turn instead of being refused by the server.
//!
//! Each window is a queue of reserved send times. A caller reserves the
//! earliest time at which at most `calls` sends fall in any span of `per`,
//! then sleeps until then. Reservations are handed out in arrival order,
//! cost one lock and one push, and the queue holds only the sends of the
//! last `per`, so a limit far above the load costs nothing measurable.

use crate::meta::{OperationMeta, VendorInfo};
use crate::{LimitScope, RateLimit};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Which limit a client keeps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RateLimits {
    /// The vendor's documented limit for the kind of account the client
    /// uses; none where the vendor documents none.
    #[default]
    Vendor,
    /// This limit instead.
    Custom(RateLimit),
    /// No client-side limit.
    Off,
}

/// Margin added to each span: a send reserved at the end of one span and
/// the next at the start of the following one must not arrive within one
/// span at the server, whatever the network delays between them.
const ARRIVAL_MARGIN: Duration = Duration::from_millis(50);

/// The windows of one client, shared by its clones.
#[derive(Debug)]
pub(crate) struct Limiter {
    limit: RateLimit,
    /// One window per operation id, or one under `""` for a client scope.
    windows: HashMap<&'static str, Mutex<VecDeque<Instant>>>,
}

impl Limiter {
    /// The limiter for `vendor`'s operations under `limits` (`profile`
    /// names the vendor limit that applies); `None` when there is no limit.
    pub(crate) fn new(vendor: &'static VendorInfo, limits: RateLimits, profile: &str) -> Option<Self> {
        let limit = match limits {
            RateLimits::Off => return None,
            RateLimits::Custom(limit) => limit,
            RateLimits::Vendor => vendor.rate_limit(profile)?.limit,
        };
        if limit.calls == 0 {
            return None;
        }
        let windows = match limit.scope {
            LimitScope::Operation => vendor.operations.iter().map(|op| (op.id, Mutex::default())).collect(),
            // `LimitScope` is `non_exhaustive` (it is defined in confapi-base):
            // a scope this limiter does not know yet is one budget for the
            // whole client, the strictest reading.
            _ => HashMap::from([("", Mutex::default())]),
        };
        Some(Self { limit, windows })
    }

    /// Waits until `op` may be sent; returns how long that took.
    pub(crate) async fn acquire(&self, op: &OperationMeta) -> Duration {
        let key = match self.limit.scope {
            LimitScope::Operation => op.id,
            _ => "",
        };
        let Some(window) = self.windows.get(key) else { return Duration::ZERO };
        let now = Instant::now();
        let at = match window.lock() {
            Ok(mut sends) => reserve(&mut sends, now, self.limit.calls as usize, self.limit.per + ARRIVAL_MARGIN),
            Err(_) => now,
        };
        if at > now {
            tokio::time::sleep_until(at).await;
        }
        at - now
    }
}

/// Reserves the earliest send time at or after `now` that keeps at most
/// `calls` sends in any span of `per`, and records it.
fn reserve(sends: &mut VecDeque<Instant>, now: Instant, calls: usize, per: Duration) -> Instant {
    // Sends that ended their span before now no longer count.
    while sends.front().is_some_and(|t| *t + per <= now) {
        sends.pop_front();
    }
    let at = if sends.len() < calls {
        // Room in the span, but never before a send already reserved.
        sends.back().map_or(now, |last| now.max(*last))
    } else {
        // The send `calls` places back must have left the span.
        let earlier = sends[sends.len() - calls];
        now.max(earlier + per)
    };
    sends.push_back(at);
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The most sends in any span of `per` among `times`.
    fn densest(times: &[Instant], per: Duration) -> usize {
        times
            .iter()
            .map(|start| times.iter().filter(|t| **t >= *start && **t < *start + per).count())
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn no_span_holds_more_than_the_limit() {
        let start = Instant::now();
        let per = Duration::from_secs(1);
        let mut sends = VecDeque::new();
        // 200 callers arriving together, then more trickling in.
        let mut times: Vec<Instant> = (0..200).map(|_| reserve(&mut sends, start, 20, per)).collect();
        for i in 0..50u64 {
            times.push(reserve(&mut sends, start + Duration::from_millis(i * 37), 20, per));
        }
        assert_eq!(densest(&times, per), 20);
        // 250 sends at 20 per second take 12 full spans after the first.
        let last = times.iter().max().copied().unwrap_or(start);
        assert_eq!(last - start, per * 12);
    }

    #[test]
    fn reservations_keep_arrival_order() {
        let start = Instant::now();
        let mut sends = VecDeque::new();
        let times: Vec<Instant> = (0..45).map(|_| reserve(&mut sends, start, 20, Duration::from_secs(1))).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(times[19], start);
        assert_eq!(times[20], start + Duration::from_secs(1));
        assert_eq!(times[40], start + Duration::from_secs(2));
    }

    #[test]
    fn a_limit_far_above_the_load_never_waits_and_keeps_little() {
        let start = Instant::now();
        let mut sends = VecDeque::new();
        for i in 0..10_000u64 {
            let now = start + Duration::from_millis(i);
            assert_eq!(reserve(&mut sends, now, 1_000_000, Duration::from_millis(100)), now);
        }
        // Only the last span's sends are kept.
        assert!(sends.len() <= 101, "{}", sends.len());
    }
}
