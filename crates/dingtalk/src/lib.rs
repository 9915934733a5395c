//! Typed client for DingTalk's video conference API (`conference_1.0`).
//!
//! ## Convenience calls
//!
//! | call | what it does |
//! |---|---|
//! | [`Client::builder`] | Settings for a client; add app credentials, then `build()`. |
//! | [`Client::conference`] | Information about one conference. |
//! | [`Client::create_conference`] | Starts an instant conference. |
//! | [`Client::close_conference`] | Closes a conference; only its host may. |
//! | [`Client::org_conferences`] | Every conference in progress in the organisation, as a stream. |
//! | [`Client::members`] | Every member of a conference, as a stream. |
//! | [`Client::conferences_by_room_code`] | Every conference behind a meeting number, as a stream. |
//! | [`Client::member_details`] | Members with their devices and network quality, as a stream. |
//! | [`Client::history`] | Statistics of the conferences held between two times, as a stream. |
//! | [`Client::schedule_history`] | Conferences held for a scheduled conference, as a stream. |
//! | [`Client::minutes_text`] | The flash-minutes transcript of a conference, as a stream. |
//!
//! Every other operation is a generated method: see [Operations](#operations)
//! at the end of this page.
//!
//! All 52 conference operations and the two app-token calls are generated
//! from `specs/dingtalk.yaml`; this crate adds the access-token dance and a
//! few calls that read like sentences. DingTalk fails with HTTP 4xx/5xx and
//! `{"code","message","requestid"}`, which becomes a typed [`Error`] with
//! the code, message, HTTP status and request id.
//!
//! The client fetches an access token on first use, caches it for its
//! `expireIn` less a safety margin (and at least a minute, so a zero or
//! missing `expireIn` cannot cause a request storm), lets concurrent calls
//! share one fetch, and on `InvalidAuthentication` fetches a new token once
//! and retries the call once. Credentials the token call rejects are never
//! retried.
//!
//! Every operation of the spec is a method of [`Client`] that returns a
//! builder; `send()` runs it, and every `nextToken` listing also has
//! `stream()`. The calls below read like sentences on top of those.
//!
//! ```no_run
//! use futures::StreamExt;
//! # async fn run() -> Result<(), confapi_core::Error> {
//! let dingtalk = confapi_dingtalk::Client::builder().app_credentials("dingappkey", "app-secret").build()?;
//! let info = dingtalk.conference("6449d8a6414c0000001464af9f0").await?;
//! println!("{:?} has {:?} people in it", info.title, info.active_num);
//! let mut live = std::pin::pin!(dingtalk.org_conferences(50));
//! while let Some(conference) = live.next().await {
//!     println!("{:?}", conference?.title);
//! }
//! # Ok(()) }
//! ```
//!
//! ## Request bodies
//!
//! A body is built with `new`, which takes what the API requires, and a
//! setter per optional field, each taking anything that converts
//! (`&str` for a `String`, an array for a `Vec`). Every generated type is
//! `#[non_exhaustive]`, so code written this way keeps compiling when
//! DingTalk documents a new optional field.
//!
//! ```no_run
//! # async fn run(dingtalk: confapi_dingtalk::Client) -> Result<(), confapi_core::Error> {
//! use confapi_dingtalk::types::{MuteMembersRequest, UserRef};
//! let body = MuteMembersRequest::new("mute", [UserRef::new("qzR1iSMDvzR9iP7P")]);
//! dingtalk.mute_members().conference_id("6449d8a6414c0000001464af9f0").body(body).send().await?;
//! # Ok(()) }
//! ```
//!
//! Leaving out a required field does not compile (`userList` here):
//!
//! ```compile_fail
//! let body = confapi_dingtalk::types::MuteMembersRequest::new("mute");
//! ```
//!
//! Nor does a struct literal, which a new field would break:
//!
//! ```compile_fail
//! let member = confapi_dingtalk::types::UserRef { union_id: "u".into(), participant_id: None, extra: Default::default() };
//! ```
//!
//! The lenient scalars the fields use are re-exported from [`types`] and
//! compare with plain values:
//!
//! ```
//! use confapi_dingtalk::types::LenientInt;
//! let sent_as_text: LenientInt = serde_json::from_str(r#""2""#).unwrap();
//! assert!(sent_as_text == 2);
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

