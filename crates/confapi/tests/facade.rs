//! The facade against the replay server holding every recording: live
//! conferences from all vendors at once, one conference with members, and
//! a failing vendor reported next to the others.
#![cfg(all(feature = "openvox", feature = "quanshi", feature = "dingtalk"))]

use confapi::{Confapi, ErrorKind, MemberState, Status, Vendor};
use std::time::Duration;

mod common;
use common::{all, replay};

#[tokio::test]
async fn live_conferences_from_every_vendor() {
    let server = replay().await;
    let answers = all(&server.url()).live_conferences().await;
    assert_eq!(answers.iter().map(|a| a.vendor).collect::<Vec<_>>(), Vendor::compiled());
    for answer in answers {
        let conferences = answer.result.unwrap_or_else(|e| panic!("{}: {e}", answer.vendor));
        assert!(conferences.len() >= 2, "{}: {conferences:?}", answer.vendor);
        assert!(conferences.iter().all(|c| c.status == Status::Live && c.vendor == answer.vendor));
    }
}

#[tokio::test]
async fn openvox_rooms_carry_their_members() {
    let server = replay().await;
    let rooms = all(&server.url()).live_conferences_of(Vendor::OPENVOX.name()).await.unwrap();
    let support = rooms.iter().find(|r| r.id == "6500").unwrap();
    assert_eq!(support.title.as_deref(), Some("Support"));
    assert_eq!(support.members.iter().filter_map(|m| m.id.as_deref()).collect::<Vec<_>>(), ["1001", "1002", "1003"]);
    assert_eq!(support.participants.active, Some(3));
}

#[tokio::test]
async fn one_conference_with_members_per_vendor() {
    let server = replay().await;
    let api = all(&server.url());
    let q = api.conference(Vendor::QUANSHI.name(), "1165158").await.unwrap();
    assert_eq!((q.status.clone(), q.members.len(), q.title.as_deref()), (Status::Live, 3, Some("周例会")));
    assert_eq!(q.start.map(|t| t.timestamp()), Some(1715600000));
    let d = api.conference(Vendor::DINGTALK.name(), "6449d8a6414c0000001464af9f0").await.unwrap();
    assert_eq!(d.status, Status::Live);
    let roles: Vec<_> = d.members.iter().filter_map(|m| m.role.as_deref()).collect();
    assert_eq!(roles, ["host", "co-host", "participant"]);
    assert_eq!(d.members[2].left_at.map(|t| t.timestamp_millis()), Some(1715601700000));
    let o = api.conference(Vendor::OPENVOX.name(), "8000").await.unwrap();
    assert_eq!(o.members.len(), 2);
    // A member in the meeting reads the same for every vendor, the vendor's word beside it.
    let first_in = |c: &confapi::Conference| {
        let m = c.members.iter().find(|m| m.state == MemberState::InMeeting).unwrap();
        serde_json::to_value(m).unwrap()
    };
    let (q, d, o) = (first_in(&q), first_in(&d), first_in(&o));
    assert!([&q, &d, &o].iter().all(|m| m["state"] == "in_meeting"));
    assert_eq!((d["state_raw"].as_str(), o["state_raw"].as_str()), (Some("3"), Some("Up")));
    assert!(q["state_raw"].is_null(), "Quanshi lists connected terminals with no state field");
}

#[tokio::test]
async fn a_failing_vendor_is_reported_beside_the_others() {
    let server = replay().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let quick = confapi_core::Timeouts {
        connect: Duration::from_secs(1),
        attempt: Duration::from_secs(2),
        total: Duration::from_secs(3),
    };
    let api = all(&server.url()).with_account(
        "dingtalk",
        confapi::confapi_dingtalk::Client::builder()
            .base_url(format!("http://127.0.0.1:{closed}"))
            .app_credentials("api", "password")
            .timeouts(quick)
            .build()
            .unwrap(),
    );
    let answers = api.live_conferences().await;
    let failed: Vec<_> = answers.iter().filter(|a| a.result.is_err()).map(|a| a.vendor).collect();
    assert_eq!(failed, [Vendor::DINGTALK]);
    let e = answers.iter().find_map(|a| a.result.as_ref().err()).unwrap();
    assert_eq!(e.kind(), ErrorKind::Connect);
}

#[tokio::test]
async fn an_unconfigured_vendor_is_a_config_error() {
    let e = Confapi::new().conference(Vendor::OPENVOX.name(), "8000").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(Confapi::new().live_conferences().await.is_empty());
}
