//! What the facade can ask a vendor to do, and which vendors can.
//!
//! Each [`Action`] is performed by one operation of a vendor's spec
//! (DingTalk's `end` is `close_video_conference`, OpenVox's `invite` is
//! `conference_add_member`); one operation may perform several (DingTalk's
//! `mute_members` both mutes and unmutes). Each vendor module has one table
//! of [`Handler`](crate::adapter::Handler)s: action, the generated
//! `meta::op` static of the operation, and the function that calls it.
//! [`Capabilities`] and dispatch both read that table, so a vendor supports
//! an action exactly when its adapter can perform it.
//!
//! Muting and unmuting are separate actions because a vendor may offer one
//! without the other: OpenVox's PBX can mute a member
//! (`conference_mute_member`) but has no call to lift it, so its
//! capabilities list `mute` and not `unmute`, and a
//! [`Request::Mute`] with `mute: false` is refused as unsupported.
//!
//! Asking for an action a vendor lacks is [`ErrorKind::Unsupported`],
//! naming the vendor and the action, before any request is sent (no login
//! either). Actions change things, so their operations are not marked safe
//! in the specs and the client never sends one twice, retries or not; the
//! reads some actions make first (OpenVox reads a room's moderator, DingTalk
//! a conference's host) are safe and may be retried.

use crate::model::Vendor;
use confapi_core::{Error, ErrorKind, OperationMeta};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Something the facade can ask a vendor to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Start an instant conference.
    Start,
    /// End a running conference for everyone.
    End,
    /// Call or invite people into a conference.
    Invite,
    /// Remove a member from a conference.
    Kick,
    /// Mute one member.
    Mute,
    /// Lift one member's mute.
    Unmute,
    /// Mute everyone.
    MuteAll,
    /// Lift everyone's mute.
    UnmuteAll,
}

impl Action {
    /// Every action, in a stable order.
    pub const ALL: [Action; 8] = [
        Action::Start,
        Action::End,
        Action::Invite,
        Action::Kick,
        Action::Mute,
        Action::Unmute,
        Action::MuteAll,
        Action::UnmuteAll,
    ];

    /// The short name (`"mute-all"`), as the `confapi` command spells it.
    pub fn name(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::End => "end",
            Action::Invite => "invite",
            Action::Kick => "kick",
            Action::Mute => "mute",
            Action::Unmute => "unmute",
            Action::MuteAll => "mute-all",
            Action::UnmuteAll => "unmute-all",
        }
    }

    /// What it does, in a few words.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Start => "start an instant conference",
            Action::End => "end a conference",
            Action::Invite => "invite members",
            Action::Kick => "remove a member",
            Action::Mute => "mute a member",
            Action::Unmute => "unmute a member",
            Action::MuteAll => "mute everyone",
            Action::UnmuteAll => "unmute everyone",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which actions one vendor can perform, and the spec operation that
/// does each: read from the vendor's action table, the same one its
/// adapter dispatches with.
#[derive(Debug, Clone)]
pub struct Capabilities {
    vendor: Vendor,
    operations: Vec<(Action, &'static OperationMeta)>,
}

impl Capabilities {
    /// The capabilities of a vendor compiled in (none for another).
    pub fn of(vendor: Vendor) -> Self {
        let operation = crate::registry::find(vendor).map(|r| r.operation);
        Self::from_table(vendor, |a| operation.and_then(|op| op(a)))
    }

    /// The capabilities of any adapter.
    pub fn of_adapter(adapter: &dyn crate::Adapter) -> Self {
        Self::from_table(adapter.vendor(), |a| adapter.operation(a))
    }

    fn from_table(vendor: Vendor, operation: impl Fn(Action) -> Option<&'static OperationMeta>) -> Self {
        let operations = Action::ALL.into_iter().filter_map(|a| operation(a).map(|op| (a, op))).collect();
        Self { vendor, operations }
    }

    /// The vendor.
    pub fn vendor(&self) -> Vendor {
        self.vendor
    }

    /// The operation of the vendor's spec that performs `action`, if any.
    pub fn operation(&self, action: Action) -> Option<&'static OperationMeta> {
        self.operations.iter().find(|(a, _)| *a == action).map(|(_, op)| *op)
    }

    /// Whether the vendor can perform `action`.
    pub fn supports(&self, action: Action) -> bool {
        self.operation(action).is_some()
    }

