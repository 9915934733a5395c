//! The fault matrix: every fault × every seed operation of every vendor,
//! each cell asserting the exact outcome within a bound derived from the
//! configured timeouts. The whole run uses known secret strings, captures
//! every Debug/Display of clients and errors and all tracing output at
//! TRACE, and then scans it all: no secret may appear.

use confapi_core::{ErrorKind, OperationMeta, Timeouts};
use confapi_mock::{MockServer, RecordedRequest, Reply};
use confapi_tests::{dispatch, Settings, PASSWORD, TOKEN};
use md5::{Digest, Md5};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Session token the fake OpenVox issues, access token the fake DingTalk issues.
const OPENVOX_TOKEN: &str = "Ov-Session-Token-51e2";
const DINGTALK_TOKEN: &str = "Dt-Access-Token-77af";

const TIMEOUTS: Timeouts =
    Timeouts { connect: Duration::from_secs(1), attempt: Duration::from_millis(600), total: Duration::from_secs(4) };

/// A seed operation and the bodies it is tested with.
struct Seed {
    vendor: &'static str,
    op: &'static OperationMeta,
    params: &'static [(&'static str, &'static str)],
    body: Option<Value>,
    ok: Value,
    unknown_enum: Value,
    wrong_types: Value,
}

fn seeds() -> Vec<Seed> {
    vec![
        Seed {
            vendor: "openvox",
            op: confapi_openvox::generated::meta::op::CONFERENCE_QUERY_IN_SESSION,
            params: &[],
            body: Some(json!({"number": "8000"})),
            ok: json!({"status": "Success", "conference": [{"conferencenumber": "8000", "member": [{"number": "111", "memberstatus": "Up"}]}]}),
            unknown_enum: json!({"status": "Success", "conference": [{"member": [{"number": "111", "memberstatus": "RINGING"}]}]}),
            wrong_types: json!({"status": "Success", "conference": {"conferencenumber": "8000"}}),
        },
        Seed {
            vendor: "quanshi",
            op: confapi_quanshi::generated::meta::op::CONFERENCE_LISTBYSTATUS,
            params: &[],
            body: Some(json!({"page": 1, "count": 10})),
            ok: json!({"status": 0, "result": {"totalCount": 1, "confList": [{"eventId": 1, "title": "t", "status": 2}]}}),
            unknown_enum: json!({"status": 0, "result": {"confList": [{"eventId": 1, "status": 9, "hostAccountType": 42}]}}),
            wrong_types: json!({"status": 0, "result": {"confList": "none"}}),
        },
        Seed {
            vendor: "quanshi",
            op: confapi_quanshi::generated::meta::op::ROOM_CONFERENCE_INFOS,
            params: &[],
            body: Some(json!({"eventId": 1})),
            ok: json!({"status": 0, "result": [{"eventId": 1, "title": "t", "billingcode": "b"}]}),
            unknown_enum: json!({"status": 0, "result": {"eventId": 1, "calType": "X", "status": 7}}),
            wrong_types: json!({"status": 0, "result": [{"eventId": {"id": 1}}]}),
        },
        Seed {
            vendor: "dingtalk",
            op: confapi_dingtalk::generated::meta::op::QUERY_CONFERENCE_INFO,
            params: &[("conferenceId", "c1")],
            body: None,
            ok: json!({"confInfo": {"conferenceId": "c1", "status": 2, "bizType": "0"}}),
            unknown_enum: json!({"confInfo": {"conferenceId": "c1", "status": 5, "bizType": "webinar"}}),
            wrong_types: json!({"confInfo": "c1"}),
        },
    ]
}

#[derive(Clone, Copy)]
enum Fault {
    Refused,
    ResetMidBody,
    Slow,
    Status(u16),
    TooManyRequests,
    HtmlWith200,
    EmptyBody,
    TruncatedJson,
    WrongTypes,
    TenMegabytes,
    EndlessBody,
    OverTheLimit,
    UnknownEnum,
    ExtraFields,
}

