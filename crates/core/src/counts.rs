//! What a client's calls cost: per operation, the requests sent, the
//! answers that were throttles, and the requests that were sends again
//! (after a throttle, a renewal or a retry). Shared by a client's clones.

use crate::meta::{OperationMeta, VendorInfo};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// The counts of one operation, or of a whole client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationCounts {
    /// Requests sent (every attempt that reached the network).
    pub sent: u64,
    /// Answers that said the call was refused for rate.
    pub throttled: u64,
    /// Requests that repeated an earlier one of the same call.
    pub retried: u64,
}

impl std::ops::AddAssign for OperationCounts {
    fn add_assign(&mut self, other: Self) {
        self.sent += other.sent;
        self.throttled += other.throttled;
        self.retried += other.retried;
    }
}

/// A snapshot of a client's counts, by operation id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallCounts {
    /// Operations called at least once.
    pub by_operation: BTreeMap<&'static str, OperationCounts>,
}

impl CallCounts {
    /// The sum over every operation.
    pub fn total(&self) -> OperationCounts {
        let mut sum = OperationCounts::default();
        for counts in self.by_operation.values() {
            sum += *counts;
        }
        sum
    }

    /// The counts of operation `id` (zero if it was never called).
    pub fn of(&self, id: &str) -> OperationCounts {
        self.by_operation.get(id).copied().unwrap_or_default()
    }
}

/// What one attempt adds.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Event {
    Sent { again: bool },
    Throttled,
}

/// The live counters, one set per operation of the vendor, in spec order.
#[derive(Debug)]
pub(crate) struct Counters {
    vendor: &'static VendorInfo,
    slots: Vec<[AtomicU64; 3]>,
}

impl Counters {
    pub(crate) fn new(vendor: &'static VendorInfo) -> Self {
        Self { vendor, slots: vendor.operations.iter().map(|_| Default::default()).collect() }
    }

    pub(crate) fn add(&self, op: &OperationMeta, event: Event) {
        // The generated statics point into the vendor's table: compare addresses first.
        let ops = self.vendor.operations;
        let Some(index) =
            ops.iter().position(|o| std::ptr::eq(o, op)).or_else(|| ops.iter().position(|o| o.id == op.id))
        else {
            return;
        };
        let slot = &self.slots[index];
        match event {
            Event::Sent { again } => {
                slot[0].fetch_add(1, Ordering::Relaxed);
                if again {
                    slot[2].fetch_add(1, Ordering::Relaxed);
                }
            }
            Event::Throttled => {
                slot[1].fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    pub(crate) fn snapshot(&self) -> CallCounts {
        let by_operation = self
            .vendor
            .operations
            .iter()
            .zip(&self.slots)
            .map(|(op, s)| {
                let read = |i: usize| s[i].load(Ordering::Relaxed);
                (op.id, OperationCounts { sent: read(0), throttled: read(1), retried: read(2) })
            })
            .filter(|(_, c)| *c != OperationCounts::default())
            .collect();
        CallCounts { by_operation }
    }
}
