//! The watch's schedule: one poller per account, each on its own interval,
//! their first polls spread over the interval, merged into one stream.

use super::{Event, Plan, Source, View};
use crate::accounts::{read, Account};
use crate::adapter::Listing;
use crate::model::Status;
use futures_util::{Stream, StreamExt};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::time::Instant;

/// The events of watching `accounts` every `interval` (at least a
/// millisecond; longer where an account's budget needs it).
pub(crate) fn events(accounts: Vec<Account>, interval: Duration) -> impl Stream<Item = Event> + Send + 'static {
    let interval = interval.max(Duration::from_millis(1));
    let n = u32::try_from(accounts.len()).unwrap_or(u32::MAX).max(1);
    let pollers = accounts.into_iter().enumerate().map(move |(i, account)| {
        // Spread: the i-th account starts i/n of the way into the interval.
        let offset = interval / n * u32::try_from(i).unwrap_or(u32::MAX);
        poll(account, interval, offset).boxed()
    });
    futures_util::stream::select_all(pollers)
}

/// What one account's poller keeps between polls: one snapshot, the plan,
/// and the events of the last poll not yet taken.
struct Poller {
    account: Account,
    src: Source,
    wished: Duration,
    plan: Plan,
    view: View,
    next: Option<Instant>,
    offset: Duration,
    pending: VecDeque<Event>,
}

/// One account's events. Polls again only when the previous poll's events
/// have all been taken; a poll that overruns its interval delays the next
/// one rather than bunching them up.
fn poll(account: Account, wished: Duration, offset: Duration) -> impl Stream<Item = Event> + Send {
    let src = Source { account: account.name.clone(), vendor: account.adapter.vendor() };
    let plan = Plan::of(&account, wished, 0);
    let poller =
        Poller { account, src, wished, plan, view: View::default(), next: None, offset, pending: VecDeque::new() };
    futures_util::stream::unfold(poller, |mut p| async move {
        loop {
            if let Some(event) = p.pending.pop_front() {
                return Some((event, p));
            }
            // Made on first use: a timer needs the runtime the stream runs on.
            let due = *p.next.get_or_insert_with(|| Instant::now() + p.offset);
            tokio::time::sleep_until(due).await;
            let started = Instant::now();
            let before = p.account.adapter.calls_sent();
            let answer = read(&p.account, Listing::WithMembers).await;
            let spent = p.account.adapter.calls_sent().saturating_sub(before);
            let live = answer.as_ref().ok().map(|list| {
                list.iter().filter(|c| !matches!(c.status, Status::Ended | Status::Cancelled)).count() as u64
            });
            p.pending.extend(p.view.observe(&p.src, answer));
            if p.view.stopped {
                p.next = Some(started + until_period_renews(&p.account));
                continue;
            }
            if let Some(live) = live {
                let plan = Plan::of(&p.account, p.wished, live);
                if plan.interval != p.plan.interval || plan.calls_per_poll != p.plan.calls_per_poll {
                    p.pending.push_back(Event::PlanChanged {
                        account: p.src.account(),
                        vendor: p.src.vendor,
                        plan: plan.clone(),
                    });
                }
                p.plan = plan;
            }
            // The plan's pace, or slower when this poll spent more than
            // planned (a token renewal, a retry).
            let mut wait = p.plan.interval;
            if let Some(budget) = p.account.budget {
                wait = wait.max(budget.time_for(spent));
            }
            p.next = Some((started + wait).max(Instant::now()));
        }
    })
}

/// How long until the account's vendor renews its allowance: the first of
/// next month, China time, for a monthly quota; otherwise its period in
/// days (a day where none is documented).
fn until_period_renews(account: &Account) -> Duration {
    use chrono::{Datelike, TimeZone};
    let quota = account.adapter.vendor().info().and_then(|i| i.quota);
    let days = quota.map(|q| q.days).unwrap_or(1);
    if days != 30 {
        return Duration::from_secs(u64::from(days) * 86_400);
    }
    let china = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).with_timezone(&china);
    let (year, month) = if now.month() == 12 { (now.year() + 1, 1) } else { (now.year(), now.month() + 1) };
    match china.with_ymd_and_hms(year, month, 1, 0, 0, 0).single() {
        Some(renews) => (renews - now).to_std().unwrap_or(Duration::from_secs(86_400)),
        None => Duration::from_secs(30 * 86_400),
    }
}
