//! The shared runtime of the confapi clients.
//!
//! Every vendor crate (OpenVox, Quanshi, DingTalk) is progenitor output plus
//! a thin hand-written layer; everything the vendors have in common lives
//! here, once:
//!
//! - the call path: [`Call`] runs every generated operation (one credential
//!   per attempt, one renewal of an expired credential, retries by the
//!   spec's safety, the time limits and the tracing span), the exchange
//!   reads at most the size limit of a response, and one classification
//!   turns whatever happened into a typed [`Error`];
//! - [`Runtime`] and [`Settings`]: what a client shares between calls, and
//!   the builder settings every vendor has ([`settings_setters!`]);
//! - [`generated_client!`]: progenitor's hooks, written once;
//! - [`pages`]: every paginated operation as a stream that always ends;
//! - [`TokenCache`]: credential caching with single-flight refresh;
//! - [`SecretString`], [`NumberOrString`], [`LenientInt`], [`LenientBool`],
//!   [`OpenEnum`], [`OpenCode`], [`OneOrMany`], [`JsonOrString`]: the types specs swap in;
//! - [`meta`]: the generated description of each vendor's API, as data.
#![warn(missing_docs)]

/// The crate's README, compiled as a doctest so its example stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod call;
mod client;
mod counts;
mod exchange;
mod limiter;
mod outcome;
mod pager;
mod retry;
mod runtime;
mod settings;
#[cfg(feature = "test-util")]
pub mod test_util;
mod token;

pub use call::Call;
pub use client::GeneratedClient;
pub use counts::{CallCounts, OperationCounts};
pub use limiter::RateLimits;
pub use pager::{pages, Cursor, PageOf, Paginated, MAX_PAGES};
pub use retry::RetryPolicy;
pub use runtime::{Auth, RequestSigner, Runtime};
pub use settings::{
    base_url, shared_http_client, ConfigureHttp, Settings, Timeouts, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_THROTTLE_RETRIES,
};
pub use token::{Authenticator, BoxFuture, Credential, Lifetime, RefreshPolicy, StaticToken, Token, TokenCache};

// The part that needs no HTTP client lives in `confapi-base` (so that it
// compiles while reqwest does), re-exported here under the same names.
pub use confapi_base::meta;
pub use confapi_base::{
    in_band_failure, known_code, AsCount, AsFlag, AsText, CannedAnswer, Code, Envelope, EnvelopeFields, Error,
    ErrorCode, ErrorKind, FailureClass, Hint, HintField, JsonOrString, LenientBool, LenientInt, LimitScope,
    NumberOrString, OneOrMany, OpenCode, OpenEnum, OperationMeta, Placement, Quota, RateLimit, RateLimitProfile,
    Refusal, RefusalMarker, SecretString, Shape, VendorFailure, VendorInfo,
};

/// The trait of `stream()` results (from `futures`).
pub use futures_util::Stream;

/// The `reqwest` this crate sends with: give a caller's own client of this
/// version to a builder's `http_client`.
pub use reqwest;

/// Re-exported for generated code.
#[doc(hidden)]
pub use progenitor_client;
