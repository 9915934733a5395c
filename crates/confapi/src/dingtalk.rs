//! DingTalk: the organisation's conferences in progress, and one conference
//! with its members.

use crate::fields::{count, int, text};
use crate::model::{Conference, Member, Participants, Status, Vendor};
use crate::state::MemberState;
use crate::time::from_epoch;
use confapi_core::{Error, OpenCode};
use confapi_dingtalk::types;
use futures_util::TryStreamExt;

mod actions;
pub(crate) use actions::{operation, perform};

const PAGE: i32 = 50;

/// Conferences in progress across the organisation.
pub(crate) async fn live(client: &confapi_dingtalk::Client) -> Result<Vec<Conference>, Error> {
    client.org_conferences(PAGE).map_ok(|c| from_summary(&c)).try_collect().await
}

/// Conferences in progress, each with its members.
pub(crate) async fn live_with_members(client: &confapi_dingtalk::Client) -> Result<Vec<Conference>, Error> {
    crate::watch::with_members(live(client).await?, |id| members(client, id)).await
}

async fn members(client: &confapi_dingtalk::Client, id: String) -> Result<Vec<Member>, Error> {
    client.members(&id, PAGE).map_ok(|m| from_member(&m)).try_collect().await
}

/// One conference with its members.
pub(crate) async fn get(client: &confapi_dingtalk::Client, id: &str) -> Result<Conference, Error> {
    let info = client.conference(id).await?;
    let mut conference = from_info(&info);
    if conference.id.is_empty() {
        conference.id = id.to_owned();
    }
    conference.members = members(client, id.to_owned()).await?;
    Ok(conference)
}

/// DingTalk statuses: 0 initialising, 1 ended, 2 started.
fn status(code: Option<OpenCode<types::ConferenceStatusKnown>>) -> Status {
    use types::ConferenceStatusKnown as K;
    let Some(code) = code else { return Status::Unknown(String::new()) };
    match code.known() {
        Some(K::Initialising) => Status::Scheduled,
        Some(K::Ended) => Status::Ended,
        Some(K::Started) => Status::Live,
        _ => Status::Unknown(code.get().to_string()),
    }
}

/// A conference from a list (times in epoch milliseconds).
pub fn from_summary(c: &types::ConferenceSummary) -> Conference {
    Conference {
        title: text(c.title.as_deref()),
        start: int(&c.start_time).and_then(from_epoch),
        end: int(&c.end_time).and_then(from_epoch),
        host: text(c.creator_nick.as_deref()),
        join_url: text(c.external_link_url.as_deref()),
        ..Conference::new(Vendor::Dingtalk, c.conference_id.clone().unwrap_or_default(), status(c.status))
    }
}

/// A conference from its details.
pub fn from_info(c: &types::ConfInfo) -> Conference {
    Conference {
        title: text(c.title.as_deref()),
        start: int(&c.start_time).and_then(from_epoch),
        end: int(&c.end_time).and_then(from_epoch),
        host: text(c.creator_nick.as_deref()),
        participants: Participants {
            active: count(&c.active_num),
            total: count(&c.attend_num),
            invited: count(&c.invited_num),
        },
        join_url: text(c.external_link_url.as_deref()),
        ..Conference::new(Vendor::Dingtalk, c.conference_id.clone().unwrap_or_default(), status(c.status))
    }
}

/// A member, with the role its host flags give and its join and leave
/// times (epoch milliseconds; 0 means not yet).
pub fn from_member(m: &types::MemberModel) -> Member {
    let role = match (m.host, m.co_host) {
        (Some(true), _) => Some("host"),
        (_, Some(true)) => Some("co-host"),
        (None, None) => None,
        _ => Some("participant"),
    };
    let code = m.attend_status;
    Member {
        id: text(m.union_id.as_deref()),
        name: text(m.user_nick.as_deref()),
        role: role.map(str::to_owned),
        state: code.map(member_state).unwrap_or_default(),
        state_raw: code.map(|c| c.to_string()),
        joined_at: int(&m.join_time).and_then(from_epoch),
        left_at: int(&m.leave_time).and_then(from_epoch),
    }
}

/// DingTalk's `attendStatus`: 0 undefined, 1 invited and 2 joining (not
/// connected yet), 3 in the meeting, 4 failed to join, 5 removed and 6 left
/// (all three gone).
pub fn member_state(code: OpenCode<types::AttendStatusKnown>) -> MemberState {
    use types::AttendStatusKnown as K;
    match code.known() {
        Some(K::Invited | K::Joining) => MemberState::Invited,
        Some(K::InMeeting) => MemberState::InMeeting,
        Some(K::Failed | K::Kicked | K::Left) => MemberState::Left,
        _ => MemberState::Unknown(code.get().to_string()),
    }
}
