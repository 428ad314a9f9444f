//! The idempotent producer's sequence bookkeeping: the non-transactional part of
//! `clients/.../producer/internals/TransactionManager.java` and `TxnPartitionEntry.java`
//! (producer epoch, per-partition next and last acknowledged sequence, the KIP-360 epoch
//! bump that restarts a partition's sequences at 0).

use crate::engine::protocol::{increment_sequence, last_sequence};
use std::collections::BTreeSet;

/// One partition's entry (`TxnPartitionEntry`).
#[derive(Clone, Debug, Default)]
struct PartitionEntry {
    /// The producer epoch this partition's sequences belong to.
    epoch: u16,
    next_sequence: i32,
    last_acked: Option<i32>,
    /// Base sequences of batches sent and not yet completed (`inflightBatchesBySequence`).
    in_flight: BTreeSet<i32>,
    /// Set when a sent batch expired: the next sequence after it
    /// (`partitionsWithUnresolvedSequences`).
    unresolved: Option<i32>,
}

/// The producer's idempotence state.
#[derive(Clone, Debug)]
pub struct IdempotenceState {
    epoch: u16,
    partitions: Vec<PartitionEntry>,
    epoch_bump_required: bool,
    partitions_to_rewrite: BTreeSet<u32>,
}

impl IdempotenceState {
    pub fn new(partitions: u32) -> Self {
        IdempotenceState {
            epoch: 0,
            partitions: vec![PartitionEntry::default(); partitions as usize],
            epoch_bump_required: false,
            partitions_to_rewrite: BTreeSet::new(),
        }
    }

    pub fn epoch(&self) -> u16 {
        self.epoch
    }

    /// `setProducerIdAndEpoch` from an `InitProducerIdResponse`: sequences start afresh
    /// in that epoch.
    pub fn init_epoch(&mut self, epoch: u16) {
        self.epoch = epoch;
        for e in &mut self.partitions {
            *e = PartitionEntry {
                epoch,
                ..PartitionEntry::default()
            };
        }
    }

    fn entry(&self, p: u32) -> &PartitionEntry {
        &self.partitions[p as usize]
    }

    fn is_stale(&self, p: u32) -> bool {
        self.entry(p).epoch != self.epoch
    }

    /// The lowest base sequence in flight (`firstInFlightSequence`).
    pub fn first_in_flight(&self, p: u32) -> Option<i32> {
        self.entry(p).in_flight.first().copied()
    }

    pub fn has_in_flight(&self, p: u32) -> bool {
        !self.entry(p).in_flight.is_empty()
    }

    /// `RecordAccumulator.shouldStopDrainBatchesForPartition`: for a batch without a
    /// sequence, not while the partition has in-flight batches of an older epoch or
    /// unresolved sequences; for a retried batch, only when it is the first in flight.
    pub fn should_stop_drain(&self, p: u32, first_sequence: Option<i32>) -> bool {
        let e = self.entry(p);
        match first_sequence {
            None => (!e.in_flight.is_empty() && self.is_stale(p)) || e.unresolved.is_some(),
            Some(seq) => self.first_in_flight(p).is_some_and(|f| f != seq),
        }
    }

    /// A batch is drained for the first time: `maybeUpdateProducerIdAndEpoch` (a stale
    /// partition with nothing in flight restarts at 0 in the current epoch), then the
    /// next sequence. Returns (epoch, base sequence).
    pub fn assign(&mut self, p: u32, records: u32) -> (u16, i32) {
        let epoch = self.epoch;
        let e = &mut self.partitions[p as usize];
        if e.epoch != epoch && e.in_flight.is_empty() {
            *e = PartitionEntry {
                epoch,
                ..PartitionEntry::default()
            };
        }
        let seq = e.next_sequence;
        e.next_sequence = increment_sequence(seq, records);
        e.in_flight.insert(seq);
        (e.epoch, seq)
    }

    /// `handleCompletedBatch`: the last acknowledged sequence moves up.
    pub fn acknowledged(&mut self, p: u32, epoch: u16, base_sequence: i32, records: u32) {
        let e = &mut self.partitions[p as usize];
        e.in_flight.remove(&base_sequence);
        if epoch == e.epoch {
            let last = last_sequence(base_sequence, records);
            e.last_acked = Some(e.last_acked.map_or(last, |l| l.max(last)));
        }
    }

    /// `Sender.completeBatch` → `failBatch` → `handleFailedBatch` for the idempotent
    /// producer: an error response that cannot be retried asks for an epoch bump
    /// (`requestEpochBumpForPartition`).
    pub fn failed_by_response(&mut self, p: u32, base_sequence: i32) {
        self.partitions[p as usize].in_flight.remove(&base_sequence);
        self.request_epoch_bump(p);
    }

    /// A batch expired at delivery.timeout.ms (`failBatch(.., false)`); one that was being
    /// retried leaves its partition unresolved (`markSequenceUnresolved`).
    pub fn expired(&mut self, p: u32, base_sequence: i32, records: u32, in_retry: bool) {
        let e = &mut self.partitions[p as usize];
        e.in_flight.remove(&base_sequence);
        if in_retry {
            let next = increment_sequence(base_sequence, records);
            e.unresolved = Some(e.unresolved.map_or(next, |u| u.max(next)));
        }
    }

    fn request_epoch_bump(&mut self, p: u32) {
        self.epoch_bump_required = true;
        self.partitions_to_rewrite.insert(p);
    }

    fn is_next_sequence(&self, p: u32, sequence: i32) -> bool {
        i64::from(sequence) - i64::from(self.entry(p).last_acked.unwrap_or(-1)) == 1
    }

