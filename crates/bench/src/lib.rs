//! The measurements behind `confapi-bench` and its criterion benches. Every
//! figure is a ratio against a floor measured in the same run, because the
//! machines are shared and noisy.

use confapi_core::meta::ParseFn;
use confapi_mock::{MockServer, RecordedRequest, Replay, Reply, Responder};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod watch_scale;
pub use watch_scale::{watch_scale, WatchScale};

/// Median of some durations.
pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Every recorded success body with the generated decoder of its operation.
pub fn decode_corpus() -> Vec<(ParseFn, Vec<u8>)> {
    let vendors = confapi::vendor_infos();
    let mut corpus = Vec::new();
    for file in confapi_mock::embedded().unwrap_or_default() {
        let e = file.exchange;
        let Some(info) = vendors.iter().find(|v| v.name == e.vendor) else { continue };
        let Some((op, _)) = info.find_operation(&e.request.method, &e.request.path) else { continue };
        if e.response.status == op.success_status && !e.response.body.is_null() {
            let Some(decoders) = info.decoders_of(op) else { continue };
            corpus.push((decoders.parse_success, e.response.body.to_string().into_bytes()));
        }
    }
    corpus
}

/// One pass over the corpus with the typed decoders.
pub fn decode_typed(corpus: &[(ParseFn, Vec<u8>)]) -> usize {
    corpus.iter().filter(|(parse, bytes)| parse(bytes).is_ok()).count()
}

/// One pass over the corpus into `serde_json::Value`.
pub fn decode_value(corpus: &[(ParseFn, Vec<u8>)]) -> usize {
    corpus.iter().filter(|(_, bytes)| serde_json::from_slice::<serde_json::Value>(bytes).is_ok()).count()
}

/// Median time of one pass, typed and `Value`, interleaved; and the ratio.
pub fn decode_ratio(corpus: &[(ParseFn, Vec<u8>)], passes: usize) -> (Duration, Duration, f64) {
    let (mut typed, mut value) = (Vec::new(), Vec::new());
    for _ in 0..passes {
        let t = Instant::now();
        std::hint::black_box(decode_typed(std::hint::black_box(corpus)));
        typed.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(decode_value(std::hint::black_box(corpus)));
        value.push(t.elapsed());
    }
    let (t, v) = (median(typed), median(value));
    (t, v, t.as_secs_f64() / v.as_secs_f64())
}

