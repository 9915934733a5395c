//! What a vendor documents about its rate limits, as data: the limit
//! itself and the profile a spec names. The limiter that keeps a client
//! under it is in `confapi-core`.

use std::time::Duration;

/// What a limit counts: each operation on its own, or the whole client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LimitScope {
    /// One budget per operation (DingTalk limits each API separately).
    Operation,
    /// One budget for every call of the client.
    Client,
}

/// At most `calls` sends in any span of `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Sends allowed in one span.
    pub calls: u32,
    /// The span.
    pub per: Duration,
    /// Per operation or per client.
    pub scope: LimitScope,
}

impl RateLimit {
    /// `calls` per second for each operation on its own.
    pub const fn per_second_per_operation(calls: u32) -> Self {
        Self { calls, per: Duration::from_secs(1), scope: LimitScope::Operation }
    }

    /// `calls` per second for the client as a whole.
    pub const fn per_second(calls: u32) -> Self {
        Self { calls, per: Duration::from_secs(1), scope: LimitScope::Client }
    }
}

/// A vendor's documented limit for one kind of account
/// (`x-confapi-rate-limits` in the spec).
#[derive(Debug, Clone, Copy)]
pub struct RateLimitProfile {
    /// The kind of account (`"default"`, `"third-party"`).
    pub name: &'static str,
    /// The limit.
    pub limit: RateLimit,
    /// Where the figure comes from, in our words.
    pub source: &'static str,
}
