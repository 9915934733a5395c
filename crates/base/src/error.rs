//! The one error type every confapi client returns.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// What went wrong, coarsely: enough to decide what to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client is misconfigured (bad base URL, missing setting).
    Config,
    /// The request could not be built from the given input.
    InvalidRequest,
    /// No connection could be made (refused, DNS, TLS).
    Connect,
    /// A connect, attempt or total time limit ran out.
    Timeout,
    /// The connection broke while sending or reading.
    Transport,
    /// The server answered with an HTTP status the API does not describe,
    /// and a body that is not the vendor's error shape.
    Http,
    /// The server answered with an empty body where JSON was expected.
    EmptyBody,
    /// The body is not JSON at all (an HTML error page, plain text).
    NotJson,
    /// The body is longer than the client's response-size limit.
    BodyTooLarge,
    /// The body is JSON (or truncated JSON) that does not fit the spec.
    Decode,
    /// The vendor reported a failure in its own error shape.
    Vendor,
    /// The vendor rejected the credentials (wrong password, locked out).
    /// These are never retried automatically.
    Credentials,
    /// The token or session expired and could not be renewed.
    AuthExpired,
    /// The thing asked for does not exist (or is not running).
    NotFound,
    /// The vendor has no operation for what was asked (its spec lacks
    /// it); found before any request is sent.
    Unsupported,
    /// The call was refused for rate and not carried out: sending it again
    /// later is safe. [`Error::retry_after`] says how long to wait, where
    /// the server said.
    Throttled,
    /// A period's allowance of calls is used up (the organisation's
    /// monthly API count, say). Never retried: plan calls within it.
    QuotaExhausted,
    /// The caller (its IP or app) is refused for a while, for flooding.
    /// [`Error::retry_after`] says how long, where known.
    Blocked,
}

impl ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Config => "invalid configuration",
            ErrorKind::InvalidRequest => "invalid request",
            ErrorKind::Connect => "could not connect",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Transport => "connection failed",
            ErrorKind::Http => "unexpected HTTP response",
            ErrorKind::EmptyBody => "empty response body",
            ErrorKind::NotJson => "response is not JSON",
            ErrorKind::BodyTooLarge => "response too large",
            ErrorKind::Decode => "response does not match the API description",
            ErrorKind::Vendor => "vendor error",
            ErrorKind::Credentials => "credentials rejected",
            ErrorKind::AuthExpired => "session expired",
            ErrorKind::NotFound => "not found",
            ErrorKind::Unsupported => "not supported by this vendor",
            ErrorKind::Throttled => "throttled (rate limit)",
            ErrorKind::QuotaExhausted => "quota exhausted",
            ErrorKind::Blocked => "blocked by the vendor",
        }
    }
}

/// An error from a confapi client.
///
/// `Display` names the vendor, the kind, and whatever the server told us
/// (code, message, HTTP status, request id). It never contains a secret:
/// URLs are dropped from transport errors because they may carry a token.
#[derive(Clone)]
pub struct Error(Box<Inner>);

// Boxed: errors travel in every `Result` and should stay one pointer wide.
#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    vendor: &'static str,
    account: Option<Arc<str>>,
    operation: Option<&'static str>,
    status: Option<u16>,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    detail: Option<String>,
    hints: Vec<Hint>,
    retry_after: Option<Duration>,
    body: Option<Arc<serde_json::Value>>,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// Something the vendor's error body says about what to fix, read from a
/// field the spec names (`x-confapi-envelope.hints`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// What the field tells the user (`"request these permission scopes"`).
    pub label: &'static str,
    /// The field's value, as text (a list joined with `, `).
    pub value: String,
}

impl Error {
    /// A new error of `kind` for `vendor`.
    pub fn new(vendor: &'static str, kind: ErrorKind) -> Self {
        Self(Box::new(Inner {
            kind,
            vendor,
            account: None,
            operation: None,
            status: None,
            code: None,
            message: None,
            request_id: None,
            detail: None,
            hints: Vec::new(),
            retry_after: None,
            body: None,
            source: None,
        }))
    }

    /// Builds the error for a failure the vendor reported in its own shape.
    pub fn from_failure(vendor: &'static str, failure: VendorFailure) -> Self {
        let kind = failure.class.kind();
        let mut e = Self::new(vendor, kind);
        // For a limit, the documented meaning says which limit, whatever
        // words the server chose.
        if matches!(kind, ErrorKind::Throttled | ErrorKind::QuotaExhausted | ErrorKind::Blocked | ErrorKind::Config) {
            e.0.detail = failure.meaning.filter(|m| failure.message.as_deref() != Some(*m)).map(str::to_owned);
        }
        e.0.code = failure.code;
        e.0.message = failure.message;
        e.0.request_id = failure.request_id;
        e.0.hints = failure.hints;
        e.0.retry_after = failure.wait;
        e.0.body = failure.body.map(Arc::new);
        e
    }

