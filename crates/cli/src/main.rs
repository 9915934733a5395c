//! `confapi`: command-line tools over the confapi clients.

use clap::{Parser, Subcommand};
use confapi_cli::{audit, vendors};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "confapi", version, about = "Conferencing API clients for OpenVox, Quanshi and DingTalk")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check recorded exchanges against the specs: decode each response
    /// with the generated type and report decode errors and lost fields.
    ///
    /// Exit status 0 when every file decodes and nothing is lost, 1 otherwise.
    Audit {
        /// Also fail on fields the spec does not declare (kept only as extras).
        #[arg(long)]
        strict: bool,
        /// Exchange files (`tests/recorded/<vendor>/*.json` or captured ones).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match cli.command {
        Command::Audit { strict, files } => run_audit(strict, &files),
    }
}

fn run_audit(strict: bool, files: &[PathBuf]) -> ExitCode {
    let vendors = vendors::all();
    let mut failed = 0;
    for path in files {
        let shown = path.display();
        let exchange = match confapi_mock::load_file(path) {
            Ok(f) => f.exchange,
            Err(e) => {
                println!("FAIL {e}");
                failed += 1;
                continue;
            }
        };
        let report = audit::audit(&exchange, &vendors);
        let passes = report.passes(strict);
        let label = if passes { "ok  " } else { "FAIL" };
        match (&report.unusable, report.operation) {
            (Some(problem), _) => println!("{label} {shown}: {problem}"),
            (None, op) => println!(
                "{label} {shown}: {} HTTP {} as {}",
                op.unwrap_or("?"),
                exchange.response.status,
                report.schema.unwrap_or("untyped JSON")
            ),
        }
        for finding in &report.findings {
            let mark = if finding.fails(strict) { "!" } else { "-" };
            println!("     {mark} {finding}");
        }
        if !passes {
            failed += 1;
        }
    }
    println!(
        "audit{}: {} file(s), {} passed, {} failed",
        if strict { " --strict" } else { "" },
        files.len(),
        files.len() - failed,
        failed
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
