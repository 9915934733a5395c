//! The library behind the `confapi` command.
#![warn(missing_docs)]

pub mod audit;
pub mod audit_json;
/// Accounts from the environment or a config file (the facade's [`confapi::config`]).
pub use confapi::config;
pub mod table;
