//! One call of one operation: the loop of attempts with one credential
//! each, one renewal of an expired credential, retries by the spec's
//! safety, the total time limit and the tracing span.
//!
//! The call's context travels explicitly: [`Call::new`] makes a copy of the
//! generated client whose runtime carries a [`CallState`]. progenitor's
//! hooks read the credential to place from it and write what the exchange
//! saw into it; nothing crosses progenitor as a string.

use crate::client::GeneratedClient;
use crate::counts::{Event, OperationCounts};
use crate::meta::OperationMeta;
use crate::outcome::Seen;
use crate::retry;
use crate::runtime::{Placed, Runtime};
use crate::{Envelope, Error, ErrorKind};
use progenitor_client::{Error as GenError, ResponseValue};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::time::Instant;

/// What one attempt hands to the hooks and gets back from them.
#[derive(Default)]
struct Attempt {
    credential: Option<Placed>,
    seen: Seen,
}

/// The context of one call, shared by its attempts and progenitor's hooks.
pub(crate) struct CallState {
    attempt: Mutex<Attempt>,
}

impl CallState {
    fn begin(&self, credential: Option<Placed>) {
        if let Ok(mut a) = self.attempt.lock() {
            *a = Attempt { credential, seen: Seen::default() };
        }
    }

    fn finish(&self) -> Seen {
        self.attempt.lock().map(|mut a| std::mem::take(&mut a.seen)).unwrap_or_default()
    }

    /// A context outside any call, for tests of the exchange.
    #[cfg(test)]
    pub(crate) fn for_tests() -> Self {
        Self { attempt: Mutex::new(Attempt::default()) }
    }

    /// What the exchange recorded (tests).
    #[cfg(test)]
    pub(crate) fn take_seen(&self) -> Seen {
        self.finish()
    }

    /// Places this attempt's credential on the request (the pre hook).
    pub(crate) fn place(&self, request: &mut reqwest::Request) {
        let Ok(a) = self.attempt.lock() else { return };
        match &a.credential {
            None => {}
            Some(Placed::Query(name, secret)) => {
                request.url_mut().query_pairs_mut().append_pair(name, secret.expose());
            }
            Some(Placed::Header(name, value)) => {
                request.headers_mut().insert(name.clone(), value.clone());
            }
            Some(Placed::Headers(headers)) => {
                for (name, value) in headers {
                    request.headers_mut().insert(name.clone(), value.clone());
                }
            }
        }
    }

    /// Records what the exchange saw (the exec hook).
    pub(crate) fn record(&self, update: impl FnOnce(&mut Seen)) {
        if let Ok(mut a) = self.attempt.lock() {
            update(&mut a.seen);
        }
    }
}

/// One call in progress: a copy of the generated client that carries the
/// call's context. Generated `send` methods build their request on
/// [`Call::client`] and hand the sending to [`Call::run`].
pub struct Call<C> {
    client: C,
    state: Arc<CallState>,
    op: &'static OperationMeta,
}

impl<C: GeneratedClient> Call<C> {
    /// Starts a call of `op` on `client`.
    pub fn new(client: &C, op: &'static OperationMeta) -> Self {
        let state = Arc::new(CallState { attempt: Mutex::new(Attempt::default()) });
        let client = client.with_runtime(client.runtime().for_call(state.clone()));
        Self { client, state, op }
    }

    /// The client to build this call's request on.
    pub fn client(&self) -> &C {
        &self.client
    }

    /// Runs the call: `attempt` sends the request once (progenitor's
    /// generated exchange); it runs again for a renewal or a retry.
    pub async fn run<T, E, F, Fut>(&self, attempt: F) -> Result<T, Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, GenError<E>>>,
        T: Envelope + DeserializeOwned,
        E: Envelope,
    {
        let runtime = self.client.runtime();
        let op = self.op;
        let span = tracing::debug_span!(
            "confapi.call",
            vendor = runtime.vendor().name,
            operation = op.id,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            sent = tracing::field::Empty,
            throttled = tracing::field::Empty,
            retried = tracing::field::Empty,
        );
        let limit = runtime.settings().timeouts.total;
        let deadline = Instant::now() + limit;
        let tally = Mutex::new(OperationCounts::default());
        let attempts = self.attempts(runtime, attempt, span.clone(), deadline, &tally);
        let attempts = tracing::Instrument::instrument(attempts, span.clone());
        let result = match tokio::time::timeout_at(deadline, attempts).await {
            Ok(result) => result,
            Err(_) => Err(runtime
                .error(ErrorKind::Timeout)
                .with_detail(format!("no result within the total limit of {limit:?}"))),
        };
        // What the call cost, on its span (and in the client's counts).
        if let Ok(t) = tally.lock() {
            span.record("sent", t.sent).record("throttled", t.throttled).record("retried", t.retried);
        }
        result.map_err(|e| e.with_operation(op.id))
    }

