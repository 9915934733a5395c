//! Typed client for the Quanshi (G-Net 全时) cloud meeting API (`confopenapi`).
//!
//! ## Convenience calls
//!
//! | call | what it does |
//! |---|---|
//! | [`Client::builder`] | Settings for a client of the production host; add credentials, then `build()`. |
//! | [`Client::live_conferences`] | Every meeting running now, as a stream. |
//! | [`Client::live_conferences_page`] | One page of the meetings running now. |
//! | [`Client::attendees`] | Every terminal connected to a running meeting, as a stream. |
//! | [`Client::meeting`] | Details of a meeting, by event id or host password. |
//! | [`Client::conference_statuses`] | Latest status of meetings by event id. |
//! | [`Client::dashboard_conference`] | One meeting with its terminal counts, by temporary conference id. |
//!
//! Every other operation is a generated method: see [Operations](#operations)
//! at the end of this page.
//!
//! Quanshi answers every call with HTTP 200 and an envelope whose integer
//! `status` is 0 on success; anything else becomes a typed [`Error`] with
//! the code, the `msg` and the request id. The convenience methods return
//! the payload (`result`), not the envelope, and the two paged lists come
//! as streams that always end.
//!
//! The API token is issued out of band: give it to the builder, or give a
//! [`confapi_core::Authenticator`] that fetches and rotates it. The account
//! calls also accept signed headers (AppKey and AppSecret).
//!
//! Every operation of the spec is a method of [`Client`] that returns a
//! builder; `send()` runs it, and the paged lists also have `stream()`.
//!
//! ```no_run
//! use futures::StreamExt;
//! # async fn run() -> Result<(), confapi_core::Error> {
//! let quanshi = confapi_quanshi::Client::builder().token("api-token").build()?;
//! let mut live = std::pin::pin!(quanshi.live_conferences(50));
//! while let Some(conference) = live.next().await {
//!     let conference = conference?;
//!     println!("{:?} {:?}", conference.conference_id, conference.title);
//! }
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

pub use confapi_core::{Error, ErrorKind, RetryPolicy, SecretString, Timeouts};
pub use generated::{types, Client};

use confapi_core::Stream;
use confapi_core::{Auth, Authenticator, RefreshPolicy, Settings, StaticToken, TokenCache};
use generated::meta::{op, VENDOR};
use std::sync::Arc;

/// How the client proves who it is.
#[derive(Clone)]
enum Credentials {
    Token(Arc<dyn Authenticator>),
    Signed { app_key: String, app_secret: SecretString },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Token(_) => f.write_str("Token([REDACTED])"),
            Credentials::Signed { app_key, .. } => {
                write!(f, "Signed {{ app_key: {app_key:?}, app_secret: [REDACTED] }}")
            }
        }
    }
}

/// Settings for a [`Client`]; start with [`Client::builder`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    settings: Settings,
    credentials: Option<Credentials>,
}

impl ClientBuilder {
    confapi_core::settings_setters!();

    /// Sends this API token in the `token` header of every call.
    pub fn token(mut self, token: impl Into<SecretString>) -> Self {
        self.credentials = Some(Credentials::Token(Arc::new(StaticToken(token.into()))));
        self
    }

    /// Obtains the token from `source` (for rotation); it is asked again
    /// when its token's lifetime runs out.
    pub fn token_source(mut self, source: Arc<dyn Authenticator>) -> Self {
        self.credentials = Some(Credentials::Token(source));
        self
    }

    /// Signs every call with AppKey and AppSecret instead of a token
    /// (accepted by the account calls).
    pub fn signed(mut self, app_key: impl Into<String>, app_secret: impl Into<SecretString>) -> Self {
        self.credentials = Some(Credentials::Signed { app_key: app_key.into(), app_secret: app_secret.into() });
        self
    }

