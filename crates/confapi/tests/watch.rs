//! The watch against the replay server, whose recorded sequences change
//! the OpenVox rooms and a DingTalk conference's members from one call to
//! the next.
#![cfg(all(feature = "openvox", feature = "quanshi", feature = "dingtalk"))]

use confapi::Event;

mod common;
use common::{all, replay};
use futures_util::StreamExt;
use std::time::Duration;

#[tokio::test]
async fn the_recorded_sequences_watch_as_joins_leaves_starts_and_ends() {
    let server = replay().await;
    let api = all(&server.url());
    // Plans change as the first readings find conferences live; only the changes matter here.
    let changes =
        api.watch(Duration::from_millis(20)).filter(|e| std::future::ready(!matches!(e, Event::PlanChanged { .. })));
    let events: Vec<Event> = changes.take(11).collect().await;
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
    // Each account is read on its own schedule, members included: Quanshi's
    // terminals at least for its baseline and one more reading.
    assert!(server.hits("/confopenapi/conference/attendee/list") >= 2, "{:?}", server.requests().len());
}
