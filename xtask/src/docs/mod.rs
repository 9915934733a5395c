//! `cargo xtask docs-check [--json] [--no-audit] [--vendor V] [--spec-dir DIR] PAGE...`
//! and `cargo xtask docs-check --dingtalk-sdk DIR [--json]`.
//!
//! Reads vendor doc pages (OpenVox markdown, Quanshi plain text, DingTalk
//! page text), compares each with `specs/<vendor>.yaml`, decodes their
//! response examples through `confapi audit`, and prints one line per
//! finding and a count per page. Exit 0 only when nothing is unhandled.

pub mod audit;
pub mod compare;
pub mod dingtalk;
pub mod openvox;
pub mod page;
pub mod quanshi;
pub mod sdk;
pub mod spec;
#[cfg(test)]
mod tests;

use compare::{Counts, Finding, Level};
use page::{DocPage, Role};
use serde::Serialize;
use spec::Spec;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const VENDORS: &[&str] = &["openvox", "quanshi", "dingtalk"];

/// `cargo xtask docs-check`: vendor doc pages (or the DingTalk SDK) against the specs.
#[derive(Debug, clap::Args)]
pub struct Options {
    /// Print the findings as JSON.
    #[arg(long)]
    json: bool,
    /// Do not decode the pages' example responses through the audit.
    #[arg(long = "no-audit", action = clap::ArgAction::SetFalse)]
    audit: bool,
    /// The vendor of every page (else told by its directory or text).
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(VENDORS))]
    vendor: Option<String>,
    /// Where the specs are (default: the workspace's specs/).
    #[arg(long)]
    spec_dir: Option<PathBuf>,
    /// Compare the DingTalk spec with the official SDK unpacked in DIR instead.
    #[arg(long = "dingtalk-sdk", value_name = "DIR")]
    sdk: Option<PathBuf>,
    /// Doc pages, in any of the three vendors' formats.
    #[arg(required_unless_present = "sdk")]
    pages: Vec<PathBuf>,
}

/// Runs the command; `root` is the workspace.
pub fn main(root: &Path, o: &Options) -> ExitCode {
    let spec_dir = o.spec_dir.clone().unwrap_or_else(|| root.join("specs"));
    let result = match &o.sdk {
        Some(dir) => sdk::check(dir, &spec_dir).map(|r| vec![r]),
        None => check_pages(root, &spec_dir, o),
    };
    match result {
        Ok(reports) => {
            print(&reports, o.json);
            let unhandled = reports.iter().flat_map(|r| &r.findings).filter(|f| f.level == Level::Unhandled).count();
            if unhandled == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("docs-check: {e}");
            ExitCode::from(2)
        }
    }
}

/// What docs-check found on one page (or in the SDK).
#[derive(Debug, Clone, Serialize)]
pub struct PageReport {
    /// The page as given on the command line.
    pub page: String,
    /// Its vendor.
    pub vendor: String,
    /// What was compared.
    pub counts: Counts,
    /// The findings, unhandled first.
    pub findings: Vec<Finding>,
}

fn check_pages(root: &Path, spec_dir: &Path, o: &Options) -> Result<Vec<PageReport>, String> {
    check_pages_with(root, &mut crate::spec_file::Specs::in_dir(spec_dir), o)
}

