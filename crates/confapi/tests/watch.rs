//! The watch against the replay server, whose recorded sequences change
//! the OpenVox rooms and a DingTalk conference's members from one call to
//! the next.
#![cfg(all(feature = "openvox", feature = "quanshi", feature = "dingtalk"))]

use confapi::{Confapi, Event};
use confapi_mock::{load_dir, recorded_dir, MockServer, Replay};
use futures::StreamExt;
use std::time::Duration;

#[tokio::test]
async fn the_recorded_sequences_watch_as_joins_leaves_starts_and_ends() {
    let exchanges = load_dir(&recorded_dir()).unwrap().into_iter().map(|f| f.exchange).collect();
    let vendors = confapi::vendor_infos();
    let server = MockServer::start(&vendors, Replay::new(exchanges, &vendors), 0).await.unwrap();
    let url = server.url();
    let api = Confapi::new()
        .with_openvox(confapi::confapi_openvox::Client::builder(&url, "api", "password").build().unwrap())
        .with_quanshi(confapi::confapi_quanshi::Client::builder().base_url(&url).token("token").build().unwrap())
        .with_dingtalk(
            confapi::confapi_dingtalk::Client::builder()
                .base_url(&url)
                .app_credentials("api", "password")
                .build()
                .unwrap(),
        );
    let events: Vec<Event> = api.watch(Duration::from_millis(20)).take(11).collect().await;
    let lines: Vec<String> = events.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            // Second reading: the first was the baseline.
            "openvox 6500 member_state_changed 1002 (waiting -> in_meeting)",
            "openvox 8000 member_joined 115 (in_meeting)",
            "openvox 8000 member_left 114 (in_meeting)",
            "dingtalk 6449d8a6414c0000001464af9f0 member_left 2iPOLbpUNMLzB5LuwggiiqiPwiEiE (left)",
            "dingtalk 6449d8a6414c0000001464af9f0 member_joined iSKzJ4pN7xxxxxxxxxxxxEiE (in_meeting)",
            // Third reading: the OpenVox sequence's last step.
            "openvox 6600 conference_started -",
            "openvox 6600 member_joined 13900000000 (in_meeting)",
            "openvox 6600 member_joined 1004 (waiting)",
            "openvox 8000 member_left 111 (in_meeting)",
            "openvox 8000 member_left 115 (in_meeting)",
            "openvox 8000 conference_ended -",
        ]
    );
    // Every vendor was read each time, members included.
    assert!(server.hits("/confopenapi/conference/attendee/list") >= 6, "{:?}", server.requests().len());
}
