//! The generated types of `confapi-openvox` and the description of the OpenVox
//! API as data, in a crate without an HTTP client so that they compile
//! while reqwest and rustls do. Use them through `confapi-openvox`, which
//! re-exports [`generated::types`] as `confapi_openvox::types`.
#![warn(missing_docs)]

// The generated code names the shared types `::confapi_core::…`, as it
// does in `confapi-openvox`; every one of them is in `confapi-base`.
extern crate confapi_base as confapi_core;

/// The crate's README, compiled as a doctest so its example stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The output of `cargo xtask codegen` for `specs/openvox.yaml`: `types` and `meta`.
#[allow(missing_docs)]
#[rustfmt::skip]
pub mod generated;
