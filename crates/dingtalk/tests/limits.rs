//! Rate limits, quotas and gateway refusals the way DingTalk's live servers
//! answer them (vendor notes §8), from a default `confapi-dingtalk` client.

use confapi_dingtalk::{types, Client, ErrorKind};
use confapi_mock::{MockServer, RateLimited, RecordedRequest, Reply};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const VENDOR: &confapi_core::VendorInfo = &confapi_dingtalk::generated::meta::VENDOR;

fn token_or(r: &RecordedRequest, reply: impl FnOnce() -> Reply) -> Reply {
    if r.path == "/v1.0/oauth2/accessToken" {
        Reply::json(200, &json!({"accessToken": "tok", "expireIn": 7200}))
    } else {
        reply()
    }
}

fn throttle() -> Reply {
    Reply::raw(
        403,
        "application/json;charset=utf-8",
        json!({"code": "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", "message": "调用频率超过限制"}).to_string(),
    )
}

fn live_conference() -> Reply {
    Reply::json(200, &json!({"confInfo": {"conferenceId": "c1", "title": "周会", "status": 2}}))
}

async fn serve(responder: impl Fn(&RecordedRequest) -> Reply + Send + Sync + 'static) -> (MockServer, Client) {
    let server = MockServer::start(&[VENDOR], responder, 0).await.unwrap();
    let client = Client::builder().base_url(server.url()).app_credentials("k", "secret-1234").build().unwrap();
    (server, client)
}

fn kicks(server: &MockServer) -> usize {
    server.requests().iter().filter(|r| r.path.ends_with("/members/kick")).count()
}

fn kick(
    client: &Client,
) -> impl std::future::Future<Output = Result<types::SuccessResponse, confapi_core::Error>> + '_ {
    let member = types::UserRef::new("u-1");
    client.kick_members().conference_id("c1").body_map(move |b| b.user_list(Some(vec![member]))).send()
}

/// The scenario: 200 concurrent reads against a gateway that
/// allows 20 per second per API. The client's own limit keeps it under the
/// gateway's, so nothing is refused and nothing fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_reads_all_succeed_under_a_20_per_second_gateway() {
    let gateway =
        Arc::new(RateLimited::new(|_: &RecordedRequest| live_conference(), 20, Duration::from_secs(1), throttle()));
    let seen = gateway.clone();
    let (_server, client) = serve(move |r| token_or(r, || seen.reply(r))).await;
    let calls = (0..200).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.conference("c1").await })
    });
    let results = futures::future::join_all(calls).await;
    let failed: Vec<String> =
        results.into_iter().filter_map(|r| r.unwrap().err()).map(|e| format!("{:?}: {e}", e.kind())).collect();
    assert!(failed.is_empty(), "{} of 200 failed, e.g. {:?}", failed.len(), failed.first());
    use confapi_mock::Responder as _;
    assert_eq!(gateway.refused(), 0, "the gateway refused calls the client should have held back");
    // The token call and the reads are different APIs: the reads alone.
    assert!(gateway.densest() <= 20, "the gateway saw {} calls to one API within a second", gateway.densest());
    let counts = client.runtime().call_counts().of("query_conference_info");
    assert_eq!((counts.sent, counts.throttled, counts.retried), (200, 0, 0));
}

#[tokio::test]
async fn a_throttled_kick_is_sent_exactly_twice_and_succeeds() {
    let answered = Arc::new(AtomicUsize::new(0));
    let (server, client) = serve(move |r| {
        token_or(r, || match answered.fetch_add(1, Ordering::SeqCst) {
            0 => throttle(),
            _ => Reply::json(200, &json!({"success": true})),
        })
    })
    .await;
    let answer = kick(&client).await.expect("the second send succeeds");
    assert_eq!(answer.success, Some(true));
    assert_eq!(kicks(&server), 2);
    let counts = client.runtime().call_counts().of("kick_members");
    assert_eq!((counts.sent, counts.throttled, counts.retried), (2, 1, 1));
}

#[tokio::test]
async fn throttle_retries_can_be_turned_off() {
    let server = MockServer::start(&[VENDOR], |r: &RecordedRequest| token_or(r, throttle), 0).await.unwrap();
    let client = Client::builder()
        .base_url(server.url())
        .app_credentials("k", "secret-1234")
        .throttle_retries(0)
        .build()
        .unwrap();
    let e = kick(&client).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Throttled);
    assert_eq!(e.code(), Some("Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"));
    assert_eq!(kicks(&server), 1);
}

