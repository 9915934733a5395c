//! Replays recorded exchanges. Method and path pick the recordings; the
//! body decides where several share a path, by the matching rule of the
//! crate's README (exact body first, then ignoring paging fields and
//! fields only one side has); recordings of one request with a `step`
//! answer successive calls in turn, per session. A request nothing matches
//! gets a 501 that names the mock and the nearest recording.

use crate::exchange::{Exchange, RecordedFile, RecordedRequest, Secrets};
use crate::server::Reply;
use confapi_core::VendorInfo;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// The path that resets every sequence (any method): the next call of
/// each sequence gets its first step again.
pub const RESET_PATH: &str = "/_confapi-mock/reset";

/// The header on every reply the replay server makes up itself (a miss,
/// a reset), so nobody takes it for a vendor's answer.
pub const MOCK_HEADER: &str = "x-confapi-mock";

/// The status of a miss: 501 Not Implemented, which none of the vendors
/// sends, so a miss never passes for a vendor's error.
pub const MISS_STATUS: u16 = 501;

/// Request body fields that only page through a listing; a recording's
/// values for them never rule it out.
pub const PAGING_FIELDS: &[&str] = &[
    "page",
    "pageNo",
    "pageNum",
    "pageIndex",
    "pageSize",
    "count",
    "size",
    "limit",
    "offset",
    "maxResults",
    "nextToken",
    "cursor",
];

/// A [`Responder`](crate::Responder) over a set of recordings.
#[derive(Debug)]
pub struct Replay {
    exchanges: Vec<Exchange>,
    /// What to call each recording in a miss (its file, `vendor/name.json`).
    names: Vec<String>,
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
        Self {
            exchanges: self.exchanges.clone(),
            names: self.names.clone(),
            vendors: self.vendors.clone(),
            calls: Mutex::new(calls),
        }
    }
}

/// How a recorded body compares with a request's.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Comparison {
    /// The first field both have with different values, paging fields
    /// aside (`$.action`, `$.userList[0].unionId`).
    conflict: Option<String>,
    /// Fields both have with equal values, paging fields aside.
    agree: usize,
    /// Paging fields both have with equal values.
    paging_agree: usize,
    /// Fields the recording has and the request leaves out.
    left_out: usize,
}

fn compare(recorded: &Value, sent: &Value, path: &str, paging: bool, out: &mut Comparison) {
    match (recorded, sent) {
        // A recording without a body pins nothing down.
        (Value::Null, _) => {}
        (Value::Object(r), Value::Object(s)) => {
            for (key, rv) in r {
                let here = format!("{path}.{key}");
                match s.get(key) {
                    None => out.left_out += 1,
                    Some(sv) => compare(rv, sv, &here, paging || PAGING_FIELDS.contains(&key.as_str()), out),
                }
            }
        }
        (Value::Array(r), Value::Array(s)) if r.len() == s.len() => {
            for (i, (rv, sv)) in r.iter().zip(s).enumerate() {
                compare(rv, sv, &format!("{path}[{i}]"), paging, out);
            }
        }
        (r, s) if r == s => {
            if paging {
                out.paging_agree += 1
            } else {
                out.agree += 1
            }
        }
        // Paging values and types (a page number sent as a string) never conflict.
        _ if paging => {}
        _ => {
            if out.conflict.is_none() {
                out.conflict = Some(if path.is_empty() { "the body".into() } else { format!("${path}") });
            }
        }
    }
}

