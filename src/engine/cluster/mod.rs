//! The brokers: partition replicas, leaders, the ISR and the high watermark.
//!
//! Broker-side rules follow `core/src/main/scala/kafka/cluster/Partition.scala`
//! (append, ISR shrink/expand, high watermark) and the KRaft controller's
//! `ReplicationControlManager.java` / `PartitionChangeBuilder.java` (fencing, election).

mod replication;

pub use replication::{DelayedPart, DelayedProduce};

use super::event::KafkaError;
use super::log::{LogEntry, ReplicaLog};
use super::protocol::{in_sequence, BatchMeta, InitProducerIdResponse, MetadataResponse};
use super::time::{SimDuration, SimTime};

/// What the leader keeps about each follower (`Replica.scala`'s fetch state).
#[derive(Clone, Copy, Debug, Default)]
pub struct FollowerState {
    /// The follower's LEO as of its last fetch.
    pub log_end_offset: u64,
    /// When it was last fully caught up; None after an election for a follower outside
    /// the ISR (`Replica.resetReplicaState` sets lastCaughtUpTimeMs to 0).
    pub last_caught_up: Option<SimTime>,
    pub last_fetch: SimTime,
    pub leader_leo_at_last_fetch: u64,
    /// A fetch is waiting at the leader for new data (`DelayedFetch`).
    pub parked: bool,
}

impl FollowerState {
    /// `ReplicaState.isCaughtUp`: `leaderEndOffset == logEndOffset ||
    /// currentTimeMs - lastCaughtUpTimeMs <= replicaMaxLagMs`.
    pub fn is_caught_up(&self, leader_leo: u64, now: SimTime, max_lag: SimDuration) -> bool {
        leader_leo == self.log_end_offset
            || self.last_caught_up.is_some_and(|t| now.since(t) <= max_lag)
    }
}

/// One partition across its replicas.
#[derive(Clone, Debug)]
pub struct PartitionState {
    pub id: u32,
    /// Assigned replicas (broker ids), preferred leader first.
    pub replicas: Vec<u32>,
    pub leader: Option<u32>,
    pub leader_epoch: u32,
    pub isr: Vec<u32>,
    /// The leader's LEO when it took this epoch (`leaderEpochStartOffsetOpt`): a follower
    /// must reach it to rejoin the ISR.
    pub leader_epoch_start_offset: u64,
    /// Logs in `replicas` order.
    pub logs: Vec<ReplicaLog>,
    pub high_watermark: u64,
    /// In `replicas` order; only meaningful on the current leader.
    pub followers: Vec<FollowerState>,
    /// Each replica's current fetch loop, so replies to an abandoned loop are ignored.
    pub fetch_sessions: Vec<u64>,
}

impl PartitionState {
    pub fn index_of(&self, broker: u32) -> Option<usize> {
        self.replicas.iter().position(|&b| b == broker)
    }

    pub fn log_of(&self, broker: u32) -> Option<&ReplicaLog> {
        self.index_of(broker).map(|i| &self.logs[i])
    }

    pub fn leader_log(&self) -> Option<&ReplicaLog> {
        self.leader.and_then(|l| self.log_of(l))
    }

    pub fn leader_leo(&self) -> u64 {
        self.leader_log().map_or(0, ReplicaLog::log_end_offset)
    }

    /// `Partition.effectiveMinIsr` (Kafka 3.7+): `min(min.insync.replicas, replicas)`.
    pub fn effective_min_isr(&self, min_insync_replicas: u32) -> usize {
        (min_insync_replicas as usize).min(self.replicas.len())
    }

    /// The records above the high watermark on the leader: appended, not yet committed.
    pub fn uncommitted(&self) -> u64 {
        self.leader_leo().saturating_sub(self.high_watermark)
    }

    /// The log that counts: the leader's, or, while offline, that of the ISR replica an
    /// election would most likely pick.
    pub fn final_log(&self) -> Option<&ReplicaLog> {
        self.final_log_index().map(|i| &self.logs[i])
    }

    /// The index (in `replicas` order) of `final_log`.
    pub fn final_log_index(&self) -> Option<usize> {
        match self.leader {
            Some(l) => self.index_of(l),
            None => self
                .isr
                .iter()
                .filter_map(|&b| self.index_of(b))
                .max_by_key(|&i| self.logs[i].log_end_offset()),
        }
    }

    /// That log split at the high watermark: (committed, appended but uncommitted).
    pub fn final_entries(&self) -> (&[LogEntry], &[LogEntry]) {
        match self.final_log() {
            Some(log) => {
                let hw = self.high_watermark;
                let end = log.entries().partition_point(|e| e.end_offset() <= hw);
                log.entries().split_at(end)
            }
            None => (&[], &[]),
        }
    }

