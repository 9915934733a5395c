//! Conferences running now on every vendor configured in the environment,
//! asked together: one failing vendor prints its error beside the others.
//!
//! Reads the variables the `confapi` command uses (`CONFAPI_OPENVOX_URL`,
//! `_USERNAME`, `_PASSWORD`; `CONFAPI_QUANSHI_TOKEN` and `_URL`;
//! `CONFAPI_DINGTALK_APP_KEY`, `_APP_SECRET` and `_URL`). Try it against the
//! replay server: `confapi mock` prints the values to set.

use confapi::{Confapi, Error};
use std::env::var;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut api = Confapi::new();
    if let (Ok(url), Ok(user), Ok(password)) =
        (var("CONFAPI_OPENVOX_URL"), var("CONFAPI_OPENVOX_USERNAME"), var("CONFAPI_OPENVOX_PASSWORD"))
    {
        api = api.with_openvox(confapi::confapi_openvox::Client::builder(url, user, password).build()?);
    }
    if let Ok(token) = var("CONFAPI_QUANSHI_TOKEN") {
        let mut quanshi = confapi::confapi_quanshi::Client::builder().token(token);
        if let Ok(url) = var("CONFAPI_QUANSHI_URL") {
            quanshi = quanshi.base_url(url);
        }
        api = api.with_quanshi(quanshi.build()?);
    }
    if let (Ok(key), Ok(secret)) = (var("CONFAPI_DINGTALK_APP_KEY"), var("CONFAPI_DINGTALK_APP_SECRET")) {
        let mut dingtalk = confapi::confapi_dingtalk::Client::builder().app_credentials(key, secret);
        if let Ok(url) = var("CONFAPI_DINGTALK_URL") {
            dingtalk = dingtalk.base_url(url);
        }
        api = api.with_dingtalk(dingtalk.build()?);
    }
    for answer in api.live_conferences().await {
        match answer.result {
            Ok(conferences) => {
                for c in conferences {
                    println!("{:<8} {:<28} {:<8} {:?}", c.vendor, c.id, c.status, c.title);
                }
            }
            Err(e) => eprintln!("{}: {e}", answer.vendor),
        }
    }
    Ok(())
}
