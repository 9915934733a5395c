//! Decodes the pages' response examples exactly as `confapi audit` does, by
//! running it: each example becomes a recorded exchange in a temporary
//! directory, and the audit's typed report (`confapi audit --json`, read
//! with [`AuditRun`]) becomes findings. xtask does not link the vendor
//! crates (codegen must run when they do not build), so it reads the
//! report's JSON rather than calling the audit.

use super::compare::{Finding, Level};
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One example response to decode.
#[derive(Debug, Clone)]
pub struct Case {
    /// Vendor name.
    pub vendor: String,
    /// The operation's name in findings.
    pub operation: String,
    /// Which example of the page (for the finding's path).
    pub label: String,
    /// HTTP method.
    pub method: String,
    /// Concrete path (templates filled in).
    pub path: String,
    /// The request example, or null.
    pub request: Value,
    /// The response example.
    pub response: Value,
}

/// The exchange file the audit reads for a case.
pub fn exchange(case: &Case) -> Value {
    json!({
        "vendor": case.vendor,
        "request": {"method": case.method, "path": fill_templates(&case.path), "query": {}, "headers": {}, "body": case.request},
        "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": case.response},
    })
}

/// `/rooms/{id}` becomes `/rooms/example`, so the audit can match it.
fn fill_templates(path: &str) -> String {
    path.split('/')
        .map(|seg| if seg.starts_with('{') && seg.ends_with('}') { "example" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

/// Runs `confapi audit --strict` on the cases from the workspace at `root`
/// and returns, for each case, a finding per reported problem (or one for a
/// file that failed without saying why).
pub fn run(root: &Path, cases: &[Case]) -> Result<Vec<Vec<Finding>>, String> {
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let dir = TempDir::new()?;
    let mut files = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let file = dir.0.join(format!("example-{i}.json"));
        let text = serde_json::to_string_pretty(&exchange(case)).map_err(|e| format!("encoding an example: {e}"))?;
        std::fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))?;
        files.push(file);
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(&cargo)
        .current_dir(root)
        .args(["run", "-q", "-p", "confapi-cli", "--", "audit", "--strict", "--json"])
        .args(&files)
        .output()
        .map_err(|e| format!("could not run {cargo} run -p confapi-cli: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let run: AuditRun = serde_json::from_str(&stdout).map_err(|e| {
        format!(
            "confapi audit --json gave no report ({e}; exit {:?}):\n{}{}",
            output.status.code(),
            stdout,
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let shown: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let reported: Vec<String> = run.files.iter().map(|f| f.file.clone()).collect();
    if reported != shown {
        return Err(format!("confapi audit did not report on every example in order: {reported:?} for {shown:?}"));
    }
    let mut all = Vec::new();
    for (case, verdict) in cases.iter().zip(run.files) {
        let mut findings = Vec::new();
        let path = format!("({})", case.label);
        let mut push = |page: String, spec: String, level| {
            findings.push(Finding {
                vendor: case.vendor.clone(),
                operation: case.operation.clone(),
                path: path.clone(),
                page,
                spec,
                level,
            })
        };
        if !verdict.passes && verdict.findings.iter().all(|f| !f.fails) {
            push(
                "an example response".into(),
                format!("confapi audit fails it: {}", verdict.summary()),
                Level::Unhandled,
            );
        }
        for finding in verdict.findings {
            let level = if finding.fails { Level::Unhandled } else { Level::Info };
            push("an example response".into(), format!("confapi audit: {}", finding.text), level);
        }
        all.push(findings);
    }
    Ok(all)
}

/// `confapi audit --json`'s report (crates/cli/src/audit_json.rs writes it).
#[derive(Debug, Clone, Deserialize)]
pub struct AuditRun {
    /// One entry per file, in the order given.
    pub files: Vec<FileAudit>,
}

/// The audit of one file.
#[derive(Debug, Clone, Deserialize)]
pub struct FileAudit {
    /// The file as given.
    pub file: String,
    /// Whether it passes.
    pub passes: bool,
    /// The operation id, when one matched.
    pub operation: Option<String>,
    /// The schema the body was decoded with.
    pub schema: Option<String>,
    /// Why the file could not be audited.
    pub unusable: Option<String>,
    /// What was found.
    pub findings: Vec<AuditFinding>,
}

/// One finding of the audit.
#[derive(Debug, Clone, Deserialize)]
pub struct AuditFinding {
    /// Whether it fails the audit.
    pub fails: bool,
    /// The audit's sentence for it.
    pub text: String,
}

impl FileAudit {
    /// What the audit made of the file: why it was unusable, or the
    /// operation and schema.
    fn summary(&self) -> String {
        match &self.unusable {
            Some(why) => why.clone(),
            None => format!(
                "{} as {}",
                self.operation.as_deref().unwrap_or("?"),
                self.schema.as_deref().unwrap_or("untyped JSON")
            ),
        }
    }
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, String> {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("confapi-docs-check-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape `confapi audit --json` writes (see crates/cli/tests/audit_cli.rs).
    #[test]
    fn the_json_report_is_read_per_file() {
        let json = r#"{"strict": true, "passed": 0, "failed": 2, "files": [
            {"file": "/t/example-0.json", "passes": false, "operation": "op_a", "status": 200, "schema": "A",
             "unusable": null, "findings": [{"kind": "undocumented", "path": "y", "fails": true,
             "text": "undocumented y: not in the spec, kept as an extra"}]},
            {"file": "/t/example-1.json", "passes": false, "operation": null, "status": null, "schema": null,
             "unusable": "no operation matches POST /x", "findings": []}]}"#;
        let run: AuditRun = serde_json::from_str(json).unwrap();
        assert_eq!(run.files.len(), 2);
        assert!(run.files[0].findings[0].fails);
        assert_eq!(run.files[0].findings[0].text, "undocumented y: not in the spec, kept as an extra");
        assert_eq!(run.files[0].summary(), "op_a as A");
        assert_eq!(run.files[1].summary(), "no operation matches POST /x");
    }

    #[test]
    fn templates_are_filled() {
        assert_eq!(fill_templates("/v1.0/rooms/{id}/members"), "/v1.0/rooms/example/members");
    }
}
