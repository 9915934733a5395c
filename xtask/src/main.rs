//! `cargo xtask codegen [--check]`: generate every vendor client from its spec.
//! `cargo xtask docs-check ...`: compare vendor doc pages with the specs (see `docs`).
//!
//! For each `specs/<vendor>.yaml` this writes `crates/<vendor>/src/generated.rs`:
//! progenitor's client (builder style) plus a `meta` module describing the
//! operations, so the runtime, the audit and the replay server need no
//! hand-kept tables. The output is a pure function of the spec and the
//! settings in `generate.rs`; `--check` fails when a checked-in file differs.
//! Either way, when a file changes, the API change report (`api_report`)
//! lists what changed for users, ready for the CHANGELOG.

mod api_report;
mod calls;
mod codes;
mod dispatch;
mod docs;
mod for_users;
mod generate;
mod meta;
mod model;
mod postprocess;
mod preprocess;
mod semver;
mod shapes;
mod spec_file;
mod split;

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
        Command::Codegen { check } => codegen(&root, check),
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

fn codegen(root: &Path, check: bool) -> Result<(), String> {
    let changes = regenerate(root, check)?;
    if !changes.is_empty() {
        println!("API changes (for the CHANGELOG):\n{}", changes.join("\n"));
    }
    Ok(())
}

/// Generates every vendor's client from `root`'s specs and writes it (or,
/// with `check`, fails with a diff of each stale file); returns the API
/// change report's lines.
pub(crate) fn regenerate(root: &Path, check: bool) -> Result<Vec<String>, String> {
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
    let mut changes = Vec::new();
    for spec in &specs {
        let vendor = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: file name is not UTF-8", spec.display()))?;
        let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
        let code = generate::generate(vendor, &text).map_err(|e| format!("specs/{vendor}.yaml: {e}"))?;
        let files = generate::outputs(vendor, &text).map_err(|e| format!("specs/{vendor}.yaml: {e}"))?;
        let current: Vec<Option<String>> =
            files.iter().map(|(rel, _)| std::fs::read_to_string(root.join(rel)).ok()).collect();
        if files.iter().zip(&current).all(|((_, fresh), current)| current.as_deref() == Some(fresh.as_str())) {
            continue;
        }
        // The change report reads the vendor's files as one.
        let joined = current.iter().all(Option::is_some).then(|| current.iter().flatten().cloned().collect::<String>());
        changes.extend(api_changes(vendor, joined.as_deref(), &code));
        for ((rel, fresh), current) in files.iter().zip(&current) {
            if current.as_deref() == Some(fresh.as_str()) {
                continue;
            }
            if check {
                stale.push(describe_difference(rel, current.as_deref(), fresh));
            } else {
                std::fs::write(root.join(rel), fresh).map_err(|e| format!("{rel}: {e}"))?;
                eprintln!("wrote {rel}");
            }
        }
    }
    if stale.is_empty() {
        if check {
            println!("codegen: {} generated file(s) up to date", 2 * specs.len());
        }
        Ok(changes)
    } else {
        Err(format!(
            "codegen --check: {} generated file(s) are stale:\n{}\n{}\nrun `cargo xtask codegen` and commit the result",
            stale.len(),
            stale.join("\n"),
            if changes.is_empty() { String::new() } else { format!("API changes:\n{}", changes.join("\n")) }
        ))
    }
}

/// The API change report lines for one regenerated file: what users of
/// the vendor crate see change, from the checked-in file to the fresh one.
fn api_changes(vendor: &str, current: Option<&str>, fresh: &str) -> Vec<String> {
    let old = match current.map(api_report::parse) {
        None => Ok(api_report::Api::default()),
        Some(parsed) => parsed,
    };
    match (old, api_report::parse(fresh)) {
        (Ok(old), Ok(new)) => api_report::report(vendor, &old, &new),
        (Err(e), _) => vec![format!("  ({vendor}: the checked-in generated.rs cannot be compared: {e})")],
        (_, Err(e)) => vec![format!("  ({vendor}: the generated code cannot be compared: {e})")],
    }
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
        for (rel, fresh) in generate::outputs("openvox", &spec).unwrap() {
            let checked_in = std::fs::read_to_string(workspace_root().join(&rel)).unwrap();
            assert_eq!(fresh, checked_in, "{rel}: run `cargo xtask codegen`");
        }
        let checked_in = std::fs::read_to_string(workspace_root().join("crates/openvox/src/generated.rs")).unwrap();
        let edited = spec.replace("summary: Log in and obtain a session token.", "summary: Log in.");
        assert_ne!(edited, spec);
        let (_, fresh) = generate::outputs("openvox", &edited).unwrap().pop().unwrap();
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
