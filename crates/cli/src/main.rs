//! `confapi`: live conferences across OpenVox, Quanshi and DingTalk,
//! actions on them, a live event stream, a replay server, and the spec
//! audit.

use clap::{Parser, Subcommand};
use confapi::{
    Action, Budget, Capabilities, Conference, ErrorKind, Event, Invitee, MemberState, Request, Start, Vendor,
};
use confapi_cli::audit_json::{AuditRun, FileAudit};
use confapi_cli::{audit, config, table};
use confapi_core::Timeouts;
use confapi_mock::{MockServer, Replay};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

const ENV_HELP: &str = "\
Accounts come from a TOML file (--config FILE, or CONFAPI_CONFIG), one [accounts.NAME] table each:
  [accounts.hq-pbx]
  vendor = \"openvox\"
  url = \"http://192.168.1.100:9011\"
  username = \"api\"
  password_env = \"HQ_PBX_PASSWORD\"   # any setting as KEY_env = \"VARIABLE\"; budget = \"10000/month\"
Settings: url, username, password (openvox); url, token (quanshi); url, app_key, app_secret (dingtalk).

Without a config file, the environment gives one account per vendor, named after it; a vendor whose
variables are absent is skipped:
  CONFAPI_OPENVOX_URL, CONFAPI_OPENVOX_USERNAME, CONFAPI_OPENVOX_PASSWORD
  CONFAPI_QUANSHI_URL (optional), CONFAPI_QUANSHI_TOKEN
  CONFAPI_DINGTALK_URL (optional), CONFAPI_DINGTALK_APP_KEY, CONFAPI_DINGTALK_APP_SECRET

Invitees are [ext:|tel:|user:]ID[=NAME]: an extension, a phone number or a user id (the default;
for OpenVox an extension), with the name DingTalk shows.

Exit status: 0 when every account answered (an action: when it was done), 1 when any failed or
cannot do the action, 2 for usage and configuration errors.";

#[derive(Parser)]
#[command(name = "confapi", version, about = "Conferences across OpenVox, Quanshi and DingTalk", after_help = ENV_HELP)]
struct Cli {
    #[command(flatten)]
    online: Online,
    #[command(subcommand)]
    command: Command,
}

/// The flags of the commands that ask vendors; given before the command
/// or after it, and shown only where they apply.
#[derive(clap::Args, Clone, Default)]
struct Online {
    /// Serve the built-in recorded exchanges on a free loopback port and point every vendor at them
    /// with dummy credentials: every command works with no account.
    #[arg(long)]
    mock: bool,
    /// The accounts, from this TOML file (see below) instead of the CONFAPI_* variables.
    #[arg(long, value_name = "FILE", env = "CONFAPI_CONFIG")]
    config: Option<PathBuf>,
    /// With --mock: write a line per request the replay server answers to FILE (Unix ms, method, path).
    #[arg(long, value_name = "FILE", requires = "mock")]
    mock_log: Option<PathBuf>,
    /// Seconds a vendor may take to answer (connect, each attempt and in total) [default: 15].
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=600))]
    timeout: Option<u64>,
}

impl Online {
    /// These flags wherever they were given (after the command wins).
    fn merge(self, later: Online) -> Online {
        Online {
            mock: self.mock || later.mock,
            config: later.config.or(self.config),
            mock_log: later.mock_log.or(self.mock_log),
            timeout: later.timeout.or(self.timeout),
        }
    }

    fn given(&self) -> bool {
        self.mock || self.timeout.is_some() || self.mock_log.is_some()
    }
}

/// The default of `--timeout`.
const DEFAULT_TIMEOUT: u64 = 15;

/// A vendor argument, with its possible values in help and errors.
fn vendor_arg() -> impl clap::builder::TypedValueParser<Value = Vendor> {
    use clap::builder::TypedValueParser;
    let names: Vec<&'static str> = Vendor::compiled().into_iter().map(|v| v.name()).collect();
    clap::builder::PossibleValuesParser::new(names).try_map(|s| s.parse::<Vendor>())
}

