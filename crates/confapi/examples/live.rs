//! Conferences running now on every vendor configured in the environment,
//! asked together: one failing vendor prints its error beside the others.
//!
//! Reads the variables the `confapi` command uses (`CONFAPI_OPENVOX_URL`,
//! `_USERNAME`, `_PASSWORD`; `CONFAPI_QUANSHI_TOKEN` and `_URL`;
//! `CONFAPI_DINGTALK_APP_KEY`, `_APP_SECRET` and `_URL`). Try it against the
//! replay server: `confapi mock` prints the values to set.

use confapi::env::{from_env, ConfigError};

#[tokio::main]
async fn main() -> Result<(), ConfigError> {
    let configured = from_env(&|name| std::env::var(name).ok(), Default::default())?;
    for note in &configured.notes {
        eprintln!("note: {note}");
    }
    for answer in configured.api.live_conferences().await {
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
