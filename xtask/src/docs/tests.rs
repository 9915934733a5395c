//! docs-check on pages of our own (`xtask/testdata/docs/`), one per format,
//! each against the same small spec, with one change planted at a time.

use super::compare::{compare, Level};
use super::spec::Spec;
use super::{line, parse};

const SPEC: &str = include_str!("../../testdata/docs/spec.yaml");
const OPENVOX: &str = include_str!("../../testdata/docs/openvox/rooms-query.md");
const QUANSHI: &str = include_str!("../../testdata/docs/quanshi/meeting-detail.txt");
const DINGTALK: &str = include_str!("../../testdata/docs/dingtalk/desk-get.txt");

/// The findings of `page` (of `vendor`) at `levels`, as printed.
fn findings(vendor: &str, page: &str, spec: &str, levels: &[Level]) -> Vec<String> {
    let spec = Spec::from_yaml(spec).unwrap();
    let (found, _) = compare(&parse(vendor, page), &spec);
    found.iter().filter(|f| levels.contains(&f.level)).map(line).collect()
}

/// `text` with `from` (which must occur once) replaced.
fn planted(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replace(from, to)
}

const NOT_INFO: &[Level] = &[Level::Unhandled, Level::Acknowledged];
const UNHANDLED: &[Level] = &[Level::Unhandled];

#[test]
fn own_pages_pass_with_their_handled_conflicts_acknowledged() {
    assert_eq!(
        findings("openvox", OPENVOX, SPEC, NOT_INFO),
        vec![
            "openvox rooms_query rooms: page says name room; spec says an alias of rooms (x-confapi-aliases) [acknowledged]",
            "openvox rooms_query rooms.roomnumber: page says Integer (table), string of digits \"7001\" (example); spec says NumberOrString: accepts both, and an x-confapi note says why [acknowledged]",
        ]
    );
    assert_eq!(
        findings("quanshi", QUANSHI, SPEC, NOT_INFO),
        vec!["quanshi meeting_detail data.beginAt: page says string (table), integer 1700000000 (example); spec says NumberOrString: accepts both, and an x-confapi note says why [acknowledged]"]
    );
    assert!(findings("dingtalk", DINGTALK, SPEC, NOT_INFO).is_empty());
}

#[test]
fn pages_are_read_in_all_three_formats() {
    let counts = |vendor, page| compare(&parse(vendor, page), &Spec::from_yaml(SPEC).unwrap()).1;
    let c = counts("openvox", OPENVOX);
    assert_eq!((c.operations, c.fields, c.examples), (1, 10, 2));
    let c = counts("quanshi", QUANSHI);
    assert_eq!((c.operations, c.fields, c.examples), (1, 9, 2));
    let c = counts("dingtalk", DINGTALK);
    assert_eq!((c.operations, c.fields, c.examples), (1, 8, 1));
    let desk = parse("dingtalk", DINGTALK);
    assert_eq!(desk.response[0].name, "deskInfo");
    assert_eq!(desk.response[0].children[2].children[1].name, "watts");
}

#[test]
fn a_new_response_field_in_a_table_is_reported() {
    let page = planted(
        OPENVOX,
        "| roomname | String | 房间名。 |\n",
        "| roomname | String | 房间名。 |\n| capacity | Integer | 座位数。 |\n",
    );
    assert_eq!(
        findings("openvox", &page, SPEC, UNHANDLED),
        vec!["openvox rooms_query rooms.capacity: page says field capacity (Integer (table)); spec says not declared under this name or an alias [UNHANDLED]"]
    );
}

#[test]
fn a_new_field_in_an_example_is_reported() {
    let page = planted(OPENVOX, "\"roomname\": \"小会议室\",", "\"roomname\": \"小会议室\", \"floor\": 3,");
    assert_eq!(
        findings("openvox", &page, SPEC, UNHANDLED),
        vec!["openvox rooms_query rooms.floor: page says field floor (integer 3 (example)); spec says not declared under this name or an alias [UNHANDLED]"]
    );
}

#[test]
fn a_changed_type_is_reported() {
    let page = planted(QUANSHI, "hostUid long 主持人编号", "hostUid double 主持人编号");
    assert_eq!(
        findings("quanshi", &page, SPEC, UNHANDLED),
        vec!["quanshi meeting_detail data.hostUid: page says double (table); spec says LenientInt, which rejects it [UNHANDLED]"]
    );
}