    /// The log a consumer would read: `final_log` below the high watermark.
    pub fn committed_entries(&self) -> &[LogEntry] {
        self.final_entries().0
    }
}

/// One broker.
#[derive(Clone, Debug)]
pub struct Broker {
    pub id: u32,
    pub alive: bool,
    /// Fenced by the controller (its session expired after a crash).
    pub fenced: bool,
    /// Extra latency injected by a "slow broker" fault.
    pub extra_latency: SimDuration,
    /// When the request handler is free again (requests are handled one at a time).
    pub busy_until: SimTime,
    /// Bumped on each crash so stale timers can be recognised.
    pub incarnation: u64,
    /// Replication from this broker (as a follower) is cut.
    pub replication_cut: bool,
}

/// The per-partition outcome of a produce request at the leader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppendOutcome {
    /// Appended (or recognised as a duplicate) at `base_offset`; for acks=all the
    /// response waits until the high watermark reaches `end_offset`.
    Appended {
        base_offset: u64,
        end_offset: u64,
        duplicate: bool,
    },
    Error(KafkaError),
}

/// The brokers and every partition of the topic.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub brokers: Vec<Broker>,
    pub partitions: Vec<PartitionState>,
    pub min_insync_replicas: u32,
    pub unclean_leader_election: bool,
    pub replica_lag_time_max: SimDuration,
    /// Produce requests waiting at their leader for the ISR (the acks=all purgatory).
    pub purgatory: Vec<DelayedProduce>,
    /// The next producer id to hand out (`ProducerIdManager`, in order).
    next_producer_id: u64,
}

impl Cluster {
    /// Replica assignment: partition p's replicas are brokers p, p+1, ... (mod brokers),
    /// as the rack-unaware round-robin assignment places them
    /// (`server-common/.../admin/AdminUtils` style, with a fixed start index).
    pub fn new(
        brokers: u32,
        partitions: u32,
        replication_factor: u32,
        min_insync_replicas: u32,
        unclean_leader_election: bool,
        replica_lag_time_max: SimDuration,
    ) -> Self {
        let rf = replication_factor.min(brokers).max(1);
        let partitions = (0..partitions)
            .map(|p| {
                let replicas: Vec<u32> = (0..rf).map(|i| (p + i) % brokers).collect();
                PartitionState {
                    id: p,
                    leader: Some(replicas[0]),
                    leader_epoch: 0,
                    leader_epoch_start_offset: 0,
                    isr: replicas.clone(),
                    logs: vec![ReplicaLog::default(); replicas.len()],
                    // makeLeader: ISR members start caught up at the current time.
                    followers: vec![
                        FollowerState {
                            last_caught_up: Some(SimTime::ZERO),
                            ..FollowerState::default()
                        };
                        replicas.len()
                    ],
                    fetch_sessions: vec![0; replicas.len()],
                    high_watermark: 0,
                    replicas,
                }
            })
            .collect();
        Cluster {
            brokers: (0..brokers)
                .map(|id| Broker {
                    id,
                    alive: true,
                    fenced: false,
                    extra_latency: SimDuration::ZERO,
                    busy_until: SimTime::ZERO,
                    incarnation: 0,
                    replication_cut: false,
                })
                .collect(),
            partitions,
            min_insync_replicas,
            unclean_leader_election,
            replica_lag_time_max,
            purgatory: Vec::new(),
            next_producer_id: 0,
        }
    }

    /// What a broker answers to a metadata request: each partition's leader.
    pub fn metadata(&self) -> MetadataResponse {
        MetadataResponse {
            leaders: self.partitions.iter().map(|p| p.leader).collect(),
        }
    }

    /// A broker answers an `InitProducerIdRequest` without a transactional id
    /// (`TransactionCoordinator.handleInitProducerId`: "always blindly accept the request
    /// and return a new producerId", at producer epoch 0).
    pub fn init_producer_id(&mut self) -> InitProducerIdResponse {
        let producer_id = self.next_producer_id;
        self.next_producer_id += 1;
        InitProducerIdResponse {
            producer_id,
            producer_epoch: 0,
        }
    }

    pub fn broker_alive(&self, b: u32) -> bool {
        self.brokers.get(b as usize).is_some_and(|b| b.alive)
    }