/// `ACCOUNT=N/day` or `ACCOUNT=N/month`.
fn budget_arg(s: &str) -> Result<(String, Budget), String> {
    let (account, budget) =
        s.split_once('=').ok_or_else(|| format!("{s:?}: expected ACCOUNT=N/day or ACCOUNT=N/month"))?;
    Ok((account.trim().to_owned(), budget.parse()?))
}

#[derive(Subcommand)]
enum Command {
    /// Conferences running now, across the configured vendors.
    Conferences {
        #[command(flatten)]
        online: Online,
        /// Only the accounts of this vendor.
        #[arg(long, value_parser = vendor_arg())]
        vendor: Option<Vendor>,
        /// Only this account.
        #[arg(long, value_name = "NAME")]
        account: Option<String>,
        /// JSON (an array of conferences; see `confapi schema`) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// One conference in detail, with its members.
    Conference {
        #[command(flatten)]
        online: Online,
        /// The account (without a config file, the vendor's name: openvox, quanshi, dingtalk).
        account: String,
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
        #[command(flatten)]
        online: Online,
        /// The account (without a config file, the vendor's name: openvox, quanshi, dingtalk).
        account: String,
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
        #[command(flatten)]
        online: Online,
        /// The account (without a config file, the vendor's name: openvox, quanshi, dingtalk).
        account: String,
        /// The conference's id.
        id: String,
        /// The host's unionId (DingTalk; read from the conference when absent).
        #[arg(long = "as", value_name = "ID")]
        by: Option<String>,
    },
    /// Invite people into a conference.
    Invite {
        #[command(flatten)]
        online: Online,
        /// The account (without a config file, the vendor's name: openvox, quanshi, dingtalk).
        account: String,
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
        #[command(flatten)]
        online: Online,
        /// The account (without a config file, the vendor's name: openvox, quanshi, dingtalk).
        account: String,
        /// The conference's id.
        id: String,
        /// The member's id (DingTalk: unionId).
        member: String,
    },
    /// Mute (or with --unmute, unmute) one member or everyone.
    Mute {
        #[command(flatten)]
        online: Online,
        /// The account (without a config file, the vendor's name: openvox, quanshi, dingtalk).
        account: String,
        /// The conference's id.
        id: String,
        /// The member's id (DingTalk: unionId; OpenVox: extension); or --all.
        #[arg(conflicts_with = "all")]
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
        #[command(flatten)]
        online: Online,
        /// Seconds between readings.
        #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=86400))]
        interval: u64,
        /// One JSON object per line (NDJSON) instead of text.
        #[arg(long)]
        json: bool,
        /// A budget of calls for an account: ACCOUNT=N/day or ACCOUNT=N/month (repeatable). The
        /// account is then polled no more often than that allows at the number of conferences live.
        #[arg(long, value_name = "ACCOUNT=N/PERIOD", value_parser = budget_arg)]
        budget: Vec<(String, Budget)>,
        /// Stop after this many events (default: run until Ctrl-C).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        count: Option<u64>,
    },
    /// Serve the recorded exchanges on 127.0.0.1 until stopped (Ctrl-C).
    Mock {
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Also write the variables to this file as `export` lines, to source with `. FILE`
        /// (written before the server says it is serving).
        #[arg(long, value_name = "FILE")]
        env_file: Option<PathBuf>,
        /// Do not serve: tell the replay server already on --port to start every recorded
        /// sequence again, then exit.
        #[arg(long, conflicts_with = "env_file")]
        reset: bool,
    },
    /// A completion script for a shell, on stdout (e.g. `confapi completions bash > /etc/bash_completion.d/confapi`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
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
        /// Print the typed report as one JSON document instead of text.
        #[arg(long)]
        json: bool,
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
    let top = cli.online;
    let refuse = |name: &str| {
        fail(2, &format!("--mock and --timeout do not apply to `confapi {name}` (it asks no vendor); leave them out"))
    };
    match cli.command {
        Command::Audit { .. } if top.given() => refuse("audit"),
        Command::Schema if top.given() => refuse("schema"),
        Command::Mock { .. } if top.given() => refuse("mock"),
        Command::Completions { .. } if top.given() => refuse("completions"),
        Command::Audit { strict, json, files } => run_audit(strict, json, &files),
        // Reads the compiled specs only: a `--mock` before it changes nothing.
        Command::Capabilities { json } => capabilities(json),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "confapi", &mut script);
            out(&String::from_utf8_lossy(&script));
            ExitCode::SUCCESS
        }
        Command::Schema => match serde_json::to_string_pretty(&confapi::conference_schema()) {
            Ok(s) => {
                out(&format!("{s}\n"));
                ExitCode::SUCCESS
            }
            Err(e) => fail(2, &format!("cannot print the schema: {e}")),
        },
        command => match tokio::runtime::Runtime::new() {
            Ok(rt) => rt.block_on(run_online(top, command)),
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

/// Every failure, whatever the command, as one line: `confapi: MESSAGE`
/// (a vendor's error names its vendor once, at the start of the message).
fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("confapi: {message}");
    ExitCode::from(code)
}

async fn replay_server(port: u16) -> Result<MockServer, String> {
    let recordings = confapi_mock::embedded()?;
    let replay = Replay::from_files(recordings, &confapi::vendor_infos());
    MockServer::start(&confapi::vendor_infos(), replay, port)
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e} (pick another with --port, or 0 for a free one)"))
}

