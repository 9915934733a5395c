//! The generated types of `confapi-dingtalk` and the description of the DingTalk
//! API as data, in a crate without an HTTP client so that they compile
//! while reqwest and rustls do. Use them through `confapi-dingtalk`, which
//! re-exports [`generated::types`] as `confapi_dingtalk::types`.
#![warn(missing_docs)]

// The generated code names the shared types `::confapi_core::…`, as it
// does in `confapi-dingtalk`; every one of them is in `confapi-base`.
extern crate confapi_base as confapi_core;

/// The crate's README, compiled as a doctest so its example stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The output of `cargo xtask codegen` for `specs/dingtalk.yaml`: `types` and `meta`.
#[allow(missing_docs)]
#[rustfmt::skip]
pub mod generated;
