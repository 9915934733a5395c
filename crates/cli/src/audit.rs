//! The audit: does a response the server really sent survive our types?
//!
//! For one recorded exchange it finds the operation (vendor + method + path
//! template), decodes the response body with the generated type for its
//! status, re-encodes the value, and compares:
//! - **lost**: in the body, gone after decode and re-encode (a bug);
//! - **changed**: a value that came back different (a bug);
//! - **retyped**: same text, other JSON type (`8000` vs `"8000"`), reported only;
//! - **undocumented** (with `--strict`): kept only in an `extra` map because
//!   the spec does not declare it.
//!
//! A string holding a JSON object or array (a field the spec marks
//! `x-confapi-json-string`, such as Quanshi's `infos` `result`) is compared
//! by the value inside it, with the same alias and null rules as any
//! object: a field inside the string that the types drop is lost at its own
//! path (`result.title`), and a field renamed by an alias or an absent null
//! is not. Undocumented fields are looked for inside it too, where the spec
//! gives that place an object or array shape.

use confapi_core::meta::{DecodeError, Decoders, OperationMeta};
use confapi_core::{Shape, VendorInfo};
use confapi_mock::Exchange;
use serde_json::Value;
use std::fmt;

/// One finding of the audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The body does not decode.
    DecodeError(DecodeError),
    /// A field present in the body is gone after decode and re-encode.
    Lost {
        /// JSON path of the field.
        path: String,
    },
    /// A value came back different.
    Changed {
        /// JSON path of the value.
        path: String,
        /// The value in the body.
        from: String,
        /// The value after decode and re-encode.
        to: String,
    },
    /// Same text, other JSON type.
    Retyped {
        /// JSON path of the value.
        path: String,
        /// The value in the body.
        from: String,
        /// The value after decode and re-encode.
        to: String,
    },
    /// A failure envelope whose payload does not fit the success type: the
    /// client reports the vendor's failure and ignores the payload, as here.
    FailureEnvelope {
        /// The vendor's code.
        code: String,
        /// The vendor's message or the code's documented meaning.
        message: String,
    },
    /// A field the spec does not declare (kept only as an extra).
    Undocumented {
        /// JSON path of the field.
        path: String,
    },
}

impl Finding {
    /// Whether the finding fails the audit (`strict` adds undocumented fields).
    pub fn fails(&self, strict: bool) -> bool {
        match self {
            Finding::DecodeError(_) | Finding::Lost { .. } | Finding::Changed { .. } => true,
            Finding::Undocumented { .. } => strict,
            Finding::Retyped { .. } | Finding::FailureEnvelope { .. } => false,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::DecodeError(e) => write!(f, "decode error {e}"),
            Finding::Lost { path } => {
                write!(f, "lost {path}: present in the body, gone after decode")
            }
            Finding::Changed { path, from, to } => {
                write!(f, "changed {path}: {from} came back as {to}")
            }
            Finding::Retyped { path, from, to } => {
                write!(f, "retyped {path}: {from} came back as {to} (same text)")
            }
            Finding::FailureEnvelope { code, message } => write!(
                f,
                "failure envelope {code} ({message}): the client reports it as a vendor error; its payload is not decoded"
            ),
            Finding::Undocumented { path } => {
                write!(f, "undocumented {path}: not in the spec, kept as an extra")
            }
        }
    }
}

/// The audit of one exchange.
#[derive(Debug, Clone)]
pub struct Report {
    /// The operation id, when one matched.
    pub operation: Option<&'static str>,
    /// The schema the body was decoded with.
    pub schema: Option<&'static str>,
    /// What was found; empty when the body round-trips exactly.
    pub findings: Vec<Finding>,
    /// A problem that prevented the audit (unknown vendor or operation).
    pub unusable: Option<String>,
}

impl Report {
    /// Whether the exchange passes.
    pub fn passes(&self, strict: bool) -> bool {
        self.unusable.is_none() && !self.findings.iter().any(|f| f.fails(strict))
    }
}

