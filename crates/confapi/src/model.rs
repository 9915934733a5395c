//! The vendor-neutral model.

use crate::state::MemberState;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A conferencing system this crate speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Vendor {
    /// OpenVox IPPBX (dial-in conference rooms).
    Openvox,
    /// Quanshi / G-Net cloud meetings.
    Quanshi,
    /// DingTalk video conferences.
    Dingtalk,
}

impl Vendor {
    /// Every vendor, in a stable order.
    pub const ALL: [Vendor; 3] = [Vendor::Openvox, Vendor::Quanshi, Vendor::Dingtalk];

    /// The lower-case name (`"openvox"`).
    pub fn name(self) -> &'static str {
        match self {
            Vendor::Openvox => "openvox",
            Vendor::Quanshi => "quanshi",
            Vendor::Dingtalk => "dingtalk",
        }
    }

    /// What the vendor's spec says (operations, envelope, shapes, secret
    /// names), if its feature is compiled in.
    pub fn info(self) -> Option<&'static confapi_core::VendorInfo> {
        match self {
            #[cfg(feature = "openvox")]
            Vendor::Openvox => Some(&confapi_openvox::generated::meta::VENDOR),
            #[cfg(feature = "quanshi")]
            Vendor::Quanshi => Some(&confapi_quanshi::generated::meta::VENDOR),
            #[cfg(feature = "dingtalk")]
            Vendor::Dingtalk => Some(&confapi_dingtalk::generated::meta::VENDOR),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

/// The spec facts of every vendor compiled in, in [`Vendor::ALL`] order:
/// the one list the CLI, the tests, the bench and the fuzz targets use.
pub fn vendor_infos() -> Vec<&'static confapi_core::VendorInfo> {
    Vendor::ALL.into_iter().filter_map(Vendor::info).collect()
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Vendor {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Vendor::ALL
            .into_iter()
            .find(|v| v.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown vendor {s:?} (expected openvox, quanshi or dingtalk)"))
    }
}

/// Where a conference is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Booked or created, not started.
    Scheduled,
    /// In progress now.
    Live,
    /// Over.
    Ended,
    /// Cancelled before it was held.
    Cancelled,
    /// A vendor value we do not map, as the vendor sent it.
    Unknown(String),
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Scheduled => f.write_str("scheduled"),
            Status::Live => f.write_str("live"),
            Status::Ended => f.write_str("ended"),
            Status::Cancelled => f.write_str("cancelled"),
            Status::Unknown(raw) => write!(f, "unknown({raw})"),
        }
    }
}

/// Head counts, where the vendor reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Participants {
    /// In the conference now.
    pub active: Option<u64>,
    /// Joined at any time.
    pub total: Option<u64>,
    /// Invited.
    pub invited: Option<u64>,
}

/// One participant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Member {
    /// The vendor's id for the person or line (extension, user id, unionId).
    pub id: Option<String>,
    /// Display name, as the vendor sent it (absent when it sent none).
    pub name: Option<String>,
    /// `host`, `co-host` or `participant`, where the vendor says.
    pub role: Option<String>,
    /// Where the member is, in the same words for every vendor.
    pub state: MemberState,
    /// The vendor's own value the state was read from (`ANSWERED`, `3`,
    /// `W` …); absent where the vendor has no state field (a terminal in
    /// Quanshi's attendee list is connected by being listed).
    pub state_raw: Option<String>,
    /// When the member joined.
    pub joined_at: Option<DateTime<Utc>>,
    /// When the member left.
    pub left_at: Option<DateTime<Utc>>,
}

/// A conference, the same shape whatever the vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Conference {
    /// The system it runs on.
    pub vendor: Vendor,
    /// Its id on that system (room number, event id, conferenceId).
    pub id: String,
    /// Subject or room name.
    pub title: Option<String>,
    /// Where it is in its life.
    pub status: Status,
    /// When it started or starts.
    pub start: Option<DateTime<Utc>>,
    /// When it ended or ends.
    pub end: Option<DateTime<Utc>>,
    /// Host or creator.
    pub host: Option<String>,
    /// Head counts.
    pub participants: Participants,
    /// Members, where the vendor lists them (empty otherwise).
    pub members: Vec<Member>,
    /// Link to join, where the vendor gives one.
    pub join_url: Option<String>,
}

impl Conference {
    /// A conference with only the fields every vendor has.
    pub fn new(vendor: Vendor, id: impl Into<String>, status: Status) -> Self {
        Self {
            vendor,
            id: id.into(),
            title: None,
            status,
            start: None,
            end: None,
            host: None,
            participants: Participants::default(),
            members: Vec::new(),
            join_url: None,
        }
    }
}

/// One vendor's part of a fan-out: its conferences or its error.
#[derive(Debug)]
pub struct VendorResult<T> {
    /// The vendor.
    pub vendor: Vendor,
    /// What it answered.
    pub result: Result<T, confapi_core::Error>,
}
