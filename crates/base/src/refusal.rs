//! Gateway refusals: answers that come from in front of the API rather than
//! from it (an IP ban page, a flood guard's JSON), with any HTTP status and
//! in no documented body shape. Which bodies are refusals is data in the
//! spec (`x-confapi-refusals`), checked before a body is taken as a success.

use crate::meta::VendorInfo;
use crate::{FailureClass, VendorFailure};
use serde_json::{Map, Value};
use std::time::Duration;

/// What marks a body as a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalMarker {
    /// A JSON object with this top-level field.
    Field(&'static str),
    /// A body that is not JSON and contains this text (an HTML page).
    Text(&'static str),
}

/// One kind of gateway refusal.
#[derive(Debug, Clone, Copy)]
pub struct Refusal {
    /// What marks the body.
    pub marker: RefusalMarker,
    /// What it means for the client.
    pub class: FailureClass,
    /// What it means, in our words.
    pub meaning: &'static str,
    /// The field with the refusal's code, if any.
    pub code: Option<&'static str>,
    /// The field with how long to wait, if any.
    pub wait: Option<&'static str>,
    /// The unit of that field.
    pub wait_unit: Duration,
    /// How long to wait when the body does not say.
    pub default_wait: Option<Duration>,
}

impl Refusal {
    fn failure(&self, fields: Option<&Map<String, Value>>, body: Option<Value>) -> VendorFailure {
        let scalar = |name: Option<&str>| -> Option<&Value> { fields?.get(name?) };
        let code = scalar(self.code).and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        let wait = scalar(self.wait)
            .and_then(|v| v.as_f64().or_else(|| v.as_str()?.trim().parse().ok()))
            .filter(|w| w.is_finite() && *w >= 0.0)
            .map(|w| self.wait_unit.mul_f64(w))
            .or(self.default_wait);
        VendorFailure {
            code,
            message: Some(self.meaning.to_owned()),
            request_id: None,
            hints: Vec::new(),
            body,
            class: self.class,
            meaning: Some(self.meaning),
            wait,
        }
    }
}

impl VendorInfo {
    /// The refusal a decoded body's fields show (a typed body's extra fields).
    pub fn refusal_in_fields(&self, fields: &Map<String, Value>) -> Option<VendorFailure> {
        if fields.is_empty() {
            return None;
        }
        let refusal = self.refusals.iter().find(|r| match r.marker {
            RefusalMarker::Field(name) => fields.contains_key(name),
            RefusalMarker::Text(_) => false,
        })?;
        Some(refusal.failure(Some(fields), Some(Value::Object(fields.clone()))))
    }

    /// The refusal a raw body shows, JSON or not.
    pub fn refusal_in_bytes(&self, bytes: &[u8]) -> Option<VendorFailure> {
        if self.refusals.is_empty() {
            return None;
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(fields)) => self.refusal_in_fields(&fields),
            Ok(_) => None,
            Err(_) => {
                let text = String::from_utf8_lossy(bytes);
                let refusal = self.refusals.iter().find(|r| match r.marker {
                    RefusalMarker::Text(marker) => text.contains(marker),
                    RefusalMarker::Field(_) => false,
                })?;
                Some(refusal.failure(None, None))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, ErrorKind};

    static BAN: &[Refusal] = &[
        Refusal {
            marker: RefusalMarker::Field("punish"),
            class: FailureClass::Blocked,
            meaning: "IP banned for flooding",
            code: Some("status"),
            wait: Some("wait"),
            wait_unit: Duration::from_secs(60),
            default_wait: Some(Duration::from_secs(300)),
        },
        Refusal {
            marker: RefusalMarker::Text("punish"),
            class: FailureClass::Blocked,
            meaning: "IP banned for flooding",
            code: None,
            wait: None,
            wait_unit: Duration::from_secs(60),
            default_wait: Some(Duration::from_secs(300)),
        },
    ];
    static GATEWAY: VendorInfo = VendorInfo { refusals: BAN, ..VendorInfo::minimal("gw") };

    #[test]
    fn the_flood_guard_json_is_blocked_with_its_wait() {
        let body = br#"{"status":1111,"wait":5,"source":"x5","punish":"deny","uuid":"u-1"}"#;
        let f = GATEWAY.refusal_in_bytes(body).expect("a refusal");
        let e = Error::from_failure("gw", f);
        assert_eq!(e.kind(), ErrorKind::Blocked);
        assert_eq!(e.code(), Some("1111"));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(300)));
        assert!(e.body().is_some_and(|b| b["uuid"] == "u-1"));
        assert!(e.to_string().contains("wait 5 min"), "{e}");
    }

    #[test]
    fn the_ban_page_is_blocked_with_the_documented_wait() {
        let page = b"<!DOCTYPE html><html><body><a href='/_____tmd_____/punish?x5secdata=1'>verify</a></body></html>";
        let e = Error::from_failure("gw", GATEWAY.refusal_in_bytes(page).expect("a refusal"));
        assert_eq!(e.kind(), ErrorKind::Blocked);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(300)));
    }

    #[test]
    fn ordinary_bodies_are_not_refusals() {
        assert!(GATEWAY.refusal_in_bytes(br#"{"success":true}"#).is_none());
        assert!(GATEWAY.refusal_in_bytes(b"<html>Bad Gateway</html>").is_none());
        assert!(GATEWAY.refusal_in_fields(&Map::new()).is_none());
        // A vendor without refusal rules never looks.
        assert!(VendorInfo::minimal("x").refusal_in_bytes(br#"{"punish":"deny"}"#).is_none());
    }
}