fn same_text(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

impl Replay {
    /// Replays `exchanges` of `vendors`, whose specs say which fields are
    /// secret. A miss names the nearest recording by method, path and
    /// vendor; [`Replay::from_files`] names it by its file.
    pub fn new(exchanges: Vec<Exchange>, vendors: &[&'static VendorInfo]) -> Self {
        let names = exchanges
            .iter()
            .map(|e| format!("the {} recording of {} {}", e.vendor, e.request.method, e.request.path))
            .collect();
        Self { exchanges, names, vendors: vendors.to_vec(), calls: Mutex::default() }
    }

    /// Replays recorded files; a miss names the nearest one as
    /// `vendor/file.json`.
    pub fn from_files(files: Vec<RecordedFile>, vendors: &[&'static VendorInfo]) -> Self {
        let names = files
            .iter()
            .map(|f| {
                let file = f.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                format!("{}/{file}", f.exchange.vendor)
            })
            .collect();
        let exchanges = files.into_iter().map(|f| f.exchange).collect();
        Self { exchanges, names, vendors: vendors.to_vec(), calls: Mutex::default() }
    }

    /// Starts every sequence again from its first step.
    pub fn reset(&self) {
        self.calls.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    fn route(&self, request: &RecordedRequest) -> Vec<usize> {
        (0..self.exchanges.len())
            .filter(|i| {
                let e = &self.exchanges[*i].request;
                e.method.eq_ignore_ascii_case(&request.method) && e.path == request.path
            })
            .collect()
    }

    fn redacted(&self, body: &Value) -> Value {
        let mut body = body.clone();
        Secrets::of(&self.vendors).redact_json(&mut body);
        body
    }

    /// Whether a recording's answer is a failure (an error status, or the
    /// vendor's failure envelope): among equally good matches a success wins.
    fn fails(&self, i: usize) -> bool {
        let e = &self.exchanges[i];
        e.response.status >= 400
            || self
                .vendors
                .iter()
                .find(|v| v.name == e.vendor)
                .is_some_and(|v| v.decode_failure(&e.response.bytes()).is_some())
    }

    /// Whether recording `i` is of a sign-in call (an operation its spec
    /// does not authenticate: a login or a token request).
    fn signs_in(&self, i: usize) -> bool {
        let e = &self.exchanges[i];
        let vendor = self.vendors.iter().find(|v| v.name == e.vendor);
        let op = vendor.and_then(|v| {
            v.operations
                .iter()
                .find(|op| op.method.eq_ignore_ascii_case(&e.request.method) && op.path == e.request.path)
        });
        op.is_some_and(|op| !op.authenticated)
    }

    /// The recordings that answer `request`, in step order (see the
    /// crate's README for the rule).
    fn sequence(&self, request: &RecordedRequest) -> Vec<usize> {
        let route = self.route(request);
        let body_of = |i: &usize| &self.exchanges[*i].request.body;
        // One request recorded on the path answers every body.
        let one_request = route.first().is_some_and(|first| route.iter().all(|i| body_of(i) == body_of(first)));
        let chosen = if one_request {
            route.first().copied()
        } else {
            let body = self.redacted(&request.body);
            route.iter().copied().find(|i| *body_of(i) == body).or_else(|| {
                route
                    .iter()
                    .copied()
                    .filter_map(|i| {
                        let mut c = Comparison::default();
                        compare(body_of(&i), &body, "", false, &mut c);
                        c.conflict.is_none().then_some((i, c))
                    })
                    // Most agreeing fields, then a success, then fewest fields
                    // left out, then most paging agreement; ties: file order.
                    .max_by_key(|(i, c)| {
                        (c.agree, !self.fails(*i), std::cmp::Reverse(c.left_out), c.paging_agree, std::cmp::Reverse(*i))
                    })
                    .map(|(i, _)| i)
            })
        };
        // Sign-in calls log in with any credentials: other accounts can share
        // the server. A request matching a recorded refusal still gets it.
        let chosen = chosen.or_else(|| route.iter().copied().find(|i| !self.fails(*i) && self.signs_in(*i)));
        let Some(chosen) = chosen else { return Vec::new() };
        let mut sequence: Vec<usize> = route.into_iter().filter(|i| body_of(i) == body_of(&chosen)).collect();
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

    /// Why nothing answers `request`: the recording nearest to it and
    /// where it differs. `None` when there are no recordings at all.
    pub fn nearest(&self, request: &RecordedRequest) -> Option<String> {
        let route = self.route(request);
        if !route.is_empty() {
            let body = self.redacted(&request.body);
            let (i, c) = route
                .into_iter()
                .map(|i| {
                    let mut c = Comparison::default();
                    compare(&self.exchanges[i].request.body, &body, "", false, &mut c);
                    (i, c)
                })
                .max_by_key(|(i, c)| (c.agree, c.paging_agree, std::cmp::Reverse(*i)))?;
            let at = c.conflict.unwrap_or_else(|| "the body".into());
            return Some(format!("{} (differs at {at})", self.names[i]));
        }
        let i = (0..self.exchanges.len()).max_by_key(|i| {
            let r = &self.exchanges[*i].request;
            (same_text(&r.path, &request.path), r.method.eq_ignore_ascii_case(&request.method), std::cmp::Reverse(*i))
        })?;
        let r = &self.exchanges[i].request;
        let what = if r.path == request.path { "method" } else { "path" };
        Some(format!("{} (differs in the {what}: {} {})", self.names[i], r.method, r.path))
    }

    /// The 501 for a request nothing matches: it names the mock, the
    /// request (secrets redacted) and the nearest recording.
    pub fn miss(&self, request: &RecordedRequest) -> Reply {
        let body = match self.redacted(&request.body) {
            Value::Null => String::new(),
            b => {
                let text = b.to_string();
                let short: String = text.chars().take(200).collect();
                let more = if text.chars().count() > 200 { "…" } else { "" };
                format!(" {short}{more}")
            }
        };
        let nearest = self.nearest(request).unwrap_or_else(|| "none (no recordings loaded)".into());
        let text = format!(
            "confapi-mock: no recording for {} {}{body}; nearest: {nearest}",
            request.method.to_ascii_uppercase(),
            request.path
        );
        let mut reply = Reply::raw(MISS_STATUS, "text/plain; charset=utf-8", text);
        reply.headers.push((MOCK_HEADER.into(), "no-recording".into()));
        reply
    }
}

impl crate::Responder for Replay {
    fn reply(&self, request: &RecordedRequest) -> Reply {
        if request.path == RESET_PATH {
            self.reset();
            let mut reply = Reply::raw(200, "text/plain; charset=utf-8", "confapi-mock: every sequence starts again\n");
            reply.headers.push((MOCK_HEADER.into(), "reset".into()));
            return reply;
        }
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
            None => self.miss(request),
        }
    }

    fn idle(&self) {
        self.reset();
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
        // Several recordings and none agreeing: a 501 naming the mock and the nearest.
        let miss = replay.reply(&request("/q", json!({"number": "3"})));
        assert_eq!(miss.status, MISS_STATUS);
        assert!(miss.headers.contains(&(MOCK_HEADER.into(), "no-recording".into())));
        let text = String::from_utf8(miss.body).unwrap();
        assert!(text.starts_with(r#"confapi-mock: no recording for POST /q {"number":"3"}; nearest: "#), "{text}");
        assert!(text.ends_with("(differs at $.number)"), "{text}");
        let elsewhere = String::from_utf8(replay.reply(&request("/nowhere", Value::Null)).body).unwrap();
        assert!(elsewhere.contains("no recording for POST /nowhere; nearest:"), "{elsewhere}");
        // A secret in a missed request is never echoed.
        let secret = request("/q", json!({"number": "4", "password": "hunter2"}));
        let text = String::from_utf8(replay.reply(&secret).body).unwrap();
        assert!(!text.contains("hunter2") && text.contains(r#""password":"REDACTED""#), "{text}");
        // The vendor's own answer to an unknown request is still there for tests that want it.
        assert_eq!(unmatched(Some(&PBX)).body, br#"{"status":"Failed","errno":"10003"}"#);
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

    #[test]
    fn matching_ignores_paging_and_fields_one_side_leaves_out() {
        let listing =
            |body: Value, answer: Value| Exchange { vendor: "openvox".into(), ..exchange("/list", body, answer) };
        let replay = Replay::new(
            vec![
                listing(json!({"page": 1, "count": 50}), json!({"live": true})),
                listing(json!({"page": 1, "count": 20}), json!({"status": "Failed", "errno": "1"})),
                listing(json!({"admin": 7, "page": 1, "count": 10}), json!({"seed": true})),
                exchange("/mute", json!({"action": "mute", "forceMute": false}), json!({"muted": true})),
                exchange("/mute", json!({"action": "unmute", "forceMute": false}), json!({"muted": false})),
            ],
            &[&PBX],
        );
        // Exact bodies still pick their own recording.
        assert_eq!(
            replay.reply(&request("/list", json!({"page": 1, "count": 20}))).body,
            br#"{"status":"Failed","errno":"1"}"#
        );
        // Another page size: the success with nothing left out.
        assert_eq!(replay.reply(&request("/list", json!({"page": 1, "count": 1}))).body, br#"{"live":true}"#);
        // A field the request leaves out, and one the recording does not have, rule nothing out.
        assert_eq!(replay.reply(&request("/mute", json!({"action": "mute"}))).body, br#"{"muted":true}"#);
        assert_eq!(replay.reply(&request("/mute", json!({"action": "unmute", "x": 1}))).body, br#"{"muted":false}"#);
        // A field both have with other values does.
        assert_eq!(replay.reply(&request("/mute", json!({"action": "hold"}))).status, MISS_STATUS);
    }

    #[test]
    fn a_reset_or_an_idle_server_starts_sequences_again() {
        let replay = Replay::new(
            vec![
                step(1, exchange("/members", Value::Null, json!({"n": 1}))),
                step(2, exchange("/members", Value::Null, json!({"n": 2}))),
            ],
            &[&PBX],
        );
        let members = request("/members", Value::Null);
        assert_eq!(replay.reply(&members).body, br#"{"n":1}"#);
        assert_eq!(replay.reply(&members).body, br#"{"n":2}"#);
        let reset = replay.reply(&request(RESET_PATH, Value::Null));
        assert_eq!(reset.status, 200);
        assert_eq!(replay.reply(&members).body, br#"{"n":1}"#);
        assert_eq!(replay.reply(&members).body, br#"{"n":2}"#);
        replay.idle();
        assert_eq!(replay.reply(&members).body, br#"{"n":1}"#);
    }
}
