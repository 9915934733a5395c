//! The recorded-exchange format: one HTTP request and its response per file,
//! `crates/mock/recorded/<vendor>/<name>.json` (inside this crate, so the
//! package carries them). Secrets are `"REDACTED"`.
//!
//! Recordings of the same request (method, path and body) may be the steps
//! of a sequence: each carries `"step": N` (from 1), and the replay server
//! answers the Nth call with step N and every later call with the last
//! step. A file without `step` is a sequence of one, as before.

use confapi_core::VendorInfo;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One recorded HTTP exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exchange {
    /// Vendor name (`"openvox"`, `"quanshi"`, `"dingtalk"`).
    pub vendor: String,
    /// Position in a sequence of answers to the same request, from 1;
    /// `None` for a request always answered the same way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u32>,
    /// What the client sent.
    pub request: RecordedRequest,
    /// What the server answered.
    pub response: RecordedResponse,
}

/// The request half of an exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedRequest {
    /// HTTP method, upper case.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Query parameters.
    #[serde(default)]
    pub query: BTreeMap<String, String>,
    /// Headers that matter (auth, content type); names in lower case.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// JSON body, or `null` for none.
    #[serde(default)]
    pub body: Value,
}

/// The response half of an exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers; names in lower case.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// JSON body, or `null` for an empty body.
    #[serde(default)]
    pub body: Value,
    /// A body that is not JSON (a gateway's HTML page), sent as is in
    /// place of `body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_text: Option<String>,
}

impl RecordedResponse {
    /// The body's bytes as the server sent them.
    pub fn bytes(&self) -> Vec<u8> {
        match (&self.body_text, &self.body) {
            (Some(text), _) => text.clone().into_bytes(),
            (None, Value::Null) => Vec::new(),
            (None, body) => body.to_string().into_bytes(),
        }
    }
}

/// A recorded exchange with the file it came from.
#[derive(Debug, Clone)]
pub struct RecordedFile {
    /// The file.
    pub path: PathBuf,
    /// Its contents.
    pub exchange: Exchange,
}

impl RecordedFile {
    /// The file name without `.json`.
    pub fn name(&self) -> String {
        self.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// Reads one exchange file.
pub fn load_file(path: &Path) -> Result<RecordedFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let exchange: Exchange =
        serde_json::from_str(&text).map_err(|e| format!("{}: not an exchange: {e}", path.display()))?;
    Ok(RecordedFile { path: path.to_owned(), exchange })
}

/// Reads every `*.json` below `dir` (recursively), sorted by path.
pub fn load_dir(dir: &Path) -> Result<Vec<RecordedFile>, String> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    files.iter().map(|p| load_file(p)).collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
    Ok(())
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The recorded exchanges built into this crate (the workspace's
/// `recorded/` folder at build time), sorted by path.
pub fn embedded() -> Result<Vec<RecordedFile>, String> {
    embedded::EMBEDDED
        .iter()
        .map(|(path, text)| {
            let exchange: Exchange = serde_json::from_str(text).map_err(|e| format!("{path}: not an exchange: {e}"))?;
            Ok(RecordedFile { path: PathBuf::from(path), exchange })
        })
        .collect()
}

/// The placeholder that stands for a secret in recordings.
pub const REDACTED: &str = "REDACTED";

/// Which names hold secrets, as the vendors' specs say (their credential
/// names and every `SecretString` field): recordings and request logs
/// show those values as `"REDACTED"`.
#[derive(Debug, Clone, Default)]
pub struct Secrets(Vec<&'static VendorInfo>);

impl Secrets {
    /// The secret names of `vendors`.
    pub fn of(vendors: &[&'static VendorInfo]) -> Self {
        Self(vendors.to_vec())
    }

    /// Whether a query key, header or body field holds a secret.
    pub fn is_secret(&self, name: &str) -> bool {
        self.0.iter().any(|v| v.is_secret_name(name))
    }

    /// Replaces the values of secret fields, at any depth, with `"REDACTED"`.
    pub fn redact_json(&self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    if self.is_secret(key) && !v.is_null() {
                        *v = Value::String(REDACTED.into());
                    } else {
                        self.redact_json(v);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.redact_json(v)),
            _ => {}
        }
    }

    /// Replaces the values of secret keys in a map of query parameters or headers.
    pub fn redact_map(&self, map: &mut BTreeMap<String, String>) {
        for (key, v) in map.iter_mut() {
            if self.is_secret(key) {
                *v = REDACTED.into();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_recording_is_embedded() {
        let on_disk = load_dir(&crate::recorded_dir()).unwrap();
        let built_in = embedded().unwrap();
        assert_eq!(on_disk.len(), built_in.len());
        assert!(built_in.len() > 40);
        assert!(on_disk.iter().zip(&built_in).all(|(a, b)| a.exchange == b.exchange));
    }

    #[test]
    fn recorded_sequences_number_their_steps_from_one_without_gaps() {
        let mut steps: BTreeMap<(String, String, String), Vec<Option<u32>>> = BTreeMap::new();
        for file in embedded().unwrap() {
            let r = &file.exchange.request;
            steps.entry((r.method.clone(), r.path.clone(), r.body.to_string())).or_default().push(file.exchange.step);
        }
        let sequences: Vec<_> = steps.into_iter().filter(|(_, s)| s.iter().any(Option::is_some)).collect();
        assert!(!sequences.is_empty(), "the recordings hold at least one sequence");
        for (request, mut numbers) in sequences {
            numbers.sort();
            let expected: Vec<Option<u32>> = (1..=numbers.len() as u32).map(Some).collect();
            assert_eq!(numbers, expected, "{request:?}");
        }
    }

    static FAKE: VendorInfo = VendorInfo {
        secret_names: &["password", "appSecret", "x-acs-dingtalk-access-token"],
        ..VendorInfo::minimal("fake")
    };

    #[test]
    fn secrets_named_by_the_spec_are_redacted_at_any_depth() {
        let secrets = Secrets::of(&[&FAKE]);
        let mut body = json!({"username": "api", "password": "abc", "inner": [{"app_secret": "x", "n": 1}]});
        secrets.redact_json(&mut body);
        assert_eq!(
            body,
            json!({"username": "api", "password": "REDACTED", "inner": [{"app_secret": "REDACTED", "n": 1}]})
        );
        let mut headers = BTreeMap::from([("X-Acs-Dingtalk-Access-Token".to_owned(), "t".to_owned())]);
        secrets.redact_map(&mut headers);
        assert_eq!(headers["X-Acs-Dingtalk-Access-Token"], "REDACTED");
        assert!(!Secrets::default().is_secret("password"), "nothing is secret without a spec saying so");
    }
}
