//! The vendor-neutral model.

use crate::state::MemberState;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A conferencing system: the name of a vendor API the facade speaks to.
///
/// The three built in are [`Vendor::OPENVOX`], [`Vendor::QUANSHI`] and
/// [`Vendor::DINGTALK`]; an [`Adapter`](crate::Adapter) for another
/// system names its own with [`Vendor::new`]. Vendors compare by name.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Vendor(&'static str);

impl Vendor {
    /// OpenVox IPPBX (dial-in conference rooms).
    pub const OPENVOX: Vendor = Vendor("openvox");
    /// Quanshi / G-Net cloud meetings.
    pub const QUANSHI: Vendor = Vendor("quanshi");
    /// DingTalk video conferences.
    pub const DINGTALK: Vendor = Vendor("dingtalk");

    /// A vendor named `name` (lower case, as config files and `--json`
    /// spell it).
    pub const fn new(name: &'static str) -> Self {
        Vendor(name)
    }

    /// The lower-case name (`"openvox"`).
    pub fn name(self) -> &'static str {
        self.0
    }

    /// The vendors compiled in, in registration order.
    pub fn compiled() -> Vec<Vendor> {
        crate::registry::all().iter().map(|r| r.vendor).collect()
    }

    /// What the vendor's spec says (operations, envelope, shapes, secret
    /// names), if it is compiled in.
    pub fn info(self) -> Option<&'static confapi_core::VendorInfo> {
        crate::registry::find(self).map(|r| r.info)
    }
}

/// The spec facts of every vendor compiled in, in registration order:
/// the one list the CLI, the tests, the bench and the fuzz targets use.
pub fn vendor_infos() -> Vec<&'static confapi_core::VendorInfo> {
    crate::registry::all().iter().map(|r| r.info).collect()
}

impl fmt::Debug for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Vendor({})", self.0)
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Vendor {
    type Err = String;
    /// A vendor compiled in, by name (any case).
    fn from_str(s: &str) -> Result<Self, String> {
        let all = crate::registry::all();
        all.iter().map(|r| r.vendor).find(|v| v.name().eq_ignore_ascii_case(s)).ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|r| r.vendor.name()).collect();
            format!("unknown vendor {s:?} (expected one of: {})", names.join(", "))
        })
    }
}

impl Serialize for Vendor {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Vendor {
    /// A built-in vendor's name, or any other name (kept once per distinct
    /// name for the life of the process, as vendor names are few).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(Vendor(intern(&name)))
    }
}

/// `name` as a `&'static str`: a built-in name, or one leaked once.
fn intern(name: &str) -> &'static str {
    use std::collections::BTreeSet;
    use std::sync::{Mutex, PoisonError};
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    if let Some(known) = [Vendor::OPENVOX, Vendor::QUANSHI, Vendor::DINGTALK].iter().find(|v| v.0 == name) {
        return known.0;
    }
    let mut names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(kept) = names.get(name) {
        return kept;
    }
    let kept: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(kept);
    kept
}

impl JsonSchema for Vendor {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Vendor".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "description": "The vendor's lower-case name (openvox, quanshi, dingtalk)."})
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
    /// The account it was read through (its name in the configuration;
    /// the vendor's name for an account from the `CONFAPI_*` variables).
    #[serde(default)]
    pub account: String,
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
            account: String::new(),
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

/// One account's part of a fan-out: its answer or its error.
#[derive(Debug)]
pub struct AccountResult<T> {
    /// The account's name.
    pub account: String,
    /// Its vendor.
    pub vendor: Vendor,
    /// What it answered (an error names the account too).
    pub result: Result<T, confapi_core::Error>,
}