    /// `Partition.isReplicaIsrEligible` (KRaft): the broker is registered and not fenced.
    fn isr_eligible(&self, b: u32) -> bool {
        self.brokers.get(b as usize).is_some_and(|b| !b.fenced)
    }

    /// `Partition.isUnderMinIsr`: the ISR is smaller than the effective min ISR.
    pub fn is_under_min_isr(&self, partition: u32) -> bool {
        let p = &self.partitions[partition as usize];
        p.leader.is_some() && p.isr.len() < p.effective_min_isr(self.min_insync_replicas)
    }

    /// `Partition.maybeIncrementLeaderHW` (Kafka 3.7+, KAFKA-15583): no movement while the
    /// ISR is under min ISR; otherwise the smallest LEO among the leader, the ISR and the
    /// followers that are caught up and eligible to join it. Returns the new HW if it moved.
    pub fn maybe_increment_hw(&mut self, partition: u32, now: SimTime) -> Option<u64> {
        if self.is_under_min_isr(partition) {
            return None;
        }
        let lag = self.replica_lag_time_max;
        let p = &self.partitions[partition as usize];
        let leader = p.leader?;
        let leader_leo = p.leader_leo();
        let mut hw = leader_leo;
        for (i, &b) in p.replicas.iter().enumerate() {
            if b == leader {
                continue;
            }
            let f = &p.followers[i];
            let waits_for = p.isr.contains(&b)
                || (f.is_caught_up(leader_leo, now, lag) && self.isr_eligible(b));
            if f.log_end_offset < hw && waits_for {
                hw = f.log_end_offset;
            }
        }
        let p = &mut self.partitions[partition as usize];
        (hw > p.high_watermark).then(|| {
            p.high_watermark = hw;
            hw
        })
    }

    /// Retention, so that a long run's memory stays bounded: once a partition's leader
    /// holds more than twice `keep` batches, every replica deletes what lies below both
    /// the high watermark and every replica's log end, keeping about the last `keep`
    /// batches. Returns, per partition, the new log start offset where it would move
    /// (`delete_before` applies it).
    pub fn retention_points(&self, keep: usize) -> Vec<(u32, u64)> {
        let mut moved = Vec::new();
        for p in &self.partitions {
            let Some(leader) = p.leader_log() else {
                continue;
            };
            let entries = leader.entries();
            if entries.len() <= 2 * keep {
                continue;
            }
            let target = entries[entries.len() - keep].base_offset;
            let min_leo = p.logs.iter().map(ReplicaLog::log_end_offset).min();
            let start = target.min(p.high_watermark).min(min_leo.unwrap_or(0));
            if start > leader.log_start_offset() {
                moved.push((p.id, start));
            }
        }
        moved
    }

    /// Every replica of `partition` deletes its batches below `offset`.
    pub fn delete_before(&mut self, partition: u32, offset: u64) {
        if let Some(p) = self.partitions.get_mut(partition as usize) {
            for log in &mut p.logs {
                log.delete_before(offset);
            }
        }
    }

    /// The leader appends one batch (`Partition.appendRecordsToLeader`).
    pub fn append_to_leader(
        &mut self,
        broker: u32,
        m: &BatchMeta,
        acks_all: bool,
    ) -> AppendOutcome {
        let BatchMeta {
            partition,
            batch,
            records,
            size_in_bytes,
            base_sequence,
            producer_epoch,
        } = *m;
        let Some(p) = self.partitions.get_mut(partition as usize) else {
            return AppendOutcome::Error(KafkaError::NotLeaderOrFollower);
        };
        let min_isr = p.effective_min_isr(self.min_insync_replicas);
        if p.leader != Some(broker) {
            return AppendOutcome::Error(KafkaError::NotLeaderOrFollower);
        }
        // Partition.appendRecordsToLeader: acks=all is refused while the ISR is smaller
        // than the effective min ISR (NotEnoughReplicasException).
        if acks_all && p.isr.len() < min_isr {
            return AppendOutcome::Error(KafkaError::NotEnoughReplicas);
        }
        let li = p.index_of(broker).expect("leader is a replica");
        if let Some(seq) = base_sequence {
            if let Some(outcome) = check_sequence(&p.logs[li], producer_epoch, seq, records) {
                return outcome;
            }
        }
        let epoch = p.leader_epoch;
        let sequence = base_sequence.map(|s| (producer_epoch, s));
        let base_offset = p.logs[li].append(records, batch, sequence, epoch, size_in_bytes);
        AppendOutcome::Appended {
            base_offset,
            end_offset: base_offset + records as u64,
            duplicate: false,
        }
    }

