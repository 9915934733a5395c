//! Quanshi actions: none. The `confopenapi` family the spec covers reads
//! meetings and edits or cancels bookings; it has no call to start an
//! instant meeting, end a running one (`cancelReservConference` cancels a
//! booking), invite, remove or mute an attendee.

use crate::actions::Action;
use confapi_core::OperationMeta;

/// The operation of the Quanshi spec that performs `action`: none.
pub(crate) fn operation(action: Action) -> Option<&'static OperationMeta> {
    match action {
        Action::Start
        | Action::End
        | Action::Invite
        | Action::Kick
        | Action::Mute
        | Action::Unmute
        | Action::MuteAll
        | Action::UnmuteAll => None,
    }
}
