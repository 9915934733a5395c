//! The client runtime: the inner value of every generated client. It places
//! the credential on each request, turns whatever happened into one typed
//! [`Error`], and renews an expired credential once per call.

use crate::meta::{decode_typed, Placement, VendorInfo};
use crate::retry::{self, RetryPolicy};
use crate::token::TokenCache;
use crate::{Envelope, Error, ErrorKind, SecretString};
use progenitor_client::{Error as GenError, ResponseValue};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

/// Time limits of a client. Every vendor client takes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Limit for establishing a TCP (and TLS) connection. Default 5 s.
    pub connect: Duration,
    /// Limit for one HTTP exchange, from sending to the last body byte. Default 30 s.
    pub attempt: Duration,
    /// Limit for a whole call, including login and one renewal. Default 60 s.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self { connect: Duration::from_secs(5), attempt: Duration::from_secs(30), total: Duration::from_secs(60) }
    }
}

impl Timeouts {
    /// A `reqwest` client with these limits and rustls.
    pub fn http_client(&self, vendor: &'static str) -> Result<reqwest::Client, Error> {
        reqwest::Client::builder()
            .connect_timeout(self.connect)
            .timeout(self.attempt)
            .user_agent(concat!("confapi/", env!("CARGO_PKG_VERSION")))
            // The APIs never redirect, and a redirect to another host would
            // carry the token (query or custom header) along.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::new(vendor, ErrorKind::Config).with_source(e.without_url()))
    }
}

/// What the post hook saw of a response.
#[derive(Debug, Clone, Default)]
struct Seen {
    status: Option<u16>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
}

tokio::task_local! {
    /// What the post hook saw of the last response within one `Runtime::call`.
    static LAST_RESPONSE: RefCell<Seen>;
}

/// The post-response hook of every generated client (its `ClientHooks::post`):
/// notes status, request id and `Retry-After`, so that an error whose body
/// cannot be decoded still reports them and retries can wait as asked.
pub fn observe_response(runtime: &Runtime, result: &reqwest::Result<reqwest::Response>) {
    if let Ok(response) = result {
        let headers = response.headers();
        let seen = Seen {
            status: Some(response.status().as_u16()),
            request_id: runtime.request_id(headers),
            retry_after: headers
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(retry::parse_retry_after),
        };
        let _ = LAST_RESPONSE.try_with(|c| *c.borrow_mut() = seen);
    }
}

/// Checks a client's base URL (http or https) and drops a trailing slash.
pub fn base_url(vendor: &'static str, url: &str) -> Result<String, Error> {
    let trimmed = url.trim_end_matches('/');
    match reqwest::Url::parse(trimmed) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => Ok(trimmed.to_owned()),
        _ => {
            Err(Error::new(vendor, ErrorKind::Config)
                .with_detail(format!("base URL {trimmed:?} is not an http(s) URL")))
        }
    }
}

/// Adds computed credentials to a request (signed headers), for vendors
/// whose credential is not one token string.
pub trait RequestSigner: Send + Sync + std::fmt::Debug + 'static {
    /// Signs `request` in place.
    fn sign(&self, request: &mut reqwest::Request) -> Result<(), Error>;
}

/// What every vendor client is configured with besides its credentials:
/// time limits and retries. One place for the defaults and for applying them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientOptions {
    /// Time limits.
    pub timeouts: Timeouts,
    /// Retries (none by default).
    pub retry: RetryPolicy,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self { timeouts: Timeouts::default(), retry: RetryPolicy::none() }
    }
}

impl ClientOptions {
    /// The HTTP client these limits ask for.
    pub fn http_client(&self, vendor: &'static str) -> Result<reqwest::Client, Error> {
        self.timeouts.http_client(vendor)
    }

    /// `runtime` with the total limit and the retry policy.
    pub fn apply(&self, runtime: Runtime) -> Runtime {
        runtime.with_total_timeout(self.timeouts.total).with_retry(self.retry)
    }
}

