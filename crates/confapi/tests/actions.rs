//! The facade's actions against the replay server: what each vendor can
//! do, every supported action sending the recorded request, unsupported
//! actions and bad input refused before any request, and no action sent
//! twice.
#![cfg(all(feature = "openvox", feature = "quanshi", feature = "dingtalk"))]

use confapi::{Action, Address, Capabilities, Confapi, ErrorKind, Invitee, Request, Start, Vendor};
use confapi_mock::{load_file, recorded_dir, MockServer, RecordedRequest, Reply};
use serde_json::json;
use std::time::Duration;

mod common;
use common::{all, replay};

fn invitee(s: &str) -> Invitee {
    s.parse().unwrap()
}

#[test]
fn capabilities_come_from_each_vendors_spec() {
    let table: Vec<(Vendor, Vec<&str>)> = Vendor::compiled()
        .into_iter()
        .map(|v| (v, Capabilities::of(v).actions().into_iter().map(Action::name).collect()))
        .collect();
    assert_eq!(
        table,
        [
            // The PBX mutes but has no call to unmute.
            (Vendor::OPENVOX, vec!["start", "invite", "mute"]),
            (Vendor::QUANSHI, vec![]),
            (Vendor::DINGTALK, vec!["start", "end", "invite", "kick", "mute", "unmute", "mute-all", "unmute-all"]),
        ]
    );
    // Each supported action names an operation of that vendor's compiled spec.
    for vendor in Vendor::compiled() {
        let info = vendor.info().unwrap();
        for action in Capabilities::of(vendor).actions() {
            let op = Capabilities::of(vendor).operation(action).unwrap();
            assert!(info.operations.iter().any(|o| o.id == op.id && o.path == op.path), "{vendor} {action}: {}", op.id);
            assert!(!op.safe, "{vendor} {action}: {} changes things, so it must not be retried", op.id);
        }
    }
    let end = Capabilities::of(Vendor::DINGTALK).operation(Action::End).unwrap();
    assert_eq!(end.id, "close_video_conference");
    let mute = Capabilities::of(Vendor::OPENVOX).operation(Action::Mute).unwrap();
    assert_eq!(mute.id, "conference_mute_member");
    assert!(!Capabilities::of(Vendor::OPENVOX).supports(Action::Unmute));
}

/// One request per action, in every form: each must send what its
/// recording holds.
fn supported_requests() -> Vec<(Vendor, Request, &'static str)> {
    let start = |title: &str, room: Option<&str>, by: &str, invitees: &[&str]| {
        Request::Start(Start {
            title: Some(title.into()),
            room: room.map(Into::into),
            by: Some(by.into()),
            invitees: invitees.iter().map(|s| invitee(s)).collect(),
        })
    };
    let dt = "6449d8a6414c0000001464af9f0".to_owned();
    vec![
        (Vendor::OPENVOX, start("6466", Some("6466"), "4000", &["4001"]), "openvox/instant-conference-start"),
        (
            Vendor::OPENVOX,
            Request::Invite { conference: "6400".into(), invitees: vec![invitee("4001")], by: None },
            "openvox/conference-add-member",
        ),
        (
            Vendor::OPENVOX,
            Request::Invite {
                conference: "6400".into(),
                invitees: vec![invitee("tel:13800000000")],
                by: Some("4000".into()),
            },
            "openvox/conference-add-member-outside-number",
        ),
        (
            Vendor::OPENVOX,
            Request::Mute { conference: "6500".into(), member: "1003".into(), mute: true },
            "openvox/conference-mute-member",
        ),
        (
            Vendor::DINGTALK,
            start("XXX's video meeting", None, "27SaQ3iiHLN0uwqcPisedfreNwiEiE", &["iSKzJxxxxx"]),
            "dingtalk/create-video-conference-sdk-example",
        ),
        (
            Vendor::DINGTALK,
            Request::End { conference: "607452e01401526ee39609e1".into(), by: None },
            "dingtalk/close-video-conference-example",
        ),
        (
            Vendor::DINGTALK,
            Request::Invite {
                conference: dt.clone(),
                invitees: vec![invitee("qzR1iSMDvzR9kXXXXXXXx=测试用户")],
                by: Some("njMTqKo9xxxxEiE".into()),
            },
            "dingtalk/invite-users-sdk-example",
        ),
        (
            Vendor::DINGTALK,
            Request::Kick { conference: dt.clone(), member: "qzR1iSMDvzR9iP7Pxxxxxxxxxxxxxxx".into() },
            "dingtalk/kick-members-sdk-example",
        ),
        (
            Vendor::DINGTALK,
            Request::Mute { conference: dt.clone(), member: "2iPOLbpUNMLzB5LuwggiiqiPwiEiE".into(), mute: true },
            "dingtalk/mute-members-sdk-example",
        ),
        (
            Vendor::DINGTALK,
            Request::Mute { conference: dt.clone(), member: "2iPOLbpUNMLzB5LuwggiiqiPwiEiE".into(), mute: false },
            "dingtalk/mute-members-unmute",
        ),
        (Vendor::DINGTALK, Request::MuteAll { conference: dt.clone(), mute: true }, "dingtalk/mute-all-sdk-example"),
        (Vendor::DINGTALK, Request::MuteAll { conference: dt, mute: false }, "dingtalk/mute-all-unmute"),
    ]
}