    /// Builds the client. Fails on an invalid base URL, missing
    /// credentials, or an AppKey that cannot be sent.
    pub fn build(self) -> Result<Client, Error> {
        let (auth, secrets) = match self.credentials {
            None => {
                return Err(Error::new(VENDOR.name, ErrorKind::Config)
                    .with_detail("no credentials: call token(), token_source() or signed()"))
            }
            Some(Credentials::Token(source)) => {
                (Auth::Tokens(Arc::new(TokenCache::new(source, RefreshPolicy::default()))), Vec::new())
            }
            Some(Credentials::Signed { app_key, app_secret }) => {
                let signer = auth::SignedHeaders::new(&app_key, app_secret.clone())?;
                (Auth::Signer(Arc::new(signer)), vec![app_secret])
            }
        };
        self.settings.client(&VENDOR, auth, secrets)
    }
}

/// Which meeting to read: by host password or by event id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingRef {
    /// The event id (`eventId`).
    EventId(i64),
    /// The host password (`pcode`).
    HostPassword(String),
}

impl Client {
    /// Settings for a client of the production host; add credentials.
    pub fn builder() -> ClientBuilder {
        ClientBuilder { settings: Settings::default(), credentials: None }
    }

    fn live_request(page: Option<i32>, count: i32) -> types::ListByStatusRequest {
        types::ListByStatusRequest::new().set_page(page).count(count)
    }

    /// One page of the meetings running now (`page` from 1).
    pub async fn live_conferences_page(&self, page: i32, count: i32) -> Result<types::LiveConferencePage, Error> {
        let response = self.conference_listbystatus().body(Self::live_request(Some(page), count)).send().await?;
        // No page at all reads as an empty one: every field is optional, so
        // `{}` is one (the type is non-exhaustive outside its own crate).
        Ok(response.result.unwrap_or_else(|| {
            serde_json::from_value(serde_json::Value::Object(Default::default()))
                .expect("every field of LiveConferencePage is optional")
        }))
    }

    /// Every meeting running now, `page_size` per request.
    pub fn live_conferences(&self, page_size: i32) -> impl Stream<Item = Result<types::LiveConference, Error>> + '_ {
        self.conference_listbystatus().body(Self::live_request(None, page_size)).stream()
    }

    /// Every terminal connected to a running meeting, `page_size` per request.
    pub fn attendees(&self, event_id: i64, page_size: i32) -> impl Stream<Item = Result<types::Attendee, Error>> + '_ {
        let body = types::AttendeeListRequest::new(event_id).count(page_size);
        self.conference_attendee_list().body(body).stream()
    }

    /// Details of a meeting; the server may answer with one or several.
    pub async fn meeting(&self, which: MeetingRef, host_user_id: Option<i64>) -> Result<Vec<types::Meeting>, Error> {
        let (event_id, pcode) = match which {
            MeetingRef::EventId(id) => (Some(id), None),
            MeetingRef::HostPassword(p) => (None, Some(p)),
        };
        let body = types::InfosRequest::new().set_event_id(event_id).set_pcode(pcode).set_user_id(host_user_id);
        let response = self.room_conference_infos().body(body).send().await?;
        Ok(response.result.map(|r| r.into_vec()).unwrap_or_default())
    }

    /// Latest status of meetings by event id.
    pub async fn conference_statuses(&self, event_ids: &[i64]) -> Result<Vec<types::ConferenceStatus>, Error> {
        let body = types::GetStatusRequest::new().event_ids(event_ids);
        let response = self.conference_get_status().body(body).send().await?;
        Ok(response.result.and_then(|r| r.conferences).unwrap_or_default())
    }

    /// One meeting with its terminal counts, by temporary conference id.
    pub async fn dashboard_conference(&self, temp_conference_id: &str) -> Result<types::DashboardConference, Error> {
        let body = types::DashboardInfoRequest::new(temp_conference_id);
        let response = self.admin_dashboard_conference_info().body(body).send().await?;
        response.result.ok_or_else(|| {
            Error::new(VENDOR.name, ErrorKind::Decode)
                .with_operation(op::ADMIN_DASHBOARD_CONFERENCE_INFO.id)
                .with_detail("success without a result")
        })
    }
}
