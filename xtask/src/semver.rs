//! `cargo xtask semver-check`: the API change report's verdicts, checked by
//! an independent judge. In a scratch copy of the workspace, each planted
//! edit of a spec is regenerated; the report says `breaking` or
//! `compatible`, and `cargo semver-checks` compares the vendor crate's
//! rustdoc with the unedited one's. Both must agree.
//!
//! The baseline's rustdoc JSON is built once per vendor and reused for
//! every edit; one target directory serves every build, so dependencies
//! compile once.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One planted edit: `from` (found exactly once in the vendor's spec)
/// becomes `to`; an empty `to` removes `from`'s first line and every more
/// indented line after it (a YAML block).
struct Edit {
    name: &'static str,
    vendor: &'static str,
    from: &'static str,
    to: &'static str,
    /// For a change cargo semver-checks has no lint for: why, and a
    /// program using the crate as it was, which the compiler then judges
    /// (it must build against the baseline; failing against the edit is
    /// `breaking`).
    blind_spot: Option<(&'static str, &'static str)>,
}

impl Edit {
    fn apply(&self, spec: &str) -> Result<String, String> {
        if spec.matches(self.from).count() != 1 {
            return Err(format!("edit {:?}: its anchor is not found exactly once in the spec", self.name));
        }
        if !self.to.is_empty() {
            return Ok(spec.replacen(self.from, self.to, 1));
        }
        let start = spec.find(self.from).unwrap_or_default();
        let indent = |line: &str| line.len() - line.trim_start().len();
        let head = spec[start..].lines().next().unwrap_or_default();
        let mut end = start + head.len() + 1;
        for line in spec[end..].lines() {
            if !line.trim().is_empty() && indent(line) <= indent(head) {
                break;
            }
            end += line.len() + 1;
        }
        Ok(format!("{}{}", &spec[..start], &spec[end.min(spec.len())..]))
    }
}

const EDITS: &[Edit] = &[
    Edit {
        name: "add an optional response field",
        vendor: "quanshi",
        from: "        hostAccountTypeStr: {type: string, description: \"The host's account type, as text.\"}\n",
        to: "        hostAccountTypeStr: {type: string, description: \"The host's account type, as text.\"}\n        meetingRoomName: {type: string}\n",
        blind_spot: None,
    },
    Edit {
        name: "add an optional request-body field",
        vendor: "quanshi",
        from: "    ListByStatusRequest:\n      type: object\n      properties:\n",
        to: "    ListByStatusRequest:\n      type: object\n      properties:\n        roomTag: {type: string}\n",
        blind_spot: None,
    },
    Edit {
        name: "add a required request field",
        vendor: "quanshi",
        from: "      required: [userId, conferenceId]\n      properties:\n",
        to: "      required: [userId, conferenceId, region]\n      properties:\n        region: {type: string}\n",
        blind_spot: None,
    },
    Edit {
        name: "add an enum value",
        vendor: "openvox",
        from: "      enum: [\"yes\", \"no\"]\n",
        to: "      enum: [\"yes\", \"no\", \"maybe\"]\n",
        blind_spot: None,
    },
    Edit {
        name: "add an operation",
        vendor: "quanshi",
        from: "\npaths:\n",
        to: "\npaths:\n  /confopenapi/conference/listbystatus2:\n    post:\n      operationId: conference_listbystatus_again\n      summary: The running meetings, by another path.\n      x-confapi-safe: true\n      externalDocs: {url: \"https://developer.quanshi.com/en/api/656\"}\n      requestBody:\n        content: {application/json: {schema: {$ref: '#/components/schemas/ListByStatusRequest'}}}\n      responses:\n        '200':\n          description: The page.\n          content: {application/json: {schema: {$ref: '#/components/schemas/ListByStatusResponse'}}}\n",
        blind_spot: None,
    },
    Edit {
        name: "remove a field",
        vendor: "quanshi",
        from: "        hostAccountTypeStr: {type: string, description: \"The host's account type, as text.\"}\n",
        to: "",
        blind_spot: None,
    },
    Edit {
        name: "change a field's type",
        vendor: "quanshi",
        from: "        hostMobile: {type: string, description: \"The host's mobile number.\"}\n        hostAccountType:",
        to: "        hostMobile: {type: boolean, description: \"The host's mobile number.\"}\n        hostAccountType:",
        blind_spot: Some((
            "cargo-semver-checks 0.51 has no lint for a changed field type",
            "pub fn probe(c: &confapi_quanshi::types::LiveConference) -> Option<&String> { c.host_mobile.as_ref() }",
        )),
    },
    Edit {
        name: "remove an operation",
        vendor: "quanshi",
        from: "  /conference/conference/getConfStatus:\n",
        to: "",
        blind_spot: None,
    },
];