    /// `TransactionManager.canRetry` for OUT_OF_ORDER_SEQUENCE_NUMBER: always retried;
    /// when the batch is the one right after the last acknowledged sequence (and its
    /// sequence was not reset), there is a real gap in the broker's log, so the epoch is
    /// bumped (KIP-360).
    pub fn out_of_order(&mut self, p: u32, base_sequence: i32, sequence_reset: bool) {
        let e = self.entry(p);
        let gap = match e.unresolved {
            None => !sequence_reset && self.is_next_sequence(p, base_sequence),
            Some(next) => next == base_sequence,
        };
        if gap {
            self.request_epoch_bump(p);
        }
    }

    /// `maybeResolveSequences`: once an unresolved partition has nothing in flight, it is
    /// resolved if the next sequence follows the last acknowledged one, else the epoch is
    /// bumped.
    pub fn maybe_resolve_sequences(&mut self) {
        for p in 0..self.partitions.len() as u32 {
            let e = self.entry(p);
            if e.unresolved.is_none() || !e.in_flight.is_empty() {
                continue;
            }
            if !self.is_next_sequence(p, e.next_sequence) {
                self.request_epoch_bump(p);
            }
            self.partitions[p as usize].unresolved = None;
        }
    }

    /// `bumpIdempotentEpochAndResetIdIfNeeded` → `bumpIdempotentProducerEpoch`: the epoch
    /// goes up by one and the partitions that asked for it restart their sequences.
    /// Returns those partitions; for each, the caller renumbers its in-flight batches with
    /// `restart_sequences`.
    pub fn take_epoch_bump(&mut self) -> Option<Vec<u32>> {
        if !self.epoch_bump_required {
            return None;
        }
        self.epoch_bump_required = false;
        self.epoch = self.epoch.wrapping_add(1);
        Some(
            std::mem::take(&mut self.partitions_to_rewrite)
                .into_iter()
                .collect(),
        )
    }

    /// `TxnPartitionEntry.startSequencesAtBeginning`: the in-flight batches, given in
    /// sequence order by their record counts, get sequences from 0 in the new epoch.
    /// Returns their new base sequences.
    pub fn restart_sequences(&mut self, p: u32, in_flight_records: &[u32]) -> Vec<i32> {
        let epoch = self.epoch;
        let e = &mut self.partitions[p as usize];
        let mut next = 0;
        let mut bases = Vec::with_capacity(in_flight_records.len());
        for &records in in_flight_records {
            bases.push(next);
            next = increment_sequence(next, records);
        }
        *e = PartitionEntry {
            epoch,
            next_sequence: next,
            last_acked: None,
            in_flight: bases.iter().copied().collect(),
            unresolved: None,
        };
        bases
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_order_right_after_the_last_ack_bumps_the_epoch() {
        // canRetry: the next batch after the last acknowledged one got
        // OUT_OF_ORDER_SEQUENCE_NUMBER, so the broker lost what it acknowledged (an
        // unclean election truncated it): bump the epoch and restart at 0.
        let mut s = IdempotenceState::new(2);
        assert_eq!(s.assign(0, 10), (0, 0));
        assert_eq!(s.assign(0, 10), (0, 10));
        assert_eq!(s.assign(1, 5), (0, 0));
        s.acknowledged(0, 0, 0, 10);
        // A batch further along is not the gap: retried without a bump.
        s.out_of_order(0, 20, false);
        assert!(s.take_epoch_bump().is_none());
        s.out_of_order(0, 10, false);
        assert_eq!(s.take_epoch_bump(), Some(vec![0]));
        assert_eq!(s.epoch(), 1);
        assert_eq!(s.restart_sequences(0, &[10]), vec![0]);
        assert_eq!(s.first_in_flight(0), Some(0));
        assert_eq!(s.assign(0, 3), (1, 10));
        // Partition 1 keeps its old epoch while its batch is in flight, then restarts.
        assert!(s.should_stop_drain(1, None));
        s.acknowledged(1, 0, 0, 5);
        assert!(!s.should_stop_drain(1, None));
        assert_eq!(s.assign(1, 5), (1, 0));
    }

    #[test]
    fn an_expired_batch_leaves_the_partition_unresolved_until_it_drains() {
        // markSequenceUnresolved, then maybeResolveSequences once nothing is in flight:
        // resolved if a later batch was acknowledged (the next sequence follows the last
        // acknowledged one), else the epoch is bumped.
        let mut s = IdempotenceState::new(1);
        s.assign(0, 10);
        s.assign(0, 10);
        s.expired(0, 0, 10, true);
        assert!(
            s.should_stop_drain(0, None),
            "no new batches while unresolved"
        );
        s.maybe_resolve_sequences();
        assert!(
            s.take_epoch_bump().is_none(),
            "sequence 10 is still in flight"
        );
        s.acknowledged(0, 0, 10, 10);
        s.maybe_resolve_sequences();
        assert!(
            s.take_epoch_bump().is_none(),
            "acknowledged up to 19, next is 20"
        );
        assert!(!s.should_stop_drain(0, None));

        let mut s = IdempotenceState::new(1);
        s.assign(0, 10);
        s.assign(0, 10);
        s.acknowledged(0, 0, 0, 10);
        s.expired(0, 10, 10, true);
        s.maybe_resolve_sequences();
        assert_eq!(
            s.take_epoch_bump(),
            Some(vec![0]),
            "9 acknowledged, next is 20"
        );
        assert_eq!(s.assign(0, 5), (1, 0));
    }

    #[test]
    fn a_retried_batch_goes_only_when_it_is_first_in_flight() {
        let mut s = IdempotenceState::new(1);
        s.assign(0, 10);
        s.assign(0, 10);
        assert!(s.should_stop_drain(0, Some(10)));
        assert!(!s.should_stop_drain(0, Some(0)));
    }
}
