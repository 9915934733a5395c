//! A live stream of what changes: conferences starting and ending, members
//! joining, leaving and changing state, vendors failing and recovering.
//!
//! [`Confapi::watch`](crate::Confapi::watch) asks every configured vendor
//! for its live conferences with their members, once right away and then
//! every interval, and compares each answer with the vendor's previous one.
//!
//! - **The first snapshot emits nothing.** It is the baseline: the stream
//!   tells what changes from the moment it starts, and a conference already
//!   running is not "started" just because the watcher started (the vendors
//!   do not say when a member joined, and some not when a conference
//!   started). Read the current state with
//!   [`live_conferences`](crate::Confapi::live_conferences) first if you
//!   need it. A vendor whose first answer fails is reported at once; its
//!   first good answer is its baseline.
//! - **A failing vendor is one [`Event::VendorFailed`]** when it starts
//!   failing (not one per poll), and [`Event::VendorRecovered`] when it
//!   answers again. Its last good snapshot is kept through the outage, so
//!   the first answer after it reports everything that changed meanwhile.
//!   The other vendors go on being watched, and so does the stream.
//! - **Memory stays bounded**: one snapshot per vendor (the latest good
//!   one) and the events of one poll, which the stream hands out before it
//!   polls again. Nothing grows with the time the stream runs.
//! - **Members** are followed by id (or name, lacking one); see
//!   [`Event`] for what counts as a join, a leave and a state change. A
//!   conference that appears is [`Event::ConferenceStarted`] followed by a
//!   join per present member; one that disappears is a leave per present
//!   member followed by [`Event::ConferenceEnded`], so joins and leaves
//!   always pair up.
//! - **Cost per poll**: OpenVox answers rooms and members in one call;
//!   Quanshi and DingTalk list running conferences, then their members, one
//!   call per conference (four at a time). [`PollCost`] says it per vendor
//!   and [`Cost::per_day`] what an interval costs a day: at the CLI's
//!   default 10 s, DingTalk takes 8,640 calls a day plus 8,640 per live
//!   conference, while an organisation on DingTalk's standard edition may
//!   make about 10,000 a month. `confapi watch` prints this at start.
//! - **A vendor whose quota is used up is no longer polled.** Its
//!   [`ErrorKind::QuotaExhausted`](confapi_core::ErrorKind::QuotaExhausted)
//!   answer is one [`Event::VendorStopped`], and the watch stops calling it
//!   (more calls would only be refused, and may count against the next
//!   period); the other vendors go on. Start a new watch when the period
//!   renews.
//!
//! ## OpenVox `ConferenceStatus` pushes: not used
//!
//! The PBX can push a `ConferenceStatus` event (a room's members, in the
//! same shape as `query_in_session`) to the receiver the client names at
//! login and in every heartbeat. The watch polls the PBX instead, because:
//!
//! - a push needs an HTTP server in this process that the PBX can reach:
//!   a listening port, an address routable from the PBX (often across NAT),
//!   none of which a library client should open by itself;
//! - the pushes are documented only for Yeastar (whose pages OpenVox's
//!   copy), not on an OpenVox page, and carry no sequence that would tell a
//!   lost push from a quiet room, so the watch would poll anyway to catch
//!   up and to see rooms that end;
//! - polling `query_in_session` gives the same members in the same shape,
//!   works wherever the PBX's API is reachable, and keeps the session alive
//!   as the heartbeat does.
//!
//! A push receiver could later feed the same comparison: a pushed room is
//! a snapshot of that one room.

mod diff;

use crate::model::{Conference, Member, Vendor};
use crate::state::MemberState;
use confapi_core::Error;
use diff::Snapshot;
use futures_util::{Stream, StreamExt, TryStreamExt};
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::time::Duration;

