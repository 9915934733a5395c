//! The part of `confapi-core` that needs no HTTP client.
//!
//! Everything here is re-exported by `confapi-core` under the same name;
//! it is a crate of its own so that it, and the generated types of each
//! vendor (`confapi-openvox-types`, `confapi-quanshi-types`,
//! `confapi-dingtalk-types`), compile while reqwest and rustls do instead
//! of after them:
//!
//! - [`SecretString`], [`NumberOrString`], [`LenientInt`], [`LenientBool`],
//!   [`OpenEnum`], [`OpenCode`], [`OneOrMany`], [`JsonOrString`]: the types specs swap in;
//! - [`Error`] and the vendor's failure ([`VendorFailure`], [`Envelope`]);
//! - [`meta`]: the generated description of each vendor's API, as data.
#![warn(missing_docs)]

/// The crate's README, compiled as a doctest so its example stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod error;
mod json_or_string;
mod lenient;
mod limits;
pub mod meta;
mod one_or_many;
mod open_code;
mod open_enum;
mod read;
mod refusal;
mod secret;

pub use error::{
    in_band_failure, known_code, Envelope, Error, ErrorCode, ErrorKind, FailureClass, Hint, HintField, VendorFailure,
};
pub use json_or_string::JsonOrString;
pub use lenient::{LenientBool, LenientInt, NumberOrString};
pub use limits::{LimitScope, RateLimit, RateLimitProfile};
pub use meta::{CannedAnswer, EnvelopeFields, OperationMeta, Placement, Quota, Shape, VendorInfo};
pub use one_or_many::OneOrMany;
pub use open_code::{Code, OpenCode};
pub use open_enum::OpenEnum;
pub use read::{AsCount, AsFlag, AsText};
pub use refusal::{Refusal, RefusalMarker};
pub use secret::SecretString;

/// The size of `n` bytes as people read it (`"1 MiB"`), for messages.
#[doc(hidden)]
pub use error::bytes_text;
