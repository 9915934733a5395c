//! Issue 19: the command and the replay server as a newcomer meets them.
//! Every child process is bounded in time, every server is on 127.0.0.1.

use confapi_mock::{MockServer, Replay};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_confapi");

/// Runs `confapi ARGS` with only `env`, killed after 60 s.
fn confapi(args: &[&str], env: &[(&str, &str)]) -> Output {
    let child = Command::new(BIN)
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    bounded(child, Duration::from_secs(60))
}

fn bounded(mut child: Child, limit: Duration) -> Output {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A replay server of every recording, on a runtime of its own.
fn replay() -> (tokio::runtime::Runtime, MockServer) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let vendors = confapi::vendor_infos();
    let replay = Replay::from_files(confapi_mock::embedded().unwrap(), &vendors);
    let server = rt.block_on(MockServer::start(&vendors, replay, 0)).unwrap();
    (rt, server)
}

/// `confapi mock --port 0 ARGS`, and its URL once it serves.
struct LongMock {
    child: Child,
    url: String,
}

impl LongMock {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(BIN)
            .args(["mock", "--port", "0"])
            .args(args)
            .env_clear()
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let first = rx.recv_timeout(Duration::from_secs(20)).expect("confapi mock printed nothing in 20 s");
        let url = first.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).unwrap().to_owned();
        Self { child, url }
    }

    fn env(&self) -> Vec<(String, String)> {
        let vars = confapi::config::mock_env(&self.url);
        vars.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }
}

