//! The shared runtime of the confapi clients.
//!
//! Every vendor crate (OpenVox, Quanshi, DingTalk) is progenitor output plus
//! a thin hand-written layer; everything the vendors have in common lives
//! here, once:
//!
//! - [`Error`]: one error type with kind, vendor code, message, HTTP status
//!   and request id, whose `Display` never shows a secret;
//! - [`SecretString`]: passwords and tokens, redacted in `Debug`/`Display`;
//! - [`NumberOrString`], [`LenientInt`]: scalars vendors send either way;
//! - [`OpenEnum`]: enums that keep values the spec does not list;
//! - [`OneOrMany`]: payloads documented as an object and sent as an array;
//! - [`JsonOrString`]: payloads documented as a JSON string and sent as JSON;
//! - [`paginate`]: pages as a stream of items that always ends;
//! - [`TokenCache`]: credential caching with single-flight refresh;
//! - [`Runtime`]: the generated client's inner value, with the request hook
//!   and the [`Runtime::call`] loop that renews an expired credential once;
//! - [`meta`]: the generated description of each vendor's operations.
#![warn(missing_docs)]

mod error;
mod json_or_string;
mod lenient;
pub mod meta;
mod one_or_many;
mod open_enum;
mod pager;
mod retry;
mod runtime;
mod secret;
mod token;

pub use error::{in_band_failure, AsText, Envelope, Error, ErrorCode, ErrorKind, FailureClass, VendorFailure};
pub use json_or_string::JsonOrString;
pub use lenient::{LenientBool, LenientInt, NumberOrString};
pub use meta::{EnvelopeFields, OperationMeta, Placement, VendorInfo};
pub use one_or_many::OneOrMany;
pub use open_enum::OpenEnum;
pub use pager::{paginate, Page, MAX_PAGES};
pub use retry::RetryPolicy;
pub use runtime::{base_url, observe_response, prepare_request, ClientOptions, RequestSigner, Runtime, Timeouts};
pub use secret::SecretString;
pub use token::{Authenticator, BoxFuture, Credential, Lifetime, RefreshPolicy, StaticToken, Token, TokenCache};

/// Re-exported for generated code.
#[doc(hidden)]
pub use progenitor_client;
