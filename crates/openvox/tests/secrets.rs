//! The password, its MD5 digest and the session token appear in no `Debug`
//! or `Display` output of the client, its builders or its errors.

mod common;

use common::{client, pbx, PASSWORD, PASSWORD_MD5, TOKEN};
use confapi_mock::Reply;
use confapi_openvox::{types, Client};
use serde_json::json;
use std::error::Error as _;

fn assert_clean(what: &str, text: &str) {
    for secret in [PASSWORD, PASSWORD_MD5, TOKEN] {
        assert!(!text.contains(secret), "{what} leaks a secret: {text}");
    }
}

fn describe(e: &confapi_openvox::Error) -> String {
    let mut text = format!("{e}\n{e:?}");
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(&format!("\n{s}\n{s:?}"));
        source = s.source();
    }
    text
}

#[tokio::test]
async fn nothing_prints_a_secret() {
    let mut captured = Vec::new();

    let builder = Client::builder("http://127.0.0.1:9", "api", PASSWORD);
    captured.push(("client builder", format!("{builder:?}")));

    // A session with a token in hand, then a timeout: reqwest's error
    // carries the URL, and the URL carries ?token=.
    let mut slow = common::in_session_ok();
    slow.delay = std::time::Duration::from_secs(2);
    let server = pbx(move |r| {
        if r.body == json!({"number": "slow"}) {
            slow.clone()
        } else if r.body == json!({"number": "bad"}) {
            Reply::json(200, &json!({"status": "Failed", "errno": "20006"}))
        } else {
            common::in_session_ok()
        }
    })
    .await;
    let c = client(&server.url());
    c.query_in_session("8000").await.unwrap();
    captured.push(("client", format!("{c:?}")));
    captured.push(("runtime", format!("{:?}", c.runtime())));
    let body = types::RoomNumbers::new("8000");
    captured.push(("operation builder", format!("{:?}", c.conference_query_in_session().body(body))));
    let login = types::LoginRequest::new(PASSWORD_MD5, "8260", "api");
    captured.push(("login body", format!("{login:?}")));
    captured.push(("login builder", format!("{:?}", c.login().body(login))));

    let timeout = c.query_in_session("slow").await.expect_err("times out");
    assert_eq!(timeout.kind(), confapi_openvox::ErrorKind::Timeout);
    captured.push(("timeout error", describe(&timeout)));
    let expired = c.query_in_session("bad").await.expect_err("expired");
    captured.push(("vendor error", describe(&expired)));

    // A decode error of a login answer that contains the token.
    let leaky = confapi_mock::MockServer::start(
        &[&confapi_openvox::generated::meta::VENDOR],
        |_: &confapi_mock::RecordedRequest| {
            Reply::raw(200, "application/json", format!(r#"{{"status":"Success","token":"{TOKEN}","transport":7}}"#))
        },
        0,
    )
    .await
    .unwrap();
    let e = client(&leaky.url()).query_in_session("8000").await.expect_err("bad login body");
    captured.push(("login decode error", describe(&e)));

    for (what, text) in &captured {
        assert_clean(what, text);
    }
    assert!(captured.iter().any(|(_, t)| t.contains("[REDACTED]")), "redaction is visible");
}
