//! Replays recorded exchanges: method + path pick the recording, and the
//! body decides where several recordings share a path.

use crate::exchange::{redact_json, Exchange, RecordedRequest};
use crate::server::Reply;
use serde_json::json;

/// A [`Responder`](crate::Responder) over a set of recordings.
#[derive(Debug, Clone)]
pub struct Replay {
    exchanges: Vec<Exchange>,
}

impl Replay {
    /// Replays `exchanges`.
    pub fn new(exchanges: Vec<Exchange>) -> Self {
        Self { exchanges }
    }

    /// The recording that answers `request`, if any: the only one for its
    /// method and path, or among several the one with the same body
    /// (compared with secrets redacted, as recordings store them).
    pub fn find(&self, request: &RecordedRequest) -> Option<&Exchange> {
        let candidates: Vec<&Exchange> = self
            .exchanges
            .iter()
            .filter(|e| e.request.method.eq_ignore_ascii_case(&request.method) && e.request.path == request.path)
            .collect();
        match candidates.as_slice() {
            [] => None,
            [only] => Some(only),
            several => {
                let mut body = request.body.clone();
                redact_json(&mut body);
                several.iter().copied().find(|e| e.request.body == body)
            }
        }
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
                let body = match &e.response.body {
                    serde_json::Value::Null => Vec::new(),
                    b => b.to_string().into_bytes(),
                };
                let mut headers: Vec<(String, String)> =
                    e.response.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                if !e.response.headers.contains_key("content-type") && !body.is_empty() {
                    headers.push(("content-type".into(), "application/json".into()));
                }
                Reply { status: e.response.status, headers, body, delay: Default::default(), cut_after: None }
            }
            None => unmatched(self.vendor_of(&request.path).unwrap_or("")),
        }
    }
}

/// What each vendor answers to a request it does not know, in its own shape.
pub fn unmatched(vendor: &str) -> Reply {
    match vendor {
        // OpenVox: HTTP 200 with errno 10003, "API request not supported".
        "openvox" => Reply::json(200, &json!({"status": "Failed", "errno": "10003"})),
        "quanshi" => Reply::json(
            200,
            &json!({"status": 404, "msg": "no recorded exchange matches this request", "result": null}),
        ),
        "dingtalk" => Reply::json(
            404,
            &json!({"code": "notFound", "message": "no recorded exchange matches this request", "requestid": "mock"}),
        ),
        _ => Reply::raw(404, "text/plain", "no recorded exchange matches this request"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::RecordedResponse;
    use crate::Responder;
    use serde_json::Value;
    use std::collections::BTreeMap;

    fn exchange(path: &str, body: Value, answer: Value) -> Exchange {
        Exchange {
            vendor: "openvox".into(),
            request: RecordedRequest {
                method: "POST".into(),
                path: path.into(),
                query: BTreeMap::new(),
                headers: BTreeMap::new(),
                body,
            },
            response: RecordedResponse { status: 200, headers: BTreeMap::new(), body: answer },
        }
    }

    fn request(path: &str, body: Value) -> RecordedRequest {
        exchange(path, body, Value::Null).request
    }

    #[test]
    fn body_decides_between_recordings_of_one_path() {
        let replay = Replay::new(vec![
            exchange("/q", json!({"number": "1"}), json!({"n": 1})),
            exchange("/q", json!({"number": "2"}), json!({"n": 2})),
            exchange("/login", json!({"password": "REDACTED"}), json!({"ok": true})),
        ]);
        assert_eq!(replay.reply(&request("/q", json!({"number": "2"}))).body, br#"{"n":2}"#);
        // The only recording of a path answers whatever the body.
        assert_eq!(replay.reply(&request("/login", json!({"password": "x"}))).body, br#"{"ok":true}"#);
        // Several recordings and no equal body: the vendor's own error.
        let miss = replay.reply(&request("/q", json!({"number": "3"})));
        assert_eq!(miss, unmatched("openvox"));
        assert_eq!(miss.body, br#"{"status":"Failed","errno":"10003"}"#);
        assert_eq!(replay.reply(&request("/nowhere", Value::Null)), unmatched("openvox"));
    }
}
