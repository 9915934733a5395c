//! One view of conferences across OpenVox IPPBX, Quanshi and DingTalk.
//!
//! Each vendor is a cargo feature (all on by default); the model is the same
//! whatever was compiled in: a [`Conference`] with its vendor, id, title,
//! [`Status`], start and end as UTC timestamps (vendors mix epoch seconds,
//! milliseconds and local-time strings), host, head counts, members where
//! the vendor lists them, and join link. A [`Member`] has one
//! [`MemberState`] whatever the vendor, with the vendor's own value beside
//! it.
//!
//! The facade also acts and watches: [`Confapi::act`] starts and ends
//! conferences, invites, removes, mutes and unmutes members through the vendor
//! operation that does each ([`Capabilities`] says which vendor has
//! which), and [`Confapi::watch`] is a stream of [`Event`]s from comparing
//! successive readings of every vendor's live conferences (see [`watch`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), confapi_core::Error> {
//! use confapi::Confapi;
//! let all = Confapi::new()
//!     .with_openvox(confapi_openvox::Client::builder("http://192.168.1.100:9011", "api", "secret").build()?)
//!     .with_dingtalk(confapi_dingtalk::Client::builder().app_credentials("dingappkey", "app-secret").build()?);
//! for answer in all.live_conferences().await {
//!     match answer.result {
//!         Ok(conferences) => {
//!             for c in conferences {
//!                 println!("{} {} {:?} {}", c.vendor, c.id, c.title, c.status);
//!             }
//!         }
//!         Err(e) => eprintln!("{}: {e}", answer.vendor),
//!     }
//! }
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

/// The crate's README, compiled as a doctest so its example stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod actions;
#[cfg(any(feature = "openvox", feature = "quanshi", feature = "dingtalk"))]
pub mod env;
mod fields;
mod model;
mod state;
pub mod time;
pub mod watch;

#[cfg(feature = "dingtalk")]
pub mod dingtalk;
#[cfg(feature = "openvox")]
pub mod openvox;
#[cfg(feature = "quanshi")]
pub mod quanshi;

pub use actions::{Action, Address, Capabilities, Invitee, Outcome, Request, Start};
pub use confapi_core::{Error, ErrorKind};
pub use model::{vendor_infos, Conference, Member, Participants, Status, Vendor, VendorResult};
pub use state::MemberState;
pub use watch::Event;

#[cfg(feature = "dingtalk")]
pub use confapi_dingtalk;
#[cfg(feature = "openvox")]
pub use confapi_openvox;
#[cfg(feature = "quanshi")]
pub use confapi_quanshi;

use std::future::Future;
use std::pin::Pin;

type VendorFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// What a listing of live conferences includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listing {
    /// What the vendor's list of running conferences says.
    Live,
    /// That, with each conference's members (one more call per conference
    /// where the list has none).
    WithMembers,
}

