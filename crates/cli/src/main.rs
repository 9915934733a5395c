//! `confapi`: live conferences across OpenVox, Quanshi and DingTalk,
//! actions on them, a live event stream, a replay server, and the spec
//! audit.

use clap::{Parser, Subcommand};
use confapi::{Action, Capabilities, Conference, ErrorKind, Event, Invitee, Request, Start, Vendor};
use confapi_cli::{audit, config, table};
use confapi_core::Timeouts;
use confapi_mock::{MockServer, Replay};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

const ENV_HELP: &str = "\
Vendors are configured from the environment; a vendor whose variables are absent is skipped:
  CONFAPI_OPENVOX_URL, CONFAPI_OPENVOX_USERNAME, CONFAPI_OPENVOX_PASSWORD
  CONFAPI_QUANSHI_URL (optional), CONFAPI_QUANSHI_TOKEN
  CONFAPI_DINGTALK_URL (optional), CONFAPI_DINGTALK_APP_KEY, CONFAPI_DINGTALK_APP_SECRET

Invitees are [ext:|tel:|user:]ID[=NAME]: an extension, a phone number or a user id (the default;
for OpenVox an extension), with the name DingTalk shows.

Exit status: 0 when every configured vendor answered (an action: when it was done), 1 when any
failed or cannot do the action, 2 for usage errors.";

