//! A scripted PBX on 127.0.0.1 for the OpenVox client tests.
#![allow(dead_code)]

use confapi_mock::{MockServer, RecordedRequest, Reply};
use confapi_openvox::{Client, Timeouts};
use serde_json::json;
use std::time::Duration;

pub const PASSWORD: &str = "Sup3r-Secret-Pa55word";
pub const TOKEN: &str = "tok-9f8e7d6c5b4a39281706";
/// md5("Sup3r-Secret-Pa55word"), what the client sends as password.
pub const PASSWORD_MD5: &str = "fa6b49b05d92741fef289f56325684fd";

pub const LOGIN: &str = "/api/v0.0.1/login";
pub const IN_SESSION: &str = "/api/v0.0.1/conference/query_in_session";

/// A PBX that accepts the login and answers every other call with `reply`.
pub async fn pbx(reply: impl Fn(&RecordedRequest) -> Reply + Send + Sync + 'static) -> MockServer {
    MockServer::start(
        &[&confapi_openvox::generated::meta::VENDOR],
        move |r: &RecordedRequest| {
            if r.path == LOGIN {
                Reply::json(200, &json!({"status": "Success", "token": TOKEN}))
            } else {
                reply(r)
            }
        },
        0,
    )
    .await
    .expect("mock starts")
}

/// Short limits so failure tests end quickly.
pub fn quick() -> Timeouts {
    Timeouts { connect: Duration::from_secs(2), attempt: Duration::from_millis(500), total: Duration::from_secs(5) }
}

pub fn client(url: &str) -> Client {
    Client::builder(url, "api", PASSWORD).timeouts(quick()).build().expect("valid URL")
}

pub fn in_session_ok() -> Reply {
    Reply::json(200, &json!({"status": "Success", "conference": [{"conferencenumber": "8000", "member": []}]}))
}
