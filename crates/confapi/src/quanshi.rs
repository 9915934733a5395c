//! Quanshi: the running-meetings list, and one meeting with its terminals.

use crate::model::{Conference, Member, Participants, Status, Vendor};
use crate::time::{count, from_epoch, int};
use confapi_core::{Error, ErrorKind};
use confapi_quanshi::{types, MeetingRef};
use futures::TryStreamExt;

const PAGE: i32 = 50;

/// Meetings running now.
pub(crate) async fn live(client: &confapi_quanshi::Client) -> Result<Vec<Conference>, Error> {
    client.live_conferences(PAGE).map_ok(|c| from_live(&c)).try_collect().await
}

/// One meeting by event id, with the terminals connected to it.
pub(crate) async fn get(client: &confapi_quanshi::Client, id: &str) -> Result<Conference, Error> {
    let event_id: i64 = id.parse().map_err(|_| {
        Error::new("quanshi", ErrorKind::InvalidRequest).with_detail(format!("{id:?} is not an event id (a number)"))
    })?;
    let meeting = client
        .meeting(MeetingRef::EventId(event_id), None)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| Error::new("quanshi", ErrorKind::NotFound).with_detail(format!("no meeting {event_id}")))?;
    let mut conference = from_meeting(&meeting);
    if matches!(conference.status, Status::Scheduled | Status::Live) {
        let attendees: Vec<types::Attendee> = client.attendees(event_id, PAGE).try_collect().await?;
        if !attendees.is_empty() {
            conference.status = Status::Live;
            conference.participants.active = Some(attendees.len() as u64);
            conference.members = attendees.iter().map(from_attendee).collect();
        }
    }
    Ok(conference)
}

/// Quanshi statuses: 0 cancelled, 1 created, 2 running, 4 ended, 5 expired
/// without being held.
fn status(code: Option<i64>) -> Status {
    match code {
        Some(0) => Status::Cancelled,
        Some(1) => Status::Scheduled,
        Some(2) => Status::Live,
        Some(4 | 5) => Status::Ended,
        Some(other) => Status::Unknown(other.to_string()),
        None => Status::Unknown(String::new()),
    }
}

/// A meeting from the running-meetings list (times in epoch seconds; a
/// stop time of 0 means still running).
pub fn from_live(c: &types::LiveConference) -> Conference {
    let id = int(&c.event_id).map(|e| e.to_string()).unwrap_or_default();
    Conference {
        title: c.title.clone(),
        start: int(&c.start_time).and_then(from_epoch),
        end: int(&c.stop_time).and_then(from_epoch),
        host: c.host_name.clone(),
        participants: Participants { active: count(&c.attendee_cnt), total: count(&c.raw_attendee_cnt), invited: None },
        ..Conference::new(Vendor::Quanshi, id, status(int(&c.status)))
    }
}

/// A meeting from its details, with the invited attendees as members.
pub fn from_meeting(m: &types::Meeting) -> Conference {
    let id = int(&m.event_id).map(|e| e.to_string()).unwrap_or_default();
    let members: Vec<Member> = m
        .attend_list
        .iter()
        .flatten()
        .map(|a| Member {
            id: a.user.clone(),
            name: a.display_name.clone().or_else(|| a.phone_name.clone()),
            role: None,
            state: a.status.clone(),
            joined_at: None,
            left_at: None,
        })
        .collect();
    Conference {
        title: m.title.clone(),
        start: int(&m.start_time).and_then(from_epoch),
        end: int(&m.end_time).and_then(from_epoch),
        host: m.host_name.clone(),
        participants: Participants { active: None, total: None, invited: Some(members.len() as u64) },
        members,
        join_url: m.attendee_join_url.clone(),
        ..Conference::new(Vendor::Quanshi, id, status(int(&m.status)))
    }
}

/// Attendee roles use the business-template scale (btplRole.managerType):
/// 1 manager (host), 2 assistant manager (co-host), 3 ordinary attendee.
fn role(code: i64) -> String {
    match code {
        1 => "host".into(),
        2 => "co-host".into(),
        3 => "participant".into(),
        other => other.to_string(),
    }
}

/// A terminal connected to a running meeting.
pub fn from_attendee(a: &types::Attendee) -> Member {
    Member {
        // Phone and guest terminals have user id 0; their temporary id tells them apart.
        id: int(&a.user_id).filter(|u| *u > 0).or(int(&a.temp_user_id)).map(|i| i.to_string()),
        name: a.name.clone(),
        role: int(&a.role).map(role),
        state: Some("connected".into()),
        joined_at: None,
        left_at: None,
    }
}
