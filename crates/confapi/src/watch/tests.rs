//! The comparison on made-up snapshots, and the stream on paused time.

use super::*;
use crate::accounts::Account;
use crate::actions::{Action, Outcome, Request};
use crate::adapter::{Adapter, Listing, VendorFuture};
use crate::model::Status;
use crate::Budget;
use confapi_core::{ErrorKind, OperationMeta};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const OV: Vendor = Vendor::OPENVOX;
const DT: Vendor = Vendor::DINGTALK;

/// The comparison for several vendors at once, each an account named
/// after it.
#[derive(Default)]
struct Watcher {
    views: BTreeMap<Vendor, View>,
}

impl Watcher {
    fn observe(&mut self, vendor: Vendor, answer: Result<Vec<Conference>, Error>) -> Vec<Event> {
        let src = Source { account: vendor.name().into(), vendor };
        self.views.entry(vendor).or_default().observe(&src, answer)
    }
}

fn member(id: &str, state: MemberState) -> Member {
    Member { id: Some(id.into()), state, ..Member::default() }
}

fn conference(vendor: Vendor, id: &str, members: Vec<Member>) -> Conference {
    Conference { members, ..Conference::new(vendor, id, Status::Live) }
}

fn failure(vendor: Vendor) -> Error {
    Error::new(vendor.name(), ErrorKind::Timeout)
}

/// Events as the lines `confapi watch` prints.
fn lines(events: &[Event]) -> Vec<String> {
    events.iter().map(ToString::to_string).collect()
}

use MemberState::{InMeeting, Invited, Left, Waiting};

fn before() -> Vec<Conference> {
    vec![
        conference(OV, "8000", vec![member("111", InMeeting), member("114", InMeeting)]),
        conference(OV, "6500", vec![member("1001", InMeeting), member("1002", Waiting)]),
    ]
}

#[test]
fn the_first_snapshot_is_the_baseline() {
    let mut w = Watcher::default();
    assert!(w.observe(OV, Ok(before())).is_empty());
    assert!(w.observe(OV, Ok(before())).is_empty(), "nothing changed");
}

#[test]
fn joins_leaves_and_state_changes() {
    let mut w = Watcher::default();
    w.observe(OV, Ok(before()));
    let after = vec![
        conference(OV, "8000", vec![member("111", InMeeting), member("115", InMeeting)]),
        conference(OV, "6500", vec![member("1001", InMeeting), member("1002", InMeeting)]),
    ];
    assert_eq!(
        lines(&w.observe(OV, Ok(after))),
        [
            "openvox 6500 member_state_changed 1002 (waiting -> in_meeting)",
            "openvox 8000 member_joined 115 (in_meeting)",
            "openvox 8000 member_left 114 (in_meeting)",
        ]
    );
}

#[test]
fn a_left_state_is_a_leave_and_a_return_is_a_join() {
    let mut w = Watcher::default();
    let list = |members| Ok(vec![conference(DT, "c", members)]);
    w.observe(DT, list(vec![member("a", InMeeting), member("gone", Left)]));
    // Listed as left: a leave. First seen already left: nothing to pair with, so nothing.
    let events = w.observe(DT, list(vec![member("a", Left), member("gone", Left), member("late", Left)]));
    assert_eq!(lines(&events), ["dingtalk c member_left a (left)"]);
    let events = w.observe(DT, list(vec![member("a", InMeeting), member("b", Invited)]));
    assert_eq!(lines(&events), ["dingtalk c member_joined a (in_meeting)", "dingtalk c member_joined b (invited)"]);
    // An unknown state is a change like any other.
    let events = w.observe(DT, list(vec![member("a", MemberState::Unknown("0".into())), member("b", Invited)]));
    assert_eq!(lines(&events), ["dingtalk c member_state_changed a (in_meeting -> unknown(0))"]);
}

#[test]
fn conferences_start_and_end_with_their_members() {
    let mut w = Watcher::default();
    w.observe(OV, Ok(before()));
    let mut after = before();
    after.remove(0);
    after.push(conference(OV, "6600", vec![member("1004", Waiting), member("x", Left)]));
    let events = w.observe(OV, Ok(after));
    assert_eq!(
        lines(&events),
        [
            "openvox 6600 conference_started -",
            "openvox 6600 member_joined 1004 (waiting)",
            "openvox 8000 member_left 111 (in_meeting)",
            "openvox 8000 member_left 114 (in_meeting)",
            "openvox 8000 conference_ended -",
        ]
    );
    let Event::ConferenceStarted { conference, .. } = &events[0] else { panic!("{events:?}") };
    assert_eq!(conference.members.len(), 2, "the started conference carries its members");
}

