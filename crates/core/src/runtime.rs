//! The client runtime: the inner value of every generated client. It holds
//! what a client shares between calls (vendor facts, credentials, settings)
//! and, in the copy made for one call, that call's context.

use crate::call::CallState;
use crate::counts::{CallCounts, Counters, Event};
use crate::limiter::Limiter;
use crate::meta::{OperationMeta, Placement, VendorInfo};
use crate::settings::Settings;
use crate::token::TokenCache;
use crate::{Error, ErrorKind, SecretString};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::sync::Arc;

/// Adds computed credentials to every request as headers (signed headers),
/// for vendors whose credential is not one token string.
pub trait RequestSigner: Send + Sync + std::fmt::Debug + 'static {
    /// The headers to add to the next request. Values that carry a secret
    /// should be marked sensitive.
    fn headers(&self) -> Result<HeaderMap, Error>;
}

/// How a client proves who it is.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Auth {
    /// No credential (login and token calls, tests).
    None,
    /// A token from a cache, placed where the vendor's spec says.
    Tokens(Arc<TokenCache>),
    /// Headers computed for each request.
    Signer(Arc<dyn RequestSigner>),
}

/// The header a vendor's token goes in, parsed once per client.
fn token_header(vendor: &VendorInfo) -> Option<HeaderName> {
    match vendor.placement? {
        Placement::Header(name) => HeaderName::from_bytes(name.as_bytes()).ok(),
        Placement::Query(_) => None,
    }
}

impl Auth {
    /// One token, sent as is until the server rejects it.
    pub fn fixed(token: SecretString) -> Self {
        Auth::Tokens(Arc::new(TokenCache::new(Arc::new(crate::StaticToken(token)), Default::default())))
    }
}

/// What one attempt sends as credential, decided before the request is
/// built so that placing it cannot fail.
#[derive(Debug, Clone)]
pub(crate) enum Placed {
    /// A query parameter.
    Query(&'static str, SecretString),
    /// One header with the token.
    Header(HeaderName, HeaderValue),
    /// Several headers (a signature).
    Headers(HeaderMap),
}

/// The credential of one attempt, with the token generation to invalidate
/// if the server says it expired.
pub(crate) struct AttemptCredential {
    pub(crate) placed: Option<Placed>,
    pub(crate) generation: Option<u64>,
}

pub(crate) struct Shared {
    pub(crate) vendor: &'static VendorInfo,
    /// The token header, parsed once.
    pub(crate) token_header: Option<HeaderName>,
    pub(crate) auth: Auth,
    pub(crate) settings: Settings,
    pub(crate) secrets: Vec<SecretString>,
    /// Shared with every runtime made from this one.
    pub(crate) limiter: Option<Arc<Limiter>>,
    pub(crate) counters: Arc<Counters>,
}

/// The inner value of a generated client (see `xtask`): vendor facts,
/// credentials, settings and, during a call, that call's context.
#[derive(Clone)]
pub struct Runtime {
    pub(crate) shared: Arc<Shared>,
    pub(crate) call: Option<Arc<CallState>>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("vendor", &self.shared.vendor.name)
            .field("auth", &self.shared.auth)
            .field("settings", &self.shared.settings)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// A runtime for `vendor` with these credentials and settings; `secrets`
    /// are kept out of every error message it builds.
    pub fn new(vendor: &'static VendorInfo, auth: Auth, settings: Settings, secrets: Vec<SecretString>) -> Self {
        let secrets = secrets.into_iter().filter(|s| !s.is_empty()).collect();
        let limiter = Limiter::new(vendor, settings.rate_limits, settings.rate_profile).map(Arc::new);
        let counters = Arc::new(Counters::new(vendor));
        Self {
            shared: Arc::new(Shared {
                vendor,
                token_header: token_header(vendor),
                auth,
                settings,
                secrets,
                limiter,
                counters,
            }),
            call: None,
        }
    }

    /// The same vendor, settings and secrets with other credentials (a
    /// login client's keepalive call sends one specific token, say).
    pub fn with_auth(&self, auth: Auth) -> Self {
        let shared = &self.shared;
        let secrets = shared.secrets.clone();
        Self {
            shared: Arc::new(Shared {
                vendor: shared.vendor,
                token_header: shared.token_header.clone(),
                auth,
                settings: shared.settings.clone(),
                secrets,
                limiter: shared.limiter.clone(),
                counters: shared.counters.clone(),
            }),
            call: None,
        }
    }