    /// Sets how long to wait before sending again (a throttle's hint).
    pub fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        if wait.is_some() {
            self.0.retry_after = wait;
        }
        self
    }

    /// Sets the operation the error came from, unless it is already known
    /// (a failed login inside another call keeps naming the login).
    pub fn with_operation(mut self, operation: &'static str) -> Self {
        self.0.operation.get_or_insert(operation);
        self
    }

    /// Changes the kind (a 401 is an expired credential for every vendor).
    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.0.kind = kind;
        self
    }

    /// Sets the HTTP status of the response.
    pub fn with_status(mut self, status: u16) -> Self {
        self.0.status = Some(status);
        self
    }

    /// Sets the request id, unless the body already gave one.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        if self.0.request_id.is_none() {
            self.0.request_id = request_id;
        }
        self
    }

    /// Adds a human-readable detail (must not contain secrets).
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.0.detail = Some(detail.into());
        self
    }

    /// Attaches the underlying cause (must not print secrets).
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.0.source = Some(Arc::new(source));
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    /// The vendor whose client failed (`"openvox"`, …).
    pub fn vendor(&self) -> &'static str {
        self.0.vendor
    }
    /// The account the call was made for, where a caller with several
    /// accounts named it ([`Error::with_account`]).
    pub fn account(&self) -> Option<&str> {
        self.0.account.as_deref()
    }
    /// The same error, naming the account it happened on: `Display` then
    /// starts `hq-pbx (openvox)` instead of `openvox`.
    pub fn with_account(mut self, account: impl Into<Arc<str>>) -> Self {
        self.0.account = Some(account.into());
        self
    }
    /// The operation id, where known.
    pub fn operation(&self) -> Option<&'static str> {
        self.0.operation
    }
    /// The HTTP status, where a response arrived.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }
    /// The vendor's error code (errno, status, code), as text.
    pub fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    /// The vendor's message, or the meaning of its code from the spec.
    pub fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }
    /// The request id the vendor gave, for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// Extra detail (decode position, body excerpt).
    pub fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }
    /// What the vendor's error body says about what to fix (also shown by `Display`).
    pub fn hints(&self) -> &[Hint] {
        &self.0.hints
    }
    /// How long the server asked us to wait before sending again
    /// (`Retry-After`, a gateway's `wait`), for [`ErrorKind::Throttled`]
    /// and [`ErrorKind::Blocked`].
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }
    /// Whether the call was refused for rate and may be sent again.
    pub fn is_throttled(&self) -> bool {
        self.0.kind == ErrorKind::Throttled
    }
    /// The vendor's whole error body, as it came (every field, documented or not).
    pub fn body(&self) -> Option<&serde_json::Value> {
        self.0.body.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.account.as_deref() {
            Some(account) if account != self.0.vendor => write!(f, "{account} ({})", self.0.vendor)?,
            _ => write!(f, "{}", self.0.vendor)?,
        }
        if let Some(op) = self.0.operation {
            write!(f, " {op}")?;
        }
        write!(f, ": {}", self.0.kind.describe())?;
        if let Some(code) = &self.0.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.0.message {
            write!(f, " ({message})")?;
        }
        for hint in &self.0.hints {
            write!(f, "; {}: {}", hint.label, hint.value)?;
        }
        if let Some(detail) = &self.0.detail {
            write!(f, ": {detail}")?;
        }
        if let Some(wait) = self.0.retry_after {
            write!(f, "; wait {}", duration_text(wait))?;
        }
        // The whole cause chain: "error sending request: … Connection refused".
        let mut cause: Option<&(dyn std::error::Error + 'static)> = self.0.source.as_deref().map(|s| s as _);
        while let Some(c) = cause {
            write!(f, ": {c}")?;
            cause = c.source();
        }
        if let Some(status) = self.0.status {
            write!(f, " [HTTP {status}")?;
            if let Some(id) = &self.0.request_id {
                write!(f, ", request id {id}")?;
            }
            f.write_str("]")?;
        } else if let Some(id) = &self.0.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    /// Readable where `Debug` is what people see (a `main` that returns
    /// the error prints `Error: {:?}`): the message as `Display` writes it,
    /// then the kind, code and request id, as `io::Error` does. `{:#?}`
    /// gives every field.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !f.alternate() {
            write!(f, "{self} (kind: {:?}", self.0.kind)?;
            if let Some(code) = &self.0.code {
                write!(f, ", code: {code}")?;
            }
            if let Some(id) = &self.0.request_id {
                write!(f, ", request id: {id}")?;
            }
            return f.write_str(")");
        }
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("vendor", &self.0.vendor)
            .field("account", &self.0.account)
            .field("operation", &self.0.operation)
            .field("status", &self.0.status)
            .field("code", &self.0.code)
            .field("message", &self.0.message)
            .field("request_id", &self.0.request_id)
            .field("detail", &self.0.detail)
            .field("hints", &self.0.hints)
            .field("retry_after", &self.0.retry_after)
            // The body is the vendor's; its presence is enough here.
            .field("body", &self.0.body.as_ref().map(|_| ".."))
            .field("source", &self.0.source.as_ref().map(|s| s.to_string()))
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source.as_ref().map(|s| s.as_ref() as &(dyn std::error::Error + 'static))
    }
}

/// A wait as people read it: `5 min`, `1.5 s`, `200 ms`.
fn duration_text(d: Duration) -> String {
    let ms = d.as_millis();
    if ms >= 60_000 && ms % 60_000 == 0 {
        format!("{} min", ms / 60_000)
    } else if ms >= 1000 {
        format!("{} s", d.as_secs_f64())
    } else {
        format!("{ms} ms")
    }
}

/// A byte count as people read it: `16 MiB`, `1500 bytes`.
pub fn bytes_text(n: usize) -> String {
    const MIB: usize = 1024 * 1024;
    const KIB: usize = 1024;
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else if n >= KIB && n % KIB == 0 {
        format!("{} KiB", n / KIB)
    } else {
        format!("{n} bytes")
    }
}

/// How the client should treat a vendor error code
/// (`class` in the spec's `x-confapi-error-codes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureClass {
    /// The token or session is gone: log in again and retry once.
    AuthExpired,
    /// The credentials are wrong or locked: never retry.
    Credentials,
    /// Refused for rate, not carried out: wait and send again.
    Throttled,
    /// A period's allowance is used up: never retry.
    QuotaExhausted,
    /// The caller is refused for a while (flooding).
    Blocked,
    /// The thing asked for does not exist.
    NotFound,
    /// Something the user must set up differently (an IP allow list).
    Config,
    /// Anything else: report it.
    Other,
}