fn recorded(name: &str) -> RecordedRequest {
    load_file(&recorded_dir().join(format!("{name}.json"))).unwrap().exchange.request
}

#[tokio::test]
async fn every_supported_action_sends_its_recorded_request() {
    let mut covered = Vec::new();
    for (vendor, request, recording) in supported_requests() {
        let server = replay().await;
        let outcome =
            all(&server.url()).act(vendor.name(), &request).await.unwrap_or_else(|e| panic!("{recording}: {e}"));
        assert_eq!((outcome.vendor, outcome.action), (vendor, request.action()));
        let expected = recorded(recording);
        let sent = server.requests().pop().unwrap();
        assert_eq!((&sent.method, &sent.path, &sent.body), (&expected.method, &expected.path, &expected.body));
        // The request went to the operation the capability names.
        let op = Capabilities::of(vendor).operation(request.action()).unwrap();
        let (found, _) = vendor.info().unwrap().find_operation(&sent.method, &sent.path).unwrap();
        assert_eq!(found.id, op.id, "{recording}");
        covered.push((vendor, request.action()));
    }
    for vendor in Vendor::compiled() {
        for action in Capabilities::of(vendor).actions() {
            assert!(covered.contains(&(vendor, action)), "{vendor} {action} has no recorded request here");
        }
    }
}

#[tokio::test]
async fn starting_and_ending_report_the_conference() {
    let server = replay().await;
    let api = all(&server.url());
    let (_, start, _) = supported_requests()
        .into_iter()
        .find(|(v, r, _)| *v == Vendor::DINGTALK && matches!(r, Request::Start(_)))
        .unwrap();
    let started = api.act(Vendor::DINGTALK.name(), &start).await.unwrap();
    assert_eq!(started.conference, "607452e01401526ee39609e1");
    assert_eq!(started.join_url.as_deref(), Some("https://meeting.dingtalk.com/app?roomCode=42726033559"));
    let ended =
        api.act(Vendor::DINGTALK.name(), &Request::End { conference: started.conference, by: None }).await.unwrap();
    assert_eq!(ended.action, Action::End);
    // The host was read from the conference, then given to the close call.
    let close = server.requests().pop().unwrap();
    assert_eq!(close.query.get("unionId").map(String::as_str), Some("27SaQ3iiHLN0uwqcPxxxxxxxxwiEiE"));
}

/// A request of each action, on any conference.
fn one_of_each() -> Vec<Request> {
    let c = "1165158".to_owned();
    vec![
        Request::Start(Start {
            title: Some("t".into()),
            room: Some("1".into()),
            by: Some("1".into()),
            invitees: vec![],
        }),
        Request::End { conference: c.clone(), by: None },
        Request::Invite { conference: c.clone(), invitees: vec![invitee("4001")], by: None },
        Request::Kick { conference: c.clone(), member: "10003".into() },
        Request::Mute { conference: c.clone(), member: "10003".into(), mute: true },
        Request::Mute { conference: c.clone(), member: "10003".into(), mute: false },
        Request::MuteAll { conference: c.clone(), mute: true },
        Request::MuteAll { conference: c, mute: false },
    ]
}

#[tokio::test]
async fn unsupported_actions_fail_before_any_request() {
    let mut refused = 0;
    for vendor in Vendor::compiled() {
        for request in one_of_each() {
            if Capabilities::of(vendor).supports(request.action()) {
                continue;
            }
            let server = replay().await;
            let e = all(&server.url()).act(vendor.name(), &request).await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Unsupported, "{vendor} {}: {e}", request.action());
            assert_eq!(e.vendor(), vendor.name());
            let text = e.to_string();
            assert!(text.contains(vendor.name()) && text.contains(request.action().name()), "{text}");
            assert!(server.requests().is_empty(), "{vendor} {}: {:?}", request.action(), server.requests());
            refused += 1;
        }
    }
    // OpenVox: end, kick, unmute, mute-all, unmute-all; Quanshi: all eight.
    assert_eq!(refused, 13);
}

