//! Accounts from the environment or from a TOML file.
//!
//! **The environment** (`CONFAPI_*`) gives at most one account per vendor,
//! named after the vendor: `CONFAPI_OPENVOX_URL`, `CONFAPI_OPENVOX_USERNAME`
//! and `CONFAPI_OPENVOX_PASSWORD` make the account `openvox`. A vendor whose
//! variables are all absent is left out with a note; a partial set is an
//! error naming what is missing.
//!
//! **A config file** names any number of accounts, one table each:
//!
//! ```toml
//! [accounts.hq-pbx]
//! vendor = "openvox"
//! url = "http://192.168.1.100:9011"
//! username = "api"
//! password_env = "HQ_PBX_PASSWORD"   # the secret comes from this variable
//!
//! [accounts.org-a]
//! vendor = "dingtalk"
//! app_key = "dingxxxx"
//! app_secret_env = "ORG_A_SECRET"
//! budget = "10000/month"             # what a watch may spend
//! ```
//!
//! Each setting is `key = "value"` or `key_env = "VARIABLE"`; secrets are
//! best given the second way. The keys are the vendor's variables without
//! the `CONFAPI_<VENDOR>_` prefix: `url`, `username`, `password` for
//! OpenVox; `url`, `token` for Quanshi; `url`, `app_key`, `app_secret` for
//! DingTalk. Errors name the account and the setting, never a value.

use crate::budget::Budget;
use crate::registry::{self, Registration, Settings};
use crate::Confapi;
use confapi_core::{Error, ErrorKind, Timeouts};
use std::path::Path;

/// The accounts read, and notes on vendors left out.
#[derive(Debug)]
#[non_exhaustive]
pub struct Configured {
    /// The facade with every account.
    pub api: Confapi,
    /// One line per vendor skipped (its variables are absent).
    pub notes: Vec<String>,
}

/// A configuration error: [`ErrorKind::Config`], exit status 2 in the CLI.
fn config_error(detail: impl Into<String>) -> Error {
    Error::new("confapi", ErrorKind::Config).with_detail(detail)
}

/// Reads the `CONFAPI_*` variables through `get`: one account per vendor
/// whose variables are set, named after the vendor.
pub fn from_env(get: &dyn Fn(&str) -> Option<String>, timeouts: Timeouts) -> Result<Configured, Error> {
    let mut api = Confapi::new();
    let mut notes = Vec::new();
    let http = confapi_core::shared_http_client(&timeouts)?;
    for registration in registry::all() {
        let vendor = registration.vendor;
        let mut settings = Settings::default();
        let (mut given, mut missing) = (Vec::new(), Vec::new());
        for setting in registration.settings {
            let name = setting.variable(vendor);
            match get(&name) {
                Some(v) if v.trim().is_empty() => return Err(config_error(format!("{name} is set but empty"))),
                Some(v) => {
                    settings.set(setting.key, v);
                    given.push(name);
                }
                None if setting.required => missing.push(name),
                None => {}
            }
        }
        if given.is_empty() {
            notes.push(format!("{vendor} skipped: {} not set", missing.join(", ")));
            continue;
        }
        if !missing.is_empty() {
            return Err(config_error(format!("{vendor}: {} not set (but {})", and(&missing), and(&given))));
        }
        let name = vendor.name();
        check_url(registration, &settings, &setting_variable(registration, "url"))?;
        let adapter = (registration.connect)(&settings, timeouts, &http).map_err(|e| e.with_account(name))?;
        api = api.with_account(name, adapter);
    }
    Ok(Configured { api, notes })
}

/// `A is`, `A and B are`, `A, B and C are`.
fn and(names: &[String]) -> String {
    match names {
        [one] => format!("{one} is"),
        [rest @ .., last] => format!("{} and {last} are", rest.join(", ")),
        [] => String::new(),
    }
}

fn setting_variable(registration: &Registration, key: &str) -> String {
    format!("CONFAPI_{}_{}", registration.vendor.name().to_ascii_uppercase(), key.to_ascii_uppercase())
}

/// A `url` setting must be an http(s) URL; `shown` names where it came from.
fn check_url(registration: &Registration, settings: &Settings, shown: &str) -> Result<(), Error> {
    match settings.get("url") {
        Some(url) => confapi_core::base_url(registration.vendor.name(), url)
            .map(|_| ())
            .map_err(|_| config_error(format!("{shown} is not an http(s) URL: {url:?}"))),
        None => Ok(()),
    }
}

/// Reads the accounts of the TOML file at `path` (see the module docs),
/// secrets from the variables it names through `get`.
pub fn from_file(path: &Path, get: &dyn Fn(&str) -> Option<String>, timeouts: Timeouts) -> Result<Configured, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| config_error(format!("cannot read the config file {}: {e}", path.display())))?;
    from_toml(&text, get, timeouts).map_err(|e| match e.detail() {
        Some(detail) => config_error(format!("{}: {detail}", path.display())),
        None => e,
    })
}