#[derive(Parser)]
#[command(name = "confapi", version, about = "Conferences across OpenVox, Quanshi and DingTalk", after_help = ENV_HELP)]
struct Cli {
    /// Serve the built-in recorded exchanges on a free loopback port and point every vendor at them
    /// with dummy credentials: every command works with no account.
    #[arg(long, global = true)]
    mock: bool,
    /// Seconds a vendor may take to answer (connect, each attempt and in total).
    #[arg(long, global = true, default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=600))]
    timeout: u64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Conferences running now, across the configured vendors.
    Conferences {
        /// Only this vendor (openvox, quanshi or dingtalk).
        #[arg(long)]
        vendor: Option<Vendor>,
        /// JSON (an array of conferences; see `confapi schema`) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// One conference in detail, with its members.
    Conference {
        /// openvox, quanshi or dingtalk.
        vendor: Vendor,
        /// The vendor's id: room number (OpenVox), event id (Quanshi), conferenceId (DingTalk).
        id: String,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Which actions each vendor's client can perform (vendor × action).
    Capabilities {
        /// JSON: for each vendor, each action's operation id (null where it has none).
        #[arg(long)]
        json: bool,
    },
    /// Start an instant conference.
    Start {
        /// openvox or dingtalk (see `confapi capabilities`).
        vendor: Vendor,
        /// Subject (DingTalk requires one).
        #[arg(long)]
        title: Option<String>,
        /// The idle room to use (OpenVox requires one).
        #[arg(long)]
        room: Option<String>,
        /// Who starts it: the moderator's extension (OpenVox) or the organiser's unionId (DingTalk).
        #[arg(long = "as", value_name = "ID")]
        by: Option<String>,
        /// Whom to call in: [ext:|tel:|user:]ID[=NAME].
        invitees: Vec<Invitee>,
    },
    /// End a conference for everyone.
    End {
        /// The vendor.
        vendor: Vendor,
        /// The conference's id.
        id: String,
        /// The host's unionId (DingTalk; read from the conference when absent).
        #[arg(long = "as", value_name = "ID")]
        by: Option<String>,
    },
    /// Invite people into a conference.
    Invite {
        /// The vendor.
        vendor: Vendor,
        /// The conference's id (OpenVox: the room number).
        id: String,
        /// Whom to invite: [ext:|tel:|user:]ID[=NAME].
        #[arg(required = true)]
        invitees: Vec<Invitee>,
        /// Who invites: a moderator extension (OpenVox; the room's first moderator when absent)
        /// or a unionId (DingTalk).
        #[arg(long = "as", value_name = "ID")]
        by: Option<String>,
    },
    /// Remove a member from a conference.
    Kick {
        /// The vendor.
        vendor: Vendor,
        /// The conference's id.
        id: String,
        /// The member's id (DingTalk: unionId).
        member: String,
    },
    /// Mute (or with --unmute, unmute) one member or everyone.
    Mute {
        /// The vendor.
        vendor: Vendor,
        /// The conference's id.
        id: String,
        /// The member's id (DingTalk: unionId; OpenVox: extension).
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        member: Option<String>,
        /// Everyone instead of one member.
        #[arg(long)]
        all: bool,
        /// Unmute instead of mute (not every vendor can: see `capabilities`).
        #[arg(long)]
        unmute: bool,
    },
    /// Follow the configured vendors: one line per change (a conference starting or ending, a member
    /// joining, leaving or changing state, a vendor failing or recovering). The first reading is the
    /// baseline and prints nothing.
    Watch {
        /// Seconds between readings.
        #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=86400))]
        interval: u64,
        /// One JSON object per line (NDJSON) instead of text.
        #[arg(long)]
        json: bool,
        /// Stop after this many events (default: run until Ctrl-C).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        count: Option<u64>,
    },
    /// Serve the recorded exchanges on 127.0.0.1 until stopped (Ctrl-C).
    Mock {
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// The JSON Schema of a conference, as `--json` prints it.
    Schema,
    /// Check recorded exchanges against the specs: decode each response with the generated
    /// type and report decode errors and lost fields. Exit 0 when every file decodes and
    /// nothing is lost.
    Audit {
        /// Also fail on fields the spec does not declare (kept only as extras).
        #[arg(long)]
        strict: bool,
        /// Exchange files (`crates/mock/recorded/<vendor>/*.json` or captured ones).
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
        Command::Capabilities { json } => capabilities(json),
        Command::Schema => match serde_json::to_string_pretty(&confapi::conference_schema()) {
            Ok(s) => {
                out(&format!("{s}\n"));
                ExitCode::SUCCESS
            }
            Err(e) => fail(2, &format!("cannot print the schema: {e}")),
        },
        command => match tokio::runtime::Runtime::new() {
            Ok(rt) => rt.block_on(run_online(cli.mock, cli.timeout, command)),
            Err(e) => fail(2, &format!("cannot start the async runtime: {e}")),
        },
    }
}

/// Prints to stdout; a closed pipe (`confapi … | head`) is not an error.
fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("confapi: {message}");
    ExitCode::from(code)
}

async fn replay_server(port: u16) -> Result<MockServer, String> {
    let recordings = confapi_mock::embedded()?;
    let replay = Replay::new(recordings.into_iter().map(|f| f.exchange).collect(), &confapi::vendor_infos());
    MockServer::start(&confapi::vendor_infos(), replay, port)
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))
}

async fn run_online(mock: bool, timeout: u64, command: Command) -> ExitCode {
    let limit = Duration::from_secs(timeout);
    let timeouts = Timeouts { connect: limit.min(Duration::from_secs(5)), attempt: limit, total: limit };
    if let Command::Mock { port } = command {
        return serve(port).await;
    }
    // Keep the embedded server alive for the whole command.
    let (_server, api) = if mock {
        let server = match replay_server(0).await {
            Ok(s) => s,
            Err(e) => return fail(2, &e),
        };
        match config::mock(&server.url(), timeouts) {
            Ok(api) => (Some(server), api),
            Err(e) => return fail(2, &e.0),
        }
    } else {
        match config::from_env(&|name| std::env::var(name).ok(), timeouts) {
            Ok(c) => {
                for note in &c.notes {
                    eprintln!("confapi: note: {note}");
                }
                (None, c.api)
            }
            Err(e) => return fail(2, &e.0),
        }
    };
    match command {
        Command::Conferences { vendor, json } => conferences(&api, vendor, json).await,
        Command::Conference { vendor, id, json } => conference(&api, vendor, &id, json).await,
        Command::Watch { interval, json, count } => watch(&api, Duration::from_secs(interval), json, count).await,
        command => match action_request(command) {
            Some((vendor, request)) => act(&api, vendor, &request).await,
            None => fail(2, "unexpected command"),
        },
    }
}

