//! Quanshi: the running-meetings list, and one meeting with its terminals.

use crate::adapter::{operation_in, Adapter, Handler, Listing, VendorFuture};
use crate::fields::{count, int, text};
use crate::model::{Conference, Member, Participants, Status, Vendor};
use crate::registry::{Registration, Setting, Settings};
use crate::state::MemberState;
use crate::time::{from_any, from_epoch};
use crate::watch::PollCost;
use confapi_core::{reqwest, Error, ErrorKind, SecretString, Timeouts};
use confapi_quanshi::{types, Client, MeetingRef};
use futures_util::TryStreamExt;
use std::sync::Arc;

const VENDOR: Vendor = Vendor::QUANSHI;
const PAGE: i32 = 50;

/// Quanshi's actions: none. The `confopenapi` family the spec covers reads
/// meetings and edits or cancels bookings; it has no call to start an
/// instant meeting, end a running one (`cancelReservConference` cancels a
/// booking), invite, remove or mute an attendee.
static HANDLERS: &[Handler<Client>] = &[];

/// How Quanshi accounts are configured: the API token, and optionally
/// another API address.
pub(crate) static REGISTRATION: Registration = Registration {
    vendor: VENDOR,
    info: &confapi_quanshi::generated::meta::VENDOR,
    settings: &[
        Setting { key: "token", required: true, secret: true },
        Setting { key: "url", required: false, secret: false },
    ],
    mock: &[("token", "mock-token")],
    operation: |action| operation_in(HANDLERS, action),
    connect,
};

fn connect(settings: &Settings, timeouts: Timeouts, http: &reqwest::Client) -> Result<Arc<dyn Adapter>, Error> {
    let token = settings.secret("token").unwrap_or_else(|| SecretString::new(""));
    let mut builder = Client::builder().token(token);
    if let Some(url) = settings.get("url") {
        builder = builder.base_url(url);
    }
    Ok(Arc::new(builder.timeouts(timeouts).http_client(http.clone()).build()?))
}

impl Adapter for Client {
    crate::adapter::built_in_basics!(VENDOR, HANDLERS);

    fn live(&self, listing: Listing) -> VendorFuture<'_, Vec<Conference>> {
        match listing {
            Listing::WithMembers => Box::pin(live_with_members(self)),
            _ => Box::pin(live(self)),
        }
    }

    fn conference<'a>(&'a self, id: &'a str) -> VendorFuture<'a, Conference> {
        Box::pin(get(self, id))
    }

    /// A page of `listbystatus`, then `attendee/list` per meeting: Quanshi
    /// has no call that lists the terminals of several meetings.
    fn poll_cost(&self) -> PollCost {
        PollCost::new(1, 1)
    }
}

/// Meetings running now.
async fn live(client: &Client) -> Result<Vec<Conference>, Error> {
    client.live_conferences(PAGE).map_ok(|c| from_live(&c)).try_collect().await
}

/// Meetings running now, each with the terminals connected to it.
async fn live_with_members(client: &Client) -> Result<Vec<Conference>, Error> {
    crate::watch::with_members(live(client).await?, |id| async move {
        match id.parse::<i64>() {
            Ok(event_id) => terminals(client, event_id).await,
            Err(_) => Ok(Vec::new()),
        }
    })
    .await
}

async fn terminals(client: &Client, event_id: i64) -> Result<Vec<Member>, Error> {
    client.attendees(event_id, PAGE).map_ok(|a| from_attendee(&a)).try_collect().await
}

/// One meeting by event id, with the terminals connected to it.
async fn get(client: &Client, id: &str) -> Result<Conference, Error> {
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
        let attendees = terminals(client, event_id).await?;
        if !attendees.is_empty() {
            conference.status = Status::Live;
            conference.participants.active = Some(attendees.len() as u64);
            conference.members = attendees;
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
        title: text(c.title.as_deref()),
        start: int(&c.start_time).and_then(from_epoch),
        end: int(&c.stop_time).and_then(from_epoch),
        host: text(c.host_name.as_deref()),
        participants: Participants { active: count(&c.attendee_cnt), total: count(&c.raw_attendee_cnt), invited: None },
        ..Conference::new(Vendor::QUANSHI, id, status(int(&c.status)))
    }
}

