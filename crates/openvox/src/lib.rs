//! Typed client for the conference API of OpenVox UC-series IPPBX.
//!
//! ## Convenience calls
//!
//! | call | what it does |
//! |---|---|
//! | [`Client::builder`] | Settings for a client of one PBX; `build()` makes it. |
//! | [`Client::query_in_session`] | Rooms with a call in progress, with their members. |
//! | [`Client::room_settings`] | Settings of one room, a list of rooms, or all. |
//! | [`Client::end_session`] | Logs out; the next call logs in again. |
//!
//! Every other operation is a generated method: see [Operations](#operations)
//! at the end of this page.
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
//! Every operation of the spec is a method of [`Client`] that returns a
//! builder; `send()` runs it and returns the operation's type or an
//! [`Error`]. A few calls read like sentences on top of those:
//!
//! ```no_run
//! # async fn run() -> Result<(), confapi_core::Error> {
//! use confapi_openvox::{types, Client};
//! let pbx = Client::builder("http://192.168.1.100:9011", "api", "secret").build()?;
//! for room in pbx.query_in_session("all").await? {
//!     println!("{:?}: {} members", room.conferencenumber, room.member.len());
//! }
//! // Any operation, as one expression:
//! let rooms = pbx.conference_query().body(types::RoomNumbers::new("6500")).send().await?;
//! println!("{} rooms configured", rooms.conferences.len());
//! # Ok(()) }
//! ```
//!
#![doc = include_str!("operations.md")]
#![warn(missing_docs)]

/// The crate's README, compiled as a doctest so its example stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod auth;
#[allow(missing_docs)]
#[rustfmt::skip]
pub mod generated;

pub use auth::{EventReceiver, IDLE_EXPIRY};
pub use confapi_core::{Error, ErrorKind, RetryPolicy, SecretString, Timeouts};
pub use generated::{types, Client};

use confapi_core::{Auth, Settings, TokenCache};
use generated::meta::VENDOR;
use std::sync::Arc;

/// Settings for a [`Client`]; start with [`Client::builder`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    settings: Settings,
    username: String,
    password: SecretString,
    receiver: EventReceiver,
}

impl ClientBuilder {
    confapi_core::settings_setters!();

    /// Where the PBX should push event reports (login and heartbeat fields).
    pub fn event_receiver(mut self, receiver: EventReceiver) -> Self {
        self.receiver = receiver;
        self
    }

    /// Builds the client. Fails only on an invalid base URL or HTTP client.
    pub fn build(self) -> Result<Client, Error> {
        let password_md5 = auth::password_digest(&self.password);
        let secrets = vec![self.password, password_md5.clone()];
        // Login and heartbeat go through a client that adds no session token.
        let session: Client = self.settings.client(&VENDOR, Auth::None, secrets.clone())?;
        let login = auth::Login { client: session, username: self.username, password_md5, receiver: self.receiver };
        let tokens = Arc::new(TokenCache::new(Arc::new(login), Default::default()));
        self.settings.client(&VENDOR, Auth::Tokens(tokens), secrets)
    }
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
            settings: Settings { base_url: Some(base_url.into()), ..Settings::default() },
            username: username.into(),
            password: password.into(),
            receiver: EventReceiver::default(),
        }
    }

    /// Rooms with a call in progress, with their members. `numbers` is one
    /// room (`"8000"`), a comma-separated list (`"6500,8000"`) or `"all"`.
    pub async fn query_in_session(&self, numbers: &str) -> Result<Vec<types::InSessionRoom>, Error> {
        let body = types::RoomNumbers::new(numbers);
        Ok(self.conference_query_in_session().body(body).send().await?.conference)
    }

    /// Settings of one room, a comma-separated list, or `"all"`.
    pub async fn room_settings(&self, numbers: &str) -> Result<Vec<types::RoomSettings>, Error> {
        let body = types::RoomNumbers::new(numbers);
        Ok(self.conference_query().body(body).send().await?.conferences)
    }

    /// Logs out; the next call logs in again.
    pub async fn end_session(&self) -> Result<(), Error> {
        self.logout().send().await?;
        self.runtime().reset_credential().await;
        Ok(())
    }
}
