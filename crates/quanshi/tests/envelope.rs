//! The confopenapi envelope: non-zero status becomes a typed error; the
//! typed API returns the payload.

use confapi_mock::{MockServer, RecordedRequest, Reply};
use confapi_quanshi::{Client, ErrorKind, MeetingRef};
use serde_json::json;

async fn answering(body: serde_json::Value) -> (MockServer, Client) {
    let s = MockServer::start(
        &[&confapi_quanshi::generated::meta::VENDOR],
        move |_: &RecordedRequest| Reply::json(200, &body),
        0,
    )
    .await
    .unwrap();
    let c = Client::builder().base_url(s.url()).token("t0ken-for-tests").build().unwrap();
    (s, c)
}

#[tokio::test]
async fn non_zero_status_is_a_typed_error_with_code_message_and_request_id() {
    let (_s, c) = answering(json!({
        "status": 20100, "msg": "template missing", "result": null,
        "request_id": "confopenapiserver-1.2.3", "timestamp": 1774514768800_i64
    }))
    .await;
    let e = c.live_conferences_page(1, 10).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Vendor);
    assert_eq!(e.code(), Some("20100"));
    assert_eq!(e.message(), Some("template missing"));
    assert_eq!(e.request_id(), Some("confopenapiserver-1.2.3"));
    let shown = e.to_string();
    for part in ["20100", "template missing", "confopenapiserver-1.2.3"] {
        assert!(shown.contains(part), "{shown}");
    }
}

#[tokio::test]
async fn a_documented_not_found_code_is_not_found_from_the_client() {
    let (_s, c) = answering(json!({"status": 20713, "msg": "no template", "result": null})).await;
    let e = c.live_conferences_page(1, 10).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::NotFound, Some("20713")));
}

#[tokio::test]
async fn failure_with_a_result_of_another_shape_is_still_the_vendor_error() {
    let (_s, c) = answering(json!({"status": 3, "msg": "bad", "result": "oops", "reqid": "confopenapiserver-9"})).await;
    let e = c.live_conferences_page(1, 10).await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.request_id()), (ErrorKind::Vendor, Some("3"), Some("confopenapiserver-9")));
}

#[tokio::test]
async fn documented_code_without_message_gets_its_meaning() {
    let (_s, c) = answering(json!({"status": 20713, "result": null})).await;
    let e = c.live_conferences_page(1, 10).await.unwrap_err();
    assert_eq!(e.message(), Some("the business template does not exist"));
}

#[tokio::test]
async fn success_returns_the_payload_whatever_its_documented_shape() {
    let (_s, c) =
        answering(json!({"status": 0, "result": {"conferenceId": "1", "eventId": "649128", "billingcode": "9"}})).await;
    let meetings = c.meeting(MeetingRef::EventId(649128), None).await.unwrap();
    assert_eq!(meetings.len(), 1);
    assert_eq!(meetings[0].event_id.as_ref().and_then(|e| e.as_i64()), Some(649128));
    assert_eq!(meetings[0].billing_code.as_deref(), Some("9"));
}

#[tokio::test]
async fn token_goes_in_the_token_header() {
    let (s, c) = answering(json!({"status": 0, "result": {"conferences": []}})).await;
    c.conference_statuses(&[1000]).await.unwrap();
    let sent = &s.requests()[0];
    assert_eq!(sent.headers.get("token").map(String::as_str), Some("REDACTED"));
    assert!(!sent.headers.contains_key("api-version"));
    assert_eq!(sent.body, json!({"eventIds": [1000]}));
}

#[tokio::test]
async fn missing_credentials_is_a_config_error() {
    assert_eq!(Client::builder().build().unwrap_err().kind(), ErrorKind::Config);
}
