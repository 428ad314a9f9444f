//! Every record's fate as running counts, updated as things happen: a batch's outcome
//! when the producer learns it, and each partition's log as its high watermark moves.
//! Reading the counts costs nothing, however long the run; only a change that rewrites
//! history (an election, a truncation) re-reads that one partition's log.
//!
//! The history is bounded: a batch is forgotten once its fate can no longer change (its
//! committed copies were all deleted by retention, it failed, or it was lost and its
//! partition's log has moved past it), the way Kafka's own logs forget by retention.

use super::cluster::{Cluster, PartitionState};
use super::log::LogEntry;
use super::sim::{ClusterView, Fates, Outcome, PartitionView};
use std::collections::{BTreeMap, VecDeque};

/// How many of the newest batches are kept in id order; an older batch whose fate can
/// still change (a record stuck on an offline partition) moves aside into `stragglers`.
const WINDOW: usize = 65_536;

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
    /// A copy is still on its way to a leader (an acks=0 request in the network): an
    /// acknowledged record there is not committed yet, and not lost either.
    travelling: bool,
}

impl BatchFate {
    /// Nothing can change this batch's fate any more. `passed` says retention deleted a
    /// batch of its partition created after it: its log has moved on.
    fn settled(&self, passed: bool) -> bool {
        !self.travelling
            && match self.outcome {
                Outcome::Pending => false,
                Outcome::Failed => true,
                Outcome::Acked if self.retained_copies > 0 => self.copies == self.retained_copies,
                Outcome::Acked => self.copies == 0 && !self.uncommitted && passed,
            }
    }
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
    /// The newest batches, by id from `first_id` (ids are dense).
    batches: VecDeque<BatchFate>,
    first_id: u64,
    /// Older batches whose fate can still change, by id.
    stragglers: BTreeMap<u64, BatchFate>,
    /// Batches flagged `travelling` at the last `sync`.
    travelling: Vec<u64>,
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
                0 if b.uncommitted || b.travelling => &mut f.acked_uncommitted,
                0 => &mut f.acked_lost,
                1 if b.reordered => &mut f.reordered,
                1 => &mut f.acked_durable,
                _ => &mut f.duplicated,
            },
        }
    }

    /// Batch `id`, unless it was forgotten (settled) or never existed.
    fn batch_mut(&mut self, id: u64) -> Option<&mut BatchFate> {
        match id.checked_sub(self.first_id) {
            Some(i) => self.batches.get_mut(i as usize),
            None => self.stragglers.get_mut(&id),
        }
    }

    /// How many batches are remembered (the history's size).
    pub fn remembered(&self) -> usize {
        self.batches.len() + self.stragglers.len()
    }

    /// Changes batch `id` with its records counted out, then in again.
    fn update(&mut self, id: u64, change: impl FnOnce(&mut BatchFate)) {
        let Some(b) = self.batch_mut(id) else {
            return;
        };
        let before = *b;
        change(b);
        let after = *b;
        *Self::slot(&mut self.counts, &before) -= before.records as u64;
        *Self::slot(&mut self.counts, &after) += after.records as u64;
    }

    /// A new batch, with the id the accumulator gave it (ids are dense from 0).
    pub fn new_batch(&mut self, id: u64, partition: u32) {
        debug_assert_eq!(id, self.first_id + self.batches.len() as u64);
        self.batches.push_back(BatchFate {
            partition,
            records: 0,
            outcome: Outcome::Pending,
            copies: 0,
            reordered: false,
            uncommitted: false,
            retained_copies: 0,
            travelling: false,
        });
        self.forget_settled();
    }

    pub fn add_record(&mut self, id: u64) {
        self.update(id, |b| b.records += 1);
    }

    pub(super) fn set_outcome(&mut self, id: u64, outcome: Outcome) {
        self.update(id, |b| b.outcome = outcome);
    }

    /// Each remembered batch's id, records and outcome.
    pub(super) fn outcomes(&self) -> Vec<(u64, u32, Outcome)> {
        let newest = (self.first_id..).zip(&self.batches);
        self.stragglers
            .iter()
            .map(|(&id, b)| (id, b))
            .chain(newest)
            .map(|(id, b)| (id, b.records, b.outcome))
            .collect()
    }

    /// Whether retention deleted a batch of `partition` created after batch `id`.
    fn passed(&self, partition: u32, id: u64) -> bool {
        self.retained_highest[partition as usize].is_some_and(|h| h > id)
    }

    /// Forgets the oldest batches once settled; moves an unsettled one aside when its
    /// partition's log has moved past it or the window is full.
    fn forget_settled(&mut self) {
        while let Some(b) = self.batches.front() {
            let id = self.first_id;
            let passed = self.passed(b.partition, id);
            if !b.settled(passed) && !passed && self.batches.len() <= WINDOW {
                break;
            }
            let b = self.batches.pop_front().expect("a front");
            self.first_id += 1;
            if !b.settled(passed) {
                self.stragglers.insert(id, b);
            }
        }
    }

    /// Forgets stragglers that have settled since.
    fn forget_settled_stragglers(&mut self) {
        let highest = &self.retained_highest;
        self.stragglers.retain(|&id, b| {
            let passed = highest[b.partition as usize].is_some_and(|h| h > id);
            !b.settled(passed)
        });
    }

    /// The records of acknowledged batches, and of failed ones.
    pub fn acked_and_failed(&self) -> (u64, u64) {
        let c = &self.counts;
        (
            c.acked_durable + c.acked_lost + c.acked_uncommitted + c.duplicated + c.reordered,
            c.failed,
        )
    }

    /// Reads what changed in every partition's final log since the last call;
    /// `travelling` lists the batches with a copy still in the network (sorted or not).
    pub fn sync(&mut self, cluster: &Cluster, travelling: &[u64]) {
        for id in std::mem::take(&mut self.travelling) {
            if !travelling.contains(&id) {
                self.update(id, |b| b.travelling = false);
            }
        }
        for &id in travelling {
            self.update(id, |b| b.travelling = true);
        }
        self.travelling = travelling.to_vec();
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
        let ids: Vec<u64> = self
            .stragglers
            .iter()
            .map(|(&id, b)| (id, b))
            .chain((self.first_id..).zip(&self.batches))
            .filter(|(_, b)| b.partition as usize == i)
            .map(|(id, _)| id)
            .collect();
        for id in ids {
            self.update(id, |b| {
                b.copies = b.retained_copies;
                b.reordered &= b.retained_copies > 0;
                b.uncommitted = false;
            });
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
            if let Some(b) = self.batch_mut(e.batch) {
                b.retained_copies = b.retained_copies.saturating_add(1);
            }
            let h = &mut self.retained_highest[i as usize];
            *h = Some(h.map_or(e.batch, |h| h.max(e.batch)));
        }
        self.forget_settled();
        self.forget_settled_stragglers();
    }
}