/// One configured vendor's client.
enum VendorClient<'a> {
    /// Never made: keeps the lifetime used when no vendor is compiled in.
    #[allow(dead_code)]
    Never(std::marker::PhantomData<&'a ()>, std::convert::Infallible),
    #[cfg(feature = "openvox")]
    Openvox(&'a confapi_openvox::Client),
    #[cfg(feature = "quanshi")]
    Quanshi(&'a confapi_quanshi::Client),
    #[cfg(feature = "dingtalk")]
    Dingtalk(&'a confapi_dingtalk::Client),
}

/// The configured vendor clients, asked together.
#[derive(Debug, Clone, Default)]
pub struct Confapi {
    #[cfg(feature = "openvox")]
    openvox: Option<confapi_openvox::Client>,
    #[cfg(feature = "quanshi")]
    quanshi: Option<confapi_quanshi::Client>,
    #[cfg(feature = "dingtalk")]
    dingtalk: Option<confapi_dingtalk::Client>,
}

impl Confapi {
    /// No vendors yet; add them with the `with_*` methods.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an OpenVox PBX.
    #[cfg(feature = "openvox")]
    pub fn with_openvox(mut self, client: confapi_openvox::Client) -> Self {
        self.openvox = Some(client);
        self
    }

    /// Adds a Quanshi account.
    #[cfg(feature = "quanshi")]
    pub fn with_quanshi(mut self, client: confapi_quanshi::Client) -> Self {
        self.quanshi = Some(client);
        self
    }

    /// Adds a DingTalk app.
    #[cfg(feature = "dingtalk")]
    pub fn with_dingtalk(mut self, client: confapi_dingtalk::Client) -> Self {
        self.dingtalk = Some(client);
        self
    }

    /// The vendors configured, in a stable order.
    pub fn vendors(&self) -> Vec<Vendor> {
        Vendor::ALL.into_iter().filter(|v| self.client(*v).is_ok()).collect()
    }

    /// The client of `vendor`, or the error saying it is not configured.
    fn client(&self, vendor: Vendor) -> Result<VendorClient<'_>, Error> {
        let found = match vendor {
            #[cfg(feature = "openvox")]
            Vendor::Openvox => self.openvox.as_ref().map(VendorClient::Openvox),
            #[cfg(feature = "quanshi")]
            Vendor::Quanshi => self.quanshi.as_ref().map(VendorClient::Quanshi),
            #[cfg(feature = "dingtalk")]
            Vendor::Dingtalk => self.dingtalk.as_ref().map(VendorClient::Dingtalk),
            #[allow(unreachable_patterns)]
            _ => None,
        };
        found.ok_or_else(|| Self::not_configured(vendor))
    }

    fn not_configured(vendor: Vendor) -> Error {
        Error::new(vendor.name(), ErrorKind::Config).with_detail(format!("{vendor} is not configured in this client"))
    }

    /// Conferences running now on one vendor.
    pub async fn live_conferences_of(&self, vendor: Vendor) -> Result<Vec<Conference>, Error> {
        self.listing(vendor, Listing::Live).await
    }

    fn listing(&self, vendor: Vendor, listing: Listing) -> VendorFuture<'_, Vec<Conference>> {
        let members = listing == Listing::WithMembers;
        let _ = members; // unused when no vendor is compiled in
        match self.client(vendor) {
            Err(e) => Box::pin(async move { Err(e) }),
            // Rooms come with their members either way.
            #[cfg(feature = "openvox")]
            Ok(VendorClient::Openvox(c)) => Box::pin(openvox::live(c)),
            #[cfg(feature = "quanshi")]
            Ok(VendorClient::Quanshi(c)) if members => Box::pin(quanshi::live_with_members(c)),
            #[cfg(feature = "quanshi")]
            Ok(VendorClient::Quanshi(c)) => Box::pin(quanshi::live(c)),
            #[cfg(feature = "dingtalk")]
            Ok(VendorClient::Dingtalk(c)) if members => Box::pin(dingtalk::live_with_members(c)),
            #[cfg(feature = "dingtalk")]
            Ok(VendorClient::Dingtalk(c)) => Box::pin(dingtalk::live(c)),
        }
    }

    /// Every configured vendor's answer to `listing`, asked concurrently.
    async fn listings(&self, listing: Listing, skip: &[Vendor]) -> Vec<VendorResult<Vec<Conference>>> {
        let mut vendors = self.vendors();
        vendors.retain(|v| !skip.contains(v));
        let answers = futures_util::future::join_all(vendors.iter().map(|v| self.listing(*v, listing))).await;
        vendors.into_iter().zip(answers).map(|(vendor, result)| VendorResult { vendor, result }).collect()
    }

    /// Conferences running now on every configured vendor, asked
    /// concurrently. A vendor that fails gives its error next to the
    /// others' results.
    pub async fn live_conferences(&self) -> Vec<VendorResult<Vec<Conference>>> {
        self.listings(Listing::Live, &[]).await
    }

    /// A stream of what changes on the configured vendors, from their live
    /// conferences and members read now and then every `interval`. It
    /// never ends by itself (take as many events as you need), and a
    /// failing vendor is an event, not the end. The first reading is the
    /// baseline and emits nothing; see the [`watch`] module for the rules.
    ///
    /// ```no_run
    /// # async fn run(api: confapi::Confapi) {
    /// use futures_util::StreamExt;
    /// let mut events = std::pin::pin!(api.watch(std::time::Duration::from_secs(10)));
    /// while let Some(event) = events.next().await {
    ///     println!("{event}");
    /// }
    /// # }
    /// ```
    pub fn watch(&self, interval: std::time::Duration) -> impl futures_util::Stream<Item = Event> + Send + 'static {
        let api = self.clone();
        watch::events(interval, move |stopped| {
            let api = api.clone();
            async move {
                let answers = api.listings(Listing::WithMembers, &stopped).await;
                answers.into_iter().map(|a| (a.vendor, a.result)).collect()
            }
        })
    }

    /// What watching every configured vendor every `interval` costs each
    /// a day, with its documented allowance where it has one.
    pub fn watch_cost(&self, interval: std::time::Duration) -> Vec<watch::Cost> {
        self.vendors().into_iter().map(|v| watch::Cost::of(v, interval)).collect()
    }

    /// One conference with its members, by the vendor's id.
    pub async fn conference(&self, vendor: Vendor, id: &str) -> Result<Conference, Error> {
        let _ = id; // unused when no vendor is compiled in
        match self.client(vendor)? {
            #[cfg(feature = "openvox")]
            VendorClient::Openvox(c) => openvox::get(c, id).await,
            #[cfg(feature = "quanshi")]
            VendorClient::Quanshi(c) => quanshi::get(c, id).await,
            #[cfg(feature = "dingtalk")]
            VendorClient::Dingtalk(c) => dingtalk::get(c, id).await,
        }
    }
}

