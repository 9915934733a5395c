//! Bad answers from the PBX become typed errors, never panics.

mod common;

use common::{client, pbx};
use confapi_mock::Reply;
use confapi_openvox::ErrorKind;
use serde_json::json;
use std::time::Instant;

async fn outcome(reply: Reply) -> confapi_openvox::Error {
    let server = pbx(move |_| reply.clone()).await;
    client(&server.url()).query_in_session("8000").await.expect_err("must fail")
}

#[tokio::test]
async fn html_page_with_status_200_is_not_json() {
    let e = outcome(Reply::raw(200, "text/html", "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>")).await;
    assert_eq!(e.kind(), ErrorKind::NotJson);
    assert!(e.to_string().contains("<!DOCTYPE html>"), "{e}");
}

#[tokio::test]
async fn empty_body_is_its_own_kind() {
    let e = outcome(Reply::raw(200, "application/json", "")).await;
    assert_eq!(e.kind(), ErrorKind::EmptyBody);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let e =
        outcome(Reply::raw(200, "application/json", r#"{"status":"Success","conference":[{"conferencenumber":"80"#))
            .await;
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("truncated"), "{e}");
}

#[tokio::test]
async fn wrong_json_type_names_the_path() {
    let e = outcome(Reply::json(200, &json!({"status": "Success", "conference": {"conferencenumber": "8000"}}))).await;
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("at conference"), "{e}");
}

#[tokio::test]
async fn failed_status_carries_errno_and_meaning() {
    let e = outcome(Reply::json(200, &json!({"status": "Failed", "errno": "10003"}))).await;
    assert_eq!(e.kind(), ErrorKind::Vendor);
    assert_eq!(e.code(), Some("10003"));
    assert_eq!(e.message(), Some("API request not supported"));
    assert_eq!(e.operation(), Some("conference_query_in_session"));
    assert_eq!(
        e.to_string(),
        "openvox conference_query_in_session: vendor error 10003 (API request not supported) [HTTP 200]"
    );
}

#[tokio::test]
async fn http_500_is_an_http_error_with_status() {
    let e = outcome(Reply::raw(500, "text/plain", "internal error")).await;
    assert_eq!(e.kind(), ErrorKind::Http);
    assert_eq!(e.status(), Some(500));
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    // Bind, note the port, close: nothing listens there any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let e = client(&format!("http://127.0.0.1:{port}")).query_in_session("8000").await.expect_err("refused");
    assert_eq!(e.kind(), ErrorKind::Connect);
    assert_eq!(e.operation(), Some("login"));
}

#[tokio::test]
async fn slow_answer_is_a_timeout_within_the_attempt_limit() {
    let mut slow = common::in_session_ok();
    slow.delay = std::time::Duration::from_secs(3);
    let started = Instant::now();
    let e = outcome(slow).await;
    assert_eq!(e.kind(), ErrorKind::Timeout);
    // attempt limit 0.5 s; generous bound for a loaded machine, far below the 3 s delay.
    assert!(started.elapsed() < std::time::Duration::from_millis(2500));
}

#[tokio::test]
async fn invalid_base_url_is_a_config_error() {
    let e = confapi_openvox::Client::builder("ftp://pbx", "api", "pw").build().expect_err("bad scheme");
    assert_eq!(e.kind(), ErrorKind::Config);
}