/// The inner value of a generated client (see `xtask`): vendor facts,
/// credential cache, secrets to keep out of errors, and the total timeout.
#[derive(Clone)]
pub struct Runtime {
    vendor: &'static VendorInfo,
    tokens: Option<Arc<TokenCache>>,
    signer: Option<Arc<dyn RequestSigner>>,
    secrets: Vec<SecretString>,
    total_timeout: Option<Duration>,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("vendor", &self.vendor.name)
            .field("placement", &self.vendor.placement)
            .field("tokens", &self.tokens)
            .field("signer", &self.signer)
            .field("total_timeout", &self.total_timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// A runtime that sends no credential (for login calls and tests).
    pub fn anonymous(vendor: &'static VendorInfo) -> Self {
        Self {
            vendor,
            tokens: None,
            signer: None,
            secrets: Vec::new(),
            total_timeout: None,
            retry: RetryPolicy::none(),
        }
    }

    /// A runtime that places the credential from `tokens` on each request,
    /// where the vendor's spec says it goes.
    pub fn with_tokens(vendor: &'static VendorInfo, tokens: Arc<TokenCache>) -> Self {
        Self { tokens: Some(tokens), ..Self::anonymous(vendor) }
    }

    /// A runtime that signs each request with `signer` instead of a token.
    pub fn with_signer(vendor: &'static VendorInfo, signer: Arc<dyn RequestSigner>) -> Self {
        Self { signer: Some(signer), ..Self::anonymous(vendor) }
    }

    /// Also keeps `secret` out of every error message this runtime builds.
    pub fn scrubbing(mut self, secret: SecretString) -> Self {
        if !secret.is_empty() {
            self.secrets.push(secret);
        }
        self
    }

    /// Limits each call, renewal included, to `total`.
    pub fn with_total_timeout(mut self, total: Duration) -> Self {
        self.total_timeout = Some(total);
        self
    }

    /// Retries failed calls as `policy` allows (none by default).
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The vendor facts this runtime serves.
    pub fn vendor(&self) -> &'static VendorInfo {
        self.vendor
    }

    /// The credential cache, if this runtime sends credentials.
    pub fn tokens(&self) -> Option<&Arc<TokenCache>> {
        self.tokens.as_ref()
    }

    fn error(&self, kind: ErrorKind) -> Error {
        Error::new(self.vendor.name, kind)
    }

    /// Removes every known secret from `text`.
    pub fn scrub(&self, text: &str) -> String {
        let current = self.tokens.as_ref().and_then(|t| t.peek());
        let mut out = text.to_owned();
        for s in self.secrets.iter().chain(current.as_ref()) {
            if s.expose().len() >= 4 {
                out = out.replace(s.expose(), "[REDACTED]");
            }
        }
        out
    }

    /// Runs one generated call (`op`) to completion: obtains the credential,
    /// sends, checks the vendor's envelope, and on an expired credential
    /// renews it and runs `op` once more. Whatever fails becomes an [`Error`].
    pub async fn call<T, E, F, Fut>(&self, op: F) -> Result<T, Error>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<ResponseValue<T>, GenError<E>>>,
        T: Envelope + DeserializeOwned,
        E: Envelope,
    {
        self.run(None, op).await
    }

