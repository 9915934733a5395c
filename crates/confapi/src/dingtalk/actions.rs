//! DingTalk actions: every one of them has an operation in the spec.

use super::VENDOR;
use crate::actions::{invalid, Action, Address, Invitee, Outcome, Request, Start};
use crate::adapter::{Handler, VendorFuture};
use crate::fields::text;
use confapi_core::Error;
use confapi_dingtalk::generated::meta::op;
use confapi_dingtalk::{types, Client};

/// Every action, and the operation that does it: one operation both mutes
/// and unmutes.
pub(super) static HANDLERS: &[Handler<Client>] = &[
    Handler { action: Action::Start, operation: op::CREATE_VIDEO_CONFERENCE, run },
    Handler { action: Action::End, operation: op::CLOSE_VIDEO_CONFERENCE, run },
    Handler { action: Action::Invite, operation: op::INVITE_USERS, run },
    Handler { action: Action::Kick, operation: op::KICK_MEMBERS, run },
    Handler { action: Action::Mute, operation: op::MUTE_MEMBERS, run },
    Handler { action: Action::Unmute, operation: op::MUTE_MEMBERS, run },
    Handler { action: Action::MuteAll, operation: op::MUTE_ALL, run },
    Handler { action: Action::UnmuteAll, operation: op::MUTE_ALL, run },
];

fn run<'a>(client: &'a Client, request: &'a Request) -> VendorFuture<'a, Outcome> {
    Box::pin(perform(client, request))
}

/// Performs `request` (its action picked the handler).
async fn perform(client: &Client, request: &Request) -> Result<Outcome, Error> {
    let action = request.action();
    // The answers carry nothing more: `success: false` is already an `Err`
    // from the client (the spec's outcome rule).
    let conference = match request {
        Request::Start(start) => return create(client, start).await,
        Request::End { conference, by } => return close(client, conference, by.as_deref()).await,
        Request::Invite { conference, invitees, by } => {
            invite(client, conference, invitees, by.as_deref()).await?;
            conference
        }
        Request::Kick { conference, member } => {
            let users = Some(vec![user(member)]);
            let sent = client.kick_members().conference_id(conference.as_str());
            sent.body_map(|b| b.user_list(users).forbidden_rejoin(Some(false))).send().await?;
            conference
        }
        Request::Mute { conference, member, mute } => {
            let users = Some(vec![user(member)]);
            let sent = client.mute_members().conference_id(conference.as_str());
            sent.body_map(|b| b.action(verb(*mute)).user_list(users)).send().await?;
            conference
        }
        Request::MuteAll { conference, mute } => {
            let sent = client.mute_all().conference_id(conference.as_str());
            sent.body_map(|b| b.action(verb(*mute)).force_mute(Some(false))).send().await?;
            conference
        }
    };
    Ok(Outcome::of(VENDOR, action, conference.as_str()))
}

fn non_empty<T>(list: Vec<T>) -> Option<Vec<T>> {
    (!list.is_empty()).then_some(list)
}

fn verb(mute: bool) -> &'static str {
    if mute {
        "mute"
    } else {
        "unmute"
    }
}

fn user(union_id: &str) -> types::UserRef {
    types::UserRef::new(union_id)
}

/// `create_video_conference`, organised by `by`; it invites users by
/// unionId only. The organiser is not rung (`inviteCaller` false, as in
/// the documented example): the outcome's join link brings them in.
async fn create(client: &Client, start: &Start) -> Result<Outcome, Error> {
    let organiser = text(start.by.as_deref())
        .ok_or_else(|| invalid(VENDOR, "a conference needs an organiser: give their unionId"))?;
    let title = text(start.title.as_deref()).ok_or_else(|| invalid(VENDOR, "a conference needs a title"))?;
    let ids: Vec<String> = start
        .invitees
        .iter()
        .map(|i| match &i.address {
            Address::User(id) => Ok(id.clone()),
            other => Err(invalid(VENDOR, format!("a new conference invites users by unionId, not {other:?}"))),
        })
        .collect::<Result<_, _>>()?;
    let created = client
        .create_video_conference()
        .body_map(|b| b.user_id(organiser).conf_title(title).invite_user_ids(Some(ids)).invite_caller(Some(false)))
        .send()
        .await?;
    Ok(Outcome {
        join_url: text(created.external_link_url.as_deref()),
        ..Outcome::of(VENDOR, Action::Start, created.conference_id)
    })
}

/// `close_video_conference`, which only the host may call: `by`, or the
/// conference's creator as the conference reports it.
async fn close(client: &Client, conference: &str, by: Option<&str>) -> Result<Outcome, Error> {
    let host = match text(by) {
        Some(host) => host,
        None => text(client.conference(conference).await?.creator_id.as_deref()).ok_or_else(|| {
            invalid(VENDOR, format!("conference {conference} names no creator: give the host's unionId"))
        })?,
    };
    // A non-zero `code` is already an `Err` from the client (the spec's outcome rule).
    client.close_conference(conference, &host).await?;
    Ok(Outcome::of(VENDOR, Action::End, conference))
}

/// `invite_users`: users by unionId, phones by number; each needs a name,
/// which DingTalk shows to the others.
async fn invite(
    client: &Client,
    conference: &str,
    invitees: &[Invitee],
    by: Option<&str>,
) -> Result<types::SuccessResponse, Error> {
    let mut users = Vec::new();
    let mut phones = Vec::new();
    for i in invitees {
        let named = |what: &str| {
            text(i.name.as_deref())
                .ok_or_else(|| invalid(VENDOR, format!("{what} {} needs a display name (ID=NAME)", i.address.value())))
        };
        match &i.address {
            Address::User(id) => users.push(types::UserInvitee::new(named("user")?).union_id(id.as_str())),
            Address::Phone(number) => {
                phones.push(types::PhoneInvitee::new().nick(named("phone")?).phone_number(number.as_str()))
            }
            Address::Extension(e) => {
                return Err(invalid(VENDOR, format!("DingTalk has no extensions ({e}): invite a user or a phone")))
            }
        }
    }
    if users.is_empty() && phones.is_empty() {
        return Err(invalid(VENDOR, "nobody to invite"));
    }
    let (users, phones) = (non_empty(users), non_empty(phones));
    client
        .invite_users()
        .conference_id(conference)
        .body_map(|b| b.invitee_list(users).phone_invitee_list(phones).union_id(text(by)))
        .send()
        .await
}
