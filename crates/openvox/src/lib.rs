//! Typed client for the conference API of OpenVox UC-series IPPBX.
//!
//! The PBX's HTTP API (port 9011) answers every call with HTTP 200 and puts
//! the outcome in the body's `status`; this client turns a `"Failed"` body
//! into a typed [`Error`] carrying the errno and its meaning. It logs in on
//! first use (sending the MD5 of the password, as the PBX expects), adds the
//! session token to each request, keeps the session alive across the PBX's
//! 30-minute idle expiry, logs in again once when the token has expired, and
//! never repeats a login the PBX refused on credentials (five refusals lock
//! the caller's address for ten minutes).
//!
//! ```no_run
//! # async fn run() -> Result<(), confapi_core::Error> {
//! let client = confapi_openvox::Client::builder("http://192.168.1.100:9011", "api", "secret").build()?;
//! for room in client.query_in_session("all").await? {
//!     println!("{:?}: {} members", room.conferencenumber, room.member.len());
//! }
//! # Ok(()) }
//! ```
//!
//! Every operation of the spec is also available through the generated
//! builders in [`generated`], run by [`generated::Client::call`], e.g.
//! `client.raw().call(|raw| raw.conference_query().body(body.clone()).send())`.
#![warn(missing_docs)]

mod auth;
#[allow(missing_docs)]
#[rustfmt::skip]
pub mod generated;

pub use auth::{EventReceiver, IDLE_EXPIRY};
pub use confapi_core::{Error, ErrorKind, RetryPolicy, SecretString, Timeouts};
pub use generated::types;

use confapi_core::{ClientOptions, Runtime, TokenCache};
use generated::meta::VENDOR;
use std::sync::Arc;

/// Settings for a [`Client`]; start with [`Client::builder`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    username: String,
    password: SecretString,
    options: ClientOptions,
    receiver: EventReceiver,
}

impl ClientBuilder {
    /// Time limits (connect, attempt, total); see [`Timeouts`] for defaults.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.options.timeouts = timeouts;
        self
    }

    /// Retries, off by default; see [`RetryPolicy`] for what is retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = policy;
        self
    }

    /// Where the PBX should push event reports (login and heartbeat fields).
    pub fn event_receiver(mut self, receiver: EventReceiver) -> Self {
        self.receiver = receiver;
        self
    }

    /// Builds the client. Fails only on an invalid base URL.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = confapi_core::base_url(VENDOR.name, &self.base_url)?;
        let http = self.options.http_client(VENDOR.name)?;
        let password_md5 = auth::password_digest(&self.password);
        let login = auth::Login {
            base_url: base_url.clone(),
            http: http.clone(),
            username: self.username,
            password_md5: password_md5.clone(),
            receiver: self.receiver,
        };
        let tokens = Arc::new(TokenCache::new(Arc::new(login), Default::default()));
        let runtime = self
            .options
            .apply(Runtime::with_tokens(&VENDOR, tokens.clone()).scrubbing(self.password).scrubbing(password_md5));
        Ok(Client { raw: generated::Client::new_with_client(&base_url, http, runtime), tokens })
    }
}

/// An OpenVox IPPBX client. Cheap to clone; clones share the session.
#[derive(Debug, Clone)]
pub struct Client {
    raw: generated::Client,
    tokens: Arc<TokenCache>,
}

impl Client {
    /// Settings for a client of the PBX at `base_url` (e.g.
    /// `http://192.168.1.100:9011`), logging in as `username`.
    pub fn builder(
        base_url: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<SecretString>,
    ) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            username: username.into(),
            password: password.into(),
            options: ClientOptions::default(),
            receiver: EventReceiver::default(),
        }
    }

    /// The generated client, for operations without a convenience method.
    pub fn raw(&self) -> &generated::Client {
        &self.raw
    }

    /// How many logins this client has performed (useful in tests).
    pub fn login_count(&self) -> u64 {
        self.tokens.fetch_count()
    }

    /// Rooms with a call in progress, with their members. `numbers` is one
    /// room (`"8000"`), a comma-separated list (`"6500,8000"`) or `"all"`.
    pub async fn query_in_session(&self, numbers: &str) -> Result<Vec<types::InSessionRoom>, Error> {
        let body = types::RoomNumbers { number: numbers.to_owned(), extra: Default::default() };
        self.raw
            .call_operation("conference_query_in_session", |raw| {
                raw.conference_query_in_session().body(body.clone()).send()
            })
            .await
            .map(|r| r.conference)
    }

    /// Settings of one room, a comma-separated list, or `"all"`.
    pub async fn room_settings(&self, numbers: &str) -> Result<Vec<types::RoomSettings>, Error> {
        let body = types::RoomNumbers { number: numbers.to_owned(), extra: Default::default() };
        self.raw
            .call_operation("conference_query", |raw| raw.conference_query().body(body.clone()).send())
            .await
            .map(|r| r.conferences)
    }

    /// Ends the session; the next call logs in again.
    pub async fn logout(&self) -> Result<(), Error> {
        self.raw.call_operation("logout", |raw| raw.logout().send()).await?;
        self.tokens.reset().await;
        Ok(())
    }
}