#[test]
fn a_removed_field_is_reported_for_information() {
    let page = planted(DINGTALK, "seatCountInteger座位数。\n", "");
    let page = planted(&page, "    \"seatCount\" : 4,\n", "");
    assert!(findings("dingtalk", &page, SPEC, UNHANDLED).is_empty());
    assert_eq!(
        findings("dingtalk", &page, SPEC, &[Level::Info]),
        vec!["dingtalk desk_get deskInfo.seatCount: page says nothing; spec says LenientInt (declared) [info]"]
    );
}

#[test]
fn a_new_operation_is_reported() {
    let page = planted(DINGTALK, "/v3/desks/{deskId}\n", "/v3/desks/{deskId}/lamps\n");
    assert_eq!(
        findings("dingtalk", &page, SPEC, UNHANDLED),
        vec!["dingtalk GET /v3/desks/{deskId}/lamps: page says operation GET /v3/desks/{deskId}/lamps; spec says no such operation [UNHANDLED]"]
    );
}

#[test]
fn a_table_example_conflict_the_spec_rejects_is_reported() {
    let page = planted(QUANSHI, "\"tags\": [\"财务\"]", "\"tags\": \"财务\"");
    assert_eq!(
        findings("quanshi", &page, SPEC, UNHANDLED),
        vec!["quanshi meeting_detail data.tags: page says string \"财务\" (example); spec says array of string, which rejects it [UNHANDLED]"]
    );
}

#[test]
fn a_conflict_accepted_without_a_note_is_not_handled() {
    let spec = planted(SPEC, "          x-confapi-note: Typed string, sent as epoch seconds.\n", "");
    assert_eq!(
        findings("quanshi", QUANSHI, &spec, UNHANDLED),
        vec!["quanshi meeting_detail data.beginAt: page says string (table), integer 1700000000 (example); spec says NumberOrString: accepts both, but no x-confapi note on the property, its schema or the operation says why [UNHANDLED]"]
    );
}

#[test]
fn a_note_without_acceptance_is_not_handled() {
    let spec = planted(
        SPEC,
        "          $ref: '#/components/schemas/Flexible'\n          x-confapi-note: Typed string",
        "          type: string\n          x-confapi-note: Typed string",
    );
    assert_eq!(
        findings("quanshi", QUANSHI, &spec, UNHANDLED),
        vec!["quanshi meeting_detail data.beginAt: page says integer 1700000000 (example); spec says string, which rejects it [UNHANDLED]"]
    );
}

#[test]
fn a_parameter_in_the_wrong_place_or_missing_is_reported() {
    let page = planted(DINGTALK, "deskIdString是办公桌编号。\n", "deskIdString是办公桌编号。\n");
    let page = planted(&page, "路径参数\n", "路径参数\n\n名称类型是否必填描述\nshelfIdString否书架。\n");
    assert_eq!(
        findings("dingtalk", &page, SPEC, UNHANDLED),
        vec!["dingtalk desk_get request.path.shelfId: page says request field shelfId (String (table)); spec says not declared under this name or an alias [UNHANDLED]"]
    );
}

#[test]
fn a_run_parses_each_spec_once_however_many_pages_it_has() {
    let dir = std::env::temp_dir().join(format!("confapi-docs-specs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for vendor in ["openvox", "quanshi"] {
        std::fs::write(dir.join(format!("{vendor}.yaml")), SPEC).unwrap();
    }
    let pages = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/docs");
    let options = super::Options {
        json: false,
        audit: false,
        vendor: None,
        spec_dir: None,
        sdk: None,
        pages: vec![
            pages.join("quanshi/meeting-detail.txt"),
            pages.join("openvox/rooms-query.md"),
            pages.join("quanshi/meeting-detail.txt"),
        ],
    };
    let mut specs = crate::spec_file::Specs::in_dir(&dir);
    let reports = super::check_pages_with(&pages, &mut specs, &options).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(reports.len(), 3);
    assert_eq!(specs.parsed(), 2, "three pages of two vendors: two specs parsed");
}
