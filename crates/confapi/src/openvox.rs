//! OpenVox IPPBX: conference rooms with a call in progress.

use crate::model::{Conference, Member, Participants, Status, Vendor};
use confapi_core::{Error, ErrorKind};
use confapi_openvox::types;

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
/// it gives no start time or title beyond the room name.
pub fn from_room(room: &types::InSessionRoom) -> Conference {
    let id = room.conferencenumber.as_ref().map(|n| n.as_str().to_owned()).unwrap_or_default();
    let mut members = Vec::new();
    for m in &room.member {
        flatten(m, &mut members);
    }
    Conference {
        title: room.conferencename.clone(),
        participants: Participants { active: Some(members.len() as u64), total: None, invited: None },
        members,
        ..Conference::new(Vendor::Openvox, id, Status::Live)
    }
}

/// OpenVox lists members flat; Yeastar nests them under outbound, inbound
/// and ext. Both become one list.
fn flatten(m: &types::Member, out: &mut Vec<Member>) {
    let id = m.number.as_ref().or(m.from.as_ref()).map(|n| n.as_str().to_owned());
    if id.is_some() || m.channelid.is_some() {
        out.push(Member {
            id,
            name: m.trunkname.clone().map(|t| format!("via {t}")),
            role: None,
            state: m.memberstatus.as_ref().map(|s| s.to_string()),
            joined_at: None,
            left_at: None,
        });
    }
    for nested in m.outbound.iter().chain(&m.inbound).chain(&m.ext) {
        flatten(nested, out);
    }
}
