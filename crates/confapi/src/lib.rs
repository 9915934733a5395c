//! One view of conferences across OpenVox IPPBX, Quanshi and DingTalk, for
//! any number of accounts.
//!
//! A [`Confapi`] holds named accounts, any number per vendor (`hq-pbx`,
//! `branch-pbx`, `org-a` …), read from the `CONFAPI_*` variables
//! ([`Confapi::from_env`]), a TOML file ([`Confapi::from_config`], see
//! [`config`]) or added in code ([`Confapi::with_account`]). The model is
//! the same whatever the vendor: a [`Conference`] with its account, vendor,
//! id, title, [`Status`], start and end as UTC timestamps (vendors mix epoch
//! seconds, milliseconds and local-time strings), host, head counts,
//! members where the vendor lists them, and join link. A [`Member`] has one
//! [`MemberState`] whatever the vendor, with the vendor's own value beside
//! it.
//!
//! The facade also acts and watches: [`Confapi::act`] starts and ends
//! conferences, invites, removes, mutes and unmutes members through the
//! vendor operation that does each ([`Capabilities`] says which vendor has
//! which), and [`Confapi::watch`] is a stream of [`Event`]s from comparing
//! successive readings of every account, paced to each account's budget
//! (see [`watch`]).
//!
//! Each vendor is a cargo feature (all on by default) and an [`Adapter`];
//! another system joins by implementing [`Adapter`].
//!
//! ```no_run
//! # async fn run() -> Result<(), confapi::Error> {
//! use confapi::Confapi;
//! let all = Confapi::new()
//!     .with_account("hq-pbx", confapi_openvox::Client::builder("http://192.168.1.100:9011", "api", "secret").build()?)
//!     .with_account("org-a", confapi_dingtalk::Client::builder().app_credentials("dingappkey", "app-secret").build()?);
//! for answer in all.live_conferences().await {
//!     match answer.result {
//!         Ok(conferences) => {
//!             for c in conferences {
//!                 println!("{} {} {:?} {}", c.account, c.id, c.title, c.status);
//!             }
//!         }
//!         Err(e) => eprintln!("{e}"),
//!     }
//! }
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

/// The crate's README, compiled as a doctest so its example stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod accounts;
mod actions;
pub mod adapter;
pub mod budget;
pub mod config;
mod fields;
mod model;
pub mod registry;
mod state;
pub mod time;
pub mod watch;

pub use accounts::{AccountInfo, Confapi, IntoAdapter};
pub use actions::{Action, Address, Capabilities, Invitee, Outcome, Request, Start};
pub use adapter::{Adapter, Listing};
pub use budget::Budget;
pub use confapi_core::{Error, ErrorKind};
pub use model::{vendor_infos, AccountResult, Conference, Member, Participants, Status, Vendor};
pub use state::MemberState;
pub use watch::Event;

// The vendors compiled in: a module each, its crate re-exported, and its
// line in `REGISTERED`. A vendor added here needs nothing else in the facade.
#[cfg(feature = "openvox")]
pub mod openvox;
#[cfg(feature = "openvox")]
pub use confapi_openvox;
#[cfg(feature = "quanshi")]
pub mod quanshi;
#[cfg(feature = "quanshi")]
pub use confapi_quanshi;
#[cfg(feature = "dingtalk")]
pub mod dingtalk;
#[cfg(feature = "dingtalk")]
pub use confapi_dingtalk;

/// Every vendor compiled in, in a stable order.
static REGISTERED: &[&registry::Registration] = &[
    #[cfg(feature = "openvox")]
    &openvox::REGISTRATION,
    #[cfg(feature = "quanshi")]
    &quanshi::REGISTRATION,
    #[cfg(feature = "dingtalk")]
    &dingtalk::REGISTRATION,
];

/// The JSON Schema of [`Conference`], for consumers of `--json` output.
pub fn conference_schema() -> schemars::Schema {
    schemars::schema_for!(Conference)
}
