//! `confapi audit` end to end: exit status and report on real and crafted
//! exchanges.

use std::path::{Path, PathBuf};
use std::process::Command;

fn recorded(vendor: &str) -> Vec<PathBuf> {
    let dir = confapi_mock::recorded_dir().join(vendor);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn audit(args: &[&str], files: &[PathBuf]) -> (i32, String) {
    let out =
        Command::new(env!("CARGO_BIN_EXE_confapi")).arg("audit").args(args).args(files).output().expect("confapi runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn write_exchange(dir: &Path, name: &str, body: serde_json::Value) -> PathBuf {
    let exchange = serde_json::json!({
        "vendor": "openvox",
        "request": {"method": "POST", "path": "/api/v0.0.1/conference/query_in_session",
                    "query": {"token": "REDACTED"}, "headers": {}, "body": {"number": "8000"}},
        "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": body}
    });
    let path = dir.join(name);
    std::fs::write(&path, exchange.to_string()).unwrap();
    path
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("confapi-audit-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_openvox_recording_passes_strict() {
    let files = recorded("openvox");
    let (code, out) = audit(&["--strict"], &files);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("{} passed, 0 failed", files.len())), "{out}");
}

#[test]
fn undocumented_field_fails_only_in_strict_mode() {
    let dir = scratch("undocumented");
    let f = write_exchange(
        &dir,
        "extra.json",
        serde_json::json!({"status": "Success", "conference": [{"conferencenumber": "8000", "videolayout": "grid"}]}),
    );
    let (code, out) = audit(&[], std::slice::from_ref(&f));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("undocumented conference[0].videolayout"), "{out}");
    let (code, out) = audit(&["--strict"], &[f]);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn decode_error_is_reported_with_its_path() {
    let dir = scratch("decode");
    let f = write_exchange(
        &dir,
        "wrong-type.json",
        serde_json::json!({"status": "Success", "conference": [{"member": {"number": "111"}}]}),
    );
    let (code, out) = audit(&[], &[f]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("decode error at conference[0].member"), "{out}");
}

#[test]
fn unknown_path_and_bad_file_fail() {
    let dir = scratch("unknown");
    let bad = dir.join("not-an-exchange.json");
    std::fs::write(&bad, "{\"hello\": 1}").unwrap();
    let (code, out) = audit(&[], &[bad]);
    assert_eq!(code, 1, "{out}");
    let usage = Command::new(env!("CARGO_BIN_EXE_confapi")).arg("audit").output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

/// Quanshi's `infos` recording whose `result` is a JSON string, with the
/// meeting inside it edited by `edit`, audited with the real types.
fn infos_with_string_result(
    edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> confapi_cli::audit::Report {
    let file = confapi_mock::recorded_dir().join("quanshi/infos-table-json-string-local-times.json");
    let mut exchange = confapi_mock::load_file(&file).unwrap().exchange;
    let text = exchange.response.body["result"].as_str().expect("the recording sends result as a string").to_owned();
    let mut meeting: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    edit(&mut meeting);
    exchange.response.body["result"] = serde_json::Value::String(serde_json::Value::Object(meeting).to_string());
    confapi_cli::audit::audit(&exchange, &confapi::vendor_infos())
}

#[test]
fn a_json_string_result_is_audited_by_the_value_inside() {
    use confapi_cli::audit::Finding;
    // As recorded: passes, strict included.
    let report = infos_with_string_result(|_| {});
    assert!(report.passes(true), "{:?}", report.findings);
    // `billingcode` is an alias of `billingCode`: the types re-encode it
    // under the property's name, so the text changes but nothing is lost.
    let report = infos_with_string_result(|m| {
        let code = m.remove("billingCode").unwrap();
        m.insert("billingcode".into(), code);
        m.insert("hostMobile".into(), serde_json::Value::Null);
    });
    assert!(report.passes(true), "{:?}", report.findings);
    // A field the spec does not declare, inside the string: the types keep
    // it (every object has an `extra` map), so it is not lost, and the
    // strict audit names it at its path inside the string.
    let report = infos_with_string_result(|m| {
        m.insert("roomSkin".into(), "blue".into());
    });
    assert!(report.passes(false), "{:?}", report.findings);
    assert!(!report.passes(true));
    assert_eq!(report.findings, vec![Finding::Undocumented { path: "result.roomSkin".into() }]);
}

#[test]
fn json_report_is_typed_per_file_and_finding() {
    let dir = scratch("json");
    let f = write_exchange(
        &dir,
        "extra.json",
        serde_json::json!({"status": "Success", "conference": [{"conferencenumber": "8000", "videolayout": "grid"}]}),
    );
    let missing = dir.join("missing.json");
    let (code, out) = audit(&["--strict", "--json"], &[f.clone(), missing.clone()]);
    assert_eq!(code, 1, "{out}");
    let run: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(run["strict"], true);
    assert_eq!((run["passed"].as_u64(), run["failed"].as_u64()), (Some(0), Some(2)));
    let first = &run["files"][0];
    assert_eq!(first["file"], f.display().to_string());
    assert_eq!(first["passes"], false);
    assert_eq!(first["operation"], "conference_query_in_session");
    assert_eq!(first["status"], 200);
    let finding = &first["findings"][0];
    assert_eq!(finding["kind"], "undocumented");
    assert_eq!(finding["path"], "conference[0].videolayout");
    assert_eq!(finding["fails"], true);
    assert_eq!(finding["text"], "undocumented conference[0].videolayout: not in the spec, kept as an extra");
    let second = &run["files"][1];
    assert_eq!(second["file"], missing.display().to_string());
    assert!(second["unusable"].as_str().is_some_and(|u| !u.is_empty()), "{second}");
    assert_eq!(second["findings"], serde_json::json!([]));
    // Without --strict the undocumented field is reported but does not fail.
    let (code, out) = audit(&["--json"], &[f]);
    assert_eq!(code, 0, "{out}");
    let run: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(run["files"][0]["findings"][0]["fails"], false);
}
