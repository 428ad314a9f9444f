//! The brokers' side of the world: produce handling, the acks=all purgatory, follower
//! fetching, ISR expiration, fencing and elections, and injected faults.
//!
//! Follows `core/src/main/scala/kafka/server/ReplicaManager.scala` (appendRecords,
//! DelayedProduce), `kafka/cluster/Partition.scala` and `ReplicaFetcherThread.scala`.

use super::Cluster;
use super::{AppendOutcome, Election};
use crate::engine::config::Acks;
use crate::engine::event::{EventKind, KafkaError};
use crate::engine::fault::Fault;
use crate::engine::network::Host;
use crate::engine::protocol::{FetchRequest, FetchResponse, ProduceRequest};
use crate::engine::sim::{Action, Io};
use crate::engine::time::{SimDuration, SimTime};

const FETCH_REQUEST_BYTES: u32 = 64;
const PRODUCE_RESPONSE_BYTES: u32 = 64;

/// A produce request waiting at the leader for the ISR (`DelayedProduce`).
#[derive(Clone, Debug)]
pub struct DelayedProduce {
    pub request: u64,
    pub broker: u32,
    pub conn: u64,
    pub created: SimTime,
    /// The request's `timeoutMs`: the longest it may wait.
    pub timeout: SimDuration,
    pub parts: Vec<DelayedPart>,
}

/// One batch of a delayed produce: appended at `[base, end)`, or already refused.
#[derive(Clone, Copy, Debug)]
pub struct DelayedPart {
    pub partition: u32,
    pub batch: u64,
    pub appended: Result<(u64, u64), KafkaError>,
}

impl Cluster {
    fn broker_latency(&self, broker: u32, base_ms: f64) -> SimDuration {
        SimDuration::from_ms_f64(base_ms) + self.brokers[broker as usize].extra_latency
    }

    /// A produce request reaches a broker; its request handler appends after
    /// broker.append.latency.ms (requests are handled one at a time per broker).
    pub(in crate::engine) fn produce_arrives(
        &mut self,
        io: &mut Io<'_>,
        broker: u32,
        request: ProduceRequest,
    ) {
        if !self.broker_alive(broker) {
            return;
        }
        let latency = self.broker_latency(broker, io.config.cluster.broker_append_latency_ms);
        let b = &mut self.brokers[broker as usize];
        let start = b.busy_until.max(io.now);
        let done = start + latency;
        b.busy_until = done;
        io.schedule(done, Action::LeaderAppend { broker, request });
    }

