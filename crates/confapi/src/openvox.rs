//! OpenVox IPPBX: conference rooms with a call in progress.

use crate::adapter::{operation_in, Adapter, Listing, VendorFuture};
use crate::fields::text;
use crate::model::{Conference, Member, Participants, Status, Vendor};
use crate::registry::{Registration, Setting, Settings};
use crate::state::MemberState;
use crate::watch::PollCost;
use confapi_core::{reqwest, Error, ErrorKind, OpenEnum, SecretString, Timeouts};
use confapi_openvox::{types, Client};
use std::sync::Arc;

mod actions;

const VENDOR: Vendor = Vendor::OPENVOX;

/// How OpenVox accounts are configured: the PBX's API address and the API
/// user's name and password.
pub(crate) static REGISTRATION: Registration = Registration {
    vendor: VENDOR,
    info: &confapi_openvox::generated::meta::VENDOR,
    settings: &[
        Setting { key: "url", required: true, secret: false },
        Setting { key: "username", required: true, secret: false },
        Setting { key: "password", required: true, secret: true },
    ],
    mock: &[("username", "api"), ("password", "password")],
    operation: |action| operation_in(actions::HANDLERS, action),
    connect,
};

fn connect(settings: &Settings, timeouts: Timeouts, http: &reqwest::Client) -> Result<Arc<dyn Adapter>, Error> {
    let password = settings.secret("password").unwrap_or_else(|| SecretString::new(""));
    let builder = Client::builder(settings.require(VENDOR, "url")?, settings.require(VENDOR, "username")?, password);
    Ok(Arc::new(builder.timeouts(timeouts).http_client(http.clone()).build()?))
}

impl Adapter for Client {
    crate::adapter::built_in_basics!(VENDOR, actions::HANDLERS);

    /// Rooms come with their members either way.
    fn live(&self, _: Listing) -> VendorFuture<'_, Vec<Conference>> {
        Box::pin(live(self))
    }

    fn conference<'a>(&'a self, id: &'a str) -> VendorFuture<'a, Conference> {
        Box::pin(get(self, id))
    }

    /// `query_in_session` with `all`: every room with its members, one call.
    fn poll_cost(&self) -> PollCost {
        PollCost::new(1, 0)
    }
}

/// Rooms in session, as conferences.
async fn live(client: &Client) -> Result<Vec<Conference>, Error> {
    Ok(client.query_in_session("all").await?.iter().map(from_room).collect())
}

/// One room in session, by room number.
async fn get(client: &Client, id: &str) -> Result<Conference, Error> {
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
        ..Conference::new(Vendor::OPENVOX, id, Status::Live)
    }
}

/// OpenVox lists members flat; Yeastar nests them under outbound, inbound
/// and ext. Both become one list. The PBX sends no names, roles or times:
/// a member is its number and its channel state.
fn flatten(m: &types::RoomMember, out: &mut Vec<Member>) {
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
