//! DingTalk's error body becomes the typed error; unknown codes are kept;
//! the request id comes from the body or the `x-acs-request-id` header.

use confapi_dingtalk::{Client, ErrorKind};
use confapi_mock::{MockServer, RecordedRequest, Reply};
use serde_json::json;

async fn answering(reply: Reply) -> (MockServer, Client) {
    let server = MockServer::start(
        &[&confapi_dingtalk::generated::meta::VENDOR],
        move |r: &RecordedRequest| {
            if r.path == "/v1.0/oauth2/accessToken" {
                Reply::json(200, &json!({"accessToken": "tok", "expireIn": 7200}))
            } else {
                reply.clone()
            }
        },
        0,
    )
    .await
    .unwrap();
    let c = Client::builder().base_url(server.url()).app_credentials("k", "secret-1234").build().unwrap();
    (server, c)
}

#[tokio::test]
async fn room_not_found_is_not_found_from_the_client() {
    let (_s, c) = answering(Reply::json(
        404,
        &json!({"message": "ROOM NOT FOUND", "requestid": "rid-404", "code": "roomNotFound"}),
    ))
    .await;
    let e = c.conference("nope").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(
        (e.code(), e.message(), e.status(), e.request_id()),
        (Some("roomNotFound"), Some("ROOM NOT FOUND"), Some(404), Some("rid-404"))
    );
    assert_eq!(
        e.to_string(),
        "dingtalk query_conference_info: not found roomNotFound (ROOM NOT FOUND) [HTTP 404, request id rid-404]"
    );
}

#[tokio::test]
async fn unknown_codes_are_kept_and_the_header_request_id_is_used() {
    let mut reply = Reply::json(409, &json!({"code": "conference.locked.newCode", "message": "locked"}));
    reply.headers.push(("x-acs-request-id".into(), "hdr-rid".into()));
    let (_s, c) = answering(reply).await;
    let e = c.conference("c").await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.request_id(), e.status()),
        (ErrorKind::Vendor, Some("conference.locked.newCode"), Some("hdr-rid"), Some(409))
    );
}

#[tokio::test]
async fn documented_code_without_message_gets_its_meaning() {
    let (_s, c) = answering(Reply::json(403, &json!({"code": "noPermission"}))).await;
    assert_eq!(c.conference("c").await.unwrap_err().message(), Some("no permission to read this conference"));
}

#[tokio::test]
async fn an_html_gateway_page_keeps_its_status() {
    let (_s, c) = answering(Reply::raw(502, "text/html", "<html><body>Bad Gateway</body></html>")).await;
    let e = c.conference("c").await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Http, Some(502)), "{e:?}");
    assert!(e.to_string().contains("Bad Gateway"), "{e}");
}

#[tokio::test]
async fn unknown_status_values_and_biz_types_are_kept() {
    let (_s, c) =
        answering(Reply::json(200, &json!({"confInfo": {"status": 7, "bizType": "webinar", "confDuration": "1000"}})))
            .await;
    let info = c.conference("c").await.unwrap();
    assert_eq!(info.status.map(|s| s.get()), Some(7));
    assert_eq!(info.biz_type.map(|b| b.to_string()).as_deref(), Some("webinar"));
    assert_eq!(info.conf_duration.map(|d| d.get()), Some(1000));
    assert!(info.end_time.is_none());
}

#[tokio::test]
async fn a_403_names_the_permission_scopes_to_request_and_keeps_the_whole_body() {
    let body = json!({
        "requestid": "r-403",
        "code": "Forbidden.AccessDenied.AccessTokenPermissionDenied",
        "message": "no permission",
        "accessdenieddetail": {"requiredScopes": ["VideoConference.Conference.Read", "VideoConference.Conference.Write"]},
        "addedLater": 7
    });
    let server = MockServer::start(
        &[&confapi_dingtalk::generated::meta::VENDOR],
        move |r: &RecordedRequest| match r.path.as_str() {
            "/v1.0/oauth2/accessToken" => Reply::json(200, &json!({"accessToken": "t", "expireIn": 7200})),
            _ => Reply::json(403, &body),
        },
        0,
    )
    .await
    .unwrap();
    let c = Client::builder().base_url(server.url()).app_credentials("k", "s3cret-value").build().unwrap();
    let e = c.conference("c1").await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Vendor, Some(403)));
    let text = e.to_string();
    assert!(
        text.contains(
            "the app needs these permission scopes: VideoConference.Conference.Read, VideoConference.Conference.Write"
        ),
        "{text}"
    );
    assert_eq!(e.hints().len(), 1);
    // Every other field of the body stays reachable.
    assert_eq!(e.body().and_then(|b| b.get("addedLater")), Some(&json!(7)));
    assert_eq!(e.request_id(), Some("r-403"));
}
