//! The producer's I/O thread (`clients/.../producer/internals/Sender.java`): drains
//! ready batches into produce requests per broker, handles responses, retries with
//! backoff, and expires batches at delivery.timeout.ms.

use super::accumulator::{ProducerBatch, Readiness};
use super::cluster::BatchMeta;
use super::config::Acks;
use super::event::{EventKind, KafkaError};
use super::network::Host;
use super::sim::{Action, InFlightRequest, Outcome, Simulation};
use super::time::{SimDuration, SimTime};

/// Request framing beyond the batches (request header, topic and partition fields).
const PRODUCE_REQUEST_OVERHEAD: u32 = 64;
/// `reconnect.backoff.ms` and `reconnect.backoff.max.ms` defaults (CommonClientConfigs).
const RECONNECT_BACKOFF_MS: u64 = 50;
const RECONNECT_BACKOFF_MAX_MS: u64 = 1000;

impl Simulation {
    /// One pass of `Sender.sendProducerData`.
    pub(super) fn run_sender(&mut self) {
        let now = self.now;
        self.expire_batches();

        let retry_backoff = SimDuration::from_ms(self.config.producer.retry_backoff_ms);
        let mut next_check = SimTime::NEVER;
        let mut ready_nodes: Vec<u32> = Vec::new();
        let mut need_metadata = false;
        for p in 0..self.config.topic.partitions {
            match self.accumulator.readiness(p, now, retry_backoff) {
                Readiness::Empty => {}
                Readiness::At(t) => next_check = next_check.min(t),
                Readiness::Ready => match self.known_leaders[p as usize] {
                    None => need_metadata = true,
                    Some(b) => {
                        if !ready_nodes.contains(&b) {
                            ready_nodes.push(b);
                        }
                    }
                },
            }
        }
        if need_metadata {
            self.request_metadata();
        }
        ready_nodes.sort_unstable();
        // RecordAccumulator.updateNodeLatencyStats, then the partitioner's load stats.
        let can_drain: Vec<(u32, Option<SimTime>)> = ready_nodes
            .iter()
            .map(|&n| (n, self.node_ready_at(n)))
            .collect();
        for &(node, at) in &can_drain {
            let stats = &mut self.node_latency[node as usize];
            let drained = match (at, *stats) {
                (Some(t), _) if t <= now => now,
                (_, Some((_, d))) => d,
                _ => now,
            };
            *stats = Some((now, drained));
        }
        self.partitioner.update_load(&self.partition_load());
        for (node, at) in can_drain {
            match at {
                Some(t) if t > now => next_check = next_check.min(t),
                // More may be ready once this request has left the socket. (If nothing
                // could be sent, a response or a backoff timer wakes the sender.)
                Some(_) if self.send_to_node(node) => {
                    let c = &self.connections[node as usize];
                    if c.in_flight < self.config.producer.max_in_flight_requests_per_connection {
                        next_check = next_check.min(c.sending_until.max(now + SimDuration(1)));
                    }
                }
                Some(_) => {}
                None => {}
            }
        }
        if let Some(d) = self.accumulator.earliest_deadline() {
            next_check = next_check.min(d);
        }
        if let Some(d) = self.earliest_in_flight_deadline() {
            next_check = next_check.min(d);
        }
        if next_check != SimTime::NEVER {
            self.wake_sender_at(next_check.max(now));
        }
    }

    /// When the producer can next send to `node` (`NetworkClient.ready`): None while it
    /// has max.in.flight requests outstanding (a response will wake the sender).
    fn node_ready_at(&mut self, node: u32) -> Option<SimTime> {
        let max_in_flight = self.config.producer.max_in_flight_requests_per_connection;
        let now = self.now;
        if !self.cluster.broker_alive(node) {
            // Connection refused: back off and refresh metadata (NetworkClient.initiateConnect).
            let c = &mut self.connections[node as usize];
            if c.reconnect_after <= now {
                c.reconnect_attempts += 1;
                let backoff = (RECONNECT_BACKOFF_MS << c.reconnect_attempts.min(5))
                    .min(RECONNECT_BACKOFF_MAX_MS);
                c.reconnect_after = now + SimDuration::from_ms(backoff);
                let at = c.reconnect_after;
                self.request_metadata();
                return Some(at);
            }
            return Some(c.reconnect_after);
        }
        let c = &self.connections[node as usize];
        if c.in_flight >= max_in_flight {
            return None;
        }
        Some(c.reconnect_after.max(c.sending_until))
    }