/// Reads the accounts of a config file's text.
pub fn from_toml(text: &str, get: &dyn Fn(&str) -> Option<String>, timeouts: Timeouts) -> Result<Configured, Error> {
    // The parser's message names the line and column (a duplicate table too).
    let table: toml::Table = toml::from_str(text).map_err(|e| config_error(e.to_string().trim_end().to_owned()))?;
    for key in table.keys() {
        if key != "accounts" {
            return Err(config_error(format!("unknown table or key {key:?} (accounts go in [accounts.NAME] tables)")));
        }
    }
    let Some(accounts) = table.get("accounts") else {
        return Err(config_error("no account: add an [accounts.NAME] table"));
    };
    let accounts = accounts.as_table().ok_or_else(|| config_error("accounts must be tables: [accounts.NAME]"))?;
    if accounts.is_empty() {
        return Err(config_error("no account: add an [accounts.NAME] table"));
    }
    let mut api = Confapi::new();
    // One HTTP client (pool and TLS roots) for every account of the file.
    let http = confapi_core::shared_http_client(&timeouts)?;
    for (name, account) in accounts {
        let account_error = |detail: String| config_error(format!("account {name:?}: {detail}"));
        let fields = account.as_table().ok_or_else(|| account_error("is not a table".into()))?;
        let (registration, settings, budget) = read_account(fields, get).map_err(account_error)?;
        let adapter = (registration.connect)(&settings, timeouts, &http).map_err(|e| e.with_account(name.as_str()))?;
        api = api.with_account(name.as_str(), adapter);
        if let Some(budget) = budget {
            api.set_budget(name, budget)?;
        }
    }
    Ok(Configured { api, notes: Vec::new() })
}

type Account = (&'static Registration, Settings, Option<Budget>);

/// One `[accounts.NAME]` table; errors say what is wrong, the caller adds the name.
fn read_account(fields: &toml::Table, get: &dyn Fn(&str) -> Option<String>) -> Result<Account, String> {
    let all = registry::all();
    let names: Vec<&str> = all.iter().map(|r| r.vendor.name()).collect();
    let vendor = fields.get("vendor").ok_or_else(|| format!("no vendor (one of: {})", names.join(", ")))?;
    let vendor = vendor.as_str().unwrap_or_default();
    let registration = all
        .iter()
        .copied()
        .find(|r| r.vendor.name() == vendor)
        .ok_or_else(|| format!("unknown vendor {vendor:?} (one of: {})", names.join(", ")))?;
    let mut settings = Settings::default();
    let mut budget = None;
    for (key, value) in fields {
        let text = match value {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(i) => i.to_string(),
            _ => return Err(format!("{key} must be a string")),
        };
        match key.as_str() {
            "vendor" => continue,
            "budget" => {
                budget = Some(text.parse::<Budget>()?);
                continue;
            }
            _ => {}
        }
        let (base, from_variable) = match key.strip_suffix("_env") {
            Some(base) => (base, true),
            None => (key.as_str(), false),
        };
        let setting = registration.settings.iter().find(|s| s.key == base).ok_or_else(|| {
            let keys: Vec<&str> = registration.settings.iter().map(|s| s.key).collect();
            format!(
                "unknown setting {key:?} for {vendor} (expected {}, each also as KEY_env, and budget)",
                keys.join(", ")
            )
        })?;
        let value = if from_variable {
            get(&text)
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| format!("{key} names {text}, which is not set"))?
        } else {
            text
        };
        settings.set(setting.key, value);
    }
    if let Some(missing) = registration.settings.iter().find(|s| s.required && settings.get(s.key).is_none()) {
        let how = if missing.secret {
            format!("{}_env = \"VARIABLE\"", missing.key)
        } else {
            format!("{} = \"…\"", missing.key)
        };
        return Err(format!("{} is missing (give {how})", missing.key));
    }
    check_url(registration, &settings, "url").map_err(|e| e.detail().unwrap_or_default().to_owned())?;
    Ok((registration, settings, budget))
}

/// The variables that point every vendor compiled in at the replay server
/// at `url`, with the dummy credentials the recordings were made with.
pub fn mock_env(url: &str) -> Vec<(String, String)> {
    let mut vars = Vec::new();
    for registration in registry::all() {
        vars.push((setting_variable(registration, "url"), url.to_owned()));
        for (key, value) in registration.mock {
            vars.push((setting_variable(registration, key), (*value).to_owned()));
        }
    }
    vars
}

/// Every vendor pointed at the replay server at `url` (see [`mock_env`]):
/// one account per vendor, named after it.
pub fn mock(url: &str, timeouts: Timeouts) -> Result<Confapi, Error> {
    let vars = mock_env(url);
    from_env(&|name| vars.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()), timeouts).map(|c| c.api)
}

impl Confapi {
    /// The accounts the `CONFAPI_*` variables define (see [`config`](crate::config)).
    ///
    /// ```no_run
    /// # fn main() -> Result<(), confapi::Error> {
    /// let api = confapi::Confapi::from_env()?;
    /// println!("{:?}", api.account_names());
    /// # Ok(()) }
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        from_env(&|name| std::env::var(name).ok(), Timeouts::default()).map(|c| c.api)
    }

    /// The accounts of the TOML file at `path`, secrets from the variables
    /// it names (see [`config`](crate::config)).
    pub fn from_config(path: impl AsRef<Path>) -> Result<Self, Error> {
        from_file(path.as_ref(), &|name| std::env::var(name).ok(), Timeouts::default()).map(|c| c.api)
    }
}

#[cfg(test)]
mod tests;
