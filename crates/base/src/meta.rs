//! What the generator knows about a vendor, as data: its operations, error
//! codes, credential placement, envelope, secret fields and the documented
//! shape of every schema. Generated into each vendor crate as
//! `generated::meta::VENDOR` and read by the runtime, the audit and the
//! replay server.

use crate::{ErrorCode, VendorFailure};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Where the credential goes on each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A query parameter of this name (OpenVox `?token=`).
    Query(&'static str),
    /// A header of this name (DingTalk `x-acs-dingtalk-access-token`).
    Header(&'static str),
}

/// A decode failure, with the JSON path where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// JSON path of the failing value (`conference[0].member`), `.` for the root.
    pub path: String,
    /// What serde said.
    pub message: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at {}: {}", self.path, self.message)
    }
}

/// Decodes `bytes` as `T` and re-encodes it, so callers can compare the
/// result with the input and see what the type kept.
pub type DecodeFn = fn(&[u8]) -> Result<serde_json::Value, DecodeError>;

/// Decodes into the typed value and drops it: the client's own decode.
pub type ParseFn = fn(&[u8]) -> Result<(), serde_json::Error>;

/// Decodes into `T` and drops it (used by generated tables).
pub fn parse_as<T: DeserializeOwned>(bytes: &[u8]) -> Result<(), serde_json::Error> {
    serde_json::from_slice::<T>(bytes).map(drop)
}

/// Decodes into `T` and re-encodes as JSON (used by generated tables).
pub fn decode_as<T: DeserializeOwned + Serialize>(bytes: &[u8]) -> Result<serde_json::Value, DecodeError> {
    let value: T = decode_typed(bytes)?;
    serde_json::to_value(&value)
        .map_err(|e| DecodeError { path: ".".into(), message: format!("re-encoding failed: {e}") })
}

/// Decodes into `T`, reporting the JSON path of the first mismatch.
pub fn decode_typed<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        DecodeError { path, message: e.into_inner().to_string() }
    })
}

/// One operation of a vendor API, as the spec describes it.
#[derive(Debug, Clone, Copy)]
pub struct OperationMeta {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path template, `{name}` for parameters.
    pub path: &'static str,
    /// Read-only and safe to repeat (`x-confapi-safe` in the spec).
    pub safe: bool,
    /// Whether the operation carries the credential (`security: []` says no).
    pub authenticated: bool,
    /// HTTP status of the success response.
    pub success_status: u16,
    /// Schema name of the success body, a key of [`VendorInfo::shapes`].
    pub success_shape: Option<&'static str>,
    /// Schema name of the error body, a key of [`VendorInfo::shapes`].
    pub error_shape: Option<&'static str>,
}

/// The documented shape of a schema, as the audit walks it to tell
/// documented fields from undocumented extras.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A scalar, or a schema that says nothing about its contents.
    Any,
    /// Another named schema (a key of [`VendorInfo::shapes`]).
    Ref(&'static str),
    /// An object with declared properties, and other names they may come under.
    Object {
        /// Property names with their shapes.
        props: &'static [(&'static str, Shape)],
        /// (alias, property) pairs.
        aliases: &'static [(&'static str, &'static str)],
    },
    /// A free-form map whose values have this shape.
    Map(&'static Shape),
    /// An array of this shape.
    Array(&'static Shape),
    /// Any of these (`oneOf`, `anyOf`, `allOf`, or several of the above).
    Union(&'static [Shape]),
}

/// What a vendor answers to a request for an operation it does not have
/// (`x-confapi-envelope.unknown_request`); the replay server answers the
/// same to a request no recording matches.
#[derive(Debug, Clone, Copy)]
pub struct CannedAnswer {
    /// HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: &'static str,
}

/// The decoders of one operation's bodies, for tools that check bodies
/// against the types (the audit, benchmarks, fuzzing). Generated only
/// with the vendor crate's `audit` feature: applications don't pay for them.
#[derive(Debug, Clone, Copy)]
pub struct Decoders {
    /// Decoder of the success body (decode, then re-encode).
    pub decode_success: DecodeFn,
    /// Decoder of the error body, where the spec describes one.
    pub decode_error: Option<DecodeFn>,
    /// Decodes the success body the way the client does (`serde_json` into
    /// the typed value, nothing more).
    pub parse_success: ParseFn,
}

/// Which body fields carry a vendor's outcome (`x-confapi-envelope`).
#[derive(Debug, Clone, Copy)]
pub struct EnvelopeFields {
    /// In-band status field (inside HTTP 200), if the vendor has one.
    pub status: Option<&'static str>,
    /// Status values that mean success.
    pub success: &'static [&'static str],
    /// Fields with the error code; the first present one counts.
    pub code: &'static [&'static str],
    /// Fields with the error message; the first present one counts.
    pub message: &'static [&'static str],
    /// Fields with the request id; the first present one counts.
    pub request_id: &'static [&'static str],
    /// The answer to a request for an unknown operation.
    pub unknown_request: Option<CannedAnswer>,
    /// Fields of an error body that tell the user what to fix.
    pub hints: &'static [crate::HintField],
}