/// The online flags a command was given after its name.
fn online_of(command: &Command) -> Online {
    match command {
        Command::Conferences { online, .. }
        | Command::Conference { online, .. }
        | Command::Start { online, .. }
        | Command::End { online, .. }
        | Command::Invite { online, .. }
        | Command::Kick { online, .. }
        | Command::Mute { online, .. }
        | Command::Watch { online, .. } => online.clone(),
        _ => Online::default(),
    }
}

async fn run_online(top: Online, command: Command) -> ExitCode {
    if let Command::Mock { port, env_file, reset } = command {
        return if reset { reset_mock(port).await } else { serve(port, env_file.as_deref()).await };
    }
    let later = online_of(&command);
    let online = top.merge(later);
    let seconds = online.timeout.unwrap_or(DEFAULT_TIMEOUT);
    let limit = Duration::from_secs(seconds);
    let timeouts = Timeouts { connect: limit.min(Duration::from_secs(5)), attempt: limit, total: limit };
    // Notes on skipped vendors matter only where every account is asked.
    let wants_notes =
        matches!(command, Command::Conferences { vendor: None, account: None, .. } | Command::Watch { .. });
    // Keep the embedded server alive for the whole command.
    let (_server, api) = if online.mock {
        let server = match replay_server(0).await {
            Ok(s) => s,
            Err(e) => return fail(2, &e),
        };
        if let Some(path) = &online.mock_log {
            match std::fs::File::create(path) {
                Ok(file) => server.log_to(file),
                Err(e) => return fail(2, &format!("cannot write --mock-log {}: {e}", path.display())),
            }
        }
        match config::mock(&server.url(), timeouts) {
            Ok(api) => (Some(server), api),
            Err(e) => return fail(2, &e.to_string()),
        }
    } else {
        let get = |name: &str| std::env::var(name).ok();
        let read = match &online.config {
            Some(path) => config::from_file(path, &get, timeouts),
            None => config::from_env(&get, timeouts),
        };
        // A configuration error says what is wrong in its detail; the kind goes without saying.
        let read = read.map_err(|e| e.detail().map(str::to_owned).unwrap_or_else(|| e.to_string()));
        match read {
            Ok(c) => {
                if wants_notes {
                    for note in &c.notes {
                        eprintln!("confapi: note: {note}");
                    }
                }
                (None, c.api)
            }
            Err(e) => return fail(2, &e),
        }
    };
    let cx = Cx { api, seconds };
    match command {
        Command::Conferences { vendor, account, json, .. } => conferences(&cx, vendor, account, json).await,
        Command::Conference { account, id, json, .. } => conference(&cx, &account, &id, json).await,
        Command::Watch { interval, json, count, budget, .. } => {
            let mut api = cx.api.clone();
            for (account, b) in budget {
                if let Err(e) = api.set_budget(&account, b) {
                    return fail(2, &format!("--budget: {e} (the accounts: {})", api.account_names().join(", ")));
                }
            }
            watch(&api, Duration::from_secs(interval), json, count).await
        }
        command => match action_request(command) {
            Ok((account, request)) => act(&cx, &account, &request).await,
            Err(message) => fail(2, &message),
        },
    }
}

