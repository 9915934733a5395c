//! The action, capability and watch commands end to end against the
//! recordings, with a clean environment.

use confapi_mock::{MockServer, Replay};
use serde_json::Value;
use std::process::{Command, Output};

fn confapi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_confapi")).args(args).env_clear().output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn mock_watch_prints_ndjson_events_with_a_join_and_a_leave_then_exits() {
    let out = confapi(&["--mock", "watch", "--json", "--interval", "1", "--count", "4"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lines: Vec<Value> =
        text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    let names: Vec<&str> = lines.iter().filter_map(|e| e["event"].as_str()).collect();
    assert!(names.contains(&"member_joined") && names.contains(&"member_left"), "{names:?}");
    // Before any event: what the pace costs each vendor, and DingTalk's allowance.
    let err = text(&out.stderr);
    assert!(err.contains("openvox: every 1s, 86400 calls a day (1 a poll, 0 live)"), "{err}");
    assert!(err.contains("dingtalk: every 1s, 86400 calls a day (1 a poll, 0 live; 10000 calls a month"), "{err}");
    // A member who left shows as `left`, with the state they left from beside it.
    let left: Vec<&Value> = lines.iter().filter(|e| e["event"] == "member_left").collect();
    assert!(left.iter().all(|e| e["member"]["state"] == "left"), "{left:?}");
    assert!(left.iter().any(|e| e["previous_state"] == "in_meeting"), "{left:?}");
    for event in &lines {
        assert!(event["vendor"].is_string() && event["account"] == event["vendor"], "{event}");
        if let Some(member) = event.get("member") {
            assert!(member["state"].is_string() && member.get("state_raw").is_some(), "{event}");
        }
    }
}

#[test]
fn capabilities_are_a_table_and_json_of_operations() {
    let out = confapi(&["--mock", "capabilities"]);
    assert_eq!(out.status.code(), Some(0));
    let table = text(&out.stdout);
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["VENDOR", "START", "END", "INVITE", "KICK", "MUTE", "UNMUTE", "MUTE-ALL", "UNMUTE-ALL"]);
    let row = |vendor: &str| -> Vec<String> {
        let line = table.lines().find(|l| l.starts_with(vendor)).unwrap();
        line.split_whitespace().skip(1).map(str::to_owned).collect()
    };
    // OpenVox mutes but cannot unmute.
    assert_eq!(row("openvox"), ["yes", "-", "yes", "-", "yes", "-", "-", "-"]);
    assert_eq!(row("quanshi"), ["-"; 8]);
    assert_eq!(row("dingtalk"), ["yes"; 8]);
    let json: Value = serde_json::from_slice(&confapi(&["capabilities", "--json"]).stdout).unwrap();
    assert_eq!(json["dingtalk"]["end"], "close_video_conference");
    assert_eq!(json["openvox"]["invite"], "conference_add_member");
    assert_eq!(json["openvox"]["mute"], "conference_mute_member");
    assert!(json["openvox"]["unmute"].is_null(), "{}", json["openvox"]);
    assert_eq!(json["dingtalk"]["unmute"], "mute_members");
    assert_eq!(json["dingtalk"]["unmute-all"], "mute_all");
    assert!(json["quanshi"]["kick"].is_null());
}

/// Runs `confapi ARGS` against an in-process replay server of every
/// recording, and returns its output and the requests the server saw.
async fn against_replay(args: &[&str]) -> (Output, usize) {
    let recordings = confapi_mock::embedded().unwrap();
    let vendors = confapi::vendor_infos();
    let replay = Replay::new(recordings.into_iter().map(|f| f.exchange).collect(), &vendors);
    let server = MockServer::start(&vendors, replay, 0).await.unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_confapi"))
        .args(args)
        .env_clear()
        .envs(confapi_cli::config::mock_env(&server.url()))
        .output()
        .await
        .unwrap();
    (output, server.requests().len())
}