#[test]
fn ended_conferences_in_a_listing_are_not_running() {
    let mut w = Watcher::default();
    w.observe(DT, Ok(vec![conference(DT, "c", vec![])]));
    let ended = Conference { status: Status::Ended, ..conference(DT, "c", vec![]) };
    assert_eq!(lines(&w.observe(DT, Ok(vec![ended]))), ["dingtalk c conference_ended -"]);
}

#[test]
fn a_failure_is_one_event_and_recovery_reports_what_changed_meanwhile() {
    let mut w = Watcher::default();
    w.observe(OV, Ok(before()));
    let failed = w.observe(OV, Err(failure(OV)));
    assert_eq!(failed.len(), 1);
    assert!(matches!(&failed[0], Event::VendorFailed { vendor: OV, error, .. } if error.kind() == ErrorKind::Timeout));
    assert!(w.observe(OV, Err(failure(OV))).is_empty(), "still failing: no new event");
    let mut after = before();
    after[0].members.pop();
    assert_eq!(
        lines(&w.observe(OV, Ok(after))),
        ["openvox vendor_recovered", "openvox 8000 member_left 114 (in_meeting)"]
    );
    assert!(w.observe(OV, Err(failure(OV))).len() == 1, "a new outage is reported again");
}

#[test]
fn a_vendor_failing_from_the_start_gets_its_baseline_when_it_answers() {
    let mut w = Watcher::default();
    assert_eq!(w.observe(DT, Err(failure(DT))).len(), 1);
    assert_eq!(
        lines(&w.observe(DT, Ok(vec![conference(DT, "c", vec![member("a", InMeeting)])]))),
        ["dingtalk vendor_recovered"]
    );
    let events = w.observe(DT, Ok(vec![conference(DT, "c", vec![])]));
    assert_eq!(lines(&events), ["dingtalk c member_left a (in_meeting)"]);
}

#[test]
fn vendors_are_compared_each_with_its_own_previous_answer() {
    let mut w = Watcher::default();
    w.observe(OV, Ok(before()));
    w.observe(DT, Ok(vec![conference(DT, "c", vec![member("a", InMeeting)])]));
    assert_eq!(w.observe(DT, Err(failure(DT))).len(), 1);
    let mut after = before();
    after[1].members.clear();
    let events = w.observe(OV, Ok(after));
    assert!(events.iter().all(|e| e.vendor() == OV) && events.len() == 2, "{events:?}");
}

#[test]
fn members_are_followed_by_id_then_name_and_each_occurrence() {
    let named = Member { name: Some("访客".into()), state: InMeeting, ..Member::default() };
    let nobody = Member { state: InMeeting, ..Member::default() };
    let mut w = Watcher::default();
    let two_lines = vec![member("1001", InMeeting), member("1001", InMeeting), named.clone(), nobody.clone()];
    w.observe(OV, Ok(vec![conference(OV, "8000", two_lines)]));
    let events = w.observe(OV, Ok(vec![conference(OV, "8000", vec![member("1001", InMeeting), nobody])]));
    assert_eq!(
        lines(&events),
        ["openvox 8000 member_left 1001 (in_meeting)", "openvox 8000 member_left 访客 (in_meeting)"]
    );
}

#[test]
fn memory_is_one_snapshot_per_vendor_however_many_polls() {
    let mut w = Watcher::default();
    for round in 0..1000 {
        let members = (0..round % 7).map(|n| member(&n.to_string(), InMeeting)).collect();
        w.observe(OV, Ok(vec![conference(OV, &format!("room{}", round % 3), members)]));
    }
    assert_eq!(w.views.len(), 1);
    let last = w.views[&OV].last.as_ref().unwrap();
    assert_eq!(
        last,
        &Snapshot::of(vec![conference(OV, "room0", (0..999 % 7).map(|n| member(&n.to_string(), InMeeting)).collect())])
    );
}

type Answer = Result<Vec<Conference>, Error>;

/// A stand-in vendor: answers from a script (the last answer repeating),
/// spends `cost` calls a poll, and notes when it was polled.
#[derive(Debug)]
struct Scripted {
    vendor: Vendor,
    script: Vec<Answer>,
    cost: PollCost,
    polls: AtomicUsize,
    sent: AtomicU64,
    polled_at: Mutex<Vec<tokio::time::Instant>>,
}

impl Scripted {
    fn new(vendor: Vendor, script: Vec<Answer>) -> Arc<Self> {
        Self::costing(vendor, PollCost::new(1, 0), script)
    }

    fn costing(vendor: Vendor, cost: PollCost, script: Vec<Answer>) -> Arc<Self> {
        Arc::new(Scripted {
            vendor,
            script,
            cost,
            polls: AtomicUsize::new(0),
            sent: AtomicU64::new(0),
            polled_at: Mutex::new(Vec::new()),
        })
    }

    fn polls(&self) -> usize {
        self.polls.load(Ordering::SeqCst)
    }
}