#[tokio::test]
async fn openvox_mutes_through_mute_member_and_refuses_to_unmute() {
    let server = replay().await;
    let api = all(&server.url());
    let mute = Request::Mute { conference: "6500".into(), member: "1003".into(), mute: true };
    let done = api.act(Vendor::OPENVOX.name(), &mute).await.unwrap();
    assert_eq!((done.action, done.conference.as_str()), (Action::Mute, "6500"));
    let sent = server.requests().pop().unwrap();
    assert_eq!(sent.path, "/api/v0.0.1/conference/mute_member");
    assert_eq!(sent.query.get("type").map(String::as_str), Some("json"), "the body format is asked for explicitly");
    assert_eq!(sent.body, json!({"number": "6500", "membernumber": "1003"}));

    // The PBX's refusal (recorded with errno 10006, no such extension) is
    // NotFound from the client, with the vendor's code.
    let unknown = Request::Mute { conference: "6500".into(), member: "1009".into(), mute: true };
    let e = api.act(Vendor::OPENVOX.name(), &unknown).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::NotFound, Some("10006")), "{e}");

    // Unmuting: refused before any request, naming the vendor and the action.
    let server = replay().await;
    let unmute = Request::Mute { conference: "6500".into(), member: "1003".into(), mute: false };
    let e = all(&server.url()).act(Vendor::OPENVOX.name(), &unmute).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    let text = e.to_string();
    assert!(text.contains("openvox") && text.contains("unmute"), "{text}");
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[tokio::test]
async fn input_a_vendor_cannot_take_fails_before_any_request() {
    let cases = [
        (Vendor::OPENVOX, Request::Start(Start { by: Some("4000".into()), ..Start::default() })),
        (Vendor::OPENVOX, Request::Start(Start { room: Some("6466".into()), ..Start::default() })),
        (Vendor::OPENVOX, Request::Invite { conference: "6400".into(), invitees: vec![], by: None }),
        (Vendor::OPENVOX, Request::Invite { conference: "6400".into(), invitees: vec![invitee("40,01")], by: None }),
        (Vendor::OPENVOX, Request::Mute { conference: "6500".into(), member: "1003,1002".into(), mute: true }),
        (Vendor::OPENVOX, Request::Mute { conference: "6500".into(), member: " ".into(), mute: true }),
        (Vendor::DINGTALK, Request::Start(Start { title: Some("t".into()), ..Start::default() })),
        (
            Vendor::DINGTALK,
            Request::Invite { conference: "c".into(), invitees: vec![invitee("qzR1iSMDvzR9kXXXXXXXx")], by: None },
        ),
        (Vendor::DINGTALK, Request::Invite { conference: "c".into(), invitees: vec![invitee("ext:4001=x")], by: None }),
    ];
    for (vendor, request) in cases {
        let server = replay().await;
        let e = all(&server.url()).act(vendor.name(), &request).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{vendor} {request:?}: {e}");
        assert!(server.requests().is_empty(), "{vendor} {request:?}");
    }
    let e = Confapi::new().act(Vendor::DINGTALK.name(), &one_of_each().swap_remove(3)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config, "a supported action on an unconfigured vendor");
    let quanshi = Invitee::new(Address::User("x".into()));
    assert_eq!(quanshi.name, None);
}

#[tokio::test]
async fn an_action_is_never_sent_twice_even_with_retries_on() {
    let server = MockServer::start(
        &confapi::vendor_infos(),
        |r: &RecordedRequest| {
            if r.path.ends_with("/accessToken") {
                Reply::json(200, &json!({"accessToken": "t", "expireIn": 7200}))
            } else {
                Reply::json(503, &json!({"code": "ServiceUnavailable", "message": "busy", "requestid": "r"}))
            }
        },
        0,
    )
    .await
    .unwrap();
    let retry = confapi_core::RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
    };
    let dingtalk = confapi::confapi_dingtalk::Client::builder()
        .base_url(server.url())
        .app_credentials("api", "password")
        .retry(retry)
        .build()
        .unwrap();
    let api = Confapi::new().with_account("dingtalk", dingtalk);
    let kick = Request::Kick { conference: "c1".into(), member: "u1".into() };
    assert!(api.act(Vendor::DINGTALK.name(), &kick).await.is_err());
    assert_eq!(server.hits("/v1.0/conference/videoConferences/c1/members/kick"), 1);
    // The read an end makes first is safe, so the same policy retries it.
    let end = Request::End { conference: "c2".into(), by: None };
    assert!(api.act(Vendor::DINGTALK.name(), &end).await.is_err());
    assert!(server.hits("/v1.0/conference/videoConferences/c2") > 1);
}