/// The pages against `specs`, which reads each vendor's spec once however
/// many of its pages there are.
fn check_pages_with(root: &Path, specs: &mut crate::spec_file::Specs, o: &Options) -> Result<Vec<PageReport>, String> {
    let mut reports = Vec::new();
    let mut cases = Vec::new();
    for path in &o.pages {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let vendor = match &o.vendor {
            Some(v) => v.clone(),
            None => detect_vendor(path, &text).ok_or_else(|| {
                format!(
                    "{}: cannot tell the vendor (put the page in a directory named after it, or give --vendor)",
                    path.display()
                )
            })?,
        };
        let spec = Spec::new(specs.get(&vendor)?.clone());
        let page = parse(&vendor, &text);
        let (findings, counts) = compare::compare(&page, &spec);
        let report_index = reports.len();
        if o.audit && counts.operations > 0 {
            cases.extend(audit_cases(&page, &findings).into_iter().map(|c| (report_index, c)));
        }
        reports.push(PageReport { page: path.display().to_string(), vendor, counts, findings });
    }
    if !cases.is_empty() {
        let only: Vec<audit::Case> = cases.iter().map(|(_, c)| c.clone()).collect();
        for ((page, _), findings) in cases.iter().zip(audit::run(root, &only)?) {
            reports[*page].findings.extend(findings);
        }
    }
    for r in &mut reports {
        r.findings.sort_by(|a, b| (a.level, &a.path).cmp(&(b.level, &b.path)));
    }
    Ok(reports)
}

/// The page's whole-body response examples, each with the page's first
/// request example, as audit cases.
fn audit_cases(page: &DocPage, findings: &[Finding]) -> Vec<audit::Case> {
    let (Some(method), Some(path)) = (&page.method, &page.path) else { return Vec::new() };
    let operation = findings.first().map(|f| f.operation.clone()).unwrap_or_else(|| format!("{method} {path}"));
    let request = page
        .examples
        .iter()
        .find(|e| e.role == Role::Request && !e.fragment)
        .map(|e| e.value.clone())
        .unwrap_or_default();
    page.examples
        .iter()
        .filter(|e| e.role == Role::Response && !e.fragment)
        .enumerate()
        .map(|(i, e)| audit::Case {
            vendor: page.vendor.clone(),
            operation: operation.clone(),
            label: format!("response example {}", i + 1),
            method: method.clone(),
            path: path.clone(),
            request: request.clone(),
            response: e.value.clone(),
        })
        .collect()
}

/// Parses a page of a vendor's format.
pub fn parse(vendor: &str, text: &str) -> DocPage {
    match vendor {
        "openvox" => openvox::parse(text),
        "quanshi" => quanshi::parse(text),
        _ => dingtalk::parse(text),
    }
}

/// The vendor of a page: its directory's name, else its format.
fn detect_vendor(path: &Path, text: &str) -> Option<String> {
    let dir = path.parent().and_then(Path::file_name).and_then(|d| d.to_str()).unwrap_or_default();
    if VENDORS.contains(&dir) {
        return Some(dir.to_owned());
    }
    if text.contains("<table") || text.contains("| :---") {
        Some("openvox".into())
    } else if text.contains("HTTP Method") {
        Some("dingtalk".into())
    } else if text.contains("接口名称") {
        Some("quanshi".into())
    } else {
        None
    }
}

/// One line of text for a finding.
pub fn line(f: &Finding) -> String {
    let at = if f.path.is_empty() { String::new() } else { format!(" {}", f.path) };
    format!("{} {}{at}: page says {}; spec says {} [{}]", f.vendor, f.operation, f.page, f.spec, f.level.tag())
}

fn print(reports: &[PageReport], json: bool) {
    let total = |level| reports.iter().flat_map(|r| &r.findings).filter(|f| f.level == level).count();
    if json {
        let doc = serde_json::json!({
            "pages": reports,
            "unhandled": total(Level::Unhandled),
            "acknowledged": total(Level::Acknowledged),
            "info": total(Level::Info),
        });
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        return;
    }
    for r in reports {
        for f in &r.findings {
            println!("{}", line(f));
        }
    }
    println!();
    for r in reports {
        let c = &r.counts;
        println!("{}: {} operations, {} fields, {} examples compared", r.page, c.operations, c.fields, c.examples);
    }
    println!(
        "docs-check: {} unhandled, {} acknowledged, {} info",
        total(Level::Unhandled),
        total(Level::Acknowledged),
        total(Level::Info)
    );
}