/// A meeting from its details, with the invited attendees as members. Its
/// times may be epoch seconds, milliseconds or China-local strings. An
/// invitee's role is its business-template role's `managerType`.
pub fn from_meeting(m: &types::Meeting) -> Conference {
    let id = m.event_id.as_ref().map(|e| e.as_str().to_owned()).unwrap_or_default();
    let roles: Vec<&types::BtplRole> = m.btpl_role.iter().flat_map(|r| r.items()).collect();
    let role_of = |role_id: Option<i64>| {
        let template = roles.iter().find(|r| role_id.is_some() && int(&r.role_id) == role_id)?;
        int(&template.manager_type).map(role)
    };
    let members: Vec<Member> = m
        .attend_list
        .iter()
        .flat_map(|list| list.items())
        .map(|a| Member {
            id: text(a.user.as_deref()),
            name: text(a.display_name.as_deref()).or_else(|| text(a.phone_name.as_deref())),
            role: role_of(int(&a.role_id)),
            state: a.status.as_deref().map(invitation_state).unwrap_or_default(),
            state_raw: a.status.clone(),
            joined_at: None,
            left_at: None,
        })
        .collect();
    Conference {
        title: text(m.title.as_deref()),
        start: m.start_time.as_ref().and_then(from_any),
        end: m.end_time.as_ref().and_then(from_any),
        host: text(m.host_name.as_deref()),
        participants: Participants { active: None, total: None, invited: Some(members.len() as u64) },
        members,
        join_url: text(m.attendee_join_url.as_deref()),
        ..Conference::new(Vendor::QUANSHI, id, status(int(&m.status)))
    }
}

/// An invitee's answer (`attendList[].status`): `W` not answered yet and
/// `A` accepted are both still invited; `R` declined fits none of the
/// states (the invitee never took part), so it stays unknown with its value.
pub fn invitation_state(raw: &str) -> MemberState {
    match raw {
        "W" | "A" => MemberState::Invited,
        other => MemberState::Unknown(other.to_owned()),
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

/// A terminal connected to a running meeting: listed means connected, and
/// the list has no state field, so `state_raw` stays empty.
pub fn from_attendee(a: &types::Attendee) -> Member {
    Member {
        // Phone and guest terminals have user id 0; their temporary id tells them apart.
        id: int(&a.user_id).filter(|u| *u > 0).or(int(&a.temp_user_id)).map(|i| i.to_string()),
        name: text(a.name.as_deref()),
        role: int(&a.role).map(role),
        state: MemberState::InMeeting,
        state_raw: None,
        joined_at: None,
        left_at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The meetings of the recorded `room/conference/infos` exchange `name`.
    fn recorded_meetings(name: &str) -> Vec<types::Meeting> {
        let recordings = confapi_mock::embedded().unwrap();
        let file = recordings.iter().find(|f| f.path.ends_with(format!("quanshi/{name}.json"))).unwrap();
        let body: types::InfosResponse = serde_json::from_value(file.exchange.response.body.clone()).unwrap();
        body.result.unwrap().into_vec()
    }

    #[test]
    fn meeting_start_times_in_every_documented_form() {
        let expected_start = crate::time::from_china_local("2024-05-14 10:00:00");
        let expected_end = crate::time::from_china_local("2024-05-14 11:00:00");
        for (form, exchange, id) in [
            ("China-local strings, result a JSON string", "infos-table-json-string-local-times", "649130"),
            ("millisecond strings, result an object", "infos-table-object-millisecond-strings", "649131"),
            (
                "second strings, result a JSON string holding a list",
                "infos-table-json-string-list-second-strings",
                "649132",
            ),
            ("epoch-second numbers (the page's example)", "infos-seed-example", ""),
        ] {
            let meetings = recorded_meetings(exchange);
            assert_eq!(meetings.len(), 1, "{form}");
            let c = from_meeting(&meetings[0]);
            assert!(c.start.is_some(), "{form}: no start");
            if !id.is_empty() {
                assert_eq!(c.id, id, "{form}");
                assert_eq!(c.start, expected_start, "{form}");
                assert_eq!(c.end, expected_end, "{form}");
                // attendList sent as one object, as the table types it.
                assert_eq!(c.members.len(), 1, "{form}");
                assert_eq!(c.members[0].name.as_deref(), Some("李四"), "{form}");
                assert_eq!(c.status, Status::Scheduled, "{form}");
            }
        }
    }
}
