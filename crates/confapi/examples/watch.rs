//! Follows every configured vendor for a few seconds and prints each
//! change: conferences starting and ending, members joining, leaving and
//! changing state, vendors failing and recovering.
//!
//! Reads the variables the `confapi` command uses (`CONFAPI_OPENVOX_URL`,
//! `CONFAPI_QUANSHI_TOKEN`, `CONFAPI_DINGTALK_APP_KEY`, …; see
//! `confapi --help`). Try it against the replay server: `confapi mock`
//! prints the values to set, and its recorded sequences change members
//! from one reading to the next.

use confapi::{confapi_dingtalk, confapi_openvox, confapi_quanshi, Confapi, Error};
use futures_util::StreamExt;
use std::time::Duration;

/// At most this many events, and for at most `FOR` …
const EVENTS: usize = 8;
/// … so the example ends even when nothing changes.
const FOR: Duration = Duration::from_secs(6);

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Every vendor whose variables are set.
fn configured() -> Result<Confapi, Error> {
    let mut api = Confapi::new();
    if let (Some(url), Some(user), Some(password)) =
        (var("CONFAPI_OPENVOX_URL"), var("CONFAPI_OPENVOX_USERNAME"), var("CONFAPI_OPENVOX_PASSWORD"))
    {
        api = api.with_openvox(confapi_openvox::Client::builder(url, user, password).build()?);
    }
    if let Some(token) = var("CONFAPI_QUANSHI_TOKEN") {
        let mut quanshi = confapi_quanshi::Client::builder().token(token);
        if let Some(url) = var("CONFAPI_QUANSHI_URL") {
            quanshi = quanshi.base_url(url);
        }
        api = api.with_quanshi(quanshi.build()?);
    }
    if let (Some(key), Some(secret)) = (var("CONFAPI_DINGTALK_APP_KEY"), var("CONFAPI_DINGTALK_APP_SECRET")) {
        let mut dingtalk = confapi_dingtalk::Client::builder().app_credentials(key, secret);
        if let Some(url) = var("CONFAPI_DINGTALK_URL") {
            dingtalk = dingtalk.base_url(url);
        }
        api = api.with_dingtalk(dingtalk.build()?);
    }
    Ok(api)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let api = configured()?;
    println!("watching {:?} every second (the first reading is the baseline)", api.vendors());
    let events = api.watch(Duration::from_secs(1)).take(EVENTS).take_until(tokio::time::sleep(FOR));
    let mut events = std::pin::pin!(events);
    while let Some(event) = events.next().await {
        println!("{event}");
    }
    Ok(())
}