/// Why records above a partition's high watermark are not committed yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Uncommitted {
    /// The ISR is below the effective min ISR, so the leader does not move the high
    /// watermark (`Partition.maybeIncrementLeaderHW`, Kafka 3.7+, KAFKA-15583).
    HighWatermarkStopped { isr: Vec<u32>, min_isr: usize },
    /// These in-sync followers have not fetched them yet (none: they have, and the
    /// leader moves the high watermark on their next fetch).
    WaitingForFollowers { followers: Vec<u32> },
    /// No leader: the partition is offline and the records wait on a replica that is down.
    Offline,
}

/// One partition's records that are not yet safe, and why (`at_risk`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionRisk {
    pub partition: u32,
    /// The broker whose log counts: the leader, or while offline the in-sync replica
    /// with the longest log (what an election would pick).
    pub holder: u32,
    /// Records above the high watermark on `holder`: consumers cannot read them, and
    /// an election of a replica without them removes them.
    pub above_high_watermark: u64,
    pub uncommitted: Uncommitted,
    /// Committed records (below the high watermark) that only `holder` has: every
    /// other replica's log ends before them, because they were out of the ISR when the
    /// high watermark passed them. Committed by Kafka's rule, yet one failure from loss.
    pub on_one_replica: u64,
    /// The replicas outside the ISR.
    pub out_of_isr: Vec<u32>,
}

/// Every partition with records that are not yet safe, read from the cluster at one
/// instant; empty when every record in every log is committed on two or more replicas.
pub fn at_risk(view: &ClusterView, min_insync_replicas: u32) -> Vec<PartitionRisk> {
    view.partitions
        .iter()
        .filter_map(|p| partition_risk(p, min_insync_replicas))
        .collect()
}

fn partition_risk(p: &PartitionView, min_insync_replicas: u32) -> Option<PartitionRisk> {
    let leo = |i: usize| p.log_end_offsets.get(i).copied().unwrap_or(0);
    let index_of = |b: u32| p.replicas.iter().position(|&r| r == b);
    // `PartitionState::final_log_index`: the leader, else the longest in-sync log.
    let holder = match p.leader {
        Some(l) => index_of(l)?,
        None => p
            .isr
            .iter()
            .filter_map(|&b| index_of(b))
            .max_by_key(|&i| leo(i))?,
    };
    let holder_leo = leo(holder);
    let others_leo = (0..p.replicas.len())
        .filter(|&i| i != holder)
        .map(leo)
        .max()
        .unwrap_or(0);
    let above_high_watermark = holder_leo.saturating_sub(p.high_watermark);
    let on_one_replica = p.high_watermark.min(holder_leo).saturating_sub(others_leo);
    if above_high_watermark == 0 && on_one_replica == 0 {
        return None;
    }
    // `Partition.effectiveMinIsr`: min(min.insync.replicas, replicas).
    let min_isr = (min_insync_replicas as usize).min(p.replicas.len());
    let uncommitted = if p.leader.is_none() {
        Uncommitted::Offline
    } else if p.isr.len() < min_isr {
        Uncommitted::HighWatermarkStopped {
            isr: p.isr.clone(),
            min_isr,
        }
    } else {
        Uncommitted::WaitingForFollowers {
            followers: p
                .isr
                .iter()
                .filter_map(|&b| index_of(b).map(|i| (b, i)))
                .filter(|&(_, i)| i != holder && leo(i) < holder_leo)
                .map(|(b, _)| b)
                .collect(),
        }
    };
    Some(PartitionRisk {
        partition: p.partition,
        holder: p.replicas[holder],
        above_high_watermark,
        uncommitted,
        on_one_replica,
        out_of_isr: p
            .replicas
            .iter()
            .copied()
            .filter(|b| !p.isr.contains(b))
            .collect(),
    })
}
