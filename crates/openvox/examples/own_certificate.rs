//! A PBX on a company network that serves HTTPS with its own certificate:
//! give the builder your own `reqwest::Client` that trusts it (and, where
//! needed, goes through the company proxy or shows a client certificate).
//!
//! `CONFAPI_OPENVOX_CA_CERT` names the PBX's CA certificate (PEM); without
//! it the example trusts the usual roots. The PBX and login come from the
//! variables the `confapi` command uses (`CONFAPI_OPENVOX_URL`, `_USERNAME`,
//! `_PASSWORD`).

use confapi_openvox::{Client, Error, ErrorKind};

fn var(name: &str) -> Result<String, Error> {
    std::env::var(name).map_err(|_| Error::new("openvox", ErrorKind::Config).with_detail(format!("set {name}")))
}

fn config(detail: String) -> Error {
    Error::new("openvox", ErrorKind::Config).with_detail(detail)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut http = reqwest::Client::builder()
        // Never follow a redirect: it would carry the session token elsewhere.
        .redirect(reqwest::redirect::Policy::none());
    if let Ok(path) = std::env::var("CONFAPI_OPENVOX_CA_CERT") {
        let pem = std::fs::read(&path).map_err(|e| config(format!("cannot read {path}: {e}")))?;
        let ca = reqwest::Certificate::from_pem(&pem)
            .map_err(|e| config(format!("{path} is not a PEM certificate: {e}")))?;
        http = http.add_root_certificate(ca);
    }
    if let Ok(proxy) = std::env::var("HTTPS_PROXY") {
        http = http.proxy(reqwest::Proxy::https(&proxy).map_err(|e| config(format!("HTTPS_PROXY: {e}")))?);
    }
    let http = http.build().map_err(|e| config(format!("HTTP client: {e}")))?;

    let pbx = Client::builder(
        var("CONFAPI_OPENVOX_URL")?,
        var("CONFAPI_OPENVOX_USERNAME")?,
        var("CONFAPI_OPENVOX_PASSWORD")?,
    )
    .http_client(http)
    .build()?;
    for room in pbx.query_in_session("all").await? {
        println!("room {:?}: {} members", room.conferencenumber, room.member.len());
    }
    Ok(())
}
