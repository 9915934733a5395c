//! Operations without a convenience method, each one typed expression:
//! the builder of the operation, its body, `send()`.
//!
//! Reads the host and the token from the variables the `confapi` command
//! uses (`CONFAPI_QUANSHI_URL`, `CONFAPI_QUANSHI_TOKEN`). Try it against the
//! replay server: `confapi mock` prints the values to set. It only reads.

use confapi_quanshi::{types, Client, Error, ErrorKind};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let token = std::env::var("CONFAPI_QUANSHI_TOKEN")
        .map_err(|_| Error::new("quanshi", ErrorKind::Config).with_detail("set CONFAPI_QUANSHI_TOKEN"))?;
    let mut builder = Client::builder().token(token);
    if let Ok(url) = std::env::var("CONFAPI_QUANSHI_URL") {
        builder = builder.base_url(url);
    }
    let quanshi = builder.build()?;

    let monitor = quanshi
        .conference_get_monitor_client_url()
        .body_map(|b| b.conference_id(Some("239828761".to_owned())).user_id(88893351))
        .send()
        .await?;
    println!("monitor link: {:?}", monitor.result);

    let join = quanshi
        .web_meeting_join_token()
        .body_map(|b| b.event_id(1165158).plain_text(serde_json::Map::from_iter([("name".into(), "guest".into())])))
        .send()
        .await?;
    println!("join token for event {:?}", join.result.and_then(|t| t.event_id));

    let status = quanshi
        .conference_get_conf_status()
        .body_map(|b| b.app_id(Some(6)).user_id(88610840).conference_id("2000"))
        .send()
        .await?;
    println!("conference 2000: {:?}", status.result.map(|s| s.conf_status));

    // A documented failure comes back as a typed vendor error.
    match quanshi.conference_template_list().body(types::EmptyRequest::new()).send().await {
        Ok(list) => println!("templates: {:?}", list.result),
        Err(e) => println!("no templates: code {:?} ({e})", e.code()),
    }
    Ok(())
}