impl FailureClass {
    /// The error kind a failure of this class becomes.
    pub fn kind(self) -> ErrorKind {
        match self {
            FailureClass::AuthExpired => ErrorKind::AuthExpired,
            FailureClass::Credentials => ErrorKind::Credentials,
            FailureClass::Throttled => ErrorKind::Throttled,
            FailureClass::QuotaExhausted => ErrorKind::QuotaExhausted,
            FailureClass::Blocked => ErrorKind::Blocked,
            FailureClass::NotFound => ErrorKind::NotFound,
            FailureClass::Config => ErrorKind::Config,
            FailureClass::Other => ErrorKind::Vendor,
        }
    }

    /// The class a spec names (`auth-expired`, `quota-exhausted`, …).
    pub fn from_spec(name: &str) -> Option<Self> {
        Some(match name {
            "auth-expired" => FailureClass::AuthExpired,
            "credentials" => FailureClass::Credentials,
            "throttled" => FailureClass::Throttled,
            "quota-exhausted" => FailureClass::QuotaExhausted,
            "blocked" => FailureClass::Blocked,
            "not-found" => FailureClass::NotFound,
            "config" => FailureClass::Config,
            "other" => FailureClass::Other,
            _ => return None,
        })
    }
}

/// One documented vendor error code, as listed in the spec
/// (`x-confapi-error-codes`) and generated into each vendor crate.
#[derive(Debug, Clone, Copy)]
pub struct ErrorCode {
    /// The code as text (`"20004"`, `"InvalidAuthentication"`).
    pub code: &'static str,
    /// What it means, in our words.
    pub meaning: &'static str,
    /// What the client does about it.
    pub class: FailureClass,
}

