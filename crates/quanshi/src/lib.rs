//! Typed client for the Quanshi (G-Net 全时) cloud meeting API (`confopenapi`).
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
#![warn(missing_docs)]

mod auth;
#[allow(missing_docs)]
#[rustfmt::skip]
pub mod generated;

pub use confapi_core::{Error, ErrorKind, RetryPolicy, SecretString, Timeouts};
pub use generated::types;

use confapi_core::{paginate, Authenticator, ClientOptions, Page, RefreshPolicy, Runtime, StaticToken, TokenCache};
use futures::Stream;
use generated::meta::VENDOR;
use std::sync::Arc;

/// Quanshi's production API host.
pub const DEFAULT_BASE_URL: &str = "https://openapi.quanshi.com";

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
    base_url: String,
    credentials: Option<Credentials>,
    options: ClientOptions,
}

impl ClientBuilder {
    /// Another API host (a test server, a private deployment).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

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

    /// Builds the client. Fails on an invalid base URL or missing credentials.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = confapi_core::base_url(VENDOR.name, &self.base_url)?;
        let runtime = match self.credentials {
            None => {
                return Err(Error::new(VENDOR.name, ErrorKind::Config)
                    .with_detail("no credentials: call token(), token_source() or signed()"))
            }
            Some(Credentials::Token(source)) => {
                Runtime::with_tokens(&VENDOR, Arc::new(TokenCache::new(source, RefreshPolicy::default())))
            }
            Some(Credentials::Signed { app_key, app_secret }) => {
                let secret = app_secret.clone();
                Runtime::with_signer(&VENDOR, Arc::new(auth::SignedHeaders { app_key, app_secret })).scrubbing(secret)
            }
        };
        let http = self.options.http_client(VENDOR.name)?;
        let runtime = self.options.apply(runtime);
        Ok(Client { raw: generated::Client::new_with_client(&base_url, http, runtime) })
    }
}

/// A Quanshi client. Cheap to clone; clones share the credential cache.
#[derive(Debug, Clone)]
pub struct Client {
    raw: generated::Client,
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
        ClientBuilder { base_url: DEFAULT_BASE_URL.into(), credentials: None, options: ClientOptions::default() }
    }

    /// The generated client, for every operation of the spec through
    /// [`generated::Client::call`].
    pub fn raw(&self) -> &generated::Client {
        &self.raw
    }

    /// One page of the meetings running now (`page` from 1).
    pub async fn live_conferences_page(&self, page: i32, count: i32) -> Result<types::LiveConferencePage, Error> {
        let body = types::ListByStatusRequest {
            page: Some(page),
            count: Some(count),
            admin_user_id: None,
            filter_one_attendee: None,
            extra: Default::default(),
        };
        let response = self
            .raw
            .call_operation("conference_listbystatus", |raw| raw.conference_listbystatus().body(body.clone()).send())
            .await?;
        Ok(response.result.unwrap_or_else(|| types::LiveConferencePage {
            conf_list: None,
            total_count: None,
            extra: Default::default(),
        }))
    }

    /// Every meeting running now, `page_size` per request. Ends on an empty
    /// page, at `totalCount`, or when the server repeats a page.
    pub fn live_conferences(&self, page_size: i32) -> impl Stream<Item = Result<types::LiveConference, Error>> + '_ {
        paginate(PageCursor::FIRST, move |at| async move {
            let p = self.live_conferences_page(at.page, page_size).await?;
            Ok(at.next(p.conf_list.unwrap_or_default(), p.total_count))
        })
    }

    /// One page of the terminals connected to a running meeting.
    pub async fn attendees_page(&self, event_id: i64, page: i32, count: i32) -> Result<types::AttendeePage, Error> {
        let body =
            types::AttendeeListRequest { event_id, page: Some(page), count: Some(count), extra: Default::default() };
        let response = self
            .raw
            .call_operation("conference_attendee_list", |raw| raw.conference_attendee_list().body(body.clone()).send())
            .await?;
        Ok(response.result.unwrap_or_else(|| types::AttendeePage {
            list: None,
            total_count: None,
            extra: Default::default(),
        }))
    }

    /// Every terminal connected to a running meeting, `page_size` per request.
    pub fn attendees(&self, event_id: i64, page_size: i32) -> impl Stream<Item = Result<types::Attendee, Error>> + '_ {
        paginate(PageCursor::FIRST, move |at| async move {
            let p = self.attendees_page(event_id, at.page, page_size).await?;
            Ok(at.next(p.list.unwrap_or_default(), p.total_count))
        })
    }

    /// Details of a meeting; the server may answer with one or several.
    pub async fn meeting(&self, which: MeetingRef, host_user_id: Option<i64>) -> Result<Vec<types::Meeting>, Error> {
        let (event_id, pcode) = match which {
            MeetingRef::EventId(id) => (Some(id), None),
            MeetingRef::HostPassword(p) => (None, Some(p)),
        };
        let body = types::InfosRequest { event_id, pcode, user_id: host_user_id, extra: Default::default() };
        let response = self
            .raw
            .call_operation("room_conference_infos", |raw| raw.room_conference_infos().body(body.clone()).send())
            .await?;
        Ok(response.result.map(|r| r.into_vec()).unwrap_or_default())
    }

    /// Latest status of meetings by event id.
    pub async fn conference_statuses(&self, event_ids: &[i64]) -> Result<Vec<types::ConferenceStatus>, Error> {
        let body = types::GetStatusRequest {
            event_ids: event_ids.to_vec(),
            conference_ids: Vec::new(),
            user_id: None,
            extra: Default::default(),
        };
        let response = self
            .raw
            .call_operation("conference_get_status", |raw| raw.conference_get_status().body(body.clone()).send())
            .await?;
        Ok(response.result.and_then(|r| r.conferences).unwrap_or_default())
    }

    /// One meeting with its terminal counts, by temporary conference id.
    pub async fn dashboard_conference(&self, temp_conference_id: &str) -> Result<types::DashboardConference, Error> {
        let body = types::DashboardInfoRequest {
            temp_conference_id: temp_conference_id.to_owned(),
            extra: Default::default(),
        };
        let response = self
            .raw
            .call_operation("admin_dashboard_conference_info", |raw| {
                raw.admin_dashboard_conference_info().body(body.clone()).send()
            })
            .await?;
        response.result.ok_or_else(|| {
            Error::new(VENDOR.name, ErrorKind::Decode)
                .with_operation("admin_dashboard_conference_info")
                .with_detail("success without a result")
        })
    }
}

/// Where a numbered-page listing stands: the page to fetch and how many
/// items came before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PageCursor {
    page: i32,
    seen: i64,
}

impl PageCursor {
    const FIRST: PageCursor = PageCursor { page: 1, seen: 0 };

    /// This page's items, and the next page unless this one was empty or
    /// the total is reached.
    fn next<T>(self, items: Vec<T>, total: Option<confapi_core::LenientInt>) -> Page<T, PageCursor> {
        let seen = self.seen + items.len() as i64;
        let done = items.is_empty() || total.is_some_and(|t| seen >= t.get());
        Page { items, next: (!done).then_some(PageCursor { page: self.page + 1, seen }) }
    }
}
