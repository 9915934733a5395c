//! What the facade needs of a vendor: one [`Adapter`] per vendor client.
//!
//! An adapter reads live conferences (with or without their members), one
//! conference, and performs [`Action`]s. Its actions are data: a table of
//! [`Handler`]s, each naming the action, the spec operation that performs
//! it and the function that calls it. Capabilities and dispatch both read
//! that one table ([`operation_in`], [`perform_with`]), so they cannot
//! disagree.
//!
//! The three vendors built in implement it on their clients
//! (`confapi_openvox::Client` …). Another system joins the facade by
//! implementing it and handing the value to
//! [`Confapi::with_account`](crate::Confapi::with_account); nothing in the
//! facade changes.

pub use crate::actions::{invalid, unsupported};
use crate::actions::{Action, Outcome, Request};
use crate::model::{Conference, Vendor};
use crate::watch::PollCost;
use confapi_core::{Error, OperationMeta};
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// The future an adapter returns: boxed, so adapters can be trait objects.
pub type VendorFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// What a listing of live conferences includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Listing {
    /// What the vendor's list of running conferences says.
    Live,
    /// That, with each conference's members, read the cheapest way the
    /// vendor offers (see [`PollCost`]).
    WithMembers,
}

/// One action a vendor can perform: the operation of its spec that does
/// it, and the function that calls it with a client of type `C`.
pub struct Handler<C: 'static> {
    /// The action.
    pub action: Action,
    /// The spec operation that performs it.
    pub operation: &'static OperationMeta,
    /// Performs a request for this action.
    pub run: for<'a> fn(&'a C, &'a Request) -> VendorFuture<'a, Outcome>,
}

impl<C> fmt::Debug for Handler<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -> {}", self.action, self.operation.id)
    }
}

/// The operation `table` performs `action` with, if any.
pub fn operation_in<C>(table: &'static [Handler<C>], action: Action) -> Option<&'static OperationMeta> {
    table.iter().find(|h| h.action == action).map(|h| h.operation)
}

/// Performs `request` with the handler `table` has for its action, or
/// fails with [`ErrorKind::Unsupported`](confapi_core::ErrorKind::Unsupported)
/// before any request when it has none.
pub fn perform_with<'a, C>(
    table: &'static [Handler<C>],
    vendor: Vendor,
    client: &'a C,
    request: &'a Request,
) -> VendorFuture<'a, Outcome> {
    let action = request.action();
    match table.iter().find(|h| h.action == action) {
        Some(handler) => (handler.run)(client, request),
        None => Box::pin(async move { Err(unsupported(vendor, action)) }),
    }
}

/// A vendor client as the facade uses it.
pub trait Adapter: fmt::Debug + Send + Sync + 'static {
    /// The vendor it speaks to.
    fn vendor(&self) -> Vendor;

    /// Conferences running now.
    fn live(&self, listing: Listing) -> VendorFuture<'_, Vec<Conference>>;

    /// One conference with its members, by the vendor's id.
    fn conference<'a>(&'a self, id: &'a str) -> VendorFuture<'a, Conference>;

    /// The operation that performs `action`, if the vendor has one (from
    /// the same table as [`Adapter::perform`]; see [`operation_in`]).
    fn operation(&self, action: Action) -> Option<&'static OperationMeta>;

    /// Performs `request` (see [`perform_with`]).
    fn perform<'a>(&'a self, request: &'a Request) -> VendorFuture<'a, Outcome>;

    /// What one [`Listing::WithMembers`] costs in calls.
    fn poll_cost(&self) -> PollCost;

    /// Requests this client has sent so far, every operation together
    /// (what a watch counts against a budget).
    fn calls_sent(&self) -> u64;
}

/// The [`Adapter`] methods every built-in vendor client writes the same
/// way: its vendor, its action table for capabilities and dispatch, and
/// the calls its runtime counted. Expands inside `impl Adapter for …`.
// Unused when the facade is built with no vendor feature.
#[allow(unused_macros)]
macro_rules! built_in_basics {
    ($vendor:expr, $handlers:expr) => {
        fn vendor(&self) -> $crate::Vendor {
            $vendor
        }

        fn operation(&self, action: $crate::Action) -> Option<&'static confapi_core::OperationMeta> {
            $crate::adapter::operation_in($handlers, action)
        }

        fn perform<'a>(&'a self, request: &'a $crate::Request) -> $crate::adapter::VendorFuture<'a, $crate::Outcome> {
            $crate::adapter::perform_with($handlers, $vendor, self, request)
        }

        fn calls_sent(&self) -> u64 {
            self.runtime().call_counts().total().sent
        }
    };
}
#[allow(unused_imports)]
pub(crate) use built_in_basics;
