//! DingTalk: the organisation's conferences in progress, and one conference
//! with its members.

use crate::adapter::{operation_in, Adapter, Listing, VendorFuture};
use crate::fields::{count, int, text};
use crate::model::{Conference, Member, Participants, Status, Vendor};
use crate::registry::{Registration, Setting, Settings};
use crate::state::MemberState;
use crate::time::from_epoch;
use crate::watch::PollCost;
use confapi_core::{reqwest, Error, OpenCode, SecretString, Timeouts};
use confapi_dingtalk::{types, Client};
use futures_util::TryStreamExt;
use std::sync::Arc;

mod actions;

const VENDOR: Vendor = Vendor::DINGTALK;
const PAGE: i32 = 50;

/// Conferences per batch information call. DingTalk documents no limit
/// for `conferenceIdList`; twenty keeps each answer small.
const BATCH: usize = 20;

/// How DingTalk accounts are configured: the app's key and secret, and
/// optionally another API address.
pub(crate) static REGISTRATION: Registration = Registration {
    vendor: VENDOR,
    info: &confapi_dingtalk::generated::meta::VENDOR,
    settings: &[
        Setting { key: "app_key", required: true, secret: false },
        Setting { key: "app_secret", required: true, secret: true },
        Setting { key: "url", required: false, secret: false },
    ],
    mock: &[("app_key", "api"), ("app_secret", "password")],
    operation: |action| operation_in(actions::HANDLERS, action),
    connect,
};

fn connect(settings: &Settings, timeouts: Timeouts, http: &reqwest::Client) -> Result<Arc<dyn Adapter>, Error> {
    let secret = settings.secret("app_secret").unwrap_or_else(|| SecretString::new(""));
    let mut builder = Client::builder().app_credentials(settings.require(VENDOR, "app_key")?, secret);
    if let Some(url) = settings.get("url") {
        builder = builder.base_url(url);
    }
    Ok(Arc::new(builder.timeouts(timeouts).http_client(http.clone()).build()?))
}

impl Adapter for Client {
    crate::adapter::built_in_basics!(VENDOR, actions::HANDLERS);

    fn live(&self, listing: Listing) -> VendorFuture<'_, Vec<Conference>> {
        match listing {
            Listing::WithMembers => Box::pin(live_with_members(self)),
            _ => Box::pin(live(self)),
        }
    }

    fn conference<'a>(&'a self, id: &'a str) -> VendorFuture<'a, Conference> {
        Box::pin(get(self, id))
    }

    /// A page of the organisation's conferences, then one batch
    /// information call per twenty of them.
    fn poll_cost(&self) -> PollCost {
        PollCost::new(1, 0).with_batch(BATCH as u64)
    }
}

/// Conferences in progress across the organisation.
async fn live(client: &Client) -> Result<Vec<Conference>, Error> {
    client.org_conferences(PAGE).map_ok(|c| from_summary(&c)).try_collect().await
}

/// Conferences in progress, each with its members, from the batch
/// information call (`query_conference_info_batch`): one call per
/// [`BATCH`] conferences instead of one members listing each. Its members
/// carry id, name and state but no host flags or join times (see the
/// `watch` module); a conference the batch answer leaves out gets its
/// members from the members listing.
async fn live_with_members(client: &Client) -> Result<Vec<Conference>, Error> {
    let mut conferences = live(client).await?;
    let ids: Vec<String> = conferences.iter().map(|c| c.id.clone()).collect();
    let mut found: std::collections::HashMap<String, Vec<Member>> = std::collections::HashMap::new();
    for chunk in ids.chunks(BATCH) {
        let answer = client
            .query_conference_info_batch()
            .body_map(|b| b.conference_id_list(Some(chunk.to_vec())))
            .send()
            .await?;
        for info in answer.infos.into_iter().flatten() {
            if let Some(id) = info.conference_id {
                found.insert(id, info.user_list.iter().flatten().map(from_batch_user).collect());
            }
        }
    }
    for conference in &mut conferences {
        conference.members = match found.remove(&conference.id) {
            Some(members) => members,
            None => members(client, conference.id.clone()).await?,
        };
    }
    Ok(conferences)
}

async fn members(client: &Client, id: String) -> Result<Vec<Member>, Error> {
    client.members(&id, PAGE).map_ok(|m| from_member(&m)).try_collect().await
}

/// A member as the batch information call lists it (no role or times).
pub fn from_batch_user(u: &types::BatchUser) -> Member {
    Member {
        id: text(u.user_id.as_deref()),
        name: text(u.nick.as_deref()),
        state: u.attend_status.map(member_state).unwrap_or_default(),
        state_raw: u.attend_status.map(|c| c.to_string()),
        ..Member::default()
    }
}

/// One conference with its members.
async fn get(client: &Client, id: &str) -> Result<Conference, Error> {
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
        ..Conference::new(Vendor::DINGTALK, c.conference_id.clone().unwrap_or_default(), status(c.status))
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
        ..Conference::new(Vendor::DINGTALK, c.conference_id.clone().unwrap_or_default(), status(c.status))
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
