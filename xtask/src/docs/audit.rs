//! Decodes the pages' response examples exactly as `confapi audit` does, by
//! running it: each example becomes a recorded exchange in a temporary
//! directory, and the audit's per-file verdicts become findings. xtask does
//! not link the vendor crates (codegen must run when they do not build).

use super::compare::{Finding, Level};
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
        .args(["run", "-q", "-p", "confapi-cli", "--", "audit", "--strict"])
        .args(&files)
        .output()
        .map_err(|e| format!("could not run {cargo} run -p confapi-cli: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let verdicts = parse_output(&stdout, &files);
    if verdicts.len() != files.len() {
        return Err(format!(
            "confapi audit did not report on every example (exit {:?}):\n{}{}",
            output.status.code(),
            stdout,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let mut all = Vec::new();
    for (case, verdict) in cases.iter().zip(verdicts) {
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
        if !verdict.ok && verdict.problems.iter().all(|(fails, _)| !fails) {
            push(
                "an example response".into(),
                format!("confapi audit fails it: {}", verdict.summary),
                Level::Unhandled,
            );
        }
        for (fails, problem) in verdict.problems {
            let level = if fails { Level::Unhandled } else { Level::Info };
            push("an example response".into(), format!("confapi audit: {problem}"), level);
        }
        all.push(findings);
    }
    Ok(all)
}

/// The audit's verdict on one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// `ok` or `FAIL`.
    pub ok: bool,
    /// The rest of the file's line (operation and schema, or why unusable).
    pub summary: String,
    /// Its findings: (fails the audit, text).
    pub problems: Vec<(bool, String)>,
}

/// Reads the audit's text output: a line per file (`ok   FILE: ...` or
/// `FAIL FILE: ...`) followed by indented findings (`! ...` fails, `- ...`
/// does not), in the order of `files`.
pub fn parse_output(stdout: &str, files: &[PathBuf]) -> Vec<Verdict> {
    let mut out: Vec<Verdict> = Vec::new();
    for line in stdout.lines() {
        let (ok, rest) = if let Some(r) = line.strip_prefix("ok   ") {
            (true, r)
        } else if let Some(r) = line.strip_prefix("FAIL ") {
            (false, r)
        } else if let Some(problem) = line.trim_start().strip_prefix("! ") {
            if let Some(v) = out.last_mut() {
                v.problems.push((true, problem.to_owned()));
            }
            continue;
        } else if let Some(problem) = line.trim_start().strip_prefix("- ") {
            if let Some(v) = out.last_mut() {
                v.problems.push((false, problem.to_owned()));
            }
            continue;
        } else {
            continue;
        };
        let Some(file) = files.get(out.len()) else { break };
        let shown = file.display().to_string();
        let summary = rest.strip_prefix(&shown).map(|r| r.trim_start_matches(':').trim()).unwrap_or(rest).to_owned();
        out.push(Verdict { ok, summary, problems: Vec::new() });
    }
    out
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

    #[test]
    fn audit_output_is_read_per_file() {
        let files = vec![PathBuf::from("/t/example-0.json"), PathBuf::from("/t/example-1.json")];
        let stdout = "ok   /t/example-0.json: op_a HTTP 200 as A\n     - retyped x: 1 came back as \"1\" (same text)\n\
                      FAIL /t/example-1.json: op_b HTTP 200 as B\n     ! undocumented y: not in the spec, kept as an extra\n\
                      audit --strict: 2 file(s), 1 passed, 1 failed\n";
        let v = parse_output(stdout, &files);
        assert_eq!(v.len(), 2);
        assert!(v[0].ok);
        assert_eq!(v[0].summary, "op_a HTTP 200 as A");
        assert_eq!(v[0].problems, vec![(false, "retyped x: 1 came back as \"1\" (same text)".to_owned())]);
        assert!(!v[1].ok);
        assert!(v[1].problems[0].0);
    }

    #[test]
    fn templates_are_filled() {
        assert_eq!(fill_templates("/v1.0/rooms/{id}/members"), "/v1.0/rooms/example/members");
    }
}
