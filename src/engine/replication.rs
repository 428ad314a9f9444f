//! The brokers' side of the world: produce handling, the acks=all purgatory, follower
//! fetching, ISR expiration, fencing and elections, and injected faults.
//!
//! Follows `core/src/main/scala/kafka/server/ReplicaManager.scala` (appendRecords,
//! DelayedProduce), `kafka/cluster/Partition.scala` and `ReplicaFetcherThread.scala`.

use super::cluster::BatchMeta;
use super::cluster::{AppendOutcome, Election};
use super::config::Acks;
use super::event::{EventKind, KafkaError};
use super::fault::Fault;
use super::log::LogEntry;
use super::network::Host;
use super::sim::{Action, DelayedPart, DelayedProduce, Simulation};
use super::time::{SimDuration, SimTime};

const FETCH_REQUEST_BYTES: u32 = 64;
const PRODUCE_RESPONSE_BYTES: u32 = 64;

impl Simulation {
    fn broker_latency(&self, broker: u32, base_ms: f64) -> SimDuration {
        SimDuration::from_ms_f64(base_ms) + self.cluster.brokers[broker as usize].extra_latency
    }

    /// A produce request reaches a broker; its request handler appends after
    /// broker.append.latency.ms (requests are handled one at a time per broker).
    pub(super) fn produce_arrives(
        &mut self,
        request: u64,
        broker: u32,
        batches: Vec<BatchMeta>,
        acks: Acks,
    ) {
        if !self.cluster.broker_alive(broker) {
            return;
        }
        let latency = self.broker_latency(broker, self.config.cluster.broker_append_latency_ms);
        let b = &mut self.cluster.brokers[broker as usize];
        let start = b.busy_until.max(self.now);
        let done = start + latency;
        b.busy_until = done;
        let conn = self.connections[broker as usize].id;
        self.schedule(
            done,
            Action::LeaderAppend {
                request,
                broker,
                batches,
                acks,
                conn,
            },
        );
    }

    /// `ReplicaManager.appendRecords` on the leader.
    pub(super) fn leader_append(
        &mut self,
        request: u64,
        broker: u32,
        batches: Vec<BatchMeta>,
        acks: Acks,
        conn: u64,
    ) {
        if !self.cluster.broker_alive(broker) {
            return;
        }
        let acks_all = acks == Acks::All;
        let mut parts = Vec::with_capacity(batches.len());
        for m in &batches {
            let outcome = self.cluster.append_to_leader(broker, m, acks_all);
            let part = match outcome {
                AppendOutcome::Appended {
                    base_offset,
                    end_offset,
                    duplicate,
                } => {
                    if !duplicate {
                        self.emit(|| EventKind::AppendedOnLeader {
                            broker,
                            partition: m.partition,
                            batch: m.batch,
                            base_offset,
                            records: m.records,
                        });
                        self.after_leader_append(m.partition);
                    }
                    Ok((base_offset, end_offset))
                }
                AppendOutcome::Error(e) => Err(e),
            };
            parts.push(DelayedPart {
                partition: m.partition,
                batch: m.batch,
                appended: part,
            });
        }
        match acks {
            Acks::Zero => {}
            Acks::One => {
                let results = parts
                    .iter()
                    .map(|d| (d.batch, d.appended.map(|(base, _)| base)))
                    .collect();
                self.respond(request, broker, conn, results);
            }
            Acks::All => {
                self.purgatory.push(DelayedProduce {
                    request,
                    broker,
                    conn,
                    created: self.now,
                    parts,
                });
                self.try_complete_delayed(None);
            }
        }
    }

    /// Sends a produce response back (lost if the link to the producer is cut).
    fn respond(
        &mut self,
        request: u64,
        broker: u32,
        conn: u64,
        results: Vec<(u64, Result<u64, KafkaError>)>,
    ) {
        if self.network.producer_link_cut(broker) {
            return;
        }
        let (_, arrives) =
            self.network
                .transmit(Host::Broker(broker), self.now, PRODUCE_RESPONSE_BYTES);
        let error = results.iter().find_map(|(_, r)| r.err());
        self.emit(|| EventKind::ResponseSent {
            request,
            broker,
            error,
            arrives,
        });
        self.schedule(
            arrives,
            Action::ProduceResponse {
                request,
                broker,
                conn,
                answered: self.now,
                results,
            },
        );
    }