/// A failure as the vendor reported it, before it becomes an [`Error`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorFailure {
    /// The vendor's code, as text.
    pub code: Option<String>,
    /// The vendor's message, or the documented meaning of the code.
    pub message: Option<String>,
    /// The request id from the body.
    pub request_id: Option<String>,
    /// What the body says about what to fix.
    pub hints: Vec<Hint>,
    /// The whole body.
    pub body: Option<serde_json::Value>,
    /// What the client should do.
    pub class: FailureClass,
    /// The documented meaning of the code, where the spec lists it.
    pub meaning: Option<&'static str>,
    /// How long the body says to wait before sending again.
    pub wait: Option<Duration>,
}

impl VendorFailure {
    /// Builds a failure from the parts of an error body, filling in the
    /// meaning and class of the code from the vendor's code table.
    pub fn new(code: Option<String>, message: Option<String>, request_id: Option<String>, codes: &[ErrorCode]) -> Self {
        let known = code.as_deref().and_then(|c| known_code(codes, c));
        let meaning = known.map(|k| k.meaning);
        let message = message.filter(|m| !m.is_empty()).or_else(|| meaning.map(str::to_owned));
        let class = known.map_or(FailureClass::Other, |k| k.class);
        VendorFailure { class, code, message, request_id, hints: Vec::new(), body: None, meaning, wait: None }
    }

    /// Keeps the whole body, and reads from it the fields the spec says
    /// tell the user what to fix.
    pub fn with_body(mut self, body: Option<serde_json::Value>, hints: &[HintField]) -> Self {
        if let Some(body) = &body {
            self.hints = hints.iter().filter_map(|h| h.read(body)).collect();
        }
        self.body = body;
        self
    }
}

/// The documented code `code` stands for: the same text, or a known code
/// followed by debris that is not part of a code (live servers send
/// `cloudRecordNotFound%!(EXTRA string=50513)`). The longest match wins.
pub fn known_code<'a>(codes: &'a [ErrorCode], code: &str) -> Option<&'a ErrorCode> {
    let code = code.trim();
    codes.iter().find(|k| k.code == code).or_else(|| {
        codes
            .iter()
            .filter(|k| {
                code.strip_prefix(k.code)
                    .and_then(|rest| rest.chars().next())
                    .is_some_and(|c| !(c.is_alphanumeric() || c == '.' || c == '_'))
            })
            .max_by_key(|k| k.code.len())
    })
}

/// A field of a vendor's error body that tells the user what to fix
/// (`x-confapi-envelope.hints`, generated into `EnvelopeFields::hints`).
#[derive(Debug, Clone, Copy)]
pub struct HintField {
    /// JSON path of the field (`["accessdenieddetail", "requiredScopes"]`).
    pub path: &'static [&'static str],
    /// What the field tells the user.
    pub label: &'static str,
}

impl HintField {
    /// The hint in `body`, if the field is there and not empty.
    fn read(&self, body: &serde_json::Value) -> Option<Hint> {
        let value = self.path.iter().try_fold(body, |v, key| v.get(key))?;
        let text = match value {
            serde_json::Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(", "),
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => return None,
            other => other.to_string(),
        };
        (!text.is_empty()).then_some(Hint { label: self.label, value: text })
    }
}

/// Reads a vendor's failure out of a decoded response body.
///
/// Generated for every response type: in-band envelopes (a `status` field
/// inside HTTP 200) report a failure when the status is not a success value;
/// error bodies (HTTP 4xx/5xx) always do.
pub trait Envelope {
    /// The failure this body reports, if any.
    fn failure(&self) -> Option<VendorFailure>;
}

impl Envelope for () {
    fn failure(&self) -> Option<VendorFailure> {
        None
    }
}

impl Envelope for serde_json::Value {
    fn failure(&self) -> Option<VendorFailure> {
        None
    }
}

