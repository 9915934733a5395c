//! Replays recorded exchanges: method + path pick the recording, the body
//! decides where several recordings share a path, and recordings of one
//! request with a `step` answer successive calls in turn.

use crate::exchange::{Exchange, RecordedRequest, Secrets};
use crate::server::Reply;
use confapi_core::VendorInfo;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// A [`Responder`](crate::Responder) over a set of recordings.
#[derive(Debug)]
pub struct Replay {
    exchanges: Vec<Exchange>,
    vendors: Vec<&'static VendorInfo>,
    /// Calls answered so far per sequence, keyed by the index of the
    /// sequence's first step: one counter per distinct request, so memory
    /// is bounded by the recordings, not by the calls.
    calls: Mutex<HashMap<usize, usize>>,
}

impl Clone for Replay {
    /// The same recordings, with each sequence where this one is.
    fn clone(&self) -> Self {
        let calls = self.calls.lock().unwrap_or_else(PoisonError::into_inner).clone();
        Self { exchanges: self.exchanges.clone(), vendors: self.vendors.clone(), calls: Mutex::new(calls) }
    }
}

impl Replay {
    /// Replays `exchanges` of `vendors`, whose specs say which fields are
    /// secret and how each vendor answers a request it does not know.
    pub fn new(exchanges: Vec<Exchange>, vendors: &[&'static VendorInfo]) -> Self {
        Self { exchanges, vendors: vendors.to_vec(), calls: Mutex::default() }
    }

    /// The recordings that answer `request`, in step order: those for its
    /// method and path when they all record one request, otherwise those
    /// with the same body (compared with secrets redacted, as recordings
    /// store them).
    fn sequence(&self, request: &RecordedRequest) -> Vec<usize> {
        let route: Vec<usize> = (0..self.exchanges.len())
            .filter(|i| {
                let e = &self.exchanges[*i].request;
                e.method.eq_ignore_ascii_case(&request.method) && e.path == request.path
            })
            .collect();
        let body_of = |i: &usize| &self.exchanges[*i].request.body;
        let one_request = route.first().is_some_and(|first| route.iter().all(|i| body_of(i) == body_of(first)));
        let mut sequence = if one_request {
            route
        } else {
            let mut body = request.body.clone();
            Secrets::of(&self.vendors).redact_json(&mut body);
            route.into_iter().filter(|i| *body_of(i) == body).collect()
        };
        sequence.sort_by_key(|i| self.exchanges[*i].step.unwrap_or(0));
        sequence
    }

    /// The recording that answers `request` now. For a request recorded
    /// as steps of a sequence, each call takes the next step and the last
    /// step answers every call after it; otherwise it is the only
    /// recording for the request (the first, should there be copies).
    pub fn find(&self, request: &RecordedRequest) -> Option<&Exchange> {
        let sequence = self.sequence(request);
        let first = *sequence.first()?;
        if self.exchanges[first].step.is_none() {
            return Some(&self.exchanges[first]);
        }
        let mut calls = self.calls.lock().unwrap_or_else(PoisonError::into_inner);
        let count = calls.entry(first).or_insert(0);
        let step = (*count).min(sequence.len() - 1);
        *count = count.saturating_add(1);
        Some(&self.exchanges[sequence[step]])
    }

    /// The vendor whose recordings share the longest path prefix with `path`.
    fn vendor_of(&self, path: &str) -> Option<&str> {
        self.exchanges
            .iter()
            .max_by_key(|e| e.request.path.chars().zip(path.chars()).take_while(|(a, b)| a == b).count())
            .map(|e| e.vendor.as_str())
    }
}

impl crate::Responder for Replay {
    fn reply(&self, request: &RecordedRequest) -> Reply {
        match self.find(request) {
            Some(e) => {
                let body = e.response.bytes();
                let mut headers: Vec<(String, String)> =
                    e.response.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                if !e.response.headers.contains_key("content-type") && !body.is_empty() {
                    headers.push(("content-type".into(), "application/json".into()));
                }
                Reply { status: e.response.status, headers, body, ..Reply::default() }
            }
            None => {
                let vendor = self.vendor_of(&request.path);
                unmatched(self.vendors.iter().copied().find(|v| Some(v.name) == vendor))
            }
        }
    }
}

/// What a vendor answers to a request no recording matches: its spec's
/// answer to an unknown request (`x-confapi-envelope.unknown_request`),
/// with the message and request id fields saying what happened.
pub fn unmatched(vendor: Option<&VendorInfo>) -> Reply {
    const NO_MATCH: &str = "no recorded exchange matches this request";
    let Some((info, answer)) = vendor.and_then(|v| v.envelope.unknown_request.map(|a| (v, a))) else {
        return Reply::raw(404, "text/plain", NO_MATCH);
    };
    let mut body: serde_json::Value = serde_json::from_str(answer.body).unwrap_or_default();
    if let Some(obj) = body.as_object_mut() {
        if let Some(field) = info.envelope.message.first() {
            obj.insert((*field).to_owned(), NO_MATCH.into());
        }
        if let Some(field) = info.envelope.request_id.first() {
            obj.insert((*field).to_owned(), "mock".into());
        }
    }
    Reply::json(answer.status, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::RecordedResponse;
    use crate::Responder;
    use serde_json::{json, Value};
    use std::collections::BTreeMap;

    fn exchange(path: &str, body: Value, answer: Value) -> Exchange {
        Exchange {
            vendor: "openvox".into(),
            step: None,
            request: RecordedRequest {
                method: "POST".into(),
                path: path.into(),
                query: BTreeMap::new(),
                headers: BTreeMap::new(),
                body,
            },
            response: RecordedResponse { status: 200, headers: BTreeMap::new(), body: answer, body_text: None },
        }
    }

    fn request(path: &str, body: Value) -> RecordedRequest {
        exchange(path, body, Value::Null).request
    }

    /// A vendor in OpenVox's shape: in-band failures, a secret password.
    static PBX: VendorInfo = VendorInfo {
        envelope: confapi_core::EnvelopeFields {
            status: Some("status"),
            success: &["Success"],
            code: &["errno"],
            message: &[],
            request_id: &[],
            unknown_request: Some(confapi_core::CannedAnswer {
                status: 200,
                body: r#"{"status":"Failed","errno":"10003"}"#,
            }),
            hints: &[],
        },
        secret_names: &["password"],
        ..VendorInfo::minimal("openvox")
    };

    #[test]
    fn body_decides_between_recordings_of_one_path() {
        let replay = Replay::new(
            vec![
                exchange("/q", json!({"number": "1"}), json!({"n": 1})),
                exchange("/q", json!({"number": "2"}), json!({"n": 2})),
                exchange("/login", json!({"password": "REDACTED"}), json!({"ok": true})),
                exchange("/login", json!({"password": "REDACTED", "user": "b"}), json!({"ok": false})),
            ],
            &[&PBX],
        );
        assert_eq!(replay.reply(&request("/q", json!({"number": "2"}))).body, br#"{"n":2}"#);
        // The spec's secret fields are compared redacted, as recordings store them.
        assert_eq!(replay.reply(&request("/login", json!({"password": "x"}))).body, br#"{"ok":true}"#);
        // Several recordings and no equal body: the vendor's own error, from its spec.
        let miss = replay.reply(&request("/q", json!({"number": "3"})));
        assert_eq!(miss, unmatched(Some(&PBX)));
        assert_eq!(miss.body, br#"{"status":"Failed","errno":"10003"}"#);
        assert_eq!(replay.reply(&request("/nowhere", Value::Null)), unmatched(Some(&PBX)));
        assert_eq!(unmatched(None).status, 404);
    }

    fn step(n: u32, e: Exchange) -> Exchange {
        Exchange { step: Some(n), ..e }
    }

    #[test]
    fn steps_answer_successive_calls_and_the_last_repeats() {
        let replay = Replay::new(
            vec![
                // Out of order on purpose: the step numbers decide.
                step(2, exchange("/q", json!({"number": "all"}), json!({"n": 2}))),
                step(1, exchange("/q", json!({"number": "all"}), json!({"n": 1}))),
                step(3, exchange("/q", json!({"number": "all"}), json!({"n": 3}))),
                exchange("/q", json!({"number": "8000"}), json!({"one": true})),
            ],
            &[&PBX],
        );
        let all = request("/q", json!({"number": "all"}));
        let answers: Vec<Vec<u8>> = (0..5).map(|_| replay.reply(&all).body).collect();
        assert_eq!(answers, [&br#"{"n":1}"#[..], br#"{"n":2}"#, br#"{"n":3}"#, br#"{"n":3}"#, br#"{"n":3}"#]);
        // Another request on the same path has its own answer, untouched by the count.
        assert_eq!(replay.reply(&request("/q", json!({"number": "8000"}))).body, br#"{"one":true}"#);
        // A clone goes on from where the original is.
        assert_eq!(replay.clone().reply(&all).body, br#"{"n":3}"#);
    }

    #[test]
    fn a_lone_sequence_on_a_path_answers_any_body_and_counts_per_request() {
        let replay = Replay::new(
            vec![
                step(1, exchange("/members", Value::Null, json!({"n": 1}))),
                step(2, exchange("/members", Value::Null, json!({"n": 2}))),
                exchange("/other", Value::Null, json!({"other": 1})),
            ],
            &[&PBX],
        );
        assert_eq!(replay.reply(&request("/other", Value::Null)).body, br#"{"other":1}"#);
        assert_eq!(replay.reply(&request("/members", Value::Null)).body, br#"{"n":1}"#);
        assert_eq!(replay.reply(&request("/members", json!({"x": 1}))).body, br#"{"n":2}"#);
        assert_eq!(replay.reply(&request("/members", Value::Null)).body, br#"{"n":2}"#);
    }
}