    /// `DelayedProduce.tryComplete` → `Partition.checkEnoughReplicasReachOffset`: an
    /// acks=all request completes once the high watermark passes each of its batches;
    /// if the ISR has shrunk below the effective min ISR by then, the answer is
    /// NOT_ENOUGH_REPLICAS_AFTER_APPEND; if the broker lost leadership,
    /// NOT_LEADER_OR_FOLLOWER. While the ISR stays below min ISR the HW is frozen, so a
    /// waiting request waits until it expires. Requests older than request.timeout.ms are
    /// dropped (the producer has given up on them).
    pub(super) fn try_complete_delayed(&mut self, partition: Option<u32>) {
        let min_isr = self.config.topic.min_insync_replicas;
        let timeout = SimDuration::from_ms(self.config.producer.request_timeout_ms);
        let now = self.now;
        let mut done = Vec::new();
        let mut i = 0;
        while i < self.purgatory.len() {
            let d = &self.purgatory[i];
            let relevant = partition.is_none_or(|p| d.parts.iter().any(|x| x.partition == p));
            if now.since(d.created) > timeout || !self.cluster.broker_alive(d.broker) {
                // DelayedProduce expiry: answer REQUEST_TIMED_OUT (the producer's own
                // timer has already fired, so this answer is never read).
                self.purgatory.swap_remove(i);
                continue;
            }
            if !relevant {
                i += 1;
                continue;
            }
            let mut results = Vec::with_capacity(d.parts.len());
            let mut complete = true;
            for part in &d.parts {
                let state = &self.cluster.partitions[part.partition as usize];
                let res = match part.appended {
                    Err(e) => Err(e),
                    Ok(_) if state.leader != Some(d.broker) => Err(KafkaError::NotLeaderOrFollower),
                    Ok((base, end)) if state.high_watermark >= end => {
                        // checkEnoughReplicasReachOffset: the HW passed, but the ISR has
                        // shrunk below the effective min ISR since (a race: the HW does
                        // not move while under min ISR).
                        if state.isr.len() < state.effective_min_isr(min_isr) {
                            Err(KafkaError::NotEnoughReplicasAfterAppend)
                        } else {
                            Ok(base)
                        }
                    }
                    Ok(_) => {
                        complete = false;
                        break;
                    }
                };
                results.push((part.batch, res));
            }
            if complete {
                let d = self.purgatory.swap_remove(i);
                done.push((d.request, d.broker, d.conn, results));
            } else {
                i += 1;
            }
        }
        // swap_remove reorders; answer in request order for determinism of the network.
        done.sort_unstable_by_key(|d| d.0);
        for (request, broker, conn, results) in done {
            self.respond(request, broker, conn, results);
        }
    }

    /// After a leader append: wake the followers' parked fetches, and with no followers
    /// in the ISR the high watermark moves at once.
    fn after_leader_append(&mut self, partition: u32) {
        if let Some(hw) = self.cluster.maybe_increment_hw(partition, self.now) {
            self.emit(|| EventKind::HighWatermark {
                partition,
                high_watermark: hw,
            });
        }
        let p = &self.cluster.partitions[partition as usize];
        let parked: Vec<u32> = p
            .replicas
            .iter()
            .zip(p.followers.iter())
            .filter(|(_, f)| f.parked)
            .map(|(&b, _)| b)
            .collect();
        for follower in parked {
            let p = &mut self.cluster.partitions[partition as usize];
            let i = p.index_of(follower).expect("replica");
            p.followers[i].parked = false;
            let offset = p.followers[i].log_end_offset;
            self.answer_fetch(partition, follower, offset);
        }
    }

    // ---- follower fetching --------------------------------------------------------

    /// Every follower of every partition starts fetching from its leader.
    pub(super) fn start_replication(&mut self) {
        for p in 0..self.cluster.partitions.len() as u32 {
            self.start_fetchers(p);
        }
    }

    /// Followers of `partition` (re)start their fetch loops, each with a new session so
    /// that fetches of an older loop are ignored.
    fn start_fetchers(&mut self, partition: u32) {
        let p = &self.cluster.partitions[partition as usize];
        let Some(leader) = p.leader else { return };
        let followers: Vec<u32> = p
            .replicas
            .iter()
            .copied()
            .filter(|&b| b != leader)
            .collect();
        for f in followers {
            self.send_fetch(partition, f);
        }
    }

    /// The follower sends a fetch from its log end offset (`ReplicaFetcherThread`).
    fn send_fetch(&mut self, partition: u32, follower: u32) {
        let b = &self.cluster.brokers[follower as usize];
        if !b.alive || b.replication_cut {
            return;
        }
        let p = &mut self.cluster.partitions[partition as usize];
        let Some(i) = p.index_of(follower) else {
            return;
        };
        let fetch_offset = p.logs[i].log_end_offset();
        let session = p.fetch_sessions[i] + 1;
        p.fetch_sessions[i] = session;
        let (_, arrives) =
            self.network
                .transmit(Host::Broker(follower), self.now, FETCH_REQUEST_BYTES);
        self.schedule(
            arrives,
            Action::FetchArrives {
                partition,
                follower,
                fetch_offset,
                session,
            },
        );
    }