/// What the online commands share: the vendors, and the limit the user set.
struct Cx {
    api: confapi::Confapi,
    seconds: u64,
}

impl Cx {
    /// The line for an error: the error, and what to type about it.
    fn explain(&self, e: &confapi::Error, request: Option<&Request>) -> String {
        let mut line = e.to_string();
        if e.kind() == ErrorKind::Timeout {
            line.push_str(&format!(
                " (no answer within the limit of {} s; give it longer with --timeout SECS)",
                self.seconds
            ));
        }
        if e.kind() == ErrorKind::InvalidRequest {
            if let Some(fix) = request.and_then(|r| what_to_type(e.detail().unwrap_or(""), r)) {
                // The facade's own advice ("give their unionId") becomes the flag to type.
                match line.rfind(": give ") {
                    Some(at) => line.replace_range(at.., &format!(": {fix}")),
                    None => line.push_str(&format!(" ({fix})")),
                }
            }
        }
        line
    }

    /// The configured account, or the usage error that says how to configure it.
    fn configured(&self, account: &str) -> Result<(), ExitCode> {
        if self.api.vendor_of(account).is_some() {
            return Ok(());
        }
        let names = self.api.account_names();
        let known = if names.is_empty() { "none".to_owned() } else { names.join(", ") };
        let how = match account.parse::<Vendor>() {
            Ok(v) => format!(
                "set its CONFAPI_{}_* variables (see --help), name it in a --config file, or use --mock",
                v.name().to_uppercase()
            ),
            Err(_) => "name it in a --config file (see --help)".to_owned(),
        };
        Err(fail(2, &format!("no account is named {account:?} (configured: {known}): {how}")))
    }
}

/// The flag or argument that fixes an input error of an action, from what
/// the facade says is missing.
fn what_to_type(detail: &str, request: &Request) -> Option<&'static str> {
    let start = matches!(request, Request::Start(_));
    // OpenVox checks the room first: say at once that the moderator is missing too.
    if let Request::Start(Start { room: None, by: None, .. }) = request {
        if detail.contains("idle room") {
            return Some("give its number with --room NUMBER, and the moderator's extension with --as EXT");
        }
    }
    let rules: [(&str, &'static str); 9] = [
        ("organiser", "give their unionId with --as ID"),
        ("moderator", "give a moderator extension with --as EXT"),
        ("host's unionId", "give it with --as ID"),
        ("idle room", "give its number with --room NUMBER"),
        ("needs a title", "give one with --title TEXT"),
        ("display name", "write the invitee as ID=NAME"),
        ("nobody to invite", "name them as INVITEE arguments"),
        ("not an event id", "the ID argument is Quanshi's numeric event id"),
        ("is not a number the PBX can call", "write the invitee as ext:NUMBER or tel:NUMBER"),
    ];
    rules
        .into_iter()
        .find(|(needle, _)| detail.contains(needle))
        .map(|(_, fix)| fix)
        .or_else(|| (start && detail.contains("invites users by unionId")).then_some("write invitees as user:UNIONID"))
}

/// The facade request of an action command, or the usage error.
fn action_request(command: Command) -> Result<(String, Request), String> {
    Ok(match command {
        Command::Start { account, title, room, by, invitees, .. } => {
            (account, Request::Start(Start { title, room, by, invitees }))
        }
        Command::End { account, id, by, .. } => (account, Request::End { conference: id, by }),
        Command::Invite { account, id, invitees, by, .. } => {
            (account, Request::Invite { conference: id, invitees, by })
        }
        Command::Kick { account, id, member, .. } => (account, Request::Kick { conference: id, member }),
        Command::Mute { account, id, member: Some(member), all: false, unmute, .. } => {
            (account, Request::Mute { conference: id, member, mute: !unmute })
        }
        Command::Mute { account, id, member: None, all: true, unmute, .. } => {
            (account, Request::MuteAll { conference: id, mute: !unmute })
        }
        Command::Mute { .. } => {
            return Err("mute needs whom: a MEMBER id after the conference id, or --all for everyone".into())
        }
        _ => return Err("unexpected command".into()),
    })
}

