//! appSecret, suite secrets and access tokens never show in Debug, Display
//! or errors.

use confapi_dingtalk::Client;
use confapi_mock::{MockServer, RecordedRequest, Reply};
use serde_json::json;
use std::time::Duration;

const APP_SECRET: &str = "ding-app-secret-9f8e7d";
const SUITE_SECRET: &str = "suite-secret-1a2b3c";
const SUITE_TICKET: &str = "suite-ticket-4d5e6f";
const ACCESS_TOKEN: &str = "access-token-0f1e2d3c";

fn clean(what: &str, text: &str) {
    for s in [APP_SECRET, SUITE_SECRET, SUITE_TICKET, ACCESS_TOKEN] {
        assert!(!text.contains(s), "{what} leaks {s}: {text}");
    }
}

#[tokio::test]
async fn nothing_prints_a_secret() {
    let server = MockServer::start(
        &[&confapi_dingtalk::generated::meta::VENDOR],
        |r: &RecordedRequest| {
            if r.path.starts_with("/v1.0/oauth2/") {
                Reply::json(200, &json!({"accessToken": ACCESS_TOKEN, "expireIn": 7200}))
            } else if r.path.ends_with("/slow") {
                let mut reply = Reply::json(200, &json!({}));
                reply.delay = Duration::from_secs(2);
                reply
            } else {
                // An error page that echoes the token, as some proxies do.
                Reply::raw(502, "text/html", format!("<html>upstream refused token {ACCESS_TOKEN}</html>"))
            }
        },
        0,
    )
    .await
    .unwrap();
    let quick = confapi_dingtalk::Timeouts {
        connect: Duration::from_secs(1),
        attempt: Duration::from_millis(300),
        total: Duration::from_secs(3),
    };
    let app = Client::builder().base_url(server.url()).app_credentials("ding-app", APP_SECRET).timeouts(quick);
    let corp =
        Client::builder().base_url(server.url()).third_party_credentials("corp", "suite", SUITE_SECRET, SUITE_TICKET);
    let mut texts = vec![format!("{app:?}"), format!("{corp:?}")];
    for builder in [app, corp] {
        let c = builder.build().unwrap();
        let e = c.conference("c1").await.unwrap_err();
        texts.push(format!("{e}\n{e:?}"));
        let slow = c.conference("slow").await.unwrap_err();
        texts.push(format!("{slow}\n{slow:?}"));
        texts.push(format!("{c:?}"));
        texts.push(format!("{:?}", c.query_conference_info().conference_id("c1")));
    }
    for t in &texts {
        clean("output", t);
    }
    assert!(texts.iter().any(|t| t.contains("[REDACTED]")));
}