#[tokio::test]
async fn the_servers_retry_after_is_the_wait() {
    let answered = Arc::new(AtomicUsize::new(0));
    let (server, client) = serve(move |r| {
        token_or(r, || match answered.fetch_add(1, Ordering::SeqCst) {
            0 => Reply { headers: vec![("retry-after".into(), "0".into())], ..Reply::json(429, &json!({})) },
            _ => live_conference(),
        })
    })
    .await;
    let started = std::time::Instant::now();
    client.conference("c1").await.expect("sent again at once");
    assert_eq!(server.requests().len(), 3, "token, throttled read, read");
    // Retry-After 0 rather than the documented one-second span.
    assert!(started.elapsed() < Duration::from_millis(900), "{:?}", started.elapsed());
}

#[tokio::test]
async fn the_monthly_quota_is_exhausted_after_one_request() {
    let body = json!({
        "code": "Forbidden.AccessDenied.ApiCountLimitForOrg",
        "message": "您的企业本月api调用量已超过限制,调用量:10001次,额度:10000次",
        "requestid": "rid-quota"
    });
    let (server, client) = serve(move |r| token_or(r, || Reply::json(403, &body))).await;
    let e = client.conference("c1").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::QuotaExhausted);
    assert_eq!(server.requests().iter().filter(|r| r.path.contains("videoConferences")).count(), 1);
    let text = e.to_string();
    assert!(text.contains("quota exhausted") && text.contains("monthly API call quota"), "{text}");
    assert_eq!(e.request_id(), Some("rid-quota"));
}

#[tokio::test]
async fn the_older_apis_quota_errcode_is_the_same_kind() {
    let (_server, client) =
        serve(|r| token_or(r, || Reply::json(403, &json!({"errcode": 90020, "errmsg": "超限"})))).await;
    let e = client.conference("c1").await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::QuotaExhausted, Some("90020")));
}

#[tokio::test]
async fn the_ip_ban_is_blocked_with_its_wait_whatever_the_status() {
    let ban = json!({"status": 1111, "wait": 5, "source": "x5", "punish": "deny", "uuid": "u-9"});
    for status in [200u16, 403, 405, 503] {
        let body = ban.clone();
        let (server, client) = serve(move |r| token_or(r, || Reply::json(status, &body))).await;
        for e in [client.conference("c1").await.unwrap_err(), kick(&client).await.unwrap_err()] {
            assert_eq!(e.kind(), ErrorKind::Blocked, "HTTP {status}: {e}");
            assert_eq!(e.retry_after(), Some(Duration::from_secs(300)), "HTTP {status}");
            assert_eq!(e.code(), Some("1111"));
        }
        // A ban is not a throttle: never sent again.
        assert_eq!(kicks(&server), 1);
    }
}

#[tokio::test]
async fn the_ip_ban_page_is_blocked() {
    let page = "<html><body>访问受限<script>location.href='/_____tmd_____/punish?x5secdata=abc'</script></body></html>";
    let (_server, client) = serve(move |r| token_or(r, || Reply::raw(200, "text/html", page))).await;
    let e = client.conference("c1").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Blocked, "{e}");
    assert_eq!(e.retry_after(), Some(Duration::from_secs(300)));
}

#[tokio::test]
async fn an_ip_outside_the_allow_list_is_a_configuration_error() {
    let body = json!({"code": "Forbidden.AccessDenied.IpNotInWhiteList", "message": "ip not in whitelist"});
    let (_server, client) = serve(move |r| token_or(r, || Reply::json(403, &body))).await;
    let e = client.conference("c1").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.to_string().contains("allow list"), "{e}");
}

#[tokio::test]
async fn a_code_with_debris_is_still_not_found_and_kept_raw() {
    let body = json!({"code": "cloudRecordNotFound%!(EXTRA string=50513)", "message": "cloudRecordNotFound"});
    let (_server, client) =
        serve(move |r| token_or(r, || Reply::raw(400, "application/json;charset=utf-8", body.to_string()))).await;
    let e = client.query_cloud_record_text().conference_id("c1").send().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.code(), Some("cloudRecordNotFound%!(EXTRA string=50513)"));
    assert_eq!(e.request_id(), None);
}

#[tokio::test]
async fn success_false_is_an_error_from_the_client() {
    let (_server, client) = serve(|r| token_or(r, || Reply::json(200, &json!({"success": false})))).await;
    let e = kick(&client).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Vendor);
    assert_eq!(e.status(), Some(200));
    assert!(e.to_string().contains("success: false"), "{e}");
}

#[tokio::test]
async fn a_non_zero_close_code_is_an_error_from_the_client() {
    let (_server, client) =
        serve(|r| token_or(r, || Reply::json(200, &json!({"code": 3, "cause": "not the host"})))).await;
    let e = client.close_conference("c1", "u-1").await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.message()), (ErrorKind::Vendor, Some("3"), Some("not the host")));
}