async fn act(cx: &Cx, account: &str, request: &Request) -> ExitCode {
    if let Err(code) = cx.configured(account) {
        return code;
    }
    let result = {
        let _progress = Progress::start(account);
        cx.api.act(account, request).await
    };
    match result {
        Ok(done) => {
            let link = done.join_url.map(|u| format!(" {u}")).unwrap_or_default();
            out(&format!("{account} {} {}: done{link}\n", done.action, done.conference));
            ExitCode::SUCCESS
        }
        // Input the vendor cannot take, or a vendor not configured: usage.
        Err(e) if matches!(e.kind(), ErrorKind::InvalidRequest | ErrorKind::Config) => {
            fail(2, &cx.explain(&e, Some(request)))
        }
        Err(e) => fail(1, &cx.explain(&e, Some(request))),
    }
}

/// A quiet indicator on stderr while vendors are asked: only when stderr is
/// a terminal, only after half a second, and wiped when the answer comes.
struct Progress(Option<tokio::task::JoinHandle<()>>);

impl Progress {
    fn start(what: &str) -> Self {
        use std::io::IsTerminal;
        if !std::io::stderr().is_terminal() {
            return Self(None);
        }
        let what = what.to_owned();
        Self(Some(tokio::spawn(async move {
            let started = std::time::Instant::now();
            tokio::time::sleep(Duration::from_millis(500)).await;
            let mut tick = tokio::time::interval(Duration::from_millis(250));
            for frame in ['|', '/', '-', '\\'].into_iter().cycle() {
                tick.tick().await;
                eprint!("\r{frame} waiting for {what} ({} s)", started.elapsed().as_secs());
            }
        })))
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(task) = self.0.take() {
            task.abort();
            // Erase the line, whether or not anything was drawn.
            eprint!("\r\x1b[K");
        }
    }
}

fn capabilities(json: bool) -> ExitCode {
    let vendors = Vendor::compiled();
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

/// One line of `watch`: the event as the facade writes it, except that a
/// member who left shows as `left`, with the state they left from beside it.
fn event_line(event: &Event, json: bool) -> Result<String, serde_json::Error> {
    let left_from = match event {
        Event::MemberLeft { member, .. } if member.state != MemberState::Left => Some(&member.state),
        Event::MemberLeft { .. } => None,
        _ => None,
    };
    if json {
        let mut value = serde_json::to_value(event)?;
        if let Some(previous) = left_from {
            value["previous_state"] = serde_json::to_value(previous)?;
            value["member"]["state"] = serde_json::to_value(MemberState::Left)?;
        }
        return serde_json::to_string(&value);
    }
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).format("%H:%M:%SZ");
    Ok(match (event, left_from) {
        (Event::MemberLeft { conference_id, member, .. }, Some(previous)) => {
            let who = member.id.clone().or_else(|| member.name.clone()).unwrap_or_else(|| "?".into());
            let (account, vendor) = (event.account(), event.vendor());
            let source = if account == vendor.name() { account.to_owned() } else { format!("{account} ({vendor})") };
            format!("{now} {source} {conference_id} member_left {who} ({}, was {previous})", MemberState::Left)
        }
        _ => format!("{now} {event}"),
    })
}