const FAULTS: [(&str, Fault); 16] = [
    ("connection refused", Fault::Refused),
    ("reset mid-body", Fault::ResetMidBody),
    ("slower than the timeout", Fault::Slow),
    ("500", Fault::Status(500)),
    ("502", Fault::Status(502)),
    ("503", Fault::Status(503)),
    ("429 + Retry-After", Fault::TooManyRequests),
    ("HTML page, status 200", Fault::HtmlWith200),
    ("empty body", Fault::EmptyBody),
    ("truncated JSON", Fault::TruncatedJson),
    ("wrong JSON types", Fault::WrongTypes),
    ("10 MB body", Fault::TenMegabytes),
    ("endless body", Fault::EndlessBody),
    ("body over the 16 MiB limit", Fault::OverTheLimit),
    ("unknown enum value", Fault::UnknownEnum),
    ("extra unknown fields", Fault::ExtraFields),
];

/// What a cell must come to.
fn expected(fault: Fault) -> Result<(), (ErrorKind, Option<u16>)> {
    match fault {
        Fault::Refused => Err((ErrorKind::Connect, None)),
        Fault::ResetMidBody => Err((ErrorKind::Transport, Some(200))),
        Fault::Slow => Err((ErrorKind::Timeout, None)),
        Fault::Status(s) => Err((ErrorKind::Http, Some(s))),
        Fault::TooManyRequests => Err((ErrorKind::Throttled, Some(429))),
        Fault::HtmlWith200 => Err((ErrorKind::NotJson, Some(200))),
        Fault::EmptyBody => Err((ErrorKind::EmptyBody, Some(200))),
        Fault::TruncatedJson | Fault::WrongTypes => Err((ErrorKind::Decode, Some(200))),
        Fault::EndlessBody | Fault::OverTheLimit => Err((ErrorKind::BodyTooLarge, Some(200))),
        Fault::TenMegabytes | Fault::UnknownEnum | Fault::ExtraFields => Ok(()),
    }
}

fn fault_reply(seed: &Seed, fault: Fault) -> Reply {
    let ok = seed.ok.to_string();
    match fault {
        Fault::Refused => Reply::json(200, &seed.ok),
        Fault::ResetMidBody => Reply { cut_after: Some(ok.len() / 2), ..Reply::json(200, &seed.ok) },
        Fault::Slow => Reply { delay: Duration::from_secs(3), ..Reply::json(200, &seed.ok) },
        Fault::Status(s) => Reply::raw(s, "text/plain", "upstream failed"),
        Fault::TooManyRequests => {
            let mut r = Reply::raw(429, "text/plain", "slow down");
            r.headers.push(("retry-after".into(), "1".into()));
            r
        }
        Fault::HtmlWith200 => Reply::raw(200, "text/html", "<!DOCTYPE html><html><body>Maintenance</body></html>"),
        Fault::EmptyBody => Reply::raw(200, "application/json", ""),
        Fault::TruncatedJson => Reply::raw(200, "application/json", &ok[..ok.len() - 5]),
        Fault::WrongTypes => Reply::json(200, &seed.wrong_types),
        Fault::TenMegabytes => {
            let mut big = seed.ok.clone();
            big["padding"] = Value::String("x".repeat(10 * 1024 * 1024));
            Reply::json(200, &big)
        }
        // Chunked, no length announced; the server stops at 64 MiB or when the client hangs up.
        Fault::EndlessBody => Reply::endless("application/json", vec![b' '; 64 * 1024], 64 * 1024 * 1024),
        // A length announced past the default limit: refused before reading.
        Fault::OverTheLimit => {
            let mut big = seed.ok.clone();
            big["padding"] = Value::String("x".repeat(17 * 1024 * 1024));
            Reply::json(200, &big)
        }
        Fault::UnknownEnum => Reply::json(200, &seed.unknown_enum),
        Fault::ExtraFields => {
            let mut extra = seed.ok.clone();
            extra["addedIn2027"] = json!({"nested": [1, 2, 3]});
            Reply::json(200, &extra)
        }
    }
}

/// A server that logs the client in (OpenVox, DingTalk) and answers the
/// seed operation with the fault.
async fn faulty(seed: &Seed, fault: Fault) -> MockServer {
    let reply = fault_reply(seed, fault);
    MockServer::start(
        &confapi::vendor_infos(),
        move |r: &RecordedRequest| match r.path.as_str() {
            "/api/v0.0.1/login" => Reply::json(200, &json!({"status": "Success", "token": OPENVOX_TOKEN})),
            "/v1.0/oauth2/accessToken" => Reply::json(200, &json!({"accessToken": DINGTALK_TOKEN, "expireIn": 7200})),
            _ => reply.clone(),
        },
        0,
    )
    .await
    .unwrap()
}

