//! The library behind the `confapi` command.
#![warn(missing_docs)]

pub mod audit;
pub mod audit_json;
/// The `CONFAPI_*` variables (the facade's [`confapi::env`]).
pub use confapi::env as config;
pub mod table;