pub use confapi_core::{Error, ErrorKind, RefreshPolicy, RetryPolicy, SecretString, Timeouts};
pub use generated::{types, Client};

use auth::{AppCredentials, AppToken};
use confapi_core::Stream;
use confapi_core::{Auth, Authenticator, Settings, TokenCache};
use generated::meta::{op, VENDOR};
use std::sync::Arc;

#[derive(Clone)]
enum Credentials {
    App(AppCredentials),
    Source(Arc<dyn Authenticator>),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::App(app) => app.fmt(f),
            Credentials::Source(_) => f.write_str("Source(..)"),
        }
    }
}

/// Settings for a [`Client`]; start with [`Client::builder`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    settings: Settings,
    credentials: Option<Credentials>,
    refresh: RefreshPolicy,
}

impl ClientBuilder {
    confapi_core::settings_setters!();

    /// An internal app's `appKey` and `appSecret`.
    pub fn app_credentials(mut self, app_key: impl Into<String>, app_secret: impl Into<SecretString>) -> Self {
        self.settings.rate_profile = "default";
        self.credentials =
            Some(Credentials::App(AppCredentials::Internal { app_key: app_key.into(), app_secret: app_secret.into() }));
        self
    }

    /// A third-party app's suite credentials for the organisation
    /// `auth_corp_id`. The client then keeps to the third-party rate limit
    /// (40 calls per second per API) instead of an internal app's 20.
    pub fn third_party_credentials(
        mut self,
        auth_corp_id: impl Into<String>,
        suite_key: impl Into<String>,
        suite_secret: impl Into<SecretString>,
        suite_ticket: impl Into<SecretString>,
    ) -> Self {
        self.settings.rate_profile = "third-party";
        self.credentials = Some(Credentials::App(AppCredentials::ThirdParty {
            auth_corp_id: auth_corp_id.into(),
            suite_key: suite_key.into(),
            suite_secret: suite_secret.into(),
            suite_ticket: suite_ticket.into(),
        }));
        self
    }

    /// Access tokens from `source` instead (a vault, another service).
    pub fn token_source(mut self, source: Arc<dyn Authenticator>) -> Self {
        self.credentials = Some(Credentials::Source(source));
        self
    }

    /// When to refresh ahead of expiry (default: 5 minutes before, and never
    /// keep a token for less than 60 seconds).
    pub fn refresh_policy(mut self, refresh: RefreshPolicy) -> Self {
        self.refresh = refresh;
        self
    }

    /// Builds the client. Fails on an invalid base URL or missing credentials.
    pub fn build(self) -> Result<Client, Error> {
        let (source, secrets): (Arc<dyn Authenticator>, Vec<SecretString>) = match self.credentials {
            None => {
                return Err(Error::new(VENDOR.name, ErrorKind::Config).with_detail(
                    "no credentials: call app_credentials(), third_party_credentials() or token_source()",
                ))
            }
            Some(Credentials::Source(source)) => (source, Vec::new()),
            Some(Credentials::App(credentials)) => {
                let secrets = credentials.secrets();
                // The token calls go through a client that sends no token.
                let client: Client = self.settings.client(&VENDOR, Auth::None, secrets.clone())?;
                (Arc::new(AppToken { client, credentials }), secrets)
            }
        };
        let tokens = Arc::new(TokenCache::new(source, self.refresh));
        self.settings.client(&VENDOR, Auth::Tokens(tokens), secrets)
    }
}

impl Client {
    /// Settings for a client of `api.dingtalk.com`; add credentials.
    pub fn builder() -> ClientBuilder {
        ClientBuilder { settings: Settings::default(), credentials: None, refresh: RefreshPolicy::default() }
    }