/// The replay server with every recording, answering `vendor`'s requests
/// after `delay` (auth calls excepted).
pub async fn replay_server(delays: Vec<(&'static str, Duration)>) -> MockServer {
    let recordings: Vec<_> = confapi_mock::embedded().unwrap_or_default().into_iter().map(|f| f.exchange).collect();
    struct Delayed {
        replay: Replay,
        delays: Vec<(&'static str, Duration)>,
    }
    impl Responder for Delayed {
        fn reply(&self, r: &RecordedRequest) -> Reply {
            let mut reply = self.replay.reply(r);
            let auth = r.path.ends_with("/login") || r.path.contains("/oauth2/");
            if let Some((_, d)) = self.delays.iter().find(|(prefix, _)| r.path.starts_with(prefix)) {
                if !auth {
                    reply.delay = *d;
                }
            }
            reply
        }
    }
    MockServer::start(
        &confapi::vendor_infos(),
        Delayed { replay: Replay::new(recordings, &confapi::vendor_infos()), delays },
        0,
    )
    .await
    .expect("replay server starts")
}

/// Path prefixes of each vendor's API.
pub const OPENVOX: &str = "/api/v0.0.1/";
/// See [`OPENVOX`].
pub const QUANSHI: &str = "/confopenapi/";
/// See [`OPENVOX`].
pub const DINGTALK: &str = "/v1.0/";

/// A client-side limit far above any load here: the limiter runs on every
/// call and never holds one back, so its own cost is what is measured.
pub const FAR_LIMIT: confapi_core::RateLimit = confapi_core::RateLimit::per_second_per_operation(10_000_000);

/// The three clients pointed at `url`, with the recordings' credentials and
/// the client-side limiter on at [`FAR_LIMIT`].
pub fn clients(url: &str) -> (confapi_openvox::Client, confapi_quanshi::Client, confapi_dingtalk::Client) {
    (
        confapi_openvox::Client::builder(url, "api", "password").rate_limit(FAR_LIMIT).build().expect("openvox client"),
        confapi_quanshi::Client::builder()
            .base_url(url)
            .token("bench-token")
            .rate_limit(FAR_LIMIT)
            .build()
            .expect("quanshi client"),
        confapi_dingtalk::Client::builder()
            .base_url(url)
            .app_credentials("api", "password")
            .rate_limit(FAR_LIMIT)
            .build()
            .expect("dingtalk client"),
    )
}

/// `n` concurrent DingTalk reads on a default client against a gateway
/// that allows `limit` per second per API and refuses the rest as DingTalk
/// does (HTTP 403 `QpsLimitForAppkeyAndApi`): the time they took, its ratio
/// to `n / limit` seconds, the calls that failed, and the most requests the
/// gateway saw in any second.
pub async fn rate_limit_ratio(n: usize, limit: usize) -> (Duration, f64, usize, usize) {
    let recordings: Vec<_> = confapi_mock::embedded().unwrap_or_default().into_iter().map(|f| f.exchange).collect();
    let refusal = Reply::json(
        403,
        &serde_json::json!({"code": "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", "message": "too fast"}),
    );
    let gateway = Arc::new(confapi_mock::RateLimited::new(
        Replay::new(recordings, &confapi::vendor_infos()),
        limit,
        Duration::from_secs(1),
        refusal,
    ));
    let seen = gateway.clone();
    let server = MockServer::start(&confapi::vendor_infos(), move |r: &RecordedRequest| seen.reply(r), 0)
        .await
        .expect("gateway starts");
    let dingtalk = confapi_dingtalk::Client::builder()
        .base_url(server.url())
        .app_credentials("api", "password")
        .build()
        .expect("dingtalk client");
    // The token first, then a quiet span, so only the reads are timed.
    let _ = dingtalk.conference("6449d8a6414c0000001464af9f0").await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let t = Instant::now();
    let calls = (0..n).map(|_| {
        let dt = dingtalk.clone();
        tokio::spawn(async move { dt.conference("6449d8a6414c0000001464af9f0").await.is_ok() })
    });
    let ok = futures::future::join_all(calls).await.into_iter().filter(|r| matches!(r, Ok(true))).count();
    let took = t.elapsed();
    let floor = n as f64 / limit as f64;
    (took, took.as_secs_f64() / floor, n - ok, gateway.densest())
}

/// A call per vendor through our client, and the same request with raw
/// reqwest + serde_json: (vendor, ours, raw) medians over `n` calls each.
pub async fn call_ratios(n: usize) -> Vec<(&'static str, Duration, Duration)> {
    let server = replay_server(Vec::new()).await;
    let url = server.url();
    let (ov, qs, dt) = clients(&url);
    let raw = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("reqwest client");
    // Warm up: logins and tokens are cached before measuring.
    let _ = ov.query_in_session("all").await;
    let _ = dt.conference("6449d8a6414c0000001464af9f0").await;
    let mut out = Vec::new();

    let ours = || async { ov.query_in_session("all").await.map(|r| r.len()).unwrap_or(0) };
    let bare = || async {
        let r = raw
            .post(format!("{url}/api/v0.0.1/conference/query_in_session"))
            .query(&[("token", "REDACTED")])
            .json(&serde_json::json!({"number": "all"}))
            .send()
            .await;
        raw_json(r).await
    };
    let (a, b) = interleave(n, ours, bare).await;
    out.push(("openvox query_in_session", a, b));

    let ours =
        || async { qs.live_conferences_page(1, 50).await.map(|p| p.total_count.is_some() as usize).unwrap_or(0) };
    let bare = || async {
        let r = raw
            .post(format!("{url}/confopenapi/conference/listbystatus"))
            .header("token", "bench-token")
            .json(&serde_json::json!({"page": 1, "count": 50}))
            .send()
            .await;
        raw_json(r).await
    };
    let (a, b) = interleave(n, ours, bare).await;
    out.push(("quanshi listbystatus", a, b));

    let ours = || async { dt.conference("6449d8a6414c0000001464af9f0").await.is_ok() as usize };
    let bare = || async {
        let r = raw
            .get(format!("{url}/v1.0/conference/videoConferences/6449d8a6414c0000001464af9f0"))
            .header("x-acs-dingtalk-access-token", "REDACTED")
            .send()
            .await;
        raw_json(r).await
    };
    let (a, b) = interleave(n, ours, bare).await;
    out.push(("dingtalk query_conference_info", a, b));
    out
}

/// The three calls the throughput test cycles through, ours and raw.
const THROUGHPUT_PATHS: [&str; 3] = [
    "/api/v0.0.1/conference/query_in_session",
    "/confopenapi/conference/listbystatus",
    "/v1.0/conference/videoConferences/6449d8a6414c0000001464af9f0",
];

/// Calls per second with `tasks` concurrent tasks making `per_task` calls
/// each (cycling over one call per vendor) against the replay server: ours,
/// and raw reqwest + `serde_json::Value` doing the same requests. Rounds
/// alternate; the medians are returned with their ratio (ours / raw).
pub async fn throughput_ratio(tasks: usize, per_task: usize, rounds: usize) -> (f64, f64, f64) {
    let server = replay_server(Vec::new()).await;
    let url = server.url();
    let (ov, qs, dt) = clients(&url);
    let clients = Arc::new((ov, qs, dt));
    let raw = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("reqwest client");
    // Warm up: sessions, tokens and connections.
    let _ = clients.0.query_in_session("all").await;
    let _ = clients.2.conference("6449d8a6414c0000001464af9f0").await;
    let ours_call = move |n: usize| {
        let clients = clients.clone();
        async move {
            let (ov, qs, dt) = &*clients;
            match n % 3 {
                0 => ov.query_in_session("all").await.is_ok() as usize,
                1 => qs.live_conferences_page(1, 50).await.is_ok() as usize,
                _ => dt.conference("6449d8a6414c0000001464af9f0").await.is_ok() as usize,
            }
        }
    };
    let raw_call = move |n: usize| {
        let (raw, url) = (raw.clone(), url.clone());
        async move {
            let path = THROUGHPUT_PATHS[n % 3];
            let request = match n % 3 {
                0 => raw
                    .post(format!("{url}{path}"))
                    .query(&[("token", "REDACTED")])
                    .json(&serde_json::json!({"number": "all"})),
                1 => raw
                    .post(format!("{url}{path}"))
                    .header("token", "bench-token")
                    .json(&serde_json::json!({"page": 1, "count": 50})),
                _ => raw.get(format!("{url}{path}")).header("x-acs-dingtalk-access-token", "REDACTED"),
            };
            raw_json(request.send().await).await
        }
    };
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        ours.push(calls_per_second(tasks, per_task, ours_call.clone(), "our").await);
        theirs.push(calls_per_second(tasks, per_task, raw_call.clone(), "raw").await);
    }
    let median_f = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let (a, b) = (median_f(ours), median_f(theirs));
    (a, b, a / b)
}

/// Calls per second of `tasks` concurrent tasks making `per_task` calls
/// each; `call(n)` makes call number `n` and gives 1 when it worked.
async fn calls_per_second<C, F>(tasks: usize, per_task: usize, call: C, whose: &str) -> f64
where
    C: Fn(usize) -> F + Clone + Send + 'static,
    F: std::future::Future<Output = usize> + Send,
{
    let t = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|task| {
            let call = call.clone();
            tokio::spawn(async move {
                let mut ok = 0;
                for i in 0..per_task {
                    ok += call(task + i).await;
                }
                ok
            })
        })
        .collect();
    let mut done = 0;
    for h in handles {
        done += h.await.unwrap_or(0);
    }
    assert_eq!(done, tasks * per_task, "{whose} calls failed");
    done as f64 / t.elapsed().as_secs_f64()
}

