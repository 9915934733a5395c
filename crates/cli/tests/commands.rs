//! The `confapi` commands end to end, with a clean environment.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use unicode_width::UnicodeWidthStr;

fn confapi(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_confapi")).args(args).env_clear().envs(env.iter().copied()).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn mock_conferences_json_lists_every_vendor() {
    let out = confapi(&["--mock", "conferences", "--json"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    for vendor in ["openvox", "quanshi", "dingtalk"] {
        let live = list.iter().filter(|c| c["vendor"] == vendor && c["status"] == "live").count();
        assert!(live >= 2, "{vendor}: {live} live conferences");
    }
}

#[test]
fn the_table_fits_100_columns() {
    let out = confapi(&["--mock", "conferences"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let table = text(&out.stdout);
    assert!(table.lines().count() >= 7, "{table}");
    for line in table.lines() {
        assert!(line.width() <= 100, "{} columns: {line}", line.width());
    }
    let detail = confapi(&["--mock", "conference", "dingtalk", "6449d8a6414c0000001464af9f0"], &[]);
    assert_eq!(detail.status.code(), Some(0));
    let detail = text(&detail.stdout);
    assert!(detail.contains("members (3)") && detail.contains("co-host"), "{detail}");
    assert!(detail.lines().all(|l| l.width() <= 100));
}

#[test]
fn one_vendor_on_a_closed_port_fails_fast_and_says_why() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let secret = "dt-app-secret-7c6b5a";
    let started = Instant::now();
    let out = confapi(
        &["--timeout", "3", "conferences"],
        &[("CONFAPI_DINGTALK_URL", &url), ("CONFAPI_DINGTALK_APP_KEY", "key"), ("CONFAPI_DINGTALK_APP_SECRET", secret)],
    );
    // Bound: the configured 3 s plus process start-up on a loaded machine.
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("dingtalk") && err.contains("could not connect"), "{err}");
    assert!(err.contains("openvox skipped") && err.contains("quanshi skipped"), "{err}");
    assert!(!err.contains(secret) && !text(&out.stdout).contains(secret));
    // The vendor once, and no empty table when nothing answered.
    assert!(!err.contains("dingtalk: dingtalk"), "{err}");
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
}

#[test]
fn usage_errors_exit_2() {
    for (args, env) in [
        (vec!["conferences"], vec![]),
        (vec!["--mock", "conferences", "--vendor", "zoom"], vec![]),
        (vec!["conferences"], vec![("CONFAPI_OPENVOX_URL", "http://pbx:9011")]),
        (vec!["conferences"], vec![("CONFAPI_QUANSHI_TOKEN", "t"), ("CONFAPI_QUANSHI_URL", "ftp://x")]),
        (vec!["--timeout", "0", "conferences"], vec![]),
        (vec!["frobnicate"], vec![]),
    ] {
        let out = confapi(&args, &env);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
    }
    let partial = confapi(
        &["conferences"],
        &[("CONFAPI_OPENVOX_URL", "http://pbx:9011"), ("CONFAPI_OPENVOX_PASSWORD", "hunter2")],
    );
    let err = text(&partial.stderr);
    assert!(err.contains("CONFAPI_OPENVOX_USERNAME") && !err.contains("hunter2"), "{err}");
}

#[test]
fn help_on_every_command() {
    for args in [
        vec!["--help"],
        vec!["conferences", "--help"],
        vec!["conference", "--help"],
        vec!["mock", "--help"],
        vec!["schema", "--help"],
        vec!["audit", "--help"],
        vec!["capabilities", "--help"],
        vec!["start", "--help"],
        vec!["end", "--help"],
        vec!["invite", "--help"],
        vec!["kick", "--help"],
        vec!["mute", "--help"],
        vec!["watch", "--help"],
    ] {
        let out = confapi(&args, &[]);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(text(&out.stdout).contains("Usage"), "{args:?}");
    }
    assert!(text(&confapi(&["--help"], &[]).stdout).contains("CONFAPI_DINGTALK_APP_SECRET"));
}

#[test]
fn schema_describes_the_json_output() {
    let out = confapi(&["schema"], &[]);
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema["title"], "Conference");
    let required: Vec<&str> = schema["required"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    for field in ["vendor", "id", "status", "members"] {
        assert!(required.contains(&field), "{required:?}");
    }
}

#[tokio::test]
async fn mock_command_serves_until_stopped() {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_confapi"))
        .args(["mock", "--port", "0"])
        .env_clear()
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stdout));
    let first = tokio::time::timeout(Duration::from_secs(10), lines.next_line()).await.unwrap().unwrap().unwrap();
    let url = first.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).unwrap().to_owned();
    let body: serde_json::Value = reqwest::Client::new()
        .post(format!("{url}/api/v0.0.1/conference/query_in_session?token=x"))
        .json(&serde_json::json!({"number": "all"}))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["conference"].as_array().map(Vec::len), Some(2));
    child.kill().await.unwrap();
}

#[test]
fn the_monthly_quota_says_quota_and_which_allowance() {
    // The recorded HTTP 403 `Forbidden.AccessDenied.ApiCountLimitForOrg`.
    let out = confapi(&["--mock", "conference", "dingtalk", "6323d7000000000000010000"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("quota exhausted") && err.contains("monthly API call quota"), "{err}");
}

#[test]
fn an_ip_ban_says_how_long_to_wait() {
    for id in ["6323d7000000000000001111", "6323d7000000000000001112"] {
        let out = confapi(&["--mock", "conference", "dingtalk", id], &[]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.contains("blocked") && err.contains("wait 5 min"), "{err}");
    }
}