    /// A follower's fetch reaches the leader (`Partition.fetchRecords` →
    /// `updateFollowerFetchState`, then `maybeExpandIsr` and `maybeIncrementLeaderHW`).
    /// Returns (ISR expanded, new high watermark if it moved).
    pub fn record_follower_fetch(
        &mut self,
        partition: u32,
        follower: u32,
        fetch_offset: u64,
        now: SimTime,
    ) -> (bool, Option<u64>) {
        let p = &mut self.partitions[partition as usize];
        let Some(fi) = p.index_of(follower) else {
            return (false, None);
        };
        let leader_leo = p.leader_leo();
        let f = &mut p.followers[fi];
        // Replica.updateFetchStateOrThrow: caught up if it asked for the leader's LEO, or
        // for at least the LEO the leader had at its previous fetch.
        if fetch_offset >= leader_leo {
            f.last_caught_up = Some(f.last_caught_up.map_or(now, |t| t.max(now)));
        } else if fetch_offset >= f.leader_leo_at_last_fetch {
            let at = f.last_fetch;
            f.last_caught_up = Some(f.last_caught_up.map_or(at, |t| t.max(at)));
        }
        f.log_end_offset = fetch_offset;
        f.leader_leo_at_last_fetch = f.leader_leo_at_last_fetch.max(leader_leo);
        f.last_fetch = now;
        // Partition.maybeExpandIsr → isFollowerInSync: a follower rejoins once its LEO
        // reaches the high watermark and the leader's epoch start offset, and it is not
        // fenced (isReplicaIsrEligible).
        let expanded = !p.isr.contains(&follower)
            && fetch_offset >= p.high_watermark
            && fetch_offset >= p.leader_epoch_start_offset
            && self
                .brokers
                .get(follower as usize)
                .is_some_and(|b| !b.fenced);
        let p = &mut self.partitions[partition as usize];
        if expanded {
            p.isr.push(follower);
            p.isr.sort_unstable();
        }
        (expanded, self.maybe_increment_hw(partition, now))
    }

    /// `Partition.maybeShrinkIsr` (run every replica.lag.time.max.ms / 2 by
    /// ReplicaManager's isr-expiration task): followers that have not caught up within
    /// replica.lag.time.max.ms leave the ISR. Returns the partitions that shrank.
    pub fn shrink_isrs(&mut self, now: SimTime) -> Vec<u32> {
        let lag = self.replica_lag_time_max;
        let mut shrunk = Vec::new();
        for p in &mut self.partitions {
            let Some(leader) = p.leader else { continue };
            let before = p.isr.len();
            let leader_leo = p.leader_leo();
            let (replicas, followers) = (&p.replicas, &p.followers);
            // Partition.isFollowerOutOfSync: not ReplicaState.isCaughtUp.
            p.isr.retain(|&b| {
                b == leader
                    || replicas
                        .iter()
                        .position(|&r| r == b)
                        .is_some_and(|i| followers[i].is_caught_up(leader_leo, now, lag))
            });
            if p.isr.len() != before {
                shrunk.push(p.id);
            }
        }
        shrunk
    }

    /// The controller fences a broker whose session expired: it leaves every ISR
    /// (unless it is the last member) and its partitions get new leaders
    /// (`ReplicationControlManager.handleBrokerFenced`). Returns the partitions whose ISR
    /// shrank and the elections made.
    pub fn fence(&mut self, broker: u32, now: SimTime) -> (Vec<u32>, Vec<Election>) {
        if let Some(b) = self.brokers.get_mut(broker as usize) {
            b.fenced = true;
        }
        let mut shrunk = Vec::new();
        let mut elections = Vec::new();
        for pi in 0..self.partitions.len() {
            let p = &mut self.partitions[pi];
            if p.isr.len() > 1 && p.isr.contains(&broker) {
                p.isr.retain(|&b| b != broker);
                shrunk.push(p.id);
            }
            if p.leader == Some(broker) || (p.leader.is_none() && p.replicas.contains(&broker)) {
                elections.push(self.elect_leader(pi as u32, now));
            }
        }
        (shrunk, elections)
    }