    /// The actions the vendor can perform, in [`Action::ALL`] order.
    pub fn actions(&self) -> Vec<Action> {
        self.operations.iter().map(|(a, _)| *a).collect()
    }

    /// The operation for `action`, or the [`ErrorKind::Unsupported`] error
    /// that names the vendor and the action.
    pub fn require(&self, action: Action) -> Result<&'static OperationMeta, Error> {
        self.operation(action).ok_or_else(|| unsupported(self.vendor, action))
    }
}

impl PartialEq for Capabilities {
    /// Same vendor, same actions by the same operations.
    fn eq(&self, other: &Self) -> bool {
        let ids = |c: &Self| c.operations.iter().map(|(a, op)| (*a, op.id)).collect::<Vec<_>>();
        self.vendor == other.vendor && ids(self) == ids(other)
    }
}

/// The error for an action `vendor` has no operation for.
pub fn unsupported(vendor: Vendor, action: Action) -> Error {
    Error::new(vendor.name(), ErrorKind::Unsupported)
        .with_detail(format!("{action} ({}): the {vendor} API has no operation for it", action.describe()))
}

/// An input problem found before any request (exit status 2 in the CLI).
pub fn invalid(vendor: Vendor, detail: impl Into<String>) -> Error {
    Error::new(vendor.name(), ErrorKind::InvalidRequest).with_detail(detail)
}

/// How to reach someone to invite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// An extension of the PBX (OpenVox).
    Extension(String),
    /// A phone number to call (an outside number for OpenVox, a phone
    /// invitation for DingTalk).
    Phone(String),
    /// The vendor's user id (DingTalk unionId; for OpenVox, whose users are
    /// extensions, the same as [`Address::Extension`]).
    User(String),
}

impl Address {
    /// The extension, number or id.
    pub fn value(&self) -> &str {
        match self {
            Address::Extension(v) | Address::Phone(v) | Address::User(v) => v,
        }
    }
}

/// Someone to invite, with the name to show where the vendor asks for one
/// (DingTalk requires it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    /// How to reach them.
    pub address: Address,
    /// Display name.
    pub name: Option<String>,
}

impl Invitee {
    /// An invitee without a name.
    pub fn new(address: Address) -> Self {
        Self { address, name: None }
    }

    /// The same invitee, shown as `name`.
    pub fn named(self, name: impl Into<String>) -> Self {
        Self { name: Some(name.into()), ..self }
    }
}

impl FromStr for Invitee {
    type Err = String;

    /// `[ext:|tel:|user:]ID[=NAME]`: `ext:4001`, `tel:13800000000=张三`,
    /// `user:qzR1iSMDvzR9kXXXXXXXx=测试用户`. Without a prefix the value is
    /// the vendor's user id (for OpenVox, an extension).
    fn from_str(s: &str) -> Result<Self, String> {
        let (address, name) = match s.split_once('=') {
            Some((a, n)) => (a, Some(n.trim())),
            None => (s, None),
        };
        let address = address.trim();
        let address = match address.split_once(':') {
            Some(("ext", v)) => Address::Extension(v.to_owned()),
            Some(("tel", v)) => Address::Phone(v.to_owned()),
            Some(("user", v)) => Address::User(v.to_owned()),
            _ => Address::User(address.to_owned()),
        };
        if address.value().trim().is_empty() {
            return Err(format!("{s:?}: no extension, number or id (expected [ext:|tel:|user:]ID[=NAME])"));
        }
        let name = name.filter(|n| !n.is_empty()).map(str::to_owned);
        Ok(Self { address, name })
    }
}

/// What to start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Start {
    /// Subject (DingTalk requires one; OpenVox names the room's call with it).
    pub title: Option<String>,
    /// The idle room to hold it in (OpenVox requires one).
    pub room: Option<String>,
    /// Who starts it: the organiser's unionId (DingTalk) or the moderator's
    /// extension (OpenVox). Both require one.
    pub by: Option<String>,
    /// Whom to call in.
    pub invitees: Vec<Invitee>,
}