    /// Drains one request's worth of batches for `node` and sends it
    /// (`RecordAccumulator.drainBatchesForOneNode`: one batch per partition, up to
    /// max.request.size, starting where the previous drain stopped).
    fn send_to_node(&mut self, node: u32) -> bool {
        let now = self.now;
        let retry_backoff = SimDuration::from_ms(self.config.producer.retry_backoff_ms);
        let max_request = self.config.producer.max_request_size;
        let guarantee_order = self.config.producer.max_in_flight_requests_per_connection == 1;
        let led: Vec<u32> = (0..self.config.topic.partitions)
            .filter(|&p| self.known_leaders[p as usize] == Some(node))
            .collect();
        if led.is_empty() {
            return false;
        }
        let start = self.drain_index[node as usize] % led.len();
        let mut size = PRODUCE_REQUEST_OVERHEAD;
        let mut batches: Vec<ProducerBatch> = Vec::new();
        for i in 0..led.len() {
            let p = led[(start + i) % led.len()];
            if self.accumulator.readiness(p, now, retry_backoff) != Readiness::Ready {
                continue;
            }
            // max.in.flight.requests.per.connection=1 mutes a partition while a batch of
            // it is in flight (guaranteeMessageOrder).
            if guarantee_order && self.partitions_in_flight[p as usize] > 0 {
                continue;
            }
            if self.idempotent && self.must_wait_for_sequence(p) {
                continue;
            }
            let first_size = self.accumulator.first_size(p);
            if !batches.is_empty() && size + first_size > max_request {
                break;
            }
            let Some(mut batch) = self.accumulator.pop_for_send(p, now) else {
                continue;
            };
            if self.idempotent && batch.base_sequence.is_none() {
                // Sequence numbers are assigned when a batch is first drained.
                let seq = self.next_sequence[p as usize];
                batch.base_sequence = Some(seq);
                self.next_sequence[p as usize] = seq.wrapping_add(batch.records as i32);
                self.unresolved_sequences[p as usize].insert(seq);
            }
            let built = batch.built.expect("closed on drain");
            size += built.size_in_bytes;
            self.emit(|| EventKind::BatchClosed {
                partition: p,
                batch: batch.id,
                records: built.records,
                size_in_bytes: built.size_in_bytes,
                uncompressed_size: built.uncompressed_size,
            });
            batches.push(batch);
        }
        self.drain_index[node as usize] = (start + 1) % led.len();
        if batches.is_empty() {
            return false;
        }
        self.send_request(node, batches, size);
        true
    }

    /// The idempotent producer sends a retried batch only when it is the earliest
    /// unresolved sequence of its partition, so the log stays in order
    /// (`RecordAccumulator.shouldStopDrainBatchesForPartition`).
    fn must_wait_for_sequence(&self, p: u32) -> bool {
        let Some(first) = self.accumulator.first(p) else {
            return false;
        };
        let unresolved = &self.unresolved_sequences[p as usize];
        match first.base_sequence {
            Some(seq) => {
                unresolved.first().is_some_and(|&lowest| lowest != seq)
                    || self.partitions_in_flight[p as usize] > 0 && first.attempts > 0
            }
            None => false,
        }
    }

