//! A replica's log: the batches it holds, in offset order.
//!
//! Only batch metadata is kept (offsets, the producer's batch id and sequence, the leader
//! epoch that wrote it): the simulation never needs record bytes once a batch is built.

use serde::{Deserialize, Serialize};

/// One record batch as stored in a partition's log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub base_offset: u64,
    pub records: u32,
    /// The producer's batch id (the simulator's own, to trace a batch's fate).
    pub batch: u64,
    /// The idempotent producer's base sequence, if it set one.
    pub base_sequence: Option<i32>,
    /// The idempotent producer's epoch (meaningful with a sequence).
    #[serde(default)]
    pub producer_epoch: u16,
    /// The leader epoch in which the leader appended it (`partitionLeaderEpoch`).
    pub leader_epoch: u32,
    /// The batch's size on the wire, for replication traffic.
    pub size_in_bytes: u32,
}

impl LogEntry {
    pub fn end_offset(&self) -> u64 {
        self.base_offset + self.records as u64
    }
    pub fn last_sequence(&self) -> Option<i32> {
        self.base_sequence
            .map(|s| super::protocol::last_sequence(s, self.records))
    }
}

/// A replica's log.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReplicaLog {
    entries: Vec<LogEntry>,
    /// Offsets below this were deleted by retention (`delete_before`).
    log_start_offset: u64,
    /// How many truncations removed entries (so a reader can tell its view is stale).
    #[serde(default)]
    truncations: u64,
}

impl ReplicaLog {
    /// The log end offset (LEO): the offset the next record will get.
    pub fn log_end_offset(&self) -> u64 {
        self.entries
            .last()
            .map_or(self.log_start_offset, LogEntry::end_offset)
    }

    pub fn entries(&self) -> &[LogEntry] {
        &self.entries
    }

    pub fn truncations(&self) -> u64 {
        self.truncations
    }

    /// Appends a batch at the log end and returns its base offset.
    pub fn append(
        &mut self,
        records: u32,
        batch: u64,
        sequence: Option<(u16, i32)>,
        leader_epoch: u32,
        size_in_bytes: u32,
    ) -> u64 {
        let base_offset = self.log_end_offset();
        self.entries.push(LogEntry {
            base_offset,
            records,
            batch,
            base_sequence: sequence.map(|(_, s)| s),
            producer_epoch: sequence.map_or(0, |(e, _)| e),
            leader_epoch,
            size_in_bytes,
        });
        base_offset
    }

    /// Appends entries copied from the leader (a follower's fetch).
    pub fn append_fetched(&mut self, fetched: &[LogEntry]) {
        let leo = self.log_end_offset();
        self.entries
            .extend(fetched.iter().filter(|e| e.base_offset >= leo).copied());
    }

    /// Entries at or above `offset`, for a fetch response.
    pub fn entries_from(&self, offset: u64) -> &[LogEntry] {
        let start = self.entries.partition_point(|e| e.end_offset() <= offset);
        &self.entries[start..]
    }

    pub fn log_start_offset(&self) -> u64 {
        self.log_start_offset
    }

    /// Retention: deletes the batches that end at or below `offset` (the log start offset
    /// moves up, as when Kafka deletes old segments).
    pub fn delete_before(&mut self, offset: u64) {
        let n = self.entries.partition_point(|e| e.end_offset() <= offset);
        if let Some(last) = n.checked_sub(1).map(|i| self.entries[i]) {
            self.log_start_offset = self.log_start_offset.max(last.end_offset());
            self.entries.drain(..n);
        }
    }

    /// Removes everything at or above `offset`.
    pub fn truncate_to(&mut self, offset: u64) -> u64 {
        let keep = self.entries.partition_point(|e| e.end_offset() <= offset);
        let removed: u64 = self.entries[keep..].iter().map(|e| e.records as u64).sum();
        if keep < self.entries.len() {
            self.truncations += 1;
        }
        self.entries.truncate(keep);
        removed
    }

    /// The offset up to which this log agrees with `leader`: where a follower truncates
    /// to after an election (KIP-101/KIP-279: leader-epoch based truncation finds the
    /// first batch that differs).
    pub fn divergence_point(&self, leader: &ReplicaLog) -> u64 {
        let same = self
            .entries
            .iter()
            .zip(leader.entries.iter())
            .take_while(|(a, b)| a == b)
            .count();
        self.entries
            .get(same)
            .map_or(self.log_end_offset(), |e| e.base_offset)
    }

    /// The last batch this producer wrote, for the idempotent duplicate check
    /// (`ProducerStateManager` keeps the last 5 batches' metadata per producer).
    pub fn recent_sequenced(&self, n: usize) -> impl Iterator<Item = &LogEntry> {
        self.entries
            .iter()
            .rev()
            .filter(|e| e.base_sequence.is_some())
            .take(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_contiguous() {
        let mut log = ReplicaLog::default();
        assert_eq!(log.append(3, 0, None, 0, 100), 0);
        assert_eq!(log.append(2, 1, None, 0, 100), 3);
        assert_eq!(log.log_end_offset(), 5);
        assert_eq!(log.entries_from(3).len(), 1);
        assert_eq!(log.entries_from(0).len(), 2);
    }

    #[test]
    fn truncation_and_divergence() {
        let mut leader = ReplicaLog::default();
        leader.append(1, 0, None, 0, 100);
        leader.append(1, 1, None, 0, 100);
        let mut follower = leader.clone();
        follower.append(1, 2, None, 0, 100); // only the old leader had it
        leader.append(1, 3, None, 1, 100); // the new leader's epoch
        assert_eq!(follower.divergence_point(&leader), 2);
        assert_eq!(follower.truncate_to(2), 1);
        follower.append_fetched(leader.entries_from(2));
        assert_eq!(follower.entries(), leader.entries());
    }

    #[test]
    fn last_sequence_spans_the_batch() {
        let mut log = ReplicaLog::default();
        log.append(5, 0, Some((0, 10)), 0, 100);
        assert_eq!(log.entries()[0].last_sequence(), Some(14));
        assert_eq!(log.recent_sequenced(5).count(), 1);
    }

    #[test]
    fn retention_moves_the_log_start_offset() {
        let mut log = ReplicaLog::default();
        for b in 0..4 {
            log.append(10, b, None, 0, 100);
        }
        log.delete_before(25);
        assert_eq!(log.log_start_offset(), 20);
        assert_eq!(log.entries().len(), 2);
        assert_eq!(log.log_end_offset(), 40);
        assert_eq!(log.truncate_to(20), 20);
        assert_eq!(log.log_end_offset(), 20);
        assert_eq!(log.append(5, 9, None, 0, 100), 20);
    }
}