    /// [`Runtime::call`] for a named operation of the spec: errors name it,
    /// and an operation that needs no credential (login) does not fetch one.
    pub async fn call_operation<T, E, F, Fut>(&self, operation_id: &'static str, op: F) -> Result<T, Error>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<ResponseValue<T>, GenError<E>>>,
        T: Envelope + DeserializeOwned,
        E: Envelope,
    {
        self.run(Some(operation_id), op).await.map_err(|e| e.with_operation(operation_id))
    }

    async fn run<T, E, F, Fut>(&self, operation_id: Option<&str>, op: F) -> Result<T, Error>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<ResponseValue<T>, GenError<E>>>,
        T: Envelope + DeserializeOwned,
        E: Envelope,
    {
        let meta = operation_id.and_then(|id| self.vendor.operation(id));
        let tokens = self.tokens.as_ref().filter(|_| meta.is_none_or(|m| m.authenticated));
        // Without an operation id nothing says the call is safe to repeat.
        let safe = meta.is_some_and(|m| m.safe);
        let span = tracing::debug_span!(
            "confapi.call",
            vendor = self.vendor.name,
            operation = operation_id.unwrap_or("-"),
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let attempts = async {
            let (mut renewed, mut retries, mut attempt) = (false, 0u32, 0u32);
            loop {
                attempt += 1;
                tracing::Span::current().record("attempt", attempt);
                let credential = match tokens {
                    Some(tokens) => Some(tokens.get().await?),
                    None => None,
                };
                let (result, seen) = LAST_RESPONSE
                    .scope(RefCell::new(Seen::default()), async { (op().await, LAST_RESPONSE.with(|c| c.take())) })
                    .await;
                if let Some(status) = seen.status {
                    tracing::Span::current().record("status", status);
                }
                if let Some(id) = &seen.request_id {
                    tracing::Span::current().record("request_id", id.as_str());
                }
                let err = match result {
                    Ok(rv) => {
                        let status = rv.status().as_u16();
                        let request_id = self.request_id(rv.headers());
                        let value = rv.into_inner();
                        match value.failure() {
                            None => {
                                tracing::debug!("call succeeded");
                                return Ok(value);
                            }
                            Some(f) => {
                                Error::from_failure(self.vendor.name, f).with_status(status).with_request_id(request_id)
                            }
                        }
                    }
                    Err(e) => self.convert::<T, E>(e, &seen).await,
                };
                tracing::debug!(kind = ?err.kind(), code = err.code(), "call failed");
                match (tokens, &credential) {
                    (Some(tokens), Some(c)) if err.kind() == ErrorKind::AuthExpired && !renewed => {
                        tracing::debug!("credential rejected; renewing it once");
                        tokens.invalidate(c.generation).await;
                        renewed = true;
                        continue;
                    }
                    _ => {}
                }
                if retries + 1 < self.retry.max_attempts && retry::retryable(&err, safe) {
                    retries += 1;
                    let wait = self.retry.delay(retries, seen.retry_after);
                    tracing::debug!(wait_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                    continue;
                }
                return Err(err);
            }
        };
        let attempts = tracing::Instrument::instrument(attempts, span);
        match self.total_timeout {
            None => attempts.await,
            Some(limit) => tokio::time::timeout(limit, attempts).await.unwrap_or_else(|_| {
                Err(self
                    .error(ErrorKind::Timeout)
                    .with_detail(format!("no result within the total limit of {limit:?}")))
            }),
        }
    }

    fn request_id(&self, headers: &HeaderMap) -> Option<String> {
        let name = self.vendor.request_id_header?;
        headers.get(name)?.to_str().ok().map(str::to_owned)
    }

    /// Turns a generated client's error into a typed [`Error`]; `T` is the
    /// success type, used to locate a decode failure by JSON path, and
    /// `seen` what the post hook saw of the response (status, request id).
    async fn convert<T: DeserializeOwned, E: Envelope>(&self, err: GenError<E>, seen: &Seen) -> Error {
        let mut err = self.convert_inner::<T, E>(err, seen).await.with_request_id(seen.request_id.clone());
        if let (None, Some(s)) = (err.status(), seen.status) {
            err = err.with_status(s);
        }
        // HTTP 401 means the credential, whatever the vendor's own code says.
        if err.status() == Some(401) && matches!(err.kind(), ErrorKind::Http | ErrorKind::Vendor) {
            err = err.with_kind(ErrorKind::AuthExpired);
        }
        err
    }

    async fn convert_inner<T: DeserializeOwned, E: Envelope>(&self, err: GenError<E>, seen: &Seen) -> Error {
        match err {
            GenError::InvalidRequest(msg) => self.error(ErrorKind::InvalidRequest).with_detail(self.scrub(&msg)),
            GenError::CommunicationError(e) | GenError::InvalidUpgrade(e) | GenError::ResponseBodyError(e) => {
                self.transport(e)
            }
            GenError::ErrorResponse(rv) => {
                let status = rv.status().as_u16();
                let request_id = self.request_id(rv.headers());
                match rv.into_inner().failure() {
                    Some(f) => Error::from_failure(self.vendor.name, f),
                    None => self.error(ErrorKind::Vendor),
                }
                .with_status(status)
                .with_request_id(request_id)
            }
            GenError::InvalidResponsePayload(bytes, e) => {
                // A failure envelope whose payload has another shape is still
                // the vendor's failure, not a decode error.
                match (self.vendor.decode_failure(&bytes), seen.status) {
                    (Some(f), _) => Error::from_failure(self.vendor.name, f),
                    // An error status whose body is not the vendor's error shape
                    // (a gateway's HTML page): the status is the news.
                    (None, Some(status)) if status >= 400 => {
                        self.error(ErrorKind::Http).with_status(status).with_detail(self.excerpt(&bytes))
                    }
                    (None, _) => self.payload_error::<T>(&bytes, &e),
                }
            }
            GenError::UnexpectedResponse(response) => {
                let status = response.status().as_u16();
                let request_id = self.request_id(response.headers());
                let content_type = response
                    .headers()
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("no content type")
                    .to_owned();
                let bytes = match response.bytes().await {
                    Ok(b) => b,
                    Err(e) => return self.transport(e).with_status(status),
                };
                match self.vendor.decode_failure(&bytes) {
                    Some(f) => Error::from_failure(self.vendor.name, f),
                    None => {
                        self.error(ErrorKind::Http).with_detail(format!("{content_type}, {}", self.excerpt(&bytes)))
                    }
                }
                .with_status(status)
                .with_request_id(request_id)
            }
            GenError::Custom(msg) => self.error(ErrorKind::AuthExpired).with_detail(self.scrub(&msg)),
        }
    }

    fn transport(&self, e: reqwest::Error) -> Error {
        let kind = if e.is_timeout() {
            ErrorKind::Timeout
        } else if e.is_connect() {
            ErrorKind::Connect
        } else {
            ErrorKind::Transport
        };
        let status = e.status().map(|s| s.as_u16());
        // The URL may carry a token in its query: drop it.
        let mut err = self.error(kind).with_source(e.without_url());
        if let Some(s) = status {
            err = err.with_status(s);
        }
        err
    }

    fn payload_error<T: DeserializeOwned>(&self, bytes: &[u8], e: &serde_json::Error) -> Error {
        let text = String::from_utf8_lossy(bytes);
        let trimmed = text.trim_start();
        if trimmed.is_empty() {
            return self.error(ErrorKind::EmptyBody);
        }
        if !trimmed.starts_with(['{', '[', '"']) && serde_json::from_str::<serde_json::Value>(trimmed).is_err() {
            return self.error(ErrorKind::NotJson).with_detail(self.excerpt(bytes));
        }
        if e.is_eof() {
            return self.error(ErrorKind::Decode).with_detail(format!(
                "truncated JSON (ends at line {} column {})",
                e.line(),
                e.column()
            ));
        }
        let detail = match decode_typed::<T>(bytes) {
            Err(located) => located.to_string(),
            Ok(_) => e.to_string(),
        };
        self.error(ErrorKind::Decode).with_detail(self.scrub(&detail))
    }

    fn excerpt(&self, bytes: &[u8]) -> String {
        if bytes.is_empty() {
            return "empty body".into();
        }
        let text = String::from_utf8_lossy(bytes);
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let short: String = flat.chars().take(80).collect();
        let more = if flat.chars().count() > 80 { "…" } else { "" };
        format!("body starts {:?}{more}", self.scrub(&short))
    }
}

/// The pre-request hook of every generated client (its `ClientHooks::pre`):
/// drops the `api-version` header progenitor adds and places the credential
/// where the spec says, unless the operation needs none (login).
pub async fn prepare_request(
    runtime: &Runtime,
    request: &mut reqwest::Request,
    operation_id: &str,
) -> Result<(), Error> {
    request.headers_mut().remove("api-version");
    let operation = runtime.vendor.operation(operation_id);
    if operation.is_some_and(|op| !op.authenticated) {
        return Ok(());
    }
    if let Some(signer) = &runtime.signer {
        signer.sign(request)?;
    }
    let (Some(tokens), Some(placement)) = (&runtime.tokens, runtime.vendor.placement) else {
        return Ok(());
    };
    let credential = tokens.get().await?;
    match placement {
        Placement::Query(name) => {
            request.url_mut().query_pairs_mut().append_pair(name, credential.secret.expose());
        }
        Placement::Header(name) => {
            let mut value = HeaderValue::from_str(credential.secret.expose()).map_err(|_| {
                runtime.error(ErrorKind::Config).with_detail("the token contains characters not allowed in a header")
            })?;
            value.set_sensitive(true);
            request.headers_mut().insert(HeaderName::from_static(name), value);
        }
    }
    Ok(())
}
