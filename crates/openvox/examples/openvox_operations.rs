//! Operations without a convenience method, each one typed expression:
//! the builder of the operation, its body, `send()`.
//!
//! Reads the PBX and the login from the variables the `confapi` command
//! uses (`CONFAPI_OPENVOX_URL`, `_USERNAME`, `_PASSWORD`). Try it against
//! the replay server: `confapi mock` prints the values to set. Against a
//! real PBX it adds member 4001 to room 6400 and changes that room's
//! password, so point it at a test system.

use confapi_openvox::{Client, Error, ErrorKind};

fn var(name: &str) -> Result<String, Error> {
    std::env::var(name).map_err(|_| Error::new("openvox", ErrorKind::Config).with_detail(format!("set {name}")))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let pbx = Client::builder(
        var("CONFAPI_OPENVOX_URL")?,
        var("CONFAPI_OPENVOX_USERNAME")?,
        var("CONFAPI_OPENVOX_PASSWORD")?,
    )
    .build()?;

    let instant = pbx.instant_conference_query().body_map(|b| b.number("6466")).send().await?;
    for room in &instant.conferences {
        println!("instant conference {:?} with {:?}", room.number, room.members);
    }

    let added =
        pbx.conference_add_member().body_map(|b| b.number("6400").operator("4000").invitemember("4001")).send().await?;
    println!("add member to 6400: {}", added.status);

    let updated = pbx
        .conference_update()
        .body_map(|b| b.number("6400").participantepassword(Some("5678".to_owned())))
        .send()
        .await?;
    println!("update room 6400: {}", updated.status);
    Ok(())
}
