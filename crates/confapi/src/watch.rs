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
//! - **Accounts are watched each on its own schedule.** With many
//!   accounts, their first polls are spread over the interval rather than
//!   fired at once; after that each keeps its own interval.
//! - **Each poll has a known cost in calls** ([`PollCost`]), counted as it
//!   runs ([`Adapter::calls_sent`](crate::Adapter::calls_sent)). OpenVox
//!   answers rooms and members in one call. Quanshi lists running meetings,
//!   then the terminals of each, one call per meeting (four at a time).
//!   DingTalk lists running conferences, then reads the members of up to
//!   twenty of them in one batch information call
//!   (`query_conference_info_batch`), where one members listing each would
//!   cost a call per conference.
//!   *What the batch call misses*: its members carry the user id, name and
//!   state, but not the host and co-host flags nor join and leave times,
//!   so a watched DingTalk member has no `role`, `joined_at` or `left_at`
//!   (read them with [`Confapi::conference`](crate::Confapi::conference));
//!   and its `userId` may differ from the unionId the members listing
//!   gives, so do not mix ids from the two.
//! - **A budget sets the pace.** An account with a [`Budget`](crate::Budget)
//!   (`--budget org-a=2000/day`, or `budget = "10000/month"` in its table)
//!   is polled no more often than the budget allows at the current number
//!   of live conferences: its interval stretches when more are live and
//!   comes back when fewer are. The pace also counts what a poll really
//!   spent (a token renewal is a call too). Each account's [`Plan`]
//!   (interval and calls a day) is known before the first poll
//!   ([`Confapi::watch_plan`](crate::Confapi::watch_plan)), and
//!   [`Event::PlanChanged`] says when it changes. Without a budget, an
//!   account is polled every interval, and its plan says what that costs
//!   against the vendor's documented allowance: at 10 s, DingTalk spends
//!   8,640 calls a day where a standard-edition organisation may make
//!   about 10,000 a month.
//! - **An account whose quota is used up is no longer polled.** Its
//!   [`ErrorKind::QuotaExhausted`](confapi_core::ErrorKind::QuotaExhausted)
//!   answer is one [`Event::VendorStopped`], and the watch does not call
//!   it again until the vendor's period renews (the next month, China
//!   time, for DingTalk's monthly allowance; a day where the period is not
//!   documented). More calls would only be refused, and may count against
//!   the next period. The other accounts go on.
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
mod plan;
mod poller;

use crate::model::{Conference, Member, Vendor};
use crate::state::MemberState;
use confapi_core::Error;
use diff::Snapshot;
use futures_util::{StreamExt, TryStreamExt};
use serde::{Serialize, Serializer};
use std::fmt;
use std::future::Future;
use std::sync::Arc;

pub use plan::{Plan, PollCost};
pub(crate) use poller::events;

/// Where an event comes from: an account and its vendor.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub(crate) account: Arc<str>,
    pub(crate) vendor: Vendor,
}

impl Source {
    pub(crate) fn account(&self) -> String {
        self.account.to_string()
    }
}

