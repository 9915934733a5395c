//! The documented discrepancies of `query_in_session`, decoded from the
//! recordings: the example's names and string numbers, the table's names
//! and integer numbers, and Yeastar's nested members.

use confapi_openvox::types::InSessionResponse;

fn response(name: &str) -> InSessionResponse {
    let path = confapi_mock::recorded_dir().join("openvox").join(format!("{name}.json"));
    let file = confapi_mock::load_file(&path).unwrap();
    serde_json::from_value(file.exchange.response.body).unwrap()
}

#[test]
fn seed_example_keeps_member_list_and_string_room_number() {
    let r = response("query-in-session-seed-example");
    let room = &r.conference[0];
    let number = room.conferencenumber.as_ref().unwrap();
    assert_eq!((number.as_str(), number.was_string()), ("8000", true));
    let members: Vec<&str> = room.member.iter().filter_map(|m| m.number.as_ref()).map(|n| n.as_str()).collect();
    assert_eq!(members, ["111", "114"]);
    assert_eq!(room.member[0].memberstatus.as_ref().map(|s| s.to_string()).as_deref(), Some("Up"));
}

#[test]
fn table_types_decode_too() {
    let r = response("query-in-session-numeric-fields");
    let room = &r.conference[0];
    let number = room.conferencenumber.as_ref().unwrap();
    assert_eq!((number.as_i64(), number.was_string()), (Some(6500), false));
    let from = room.member[0].from.as_ref().unwrap();
    assert_eq!((from.as_str(), from.was_string()), ("1001", false));
}

#[test]
fn table_names_and_nested_members_land_in_the_same_fields() {
    let r = response("query-in-session-table-shape");
    let room = &r.conference[0];
    assert_eq!(room.conferencenumber.as_ref().unwrap().as_str(), "0800");
    let nested = &room.member[0];
    assert_eq!(nested.outbound[0].from.as_ref().unwrap().as_str(), "4001");
    assert_eq!(nested.ext[0].number.as_ref().unwrap().as_str(), "4000");
}
