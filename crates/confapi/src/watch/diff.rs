//! What changed between two snapshots of one vendor's live conferences.

use super::{Event, Source};
use crate::model::{Conference, Member, Status};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One vendor's running conferences at one moment, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Snapshot(BTreeMap<String, Conference>);

impl Snapshot {
    /// The running conferences of a listing: ended and cancelled ones
    /// are left out, since they are not running.
    pub(crate) fn of(conferences: Vec<Conference>) -> Self {
        Self(
            conferences
                .into_iter()
                .filter(|c| !matches!(c.status, Status::Ended | Status::Cancelled))
                .map(|c| (c.id.clone(), c))
                .collect(),
        )
    }
}

/// The events that take `old` to `new`, conference by conference in id
/// order: a conference that appears is started and its present members
/// join; one that disappears sees its present members leave, then ends.
/// Members are compared as [`member_changes`] says.
pub(crate) fn changes(src: &Source, old: &Snapshot, new: &Snapshot) -> Vec<Event> {
    let ids: BTreeSet<&String> = old.0.keys().chain(new.0.keys()).collect();
    let mut events = Vec::new();
    for id in ids {
        match (old.0.get(id), new.0.get(id)) {
            (None, Some(started)) => {
                events.push(Event::ConferenceStarted {
                    account: src.account(),
                    vendor: src.vendor,
                    conference: started.clone(),
                });
                events.extend(member_changes(src, id, &[], &started.members));
            }
            (Some(ended), None) => {
                events.extend(member_changes(src, id, &ended.members, &[]));
                events.push(Event::ConferenceEnded {
                    account: src.account(),
                    vendor: src.vendor,
                    conference: ended.clone(),
                });
            }
            (Some(before), Some(after)) => events.extend(member_changes(src, id, &before.members, &after.members)),
            (None, None) => {}
        }
    }
    events
}

/// How a member is recognised from one snapshot to the next: its id (or,
/// lacking one, its name), and which occurrence of that id it is, so two
/// lines from one number stay two members. Members with neither cannot be
/// followed and are left out.
type Key<'a> = (&'a str, usize);

fn keyed(members: &[Member]) -> Vec<(Key<'_>, &Member)> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    members
        .iter()
        .filter_map(|m| {
            let who = m.id.as_deref().or(m.name.as_deref())?;
            let n = seen.entry(who).or_insert(0);
            *n += 1;
            Some(((who, *n), m))
        })
        .collect()
}

/// Member events of one conference. A member is present unless its state
/// is `left`: becoming present is a join (a first sighting, or a return),
/// ceasing to be present (leaving the list, or a `left` state) is a leave,
/// and a present member whose state changes is a state change. A member
/// first seen already gone gives nothing, so joins and leaves pair up.
pub(crate) fn member_changes(src: &Source, conference: &str, old: &[Member], new: &[Member]) -> Vec<Event> {
    let before: HashMap<Key<'_>, &Member> = keyed(old).into_iter().collect();
    let after = keyed(new);
    let mut events = Vec::new();
    let event = |make: fn(&Source, String, Member) -> Event, m: &Member| make(src, conference.to_owned(), m.clone());
    for (key, now) in &after {
        let was = before.get(key);
        match (was.map(|w| w.state.is_present()), now.state.is_present()) {
            (None | Some(false), true) => events.push(event(Event::joined, now)),
            (Some(true), false) => events.push(event(Event::left, now)),
            (Some(true), true) => {
                if let Some(w) = was.filter(|w| w.state != now.state) {
                    events.push(Event::MemberStateChanged {
                        account: src.account(),
                        vendor: src.vendor,
                        conference_id: conference.to_owned(),
                        member: (*now).clone(),
                        previous: w.state.clone(),
                        previous_raw: w.state_raw.clone(),
                    });
                }
            }
            (None | Some(false), false) => {}
        }
    }
    let still: BTreeSet<&Key<'_>> = after.iter().map(|(k, _)| k).collect();
    for (key, gone) in keyed(old) {
        if !still.contains(&key) && gone.state.is_present() {
            events.push(event(Event::left, gone));
        }
    }
    events
}