/// An action with what it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Start an instant conference.
    Start(Start),
    /// End a conference.
    End {
        /// The conference.
        conference: String,
        /// Who ends it: DingTalk lets only the host close a conference and
        /// reads the host from the conference when this is absent.
        by: Option<String>,
    },
    /// Invite people.
    Invite {
        /// The conference (OpenVox: the room number).
        conference: String,
        /// Whom to invite.
        invitees: Vec<Invitee>,
        /// Who invites: OpenVox needs a moderator extension of the room and
        /// reads the room's first moderator when this is absent; DingTalk
        /// takes an optional inviter unionId.
        by: Option<String>,
    },
    /// Remove a member.
    Kick {
        /// The conference.
        conference: String,
        /// The member's id (DingTalk unionId).
        member: String,
    },
    /// Mute or unmute one member ([`Action::Mute`] or [`Action::Unmute`]).
    Mute {
        /// The conference (OpenVox: the room number).
        conference: String,
        /// The member's id (DingTalk unionId; OpenVox extension).
        member: String,
        /// `true` to mute, `false` to unmute.
        mute: bool,
    },
    /// Mute or unmute everyone ([`Action::MuteAll`] or [`Action::UnmuteAll`]).
    MuteAll {
        /// The conference.
        conference: String,
        /// `true` to mute, `false` to unmute.
        mute: bool,
    },
}

impl Request {
    /// The action this request asks for.
    pub fn action(&self) -> Action {
        match self {
            Request::Start(_) => Action::Start,
            Request::End { .. } => Action::End,
            Request::Invite { .. } => Action::Invite,
            Request::Kick { .. } => Action::Kick,
            Request::Mute { mute: true, .. } => Action::Mute,
            Request::Mute { mute: false, .. } => Action::Unmute,
            Request::MuteAll { mute: true, .. } => Action::MuteAll,
            Request::MuteAll { mute: false, .. } => Action::UnmuteAll,
        }
    }

    /// The conference acted on (for a start, the room asked for, if any).
    pub fn conference(&self) -> Option<&str> {
        match self {
            Request::Start(start) => start.room.as_deref(),
            Request::End { conference, .. }
            | Request::Invite { conference, .. }
            | Request::Kick { conference, .. }
            | Request::Mute { conference, .. }
            | Request::MuteAll { conference, .. } => Some(conference),
        }
    }
}

/// What a vendor did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The account that acted.
    pub account: String,
    /// The vendor.
    pub vendor: Vendor,
    /// The action performed.
    pub action: Action,
    /// The conference acted on; for a start, the new conference's id.
    pub conference: String,
    /// The link to join, where the vendor gave one.
    pub join_url: Option<String>,
}

impl Outcome {
    /// `action` done on `vendor`'s `conference`, with no link (the facade
    /// fills in the account).
    pub fn of(vendor: Vendor, action: Action, conference: impl Into<String>) -> Self {
        Self { account: String::new(), vendor, action, conference: conference.into(), join_url: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitees_parse_with_a_kind_and_a_name() {
        let parse = |s: &str| s.parse::<Invitee>();
        assert_eq!(parse("4001"), Ok(Invitee::new(Address::User("4001".into()))));
        assert_eq!(parse("ext:4001"), Ok(Invitee::new(Address::Extension("4001".into()))));
        assert_eq!(parse("tel:13800000000=张三"), Ok(Invitee::new(Address::Phone("13800000000".into())).named("张三")));
        assert_eq!(parse("user:qzR1=测试用户"), Ok(Invitee::new(Address::User("qzR1".into())).named("测试用户")));
        assert_eq!(parse("qzR1="), Ok(Invitee::new(Address::User("qzR1".into()))));
        assert!(parse("tel:").is_err() && parse("=name").is_err());
    }

    #[test]
    fn actions_have_names_and_the_unsupported_error_names_vendor_and_action() {
        let names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        assert_eq!(names, ["start", "end", "invite", "kick", "mute", "unmute", "mute-all", "unmute-all"]);
        let unmute = Request::Mute { conference: "6500".into(), member: "1003".into(), mute: false };
        assert_eq!(unmute.action(), Action::Unmute);
        assert_eq!(Request::MuteAll { conference: "6500".into(), mute: true }.action(), Action::MuteAll);
        assert_eq!(Request::MuteAll { conference: "6500".into(), mute: false }.action(), Action::UnmuteAll);
        let e = unsupported(Vendor::QUANSHI, Action::Kick);
        assert_eq!(e.kind(), ErrorKind::Unsupported);
        assert_eq!(e.vendor(), "quanshi");
        let text = e.to_string();
        assert!(text.contains("quanshi") && text.contains("kick"), "{text}");
    }
}