    /// A fetch reaches the leader: it updates the follower's state (ISR, high watermark)
    /// and answers with new data, or parks until there is some (`DelayedFetch`).
    pub(super) fn fetch_arrives(
        &mut self,
        partition: u32,
        follower: u32,
        fetch_offset: u64,
        session: u64,
    ) {
        let p = &self.cluster.partitions[partition as usize];
        let Some(i) = p.index_of(follower) else {
            return;
        };
        let Some(leader) = p.leader else { return };
        if p.fetch_sessions[i] != session
            || leader == follower
            || !self.cluster.broker_alive(leader)
            || !self.cluster.broker_alive(follower)
        {
            return;
        }
        let (expanded, hw) =
            self.cluster
                .record_follower_fetch(partition, follower, fetch_offset, self.now);
        if expanded {
            self.emit_isr(partition);
        }
        if let Some(hw) = hw {
            self.emit(|| EventKind::HighWatermark {
                partition,
                high_watermark: hw,
            });
        }
        if hw.is_some() || expanded {
            self.try_complete_delayed(Some(partition));
        }
        let p = &mut self.cluster.partitions[partition as usize];
        if p.leader_leo() > fetch_offset {
            self.answer_fetch(partition, follower, fetch_offset);
        } else {
            p.followers[i].parked = true;
        }
    }

    fn answer_fetch(&mut self, partition: u32, follower: u32, fetch_offset: u64) {
        let p = &self.cluster.partitions[partition as usize];
        let Some(leader) = p.leader else { return };
        let Some(log) = p.log_of(leader) else { return };
        let entries: Vec<LogEntry> = log.entries_from(fetch_offset).to_vec();
        let i = p.index_of(follower).expect("replica");
        let session = p.fetch_sessions[i];
        let bytes: u32 = FETCH_REQUEST_BYTES + entries.iter().map(|e| e.size_in_bytes).sum::<u32>();
        let (_, arrives) = self.network.transmit(Host::Broker(leader), self.now, bytes);
        let latency =
            self.broker_latency(follower, self.config.cluster.broker_replication_latency_ms);
        self.emit(|| EventKind::FetchAnswered {
            partition,
            leader,
            follower,
            records: entries.iter().map(|e| e.records).sum(),
            arrives: arrives + latency,
        });
        self.schedule(
            arrives + latency,
            Action::FetchResponse {
                partition,
                follower,
                entries,
                session,
            },
        );
    }

    /// The follower appends what it fetched and fetches again.
    pub(super) fn fetch_response(
        &mut self,
        partition: u32,
        follower: u32,
        entries: Vec<LogEntry>,
        session: u64,
    ) {
        let p = &mut self.cluster.partitions[partition as usize];
        let Some(i) = p.index_of(follower) else {
            return;
        };
        if p.fetch_sessions[i] != session || !self.cluster.brokers[follower as usize].alive {
            return;
        }
        p.logs[i].append_fetched(&entries);
        let leo = p.logs[i].log_end_offset();
        self.emit(|| EventKind::Replicated {
            broker: follower,
            partition,
            log_end_offset: leo,
        });
        self.send_fetch(partition, follower);
    }

    /// ReplicaManager's isr-expiration task.
    pub(super) fn isr_expiration(&mut self) {
        let shrunk = self.cluster.shrink_isrs(self.now);
        for p in shrunk {
            self.emit_isr(p);
            if let Some(hw) = self.cluster.maybe_increment_hw(p, self.now) {
                self.emit(|| EventKind::HighWatermark {
                    partition: p,
                    high_watermark: hw,
                });
            }
            self.try_complete_delayed(Some(p));
        }
    }

    // ---- the controller -----------------------------------------------------------

    /// broker.session.timeout.ms after a crash, the controller fences the broker and
    /// elects new leaders for its partitions.
    pub(super) fn fence(&mut self, broker: u32, incarnation: u64) {
        let b = &self.cluster.brokers[broker as usize];
        if b.alive || b.fenced || b.incarnation != incarnation {
            return;
        }
        self.after_fence(broker);
    }

