//! A credential that cannot be sent is a configuration error: reported as
//! `ErrorKind::Config`, found before any request, and never "renewed".

use confapi_core::{Authenticator, BoxFuture, Error, ErrorKind, Lifetime, SecretString, Token};
use confapi_mock::{MockServer, RecordedRequest, Reply};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A server that answers everything with success, counting requests.
async fn server() -> MockServer {
    MockServer::start(&confapi::vendor_infos(), |_: &RecordedRequest| Reply::json(200, &json!({"status": 0})), 0)
        .await
        .unwrap()
}

/// A token source handing out one fixed token, counting how often it is asked.
struct Source {
    token: &'static str,
    asked: AtomicUsize,
}

impl Authenticator for Source {
    fn fetch(&self) -> BoxFuture<'_, Result<Token, Error>> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        let token = Token { secret: SecretString::new(self.token), lifetime: Lifetime::Unlimited };
        Box::pin(async move { Ok(token) })
    }
}

#[tokio::test]
async fn a_token_with_a_newline_is_a_config_error_after_zero_renewals() {
    let s = server().await;
    let source = Arc::new(Source { token: "tok\nen", asked: AtomicUsize::new(0) });
    let dingtalk = confapi_dingtalk::Client::builder().base_url(s.url()).token_source(source.clone()).build().unwrap();
    for _ in 0..2 {
        let e = dingtalk.query_conference_info().conference_id("c1").send().await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config, "{e}");
        assert!(e.to_string().contains("header"), "{e}");
        assert!(!e.to_string().contains("tok\nen"), "the token never shows: {e}");
    }
    // One fetch for both calls: the token was never invalidated and renewed.
    assert_eq!(source.asked.load(Ordering::SeqCst), 1);
    assert_eq!(dingtalk.credential_fetches(), 1);
    assert!(s.requests().is_empty(), "nothing was sent: {:?}", s.requests());

    let quanshi = confapi_quanshi::Client::builder().base_url(s.url()).token("tok\r\nen").build().unwrap();
    let e = quanshi.live_conferences_page(1, 10).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config, "{e}");
    assert_eq!(quanshi.credential_fetches(), 1);
    assert!(s.requests().is_empty());
}

#[tokio::test]
async fn a_malformed_quanshi_app_key_is_a_config_error_before_any_request() {
    let s = server().await;
    let e = confapi_quanshi::Client::builder().base_url(s.url()).signed("app\nkey", "app-secret").build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config, "{e}");
    assert!(e.to_string().contains("AppKey"), "{e}");
    assert!(s.requests().is_empty());

    // A well-formed one signs, and the call goes out once.
    let quanshi = confapi_quanshi::Client::builder().base_url(s.url()).signed("app-key", "app-secret").build().unwrap();
    quanshi.live_conferences_page(1, 10).await.unwrap();
    assert_eq!(s.requests().len(), 1);
    assert_eq!(quanshi.credential_fetches(), 0, "signed headers are computed, not fetched");
}