    /// `PartitionLeaderElectionAlgorithms.offlinePartitionLeaderElection`: the first
    /// live replica (in assignment order) that is in the ISR; failing that, with
    /// unclean.leader.election.enable, the first live replica at all; else offline.
    pub fn elect_leader(&mut self, partition: u32, now: SimTime) -> Election {
        let live = |b: u32, brokers: &[Broker]| {
            brokers
                .get(b as usize)
                .is_some_and(|x| x.alive && !x.fenced)
        };
        let p = &self.partitions[partition as usize];
        let clean = p
            .replicas
            .iter()
            .copied()
            .find(|&b| live(b, &self.brokers) && p.isr.contains(&b));
        let unclean = if clean.is_none() && self.unclean_leader_election {
            p.replicas.iter().copied().find(|&b| live(b, &self.brokers))
        } else {
            None
        };
        let new_leader = clean.or(unclean);
        let p = &mut self.partitions[partition as usize];
        let old_leader = p.leader;
        p.leader = new_leader;
        if new_leader.is_some() {
            p.leader_epoch += 1;
        }
        let mut truncated = 0;
        if let Some(l) = new_leader {
            if unclean.is_some() {
                // An unclean leader resets the ISR to itself (PartitionChangeBuilder).
                p.isr = vec![l];
            }
            let li = p.index_of(l).expect("leader is a replica");
            let leader_leo = p.logs[li].log_end_offset();
            // The new leader's high watermark cannot be above its own log end.
            p.high_watermark = p.high_watermark.min(leader_leo);
            if new_leader != old_leader {
                p.leader_epoch_start_offset = leader_leo;
            }
            // The new leader starts tracking followers afresh (Replica.resetReplicaState:
            // lastCaughtUpTimeMs is now for ISR members, 0 for the others).
            for (i, f) in p.followers.iter_mut().enumerate() {
                f.parked = false;
                f.leader_leo_at_last_fetch = 0;
                f.last_caught_up = p.isr.contains(&p.replicas[i]).then_some(now);
            }
            // Live followers truncate to where they agree with the new leader (dead ones
            // do when they restart).
            let alive: Vec<bool> = p
                .replicas
                .iter()
                .map(|&b| self.brokers.get(b as usize).is_some_and(|x| x.alive))
                .collect();
            truncated = Self::truncate_followers(p, li, &alive);
            // A fresh leader learns followers' LEOs from their next fetches; until then
            // ISR followers count as caught up to the HW.
            let hw = p.high_watermark;
            for (i, f) in p.followers.iter_mut().enumerate() {
                if i != li {
                    f.log_end_offset = f.log_end_offset.min(hw);
                }
            }
        }
        Election {
            partition,
            old_leader,
            new_leader,
            unclean: unclean.is_some(),
            records_truncated: truncated,
        }
    }

    /// Every live follower truncates its log to its divergence point with the leader.
    fn truncate_followers(p: &mut PartitionState, leader_index: usize, alive: &[bool]) -> u64 {
        let leader_log = p.logs[leader_index].clone();
        let mut removed = 0;
        for (i, log) in p.logs.iter_mut().enumerate() {
            if i != leader_index && alive[i] {
                let at = log.divergence_point(&leader_log);
                removed += log.truncate_to(at);
            }
        }
        removed
    }

    /// A restarted broker's replicas truncate to their leaders' logs before fetching.
    pub fn truncate_replicas_of(&mut self, broker: u32) -> u64 {
        let mut removed = 0;
        for p in &mut self.partitions {
            let (Some(l), Some(bi)) = (p.leader, p.index_of(broker)) else {
                continue;
            };
            if l == broker {
                continue;
            }
            let li = p.index_of(l).expect("leader is a replica");
            let leader_log = p.logs[li].clone();
            let at = p.logs[bi].divergence_point(&leader_log);
            removed += p.logs[bi].truncate_to(at);
        }
        removed
    }
}

/// The leader's producer-state checks for an idempotent batch, against the producer's
/// batches in its log (the broker rebuilds `ProducerStateManager` from the log, keeping the
/// last 5 batches). None: append it.
fn check_sequence(
    log: &ReplicaLog,
    producer_epoch: u16,
    seq: i32,
    records: u32,
) -> Option<AppendOutcome> {
    // No batch of this producer: an unknown producer id, whose first write may carry any
    // sequence (ProducerAppendInfo.checkSequence: currentEntry.producerEpoch ==
    // NO_PRODUCER_EPOCH).
    let last = log.recent_sequenced(1).next()?;
    // ProducerAppendInfo.checkProducerEpoch: an older epoch is fenced.
    if producer_epoch < last.producer_epoch {
        return Some(AppendOutcome::Error(KafkaError::InvalidProducerEpoch));
    }
    // ProducerStateEntry.findDuplicateBatch: one of the last five batches again, answered
    // with its original offset.
    if let Some(dup) = log.recent_sequenced(5).find(|e| {
        e.producer_epoch == producer_epoch && e.base_sequence == Some(seq) && e.records == records
    }) {
        return Some(AppendOutcome::Appended {
            base_offset: dup.base_offset,
            end_offset: dup.end_offset(),
            duplicate: true,
        });
    }
    // checkSequence: a new epoch starts at 0; within an epoch the sequence follows the
    // last one (wrapping from Integer.MAX_VALUE to 0).
    let ok = if producer_epoch != last.producer_epoch {
        seq == 0
    } else {
        last.last_sequence().is_some_and(|l| in_sequence(l, seq))
    };
    (!ok).then_some(AppendOutcome::Error(KafkaError::OutOfOrderSequenceNumber))
}

