//! Test machinery, behind the `test-util` feature: what the generated
//! `dispatch` (call any operation by id with JSON input) needs. The replay
//! tests, the fault matrix and the conformance run use it; users don't.

use serde::de::DeserializeOwned;
use serde::Serialize;

fn invalid(vendor: &'static str, detail: String) -> crate::Error {
    crate::Error::new(vendor, crate::ErrorKind::InvalidRequest).with_detail(detail)
}

/// Reads a request body from JSON (used by generated `dispatch`).
pub fn body_from_json<T: DeserializeOwned>(
    vendor: &'static str,
    body: Option<serde_json::Value>,
) -> Result<T, crate::Error> {
    let body = body.unwrap_or(serde_json::Value::Null);
    serde_json::from_value(body).map_err(|e| invalid(vendor, format!("request body: {e}")))
}

/// Reads an optional parameter given as text (used by generated `dispatch`).
pub fn param<T: std::str::FromStr>(
    vendor: &'static str,
    params: &std::collections::BTreeMap<String, String>,
    name: &str,
) -> Result<Option<T>, crate::Error> {
    params
        .get(name)
        .map(|v| v.parse().map_err(|_| invalid(vendor, format!("parameter {name}: cannot parse {v:?}"))))
        .transpose()
}

/// Reads a required parameter given as text (used by generated `dispatch`).
pub fn required_param<T: std::str::FromStr>(
    vendor: &'static str,
    params: &std::collections::BTreeMap<String, String>,
    name: &str,
) -> Result<T, crate::Error> {
    param(vendor, params, name)?.ok_or_else(|| invalid(vendor, format!("parameter {name} is required")))
}

/// A response decoded by `dispatch`: its typed value's `Debug` and its
/// re-encoding as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Dispatched {
    /// `{:#?}` of the typed value.
    pub debug: String,
    /// The typed value re-encoded as JSON.
    pub json: serde_json::Value,
}

/// Describes a decoded response (used by generated `dispatch`).
pub fn dispatched<T: Serialize + std::fmt::Debug>(vendor: &'static str, value: &T) -> Result<Dispatched, crate::Error> {
    let json = serde_json::to_value(value)
        .map_err(|e| crate::Error::new(vendor, crate::ErrorKind::Decode).with_detail(e.to_string()))?;
    Ok(Dispatched { debug: format!("{value:#?}"), json })
}
