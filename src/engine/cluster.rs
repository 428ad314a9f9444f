//! The brokers: partition replicas, leaders, the ISR and the high watermark.
//!
//! Broker-side rules follow `core/src/main/scala/kafka/cluster/Partition.scala`
//! (append, ISR shrink/expand, high watermark) and the KRaft controller's
//! `ReplicationControlManager.java` / `PartitionChangeBuilder.java` (fencing, election).

use super::event::KafkaError;
use super::log::{LogEntry, ReplicaLog};
use super::time::{SimDuration, SimTime};

/// What the leader keeps about each follower (`Replica.scala`'s fetch state).
#[derive(Clone, Copy, Debug, Default)]
pub struct FollowerState {
    /// The follower's LEO as of its last fetch.
    pub log_end_offset: u64,
    pub last_caught_up: SimTime,
    pub last_fetch: SimTime,
    pub leader_leo_at_last_fetch: u64,
    /// A fetch is waiting at the leader for new data (`DelayedFetch`).
    pub parked: bool,
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

    /// `Partition.maybeIncrementLeaderHW`: the smallest LEO among ISR members.
    /// Returns the new high watermark if it moved up.
    pub fn maybe_increment_hw(&mut self) -> Option<u64> {
        let leader = self.leader?;
        let min_leo = self
            .isr
            .iter()
            .filter_map(|&b| {
                let i = self.index_of(b)?;
                Some(if b == leader {
                    self.logs[i].log_end_offset()
                } else {
                    self.followers[i].log_end_offset
                })
            })
            .min()?;
        (min_leo > self.high_watermark).then(|| {
            self.high_watermark = min_leo;
            min_leo
        })
    }

    /// The log a consumer would read: the leader's (or, while offline, the replica that
    /// an election would most likely pick) below the high watermark.
    pub fn committed_entries(&self) -> &[LogEntry] {
        let log = self.leader_log().or_else(|| {
            self.isr
                .iter()
                .filter_map(|&b| self.log_of(b))
                .max_by_key(|l| l.log_end_offset())
        });
        match log {
            Some(log) => {
                let hw = self.high_watermark;
                let end = log.entries().partition_point(|e| e.end_offset() <= hw);
                &log.entries()[..end]
            }
            None => &[],
        }
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

/// One batch of a produce request, as the broker sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchMeta {
    pub partition: u32,
    pub batch: u64,
    pub records: u32,
    pub size_in_bytes: u32,
    pub base_sequence: Option<i32>,
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
                    isr: replicas.clone(),
                    logs: vec![ReplicaLog::default(); replicas.len()],
                    followers: vec![FollowerState::default(); replicas.len()],
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
        }
    }

    pub fn broker_alive(&self, b: u32) -> bool {
        self.brokers.get(b as usize).is_some_and(|b| b.alive)
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
        } = *m;
        let min_isr = self.min_insync_replicas as usize;
        let Some(p) = self.partitions.get_mut(partition as usize) else {
            return AppendOutcome::Error(KafkaError::NotLeaderOrFollower);
        };
        if p.leader != Some(broker) {
            return AppendOutcome::Error(KafkaError::NotLeaderOrFollower);
        }
        // Partition.appendRecordsToLeader: acks=all is refused while the ISR is smaller
        // than min.insync.replicas (NotEnoughReplicasException).
        if acks_all && p.isr.len() < min_isr {
            return AppendOutcome::Error(KafkaError::NotEnoughReplicas);
        }
        let li = p.index_of(broker).expect("leader is a replica");
        if let Some(seq) = base_sequence {
            // ProducerStateManager / ProducerAppendInfo.checkSequence: a batch equal to
            // one of the last five is a duplicate (answered with its original offset); any
            // other gap is OUT_OF_ORDER_SEQUENCE_NUMBER.
            let last = p.logs[li].recent_sequenced(5).next().copied();
            if let Some(dup) = p.logs[li]
                .recent_sequenced(5)
                .find(|e| e.base_sequence == Some(seq) && e.records == records)
            {
                return AppendOutcome::Appended {
                    base_offset: dup.base_offset,
                    end_offset: dup.end_offset(),
                    duplicate: true,
                };
            }
            let expected = last
                .and_then(|e| e.last_sequence())
                .map_or(0, |s| s.wrapping_add(1));
            if seq != expected {
                return AppendOutcome::Error(KafkaError::OutOfOrderSequenceNumber);
            }
        }
        let epoch = p.leader_epoch;
        let base_offset = p.logs[li].append(records, batch, base_sequence, epoch, size_in_bytes);
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
            f.last_caught_up = now;
        } else if fetch_offset >= f.leader_leo_at_last_fetch {
            f.last_caught_up = f.last_fetch;
        }
        f.log_end_offset = fetch_offset;
        f.leader_leo_at_last_fetch = leader_leo;
        f.last_fetch = now;
        // Partition.maybeExpandIsr: a follower rejoins once it reaches the high watermark.
        let expanded = !p.isr.contains(&follower) && fetch_offset >= p.high_watermark;
        if expanded {
            p.isr.push(follower);
            p.isr.sort_unstable();
        }
        (expanded, p.maybe_increment_hw())
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
            let (replicas, followers) = (&p.replicas, &p.followers);
            p.isr.retain(|&b| {
                b == leader
                    || replicas
                        .iter()
                        .position(|&r| r == b)
                        .is_some_and(|i| now.since(followers[i].last_caught_up) <= lag)
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
    pub fn fence(&mut self, broker: u32) -> (Vec<u32>, Vec<Election>) {
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
                elections.push(self.elect_leader(pi as u32));
            }
        }
        (shrunk, elections)
    }

    /// `PartitionLeaderElectionAlgorithms.offlinePartitionLeaderElection`: the first
    /// live replica (in assignment order) that is in the ISR; failing that, with
    /// unclean.leader.election.enable, the first live replica at all; else offline.
    pub fn elect_leader(&mut self, partition: u32) -> Election {
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
            // The new leader starts tracking followers afresh.
            for f in p.followers.iter_mut() {
                f.parked = false;
                f.leader_leo_at_last_fetch = 0;
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
        assert_eq!(c.partitions[0].maybe_increment_hw(), None);
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
        // Partitions 1 and 2 never saw a fetch either: all three shrink.
        assert_eq!(c.shrink_isrs(SimTime::from_ms(31_000)), vec![0, 1, 2]);
        assert_eq!(c.partitions[0].isr, vec![0, 1]);
        let (expanded, _) = c.record_follower_fetch(0, 2, 10, SimTime::from_ms(31_001));
        assert!(expanded);
        assert_eq!(c.partitions[0].isr, vec![0, 1, 2]);
    }

    #[test]
    fn clean_election_picks_isr_member() {
        let mut c = cluster(1, false);
        c.brokers[0].alive = false;
        let (_, e) = c.fence(0);
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
            let (_, e) = c.fence(0);
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
        let (_, e) = c.fence(0);
        assert_eq!(e[0].new_leader, Some(1));
        c.brokers[2].alive = true;
        assert_eq!(c.truncate_replicas_of(2), 10);
    }
}
