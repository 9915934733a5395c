//! Error classification, in one place for every vendor: whatever happened
//! to one attempt (the exchange's own failure, progenitor's result, the
//! vendor's envelope) becomes a typed value or a typed [`Error`].

use crate::meta::decode_typed;
use crate::runtime::Runtime;
use crate::{Envelope, Error, ErrorKind};
use progenitor_client::{Error as GenError, ResponseValue};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// What the exchange saw of one attempt's response.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    /// HTTP status.
    pub(crate) status: Option<u16>,
    /// The vendor's request id header.
    pub(crate) request_id: Option<String>,
    /// `Retry-After`, in seconds.
    pub(crate) retry_after: Option<Duration>,
    /// Body bytes the exchange read itself (when it buffered the body).
    pub(crate) body_read: usize,
    /// A failure of the exchange itself (attempt time limit, size limit),
    /// which wins over whatever progenitor made of the placeholder response.
    pub(crate) failure: Option<Error>,
}

impl Runtime {
    /// The typed result of one attempt.
    pub(crate) async fn outcome<T, E>(
        &self,
        result: Result<ResponseValue<T>, GenError<E>>,
        seen: Seen,
    ) -> Result<T, Error>
    where
        T: Envelope + DeserializeOwned,
        E: Envelope,
    {
        if let Some(failure) = seen.failure {
            return Err(failure);
        }
        match result {
            Ok(rv) => {
                let status = rv.status().as_u16();
                let value = rv.into_inner();
                match value.failure() {
                    None => Ok(value),
                    // An in-band failure inside a success status (OpenVox,
                    // Quanshi, DingTalk's `success: false`, a gateway refusal).
                    Some(f) => Err(self.finish(Error::from_failure(self.vendor().name, f).with_status(status), &seen)),
                }
            }
            Err(e) => Err(self.convert::<T, E>(e, &seen).await),
        }
    }

    /// Turns progenitor's error into a typed [`Error`]; `T` is the success
    /// type, used to locate a decode failure by JSON path.
    async fn convert<T: DeserializeOwned, E: Envelope>(&self, err: GenError<E>, seen: &Seen) -> Error {
        let mut err = self.convert_inner::<T, E>(err, seen).await;
        if let (None, Some(s)) = (err.status(), seen.status) {
            err = err.with_status(s);
        }
        // HTTP 401 means the credential and 429 the rate, whatever the
        // vendor's own code says.
        match err.status() {
            Some(401) if matches!(err.kind(), ErrorKind::Http | ErrorKind::Vendor) => {
                err = err.with_kind(ErrorKind::AuthExpired)
            }
            Some(429) if matches!(err.kind(), ErrorKind::Http | ErrorKind::Vendor | ErrorKind::NotJson) => {
                err = err.with_kind(ErrorKind::Throttled)
            }
            _ => {}
        }
        self.finish(err, seen)
    }

    /// What every failure gets from the response headers: the request id,
    /// and for a refusal, `Retry-After` where the body gave no wait.
    fn finish(&self, err: Error, seen: &Seen) -> Error {
        let err = err.with_request_id(seen.request_id.clone());
        match err.kind() {
            ErrorKind::Throttled | ErrorKind::Blocked if err.retry_after().is_none() => {
                err.with_retry_after(seen.retry_after)
            }
            _ => err,
        }
    }

    async fn convert_inner<T: DeserializeOwned, E: Envelope>(&self, err: GenError<E>, seen: &Seen) -> Error {
        let vendor = self.vendor();
        match err {
            GenError::InvalidRequest(msg) => self.error(ErrorKind::InvalidRequest).with_detail(self.scrub(&msg)),
            GenError::CommunicationError(e) | GenError::InvalidUpgrade(e) | GenError::ResponseBodyError(e) => {
                self.transport(e)
            }
            GenError::ErrorResponse(rv) => {
                let status = rv.status().as_u16();
                match rv.into_inner().failure() {
                    Some(f) => Error::from_failure(vendor.name, f),
                    None => self.error(ErrorKind::Vendor),
                }
                .with_status(status)
            }
            GenError::InvalidResponsePayload(bytes, e) => {
                // A gateway's refusal (a ban page, a flood guard's JSON), or a
                // failure envelope whose payload has another shape, is still
                // a failure, not a decode error.
                let failure = vendor.refusal_in_bytes(&bytes).or_else(|| vendor.decode_failure(&bytes));
                match (failure, seen.status) {
                    (Some(f), _) => Error::from_failure(vendor.name, f),
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
                let content_type = response
                    .headers()
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("no content type")
                    .to_owned();
                // The exchange buffered the body already: this cannot fail on the network.
                let bytes = match response.bytes().await {
                    Ok(b) => b,
                    Err(e) => return self.transport(e).with_status(status),
                };
                match vendor.refusal_in_bytes(&bytes).or_else(|| vendor.decode_failure(&bytes)) {
                    Some(f) => Error::from_failure(vendor.name, f),
                    None => {
                        self.error(ErrorKind::Http).with_detail(format!("{content_type}, {}", self.excerpt(&bytes)))
                    }
                }
                .with_status(status)
            }
            // The hooks never fail (the credential is checked before the
            // request is built), so this is progenitor refusing the request.
            GenError::Custom(msg) => self.error(ErrorKind::InvalidRequest).with_detail(self.scrub(&msg)),
        }
    }

    /// A transport failure, kind by cause; never with the URL, which may
    /// carry a token in its query.
    pub(crate) fn transport(&self, e: reqwest::Error) -> Error {
        let kind = if e.is_timeout() {
            ErrorKind::Timeout
        } else if e.is_connect() {
            ErrorKind::Connect
        } else {
            ErrorKind::Transport
        };
        let status = e.status().map(|s| s.as_u16());
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

    /// The start of a body, on one line, secrets removed.
    pub(crate) fn excerpt(&self, bytes: &[u8]) -> String {
        if bytes.is_empty() {
            return "empty body".into();
        }
        let text = String::from_utf8_lossy(bytes);
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // The replay server's own answer to a request it has no recording
        // for: its whole line is the news (it names the nearest recording).
        if flat.starts_with("confapi-mock: ") {
            return self.scrub(&flat.chars().take(600).collect::<String>());
        }
        let short: String = flat.chars().take(80).collect();
        let more = if flat.chars().count() > 80 { "…" } else { "" };
        format!("body starts {:?}{more}", self.scrub(&short))
    }
}