impl Adapter for Scripted {
    fn vendor(&self) -> Vendor {
        self.vendor
    }
    fn live(&self, _: Listing) -> VendorFuture<'_, Vec<Conference>> {
        let n = self.polls.fetch_add(1, Ordering::SeqCst);
        self.polled_at.lock().unwrap().push(tokio::time::Instant::now());
        let answer = self.script.get(n).or(self.script.last()).cloned().unwrap_or(Ok(Vec::new()));
        let live = answer.as_ref().map(|l| l.len() as u64).unwrap_or(0);
        self.sent.fetch_add(self.cost.calls(live), Ordering::SeqCst);
        Box::pin(std::future::ready(answer))
    }
    fn conference<'a>(&'a self, _: &'a str) -> VendorFuture<'a, Conference> {
        Box::pin(std::future::ready(Err(Error::new(self.vendor.name(), ErrorKind::NotFound))))
    }
    fn operation(&self, _: Action) -> Option<&'static OperationMeta> {
        None
    }
    fn perform<'a>(&'a self, request: &'a Request) -> VendorFuture<'a, Outcome> {
        Box::pin(std::future::ready(Err(crate::adapter::unsupported(self.vendor, request.action()))))
    }
    fn poll_cost(&self) -> PollCost {
        self.cost
    }
    fn calls_sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }
}

fn account(name: &str, adapter: Arc<dyn Adapter>, budget: Option<Budget>) -> Account {
    Account { name: name.into(), adapter, budget }
}

#[tokio::test(start_paused = true)]
async fn an_account_out_of_quota_is_one_event_and_no_longer_polled() {
    let quota = Error::new("dingtalk", ErrorKind::QuotaExhausted);
    let pbx = Scripted::new(
        OV,
        vec![
            Ok(vec![conference(OV, "8000", vec![])]),
            Ok(vec![conference(OV, "8000", vec![member("111", InMeeting)])]),
            Ok(vec![conference(OV, "8000", vec![])]),
        ],
    );
    let org = Scripted::new(DT, vec![Err(quota)]);
    let accounts = vec![account("openvox", pbx.clone(), None), account("dingtalk", org.clone(), None)];
    let mut stream = std::pin::pin!(events(accounts, Duration::from_secs(5)));
    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(stream.next().await.unwrap().to_string());
    }
    assert_eq!(
        got,
        [
            "dingtalk vendor_stopped: no longer polled: dingtalk: quota exhausted",
            "openvox 8000 member_joined 111 (in_meeting)",
            "openvox 8000 member_left 111 (in_meeting)",
        ]
    );
    // A day of watching later, the account out of quota was asked once.
    let _ = tokio::time::timeout(Duration::from_secs(86_400), stream.next()).await;
    assert_eq!(org.polls(), 1, "no poll after the quota answer");
    assert!(pbx.polls() > 1000, "the other account goes on: {}", pbx.polls());
}

#[tokio::test(start_paused = true)]
async fn the_stream_polls_on_its_interval_and_goes_on_past_a_failure() {
    let one = |members: Vec<Member>| Ok(vec![conference(OV, "8000", members)]);
    let pbx = Scripted::new(
        OV,
        vec![
            one(vec![member("111", InMeeting)]),
            one(vec![member("111", InMeeting), member("115", InMeeting), member("116", Waiting)]),
            Err(failure(OV)),
            one(vec![member("116", InMeeting)]),
            one(vec![]),
        ],
    );
    let stream = events(vec![account("openvox", pbx.clone(), None)], Duration::from_secs(5));
    let mut stream = std::pin::pin!(stream);
    let mut got = Vec::new();
    for _ in 0..2 {
        got.push(stream.next().await.unwrap());
    }
    assert_eq!(pbx.polls(), 2, "the second poll's events come out before a third poll");
    for _ in 0..5 {
        got.push(stream.next().await.unwrap());
    }
    assert_eq!(
        lines(&got),
        [
            "openvox 8000 member_joined 115 (in_meeting)",
            "openvox 8000 member_joined 116 (waiting)",
            "openvox vendor_failed: openvox: timed out",
            "openvox vendor_recovered",
            "openvox 8000 member_state_changed 116 (waiting -> in_meeting)",
            "openvox 8000 member_left 111 (in_meeting)",
            "openvox 8000 member_left 115 (in_meeting)",
        ]
    );
    let last = stream.next().await.unwrap();
    assert_eq!(last.to_string(), "openvox 8000 member_left 116 (in_meeting)");
    // The stream is still there after the script ran out; nothing more changes.
    let quiet = tokio::time::timeout(Duration::from_secs(60), stream.next()).await;
    assert!(quiet.is_err(), "no event when nothing changes, and no end either");
}