    fn after_fence(&mut self, broker: u32) {
        let (shrunk, elections) = self.cluster.fence(broker, self.now);
        for p in shrunk {
            self.emit_isr(p);
            if let Some(hw) = self.cluster.maybe_increment_hw(p, self.now) {
                self.emit(|| EventKind::HighWatermark {
                    partition: p,
                    high_watermark: hw,
                });
            }
        }
        self.after_elections(elections);
    }

    fn after_elections(&mut self, elections: Vec<Election>) {
        for e in elections {
            let epoch = self.cluster.partitions[e.partition as usize].leader_epoch;
            self.emit(|| EventKind::LeaderElected {
                partition: e.partition,
                leader: e.new_leader,
                leader_epoch: epoch,
                unclean: e.unclean,
                records_truncated: e.records_truncated,
            });
            self.emit_isr(e.partition);
            if e.new_leader != e.old_leader {
                self.start_fetchers(e.partition);
            }
            if let Some(hw) = self.cluster.maybe_increment_hw(e.partition, self.now) {
                let partition = e.partition;
                self.emit(|| EventKind::HighWatermark {
                    partition,
                    high_watermark: hw,
                });
            }
        }
        self.try_complete_delayed(None);
    }

    fn emit_isr(&mut self, partition: u32) {
        if self.record_events_on() {
            let isr = self.cluster.partitions[partition as usize].isr.clone();
            self.emit(|| EventKind::IsrChanged { partition, isr });
        }
    }

    pub(super) fn handle_fault(&mut self, fault: Fault) {
        let broker = fault.broker();
        if broker as usize >= self.cluster.brokers.len() {
            return;
        }
        self.emit(|| EventKind::FaultInjected { fault });
        match fault {
            Fault::Crash { .. } => {
                let b = &mut self.cluster.brokers[broker as usize];
                if !b.alive {
                    return;
                }
                b.alive = false;
                b.incarnation += 1;
                b.busy_until = SimTime::ZERO;
                let incarnation = b.incarnation;
                // The OS resets the producer's connection at once.
                let conn = self.connections[broker as usize].id;
                let at = self.now + self.network.one_way();
                self.schedule(at, Action::Disconnect { broker, conn });
                let fence_at =
                    self.now + SimDuration::from_ms(self.config.topic.broker_session_timeout_ms);
                self.schedule(
                    fence_at,
                    Action::Fence {
                        broker,
                        incarnation,
                    },
                );
                self.try_complete_delayed(None);
            }
            Fault::Restart { .. } => {
                let b = &mut self.cluster.brokers[broker as usize];
                if b.alive {
                    return;
                }
                let was_fenced = b.fenced;
                b.alive = true;
                b.incarnation += 1;
                if !was_fenced {
                    // Re-registering with a new incarnation fences the old one first.
                    self.after_fence(broker);
                }
                self.cluster.brokers[broker as usize].fenced = false;
                self.cluster.truncate_replicas_of(broker);
                // Offline partitions may have a leader again.
                let offline: Vec<u32> = self
                    .cluster
                    .partitions
                    .iter()
                    .filter(|p| p.leader.is_none())
                    .map(|p| p.id)
                    .collect();
                let now = self.now;
                let elections = offline
                    .into_iter()
                    .map(|p| self.cluster.elect_leader(p, now))
                    .collect();
                self.after_elections(elections);
                for p in 0..self.cluster.partitions.len() as u32 {
                    let state = &self.cluster.partitions[p as usize];
                    if state.leader.is_some_and(|l| l != broker) && state.replicas.contains(&broker)
                    {
                        self.send_fetch(p, broker);
                    }
                }
            }
            Fault::Slow { extra_ms, .. } => {
                self.cluster.brokers[broker as usize].extra_latency =
                    SimDuration::from_ms_f64(extra_ms);
            }
            Fault::Pause { ms, .. } => {
                let b = &mut self.cluster.brokers[broker as usize];
                b.busy_until = b.busy_until.max(self.now + SimDuration::from_ms_f64(ms));
            }
            Fault::CutProducerLink { .. } => self.network.set_producer_link_cut(broker, true),
            Fault::HealProducerLink { .. } => self.network.set_producer_link_cut(broker, false),
            Fault::CutReplication { .. } => {
                self.cluster.brokers[broker as usize].replication_cut = true;
            }
            Fault::HealReplication { .. } => {
                self.cluster.brokers[broker as usize].replication_cut = false;
                for p in 0..self.cluster.partitions.len() as u32 {
                    let state = &self.cluster.partitions[p as usize];
                    if state.leader.is_some_and(|l| l != broker) && state.replicas.contains(&broker)
                    {
                        self.send_fetch(p, broker);
                    }
                }
            }
        }
        self.wake_sender_now();
    }
}
