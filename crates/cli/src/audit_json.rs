//! `confapi audit --json`: the audit's typed report, one JSON document per
//! run, for tools (xtask's docs-check reads it with a serde type of its own;
//! no one parses the text report back).

use crate::audit::{Finding, Report};
use serde::Serialize;

/// One `confapi audit` run.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRun {
    /// Whether undocumented fields fail (`--strict`).
    pub strict: bool,
    /// One entry per file, in the order given.
    pub files: Vec<FileAudit>,
    /// How many files pass.
    pub passed: usize,
    /// How many files fail.
    pub failed: usize,
}

/// The audit of one exchange file.
#[derive(Debug, Clone, Serialize)]
pub struct FileAudit {
    /// The file as given on the command line.
    pub file: String,
    /// Whether it passes.
    pub passes: bool,
    /// The operation id, when one matched.
    pub operation: Option<String>,
    /// The recorded HTTP status, when the file loaded.
    pub status: Option<u16>,
    /// The schema the body was decoded with.
    pub schema: Option<String>,
    /// Why the file could not be audited (unreadable, unknown operation).
    pub unusable: Option<String>,
    /// What was found.
    pub findings: Vec<FindingRecord>,
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRecord {
    /// `decode_error`, `lost`, `changed`, `retyped`, `failure_envelope`, `undocumented`.
    pub kind: &'static str,
    /// The JSON path it is at, when it has one.
    pub path: Option<String>,
    /// Whether it fails the audit in this run's mode.
    pub fails: bool,
    /// The sentence the text report prints.
    pub text: String,
}

impl FindingRecord {
    /// The record of `finding` in a run that is (or is not) strict.
    pub fn new(finding: &Finding, strict: bool) -> FindingRecord {
        let (kind, path) = match finding {
            Finding::DecodeError(e) => ("decode_error", Some(e.path.clone())),
            Finding::Lost { path } => ("lost", Some(path.clone())),
            Finding::Changed { path, .. } => ("changed", Some(path.clone())),
            Finding::Retyped { path, .. } => ("retyped", Some(path.clone())),
            Finding::FailureEnvelope { .. } => ("failure_envelope", None),
            Finding::Undocumented { path } => ("undocumented", Some(path.clone())),
        };
        FindingRecord { kind, path, fails: finding.fails(strict), text: finding.to_string() }
    }
}

impl FileAudit {
    /// The record of an audited file.
    pub fn audited(file: String, status: u16, report: &Report, strict: bool) -> FileAudit {
        FileAudit {
            file,
            passes: report.passes(strict),
            operation: report.operation.map(str::to_owned),
            status: Some(status),
            schema: report.schema.map(str::to_owned),
            unusable: report.unusable.clone(),
            findings: report.findings.iter().map(|f| FindingRecord::new(f, strict)).collect(),
        }
    }

    /// The record of a file that did not load.
    pub fn unreadable(file: String, why: String) -> FileAudit {
        FileAudit {
            file,
            passes: false,
            operation: None,
            status: None,
            schema: None,
            unusable: Some(why),
            findings: Vec::new(),
        }
    }

    /// The text report's lines for this file.
    pub fn text(&self) -> String {
        let label = if self.passes { "ok  " } else { "FAIL" };
        let mut out = match (&self.unusable, self.status) {
            (Some(problem), _) => format!("{label} {}: {problem}\n", self.file),
            (None, status) => format!(
                "{label} {}: {} HTTP {} as {}\n",
                self.file,
                self.operation.as_deref().unwrap_or("?"),
                status.map(|s| s.to_string()).unwrap_or_else(|| "?".into()),
                self.schema.as_deref().unwrap_or("untyped JSON")
            ),
        };
        for finding in &self.findings {
            let mark = if finding.fails { "!" } else { "-" };
            out.push_str(&format!("     {mark} {}\n", finding.text));
        }
        out
    }
}

impl AuditRun {
    /// The run's summary line.
    pub fn summary(&self) -> String {
        format!(
            "audit{}: {} file(s), {} passed, {} failed\n",
            if self.strict { " --strict" } else { "" },
            self.files.len(),
            self.passed,
            self.failed
        )
    }
}
