//! Where a member is, in one vocabulary for every vendor.
//!
//! Each vendor has its own words: DingTalk's `attendStatus` codes (`3` in
//! the meeting, `6` left), OpenVox's channel states (`ANSWERED`, `HOLD`,
//! Asterisk's `Up`), Quanshi's invitation answers (`W`, `A`, `R`). The
//! vendor modules map them to [`MemberState`]; the member keeps the
//! vendor's word beside it (`Member::state_raw`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A member's state, the same words whatever the vendor.
///
/// In JSON it is one lower-case word (`"in_meeting"`, `"waiting"`,
/// `"invited"`, `"left"`, `"unknown"`); the vendor's own value travels
/// beside it as `state_raw`, so an unknown state is never lost. Read back
/// from JSON, `Unknown` holds an empty string: its value is in `state_raw`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(into = "StateWord", from = "StateWord")]
pub enum MemberState {
    /// Connected and taking part.
    InMeeting,
    /// Connected but held back: in a waiting room or on hold until a
    /// moderator lets them in.
    Waiting,
    /// Invited, being called or still joining; not connected yet.
    Invited,
    /// Gone: left, hung up, removed, or failed to join.
    Left,
    /// A value no mapping covers (or none at all), as the vendor sent it.
    Unknown(String),
}

impl Default for MemberState {
    /// `Unknown("")`: the vendor said nothing.
    fn default() -> Self {
        MemberState::Unknown(String::new())
    }
}

impl MemberState {
    /// Whether the member counts as taking part in the conference (or on
    /// the way in): anything but [`MemberState::Left`].
    pub fn is_present(&self) -> bool {
        !matches!(self, MemberState::Left)
    }

    /// The JSON word of this state.
    pub fn word(&self) -> &'static str {
        match StateWord::from(self.clone()) {
            StateWord::InMeeting => "in_meeting",
            StateWord::Waiting => "waiting",
            StateWord::Invited => "invited",
            StateWord::Left => "left",
            StateWord::Unknown => "unknown",
        }
    }
}

impl fmt::Display for MemberState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemberState::Unknown(raw) if !raw.is_empty() => write!(f, "unknown({raw})"),
            other => f.write_str(other.word()),
        }
    }
}

/// The JSON form of [`MemberState`]: its word alone.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "MemberState")]
enum StateWord {
    /// Connected and taking part.
    InMeeting,
    /// Connected but held in a waiting room or on hold.
    Waiting,
    /// Invited, being called or still joining.
    Invited,
    /// Left, hung up, removed, or failed to join.
    Left,
    /// No mapping covers the vendor's value; see `state_raw`.
    Unknown,
}

impl From<MemberState> for StateWord {
    fn from(state: MemberState) -> Self {
        match state {
            MemberState::InMeeting => StateWord::InMeeting,
            MemberState::Waiting => StateWord::Waiting,
            MemberState::Invited => StateWord::Invited,
            MemberState::Left => StateWord::Left,
            MemberState::Unknown(_) => StateWord::Unknown,
        }
    }
}

impl From<StateWord> for MemberState {
    fn from(word: StateWord) -> Self {
        match word {
            StateWord::InMeeting => MemberState::InMeeting,
            StateWord::Waiting => MemberState::Waiting,
            StateWord::Invited => MemberState::Invited,
            StateWord::Left => MemberState::Left,
            StateWord::Unknown => MemberState::Unknown(String::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_one_word_and_display_shows_an_unknown_value() {
        let states = [
            (MemberState::InMeeting, "\"in_meeting\""),
            (MemberState::Waiting, "\"waiting\""),
            (MemberState::Invited, "\"invited\""),
            (MemberState::Left, "\"left\""),
            (MemberState::Unknown("9".into()), "\"unknown\""),
        ];
        for (state, json) in states {
            assert_eq!(serde_json::to_string(&state).unwrap(), json);
            assert_eq!(format!("\"{}\"", state.word()), json);
        }
        assert_eq!(MemberState::Unknown("9".into()).to_string(), "unknown(9)");
        assert_eq!(MemberState::InMeeting.to_string(), "in_meeting");
        let back: MemberState = serde_json::from_str("\"waiting\"").unwrap();
        assert_eq!(back, MemberState::Waiting);
        assert!(!MemberState::Left.is_present() && MemberState::Invited.is_present());
    }
}
