//! Conferences running now on every account configured in the environment
//! (or in the TOML file `CONFAPI_CONFIG` names), asked together: one failing
//! account prints its error beside the others.
//!
//! Reads the variables the `confapi` command uses (`CONFAPI_OPENVOX_URL`,
//! `_USERNAME`, `_PASSWORD`; `CONFAPI_QUANSHI_TOKEN` and `_URL`;
//! `CONFAPI_DINGTALK_APP_KEY`, `_APP_SECRET` and `_URL`). Try it against the
//! replay server: `confapi mock` prints the values to set.

use confapi::Confapi;

#[tokio::main]
async fn main() -> Result<(), confapi::Error> {
    let api = match std::env::var("CONFAPI_CONFIG") {
        Ok(path) => Confapi::from_config(path)?,
        Err(_) => Confapi::from_env()?,
    };
    for answer in api.live_conferences().await {
        match answer.result {
            Ok(conferences) => {
                for c in conferences {
                    println!("{:<10} {:<8} {:<28} {:<8} {:?}", c.account, c.vendor, c.id, c.status, c.title);
                }
            }
            // The error names the account.
            Err(e) => eprintln!("{e}"),
        }
    }
    Ok(())
}
