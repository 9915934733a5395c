//! `cargo run --release -p confapi-bench -- [--quick]`: measures the clients
//! against their floors and prints a table, then one line
//! `ratios decode=<x> call=<y> throughput=<t> token_fetches=<n> fanout=<z> rate_limited=<r>`.

use confapi_bench::*;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

struct Plan {
    decode_passes: usize,
    calls: usize,
    throughput_rounds: usize,
    per_task: usize,
    storm: usize,
    fanout_delay: Duration,
    fanout_rounds: usize,
    limited_calls: usize,
}

/// DingTalk's documented limit for an internal app: calls per second per API.
const GATEWAY_LIMIT: usize = 20;

/// Concurrent tasks of the throughput measure.
const TASKS: usize = 64;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--serve-replay") {
        return serve_replay();
    }
    if let Some(n) = args.iter().position(|a| a == "--watch").and_then(|i| args.get(i + 1)) {
        return match n.parse() {
            Ok(accounts) => watch_accounts(accounts),
            Err(_) => {
                eprintln!("--watch takes a number of accounts");
                ExitCode::from(2)
            }
        };
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let plan = if quick {
        Plan {
            decode_passes: 300,
            calls: 400,
            throughput_rounds: 3,
            per_task: 15,
            storm: 1000,
            fanout_delay: Duration::from_millis(100),
            fanout_rounds: 5,
            limited_calls: 100,
        }
    } else {
        Plan {
            decode_passes: 3000,
            calls: 3000,
            throughput_rounds: 9,
            per_task: 60,
            storm: 1000,
            fanout_delay: Duration::from_millis(200),
            fanout_rounds: 15,
            limited_calls: 200,
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start tokio: {e}");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    println!(
        "confapi-bench ({}), {} cores",
        if quick { "quick" } else { "full" },
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    println!("{:<54} {:>12} {:>12} {:>8}", "measure", "ours", "floor", "ratio");

    let corpus = decode_corpus();
    let (typed, value, decode) = decode_ratio(&corpus, plan.decode_passes);
    println!(
        "{:<54} {:>12?} {:>12?} {:>8.3}",
        format!("decode {} recorded bodies (vs serde_json Value)", corpus.len()),
        typed,
        value,
        decode
    );

    let calls = rt.block_on(call_ratios(plan.calls));
    let mut product = 1.0;
    for (name, ours, raw) in &calls {
        let r = ours.as_secs_f64() / raw.as_secs_f64();
        product *= r;
        println!("{:<54} {:>12?} {:>12?} {:>8.3}", format!("call {name} (vs raw reqwest)"), ours, raw, r);
    }
    let call = product.powf(1.0 / calls.len().max(1) as f64);

    let (ours, raw, throughput) = rt.block_on(throughput_ratio(TASKS, plan.per_task, plan.throughput_rounds));
    println!(
        "{:<54} {:>12} {:>12} {:>8.3}",
        format!("calls/s, {TASKS} concurrent tasks (vs raw reqwest)"),
        format!("{ours:.0}/s"),
        format!("{raw:.0}/s"),
        throughput
    );

    let fetches = rt.block_on(token_fetches(plan.storm));
    println!(
        "{:<54} {:>12} {:>12} {:>8}",
        format!("token requests for {} cold concurrent calls", plan.storm),
        fetches,
        1,
        fetches
    );

    let (wall, fanout) = rt.block_on(fanout_ratio(plan.fanout_delay, plan.fanout_rounds));
    println!(
        "{:<54} {:>12?} {:>12?} {:>8.3}",
        "fan-out over 3 vendors, each delayed by L (vs L)", wall, plan.fanout_delay, fanout
    );

    let (took, limited, failed, densest) = rt.block_on(rate_limit_ratio(plan.limited_calls, GATEWAY_LIMIT));
    println!(
        "{:<54} {:>12?} {:>12?} {:>8.3}",
        format!("{} calls, gateway at {GATEWAY_LIMIT}/s per API (vs N/L)", plan.limited_calls),
        took,
        Duration::from_secs_f64(plan.limited_calls as f64 / GATEWAY_LIMIT as f64),
        limited
    );
    println!("{:<54} {:>12} {:>12}", "  failed calls; most requests the gateway saw in 1 s", failed, densest);
    if failed > 0 || densest > GATEWAY_LIMIT {
        eprintln!("the client-side limit let {failed} calls fail or {densest} requests into one second");
        return ExitCode::FAILURE;
    }

    if !quick {
        codegen_report();
    }
    println!("finished in {:?}", started.elapsed());
    println!(
        "ratios decode={decode:.3} call={call:.3} throughput={throughput:.3} token_fetches={fetches} fanout={fanout:.3} rate_limited={limited:.3}"
    );
    ExitCode::SUCCESS
}

/// Child mode: the replay server of every recording, its URL on stdout,
/// until stdin closes (the parent's end).
fn serve_replay() -> ExitCode {
    let Ok(rt) = tokio::runtime::Builder::new_multi_thread().enable_all().build() else { return ExitCode::FAILURE };
    rt.block_on(async {
        let server = replay_server(Vec::new()).await;
        println!("{}", server.url());
        let mut line = String::new();
        // Blocks until the parent closes its end of the pipe.
        let _ = tokio::task::spawn_blocking(move || std::io::stdin().read_line(&mut line)).await;
    });
    ExitCode::SUCCESS
}

/// `--watch N [--intervals K]`: a watch of N accounts against a replay
/// server in a child process, every 2 s for K intervals (default 15):
/// memory and CPU per poll.
fn watch_accounts(accounts: usize) -> ExitCode {
    use std::io::BufRead;
    let Ok(exe) = std::env::current_exe() else { return ExitCode::FAILURE };
    let mut child = match Command::new(exe)
        .arg("--serve-replay")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot start the replay server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut url = String::new();
    if let Some(out) = child.stdout.take() {
        let _ = std::io::BufReader::new(out).read_line(&mut url);
    }
    let url = url.trim().to_owned();
    let Ok(rt) = tokio::runtime::Builder::new_multi_thread().enable_all().build() else { return ExitCode::FAILURE };
    let args: Vec<String> = std::env::args().collect();
    let intervals = args.iter().position(|a| a == "--intervals").and_then(|i| args.get(i + 1)?.parse().ok());
    let (interval, intervals) = (Duration::from_secs(2), intervals.unwrap_or(15));
    let scale = rt.block_on(watch_scale(&url, accounts, interval, intervals));
    drop(child.stdin.take());
    let _ = child.wait();
    let rss: Vec<String> = scale.rss_by_interval.iter().map(|m| format!("{m:.1}")).collect();
    println!("watch of {} accounts every {interval:?} for {:?}", scale.accounts, scale.wall);
    println!(
        "  polls {} ({:.1} per account), live conferences read {}",
        scale.polls,
        scale.polls as f64 / accounts as f64,
        scale.conferences_read
    );
    println!("  resident MiB after each interval: {}", rss.join(" "));
    println!(
        "  resident before the accounts {:.1} MiB; peak {:.1} MiB; CPU per poll of one account {:?}",
        scale.rss_before, scale.peak_rss, scale.cpu_per_poll
    );
    println!(
        "watch accounts={} peak_mib={:.1} cpu_us_per_poll={:.0}",
        scale.accounts,
        scale.peak_rss,
        scale.cpu_per_poll.as_secs_f64() * 1e6
    );
    if scale.peak_rss >= 100.0 {
        eprintln!("peak memory {:.1} MiB is over the 100 MiB goal", scale.peak_rss);
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Generation time of `cargo xtask codegen` against openapi-generator's
/// Rust generator on the same specs, when that generator is installed
/// (`pip install openapi-generator-cli`; it runs on Java 17).
fn codegen_report() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // Build xtask first so only generation is timed.
    let _ = Command::new("cargo").args(["build", "-q", "-p", "xtask"]).current_dir(&root).status();
    let t = Instant::now();
    let ours = Command::new("cargo").args(["xtask", "codegen"]).current_dir(&root).status();
    let ours_time = t.elapsed();
    match ours {
        Ok(s) if s.success() => println!("{:<54} {:>12?}", "codegen: cargo xtask codegen (3 specs)", ours_time),
        _ => println!("codegen: cargo xtask codegen failed"),
    }
    let peer = std::env::var("OPENAPI_GENERATOR").unwrap_or_else(|_| "openapi-generator-cli".into());
    let out = std::env::temp_dir().join("confapi-bench-openapi-generator");
    let t = Instant::now();
    let mut ok = true;
    for vendor in ["openvox", "quanshi", "dingtalk"] {
        let status = Command::new(&peer)
            .args(["generate", "-g", "rust", "--skip-validate-spec", "-i"])
            .arg(root.join(format!("specs/{vendor}.yaml")))
            .arg("-o")
            .arg(out.join(vendor))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        ok &= status.is_ok_and(|s| s.success());
    }
    if !ok {
        println!("codegen: openapi-generator not available (pip install openapi-generator-cli; needs Java 17)");
        return;
    }
    println!("{:<54} {:>12?}", "codegen: openapi-generator rust (3 specs)", t.elapsed());
    // Clean debug builds of one generated crate from each, in fresh target dirs.
    let build = |args: &[&str], target: &str| {
        let t = Instant::now();
        let ok = Command::new("cargo")
            .args(args)
            .arg("--target-dir")
            .arg(std::env::temp_dir().join(target))
            .current_dir(&root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| t.elapsed())
    };
    let theirs_manifest = out.join("openvox/Cargo.toml");
    let theirs_manifest = theirs_manifest.to_string_lossy();
    for (label, args, target) in [
        (
            "clean debug build: confapi-openvox",
            vec!["build", "-q", "-p", "confapi-openvox"],
            "confapi-bench-build-ours",
        ),
        (
            "clean debug build: openapi-generator openvox crate",
            vec!["build", "-q", "--manifest-path", &*theirs_manifest],
            "confapi-bench-build-theirs",
        ),
    ] {
        let _ = std::fs::remove_dir_all(std::env::temp_dir().join(target));
        match build(&args, target) {
            Some(d) => println!("{label:<54} {d:>12?}"),
            None => println!("{label}: build failed"),
        }
    }
}