/// Audits one exchange against the vendors' generated descriptions.
pub fn audit(exchange: &Exchange, vendors: &[&'static VendorInfo]) -> Report {
    let mut report = Report { operation: None, schema: None, findings: Vec::new(), unusable: None };
    let Some(info) = vendors.iter().find(|v| v.name == exchange.vendor) else {
        report.unusable = Some(format!("unknown vendor {:?}", exchange.vendor));
        return report;
    };
    let request = &exchange.request;
    let Some((op, _)) = info.find_operation(&request.method, &request.path) else {
        report.unusable = Some(format!("no {} operation for {} {}", info.name, request.method, request.path));
        return report;
    };
    report.operation = Some(op.id);
    let Some(decoders) = info.decoders_of(op) else {
        report.unusable = Some(format!("{} was built without its `audit` feature (no decoders)", info.name));
        return report;
    };
    let Some((decode, schema)) = decoder(op, decoders, exchange.response.status) else {
        report.unusable = Some(format!("{} describes no body for HTTP {}", op.id, exchange.response.status));
        return report;
    };
    report.schema = schema;
    let body = &exchange.response.body;
    let bytes = exchange.response.bytes();
    // As the client does: a gateway's refusal is a failure whatever the body.
    if let Some(f) = info.refusal_in_bytes(&bytes) {
        report.findings.push(Finding::FailureEnvelope {
            code: f.code.unwrap_or_default(),
            message: f.message.unwrap_or_default(),
        });
        return report;
    }
    match decode(&bytes) {
        // As the client does: a failure envelope wins over a payload that does not fit.
        Err(e) => match info.decode_failure(&bytes) {
            Some(f) => report.findings.push(Finding::FailureEnvelope {
                code: f.code.unwrap_or_default(),
                message: f.message.unwrap_or_default(),
            }),
            None => report.findings.push(Finding::DecodeError(e)),
        },
        Ok(reencoded) => {
            diff(body, &reencoded, "", &mut report.findings);
            if let Some(schema) = schema {
                undocumented(body, &Shape::Ref(schema), info, "", &mut report.findings);
            }
        }
    }
    report
}

fn decoder(
    op: &OperationMeta,
    decoders: &Decoders,
    status: u16,
) -> Option<(confapi_core::meta::DecodeFn, Option<&'static str>)> {
    if status == op.success_status || ((200..300).contains(&status) && decoders.decode_error.is_none()) {
        Some((decoders.decode_success, op.success_shape))
    } else {
        decoders.decode_error.map(|d| (d, op.error_shape))
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Empty values that serializers commonly omit: losing them loses nothing.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Compares the body with its re-encoding. A key missing from the
/// re-encoding may have been renamed by an alias: it then matches a key of
/// the re-encoding that has no counterpart in the body, with an equal value.
pub fn diff(original: &Value, reencoded: &Value, path: &str, out: &mut Vec<Finding>) {
    if original != reencoded && (original.is_string() || reencoded.is_string()) {
        if let (Some(a), Some(b)) = (structure(original), structure(reencoded)) {
            return diff(&a, &b, path, out);
        }
    }
    match (original, reencoded) {
        (Value::Object(a), Value::Object(b)) => {
            let unmatched: Vec<(&String, &Value)> = b.iter().filter(|(k, _)| !a.contains_key(*k)).collect();
            for (key, value) in a {
                let here = join(path, key);
                match b.get(key) {
                    Some(other) => diff(value, other, &here, out),
                    None if is_empty(value) => {}
                    None => {
                        let renamed = unmatched.iter().find(|(_, v)| {
                            let mut probe = Vec::new();
                            diff(value, v, &here, &mut probe);
                            probe.iter().all(|f| !f.fails(false))
                        });
                        if renamed.is_none() {
                            out.push(Finding::Lost { path: here });
                        }
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff(x, y, &format!("{path}[{i}]"), out);
            }
        }
        (a, b) if a == b => {}
        (a, b) if is_empty(a) && is_empty(b) => {}
        (a, b) => match (scalar_text(a), scalar_text(b)) {
            (Some(x), Some(y)) if x == y => {
                out.push(Finding::Retyped { path: path.to_owned(), from: a.to_string(), to: b.to_string() })
            }
            _ => out.push(Finding::Changed { path: path.to_owned(), from: a.to_string(), to: b.to_string() }),
        },
    }
}

/// The object or array `v` is, or holds as JSON text; `None` for anything
/// else (a plain string, a number, a string holding a scalar).
fn structure(v: &Value) -> Option<std::borrow::Cow<'_, Value>> {
    match v {
        Value::Object(_) | Value::Array(_) => Some(std::borrow::Cow::Borrowed(v)),
        Value::String(text) => match serde_json::from_str::<Value>(text) {
            Ok(inner @ (Value::Object(_) | Value::Array(_))) => Some(std::borrow::Cow::Owned(inner)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `shape` gives an object with declared properties, a map, or an
/// array: the shapes a string holding JSON is read into.
fn has_structure(shape: &Shape, info: &VendorInfo) -> bool {
    declared(shape, info, 0).is_none_or(|props| !props.is_empty()) || items(shape, info, 0).is_some()
}

/// Nesting beyond which a shape is not followed (a schema that refers to itself).
const MAX_DEPTH: usize = 32;

/// The properties an object shape declares (following refs and unions),
/// with aliases mapped to their property's shape; `None` for a free-form map.
fn declared(shape: &Shape, info: &VendorInfo, depth: usize) -> Option<Vec<(&'static str, &'static Shape)>> {
    if depth > MAX_DEPTH {
        return Some(Vec::new());
    }
    match shape {
        Shape::Ref(name) => declared(info.shape(name).unwrap_or(&Shape::Any), info, depth + 1),
        Shape::Map(_) => None,
        Shape::Object { props, aliases } => {
            let mut out: Vec<(&'static str, &'static Shape)> = props.iter().map(|(k, v)| (*k, v)).collect();
            for (alias, target) in aliases.iter() {
                if let Some((_, v)) = props.iter().find(|(k, _)| k == target) {
                    out.push((alias, v));
                }
            }
            Some(out)
        }
        Shape::Union(alts) => {
            let mut out = Vec::new();
            for alt in alts.iter() {
                out.extend(declared(alt, info, depth + 1)?);
            }
            Some(out)
        }
        Shape::Any | Shape::Array(_) => Some(Vec::new()),
    }
}

/// The shape of an array's items (following refs and unions).
fn items<'a>(shape: &'a Shape, info: &VendorInfo, depth: usize) -> Option<&'a Shape> {
    if depth > MAX_DEPTH {
        return None;
    }
    match shape {
        Shape::Ref(name) => items(info.shape(name)?, info, depth + 1),
        Shape::Array(item) => Some(item),
        Shape::Union(alts) => alts.iter().find_map(|alt| items(alt, info, depth + 1)),
        _ => None,
    }
}

/// Reports the fields of `body` that `shape` does not declare.
pub fn undocumented(body: &Value, shape: &Shape, info: &VendorInfo, path: &str, out: &mut Vec<Finding>) {
    match body {
        Value::Object(obj) => {
            let Some(props) = declared(shape, info, 0) else {
                return; // a documented free-form map
            };
            for (key, value) in obj {
                let here = join(path, key);
                match props.iter().find(|(k, _)| k == key) {
                    None => out.push(Finding::Undocumented { path: here }),
                    Some((_, sub)) => undocumented(value, sub, info, &here, out),
                }
            }
        }
        Value::Array(list) => {
            if let Some(item_shape) = items(shape, info, 0) {
                for (i, v) in list.iter().enumerate() {
                    undocumented(v, item_shape, info, &format!("{path}[{i}]"), out);
                }
            }
        }
        // JSON inside a string, where the spec expects structure there.
        Value::String(_) if has_structure(shape, info) => {
            if let Some(inner) = structure(body) {
                undocumented(&inner, shape, info, path, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lost_changed_and_retyped_are_told_apart() {
        let mut out = Vec::new();
        diff(
            &json!({"a": 1, "b": "x", "c": 8000, "d": null, "e": [], "gone": true}),
            &json!({"a": 1, "b": "y", "c": "8000"}),
            "",
            &mut out,
        );
        assert_eq!(
            out,
            vec![
                Finding::Changed { path: "b".into(), from: "\"x\"".into(), to: "\"y\"".into() },
                Finding::Retyped { path: "c".into(), from: "8000".into(), to: "\"8000\"".into() },
                Finding::Lost { path: "gone".into() },
            ]
        );
        assert!(!out[1].fails(true));
    }

    #[test]
    fn alias_renames_are_not_losses() {
        let mut out = Vec::new();
        diff(&json!({"members": [{"n": 1}]}), &json!({"member": [{"n": 1}]}), "", &mut out);
        assert!(out.is_empty(), "{out:?}");
        diff(&json!({"members": [{"n": 1}]}), &json!({"member": [{"n": 2}]}), "", &mut out);
        assert_eq!(out, vec![Finding::Lost { path: "members".into() }]);
    }

    /// `v` as a JSON string, the way Quanshi may send `result`.
    fn quoted(v: serde_json::Value) -> serde_json::Value {
        serde_json::Value::String(v.to_string())
    }

    #[test]
    fn a_json_string_is_compared_by_the_value_inside_it() {
        let sent = json!({"status": 0, "result": quoted(json!({"title": "周例会", "hostName": "李四", "gone": 1}))});
        // The types dropped `gone`: lost at its own path, not "result changed".
        let mut out = Vec::new();
        diff(
            &sent,
            &json!({"status": 0, "result": quoted(json!({"hostName": "李四", "title": "周例会"}))}),
            "",
            &mut out,
        );
        assert_eq!(out, vec![Finding::Lost { path: "result.gone".into() }]);
        // A value inside changed: reported where it is.
        let mut out = Vec::new();
        let back = quoted(json!({"title": "周会", "hostName": "李四", "gone": 1}));
        diff(&sent, &json!({"status": 0, "result": back}), "", &mut out);
        assert_eq!(
            out,
            vec![Finding::Changed {
                path: "result.title".into(), from: "\"周例会\"".into(), to: "\"周会\"".into()
            }]
        );
        // Key order, spacing, an alias rename and an absent null lose nothing.
        let sent = json!({"result": "{ \"billingcode\": \"7\", \"title\": \"t\", \"hostMobile\": null }"});
        let mut out = Vec::new();
        diff(&sent, &json!({"result": quoted(json!({"title": "t", "billingCode": "7"}))}), "", &mut out);
        assert!(out.is_empty(), "{out:?}");
        // A list inside a string, item by item; and the string against the JSON itself.
        let mut out = Vec::new();
        diff(&json!({"result": quoted(json!([{"a": 1, "b": 2}]))}), &json!({"result": [{"a": 1}]}), "", &mut out);
        assert_eq!(out, vec![Finding::Lost { path: "result[0].b".into() }]);
        // Plain strings are still compared as text.
        let mut out = Vec::new();
        diff(&json!({"t": "[1]"}), &json!({"t": "x"}), "", &mut out);
        assert!(matches!(out.as_slice(), [Finding::Changed { path, .. }] if path == "t"), "{out:?}");
    }

    static ITEM: Shape = Shape::Object { props: &[("id", Shape::Any)], aliases: &[] };
    static INFO: VendorInfo = VendorInfo {
        shapes: &[
            (
                "Resp",
                &Shape::Object { props: &[("list", Shape::Array(&Shape::Ref("Item")))], aliases: &[("lists", "list")] },
            ),
            ("Item", &ITEM),
        ],
        ..VendorInfo::minimal("test")
    };

    #[test]
    fn undocumented_fields_are_found_inside_a_json_string_where_structure_is_declared() {
        let mut out = Vec::new();
        let body = json!({"lists": quoted(json!([{"id": 1, "new": 2}]))});
        undocumented(&body, &Shape::Ref("Resp"), &INFO, "", &mut out);
        assert_eq!(out, vec![Finding::Undocumented { path: "lists[0].new".into() }]);
        // A scalar field holding JSON text is just text.
        let mut out = Vec::new();
        undocumented(&json!({"id": "{\"a\": 1}"}), &Shape::Ref("Item"), &INFO, "", &mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn undocumented_fields_follow_refs_aliases_and_items() {
        let mut out = Vec::new();
        undocumented(&json!({"lists": [{"id": 1, "new": 2}], "top": 0}), &Shape::Ref("Resp"), &INFO, "", &mut out);
        assert_eq!(
            out,
            vec![Finding::Undocumented { path: "lists[0].new".into() }, Finding::Undocumented { path: "top".into() }]
        );
    }
}
