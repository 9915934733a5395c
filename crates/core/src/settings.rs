//! What every vendor client is configured with besides its credentials:
//! host, time limits, retries, the HTTP client and the response-size limit.
//! One place for the defaults, for the builder setters (the
//! [`settings_setters!`](crate::settings_setters) macro) and for assembling a
//! client from them.

use crate::client::GeneratedClient;
use crate::meta::VendorInfo;
use crate::runtime::{Auth, Runtime};
use crate::{Error, ErrorKind, RateLimits, RetryPolicy, SecretString};
use std::sync::Arc;
use std::time::Duration;

/// A caller's adjustment of the HTTP client builder (see [`Settings::configure_http`]).
pub type ConfigureHttp = Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync>;

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

/// The largest response body a client reads unless told otherwise: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// A client's settings other than credentials. Vendor builders hold one and
/// expose its setters through [`settings_setters!`](crate::settings_setters).
#[derive(Clone)]
pub struct Settings {
    /// The API host; `None` means the vendor's default (if it has one).
    pub base_url: Option<String>,
    /// Time limits.
    pub timeouts: Timeouts,
    /// Retries (none by default).
    pub retry: RetryPolicy,
    /// The caller's HTTP client, if given; else one is built from `timeouts`.
    pub http: Option<reqwest::Client>,
    /// The caller's adjustment of the client built from these settings
    /// (root certificates, a client identity, a proxy).
    pub configure_http: Option<ConfigureHttp>,
    /// The largest response body read, in bytes.
    pub max_response_bytes: usize,
    /// The client-side rate limit (the vendor's documented one by default).
    pub rate_limits: RateLimits,
    /// Which of the vendor's documented limits applies (`"default"`,
    /// `"third-party"`); set by the vendor builder from the credentials.
    pub rate_profile: &'static str,
    /// How many times a throttled call is sent again (default 3; 0 turns
    /// it off). A throttled request was not carried out, so this holds for
    /// every operation, and the waits count against the total time limit.
    pub throttle_retries: u32,
}

/// How often a throttled call is sent again unless told otherwise.
pub const DEFAULT_THROTTLE_RETRIES: u32 = 3;

impl Default for Settings {
    fn default() -> Self {
        Self {
            base_url: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::none(),
            http: None,
            configure_http: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            rate_limits: RateLimits::Vendor,
            rate_profile: "default",
            throttle_retries: DEFAULT_THROTTLE_RETRIES,
        }
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("base_url", &self.base_url)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            // A caller's client may carry default headers: never print them.
            .field("http", &self.http.as_ref().map(|_| "caller's reqwest::Client"))
            .field("configure_http", &self.configure_http.as_ref().map(|_| "caller's adjustment"))
            .field("max_response_bytes", &self.max_response_bytes)
            .field("rate_limits", &self.rate_limits)
            .field("rate_profile", &self.rate_profile)
            .field("throttle_retries", &self.throttle_retries)
            .finish()
    }
}

impl Settings {
    /// Builds a vendor's generated client from these settings and `auth`,
    /// keeping `secrets` out of every error it reports.
    pub fn client<C: GeneratedClient>(
        &self,
        vendor: &'static VendorInfo,
        auth: Auth,
        secrets: Vec<SecretString>,
    ) -> Result<C, Error> {
        let url = self.base_url.as_deref().or(vendor.default_base_url).ok_or_else(|| {
            Error::new(vendor.name, ErrorKind::Config).with_detail("no base URL: the vendor has no default host")
        })?;
        let url = base_url(vendor.name, url)?;
        let http = match &self.http {
            Some(client) => client.clone(),
            None => http_client(vendor.name, &self.timeouts, self.configure_http.as_ref())?,
        };
        let runtime = Runtime::new(vendor, auth, self.clone(), secrets);
        Ok(C::assemble(&url, http, runtime))
    }
}

