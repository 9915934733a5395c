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
