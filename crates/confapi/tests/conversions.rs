//! Each vendor's own types, decoded from recordings, converted to the model.

use confapi::Status;
use serde_json::Value;

#[allow(dead_code)]
fn body(vendor: &str, name: &str) -> Value {
    let path = confapi_mock::recorded_dir().join(vendor).join(format!("{name}.json"));
    confapi_mock::load_file(&path).unwrap().exchange.response.body
}

#[cfg(feature = "openvox")]
#[test]
fn openvox_nested_members_are_flattened() {
    use confapi::confapi_openvox::types::InSessionResponse;
    let r: InSessionResponse = serde_json::from_value(body("openvox", "query-in-session-table-shape")).unwrap();
    let c = confapi::openvox::from_room(&r.conference[0]);
    assert_eq!((c.id.as_str(), c.title.as_deref(), c.status), ("0800", Some("Board"), Status::Live));
    let ids: Vec<_> = c.members.iter().filter_map(|m| m.id.as_deref()).collect();
    assert_eq!(ids, ["4001", "4000"]);
    assert_eq!(c.members[0].name.as_deref(), Some("via GSM-1"));
}

#[cfg(feature = "quanshi")]
#[test]
fn quanshi_seconds_and_table_or_example_names() {
    use confapi::confapi_quanshi::types::{InfosResponse, ListByStatusResponse};
    let r: ListByStatusResponse = serde_json::from_value(body("quanshi", "listbystatus-seed-example")).unwrap();
    let list = r.result.unwrap().conf_list.unwrap();
    let c = confapi::quanshi::from_live(&list[0]);
    assert_eq!((c.id.as_str(), c.title.as_deref(), c.status.clone()), ("1165158", Some("周例会"), Status::Live));
    assert_eq!(c.start.unwrap().to_rfc3339(), "2024-05-13T11:33:20+00:00");
    assert_eq!((c.end, c.participants.active, c.host.as_deref()), (None, Some(5), Some("张三")));
    let m: InfosResponse = serde_json::from_value(body("quanshi", "infos-seed-example")).unwrap();
    let meeting = confapi::quanshi::from_meeting(&m.result.unwrap().items()[0]);
    assert_eq!((meeting.status, meeting.members.len()), (Status::Scheduled, 1));
    assert_eq!(meeting.end.map(|t| t.timestamp()), Some(1708486200));
}

#[cfg(feature = "dingtalk")]
#[test]
fn dingtalk_milliseconds_and_status_order() {
    use confapi::confapi_dingtalk::types::ConferenceInfoResponse;
    let r: ConferenceInfoResponse =
        serde_json::from_value(body("dingtalk", "query-conference-info-seed-example")).unwrap();
    let c = confapi::dingtalk::from_info(&r.conf_info.unwrap());
    assert_eq!(c.status, Status::Ended);
    assert_eq!(c.start.map(|t| t.timestamp_millis()), Some(1664175001000));
    assert_eq!((c.participants.active, c.participants.total, c.participants.invited), (Some(10), Some(15), Some(20)));
    assert!(c.join_url.unwrap().starts_with("https://meeting.dingtalk.io/"));
}

#[test]
fn the_model_has_a_json_schema() {
    let schema = serde_json::to_value(confapi::conference_schema()).unwrap();
    assert_eq!(schema["title"], "Conference");
    assert!(schema["properties"]["status"].is_object());
    assert!(schema.to_string().contains("date-time"));
}
