//! Follows every configured vendor for a few seconds and prints each
//! change: conferences starting and ending, members joining, leaving and
//! changing state, vendors failing and recovering.
//!
//! Reads the variables the `confapi` command uses (`CONFAPI_OPENVOX_URL`,
//! `CONFAPI_QUANSHI_TOKEN`, `CONFAPI_DINGTALK_APP_KEY`, …; see
//! `confapi --help`). Try it against the replay server: `confapi mock`
//! prints the values to set, and its recorded sequences change members
//! from one reading to the next.

use futures_util::StreamExt;
use std::time::Duration;

/// At most this many events, and for at most `FOR` …
const EVENTS: usize = 8;
/// … so the example ends even when nothing changes.
const FOR: Duration = Duration::from_secs(6);

#[tokio::main]
async fn main() -> Result<(), confapi::Error> {
    let api = confapi::Confapi::from_env()?;
    println!("watching {:?} every second (the first reading is the baseline)", api.account_names());
    let events = api.watch(Duration::from_secs(1)).take(EVENTS).take_until(tokio::time::sleep(FOR));
    let mut events = std::pin::pin!(events);
    while let Some(event) = events.next().await {
        println!("{event}");
    }
    Ok(())
}