    fn send_request(&mut self, node: u32, mut batches: Vec<ProducerBatch>, size: u32) {
        let now = self.now;
        let request = self.next_request;
        self.next_request += 1;
        let acks = self.config.producer.acks;
        let metas: Vec<BatchMeta> = batches
            .iter()
            .map(|b| BatchMeta {
                partition: b.partition,
                batch: b.id,
                records: b.records,
                size_in_bytes: b.size_in_bytes(),
                base_sequence: b.base_sequence,
            })
            .collect();
        let (sent, arrives) = self.network.transmit(Host::Producer, now, size);
        let conn = &mut self.connections[node as usize];
        conn.sending_until = sent;
        conn.in_flight += 1;
        let conn_id = conn.id;
        // Sender.updateProduceRequestMetrics.
        self.metrics.requests += 1;
        for b in batches.iter_mut() {
            let built = b.built.expect("closed");
            self.metrics.batches_sent += 1;
            self.metrics.batch_bytes += built.size_in_bytes as u64;
            self.metrics.compression_rate_sum += built.compression_rate();
            self.metrics.records_sent += b.records as u64;
            if b.attempts == 0 {
                let queued = b.drained_at.unwrap_or(now).since(b.created).as_us();
                self.metrics.queue_time.record_n(queued, 1);
            }
            b.attempts += 1;
            b.last_attempt = now;
            self.partitions_in_flight[b.partition as usize] += 1;
        }
        self.emit(|| EventKind::RequestSent {
            request,
            broker: node,
            batches: metas.iter().map(|m| (m.partition, m.batch)).collect(),
            bytes: size,
        });
        if !self.network.producer_link_cut(node) {
            self.schedule(
                arrives,
                Action::ProduceArrives {
                    request,
                    broker: node,
                    batches: metas,
                    acks,
                },
            );
        }
        if acks == Acks::Zero {
            // acks=0: the request expects no response; its batches complete once it is
            // written to the socket, with no offset (NetworkClient: expectResponse=false).
            self.schedule(sent, Action::RequestWritten { request });
        } else {
            let timeout = SimDuration::from_ms(self.config.producer.request_timeout_ms);
            self.schedule(now + timeout, Action::RequestTimeout { request });
        }
        self.in_flight.insert(
            request,
            InFlightRequest {
                broker: node,
                conn: conn_id,
                sent_at: now,
                batches,
            },
        );
    }

    /// An acks=0 request left the socket: done, as far as the producer will ever know.
    pub(super) fn request_written(&mut self, request: u64) {
        let Some(req) = self.in_flight.remove(&request) else {
            return;
        };
        self.connections[req.broker as usize].in_flight -= 1;
        for b in req.batches {
            self.partitions_in_flight[b.partition as usize] -= 1;
            self.complete_batch(b, Ok(None));
        }
        self.wake_sender_now();
    }

    /// A produce response reached the producer (`Sender.handleProduceResponse`).
    pub(super) fn produce_response(
        &mut self,
        request: u64,
        broker: u32,
        conn: u64,
        results: Vec<(u64, Result<u64, KafkaError>)>,
    ) {
        if self.connections[broker as usize].id != conn {
            return; // that connection was closed; its requests already failed
        }
        let Some(req) = self.in_flight.remove(&request) else {
            return;
        };
        let error = results.iter().find_map(|(_, r)| r.err());
        self.emit(|| EventKind::Response {
            request,
            broker,
            error,
        });
        self.connections[broker as usize].in_flight -= 1;
        self.metrics
            .request_latency
            .record_n(self.now.since(req.sent_at).as_us(), 1);
        for batch in req.batches {
            self.partitions_in_flight[batch.partition as usize] -= 1;
            let result = results
                .iter()
                .find(|(id, _)| *id == batch.id)
                .map_or(Err(KafkaError::NetworkException), |(_, r)| *r);
            self.complete_or_retry(batch, result.map(Some));
        }
        self.wake_sender_now();
    }

    /// request.timeout.ms passed without a response: NetworkClient closes the
    /// connection, failing every request on it (`handleTimedOutRequests`).
    pub(super) fn request_timeout(&mut self, request: u64) {
        let Some(req) = self.in_flight.get(&request) else {
            return;
        };
        let (broker, conn) = (req.broker, req.conn);
        if self.connections[broker as usize].id != conn {
            return;
        }
        self.fail_connection(broker, Some(request), KafkaError::RequestTimedOut);
    }

