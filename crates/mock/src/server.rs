//! An HTTP/1.1 server on 127.0.0.1 whose answers come from a [`Responder`]:
//! the replay of recorded exchanges, or a test's own function.

use crate::exchange::{RecordedRequest, Secrets};
use bytes::Bytes;
use confapi_core::VendorInfo;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited, StreamBody};
use hyper::body::Frame;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// Largest request body the server reads.
const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;

/// What the server sends back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Raw body bytes.
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Send only this many body bytes (announcing them all), then break
    /// the connection: a reset in the middle of the body.
    pub cut_after: Option<usize>,
    /// Send the body again and again in chunks, with no length announced,
    /// until the client hangs up or this many bytes are out: a body that
    /// does not end, within a bound that keeps tests finite.
    pub endless_up_to: Option<usize>,
}

impl Reply {
    /// A JSON reply.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::raw(status, "application/json", body.to_string().into_bytes())
    }

    /// A reply with any content type and bytes.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
            ..Self::default()
        }
    }

    /// A 200 whose body repeats `chunk` until the client hangs up (or
    /// `bound` bytes are out).
    pub fn endless(content_type: &str, chunk: impl Into<Vec<u8>>, bound: usize) -> Self {
        Self { endless_up_to: Some(bound), ..Self::raw(200, content_type, chunk) }
    }
}

/// Decides the reply to each request. `request` is as received (secrets
/// included); what the server logs is redacted.
pub trait Responder: Send + Sync + 'static {
    /// The reply for one request.
    fn reply(&self, request: &RecordedRequest) -> Reply;

    /// Called when the last open connection closes: every client has hung
    /// up, so a session is over ([`Replay`](crate::Replay) starts its
    /// sequences again). Nothing by default.
    fn idle(&self) {}
}

impl<F: Fn(&RecordedRequest) -> Reply + Send + Sync + 'static> Responder for F {
    fn reply(&self, request: &RecordedRequest) -> Reply {
        self(request)
    }
}

/// Requests the server keeps in memory for [`MockServer::requests`]: the
/// latest ones, so a long run (a watch of many accounts) stays bounded.
pub const LOG_LIMIT: usize = 10_000;

struct Shared {
    responder: Box<dyn Responder>,
    secrets: Secrets,
    /// The latest requests, at most [`LOG_LIMIT`].
    log: Mutex<std::collections::VecDeque<RecordedRequest>>,
    /// Where to write a line per request, if anywhere.
    log_file: Mutex<Option<std::fs::File>>,
    /// Connections open now.
    open: Mutex<usize>,
}

/// A running server; stops when dropped.
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts serving on 127.0.0.1 at `port` (0 picks a free one). The
    /// request log hides the values `vendors`' specs call secret.
    pub async fn start(vendors: &[&'static VendorInfo], responder: impl Responder, port: u16) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            responder: Box::new(responder),
            secrets: Secrets::of(vendors),
            log: Mutex::new(std::collections::VecDeque::new()),
            log_file: Mutex::new(None),
            open: Mutex::new(0),
        });
        let (stop, mut stopped) = oneshot::channel();
        let accept_shared = shared.clone();
        tokio::spawn(async move {
            loop {
                let stream = tokio::select! {
                    _ = &mut stopped => break,
                    accepted = listener.accept() => match accepted {
                        Ok((stream, _)) => stream,
                        Err(_) => continue,
                    },
                };
                let shared = accept_shared.clone();
                if let Ok(mut open) = shared.open.lock() {
                    *open += 1;
                }
                tokio::spawn(async move {
                    let service_shared = shared.clone();
                    let service = service_fn(move |req| handle(service_shared.clone(), req));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                    let last = match shared.open.lock() {
                        Ok(mut open) => {
                            *open = open.saturating_sub(1);
                            *open == 0
                        }
                        Err(_) => false,
                    };
                    if last {
                        shared.responder.idle();
                    }
                });
            }
        });
        Ok(Self { addr, shared, stop: Some(stop) })
    }

    /// Also writes a line per request to `file` from now on: the time in
    /// Unix milliseconds, the method and the path (`1733400000123 POST
    /// /v1.0/conference/videoConferences/query`).
    pub fn log_to(&self, file: std::fs::File) {
        if let Ok(mut slot) = self.shared.log_file.lock() {
            *slot = Some(file);
        }
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, secrets redacted, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log.lock().map(|l| l.iter().cloned().collect()).unwrap_or_default()
    }

    /// How many requests arrived for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Request headers that every HTTP client adds and no test cares about.
const NOISE_HEADERS: &[&str] = &["host", "content-length", "user-agent", "accept-encoding", "connection"];

type Body = BoxBody<Bytes, std::io::Error>;

fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).map_err(|never| match never {}).boxed()
}

async fn handle(shared: Arc<Shared>, req: hyper::Request<Incoming>) -> Result<hyper::Response<Body>, hyper::Error> {
    let (parts, body) = req.into_parts();
    let bytes = match Limited::new(body, MAX_REQUEST_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(plain(413, "request body too large")),
    };
    let query: BTreeMap<String, String> =
        parts.uri.query().map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default();
    let headers: BTreeMap<String, String> = parts
        .headers
        .iter()
        .filter(|(name, _)| !NOISE_HEADERS.contains(&name.as_str()))
        .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect();
    let body = if bytes.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    let request = RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query,
        headers,
        body,
    };
    let mut logged = request.clone();
    shared.secrets.redact_map(&mut logged.query);
    shared.secrets.redact_map(&mut logged.headers);
    shared.secrets.redact_json(&mut logged.body);
    if let Ok(mut file) = shared.log_file.lock() {
        if let Some(file) = file.as_mut() {
            use std::io::Write;
            let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_millis();
            // A failed write only loses a log line; the answer still goes out.
            let _ = writeln!(file, "{ms} {} {}", logged.method, logged.path);
        }
    }
    if let Ok(mut log) = shared.log.lock() {
        if log.len() == LOG_LIMIT {
            log.pop_front();
        }
        log.push_back(logged);
    }
    let reply = shared.responder.reply(&request);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = hyper::Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(name, value);
    }
    let body = match (reply.cut_after, reply.endless_up_to) {
        (None, Some(bound)) => {
            let chunk = Bytes::from(reply.body);
            let count = bound / chunk.len().max(1);
            StreamBody::new(futures_util::stream::iter(
                std::iter::repeat_n(chunk, count).map(|c| Ok::<_, std::io::Error>(Frame::data(c))),
            ))
            .boxed()
        }
        (None, None) => full(reply.body),
        (Some(n), _) => {
            // Announce the whole body, send part of it, then fail the stream:
            // hyper drops the connection mid-body.
            response = response.header("content-length", reply.body.len());
            let part = Bytes::copy_from_slice(&reply.body[..n.min(reply.body.len())]);
            // The pause lets the headers and the first part reach the client.
            let frames = futures_util::stream::unfold(Some(part), |state| async move {
                match state {
                    Some(part) => Some((Ok(Frame::data(part)), None)),
                    None => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        None::<(Result<Frame<Bytes>, std::io::Error>, Option<Bytes>)>
                    }
                }
            });
            let broken =
                futures_util::stream::once(async { Err(std::io::Error::other("mock: connection cut mid-body")) });
            StreamBody::new(futures_util::StreamExt::chain(frames, broken)).boxed()
        }
    };
    Ok(response.body(body).unwrap_or_else(|_| plain(500, "mock: invalid reply")))
}

fn plain(status: u16, text: &'static str) -> hyper::Response<Body> {
    let mut response = hyper::Response::new(full(Bytes::from_static(text.as_bytes())));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response
}
