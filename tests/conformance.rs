//! Independent conformance: Prism (Stoplight's OpenAPI mock server) serves
//! each spec, in static and in seeded dynamic mode, with `--errors` so any
//! request that violates the spec is answered with an error. Every client
//! drives every operation of its spec against it; a request violation or a
//! Prism-generated response our types cannot decode fails the test.
//!
//! Needs Prism: `.ci/run` installs it from npm and sets `PRISM_BIN`. Run by
//! hand with `PRISM_BIN=… cargo test -p confapi-tests --test conformance -- --ignored`.

use confapi_core::{ErrorKind, Timeouts, VendorInfo};
use confapi_tests::{dispatch, Settings};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn spec(vendor: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../specs/{vendor}.yaml"));
    serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => spec.pointer(&r.replacen('#', "", 1)).map(|s| resolve(spec, s)).unwrap_or(schema),
        None => schema,
    }
}

/// A minimal valid instance of `schema`: required properties only, first
/// alternatives and enum values.
fn example(spec: &Value, schema: &Value, depth: usize) -> Value {
    let s = resolve(spec, schema);
    if depth > 8 {
        return Value::Null;
    }
    if let Some(first) = s.get("oneOf").or(s.get("anyOf")).and_then(|a| a.get(0)) {
        return example(spec, first, depth + 1);
    }
    if let Some(first) = s.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    match s.get("type").and_then(Value::as_str) {
        Some("string") => json!("x"),
        Some("integer") | Some("number") => json!(1),
        Some("boolean") => json!(true),
        Some("array") => json!([example(spec, s.get("items").unwrap_or(&Value::Null), depth + 1)]),
        _ => {
            let mut out = Map::new();
            for name in s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
                if let Some(p) = s.pointer(&format!("/properties/{name}")) {
                    out.insert(name.to_owned(), example(spec, p, depth + 1));
                }
            }
            Value::Object(out)
        }
    }
}

/// Path and required query parameters, and the body, for one operation.
fn request(spec: &Value, method: &str, path: &str) -> (BTreeMap<String, String>, Option<Value>) {
    let op = &spec["paths"][path][method.to_lowercase()];
    let mut params = BTreeMap::new();
    for p in op.get("parameters").and_then(Value::as_array).into_iter().flatten() {
        let p = resolve(spec, p);
        let required = p.get("required").and_then(Value::as_bool).unwrap_or(false) || p["in"] == "path";
        if required {
            let value = match example(spec, &p["schema"], 0) {
                Value::String(s) => s,
                other => other.to_string(),
            };
            params.insert(p["name"].as_str().unwrap_or_default().to_owned(), value);
        }
    }
    let body = op.pointer("/requestBody/content/application~1json/schema").map(|s| example(spec, s, 0));
    (params, body)
}

struct Prism(Child);

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_prism(bin: &str, vendor: &str, dynamic: bool) -> (Prism, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../specs/{vendor}.yaml"));
    let mut cmd = Command::new(bin);
    cmd.args(["mock", "--host", "127.0.0.1", "--port", &port.to_string(), "--errors", "-v", "error"]).arg(&spec);
    if dynamic {
        cmd.args(["--dynamic", "--seed", "confapi"]);
    }
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("prism starts");
    let prism = Prism(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "prism did not listen on {port} within 60 s");
        std::thread::sleep(Duration::from_millis(200));
    }
    (prism, format!("http://127.0.0.1:{port}"))
}

#[tokio::test]
#[ignore = "needs Prism (PRISM_BIN); .ci/run installs it"]
async fn every_operation_of_every_spec_conforms_under_prism() {
    let bin = std::env::var("PRISM_BIN").expect("PRISM_BIN points at the prism executable");
    let vendors: Vec<(&str, &VendorInfo)> = confapi::vendor_infos().into_iter().map(|v| (v.name, v)).collect();
    let timeouts =
        Timeouts { connect: Duration::from_secs(2), attempt: Duration::from_secs(10), total: Duration::from_secs(20) };
    let mut failures = Vec::new();
    let mut calls = 0;
    for (vendor, info) in vendors {
        let spec = spec(vendor);
        for dynamic in [false, true] {
            let (_prism, url) = start_prism(&bin, vendor, dynamic);
            for op in info.operations {
                let (params, body) = request(&spec, op.method, op.path);
                let result =
                    dispatch(vendor, &url, Settings { timeouts, ..Settings::default() }, op.id, &params, body).await;
                calls += 1;
                // A failure envelope the server generated (an in-band status
                // or a random errno) was decoded; anything else is a finding.
                let ok = match &result {
                    Ok(_) => true,
                    Err(e) => {
                        matches!(e.kind(), ErrorKind::Vendor | ErrorKind::AuthExpired | ErrorKind::Credentials)
                            && e.status().is_some_and(|s| s < 300)
                    }
                };
                if !ok {
                    let mode = if dynamic { "dynamic" } else { "static" };
                    failures.push(format!("{vendor} {} ({mode}): {:?}", op.id, result.err()));
                }
            }
        }
    }
    println!("prism conformance: {calls} calls, {} findings", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
