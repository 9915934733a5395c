//! Quanshi credentials: an API token (fixed or from a caller's source), or
//! signed headers (AppKey, Nonce, CurTime, CheckSum) for the account calls.

use confapi_core::{Error, ErrorKind, RequestSigner, SecretString};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use sha1::{Digest, Sha1};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Signs each request with AppKey, Nonce, CurTime and
/// `CheckSum = hex(SHA-1(AppSecret + Nonce + CurTime))`.
pub(crate) struct SignedHeaders {
    app_key: HeaderValue,
    app_secret: SecretString,
}

impl SignedHeaders {
    /// Fails with [`ErrorKind::Config`] when the AppKey cannot be sent as a
    /// header, so no call is ever tried with it.
    pub(crate) fn new(app_key: &str, app_secret: SecretString) -> Result<Self, Error> {
        let app_key = HeaderValue::from_str(app_key).map_err(|_| {
            Error::new(crate::generated::meta::VENDOR.name, ErrorKind::Config)
                .with_detail("the AppKey holds characters an HTTP header cannot carry")
        })?;
        Ok(Self { app_key, app_secret })
    }
}

impl std::fmt::Debug for SignedHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedHeaders").field("app_key", &self.app_key).field("app_secret", &self.app_secret).finish()
    }
}

/// Lowercase hex SHA-1 of `secret + nonce + cur_time`.
pub(crate) fn checksum(secret: &SecretString, nonce: &str, cur_time: &str) -> String {
    let mut sha = Sha1::new();
    sha.update(secret.expose().as_bytes());
    sha.update(nonce.as_bytes());
    sha.update(cur_time.as_bytes());
    sha.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 hex characters that differ on every call (anti-replay, not a key).
fn nonce() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut out = String::with_capacity(32);
    for _ in 0..2 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_u128(SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

impl RequestSigner for SignedHeaders {
    fn headers(&self) -> Result<HeaderMap, Error> {
        let cur_time = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0).to_string();
        let nonce = nonce();
        let mut sum = HeaderValue::from_str(&checksum(&self.app_secret, &nonce, &cur_time)).map_err(|_| bad_value())?;
        sum.set_sensitive(true);
        let mut headers = HeaderMap::with_capacity(4);
        headers.insert(HeaderName::from_static("appkey"), self.app_key.clone());
        headers.insert(HeaderName::from_static("nonce"), HeaderValue::from_str(&nonce).map_err(|_| bad_value())?);
        headers.insert(HeaderName::from_static("curtime"), HeaderValue::from_str(&cur_time).map_err(|_| bad_value())?);
        headers.insert(HeaderName::from_static("checksum"), sum);
        Ok(headers)
    }
}

/// Hex digits and decimal digits are always valid header values; kept
/// typed rather than unwrapped all the same.
fn bad_value() -> Error {
    Error::new(crate::generated::meta::VENDOR.name, ErrorKind::Config)
        .with_detail("a signed header is not a valid header value")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_is_lowercase_hex_sha1_of_the_concatenation() {
        // sha1("secret" + "abc" + "1700000000000"), computed with another tool.
        let s = checksum(&SecretString::new("secret"), "abc", "1700000000000");
        assert_eq!(s, "98e02d6d623ce4e3851a80f42076cd93fa314004");
    }

    #[test]
    fn nonces_differ() {
        assert_ne!(nonce(), nonce());
        assert_eq!(nonce().len(), 32);
    }
}
