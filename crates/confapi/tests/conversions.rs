//! Each vendor's own types, decoded from recordings, converted to the model.

use confapi::{MemberState, Status};
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
    // The trunk a call came in on is not the caller's name.
    assert_eq!(c.members[0].name, None);
    let states: Vec<_> = c.members.iter().map(|m| (m.state.clone(), m.state_raw.as_deref())).collect();
    assert_eq!(states, [(MemberState::InMeeting, Some("ANSWER")), (MemberState::InMeeting, Some("ANSWERED"))]);
}

#[cfg(feature = "openvox")]
#[test]
fn openvox_empty_names_are_absent_and_states_are_mapped() {
    use confapi::confapi_openvox::types::InSessionResponse;
    let r: InSessionResponse = serde_json::from_value(body("openvox", "query-in-session-all-step-3")).unwrap();
    let rooms: Vec<_> = r.conference.iter().map(confapi::openvox::from_room).collect();
    let unnamed = rooms.iter().find(|c| c.id == "6600").unwrap();
    assert_eq!(unnamed.title, None, "an empty conferencename is no title");
    assert!(unnamed.members.iter().all(|m| m.name.is_none()), "{:?}", unnamed.members);
    let states: Vec<_> = unnamed.members.iter().map(|m| (m.state.clone(), m.state_raw.as_deref())).collect();
    assert_eq!(states, [(MemberState::InMeeting, Some("ANSWERED")), (MemberState::Waiting, Some("HOLD"))]);
    let r: InSessionResponse = serde_json::from_value(body("openvox", "query-in-session-all")).unwrap();
    let up = &confapi::openvox::from_room(&r.conference[0]).members[0];
    assert_eq!((up.state.clone(), up.state_raw.as_deref()), (MemberState::InMeeting, Some("Up")));
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

#[cfg(feature = "quanshi")]
#[test]
fn quanshi_invitees_have_their_answer_and_template_role() {
    use confapi::confapi_quanshi::types::InfosResponse;
    let m: InfosResponse = serde_json::from_value(body("quanshi", "infos-object-with-rooms")).unwrap();
    let meeting = confapi::quanshi::from_meeting(&m.result.unwrap().items()[0]);
    let invitee = &meeting.members[0];
    // roleId 1000 is the template's managerType 1, the host.
    assert_eq!(invitee.role.as_deref(), Some("host"), "{invitee:?}");
    assert_eq!(invitee.state, MemberState::Invited);
    assert_eq!(confapi::quanshi::invitation_state("R"), MemberState::Unknown("R".into()));
}

#[cfg(feature = "dingtalk")]
#[test]
fn dingtalk_attend_status_codes() {
    use confapi::dingtalk::member_state;
    let mapped: Vec<MemberState> = (0..=7).map(|c| member_state(c.into())).collect();
    assert_eq!(
        mapped,
        [
            MemberState::Unknown("0".into()),
            MemberState::Invited,
            MemberState::Invited,
            MemberState::InMeeting,
            MemberState::Left,
            MemberState::Left,
            MemberState::Left,
            MemberState::Unknown("7".into()),
        ]
    );
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