/// Something that changed, as a watch saw it.
///
/// In JSON (`confapi watch --json`) every event is an object with
/// `"event"` (the variant's name in snake case, `"member_joined"`),
/// `"account"` and `"vendor"`, then the variant's fields.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// A conference is running that was not in the previous snapshot.
    ConferenceStarted {
        /// The account.
        account: String,
        /// Its vendor.
        vendor: Vendor,
        /// The conference, with its members.
        conference: Conference,
    },
    /// A conference of the previous snapshot is no longer running.
    ConferenceEnded {
        /// The account.
        account: String,
        /// Its vendor.
        vendor: Vendor,
        /// The conference as last seen.
        conference: Conference,
    },
    /// A member became present: newly listed in a state other than
    /// `left`, or back from `left`.
    MemberJoined {
        /// The account.
        account: String,
        /// The vendor.
        vendor: Vendor,
        /// The conference's id.
        conference_id: String,
        /// The member as now seen.
        member: Member,
    },
    /// A present member is gone: no longer listed, or now `left`.
    MemberLeft {
        /// The account.
        account: String,
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
        /// The account.
        account: String,
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
        /// The account.
        account: String,
        /// The vendor.
        vendor: Vendor,
        /// Why (in JSON, its text).
        #[serde(serialize_with = "as_text")]
        error: Error,
    },
    /// The vendor answers again after [`Event::VendorFailed`].
    VendorRecovered {
        /// The account.
        account: String,
        /// The vendor.
        vendor: Vendor,
    },
    /// The account's polling plan changed (more or fewer conferences live
    /// under a budget). The plan a watch starts with is
    /// [`Confapi::watch_plan`](crate::Confapi::watch_plan).
    PlanChanged {
        /// The account.
        account: String,
        /// The vendor.
        vendor: Vendor,
        /// The new plan.
        plan: Plan,
    },
    /// The account's allowance of calls is used up: the watch stops
    /// polling it until the vendor's period renews (the other accounts go on).
    VendorStopped {
        /// The account.
        account: String,
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
    pub(crate) fn joined(src: &Source, conference_id: String, member: Member) -> Self {
        Event::MemberJoined { account: src.account(), vendor: src.vendor, conference_id, member }
    }

    pub(crate) fn left(src: &Source, conference_id: String, member: Member) -> Self {
        Event::MemberLeft { account: src.account(), vendor: src.vendor, conference_id, member }
    }

    /// The account and vendor the event is about.
    fn source(&self) -> (&str, Vendor) {
        match self {
            Event::ConferenceStarted { account, vendor, .. }
            | Event::ConferenceEnded { account, vendor, .. }
            | Event::MemberJoined { account, vendor, .. }
            | Event::MemberLeft { account, vendor, .. }
            | Event::MemberStateChanged { account, vendor, .. }
            | Event::VendorFailed { account, vendor, .. }
            | Event::VendorStopped { account, vendor, .. }
            | Event::VendorRecovered { account, vendor }
            | Event::PlanChanged { account, vendor, .. } => (account, *vendor),
        }
    }

    /// The vendor the event is about.
    pub fn vendor(&self) -> Vendor {
        self.source().1
    }

    /// The account the event is about.
    pub fn account(&self) -> &str {
        self.source().0
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
            Event::PlanChanged { .. } => "plan_changed",
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
            Event::VendorFailed { .. }
            | Event::VendorRecovered { .. }
            | Event::VendorStopped { .. }
            | Event::PlanChanged { .. } => None,
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
    /// One line: `openvox 8000 member_joined 115 (in_meeting)`, or
    /// `hq-pbx (openvox) 8000 …` for an account not named after its vendor.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (account, vendor) = self.source();
        if account == vendor.name() || account.is_empty() {
            write!(f, "{vendor} ")?;
        } else {
            write!(f, "{account} ({vendor}) ")?;
        }
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
            Event::PlanChanged { plan, .. } => write!(f, ": {}", plan.pace()),
        }
    }
}

/// What the watch remembers of one account: its latest good snapshot
/// and whether it is failing or stopped.
#[derive(Debug, Default)]
pub(crate) struct View {
    /// The latest good snapshot; `None` until the first good answer.
    last: Option<Snapshot>,
    /// Whether the latest answer was a failure.
    failing: bool,
    /// Whether polling it stopped (its quota is used up).
    pub(crate) stopped: bool,
}

impl View {
    /// The events one answer of `src` gives.
    pub(crate) fn observe(&mut self, src: &Source, answer: Result<Vec<Conference>, Error>) -> Vec<Event> {
        let (account, vendor) = (src.account(), src.vendor);
        match answer {
            Err(error) if error.kind() == confapi_core::ErrorKind::QuotaExhausted => {
                self.stopped = true;
                vec![Event::VendorStopped { account, vendor, error }]
            }
            Err(error) => {
                let first_failure = !self.failing;
                self.failing = true;
                if first_failure {
                    vec![Event::VendorFailed { account, vendor, error }]
                } else {
                    Vec::new()
                }
            }
            Ok(conferences) => {
                let mut events = Vec::new();
                if self.failing {
                    events.push(Event::VendorRecovered { account, vendor });
                }
                let now = Snapshot::of(conferences);
                if let Some(before) = &self.last {
                    events.extend(diff::changes(src, before, &now));
                }
                *self = View { last: Some(now), failing: false, stopped: false };
                events
            }
        }
    }
}

/// How many members listings a vendor runs at once for one snapshot.
const MEMBER_CALLS_AT_ONCE: usize = 4;

/// `conferences` with their members, fetched by `fetch` a few at a time;
/// the first failure fails the whole snapshot.
pub async fn with_members<'a, F, Fut>(conferences: Vec<Conference>, fetch: F) -> Result<Vec<Conference>, Error>
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
