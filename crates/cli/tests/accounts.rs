//! Many accounts from a config file, and a watch paced by a budget, end to
//! end: the `confapi` binary against replay servers on 127.0.0.1.

use confapi_mock::{MockServer, Replay};
use serde_json::Value;
use std::time::Duration;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn replay_server() -> MockServer {
    let recordings = confapi_mock::embedded().unwrap();
    let vendors = confapi::vendor_infos();
    let replay = Replay::new(recordings.into_iter().map(|f| f.exchange).collect(), &vendors);
    MockServer::start(&vendors, replay, 0).await.unwrap()
}

/// Two PBXs, each at its own server, and a DingTalk organisation; each
/// account logs in with its own credentials.
fn config(hq: &str, branch: &str, org: &str) -> String {
    format!(
        r#"
[accounts.hq-pbx]
vendor = "openvox"
url = "{hq}"
username = "hq-api"
password_env = "HQ_PBX_PASSWORD"

[accounts.branch-pbx]
vendor = "openvox"
url = "{branch}"
username = "branch-api"
password_env = "BRANCH_PBX_PASSWORD"

[accounts.org-a]
vendor = "dingtalk"
url = "{org}"
app_key = "org-a-key"
app_secret_env = "ORG_A_SECRET"
"#
    )
}

async fn conferences_json(config_text: &str) -> std::process::Output {
    let dir = std::env::temp_dir().join(format!("confapi-accounts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("accounts-{}.toml", config_text.len()));
    std::fs::write(&path, config_text).unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_confapi"))
        .args(["--config", path.to_str().unwrap(), "--timeout", "5", "conferences", "--json"])
        .env_clear()
        .envs([("HQ_PBX_PASSWORD", "pw-hq"), ("BRANCH_PBX_PASSWORD", "pw-branch"), ("ORG_A_SECRET", "s3cret")])
        .output()
        .await
        .unwrap();
    let _ = std::fs::remove_file(&path);
    out
}

#[tokio::test]
async fn a_config_file_lists_every_account_and_a_dead_one_is_named() {
    let (hq, branch, org) = (replay_server().await, replay_server().await, replay_server().await);
    let out = conferences_json(&config(&hq.url(), &branch.url(), &org.url())).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let records: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let accounts: std::collections::BTreeSet<&str> = records.iter().filter_map(|r| r["account"].as_str()).collect();
    assert_eq!(accounts.into_iter().collect::<Vec<_>>(), ["branch-pbx", "hq-pbx", "org-a"]);
    // Each PBX account was asked at its own server.
    assert!(
        hq.hits("/api/v0.0.1/conference/query_in_session") >= 1
            && branch.hits("/api/v0.0.1/conference/query_in_session") >= 1
    );

    // The branch's server is gone: the others still print, and the error names it.
    let dead = format!("http://{}", branch.addr());
    drop(branch);
    let out = conferences_json(&config(&hq.url(), &dead, &org.url())).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let records: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let failed: Vec<&Value> = records.iter().filter(|r| r.get("error").is_some()).collect();
    assert_eq!(failed.len(), 1, "{records:?}");
    assert_eq!(failed[0]["account"], "branch-pbx");
    assert!(records.iter().any(|r| r["account"] == "hq-pbx" && r.get("id").is_some()), "{records:?}");
    assert!(records.iter().any(|r| r["account"] == "org-a" && r.get("id").is_some()), "{records:?}");
    let err = text(&out.stderr);
    assert!(err.contains("branch-pbx (openvox)"), "{err}");
    assert!(!err.contains("pw-branch") && !text(&out.stdout).contains("pw-branch"));
}

#[tokio::test]
async fn bad_config_is_exit_2_naming_the_account() {
    let out = conferences_json("[accounts.site-c]\nvendor = \"zoom\"\n").await;
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(r#"account "site-c": unknown vendor "zoom""#), "{err}");
}

#[test]
fn a_budget_stretches_dingtalk_while_the_others_poll_every_second() {
    let dir = std::env::temp_dir().join(format!("confapi-budget-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("mock.log");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_confapi"))
        .args([
            "--mock",
            "--mock-log",
            log.to_str().unwrap(),
            "watch",
            "--interval",
            "1",
            "--budget",
            "dingtalk=2000/day",
        ])
        .env_clear()
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A bounded run: six seconds, then stop it.
    std::thread::sleep(Duration::from_secs(6));
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let err = text(&out.stderr);
    assert!(err.contains("dingtalk: every 43.2s, 2000 calls a day (1 a poll, 0 live; budget 2000/day)"), "{err}");
    assert!(err.contains("openvox: every 1s, 86400 calls a day"), "{err}");
    let lines = std::fs::read_to_string(&log).unwrap();
    let dingtalk = lines.lines().filter(|l| l.contains(" /v1.0/")).count();
    let openvox = lines.lines().filter(|l| l.contains("/query_in_session")).count();
    // One DingTalk poll in six seconds (a token, the listing, one batch
    // call and, for a conference the batch answer leaves out, its
    // members); the PBX every second.
    assert!(openvox >= 4, "{openvox} PBX polls:\n{lines}");
    assert!(dingtalk <= 6, "{dingtalk} DingTalk calls in six seconds:\n{lines}");
    let _ = std::fs::remove_dir_all(&dir);
}