/// Checks an in-band envelope: `None` when `status` is one of `success`.
pub fn in_band_failure(
    status: Option<String>,
    success: &[&str],
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    codes: &[ErrorCode],
) -> Option<VendorFailure> {
    match status {
        Some(s) if success.contains(&s.as_str()) => None,
        // No status and no code: nothing says it failed.
        None if code.is_none() => None,
        status => Some(VendorFailure::new(code.or(status), message, request_id, codes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES: &[ErrorCode] =
        &[ErrorCode { code: "20004", meaning: "no such token", class: FailureClass::AuthExpired }];

    #[test]
    fn display_shows_what_the_server_said() {
        let f = VendorFailure::new(Some("20004".into()), None, Some("r-1".into()), CODES);
        let e = Error::from_failure("openvox", f).with_operation("conference_query_in_session").with_status(200);
        assert_eq!(e.kind(), ErrorKind::AuthExpired);
        assert_eq!(
            e.to_string(),
            "openvox conference_query_in_session: session expired 20004 (no such token) [HTTP 200, request id r-1]"
        );
    }

    #[test]
    fn in_band_success_and_failure() {
        let ok = in_band_failure(Some("Success".into()), &["Success"], None, None, None, CODES);
        assert_eq!(ok, None);
        let bad =
            in_band_failure(Some("Failed".into()), &["Success"], Some("10003".into()), None, None, CODES).unwrap();
        assert_eq!(bad.code.as_deref(), Some("10003"));
        assert_eq!(bad.class, FailureClass::Other);
    }
}

/// Each class of the spec's code table becomes its kind, and codes match
/// through debris.
#[cfg(test)]
mod class_tests {
    use super::*;

    const TABLE: &[ErrorCode] = &[
        ErrorCode {
            code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi",
            meaning: "rate",
            class: FailureClass::Throttled,
        },
        ErrorCode {
            code: "Forbidden.AccessDenied.ApiCountLimitForOrg",
            meaning: "the monthly quota",
            class: FailureClass::QuotaExhausted,
        },
        ErrorCode { code: "Forbidden.AccessDenied", meaning: "denied", class: FailureClass::Other },
        ErrorCode { code: "cloudRecordNotFound", meaning: "no recording", class: FailureClass::NotFound },
        ErrorCode { code: "IpNotInWhiteList", meaning: "add the IP", class: FailureClass::Config },
        ErrorCode { code: "Ban", meaning: "banned", class: FailureClass::Blocked },
        ErrorCode { code: "Expired", meaning: "expired", class: FailureClass::AuthExpired },
        ErrorCode { code: "Wrong", meaning: "wrong", class: FailureClass::Credentials },
    ];

    fn kind_of(code: &str) -> ErrorKind {
        Error::from_failure("t", VendorFailure::new(Some(code.into()), None, None, TABLE)).kind()
    }

    #[test]
    fn every_class_becomes_its_kind() {
        assert_eq!(kind_of("Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"), ErrorKind::Throttled);
        assert_eq!(kind_of("Forbidden.AccessDenied.ApiCountLimitForOrg"), ErrorKind::QuotaExhausted);
        assert_eq!(kind_of("Forbidden.AccessDenied"), ErrorKind::Vendor);
        assert_eq!(kind_of("cloudRecordNotFound"), ErrorKind::NotFound);
        assert_eq!(kind_of("IpNotInWhiteList"), ErrorKind::Config);
        assert_eq!(kind_of("Ban"), ErrorKind::Blocked);
        assert_eq!(kind_of("Expired"), ErrorKind::AuthExpired);
        assert_eq!(kind_of("Wrong"), ErrorKind::Credentials);
        assert_eq!(kind_of("SomethingNew"), ErrorKind::Vendor);
        for name in ["throttled", "quota-exhausted", "blocked", "not-found", "config", "auth-expired", "credentials"] {
            assert!(FailureClass::from_spec(name).is_some(), "{name}");
        }
        assert_eq!(FailureClass::from_spec("fatal"), None);
    }

    #[test]
    fn debris_after_a_known_code_still_matches_and_the_raw_code_is_kept() {
        let e = Error::from_failure(
            "t",
            VendorFailure::new(Some("cloudRecordNotFound%!(EXTRA string=50513)".into()), None, None, TABLE),
        );
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.code(), Some("cloudRecordNotFound%!(EXTRA string=50513)"));
        assert_eq!(e.message(), Some("no recording"));
        // The longest known code wins; a longer word is another code.
        assert_eq!(
            known_code(TABLE, "Forbidden.AccessDenied.ApiCountLimitForOrg (x)").map(|k| k.class),
            Some(FailureClass::QuotaExhausted)
        );
        assert!(known_code(TABLE, "cloudRecordNotFoundYet").is_none());
        assert_eq!(known_code(TABLE, "Forbidden.AccessDenied.Other").map(|k| k.code), None);
    }

    #[test]
    fn a_limit_says_which_limit_whatever_the_servers_words() {
        let f = VendorFailure::new(
            Some("Forbidden.AccessDenied.ApiCountLimitForOrg".into()),
            Some("超限".into()),
            None,
            TABLE,
        );
        let text = Error::from_failure("t", f).to_string();
        assert_eq!(text, "t: quota exhausted Forbidden.AccessDenied.ApiCountLimitForOrg (超限): the monthly quota");
    }
}
