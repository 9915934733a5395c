//! Access tokens: one fetch for many cold callers, one refresh when the
//! server rejects a token, no storm on `expireIn: 0`, no retry of rejected
//! app credentials, and the raw token in the right header.

use confapi_dingtalk::{Client, ErrorKind};
use confapi_mock::{MockServer, RecordedRequest, Reply};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TOKEN_PATH: &str = "/v1.0/oauth2/accessToken";

fn conf_info() -> Reply {
    Reply::json(200, &json!({"confInfo": {"conferenceId": "c1", "status": 2, "activeNum": 3}}))
}

fn invalid_auth() -> Reply {
    let mut r = Reply::json(
        400,
        &json!({"code": "InvalidAuthentication", "requestid": "30EE8654-1AA2", "message": "不合法的access_token"}),
    );
    r.headers.push(("x-acs-request-id".into(), "30EE8654-1AA2".into()));
    r
}

/// A DingTalk whose token call answers `token_body` (after a short delay,
/// so concurrent callers overlap) and whose conference call answers
/// `conference(token header)`.
async fn dingtalk(
    token_body: impl Fn(usize) -> Value + Send + Sync + 'static,
    conference: impl Fn(&str) -> Reply + Send + Sync + 'static,
) -> (MockServer, Arc<AtomicUsize>) {
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = fetches.clone();
    let server = MockServer::start(
        &[&confapi_dingtalk::generated::meta::VENDOR],
        move |r: &RecordedRequest| {
            if r.path == TOKEN_PATH {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let mut reply = Reply::json(200, &token_body(n));
                reply.delay = Duration::from_millis(50);
                reply
            } else {
                conference(r.headers.get("x-acs-dingtalk-access-token").map(String::as_str).unwrap_or(""))
            }
        },
        0,
    )
    .await
    .unwrap();
    (server, fetches)
}

fn client(url: &str) -> Client {
    Client::builder().base_url(url).app_credentials("ding-app", "app-s3cret-value").build().unwrap()
}

#[tokio::test]
async fn hundred_cold_concurrent_calls_fetch_one_token() {
    let (server, fetches) =
        dingtalk(|n| json!({"accessToken": format!("tok-{n}"), "expireIn": 7200}), |_| conf_info()).await;
    let c = client(&server.url());
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.conference("c1").await.map(|i| i.conference_id) })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().as_deref(), Some("c1"));
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    assert_eq!(c.credential_fetches(), 1);
}

#[tokio::test]
async fn token_rejected_mid_run_is_refreshed_once_and_the_call_succeeds() {
    let revoked = Arc::new(AtomicBool::new(false));
    let revoked2 = revoked.clone();
    let (server, fetches) = dingtalk(
        |n| json!({"accessToken": format!("tok-{n}"), "expireIn": 7200}),
        move |token| if token == "tok-0" && revoked2.load(Ordering::SeqCst) { invalid_auth() } else { conf_info() },
    )
    .await;
    let c = client(&server.url());
    for _ in 0..3 {
        c.conference("c1").await.unwrap();
    }
    revoked.store(true, Ordering::SeqCst);
    let info = c.conference("c1").await.unwrap();
    assert_eq!(info.conference_id.as_deref(), Some("c1"));
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    c.conference("c1").await.unwrap();
    assert_eq!(fetches.load(Ordering::SeqCst), 2, "the new token is cached");
}

#[tokio::test]
async fn a_token_rejected_even_after_refresh_fails_after_one_retry() {
    let (server, fetches) = dingtalk(|_| json!({"accessToken": "tok", "expireIn": 7200}), |_| invalid_auth()).await;
    let e = client(&server.url()).conference("c1").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AuthExpired);
    assert_eq!(
        (e.code(), e.status(), e.request_id()),
        (Some("InvalidAuthentication"), Some(400), Some("30EE8654-1AA2"))
    );
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    assert_eq!(server.requests().iter().filter(|r| r.path != TOKEN_PATH).count(), 2);
}

#[tokio::test]
async fn expire_in_zero_or_missing_does_not_cause_a_request_storm() {
    for body in [json!({"accessToken": "tok", "expireIn": 0}), json!({"accessToken": "tok"})] {
        let (server, fetches) = dingtalk(move |_| body.clone(), |_| conf_info()).await;
        let c = client(&server.url());
        for _ in 0..50 {
            c.conference("c1").await.unwrap();
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }
}

#[tokio::test]
async fn rejected_app_credentials_are_not_retried() {
    let server = MockServer::start(
        &[&confapi_dingtalk::generated::meta::VENDOR],
        |r: &RecordedRequest| {
            if r.path == TOKEN_PATH {
                Reply::json(400, &json!({"requestid": "01A0", "code": "invalidClientIdOrSecret", "message": "bad"}))
            } else {
                conf_info()
            }
        },
        0,
    )
    .await
    .unwrap();
    let c = client(&server.url());
    for _ in 0..3 {
        let e = c.conference("c1").await.unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::Credentials, Some("invalidClientIdOrSecret")));
    }
    assert_eq!(server.hits(TOKEN_PATH), 1);
}

#[tokio::test]
async fn the_raw_token_goes_in_the_access_token_header_only() {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen2 = seen.clone();
    let (server, _) = dingtalk(
        |_| json!({"accessToken": "raw-token-value", "expireIn": 7200}),
        move |token| {
            seen2.lock().unwrap().push(token.to_owned());
            conf_info()
        },
    )
    .await;
    let c = client(&server.url());
    c.conference("c1").await.unwrap();
    let token_call = &server.requests()[0];
    assert_eq!(token_call.body, json!({"appKey": "ding-app", "appSecret": "REDACTED"}));
    assert!(!token_call.headers.contains_key("x-acs-dingtalk-access-token"));
    let call = &server.requests()[1];
    assert_eq!(call.headers.get("x-acs-dingtalk-access-token").map(String::as_str), Some("REDACTED"));
    assert!(call.query.is_empty());
    assert!(!call.headers.contains_key("api-version"));
    // The raw string, not JSON-quoted (quotes make DingTalk answer InvalidAuthentication).
    assert_eq!(*seen.lock().unwrap(), ["raw-token-value"]);
}
