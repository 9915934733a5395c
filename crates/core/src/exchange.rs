//! One HTTP exchange (progenitor's `exec` hook): send, read at most the
//! size limit of the body within the attempt's time limit, and note what
//! the response said for the call loop.

use crate::outcome::Seen;
use crate::retry;
use crate::runtime::Runtime;
use crate::{Error, ErrorKind};
use bytes::{Bytes, BytesMut};
use reqwest::ResponseBuilderExt;

impl Runtime {
    /// Sends `request` with `http` and hands progenitor a response whose
    /// body is already in memory. A failure of the exchange itself (the
    /// attempt's time limit, the size limit) is recorded in the call's
    /// context, where it wins over the placeholder response returned here.
    pub async fn exchange(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
    ) -> reqwest::Result<reqwest::Response> {
        let limit = self.settings().timeouts.attempt;
        // The client built from the settings enforces the attempt limit
        // itself (reqwest's timeout covers the body); a caller's may not.
        if self.settings().http.is_none() {
            return self.send_and_read(http, request).await;
        }
        match tokio::time::timeout(limit, self.send_and_read(http, request)).await {
            Ok(result) => result,
            Err(_) => {
                let detail = format!("no complete response within the attempt limit of {limit:?}");
                self.fail(self.error(ErrorKind::Timeout).with_detail(detail));
                Ok(placeholder())
            }
        }
    }

    async fn send_and_read(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
    ) -> reqwest::Result<reqwest::Response> {
        let mut response = http.execute(request).await?;
        let status = response.status();
        let request_id = self.request_id(response.headers());
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(retry::parse_retry_after);
        self.note(|seen| {
            seen.status = Some(status.as_u16());
            seen.request_id = request_id;
            seen.retry_after = retry_after;
        });
        let max = self.settings().max_response_bytes;
        match response.content_length() {
            Some(announced) if announced > max as u64 => {
                self.fail(self.too_large(max).with_status(status.as_u16()));
                return Ok(placeholder());
            }
            // An announced length within the limit bounds the body (hyper
            // reads no more), and on the client built from the settings
            // reqwest's timeout covers reading it: hand it on unread.
            Some(_) if self.settings().http.is_none() => return Ok(response),
            _ => {}
        }
        // Chunk by chunk, so an endless body costs at most the limit plus one chunk.
        let mut first: Option<Bytes> = None;
        let mut rest: Option<BytesMut> = None;
        let mut read = 0usize;
        while let Some(chunk) = response.chunk().await? {
            read += chunk.len();
            if read > max {
                self.fail(self.too_large(max).with_status(status.as_u16()));
                return Ok(placeholder());
            }
            match (&first, &mut rest) {
                (None, _) => first = Some(chunk),
                (Some(head), None) => {
                    let mut joined = BytesMut::with_capacity(head.len() + chunk.len());
                    joined.extend_from_slice(head);
                    joined.extend_from_slice(&chunk);
                    rest = Some(joined);
                }
                (Some(_), Some(joined)) => joined.extend_from_slice(&chunk),
            }
        }
        let body = match (rest, first) {
            (Some(joined), _) => joined.freeze(),
            (None, Some(only)) => only,
            (None, None) => Bytes::new(),
        };
        let mut rebuilt =
            http::Response::builder().status(status).version(response.version()).url(response.url().clone());
        if let Some(headers) = rebuilt.headers_mut() {
            *headers = std::mem::take(response.headers_mut());
        }
        match rebuilt.body(body) {
            Ok(r) => Ok(reqwest::Response::from(r)),
            // Status and version came from a real response; this cannot happen.
            Err(e) => {
                self.fail(self.error(ErrorKind::Transport).with_source(e));
                Ok(placeholder())
            }
        }
    }

    fn too_large(&self, max: usize) -> Error {
        self.error(ErrorKind::BodyTooLarge)
            .with_detail(format!("the response body exceeds the limit of {}", crate::error::bytes_text(max)))
    }

    fn note(&self, update: impl FnOnce(&mut Seen)) {
        if let Some(call) = &self.call {
            call.record(update);
        }
    }

    fn fail(&self, error: Error) {
        self.note(|seen| seen.failure = Some(error));
    }
}

/// What progenitor gets when the exchange failed in a way it cannot
/// express; the call loop uses the recorded failure instead.
fn placeholder() -> reqwest::Response {
    reqwest::Response::from(http::Response::new(Bytes::new()))
}