/// The facade request of an action command.
fn action_request(command: Command) -> Option<(Vendor, Request)> {
    Some(match command {
        Command::Start { vendor, title, room, by, invitees } => {
            (vendor, Request::Start(Start { title, room, by, invitees }))
        }
        Command::End { vendor, id, by } => (vendor, Request::End { conference: id, by }),
        Command::Invite { vendor, id, invitees, by } => (vendor, Request::Invite { conference: id, invitees, by }),
        Command::Kick { vendor, id, member } => (vendor, Request::Kick { conference: id, member }),
        Command::Mute { vendor, id, member: Some(member), all: false, unmute } => {
            (vendor, Request::Mute { conference: id, member, mute: !unmute })
        }
        Command::Mute { vendor, id, unmute, .. } => (vendor, Request::MuteAll { conference: id, mute: !unmute }),
        _ => return None,
    })
}

async fn act(api: &confapi::Confapi, vendor: Vendor, request: &Request) -> ExitCode {
    match api.act(vendor, request).await {
        Ok(done) => {
            let link = done.join_url.map(|u| format!(" {u}")).unwrap_or_default();
            out(&format!("{vendor} {} {}: done{link}\n", done.action, done.conference));
            ExitCode::SUCCESS
        }
        // Input the vendor cannot take, or a vendor not configured: usage.
        Err(e) if matches!(e.kind(), ErrorKind::InvalidRequest | ErrorKind::Config) => fail(2, &e.to_string()),
        Err(e) => fail(1, &e.to_string()),
    }
}

fn capabilities(json: bool) -> ExitCode {
    let vendors: Vec<Vendor> = Vendor::ALL.into_iter().filter(|v| v.info().is_some()).collect();
    if !json {
        out(&table::capabilities(&vendors));
        return ExitCode::SUCCESS;
    }
    let mut all = serde_json::Map::new();
    for vendor in vendors {
        let can = Capabilities::of(vendor);
        let ops: serde_json::Map<String, serde_json::Value> =
            Action::ALL.into_iter().map(|a| (a.name().to_owned(), can.operation(a).map(|op| op.id).into())).collect();
        all.insert(vendor.name().to_owned(), ops.into());
    }
    match serde_json::to_string_pretty(&all) {
        Ok(s) => {
            out(&format!("{s}\n"));
            ExitCode::SUCCESS
        }
        Err(e) => fail(1, &format!("cannot print JSON: {e}")),
    }
}

/// Prints events until `count` of them (or Ctrl-C); exit 1 when a vendor
/// failed meanwhile.
async fn watch(api: &confapi::Confapi, interval: Duration, json: bool, count: Option<u64>) -> ExitCode {
    use futures_util::StreamExt;
    if api.vendors().is_empty() {
        return fail(2, "no vendor is configured: set the CONFAPI_* variables (see --help) or use --mock");
    }
    // What the pace costs, before any call: a vendor's allowance is the user's to plan.
    eprintln!("confapi watch: polling every {interval:?}; calls that costs:");
    for cost in api.watch_cost(interval) {
        eprintln!("  {cost}");
    }
    let mut events = std::pin::pin!(api.watch(interval));
    let mut stop = std::pin::pin!(tokio::signal::ctrl_c());
    let (mut printed, mut failed) = (0, false);
    while count.is_none_or(|n| printed < n) {
        let event = tokio::select! {
            event = events.next() => event,
            _ = &mut stop => break,
        };
        let Some(event) = event else { break };
        failed |= matches!(event, Event::VendorFailed { .. } | Event::VendorStopped { .. });
        let line = if json {
            match serde_json::to_string(&event) {
                Ok(line) => line,
                Err(e) => return fail(1, &format!("cannot print JSON: {e}")),
            }
        } else {
            format!(
                "{} {event}",
                chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).format("%H:%M:%SZ")
            )
        };
        out(&format!("{line}\n"));
        printed += 1;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

async fn serve(port: u16) -> ExitCode {
    let server = match replay_server(port).await {
        Ok(s) => s,
        Err(e) => return fail(2, &e),
    };
    let url = server.url();
    out(&format!("serving the recorded exchanges on {url} (Ctrl-C to stop)\n"));
    out("point the CLI (or a crate's examples) at it with these variables:\n");
    for (name, value) in config::mock_env(&url) {
        out(&format!("  {name}={value}\n"));
    }
    match tokio::signal::ctrl_c().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(1, &format!("cannot wait for Ctrl-C: {e}")),
    }
}

