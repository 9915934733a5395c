//! Typed client for DingTalk's video conference API (`conference_1.0`).
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
//! ```no_run
//! use futures::StreamExt;
//! # async fn run() -> Result<(), confapi_core::Error> {
//! let dingtalk = confapi_dingtalk::Client::builder().app_credentials("dingappkey", "app-secret").build()?;
//! let info = dingtalk.conference("6323d7568777190142ab9d10").await?;
//! println!("{:?} has {:?} people in it", info.title, info.active_num);
//! let mut live = std::pin::pin!(dingtalk.org_conferences(50));
//! while let Some(conference) = live.next().await {
//!     println!("{:?}", conference?.title);
//! }
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod auth;
#[allow(missing_docs)]
#[rustfmt::skip]
pub mod generated;

pub use confapi_core::{Error, ErrorKind, RefreshPolicy, RetryPolicy, SecretString, Timeouts};
pub use generated::types;

use auth::{AppCredentials, AppToken};
use confapi_core::{paginate, Authenticator, ClientOptions, Page, Runtime, TokenCache};
use futures::Stream;
use generated::meta::VENDOR;
use std::sync::Arc;

/// Adds `.next_token(..)` to a generated builder when there is a cursor
/// (the builders take a value, not an `Option`).
macro_rules! with_cursor {
    ($builder:expr, $token:expr) => {
        match $token {
            Some(t) => $builder.next_token(t.clone()),
            None => $builder,
        }
    };
}

/// DingTalk's API host.
pub const DEFAULT_BASE_URL: &str = "https://api.dingtalk.com";

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
    base_url: String,
    credentials: Option<Credentials>,
    options: ClientOptions,
    refresh: RefreshPolicy,
}

impl ClientBuilder {
    /// Another API host (a test server, a proxy).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// An internal app's `appKey` and `appSecret`.
    pub fn app_credentials(mut self, app_key: impl Into<String>, app_secret: impl Into<SecretString>) -> Self {
        self.credentials =
            Some(Credentials::App(AppCredentials::Internal { app_key: app_key.into(), app_secret: app_secret.into() }));
        self
    }

    /// A third-party app's suite credentials for the organisation `auth_corp_id`.
    pub fn third_party_credentials(
        mut self,
        auth_corp_id: impl Into<String>,
        suite_key: impl Into<String>,
        suite_secret: impl Into<SecretString>,
        suite_ticket: impl Into<SecretString>,
    ) -> Self {
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

    /// When to refresh ahead of expiry (default: 5 minutes before, and never
    /// keep a token for less than 60 seconds).
    pub fn refresh_policy(mut self, refresh: RefreshPolicy) -> Self {
        self.refresh = refresh;
        self
    }

    /// Builds the client. Fails on an invalid base URL or missing credentials.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = confapi_core::base_url(VENDOR.name, &self.base_url)?;
        let http = self.options.http_client(VENDOR.name)?;
        let (source, secrets): (Arc<dyn Authenticator>, Vec<SecretString>) = match self.credentials {
            None => {
                return Err(Error::new(VENDOR.name, ErrorKind::Config).with_detail(
                    "no credentials: call app_credentials(), third_party_credentials() or token_source()",
                ))
            }
            Some(Credentials::Source(source)) => (source, Vec::new()),
            Some(Credentials::App(credentials)) => {
                let secrets = credentials.secrets();
                let anonymous = secrets.iter().fold(Runtime::anonymous(&VENDOR), |rt, s| rt.scrubbing(s.clone()));
                let raw = generated::Client::new_with_client(&base_url, http.clone(), anonymous);
                (Arc::new(AppToken { raw, credentials }), secrets)
            }
        };
        let tokens = Arc::new(TokenCache::new(source, self.refresh));
        let runtime = self
            .options
            .apply(secrets.into_iter().fold(Runtime::with_tokens(&VENDOR, tokens.clone()), |rt, s| rt.scrubbing(s)));
        Ok(Client { raw: generated::Client::new_with_client(&base_url, http, runtime), tokens })
    }
}

/// A DingTalk client. Cheap to clone; clones share the token cache.
#[derive(Debug, Clone)]
pub struct Client {
    raw: generated::Client,
    tokens: Arc<TokenCache>,
}

