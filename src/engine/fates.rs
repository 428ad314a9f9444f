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
        // A straggler that failed (e.g. on a partition with no leader for good) is
        // forgotten now, even if no retention ever runs again.
        if let Some(b) = self.stragglers.get(&id) {
            if b.settled(self.passed(b.partition, id)) {
                self.stragglers.remove(&id);
            }
        }
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

#[cfg(test)]
mod tests {
    use super::{at_risk, Uncommitted};
    use crate::engine::fault::{Fault, ScheduledFault};
    use crate::engine::sim::{Fates, PartitionView};
    use crate::engine::time::{SimDuration, SimTime};
    use crate::engine::{SimConfig, Simulation};

    fn config(settings: &[(&str, &str)]) -> SimConfig {
        let mut c = SimConfig::default();
        for (k, v) in [("workload.rate", "2000"), ("workload.records", "40000")]
            .iter()
            .chain(settings)
        {
            c.set(k, v).expect("a valid setting");
        }
        c
    }

    /// The counts every `step` of simulated time up to `until`.
    fn sample(sim: &mut Simulation, step: u64, until: u64) -> Vec<(u64, Fates)> {
        (1..=until / step)
            .map(|i| {
                sim.advance_to(SimTime::from_ms(i * step));
                (i * step, sim.fates())
            })
            .collect()
    }

    #[test]
    fn a_healthy_cluster_never_counts_a_record_lost_at_any_moment() {
        for acks in ["0", "1", "all"] {
            let mut sim = Simulation::new(config(&[("acks", acks)]), 7).expect("valid");
            sim.start_workload();
            for (ms, f) in sample(&mut sim, 3, 6_000) {
                assert_eq!(f.acked_lost, 0, "acks={acks} at {ms} ms: {f:?}");
            }
            assert!(sim.fates().acked_durable > 10_000, "acks={acks}");
        }
    }

    #[test]
    fn an_acks_zero_record_on_its_way_to_the_leader_is_acknowledged_not_committed() {
        let mut sim = Simulation::new(config(&[("acks", "0")]), 7).expect("valid");
        sim.start_workload();
        let mut travelling = 0;
        for i in 1..=2_000 {
            sim.advance_to(SimTime(i * 100));
            let f = sim.fates();
            assert_eq!(f.acked_lost, 0, "at {} us: {f:?}", i * 100);
            // More acknowledged records not committed than the leaders hold above their
            // high watermarks: the rest are still on their way.
            let above: u64 = at_risk(&sim.view(), 2)
                .iter()
                .map(|r| r.above_high_watermark)
                .sum();
            travelling += usize::from(f.acked_uncommitted > above);
        }
        assert!(travelling > 0);
        assert_eq!(sim.fates(), sim.fates_from_logs());
    }

    /// acks=1, min.insync.replicas 1: both followers stop fetching and leave the ISR,
    /// the leader takes records alone and they are committed on it only; they turn to
    /// lost only when the unclean election truncates them.
    #[test]
    fn records_on_a_lone_leader_are_at_risk_until_an_unclean_election_loses_them() {
        let c = config(&[
            ("acks", "1"),
            ("min.insync.replicas", "1"),
            ("replica.lag.time.max.ms", "500"),
            ("unclean.leader.election.enable", "true"),
        ]);
        let mut sim = Simulation::new(c, 7).expect("valid");
        for (ms, fault) in [
            (200, Fault::CutReplication { broker: 1 }),
            (200, Fault::CutReplication { broker: 2 }),
            (1_500, Fault::Crash { broker: 0 }),
        ] {
            sim.inject(ScheduledFault {
                at: SimTime::from_ms(ms),
                fault,
            });
        }
        sim.start_workload();
        let mut at_risk_before_crash = 0;
        for (ms, f) in sample(&mut sim, 10, 1_490) {
            assert_eq!(f.acked_lost, 0, "at {ms} ms: {f:?}");
            let risks = at_risk(&sim.view(), 1);
            at_risk_before_crash = risks.iter().map(|r| r.on_one_replica).sum::<u64>();
        }
        assert!(at_risk_before_crash > 100, "{at_risk_before_crash}");
        let risks = at_risk(&sim.view(), 1);
        let p0 = risks
            .iter()
            .find(|r| r.holder == 0)
            .expect("broker 0 leads");
        assert_eq!(p0.out_of_isr, vec![1, 2]);
        // The controller fences broker 0 after broker.session.timeout.ms and elects an
        // out-of-sync replica: what only broker 0 had is gone.
        sim.advance_to(SimTime::from_ms(15_000));
        let lost = sim.fates().acked_lost;
        assert!(
            lost >= at_risk_before_crash,
            "{lost} < {at_risk_before_crash}"
        );
    }