/// Everything the generator knows about one vendor.
#[derive(Debug)]
pub struct VendorInfo {
    /// Short vendor name (`"openvox"`).
    pub name: &'static str,
    /// The API host when the spec names one without variables.
    pub default_base_url: Option<&'static str>,
    /// Where the credential goes.
    pub placement: Option<Placement>,
    /// Response header carrying the request id, if the vendor sends one.
    pub request_id_header: Option<&'static str>,
    /// Documented error codes.
    pub error_codes: &'static [ErrorCode],
    /// Which fields carry the outcome.
    pub envelope: EnvelopeFields,
    /// Every operation of the spec.
    pub operations: &'static [OperationMeta],
    /// The operations' decoders, in the same order; `None` unless the
    /// vendor crate was built with its `audit` feature.
    pub decoders: Option<&'static [Decoders]>,
    /// Documented shape of every named schema, by name.
    pub shapes: &'static [(&'static str, &'static Shape)],
    /// Names (query parameters, headers, body fields) whose values are
    /// secrets: the credential's name and every `SecretString` field.
    pub secret_names: &'static [&'static str],
    /// Answers from in front of the API (`x-confapi-refusals`).
    pub refusals: &'static [crate::Refusal],
    /// Documented rate limits by kind of account (`x-confapi-rate-limits`).
    pub rate_limits: &'static [crate::RateLimitProfile],
    /// How long a throttled call waits before it is sent again when the
    /// server gives no hint: the documented limit's span, else one second.
    pub throttle_wait: std::time::Duration,
    /// The documented allowance of calls per period, if any (`x-confapi-quota`).
    pub quota: Option<Quota>,
}

/// A documented allowance of calls per period (DingTalk's monthly API
/// count for an organisation), for planning polls within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Calls allowed in one period.
    pub calls: u64,
    /// The period, in days (30 for a month).
    pub days: u32,
    /// Who it applies to and where the figure comes from, in our words.
    pub note: &'static str,
}

impl VendorInfo {
    /// A vendor with only a name and no facts: start of test fixtures
    /// (`VendorInfo { secret_names: &["password"], ..VendorInfo::minimal("x") }`).
    pub const fn minimal(name: &'static str) -> Self {
        Self {
            name,
            default_base_url: None,
            placement: None,
            request_id_header: None,
            error_codes: &[],
            envelope: EnvelopeFields {
                status: None,
                success: &[],
                code: &[],
                message: &[],
                request_id: &[],
                unknown_request: None,
                hints: &[],
            },
            operations: &[],
            decoders: None,
            shapes: &[],
            secret_names: &[],
            refusals: &[],
            rate_limits: &[],
            throttle_wait: std::time::Duration::from_secs(1),
            quota: None,
        }
    }