impl Client {
    /// Settings for a client of `api.dingtalk.com`; add credentials.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.into(),
            credentials: None,
            options: ClientOptions::default(),
            refresh: RefreshPolicy::default(),
        }
    }

    /// The generated client, for every operation of the spec through
    /// [`generated::Client::call`].
    pub fn raw(&self) -> &generated::Client {
        &self.raw
    }

    /// How many access tokens this client has fetched.
    pub fn token_fetches(&self) -> u64 {
        self.tokens.fetch_count()
    }

    /// Information about one conference.
    pub async fn conference(&self, conference_id: &str) -> Result<types::ConfInfo, Error> {
        let response = self
            .raw
            .call_operation("query_conference_info", |raw| {
                raw.query_conference_info().conference_id(conference_id).send()
            })
            .await?;
        response.conf_info.ok_or_else(|| {
            Error::new(VENDOR.name, ErrorKind::Decode)
                .with_operation("query_conference_info")
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
        let body = types::CreateVideoConferenceRequest {
            user_id: organiser_union_id.to_owned(),
            conf_title: title.to_owned(),
            invite_user_ids: Some(invitee_union_ids.to_vec()),
            invite_caller: None,
            extra: Default::default(),
        };
        self.raw
            .call_operation("create_video_conference", |raw| raw.create_video_conference().body(body.clone()).send())
            .await
    }

    /// Closes a conference; only its host may.
    pub async fn close_conference(
        &self,
        conference_id: &str,
        host_union_id: &str,
    ) -> Result<types::CloseVideoConferenceResponse, Error> {
        self.raw
            .call_operation("close_video_conference", |raw| {
                raw.close_video_conference().conference_id(conference_id).union_id(host_union_id).send()
            })
            .await
    }

    /// Every conference in progress in the organisation, `page_size` per request.
    pub fn org_conferences(&self, page_size: i32) -> impl Stream<Item = Result<types::ConferenceSummary, Error>> + '_ {
        paginate(None, move |token: Option<String>| async move {
            let r = self
                .raw
                .call_operation("query_org_conference_list", |raw| {
                    with_cursor!(raw.query_org_conference_list().max_results(page_size), &token).send()
                })
                .await?;
            Ok(next_token_page(r.on_going_conf_list, r.next_token, r.has_more))
        })
    }

    /// Every member of a conference, `page_size` per request.
    pub fn members<'a>(
        &'a self,
        conference_id: &'a str,
        page_size: i32,
    ) -> impl Stream<Item = Result<types::MemberModel, Error>> + 'a {
        paginate(None, move |token: Option<String>| async move {
            let r = self
                .raw
                .call_operation("query_conference_members", |raw| {
                    with_cursor!(
                        raw.query_conference_members().conference_id(conference_id).max_results(page_size),
                        &token
                    )
                    .send()
                })
                .await?;
            Ok(next_token_page(r.member_models, r.next_token, None))
        })
    }

    /// Every conference behind a meeting number, `page_size` per request.
    pub fn conferences_by_room_code<'a>(
        &'a self,
        room_code: &'a str,
        page_size: i32,
    ) -> impl Stream<Item = Result<types::ConferenceSummary, Error>> + 'a {
        paginate(None, move |token: Option<String>| async move {
            let r = self
                .raw
                .call_operation("query_conference_info_by_room_code", |raw| {
                    with_cursor!(
                        raw.query_conference_info_by_room_code().room_code(room_code).max_results(page_size),
                        &token
                    )
                    .send()
                })
                .await?;
            Ok(next_token_page(r.conference_list, r.next_token, r.has_more))
        })
    }
}

impl Client {
    /// Members of a conference with their devices and network quality, `page_size` per request.
    pub fn member_details<'a>(
        &'a self,
        conference_id: &'a str,
        page_size: i32,
    ) -> impl Stream<Item = Result<types::ConfDetailMember, Error>> + 'a {
        paginate(None, move |token: Option<String>| async move {
            let r = self
                .raw
                .call_operation("get_conf_detail_data", |raw| {
                    with_cursor!(raw.get_conf_detail_data().conference_id(conference_id).max_results(page_size), &token)
                        .send()
                })
                .await?;
            Ok(next_token_page(r.list, r.next_token, None))
        })
    }

    /// Statistics of the conferences held between two times (epoch
    /// milliseconds), `page_size` per request.
    pub fn history(
        &self,
        start_ms: i64,
        end_ms: i64,
        page_size: i32,
    ) -> impl Stream<Item = Result<types::HistoryConference, Error>> + '_ {
        paginate(None, move |token: Option<String>| async move {
            let r = self
                .raw
                .call_operation("get_history_conf_data_list", |raw| {
                    let b = raw
                        .get_history_conf_data_list()
                        .start_time(start_ms)
                        .end_time(end_ms)
                        .real_data(true)
                        .max_results(page_size);
                    with_cursor!(b, &token).send()
                })
                .await?;
            Ok(next_token_page(r.list, r.next_token, None))
        })
    }

    /// Conferences held for a scheduled conference, `page_size` per request.
    pub fn schedule_history<'a>(
        &'a self,
        schedule_conference_id: &'a str,
        page_size: i32,
    ) -> impl Stream<Item = Result<types::ConferenceSummary, Error>> + 'a {
        paginate(None, move |token: Option<String>| async move {
            let r = self
                .raw
                .call_operation("query_schedule_conference_info", |raw| {
                    let b = raw
                        .query_schedule_conference_info()
                        .schedule_conference_id(schedule_conference_id)
                        .max_results(page_size);
                    with_cursor!(b, &token).send()
                })
                .await?;
            Ok(next_token_page(r.conference_list, r.next_token, None))
        })
    }

    /// The flash-minutes transcript of a conference, `page_size` paragraphs
    /// per request; `direction` is `"0"` or `"1"` as the API defines it.
    pub fn minutes_text<'a>(
        &'a self,
        conference_id: &'a str,
        direction: &'a str,
        page_size: i64,
    ) -> impl Stream<Item = Result<types::Paragraph, Error>> + 'a {
        paginate(None, move |token: Option<String>| async move {
            let r = self
                .raw
                .call_operation("query_minutes_text", |raw| {
                    let b = raw
                        .query_minutes_text()
                        .conference_id(conference_id)
                        .direction(direction)
                        .max_results(page_size);
                    with_cursor!(b, &token).send()
                })
                .await?;
            Ok(next_token_page(r.paragraph_list, r.next_token, r.has_more))
        })
    }
}

/// A page of a `nextToken` listing: the next cursor is the token, unless it
/// is absent or empty or the server says there is no more.
fn next_token_page<T>(items: Option<Vec<T>>, token: Option<String>, has_more: Option<bool>) -> Page<T, Option<String>> {
    let next = token.filter(|t| !t.is_empty() && has_more != Some(false)).map(Some);
    Page { items: items.unwrap_or_default(), next }
}
