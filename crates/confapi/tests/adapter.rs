//! A stand-in vendor joins the facade through the public `Adapter` trait
//! alone: no file of the facade changes.

use confapi::adapter::{operation_in, perform_with, Handler, VendorFuture};
use confapi::watch::PollCost;
use confapi::{
    Action, Adapter, Capabilities, Confapi, Conference, ErrorKind, Listing, Outcome, Request, Status, Vendor,
};
use confapi_core::OperationMeta;
use std::sync::atomic::{AtomicU64, Ordering};

const FAKE: Vendor = Vendor::new("fakevox");

/// The stand-in's one operation, as a generated spec would describe it.
static END_CALL: OperationMeta = OperationMeta {
    id: "end_call",
    method: "POST",
    path: "/calls/{id}/end",
    safe: false,
    authenticated: true,
    success_status: 200,
    success_shape: None,
    error_shape: None,
};

#[derive(Debug, Default)]
struct Fakevox {
    sent: AtomicU64,
}

static HANDLERS: &[Handler<Fakevox>] = &[Handler { action: Action::End, operation: &END_CALL, run: end }];

fn end<'a>(client: &'a Fakevox, request: &'a Request) -> VendorFuture<'a, Outcome> {
    client.sent.fetch_add(1, Ordering::SeqCst);
    let conference = request.conference().unwrap_or_default().to_owned();
    Box::pin(async move { Ok(Outcome::of(FAKE, Action::End, conference)) })
}

impl Adapter for Fakevox {
    fn vendor(&self) -> Vendor {
        FAKE
    }
    fn live(&self, _: Listing) -> VendorFuture<'_, Vec<Conference>> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(vec![Conference::new(FAKE, "call-1", Status::Live)]) })
    }
    fn conference<'a>(&'a self, id: &'a str) -> VendorFuture<'a, Conference> {
        Box::pin(async move { Ok(Conference::new(FAKE, id, Status::Live)) })
    }
    fn operation(&self, action: Action) -> Option<&'static OperationMeta> {
        operation_in(HANDLERS, action)
    }
    fn perform<'a>(&'a self, request: &'a Request) -> VendorFuture<'a, Outcome> {
        perform_with(HANDLERS, FAKE, self, request)
    }
    fn poll_cost(&self) -> PollCost {
        PollCost::new(1, 0)
    }
    fn calls_sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }
}

#[tokio::test]
async fn a_fake_vendor_lists_acts_and_reports_beside_the_built_in_ones() {
    // A built-in account that cannot answer (nothing listens there), beside two stand-ins.
    let dead = confapi_openvox::Client::builder("http://127.0.0.1:9", "api", "pw").build().unwrap();
    let api = Confapi::new()
        .with_account("site-a", Fakevox::default())
        .with_account("hq", dead)
        .with_account("site-b", Fakevox::default());
    assert_eq!(api.vendors(), [FAKE, Vendor::OPENVOX]);

    let answers = api.live_conferences().await;
    let names: Vec<&str> = answers.iter().map(|a| a.account.as_str()).collect();
    assert_eq!(names, ["site-a", "hq", "site-b"]);
    let listed = answers[2].result.as_ref().unwrap();
    assert_eq!((listed[0].account.as_str(), listed[0].vendor, listed[0].id.as_str()), ("site-b", FAKE, "call-1"));
    // The dead account's error names it; the others still answer.
    let e = answers[1].result.as_ref().unwrap_err();
    assert_eq!(e.account(), Some("hq"));
    assert!(e.to_string().starts_with("hq (openvox)"), "{e}");

    // Its action table is its capabilities and its dispatch.
    let can = api.capabilities("site-a").unwrap();
    assert_eq!(can.actions(), [Action::End]);
    assert_eq!(Capabilities::of_adapter(&Fakevox::default()).operation(Action::End).map(|op| op.id), Some("end_call"));
    let done = api.act("site-a", &Request::End { conference: "call-1".into(), by: None }).await.unwrap();
    assert_eq!((done.account.as_str(), done.vendor, done.conference.as_str()), ("site-a", FAKE, "call-1"));
    let kick = Request::Kick { conference: "call-1".into(), member: "x".into() };
    let e = api.act("site-b", &kick).await.unwrap_err();
    assert_eq!((e.kind(), e.account()), (ErrorKind::Unsupported, Some("site-b")));

    let one = api.conference("site-b", "call-9").await.unwrap();
    assert_eq!((one.account.as_str(), one.id.as_str()), ("site-b", "call-9"));
    assert_eq!(api.conference("nobody", "x").await.unwrap_err().kind(), ErrorKind::Config);
}