/// One `reqwest` client for many vendor clients to share (through their
/// builders' `http_client`): the connect and attempt limits of `timeouts`,
/// redirects off. Each `reqwest` client holds its own connection pool and
/// TLS roots, about 200 KiB, so a process with many accounts shares one.
pub fn shared_http_client(timeouts: &Timeouts) -> Result<reqwest::Client, Error> {
    http_client("confapi", timeouts, None)
}

/// A `reqwest` client with the caller's adjustment, then these limits and
/// redirects off, whatever the adjustment set.
fn http_client(
    vendor: &'static str,
    timeouts: &Timeouts,
    configure: Option<&ConfigureHttp>,
) -> Result<reqwest::Client, Error> {
    let mut builder = reqwest::Client::builder().user_agent(concat!("confapi/", env!("CARGO_PKG_VERSION")));
    if let Some(configure) = configure {
        builder = configure(builder);
    }
    builder
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.attempt)
        // The APIs never redirect, and reqwest forwards custom headers (our
        // token headers among them) to the host a redirect names.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::new(vendor, ErrorKind::Config).with_source(e.without_url()))
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

/// The setters every vendor builder shares, written once. Expand it inside
/// the `impl` of a builder that has a field `settings: confapi_core::Settings`.
#[macro_export]
macro_rules! settings_setters {
    () => {
        /// Another API host (a test server, a proxy, a private deployment).
        pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
            self.settings.base_url = Some(base_url.into());
            self
        }

        /// Time limits (connect, attempt, total); see [`Timeouts`](confapi_core::Timeouts) for defaults.
        pub fn timeouts(mut self, timeouts: $crate::Timeouts) -> Self {
            self.settings.timeouts = timeouts;
            self
        }

        /// Retries, off by default; see [`RetryPolicy`](confapi_core::RetryPolicy) for what is retried.
        pub fn retry(mut self, policy: $crate::RetryPolicy) -> Self {
            self.settings.retry = policy;
            self
        }

        /// Adjusts the HTTP client the builder makes: extra root
        /// certificates (a PBX with its own certificate), a client identity,
        /// a proxy. Whatever the adjustment sets, redirects stay off and the
        /// time limits stay those of `timeouts`. The way to change TLS or
        /// proxies with every guarantee kept.
        pub fn configure_http(
            mut self,
            adjust: impl Fn($crate::reqwest::ClientBuilder) -> $crate::reqwest::ClientBuilder + Send + Sync + 'static,
        ) -> Self {
            self.settings.configure_http = Some(::std::sync::Arc::new(adjust));
            self
        }

        /// Sends through the caller's own `reqwest::Client` (to share its
        /// connection pool). The attempt and total limits, retries and the
        /// response-size limit still apply; its connect timeout is its own.
        /// Build it with `redirect::Policy::none()`: reqwest forwards custom
        /// headers, the token's among them, to the host a redirect names. A
        /// redirect it followed fails the call with `ErrorKind::Config`.
        pub fn http_client(mut self, client: $crate::reqwest::Client) -> Self {
            self.settings.http = Some(client);
            self
        }

        /// The largest response body to read, in bytes (default 16 MiB).
        /// A longer body fails the call with `ErrorKind::BodyTooLarge`.
        pub fn max_response_bytes(mut self, limit: usize) -> Self {
            self.settings.max_response_bytes = limit;
            self
        }

        /// Keeps the client under `limit` instead of the vendor's documented
        /// limit. Calls over it wait their turn (the wait counts against the
        /// total time limit); the client's clones share the limit.
        pub fn rate_limit(mut self, limit: $crate::RateLimit) -> Self {
            self.settings.rate_limits = $crate::RateLimits::Custom(limit);
            self
        }

        /// No client-side rate limit: every call is sent at once (the
        /// server may then throttle; throttled calls are still sent again).
        pub fn no_rate_limit(mut self) -> Self {
            self.settings.rate_limits = $crate::RateLimits::Off;
            self
        }

        /// How many times a throttled call is sent again (default 3; 0
        /// turns it off). The wait is what the server asked for, else the
        /// vendor's documented span, with jitter.
        pub fn throttle_retries(mut self, times: u32) -> Self {
            self.settings.throttle_retries = times;
            self
        }
    };
}
