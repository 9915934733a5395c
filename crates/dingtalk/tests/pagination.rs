//! `nextToken` listings as streams that end when the token is absent or repeats.

use confapi_dingtalk::Client;
use confapi_mock::{MockServer, RecordedRequest, Reply};
use futures::StreamExt;
use serde_json::{json, Value};

async fn listing(page: impl Fn(Option<&str>) -> Value + Send + Sync + 'static) -> (MockServer, Client) {
    let server = MockServer::start(
        &[&confapi_dingtalk::generated::meta::VENDOR],
        move |r: &RecordedRequest| {
            if r.path == "/v1.0/oauth2/accessToken" {
                Reply::json(200, &json!({"accessToken": "tok", "expireIn": 7200}))
            } else {
                Reply::json(200, &page(r.query.get("nextToken").map(String::as_str)))
            }
        },
        0,
    )
    .await
    .unwrap();
    let c = Client::builder().base_url(server.url()).app_credentials("k", "secret-1234").build().unwrap();
    (server, c)
}

fn confs(ids: &[&str]) -> Value {
    Value::Array(ids.iter().map(|id| json!({"conferenceId": id, "status": 2})).collect())
}

async fn ids(c: &Client) -> Vec<String> {
    c.org_conferences(2).map(|r| r.unwrap().conference_id.unwrap_or_default()).collect().await
}

#[tokio::test]
async fn follows_next_token_until_it_is_absent() {
    let (s, c) = listing(|token| match token {
        None => json!({"onGoingConfList": confs(&["a", "b"]), "nextToken": "t1", "hasMore": true}),
        Some("t1") => json!({"onGoingConfList": confs(&["c"]), "nextToken": "t2"}),
        _ => json!({"onGoingConfList": confs(&["d"])}),
    })
    .await;
    assert_eq!(ids(&c).await, ["a", "b", "c", "d"]);
    let pages: Vec<_> = s.requests().into_iter().filter(|r| r.path == "/v1.0/conference/orgConferences").collect();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].query.get("maxResults").map(String::as_str), Some("2"));
}

#[tokio::test]
async fn a_repeated_token_ends_the_stream() {
    let (_s, c) = listing(|token| match token {
        None => json!({"onGoingConfList": confs(&["a"]), "nextToken": "same"}),
        _ => json!({"onGoingConfList": confs(&["b"]), "nextToken": "same"}),
    })
    .await;
    assert_eq!(ids(&c).await, ["a", "b"]);
}

#[tokio::test]
async fn has_more_false_ends_the_stream() {
    let (_s, c) = listing(|_| json!({"onGoingConfList": confs(&["a"]), "nextToken": "t", "hasMore": false})).await;
    assert_eq!(ids(&c).await, ["a"]);
}

#[tokio::test]
async fn history_sends_its_window_and_follows_tokens() {
    let (s, c) = listing(|token| match token {
        None => json!({"list": [{"conferenceId": "h1", "freeType": "0", "userCount": 2}], "nextToken": "n1"}),
        _ => json!({"list": []}),
    })
    .await;
    let got: Vec<String> = c
        .history(1682561190000, 1682561790000, 10)
        .map(|r| r.unwrap().conference_id.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(got, ["h1"]);
    let first = s.requests().into_iter().find(|r| r.path.ends_with("/histories/dataLists")).unwrap();
    assert_eq!(first.query.get("startTime").map(String::as_str), Some("1682561190000"));
    assert_eq!(first.query.get("realData").map(String::as_str), Some("true"));
}