/// Something that changed, as a watch saw it.
///
/// In JSON (`confapi watch --json`) every event is an object with
/// `"event"` (the variant's name in snake case, `"member_joined"`) and
/// `"vendor"`, then the variant's fields.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A conference is running that was not in the previous snapshot.
    ConferenceStarted {
        /// Its vendor.
        vendor: Vendor,
        /// The conference, with its members.
        conference: Conference,
    },
    /// A conference of the previous snapshot is no longer running.
    ConferenceEnded {
        /// Its vendor.
        vendor: Vendor,
        /// The conference as last seen.
        conference: Conference,
    },
    /// A member became present: newly listed in a state other than
    /// `left`, or back from `left`.
    MemberJoined {
        /// The vendor.
        vendor: Vendor,
        /// The conference's id.
        conference_id: String,
        /// The member as now seen.
        member: Member,
    },
    /// A present member is gone: no longer listed, or now `left`.
    MemberLeft {
        /// The vendor.
        vendor: Vendor,
        /// The conference's id.
        conference_id: String,
        /// The member as last seen (or with its `left` state, where the
        /// vendor lists members who left).
        member: Member,
    },
    /// A present member's state changed (`waiting` to `in_meeting` …).
    MemberStateChanged {
        /// The vendor.
        vendor: Vendor,
        /// The conference's id.
        conference_id: String,
        /// The member as now seen, with the new state.
        member: Member,
        /// The state before.
        previous: MemberState,
        /// The vendor's value before.
        previous_raw: Option<String>,
    },
    /// The vendor's live conferences could not be read; the watch keeps
    /// asking, and says [`Event::VendorRecovered`] when it answers again.
    VendorFailed {
        /// The vendor.
        vendor: Vendor,
        /// Why (in JSON, its text).
        #[serde(serialize_with = "as_text")]
        error: Error,
    },
    /// The vendor answers again after [`Event::VendorFailed`].
    VendorRecovered {
        /// The vendor.
        vendor: Vendor,
    },
    /// The vendor's allowance of calls is used up: the watch stops polling
    /// it (the other vendors go on). Start a new watch when the period renews.
    VendorStopped {
        /// The vendor.
        vendor: Vendor,
        /// The quota error (in JSON, its text).
        #[serde(serialize_with = "as_text")]
        error: Error,
    },
}

fn as_text<S: Serializer>(error: &Error, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(error)
}

impl Event {
    pub(crate) fn joined(vendor: Vendor, conference_id: String, member: Member) -> Self {
        Event::MemberJoined { vendor, conference_id, member }
    }

    pub(crate) fn left(vendor: Vendor, conference_id: String, member: Member) -> Self {
        Event::MemberLeft { vendor, conference_id, member }
    }

    /// The vendor the event is about.
    pub fn vendor(&self) -> Vendor {
        match self {
            Event::ConferenceStarted { vendor, .. }
            | Event::ConferenceEnded { vendor, .. }
            | Event::MemberJoined { vendor, .. }
            | Event::MemberLeft { vendor, .. }
            | Event::MemberStateChanged { vendor, .. }
            | Event::VendorFailed { vendor, .. }
            | Event::VendorStopped { vendor, .. }
            | Event::VendorRecovered { vendor } => *vendor,
        }
    }

    /// The event's name, as `"event"` holds it in JSON (`"member_left"`).
    pub fn name(&self) -> &'static str {
        match self {
            Event::ConferenceStarted { .. } => "conference_started",
            Event::ConferenceEnded { .. } => "conference_ended",
            Event::MemberJoined { .. } => "member_joined",
            Event::MemberLeft { .. } => "member_left",
            Event::MemberStateChanged { .. } => "member_state_changed",
            Event::VendorFailed { .. } => "vendor_failed",
            Event::VendorRecovered { .. } => "vendor_recovered",
            Event::VendorStopped { .. } => "vendor_stopped",
        }
    }

    /// The conference the event is about, if any.
    pub fn conference_id(&self) -> Option<&str> {
        match self {
            Event::ConferenceStarted { conference, .. } | Event::ConferenceEnded { conference, .. } => {
                Some(&conference.id)
            }
            Event::MemberJoined { conference_id, .. }
            | Event::MemberLeft { conference_id, .. }
            | Event::MemberStateChanged { conference_id, .. } => Some(conference_id),
            Event::VendorFailed { .. } | Event::VendorRecovered { .. } | Event::VendorStopped { .. } => None,
        }
    }

    /// The member the event is about, if any.
    pub fn member(&self) -> Option<&Member> {
        match self {
            Event::MemberJoined { member, .. }
            | Event::MemberLeft { member, .. }
            | Event::MemberStateChanged { member, .. } => Some(member),
            _ => None,
        }
    }
}