    /// The same runtime carrying the context of one call.
    pub(crate) fn for_call(&self, call: Arc<CallState>) -> Self {
        Self { shared: self.shared.clone(), call: Some(call) }
    }

    /// The vendor facts this runtime serves.
    pub fn vendor(&self) -> &'static VendorInfo {
        self.shared.vendor
    }

    /// The settings the client was built with.
    pub fn settings(&self) -> &Settings {
        &self.shared.settings
    }

    /// How many times a credential was obtained: logins for OpenVox, token
    /// requests for DingTalk, token-source calls for Quanshi.
    pub fn credential_fetches(&self) -> u64 {
        match &self.shared.auth {
            Auth::Tokens(tokens) => tokens.fetch_count(),
            Auth::None | Auth::Signer(_) => 0,
        }
    }

    /// What this client's calls have cost so far, per operation: requests
    /// sent, throttled answers, and requests that repeated an earlier one.
    /// Clones of a client share the counts.
    pub fn call_counts(&self) -> CallCounts {
        self.shared.counters.snapshot()
    }

    pub(crate) fn count(&self, op: &OperationMeta, event: Event) {
        self.shared.counters.add(op, event);
    }

    /// Waits for the client-side rate limit to let `op` go.
    pub(crate) async fn await_turn(&self, op: &OperationMeta) -> std::time::Duration {
        match &self.shared.limiter {
            Some(limiter) => limiter.acquire(op).await,
            None => std::time::Duration::ZERO,
        }
    }

    /// Forgets the cached credential (and a refusal of it): the next call
    /// obtains a new one.
    pub async fn reset_credential(&self) {
        if let Auth::Tokens(tokens) = &self.shared.auth {
            tokens.reset().await;
        }
    }

    pub(crate) fn error(&self, kind: ErrorKind) -> Error {
        Error::new(self.shared.vendor.name, kind)
    }

    /// Removes every known secret from `text`.
    pub fn scrub(&self, text: &str) -> String {
        let current = match &self.shared.auth {
            Auth::Tokens(tokens) => tokens.peek(),
            _ => None,
        };
        let mut out = text.to_owned();
        for s in self.shared.secrets.iter().chain(current.as_ref()) {
            if s.expose().len() >= 4 {
                out = out.replace(s.expose(), "[REDACTED]");
            }
        }
        out
    }

    /// Obtains the credential for one attempt of `op` (once) and decides
    /// where it goes. A credential that cannot be sent is a configuration
    /// error, found here rather than after a request.
    pub(crate) async fn credential(&self, op: &OperationMeta) -> Result<AttemptCredential, Error> {
        let none = AttemptCredential { placed: None, generation: None };
        if !op.authenticated {
            return Ok(none);
        }
        match &self.shared.auth {
            Auth::None => Ok(none),
            Auth::Signer(signer) => {
                Ok(AttemptCredential { placed: Some(Placed::Headers(signer.headers()?)), generation: None })
            }
            Auth::Tokens(tokens) => {
                let credential = tokens.get().await?;
                let placed = match (self.shared.vendor.placement, &self.shared.token_header) {
                    (Some(Placement::Query(name)), _) => Some(Placed::Query(name, credential.secret)),
                    (Some(Placement::Header(_)), Some(header)) => {
                        let mut value = HeaderValue::from_str(credential.secret.expose()).map_err(|_| {
                            self.error(ErrorKind::Config)
                                .with_detail("the token holds characters an HTTP header cannot carry")
                        })?;
                        value.set_sensitive(true);
                        Some(Placed::Header(header.clone(), value))
                    }
                    _ => None,
                };
                Ok(AttemptCredential { placed, generation: Some(credential.generation) })
            }
        }
    }

    /// Marks the credential of `generation` as expired.
    pub(crate) async fn invalidate(&self, generation: u64) {
        if let Auth::Tokens(tokens) = &self.shared.auth {
            tokens.invalidate(generation).await;
        }
    }

    /// The pre-request hook of every generated client: drops the
    /// `api-version` header progenitor adds and places this call's
    /// credential. It cannot fail: the credential was checked beforehand.
    pub fn prepare(&self, request: &mut reqwest::Request) {
        request.headers_mut().remove("api-version");
        if let Some(call) = &self.call {
            call.place(request);
        }
    }

    /// The request id header of a response, if the vendor sends one.
    pub(crate) fn request_id(&self, headers: &HeaderMap) -> Option<String> {
        let name = self.shared.vendor.request_id_header?;
        headers.get(name)?.to_str().ok().map(str::to_owned)
    }
}