    async fn attempts<T, E, F, Fut>(
        &self,
        runtime: &Runtime,
        attempt: F,
        span: tracing::Span,
        deadline: Instant,
        tally: &Mutex<OperationCounts>,
    ) -> Result<T, Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, GenError<E>>>,
        T: Envelope + DeserializeOwned,
        E: Envelope,
    {
        let settings = runtime.settings();
        let policy = settings.retry;
        let (mut renewed, mut retries, mut throttles, mut number) = (false, 0u32, 0u32, 0u32);
        let count = |event: Event| {
            runtime.count(self.op, event);
            if let Ok(mut t) = tally.lock() {
                match event {
                    Event::Sent { again } => {
                        t.sent += 1;
                        t.retried += u64::from(again);
                    }
                    Event::Throttled => t.throttled += 1,
                }
            }
        };
        loop {
            number += 1;
            span.record("attempt", number);
            let credential = runtime.credential(self.op).await?;
            let waited = runtime.await_turn(self.op).await;
            if !waited.is_zero() {
                tracing::debug!(wait_ms = waited.as_millis() as u64, "waited for the client-side rate limit");
            }
            self.state.begin(credential.placed);
            count(Event::Sent { again: number > 1 });
            let result = attempt().await;
            let seen = self.state.finish();
            if let Some(status) = seen.status {
                span.record("status", status);
            }
            if let Some(id) = &seen.request_id {
                span.record("request_id", id.as_str());
            }
            let retry_after = seen.retry_after;
            let err = match runtime.outcome(result, seen).await {
                Ok(value) => {
                    tracing::debug!("call succeeded");
                    return Ok(value);
                }
                Err(e) => e,
            };
            tracing::debug!(kind = ?err.kind(), code = err.code(), "call failed");
            if let (ErrorKind::AuthExpired, Some(generation), false) = (err.kind(), credential.generation, renewed) {
                tracing::debug!("credential rejected; renewing it once");
                runtime.invalidate(generation).await;
                renewed = true;
                continue;
            }
            if err.kind() == ErrorKind::Throttled {
                count(Event::Throttled);
                // Refused for rate, so not carried out: safe to send again
                // whatever the operation, if the wait fits the total limit.
                let wait = retry::throttle_wait(err.retry_after(), runtime.vendor().throttle_wait);
                if throttles < settings.throttle_retries && Instant::now() + wait < deadline {
                    throttles += 1;
                    tracing::debug!(wait_ms = wait.as_millis() as u64, "throttled; sending again after the wait");
                    tokio::time::sleep(wait).await;
                    continue;
                }
                return Err(err);
            }
            if retries + 1 < policy.max_attempts && retry::retryable(&err, self.op.safe) {
                retries += 1;
                let wait = policy.delay(retries, retry_after);
                tracing::debug!(wait_ms = wait.as_millis() as u64, "retrying");
                tokio::time::sleep(wait).await;
                continue;
            }
            return Err(err);
        }
    }
}

