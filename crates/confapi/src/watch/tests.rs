//! The comparison on made-up snapshots, and the stream on paused time.

use super::*;
use crate::model::Status;
use confapi_core::ErrorKind;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const OV: Vendor = Vendor::OPENVOX;
const DT: Vendor = Vendor::DINGTALK;

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
    assert!(matches!(&failed[0], Event::VendorFailed { vendor: OV, error } if error.kind() == ErrorKind::Timeout));
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

/// A poll that gives the answers in `script` in turn, the last repeating,
/// and counts the polls.
fn scripted(
    script: Vec<Answers>,
    polls: Arc<AtomicUsize>,
) -> impl FnMut(Vec<Vendor>) -> std::future::Ready<Answers> + Send {
    move |skip| {
        let n = polls.fetch_add(1, Ordering::SeqCst);
        let mut answers = script.get(n).or(script.last()).cloned().unwrap_or_default();
        answers.retain(|(vendor, _)| !skip.contains(vendor));
        std::future::ready(answers)
    }
}

#[tokio::test(start_paused = true)]
async fn a_vendor_out_of_quota_is_one_event_and_no_longer_polled() {
    let polls = Arc::new(AtomicUsize::new(0));
    let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let quota = Error::new("dingtalk", ErrorKind::QuotaExhausted);
    let answers = |members: Vec<Member>| -> Answers {
        vec![(OV, Ok(vec![conference(OV, "8000", members)])), (DT, Err(quota.clone()))]
    };
    let script = vec![answers(vec![]), answers(vec![member("111", InMeeting)]), answers(vec![])];
    let mut inner = scripted(script, polls.clone());
    let seen = asked.clone();
    let poll = move |skip: Vec<Vendor>| {
        let answers = inner(skip);
        if let Ok(mut a) = seen.lock() {
            a.push(answers.clone().into_inner().iter().map(|(v, _)| *v).collect::<Vec<_>>());
        }
        answers
    };
    let mut stream = std::pin::pin!(events(Duration::from_secs(5), poll));
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
    let asked = asked.lock().unwrap().clone();
    assert_eq!(asked[0], [OV, DT], "the first poll asks both");
    assert!(asked[1..].iter().all(|a| a == &[OV]), "after the quota error only OpenVox is asked: {asked:?}");
}

#[test]
fn a_watchs_cost_names_the_calls_a_day_and_the_quota() {
    let cost = Cost::of(DT, Duration::from_secs(10));
    assert_eq!((cost.per_day(0), cost.per_day(2)), (8_640, 25_920));
    let text = cost.to_string();
    assert!(text.starts_with("dingtalk: 8640 calls a day + 8640 per live conference; 10000 calls a month"), "{text}");
    assert!(text.contains("last 1.2 days"), "{text}");
    // At 10 minutes a poll, the monthly allowance lasts a month with one conference live.
    assert!(Cost::of(DT, Duration::from_secs(600)).quota_days(1).is_some_and(|d| d > 30.0));
    assert_eq!(Cost::of(OV, Duration::from_secs(1)).per_day(9), 86_400);
}

#[tokio::test(start_paused = true)]
async fn the_stream_polls_on_its_interval_and_goes_on_past_a_failure() {
    let polls = Arc::new(AtomicUsize::new(0));
    let one = |members: Vec<Member>| vec![(OV, Ok(vec![conference(OV, "8000", members)]))];
    let script = vec![
        one(vec![member("111", InMeeting)]),
        one(vec![member("111", InMeeting), member("115", InMeeting), member("116", Waiting)]),
        vec![(OV, Err(failure(OV)))],
        one(vec![member("116", InMeeting)]),
        one(vec![]),
    ];
    let stream = events(Duration::from_secs(5), scripted(script, polls.clone()));
    let mut stream = std::pin::pin!(stream);
    let mut got = Vec::new();
    for _ in 0..2 {
        got.push(stream.next().await.unwrap());
    }
    assert_eq!(polls.load(Ordering::SeqCst), 2, "the second poll's events come out before a third poll");
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

#[test]
fn events_serialize_with_their_name_and_vendor() {
    let joined = Event::joined(OV, "8000".into(), member("115", InMeeting));
    let json = serde_json::to_value(&joined).unwrap();
    assert_eq!(json["event"], "member_joined");
    assert_eq!(json["vendor"], "openvox");
    assert_eq!(json["conference_id"], "8000");
    assert_eq!(json["member"]["state"], "in_meeting");
    let failed = serde_json::to_value(Event::VendorFailed { vendor: DT, error: failure(DT) }).unwrap();
    assert_eq!(failed["error"], "dingtalk: timed out");
    assert_eq!(joined.name(), json["event"]);
}
