//! The project's `x-confapi-*` keys at the top of a spec, read into one
//! typed value: the envelope, error codes, refusals, rate limits, quota
//! (for `meta.rs`) and the SDK operations left out (for docs-check).

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

/// The top-level `x-confapi-*` keys of a spec.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct VendorExt {
    /// `x-confapi-envelope`: where a body's outcome is.
    #[serde(rename = "x-confapi-envelope", default)]
    pub envelope: Envelope,
    /// `x-confapi-error-codes`: documented codes, in the spec's order.
    #[serde(rename = "x-confapi-error-codes", default)]
    pub error_codes: IndexMap<String, ErrorCodeEntry>,
    /// `x-confapi-refusals`: answers from in front of the API.
    #[serde(rename = "x-confapi-refusals", default)]
    pub refusals: Vec<RefusalEntry>,
    /// `x-confapi-rate-limits`: the documented limit per kind of account.
    #[serde(rename = "x-confapi-rate-limits", default)]
    pub rate_limits: IndexMap<String, RateLimitEntry>,
    /// `x-confapi-quota`: the documented allowance of calls per period.
    #[serde(rename = "x-confapi-quota")]
    pub quota: Option<QuotaEntry>,
    /// `x-confapi-sdk-omitted`: SDK operations the client leaves out.
    #[serde(rename = "x-confapi-sdk-omitted", default)]
    pub sdk_omitted: Vec<OmittedEntry>,
}

/// `x-confapi-envelope`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// The body field with the outcome.
    pub status: Option<String>,
    /// The values of `status` that mean success.
    #[serde(default)]
    pub success: Vec<String>,
    /// The body field(s) with the vendor's code.
    #[serde(default)]
    pub code: Names,
    /// The body field(s) with the vendor's message.
    #[serde(default)]
    pub message: Names,
    /// The body field(s) with the request id.
    #[serde(default)]
    pub request_id: Names,
    /// The response header with the request id.
    pub request_id_header: Option<String>,
    /// What the vendor answers for an operation it does not have.
    pub unknown_request: Option<CannedAnswer>,
    /// Error-body fields that tell the user what to fix.
    #[serde(default)]
    pub hints: Vec<Hint>,
}

/// One field name or a list of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Names {
    /// One name.
    One(String),
    /// Several, tried in order.
    List(Vec<String>),
}

impl Default for Names {
    fn default() -> Self {
        Names::List(Vec::new())
    }
}

impl Names {
    /// The names, in order.
    pub fn list(&self) -> Vec<String> {
        match self {
            Names::One(name) => vec![name.clone()],
            Names::List(names) => names.clone(),
        }
    }
}

/// `unknown_request: {status, body}`.
#[derive(Debug, Clone, Deserialize)]
pub struct CannedAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Value,
}

/// `hints: [{path, label}]`.
#[derive(Debug, Clone, Deserialize)]
pub struct Hint {
    /// `a.b`: the field's path in the error body.
    pub path: String,
    /// What it tells the user.
    pub label: String,
}

/// An `x-confapi-error-codes` entry.
#[derive(Debug, Clone, Deserialize)]
pub struct ErrorCodeEntry {
    /// What the code means.
    pub meaning: String,
    /// Its failure class (`throttled`, …); `other` when absent.
    pub class: Option<String>,
}

/// An `x-confapi-refusals` entry: exactly one of `field` and `text` marks it.
#[derive(Debug, Clone, Deserialize)]
pub struct RefusalEntry {
    /// A body field that marks the refusal.
    pub field: Option<String>,
    /// A text in the body that marks it.
    pub text: Option<String>,
    /// Its failure class.
    pub class: String,
    /// What it means.
    pub meaning: String,
    /// The body field with its code.
    pub code: Option<String>,
    /// The body field with how long to wait.
    pub wait: Option<String>,
    /// The unit of `wait` (`1s` when absent).
    pub wait_unit: Option<String>,
    /// The wait when the body gives none.
    pub default_wait: Option<String>,
}

/// An `x-confapi-rate-limits` entry.
#[derive(Debug, Clone, Deserialize)]
pub struct RateLimitEntry {
    /// Calls allowed per span.
    pub calls: u32,
    /// The span (`1s` when absent).
    pub per: Option<String>,
    /// `operation` or `client`.
    pub scope: String,
    /// Where the limit is documented.
    pub source: Option<String>,
}

/// `x-confapi-quota`.
#[derive(Debug, Clone, Deserialize)]
pub struct QuotaEntry {
    /// Calls allowed per period.
    pub calls: u64,
    /// `day` or `month`.
    pub per: String,
    /// Who the allowance applies to.
    pub note: Option<String>,
}

/// An `x-confapi-sdk-omitted` entry.
#[derive(Debug, Clone, Deserialize)]
pub struct OmittedEntry {
    /// The SDK's action name.
    pub action: Option<String>,
}

impl VendorExt {
    /// The keys of a spec (other keys are ignored); an error names the malformed one.
    pub fn of(raw: &Value) -> Result<VendorExt, String> {
        let Value::Object(map) = raw else { return Ok(VendorExt::default()) };
        let ours: serde_json::Map<String, Value> =
            map.iter().filter(|(k, _)| k.starts_with("x-confapi-")).map(|(k, v)| (k.clone(), v.clone())).collect();
        serde_json::from_value(Value::Object(ours)).map_err(|e| format!("an x-confapi key at the top of the spec: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_reads_and_keeps_its_order() {
        for vendor in ["openvox", "quanshi", "dingtalk"] {
            let text = std::fs::read_to_string(crate::workspace_root().join(format!("specs/{vendor}.yaml"))).unwrap();
            let ext =
                VendorExt::of(&crate::spec_file::parse(&text).unwrap()).unwrap_or_else(|e| panic!("{vendor}: {e}"));
            assert!(ext.envelope.unknown_request.is_some(), "{vendor}");
        }
        let raw = serde_json::json!({"x-confapi-error-codes": {"b": {"meaning": "B"}, "a": {"meaning": "A"}},
                                     "x-confapi-envelope": {"code": "errno", "message": ["message", "errmsg"]}});
        let ext = VendorExt::of(&raw).unwrap();
        assert_eq!(ext.error_codes.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(ext.envelope.code.list(), ["errno"]);
        assert_eq!(ext.envelope.message.list(), ["message", "errmsg"]);
        let typo = serde_json::json!({"x-confapi-envelope": {"satus": "status"}});
        assert!(VendorExt::of(&typo).unwrap_err().contains("satus"));
    }
}
