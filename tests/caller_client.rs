//! The client's guarantees hold with a caller's HTTP client too: secrets
//! stay out of output, the attempt limit and retries apply, and redirects
//! are never followed silently.

use confapi_core::{ErrorKind, RetryPolicy, Timeouts};
use confapi_dingtalk::Client;
use confapi_mock::{MockServer, RecordedRequest, Reply};
use confapi_tests::{PASSWORD, USERNAME};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TIMEOUTS: Timeouts =
    Timeouts { connect: Duration::from_secs(1), attempt: Duration::from_millis(300), total: Duration::from_secs(5) };

/// A DingTalk that answers the conference call with `reply` the first
/// `failures` times, then with a conference.
async fn dingtalk(reply: Reply, failures: usize) -> (MockServer, Arc<AtomicUsize>) {
    confapi_tests::flaky_dingtalk(failures, reply).await
}

fn with_caller_client(url: &str, http: reqwest::Client) -> confapi_dingtalk::ClientBuilder {
    Client::builder().base_url(url).app_credentials(USERNAME, PASSWORD).timeouts(TIMEOUTS).http_client(http)
}

/// A server elsewhere, and a reply redirecting to it.
async fn elsewhere() -> (MockServer, Reply) {
    let other = MockServer::start(&confapi::vendor_infos(), |_: &RecordedRequest| Reply::json(200, &json!({})), 0)
        .await
        .unwrap();
    let mut redirect = Reply::raw(302, "text/plain", "moved");
    redirect.headers.push(("location".into(), format!("{}/v1.0/conference/videoConferences/c1", other.url())));
    (other, redirect)
}

#[tokio::test]
async fn the_attempt_limit_holds_on_a_client_without_timeouts() {
    let slow = Reply { delay: Duration::from_secs(3), ..Reply::json(200, &json!({"confInfo": {}})) };
    let (server, _) = dingtalk(slow, usize::MAX).await;
    let c = with_caller_client(&server.url(), reqwest::Client::new()).build().unwrap();
    let started = Instant::now();
    let e = c.conference("c1").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn retries_hold_and_secrets_stay_out_of_output() {
    let (server, calls) = dingtalk(Reply::raw(503, "text/plain", "busy"), 1).await;
    let c = with_caller_client(&server.url(), reqwest::Client::new())
        .retry(RetryPolicy { base_delay: Duration::from_millis(10), ..RetryPolicy::default() })
        .build()
        .unwrap();
    assert_eq!(c.conference("c1").await.unwrap().conference_id.as_deref(), Some("c1"));
    assert_eq!(calls.load(Ordering::SeqCst), 2, "one 503, one retry");
    let (refusing, _) = dingtalk(Reply::json(400, &json!({"code": "x", "message": "m", "requestid": "r"})), 9).await;
    let e = with_caller_client(&refusing.url(), reqwest::Client::new())
        .build()
        .unwrap()
        .conference("c1")
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(400));
    let output = format!("{c:?} {:?} {e} {e:?}", c.runtime());
    for secret in [PASSWORD, confapi_tests::DINGTALK_ACCESS_TOKEN] {
        assert!(!output.contains(secret), "{secret} printed: {output}");
    }
}

#[tokio::test]
async fn an_adjusted_client_never_follows_a_redirect() {
    let (other, redirect) = elsewhere().await;
    let (server, _) = dingtalk(redirect, usize::MAX).await;
    let c = Client::builder()
        .base_url(server.url())
        .app_credentials(USERNAME, PASSWORD)
        .timeouts(TIMEOUTS)
        // Even an adjustment that asks for redirects gets none.
        .configure_http(|http| http.redirect(reqwest::redirect::Policy::limited(10)))
        .build()
        .unwrap();
    let e = c.conference("c1").await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Http, Some(302)), "{e}");
    assert!(other.requests().is_empty(), "the token went elsewhere: {:?}", other.requests());
}

#[tokio::test]
async fn a_caller_client_without_redirects_stays_put_and_one_that_follows_fails_the_call() {
    let (other, redirect) = elsewhere().await;
    let (server, _) = dingtalk(redirect, usize::MAX).await;
    let none = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let e = with_caller_client(&server.url(), none).build().unwrap().conference("c1").await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Http, Some(302)), "{e}");
    assert!(other.requests().is_empty());

    // reqwest's default follows redirects: the call fails rather than
    // answering from another host (the docs say why to turn them off).
    let e =
        with_caller_client(&server.url(), reqwest::Client::new()).build().unwrap().conference("c1").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config, "{e}");
    assert!(e.to_string().contains("redirect"), "{e}");
}