#[tokio::test]
async fn an_unsupported_action_exits_1_naming_vendor_and_action_and_sends_nothing() {
    for (args, vendor, action) in [
        (["kick", "quanshi", "1165158", "10003"].as_slice(), "quanshi", "kick"),
        (["end", "openvox", "6500"].as_slice(), "openvox", "end"),
        (["mute", "openvox", "6500", "--all"].as_slice(), "openvox", "mute-all"),
        (["mute", "openvox", "6500", "1003", "--unmute"].as_slice(), "openvox", "unmute"),
    ] {
        let (out, requests) = against_replay(args).await;
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.contains(vendor) && err.contains(action) && err.contains("not supported"), "{err}");
        assert_eq!(requests, 0, "{args:?}: the replay server saw a request (a login counts)");
    }
    // The same server and count do see a supported action.
    let (out, requests) = against_replay(&["kick", "dingtalk", "6449d8a6414c0000001464af9f0", "u1"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(requests >= 2, "token and kick: {requests}");
}

#[test]
fn actions_exit_0_against_the_recordings() {
    let dt = "6449d8a6414c0000001464af9f0";
    for args in [
        vec!["--mock", "end", "dingtalk", "607452e01401526ee39609e1"],
        vec!["--mock", "invite", "openvox", "6400", "4001"],
        vec!["--mock", "invite", "openvox", "6400", "tel:13800000000", "--as", "4000"],
        vec!["--mock", "start", "openvox", "--room", "6466", "--title", "6466", "--as", "4000", "4001"],
        vec!["--mock", "start", "dingtalk", "--title", "XXX's video meeting", "--as", "27SaQ3iiHLN0uwqcPisedfreNwiEiE"],
        vec!["--mock", "invite", "dingtalk", dt, "qzR1iSMDvzR9kXXXXXXXx=测试用户", "--as", "njMTqKo9xxxxEiE"],
        vec!["--mock", "kick", "dingtalk", dt, "qzR1iSMDvzR9iP7Pxxxxxxxxxxxxxxx"],
        vec!["--mock", "mute", "dingtalk", dt, "2iPOLbpUNMLzB5LuwggiiqiPwiEiE"],
        vec!["--mock", "mute", "dingtalk", dt, "2iPOLbpUNMLzB5LuwggiiqiPwiEiE", "--unmute"],
        vec!["--mock", "mute", "dingtalk", dt, "--all"],
        vec!["--mock", "mute", "dingtalk", dt, "--all", "--unmute"],
        vec!["--mock", "mute", "openvox", "6500", "1003"],
    ] {
        let out = confapi(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains(": done"), "{args:?}: {}", text(&out.stdout));
    }
    let unmuted = confapi(&["--mock", "mute", "dingtalk", dt, "2iPOLbpUNMLzB5LuwggiiqiPwiEiE", "--unmute"]);
    assert!(text(&unmuted.stdout).starts_with(&format!("dingtalk unmute {dt}: done")), "{}", text(&unmuted.stdout));
    // The PBX refuses an extension it does not have (recorded): exit 1 with its errno.
    let refused = confapi(&["--mock", "mute", "openvox", "6500", "1009"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("10006"), "{}", text(&refused.stderr));
    let started = confapi(&["--mock", "start", "dingtalk", "--title", "t", "--as", "u"]);
    assert!(text(&started.stdout).contains("607452e01401526ee39609e1: done https://"), "{}", text(&started.stdout));
}

#[test]
fn action_input_the_vendor_cannot_take_is_a_usage_error() {
    for args in [
        vec!["--mock", "start", "dingtalk", "--title", "t"],
        vec!["--mock", "start", "openvox", "--as", "4000"],
        vec!["--mock", "invite", "dingtalk", "c", "qzR1iSMDvzR9kXXXXXXXx"],
        vec!["--mock", "mute", "dingtalk", "c"],
        vec!["--mock", "mute", "dingtalk", "c", "u", "--all"],
        vec!["--mock", "invite", "openvox", "6400"],
        vec!["--mock", "watch", "--count", "0"],
        vec!["--mock", "watch", "--interval", "0"],
        vec!["end", "dingtalk", "c"],
    ] {
        let out = confapi(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
    }
}

#[test]
fn a_member_in_the_meeting_reads_the_same_for_every_vendor() {
    for (vendor, id, raw) in [
        ("openvox", "6500", Value::from("ANSWERED")),
        ("quanshi", "1165158", Value::Null),
        ("dingtalk", "6449d8a6414c0000001464af9f0", Value::from("3")),
    ] {
        let out = confapi(&["--mock", "conference", vendor, id, "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let c: Value = serde_json::from_slice(&out.stdout).unwrap();
        let first = &c["members"][0];
        assert_eq!(first["state"], "in_meeting", "{vendor}: {first}");
        // The vendor's own value beside it; Quanshi's terminal list has none.
        assert_eq!(first["state_raw"], raw, "{vendor}: {first}");
    }
    let schema: Value = serde_json::from_slice(&confapi(&["schema"]).stdout).unwrap();
    let member = &schema["$defs"]["Member"]["properties"];
    assert!(member["state"].is_object() && member["state_raw"].is_object(), "{member}");
    let words = schema["$defs"]["MemberState"].to_string();
    for word in ["in_meeting", "waiting", "invited", "left", "unknown"] {
        assert!(words.contains(word), "{words}");
    }
}
