//! The vendors compiled in: what each needs to be configured and how it
//! becomes an [`Adapter`]. The list itself is `REGISTERED` in the crate
//! root, one line per vendor.

use crate::actions::Action;
use crate::adapter::Adapter;
use crate::model::Vendor;
use confapi_core::{reqwest, Error, ErrorKind, OperationMeta, SecretString, Timeouts, VendorInfo};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// One setting of a vendor's accounts: `url`, `username`, `password` …
/// In a config file it is `key = "value"`, or `key_env = "VARIABLE"` to
/// read the value from the environment (the way to give a secret); in the
/// environment, `CONFAPI_<VENDOR>_<KEY>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// The key, in snake case.
    pub key: &'static str,
    /// Whether an account must give it.
    pub required: bool,
    /// Whether it is a secret: never printed, and best given by variable.
    pub secret: bool,
}

impl Setting {
    /// The `CONFAPI_*` variable that gives it for `vendor`'s one account
    /// from the environment.
    pub fn variable(&self, vendor: Vendor) -> String {
        format!("CONFAPI_{}_{}", vendor.name().to_ascii_uppercase(), self.key.to_ascii_uppercase())
    }
}

/// The values of one account's settings, read and checked.
#[derive(Clone, Default)]
pub struct Settings {
    values: BTreeMap<&'static str, SecretString>,
}

impl fmt::Debug for Settings {
    /// The keys only: values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.values.keys()).finish()
    }
}

impl Settings {
    /// Sets `key`.
    pub fn set(&mut self, key: &'static str, value: impl Into<String>) {
        self.values.insert(key, SecretString::new(value.into()));
    }

    /// A setting that is not secret, if given.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|v| v.expose())
    }

    /// A secret setting, if given.
    pub fn secret(&self, key: &str) -> Option<SecretString> {
        self.values.get(key).cloned()
    }

    /// A required setting; checked when the account was read, so absent
    /// only for a [`Registration::connect`] called by hand.
    pub fn require(&self, vendor: Vendor, key: &str) -> Result<&str, Error> {
        self.get(key).ok_or_else(|| {
            Error::new(vendor.name(), ErrorKind::Config).with_detail(format!("the setting {key} is missing"))
        })
    }
}

/// Builds an account's client from its checked settings, sending through
/// the HTTP client all accounts of one configuration share.
pub type Connect = fn(&Settings, Timeouts, &reqwest::Client) -> Result<Arc<dyn Adapter>, Error>;

/// How a vendor built into the facade is configured.
pub struct Registration {
    /// The vendor.
    pub vendor: Vendor,
    /// Its spec facts.
    pub info: &'static VendorInfo,
    /// Its account settings, in the order help texts list them.
    pub settings: &'static [Setting],
    /// The settings that point an account at the replay server (`url`
    /// aside): the dummy credentials the recordings were made with.
    pub mock: &'static [(&'static str, &'static str)],
    /// The operation that performs an action, from the same table its
    /// adapter dispatches with.
    pub operation: fn(Action) -> Option<&'static OperationMeta>,
    /// Builds a client from checked settings.
    pub connect: Connect,
}

impl fmt::Debug for Registration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registration").field("vendor", &self.vendor).field("settings", &self.settings).finish()
    }
}

/// Every vendor compiled in, in a stable order.
pub fn all() -> &'static [&'static Registration] {
    crate::REGISTERED
}

/// The registration of `vendor`, if it is compiled in.
pub fn find(vendor: Vendor) -> Option<&'static Registration> {
    all().iter().copied().find(|r| r.vendor == vendor)
}