/// The call loop's rules on made-up answers: no server, paused time.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Auth, ErrorCode, FailureClass, Settings, VendorFailure, VendorInfo};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    static CODES: &[ErrorCode] = &[
        ErrorCode { code: "Qps", meaning: "too fast", class: FailureClass::Throttled },
        ErrorCode { code: "Month", meaning: "monthly quota used up", class: FailureClass::QuotaExhausted },
        ErrorCode { code: "Ban", meaning: "banned", class: FailureClass::Blocked },
        ErrorCode { code: "Gone", meaning: "no such thing", class: FailureClass::NotFound },
    ];
    static OPS: &[OperationMeta] = &[OperationMeta {
        id: "kick",
        method: "POST",
        path: "/kick",
        safe: false,
        authenticated: false,
        success_status: 200,
        success_shape: None,
        error_shape: None,
    }];
    static VENDOR: VendorInfo = VendorInfo {
        error_codes: CODES,
        operations: OPS,
        throttle_wait: Duration::from_secs(1),
        ..VendorInfo::minimal("test")
    };

    /// An error body of the test vendor: its code decides the class.
    #[derive(Debug)]
    struct Body(&'static str);
    impl Envelope for Body {
        fn failure(&self) -> Option<VendorFailure> {
            Some(VendorFailure::new(Some(self.0.to_owned()), None, None, CODES))
        }
    }

    #[derive(Clone)]
    struct Fake(Runtime);
    impl GeneratedClient for Fake {
        fn assemble(_: &str, _: reqwest::Client, runtime: Runtime) -> Self {
            Fake(runtime)
        }
        fn runtime(&self) -> &Runtime {
            &self.0
        }
        fn with_runtime(&self, runtime: Runtime) -> Self {
            Fake(runtime)
        }
    }

    fn client(settings: Settings) -> Fake {
        Fake(Runtime::new(&VENDOR, Auth::None, settings, Vec::new()))
    }

    /// Answers `codes` in turn (an error body each), then success.
    async fn run(settings: Settings, codes: &'static [&'static str]) -> (Result<(), Error>, usize, Fake) {
        let client = client(settings);
        let sent = AtomicUsize::new(0);
        let call = Call::new(&client, &OPS[0]);
        let result = call
            .run(|| {
                let n = sent.fetch_add(1, Ordering::SeqCst);
                let answer = match codes.get(n) {
                    Some(code) => Err(GenError::ErrorResponse(ResponseValue::new(
                        Body(code),
                        reqwest::StatusCode::FORBIDDEN,
                        Default::default(),
                    ))),
                    None => Ok(ResponseValue::new((), reqwest::StatusCode::OK, Default::default())),
                };
                std::future::ready(answer)
            })
            .await;
        (result, sent.load(Ordering::SeqCst), client)
    }

    #[tokio::test(start_paused = true)]
    async fn a_throttled_call_is_sent_again_even_when_unsafe() {
        let (result, sent, client) = run(Settings::default(), &["Qps", "Qps"]).await;
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(sent, 3);
        let counts = client.0.call_counts().of("kick");
        assert_eq!((counts.sent, counts.throttled, counts.retried), (3, 2, 2));
    }

    #[tokio::test(start_paused = true)]
    async fn throttle_retries_are_bounded_and_can_be_off() {
        let (result, sent, _) = run(Settings::default(), &["Qps"; 10]).await;
        assert_eq!((result.map_err(|e| e.kind()), sent), (Err(ErrorKind::Throttled), 4));
        let off = Settings { throttle_retries: 0, ..Settings::default() };
        let (result, sent, _) = run(off, &["Qps"]).await;
        assert_eq!((result.map_err(|e| e.kind()), sent), (Err(ErrorKind::Throttled), 1));
    }

    #[tokio::test(start_paused = true)]
    async fn a_throttle_wait_past_the_total_limit_ends_the_call_as_throttled() {
        let short = Settings {
            timeouts: crate::Timeouts { total: Duration::from_millis(500), ..Default::default() },
            ..Settings::default()
        };
        let (result, sent, _) = run(short, &["Qps"]).await;
        assert_eq!((result.map_err(|e| e.kind()), sent), (Err(ErrorKind::Throttled), 1));
    }

    #[tokio::test(start_paused = true)]
    async fn quotas_bans_and_not_found_are_never_sent_again() {
        let retrying = Settings { retry: crate::RetryPolicy::default(), ..Settings::default() };
        let cases: [(&'static [&'static str], ErrorKind); 3] = [
            (&["Month", "Month"], ErrorKind::QuotaExhausted),
            (&["Ban", "Ban"], ErrorKind::Blocked),
            (&["Gone", "Gone"], ErrorKind::NotFound),
        ];
        for (code, kind) in cases {
            let (result, sent, _) = run(retrying.clone(), code).await;
            assert_eq!((result.map_err(|e| e.kind()), sent), (Err(kind), 1), "{code:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_client_side_limit_spaces_sends() {
        let limited =
            Settings { rate_limits: crate::RateLimits::Custom(crate::RateLimit::per_second(2)), ..Settings::default() };
        let client = client(limited);
        let started = Instant::now();
        for _ in 0..5 {
            let call = Call::new(&client, &OPS[0]);
            let ok: Result<(), Error> = call
                .run(|| {
                    std::future::ready(Ok::<_, GenError<Body>>(ResponseValue::new(
                        (),
                        reqwest::StatusCode::OK,
                        Default::default(),
                    )))
                })
                .await;
            assert!(ok.is_ok());
        }
        // Two a second: the fifth send waits two spans (each with the arrival margin).
        let took = started.elapsed();
        assert!(took >= Duration::from_secs(2) && took < Duration::from_secs(3), "{took:?}");
    }
}