    #[test]
    fn the_unclean_election_off_failure_never_shows_a_lost_record() {
        let c = config(&[
            ("acks", "1"),
            ("replica.lag.time.max.ms", "500"),
            ("unclean.leader.election.enable", "false"),
            ("request.timeout.ms", "5000"),
            ("delivery.timeout.ms", "15000"),
        ]);
        let mut sim = Simulation::new(c, 7).expect("valid");
        for (ms, fault) in [
            (200, Fault::CutReplication { broker: 1 }),
            (200, Fault::CutReplication { broker: 2 }),
            (1_500, Fault::Crash { broker: 0 }),
            (1_600, Fault::HealReplication { broker: 1 }),
            (1_600, Fault::HealReplication { broker: 2 }),
        ] {
            sim.inject(ScheduledFault {
                at: SimTime::from_ms(ms),
                fault,
            });
        }
        sim.start_workload();
        let samples = sample(&mut sim, 10, 20_000);
        for (ms, f) in &samples {
            assert_eq!(f.acked_lost, 0, "at {ms} ms: {f:?}");
        }
        // The lone leader's records wait above its stopped high watermark.
        assert!(samples.iter().any(|(_, f)| f.acked_uncommitted > 100));
        let offline = at_risk(&sim.view(), 2)
            .into_iter()
            .filter(|r| r.uncommitted == Uncommitted::Offline)
            .count();
        assert!(offline > 0);
    }

    fn partition(isr: Vec<u32>, leader: Option<u32>, hw: u64, leos: Vec<u64>) -> PartitionView {
        PartitionView {
            partition: 0,
            leader,
            leader_epoch: 0,
            replicas: vec![0, 1, 2],
            isr,
            high_watermark: hw,
            log_end_offsets: leos,
            queued_batches: 0,
        }
    }

    fn risk_of(p: PartitionView, min_isr: u32) -> Option<super::PartitionRisk> {
        super::partition_risk(&p, min_isr)
    }

    #[test]
    fn why_records_are_at_risk() {
        // Healthy: followers 1 and 2 have not fetched the newest 5 records yet.
        let r = risk_of(
            partition(vec![0, 1, 2], Some(0), 100, vec![105, 100, 103]),
            2,
        )
        .expect("at risk");
        assert_eq!(r.above_high_watermark, 5);
        assert_eq!(r.on_one_replica, 0);
        assert_eq!(
            r.uncommitted,
            Uncommitted::WaitingForFollowers {
                followers: vec![1, 2]
            }
        );
        // Everything committed on three replicas: nothing at risk.
        assert_eq!(
            risk_of(partition(vec![0, 1, 2], Some(0), 100, vec![100; 3]), 2),
            None
        );
        // The ISR below min.insync.replicas: the high watermark stops.
        let r = risk_of(partition(vec![0], Some(0), 100, vec![512, 90, 100]), 2).expect("at risk");
        assert_eq!(r.above_high_watermark, 412);
        assert_eq!(
            r.uncommitted,
            Uncommitted::HighWatermarkStopped {
                isr: vec![0],
                min_isr: 2
            }
        );
        assert_eq!(r.out_of_isr, vec![1, 2]);
        // min.insync.replicas 1: committed, but on the leader only.
        let r = risk_of(partition(vec![0], Some(0), 640, vec![640, 90, 100]), 1).expect("at risk");
        assert_eq!((r.above_high_watermark, r.on_one_replica), (0, 540));
        // Offline: the longest in-sync log counts.
        let r = risk_of(partition(vec![0], None, 100, vec![150, 90, 100]), 2).expect("at risk");
        assert_eq!((r.holder, r.above_high_watermark), (0, 50));
        assert_eq!(r.uncommitted, Uncommitted::Offline);
    }

    #[test]
    fn batches_that_fail_with_no_leader_anywhere_are_forgotten() {
        // Every broker down: no retention ever runs; batches expire after
        // delivery.timeout.ms and must not pile up.
        let c = config(&[
            ("workload.rate", "20000"),
            ("workload.records", "400000"),
            ("delivery.timeout.ms", "2000"),
            ("request.timeout.ms", "1000"),
            ("linger.ms", "0"),
        ]);
        let mut sim = Simulation::new(c, 7).expect("valid");
        for broker in 0..3 {
            sim.inject(ScheduledFault {
                at: SimTime::from_ms(100),
                fault: Fault::Crash { broker },
            });
        }
        sim.start_workload();
        sim.advance_to(SimTime::from_ms(20_000));
        let f = sim.fates();
        assert!(f.failed > 100_000, "{f:?}");
        let remembered = sim.fates.remembered() as u64;
        let batches_left = f.in_flight + f.acked_uncommitted + f.acked_durable;
        assert!(
            remembered <= super::WINDOW as u64 + batches_left,
            "{remembered} remembered: {f:?}"
        );
    }

    #[test]
    fn the_history_stays_bounded() {
        let remembered_after = |records: &str| {
            let c = config(&[("workload.rate", "0"), ("workload.records", records)]);
            let mut sim = Simulation::new(c, 7).expect("valid");
            sim.start_workload();
            sim.run_until_idle(SimTime::ZERO + SimDuration::from_ms(600_000));
            let f = sim.fates();
            assert_eq!(f.total(), records.parse::<u64>().expect("a number"));
            assert_eq!(f.acked_durable, f.total());
            sim.fates.remembered()
        };
        let small = remembered_after("400000");
        let large = remembered_after("1200000");
        println!("batches remembered: {small} after 400,000 records, {large} after 1,200,000");
        assert!(large <= small + small / 2, "{small} -> {large}");
    }
}
