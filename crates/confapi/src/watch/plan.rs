//! What a poll costs, and the interval an account's budget allows.

use crate::accounts::Account;
use crate::budget::Budget;
use crate::model::Vendor;
use serde::Serialize;
use std::fmt;
use std::time::Duration;

/// What one poll of a vendor costs in calls: `fixed`, plus `per_live` for
/// each conference running, plus one call for each started group of
/// `batch` live conferences where the vendor reads many in one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PollCost {
    /// Calls every poll makes (the listing of live conferences).
    pub fixed: u64,
    /// Calls for each live conference (its members).
    pub per_live: u64,
    /// Live conferences one batch call covers (0: no batch call).
    pub batch: u64,
}

impl PollCost {
    /// `fixed` calls a poll plus `per_live` per live conference.
    pub const fn new(fixed: u64, per_live: u64) -> Self {
        Self { fixed, per_live, batch: 0 }
    }

    /// The same, plus one call per started group of `size` live conferences.
    pub const fn with_batch(self, size: u64) -> Self {
        Self { batch: size, ..self }
    }

    /// The calls of one poll with `live` conferences running.
    pub fn calls(&self, live: u64) -> u64 {
        let batches = if self.batch == 0 { 0 } else { live.div_ceil(self.batch) };
        self.fixed + self.per_live * live + batches
    }
}

/// How a watch polls one account: how often, and what that costs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Plan {
    /// The account.
    pub account: String,
    /// Its vendor.
    pub vendor: Vendor,
    /// Time between the starts of two polls.
    #[serde(serialize_with = "seconds")]
    pub interval: Duration,
    /// Live conferences the plan was made for.
    pub live: u64,
    /// Calls one poll makes with that many live.
    pub calls_per_poll: u64,
    /// Calls a day at this pace.
    pub calls_per_day: u64,
    /// The budget that set the pace, if any.
    #[serde(serialize_with = "as_text")]
    pub budget: Option<Budget>,
    /// Days the vendor's documented allowance lasts at this pace, where it
    /// documents one and no budget is set.
    pub allowance_days: Option<f64>,
}

fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

fn as_text<S: serde::Serializer>(b: &Option<Budget>, s: S) -> Result<S::Ok, S::Error> {
    match b {
        Some(b) => s.collect_str(b),
        None => s.serialize_none(),
    }
}

impl Plan {
    /// The plan for `account` at a wished `interval` with `live`
    /// conferences running: the interval, or longer where the budget
    /// needs it.
    pub(crate) fn of(account: &Account, interval: Duration, live: u64) -> Self {
        let vendor = account.adapter.vendor();
        let calls_per_poll = account.adapter.poll_cost().calls(live);
        let mut interval = interval.max(Duration::from_millis(1));
        if let Some(budget) = account.budget {
            interval = interval.max(budget.time_for(calls_per_poll));
        }
        let calls_per_day = (calls_per_poll as f64 * 86_400.0 / interval.as_secs_f64()).round() as u64;
        let allowance_days = match (account.budget, vendor.info().and_then(|i| i.quota)) {
            (None, Some(quota)) => Some(quota.calls as f64 / calls_per_day.max(1) as f64),
            _ => None,
        };
        Plan {
            account: account.name.to_string(),
            vendor,
            interval,
            live,
            calls_per_poll,
            calls_per_day,
            budget: account.budget,
            allowance_days,
        }
    }

    /// The pace alone: `every 1m 26s, 2000 calls a day (2 a poll, 1 live;
    /// budget 2000/day)`.
    pub fn pace(&self) -> String {
        let mut text = format!(
            "every {}, {} calls a day ({} a poll, {} live",
            duration_text(self.interval),
            self.calls_per_day,
            self.calls_per_poll,
            self.live
        );
        if let Some(budget) = self.budget {
            text.push_str(&format!("; budget {budget}"));
        }
        if let (Some(days), Some(quota)) = (self.allowance_days, self.vendor.info().and_then(|i| i.quota)) {
            let period = if quota.days == 30 { "month".to_owned() } else { format!("{} days", quota.days) };
            text.push_str(&format!(
                "; {} calls a {period} for {} last {days:.1} days at that pace",
                quota.calls, quota.note
            ));
        }
        text.push(')');
        text
    }
}

impl fmt::Display for Plan {
    /// `org-a (dingtalk): every 1m 26s, …`, or `dingtalk: …` for an account
    /// named after its vendor.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.account == self.vendor.name() {
            write!(f, "{}: {}", self.vendor, self.pace())
        } else {
            write!(f, "{} ({}): {}", self.account, self.vendor, self.pace())
        }
    }
}

/// `2s`, `1m 26s`, `1h 12m`, `350ms`.
fn duration_text(d: Duration) -> String {
    let secs = d.as_secs();
    match secs {
        0 => format!("{}ms", d.as_millis()),
        1..=59 if d.subsec_millis() == 0 => format!("{secs}s"),
        1..=59 => format!("{:.1}s", d.as_secs_f64()),
        60..=3599 => format!("{}m {}s", secs / 60, secs % 60),
        _ => format!("{}h {}m", secs / 3600, secs % 3600 / 60),
    }
}