    /// `ReplicaManager.appendRecords` on the leader.
    pub(in crate::engine) fn leader_append(
        &mut self,
        io: &mut Io<'_>,
        broker: u32,
        request: ProduceRequest,
    ) {
        if !self.broker_alive(broker) {
            return;
        }
        let ProduceRequest {
            id: request,
            conn,
            acks,
            timeout,
            batches,
        } = request;
        let acks_all = acks == Acks::All;
        let mut parts = Vec::with_capacity(batches.len());
        for m in &batches {
            let outcome = self.append_to_leader(broker, m, acks_all);
            let part = match outcome {
                AppendOutcome::Appended {
                    base_offset,
                    end_offset,
                    duplicate,
                } => {
                    if !duplicate {
                        io.emit(|| EventKind::AppendedOnLeader {
                            broker,
                            partition: m.partition,
                            batch: m.batch,
                            base_offset,
                            records: m.records,
                        });
                        self.after_leader_append(io, m.partition);
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
                self.respond(io, request, broker, conn, results);
            }
            Acks::All => {
                self.purgatory.push(DelayedProduce {
                    request,
                    broker,
                    conn,
                    created: io.now,
                    timeout,
                    parts,
                });
                self.try_complete_delayed(io, None);
            }
        }
    }

    /// Sends a produce response back (over a cut link the world holds it until the link
    /// heals).
    fn respond(
        &mut self,
        io: &mut Io<'_>,
        request: u64,
        broker: u32,
        conn: u64,
        results: Vec<(u64, Result<u64, KafkaError>)>,
    ) {
        let (_, arrives) =
            io.network
                .transmit(Host::Broker(broker), io.now, PRODUCE_RESPONSE_BYTES);
        let error = results.iter().find_map(|(_, r)| r.err());
        io.emit(|| EventKind::ResponseSent {
            request,
            broker,
            error,
            arrives,
        });
        io.schedule(
            arrives,
            Action::ProduceResponse {
                request,
                broker,
                conn,
                answered: io.now,
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
    pub(in crate::engine) fn try_complete_delayed(
        &mut self,
        io: &mut Io<'_>,
        partition: Option<u32>,
    ) {
        let min_isr = io.config.topic.min_insync_replicas;
        let now = io.now;
        let mut done = Vec::new();
        let mut i = 0;
        while i < self.purgatory.len() {
            let d = &self.purgatory[i];
            let relevant = partition.is_none_or(|p| d.parts.iter().any(|x| x.partition == p));
            if now.since(d.created) > d.timeout || !self.broker_alive(d.broker) {
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
                let state = &self.partitions[part.partition as usize];
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
            self.respond(io, request, broker, conn, results);
        }
    }

    /// After a leader append: wake the followers' parked fetches, and with no followers
    /// in the ISR the high watermark moves at once.
    fn after_leader_append(&mut self, io: &mut Io<'_>, partition: u32) {
        if let Some(hw) = self.maybe_increment_hw(partition, io.now) {
            io.emit(|| EventKind::HighWatermark {
                partition,
                high_watermark: hw,
            });
        }
        let p = &self.partitions[partition as usize];
        let parked: Vec<u32> = p
            .replicas
            .iter()
            .zip(p.followers.iter())
            .filter(|(_, f)| f.parked)
            .map(|(&b, _)| b)
            .collect();
        for follower in parked {
            let p = &mut self.partitions[partition as usize];
            let i = p.index_of(follower).expect("replica");
            p.followers[i].parked = false;
            let offset = p.followers[i].log_end_offset;
            self.answer_fetch(io, partition, follower, offset);
        }
    }

    // ---- follower fetching --------------------------------------------------------

    /// Every follower of every partition starts fetching from its leader.
    pub(in crate::engine) fn start_replication(&mut self, io: &mut Io<'_>) {
        for p in 0..self.partitions.len() as u32 {
            self.start_fetchers(io, p);
        }
    }

    /// Followers of `partition` (re)start their fetch loops, each with a new session so
    /// that fetches of an older loop are ignored.
    fn start_fetchers(&mut self, io: &mut Io<'_>, partition: u32) {
        let p = &self.partitions[partition as usize];
        let Some(leader) = p.leader else { return };
        let followers: Vec<u32> = p
            .replicas
            .iter()
            .copied()
            .filter(|&b| b != leader)
            .collect();
        for f in followers {
            self.send_fetch(io, partition, f);
        }
    }

    /// The follower sends a fetch from its log end offset (`ReplicaFetcherThread`).
    fn send_fetch(&mut self, io: &mut Io<'_>, partition: u32, follower: u32) {
        let b = &self.brokers[follower as usize];
        if !b.alive || b.replication_cut {
            return;
        }
        let p = &mut self.partitions[partition as usize];
        let Some(i) = p.index_of(follower) else {
            return;
        };
        let session = p.fetch_sessions[i] + 1;
        p.fetch_sessions[i] = session;
        let request = FetchRequest {
            replica_id: follower,
            partition,
            fetch_offset: p.logs[i].log_end_offset(),
            session,
        };
        let (_, arrives) = io
            .network
            .transmit(Host::Broker(follower), io.now, FETCH_REQUEST_BYTES);
        io.schedule(arrives, Action::FetchArrives(request));
    }

    /// A fetch reaches the leader: it updates the follower's state (ISR, high watermark)
    /// and answers with new data, or parks until there is some (`DelayedFetch`).
    pub(in crate::engine) fn fetch_arrives(&mut self, io: &mut Io<'_>, request: FetchRequest) {
        let FetchRequest {
            replica_id: follower,
            partition,
            fetch_offset,
            session,
        } = request;
        let p = &self.partitions[partition as usize];
        let Some(i) = p.index_of(follower) else {
            return;
        };
        let Some(leader) = p.leader else { return };
        if p.fetch_sessions[i] != session
            || leader == follower
            || !self.broker_alive(leader)
            || !self.broker_alive(follower)
        {
            return;
        }
        let (expanded, hw) = self.record_follower_fetch(partition, follower, fetch_offset, io.now);
        if expanded {
            self.emit_isr(io, partition);
        }
        if let Some(hw) = hw {
            io.emit(|| EventKind::HighWatermark {
                partition,
                high_watermark: hw,
            });
        }
        if hw.is_some() || expanded {
            self.try_complete_delayed(io, Some(partition));
        }
        let p = &mut self.partitions[partition as usize];
        if p.leader_leo() > fetch_offset {
            self.answer_fetch(io, partition, follower, fetch_offset);
        } else {
            p.followers[i].parked = true;
        }
    }

    fn answer_fetch(&mut self, io: &mut Io<'_>, partition: u32, follower: u32, fetch_offset: u64) {
        let p = &self.partitions[partition as usize];
        let Some(leader) = p.leader else { return };
        let Some(log) = p.log_of(leader) else { return };
        let i = p.index_of(follower).expect("replica");
        let response = FetchResponse {
            replica_id: follower,
            partition,
            records: log.entries_from(fetch_offset).to_vec(),
            session: p.fetch_sessions[i],
        };
        let bytes: u32 = FETCH_REQUEST_BYTES
            + response
                .records
                .iter()
                .map(|e| e.size_in_bytes)
                .sum::<u32>();
        let (sent, arrives) = io.network.transmit(Host::Broker(leader), io.now, bytes);
        let arrives = arrives
            + self.broker_latency(follower, io.config.cluster.broker_replication_latency_ms);
        io.emit(|| EventKind::FetchAnswered {
            partition,
            leader,
            follower,
            records: response.records.iter().map(|e| e.records).sum(),
            sent,
            arrives,
        });
        io.schedule(arrives, Action::FetchResponse(response));
    }

    /// The follower appends what it fetched and fetches again.
    pub(in crate::engine) fn fetch_response(&mut self, io: &mut Io<'_>, response: FetchResponse) {
        let FetchResponse {
            replica_id: follower,
            partition,
            records,
            session,
        } = response;
        let p = &mut self.partitions[partition as usize];
        let Some(i) = p.index_of(follower) else {
            return;
        };
        if p.fetch_sessions[i] != session || !self.brokers[follower as usize].alive {
            return;
        }
        p.logs[i].append_fetched(&records);
        let leo = p.logs[i].log_end_offset();
        io.emit(|| EventKind::Replicated {
            broker: follower,
            partition,
            log_end_offset: leo,
        });
        self.send_fetch(io, partition, follower);
    }

    /// ReplicaManager's isr-expiration task.
    pub(in crate::engine) fn isr_expiration(&mut self, io: &mut Io<'_>) {
        let shrunk = self.shrink_isrs(io.now);
        for p in shrunk {
            self.emit_isr(io, p);
            if let Some(hw) = self.maybe_increment_hw(p, io.now) {
                io.emit(|| EventKind::HighWatermark {
                    partition: p,
                    high_watermark: hw,
                });
            }
            self.try_complete_delayed(io, Some(p));
        }
    }

    // ---- the controller -----------------------------------------------------------

    /// broker.session.timeout.ms after a crash, the controller fences the broker and
    /// elects new leaders for its partitions.
    pub(in crate::engine) fn session_expired(
        &mut self,
        io: &mut Io<'_>,
        broker: u32,
        incarnation: u64,
    ) {
        let b = &self.brokers[broker as usize];
        if b.alive || b.fenced || b.incarnation != incarnation {
            return;
        }
        self.after_fence(io, broker);
    }

    fn after_fence(&mut self, io: &mut Io<'_>, broker: u32) {
        let (shrunk, elections) = self.fence(broker, io.now);
        for p in shrunk {
            self.emit_isr(io, p);
            if let Some(hw) = self.maybe_increment_hw(p, io.now) {
                io.emit(|| EventKind::HighWatermark {
                    partition: p,
                    high_watermark: hw,
                });
            }
        }
        self.after_elections(io, elections);
    }

    fn after_elections(&mut self, io: &mut Io<'_>, elections: Vec<Election>) {
        for e in elections {
            let epoch = self.partitions[e.partition as usize].leader_epoch;
            io.emit(|| EventKind::LeaderElected {
                partition: e.partition,
                leader: e.new_leader,
                leader_epoch: epoch,
                unclean: e.unclean,
                records_truncated: e.records_truncated,
            });
            self.emit_isr(io, e.partition);
            if e.new_leader != e.old_leader {
                self.start_fetchers(io, e.partition);
            }
            if let Some(hw) = self.maybe_increment_hw(e.partition, io.now) {
                let partition = e.partition;
                io.emit(|| EventKind::HighWatermark {
                    partition,
                    high_watermark: hw,
                });
            }
        }
        self.try_complete_delayed(io, None);
    }

    fn emit_isr(&mut self, io: &mut Io<'_>, partition: u32) {
        if io.recording() {
            let isr = self.partitions[partition as usize].isr.clone();
            io.emit(|| EventKind::IsrChanged { partition, isr });
        }
    }

    /// A fault on a broker takes effect (the world handles the network's faults).
    pub(in crate::engine) fn handle_fault(&mut self, io: &mut Io<'_>, fault: Fault) {
        let broker = fault.broker();
        if broker as usize >= self.brokers.len() {
            return;
        }
        match fault {
            Fault::Crash { .. } => {
                let b = &mut self.brokers[broker as usize];
                if !b.alive {
                    return;
                }
                b.alive = false;
                b.incarnation += 1;
                b.busy_until = SimTime::ZERO;
                let incarnation = b.incarnation;
                let fence_at =
                    io.now + SimDuration::from_ms(io.config.topic.broker_session_timeout_ms);
                io.schedule(
                    fence_at,
                    Action::Fence {
                        broker,
                        incarnation,
                    },
                );
                self.try_complete_delayed(io, None);
            }
            Fault::Restart { .. } => {
                let b = &mut self.brokers[broker as usize];
                if b.alive {
                    return;
                }
                let was_fenced = b.fenced;
                b.alive = true;
                b.incarnation += 1;
                if !was_fenced {
                    // Re-registering with a new incarnation fences the old one first.
                    self.after_fence(io, broker);
                }
                self.brokers[broker as usize].fenced = false;
                self.truncate_replicas_of(broker);
                // Offline partitions may have a leader again.
                let offline: Vec<u32> = self
                    .partitions
                    .iter()
                    .filter(|p| p.leader.is_none())
                    .map(|p| p.id)
                    .collect();
                let now = io.now;
                let elections = offline
                    .into_iter()
                    .map(|p| self.elect_leader(p, now))
                    .collect();
                self.after_elections(io, elections);
                for p in 0..self.partitions.len() as u32 {
                    let state = &self.partitions[p as usize];
                    if state.leader.is_some_and(|l| l != broker) && state.replicas.contains(&broker)
                    {
                        self.send_fetch(io, p, broker);
                    }
                }
            }
            Fault::Slow { extra_ms, .. } => {
                self.brokers[broker as usize].extra_latency = SimDuration::from_ms_f64(extra_ms);
            }
            Fault::Pause { ms, .. } => {
                let b = &mut self.brokers[broker as usize];
                b.busy_until = b.busy_until.max(io.now + SimDuration::from_ms_f64(ms));
            }
            Fault::CutProducerLink { .. } | Fault::HealProducerLink { .. } => {}
            Fault::CutReplication { .. } => {
                self.brokers[broker as usize].replication_cut = true;
            }
            Fault::HealReplication { .. } => {
                self.brokers[broker as usize].replication_cut = false;
                for p in 0..self.partitions.len() as u32 {
                    let state = &self.partitions[p as usize];
                    if state.leader.is_some_and(|l| l != broker) && state.replicas.contains(&broker)
                    {
                        self.send_fetch(io, p, broker);
                    }
                }
            }
        }
    }
}