/// A leader election's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Election {
    pub partition: u32,
    pub old_leader: Option<u32>,
    pub new_leader: Option<u32>,
    pub unclean: bool,
    pub records_truncated: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(partition: u32, batch: u64, records: u32, base_sequence: Option<i32>) -> BatchMeta {
        BatchMeta {
            partition,
            batch,
            records,
            size_in_bytes: 100,
            base_sequence,
            producer_epoch: 0,
        }
    }

    fn cluster(min_isr: u32, unclean: bool) -> Cluster {
        Cluster::new(3, 3, 3, min_isr, unclean, SimDuration::from_ms(30_000))
    }

    #[test]
    fn assignment_spreads_leaders() {
        let c = cluster(2, false);
        let leaders: Vec<_> = c.partitions.iter().map(|p| p.leader).collect();
        assert_eq!(leaders, vec![Some(0), Some(1), Some(2)]);
        assert_eq!(c.partitions[1].replicas, vec![1, 2, 0]);
    }

    #[test]
    fn init_producer_id_hands_out_new_ids_at_epoch_zero() {
        // TransactionCoordinator.handleInitProducerId with a null transactional id: a new
        // producer id from the ProducerIdManager, producer epoch 0.
        let mut c = cluster(2, false);
        let first = c.init_producer_id();
        let second = c.init_producer_id();
        assert_eq!(first.producer_epoch, 0);
        assert_eq!(second.producer_epoch, 0);
        assert_ne!(first.producer_id, second.producer_id);
    }

    #[test]
    fn acks_all_refused_below_min_isr() {
        let mut c = cluster(2, false);
        c.partitions[0].isr = vec![0];
        assert_eq!(
            c.append_to_leader(0, &meta(0, 1, 10, None), true),
            AppendOutcome::Error(KafkaError::NotEnoughReplicas)
        );
        // acks=1 is not subject to min.insync.replicas.
        assert!(matches!(
            c.append_to_leader(0, &meta(0, 1, 10, None), false),
            AppendOutcome::Appended { base_offset: 0, .. }
        ));
    }

    #[test]
    fn not_leader_is_refused() {
        let mut c = cluster(1, false);
        assert_eq!(
            c.append_to_leader(1, &meta(0, 1, 1, None), false),
            AppendOutcome::Error(KafkaError::NotLeaderOrFollower)
        );
    }

    #[test]
    fn hw_is_min_leo_of_isr() {
        let mut c = cluster(2, false);
        c.append_to_leader(0, &meta(0, 1, 10, None), true);
        assert_eq!(c.maybe_increment_hw(0, SimTime(0)), None);
        let (_, hw) = c.record_follower_fetch(0, 1, 10, SimTime(1));
        assert_eq!(hw, None, "broker 2 has not fetched yet");
        let (_, hw) = c.record_follower_fetch(0, 2, 10, SimTime(2));
        assert_eq!(hw, Some(10));
    }

    #[test]
    fn idempotent_duplicates_and_gaps() {
        let mut c = cluster(1, false);
        assert!(matches!(
            c.append_to_leader(0, &meta(0, 1, 5, Some(0)), true),
            AppendOutcome::Appended {
                duplicate: false,
                ..
            }
        ));
        assert_eq!(
            c.append_to_leader(0, &meta(0, 1, 5, Some(0)), true),
            AppendOutcome::Appended {
                base_offset: 0,
                end_offset: 5,
                duplicate: true
            }
        );
        assert_eq!(
            c.append_to_leader(0, &meta(0, 3, 5, Some(10)), true),
            AppendOutcome::Error(KafkaError::OutOfOrderSequenceNumber)
        );
        assert!(matches!(
            c.append_to_leader(0, &meta(0, 2, 5, Some(5)), true),
            AppendOutcome::Appended {
                base_offset: 5,
                duplicate: false,
                ..
            }
        ));
    }

    #[test]
    fn lagging_follower_leaves_and_rejoins_isr() {
        let mut c = cluster(1, false);
        c.append_to_leader(0, &meta(0, 1, 10, None), false);
        c.record_follower_fetch(0, 1, 10, SimTime::from_ms(29_000));
        // Partitions 1 and 2 never saw a fetch, but their followers are at the leader's
        // LEO (0): caught up, so only partition 0 shrinks.
        assert_eq!(c.shrink_isrs(SimTime::from_ms(31_000)), vec![0]);
        assert_eq!(c.partitions[0].isr, vec![0, 1]);
        let (expanded, _) = c.record_follower_fetch(0, 2, 10, SimTime::from_ms(31_001));
        assert!(expanded);
        assert_eq!(c.partitions[0].isr, vec![0, 1, 2]);
    }

    #[test]
    fn clean_election_picks_isr_member() {
        let mut c = cluster(1, false);
        c.brokers[0].alive = false;
        let (_, e) = c.fence(0, SimTime(0));
        assert_eq!(e[0].new_leader, Some(1));
        assert!(!e[0].unclean);
        assert_eq!(c.partitions[0].isr, vec![1, 2]);
    }

    #[test]
    fn no_isr_member_alive_means_offline_unless_unclean() {
        for unclean in [false, true] {
            let mut c = cluster(1, unclean);
            c.partitions[0].isr = vec![0];
            c.brokers[0].alive = false;
            let (_, e) = c.fence(0, SimTime(0));
            let e0 = e.iter().find(|e| e.partition == 0).unwrap();
            if unclean {
                assert_eq!(e0.new_leader, Some(1));
                assert!(e0.unclean);
            } else {
                assert_eq!(e0.new_leader, None);
            }
        }
    }

    #[test]
    fn unclean_leader_truncates_others() {
        let mut c = cluster(1, true);
        c.append_to_leader(0, &meta(0, 1, 10, None), false);
        // Only broker 2 copied the batch; broker 1 is out of sync and behind.
        let leader_entries = c.partitions[0].logs[0].entries().to_vec();
        c.partitions[0].logs[2].append_fetched(&leader_entries);
        c.partitions[0].isr = vec![0];
        c.brokers[0].alive = false;
        c.brokers[2].alive = false;
        let (_, e) = c.fence(0, SimTime(0));
        assert_eq!(e[0].new_leader, Some(1));
        c.brokers[2].alive = true;
        assert_eq!(c.truncate_replicas_of(2), 10);
    }

    #[test]
    fn effective_min_isr_is_capped_by_the_replicas() {
        // Partition.effectiveMinIsr: min(min.insync.replicas, replication factor).
        let mut c = Cluster::new(3, 1, 2, 3, false, SimDuration::from_ms(30_000));
        assert_eq!(c.partitions[0].effective_min_isr(3), 2);
        assert!(!c.is_under_min_isr(0));
        assert!(matches!(
            c.append_to_leader(0, &meta(0, 1, 10, None), true),
            AppendOutcome::Appended { base_offset: 0, .. }
        ));
        let (_, hw) = c.record_follower_fetch(0, 1, 10, SimTime(1));
        assert_eq!(hw, Some(10));
    }

    #[test]
    fn high_watermark_stops_under_min_isr() {
        // maybeIncrementLeaderHW returns early while isUnderMinIsr (KAFKA-15583): an
        // acks=1 write to a lone leader stays above the HW.
        let mut c = cluster(2, false);
        c.partitions[0].isr = vec![0];
        c.append_to_leader(0, &meta(0, 1, 10, None), false);
        assert_eq!(c.maybe_increment_hw(0, SimTime(1)), None);
        assert_eq!(c.partitions[0].high_watermark, 0);
        assert_eq!(c.partitions[0].uncommitted(), 10);
        // With min.insync.replicas=1 the same lone leader commits at once.
        c.min_insync_replicas = 1;
        // (once the dropped followers are no longer caught up: they would hold it back)
        assert_eq!(c.maybe_increment_hw(0, SimTime::from_ms(31_000)), Some(10));
    }

    #[test]
    fn high_watermark_waits_for_a_caught_up_follower_outside_the_isr() {
        // shouldWaitForReplicaToJoinIsr: a follower out of the ISR that is caught up (within
        // replica.lag.time.max.ms) and not fenced holds the HW back.
        let mut c = cluster(1, false);
        c.partitions[0].isr = vec![0, 1];
        c.partitions[0].followers[2].last_caught_up = Some(SimTime::from_ms(1_000));
        c.append_to_leader(0, &meta(0, 1, 10, None), false);
        let (_, hw) = c.record_follower_fetch(0, 1, 10, SimTime::from_ms(2_000));
        assert_eq!(hw, None, "broker 2 is caught up and eligible, at LEO 0");
        // Once it is no longer caught up, or fenced, the HW moves without it.
        c.brokers[2].fenced = true;
        assert_eq!(c.maybe_increment_hw(0, SimTime::from_ms(2_000)), Some(10));
    }

    #[test]
    fn a_follower_at_the_leaders_end_stays_in_sync_however_long_ago() {
        // ReplicaState.isCaughtUp: leaderEndOffset == logEndOffset keeps it in the ISR even
        // when lastCaughtUpTimeMs is older than replica.lag.time.max.ms.
        let mut c = cluster(1, false);
        let now = SimTime::from_ms(100_000);
        assert!(c.shrink_isrs(now).is_empty(), "no writes: every LEO is 0");
        c.append_to_leader(0, &meta(0, 1, 10, None), false);
        assert_eq!(c.shrink_isrs(now), vec![0]);
        assert_eq!(c.partitions[0].isr, vec![0]);
    }

    #[test]
    fn a_follower_rejoins_only_past_the_leader_epoch_start_offset() {
        // isFollowerInSync: followerEndOffset >= highWatermark and >= the leader epoch's
        // start offset.
        let mut c = cluster(1, false);
        c.append_to_leader(0, &meta(0, 1, 10, None), false);
        let entries = c.partitions[0].logs[0].entries().to_vec();
        c.partitions[0].logs[1].append_fetched(&entries);
        c.partitions[0].isr = vec![0, 1];
        c.brokers[0].alive = false;
        c.fence(0, SimTime::from_ms(1));
        assert_eq!(c.partitions[0].leader, Some(1));
        assert_eq!(c.partitions[0].leader_epoch_start_offset, 10);
        let (expanded, _) = c.record_follower_fetch(0, 2, 0, SimTime::from_ms(2));
        assert!(!expanded, "LEO 0 is below the epoch start offset 10");
        let (expanded, _) = c.record_follower_fetch(0, 2, 10, SimTime::from_ms(3));
        assert!(expanded);
    }

    fn with_epoch(m: BatchMeta, producer_epoch: u16) -> BatchMeta {
        BatchMeta {
            producer_epoch,
            ..m
        }
    }

    #[test]
    fn an_unknown_producer_may_start_at_any_sequence() {
        // ProducerAppendInfo.checkSequence accepts any sequence when the producer has no
        // state on the leader (after an unclean election truncated all of its batches).
        let mut c = cluster(1, false);
        assert!(matches!(
            c.append_to_leader(0, &meta(0, 1, 5, Some(1000)), true),
            AppendOutcome::Appended {
                base_offset: 0,
                duplicate: false,
                ..
            }
        ));
        assert!(matches!(
            c.append_to_leader(0, &meta(0, 2, 5, Some(1005)), true),
            AppendOutcome::Appended { base_offset: 5, .. }
        ));
    }

    #[test]
    fn a_new_producer_epoch_starts_at_zero_and_fences_the_old_one() {
        // checkSequence: a bumped epoch must start at sequence 0; checkProducerEpoch: an
        // older epoch is INVALID_PRODUCER_EPOCH.
        let mut c = cluster(1, false);
        c.append_to_leader(0, &meta(0, 1, 5, Some(0)), true);
        assert_eq!(
            c.append_to_leader(0, &with_epoch(meta(0, 2, 5, Some(5)), 1), true),
            AppendOutcome::Error(KafkaError::OutOfOrderSequenceNumber)
        );
        assert!(matches!(
            c.append_to_leader(0, &with_epoch(meta(0, 2, 5, Some(0)), 1), true),
            AppendOutcome::Appended {
                base_offset: 5,
                duplicate: false,
                ..
            }
        ));
        assert_eq!(
            c.append_to_leader(0, &meta(0, 3, 5, Some(5)), true),
            AppendOutcome::Error(KafkaError::InvalidProducerEpoch)
        );
    }

    #[test]
    fn sequences_wrap_from_integer_max_value_to_zero() {
        // ProducerAppendInfo.inSequence: nextSeq == 0 && lastSeq == Integer.MAX_VALUE.
        let mut c = cluster(1, false);
        c.append_to_leader(0, &meta(0, 1, 5, Some(i32::MAX - 4)), true);
        assert!(matches!(
            c.append_to_leader(0, &meta(0, 2, 5, Some(0)), true),
            AppendOutcome::Appended {
                base_offset: 5,
                duplicate: false,
                ..
            }
        ));
    }
}
