//! The paged lists as streams: all items of every page, and always an end.

use confapi_mock::{MockServer, RecordedRequest, Reply};
use confapi_quanshi::Client;
use futures::StreamExt;
use serde_json::{json, Value};

fn page_of(ids: &[i64], total: Option<i64>) -> Value {
    let list: Vec<Value> = ids.iter().map(|id| json!({"eventId": id, "conferenceId": id.to_string()})).collect();
    let mut result = json!({"confList": list});
    if let Some(t) = total {
        result["totalCount"] = json!(t);
    }
    json!({"status": 0, "msg": "success", "result": result})
}

async fn server(reply: impl Fn(i64) -> Value + Send + Sync + 'static) -> MockServer {
    MockServer::start(
        &[&confapi_quanshi::generated::meta::VENDOR],
        move |r: &RecordedRequest| Reply::json(200, &reply(r.body["page"].as_i64().unwrap_or(1))),
        0,
    )
    .await
    .unwrap()
}

async fn ids(client: &Client) -> Vec<i64> {
    client.live_conferences(2).map(|c| c.unwrap().event_id.map(|e| e.get()).unwrap_or(-1)).collect().await
}

fn client(url: &str) -> Client {
    Client::builder().base_url(url).token("t0ken-for-tests").build().unwrap()
}

#[tokio::test]
async fn three_pages_then_an_empty_one() {
    let s = server(|page| match page {
        1 => page_of(&[1, 2], None),
        2 => page_of(&[3, 4], None),
        3 => page_of(&[5], None),
        _ => page_of(&[], None),
    })
    .await;
    assert_eq!(ids(&client(&s.url())).await, [1, 2, 3, 4, 5]);
    assert_eq!(s.requests().len(), 4);
}

#[tokio::test]
async fn stops_at_total_count_without_asking_for_more() {
    let s = server(|page| page_of(&[page * 10, page * 10 + 1], Some(4))).await;
    assert_eq!(ids(&client(&s.url())).await, [10, 11, 20, 21]);
    assert_eq!(s.requests().len(), 2);
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_still_ends() {
    let s = server(|_| page_of(&[7, 8], Some(1000))).await;
    assert_eq!(ids(&client(&s.url())).await, [7, 8]);
    assert_eq!(s.requests().len(), 2);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_yielding_it() {
    let s = server(|page| if page == 1 { page_of(&[1, 2], None) } else { json!({"status": 9, "msg": "busy"}) }).await;
    let items: Vec<_> = client(&s.url()).live_conferences(2).collect().await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[2].as_ref().unwrap_err().code(), Some("9"));
}

#[tokio::test]
async fn attendees_page_through_too() {
    let s = MockServer::start(
        &[&confapi_quanshi::generated::meta::VENDOR],
        |r: &RecordedRequest| {
            let page = r.body["page"].as_i64().unwrap_or(1);
            let list: Vec<Value> = if page <= 2 { vec![json!({"tempUserId": page, "name": "n"})] } else { vec![] };
            Reply::json(200, &json!({"status": 0, "result": {"list": list}}))
        },
        0,
    )
    .await
    .unwrap();
    let c = client(&s.url());
    let got: Vec<i64> =
        c.attendees(42, 1).map(|a| a.unwrap().temp_user_id.map(|t| t.get()).unwrap_or(-1)).collect().await;
    assert_eq!(got, [1, 2]);
    assert_eq!(s.requests()[0].body, json!({"eventId": 42, "page": 1, "count": 1}));
}

#[tokio::test]
async fn the_replay_server_serves_three_recorded_pages_then_an_empty_one() {
    use confapi_mock::{Exchange, RecordedRequest as Req, RecordedResponse, Replay};
    let page = |n: i64, ids: &[i64]| Exchange {
        vendor: "quanshi".into(),
        step: None,
        request: Req {
            method: "POST".into(),
            path: "/confopenapi/conference/listbystatus".into(),
            query: Default::default(),
            headers: Default::default(),
            body: json!({"page": n, "count": 2}),
        },
        response: RecordedResponse {
            status: 200,
            headers: Default::default(),
            body: page_of(ids, None),
            body_text: None,
        },
    };
    let replay = Replay::new(
        vec![page(1, &[1, 2]), page(2, &[3, 4]), page(3, &[5, 6]), page(4, &[])],
        &[&confapi_quanshi::generated::meta::VENDOR],
    );
    let s = MockServer::start(&[&confapi_quanshi::generated::meta::VENDOR], replay, 0).await.unwrap();
    assert_eq!(ids(&client(&s.url())).await, [1, 2, 3, 4, 5, 6]);
    assert_eq!(s.requests().len(), 4);
}
