//! DingTalk: the organisation's conferences in progress, and one conference
//! with its members.

use crate::model::{Conference, Member, Participants, Status, Vendor};
use crate::time::{count, from_epoch, int};
use confapi_core::Error;
use confapi_dingtalk::types;
use futures_util::TryStreamExt;

const PAGE: i32 = 50;

/// Conferences in progress across the organisation.
pub(crate) async fn live(client: &confapi_dingtalk::Client) -> Result<Vec<Conference>, Error> {
    client.org_conferences(PAGE).map_ok(|c| from_summary(&c)).try_collect().await
}

/// One conference with its members.
pub(crate) async fn get(client: &confapi_dingtalk::Client, id: &str) -> Result<Conference, Error> {
    let info = client.conference(id).await?;
    let mut conference = from_info(&info);
    if conference.id.is_empty() {
        conference.id = id.to_owned();
    }
    let members: Vec<types::MemberModel> = client.members(id, PAGE).try_collect().await?;
    conference.members = members.iter().map(from_member).collect();
    Ok(conference)
}

/// DingTalk statuses: 0 initialised, 1 ended, 2 started.
fn status(code: Option<i64>) -> Status {
    match code {
        Some(0) => Status::Scheduled,
        Some(1) => Status::Ended,
        Some(2) => Status::Live,
        Some(other) => Status::Unknown(other.to_string()),
        None => Status::Unknown(String::new()),
    }
}

/// A conference from a list (times in epoch milliseconds).
pub fn from_summary(c: &types::ConferenceSummary) -> Conference {
    Conference {
        title: c.title.clone(),
        start: int(&c.start_time).and_then(from_epoch),
        end: int(&c.end_time).and_then(from_epoch),
        host: c.creator_nick.clone(),
        join_url: c.external_link_url.clone(),
        ..Conference::new(Vendor::Dingtalk, c.conference_id.clone().unwrap_or_default(), status(int(&c.status)))
    }
}

/// A conference from its details.
pub fn from_info(c: &types::ConfInfo) -> Conference {
    Conference {
        title: c.title.clone(),
        start: int(&c.start_time).and_then(from_epoch),
        end: int(&c.end_time).and_then(from_epoch),
        host: c.creator_nick.clone(),
        participants: Participants {
            active: count(&c.active_num),
            total: count(&c.attend_num),
            invited: count(&c.invited_num),
        },
        join_url: c.external_link_url.clone(),
        ..Conference::new(Vendor::Dingtalk, c.conference_id.clone().unwrap_or_default(), status(int(&c.status)))
    }
}

/// A member (attendStatus 3 means in the meeting now).
pub fn from_member(m: &types::MemberModel) -> Member {
    let role = match (m.host, m.co_host) {
        (Some(true), _) => "host",
        (_, Some(true)) => "co-host",
        _ => "participant",
    };
    Member {
        id: m.union_id.clone(),
        name: m.user_nick.clone(),
        role: Some(role.into()),
        state: int(&m.attend_status).map(|s| s.to_string()),
        joined_at: int(&m.join_time).and_then(from_epoch),
        left_at: int(&m.leave_time).and_then(from_epoch),
    }
}
