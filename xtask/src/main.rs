//! `cargo xtask codegen [--check]`: generate every vendor client from its spec.
//! `cargo xtask docs-check ...`: compare vendor doc pages with the specs (see `docs`).
//!
//! For each `specs/<vendor>.yaml` this writes `crates/<vendor>/src/generated.rs`:
//! progenitor's client (builder style) plus a `meta` module describing the
//! operations, so the runtime, the audit and the replay server need no
//! hand-kept tables. The output is a pure function of the spec and the
//! settings in `generate.rs`; `--check` fails when a checked-in file differs.
//! Either way, when a file changes, the API change report (`api_report`)
//! lists what changed for users, ready for the CHANGELOG: it compares the
//! spec as committed (git `HEAD`, or `--baseline REV`) with the spec now,
//! and `--changelog` writes its lines into each crate's CHANGELOG.md.

#[cfg(test)]
mod api_from_code;
mod api_model;
mod api_report;
mod calls;
mod codes;
mod dispatch;
mod docs;
mod field_docs;
mod for_users;
mod generate;
mod meta;
mod model;
mod operation_map;
mod postprocess;
mod preprocess;
mod release;
mod semver;
mod shapes;
mod spec_ext;
mod spec_file;
mod split;
mod vendor_ext;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Project automation for confapi.
#[derive(clap::Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
enum Command {
    /// Generate every vendor client from its spec (and report API changes).
    Codegen {
        /// Change nothing; fail with a diff when a checked-in file is stale.
        #[arg(long)]
        check: bool,
        /// Also add the change report's lines to each changed vendor crate's
        /// CHANGELOG.md under "## Unreleased" (created when missing).
        #[arg(long, conflicts_with = "check")]
        changelog: bool,
        /// The git revision whose specs the report compares with (the
        /// specs the checked-in code was generated from).
        #[arg(long, default_value = "HEAD")]
        baseline: String,
    },
    /// Compare vendor doc pages (or the DingTalk SDK) with the specs.
    DocsCheck(docs::Options),
    /// Plant edits in a copy of the specs; the change report and
    /// `cargo semver-checks` must agree on each.
    SemverCheck {
        /// Also write the table of verdicts here (e.g. docs/SEMVER.md).
        #[arg(long)]
        table: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let command = <Command as clap::Parser>::parse();
    let root = workspace_root();
    let result = match command {
        Command::DocsCheck(options) => return docs::main(&root, &options),
        Command::Codegen { check, changelog, baseline } => codegen(&root, check, changelog, &baseline),
        Command::SemverCheck { table } => semver::run(&root, table.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("{msg}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

fn codegen(root: &Path, check: bool, changelog: bool, baseline: &str) -> Result<(), String> {
    let reports = regenerate(root, check, &|vendor| git_spec(root, baseline, vendor))?;
    if reports.is_empty() {
        return Ok(());
    }
    println!("API changes since {baseline}'s specs (for the CHANGELOG):");
    for report in &reports {
        println!("{}", report.lines.join("\n"));
    }
    if changelog {
        for report in &reports {
            let rel = format!("crates/{}/CHANGELOG.md", report.vendor);
            let entries: Vec<String> = report.lines.iter().filter(|l| l.starts_with("- ")).cloned().collect();
            let added = release::write_unreleased(&root.join(&rel), &format!("confapi-{}", report.vendor), &entries)?;
            eprintln!("{rel}: {added} line(s) added under ## Unreleased");
        }
    }
    Ok(())
}

/// `specs/<vendor>.yaml` at git revision `rev` (`None` when it has none).
fn git_spec(root: &Path, rev: &str, vendor: &str) -> Result<Option<String>, String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &format!("{rev}:specs/{vendor}.yaml")])
        .output()
        .map_err(|e| format!("git show: {e}"))?;
    if out.status.success() {
        String::from_utf8(out.stdout).map(Some).map_err(|e| format!("{rev}:specs/{vendor}.yaml: {e}"))
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("does not exist") || err.contains("exists on disk, but not in") {
            Ok(None)
        } else {
            Err(format!("git show {rev}:specs/{vendor}.yaml: {}", err.trim()))
        }
    }
}

/// One vendor's API change report.
pub(crate) struct VendorReport {
    /// `openvox`, `quanshi`, `dingtalk`.
    pub vendor: String,
    /// The CHANGELOG lines, then the release line.
    pub lines: Vec<String>,
}

/// The spec a vendor's checked-in code came from, for the change report
/// (`None`: the vendor is new).
pub(crate) type BaselineSpec<'a> = &'a dyn Fn(&str) -> Result<Option<String>, String>;

/// Generates every vendor's client from `root`'s specs and writes it (or,
/// with `check`, fails with a diff of each stale file); returns the API
/// change report of each vendor whose code changed, against `baseline`'s
/// spec.
pub(crate) fn regenerate(root: &Path, check: bool, baseline: BaselineSpec) -> Result<Vec<VendorReport>, String> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("specs"))
        .map_err(|e| format!("cannot read specs/: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err("no specs/*.yaml found".into());
    }
    let mut stale = Vec::new();
    let mut reports = Vec::new();
    for spec in &specs {
        let vendor = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: file name is not UTF-8", spec.display()))?;
        let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
        let raw = spec_file::parse(&text).map_err(|e| format!("specs/{vendor}.yaml: {e}"))?;
        let mut outputs = generate::outputs(vendor, raw.clone()).map_err(|e| format!("specs/{vendor}.yaml: {e}"))?;
        let map = operation_map::of_spec(vendor, &raw).map_err(|e| format!("specs/{vendor}.yaml: {e}"))?;
        outputs.push((format!("crates/{vendor}/src/operations.md"), map));
        let mut reported = false;
        for (rel, fresh) in outputs {
            let out = root.join(&rel);
            let current = std::fs::read_to_string(&out).ok();
            if current.as_deref() == Some(fresh.as_str()) {
                continue;
            }
            if rel.ends_with("generated.rs") && !reported {
                reported = true;
                let new = api_model::Api::from_value(raw.clone()).map_err(|e| format!("specs/{vendor}.yaml: {e}"))?;
                let lines = api_changes(root, vendor, baseline(vendor)?.as_deref(), new)?;
                if !lines.is_empty() {
                    reports.push(VendorReport { vendor: vendor.to_owned(), lines });
                }
            }
            if check {
                stale.push(describe_difference(&rel, current.as_deref(), &fresh));
            } else {
                std::fs::write(&out, &fresh).map_err(|e| format!("{rel}: {e}"))?;
                eprintln!("wrote {rel}");
            }
        }
    }
    if stale.is_empty() {
        if check {
            println!("codegen: the generated files of {} spec(s) are up to date", specs.len());
        }
        Ok(reports)
    } else {
        let changes: Vec<String> = reports.iter().flat_map(|r| r.lines.clone()).collect();
        Err(format!(
            "codegen --check: {} generated file(s) are stale:\n{}\n{}\nrun `cargo xtask codegen` and commit the result",
            stale.len(),
            stale.join("\n"),
            if changes.is_empty() { String::new() } else { format!("API changes:\n{}", changes.join("\n")) }
        ))
    }
}

/// The API change report lines for one vendor: what users of the vendor
/// crate see change from the `old` spec (none: a new vendor) to `new`.
pub(crate) fn api_changes(
    root: &Path,
    vendor: &str,
    old: Option<&str>,
    new: api_model::Api,
) -> Result<Vec<String>, String> {
    let old = match old {
        Some(text) => api_model::Api::from_spec(text).map_err(|e| format!("{vendor}: the baseline spec: {e}"))?,
        None => api_model::Api::default(),
    };
    let version = release::Version::of_crate(root, vendor)?;
    Ok(api_report::report(vendor, &version, &old, &new))
}

/// A unified diff of the checked-in file against the fresh one, cut after
/// `MAX_DIFF_LINES` lines so a large change stays readable.
fn describe_difference(rel: &str, current: Option<&str>, fresh: &str) -> String {
    const MAX_DIFF_LINES: usize = 200;
    let Some(current) = current else {
        return format!("  {rel}: missing");
    };
    let diff = similar::TextDiff::from_lines(current, fresh)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{rel} (checked in)"), &format!("{rel} (generated)"))
        .to_string();
    let total = diff.lines().count();
    let mut shown: String = diff.lines().take(MAX_DIFF_LINES).map(|l| format!("{l}\n")).collect();
    if total > MAX_DIFF_LINES {
        shown.push_str(&format!("… {} more diff lines\n", total - MAX_DIFF_LINES));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openvox_spec() -> String {
        std::fs::read_to_string(workspace_root().join("specs/openvox.yaml")).unwrap()
    }

    #[test]
    fn generation_is_deterministic() {
        let spec = openvox_spec();
        assert_eq!(generate::generate("openvox", &spec), generate::generate("openvox", &spec));
    }

    #[test]
    fn editing_a_spec_makes_the_checked_in_file_stale() {
        let spec = openvox_spec();
        for (rel, fresh) in generate::outputs("openvox", spec_file::parse(&spec).unwrap()).unwrap() {
            let checked_in = std::fs::read_to_string(workspace_root().join(&rel)).unwrap();
            assert_eq!(fresh, checked_in, "{rel}: run `cargo xtask codegen`");
        }
        let checked_in = std::fs::read_to_string(workspace_root().join("crates/openvox/src/generated.rs")).unwrap();
        let edited = spec.replace("summary: Log in and obtain a session token.", "summary: Log in.");
        assert_ne!(edited, spec);
        let (_, fresh) = generate::outputs("openvox", spec_file::parse(&edited).unwrap()).unwrap().pop().unwrap();
        assert_ne!(fresh, checked_in);
        let diff = describe_difference("x.rs", Some(&checked_in), &fresh);
        assert!(diff.contains("--- x.rs (checked in)") && diff.contains("+++ x.rs (generated)"), "{diff}");
        assert!(diff.lines().any(|l| l.starts_with('-') && l.contains("Log in and obtain a session token")), "{diff}");
        assert!(diff.lines().any(|l| l.starts_with('+') && l.trim_end().ends_with("/**Log in")), "{diff}");
    }

    #[test]
    fn inline_response_schemas_are_rejected() {
        let spec = openvox_spec().replace(
            "schema: {$ref: '#/components/schemas/LoginResponse'}",
            "schema: {type: object, properties: {token: {type: string}}}",
        );
        let err = generate::generate("openvox", &spec).unwrap_err();
        assert!(err.contains("must be a $ref"), "{err}");
    }
}
