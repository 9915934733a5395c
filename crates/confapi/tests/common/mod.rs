//! The replay server of every recording and a facade pointed at it, for
//! the facade's tests.
#![allow(dead_code)] // each test file uses what it needs

use confapi::Confapi;
use confapi_mock::{load_dir, recorded_dir, MockServer, Replay};

/// The replay server holding every recording.
pub async fn replay() -> MockServer {
    let exchanges = load_dir(&recorded_dir()).unwrap().into_iter().map(|f| f.exchange).collect();
    MockServer::start(&confapi::vendor_infos(), Replay::new(exchanges, &confapi::vendor_infos()), 0).await.unwrap()
}

/// Every vendor, pointed at `url` with the recordings' credentials.
pub fn all(url: &str) -> Confapi {
    Confapi::new()
        .with_account("openvox", confapi::confapi_openvox::Client::builder(url, "api", "password").build().unwrap())
        .with_account(
            "quanshi",
            confapi::confapi_quanshi::Client::builder().base_url(url).token("token").build().unwrap(),
        )
        .with_account(
            "dingtalk",
            confapi::confapi_dingtalk::Client::builder()
                .base_url(url)
                .app_credentials("api", "password")
                .build()
                .unwrap(),
        )
}
