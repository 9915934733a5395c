//! Property tests: mutated recorded bodies never panic a decoder or the
//! audit, and the audit's lost-field accounting agrees with a plain diff.

use confapi_cli::audit::{audit, diff, Finding};
use confapi_mock::{load_dir, recorded_dir, Exchange};
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::sync::OnceLock;

fn recordings() -> &'static [Exchange] {
    static ALL: OnceLock<Vec<Exchange>> = OnceLock::new();
    ALL.get_or_init(|| load_dir(&recorded_dir()).unwrap().into_iter().map(|f| f.exchange).collect())
}

/// Every position in a JSON value: a path of object keys and array indices.
fn positions(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                here.push(Step::Key(k.clone()));
                out.push(here.clone());
                positions(child, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                here.push(Step::Index(i));
                out.push(here.clone());
                positions(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Applies mutation `kind` (drop, null, retype, duplicate, rename) at `path`.
fn mutate(v: &mut Value, path: &[Step], kind: u8) {
    let Some((last, parent_path)) = path.split_last() else { return };
    let mut parent = v;
    for step in parent_path {
        parent = match (step, parent) {
            (Step::Key(k), Value::Object(m)) => match m.get_mut(k) {
                Some(c) => c,
                None => return,
            },
            (Step::Index(i), Value::Array(a)) => match a.get_mut(*i) {
                Some(c) => c,
                None => return,
            },
            _ => return,
        };
    }
    match (last, parent) {
        (Step::Key(k), Value::Object(m)) => match kind {
            0 => {
                m.remove(k);
            }
            1 => {
                m.insert(k.clone(), Value::Null);
            }
            2 => {
                if let Some(old) = m.remove(k) {
                    m.insert(k.clone(), retype(old));
                }
            }
            3 => {
                if let Some(old) = m.get(k).cloned() {
                    m.insert(format!("{k}{k}"), old);
                }
            }
            _ => {
                if let Some(old) = m.remove(k) {
                    m.insert(k.to_uppercase() + "_", old);
                }
            }
        },
        (Step::Index(i), Value::Array(a)) if *i < a.len() => match kind {
            0 => {
                a.remove(*i);
            }
            1 => a[*i] = Value::Null,
            2 => a[*i] = retype(a[*i].take()),
            _ => {
                let copy = a[*i].clone();
                a.push(copy);
            }
        },
        _ => {}
    }
}

fn retype(v: Value) -> Value {
    match v {
        Value::String(s) => s.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(s.len())),
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Null => Value::Bool(false),
        Value::Array(a) => Value::Object(a.into_iter().enumerate().map(|(i, x)| (i.to_string(), x)).collect()),
        Value::Object(m) => Value::Array(m.into_iter().map(|(_, x)| x).collect()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_bodies_never_panic_the_decoders_or_the_audit(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..5), 1..4),
    ) {
        let all = recordings();
        let mut exchange = all[file.index(all.len())].clone();
        for (at, kind) in edits {
            let mut paths = Vec::new();
            positions(&exchange.response.body, &mut Vec::new(), &mut paths);
            if paths.is_empty() {
                exchange.response.body = retype(exchange.response.body.take());
                continue;
            }
            let path = paths[at.index(paths.len())].clone();
            mutate(&mut exchange.response.body, &path, kind);
        }
        let vendors = confapi::vendor_infos();
        let report = audit(&exchange, &vendors);
        let _ = report.passes(true);
        // The decoders directly too, success and error, and the failure reader.
        let info = vendors.iter().find(|v| v.name == exchange.vendor).unwrap();
        let bytes = exchange.response.body.to_string().into_bytes();
        let decoders = info.decoders.expect("the CLI builds the vendors with their audit feature");
        for d in decoders {
            let _ = (d.decode_success)(&bytes);
            if let Some(decode_error) = d.decode_error {
                let _ = decode_error(&bytes);
            }
        }
        let _ = info.decode_failure(&bytes);
        // A duplicated key in the text (serde_json's Value cannot hold one).
        if let Some(first) = bytes.iter().position(|b| *b == b',') {
            let mut dup = bytes[..first].to_vec();
            dup.push(b',');
            dup.extend_from_slice(&bytes[1..]);
            for d in decoders {
                let _ = (d.decode_success)(&dup);
            }
        }
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        "[a-z0-9]{0,6}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-e]{1,3}", inner, 0..5).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Paths (dotted, `[i]` for items) of keys present in `a` with a non-empty
/// value and absent from `b` at the same place: the plain diff.
fn plain_lost(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    let empty = |v: &Value| {
        matches!(v, Value::Null) || v.as_array().is_some_and(Vec::is_empty) || v.as_object().is_some_and(Map::is_empty)
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let here = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                match y.get(k) {
                    Some(w) => plain_lost(v, w, &here, out),
                    None if !empty(v) => out.push(here),
                    None => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                plain_lost(v, w, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Removes the keys that `drops` points at (by position in a walk).
fn drop_keys(v: &mut Value, drops: &[prop::sample::Index]) {
    for d in drops {
        let mut paths = Vec::new();
        positions(v, &mut Vec::new(), &mut paths);
        let keys: Vec<_> = paths.into_iter().filter(|p| matches!(p.last(), Some(Step::Key(_)))).collect();
        if keys.is_empty() {
            return;
        }
        mutate(v, &keys[d.index(keys.len())], 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn lost_fields_agree_with_a_plain_diff(original in json_value(), drops in prop::collection::vec(any::<prop::sample::Index>(), 0..4)) {
        let mut decoded = original.clone();
        drop_keys(&mut decoded, &drops);
        let mut findings = Vec::new();
        diff(&original, &decoded, "", &mut findings);
        let mut audit_lost: Vec<String> = findings.iter().filter_map(|f| match f {
            Finding::Lost { path } => Some(path.clone()),
            _ => None,
        }).collect();
        let mut expected = Vec::new();
        plain_lost(&original, &decoded, "", &mut expected);
        // Keys are only dropped, so no key of `decoded` is new and the audit's
        // alias rule (a missing key matching a new one) never applies.
        audit_lost.sort();
        expected.sort();
        prop_assert_eq!(audit_lost, expected);
        prop_assert!(findings.iter().all(|f| !matches!(f, Finding::Changed { .. })), "{:?}", findings);
    }
}