    /// Information about one conference.
    pub async fn conference(&self, conference_id: &str) -> Result<types::ConfInfo, Error> {
        let response = self.query_conference_info().conference_id(conference_id).send().await?;
        response.conf_info.ok_or_else(|| {
            Error::new(VENDOR.name, ErrorKind::Decode)
                .with_operation(op::QUERY_CONFERENCE_INFO.id)
                .with_detail("success without confInfo")
        })
    }

    /// Starts an instant conference organised by `organiser_union_id`.
    pub async fn create_conference(
        &self,
        organiser_union_id: &str,
        title: &str,
        invitee_union_ids: &[String],
    ) -> Result<types::CreateVideoConferenceResponse, Error> {
        let body =
            types::CreateVideoConferenceRequest::new(title, organiser_union_id).invite_user_ids(invitee_union_ids);
        self.create_video_conference().body(body).send().await
    }

    /// Closes a conference; only its host may.
    pub async fn close_conference(
        &self,
        conference_id: &str,
        host_union_id: &str,
    ) -> Result<types::CloseVideoConferenceResponse, Error> {
        self.close_video_conference().conference_id(conference_id).union_id(host_union_id).send().await
    }

    /// Every conference in progress in the organisation, `page_size` per request.
    pub fn org_conferences(&self, page_size: i32) -> impl Stream<Item = Result<types::ConferenceSummary, Error>> + '_ {
        self.query_org_conference_list().max_results(page_size).stream()
    }

    /// Every member of a conference, `page_size` per request.
    pub fn members<'a>(
        &'a self,
        conference_id: &'a str,
        page_size: i32,
    ) -> impl Stream<Item = Result<types::MemberModel, Error>> + 'a {
        self.query_conference_members().conference_id(conference_id).max_results(page_size).stream()
    }

    /// Every conference behind a meeting number, `page_size` per request.
    pub fn conferences_by_room_code<'a>(
        &'a self,
        room_code: &'a str,
        page_size: i32,
    ) -> impl Stream<Item = Result<types::ConferenceSummary, Error>> + 'a {
        self.query_conference_info_by_room_code().room_code(room_code).max_results(page_size).stream()
    }

    /// Members of a conference with their devices and network quality, `page_size` per request.
    pub fn member_details<'a>(
        &'a self,
        conference_id: &'a str,
        page_size: i32,
    ) -> impl Stream<Item = Result<types::ConfDetailMember, Error>> + 'a {
        self.get_conf_detail_data().conference_id(conference_id).max_results(page_size).stream()
    }

    /// Statistics of the conferences held between two times (epoch
    /// milliseconds), `page_size` per request.
    pub fn history(
        &self,
        start_ms: i64,
        end_ms: i64,
        page_size: i32,
    ) -> impl Stream<Item = Result<types::HistoryConference, Error>> + '_ {
        self.get_history_conf_data_list()
            .start_time(start_ms)
            .end_time(end_ms)
            .real_data(true)
            .max_results(page_size)
            .stream()
    }

    /// Conferences held for a scheduled conference, `page_size` per request.
    pub fn schedule_history<'a>(
        &'a self,
        schedule_conference_id: &'a str,
        page_size: i32,
    ) -> impl Stream<Item = Result<types::ConferenceSummary, Error>> + 'a {
        self.query_schedule_conference_info()
            .schedule_conference_id(schedule_conference_id)
            .max_results(page_size)
            .stream()
    }

    /// The flash-minutes transcript of a conference, `page_size` paragraphs
    /// per request; `direction` is `"0"` or `"1"` as the API defines it.
    pub fn minutes_text<'a>(
        &'a self,
        conference_id: &'a str,
        direction: &'a str,
        page_size: i32,
    ) -> impl Stream<Item = Result<types::Paragraph, Error>> + 'a {
        self.query_minutes_text().conference_id(conference_id).direction(direction).max_results(page_size).stream()
    }
}
