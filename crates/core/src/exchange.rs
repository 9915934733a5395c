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
        let result = tokio::time::timeout(limit, self.send_and_read(http, request)).await;
        match result {
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
        let sent_to = request.url().clone();
        let mut response = http.execute(request).await?;
        // A caller's client may follow redirects, and would take our token headers along.
        if self.settings().http.is_some() && !same_endpoint(&sent_to, response.url()) {
            let host = response.url().host_str().unwrap_or("another host").to_owned();
            self.fail(self.error(ErrorKind::Config).with_detail(format!(
                "the caller's HTTP client followed a redirect to {host}; build it with redirect::Policy::none()"
            )));
            return Ok(placeholder());
        }
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
                self.note(|seen| seen.body_read = read);
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
        self.note(|seen| seen.body_read = read);
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
            .with_detail(format!("the response body exceeds the limit of {}", confapi_base::bytes_text(max)))
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

/// Whether a response came from where the request went (no redirect).
fn same_endpoint(sent: &reqwest::Url, answered: &reqwest::Url) -> bool {
    sent.scheme() == answered.scheme()
        && sent.host_str() == answered.host_str()
        && sent.port_or_known_default() == answered.port_or_known_default()
        && sent.path() == answered.path()
}

/// What progenitor gets when the exchange failed in a way it cannot
/// express; the call loop uses the recorded failure instead.
fn placeholder() -> reqwest::Response {
    reqwest::Response::from(http::Response::new(Bytes::new()))
}

#[cfg(test)]
mod tests {
    use crate::call::CallState;
    use crate::{Auth, ErrorKind, Runtime, Settings, VendorInfo};
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    static VENDOR: VendorInfo = VendorInfo::minimal("test");
    const CHUNK: usize = 8 * 1024;
    const LIMIT: usize = 1024 * 1024;

    /// A server that answers one request with 8 KiB chunks that never end
    /// (up to 64 MiB, so the test is bounded), and counts what it sent.
    async fn endless_server() -> (String, tokio::task::JoinHandle<usize>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            socket.write_all(head.as_bytes()).await.unwrap();
            let chunk = format!("{CHUNK:x}\r\n{}\r\n", "x".repeat(CHUNK));
            let mut sent = 0;
            while sent < 64 * LIMIT {
                if socket.write_all(chunk.as_bytes()).await.is_err() {
                    break;
                }
                sent += CHUNK;
            }
            sent
        });
        (url, task)
    }

    #[tokio::test]
    async fn an_endless_body_is_read_up_to_the_limit_plus_one_chunk() {
        let (url, server) = endless_server().await;
        let settings = Settings { max_response_bytes: LIMIT, ..Settings::default() };
        let call = Arc::new(CallState::for_tests());
        let runtime = Runtime::new(&VENDOR, Auth::None, settings, Vec::new()).for_call(call.clone());
        let http = reqwest::Client::new();
        let request = http.get(format!("{url}/endless")).build().unwrap();
        runtime.exchange(&http, request).await.unwrap();
        let seen = call.take_seen();
        let e = seen.failure.expect("the size limit stops the exchange");
        assert_eq!(e.kind(), ErrorKind::BodyTooLarge);
        assert!(e.to_string().contains("limit of 1 MiB"), "{e}");
        assert!(seen.body_read > LIMIT, "read {} bytes", seen.body_read);
        assert!(seen.body_read <= LIMIT + CHUNK, "read {} bytes, more than the limit plus one chunk", seen.body_read);
        drop(runtime);
        drop(http);
        // The server saw the client hang up long before its own bound.
        assert!(server.await.unwrap() < 64 * LIMIT);
    }
}
