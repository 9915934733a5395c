//! OpenVox IPPBX: conference rooms with a call in progress.

use crate::fields::text;
use crate::model::{Conference, Member, Participants, Status, Vendor};
use crate::state::MemberState;
use confapi_core::{Error, ErrorKind, OpenEnum};
use confapi_openvox::types;

mod actions;
pub(crate) use actions::{operation, perform};

/// Rooms in session, as conferences.
pub(crate) async fn live(client: &confapi_openvox::Client) -> Result<Vec<Conference>, Error> {
    Ok(client.query_in_session("all").await?.iter().map(from_room).collect())
}

/// One room in session, by room number.
pub(crate) async fn get(client: &confapi_openvox::Client, id: &str) -> Result<Conference, Error> {
    let rooms = client.query_in_session(id).await?;
    let room = rooms
        .iter()
        .find(|r| r.conferencenumber.as_ref().is_some_and(|n| n.as_str() == id))
        .or(rooms.first())
        .ok_or_else(|| {
        Error::new("openvox", ErrorKind::NotFound).with_detail(format!("room {id} has no call in progress"))
    })?;
    Ok(from_room(room))
}

/// A room in session. The PBX reports only rooms in session, so it is live;
/// it gives no start time, and a title only where the room has a name.
pub fn from_room(room: &types::InSessionRoom) -> Conference {
    let id = room.conferencenumber.as_ref().map(|n| n.as_str().to_owned()).unwrap_or_default();
    let mut members = Vec::new();
    for m in &room.member {
        flatten(m, &mut members);
    }
    Conference {
        title: text(room.conferencename.as_deref()),
        participants: Participants { active: Some(members.len() as u64), total: None, invited: None },
        members,
        ..Conference::new(Vendor::Openvox, id, Status::Live)
    }
}

/// OpenVox lists members flat; Yeastar nests them under outbound, inbound
/// and ext. Both become one list. The PBX sends no names, roles or times:
/// a member is its number and its channel state.
fn flatten(m: &types::Member, out: &mut Vec<Member>) {
    let id = text(m.number.as_ref().or(m.from.as_ref()).map(|n| n.as_str()));
    if id.is_some() || m.channelid.is_some() {
        out.push(Member {
            id,
            state: m.memberstatus.as_ref().map(member_state).unwrap_or_default(),
            state_raw: m.memberstatus.as_ref().map(|s| s.to_string()),
            ..Member::default()
        });
    }
    for nested in m.outbound.iter().chain(&m.inbound).chain(&m.ext) {
        flatten(nested, out);
    }
}

/// A member's channel state. Yeastar documents `ANSWER` (answered an
/// invitation) and `ANSWERED` (dialled in), both connected, and `HOLD`
/// (waiting for the moderator); OpenVox's own example sends Asterisk's
/// channel state `Up` (connected), and Asterisk says `Ring` or `Ringing`
/// while a line is being called.
pub fn member_state(status: &OpenEnum<types::MemberStatusKnown>) -> MemberState {
    use types::MemberStatusKnown as K;
    match status {
        OpenEnum::Known(K::Up | K::Answer | K::Answered) => MemberState::InMeeting,
        OpenEnum::Known(K::Hold) => MemberState::Waiting,
        OpenEnum::Unknown(raw) if ["Ring", "Ringing"].iter().any(|r| r.eq_ignore_ascii_case(raw)) => {
            MemberState::Invited
        }
        OpenEnum::Unknown(raw) => MemberState::Unknown(raw.clone()),
        // A value the spec documents later: as raw as an unknown one until mapped.
        OpenEnum::Known(_) => MemberState::Unknown(status.to_string()),
    }
}