async fn conferences(api: &confapi::Confapi, only: Option<Vendor>, json: bool) -> ExitCode {
    let configured = api.vendors();
    if configured.is_empty() {
        return fail(2, "no vendor is configured: set the CONFAPI_* variables (see --help) or use --mock");
    }
    let answers = match only {
        Some(v) if !configured.contains(&v) => return fail(2, &format!("{v} is not configured (see --help)")),
        Some(v) => vec![confapi::VendorResult { vendor: v, result: api.live_conferences_of(v).await }],
        None => api.live_conferences().await,
    };
    let mut all: Vec<Conference> = Vec::new();
    let mut failed = false;
    for answer in answers {
        match answer.result {
            Ok(list) => all.extend(list),
            Err(e) => {
                failed = true;
                eprintln!("confapi: {}: {e}", answer.vendor);
            }
        }
    }
    if json {
        match serde_json::to_string_pretty(&all) {
            Ok(s) => out(&format!("{s}\n")),
            Err(e) => return fail(1, &format!("cannot print JSON: {e}")),
        }
    } else {
        out(&table::conferences(&all));
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

async fn conference(api: &confapi::Confapi, vendor: Vendor, id: &str, json: bool) -> ExitCode {
    if !api.vendors().contains(&vendor) {
        return fail(2, &format!("{vendor} is not configured (see --help)"));
    }
    match api.conference(vendor, id).await {
        Ok(c) if json => match serde_json::to_string_pretty(&c) {
            Ok(s) => {
                out(&format!("{s}\n"));
                ExitCode::SUCCESS
            }
            Err(e) => fail(1, &format!("cannot print JSON: {e}")),
        },
        Ok(c) => {
            out(&table::conference(&c));
            ExitCode::SUCCESS
        }
        Err(e) => fail(1, &format!("{vendor}: {e}")),
    }
}

fn run_audit(strict: bool, files: &[PathBuf]) -> ExitCode {
    let vendors = confapi::vendor_infos();
    let mut failed = 0;
    for path in files {
        let shown = path.display();
        let exchange = match confapi_mock::load_file(path) {
            Ok(f) => f.exchange,
            Err(e) => {
                out(&format!("FAIL {e}\n"));
                failed += 1;
                continue;
            }
        };
        let report = audit::audit(&exchange, &vendors);
        let passes = report.passes(strict);
        let label = if passes { "ok  " } else { "FAIL" };
        match (&report.unusable, report.operation) {
            (Some(problem), _) => out(&format!("{label} {shown}: {problem}\n")),
            (None, op) => out(&format!(
                "{label} {shown}: {} HTTP {} as {}\n",
                op.unwrap_or("?"),
                exchange.response.status,
                report.schema.unwrap_or("untyped JSON")
            )),
        }
        for finding in &report.findings {
            let mark = if finding.fails(strict) { "!" } else { "-" };
            out(&format!("     {mark} {finding}\n"));
        }
        if !passes {
            failed += 1;
        }
    }
    out(&format!(
        "audit{}: {} file(s), {} passed, {} failed\n",
        if strict { " --strict" } else { "" },
        files.len(),
        files.len() - failed,
        failed
    ));
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
