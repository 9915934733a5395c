//! Which vendors to ask, from the `CONFAPI_*` environment variables the
//! `confapi` command reads (or the replay server's, with [`mock_env`]). A
//! vendor whose variables are all absent is left out with a note; a partial
//! or malformed set is an error naming the variable, never its value.
//!
//! ```no_run
//! let configured = confapi::env::from_env(&|name| std::env::var(name).ok(), Default::default())?;
//! println!("asking {:?}", configured.api.vendors());
//! # Ok::<(), confapi::env::ConfigError>(())
//! ```

use crate::Confapi;
use confapi_core::{SecretString, Timeouts};
use std::fmt;

/// A configuration problem (exit status 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// The clients to ask, and notes on vendors left out.
#[derive(Debug)]
pub struct Configured {
    /// The facade with every configured vendor.
    pub api: Confapi,
    /// One line per vendor skipped (its variables are absent).
    pub notes: Vec<String>,
}

struct Vars<'a> {
    get: &'a dyn Fn(&str) -> Option<String>,
}

impl Vars<'_> {
    /// The variable's value; an empty value is an error naming it.
    fn value(&self, name: &str) -> Result<Option<String>, ConfigError> {
        match (self.get)(name) {
            Some(v) if v.trim().is_empty() => Err(ConfigError(format!("{name} is set but empty"))),
            other => Ok(other),
        }
    }

    /// All of `names` or none of them; a partial set names what is missing.
    fn group(&self, vendor: &str, required: &[&str]) -> Result<Option<Vec<String>>, ConfigError> {
        let values: Vec<Option<String>> = required.iter().map(|n| self.value(n)).collect::<Result<_, _>>()?;
        if values.iter().all(Option::is_none) {
            return Ok(None);
        }
        match required.iter().zip(&values).find(|(_, v)| v.is_none()) {
            Some((missing, _)) => {
                let set: Vec<&str> =
                    required.iter().zip(&values).filter(|(_, v)| v.is_some()).map(|(n, _)| *n).collect();
                let set = match set.as_slice() {
                    [one] => format!("{one} is"),
                    [rest @ .., last] => format!("{} and {last} are", rest.join(", ")),
                    [] => String::new(),
                };
                Err(ConfigError(format!("{vendor}: {missing} is not set (but {set})")))
            }
            None => Ok(Some(values.into_iter().flatten().collect())),
        }
    }
}

fn url(name: &str, value: &str) -> Result<String, ConfigError> {
    let ok = value.starts_with("http://") || value.starts_with("https://");
    if ok && value.len() > "https://".len() {
        Ok(value.to_owned())
    } else {
        Err(ConfigError(format!("{name} is not an http(s) URL: {value:?}")))
    }
}

fn built<T>(name: &str, r: Result<T, confapi_core::Error>) -> Result<T, ConfigError> {
    r.map_err(|e| ConfigError(format!("{name}: {e}")))
}

/// Reads `CONFAPI_*` variables through `get`.
pub fn from_env(get: &dyn Fn(&str) -> Option<String>, timeouts: Timeouts) -> Result<Configured, ConfigError> {
    let vars = Vars { get };
    let mut api = Confapi::new();
    let mut notes = Vec::new();

    #[cfg(feature = "openvox")]
    {
        const OV: [&str; 3] = ["CONFAPI_OPENVOX_URL", "CONFAPI_OPENVOX_USERNAME", "CONFAPI_OPENVOX_PASSWORD"];
        match vars.group("openvox", &OV)? {
            None => notes.push(format!("openvox skipped: {} not set", OV.join(", "))),
            Some(v) => {
                let base = url(OV[0], &v[0])?;
                let client =
                    confapi_openvox::Client::builder(base, &v[1], SecretString::new(v[2].clone())).timeouts(timeouts);
                api = api.with_openvox(built("openvox", client.build())?);
            }
        }
    }

    #[cfg(feature = "quanshi")]
    {
        match vars.group("quanshi", &["CONFAPI_QUANSHI_TOKEN"])? {
            None => {
                if vars.value("CONFAPI_QUANSHI_URL")?.is_some() {
                    return Err(ConfigError(
                        "quanshi: CONFAPI_QUANSHI_TOKEN is not set (but CONFAPI_QUANSHI_URL is)".into(),
                    ));
                }
                notes.push("quanshi skipped: CONFAPI_QUANSHI_TOKEN not set".into());
            }
            Some(v) => {
                let mut client =
                    confapi_quanshi::Client::builder().token(SecretString::new(v[0].clone())).timeouts(timeouts);
                if let Some(u) = vars.value("CONFAPI_QUANSHI_URL")? {
                    client = client.base_url(url("CONFAPI_QUANSHI_URL", &u)?);
                }
                api = api.with_quanshi(built("quanshi", client.build())?);
            }
        }
    }

    #[cfg(feature = "dingtalk")]
    {
        const DT: [&str; 2] = ["CONFAPI_DINGTALK_APP_KEY", "CONFAPI_DINGTALK_APP_SECRET"];
        match vars.group("dingtalk", &DT)? {
            None => {
                if vars.value("CONFAPI_DINGTALK_URL")?.is_some() {
                    return Err(ConfigError(format!(
                        "dingtalk: {} are not set (but CONFAPI_DINGTALK_URL is)",
                        DT.join(" and ")
                    )));
                }
                notes.push(format!("dingtalk skipped: {} not set", DT.join(", ")));
            }
            Some(v) => {
                let mut client = confapi_dingtalk::Client::builder()
                    .app_credentials(&v[0], SecretString::new(v[1].clone()))
                    .timeouts(timeouts);
                if let Some(u) = vars.value("CONFAPI_DINGTALK_URL")? {
                    client = client.base_url(url("CONFAPI_DINGTALK_URL", &u)?);
                }
                api = api.with_dingtalk(built("dingtalk", client.build())?);
            }
        }
    }

    Ok(Configured { api, notes })
}