#[tokio::test(start_paused = true)]
async fn a_budget_stretches_the_interval_with_the_conferences_live() {
    // A DingTalk-like cost: the listing, plus one batch call per 20 live.
    let three = Ok(vec![conference(DT, "a", vec![]), conference(DT, "b", vec![]), conference(DT, "c", vec![])]);
    let org = Scripted::costing(DT, PollCost::new(1, 0).with_batch(20), vec![Ok(vec![]), three]);
    let pbx = Scripted::new(OV, vec![Ok(vec![])]);
    let accounts = vec![account("org-a", org.clone(), Some(Budget::per_day(2000))), account("hq", pbx.clone(), None)];
    let started = tokio::time::Instant::now();
    let mut stream = std::pin::pin!(events(accounts, Duration::from_secs(1)));
    // The first poll finds none live (1 call: 43.2 s at 2000 a day); the
    // second finds three (2 calls: 86.4 s), a new plan.
    let mut event = stream.next().await.unwrap();
    while matches!(event, Event::ConferenceStarted { .. }) {
        event = stream.next().await.unwrap();
    }
    let Event::PlanChanged { account, plan, .. } = &event else { panic!("{event}") };
    assert_eq!(account, "org-a");
    assert_eq!((plan.live, plan.calls_per_poll, plan.interval), (3, 2, Duration::from_millis(86_400)));
    assert_eq!(plan.calls_per_day, 2000);
    assert!(
        event.to_string().contains("every 1m 26s, 2000 calls a day (2 a poll, 3 live; budget 2000/day)"),
        "{event}"
    );
    // An hour of watching: within the budget's pace, while the unbudgeted
    // account is polled every second.
    let _ = tokio::time::timeout(Duration::from_secs(3600), stream.next()).await;
    let hours = started.elapsed().as_secs_f64() / 3600.0;
    let spent = org.calls_sent() as f64;
    assert!(spent <= 2000.0 / 24.0 * hours + 2.0, "{spent} calls in {hours} h");
    assert!(pbx.polls() >= 3600, "{} polls of the unbudgeted account", pbx.polls());
}

#[tokio::test(start_paused = true)]
async fn the_first_polls_of_many_accounts_are_spread_over_the_interval() {
    let pbxs: Vec<Arc<Scripted>> = (0..4).map(|_| Scripted::new(OV, vec![Ok(vec![])])).collect();
    let accounts = pbxs.iter().enumerate().map(|(i, p)| account(&format!("pbx-{i}"), p.clone(), None)).collect();
    let started = tokio::time::Instant::now();
    let mut stream = std::pin::pin!(events(accounts, Duration::from_secs(4)));
    let _ = tokio::time::timeout(Duration::from_millis(8_500), stream.next()).await;
    for (i, p) in pbxs.iter().enumerate() {
        let at: Vec<u64> = p.polled_at.lock().unwrap().iter().map(|t| (*t - started).as_millis() as u64).collect();
        // Account i starts i seconds in, then keeps its 4 s interval.
        let expected: Vec<u64> = [0, 4000, 8000].iter().map(|t| t + 1000 * i as u64).filter(|t| *t <= 8_500).collect();
        assert_eq!(at, expected, "pbx-{i}");
    }
}

#[test]
fn a_plan_without_a_budget_names_the_calls_a_day_and_the_allowance() {
    let org = Scripted::costing(DT, PollCost::new(1, 0).with_batch(20), vec![]);
    let plan = Plan::of(&account("dingtalk", org, None), Duration::from_secs(10), 1);
    assert_eq!((plan.calls_per_poll, plan.calls_per_day), (2, 17_280));
    let text = plan.to_string();
    assert!(
        text.starts_with("dingtalk: every 10s, 17280 calls a day (2 a poll, 1 live; 10000 calls a month"),
        "{text}"
    );
    assert!(text.contains("last 0.6 days"), "{text}");
}

#[test]
fn events_serialize_with_their_name_account_and_vendor() {
    let src = Source { account: "hq-pbx".into(), vendor: OV };
    let joined = Event::joined(&src, "8000".into(), member("115", InMeeting));
    let json = serde_json::to_value(&joined).unwrap();
    assert_eq!(json["event"], "member_joined");
    assert_eq!(json["account"], "hq-pbx");
    assert_eq!(json["vendor"], "openvox");
    assert_eq!(json["conference_id"], "8000");
    assert_eq!(json["member"]["state"], "in_meeting");
    assert_eq!(joined.to_string(), "hq-pbx (openvox) 8000 member_joined 115 (in_meeting)");
    let error = failure(DT).with_account("org-a");
    let failed = serde_json::to_value(Event::VendorFailed { account: "org-a".into(), vendor: DT, error }).unwrap();
    assert_eq!(failed["error"], "org-a (dingtalk): timed out");
    assert_eq!(joined.name(), json["event"]);
}