    /// The connection to a broker dropped (the broker crashed): in-flight requests fail
    /// with a disconnect (NETWORK_EXCEPTION) and are retried.
    pub(super) fn disconnect(&mut self, broker: u32, conn: u64, error: KafkaError) {
        if self.connections[broker as usize].id == conn {
            self.fail_connection(broker, None, error);
        }
    }

    fn fail_connection(&mut self, broker: u32, timed_out: Option<u64>, error: KafkaError) {
        let c = &mut self.connections[broker as usize];
        c.id += 1;
        c.in_flight = 0;
        c.reconnect_after = self.now + SimDuration::from_ms(RECONNECT_BACKOFF_MS);
        let requests: Vec<u64> = self
            .in_flight
            .as_slice()
            .iter()
            .filter(|(_, r)| r.broker == broker)
            .map(|(id, _)| *id)
            .collect();
        for id in requests {
            let req = self.in_flight.remove(&id).expect("listed");
            let err = if Some(id) == timed_out {
                KafkaError::RequestTimedOut
            } else {
                error
            };
            self.emit(|| EventKind::Response {
                request: id,
                broker,
                error: Some(err),
            });
            for batch in req.batches {
                self.partitions_in_flight[batch.partition as usize] -= 1;
                self.complete_or_retry(batch, Err(err));
            }
        }
        self.request_metadata();
        self.wake_sender_now();
    }

    /// `Sender.completeBatch`: done, or back to the accumulator for another try.
    fn complete_or_retry(
        &mut self,
        mut batch: ProducerBatch,
        result: Result<Option<u64>, KafkaError>,
    ) {
        let Err(error) = result else {
            self.complete_batch(batch, result);
            return;
        };
        self.saw_error(error);
        let delivery_timeout =
            SimDuration::from_ms(self.config.producer.effective_delivery_timeout_ms());
        // Sender.canRetry: attempts below retries, retriable, delivery timeout not reached.
        let can_retry = error.is_retriable()
            && batch.attempts <= self.config.producer.retries
            && self.now < batch.delivery_deadline(delivery_timeout);
        if !can_retry {
            self.complete_batch(batch, Err(error));
            return;
        }
        if matches!(
            error,
            KafkaError::NotLeaderOrFollower
                | KafkaError::NetworkException
                | KafkaError::RequestTimedOut
        ) {
            self.request_metadata();
        }
        let backoff = self.retry_backoff(batch.attempts);
        batch.retry_after = self.now + backoff;
        batch.last_attempt = self.now;
        self.metrics.retries += batch.records as u64;
        self.emit(|| EventKind::Retry {
            partition: batch.partition,
            batch: batch.id,
            attempt: batch.attempts,
            error,
            backoff_ms: backoff.as_us() / 1000,
        });
        self.accumulator.reenqueue(batch, self.idempotent);
        self.wake_sender_now();
    }

    /// KIP-580 exponential backoff: retry.backoff.ms * 2^(attempts-1), capped at
    /// retry.backoff.max.ms, with ±20% jitter (`ExponentialBackoff`).
    fn retry_backoff(&mut self, attempts: u32) -> SimDuration {
        let p = &self.config.producer;
        // retry.backoff.ms above retry.backoff.max.ms gives a fixed retry.backoff.max.ms.
        let max = p.retry_backoff_max_ms as f64;
        let base = (p.retry_backoff_ms as f64).min(max);
        let exp = base * 2f64.powi(attempts.saturating_sub(1).min(30) as i32);
        let jitter = 1.0 + 0.2 * (2.0 * self.rng.unit() - 1.0);
        SimDuration::from_ms_f64((exp.min(max) * jitter).max(0.0))
    }