/// The variables that point every vendor at the replay server at `url`,
/// with the dummy credentials the recordings were made with.
pub fn mock_env(url: &str) -> Vec<(&'static str, String)> {
    let mut vars = Vec::new();
    for name in ["CONFAPI_OPENVOX_URL", "CONFAPI_QUANSHI_URL", "CONFAPI_DINGTALK_URL"] {
        vars.push((name, url.to_owned()));
    }
    for (name, value) in [
        ("CONFAPI_OPENVOX_USERNAME", "api"),
        ("CONFAPI_OPENVOX_PASSWORD", "password"),
        ("CONFAPI_QUANSHI_TOKEN", "mock-token"),
        ("CONFAPI_DINGTALK_APP_KEY", "api"),
        ("CONFAPI_DINGTALK_APP_SECRET", "password"),
    ] {
        vars.push((name, value.to_owned()));
    }
    vars
}

/// Every vendor pointed at the replay server at `url` (see [`mock_env`]).
pub fn mock(url: &str, timeouts: Timeouts) -> Result<Confapi, ConfigError> {
    let vars = mock_env(url);
    from_env(&|name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()), timeouts).map(|c| c.api)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn configure(vars: &[(&str, &str)]) -> Result<Configured, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        from_env(&|n| map.get(n).cloned(), Timeouts::default())
    }

    #[test]
    fn absent_vendors_are_skipped_with_a_note() {
        let c = configure(&[("CONFAPI_DINGTALK_APP_KEY", "k"), ("CONFAPI_DINGTALK_APP_SECRET", "s3cret")]).unwrap();
        assert_eq!(c.api.vendors(), [crate::Vendor::Dingtalk]);
        assert_eq!(c.notes.len(), 2);
    }

    #[test]
    fn a_partial_set_names_the_missing_variable_without_values() {
        let e = configure(&[("CONFAPI_OPENVOX_URL", "http://pbx:9011"), ("CONFAPI_OPENVOX_PASSWORD", "pw-value")])
            .unwrap_err();
        assert!(e.0.contains("CONFAPI_OPENVOX_USERNAME is not set"), "{e}");
        assert!(!e.0.contains("pw-value"));
    }

    #[test]
    fn bad_values_name_the_variable() {
        let e =
            configure(&[("CONFAPI_QUANSHI_TOKEN", "t"), ("CONFAPI_QUANSHI_URL", "openapi.quanshi.com")]).unwrap_err();
        assert!(e.0.starts_with("CONFAPI_QUANSHI_URL is not an http(s) URL"), "{e}");
        let e = configure(&[("CONFAPI_DINGTALK_APP_KEY", "k"), ("CONFAPI_DINGTALK_APP_SECRET", " ")]).unwrap_err();
        assert_eq!(e.0, "CONFAPI_DINGTALK_APP_SECRET is set but empty");
        let e = configure(&[("CONFAPI_DINGTALK_URL", "http://x")]).unwrap_err();
        assert!(e.0.contains("CONFAPI_DINGTALK_APP_KEY"), "{e}");
    }
}