/// Prints events until `count` of them (or Ctrl-C); exit 1 when a vendor
/// failed meanwhile.
async fn watch(api: &confapi::Confapi, interval: Duration, json: bool, count: Option<u64>) -> ExitCode {
    use futures_util::StreamExt;
    if api.vendors().is_empty() {
        return fail(2, NO_ACCOUNT);
    }
    // The plan, before any call: a vendor's allowance is the user's to plan.
    eprintln!("confapi watch: the plan (each account's interval and calls a day):");
    for plan in api.watch_plan(interval) {
        eprintln!("  {plan}");
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
        // A new plan is news for the operator, not an event to count.
        if let Event::PlanChanged { plan, .. } = &event {
            eprintln!("confapi watch: new plan: {plan}");
            continue;
        }
        failed |= matches!(event, Event::VendorFailed { .. } | Event::VendorStopped { .. });
        match event_line(&event, json) {
            Ok(line) => out(&format!("{line}\n")),
            Err(e) => return fail(1, &format!("cannot print JSON: {e}")),
        }
        printed += 1;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// A value as a POSIX shell reads it: single-quoted where it needs to be.
fn shell_quoted(value: &str) -> String {
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c)) {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

async fn serve(port: u16, env_file: Option<&std::path::Path>) -> ExitCode {
    let server = match replay_server(port).await {
        Ok(s) => s,
        Err(e) => return fail(2, &e),
    };
    let url = server.url();
    let exports: String = config::mock_env(&url)
        .into_iter()
        .map(|(name, value)| format!("export {name}={}\n", shell_quoted(&value)))
        .collect();
    if let Some(path) = env_file {
        if let Err(e) = std::fs::write(path, &exports) {
            return fail(2, &format!("cannot write --env-file {}: {e}", path.display()));
        }
    }
    // Everything on stdout is shell: comments, then `export` lines.
    out(&format!("# confapi mock: serving the recorded exchanges on {url} (Ctrl-C to stop)\n"));
    out(&format!(
        "# point the CLI (or a crate's examples) at it with these variables{}:\n",
        env_file.map(|p| format!(" (also in {}: `. {}`)", p.display(), p.display())).unwrap_or_default()
    ));
    out(&exports);
    out(&format!(
        "# recorded sequences start again when every client has hung up, or on `confapi mock --reset --port {}`\n",
        server.addr().port()
    ));
    match tokio::signal::ctrl_c().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(1, &format!("cannot wait for Ctrl-C: {e}")),
    }
}

/// `confapi mock --reset`: asks the replay server on `port` to start its
/// sequences again.
async fn reset_mock(port: u16) -> ExitCode {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
        let request = format!(
            "POST {} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            confapi_mock::RESET_PATH
        );
        stream.write_all(request.as_bytes()).await?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await?;
        Ok::<_, std::io::Error>(String::from_utf8_lossy(&answer).into_owned())
    };
    match tokio::time::timeout(Duration::from_secs(5), exchange).await {
        Ok(Ok(answer)) if answer.starts_with("HTTP/1.1 200") && answer.contains("confapi-mock") => {
            out(&format!("confapi mock on 127.0.0.1:{port}: every sequence starts again\n"));
            ExitCode::SUCCESS
        }
        Ok(Ok(_)) => fail(1, &format!("127.0.0.1:{port} is not a confapi mock (give its port with --port)")),
        Ok(Err(e)) => fail(1, &format!("no confapi mock on 127.0.0.1:{port}: {e} (give its port with --port)")),
        Err(_) => fail(1, &format!("127.0.0.1:{port} did not answer within 5 s (give the mock's port with --port)")),
    }
}

/// The usage error when no account is configured.
const NO_ACCOUNT: &str =
    "no account is configured: set the CONFAPI_* variables or give --config FILE (see --help), or use --mock";

/// Whether a vendor's listing carries its conferences' members: OpenVox's
/// in-session query does; DingTalk's and Quanshi's listings give head
/// counts only, and `confapi conference VENDOR ID` fetches the members.
fn listing_has_members(vendor: Vendor) -> bool {
    vendor == Vendor::OPENVOX
}

/// The JSON record of a vendor that failed, beside the conferences.
fn error_record(account: &str, vendor: Vendor, e: &confapi::Error, line: String) -> serde_json::Value {
    let kind = format!("{:?}", e.kind());
    let mut snake = String::new();
    for (i, c) in kind.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            snake.push('_');
        }
        snake.push(c.to_ascii_lowercase());
    }
    serde_json::json!({
        "account": account,
        "vendor": vendor.name(),
        "error": {"kind": snake, "code": e.code(), "status": e.status(), "message": line},
    })
}