    /// The batch is done: acknowledged (with its base offset, None for acks=0) or failed.
    pub(super) fn complete_batch(
        &mut self,
        batch: ProducerBatch,
        result: Result<Option<u64>, KafkaError>,
    ) {
        let now = self.now;
        self.accumulator.deallocate(&batch);
        if let Some(seq) = batch.base_sequence {
            self.unresolved_sequences[batch.partition as usize].remove(&seq);
        }
        let outcome = match result {
            Ok(base_offset) => {
                for &t in &batch.send_times {
                    self.metrics.end_to_end.record_n(now.since(t).as_us(), 1);
                }
                self.mix_digest(&[batch.id, now.0, base_offset.map_or(u64::MAX, |o| o)]);
                self.emit(|| EventKind::BatchAcked {
                    partition: batch.partition,
                    batch: batch.id,
                    records: batch.records,
                    base_offset,
                });
                Outcome::Acked
            }
            Err(error) => {
                self.metrics.errors += batch.records as u64;
                self.mix_digest(&[batch.id, now.0, u64::MAX - 1]);
                self.emit(|| EventKind::BatchFailed {
                    partition: batch.partition,
                    batch: batch.id,
                    records: batch.records,
                    error,
                });
                Outcome::Failed
            }
        };
        if let Some(o) = self.outcomes.get_mut(batch.id as usize) {
            o.1 = outcome;
        }
        self.last_completion = self.last_completion.max(now);
        self.retry_blocked_send();
    }

    /// Batches past delivery.timeout.ms fail, whether queued or in flight
    /// (`RecordAccumulator.expiredBatches`, `Sender.getExpiredInflightBatches`, KIP-91).
    fn expire_batches(&mut self) {
        let now = self.now;
        for batch in self.accumulator.take_expired(now) {
            self.saw_error(KafkaError::DeliveryTimeout);
            self.complete_batch(batch, Err(KafkaError::DeliveryTimeout));
        }
        let timeout = SimDuration::from_ms(self.config.producer.effective_delivery_timeout_ms());
        // Plain loops: this runs on every step, and iterator adapters are calls in the
        // size-optimised browser build.
        let mut expired: Vec<(u64, u64)> = Vec::new();
        for (rid, r) in self.in_flight.as_slice() {
            for b in &r.batches {
                if now >= b.delivery_deadline(timeout) {
                    expired.push((*rid, b.id));
                }
            }
        }
        for (rid, bid) in expired {
            let req = self.in_flight.get_mut(&rid).expect("listed");
            let i = req
                .batches
                .iter()
                .position(|b| b.id == bid)
                .expect("listed");
            let batch = req.batches.remove(i);
            self.partitions_in_flight[batch.partition as usize] -= 1;
            self.saw_error(KafkaError::DeliveryTimeout);
            self.complete_batch(batch, Err(KafkaError::DeliveryTimeout));
        }
    }

    fn earliest_in_flight_deadline(&self) -> Option<SimTime> {
        let timeout = SimDuration::from_ms(self.config.producer.effective_delivery_timeout_ms());
        let mut earliest = None;
        for (_, r) in self.in_flight.as_slice() {
            for b in &r.batches {
                let deadline = b.delivery_deadline(timeout);
                if earliest.is_none_or(|e| deadline < e) {
                    earliest = Some(deadline);
                }
            }
        }
        earliest
    }

    /// Ask a broker for fresh metadata; it arrives one round trip later.
    pub(super) fn request_metadata(&mut self) {
        if !self.metadata_refresh_pending {
            self.metadata_refresh_pending = true;
            let at = self.now
                + self.network.one_way()
                + self.network.one_way()
                + SimDuration::from_ms(self.config.producer.retry_backoff_ms.min(100));
            self.schedule(at, Action::MetadataUpdate);
        }
    }

    /// Metadata arrived: the producer learns the current leaders.
    pub(super) fn metadata_update(&mut self) {
        self.metadata_refresh_pending = false;
        self.known_leaders = self.cluster.partitions.iter().map(|p| p.leader).collect();
        let known: Vec<bool> = self.known_leaders.iter().map(Option::is_some).collect();
        self.partitioner.update_metadata(&known);
        for c in self.connections.iter_mut() {
            c.reconnect_attempts = 0;
        }
        if self.known_leaders.iter().any(Option::is_none) && !self.accumulator.is_empty() {
            self.request_metadata();
        }
        self.wake_sender_now();
    }
}
