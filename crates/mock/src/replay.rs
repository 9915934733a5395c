//! Replays recorded exchanges: method + path pick the recording, and the
//! body decides where several recordings share a path.

use crate::exchange::{Exchange, RecordedRequest, Secrets};
use crate::server::Reply;
use confapi_core::VendorInfo;

/// A [`Responder`](crate::Responder) over a set of recordings.
#[derive(Debug, Clone)]
pub struct Replay {
    exchanges: Vec<Exchange>,
    vendors: Vec<&'static VendorInfo>,
}

impl Replay {
    /// Replays `exchanges` of `vendors`, whose specs say which fields are
    /// secret and how each vendor answers a request it does not know.
    pub fn new(exchanges: Vec<Exchange>, vendors: &[&'static VendorInfo]) -> Self {
        Self { exchanges, vendors: vendors.to_vec() }
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
                Secrets::of(&self.vendors).redact_json(&mut body);
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
}
