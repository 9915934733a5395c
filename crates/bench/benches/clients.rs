//! Criterion benches of the same measurements: `cargo bench -p confapi-bench`.

use confapi_bench::*;
use criterion::{criterion_group, criterion_main, Criterion};

fn decode(c: &mut Criterion) {
    let corpus = decode_corpus();
    let mut g = c.benchmark_group("decode recorded bodies");
    g.bench_function("typed", |b| b.iter(|| decode_typed(std::hint::black_box(&corpus))));
    g.bench_function("serde_json::Value", |b| b.iter(|| decode_value(std::hint::black_box(&corpus))));
    g.finish();
}

fn call(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("tokio");
    let server = rt.block_on(replay_server(Vec::new()));
    let (ov, _, _) = clients(&server.url());
    let raw = reqwest::Client::new();
    let url = server.url();
    let _ = rt.block_on(ov.query_in_session("all"));
    let mut g = c.benchmark_group("openvox query_in_session over loopback");
    g.bench_function("confapi client", |b| b.iter(|| rt.block_on(ov.query_in_session("all")).map(|r| r.len())));
    g.bench_function("raw reqwest + serde_json", |b| {
        b.iter(|| {
            rt.block_on(async {
                let r = raw
                    .post(format!("{url}/api/v0.0.1/conference/query_in_session?token=t"))
                    .json(&serde_json::json!({"number": "all"}))
                    .send()
                    .await
                    .ok()?;
                serde_json::from_slice::<serde_json::Value>(&r.bytes().await.ok()?).ok()
            })
        })
    });
    g.finish();
}

criterion_group!(benches, decode, call);
criterion_main!(benches);