/// Everything the suite printed, and the tracing output.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn secrets() -> Vec<String> {
    let md5: String = Md5::digest(PASSWORD.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    vec![PASSWORD.into(), md5, TOKEN.into(), OPENVOX_TOKEN.into(), DINGTALK_TOKEN.into()]
}

/// Where each secret occurs in `text`.
fn leaks(text: &str, secrets: &[String]) -> Vec<String> {
    secrets.iter().filter(|s| text.contains(s.as_str())).cloned().collect()
}

#[test]
fn the_scan_finds_a_planted_leak() {
    let planted = format!("Client {{ token: {:?} }}", OPENVOX_TOKEN);
    assert_eq!(leaks(&planted, &secrets()), [OPENVOX_TOKEN]);
    assert!(leaks("Client { token: SecretString([REDACTED]) }", &secrets()).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_matrix_and_secret_scan() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let mut out = captured.clone();

    let mut table = vec![format!(
        "| fault | {} |",
        seeds().iter().map(|s| format!("{} {}", s.vendor, s.op.id)).collect::<Vec<_>>().join(" | ")
    )];
    let mut failures = Vec::new();
    let started = Instant::now();
    for (name, fault) in FAULTS {
        let mut row = format!("| {name} |");
        for seed in seeds() {
            let server = faulty(&seed, fault).await;
            let url = match fault {
                Fault::Refused => {
                    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
                    format!("http://127.0.0.1:{port}")
                }
                _ => server.url(),
            };
            let params: BTreeMap<String, String> =
                seed.params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            let settings = Settings { timeouts: TIMEOUTS, ..Settings::default() };
            let cell_start = Instant::now();
            let result = dispatch(seed.vendor, &url, settings, seed.op.id, &params, seed.body.clone()).await;
            let took = cell_start.elapsed();
            let got = match &result {
                Ok(_) => Ok(()),
                Err(e) => {
                    let _ = writeln!(out, "{e}\n{e:?}");
                    Err((e.kind(), e.status()))
                }
            };
            let shown = match &got {
                Ok(()) => "decoded".to_owned(),
                Err((k, Some(s))) => format!("{k:?} (HTTP {s})"),
                Err((k, None)) => format!("{k:?}"),
            };
            row.push_str(&format!(" {shown} |"));
            if got != expected(fault) {
                failures.push(format!(
                    "{name} × {} {}: got {got:?}, expected {:?}",
                    seed.vendor,
                    seed.op.id,
                    expected(fault)
                ));
            }
            // Every cell ends within the total limit, with a margin for a loaded machine.
            if took > TIMEOUTS.total + Duration::from_secs(1) {
                failures.push(format!("{name} × {} {}: took {took:?}", seed.vendor, seed.op.id));
            }
        }
        table.push(row);
    }
    println!("{}\nmatrix ran in {:?}", table.join("\n"), started.elapsed());
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Debug of the clients and their builders, with sessions in hand.
    let server = faulty(&seeds()[0], Fault::ExtraFields).await;
    let ov = confapi_openvox::Client::builder(server.url(), "api", PASSWORD);
    let _ = writeln!(out, "{ov:?}");
    let ov = ov.build().unwrap();
    ov.query_in_session("8000").await.unwrap();
    let _ = writeln!(out, "{ov:?}\n{:?}", ov.conference_query_in_session());
    let dt = confapi_dingtalk::Client::builder().base_url(server.url()).app_credentials("api", PASSWORD);
    let _ = writeln!(out, "{dt:?}");
    let qs = confapi_quanshi::Client::builder().base_url(server.url()).token(TOKEN);
    let _ = writeln!(out, "{qs:?}\n{:?}", qs.clone().build().unwrap());

    let text = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(text.contains("confapi.call"), "tracing spans were captured");
    assert!(text.contains("[REDACTED]"), "redacted values were captured");
    let found = leaks(&text, &secrets());
    assert!(found.is_empty(), "secrets found in captured output: {found:?}");
}
