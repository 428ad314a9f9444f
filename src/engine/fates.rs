//! Every record's fate as running counts, updated as things happen: a batch's outcome
//! when the producer learns it, and each partition's log as its high watermark moves.
//! Reading the counts costs nothing, however long the run; only a change that rewrites
//! history (an election, a truncation) re-reads that one partition's log.

use super::cluster::{Cluster, PartitionState};
use super::log::LogEntry;
use super::sim::{Fates, Outcome};

/// One batch's standing.
#[derive(Clone, Copy, Debug)]
struct BatchFate {
    partition: u32,
    records: u32,
    outcome: Outcome,
    /// Copies below the high watermark of its partition's final log.
    copies: u8,
    /// Its first committed copy came after a batch created later.
    reordered: bool,
    /// In the final log above the high watermark.
    uncommitted: bool,
    /// Committed copies that retention has since deleted: they count for good.
    retained_copies: u8,
}

/// How far a partition's final log has been read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct LogMark {
    /// Whose log counts (`PartitionState::final_log_index`) and in which leader epoch.
    owner: Option<usize>,
    leader_epoch: u32,
    truncations: u64,
    high_watermark: u64,
    /// Everything below this offset is counted as committed.
    committed_end: u64,
    /// Everything below this offset is counted (committed or not).
    seen_end: u64,
    /// The highest batch id among the committed entries, for reordering.
    highest: Option<u64>,
}

/// The running counts.
#[derive(Clone, Debug, Default)]
pub struct FateTracker {
    batches: Vec<BatchFate>,
    marks: Vec<LogMark>,
    /// Per partition, the highest batch id among the entries retention deleted.
    retained_highest: Vec<Option<u64>>,
    counts: Fates,
}

impl FateTracker {
    pub fn new(partitions: u32) -> Self {
        FateTracker {
            marks: vec![LogMark::default(); partitions as usize],
            retained_highest: vec![None; partitions as usize],
            ..FateTracker::default()
        }
    }

    /// The counts of every batch's records (without send() failures and a blocked send()).
    pub fn counts(&self) -> Fates {
        self.counts
    }