impl fmt::Display for Event {
    /// One line: `openvox 8000 member_joined 115 (in_meeting)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", self.vendor())?;
        if let Some(id) = self.conference_id() {
            write!(f, "{id} ")?;
        }
        f.write_str(self.name())?;
        let who = |m: &Member| m.id.clone().or_else(|| m.name.clone()).unwrap_or_else(|| "?".into());
        match self {
            Event::ConferenceStarted { conference, .. } | Event::ConferenceEnded { conference, .. } => {
                write!(f, " {}", conference.title.as_deref().unwrap_or("-"))
            }
            Event::MemberJoined { member, .. } | Event::MemberLeft { member, .. } => {
                write!(f, " {} ({})", who(member), member.state)
            }
            Event::MemberStateChanged { member, previous, .. } => {
                write!(f, " {} ({previous} -> {})", who(member), member.state)
            }
            Event::VendorFailed { error, .. } => write!(f, ": {error}"),
            Event::VendorStopped { error, .. } => write!(f, ": no longer polled: {error}"),
            Event::VendorRecovered { .. } => Ok(()),
        }
    }
}

/// What the watch remembers of one vendor.
#[derive(Debug, Default)]
struct View {
    /// The latest good snapshot; `None` until the first good answer.
    last: Option<Snapshot>,
    /// Whether the latest answer was a failure.
    failing: bool,
    /// Whether polling it stopped (its quota is used up).
    stopped: bool,
}

/// The comparison of successive answers, one view per vendor.
#[derive(Debug, Default)]
pub(crate) struct Watcher {
    views: BTreeMap<Vendor, View>,
}

impl Watcher {
    /// The events one answer of `vendor` gives.
    pub(crate) fn observe(&mut self, vendor: Vendor, answer: Result<Vec<Conference>, Error>) -> Vec<Event> {
        let view = self.views.entry(vendor).or_default();
        match answer {
            Err(error) if error.kind() == confapi_core::ErrorKind::QuotaExhausted => {
                view.stopped = true;
                vec![Event::VendorStopped { vendor, error }]
            }
            Err(error) => {
                let first_failure = !view.failing;
                view.failing = true;
                if first_failure {
                    vec![Event::VendorFailed { vendor, error }]
                } else {
                    Vec::new()
                }
            }
            Ok(conferences) => {
                let mut events = Vec::new();
                if view.failing {
                    events.push(Event::VendorRecovered { vendor });
                }
                let now = Snapshot::of(conferences);
                if let Some(before) = &view.last {
                    events.extend(diff::changes(vendor, before, &now));
                }
                *view = View { last: Some(now), failing: false, stopped: false };
                events
            }
        }
    }

    /// The vendors no longer polled.
    pub(crate) fn stopped(&self) -> Vec<Vendor> {
        self.views.iter().filter(|(_, v)| v.stopped).map(|(vendor, _)| *vendor).collect()
    }
}

/// What one poll of a vendor costs in calls: `fixed`, plus `per_live` for
/// each conference running (its members listing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollCost {
    /// Calls every poll makes (the listing of live conferences).
    pub fixed: u64,
    /// Calls for each live conference (its members).
    pub per_live: u64,
}

impl PollCost {
    /// The cost of one poll of `vendor` by this watch.
    pub fn of(vendor: Vendor) -> Self {
        match vendor {
            // `query_in_session` with `all`: rooms with their members.
            Vendor::Openvox => PollCost { fixed: 1, per_live: 0 },
            // A page of `listbystatus`, then `attendee/list` per meeting.
            Vendor::Quanshi => PollCost { fixed: 1, per_live: 1 },
            // A page of the organisation's conferences, then the members of each.
            Vendor::Dingtalk => PollCost { fixed: 1, per_live: 1 },
        }
    }
}

/// What a watch at one interval costs a vendor a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// The vendor.
    pub vendor: Vendor,
    /// Polls a day.
    pub polls_per_day: u64,
    /// One poll's calls.
    pub per_poll: PollCost,
    /// The vendor's documented allowance, if any.
    pub quota: Option<confapi_core::Quota>,
}

