//! The response-size limit holds end to end: the command against a server
//! whose body never ends stops at the limit, in bounded memory.

use confapi_mock::{MockServer, RecordedRequest, Reply};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The peak resident memory of process `pid` so far, in KiB (Linux).
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(target_os = "linux")]
#[test]
fn an_endless_body_ends_the_command_with_the_size_error_in_bounded_memory() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    // 64 KiB chunks up to 1 GiB: far past the 16 MiB limit, yet finite.
    let endless = |_: &RecordedRequest| Reply::endless("application/json", vec![b' '; 64 * 1024], 1 << 30);
    let server = rt.block_on(MockServer::start(&confapi::vendor_infos(), endless, 0)).unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_confapi"))
        .args(["conferences", "--vendor", "quanshi"])
        .env_clear()
        .env("CONFAPI_QUANSHI_TOKEN", "t0ken-value")
        .env("CONFAPI_QUANSHI_URL", server.url())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut peak = 0;
    let status = loop {
        // VmHWM is a high-water mark: any reading after the peak shows it.
        peak = peak.max(peak_kib(child.id()).unwrap_or(0));
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("the command was still running after 60 s");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("response too large") && stderr.contains("16 MiB"), "{stderr}");
    assert!(peak > 0, "no memory reading of the command");
    assert!(peak < 200 * 1024, "peak memory {} MiB", peak / 1024);
    eprintln!("peak memory of the command: {} MiB", peak / 1024);
}
