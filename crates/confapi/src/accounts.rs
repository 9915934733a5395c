//! [`Confapi`]: named accounts, asked together.

use crate::actions::{Capabilities, Outcome, Request};
use crate::adapter::{Adapter, Listing};
use crate::budget::Budget;
use crate::model::{AccountResult, Conference, Vendor};
use crate::watch::{self, Event, Plan};
use confapi_core::{Error, ErrorKind};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// One account: a name, the adapter that reaches it, and the budget its
/// watch keeps to.
#[derive(Clone)]
pub(crate) struct Account {
    pub(crate) name: Arc<str>,
    pub(crate) adapter: Arc<dyn Adapter>,
    pub(crate) budget: Option<Budget>,
}

/// What [`Confapi::accounts`] says of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccountInfo {
    /// Its name.
    pub name: String,
    /// Its vendor.
    pub vendor: Vendor,
    /// The budget its watch keeps to, if any.
    pub budget: Option<Budget>,
}

/// Named accounts on any vendors, asked together. Cloning is cheap and
/// clones share the clients (their sessions, limits and call counts).
#[derive(Clone, Default)]
pub struct Confapi {
    accounts: Vec<Account>,
}

impl fmt::Debug for Confapi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.accounts.iter().map(|a| (&*a.name, a.adapter.vendor()))).finish()
    }
}

/// The error for an account name that is not configured.
fn unknown_account(name: &str) -> Error {
    Error::new("confapi", ErrorKind::Config).with_detail(format!("no account is named {name:?}"))
}

impl Confapi {
    /// No accounts yet; add them with [`Confapi::with_account`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an account named `name`, reached through `adapter` (a vendor
    /// client such as `confapi_openvox::Client`, or any [`Adapter`]). An
    /// account already named so is replaced.
    pub fn with_account(mut self, name: impl Into<String>, adapter: impl IntoAdapter) -> Self {
        let name: Arc<str> = name.into().into();
        let adapter = adapter.into_adapter();
        match self.accounts.iter_mut().find(|a| a.name == name) {
            Some(existing) => existing.adapter = adapter,
            None => self.accounts.push(Account { name, adapter, budget: None }),
        }
        self
    }

    /// Sets the budget `account`'s watch keeps to (see [`watch`]).
    pub fn set_budget(&mut self, account: &str, budget: Budget) -> Result<(), Error> {
        let found = self.accounts.iter_mut().find(|a| &*a.name == account).ok_or_else(|| unknown_account(account))?;
        found.budget = Some(budget);
        Ok(())
    }

    /// The accounts, in the order they were added.
    pub fn accounts(&self) -> Vec<AccountInfo> {
        self.accounts
            .iter()
            .map(|a| AccountInfo { name: a.name.to_string(), vendor: a.adapter.vendor(), budget: a.budget })
            .collect()
    }

    /// The accounts' names, in the order they were added.
    pub fn account_names(&self) -> Vec<String> {
        self.accounts.iter().map(|a| a.name.to_string()).collect()
    }

    /// The vendors of the accounts, each once, in the order first added.
    pub fn vendors(&self) -> Vec<Vendor> {
        let mut vendors: Vec<Vendor> = Vec::new();
        for a in &self.accounts {
            if !vendors.contains(&a.adapter.vendor()) {
                vendors.push(a.adapter.vendor());
            }
        }
        vendors
    }

    /// The account named `name`, or the [`ErrorKind::Config`] error naming it.
    fn account(&self, name: &str) -> Result<&Account, Error> {
        self.accounts.iter().find(|a| &*a.name == name).ok_or_else(|| unknown_account(name))
    }

    /// The adapter (vendor client) behind account `name`, if there is one.
    pub fn adapter(&self, name: &str) -> Option<Arc<dyn Adapter>> {
        self.account(name).ok().map(|a| a.adapter.clone())
    }

    /// The vendor of account `name`, if there is one.
    pub fn vendor_of(&self, name: &str) -> Option<Vendor> {
        self.account(name).ok().map(|a| a.adapter.vendor())
    }

    /// Conferences running now on one account.
    pub async fn live_conferences_of(&self, account: &str) -> Result<Vec<Conference>, Error> {
        let account = self.account(account)?;
        read(account, Listing::Live).await
    }