async fn conferences(cx: &Cx, vendor: Option<Vendor>, account: Option<String>, json: bool) -> ExitCode {
    let mut asked = cx.api.accounts();
    if asked.is_empty() {
        return fail(2, NO_ACCOUNT);
    }
    if let Some(name) = &account {
        if let Err(code) = cx.configured(name) {
            return code;
        }
    }
    asked.retain(|a| vendor.is_none_or(|v| a.vendor == v) && account.as_ref().is_none_or(|n| &a.name == n));
    if asked.is_empty() {
        let v = vendor.map(|v| v.name()).unwrap_or_default();
        return fail(
            2,
            &format!("no account of {v} is configured (the accounts: {})", cx.api.account_names().join(", ")),
        );
    }
    let answers = {
        let names: Vec<&str> = asked.iter().map(|a| a.name.as_str()).collect();
        let _progress = Progress::start(&names.join(", "));
        let all = cx.api.live_conferences().await;
        all.into_iter().filter(|a| names.contains(&a.account.as_str())).collect::<Vec<_>>()
    };
    let mut all: Vec<Conference> = Vec::new();
    let mut records: Vec<serde_json::Value> = Vec::new();
    let mut failed = Vec::new();
    let mut answered = Vec::new();
    for answer in answers {
        match answer.result {
            Ok(list) => {
                answered.push(answer.vendor);
                for c in &list {
                    match serde_json::to_value(c) {
                        Ok(mut value) => {
                            value["members_fetched"] = listing_has_members(c.vendor).into();
                            records.push(value);
                        }
                        Err(e) => return fail(1, &format!("cannot print JSON: {e}")),
                    }
                }
                all.extend(list);
            }
            Err(e) => {
                let line = cx.explain(&e, None);
                eprintln!("confapi: {line}");
                records.push(error_record(&answer.account, answer.vendor, &e, line));
                failed.push(answer.vendor);
            }
        }
    }
    if json {
        match serde_json::to_string_pretty(&records) {
            Ok(s) => out(&format!("{s}\n")),
            Err(e) => return fail(1, &format!("cannot print JSON: {e}")),
        }
    } else if all.is_empty() {
        if !answered.is_empty() {
            let mut names: Vec<&str> = answered.iter().map(|v| v.name()).collect();
            names.dedup();
            eprintln!("confapi: no conference is running ({} answered)", names.join(", "));
        }
    } else {
        out(&table::conferences(&all));
        let mut without: Vec<&str> = answered.iter().filter(|v| !listing_has_members(**v)).map(|v| v.name()).collect();
        without.dedup();
        let shown = all.iter().any(|c| without.contains(&c.vendor.name()));
        if shown {
            eprintln!(
                "confapi: note: members not fetched for {} (PEOPLE is the vendor's count; `confapi conference VENDOR ID` lists them)",
                without.join(", ")
            );
        }
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

async fn conference(cx: &Cx, account: &str, id: &str, json: bool) -> ExitCode {
    if let Err(code) = cx.configured(account) {
        return code;
    }
    let result = {
        let _progress = Progress::start(account);
        cx.api.conference(account, id).await
    };
    match result {
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
        Err(e) if e.kind() == ErrorKind::InvalidRequest => {
            let hint = what_to_type(e.detail().unwrap_or(""), &Request::End { conference: id.into(), by: None });
            let mut line = cx.explain(&e, None);
            if let Some(fix) = hint {
                line.push_str(&format!(" ({fix})"));
            }
            fail(2, &line)
        }
        Err(e) => fail(1, &cx.explain(&e, None)),
    }
}

fn run_audit(strict: bool, json: bool, files: &[PathBuf]) -> ExitCode {
    let vendors = confapi::vendor_infos();
    let mut audited = Vec::new();
    for path in files {
        let shown = path.display().to_string();
        let record = match confapi_mock::load_file(path) {
            Ok(f) => {
                let report = audit::audit(&f.exchange, &vendors);
                FileAudit::audited(shown, f.exchange.response.status, &report, strict)
            }
            Err(e) => {
                let why = e.strip_prefix(&format!("{shown}: ")).unwrap_or(&e).to_owned();
                FileAudit::unreadable(shown, why)
            }
        };
        if !json {
            out(&record.text());
        }
        audited.push(record);
    }
    let failed = audited.iter().filter(|f| !f.passes).count();
    let run = AuditRun { strict, passed: audited.len() - failed, failed, files: audited };
    if json {
        match serde_json::to_string_pretty(&run) {
            Ok(text) => out(&format!("{text}\n")),
            Err(e) => return fail(1, &format!("cannot encode the audit as JSON: {e}")),
        }
    } else {
        out(&run.summary());
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
