//! A PBX on a company network that serves HTTPS with its own certificate:
//! have the builder's HTTP client trust it (and, where needed, go through
//! the company proxy or show a client certificate).
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
    let ca = match std::env::var("CONFAPI_OPENVOX_CA_CERT") {
        Ok(path) => {
            let pem = std::fs::read(&path).map_err(|e| config(format!("cannot read {path}: {e}")))?;
            Some(
                reqwest::Certificate::from_pem(&pem)
                    .map_err(|e| config(format!("{path} is not a PEM certificate: {e}")))?,
            )
        }
        Err(_) => None,
    };
    let proxy = match std::env::var("HTTPS_PROXY") {
        Ok(url) => Some(reqwest::Proxy::https(&url).map_err(|e| config(format!("HTTPS_PROXY: {e}")))?),
        Err(_) => None,
    };
    let pbx = Client::builder(
        var("CONFAPI_OPENVOX_URL")?,
        var("CONFAPI_OPENVOX_USERNAME")?,
        var("CONFAPI_OPENVOX_PASSWORD")?,
    )
    // Adjust the client the builder makes; redirects stay off and the
    // time limits stay ours whatever is set here.
    .configure_http(move |http| {
        let http = match &ca {
            Some(ca) => http.add_root_certificate(ca.clone()),
            None => http,
        };
        match &proxy {
            Some(proxy) => http.proxy(proxy.clone()),
            None => http,
        }
    })
    .build()?;
    for room in pbx.query_in_session("all").await? {
        println!("room {:?}: {} members", room.conferencenumber, room.member.len());
    }
    Ok(())
}