impl Cost {
    /// The cost of watching `vendor` every `interval`.
    pub fn of(vendor: Vendor, interval: Duration) -> Self {
        let polls_per_day = 86_400_000 / interval.as_millis().clamp(1, 86_400_000) as u64;
        Cost { vendor, polls_per_day, per_poll: PollCost::of(vendor), quota: vendor.info().and_then(|i| i.quota) }
    }

    /// Calls a day with `live` conferences running.
    pub fn per_day(&self, live: u64) -> u64 {
        self.polls_per_day * (self.per_poll.fixed + self.per_poll.per_live * live)
    }

    /// How many days the vendor's allowance lasts with `live` conferences
    /// running, where it documents one.
    pub fn quota_days(&self, live: u64) -> Option<f64> {
        let quota = self.quota?;
        Some(quota.calls as f64 / self.per_day(live).max(1) as f64)
    }
}

impl fmt::Display for Cost {
    /// `dingtalk: 8640 calls a day + 8640 per live conference; the about
    /// 10000-a-month allowance (…) lasts 1.2 days with none live`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} calls a day", self.vendor, self.per_day(0))?;
        if self.per_poll.per_live > 0 {
            write!(f, " + {} per live conference", self.polls_per_day * self.per_poll.per_live)?;
        }
        if let (Some(q), Some(days)) = (self.quota, self.quota_days(0)) {
            let period = if q.days == 30 { "month".to_owned() } else { format!("{} days", q.days) };
            write!(f, "; {} calls a {period} for {} last {days:.1} days at that pace", q.calls, q.note)?;
        }
        Ok(())
    }
}

/// One poll's answers: each vendor's live conferences with members, or its
/// error.
pub(crate) type Answers = Vec<(Vendor, Result<Vec<Conference>, Error>)>;

/// The events of polling with `poll` (given the vendors to leave out)
/// right away and then every `interval`
/// (at least a millisecond). Never ends by itself. Polls again only when
/// the previous poll's events have all been taken; a poll that overruns
/// the interval delays the next one rather than bunching them up.
pub(crate) fn events<P, F>(interval: Duration, poll: P) -> impl Stream<Item = Event> + Send
where
    P: FnMut(Vec<Vendor>) -> F + Send,
    F: Future<Output = Answers> + Send,
{
    struct State<P> {
        poll: P,
        period: Duration,
        ticker: Option<tokio::time::Interval>,
        watcher: Watcher,
        pending: VecDeque<Event>,
    }
    let state = State {
        poll,
        period: interval.max(Duration::from_millis(1)),
        ticker: None,
        watcher: Watcher::default(),
        pending: VecDeque::new(),
    };
    futures_util::stream::unfold(state, |mut s| async move {
        loop {
            if let Some(event) = s.pending.pop_front() {
                return Some((event, s));
            }
            // Made on first use: a timer needs the runtime the stream runs on.
            let period = s.period;
            let ticker = s.ticker.get_or_insert_with(|| {
                let mut t = tokio::time::interval(period);
                t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                t
            });
            ticker.tick().await;
            for (vendor, answer) in (s.poll)(s.watcher.stopped()).await {
                s.pending.extend(s.watcher.observe(vendor, answer));
            }
        }
    })
}

/// How many members listings a vendor runs at once for one snapshot.
#[cfg_attr(not(any(feature = "quanshi", feature = "dingtalk")), allow(dead_code))]
const MEMBER_CALLS_AT_ONCE: usize = 4;

/// `conferences` with their members, fetched by `fetch` a few at a time;
/// the first failure fails the whole snapshot.
#[cfg_attr(not(any(feature = "quanshi", feature = "dingtalk")), allow(dead_code))]
pub(crate) async fn with_members<'a, F, Fut>(conferences: Vec<Conference>, fetch: F) -> Result<Vec<Conference>, Error>
where
    F: Fn(String) -> Fut + 'a,
    Fut: Future<Output = Result<Vec<Member>, Error>> + 'a,
{
    futures_util::stream::iter(conferences)
        .map(|mut c| {
            let members = fetch(c.id.clone());
            async move {
                c.members = members.await?;
                Ok::<_, Error>(c)
            }
        })
        .buffered(MEMBER_CALLS_AT_ONCE)
        .try_collect()
        .await
}

#[cfg(test)]
mod tests;