/// What both judges said of one edit.
struct Verdict {
    edit: &'static str,
    vendor: &'static str,
    report: &'static str,
    checker: &'static str,
    /// The compiler's verdict on the probe, for a checker blind spot.
    probe: Option<(&'static str, &'static str)>,
    report_lines: Vec<String>,
}

impl Verdict {
    /// The report agrees with the checker, or, where the checker cannot
    /// see the change, with the compiler.
    fn agrees(&self) -> bool {
        match self.probe {
            Some((_, compiler)) => self.report == compiler,
            None => self.report == self.checker,
        }
    }
}

/// Runs every edit; writes the table to `table` when given. Fails when a
/// verdict disagrees or a step cannot run.
pub fn run(root: &Path, table: Option<&Path>) -> Result<(), String> {
    let checker = checker_binary(root)?;
    let scratch = std::env::temp_dir().join(format!("confapi-semver-{}", std::process::id()));
    let work = scratch.join("work");
    let target = scratch.join("target");
    let result = (|| -> Result<Vec<Verdict>, String> {
        copy_tree(root, &work)?;
        let mut baselines = Vec::new();
        let mut verdicts = Vec::new();
        for edit in EDITS {
            // The types live in their own crate, which the vendor crate
            // re-exports; the checker reads each crate's own items, so both
            // are judged, and either one breaking is breaking.
            let crate_names = [format!("confapi-{}", edit.vendor), format!("confapi-{}-types", edit.vendor)];
            for crate_name in &crate_names {
                if !baselines.iter().any(|(c, _)| c == crate_name) {
                    eprintln!("semver-check: rustdoc of unedited {crate_name}");
                    let path = scratch.join(format!("{crate_name}-baseline.json"));
                    rustdoc_json(&work, &target, crate_name, &path)?;
                    baselines.push((crate_name.clone(), path));
                }
            }
            eprintln!("semver-check: {} ({})", edit.name, crate_names.join(", "));
            let spec_path = work.join(format!("specs/{}.yaml", edit.vendor));
            let original = std::fs::read_to_string(&spec_path).map_err(|e| format!("{}: {e}", spec_path.display()))?;
            std::fs::write(&spec_path, edit.apply(&original)?).map_err(|e| e.to_string())?;
            let before = |vendor: &str| Ok((vendor == edit.vendor).then(|| original.clone()));
            let report_lines: Vec<String> =
                crate::regenerate(&work, false, &before)?.into_iter().flat_map(|r| r.lines).collect();
            let report =
                if report_lines.iter().any(|l| l.contains("— breaking")) { "breaking" } else { "compatible" };
            let mut checker_says = "compatible";
            for crate_name in &crate_names {
                let baseline = baselines.iter().find(|(c, _)| c == crate_name).map(|(_, p)| p.clone());
                let baseline = baseline.ok_or_else(|| format!("no baseline of {crate_name}"))?;
                let current = scratch.join(format!("{crate_name}-current.json"));
                rustdoc_json(&work, &target, crate_name, &current)?;
                if judge(&checker, &work, crate_name, &baseline, &current)? == "breaking" {
                    checker_says = "breaking";
                }
            }
            let probe = match edit.blind_spot {
                Some((why, program)) => {
                    Some((why, compiler_probe(&scratch, &work, &target, edit, program, &original)?))
                }
                None => None,
            };
            verdicts.push(Verdict {
                edit: edit.name,
                vendor: edit.vendor,
                report,
                checker: checker_says,
                probe,
                report_lines,
            });
            // Back to the unedited spec and code for the next edit.
            std::fs::write(&spec_path, &original).map_err(|e| e.to_string())?;
            crate::regenerate(&work, false, &no_baseline)?;
        }
        Ok(verdicts)
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    let verdicts = result?;
    let text = markdown(&verdicts);
    println!("{text}");
    if let Some(path) = table {
        std::fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let disagree: Vec<&str> = verdicts.iter().filter(|v| !v.agrees()).map(|v| v.edit).collect();
    if disagree.is_empty() {
        Ok(())
    } else {
        Err(format!("the report and cargo semver-checks disagree on: {}", disagree.join(", ")))
    }
}

/// For regenerations whose report nobody reads.
fn no_baseline(_vendor: &str) -> Result<Option<String>, String> {
    Ok(None)
}

/// `scripts/install-semver-checks.sh` installs the pinned version once and
/// prints its path; `CARGO_SEMVER_CHECKS` names another binary.
fn checker_binary(root: &Path) -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("CARGO_SEMVER_CHECKS") {
        return Ok(PathBuf::from(path));
    }
    let out = Command::new("bash")
        .arg(root.join("scripts/install-semver-checks.sh"))
        .output()
        .map_err(|e| format!("cannot run scripts/install-semver-checks.sh: {e}"))?;
    if !out.status.success() {
        return Err(format!("installing cargo-semver-checks failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// The workspace's tracked files (what git lists), copied to `to`.
fn copy_tree(root: &Path, to: &Path) -> Result<(), String> {
    let out = Command::new("git")
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("git ls-files: {e}"))?;
    for rel in out.stdout.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let rel = Path::new(std::str::from_utf8(rel).map_err(|e| e.to_string())?);
        let (src, dst) = (root.join(rel), to.join(rel));
        if !src.is_file() {
            continue;
        }
        if let Some(parent) = dst.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
    }
    Ok(())
}

/// Builds `crate_name`'s rustdoc JSON (stable rustdoc, as cargo-semver-checks
/// itself does) and copies it to `out`.
fn rustdoc_json(work: &Path, target: &Path, crate_name: &str, out: &Path) -> Result<(), String> {
    let status = Command::new("cargo")
        .args(["rustdoc", "-q", "--locked", "-p", crate_name, "--lib", "--", "-Z", "unstable-options"])
        .args(["--output-format", "json", "--document-hidden-items"])
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", target)
        .current_dir(work)
        .status()
        .map_err(|e| format!("cargo rustdoc: {e}"))?;
    if !status.success() {
        return Err(format!("cargo rustdoc -p {crate_name} failed"));
    }
    let built = target.join("doc").join(format!("{}.json", crate_name.replace('-', "_")));
    std::fs::copy(&built, out).map_err(|e| format!("{}: {e}", built.display()))?;
    Ok(())
}

/// The compiler as judge: `program` (code using the crate as it was) must
/// build against the unedited crate; failing against the edited one is
/// `breaking`. The spec is edited in `work` already.
fn compiler_probe(
    scratch: &Path,
    work: &Path,
    target: &Path,
    edit: &Edit,
    program: &str,
    original: &str,
) -> Result<&'static str, String> {
    let probe = scratch.join("probe");
    std::fs::create_dir_all(probe.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n[workspace]\n[dependencies]\nconfapi-{v} = {{ path = {:?} }}\n",
        work.join(format!("crates/{}", edit.vendor)),
        v = edit.vendor,
    );
    std::fs::write(probe.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(probe.join("src/lib.rs"), program).map_err(|e| e.to_string())?;
    // The workspace's lock file keeps the probe on the same dependency versions.
    std::fs::copy(work.join("Cargo.lock"), probe.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let builds = || -> Result<bool, String> {
        let status = Command::new("cargo")
            .args(["check", "-q", "--offline"])
            .env("CARGO_TARGET_DIR", target)
            .current_dir(&probe)
            .stderr(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("cargo check (probe): {e}"))?;
        Ok(status.success())
    };
    let edited_builds = builds()?;
    let spec_path = work.join(format!("specs/{}.yaml", edit.vendor));
    let edited = std::fs::read_to_string(&spec_path).map_err(|e| e.to_string())?;
    std::fs::write(&spec_path, original).map_err(|e| e.to_string())?;
    crate::regenerate(work, false, &no_baseline)?;
    let baseline_builds = builds()?;
    std::fs::write(&spec_path, edited).map_err(|e| e.to_string())?;
    crate::regenerate(work, false, &no_baseline)?;
    match (baseline_builds, edited_builds) {
        (true, false) => Ok("breaking"),
        (true, true) => Ok("compatible"),
        (false, _) => Err(format!("edit {:?}: the probe does not build against the unedited crate", edit.name)),
    }
}

/// `breaking` when cargo semver-checks finds a major change, else `compatible`.
fn judge(
    checker: &Path,
    work: &Path,
    crate_name: &str,
    baseline: &Path,
    current: &Path,
) -> Result<&'static str, String> {
    let out = Command::new(checker)
        .args(["semver-checks", "check-release", "-p", crate_name])
        .arg("--baseline-rustdoc")
        .arg(baseline)
        .arg("--current-rustdoc")
        .arg(current)
        // At 0.x, a change that needs a new minor version is the breaking kind.
        .args(["--release-type", "patch"])
        .current_dir(work)
        .output()
        .map_err(|e| format!("cargo semver-checks: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    match out.status.code() {
        Some(0) => Ok("compatible"),
        Some(_) if text.contains("semver requires new") => {
            eprint!("{text}");
            Ok("breaking")
        }
        _ => Err(format!("cargo semver-checks did not run:\n{text}")),
    }
}

fn markdown(verdicts: &[Verdict]) -> String {
    let mut out = String::from(
        "# The change report against cargo semver-checks\n\n\
         Written by `cargo xtask semver-check --table docs/SEMVER.md` (CI runs the same check).\n\
         Each edit is planted in a scratch copy of the specs and regenerated; the change report's\n\
         verdict (a diff of the unedited and the edited spec's model, not of generated code)\n\
         is compared with cargo-semver-checks 0.51.0 run on the vendor crate against the\n\
         unedited one (rustdoc JSON, patch release at 0.1). Where the checker has no lint for a\n\
         change, a program using the crate as it was is compiled against both, and the compiler\n\
         judges.\n\n\
         | planted edit | crate | change report | cargo semver-checks | agree |\n|---|---|---|---|---|\n",
    );
    for v in verdicts {
        let agree = if v.agrees() { "yes" } else { "**no**" };
        let checker = match v.probe {
            None => v.checker.to_owned(),
            Some((why, compiler)) => {
                format!("{} ({why}); the compiler, on code that reads the old type: {compiler}", v.checker)
            }
        };
        out.push_str(&format!("| {} | confapi-{} | {} | {checker} | {agree} |\n", v.edit, v.vendor, v.report));
    }
    out.push_str("\nThe report's lines for each edit:\n\n```text\n");
    for v in verdicts {
        out.push_str(&format!("# {}\n", v.edit));
        for line in v.report_lines.iter().filter(|l| !l.trim().is_empty()) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("```\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every edit applies to today's specs, regenerates, and changes the API.
    #[test]
    fn every_edit_applies_and_changes_the_report() {
        let root = crate::workspace_root();
        for edit in EDITS {
            let spec = std::fs::read_to_string(root.join(format!("specs/{}.yaml", edit.vendor))).unwrap();
            let edited = edit.apply(&spec).unwrap_or_else(|e| panic!("{e}"));
            assert_ne!(edited, spec, "{}", edit.name);
            let raw = crate::spec_file::parse(&edited).unwrap();
            crate::generate::outputs(edit.vendor, raw).unwrap_or_else(|e| panic!("{}: {e}", edit.name));
            let new = crate::api_model::Api::from_spec(&edited).unwrap();
            let lines = crate::api_changes(&root, edit.vendor, Some(&spec), new).unwrap();
            assert!(!lines.is_empty(), "{}: the report sees no change", edit.name);
        }
    }

    #[test]
    fn a_removal_takes_the_whole_block() {
        let spec = "paths:\n  /a:\n    post:\n      x: 1\n  /b:\n    post: {}\n";
        let edit = Edit { name: "t", vendor: "t", from: "  /a:\n", to: "", blind_spot: None };
        assert_eq!(edit.apply(spec).unwrap(), "paths:\n  /b:\n    post: {}\n");
    }
}
