//! Login, token placement, re-login on an expired token, and no retry of a
//! login refused on credentials.

mod common;

use common::{client, pbx, IN_SESSION, LOGIN, TOKEN};
use confapi_mock::{MockServer, RecordedRequest, Reply};
use confapi_openvox::ErrorKind;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[tokio::test]
async fn logs_in_once_and_sends_token_in_query() {
    let server = pbx(|_| common::in_session_ok()).await;
    let c = client(&server.url());
    for _ in 0..3 {
        let rooms = c.query_in_session("8000").await.unwrap();
        assert_eq!(rooms[0].conferencenumber.as_ref().map(|n| n.as_str()), Some("8000"));
    }
    assert_eq!(server.hits(LOGIN), 1);
    let login = &server.requests()[0];
    // No token on login; the body format the spec defaults to is asked for explicitly.
    assert_eq!(login.query, std::collections::BTreeMap::from([("type".to_string(), "json".to_string())]));
    assert_eq!(login.body["password"], "REDACTED"); // redacted in the log, sent as MD5
    let in_session: Vec<_> = server.requests().into_iter().filter(|r| r.path == IN_SESSION).collect();
    assert_eq!(in_session.len(), 3);
    for r in in_session {
        assert_eq!(r.query.get("token").map(String::as_str), Some("REDACTED"));
        assert_eq!(r.query.get("type").map(String::as_str), Some("json"), "{:?}", r.query);
        assert!(!r.headers.contains_key("api-version"));
    }
}

#[tokio::test]
async fn password_goes_out_as_md5_hex() {
    let seen = Arc::new(std::sync::Mutex::new(None));
    let seen2 = seen.clone();
    let server = MockServer::start(
        &[&confapi_openvox::generated::meta::VENDOR],
        move |r: &RecordedRequest| {
            if r.path == LOGIN {
                *seen2.lock().unwrap() = Some(r.body.clone());
                Reply::json(200, &json!({"status": "Success", "token": TOKEN}))
            } else {
                common::in_session_ok()
            }
        },
        0,
    )
    .await
    .unwrap();
    client(&server.url()).query_in_session("8000").await.unwrap();
    let body = seen.lock().unwrap().clone().unwrap();
    assert_eq!(body, json!({"username": "api", "password": common::PASSWORD_MD5, "port": "8260"}));
}

/// A PBX whose login always fails with `errno`, counting login attempts.
async fn refusing_pbx(errno: &'static str, logins: Arc<AtomicUsize>) -> MockServer {
    MockServer::start(
        &[&confapi_openvox::generated::meta::VENDOR],
        move |r: &RecordedRequest| {
            if r.path == LOGIN {
                logins.fetch_add(1, Ordering::SeqCst);
                Reply::json(200, &json!({"status": "Failed", "errno": errno}))
            } else {
                common::in_session_ok()
            }
        },
        0,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn login_refused_on_credentials_is_attempted_exactly_once() {
    for errno in ["20003", "20002"] {
        let logins = Arc::new(AtomicUsize::new(0));
        let server = refusing_pbx(errno, logins.clone()).await;
        let c = client(&server.url());
        for _ in 0..4 {
            let e = c.query_in_session("8000").await.expect_err("refused");
            assert_eq!(e.kind(), ErrorKind::Credentials);
            assert_eq!(e.code(), Some(errno));
        }
        // A clone shares the refusal too.
        assert!(c.clone().room_settings("all").await.is_err());
        assert_eq!(logins.load(Ordering::SeqCst), 1, "errno {errno}");
        assert_eq!(server.hits(IN_SESSION), 0);
    }
}

#[tokio::test]
async fn expired_token_means_one_relogin_and_one_retry() {
    let calls = Arc::new(AtomicUsize::new(0));
    let calls2 = calls.clone();
    let server = pbx(move |_| {
        if calls2.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::json(200, &json!({"status": "Failed", "errno": "20006"}))
        } else {
            common::in_session_ok()
        }
    })
    .await;
    let rooms = client(&server.url()).query_in_session("8000").await.unwrap();
    assert_eq!(rooms.len(), 1);
    assert_eq!((server.hits(LOGIN), server.hits(IN_SESSION)), (2, 2));
}

#[tokio::test]
async fn token_rejected_forever_fails_after_one_renewal() {
    let server = pbx(|_| Reply::json(200, &json!({"status": "Failed", "errno": "20004"}))).await;
    let e = client(&server.url()).query_in_session("8000").await.expect_err("rejected");
    assert_eq!(e.kind(), ErrorKind::AuthExpired);
    assert_eq!((server.hits(LOGIN), server.hits(IN_SESSION)), (2, 2));
}

#[tokio::test]
async fn logout_forgets_the_session() {
    let server = pbx(|r| {
        if r.path.ends_with("/logout") {
            Reply::json(200, &json!({"status": "Success"}))
        } else {
            common::in_session_ok()
        }
    })
    .await;
    let c = client(&server.url());
    c.query_in_session("8000").await.unwrap();
    c.end_session().await.unwrap();
    c.query_in_session("8000").await.unwrap();
    assert_eq!(server.hits(LOGIN), 2);
}

#[tokio::test]
async fn the_recorded_credential_refusal_is_attempted_once_against_the_replay_server() {
    let recordings = confapi_mock::load_dir(&confapi_mock::recorded_dir().join("openvox")).unwrap();
    let replay = confapi_mock::Replay::new(
        recordings.into_iter().map(|f| f.exchange).collect(),
        &[&confapi_openvox::generated::meta::VENDOR],
    );
    let server = MockServer::start(&[&confapi_openvox::generated::meta::VENDOR], replay, 0).await.unwrap();
    // `login-failed-wrong-password.json` answers user "wrong" with errno 20003.
    let c =
        confapi_openvox::Client::builder(server.url(), "wrong", "whatever").timeouts(common::quick()).build().unwrap();
    for _ in 0..3 {
        let e = c.query_in_session("8000").await.unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::Credentials, Some("20003")));
    }
    assert_eq!(server.hits(LOGIN), 1);
    assert_eq!(server.hits(IN_SESSION), 0);
}