/// What the raw peer does with a response: read it into a `Value`
/// (1 when that worked, for the interleaving's success check).
async fn raw_json(r: reqwest::Result<reqwest::Response>) -> usize {
    match r {
        Ok(r) => {
            r.bytes().await.ok().and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok()).is_some() as usize
        }
        Err(_) => 0,
    }
}

/// Runs `a` and `b` alternately `n` times each; the median of each.
async fn interleave<A, B, FA, FB>(n: usize, a: A, b: B) -> (Duration, Duration)
where
    A: Fn() -> FA,
    B: Fn() -> FB,
    FA: std::future::Future<Output = usize>,
    FB: std::future::Future<Output = usize>,
{
    let (mut sa, mut sb) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        let t = Instant::now();
        assert!(a().await > 0, "our call failed");
        sa.push(t.elapsed());
        let t = Instant::now();
        assert!(b().await > 0, "raw call failed");
        sb.push(t.elapsed());
    }
    (median(sa), median(sb))
}

/// `n` concurrent DingTalk calls on a cold token cache: how many token
/// requests the server saw.
pub async fn token_fetches(n: usize) -> usize {
    let server = replay_server(Vec::new()).await;
    let (_, _, dt) = clients(&server.url());
    let dt = Arc::new(dt);
    let calls: Vec<_> = (0..n)
        .map(|_| {
            let dt = dt.clone();
            tokio::spawn(async move { dt.conference("6449d8a6414c0000001464af9f0").await.is_ok() })
        })
        .collect();
    for c in calls {
        assert!(c.await.unwrap_or(false), "a call failed");
    }
    server.requests().iter().filter(|r| r.path == "/v1.0/oauth2/accessToken").count()
}

/// The facade's live-conference fan-out when every vendor answers after
/// `delay`: wall time divided by `delay` (1.0 is the floor: one vendor's wait).
pub async fn fanout_ratio(delay: Duration, rounds: usize) -> (Duration, f64) {
    let server = replay_server(vec![(OPENVOX, delay), (QUANSHI, delay), (DINGTALK, delay)]).await;
    let (ov, qs, dt) = clients(&server.url());
    let api =
        confapi::Confapi::new().with_account("openvox", ov).with_account("quanshi", qs).with_account("dingtalk", dt);
    // Warm up the sessions and tokens; the fan-out is what is measured.
    for answer in api.live_conferences().await {
        assert!(answer.result.is_ok(), "{} failed", answer.vendor);
    }
    let mut samples = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let answers = api.live_conferences().await;
        samples.push(t.elapsed());
        assert!(answers.iter().all(|a| a.result.is_ok()));
    }
    let wall = median(samples);
    (wall, wall.as_secs_f64() / delay.as_secs_f64())
}
