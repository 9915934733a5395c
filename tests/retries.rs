//! Retries: opt-in, only for safe operations (or when nothing was sent),
//! waiting as `Retry-After` asks.

use confapi_core::{ErrorKind, RetryPolicy, Timeouts};
use confapi_dingtalk::{types, Client};
use confapi_mock::{MockServer, Reply};
use confapi_tests::{PASSWORD, USERNAME};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const POLICY: RetryPolicy =
    RetryPolicy { max_attempts: 3, base_delay: Duration::from_millis(20), max_delay: Duration::from_secs(2) };
const TIMEOUTS: Timeouts =
    Timeouts { connect: Duration::from_secs(1), attempt: Duration::from_millis(500), total: Duration::from_secs(8) };

/// A DingTalk whose conference calls fail `failures` times with `reply`, then succeed.
async fn flaky(failures: usize, reply: Reply) -> (MockServer, Arc<AtomicUsize>) {
    confapi_tests::flaky_dingtalk(failures, reply).await
}

fn client(url: &str, retry: RetryPolicy) -> Client {
    Client::builder().base_url(url).app_credentials(USERNAME, PASSWORD).timeouts(TIMEOUTS).retry(retry).build().unwrap()
}

/// A safe read.
async fn query(url: &str, retry: RetryPolicy) -> Result<(), confapi_core::Error> {
    client(url, retry).query_conference_info().conference_id("c1").send().await.map(|_| ())
}

/// A call that must never be sent twice.
async fn create(url: &str, retry: RetryPolicy) -> Result<(), confapi_core::Error> {
    let body = types::CreateVideoConferenceRequest::new("t", "u1");
    client(url, retry).create_video_conference().body(body).send().await.map(|_| ())
}

#[tokio::test]
async fn no_policy_means_one_attempt() {
    let (server, calls) = flaky(1, Reply::raw(503, "text/plain", "busy")).await;
    let e = query(&server.url(), RetryPolicy::none()).await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Http, Some(503)));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_safe_call_is_retried_after_a_server_fault() {
    let (server, calls) = flaky(2, Reply::raw(503, "text/plain", "busy")).await;
    query(&server.url(), POLICY).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn attempts_are_bounded() {
    let (server, calls) = flaky(10, Reply::raw(502, "text/plain", "bad gateway")).await;
    let e = query(&server.url(), POLICY).await.unwrap_err();
    assert_eq!(e.status(), Some(502));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let mut limited = Reply::raw(429, "text/plain", "slow down");
    limited.headers.push(("retry-after".into(), "1".into()));
    let (server, calls) = flaky(1, limited).await;
    let started = Instant::now();
    query(&server.url(), POLICY).await.unwrap();
    // The server asked for a second; the policy's own backoff is 20 ms.
    assert!(started.elapsed() >= Duration::from_millis(950), "{:?}", started.elapsed());
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_timed_out_safe_call_is_retried() {
    let slow = Reply { delay: Duration::from_secs(2), ..Reply::json(200, &json!({"confInfo": {}})) };
    let (server, calls) = flaky(1, slow).await;
    query(&server.url(), POLICY).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_non_idempotent_call_is_never_resent_after_it_may_have_arrived() {
    for reply in
        [Reply::raw(503, "text/plain", "busy"), Reply { delay: Duration::from_secs(2), ..Reply::json(200, &json!({})) }]
    {
        let (server, calls) = flaky(1, reply).await;
        let e = create(&server.url(), POLICY).await.unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Http | ErrorKind::Timeout), "{e:?}");
        assert_eq!(calls.load(Ordering::SeqCst), 1, "create was sent twice");
    }
}
