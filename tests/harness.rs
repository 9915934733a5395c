//! Replays a recorded exchange through the real client of its vendor and
//! describes what happened: the request the client sent and the value (or
//! error) it returned. `replay.rs` snapshots the description.

/// The README's Rust examples, compiled as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

use confapi_core::test_util::Dispatched;
use confapi_core::{Error, RetryPolicy, Timeouts, VendorInfo};
use confapi_mock::{MockServer, RecordedFile, RecordedRequest, Replay, Reply};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Username and password the harness logs in with; `login.json` of each
/// vendor that logs in records this request.
pub const USERNAME: &str = "api";
/// See [`USERNAME`]. Long and unique, so the secret scan can look for it.
pub const PASSWORD: &str = "Pw-3kq9-Secret-Value";
/// The API token of vendors that take one directly.
pub const TOKEN: &str = "Tk-8zm1-Secret-Value";

/// The vendor facts of `vendor`.
pub fn vendor_info(vendor: &str) -> Option<&'static VendorInfo> {
    confapi::vendor_infos().into_iter().find(|v| v.name == vendor)
}

/// Client settings for a test run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    /// Time limits.
    pub timeouts: Timeouts,
    /// Retries.
    pub retry: RetryPolicy,
}

/// Builds `vendor`'s real client against `base_url` (with the test
/// credentials) and calls operation `id` through the generated `dispatch`.
pub async fn dispatch(
    vendor: &str,
    base_url: &str,
    settings: Settings,
    id: &str,
    params: &BTreeMap<String, String>,
    body: Option<serde_json::Value>,
) -> Result<Dispatched, Error> {
    let Settings { timeouts, retry } = settings;
    match vendor {
        "openvox" => {
            let client = confapi_openvox::Client::builder(base_url, USERNAME, PASSWORD)
                .timeouts(timeouts)
                .retry(retry)
                .build()?;
            confapi_openvox::generated::meta::dispatch(&client, id, params, body).await
        }
        "quanshi" => {
            let client = confapi_quanshi::Client::builder()
                .base_url(base_url)
                .token(TOKEN)
                .timeouts(timeouts)
                .retry(retry)
                .build()?;
            confapi_quanshi::generated::meta::dispatch(&client, id, params, body).await
        }
        "dingtalk" => {
            let client = confapi_dingtalk::Client::builder()
                .base_url(base_url)
                .app_credentials(USERNAME, PASSWORD)
                .timeouts(timeouts)
                .retry(retry)
                .build()?;
            confapi_dingtalk::generated::meta::dispatch(&client, id, params, body).await
        }
        other => panic!("no client for vendor {other}"),
    }
}

