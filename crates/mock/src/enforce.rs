//! A responder that enforces a rate limit the way a vendor's gateway does:
//! at most `calls` requests per API (method and path) in any span of
//! `per`, and a refusal for each request over it. It keeps every arrival,
//! so tests and benchmarks can check what the server saw.

use crate::{RecordedRequest, Reply, Responder};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Wraps a responder with a gateway's rate limit. Share it with the
/// server through an `Arc` and a closure to read what it saw afterwards.
pub struct RateLimited<R> {
    inner: R,
    calls: usize,
    per: Duration,
    refusal: Reply,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Per API, the arrivals within the last span.
    recent: HashMap<String, VecDeque<Instant>>,
    /// Per API, every arrival.
    all: HashMap<String, Vec<Instant>>,
    refused: usize,
}

impl<R: Responder> RateLimited<R> {
    /// `inner` answers at most `calls` requests per API in any span of
    /// `per`; the others get `refusal`.
    pub fn new(inner: R, calls: usize, per: Duration, refusal: Reply) -> Self {
        Self { inner, calls, per, refusal, state: Mutex::new(State::default()) }
    }

    /// How many requests got the refusal.
    pub fn refused(&self) -> usize {
        self.state.lock().map(|s| s.refused).unwrap_or(0)
    }

    /// How many requests arrived, refused or not.
    pub fn arrived(&self) -> usize {
        self.state.lock().map(|s| s.all.values().map(Vec::len).sum()).unwrap_or(0)
    }

    /// The most requests to one API that arrived within any span of `per`.
    pub fn densest(&self) -> usize {
        let Ok(state) = self.state.lock() else { return 0 };
        state
            .all
            .values()
            .map(|times| {
                // Arrivals are in order: a sliding window over them.
                let mut start = 0;
                let mut most = 0;
                for (end, t) in times.iter().enumerate() {
                    while *t - times[start] >= self.per {
                        start += 1;
                    }
                    most = most.max(end + 1 - start);
                }
                most
            })
            .max()
            .unwrap_or(0)
    }
}

impl<R: Responder> Responder for RateLimited<R> {
    fn reply(&self, request: &RecordedRequest) -> Reply {
        let api = format!("{} {}", request.method, request.path);
        let refused = match self.state.lock() {
            Ok(mut state) => {
                let now = Instant::now();
                state.all.entry(api.clone()).or_default().push(now);
                let recent = state.recent.entry(api).or_default();
                while recent.front().is_some_and(|t| now - *t >= self.per) {
                    recent.pop_front();
                }
                let over = recent.len() >= self.calls;
                if !over {
                    recent.push_back(now);
                } else {
                    state.refused += 1;
                }
                over
            }
            Err(_) => true,
        };
        if refused {
            self.refusal.clone()
        } else {
            self.inner.reply(request)
        }
    }
}