    /// The documented rate limit for the kind of account `profile`, or
    /// the vendor's first one.
    pub fn rate_limit(&self, profile: &str) -> Option<&'static crate::RateLimitProfile> {
        self.rate_limits.iter().find(|p| p.name == profile).or_else(|| self.rate_limits.first())
    }

    /// Finds the operation for a method and a concrete path, with the
    /// path parameters it binds.
    pub fn find_operation(&self, method: &str, path: &str) -> Option<(&'static OperationMeta, Vec<(String, String)>)> {
        self.operations
            .iter()
            .filter(|op| op.method.eq_ignore_ascii_case(method))
            .find_map(|op| match_path(op.path, path).map(|params| (op, params)))
    }

    /// Reads a failure out of any body in the vendor's envelope or error
    /// shape, whatever the rest of the body looks like; `None` for a
    /// success or for a body that is not such an object.
    pub fn decode_failure(&self, bytes: &[u8]) -> Option<VendorFailure> {
        let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        let obj = value.as_object()?;
        let scalar = |field: &str| -> Option<String> {
            match obj.get(field)? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            }
        };
        let text = |fields: &[&str]| fields.iter().find_map(|f| scalar(f));
        let e = &self.envelope;
        let (code, message, request_id) = (text(e.code), text(e.message), text(e.request_id));
        match e.status {
            Some(status) => {
                crate::in_band_failure(scalar(status), e.success, code, message, request_id, self.error_codes)
            }
            None if code.is_some() => Some(VendorFailure::new(code, message, request_id, self.error_codes)),
            None => None,
        }
        .map(|f| f.with_body(Some(value.clone()), e.hints))
    }

    /// Finds an operation by its id.
    pub fn operation(&self, id: &str) -> Option<&'static OperationMeta> {
        self.operations.iter().find(|op| op.id == id)
    }

    /// The decoders of `op` (an operation of this vendor), when built with them.
    pub fn decoders_of(&self, op: &OperationMeta) -> Option<&'static Decoders> {
        let index = self.operations.iter().position(|o| o.id == op.id)?;
        self.decoders?.get(index)
    }

    /// The documented shape of schema `name`.
    pub fn shape(&self, name: &str) -> Option<&'static Shape> {
        self.shapes.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }

    /// Whether a query parameter, header or body field of this name holds a
    /// secret (compared ignoring case, `-` and `_`).
    pub fn is_secret_name(&self, name: &str) -> bool {
        fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
            s.chars().filter(|c| *c != '-' && *c != '_').map(|c| c.to_ascii_lowercase())
        }
        self.secret_names.iter().any(|s| folded(s).eq(folded(name)))
    }
}

/// Matches `/a/{x}/b` against `/a/42/b`, returning the bound parameters.
pub fn match_path(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let path = path.split('?').next().unwrap_or(path);
    let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut params = Vec::new();
    for (ts, ps) in t.iter().zip(&p) {
        match ts.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if !ps.is_empty() => params.push((name.to_owned(), (*ps).to_owned())),
            Some(_) => return None,
            None if ts == ps => {}
            None => return None,
        }
    }
    Some(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates_bind_parameters() {
        assert_eq!(
            match_path("/v1.0/conference/videoConferences/{conferenceId}", "/v1.0/conference/videoConferences/abc"),
            Some(vec![("conferenceId".to_owned(), "abc".to_owned())])
        );
        assert_eq!(match_path("/a/{x}", "/a/"), None);
        assert_eq!(match_path("/a/b", "/a/c"), None);
        assert_eq!(match_path("/a/b", "/a/b?token=1"), Some(vec![]));
    }

    #[test]
    fn decode_errors_name_the_path() {
        #[derive(serde::Deserialize, serde::Serialize)]
        struct Outer {
            inner: Vec<Inner>,
        }
        #[derive(serde::Deserialize, serde::Serialize)]
        struct Inner {
            n: i64,
        }
        let e = decode_as::<Outer>(br#"{"inner":[{"n":1},{"n":"x"}]}"#).unwrap_err();
        assert_eq!(e.path, "inner[1].n");
    }
}