    fn slot<'a>(f: &'a mut Fates, b: &BatchFate) -> &'a mut u64 {
        match b.outcome {
            Outcome::Pending => &mut f.in_flight,
            Outcome::Failed => &mut f.failed,
            Outcome::Acked => match b.copies {
                0 if b.uncommitted => &mut f.acked_uncommitted,
                0 => &mut f.acked_lost,
                1 if b.reordered => &mut f.reordered,
                1 => &mut f.acked_durable,
                _ => &mut f.duplicated,
            },
        }
    }

    /// Changes batch `id` with its records counted out, then in again.
    fn update(&mut self, id: u64, change: impl FnOnce(&mut BatchFate)) {
        let Some(b) = self.batches.get_mut(id as usize) else {
            return;
        };
        let n = b.records as u64;
        *Self::slot(&mut self.counts, b) -= n;
        change(b);
        *Self::slot(&mut self.counts, b) += b.records as u64;
    }

    /// A new batch, with the id the accumulator gave it (ids are dense from 0).
    pub fn new_batch(&mut self, id: u64, partition: u32) {
        debug_assert_eq!(id as usize, self.batches.len());
        self.batches.push(BatchFate {
            partition,
            records: 0,
            outcome: Outcome::Pending,
            copies: 0,
            reordered: false,
            uncommitted: false,
            retained_copies: 0,
        });
    }

    pub fn add_record(&mut self, id: u64) {
        self.update(id, |b| b.records += 1);
    }

    pub(super) fn set_outcome(&mut self, id: u64, outcome: Outcome) {
        self.update(id, |b| b.outcome = outcome);
    }

    /// Each batch's records and outcome, by batch id.
    pub(super) fn outcomes(&self) -> Vec<(u32, Outcome)> {
        self.batches
            .iter()
            .map(|b| (b.records, b.outcome))
            .collect()
    }

    /// The records of acknowledged batches, and of failed ones.
    pub fn acked_and_failed(&self) -> (u64, u64) {
        let c = &self.counts;
        (
            c.acked_durable + c.acked_lost + c.acked_uncommitted + c.duplicated + c.reordered,
            c.failed,
        )
    }

    /// Reads what changed in every partition's final log since the last call.
    pub fn sync(&mut self, cluster: &Cluster) {
        for (i, p) in cluster.partitions.iter().enumerate() {
            self.sync_partition(i, p);
        }
    }

    fn sync_partition(&mut self, i: usize, p: &PartitionState) {
        let owner = p.final_log_index();
        let log = owner.map(|o| &p.logs[o]);
        let truncations = log.map_or(0, |l| l.truncations());
        let leo = log.map_or(0, |l| l.log_end_offset());
        let mark = self.marks[i];
        let rewritten = mark.owner != owner
            || mark.leader_epoch != p.leader_epoch
            || mark.truncations != truncations
            || p.high_watermark < mark.high_watermark
            || leo < mark.seen_end;
        if rewritten {
            self.forget_partition(i);
        }
        let mut mark = self.marks[i];
        mark.owner = owner;
        mark.leader_epoch = p.leader_epoch;
        mark.truncations = truncations;
        mark.high_watermark = p.high_watermark;
        let Some(log) = log else {
            self.marks[i] = mark;
            return;
        };
        let hw = p.high_watermark;
        // Entries that became committed: counted once more, and no longer uncommitted.
        let from = log
            .entries()
            .partition_point(|e| e.end_offset() <= mark.committed_end);
        let to = log.entries().partition_point(|e| e.end_offset() <= hw);
        for e in &log.entries()[from..to.max(from)] {
            self.commit(e, &mut mark.highest);
            mark.committed_end = e.end_offset();
        }
        // Entries appended above the high watermark.
        let from = log
            .entries()
            .partition_point(|e| e.end_offset() <= mark.seen_end);
        for e in &log.entries()[from.max(to)..] {
            self.update(e.batch, |b| b.uncommitted = true);
        }
        mark.seen_end = mark.seen_end.max(leo).max(mark.committed_end);
        self.marks[i] = mark;
    }

    fn commit(&mut self, e: &LogEntry, highest: &mut Option<u64>) {
        let later_seen = highest.is_some_and(|h| e.batch < h);
        self.update(e.batch, |b| {
            b.uncommitted = false;
            b.copies = b.copies.saturating_add(1);
            if b.copies == 1 && later_seen {
                b.reordered = true;
            }
        });
        *highest = Some(highest.map_or(e.batch, |h| h.max(e.batch)));
    }

    /// The partition's log was rewritten (rare: an election or a truncation): every batch
    /// of it is read again from scratch.
    fn forget_partition(&mut self, i: usize) {
        for id in 0..self.batches.len() as u64 {
            if self.batches[id as usize].partition as usize == i {
                self.update(id, |b| {
                    b.copies = b.retained_copies;
                    b.reordered &= b.retained_copies > 0;
                    b.uncommitted = false;
                });
            }
        }
        self.marks[i] = LogMark {
            highest: self.retained_highest[i],
            ..LogMark::default()
        };
    }

    /// Retention is about to delete partition `i`'s batches below `offset` (all of them
    /// committed and counted by the last `sync`): their copies count for good.
    pub fn retain(&mut self, i: u32, p: &PartitionState, offset: u64) {
        let Some(log) = p.final_log() else { return };
        let end = log.entries().partition_point(|e| e.end_offset() <= offset);
        for e in &log.entries()[..end] {
            if let Some(b) = self.batches.get_mut(e.batch as usize) {
                b.retained_copies = b.retained_copies.saturating_add(1);
            }
            let h = &mut self.retained_highest[i as usize];
            *h = Some(h.map_or(e.batch, |h| h.max(e.batch)));
        }
    }
}
