//! The library behind the `confapi` command.
#![warn(missing_docs)]

pub mod audit;
pub mod config;
pub mod table;
