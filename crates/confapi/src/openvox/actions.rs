//! OpenVox actions: an instant conference in an idle room, calling
//! extensions or outside numbers into a room, and muting a member. The PBX
//! API has no call to end a conference, remove a member, or lift a mute:
//! those are [`unsupported`], unmuting included.

use super::VENDOR;
use crate::actions::{invalid, unsupported, Action, Address, Invitee, Outcome, Request, Start};
use crate::adapter::{Handler, VendorFuture};
use crate::fields::text;
use confapi_core::Error;
use confapi_openvox::generated::meta::op;
use confapi_openvox::Client;

/// What the PBX can do, and the operation that does each. Ending a
/// conference, removing a member and lifting a mute have no call; muting
/// everyone would take a read of the room's members first.
pub(super) static HANDLERS: &[Handler<Client>] = &[
    Handler { action: Action::Start, operation: op::INSTANT_CONFERENCE_START, run: perform },
    Handler { action: Action::Invite, operation: op::CONFERENCE_ADD_MEMBER, run: perform },
    Handler { action: Action::Mute, operation: op::CONFERENCE_MUTE_MEMBER, run: perform },
];

/// Performs `request` (its action picked the handler).
fn perform<'a>(client: &'a Client, request: &'a Request) -> VendorFuture<'a, Outcome> {
    Box::pin(async move {
        match request {
            Request::Start(start) => start_in_room(client, start).await,
            Request::Invite { conference, invitees, by } => invite(client, conference, invitees, by.as_deref()).await,
            Request::Mute { conference, member, mute: true } => mute(client, conference, member).await,
            other => Err(unsupported(VENDOR, other.action())),
        }
    })
}

/// The numbers the PBX should call, checked before any request: the PBX
/// takes them as one comma-separated list, so none may hold a comma.
fn numbers(invitees: &[Invitee]) -> Result<Vec<String>, Error> {
    invitees
        .iter()
        .map(|i| {
            let n = i.address.value().trim();
            if n.is_empty() || n.contains(',') {
                Err(invalid(VENDOR, format!("{n:?} is not a number the PBX can call")))
            } else {
                Ok(n.to_owned())
            }
        })
        .collect()
}

/// The extension whose outbound permission dials outside numbers: the
/// acting moderator, when any invitee is an outside number.
fn dial_permission(invitees: &[Invitee], moderator: &str) -> Option<String> {
    invitees.iter().any(|i| matches!(i.address, Address::Phone(_))).then(|| moderator.to_owned())
}

/// `instant_conference/start`: the room must be idle and at least one
/// moderator must take part, so the moderator is called in too. The PBX
/// calls every member out, so the moderator's outbound permission always
/// goes with it, as in the documented example.
async fn start_in_room(client: &Client, start: &Start) -> Result<Outcome, Error> {
    let room = text(start.room.as_deref())
        .ok_or_else(|| invalid(VENDOR, "an instant conference needs an idle room: give its number"))?;
    let moderator = text(start.by.as_deref())
        .ok_or_else(|| invalid(VENDOR, "an instant conference needs a moderator: give their extension"))?;
    let mut members = numbers(&start.invitees)?;
    if !members.contains(&moderator) {
        members.insert(0, moderator.clone());
    }
    let dial = Some(moderator.clone());
    client
        .instant_conference_start()
        .body_map(|b| {
            b.number(room.clone())
                .name(text(start.title.as_deref()))
                .moderators(moderator)
                .members(members.join(","))
                .dialpermission(dial)
        })
        .send()
        .await?;
    Ok(Outcome::of(VENDOR, Action::Start, room))
}

/// `conference/add_member`, as a moderator of the room: `by`, or the
/// room's first moderator from its settings.
async fn invite(client: &Client, room: &str, invitees: &[Invitee], by: Option<&str>) -> Result<Outcome, Error> {
    let numbers = numbers(invitees)?;
    if numbers.is_empty() {
        return Err(invalid(VENDOR, "nobody to invite"));
    }
    let operator = match text(by) {
        Some(operator) => operator,
        None => first_moderator(client, room).await?,
    };
    let dial = dial_permission(invitees, &operator);
    client
        .conference_add_member()
        .body_map(|b| b.number(room).operator(operator).invitemember(numbers.join(",")).dialpermission(dial))
        .send()
        .await?;
    Ok(Outcome::of(VENDOR, Action::Invite, room))
}

/// `conference/mute_member` for one extension of the room.
async fn mute(client: &Client, room: &str, member: &str) -> Result<Outcome, Error> {
    let member = member.trim();
    if member.is_empty() || member.contains(',') {
        return Err(invalid(VENDOR, format!("{member:?} is not an extension the PBX can mute")));
    }
    client.conference_mute_member().body_map(|b| b.number(room).membernumber(member)).send().await?;
    Ok(Outcome::of(VENDOR, Action::Mute, room))
}

/// The first moderator extension in the room's settings.
async fn first_moderator(client: &Client, room: &str) -> Result<String, Error> {
    let settings = client.room_settings(room).await?;
    let this = settings.iter().find(|s| s.number.as_ref().is_some_and(|n| n.as_str() == room));
    this.and_then(|s| s.moderators.as_ref())
        .and_then(|m| m.as_str().split(',').map(str::trim).find(|m| !m.is_empty()).map(str::to_owned))
        .ok_or_else(|| {
            invalid(VENDOR, format!("room {room} has no moderator to invite as: give a moderator extension"))
        })
}