impl Confapi {
    /// What `vendor`'s client can do (from its compiled spec, whether or
    /// not it is configured here).
    pub fn capabilities(&self, vendor: Vendor) -> Capabilities {
        Capabilities::of(vendor)
    }

    /// Asks `vendor` to perform `request`. An action the vendor has no
    /// operation for is [`ErrorKind::Unsupported`], and input it cannot
    /// take (no room for an OpenVox start, no name for a DingTalk invitee)
    /// is [`ErrorKind::InvalidRequest`], both before any request is sent.
    ///
    /// ```no_run
    /// # async fn run(api: confapi::Confapi) -> Result<(), confapi::Error> {
    /// use confapi::{Address, Invitee, Request, Vendor};
    /// let invitees = vec![Invitee::new(Address::Extension("4001".into()))];
    /// let invite = Request::Invite { conference: "6400".into(), invitees, by: None };
    /// api.act(Vendor::Openvox, &invite).await?;
    /// let end = Request::End { conference: "6449d8a6414c0000001464af9f0".into(), by: None };
    /// api.act(Vendor::Dingtalk, &end).await?;
    /// # Ok(()) }
    /// ```
    pub async fn act(&self, vendor: Vendor, request: &Request) -> Result<Outcome, Error> {
        Capabilities::of(vendor).require(request.action())?;
        match self.client(vendor)? {
            #[cfg(feature = "openvox")]
            VendorClient::Openvox(c) => openvox::perform(c, request).await,
            #[cfg(feature = "quanshi")]
            VendorClient::Quanshi(_) => Err(actions::unsupported(vendor, request.action())),
            #[cfg(feature = "dingtalk")]
            VendorClient::Dingtalk(c) => dingtalk::perform(c, request).await,
        }
    }
}

/// The JSON Schema of [`Conference`], for consumers of `--json` output.
pub fn conference_schema() -> schemars::Schema {
    schemars::schema_for!(Conference)
}
