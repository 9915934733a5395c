//! A watch of many accounts against the replay server: the memory the
//! watching process holds and the CPU time it spends per poll of one
//! account. The replay server runs in a child process, so the figures are
//! the watch's alone.

use confapi::adapter::VendorFuture;
use confapi::watch::PollCost;
use confapi::{Action, Adapter, Confapi, Conference, Listing, Outcome, Request, Vendor};
use confapi_core::OperationMeta;
use futures::StreamExt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the run measured.
#[derive(Debug, Clone)]
pub struct WatchScale {
    /// Accounts watched.
    pub accounts: usize,
    /// Polls made, every account together.
    pub polls: u64,
    /// Live conferences the polls read, every account together.
    pub conferences_read: u64,
    /// Resident memory after each interval, in MiB.
    pub rss_by_interval: Vec<f64>,
    /// Resident memory before any account was made (the runtime, the
    /// embedded recordings), in MiB: the floor the accounts add to.
    pub rss_before: f64,
    /// The process's peak resident memory, in MiB.
    pub peak_rss: f64,
    /// CPU time (user + system) of the whole process per poll of one account.
    pub cpu_per_poll: Duration,
    /// Wall time of the watch.
    pub wall: Duration,
}

/// An adapter that counts the polls and conferences of the one it wraps.
#[derive(Debug)]
struct Counted {
    inner: Arc<dyn Adapter>,
    polls: Arc<AtomicU64>,
    read: Arc<AtomicU64>,
}

impl Adapter for Counted {
    fn vendor(&self) -> Vendor {
        self.inner.vendor()
    }
    fn live(&self, listing: Listing) -> VendorFuture<'_, Vec<Conference>> {
        let answer = self.inner.live(listing);
        Box::pin(async move {
            let list = answer.await;
            self.polls.fetch_add(1, Ordering::Relaxed);
            if let Ok(list) = &list {
                self.read.fetch_add(list.len() as u64, Ordering::Relaxed);
            }
            list
        })
    }
    fn conference<'a>(&'a self, id: &'a str) -> VendorFuture<'a, Conference> {
        self.inner.conference(id)
    }
    fn operation(&self, action: Action) -> Option<&'static OperationMeta> {
        self.inner.operation(action)
    }
    fn perform<'a>(&'a self, request: &'a Request) -> VendorFuture<'a, Outcome> {
        self.inner.perform(request)
    }
    fn poll_cost(&self) -> PollCost {
        self.inner.poll_cost()
    }
    fn calls_sent(&self) -> u64 {
        self.inner.calls_sent()
    }
}

/// A `/proc/self/status` field in kB, as MiB.
fn status_mib(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// The process's CPU time so far (user + system, from `/proc/self/stat`,
/// in clock ticks of 10 ms).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let fields: Vec<u64> = rest.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name and state.
    let ticks = fields.get(10).copied().unwrap_or(0) + fields.get(11).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// Watches `accounts` accounts (the three vendors in turn, each account
/// with its own credentials) of the replay server at `url`
/// every `interval` for `intervals` intervals.
pub async fn watch_scale(url: &str, accounts: usize, interval: Duration, intervals: usize) -> WatchScale {
    let rss_before = status_mib("VmRSS:");
    let polls = Arc::new(AtomicU64::new(0));
    // The accounts as a config file names them: the way a deployment
    // with many accounts reads them, one HTTP client shared by all.
    let mut toml = String::new();
    for i in 0..accounts {
        toml.push_str(&match i % 3 {
            0 => format!("[accounts.pbx-{i}]\nvendor = \"openvox\"\nurl = \"{url}\"\nusername = \"pbx-{i}\"\npassword = \"pw\"\n"),
            1 => format!("[accounts.meet-{i}]\nvendor = \"quanshi\"\nurl = \"{url}\"\ntoken = \"token-{i}\"\n"),
            _ => format!("[accounts.org-{i}]\nvendor = \"dingtalk\"\nurl = \"{url}\"\napp_key = \"app-{i}\"\napp_secret = \"s\"\n"),
        });
    }
    let read = Arc::new(AtomicU64::new(0));
    let configured = confapi::config::from_toml(&toml, &|_| None, confapi_core::Timeouts::default()).expect("accounts");
    let mut api = Confapi::new();
    for name in configured.api.account_names() {
        let Some(inner) = configured.api.adapter(&name) else { continue };
        api = api.with_account(name, Counted { inner, polls: polls.clone(), read: read.clone() });
    }
    drop(configured);
    let events = api.watch(interval);
    let drain = tokio::spawn(async move {
        let mut events = std::pin::pin!(events);
        while events.next().await.is_some() {}
    });
    let (cpu_before, started) = (cpu_time(), Instant::now());
    let mut rss_by_interval = Vec::new();
    for n in 1..=intervals {
        tokio::time::sleep_until((started + interval * n as u32).into()).await;
        rss_by_interval.push(status_mib("VmRSS:"));
    }
    let (cpu, wall) = (cpu_time().saturating_sub(cpu_before), started.elapsed());
    drain.abort();
    let polls = polls.load(Ordering::Relaxed);
    WatchScale {
        accounts,
        polls,
        conferences_read: read.load(Ordering::Relaxed),
        rss_by_interval,
        rss_before,
        peak_rss: status_mib("VmHWM:"),
        cpu_per_poll: cpu / u32::try_from(polls.max(1)).unwrap_or(u32::MAX),
        wall,
    }
}
