//! OpenVox login and keep-alive, as a [`confapi_core::Authenticator`].

use crate::generated::{meta::op, meta::VENDOR, types, Client};
use confapi_core::{Auth, Authenticator, BoxFuture, Error, ErrorKind, GeneratedClient, Lifetime, SecretString, Token};
use md5::{Digest, Md5};
use std::time::Duration;

/// The PBX erases a token after 30 minutes without a request or heartbeat.
pub const IDLE_EXPIRY: Duration = Duration::from_secs(30 * 60);

/// Where the PBX should push event reports. The client itself does not
/// consume events, but login and heartbeat require these fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventReceiver {
    /// Address of the application server (heartbeat `ipaddr`).
    pub ipaddr: String,
    /// Port of the event receiver (login and heartbeat `port`).
    pub port: String,
    /// Path or URL of the receiver, if any.
    pub url: Option<String>,
    /// `"0"`: `url` is relative to `ipaddr:port`; `"1"`: absolute.
    pub urltag: Option<String>,
}

impl Default for EventReceiver {
    /// Loopback on port 8260: no events reach anyone, which suits a client
    /// that only queries and controls conferences.
    fn default() -> Self {
        Self { ipaddr: "127.0.0.1".into(), port: "8260".into(), url: None, urltag: None }
    }
}

/// Lowercase hex MD5 of the password, as the login call expects.
pub(crate) fn password_digest(password: &SecretString) -> SecretString {
    let digest = Md5::digest(password.expose().as_bytes());
    SecretString::new(digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// Logs in with username and password digest; keeps tokens alive by heartbeat.
#[derive(Debug)]
pub(crate) struct Login {
    /// A client that adds no session token of its own.
    pub(crate) client: Client,
    pub(crate) username: String,
    pub(crate) password_md5: SecretString,
    pub(crate) receiver: EventReceiver,
}

impl Login {
    /// Logs in with the password's digest; the token lives until 30 idle minutes pass.
    async fn login(&self) -> Result<Token, Error> {
        let r = &self.receiver;
        let body = types::LoginRequest::new(self.password_md5.clone(), r.port.clone(), self.username.clone())
            .set_url(r.url.clone())
            .set_urltag(r.urltag.clone());
        let response = self.client.login().body(body).send().await?;
        match response.token {
            Some(secret) if !secret.is_empty() => Ok(Token { secret, lifetime: Lifetime::Idle(IDLE_EXPIRY) }),
            _ => Err(Error::new(VENDOR.name, ErrorKind::Decode)
                .with_operation(op::LOGIN.id)
                .with_detail("login succeeded without a token")),
        }
    }

    /// Resets the PBX's idle timer of `token` (and names the event receiver again).
    async fn heartbeat(&self, token: &SecretString) -> Result<bool, Error> {
        // This one token, not the cache that is asking for it.
        let client = self.client.with_runtime(self.client.runtime().with_auth(Auth::fixed(token.clone())));
        let r = &self.receiver;
        let body = types::HeartbeatRequest::new(r.ipaddr.clone(), r.port.clone())
            .set_url(r.url.clone())
            .set_urltag(r.urltag.clone());
        client.heartbeat().body(body).send().await.map(|_| true)
    }
}

impl Authenticator for Login {
    fn fetch(&self) -> BoxFuture<'_, Result<Token, Error>> {
        Box::pin(self.login())
    }

    fn keepalive<'a>(&'a self, token: &'a SecretString) -> BoxFuture<'a, Result<bool, Error>> {
        Box::pin(self.heartbeat(token))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use confapi_mock::{MockServer, RecordedRequest, Reply};
    use serde_json::json;

    #[tokio::test]
    async fn keepalive_sends_a_heartbeat_with_the_token_and_receiver() {
        let server =
            MockServer::start(&[&VENDOR], |_: &RecordedRequest| Reply::json(200, &json!({"status": "Success"})), 0)
                .await
                .unwrap();
        let client = confapi_core::Settings { base_url: Some(server.url()), ..Default::default() }
            .client(&VENDOR, Auth::None, Vec::new())
            .unwrap();
        let login = Login {
            client,
            username: "api".into(),
            password_md5: SecretString::new("0123456789abcdef0123456789abcdef"),
            receiver: EventReceiver {
                ipaddr: "172.16.6.150".into(),
                port: "8280".into(),
                url: Some("172.16.6.150:8280".into()),
                urltag: Some("1".into()),
            },
        };
        assert!(login.keepalive(&SecretString::new("tok-1")).await.unwrap());
        let sent = &server.requests()[0];
        assert_eq!(sent.path, "/api/v0.0.1/heartbeat");
        assert_eq!(sent.query.get("token").map(String::as_str), Some("REDACTED"));
        assert_eq!(
            sent.body,
            json!({"ipaddr": "172.16.6.150", "port": "8280", "url": "172.16.6.150:8280", "urltag": "1"})
        );
    }

    #[test]
    fn digest_is_lowercase_hex_md5() {
        // md5("password") is a well-known value.
        let d = password_digest(&SecretString::new("password"));
        assert_eq!(d.expose(), "5f4dcc3b5aa765d61d8327deb882cf99");
    }
}