impl Drop for LongMock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_request_with_no_recording_names_the_mock_and_the_nearest_recording() {
    let out = confapi(&["--mock", "conference", "dingtalk", "6449d8a6414c00000000000dead"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "confapi-mock: no recording for GET /v1.0/conference/videoConferences/6449d8a6414c00000000000dead"
        ),
        "{err}"
    );
    assert!(err.contains("nearest: dingtalk/") && err.contains(".json (differs in the path"), "{err}");
    // One line, the vendor once.
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("confapi: dingtalk query_conference_info: "), "{err}");
    let out = confapi(&["--mock", "conference", "openvox", "1234"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(r#"no recording for POST /api/v0.0.1/conference/query_in_session {"number":"1234"}"#),
        "{err}"
    );
    assert!(err.contains("nearest: openvox/query-in-session-") && err.contains("(differs at $.number)"), "{err}");
}

#[test]
fn a_quanshi_page_of_any_size_and_the_readme_mute_all_succeed_under_the_mock() {
    let (rt, server) = replay();
    rt.block_on(async {
        let quanshi = confapi_quanshi::Client::builder().token("mock-token").base_url(server.url()).build().unwrap();
        let page = quanshi.live_conferences_page(1, 1).await.unwrap();
        assert!(format!("{page:?}").contains("1165158"), "{page:?}");
        let dingtalk = confapi_dingtalk::Client::builder()
            .app_credentials("api", "password")
            .base_url(server.url())
            .build()
            .unwrap();
        // As crates/dingtalk/README.md writes it.
        dingtalk
            .mute_all()
            .conference_id("6449d8a6414c0000001464af9f0")
            .body_map(|b| b.action("mute"))
            .send()
            .await
            .unwrap();
    });
}

#[test]
fn every_dingtalk_conference_the_listing_shows_reads_live_and_can_be_ended() {
    let out = confapi(&["--mock", "conferences", "--vendor", "dingtalk", "--json"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(list.len() >= 2, "{list:?}");
    for c in &list {
        let id = c["id"].as_str().unwrap();
        let one = confapi(&["--mock", "conference", "dingtalk", id, "--json"], &[]);
        assert_eq!(one.status.code(), Some(0), "{id}: {}", text(&one.stderr));
        let one: Value = serde_json::from_slice(&one.stdout).unwrap();
        assert_eq!(one["status"], "live", "{id}");
        assert_eq!(one["title"], c["title"], "{id}");
        let end = confapi(&["--mock", "end", "dingtalk", id], &[]);
        assert_eq!(end.status.code(), Some(0), "{id}: {}", text(&end.stderr));
        assert!(text(&end.stdout).contains("done"));
    }
}

#[test]
fn two_watches_against_one_long_running_mock_both_see_events() {
    let mock = LongMock::start(&[]);
    let env = mock.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for run in 1..=2 {
        let out = confapi(&["watch", "--json", "--interval", "1", "--count", "3"], &env);
        assert_eq!(out.status.code(), Some(0), "run {run}: {}", text(&out.stderr));
        let events: Vec<Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(events.len(), 3, "run {run}: {events:?}");
        assert!(events.iter().any(|e| e["event"] == "member_joined"), "run {run}: {events:?}");
    }
}

#[test]
fn mock_reset_starts_the_sequences_again() {
    let mock = LongMock::start(&[]);
    let port = mock.url.rsplit(':').next().unwrap().to_owned();
    let out = confapi(&["mock", "--reset", "--port", &port], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("every sequence starts again"));
    // Nothing listening: an error that says which flag to fix.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().to_string();
    let out = confapi(&["mock", "--reset", "--port", &closed], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--port"), "{}", text(&out.stderr));
}

#[test]
fn the_env_file_configures_a_shell() {
    let dir = std::env::temp_dir().join(format!("confapi-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("mock.env");
    let _ = std::fs::remove_file(&file);
    let mock = LongMock::start(&["--env-file", file.to_str().unwrap()]);
    let script = format!(". '{}' && exec '{BIN}' conferences --vendor dingtalk", file.display());
    let child = Command::new("sh")
        .args(["-c", &script])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = bounded(child, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("6449d8a6414c0000001464af9f0"), "{}", text(&out.stdout));
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.lines().all(|l| l.starts_with("export CONFAPI_")), "{written}");
    assert!(written.contains(&format!("export CONFAPI_DINGTALK_URL={}", mock.url)), "{written}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_mock_prints_sourceable_lines_only() {
    let mut child = Command::new(BIN)
        .args(["mock", "--port", "0"])
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    while seen.iter().filter(|l: &&String| l.starts_with("export ")).count() < 8 {
        match lines.next() {
            Some(Ok(line)) => seen.push(line),
            _ => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen.iter().all(|l| l.starts_with("# ") || l.starts_with("export CONFAPI_")), "{seen:?}");
    assert_eq!(seen.iter().filter(|l| l.starts_with("export CONFAPI_")).count(), 8, "{seen:?}");
}

#[test]
fn input_errors_name_the_flag_that_fixes_them() {
    let cases: [(&[&str], &[&str]); 4] = [
        (&["--mock", "start", "dingtalk", "--title", "T"], &["--as"]),
        (&["--mock", "start", "openvox"], &["--room", "--as"]),
        (&["--mock", "start", "openvox", "--room", "6466"], &["--as"]),
        (&["--mock", "mute", "dingtalk", "6449d8a6414c0000001464af9f0"], &["--all", "MEMBER"]),
    ];
    for (args, flags) in cases {
        let out = confapi(args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        for flag in flags {
            assert!(err.contains(flag), "{args:?} should name {flag}: {err}");
        }
        assert!(err.starts_with("confapi: ") && err.lines().count() == 1, "{err}");
    }
    let partial = confapi(&["conferences"], &[("CONFAPI_OPENVOX_USERNAME", "u"), ("CONFAPI_OPENVOX_PASSWORD", "p")]);
    let err = text(&partial.stderr);
    assert!(err.contains("(but CONFAPI_OPENVOX_USERNAME and CONFAPI_OPENVOX_PASSWORD are)"), "{err}");
}

#[test]
fn a_timeout_names_the_limit_and_the_flag() {
    // Accepts connections and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let started = Instant::now();
    let out = confapi(
        &["conferences", "--vendor", "quanshi", "--timeout", "1"],
        &[("CONFAPI_QUANSHI_TOKEN", "t0ken-a1b2"), ("CONFAPI_QUANSHI_URL", &url)],
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("timed out") && err.contains("1 s") && err.contains("--timeout"), "{err}");
    assert!(!err.contains("t0ken-a1b2"));
    // Nothing to show: no table header.
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    drop(silent);
}

#[test]
fn completions_for_bash() {
    let out = confapi(&["completions", "bash"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let script = text(&out.stdout);
    assert!(script.contains("complete -F") && script.contains("confapi") && script.contains("conferences"), "{script}");
}

#[test]
fn json_keeps_a_record_for_a_dead_vendor() {
    let (_rt, server) = replay();
    let dead = format!(
        "http://127.0.0.1:{}",
        std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    );
    let url = server.url();
    let out = confapi(
        &["conferences", "--json", "--timeout", "5"],
        &[
            ("CONFAPI_OPENVOX_URL", &dead),
            ("CONFAPI_OPENVOX_USERNAME", "api"),
            ("CONFAPI_OPENVOX_PASSWORD", "password"),
            ("CONFAPI_QUANSHI_URL", &url),
            ("CONFAPI_QUANSHI_TOKEN", "mock-token"),
            ("CONFAPI_DINGTALK_URL", &url),
            ("CONFAPI_DINGTALK_APP_KEY", "api"),
            ("CONFAPI_DINGTALK_APP_SECRET", "password"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let records: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<&Value> = records.iter().filter(|r| r.get("error").is_some()).collect();
    assert_eq!(errors.len(), 1, "{records:?}");
    assert_eq!(errors[0]["vendor"], "openvox");
    assert_eq!(errors[0]["error"]["kind"], "connect");
    assert!(errors[0]["error"]["message"].as_str().unwrap().contains("openvox"));
    for vendor in ["quanshi", "dingtalk"] {
        let live: Vec<&Value> = records.iter().filter(|r| r["vendor"] == vendor && r["status"] == "live").collect();
        assert!(live.len() >= 2, "{vendor}: {records:?}");
        assert!(live.iter().all(|c| c["members_fetched"] == false), "{vendor}");
    }
}

#[test]
fn one_conference_prints_no_notes_about_other_vendors() {
    let (_rt, server) = replay();
    let url = server.url();
    let out = confapi(
        &["conference", "dingtalk", "6449d8a6414c0000001464af9f0"],
        &[
            ("CONFAPI_DINGTALK_URL", &url),
            ("CONFAPI_DINGTALK_APP_KEY", "api"),
            ("CONFAPI_DINGTALK_APP_SECRET", "password"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).is_empty(), "{}", text(&out.stderr));
}

#[test]
fn global_flags_show_and_apply_only_where_they_apply() {
    for command in ["schema", "audit", "mock", "completions"] {
        let help = text(&confapi(&[command, "--help"], &[]).stdout);
        assert!(!help.contains("--mock") && !help.contains("--timeout"), "{command}: {help}");
    }
    for command in ["conferences", "conference", "start", "end", "invite", "kick", "mute", "watch"] {
        let help = text(&confapi(&[command, "--help"], &[]).stdout);
        assert!(help.contains("--mock") && help.contains("--timeout"), "{command}: {help}");
    }
    let out = confapi(&["--mock", "mock"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("do not apply"), "{}", text(&out.stderr));
    // After the command, too.
    assert_eq!(confapi(&["conferences", "--mock", "--json"], &[]).status.code(), Some(0));
    for command in ["end", "invite", "kick", "mute", "conference"] {
        let help = text(&confapi(&[command, "--help"], &[]).stdout);
        assert!(help.contains("<ACCOUNT>") && help.contains("openvox, quanshi, dingtalk"), "{command}: {help}");
    }
}

/// Returns an error only in the child run of the test below: libtest
/// prints it as a `main` returning `Result` does (`Error: {:?}`).
#[test]
fn child_main_returning_an_error() -> Result<(), confapi_core::Error> {
    if std::env::var_os("CONFAPI_TEST_CHILD").is_none() {
        return Ok(());
    }
    Err(confapi_core::Error::new("dingtalk", confapi_core::ErrorKind::Vendor).with_detail("conference gone"))
}

#[test]
fn an_error_returned_from_main_prints_its_display_text() {
    let expected = confapi_core::Error::new("dingtalk", confapi_core::ErrorKind::Vendor).with_detail("conference gone");
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_main_returning_an_error", "--nocapture", "--test-threads", "1"])
        .env("CONFAPI_TEST_CHILD", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = bounded(child, Duration::from_secs(30));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(all.contains(&format!("Error: {expected} (kind: Vendor)")), "{all}");
    assert!(!all.contains("Error { kind"), "{all}");
    // The whole struct is still there with {:#?}.
    assert!(format!("{expected:#?}").contains("detail: Some("), "{expected:#?}");
}