/// Replays `file` against a replay server holding all of `all` (so login
/// and the like are answered too). Returns the description to snapshot, or
/// an explanation of how the request the client sent differs from the
/// recording.
pub async fn replay(file: &RecordedFile, all: &[RecordedFile]) -> Result<String, String> {
    let recorded = &file.exchange.request;
    let vendor = file.exchange.vendor.as_str();
    let info = vendor_info(vendor).ok_or_else(|| format!("unknown vendor {vendor}"))?;
    let (op, path_params) = info
        .find_operation(&recorded.method, &recorded.path)
        .ok_or_else(|| format!("no operation of the {vendor} spec matches {} {}", recorded.method, recorded.path))?;
    let mut params: BTreeMap<String, String> = path_params.into_iter().collect();
    let credential = match info.placement {
        Some(confapi_core::Placement::Query(name)) => Some(name),
        _ => None,
    };
    for (k, v) in &recorded.query {
        if Some(k.as_str()) != credential {
            params.insert(k.clone(), v.clone());
        }
    }
    let body = (!recorded.body.is_null()).then(|| recorded.body.clone());

    // Where the file is one step of a sequence, the server holds that step
    // alone, so the first call gets it.
    let same_request = |f: &RecordedFile| {
        let r = &f.exchange.request;
        r.method == recorded.method && r.path == recorded.path && r.body == recorded.body
    };
    let exchanges = all
        .iter()
        .filter(|f| f.path == file.path || f.exchange.step.is_none() || !same_request(f))
        .map(|f| f.exchange.clone())
        .collect();
    let replay = Replay::new(exchanges, &confapi::vendor_infos());
    let server = MockServer::start(&confapi::vendor_infos(), replay, 0).await.map_err(|e| e.to_string())?;
    let result = dispatch(vendor, &server.url(), Settings::default(), op.id, &params, body).await;

    let sent = server
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path == recorded.path)
        .ok_or_else(|| format!("the client sent nothing to {}", recorded.path))?;
    check_same_request(recorded, &sent)?;

    let mut out = String::new();
    let _ = writeln!(out, "operation: {}", op.id);
    let _ = writeln!(out, "--- request sent ---");
    let _ = writeln!(out, "{} {}", sent.method, sent.path);
    for (k, v) in &sent.query {
        let _ = writeln!(out, "query {k}={v}");
    }
    for (k, v) in &sent.headers {
        let _ = writeln!(out, "header {k}: {v}");
    }
    if !sent.body.is_null() {
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&sent.body).unwrap_or_default());
    }
    match result {
        Ok(d) => {
            let _ = writeln!(out, "--- typed value ---\n{}", d.debug);
        }
        Err(e) => {
            let _ = writeln!(out, "--- error ---\n{e}");
            let _ = writeln!(
                out,
                "kind={:?} code={:?} status={:?} request_id={:?}",
                e.kind(),
                e.code(),
                e.status(),
                e.request_id()
            );
        }
    }
    Ok(out)
}

/// Method, path, query keys and body must be what the recording says.
fn check_same_request(recorded: &RecordedRequest, sent: &RecordedRequest) -> Result<(), String> {
    let mut problems = Vec::new();
    if !recorded.method.eq_ignore_ascii_case(&sent.method) {
        problems.push(format!("method {} instead of {}", sent.method, recorded.method));
    }
    if recorded.path != sent.path {
        problems.push(format!("path {} instead of {}", sent.path, recorded.path));
    }
    let keys = |q: &BTreeMap<String, String>| q.keys().cloned().collect::<Vec<_>>();
    if keys(&recorded.query) != keys(&sent.query) {
        problems.push(format!("query keys {:?} instead of {:?}", keys(&sent.query), keys(&recorded.query)));
    }
    if recorded.body != sent.body {
        problems.push(format!("body {} instead of {}", sent.body, recorded.body));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("request differs from the recording: {}", problems.join("; ")))
    }
}

/// The access token [`flaky_dingtalk`] hands out.
pub const DINGTALK_ACCESS_TOKEN: &str = "flaky-dingtalk-access-token";

/// A DingTalk that hands out [`DINGTALK_ACCESS_TOKEN`] and answers its
/// conference calls with `reply` the first `failures` times, then with
/// success (a new conference for a POST, conference `c1` otherwise). The
/// counter counts the conference calls.
pub async fn flaky_dingtalk(
    failures: usize,
    reply: Reply,
) -> (MockServer, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::Ordering;
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = calls.clone();
    let respond = move |r: &RecordedRequest| {
        if r.path == "/v1.0/oauth2/accessToken" {
            return Reply::json(200, &serde_json::json!({"accessToken": DINGTALK_ACCESS_TOKEN, "expireIn": 7200}));
        }
        if counter.fetch_add(1, Ordering::SeqCst) < failures {
            reply.clone()
        } else if r.method == "POST" {
            Reply::json(200, &serde_json::json!({"conferenceId": "new"}))
        } else {
            Reply::json(200, &serde_json::json!({"confInfo": {"conferenceId": "c1", "status": 2}}))
        }
    };
    let server = MockServer::start(&confapi::vendor_infos(), respond, 0).await.expect("a loopback port");
    (server, calls)
}