    /// Conferences running now on every account, asked concurrently. An
    /// account that fails gives its error (naming the account) next to the
    /// others' results.
    pub async fn live_conferences(&self) -> Vec<AccountResult<Vec<Conference>>> {
        let answers = futures_util::future::join_all(self.accounts.iter().map(|a| read(a, Listing::Live))).await;
        self.accounts
            .iter()
            .zip(answers)
            .map(|(a, result)| AccountResult { account: a.name.to_string(), vendor: a.adapter.vendor(), result })
            .collect()
    }

    /// One conference with its members, by the vendor's id.
    pub async fn conference(&self, account: &str, id: &str) -> Result<Conference, Error> {
        let a = self.account(account)?;
        let mut conference = a.adapter.conference(id).await.map_err(|e| e.with_account(&*a.name))?;
        conference.account = a.name.to_string();
        Ok(conference)
    }

    /// What `account` can do (its vendor's action table).
    pub fn capabilities(&self, account: &str) -> Result<Capabilities, Error> {
        Ok(Capabilities::of_adapter(&*self.account(account)?.adapter))
    }

    /// Asks `account` to perform `request`. An action its vendor has no
    /// operation for is [`ErrorKind::Unsupported`], and input it cannot
    /// take (no room for an OpenVox start, no name for a DingTalk invitee)
    /// is [`ErrorKind::InvalidRequest`], both before any request is sent.
    ///
    /// ```no_run
    /// # async fn run(api: confapi::Confapi) -> Result<(), confapi::Error> {
    /// use confapi::{Address, Invitee, Request};
    /// let invitees = vec![Invitee::new(Address::Extension("4001".into()))];
    /// let invite = Request::Invite { conference: "6400".into(), invitees, by: None };
    /// api.act("hq-pbx", &invite).await?;
    /// let end = Request::End { conference: "6449d8a6414c0000001464af9f0".into(), by: None };
    /// api.act("org-a", &end).await?;
    /// # Ok(()) }
    /// ```
    pub async fn act(&self, account: &str, request: &Request) -> Result<Outcome, Error> {
        let a = self.account(account)?;
        let named = |e: Error| e.with_account(&*a.name);
        let action = request.action();
        if a.adapter.operation(action).is_none() {
            return Err(named(crate::actions::unsupported(a.adapter.vendor(), action)));
        }
        let mut outcome = a.adapter.perform(request).await.map_err(named)?;
        outcome.account = a.name.to_string();
        Ok(outcome)
    }

    /// A stream of what changes on every account: live conferences and
    /// members read now and then every `interval` (longer for an account
    /// whose budget needs it), compared with the account's previous
    /// reading. It never ends by itself, and a failing account is an event,
    /// not the end. See the [`watch`] module for the rules.
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
    pub fn watch(&self, interval: Duration) -> impl futures_util::Stream<Item = Event> + Send + 'static {
        watch::events(self.accounts.clone(), interval)
    }

    /// The plan a watch at `interval` starts with: each account's interval
    /// and calls a day, with none of its conferences live yet.
    pub fn watch_plan(&self, interval: Duration) -> Vec<Plan> {
        self.accounts.iter().map(|a| Plan::of(a, interval, 0)).collect()
    }
}

/// One account's listing, its conferences stamped with the account and
/// its error naming it.
pub(crate) async fn read(account: &Account, listing: Listing) -> Result<Vec<Conference>, Error> {
    let mut conferences = account.adapter.live(listing).await.map_err(|e| e.with_account(&*account.name))?;
    for c in &mut conferences {
        c.account = account.name.to_string();
    }
    Ok(conferences)
}

/// What [`Confapi::with_account`] takes: an [`Adapter`], alone or shared.
pub trait IntoAdapter {
    /// The adapter, shared.
    fn into_adapter(self) -> Arc<dyn Adapter>;
}

impl<A: Adapter> IntoAdapter for A {
    fn into_adapter(self) -> Arc<dyn Adapter> {
        Arc::new(self)
    }
}

impl IntoAdapter for Arc<dyn Adapter> {
    fn into_adapter(self) -> Arc<dyn Adapter> {
        self
    }
}
